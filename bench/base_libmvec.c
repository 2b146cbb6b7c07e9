/* Baseline: the same scalar-looking loop as base_libm.c, compiled with
 * -O3 -ffast-math and an ISA flag, so gcc auto-vectorises it and calls
 * glibc's libmvec (_ZGVdN8v_logf for AVX2, _ZGVeN16v_logf for AVX-512).
 * Compiled twice; BASE_LIBMVEC_NAME and BASE_LIBMVEC_LOG_NAME name the
 * functions of each build. */
#include <math.h>

#include "baselines.h"

#if !defined(BASE_LIBMVEC_NAME) || !defined(BASE_LIBMVEC_LOG_NAME)
#error "define BASE_LIBMVEC_NAME and BASE_LIBMVEC_LOG_NAME"
#endif
#ifndef __FAST_MATH__
#error "this baseline must be built with -ffast-math"
#endif

double BASE_LIBMVEC_NAME(const float *p, const float *y, size_t n)
{
    double s = 0.0;
    for (size_t i = 0; i < n; i++)
        s += -(y[i] * fmaxf(logf(p[i]), -100.0f) +
               (1.0f - y[i]) * fmaxf(logf(1.0f - p[i]), -100.0f));
    return s / (double)n;
}

void BASE_LIBMVEC_LOG_NAME(const float *x, size_t n, float *out)
{
    for (size_t i = 0; i < n; i++)
        out[i] = fmaxf(logf(x[i]), -100.0f);
}
