/* Our vectorised logs, fused with torch's clamp at -100, for float32 and
 * float64, generic over the vector interface of the including ISA (vec.h).
 * Only correctly rounded operations are used, so every ISA returns the same
 * bits.  With XENT_BACKEND_SLEEF the same functions call SLEEF instead. */
#ifndef XENT_GENERIC_VMATH_H
#define XENT_GENERIC_VMATH_H

#ifndef XENT_BACKEND_SLEEF
/* log(2^e (1 + f)) for f = m - 1, m in [sqrt(1/2), sqrt(2)), f exact.
 * f32: log1p(f) = f - f^2/2 + f^3 P(f) (Cephes logf's minimax P, evaluated
 * by Estrin's scheme for a short dependency chain), and e*ln2_hi + f is
 * summed with its rounding error carried (Fast2Sum), so the result stays
 * under 1 ulp.  Worst error over every float in [0, 1] (exhaustive,
 * tests/test_accuracy.c): see the README's accuracy table. */
static inline VF vf_log_core_c(VF e, VF f, VF c, const int has_c)
{
    VF z = vf_mul(f, f), z2 = vf_mul(z, z);
    VF q01 = vf_fma(vf_set1(-2.4999993993e-1f), f, vf_set1(3.3333331174e-1f));
    VF q23 = vf_fma(vf_set1(-1.6668057665e-1f), f, vf_set1(2.0000714765e-1f));
    VF q45 = vf_fma(vf_set1(-1.2420140846e-1f), f, vf_set1(1.4249322787e-1f));
    VF q67 = vf_fma(vf_set1(-1.1514610310e-1f), f, vf_set1(1.1676998740e-1f));
    VF r03 = vf_fma(q23, z, q01);
    VF r47 = vf_fma(q67, z, q45);
    r47 = vf_fma(vf_set1(7.0376836292e-2f), z2, r47);
    VF P = vf_fma(r47, z2, r03);
    /* tail = e ln2_lo - f^2/2 + f^3 P; ln2_lo = ln2 - 355/512 */
    VF t = vf_fma(e, vf_set1(-2.12194440e-4f), vf_mul(z, vf_set1(-0.5f)));
    t = vf_fma(vf_mul(z, f), P, t);
    if (has_c) t = vf_add(t, c); /* log(x(1 + c)) = log x + c, |c| tiny */
    VF hi = vf_mul(e, vf_set1(0.693359375f)); /* 355/512: e*hi is exact */
    VF s = vf_add(hi, f);
    VF err = vf_add(vf_sub(hi, s), f);        /* |hi| >= |f| or hi = 0 */
    return vf_add(s, vf_add(t, err));
}

/* f64: fdlibm's log (s = f/(2+f), R(s^2) of degree 14), < 1 ulp. */
static inline VD vd_log_core_c(VD e, VD f, VD c, const int has_c)
{
    VD s = vd_div(f, vd_add(vd_set1(2.0), f));
    VD z = vd_mul(s, s);
    VD w = vd_mul(z, z);
    VD t1 = vd_mul(w, vd_add(vd_set1(3.999999999940941908e-01),
                    vd_mul(w, vd_add(vd_set1(2.222219843214978396e-01),
                                     vd_mul(w, vd_set1(1.531383769920937332e-01))))));
    VD t2 = vd_mul(z, vd_add(vd_set1(6.666666666666735130e-01),
                    vd_mul(w, vd_add(vd_set1(2.857142874366239149e-01),
                              vd_mul(w, vd_add(vd_set1(1.818357216161805012e-01),
                                               vd_mul(w, vd_set1(1.479819860511658591e-01))))))));
    VD R = vd_add(t2, t1);
    VD hfsq = vd_mul(vd_mul(vd_set1(0.5), f), f);
    VD lo = vd_mul(e, vd_set1(1.90821492927058770002e-10));
    if (has_c) lo = vd_add(lo, c); /* as fdlibm's log1p */
    VD inner = vd_add(vd_mul(s, vd_add(hfsq, R)), lo);
    return vd_sub(vd_mul(e, vd_set1(6.93147180369123816490e-01)),
                  vd_sub(vd_sub(hfsq, inner), f));
}
static inline VF vf_log_core(VF e, VF f) { return vf_log_core_c(e, f, f, 0); }
static inline VD vd_log_core(VD e, VD f) { return vd_log_core_c(e, f, f, 0); }

/* exp(r) - 1 = r + r^2 P(r) for |r| <= ln2/2: P.  f32: Cephes expf's
 * (degree 5); f64: Taylor to degree 13 (truncation below 2^-57 relative). */
static inline VF vf_exp_P(VF r)
{
    VF P = vf_fma(vf_set1(1.9875691500e-4f), r, vf_set1(1.3981999507e-3f));
    P = vf_fma(P, r, vf_set1(8.3334519073e-3f));
    P = vf_fma(P, r, vf_set1(4.1665795894e-2f));
    P = vf_fma(P, r, vf_set1(1.6666665459e-1f));
    return vf_fma(P, r, vf_set1(5.0000001201e-1f));
}
static inline VD vd_exp_P(VD r)
{
    VD z = vd_mul(r, r);
    /* Estrin in pairs: P = sum_{j=0..11} r^j / (j+2)! */
    VD a0 = vd_fma(vd_set1(1.0 / 6), r, vd_set1(1.0 / 2));
    VD a1 = vd_fma(vd_set1(1.0 / 120), r, vd_set1(1.0 / 24));
    VD a2 = vd_fma(vd_set1(1.0 / 5040), r, vd_set1(1.0 / 720));
    VD a3 = vd_fma(vd_set1(1.0 / 362880), r, vd_set1(1.0 / 40320));
    VD a4 = vd_fma(vd_set1(1.0 / 39916800), r, vd_set1(1.0 / 3628800));
    VD a5 = vd_fma(vd_set1(1.0 / 6227020800.0), r, vd_set1(1.0 / 479001600));
    VD z2 = vd_mul(z, z);
    VD b0 = vd_fma(a1, z, a0), b1 = vd_fma(a3, z, a2), b2 = vd_fma(a5, z, a4);
    return vd_fma(vd_fma(b2, z2, b1), z2, b0);
}

/* log(2^e (1 + f)) (1 + c) as an unrounded pair hi + *tail, e in {0, 1}
 * (|f| <= e ln2 or e = 0: the Fast2Sum below is exact): the same cores
 * with the last addition left to the caller, who adds the pair to another
 * term with one rounding in all. */
static inline VF vf_log_pair(VF e, VF f, VF c, VF *tail)
{
    VF z = vf_mul(f, f), z2 = vf_mul(z, z);
    VF q01 = vf_fma(vf_set1(-2.4999993993e-1f), f, vf_set1(3.3333331174e-1f));
    VF q23 = vf_fma(vf_set1(-1.6668057665e-1f), f, vf_set1(2.0000714765e-1f));
    VF q45 = vf_fma(vf_set1(-1.2420140846e-1f), f, vf_set1(1.4249322787e-1f));
    VF q67 = vf_fma(vf_set1(-1.1514610310e-1f), f, vf_set1(1.1676998740e-1f));
    VF r03 = vf_fma(q23, z, q01);
    VF r47 = vf_fma(q67, z, q45);
    r47 = vf_fma(vf_set1(7.0376836292e-2f), z2, r47);
    VF P = vf_fma(r47, z2, r03);
    /* f^2/2 exactly (z + zl), so that the pair's only roundings are those
     * of the small terms: hi + f and then - z/2, each by Fast2Sum (|f| >=
     * f^2/2, and |e ln2 + f| >= 0.28 > f^2/2 when e = 1) */
    VF h = vf_mul(z, vf_set1(-0.5f)), hl = vf_mul(vf_fma(f, f, vf_sub(vf_set1(0), z)), vf_set1(-0.5f));
    VF t = vf_fma(e, vf_set1(-2.12194440e-4f), hl);
    t = vf_add(vf_fma(vf_mul(z, f), P, t), c);
    VF hi = vf_mul(e, vf_set1(0.693359375f));
    VF s = vf_add(hi, f);
    VF e1 = vf_add(vf_sub(hi, s), f);
    VF s2 = vf_add(s, h);
    VF e2 = vf_add(vf_sub(s, s2), h);
    *tail = vf_add(t, vf_add(e1, e2));
    return s2;
}
static inline VD vd_log_pair(VD e, VD f, VD c, VD *tail)
{
    VD s = vd_div(f, vd_add(vd_set1(2.0), f));
    VD z = vd_mul(s, s);
    VD w = vd_mul(z, z);
    VD t1 = vd_mul(w, vd_add(vd_set1(3.999999999940941908e-01),
                    vd_mul(w, vd_add(vd_set1(2.222219843214978396e-01),
                                     vd_mul(w, vd_set1(1.531383769920937332e-01))))));
    VD t2 = vd_mul(z, vd_add(vd_set1(6.666666666666735130e-01),
                    vd_mul(w, vd_add(vd_set1(2.857142874366239149e-01),
                              vd_mul(w, vd_add(vd_set1(1.818357216161805012e-01),
                                               vd_mul(w, vd_set1(1.479819860511658591e-01))))))));
    VD R = vd_add(t2, t1);
    /* f^2/2 = hfsq + hfl exactly; log1p(f) = f - hfsq + (s (hfsq + R) - hfl),
     * with hi + f and then - hfsq each by Fast2Sum (as in vf_log_pair) */
    VD hf = vd_mul(vd_set1(0.5), f);
    VD hfsq = vd_mul(hf, f), hfl = vd_fma(hf, f, vd_sub(vd_set1(0), hfsq));
    VD lo = vd_add(vd_mul(e, vd_set1(1.90821492927058770002e-10)), c);
    VD small = vd_sub(vd_add(vd_mul(s, vd_add(hfsq, R)), lo), hfl);
    VD hi = vd_mul(e, vd_set1(6.93147180369123816490e-01));
    VD sum = vd_add(hi, f);
    VD e1 = vd_add(vd_sub(hi, sum), f);
    VD sum2 = vd_sub(sum, hfsq);
    VD e2 = vd_sub(vd_sub(sum, sum2), hfsq);
    *tail = vd_add(small, vd_add(e1, e2));
    return sum2;
}
#endif

#include "generic/dtype_f32.h"
#include "generic/vmath_t.h"
#include "generic/dtype_end.h"
#include "generic/dtype_f64.h"
#include "generic/vmath_t.h"
#include "generic/dtype_end.h"

#endif
