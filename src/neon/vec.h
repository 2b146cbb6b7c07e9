/* The vector interface on AArch64 Advanced SIMD: 4 float or 2 double lanes. */
#ifndef XENT_NEON_VEC_H
#define XENT_NEON_VEC_H

#include <arm_neon.h>
#include <stdint.h>

#define XENT_ISA_NAME "neon"
#define VF_N 4
#define XENT_ROWS 2 /* canonical rows per block; two rows: eight float vectors per block */
#define VD_N 2

typedef float32x4_t VF;
typedef float64x2_t VD;
typedef uint32x4_t MF;
typedef uint64x2_t MD;
typedef uint32x4_t VIF;
typedef uint64x2_t VID;

static inline VF vf_load(const float *p) { return vld1q_f32(p); }
static inline void vf_store(float *p, VF v) { vst1q_f32(p, v); }
static inline VF vf_set1(float x) { return vdupq_n_f32(x); }
static inline VF vf_add(VF a, VF b) { return vaddq_f32(a, b); }
static inline VF vf_sub(VF a, VF b) { return vsubq_f32(a, b); }
static inline VF vf_mul(VF a, VF b) { return vmulq_f32(a, b); }
static inline VF vf_div(VF a, VF b) { return vdivq_f32(a, b); }
static inline VF vf_fma(VF a, VF b, VF c) { return vfmaq_f32(c, a, b); }
/* x86 maxps semantics (b unless a > b), so NEON agrees on every input. */
static inline VF vf_max(VF a, VF b) { return vbslq_f32(vcgtq_f32(a, b), a, b); }
static inline MF vf_lt(VF a, VF b) { return vcltq_f32(a, b); }
static inline MF vf_le(VF a, VF b) { return vcleq_f32(a, b); }
static inline MF vf_eq(VF a, VF b) { return vceqq_f32(a, b); }
static inline MF mf_and(MF a, MF b) { return vandq_u32(a, b); }
static inline MF mf_or(MF a, MF b) { return vorrq_u32(a, b); }
static inline MF mf_andnot(MF a, MF b) { return vbicq_u32(b, a); }
static inline int mf_any(MF m) { return vmaxvq_u32(m) != 0; }
static inline VF vf_sel(MF m, VF a, VF b) { return vbslq_f32(m, a, b); }
static inline VIF vf_as_i(VF v) { return vreinterpretq_u32_f32(v); }
static inline VF vi_as_f(VIF i) { return vreinterpretq_f32_u32(i); }
static inline VIF vif_set1(uint32_t x) { return vdupq_n_u32(x); }
static inline VIF vif_add(VIF a, VIF b) { return vaddq_u32(a, b); }
static inline VIF vif_sub(VIF a, VIF b) { return vsubq_u32(a, b); }
static inline VIF vif_and(VIF a, VIF b) { return vandq_u32(a, b); }
static inline VIF vif_or(VIF a, VIF b) { return vorrq_u32(a, b); }
#define vif_srl(a, k) vshrq_n_u32((a), (k))

static inline VD vd_load(const double *p) { return vld1q_f64(p); }
static inline void vd_store(double *p, VD v) { vst1q_f64(p, v); }
static inline VD vd_set1(double x) { return vdupq_n_f64(x); }
static inline VD vd_add(VD a, VD b) { return vaddq_f64(a, b); }
static inline VD vd_sub(VD a, VD b) { return vsubq_f64(a, b); }
static inline VD vd_mul(VD a, VD b) { return vmulq_f64(a, b); }
static inline VD vd_div(VD a, VD b) { return vdivq_f64(a, b); }
static inline VD vd_fma(VD a, VD b, VD c) { return vfmaq_f64(c, a, b); }
static inline VD vd_max(VD a, VD b) { return vbslq_f64(vcgtq_f64(a, b), a, b); }
static inline MD vd_lt(VD a, VD b) { return vcltq_f64(a, b); }
static inline MD vd_le(VD a, VD b) { return vcleq_f64(a, b); }
static inline MD vd_eq(VD a, VD b) { return vceqq_f64(a, b); }
static inline MD md_and(MD a, MD b) { return vandq_u64(a, b); }
static inline MD md_or(MD a, MD b) { return vorrq_u64(a, b); }
static inline MD md_andnot(MD a, MD b) { return vbicq_u64(b, a); }
static inline int md_any(MD m) { return (vgetq_lane_u64(m, 0) | vgetq_lane_u64(m, 1)) != 0; }
static inline VD vd_sel(MD m, VD a, VD b) { return vbslq_f64(m, a, b); }
static inline VID vd_as_i(VD v) { return vreinterpretq_u64_f64(v); }
static inline VD vi_as_d(VID i) { return vreinterpretq_f64_u64(i); }
static inline VID vid_set1(uint64_t x) { return vdupq_n_u64(x); }
static inline VID vid_add(VID a, VID b) { return vaddq_u64(a, b); }
static inline VID vid_sub(VID a, VID b) { return vsubq_u64(a, b); }
static inline VID vid_and(VID a, VID b) { return vandq_u64(a, b); }
static inline VID vid_or(VID a, VID b) { return vorrq_u64(a, b); }
#define vid_srl(a, k) vshrq_n_u64((a), (k))

static inline VD vf_widen_lo(VF v) { return vcvt_f64_f32(vget_low_f32(v)); }
static inline VD vf_widen_hi(VF v) { return vcvt_high_f64_f32(v); }

/* Unordered-true negated compares: NaN lanes count as "not in range". */
static inline MF vf_nge(VF a, VF b) { return vmvnq_u32(vcgeq_f32(a, b)); }
static inline MF vf_nle(VF a, VF b) { return vmvnq_u32(vcleq_f32(a, b)); }
static inline int mf_all(MF m) { return vminvq_u32(m) != 0; }
static inline MD vd_nge(VD a, VD b) { return veorq_u64(vcgeq_f64(a, b), vdupq_n_u64(~0ull)); }
static inline MD vd_nle(VD a, VD b) { return veorq_u64(vcleq_f64(a, b), vdupq_n_u64(~0ull)); }
static inline int md_all(MD m) { return (vgetq_lane_u64(m, 0) & vgetq_lane_u64(m, 1)) != 0; }

/* Range check accumulators: any lane whose bits exceed those of 1.0 as an
 * unsigned integer may lie outside [0,1] (NaN, > 1, negative; -0.0 is the
 * one false alarm, which the exact scan clears). */
static inline VIF vf_range_acc(VIF acc, VF x) { return vmaxq_u32(acc, vreinterpretq_u32_f32(x)); }
static inline int vif_range_bad(VIF acc) { return vmaxvq_u32(acc) > 0x3f800000u; }
static inline VID vd_range_acc(VID acc, VD x)
{
    return vorrq_u64(acc, vcgtq_u64(vreinterpretq_u64_f64(x), vdupq_n_u64(0x3ff0000000000000ull)));
}
static inline int vid_range_bad(VID acc) { return (vgetq_lane_u64(acc, 0) | vgetq_lane_u64(acc, 1)) != 0; }
#define vif_sll(a, k) vshlq_n_u32((a), (k))
#define vid_sll(a, k) vshlq_n_u64((a), (k))

#ifdef XENT_BACKEND_SLEEF
#include <sleef.h>
#define vf_sleef_log(x) Sleef_finz_logf4_u10advsimd(x)
#define vf_sleef_log1p(x) Sleef_finz_log1pf4_u10advsimd(x)
#define vd_sleef_log(x) Sleef_finz_logd2_u10advsimd(x)
#define vd_sleef_log1p(x) Sleef_finz_log1pd2_u10advsimd(x)
#define vf_sleef_exp(x) Sleef_finz_expf4_u10advsimd(x)
#define vd_sleef_exp(x) Sleef_finz_expd2_u10advsimd(x)
#endif

#endif
