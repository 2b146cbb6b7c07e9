/* Baseline: the naive AVX2 loop a user would write on top of SLEEF, two
 * Sleef_logf8_u10avx2 calls per 8 elements, terms summed in double. */
#include <immintrin.h>
#include <math.h>
#include <sleef.h>

#include "baselines.h"

double base_sleef_naive_avx2_f32(const float *p, const float *y, size_t n)
{
    const __m256 one = _mm256_set1_ps(1.0f);
    const __m256 lo = _mm256_set1_ps(-100.0f);
    __m256d acc0 = _mm256_setzero_pd(), acc1 = _mm256_setzero_pd();
    size_t i = 0;
    for (; i + 8 <= n; i += 8) {
        __m256 vp = _mm256_loadu_ps(p + i);
        __m256 vy = _mm256_loadu_ps(y + i);
        __m256 a = _mm256_max_ps(Sleef_logf8_u10avx2(vp), lo);
        __m256 b = _mm256_max_ps(Sleef_logf8_u10avx2(_mm256_sub_ps(one, vp)), lo);
        __m256 t = _mm256_add_ps(_mm256_mul_ps(vy, a),
                                 _mm256_mul_ps(_mm256_sub_ps(one, vy), b));
        acc0 = _mm256_add_pd(acc0, _mm256_cvtps_pd(_mm256_castps256_ps128(t)));
        acc1 = _mm256_add_pd(acc1, _mm256_cvtps_pd(_mm256_extractf128_ps(t, 1)));
    }
    double lanes[4];
    _mm256_storeu_pd(lanes, _mm256_add_pd(acc0, acc1));
    double s = lanes[0] + lanes[1] + lanes[2] + lanes[3];
    for (; i < n; i++)
        s += y[i] * fmaxf(logf(p[i]), -100.0f) +
             (1.0f - y[i]) * fmaxf(logf(1.0f - p[i]), -100.0f);
    return -s / (double)n;
}

void base_sleef_log_avx2_f32(const float *x, size_t n, float *out)
{
    const __m256 lo = _mm256_set1_ps(-100.0f);
    size_t i = 0;
    for (; i + 8 <= n; i += 8)
        _mm256_storeu_ps(out + i, _mm256_max_ps(Sleef_logf8_u10avx2(_mm256_loadu_ps(x + i)), lo));
    for (; i < n; i++)
        out[i] = fmaxf(logf(x[i]), -100.0f);
}
