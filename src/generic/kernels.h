/* Instantiates every kernel of XENT_KERNELS for the ISA whose vec.h was
 * included first, as the table xent_kernels_<isa> (own log) or
 * xent_kernels_<isa>_sleef (XENT_BACKEND_SLEEF). */
#ifndef XENT_GENERIC_KERNELS_H
#define XENT_GENERIC_KERNELS_H

#include "internal.h"
#include "generic/vmath.h"
#include "generic/dd.h"

/* Blocks are a handful of vectors: unrolled, they stay in registers. */
#define XENT_UNROLL _Pragma("GCC unroll 16")

/* The canonical accumulator in registers: lane j of the block is lane j of
 * the xent_acc, whatever the register width.  float64 terms go straight
 * into TwoSum (double-double per lane).  float32 loss terms are exact in
 * double, so a row of them whose terms are all >= 0 is added into a plain
 * double partial per lane, XENT_F32_RUN rows at most (error at most 2^-47
 * of their sum), which then goes to TwoSum: the same compensated
 * accumulator for a fraction of the adds.  A row with a negative term goes
 * to TwoSum directly. */
#define NACC (XENT_LANES / VD_N)
#define XENT_F32_RUN 64 /* rows per float32 partial */
typedef struct vacc {
    VD s[NACC], c[NACC], part[NACC];
    unsigned blocks; /* float32 rows in part since the last flush */
} vacc;

static inline void vacc_load(vacc *v, const xent_acc *a)
{
    XENT_UNROLL for (int j = 0; j < NACC; j++) {
        v->s[j] = vd_load(a->s + j * VD_N);
        v->c[j] = vd_load(a->c + j * VD_N);
        v->part[j] = vd_set1(0);
    }
    v->blocks = 0;
}

/* TwoSum (Knuth): s + x = t + e exactly; the errors collect in c. */
static inline void vacc_add(vacc *v, int j, VD x)
{
    VD t = vd_add(v->s[j], x);
    VD bp = vd_sub(t, v->s[j]);
    VD e = vd_add(vd_sub(v->s[j], vd_sub(t, bp)), vd_sub(x, bp));
    v->s[j] = t;
    v->c[j] = vd_add(v->c[j], e);
}

static inline void vacc_flush(vacc *v)
{
    XENT_UNROLL for (int j = 0; j < NACC; j++) {
        vacc_add(v, j, v->part[j]);
        v->part[j] = vd_set1(0);
    }
    v->blocks = 0;
}

static inline void vacc_store(vacc *v, xent_acc *a)
{
    vacc_flush(v);
    XENT_UNROLL for (int j = 0; j < NACC; j++) {
        vd_store(a->s + j * VD_N, v->s[j]);
        vd_store(a->c + j * VD_N, v->c[j]);
    }
}

/* Vector u of a block of float terms covers lanes [u*VF_N, (u+1)*VF_N). */
static inline void vacc_add_f32(vacc *v, int u, VF t)
{
#if VF_N == VD_N
    v->part[u] = vd_add(v->part[u], vf_widen_lo(t));
#else
    v->part[2 * u] = vd_add(v->part[2 * u], vf_widen_lo(t));
    v->part[2 * u + 1] = vd_add(v->part[2 * u + 1], vf_widen_hi(t));
#endif
}
static inline void vacc_block_f32(vacc *v)
{
    v->blocks += XENT_ROWS; /* XENT_ROWS divides XENT_F32_RUN */
    if (v->blocks == XENT_F32_RUN) vacc_flush(v);
}

/* TwoSum for each float term, for rows that hold a negative term (the run's
 * plain adds are only accurate relative to a sum of like-signed terms) and
 * for xent_sum_f32. */
static inline void vacc_add_exact_f32(vacc *v, int u, VF t)
{
#if VF_N == VD_N
    vacc_add(v, u, vf_widen_lo(t));
#else
    vacc_add(v, 2 * u, vf_widen_lo(t));
    vacc_add(v, 2 * u + 1, vf_widen_hi(t));
#endif
}
enum { vacc_runs_f32 = 1, vacc_runs_f64 = 0 };

static inline void vacc_add_f64(vacc *v, int u, VD t) { vacc_add(v, u, t); }
static inline void vacc_add_exact_f64(vacc *v, int u, VD t) { vacc_add(v, u, t); }
static inline void vacc_block_f64(vacc *v) { (void)v; }

/* Double lanes of one canonical 16-lane step (row kernels): vector q of a
 * step of T covers lanes [q*TN, (q+1)*TN), whatever the register width. */
#if VF_N == VD_N
#define XENT_DL_F32(a, q, op, v) a[q] = op(a[q], vf_widen_lo(v))
#define XENT_DL_F32_PROD(a, q, x, y) a[q] = vd_add(a[q], vd_mul(vf_widen_lo(x), vf_widen_lo(y)))
#else
#define XENT_DL_F32(a, q, op, v)                                                 \
    do {                                                                         \
        a[2 * (q)] = op(a[2 * (q)], vf_widen_lo(v));                             \
        a[2 * (q) + 1] = op(a[2 * (q) + 1], vf_widen_hi(v));                     \
    } while (0)
#define XENT_DL_F32_PROD(a, q, x, y)                                             \
    do {                                                                         \
        a[2 * (q)] = vd_add(a[2 * (q)], vd_mul(vf_widen_lo(x), vf_widen_lo(y))); \
        a[2 * (q) + 1] = vd_add(a[2 * (q) + 1], vd_mul(vf_widen_hi(x), vf_widen_hi(y))); \
    } while (0)
#endif
static inline void dl_add_f32(VD *a, int q, VF v) { XENT_DL_F32(a, q, vd_add, v); }
/* float products are exact in double */
static inline void dl_addprod_f32(VD *a, int q, VF x, VF y) { XENT_DL_F32_PROD(a, q, x, y); }
static inline void dl_add_f64(VD *a, int q, VD v) { a[q] = vd_add(a[q], v); }
static inline void dl_addprod_f64(VD *a, int q, VD x, VD y) { a[q] = vd_add(a[q], vd_mul(x, y)); }

/* r, rl (a sum and its low part) times e + el, the low parts' product
 * dropped: r e into r, rl e + r el into rl. */
#if VF_N == VD_N
static inline void dl_scale2_f32(VD *r, VD *rl, int q, VF e, VF el)
{
    const VD eh = vf_widen_lo(e), elh = vf_widen_lo(el), r0 = r[q];
    r[q] = vd_mul(r0, eh);
    rl[q] = vd_fma(r0, elh, vd_mul(rl[q], eh));
}
#else
static inline void dl_scale2_f32(VD *r, VD *rl, int q, VF e, VF el)
{
    const VD eh[2] = {vf_widen_lo(e), vf_widen_hi(e)}, elh[2] = {vf_widen_lo(el), vf_widen_hi(el)};
    for (int h = 0; h < 2; h++) {
        const VD r0 = r[2 * q + h];
        r[2 * q + h] = vd_mul(r0, eh[h]);
        rl[2 * q + h] = vd_fma(r0, elh[h], vd_mul(rl[2 * q + h], eh[h]));
    }
}
#endif
static inline void dl_scale2_f64(VD *r, VD *rl, int q, VD e, VD el)
{
    /* float64: the product's rounding error (fma) joins rl as well */
    const VD r0 = r[q], p = vd_mul(r0, e), perr = vd_fma(r0, e, vd_sub(vd_set1(0), p));
    r[q] = p;
    rl[q] = vd_add(vd_fma(r0, el, vd_mul(rl[q], e)), perr);
}

/* float32 row terms e^x with x < T_WIDE_LO (-80): their low parts (and
 * below -87.3 the terms themselves) would fall into float's subnormals and
 * lose the bits a 1e-38 loss needs, so such lanes are computed in double
 * (x = xh + xl exactly) and go straight into the double lanes: added to r
 * (dl_addw_f32) or as the rescale factor (dl_scalew_f32), the others
 * exactly as dl_add2 / dl_scale2 treat them.  Below -104, 0. */
#if VF_N == VD_N
#define XENT_DLH 1
static inline void widen2_f32(VF v, VD *o) { o[0] = vf_widen_lo(v); }
#else
#define XENT_DLH 2
static inline void widen2_f32(VF v, VD *o) { o[0] = vf_widen_lo(v), o[1] = vf_widen_hi(v); }
#endif
static inline VD exp_wide_half_f32(VD xh, VD xl, MD *in)
{
    *in = vd_lt(xh, vd_set1(-80.0));
    const MD gone = vd_lt(xh, vd_set1(-104.0)); /* also -inf; NaN is in neither */
    return vd_sel(gone, vd_set1(0), vd_exp(vd_add(xh, xl)));
}
static inline void dl_addw_f32(VD *r, int q, VF xh, VF xl)
{
    VD h[2], l[2];
    widen2_f32(xh, h), widen2_f32(xl, l);
    for (int j = 0; j < XENT_DLH; j++) {
        MD in;
        const VD w = exp_wide_half_f32(h[j], l[j], &in);
        r[XENT_DLH * q + j] = vd_add(r[XENT_DLH * q + j], vd_sel(in, w, vd_set1(0)));
    }
}
static inline void dl_scalew_f32(VD *r, VD *rl, int q, VF e, VF el, VF xh, VF xl)
{
    VD eh[2], elh[2], h[2], l[2];
    widen2_f32(e, eh), widen2_f32(el, elh), widen2_f32(xh, h), widen2_f32(xl, l);
    for (int j = 0; j < XENT_DLH; j++) {
        MD in;
        const VD w = exp_wide_half_f32(h[j], l[j], &in);
        const VD f = vd_sel(in, w, eh[j]), fl = vd_sel(in, vd_set1(0), elh[j]), r0 = r[XENT_DLH * q + j];
        r[XENT_DLH * q + j] = vd_mul(r0, f);
        rl[XENT_DLH * q + j] = vd_fma(r0, fl, vd_mul(rl[XENT_DLH * q + j], f));
    }
}

/* e + lo into the sum r and its low part rl: float32 terms in plain double
 * adds (2^-53 per add is far below float32's rounding), float64 terms by
 * TwoSum, the error joining rl. */
static inline void dl_add2_f32(VD *r, VF *rl, int q, VF e, VF lo)
{
    dl_add_f32(r, q, e);
    rl[q] = vf_add(rl[q], lo); /* low parts ~2^-24 of the terms: a float sum is plenty */
}
static inline void dl_add2_f64(VD *r, VD *rl, int q, VD e, VD lo)
{
    const VD a = r[q], s = vd_add(a, e), bp = vd_sub(s, a);
    const VD err = vd_add(vd_sub(a, vd_sub(s, bp)), vd_sub(e, bp));
    r[q] = s;
    rl[q] = vd_add(rl[q], vd_add(lo, err));
}

/* The 16 lanes of r + rl folded pairwise (the order of dl_sum) into
 * hi + *lo, the high parts by TwoSum (a short dependency chain). */
static inline double dl_sum2(const VD *r, const VD *rl, double *lo)
{
    double b[XENT_LANES], c[XENT_LANES];
    for (int j = 0; j < NACC; j++) vd_store(b + j * VD_N, r[j]), vd_store(c + j * VD_N, rl[j]);
    for (int w = 1; w < XENT_LANES; w *= 2)
        for (int j = 0; j < XENT_LANES; j += 2 * w) {
            const double s = b[j] + b[j + w], bp = s - b[j];
            c[j] = (c[j] + c[j + w]) + ((b[j] - (s - bp)) + (b[j + w] - bp));
            b[j] = s;
        }
    *lo = c[0];
    return b[0];
}

/* The 16 double lanes summed in one fixed pairwise order. */
static inline double dl_sum(const VD *a)
{
    double b[XENT_LANES];
    for (int j = 0; j < NACC; j++) vd_store(b + j * VD_N, a[j]);
    for (int w = 1; w < XENT_LANES; w *= 2)
        for (int j = 0; j < XENT_LANES; j += 2 * w) b[j] += b[j + w];
    return b[0];
}

#include "generic/dtype_f32.h"
#include "generic/kernels_t.h"
#include "generic/dtype_end.h"
#include "generic/dtype_f64.h"
#include "generic/kernels_t.h"
#include "generic/dtype_end.h"

#define XENT_CAT_(a, b) a##b
#define XENT_CAT(a, b) XENT_CAT_(a, b)
#ifdef XENT_BACKEND_SLEEF
#define XENT_TABLE XENT_CAT(XENT_CAT(xent_kernels_, XENT_ISA), _sleef)
#define XENT_TABLE_NAME XENT_ISA_NAME "+sleef"
#else
#define XENT_TABLE XENT_CAT(xent_kernels_, XENT_ISA)
#define XENT_TABLE_NAME XENT_ISA_NAME
#endif

#define XENT_KERNEL_INIT(name, ret, params) .name = name,
const xent_kernels XENT_TABLE = {
    .name = XENT_TABLE_NAME,
    XENT_KERNELS(XENT_KERNEL_INIT)
};
#undef XENT_KERNEL_INIT

#endif
