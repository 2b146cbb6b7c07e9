/* Binary cross-entropy on probabilities, the clamped log kernels and
 * xent_sum, per variant, against long double references of the formulas
 * in docs/semantics (shared/semantics.md) and the values stated there. */
#include "xt.h"

#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define T float
#define XT_SFX f32
#define XT_IS_F32 1
#include "test_bce_t.h"
#undef T
#undef XT_SFX
#undef XT_IS_F32

#define T double
#define XT_SFX f64
#define XT_IS_F32 0
#include "test_bce_t.h"
#undef T
#undef XT_SFX
#undef XT_IS_F32

/* ---- variant-independent API checks ------------------------------------ */

static void test_strerror(void **state)
{
    (void)state;
    for (int s = XENT_OK; s <= XENT_EZEROWEIGHT; s++) {
        const char *m = xent_strerror((xent_status)s);
        assert_non_null(m);
        assert_true(m[0] != '\0');
    }
    assert_non_null(xent_strerror((xent_status)99));
    assert_non_null(xent_strerror((xent_status)-1));
    /* distinct statuses have distinct messages */
    for (int a = XENT_OK; a <= XENT_EZEROWEIGHT; a++)
        for (int b = a + 1; b <= XENT_EZEROWEIGHT; b++)
            assert_string_not_equal(xent_strerror((xent_status)a), xent_strerror((xent_status)b));
}

static void test_variant_api(void **state)
{
    (void)state;
    size_t count = 0;
    assert_int_equal(xent_list_variants(NULL, 0, &count), XENT_OK);
    assert_true(count >= 2); /* scalar and scalar+sleef run everywhere */
    const char *names[16] = {0};
    size_t c2 = 0;
    assert_int_equal(xent_list_variants(names, 16, &c2), XENT_OK);
    assert_int_equal(c2, count);
    int has_scalar = 0, has_scalar_sleef = 0;
    for (size_t i = 0; i < count && i < 16; i++) {
        assert_non_null(names[i]);
        has_scalar |= strcmp(names[i], "scalar") == 0;
        has_scalar_sleef |= strcmp(names[i], "scalar+sleef") == 0;
        int known = 0;
        for (size_t k = 0; k < xt_known_variant_count; k++)
            known |= strcmp(names[i], xt_known_variants[k]) == 0;
        if (!known)
            fail_msg("xent_list_variants reports \"%s\", not a variant of this architecture",
                     names[i]);
        assert_int_equal(xent_set_variant(names[i]), XENT_OK);
        const char *active = NULL;
        assert_int_equal(xent_get_variant(&active), XENT_OK);
        assert_string_equal(active, names[i]);
    }
    assert_true(has_scalar && has_scalar_sleef);
    /* the first listed is the fastest own-log one: what "auto" picks */
    assert_false(xt_is_sleef(names[0]));
    assert_int_equal(xent_set_variant("auto"), XENT_OK);
    const char *active = NULL;
    assert_int_equal(xent_get_variant(&active), XENT_OK);
    assert_string_equal(active, names[0]);

    /* a short list: cap names written, count still the total */
    const char *one[2] = {NULL, "untouched"};
    size_t c3 = 0;
    assert_int_equal(xent_list_variants(one, 1, &c3), XENT_OK);
    assert_int_equal(c3, count);
    assert_string_equal(one[0], names[0]);
    assert_string_equal(one[1], "untouched");
    assert_int_equal(xent_list_variants(names, 16, NULL), XENT_EINVAL);
    assert_int_equal(xent_list_variants(NULL, 3, &c3), XENT_EINVAL);

    /* unknown or foreign names fail cleanly and leave the active variant */
    assert_int_equal(xent_set_variant("scalar"), XENT_OK);
    const char *bad_names[] = {"bogus", "", "SCALAR", "scalar+", "avx2 ",
#if defined(__x86_64__) || defined(__i386__)
                               "neon", "neon+sleef"
#else
                               "avx2", "avx512+sleef"
#endif
    };
    for (size_t i = 0; i < sizeof bad_names / sizeof bad_names[0]; i++) {
        xent_status st = xent_set_variant(bad_names[i]);
        if (st != XENT_EUNSUPPORTED)
            fail_msg("xent_set_variant(\"%s\") returned %d, expected XENT_EUNSUPPORTED",
                     bad_names[i], (int)st);
        assert_int_equal(xent_get_variant(&active), XENT_OK);
        assert_string_equal(active, "scalar");
        float p = 0.5f, y = 1, o = 0;
        assert_int_equal(xent_bce_f32(&p, &y, NULL, 1, XENT_REDUCTION_NONE, 0, NULL, &o, NULL,
                                      NULL), XENT_OK);
    }
    assert_int_equal(xent_set_variant(NULL), XENT_EINVAL);
    assert_int_equal(xent_get_variant(NULL), XENT_EINVAL);
    /* variants this CPU cannot run, but the architecture knows */
    for (size_t k = 0; k < xt_known_variant_count; k++)
        if (!xt_variant_supported(xt_known_variants[k]))
            assert_int_equal(xent_set_variant(xt_known_variants[k]), XENT_EUNSUPPORTED);
}

int main(void)
{
    static const struct CMUnitTest api[] = {
        cmocka_unit_test(test_strerror),
        cmocka_unit_test(test_variant_api),
    };
    static const xt_case cases[] = {XT_BCE_CASES(f32), XT_BCE_CASES(f64)};
    int failed = cmocka_run_group_tests_name("api", api, NULL, NULL);
    failed += xt_run_per_variant("bce", cases, sizeof cases / sizeof cases[0], XT_ALL);
    return failed ? 1 : 0;
}
