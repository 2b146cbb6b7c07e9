/* Every variant of one log backend returns bitwise identical results:
 * each own-log variant against "scalar", each +sleef variant against
 * "scalar+sleef" -- per-element terms, sums, means, gradients, the log
 * kernels and xent_sum, float32 and float64, lengths 0..300 (and a few
 * long ones), aligned and misaligned, with and without weights. */
#include "xt.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#define T float
#define XT_SFX f32
#include "test_bitwise_t.h"
#undef T
#undef XT_SFX

#define T double
#define XT_SFX f64
#include "test_bitwise_t.h"
#undef T
#undef XT_SFX

int main(void)
{
    static const xt_case cases[] = {
        {"bce_f32_bitwise", bce_bitwise_f32},   {"bce_f64_bitwise", bce_bitwise_f64},
        {"log_f32_bitwise", logk_bitwise_f32},  {"log_f64_bitwise", logk_bitwise_f64},
        {"sum_f32_bitwise", sum_bitwise_f32},   {"sum_f64_bitwise", sum_bitwise_f64},
    };
    /* every variant but the two references, each against its backend's reference */
    int failed = xt_run_per_variant("bitwise", cases, sizeof cases / sizeof cases[0],
                                    XT_ALL | XT_NOT_REF);
    return failed ? 1 : 0;
}
