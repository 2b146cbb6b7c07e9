/* Every variant of one log backend returns bitwise identical results for
 * the losses on logits, log-probabilities and probabilities and for the
 * math kernels: each own-log variant against "scalar", each +sleef
 * variant against "scalar+sleef" -- per-element terms, gradients (none,
 * sum, mean), sums and means, with and without gradient -- for
 * binary cross-entropy with logits, cross-entropy (index and probability
 * targets), nll, log_loss, exp, log_sigmoid and logsumexp; float32 and
 * float64; n = 0..64 and a few larger, k in {1, 2, 3, 7, 16, 17, 31, 100,
 * 1000}; aligned and misaligned, contiguous and strided rows; random
 * inputs with the edge logits +-1000, +-88, 0.  The "_special" cases add
 * +-inf and NaN and count any two NaNs as equal; the "_nan_bits" cases run
 * the same inputs and compare the NaNs' bits too (sign and payload), kept
 * apart so that a NaN sign difference does not hide the other checks. */
#include "xt.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

enum { XT_BW_BCEL = 0, XT_BW_CE = 1, XT_BW_PROB = 2, XT_BW_NLL = 3, XT_BW_LL = 4 };

#define T float
#define XT_SFX f32
#include "test_bitwise_losses_t.h"
#undef T
#undef XT_SFX

#define T double
#define XT_SFX f64
#include "test_bitwise_losses_t.h"
#undef T
#undef XT_SFX

int main(void)
{
    static const xt_case cases[] = {XT_BW_CASES(f32), XT_BW_CASES(f64)};
    /* every variant but the two references, each against its backend's reference */
    int failed = xt_run_per_variant("bitwise_losses", cases, sizeof cases / sizeof cases[0],
                                    XT_ALL | XT_NOT_REF);
    return failed ? 1 : 0;
}
