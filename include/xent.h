/* xent: SIMD cross-entropy kernels.
 *
 * Every public function returns an xent_status.  On error nothing the caller
 * asked for is written: the scalar result and the output arrays are left as
 * they were, and *bad_index (when not NULL) receives the first offending
 * element index (or (size_t)-1 when the error is not about one element).
 *
 * Reductions are returned as double and are compensated: the sum of the
 * per-element terms is accumulated in a fixed layout of 16 double-double
 * lanes, so every variant of one log backend returns bitwise identical
 * results.  The library never allocates, prints or aborts, and is
 * thread-safe (the active variant is a process-wide atomic setting).
 */
#ifndef XENT_H
#define XENT_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(_WIN32)
#define XENT_API
#else
#define XENT_API __attribute__((visibility("default")))
#endif

typedef enum xent_status {
    XENT_OK = 0,
    XENT_EINVAL = 1,        /* NULL where data is required, or a bad option value */
    XENT_EDOMAIN = 2,       /* an input outside its domain (p not in [0,1], NaN) */
    XENT_ETARGET = 3,       /* a target outside its range (checked targets) */
    XENT_EOVERFLOW = 4,     /* a size whose byte count overflows size_t */
    XENT_EUNSUPPORTED = 5,  /* unknown variant, or one this CPU cannot run */
    XENT_EZEROWEIGHT = 6    /* weights that sum to zero where they divide */
} xent_status;

typedef enum xent_reduction {
    XENT_REDUCTION_NONE = 0, /* per-element terms into out[] */
    XENT_REDUCTION_SUM = 1,  /* sum of terms into *result */
    XENT_REDUCTION_MEAN = 2  /* sum / n into *result (NaN for n = 0) */
} xent_reduction;

/* Flags for the binary cross-entropy functions. */
#define XENT_CHECK_TARGET 1u /* reject targets outside [0,1] or NaN (newer torch) */

/* A short English explanation of a status; never NULL. */
XENT_API const char *xent_strerror(xent_status status);

/* ---- variants --------------------------------------------------------
 * Names: "scalar", "avx2", "avx512", "neon", and each of them with the SLEEF
 * log backend: "scalar+sleef", "avx2+sleef", "avx512+sleef", "neon+sleef".
 * "auto" picks the fastest own-log variant the CPU supports.  The
 * environment variable XENT_VARIANT is read once, at the first call: an
 * unknown or unsupported name there makes every loss return
 * XENT_EUNSUPPORTED until xent_set_variant() is called (no silent fallback).
 */
XENT_API xent_status xent_set_variant(const char *name);
/* The active variant's name (a static string). */
XENT_API xent_status xent_get_variant(const char **name);
/* The names this CPU can run, fastest own-log first.  Writes at most cap
 * names and sets *count to the number supported (names may be NULL when
 * cap is 0, to ask for the count). */
XENT_API xent_status xent_list_variants(const char **names, size_t cap, size_t *count);

/* ---- binary cross-entropy on probabilities (torch binary_cross_entropy) --
 * l_i = -w_i * ( y_i * max(log p_i, -100) + (1 - y_i) * max(log(1 - p_i), -100) )
 * with log(1 - p) computed to log1p accuracy.
 *   input   p[n], each in [0,1] (else XENT_EDOMAIN, NaN included)
 *   target  y[n] (soft targets allowed; XENT_CHECK_TARGET rejects y outside [0,1])
 *   weight  w[n] or NULL
 *   reduction  NONE: out[n] required, result ignored (may be NULL)
 *              SUM / MEAN: *result required, out ignored (may be NULL)
 *   grad    NULL, or d(loss)/d(p) for a gradient output of 1 (ones for
 *           NONE): w * (p - y) / max(p * (1 - p), 1e-12), divided by n for MEAN
 *   bad_index  NULL, or where the first offending index is stored on error
 * Per-element terms are within 1 ulp of the exact value (own log backend).
 */
XENT_API xent_status xent_bce_f32(const float *input, const float *target,
                                  const float *weight, size_t n,
                                  xent_reduction reduction, unsigned flags,
                                  double *result, float *out, float *grad,
                                  size_t *bad_index);
XENT_API xent_status xent_bce_f64(const double *input, const double *target,
                                  const double *weight, size_t n,
                                  xent_reduction reduction, unsigned flags,
                                  double *result, double *out, double *grad,
                                  size_t *bad_index);

/* ---- binary cross-entropy on logits (torch binary_cross_entropy_with_logits)
 * l_i = w_i * ( (1 - y_i) * z_i - (1 + (pw_c - 1) * y_i) * log_sigmoid(z_i) )
 * with log_sigmoid(z) = min(z, 0) - log1p(exp(-|z|)), stable for every finite z.
 *   input   z[n] logits, any value (NaN and inf propagate as in torch)
 *   target  y[n], not range-checked
 *   weight  w[n] or NULL
 *   pos_weight  pw[k] or NULL: one per class, broadcast along the last
 *           dimension (element i has class i mod k); with pos_weight, k must
 *           be > 0 and divide n (else XENT_EINVAL); k is ignored without it
 *   reduction, result, out, bad_index as for xent_bce_*
 *   grad    NULL, or d(loss)/dz: w * ((pw*y + 1 - y) * sigmoid(z) - pw*y),
 *           divided by n for MEAN
 */
XENT_API xent_status xent_bce_logits_f32(const float *input, const float *target,
                                         const float *weight, const float *pos_weight,
                                         size_t n, size_t k, xent_reduction reduction,
                                         double *result, float *out, float *grad,
                                         size_t *bad_index);
XENT_API xent_status xent_bce_logits_f64(const double *input, const double *target,
                                         const double *weight, const double *pos_weight,
                                         size_t n, size_t k, xent_reduction reduction,
                                         double *result, double *out, double *grad,
                                         size_t *bad_index);

/* ---- cross-entropy on logits (torch cross_entropy) ----------------------
 * Logits z[n, k], row i at z + i * ld (ld >= k).  Per row the stable
 * log-softmax lsm = z - max - log sum exp(z - max), in one pass over the row.
 * Index targets t[n] (int64): l_i = (1 - eps) * nll_i + (eps / k) * smooth_i,
 *   nll_i = -w[t_i] * lsm[i, t_i],  smooth_i = -sum_c w[c] * lsm[i, c];
 *   rows with t_i == ignore_index give 0 and leave the mean's denominator;
 *   any other t_i outside [0, k) is XENT_ETARGET (bad_index = the row).
 *   MEAN divides by sum of w[t_i] over the rows not ignored (their count
 *   without weights); all rows ignored or n = 0 gives NaN, as torch does.
 * weight  w[k] class weights or NULL
 * label_smoothing  eps in [0, 1]; eps > 1 (or NaN) is XENT_EINVAL, eps < 0 acts as 0
 * out     l[n] for NONE
 * grad    NULL, or d(loss)/dz [n, k] at grad + i * ldg (ldg >= k), for a
 *         gradient output of 1 (ones for NONE); ignored rows get zeros
 * k = 0 is XENT_EINVAL.  Reductions are compensated sums of the terms.
 */
XENT_API xent_status xent_cross_entropy_f32(const float *logits, size_t n, size_t k, size_t ld,
                                            const int64_t *target, const float *weight,
                                            int64_t ignore_index, double label_smoothing,
                                            xent_reduction reduction, double *result,
                                            float *out, float *grad, size_t ldg,
                                            size_t *bad_index);
XENT_API xent_status xent_cross_entropy_f64(const double *logits, size_t n, size_t k, size_t ld,
                                            const int64_t *target, const double *weight,
                                            int64_t ignore_index, double label_smoothing,
                                            xent_reduction reduction, double *result,
                                            double *out, double *grad, size_t ldg,
                                            size_t *bad_index);
/* Probability targets y[n, k] at target + i * ldt (not checked; 3y gives
 * 3x the loss): y' = y * (1 - eps) + eps / k,
 * l_i = -sum_c w[c] * y'[i, c] * lsm[i, c]; MEAN divides by n. */
XENT_API xent_status xent_cross_entropy_prob_f32(const float *logits, size_t n, size_t k,
                                                 size_t ld, const float *target, size_t ldt,
                                                 const float *weight, double label_smoothing,
                                                 xent_reduction reduction, double *result,
                                                 float *out, float *grad, size_t ldg,
                                                 size_t *bad_index);
XENT_API xent_status xent_cross_entropy_prob_f64(const double *logits, size_t n, size_t k,
                                                 size_t ld, const double *target, size_t ldt,
                                                 const double *weight, double label_smoothing,
                                                 xent_reduction reduction, double *result,
                                                 double *out, double *grad, size_t ldg,
                                                 size_t *bad_index);

/* ---- negative log-likelihood (torch nll_loss) ---------------------------
 * Log-probabilities x[n, k] (row stride ld), index targets t[n]:
 * l_i = -w[t_i] * x[i, t_i]; ignore_index, errors, MEAN denominator and
 * grad (zero except -w[t_i] at [i, t_i], / W for MEAN) as for
 * xent_cross_entropy_*. */
XENT_API xent_status xent_nll_f32(const float *input, size_t n, size_t k, size_t ld,
                                  const int64_t *target, const float *weight,
                                  int64_t ignore_index, xent_reduction reduction,
                                  double *result, float *out, float *grad, size_t ldg,
                                  size_t *bad_index);
XENT_API xent_status xent_nll_f64(const double *input, size_t n, size_t k, size_t ld,
                                  const int64_t *target, const double *weight,
                                  int64_t ignore_index, xent_reduction reduction,
                                  double *result, double *out, double *grad, size_t ldg,
                                  size_t *bad_index);

/* ---- log-loss on probabilities (scikit-learn 1.2 log_loss) --------------
 * P[n, k] (row stride ld) with labels y[n] in [0, k); k = 1 is the binary
 * shorthand (P holds the positive class's probability, labels in {0, 1}).
 * In order: NaN or inf in P is XENT_EDOMAIN (bad_index = i * k + c, the
 * flat index); n = 0 or k = 0 is XENT_EINVAL; a label outside the range is
 * XENT_ETARGET (bad_index = the row); every entry is clipped to
 * [eps, 1 - eps] in P's dtype; k = 1 becomes [1 - p, p]; each row is
 * divided by its sum (unless XENT_LOG_LOSS_NO_RENORM, as sklearn >= 1.5);
 * l_i = -log(P[i, y_i]), taken in double.
 *   eps            XENT_EPS_AUTO (any negative value or NaN) for the
 *                  dtype's machine epsilon, else used as given
 *   sample_weight  s[n] or NULL (float64, as sklearn averages in float64)
 *   normalize      nonzero: sum s_i l_i / sum s_i (a zero weight sum is
 *                  XENT_EZEROWEIGHT); zero: sum s_i l_i
 */
#define XENT_LOG_LOSS_NO_RENORM 1u
#define XENT_EPS_AUTO (-1.0)
XENT_API xent_status xent_log_loss_f32(const float *P, size_t n, size_t k, size_t ld,
                                       const int64_t *labels, const double *sample_weight,
                                       double eps, int normalize, unsigned flags,
                                       double *result, size_t *bad_index);
XENT_API xent_status xent_log_loss_f64(const double *P, size_t n, size_t k, size_t ld,
                                       const int64_t *labels, const double *sample_weight,
                                       double eps, int normalize, unsigned flags,
                                       double *result, size_t *bad_index);

/* ---- math kernels (exposed for tests, evaluators and benchmarks) ------
 * out[i] = max(log(x[i]), -100) for x in [0, 1]; 0 gives -100.
 * out[i] = max(log(1 - x[i]), -100) for x in [0, 1], log1p accurate; 1 gives -100.
 * Inputs outside [0, 1] (NaN included) give XENT_EDOMAIN. */
XENT_API xent_status xent_log_clamped_f32(const float *x, size_t n, float *out, size_t *bad_index);
XENT_API xent_status xent_log_clamped_f64(const double *x, size_t n, double *out, size_t *bad_index);
XENT_API xent_status xent_log1m_clamped_f32(const float *x, size_t n, float *out, size_t *bad_index);
XENT_API xent_status xent_log1m_clamped_f64(const double *x, size_t n, double *out, size_t *bad_index);

/* out[i] = exp(x[i]) for every x (overflow gives inf, underflow 0 through
 * the subnormals, NaN propagates).
 * out[i] = log_sigmoid(x[i]) = min(x, 0) - log1p(exp(-|x|)).
 * Logsumexp of each row of z[n, k] (row stride ld) into out[n]: the
 * one-pass reduction cross-entropy uses.  Within 1 ulp also where the
 * row's max M and log S cancel (M < 0, result near 0, as for rows of
 * log-probabilities): such rows (|M| + log S > 1.25 |result|) are
 * recomputed by a scalar double-double path (float32, and float64 results
 * above 2^-42 (|M| + log S)) or triple-double path (float64 below that,
 * 1 ulp down to results of 2^-94 (|M| + log S)), some 200x and 400x
 * slower per logit than the vector path. */
XENT_API xent_status xent_exp_f32(const float *x, size_t n, float *out);
XENT_API xent_status xent_exp_f64(const double *x, size_t n, double *out);
XENT_API xent_status xent_log_sigmoid_f32(const float *x, size_t n, float *out);
XENT_API xent_status xent_log_sigmoid_f64(const double *x, size_t n, double *out);
XENT_API xent_status xent_logsumexp_f32(const float *z, size_t n, size_t k, size_t ld, float *out);
XENT_API xent_status xent_logsumexp_f64(const double *z, size_t n, size_t k, size_t ld, double *out);

/* Compensated sum of x[0..n) in the library's canonical layout. */
XENT_API xent_status xent_sum_f32(const float *x, size_t n, double *result);
XENT_API xent_status xent_sum_f64(const double *x, size_t n, double *result);

#ifdef __cplusplus
}
#endif

#endif /* XENT_H */
