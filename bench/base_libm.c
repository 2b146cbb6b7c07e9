/* Baseline: the plain scalar loop with glibc logf / log (built -O2, no
 * fast-math).  This is roughly what torch 1.13's CPU kernel does. */
#include <math.h>

#include "baselines.h"

double base_libm_scalar_f32(const float *p, const float *y, size_t n)
{
    double s = 0.0;
    for (size_t i = 0; i < n; i++)
        s += -(y[i] * fmaxf(logf(p[i]), -100.0f) +
               (1.0f - y[i]) * fmaxf(logf(1.0f - p[i]), -100.0f));
    return s / (double)n;
}

double base_libm_scalar_f64(const double *p, const double *y, size_t n)
{
    double s = 0.0;
    for (size_t i = 0; i < n; i++)
        s += -(y[i] * fmax(log(p[i]), -100.0) +
               (1.0 - y[i]) * fmax(log(1.0 - p[i]), -100.0));
    return s / (double)n;
}

void base_libm_log_f32(const float *x, size_t n, float *out)
{
    for (size_t i = 0; i < n; i++)
        out[i] = fmaxf(logf(x[i]), -100.0f);
}

double base_naive_sum_f32(const float *x, size_t n)
{
    double s = 0.0;
    for (size_t i = 0; i < n; i++)
        s += x[i];
    return s;
}
