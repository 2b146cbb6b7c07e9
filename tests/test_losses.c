/* The losses on logits, log-probabilities and probabilities, per variant
 * (each test is named "case[variant]"), float32 and float64: binary
 * cross-entropy with logits, cross-entropy with index and probability
 * targets, nll and log_loss, against long double references of the
 * formulas of shared/semantics.md (sections 2-5) and the values stated
 * there -- never against the library's own output.  The tolerances are
 * derived in test_losses_t.h. */
#include "xt.h"

#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NOIDX ((size_t)-1)

static const xent_reduction xt_reds[3] = {XENT_REDUCTION_NONE, XENT_REDUCTION_SUM,
                                          XENT_REDUCTION_MEAN};

/* the three functions on rows of logits share their checks */
enum { XT_K_CE = 0, XT_K_PROB = 1, XT_K_NLL = 2 };
/* output buffers of the error cases */
enum { XT_EOUT = 64, XT_EGRAD = 512 };

/* got (a double result) within tol of ref; a NaN or infinite reference
 * must be matched in kind. */
static int near_d(double got, long double ref, long double tol)
{
    if (isnan(ref))
        return isnan(got);
    if (isinf(ref))
        return (long double)got == ref;
    if (!isfinite(got))
        return 0;
    return fabsl((long double)got - ref) <= tol;
}

#define T float
#define XT_SFX f32
#define XT_IS_F32 1
#include "test_losses_t.h"
#undef T
#undef XT_SFX
#undef XT_IS_F32

#define T double
#define XT_SFX f64
#define XT_IS_F32 0
#include "test_losses_t.h"
#undef T
#undef XT_SFX
#undef XT_IS_F32

int main(void)
{
    static const xt_case cases[] = {XT_LOSS_CASES(f32), XT_LOSS_CASES(f64)};
    int failed = xt_run_per_variant("losses", cases, sizeof cases / sizeof cases[0], XT_ALL);
    return failed ? 1 : 0;
}
