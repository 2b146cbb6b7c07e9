/* Reference implementations the harness times next to xent.  Each lives in
 * its own translation unit with its own compiler flags (see CMakeLists.txt),
 * so no flag of one leaks into another or into the harness.  Every function
 * returns the mean of the per-element terms, summed in double. */
#ifndef XENT_BENCH_BASELINES_H
#define XENT_BENCH_BASELINES_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* base_libm.c, -O2, no fast-math: scalar loop over glibc logf / log. */
double base_libm_scalar_f32(const float *p, const float *y, size_t n);
double base_libm_scalar_f64(const double *p, const double *y, size_t n);

/* base_sleef_avx2.c, -O2 -mavx2 -mfma: two Sleef_logf8_u10avx2 per 8 elements
 * (base_sleef_avx512.c: the log alone, Sleef_logf16_u10avx512f). */
double base_sleef_naive_avx2_f32(const float *p, const float *y, size_t n);

/* base_libmvec.c compiled twice with -O3 -ffast-math: gcc vectorises the
 * scalar loop through libmvec (_ZGVdN8v_logf / _ZGVeN16v_logf). */
double base_libmvec_fastmath_avx2_f32(const float *p, const float *y, size_t n);
double base_libmvec_fastmath_avx512_f32(const float *p, const float *y, size_t n);

/* base_read_avx2.c / base_read_avx512.c: a read-only pass over p and y with
 * vector adds (the memory-bandwidth limit).  Returns the mean of p + y. */
double base_read_only_avx2_f32(const float *p, const float *y, size_t n);
double base_read_only_avx2_f64(const double *p, const double *y, size_t n);
double base_read_only_avx512_f32(const float *p, const float *y, size_t n);
double base_read_only_avx512_f64(const double *p, const double *y, size_t n);

/* The same passes over one array x[n] (the logits of cross-entropy); the
 * mean of x. */
double base_read_only1_avx2_f32(const float *x, size_t n);
double base_read_only1_avx512_f32(const float *x, size_t n);

/* The log alone, out[i] = max(log x[i], -100), for the math-kernel
 * benchmarks (log_f32/...): the same TUs and flags as above. */
void base_libm_log_f32(const float *x, size_t n, float *out);
void base_sleef_log_avx2_f32(const float *x, size_t n, float *out);
void base_sleef_log_avx512_f32(const float *x, size_t n, float *out);
void base_libmvec_log_avx2_f32(const float *x, size_t n, float *out);
void base_libmvec_log_avx512_f32(const float *x, size_t n, float *out);
/* Plain double sum of float terms (base_libm.c, -O2): what a naive
 * reduction costs, for the sum_f32/... benchmarks. */
double base_naive_sum_f32(const float *x, size_t n);

/* ---- BCE on logits, cross-entropy, NLL, log-loss (base_losses.c) -------
 * One source compiled twice: base_libm_scalar_* (-O2, glibc scalar
 * expf / logf / log1pf) and base_libmvec_fastmath_avx2_* (-O3 -ffast-math
 * -mavx2 -mfma, the same loops auto-vectorised through libmvec).  Means:
 *   bce_logits  of max(z, 0) - z*y + log1p(exp(-|z|)) over n elements
 *   ce          of log(sum_c exp(z[i,c] - max_i)) + max_i - z[i, t_i] over
 *               n rows of k logits (max, then the sum of expf, then logf)
 *   nll         of -x[i, t_i] over n rows
 *   log_loss    of -log(clip(P[i, y_i]) / sum_c clip(P[i, c])), sklearn 1.2
 *               with eps = FLT_EPSILON, over n rows */
double base_libm_scalar_bce_logits_f32(const float *z, const float *y, size_t n);
double base_libm_scalar_bce_logits_f64(const double *z, const double *y, size_t n);
double base_libm_scalar_ce_f32(const float *z, size_t n, size_t k, const int64_t *t);
double base_libm_scalar_nll_f32(const float *x, size_t n, size_t k, const int64_t *t);
double base_libm_scalar_log_loss_f32(const float *P, size_t n, size_t k, const int64_t *y);
double base_libmvec_fastmath_avx2_bce_logits_f32(const float *z, const float *y, size_t n);
double base_libmvec_fastmath_avx2_bce_logits_f64(const double *z, const double *y, size_t n);
double base_libmvec_fastmath_avx2_ce_f32(const float *z, size_t n, size_t k, const int64_t *t);
double base_libmvec_fastmath_avx2_nll_f32(const float *x, size_t n, size_t k, const int64_t *t);
double base_libmvec_fastmath_avx2_log_loss_f32(const float *P, size_t n, size_t k, const int64_t *y);

#ifdef __cplusplus
}
#endif

#endif
