/* The vector interface on AVX-512F (+DQ/VL/BW): 16 float or 8 double lanes,
 * comparisons into mask registers. */
#ifndef XENT_AVX512_VEC_H
#define XENT_AVX512_VEC_H

#include <immintrin.h>
#include <stdint.h>

#define XENT_ISA_NAME "avx512"
#define VF_N 16
#define XENT_ROWS 4 /* canonical rows per block; four rows: four float vectors in flight per block */
#define VD_N 8

typedef __m512 VF;
typedef __m512d VD;
typedef __mmask16 MF;
typedef __mmask8 MD;
typedef __m512i VIF;
typedef __m512i VID;

static inline VF vf_load(const float *p) { return _mm512_loadu_ps(p); }
static inline void vf_store(float *p, VF v) { _mm512_storeu_ps(p, v); }
static inline VF vf_set1(float x) { return _mm512_set1_ps(x); }
static inline VF vf_add(VF a, VF b) { return _mm512_add_ps(a, b); }
static inline VF vf_sub(VF a, VF b) { return _mm512_sub_ps(a, b); }
static inline VF vf_mul(VF a, VF b) { return _mm512_mul_ps(a, b); }
static inline VF vf_div(VF a, VF b) { return _mm512_div_ps(a, b); }
static inline VF vf_fma(VF a, VF b, VF c) { return _mm512_fmadd_ps(a, b, c); }
static inline VF vf_max(VF a, VF b) { return _mm512_max_ps(a, b); }
static inline MF vf_lt(VF a, VF b) { return _mm512_cmp_ps_mask(a, b, _CMP_LT_OQ); }
static inline MF vf_le(VF a, VF b) { return _mm512_cmp_ps_mask(a, b, _CMP_LE_OQ); }
static inline MF vf_eq(VF a, VF b) { return _mm512_cmp_ps_mask(a, b, _CMP_EQ_OQ); }
static inline MF mf_and(MF a, MF b) { return (MF)(a & b); }
static inline MF mf_or(MF a, MF b) { return (MF)(a | b); }
static inline MF mf_andnot(MF a, MF b) { return (MF)(~a & b); }
static inline int mf_any(MF m) { return m != 0; }
static inline VF vf_sel(MF m, VF a, VF b) { return _mm512_mask_blend_ps(m, b, a); }
static inline VIF vf_as_i(VF v) { return _mm512_castps_si512(v); }
static inline VF vi_as_f(VIF i) { return _mm512_castsi512_ps(i); }
static inline VIF vif_set1(uint32_t x) { return _mm512_set1_epi32((int)x); }
static inline VIF vif_add(VIF a, VIF b) { return _mm512_add_epi32(a, b); }
static inline VIF vif_sub(VIF a, VIF b) { return _mm512_sub_epi32(a, b); }
static inline VIF vif_and(VIF a, VIF b) { return _mm512_and_si512(a, b); }
static inline VIF vif_or(VIF a, VIF b) { return _mm512_or_si512(a, b); }
#define vif_srl(a, k) _mm512_srli_epi32((a), (k))

static inline VD vd_load(const double *p) { return _mm512_loadu_pd(p); }
static inline void vd_store(double *p, VD v) { _mm512_storeu_pd(p, v); }
static inline VD vd_set1(double x) { return _mm512_set1_pd(x); }
static inline VD vd_add(VD a, VD b) { return _mm512_add_pd(a, b); }
static inline VD vd_sub(VD a, VD b) { return _mm512_sub_pd(a, b); }
static inline VD vd_mul(VD a, VD b) { return _mm512_mul_pd(a, b); }
static inline VD vd_div(VD a, VD b) { return _mm512_div_pd(a, b); }
static inline VD vd_fma(VD a, VD b, VD c) { return _mm512_fmadd_pd(a, b, c); }
static inline VD vd_max(VD a, VD b) { return _mm512_max_pd(a, b); }
static inline MD vd_lt(VD a, VD b) { return _mm512_cmp_pd_mask(a, b, _CMP_LT_OQ); }
static inline MD vd_le(VD a, VD b) { return _mm512_cmp_pd_mask(a, b, _CMP_LE_OQ); }
static inline MD vd_eq(VD a, VD b) { return _mm512_cmp_pd_mask(a, b, _CMP_EQ_OQ); }
static inline MD md_and(MD a, MD b) { return (MD)(a & b); }
static inline MD md_or(MD a, MD b) { return (MD)(a | b); }
static inline MD md_andnot(MD a, MD b) { return (MD)(~a & b); }
static inline int md_any(MD m) { return m != 0; }
static inline VD vd_sel(MD m, VD a, VD b) { return _mm512_mask_blend_pd(m, b, a); }
static inline VID vd_as_i(VD v) { return _mm512_castpd_si512(v); }
static inline VD vi_as_d(VID i) { return _mm512_castsi512_pd(i); }
static inline VID vid_set1(uint64_t x) { return _mm512_set1_epi64((long long)x); }
static inline VID vid_add(VID a, VID b) { return _mm512_add_epi64(a, b); }
static inline VID vid_sub(VID a, VID b) { return _mm512_sub_epi64(a, b); }
static inline VID vid_and(VID a, VID b) { return _mm512_and_si512(a, b); }
static inline VID vid_or(VID a, VID b) { return _mm512_or_si512(a, b); }
#define vid_srl(a, k) _mm512_srli_epi64((a), (k))

static inline VD vf_widen_lo(VF v) { return _mm512_cvtps_pd(_mm512_castps512_ps256(v)); }
static inline VD vf_widen_hi(VF v)
{
    return _mm512_cvtps_pd(_mm256_castpd_ps(_mm512_extractf64x4_pd(_mm512_castps_pd(v), 1)));
}

/* Unordered-true negated compares: NaN lanes count as "not in range". */
static inline MF vf_nge(VF a, VF b) { return _mm512_cmp_ps_mask(a, b, _CMP_NGE_UQ); }
static inline MF vf_nle(VF a, VF b) { return _mm512_cmp_ps_mask(a, b, _CMP_NLE_UQ); }
static inline int mf_all(MF m) { return m == 0xffff; }
static inline MD vd_nge(VD a, VD b) { return _mm512_cmp_pd_mask(a, b, _CMP_NGE_UQ); }
static inline MD vd_nle(VD a, VD b) { return _mm512_cmp_pd_mask(a, b, _CMP_NLE_UQ); }
static inline int md_all(MD m) { return m == 0xff; }

/* Range check accumulators: any lane whose bits exceed those of 1.0 as an
 * unsigned integer may lie outside [0,1] (NaN, > 1, negative; -0.0 is the
 * one false alarm, which the exact scan clears). */
static inline VIF vf_range_acc(VIF acc, VF x) { return _mm512_max_epu32(acc, _mm512_castps_si512(x)); }
static inline int vif_range_bad(VIF acc) { return _mm512_cmpgt_epu32_mask(acc, _mm512_set1_epi32(0x3f800000)) != 0; }
static inline VID vd_range_acc(VID acc, VD x) { return _mm512_max_epu64(acc, _mm512_castpd_si512(x)); }
static inline int vid_range_bad(VID acc)
{
    return _mm512_cmpgt_epu64_mask(acc, _mm512_set1_epi64((long long)0x3ff0000000000000ull)) != 0;
}
#define vif_sll(a, k) _mm512_slli_epi32((a), (k))
#define vid_sll(a, k) _mm512_slli_epi64((a), (k))

#ifdef XENT_BACKEND_SLEEF
#include <sleef.h>
#define vf_sleef_log(x) Sleef_finz_logf16_u10avx512f(x)
#define vf_sleef_log1p(x) Sleef_finz_log1pf16_u10avx512f(x)
#define vd_sleef_log(x) Sleef_finz_logd8_u10avx512f(x)
#define vd_sleef_log1p(x) Sleef_finz_log1pd8_u10avx512f(x)
#define vf_sleef_exp(x) Sleef_finz_expf16_u10avx512f(x)
#define vd_sleef_exp(x) Sleef_finz_expd8_u10avx512f(x)
#endif

#endif
