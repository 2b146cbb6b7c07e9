/* Baseline for the math-kernel benchmarks: SLEEF's 1-ulp AVX-512 logf. */
#include <immintrin.h>
#include <math.h>
#include <sleef.h>

#include "baselines.h"

void base_sleef_log_avx512_f32(const float *x, size_t n, float *out)
{
    const __m512 lo = _mm512_set1_ps(-100.0f);
    size_t i = 0;
    for (; i + 16 <= n; i += 16)
        _mm512_storeu_ps(out + i, _mm512_max_ps(Sleef_logf16_u10avx512f(_mm512_loadu_ps(x + i)), lo));
    for (; i < n; i++)
        out[i] = fmaxf(logf(x[i]), -100.0f);
}
