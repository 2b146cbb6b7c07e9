/* Compensated summation.  The sum and mean that xent_bce_* return are
 * compared with the EXACT sum of the per-element terms it computes (got
 * through reduction none, summed with an exact fixed-point accumulator):
 * the error the reduction adds must stay below 2^-52 relative whatever n.
 * xent_sum_f32/f64 are checked on adversarial inputs against exact sums. */
#include "xt.h"

#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define XT_REL 0x1p-52L
#define XT_CHUNK ((size_t)1 << 20)

/* n for the large single-variant run: 10^8 normally; smaller where every
 * instruction is slowed down (sanitizers, qemu). */
#if defined(XT_SANITIZE)
#define XT_BIG_N ((size_t)4000000)
#elif defined(XT_EMULATED)
#define XT_BIG_N ((size_t)10000000)
#else
#define XT_BIG_N ((size_t)100000000)
#endif

/* The exact sum of the terms of reduction none, computed chunk by chunk
 * (a term depends only on its own element). */
static long double exact_terms_f32(const float *p, const float *y, const float *w, size_t n,
                                   long double *abs_sum)
{
    float *out = xt_alloc(XT_CHUNK * sizeof(float));
    xt_exact acc, acc_abs;
    xt_exact_init(&acc);
    xt_exact_init(&acc_abs);
    for (size_t i = 0; i < n; i += XT_CHUNK) {
        size_t m = n - i < XT_CHUNK ? n - i : XT_CHUNK;
        assert_int_equal(xent_bce_f32(p + i, y + i, w ? w + i : NULL, m, XENT_REDUCTION_NONE, 0,
                                      NULL, out, NULL, NULL), XENT_OK);
        for (size_t j = 0; j < m; j++) {
            xt_exact_add(&acc, out[j]);
            xt_exact_add(&acc_abs, fabs((double)out[j]));
        }
    }
    xt_free(out);
    *abs_sum = xt_exact_value(&acc_abs);
    return xt_exact_value(&acc);
}

static long double exact_terms_f64(const double *p, const double *y, const double *w, size_t n,
                                   long double *abs_sum)
{
    double *out = xt_alloc(XT_CHUNK * sizeof(double));
    xt_exact acc, acc_abs;
    xt_exact_init(&acc);
    xt_exact_init(&acc_abs);
    for (size_t i = 0; i < n; i += XT_CHUNK) {
        size_t m = n - i < XT_CHUNK ? n - i : XT_CHUNK;
        assert_int_equal(xent_bce_f64(p + i, y + i, w ? w + i : NULL, m, XENT_REDUCTION_NONE, 0,
                                      NULL, out, NULL, NULL), XENT_OK);
        for (size_t j = 0; j < m; j++) {
            xt_exact_add(&acc, out[j]);
            xt_exact_add(&acc_abs, fabs(out[j]));
        }
    }
    xt_free(out);
    *abs_sum = xt_exact_value(&acc_abs);
    return xt_exact_value(&acc);
}

static void check_rel(const char *what, const char *variant, size_t n, double got,
                      long double exact, long double scale, long double bound)
{
    long double err = fabsl((long double)got - exact);
    if (err > bound * scale)
        fail_msg("%s [%s] n=%zu: got %.17g, exact %.21Lg, relative error %.3Lg > %.3Lg", what,
                 variant, n, got, exact, scale > 0 ? err / scale : err, bound);
    printf("    %s [%s] n=%zu: relative error %.3Lg (2^%.1f)\n", what, variant, n,
           scale > 0 ? err / scale : err,
           err > 0 && scale > 0 ? (double)log2l(err / scale) : -INFINITY);
}

/* ---- BCE sums: float32 ------------------------------------------------ */

static void bce_sum_f32_n(const char *variant, size_t n, int separate_target, int weighted)
{
    xt_rng rng = {n ^ 0xabcdefu};
    float *p = xt_alloc(n * sizeof(float));
    float *y = separate_target ? xt_alloc(n * sizeof(float)) : p; /* y = p: entropy terms */
    float *w = weighted ? xt_alloc(n * sizeof(float)) : NULL;
    for (size_t i = 0; i < n; i++) {
        p[i] = xt_prob_f32(&rng);
        if (separate_target)
            y[i] = xt_target_f32(&rng);
        if (weighted)
            w[i] = xt_weight_f32(&rng);
    }
    long double absum, exact = exact_terms_f32(p, y, w, n, &absum);
    double s = 0, m = 0;
    assert_int_equal(xent_bce_f32(p, y, w, n, XENT_REDUCTION_SUM, 0, &s, NULL, NULL, NULL), XENT_OK);
    assert_int_equal(xent_bce_f32(p, y, w, n, XENT_REDUCTION_MEAN, 0, &m, NULL, NULL, NULL),
                     XENT_OK);
    check_rel("bce_f32 sum", variant, n, s, exact, absum, XT_REL);
    /* mean = sum / n: one more rounding */
    check_rel("bce_f32 mean", variant, n, m, exact / (long double)n, absum / (long double)n,
              2 * XT_REL);
    if (separate_target)
        xt_free(y);
    xt_free(w);
    xt_free(p);
}

static void bce_sum_f64_n(const char *variant, size_t n, int separate_target, int weighted)
{
    xt_rng rng = {n ^ 0x123457u};
    double *p = xt_alloc(n * sizeof(double));
    double *y = separate_target ? xt_alloc(n * sizeof(double)) : p;
    double *w = weighted ? xt_alloc(n * sizeof(double)) : NULL;
    for (size_t i = 0; i < n; i++) {
        p[i] = xt_prob_f64(&rng);
        if (separate_target)
            y[i] = xt_target_f64(&rng);
        if (weighted)
            w[i] = xt_weight_f64(&rng);
    }
    long double absum, exact = exact_terms_f64(p, y, w, n, &absum);
    double s = 0, m = 0;
    assert_int_equal(xent_bce_f64(p, y, w, n, XENT_REDUCTION_SUM, 0, &s, NULL, NULL, NULL), XENT_OK);
    assert_int_equal(xent_bce_f64(p, y, w, n, XENT_REDUCTION_MEAN, 0, &m, NULL, NULL, NULL),
                     XENT_OK);
    check_rel("bce_f64 sum", variant, n, s, exact, absum, XT_REL);
    check_rel("bce_f64 mean", variant, n, m, exact / (long double)n, absum / (long double)n,
              2 * XT_REL);
    if (separate_target)
        xt_free(y);
    xt_free(w);
    xt_free(p);
}

static void bce_sum_f32_1e6(const char *variant)
{
    bce_sum_f32_n(variant, 1000000, 1, 0);
    bce_sum_f32_n(variant, 1000000, 1, 1);
}

static void bce_sum_f64_1e6(const char *variant)
{
    bce_sum_f64_n(variant, 1000000, 1, 0);
    bce_sum_f64_n(variant, 1000000, 1, 1);
}

/* n = 10^8 runs for one variant only, the default one ("auto", the fastest
 * own-log variant): the variants agree to the bit (test_bitwise), so the
 * others would only repeat it, and it is the memory-hungry test (float32:
 * p and y, 800 MB; float64: y aliases p -- entropy terms -- 800 MB). */
static void test_bce_sum_big(void **state)
{
    (void)state;
    assert_int_equal(xent_set_variant("auto"), XENT_OK);
    const char *active = NULL;
    assert_int_equal(xent_get_variant(&active), XENT_OK);
    bce_sum_f32_n(active, XT_BIG_N, 1, 0);
    bce_sum_f64_n(active, XT_BIG_N, 0, 0);
}

/* ---- xent_sum on adversarial inputs ----------------------------------- */

/* |got - exact| <= 2^-52 |exact| + n 2^-104 sum|x|: the double-double
 * lanes lose only products of two roundings. */
static void check_sum_f64(const char *variant, const char *what, const double *x, size_t n)
{
    long double exact = xt_exact_sum_f64(x, n);
    xt_exact a;
    xt_exact_init(&a);
    for (size_t i = 0; i < n; i++)
        xt_exact_add(&a, fabs(x[i]));
    long double ab = xt_exact_value(&a);
    double r = 0;
    assert_int_equal(xent_sum_f64(x, n, &r), XENT_OK);
    long double bound = XT_REL * fabsl(exact) + (long double)n * 0x1p-104L * ab;
    if (!(fabsl((long double)r - exact) <= bound))
        fail_msg("xent_sum_f64 [%s] %s n=%zu: got %.17g, exact %.21Lg", variant, what, n, r, exact);
}

static void check_sum_f32(const char *variant, const char *what, const float *x, size_t n)
{
    long double exact = xt_exact_sum_f32(x, n);
    xt_exact a;
    xt_exact_init(&a);
    for (size_t i = 0; i < n; i++)
        xt_exact_add(&a, fabs((double)x[i]));
    long double ab = xt_exact_value(&a);
    double r = 0;
    assert_int_equal(xent_sum_f32(x, n, &r), XENT_OK);
    long double bound = XT_REL * fabsl(exact) + (long double)n * 0x1p-104L * ab;
    if (!(fabsl((long double)r - exact) <= bound))
        fail_msg("xent_sum_f32 [%s] %s n=%zu: got %.17g, exact %.21Lg", variant, what, n, r, exact);
}

static void sum_adversarial_f64(const char *variant)
{
    enum { N = 300000 };
    double *x = xt_alloc(N * sizeof(double));
    /* (1e16, 1, -1e16) repeated: consecutive, so the three land in
     * neighbouring lanes; and with a stride of 16 and 7, so they share or
     * rotate lanes */
    const size_t strides[] = {1, 16, 7, 1000};
    for (size_t s = 0; s < 4; s++) {
        size_t st = strides[s];
        memset(x, 0, N * sizeof(double));
        for (size_t blk = 0; blk + 2 * st < N; blk += (st == 1 ? 3 : 3 * st)) {
            for (size_t j = 0; j < st && blk + 2 * st + j < N; j++) {
                x[blk + j] = 1e16;
                x[blk + st + j] = 1;
                x[blk + 2 * st + j] = -1e16;
            }
        }
        check_sum_f64(variant, "1e16,1,-1e16", x, N);
        for (size_t n = 1; n <= 64; n++)
            check_sum_f64(variant, "1e16,1,-1e16 short", x, n);
    }
    /* many tiny values and one big one, at the start, the middle, the end */
    const size_t where[] = {0, N / 2 + 3, N - 1};
    for (size_t k = 0; k < 3; k++) {
        for (size_t i = 0; i < N; i++)
            x[i] = 1e-16;
        x[where[k]] = 1.0;
        check_sum_f64(variant, "tiny + one big", x, N);
        x[where[k]] = -1.0;
        check_sum_f64(variant, "tiny - one big", x, N);
    }
    /* values that cancel to a tiny remainder: x, -x in scattered places */
    xt_rng rng = {31337};
    for (size_t i = 0; i < N / 2; i++) {
        double v = (xt_uniform(&rng) + 0.5) * ldexp(1.0, (int)(xt_next(&rng) % 120) - 60);
        x[i] = v;
        x[N - 1 - i] = -v;
    }
    x[N / 3] += 0x1p-70;
    check_sum_f64(variant, "x, -x cancel", x, N);
    /* huge dynamic range */
    for (size_t i = 0; i < N; i++)
        x[i] = ldexp(1.0 + xt_uniform(&rng), (int)(xt_next(&rng) % 1800) - 1000) *
               ((xt_next(&rng) & 1) ? 1 : -1);
    check_sum_f64(variant, "wide range", x, N);
    /* subnormals only */
    for (size_t i = 0; i < N; i++)
        x[i] = DBL_TRUE_MIN * (double)(xt_next(&rng) % 1000);
    check_sum_f64(variant, "subnormals", x, N);
    x[0] = 1e300;
    x[N - 1] = -1e300;
    check_sum_f64(variant, "subnormals and +-1e300", x, N);
    xt_free(x);
}

static void sum_adversarial_f32(const char *variant)
{
    enum { N = 300000 };
    float *x = xt_alloc(N * sizeof(float));
    const size_t strides[] = {1, 16, 7, 1000};
    for (size_t s = 0; s < 4; s++) {
        size_t st = strides[s];
        memset(x, 0, N * sizeof(float));
        for (size_t blk = 0; blk + 2 * st < N; blk += (st == 1 ? 3 : 3 * st)) {
            for (size_t j = 0; j < st && blk + 2 * st + j < N; j++) {
                x[blk + j] = 1e16f;
                x[blk + st + j] = 1;
                x[blk + 2 * st + j] = -1e16f;
            }
        }
        check_sum_f32(variant, "1e16,1,-1e16", x, N);
        for (size_t n = 1; n <= 64; n++)
            check_sum_f32(variant, "1e16,1,-1e16 short", x, n);
    }
    float ext[5] = {FLT_MAX, FLT_TRUE_MIN, -FLT_MAX, FLT_MIN, 1.0f};
    check_sum_f32(variant, "FLT_MAX, TRUE_MIN, -FLT_MAX", ext, 3);
    check_sum_f32(variant, "FLT_MAX, TRUE_MIN, -FLT_MAX, FLT_MIN, 1", ext, 5);
    const size_t where[] = {0, N / 2 + 3, N - 1};
    for (size_t k = 0; k < 3; k++) {
        for (size_t i = 0; i < N; i++)
            x[i] = 1e-8f;
        x[where[k]] = 1e8f;
        check_sum_f32(variant, "tiny + one big", x, N);
    }
    xt_rng rng = {4711};
    for (size_t i = 0; i < N; i++)
        x[i] = ldexpf(1.0f + (float)xt_uniform(&rng), (int)(xt_next(&rng) % 250) - 126) *
               ((xt_next(&rng) & 1) ? 1.0f : -1.0f);
    check_sum_f32(variant, "wide range", x, N);
    xt_free(x);
}

int main(void)
{
    static const xt_case cases[] = {
        {"bce_f32_sum_1e6", bce_sum_f32_1e6},
        {"bce_f64_sum_1e6", bce_sum_f64_1e6},
        {"sum_f32_adversarial", sum_adversarial_f32},
        {"sum_f64_adversarial", sum_adversarial_f64},
    };
    static const struct CMUnitTest big[] = {
        cmocka_unit_test(test_bce_sum_big),
    };
    int failed = xt_run_per_variant("sum", cases, sizeof cases / sizeof cases[0], XT_ALL);
    failed += cmocka_run_group_tests_name("sum_big_default_variant", big, NULL, NULL);
    return failed ? 1 : 0;
}
