/* Baselines for BCE on logits, cross-entropy, NLL and log-loss: the plain
 * loops a user writes over libm.  Compiled twice (see CMakeLists.txt):
 *
 *   -O2                        base_libm_scalar_*: scalar glibc expf / logf /
 *                              log1pf (exp / log1p for double)
 *   -O3 -ffast-math -mavx2 -mfma
 *                              base_libmvec_fastmath_avx2_*: the same loops,
 *                              auto-vectorised by gcc through libmvec
 *                              (_ZGVdN8v_expf, _ZGVdN8v_log1pf, _ZGVdN4v_exp,
 *                              _ZGVdN4v_log1p)
 *
 * BASE_LOSSES_PREFIX names the functions of each build.  Every function
 * returns a mean of per-element (or per-row) terms, summed in double. */
#include <float.h>
#include <math.h>

#include "baselines.h"

#ifndef BASE_LOSSES_PREFIX
#error "define BASE_LOSSES_PREFIX (base_libm_scalar_ or base_libmvec_fastmath_avx2_)"
#endif
#define BASE_CAT2(a, b) a##b
#define BASE_CAT(a, b) BASE_CAT2(a, b)
#define BASE_FN(name) BASE_CAT(BASE_LOSSES_PREFIX, name)

/* BCE on logits, l = max(z, 0) - z*y + log1p(exp(-|z|)). */
double BASE_FN(bce_logits_f32)(const float *z, const float *y, size_t n)
{
    double s = 0.0;
    for (size_t i = 0; i < n; i++) {
        float zi = z[i];
        s += (zi > 0.0f ? zi : 0.0f) - zi * y[i] + log1pf(expf(-fabsf(zi)));
    }
    return s / (double)n;
}

double BASE_FN(bce_logits_f64)(const double *z, const double *y, size_t n)
{
    double s = 0.0;
    for (size_t i = 0; i < n; i++) {
        double zi = z[i];
        s += (zi > 0.0 ? zi : 0.0) - zi * y[i] + log1p(exp(-fabs(zi)));
    }
    return s / (double)n;
}

/* Cross-entropy with index targets, two passes per row: the max, then the
 * sum of expf(z - max) (in float), then l = log(sum) + max - z[t]. */
double BASE_FN(ce_f32)(const float *z, size_t n, size_t k, const int64_t *t)
{
    double s = 0.0;
    for (size_t i = 0; i < n; i++) {
        const float *row = z + i * k;
        float m = row[0];
        for (size_t c = 1; c < k; c++)
            m = row[c] > m ? row[c] : m;
        float sum = 0.0f;
        for (size_t c = 0; c < k; c++)
            sum += expf(row[c] - m);
        s += (double)(logf(sum) + m - row[t[i]]);
    }
    return s / (double)n;
}

/* NLL on log-probabilities: l = -x[i, t_i]. */
double BASE_FN(nll_f32)(const float *x, size_t n, size_t k, const int64_t *t)
{
    double s = 0.0;
    for (size_t i = 0; i < n; i++)
        s -= x[i * k + (size_t)t[i]];
    return s / (double)n;
}

/* sklearn 1.2 log_loss on float32 probabilities: clip to [eps, 1 - eps]
 * (eps = FLT_EPSILON), divide by the row's sum, -log in double. */
double BASE_FN(log_loss_f32)(const float *P, size_t n, size_t k, const int64_t *y)
{
    const float lo = FLT_EPSILON, hi = 1.0f - FLT_EPSILON;
    double s = 0.0;
    for (size_t i = 0; i < n; i++) {
        const float *row = P + i * k;
        float sum = 0.0f;
        for (size_t c = 0; c < k; c++) {
            float p = row[c] < lo ? lo : row[c];
            sum += p > hi ? hi : p;
        }
        float p = row[y[i]] < lo ? lo : row[y[i]];
        p = p > hi ? hi : p;
        s -= log((double)(p / sum));
    }
    return s / (double)n;
}
