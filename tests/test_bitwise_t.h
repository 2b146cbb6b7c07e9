/* Bitwise agreement of one dtype between a variant and the reference
 * variant of its log backend; included by test_bitwise.c with
 *   T, XT_SFX (f32 / f64), UT (the same-width unsigned integer). */

#define XT_CAT_(a, b) a##_##b
#define XT_CAT(a, b) XT_CAT_(a, b)
#define F(name) XT_CAT(name, XT_SFX)

/* Fails with the first differing element of a and b. */
static void F(same_bits)(const char *variant, const char *what, size_t n, size_t off, int weighted,
                         const T *a, const T *b, const T *p, const T *y)
{
    if (memcmp(a, b, n * sizeof(T)) == 0)
        return;
    size_t i = 0;
    while (memcmp(&a[i], &b[i], sizeof(T)) == 0)
        i++;
    fail_msg("%s vs %s: %s differs: n=%zu off=%zu weighted=%d, first at [%zu] p=%a y=%a: "
             "reference %a, variant %a", variant, xt_reference_of(variant), what, n, off, weighted,
             i, p ? (double)p[i] : 0.0, y ? (double)y[i] : 0.0, (double)a[i], (double)b[i]);
}

static void F(same_double)(const char *variant, const char *what, size_t n, size_t off,
                           int weighted, double a, double b)
{
    if (!xt_same_bits_double(a, b))
        fail_msg("%s vs %s: %s differs: n=%zu off=%zu weighted=%d: reference %a, variant %a",
                 variant, xt_reference_of(variant), what, n, off, weighted, a, b);
}

/* Runs every BCE reduction of one input under the active variant. */
typedef struct F(bce_run) {
    T *out, *g_none, *g_sum, *g_mean;
    double sum, mean;
} F(bce_run);

static void F(bce_run_all)(const T *p, const T *y, const T *w, size_t n, F(bce_run) *r)
{
    size_t bad;
    assert_int_equal(F(xent_bce)(p, y, w, n, XENT_REDUCTION_NONE, 0, NULL, r->out, r->g_none, &bad),
                     XENT_OK);
    assert_int_equal(F(xent_bce)(p, y, w, n, XENT_REDUCTION_SUM, 0, &r->sum, NULL, r->g_sum, &bad),
                     XENT_OK);
    assert_int_equal(F(xent_bce)(p, y, w, n, XENT_REDUCTION_MEAN, 0, &r->mean, NULL, r->g_mean,
                                 &bad), XENT_OK);
}

static void F(bce_compare)(const char *variant, const T *p, const T *y, const T *w, size_t n,
                           size_t off, F(bce_run) *ra, F(bce_run) *rb)
{
    const char *ref = xt_reference_of(variant);
    int weighted = w != NULL;
    xt_use_variant(ref);
    F(bce_run_all)(p, y, w, n, ra);
    xt_use_variant(variant);
    F(bce_run_all)(p, y, w, n, rb);
    F(same_bits)(variant, "out", n, off, weighted, ra->out, rb->out, p, y);
    F(same_bits)(variant, "grad (none)", n, off, weighted, ra->g_none, rb->g_none, p, y);
    F(same_bits)(variant, "grad (sum)", n, off, weighted, ra->g_sum, rb->g_sum, p, y);
    F(same_bits)(variant, "grad (mean)", n, off, weighted, ra->g_mean, rb->g_mean, p, y);
    F(same_double)(variant, "sum", n, off, weighted, ra->sum, rb->sum);
    F(same_double)(variant, "mean", n, off, weighted, ra->mean, rb->mean);
}

static F(bce_run) F(bce_run_alloc)(size_t cap)
{
    F(bce_run) r;
    r.out = xt_alloc(cap * sizeof(T));
    r.g_none = xt_alloc(cap * sizeof(T));
    r.g_sum = xt_alloc(cap * sizeof(T));
    r.g_mean = xt_alloc(cap * sizeof(T));
    r.sum = r.mean = 0;
    return r;
}

static void F(bce_run_free)(F(bce_run) *r)
{
    xt_free(r->out);
    xt_free(r->g_none);
    xt_free(r->g_sum);
    xt_free(r->g_mean);
}

/* Lengths 0..300 at offsets 0, 1 and 3 elements, then a few long ones. */
static const size_t F(long_lengths)[] = {511, 1000, 4099, 65537, 300007};

static void F(bce_bitwise)(const char *variant)
{
    const size_t cap = 300007 + 4;
    T *pb = xt_alloc(cap * sizeof(T)), *yb = xt_alloc(cap * sizeof(T));
    T *wb = xt_alloc(cap * sizeof(T));
    F(bce_run) ra = F(bce_run_alloc)(cap), rb = F(bce_run_alloc)(cap);
    xt_rng rng = {0xb175u};
    for (size_t k = 0; k <= 300 + sizeof F(long_lengths) / sizeof(size_t); k++) {
        size_t n = k <= 300 ? k : F(long_lengths)[k - 301];
        for (size_t off = 0; off < 4; off += (off == 0 ? 1 : 2)) {
            for (size_t i = 0; i < n + off; i++) {
                pb[i] = F(xt_prob)(&rng);
                yb[i] = F(xt_target)(&rng);
                wb[i] = F(xt_weight)(&rng);
            }
            for (int weighted = 0; weighted < 2; weighted++) {
                const T *w = weighted ? wb + off : NULL;
                F(bce_compare)(variant, pb + off, yb + off, w, n, off, &ra, &rb);
            }
        }
    }
    /* all hard targets, all soft targets, all edge probabilities */
    const T edges[] = {0, 1, (T)0.5, (T)1e-30, (T)(1 - 1e-7)};
    for (size_t n = 1; n <= 64; n++) {
        for (size_t i = 0; i < n; i++) {
            pb[i] = F(xt_prob)(&rng);
            yb[i] = (T)(i & 1);
            wb[i] = edges[i % 5];
        }
        F(bce_compare)(variant, pb, yb, NULL, n, 0, &ra, &rb);
        F(bce_compare)(variant, wb, yb, NULL, n, 0, &ra, &rb); /* edge p, hard y */
        for (size_t i = 0; i < n; i++)
            yb[i] = (T)xt_uniform(&rng);
        F(bce_compare)(variant, pb, yb, NULL, n, 0, &ra, &rb);
        F(bce_compare)(variant, wb, yb, pb, n, 0, &ra, &rb); /* edge p, soft y, weights */
    }
    F(bce_run_free)(&ra);
    F(bce_run_free)(&rb);
    xt_free(pb);
    xt_free(yb);
    xt_free(wb);
}

static void F(logk_bitwise)(const char *variant)
{
    const size_t cap = 300007 + 4;
    T *x = xt_alloc(cap * sizeof(T));
    T *a1 = xt_alloc(cap * sizeof(T)), *a2 = xt_alloc(cap * sizeof(T));
    T *b1 = xt_alloc(cap * sizeof(T)), *b2 = xt_alloc(cap * sizeof(T));
    const char *ref = xt_reference_of(variant);
    xt_rng rng = {0x10de};
    for (size_t k = 0; k <= 300 + sizeof F(long_lengths) / sizeof(size_t); k++) {
        size_t n = k <= 300 ? k : F(long_lengths)[k - 301];
        for (size_t off = 0; off < 2; off++) {
            for (size_t i = 0; i < n + off; i++)
                x[i] = F(xt_prob)(&rng);
            xt_use_variant(ref);
            assert_int_equal(F(xent_log_clamped)(x + off, n, a1, NULL), XENT_OK);
            assert_int_equal(F(xent_log1m_clamped)(x + off, n, a2, NULL), XENT_OK);
            xt_use_variant(variant);
            assert_int_equal(F(xent_log_clamped)(x + off, n, b1, NULL), XENT_OK);
            assert_int_equal(F(xent_log1m_clamped)(x + off, n, b2, NULL), XENT_OK);
            F(same_bits)(variant, "log_clamped", n, off, 0, a1, b1, x + off, NULL);
            F(same_bits)(variant, "log1m_clamped", n, off, 0, a2, b2, x + off, NULL);
        }
    }
    xt_free(x);
    xt_free(a1);
    xt_free(a2);
    xt_free(b1);
    xt_free(b2);
}

static void F(sum_bitwise)(const char *variant)
{
    const size_t cap = 300007 + 4;
    T *x = xt_alloc(cap * sizeof(T));
    const char *ref = xt_reference_of(variant);
    xt_rng rng = {0x5a5a};
    for (size_t k = 0; k <= 300 + sizeof F(long_lengths) / sizeof(size_t); k++) {
        size_t n = k <= 300 ? k : F(long_lengths)[k - 301];
        for (size_t off = 0; off < 2; off++) {
            for (size_t i = 0; i < n + off; i++) {
                /* mixed signs and magnitudes, so that every lane's error term matters */
                double v = (xt_uniform(&rng) - 0.5) * ldexp(1.0, (int)(xt_next(&rng) % 100) - 50);
                x[i] = (T)v;
            }
            double ra = 0, rb = 0;
            xt_use_variant(ref);
            assert_int_equal(F(xent_sum)(x + off, n, &ra), XENT_OK);
            xt_use_variant(variant);
            assert_int_equal(F(xent_sum)(x + off, n, &rb), XENT_OK);
            F(same_double)(variant, "xent_sum", n, off, 0, ra, rb);
        }
    }
    xt_free(x);
}

#undef F
#undef XT_CAT
#undef XT_CAT_
