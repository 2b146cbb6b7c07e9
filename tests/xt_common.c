/* Shared helpers of the xent test suites (see xt.h). */
#include "xt.h"

#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- variants -------------------------------------------------------- */

#if defined(__x86_64__) || defined(__i386__)
const char *const xt_known_variants[] = {"scalar",       "avx2",       "avx512",
                                         "scalar+sleef", "avx2+sleef", "avx512+sleef"};
#elif defined(__aarch64__)
const char *const xt_known_variants[] = {"scalar", "neon", "scalar+sleef", "neon+sleef"};
#else
const char *const xt_known_variants[] = {"scalar", "scalar+sleef"};
#endif
const size_t xt_known_variant_count = sizeof xt_known_variants / sizeof xt_known_variants[0];

int xt_variant_supported(const char *name)
{
    const char *names[32];
    size_t count = 0;
    if (xent_list_variants(names, 32, &count) != XENT_OK)
        return 0;
    if (count > 32)
        count = 32;
    for (size_t i = 0; i < count; i++)
        if (names[i] != NULL && strcmp(names[i], name) == 0)
            return 1;
    return 0;
}

int xt_is_sleef(const char *name)
{
    return strstr(name, "+sleef") != NULL;
}

const char *xt_reference_of(const char *name)
{
    return xt_is_sleef(name) ? "scalar+sleef" : "scalar";
}

typedef struct xt_slot {
    xt_case_fn fn;
    const char *variant;
} xt_slot;

static void xt_trampoline(void **state)
{
    const xt_slot *slot = (const xt_slot *)*state;
    xt_use_variant(slot->variant);
    slot->fn(slot->variant);
}

int xt_run_per_variant(const char *group, const xt_case *cases, size_t ncases,
                       unsigned which)
{
    size_t cap = ncases * xt_known_variant_count;
    struct CMUnitTest *tests = calloc(cap ? cap : 1, sizeof *tests);
    xt_slot *slots = calloc(cap ? cap : 1, sizeof *slots);
    char **names = calloc(cap ? cap : 1, sizeof *names);
    if (tests == NULL || slots == NULL || names == NULL) {
        fprintf(stderr, "%s: out of memory\n", group);
        return 1;
    }
    size_t nt = 0;
    for (size_t c = 0; c < ncases; c++) {
        for (size_t v = 0; v < xt_known_variant_count; v++) {
            const char *var = xt_known_variants[v];
            unsigned kind = xt_is_sleef(var) ? XT_SLEEF : XT_OWN;
            if (!(which & kind))
                continue;
            if ((which & XT_NOT_REF) && strcmp(var, xt_reference_of(var)) == 0)
                continue;
            size_t len = strlen(cases[c].name) + strlen(var) + 3;
            names[nt] = malloc(len);
            if (names[nt] == NULL)
                return 1;
            snprintf(names[nt], len, "%s[%s]", cases[c].name, var);
            slots[nt].fn = cases[c].fn;
            slots[nt].variant = var;
            tests[nt].name = names[nt];
            tests[nt].test_func = xt_trampoline;
            tests[nt].setup_func = NULL;
            tests[nt].teardown_func = NULL;
            tests[nt].initial_state = &slots[nt];
            nt++;
        }
    }
    int failed = _cmocka_run_group_tests(group, tests, nt, NULL, NULL);
    for (size_t i = 0; i < nt; i++)
        free(names[i]);
    free(names);
    free(slots);
    free(tests);
    return failed;
}

void xt_use_variant(const char *name)
{
    xent_status st = xent_set_variant(name);
    if (!xt_variant_supported(name)) {
        if (st != XENT_EUNSUPPORTED)
            fail_msg("xent_set_variant(\"%s\") on a CPU that cannot run it returned %d, "
                     "expected XENT_EUNSUPPORTED", name, (int)st);
        skip();
        return;
    }
    if (st != XENT_OK)
        fail_msg("xent_set_variant(\"%s\") returned %d for a listed variant", name, (int)st);
    const char *active = NULL;
    assert_int_equal(xent_get_variant(&active), XENT_OK);
    assert_non_null(active);
    assert_string_equal(active, name);
}

/* ---- ulp ------------------------------------------------------------- */

long double xt_ulp_f32(long double r)
{
    r = fabsl(r);
    if (!(r >= 0x1p-126L))
        return 0x1p-149L;
    if (r >= 0x1p127L)
        return 0x1p104L;
    int e;
    frexpl(r, &e); /* r in [2^(e-1), 2^e) */
    return ldexpl(1.0L, e - 1 - 23);
}

long double xt_ulp_f64(long double r)
{
    r = fabsl(r);
    if (!(r >= 0x1p-1022L))
        return 0x1p-1074L;
    if (r >= 0x1p1023L)
        return 0x1p971L;
    int e;
    frexpl(r, &e);
    return ldexpl(1.0L, e - 1 - 52);
}

static double xt_err_special(long double got, long double ref, int *done)
{
    *done = 1;
    if (isnan(got) || isnan(ref))
        return (isnan(got) && isnan(ref)) ? 0.0 : 1e30;
    if (isinf(got) || isinf(ref))
        return got == ref ? 0.0 : 1e30;
    *done = 0;
    return 0.0;
}

double xt_err_f32(float got, long double ref)
{
    int done;
    double e = xt_err_special(got, ref, &done);
    if (done)
        return e;
    return (double)(fabsl((long double)got - ref) / xt_ulp_f32(ref));
}

double xt_err_f64(double got, long double ref)
{
    int done;
    double e = xt_err_special(got, ref, &done);
    if (done)
        return e;
    return (double)(fabsl((long double)got - ref) / xt_ulp_f64(ref));
}

/* ---- references ------------------------------------------------------ */

long double xt_ref_logc(long double p)
{
    if (p <= 0.0L)
        return -100.0L;
    long double l = logl(p);
    return l < -100.0L ? -100.0L : l;
}

long double xt_ref_log1mc(long double p)
{
    if (p >= 1.0L)
        return -100.0L;
    long double l = log1pl(-p);
    return l < -100.0L ? -100.0L : l;
}

long double xt_ref_bce(long double p, long double y, long double w)
{
    long double a = xt_ref_logc(p), b = xt_ref_log1mc(p);
    /* y * a and (1 - y) * b separately, so that a hard target multiplies
     * the other (finite, clamped) log by exactly 0. */
    return -(w * (y * a + (1.0L - y) * b));
}

long double xt_ref_bce_grad(long double p, long double y, long double w)
{
    const long double c = (long double)1e-12f; /* the float constant of torch */
    long double d = p * (1.0L - p);
    if (d < c)
        d = c;
    return w * (p - y) / d;
}

/* ---- exact summation ------------------------------------------------- */

void xt_exact_init(xt_exact *acc)
{
    memset(acc, 0, sizeof *acc);
}

static void xt_exact_normalize(xt_exact *acc)
{
    for (int i = 0; i < XT_EXACT_LIMBS - 1; i++) {
        int64_t low = (int64_t)((uint64_t)acc->limb[i] & 0xffffffffu);
        int64_t carry = (acc->limb[i] - low) / ((int64_t)1 << 32);
        acc->limb[i] = low;
        acc->limb[i + 1] += carry;
    }
    acc->pending = 0;
}

void xt_exact_add(xt_exact *acc, double x)
{
    if (x == 0.0)
        return;
    if (!isfinite(x)) {
        acc->nonfinite = 1;
        return;
    }
    int neg = x < 0;
    int e;
    double m = frexp(fabs(x), &e);          /* |x| = m * 2^e, m in [0.5, 1) */
    uint64_t mant = (uint64_t)ldexp(m, 53); /* |x| = mant * 2^(e - 53) exactly */
    int pos = e - 53 + 1074;                /* bit position above 2^-1074 */
    if (pos < 0) {                          /* subnormal: the low bits are zero */
        mant >>= -pos;
        pos = 0;
    }
    int k = pos / 32, r = pos % 32;
    uint64_t lo = (mant & 0xffffffffu) << r; /* < 2^64 */
    uint64_t hi = (mant >> 32) << r;         /* < 2^53 */
    int64_t a0 = (int64_t)(lo & 0xffffffffu);
    int64_t a1 = (int64_t)(lo >> 32) + (int64_t)(hi & 0xffffffffu);
    int64_t a2 = (int64_t)(hi >> 32);
    if (neg) {
        acc->limb[k] -= a0;
        acc->limb[k + 1] -= a1;
        acc->limb[k + 2] -= a2;
    } else {
        acc->limb[k] += a0;
        acc->limb[k + 1] += a1;
        acc->limb[k + 2] += a2;
    }
    if (++acc->pending >= ((uint64_t)1 << 28))
        xt_exact_normalize(acc);
}

long double xt_exact_value(xt_exact *acc)
{
    if (acc->nonfinite)
        return NAN;
    xt_exact tmp = *acc;
    xt_exact_normalize(&tmp);
    long double sign = 1.0L;
    if (tmp.limb[XT_EXACT_LIMBS - 1] < 0) {
        for (int i = 0; i < XT_EXACT_LIMBS; i++)
            tmp.limb[i] = -tmp.limb[i];
        xt_exact_normalize(&tmp);
        sign = -1.0L;
    }
    int top = XT_EXACT_LIMBS - 1;
    while (top >= 0 && tmp.limb[top] == 0)
        top--;
    if (top < 0)
        return 0.0L;
    long double v = 0.0L;
    for (int i = top; i >= 0 && i >= top - 4; i--)
        v += ldexpl((long double)tmp.limb[i], 32 * i - 1074);
    return sign * v;
}

long double xt_exact_sum_f64(const double *x, size_t n)
{
    xt_exact acc;
    xt_exact_init(&acc);
    for (size_t i = 0; i < n; i++)
        xt_exact_add(&acc, x[i]);
    return xt_exact_value(&acc);
}

long double xt_exact_sum_f32(const float *x, size_t n)
{
    xt_exact acc;
    xt_exact_init(&acc);
    for (size_t i = 0; i < n; i++)
        xt_exact_add(&acc, (double)x[i]);
    return xt_exact_value(&acc);
}

/* ---- random ---------------------------------------------------------- */

uint64_t xt_next(xt_rng *r)
{
    uint64_t z = (r->s += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

double xt_uniform(xt_rng *r)
{
    return (double)(xt_next(r) >> 11) * 0x1p-53;
}

static float xt_f32_from_bits(uint32_t b)
{
    float f;
    memcpy(&f, &b, sizeof f);
    return f;
}

static double xt_f64_from_bits(uint64_t b)
{
    double d;
    memcpy(&d, &b, sizeof d);
    return d;
}

float xt_prob_f32(xt_rng *r)
{
    static const float special[] = {
        0.0f, 1.0f, FLT_MIN, FLT_TRUE_MIN, 1.0f - 0x1p-24f, 0.5f,
        0.49999997f, 0.50000006f, 0x1p-24f, 3.7200760e-44f /* ~ e^-100 */,
        1e-40f, 2.0f * FLT_TRUE_MIN, 1.0f - 0x1p-23f, 0x1p-126f * 0.75f};
    uint64_t u = xt_next(r);
    switch (u % 16) {
    case 0: case 1: case 2: case 3: case 4:
        return (float)((u >> 40) * 0x1p-24); /* uniform on [0, 1) */
    case 5: case 6: case 7: case 8:          /* every float in [0, 1] equally likely */
        return xt_f32_from_bits((uint32_t)((u >> 16) % 0x3f800001u));
    case 9: case 10: case 11: { /* 1 - tiny */
        float t = xt_f32_from_bits((uint32_t)((u >> 16) % 0x3f000001u));
        return 1.0f - t;
    }
    case 12: case 13:
        return special[(u >> 8) % (sizeof special / sizeof special[0])];
    default: /* near 0.5 */
        return 0.5f + (float)(((double)(u >> 40) * 0x1p-24 - 0.5) * 0x1p-10);
    }
}

double xt_prob_f64(xt_rng *r)
{
    static const double special[] = {
        0.0, 1.0, DBL_MIN, DBL_TRUE_MIN, 1.0 - 0x1p-53, 0.5,
        0.5 - 0x1p-54, 0.5 + 0x1p-53, 0x1p-53, 3.720075976020836e-44 /* ~ e^-100 */,
        1e-10, 1e-300, 1e-310, 1.0 - 0x1p-52, (double)FLT_TRUE_MIN};
    uint64_t u = xt_next(r);
    switch (u % 16) {
    case 0: case 1: case 2: case 3: case 4:
        return (double)(u >> 11) * 0x1p-53;
    case 5: case 6: case 7: case 8:
        return xt_f64_from_bits((xt_next(r) >> 2) % 0x3ff0000000000001ull);
    case 9: case 10: case 11: {
        double t = xt_f64_from_bits((xt_next(r) >> 2) % 0x3fe0000000000001ull);
        return 1.0 - t;
    }
    case 12: case 13:
        return special[(u >> 8) % (sizeof special / sizeof special[0])];
    default:
        return 0.5 + ((double)(u >> 11) * 0x1p-53 - 0.5) * 0x1p-20;
    }
}

float xt_target_f32(xt_rng *r)
{
    uint64_t u = xt_next(r);
    switch (u % 8) {
    case 0: case 1: case 2: return 0.0f;
    case 3: case 4: case 5: return 1.0f;
    case 6: return (float)((u >> 40) * 0x1p-24);
    default: return (float)((double)(u >> 40) * 0x1p-24 * 0.25 + ((u >> 8) & 1 ? 0.75 : 0.0));
    }
}

double xt_target_f64(xt_rng *r)
{
    uint64_t u = xt_next(r);
    switch (u % 8) {
    case 0: case 1: case 2: return 0.0;
    case 3: case 4: case 5: return 1.0;
    case 6: return (double)(xt_next(r) >> 11) * 0x1p-53;
    default: return (double)(xt_next(r) >> 11) * 0x1p-53 * 0.25 + ((u >> 8) & 1 ? 0.75 : 0.0);
    }
}

float xt_weight_f32(xt_rng *r)
{
    uint64_t u = xt_next(r);
    if (u % 32 == 0)
        return 0.0f;
    return (float)((u >> 40) * 0x1p-22);
}

double xt_weight_f64(xt_rng *r)
{
    uint64_t u = xt_next(r);
    if (u % 32 == 0)
        return 0.0;
    return (double)(u >> 11) * 0x1p-51;
}

/* ---- memory ---------------------------------------------------------- */

void *xt_alloc(size_t bytes)
{
    size_t rounded = (bytes + 63) / 64 * 64;
    if (rounded == 0)
        rounded = 64;
    void *p = aligned_alloc(64, rounded);
    if (p == NULL) {
        fprintf(stderr, "xt_alloc: out of memory (%zu bytes)\n", bytes);
        abort();
    }
    return p;
}

void xt_free(void *p)
{
    free(p);
}

void xt_fill_sentinel_f32(float *x, size_t n)
{
    uint32_t b = XT_SENTINEL_BITS32;
    for (size_t i = 0; i < n; i++)
        memcpy(&x[i], &b, sizeof b);
}

void xt_fill_sentinel_f64(double *x, size_t n)
{
    uint64_t b = XT_SENTINEL_BITS64;
    for (size_t i = 0; i < n; i++)
        memcpy(&x[i], &b, sizeof b);
}

int xt_is_sentinel_f32(const float *x, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        uint32_t b;
        memcpy(&b, &x[i], sizeof b);
        if (b != XT_SENTINEL_BITS32)
            return 0;
    }
    return 1;
}

int xt_is_sentinel_f64(const double *x, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        uint64_t b;
        memcpy(&b, &x[i], sizeof b);
        if (b != XT_SENTINEL_BITS64)
            return 0;
    }
    return 1;
}

double xt_sentinel_double(void)
{
    return xt_f64_from_bits(XT_SENTINEL_BITS64);
}

int xt_same_bits_double(double a, double b)
{
    return memcmp(&a, &b, sizeof a) == 0;
}

/* ---- references and inputs of the losses on logits ------------------- */

long double xt_ref_log_sigmoid(long double z)
{
    if (isnan(z))
        return z;
    return (z < 0 ? z : 0.0L) - log1pl(expl(-fabsl(z)));
}

long double xt_ref_sigmoid(long double z)
{
    if (isnan(z))
        return z;
    if (z >= 0)
        return 1.0L / (1.0L + expl(-z));
    long double e = expl(z);
    return e / (1.0L + e);
}

static double xt_logit_core(xt_rng *r)
{
    static const double special[] = {0.0,   -0.0,   88.0,  -88.0, 1000.0, -1000.0, 30.0,
                                     -30.0, 17.0,   -17.0, 0.5,   -0.5,   1.0,     -1.0,
                                     100.0, -100.0, 745.0, -745.0};
    uint64_t u = xt_next(r);
    double v = xt_uniform(r);
    switch (u % 16) {
    case 0: case 1: case 2: case 3: case 4: case 5: case 6:
        return (v - 0.5) * 16.0; /* [-8, 8) */
    case 7: case 8: case 9:
        return (v - 0.5) * 2.0;
    case 10: case 11:
        return (v - 0.5) * 200.0;
    case 12: /* log-uniform magnitude in [2^-30, 2^10), random sign */
        return ldexp(1.0 + v, (int)((u >> 8) % 40) - 30) * ((u >> 16) & 1 ? -1.0 : 1.0);
    default:
        return special[(u >> 8) % (sizeof special / sizeof special[0])];
    }
}

float xt_logit_f32(xt_rng *r)
{
    return (float)xt_logit_core(r);
}

double xt_logit_f64(xt_rng *r)
{
    return xt_logit_core(r);
}
