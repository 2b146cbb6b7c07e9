/* Baseline: a read-only pass over p and y (the memory-bandwidth limit),
 * AVX-512 vector adds into 8 independent accumulators. */
#include <immintrin.h>

#include "baselines.h"

double base_read_only_avx512_f32(const float *p, const float *y, size_t n)
{
    __m512 a0 = _mm512_setzero_ps(), a1 = a0, a2 = a0, a3 = a0;
    __m512 b0 = a0, b1 = a0, b2 = a0, b3 = a0;
    size_t i = 0;
    for (; i + 64 <= n; i += 64) {
        a0 = _mm512_add_ps(a0, _mm512_loadu_ps(p + i));
        a1 = _mm512_add_ps(a1, _mm512_loadu_ps(p + i + 16));
        a2 = _mm512_add_ps(a2, _mm512_loadu_ps(p + i + 32));
        a3 = _mm512_add_ps(a3, _mm512_loadu_ps(p + i + 48));
        b0 = _mm512_add_ps(b0, _mm512_loadu_ps(y + i));
        b1 = _mm512_add_ps(b1, _mm512_loadu_ps(y + i + 16));
        b2 = _mm512_add_ps(b2, _mm512_loadu_ps(y + i + 32));
        b3 = _mm512_add_ps(b3, _mm512_loadu_ps(y + i + 48));
    }
    __m512 a = _mm512_add_ps(_mm512_add_ps(a0, a1), _mm512_add_ps(a2, a3));
    __m512 b = _mm512_add_ps(_mm512_add_ps(b0, b1), _mm512_add_ps(b2, b3));
    float lanes[16];
    _mm512_storeu_ps(lanes, _mm512_add_ps(a, b));
    double s = 0.0;
    for (int k = 0; k < 16; k++)
        s += lanes[k];
    for (; i < n; i++)
        s += (double)p[i] + (double)y[i];
    return s / (double)n;
}

double base_read_only_avx512_f64(const double *p, const double *y, size_t n)
{
    __m512d a0 = _mm512_setzero_pd(), a1 = a0, a2 = a0, a3 = a0;
    __m512d b0 = a0, b1 = a0, b2 = a0, b3 = a0;
    size_t i = 0;
    for (; i + 32 <= n; i += 32) {
        a0 = _mm512_add_pd(a0, _mm512_loadu_pd(p + i));
        a1 = _mm512_add_pd(a1, _mm512_loadu_pd(p + i + 8));
        a2 = _mm512_add_pd(a2, _mm512_loadu_pd(p + i + 16));
        a3 = _mm512_add_pd(a3, _mm512_loadu_pd(p + i + 24));
        b0 = _mm512_add_pd(b0, _mm512_loadu_pd(y + i));
        b1 = _mm512_add_pd(b1, _mm512_loadu_pd(y + i + 8));
        b2 = _mm512_add_pd(b2, _mm512_loadu_pd(y + i + 16));
        b3 = _mm512_add_pd(b3, _mm512_loadu_pd(y + i + 24));
    }
    __m512d a = _mm512_add_pd(_mm512_add_pd(a0, a1), _mm512_add_pd(a2, a3));
    __m512d b = _mm512_add_pd(_mm512_add_pd(b0, b1), _mm512_add_pd(b2, b3));
    double lanes[8];
    _mm512_storeu_pd(lanes, _mm512_add_pd(a, b));
    double s = 0.0;
    for (int k = 0; k < 8; k++)
        s += lanes[k];
    for (; i < n; i++)
        s += p[i] + y[i];
    return s / (double)n;
}

/* One array (the logits of cross-entropy): a read-only pass over x[n]. */
double base_read_only1_avx512_f32(const float *x, size_t n)
{
    __m512 a0 = _mm512_setzero_ps(), a1 = a0, a2 = a0, a3 = a0;
    __m512 a4 = a0, a5 = a0, a6 = a0, a7 = a0;
    size_t i = 0;
    for (; i + 128 <= n; i += 128) {
        a0 = _mm512_add_ps(a0, _mm512_loadu_ps(x + i));
        a1 = _mm512_add_ps(a1, _mm512_loadu_ps(x + i + 16));
        a2 = _mm512_add_ps(a2, _mm512_loadu_ps(x + i + 32));
        a3 = _mm512_add_ps(a3, _mm512_loadu_ps(x + i + 48));
        a4 = _mm512_add_ps(a4, _mm512_loadu_ps(x + i + 64));
        a5 = _mm512_add_ps(a5, _mm512_loadu_ps(x + i + 80));
        a6 = _mm512_add_ps(a6, _mm512_loadu_ps(x + i + 96));
        a7 = _mm512_add_ps(a7, _mm512_loadu_ps(x + i + 112));
    }
    __m512 a = _mm512_add_ps(_mm512_add_ps(a0, a1), _mm512_add_ps(a2, a3));
    __m512 b = _mm512_add_ps(_mm512_add_ps(a4, a5), _mm512_add_ps(a6, a7));
    float lanes[16];
    _mm512_storeu_ps(lanes, _mm512_add_ps(a, b));
    double s = 0.0;
    for (int k = 0; k < 16; k++)
        s += lanes[k];
    for (; i < n; i++)
        s += (double)x[i];
    return s / (double)n;
}
