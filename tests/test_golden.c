/* The fast subset of the accuracy evaluator (eval/), label unit:
 *
 *  - hashes[variant]: every case of tests/golden_cases.h (each math kernel
 *    and loss, float32 and float64: per-element outputs, sums, means and
 *    gradients over a fixed seeded input set with edges) is hashed in the
 *    variant and compared with the golden values in tests/golden.h, which
 *    the reference variant of each log backend produced once ("scalar" for
 *    the own backend, "scalar+sleef" for SLEEF).  A change that alters one
 *    bit of one result in any variant fails here, on x86 and under qemu for
 *    neon / neon+sleef.
 *  - ulp_sweep[variant]: a sampled sweep (2^17 points per kernel natively,
 *    2^13 under qemu or the sanitizers) of log, log(1 - p), exp and
 *    log-sigmoid, float32 and float64, against long double references
 *    (x86: 64-bit significand, 2^-11 of a double ulp; AArch64: IEEE quad),
 *    own-log variants within 1 ulp (float64: 1 ulp + 2^-9 for the
 *    reference's own error), +sleef within 2 ulp.  No MPFR here, so the
 *    AArch64 cross build runs it too; the exhaustive and MPFR-checked figures
 *    are the evaluator's (`cmake --build <dir> --target accuracy`).
 *
 * Regenerate the golden values (only when a result is meant to change, and
 * say so in the commit):  <build>/tests/test_golden --write-golden > tests/golden.h */
#include "xt.h"

#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "golden_cases.h"
#include "golden.h"

#if defined(XT_SANITIZE) || defined(XT_EMULATED)
#define GT_SAMPLES (1u << 13)
#else
#define GT_SAMPLES (1u << 17)
#endif

static void hashes(const char *variant)
{
    const uint64_t *gold = xt_is_sleef(variant) ? golden_sleef : golden_own;
    int bad = 0;
    for (int c = 0; c < GC_NCASES; c++) {
        uint64_t h = gc_hash_case(c);
        printf("  [%s] hash %s_%s %016llx\n", variant, gc_case_name(c), gc_case_dtype(c),
               (unsigned long long)h);
        if (h != gold[c]) {
            printf("  [%s] %s_%s: hash %016llx, golden (%s) %016llx\n", variant, gc_case_name(c),
                   gc_case_dtype(c), (unsigned long long)h, xt_reference_of(variant),
                   (unsigned long long)gold[c]);
            bad++;
        }
    }
    if (bad)
        fail_msg("[%s] %d of %d hashes differ from the golden values of %s", variant, bad,
                 GC_NCASES, xt_reference_of(variant));
}

/* ---- sampled ulp sweep ------------------------------------------------- */

enum { K_LOG, K_LOG1M, K_EXP, K_LOGSIG, K_COUNT };
static const char *const k_names[K_COUNT] = {"log_clamped", "log1m_clamped", "exp", "log_sigmoid"};

static long double ref_of(int k, long double x)
{
    switch (k) {
    case K_LOG: return xt_ref_logc(x);
    case K_LOG1M: return xt_ref_log1mc(x);
    case K_EXP: return expl(x);
    default: return xt_ref_log_sigmoid(x);
    }
}

/* |got - ref| in ulps of ref, an infinite result (and an exact value past
 * the range) counting as 2^(emax+1), so that rounding to inf just past the
 * largest finite number is <= 1 ulp. */
static double err_of(int f32, double got, long double ref)
{
    const long double big = f32 ? 0x1p128L : 0x1p1024L;
    if (isnan(got) || isnan(ref))
        return isnan(got) && isnan(ref) ? 0.0 : 1e300;
    if (isinf(ref) && got == ref)
        return 0.0;
    long double g = isinf(got) ? copysignl(big, got) : (long double)got;
    long double r = fabsl(ref) > big ? copysignl(big, ref) : ref; /* rounds to inf */
    long double u = f32 ? xt_ulp_f32(r) : xt_ulp_f64(r);
    return (double)(fabsl(g - r) / u);
}

static double sample(uint64_t *s, int k, int f32)
{
    uint64_t u = gc_next(s);
    if (k == K_LOG || k == K_LOG1M)
        return gc_prob(s, f32, 1000);
    if (f32) {
        uint32_t b = (uint32_t)(u >> 32);
        if (k == K_EXP) /* |x| < 128: past that every result is 0 or inf */
            b = (b & 0x80000000u) | (b & 0x7fffffffu) % 0x43000000u;
        else
            b = (b & 0x80000000u) | (b & 0x7fffffffu) % 0x7f800000u;
        return (double)gc_f32_bits(b);
    }
    uint64_t b = u;
    if (k == K_EXP)
        b = (b & 0x8000000000000000ull) | (b & 0x7fffffffffffffffull) % 0x4090000000000000ull;
    else
        b = (b & 0x8000000000000000ull) | (b & 0x7fffffffffffffffull) % 0x7ff0000000000000ull;
    return gc_f64_bits(b);
}

static void ulp_sweep(const char *variant)
{
    const int sleef = xt_is_sleef(variant);
    const size_t n = GT_SAMPLES;
    double *x = xt_alloc(n * sizeof(double)), *o = xt_alloc(n * sizeof(double));
    float *xf = xt_alloc(n * sizeof(float)), *of = xt_alloc(n * sizeof(float));
    int failed = 0;
    for (int f32 = 1; f32 >= 0; f32--)
        for (int k = 0; k < K_COUNT; k++) {
            uint64_t s = 0xacc0000u + (uint64_t)k * 31u + (uint64_t)f32;
            for (size_t i = 0; i < n; i++) {
                x[i] = sample(&s, k, f32);
                xf[i] = (float)x[i];
            }
            xent_status st = XENT_OK;
            size_t bad;
            if (f32) {
                switch (k) {
                case K_LOG: st = xent_log_clamped_f32(xf, n, of, &bad); break;
                case K_LOG1M: st = xent_log1m_clamped_f32(xf, n, of, &bad); break;
                case K_EXP: st = xent_exp_f32(xf, n, of); break;
                default: st = xent_log_sigmoid_f32(xf, n, of); break;
                }
            } else {
                switch (k) {
                case K_LOG: st = xent_log_clamped_f64(x, n, o, &bad); break;
                case K_LOG1M: st = xent_log1m_clamped_f64(x, n, o, &bad); break;
                case K_EXP: st = xent_exp_f64(x, n, o); break;
                default: st = xent_log_sigmoid_f64(x, n, o); break;
                }
            }
            assert_int_equal(st, XENT_OK);
            double worst = 0, at = 0;
            for (size_t i = 0; i < n; i++) {
                double got = f32 ? (double)of[i] : o[i];
                double e = err_of(f32, got, ref_of(k, (long double)x[i]));
                if (!(e <= worst)) {
                    worst = e;
                    at = x[i];
                }
            }
            const double bound = sleef ? 2.0 : f32 ? 1.0 : 1.0 + 0x1p-9;
            printf("  [%s] %s_%s: max %.4f ulp at %a over %zu samples (bound %.3f)\n", variant,
                   k_names[k], f32 ? "f32" : "f64", worst, at, n, bound);
            if (!(worst <= bound))
                failed++;
        }
    xt_free(x);
    xt_free(o);
    xt_free(xf);
    xt_free(of);
    if (failed)
        fail_msg("[%s] %d kernels above their ulp bound", variant, failed);
}

/* The golden file, from the reference variant of each backend. */
static int write_golden(void)
{
    static const char *const refs[2] = {"scalar", "scalar+sleef"};
    uint64_t h[2][GC_NCASES];
    for (int b = 0; b < 2; b++) {
        if (xent_set_variant(refs[b]) != XENT_OK) {
            fprintf(stderr, "test_golden: cannot select %s\n", refs[b]);
            return 1;
        }
        for (int c = 0; c < GC_NCASES; c++)
            h[b][c] = gc_hash_case(c);
    }
    printf("/* Golden hashes of the cases in tests/golden_cases.h: 64-bit FNV-1a over\n"
           " * each case's statuses, outputs, sums, means and gradients, computed once\n"
           " * by the reference variant of each log backend (own: \"scalar\", SLEEF:\n"
           " * \"scalar+sleef\").  Every variant of a backend must reproduce them.\n"
           " * GENERATED, do not edit; regenerate (only for an intended change):\n"
           " *   <build>/tests/test_golden --write-golden > tests/golden.h */\n"
           "#ifndef XENT_GOLDEN_H\n#define XENT_GOLDEN_H\n\n#include <stdint.h>\n\n");
    for (int b = 0; b < 2; b++) {
        printf("static const uint64_t golden_%s[%d] = {\n", b ? "sleef" : "own", GC_NCASES);
        for (int c = 0; c < GC_NCASES; c++)
            printf("    0x%016llxull, /* %s_%s */\n", (unsigned long long)h[b][c], gc_case_name(c),
                   gc_case_dtype(c));
        printf("};\n\n");
    }
    printf("#endif\n");
    return 0;
}

int main(int argc, char **argv)
{
    if (argc > 1 && strcmp(argv[1], "--write-golden") == 0)
        return write_golden();
    static const xt_case cases[] = {
        {"hashes", hashes},
        {"ulp_sweep", ulp_sweep},
    };
    return xt_run_per_variant("golden", cases, sizeof cases / sizeof cases[0], XT_ALL) ? 1 : 0;
}
