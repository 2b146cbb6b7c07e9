/* Baseline: a read-only pass over p and y (the memory-bandwidth limit),
 * AVX2 vector adds into 8 independent accumulators so the adds never limit
 * the loop. */
#include <immintrin.h>

#include "baselines.h"

double base_read_only_avx2_f32(const float *p, const float *y, size_t n)
{
    __m256 a0 = _mm256_setzero_ps(), a1 = a0, a2 = a0, a3 = a0;
    __m256 b0 = a0, b1 = a0, b2 = a0, b3 = a0;
    size_t i = 0;
    for (; i + 32 <= n; i += 32) {
        a0 = _mm256_add_ps(a0, _mm256_loadu_ps(p + i));
        a1 = _mm256_add_ps(a1, _mm256_loadu_ps(p + i + 8));
        a2 = _mm256_add_ps(a2, _mm256_loadu_ps(p + i + 16));
        a3 = _mm256_add_ps(a3, _mm256_loadu_ps(p + i + 24));
        b0 = _mm256_add_ps(b0, _mm256_loadu_ps(y + i));
        b1 = _mm256_add_ps(b1, _mm256_loadu_ps(y + i + 8));
        b2 = _mm256_add_ps(b2, _mm256_loadu_ps(y + i + 16));
        b3 = _mm256_add_ps(b3, _mm256_loadu_ps(y + i + 24));
    }
    __m256 a = _mm256_add_ps(_mm256_add_ps(a0, a1), _mm256_add_ps(a2, a3));
    __m256 b = _mm256_add_ps(_mm256_add_ps(b0, b1), _mm256_add_ps(b2, b3));
    float lanes[8];
    _mm256_storeu_ps(lanes, _mm256_add_ps(a, b));
    double s = 0.0;
    for (int k = 0; k < 8; k++)
        s += lanes[k];
    for (; i < n; i++)
        s += (double)p[i] + (double)y[i];
    return s / (double)n;
}

double base_read_only_avx2_f64(const double *p, const double *y, size_t n)
{
    __m256d a0 = _mm256_setzero_pd(), a1 = a0, a2 = a0, a3 = a0;
    __m256d b0 = a0, b1 = a0, b2 = a0, b3 = a0;
    size_t i = 0;
    for (; i + 16 <= n; i += 16) {
        a0 = _mm256_add_pd(a0, _mm256_loadu_pd(p + i));
        a1 = _mm256_add_pd(a1, _mm256_loadu_pd(p + i + 4));
        a2 = _mm256_add_pd(a2, _mm256_loadu_pd(p + i + 8));
        a3 = _mm256_add_pd(a3, _mm256_loadu_pd(p + i + 12));
        b0 = _mm256_add_pd(b0, _mm256_loadu_pd(y + i));
        b1 = _mm256_add_pd(b1, _mm256_loadu_pd(y + i + 4));
        b2 = _mm256_add_pd(b2, _mm256_loadu_pd(y + i + 8));
        b3 = _mm256_add_pd(b3, _mm256_loadu_pd(y + i + 12));
    }
    __m256d a = _mm256_add_pd(_mm256_add_pd(a0, a1), _mm256_add_pd(a2, a3));
    __m256d b = _mm256_add_pd(_mm256_add_pd(b0, b1), _mm256_add_pd(b2, b3));
    double lanes[4];
    _mm256_storeu_pd(lanes, _mm256_add_pd(a, b));
    double s = lanes[0] + lanes[1] + lanes[2] + lanes[3];
    for (; i < n; i++)
        s += p[i] + y[i];
    return s / (double)n;
}

/* One array (the logits of cross-entropy): a read-only pass over x[n]. */
double base_read_only1_avx2_f32(const float *x, size_t n)
{
    __m256 a0 = _mm256_setzero_ps(), a1 = a0, a2 = a0, a3 = a0;
    __m256 a4 = a0, a5 = a0, a6 = a0, a7 = a0;
    size_t i = 0;
    for (; i + 64 <= n; i += 64) {
        a0 = _mm256_add_ps(a0, _mm256_loadu_ps(x + i));
        a1 = _mm256_add_ps(a1, _mm256_loadu_ps(x + i + 8));
        a2 = _mm256_add_ps(a2, _mm256_loadu_ps(x + i + 16));
        a3 = _mm256_add_ps(a3, _mm256_loadu_ps(x + i + 24));
        a4 = _mm256_add_ps(a4, _mm256_loadu_ps(x + i + 32));
        a5 = _mm256_add_ps(a5, _mm256_loadu_ps(x + i + 40));
        a6 = _mm256_add_ps(a6, _mm256_loadu_ps(x + i + 48));
        a7 = _mm256_add_ps(a7, _mm256_loadu_ps(x + i + 56));
    }
    __m256 a = _mm256_add_ps(_mm256_add_ps(a0, a1), _mm256_add_ps(a2, a3));
    __m256 b = _mm256_add_ps(_mm256_add_ps(a4, a5), _mm256_add_ps(a6, a7));
    float lanes[8];
    _mm256_storeu_ps(lanes, _mm256_add_ps(a, b));
    double s = 0.0;
    for (int k = 0; k < 8; k++)
        s += lanes[k];
    for (; i < n; i++)
        s += (double)x[i];
    return s / (double)n;
}
