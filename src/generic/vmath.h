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
static inline VF vf_log_core(VF e, VF f)
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
    VF hi = vf_mul(e, vf_set1(0.693359375f)); /* 355/512: e*hi is exact */
    VF s = vf_add(hi, f);
    VF err = vf_add(vf_sub(hi, s), f);        /* |hi| >= |f| or hi = 0 */
    return vf_add(s, vf_add(t, err));
}

/* f64: fdlibm's log (s = f/(2+f), R(s^2) of degree 14), < 1 ulp. */
static inline VD vd_log_core(VD e, VD f)
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
    VD inner = vd_add(vd_mul(s, vd_add(hfsq, R)), vd_mul(e, vd_set1(1.90821492927058770002e-10)));
    return vd_sub(vd_mul(e, vd_set1(6.93147180369123816490e-01)),
                  vd_sub(vd_sub(hfsq, inner), f));
}
#endif

#include "generic/dtype_f32.h"
#include "generic/vmath_t.h"
#include "generic/dtype_end.h"
#include "generic/dtype_f64.h"
#include "generic/vmath_t.h"
#include "generic/dtype_end.h"

#endif
