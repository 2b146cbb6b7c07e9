/* The vector interface over plain C, one lane wide: the readable reference.
 * Every operation is the correctly rounded IEEE operation the SIMD headers
 * use, so the generic kernels compute bit for bit what the ISAs compute. */
#ifndef XENT_SCALAR_VEC_H
#define XENT_SCALAR_VEC_H

#include <math.h>
#include <stdint.h>
#include <string.h>

#define XENT_ISA_NAME "scalar"
#define VF_N 1
#define XENT_ROWS 1 /* canonical rows per block; one row: the reference reads plainly */
#define VD_N 1

typedef float VF;
typedef double VD;
typedef int MF;
typedef int MD;
typedef uint32_t VIF;
typedef uint64_t VID;

static inline VF vf_load(const float *p) { return *p; }
static inline void vf_store(float *p, VF v) { *p = v; }
static inline VF vf_set1(float x) { return x; }
static inline VF vf_add(VF a, VF b) { return a + b; }
static inline VF vf_sub(VF a, VF b) { return a - b; }
static inline VF vf_mul(VF a, VF b) { return a * b; }
static inline VF vf_div(VF a, VF b) { return a / b; }
static inline VF vf_fma(VF a, VF b, VF c) { return fmaf(a, b, c); }
/* x86 maxps semantics: b unless a > b (inputs here are never NaN). */
static inline VF vf_max(VF a, VF b) { return a > b ? a : b; }
static inline MF vf_lt(VF a, VF b) { return a < b; }
static inline MF vf_le(VF a, VF b) { return a <= b; }
static inline MF vf_eq(VF a, VF b) { return a == b; }
static inline MF mf_and(MF a, MF b) { return a & b; }
static inline MF mf_or(MF a, MF b) { return a | b; }
static inline MF mf_andnot(MF a, MF b) { return (!a) & b; } /* (not a) and b */
static inline int mf_any(MF m) { return m != 0; }
static inline VF vf_sel(MF m, VF a, VF b) { return m ? a : b; }
static inline VIF vf_as_i(VF v) { VIF i; memcpy(&i, &v, sizeof i); return i; }
static inline VF vi_as_f(VIF i) { VF v; memcpy(&v, &i, sizeof v); return v; }
static inline VIF vif_set1(uint32_t x) { return x; }
static inline VIF vif_add(VIF a, VIF b) { return a + b; }
static inline VIF vif_sub(VIF a, VIF b) { return a - b; }
static inline VIF vif_and(VIF a, VIF b) { return a & b; }
static inline VIF vif_or(VIF a, VIF b) { return a | b; }
#define vif_srl(a, k) ((VIF)((a) >> (k)))

static inline VD vd_load(const double *p) { return *p; }
static inline void vd_store(double *p, VD v) { *p = v; }
static inline VD vd_set1(double x) { return x; }
static inline VD vd_add(VD a, VD b) { return a + b; }
static inline VD vd_sub(VD a, VD b) { return a - b; }
static inline VD vd_mul(VD a, VD b) { return a * b; }
static inline VD vd_div(VD a, VD b) { return a / b; }
static inline VD vd_fma(VD a, VD b, VD c) { return fma(a, b, c); }
static inline VD vd_max(VD a, VD b) { return a > b ? a : b; }
static inline MD vd_lt(VD a, VD b) { return a < b; }
static inline MD vd_le(VD a, VD b) { return a <= b; }
static inline MD vd_eq(VD a, VD b) { return a == b; }
static inline MD md_and(MD a, MD b) { return a & b; }
static inline MD md_or(MD a, MD b) { return a | b; }
static inline MD md_andnot(MD a, MD b) { return (!a) & b; }
static inline int md_any(MD m) { return m != 0; }
static inline VD vd_sel(MD m, VD a, VD b) { return m ? a : b; }
static inline VID vd_as_i(VD v) { VID i; memcpy(&i, &v, sizeof i); return i; }
static inline VD vi_as_d(VID i) { VD v; memcpy(&v, &i, sizeof v); return v; }
static inline VID vid_set1(uint64_t x) { return x; }
static inline VID vid_add(VID a, VID b) { return a + b; }
static inline VID vid_sub(VID a, VID b) { return a - b; }
static inline VID vid_and(VID a, VID b) { return a & b; }
static inline VID vid_or(VID a, VID b) { return a | b; }
#define vid_srl(a, k) ((VID)((a) >> (k)))

/* float lanes -> double lanes; with one lane there is only a low half. */
static inline VD vf_widen_lo(VF v) { return (double)v; }

/* Unordered-true negated compares: NaN lanes count as "not in range". */
static inline MF vf_nge(VF a, VF b) { return !(a >= b); }
static inline MF vf_nle(VF a, VF b) { return !(a <= b); }
static inline int mf_all(MF m) { return m != 0; }
static inline MD vd_nge(VD a, VD b) { return !(a >= b); }
static inline MD vd_nle(VD a, VD b) { return !(a <= b); }
static inline int md_all(MD m) { return m != 0; }

/* Range check accumulators: any lane whose bits exceed those of 1.0 as an
 * unsigned integer may lie outside [0,1] (NaN, > 1, negative; -0.0 is the
 * one false alarm, which the exact scan clears). */
static inline VIF vf_range_acc(VIF acc, VF x) { VIF b = vf_as_i(x); return b > acc ? b : acc; }
static inline int vif_range_bad(VIF acc) { return acc > 0x3f800000u; }
static inline VID vd_range_acc(VID acc, VD x) { VID b = vd_as_i(x); return b > acc ? b : acc; }
static inline int vid_range_bad(VID acc) { return acc > 0x3ff0000000000000ull; }
#define vif_sll(a, k) ((VIF)((a) << (k)))
#define vid_sll(a, k) ((VID)((a) << (k)))

#ifdef XENT_BACKEND_SLEEF
#include <sleef.h>
#ifndef FP_FAST_FMA
/* sleef.h declares the purecfma functions only for FMA builds; they need an
 * FMA unit, which dispatch.c checks before offering scalar+sleef. */
float Sleef_finz_logf1_u10purecfma(float);
float Sleef_finz_log1pf1_u10purecfma(float);
double Sleef_finz_logd1_u10purecfma(double);
double Sleef_finz_log1pd1_u10purecfma(double);
float Sleef_finz_expf1_u10purecfma(float);
double Sleef_finz_expd1_u10purecfma(double);
#endif
#define vf_sleef_log(x) Sleef_finz_logf1_u10purecfma(x)
#define vf_sleef_log1p(x) Sleef_finz_log1pf1_u10purecfma(x)
#define vd_sleef_log(x) Sleef_finz_logd1_u10purecfma(x)
#define vd_sleef_log1p(x) Sleef_finz_log1pd1_u10purecfma(x)
#define vf_sleef_exp(x) Sleef_finz_expf1_u10purecfma(x)
#define vd_sleef_exp(x) Sleef_finz_expd1_u10purecfma(x)
#endif

#endif
