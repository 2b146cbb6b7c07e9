/* The vector interface on AVX2 + FMA: 8 float or 4 double lanes. */
#ifndef XENT_AVX2_VEC_H
#define XENT_AVX2_VEC_H

#include <immintrin.h>
#include <stdint.h>

#define XENT_ISA_NAME "avx2"
#define VF_N 8
#define XENT_ROWS 2 /* canonical rows per block; two rows measured fastest */
#define VD_N 4

typedef __m256 VF;
typedef __m256d VD;
typedef __m256 MF;
typedef __m256d MD;
typedef __m256i VIF;
typedef __m256i VID;

static inline VF vf_load(const float *p) { return _mm256_loadu_ps(p); }
static inline void vf_store(float *p, VF v) { _mm256_storeu_ps(p, v); }
static inline VF vf_set1(float x) { return _mm256_set1_ps(x); }
static inline VF vf_add(VF a, VF b) { return _mm256_add_ps(a, b); }
static inline VF vf_sub(VF a, VF b) { return _mm256_sub_ps(a, b); }
static inline VF vf_mul(VF a, VF b) { return _mm256_mul_ps(a, b); }
static inline VF vf_div(VF a, VF b) { return _mm256_div_ps(a, b); }
static inline VF vf_fma(VF a, VF b, VF c) { return _mm256_fmadd_ps(a, b, c); }
static inline VF vf_max(VF a, VF b) { return _mm256_max_ps(a, b); }
static inline MF vf_lt(VF a, VF b) { return _mm256_cmp_ps(a, b, _CMP_LT_OQ); }
static inline MF vf_le(VF a, VF b) { return _mm256_cmp_ps(a, b, _CMP_LE_OQ); }
static inline MF vf_eq(VF a, VF b) { return _mm256_cmp_ps(a, b, _CMP_EQ_OQ); }
static inline MF mf_and(MF a, MF b) { return _mm256_and_ps(a, b); }
static inline MF mf_or(MF a, MF b) { return _mm256_or_ps(a, b); }
static inline MF mf_andnot(MF a, MF b) { return _mm256_andnot_ps(a, b); }
static inline int mf_any(MF m) { return _mm256_movemask_ps(m) != 0; }
static inline VF vf_sel(MF m, VF a, VF b) { return _mm256_blendv_ps(b, a, m); }
static inline VIF vf_as_i(VF v) { return _mm256_castps_si256(v); }
static inline VF vi_as_f(VIF i) { return _mm256_castsi256_ps(i); }
static inline VIF vif_set1(uint32_t x) { return _mm256_set1_epi32((int)x); }
static inline VIF vif_add(VIF a, VIF b) { return _mm256_add_epi32(a, b); }
static inline VIF vif_sub(VIF a, VIF b) { return _mm256_sub_epi32(a, b); }
static inline VIF vif_and(VIF a, VIF b) { return _mm256_and_si256(a, b); }
static inline VIF vif_or(VIF a, VIF b) { return _mm256_or_si256(a, b); }
#define vif_srl(a, k) _mm256_srli_epi32((a), (k))

static inline VD vd_load(const double *p) { return _mm256_loadu_pd(p); }
static inline void vd_store(double *p, VD v) { _mm256_storeu_pd(p, v); }
static inline VD vd_set1(double x) { return _mm256_set1_pd(x); }
static inline VD vd_add(VD a, VD b) { return _mm256_add_pd(a, b); }
static inline VD vd_sub(VD a, VD b) { return _mm256_sub_pd(a, b); }
static inline VD vd_mul(VD a, VD b) { return _mm256_mul_pd(a, b); }
static inline VD vd_div(VD a, VD b) { return _mm256_div_pd(a, b); }
static inline VD vd_fma(VD a, VD b, VD c) { return _mm256_fmadd_pd(a, b, c); }
static inline VD vd_max(VD a, VD b) { return _mm256_max_pd(a, b); }
static inline MD vd_lt(VD a, VD b) { return _mm256_cmp_pd(a, b, _CMP_LT_OQ); }
static inline MD vd_le(VD a, VD b) { return _mm256_cmp_pd(a, b, _CMP_LE_OQ); }
static inline MD vd_eq(VD a, VD b) { return _mm256_cmp_pd(a, b, _CMP_EQ_OQ); }
static inline MD md_and(MD a, MD b) { return _mm256_and_pd(a, b); }
static inline MD md_or(MD a, MD b) { return _mm256_or_pd(a, b); }
static inline MD md_andnot(MD a, MD b) { return _mm256_andnot_pd(a, b); }
static inline int md_any(MD m) { return _mm256_movemask_pd(m) != 0; }
static inline VD vd_sel(MD m, VD a, VD b) { return _mm256_blendv_pd(b, a, m); }
static inline VID vd_as_i(VD v) { return _mm256_castpd_si256(v); }
static inline VD vi_as_d(VID i) { return _mm256_castsi256_pd(i); }
static inline VID vid_set1(uint64_t x) { return _mm256_set1_epi64x((long long)x); }
static inline VID vid_add(VID a, VID b) { return _mm256_add_epi64(a, b); }
static inline VID vid_sub(VID a, VID b) { return _mm256_sub_epi64(a, b); }
static inline VID vid_and(VID a, VID b) { return _mm256_and_si256(a, b); }
static inline VID vid_or(VID a, VID b) { return _mm256_or_si256(a, b); }
#define vid_srl(a, k) _mm256_srli_epi64((a), (k))

static inline VD vf_widen_lo(VF v) { return _mm256_cvtps_pd(_mm256_castps256_ps128(v)); }
static inline VD vf_widen_hi(VF v) { return _mm256_cvtps_pd(_mm256_extractf128_ps(v, 1)); }

/* Unordered-true negated compares: NaN lanes count as "not in range". */
static inline MF vf_nge(VF a, VF b) { return _mm256_cmp_ps(a, b, _CMP_NGE_UQ); }
static inline MF vf_nle(VF a, VF b) { return _mm256_cmp_ps(a, b, _CMP_NLE_UQ); }
static inline int mf_all(MF m) { return _mm256_movemask_ps(m) == 0xff; }
static inline MD vd_nge(VD a, VD b) { return _mm256_cmp_pd(a, b, _CMP_NGE_UQ); }
static inline MD vd_nle(VD a, VD b) { return _mm256_cmp_pd(a, b, _CMP_NLE_UQ); }
static inline int md_all(MD m) { return _mm256_movemask_pd(m) == 0xf; }

/* Range check accumulators: any lane whose bits exceed those of 1.0 as an
 * unsigned integer may lie outside [0,1] (NaN, > 1, negative; -0.0 is the
 * one false alarm, which the exact scan clears). */
static inline VIF vf_range_acc(VIF acc, VF x) { return _mm256_max_epu32(acc, _mm256_castps_si256(x)); }
static inline int vif_range_bad(VIF acc)
{
    const __m256i one = _mm256_set1_epi32(0x3f800000);
    return _mm256_movemask_ps(_mm256_castsi256_ps(_mm256_cmpeq_epi32(_mm256_max_epu32(acc, one), one))) != 0xff;
}
/* no unsigned 64-bit max on AVX2: flip the sign bits and compare signed */
static inline VID vd_range_acc(VID acc, VD x)
{
    const __m256i sign = _mm256_set1_epi64x((long long)0x8000000000000000ull);
    const __m256i lim = _mm256_set1_epi64x((long long)(0x3ff0000000000000ull ^ 0x8000000000000000ull));
    return _mm256_or_si256(acc, _mm256_cmpgt_epi64(_mm256_xor_si256(_mm256_castpd_si256(x), sign), lim));
}
static inline int vid_range_bad(VID acc) { return !_mm256_testz_si256(acc, acc); }
#define vif_sll(a, k) _mm256_slli_epi32((a), (k))
#define vid_sll(a, k) _mm256_slli_epi64((a), (k))

#ifdef XENT_BACKEND_SLEEF
#include <sleef.h>
#define vf_sleef_log(x) Sleef_finz_logf8_u10avx2(x)
#define vf_sleef_log1p(x) Sleef_finz_log1pf8_u10avx2(x)
#define vd_sleef_log(x) Sleef_finz_logd4_u10avx2(x)
#define vd_sleef_log1p(x) Sleef_finz_log1pd4_u10avx2(x)
#define vf_sleef_exp(x) Sleef_finz_expf8_u10avx2(x)
#define vd_sleef_exp(x) Sleef_finz_expd4_u10avx2(x)
#endif

#endif
