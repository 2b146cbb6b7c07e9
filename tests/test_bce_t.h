/* The binary cross-entropy tests of one dtype, included by test_bce.c with
 *   T        float or double
 *   XT_SFX   f32 or f64
 *   XT_IS_F32  1 or 0
 * Function names get the dtype suffix through F(). */

#define XT_CAT_(a, b) a##_##b
#define XT_CAT(a, b) XT_CAT_(a, b)
#define F(name) XT_CAT(name, XT_SFX)

#if XT_IS_F32
#define XT_MIN FLT_MIN
#define XT_TRUE_MIN FLT_TRUE_MIN
#define XT_EPSILON FLT_EPSILON
#define XT_FMT "%.9g"
#else
#define XT_MIN DBL_MIN
#define XT_TRUE_MIN DBL_TRUE_MIN
#define XT_EPSILON DBL_EPSILON
#define XT_FMT "%.17g"
#endif

/* The largest subnormal and the value nearest e^-100 (where the clamp starts). */
#define XT_BIG_SUB ((T)(XT_MIN - XT_TRUE_MIN))

static int F(is_hard)(T y) { return y == 0 || y == 1; }

/* Tolerances in ulps: the accuracy contract promises 1 ulp for the terms
 * of the own-log backend; SLEEF's logs are themselves 1-ulp functions, so
 * the +sleef variants get one more.  A weight adds one rounding, a soft
 * target a few (two products and a sum, no cancellation). */
static double F(term_tol)(const char *variant, T y, int weighted)
{
    double t = F(is_hard)(y) ? 1.0 : 4.0;
    if (weighted)
        t += 1.0;
    if (xt_is_sleef(variant))
        t += 1.0;
    return t;
}
#define XT_GRAD_TOL 4.0      /* (p - y), 1 - p, p(1 - p), * w, / d */
#define XT_GRAD_MEAN_TOL 6.0 /* and the division by n */

static void F(check_term)(const char *variant, const char *what, size_t i, T p, T y,
                          T w, int weighted, T got)
{
    long double ref = xt_ref_bce(p, y, weighted ? (long double)w : 1.0L);
    double tol = F(term_tol)(variant, y, weighted);
    double err = F(xt_err)(got, ref);
    long double ref1 = xt_ref_bce(p, y, 1.0L);
    if (weighted && fabsl(ref1) < XT_MIN && err < 1e30) {
        /* A subnormal unweighted term has only absolute accuracy: its
         * error (in subnormal ulps) is scaled by w, then one rounding. */
        double tol1 = F(term_tol)(variant, y, 0);
        long double bound = (long double)tol1 * F(xt_ulp)(ref1) * fabsl((long double)w) +
                            F(xt_ulp)(ref);
        if (fabsl((long double)got - ref) <= bound)
            return;
    }
    if (!(err <= tol))
        fail_msg("%s %s [%zu]: p=" XT_FMT " (%a) y=" XT_FMT " w=" XT_FMT
                 ": got " XT_FMT ", reference %.21Lg, error %.3g ulp > %.1f",
                 variant, what, i, (double)p, (double)p, (double)y,
                 weighted ? (double)w : 1.0, (double)got, ref, err, tol);
}

static void F(check_grad)(const char *variant, const char *what, size_t i, T p, T y,
                          T w, int weighted, size_t div, T got)
{
    long double ref = xt_ref_bce_grad(p, y, weighted ? (long double)w : 1.0L);
    if (div)
        ref /= (long double)div;
    double tol = div ? XT_GRAD_MEAN_TOL : XT_GRAD_TOL;
    double err = F(xt_err)(got, ref);
    if (!(err <= tol))
        fail_msg("%s %s grad [%zu]: p=" XT_FMT " (%a) y=" XT_FMT " w=" XT_FMT
                 " div=%zu: got " XT_FMT ", reference %.21Lg, error %.3g ulp > %.1f",
                 variant, what, i, (double)p, (double)p, (double)y,
                 weighted ? (double)w : 1.0, div, (double)got, ref, err, tol);
}

/* ---- edge values ------------------------------------------------------ */

static void F(bce_edges)(const char *variant)
{
    const T ps[] = {0, 1, XT_MIN, XT_TRUE_MIN, (T)(1 - XT_EPSILON / 2), (T)0.5, XT_BIG_SUB,
                    (T)(2 * XT_TRUE_MIN), (T)(XT_EPSILON / 2), (T)0.25, (T)0.75,
#if XT_IS_F32
                    1e-40f, 3.7200760e-44f, 3.7835059e-44f,
#else
                    1e-10, 1e-300, 3.720075976020836e-44, 1.0 - 0x1p-52,
#endif
                    (T)(0.5 - XT_EPSILON / 4), (T)(0.5 + XT_EPSILON / 2)};
    const T ys[] = {0, 1, (T)0.25, (T)0.5, (T)0.75, (T)1e-3, (T)(1 - XT_EPSILON / 2)};
    enum { NP = sizeof ps / sizeof ps[0], NY = sizeof ys / sizeof ys[0], N = NP * NY };
    T p[N], y[N], out[N], grad[N];
    for (size_t i = 0; i < NP; i++)
        for (size_t j = 0; j < NY; j++) {
            p[i * NY + j] = ps[i];
            y[i * NY + j] = ys[j];
        }
    size_t bad = 0;
    assert_int_equal(F(xent_bce)(p, y, NULL, N, XENT_REDUCTION_NONE, 0, NULL, out, grad, &bad),
                     XENT_OK);
    for (size_t i = 0; i < N; i++) {
        F(check_term)(variant, "edges", i, p[i], y[i], 1, 0, out[i]);
        F(check_grad)(variant, "edges", i, p[i], y[i], 1, 0, 0, grad[i]);
    }

    /* The values semantics.md states. */
    const T dp[] = {0, 1, 0, 1};
    const T dy[] = {1, 0, 0, 1};
    const T dl[] = {100, 100, 0, 0};
    T dout[4], dgrad[4];
    assert_int_equal(F(xent_bce)(dp, dy, NULL, 4, XENT_REDUCTION_NONE, 0, NULL, dout, dgrad, &bad),
                     XENT_OK);
    for (size_t i = 0; i < 4; i++)
        if (!(dout[i] == dl[i]))
            fail_msg("%s: p=%g y=%g gives " XT_FMT ", expected exactly %g", variant,
                     (double)dp[i], (double)dy[i], (double)dout[i], (double)dl[i]);
#if XT_IS_F32
    /* -1 / max(0, 1e-12f) in float32 */
    const T g01 = -999999995904.0f;
#else
    const T g01 = -1000000003995.8029;
#endif
    if (!(dgrad[0] == g01 && dgrad[1] == -g01 && dgrad[2] == 0 && dgrad[3] == 0))
        fail_msg("%s: gradients at (0,1),(1,0),(0,0),(1,1) are "
                 XT_FMT " " XT_FMT " " XT_FMT " " XT_FMT ", expected " XT_FMT " " XT_FMT " 0 0",
                 variant, (double)dgrad[0], (double)dgrad[1], (double)dgrad[2],
                 (double)dgrad[3], (double)g01, (double)-g01);

    T one_p, one_y = 1, one_out;
#if XT_IS_F32
    /* A denormal p is not clamped. */
    one_p = 1e-40f;
    one_y = 1;
    assert_int_equal(F(xent_bce)(&one_p, &one_y, NULL, 1, XENT_REDUCTION_NONE, 0, NULL,
                                 &one_out, NULL, NULL), XENT_OK);
    if (!(xt_err_f32(one_out, 92.10340881347656L) <= 1.0))
        fail_msg("%s: f32 p=1e-40 y=1 gives %.17g, expected 92.10340881347656", variant,
                 (double)one_out);
#else
    /* log1p accuracy: torch 1.13 gives 1.000000082790371e-10 here. */
    one_p = 1e-10;
    one_y = 0;
    assert_int_equal(F(xent_bce)(&one_p, &one_y, NULL, 1, XENT_REDUCTION_NONE, 0, NULL,
                                 &one_out, NULL, NULL), XENT_OK);
    if (!(xt_err_f64(one_out, 1.00000000005e-10L) <= 1.0))
        fail_msg("%s: f64 p=1e-10 y=0 gives %.17g, expected 1.00000000005e-10", variant,
                 one_out);
#endif
    (void)one_y;
}

/* p = -0.0 is not < 0, so it is a valid probability (torch checks
 * p >= 0 && p <= 1) and must behave as +0: (-0, 1) -> 100, (-0, 0) -> 0,
 * log_clamped(-0) = -100, log1m_clamped(-0) = 0. */
static void F(bce_negzero)(const char *variant)
{
    const T p[4] = {-(T)0.0, -(T)0.0, -(T)0.0, (T)0.5};
    const T y[4] = {1, 0, (T)0.5, 1};
    T out[4], grad[4];
    size_t bad = 12345;
    xent_status st = F(xent_bce)(p, y, NULL, 4, XENT_REDUCTION_NONE, 0, NULL, out, grad, &bad);
    if (st != XENT_OK)
        fail_msg("%s: p=-0.0 rejected with status %d at %zu", variant, (int)st, bad);
    if (!(out[0] == 100 && out[1] == 0 && out[2] == 50))
        fail_msg("%s: p=-0.0 with y=1, 0, 0.5 gives " XT_FMT " " XT_FMT " " XT_FMT
                 ", expected 100 0 50", variant, (double)out[0], (double)out[1], (double)out[2]);
    F(check_grad)(variant, "-0", 0, p[0], y[0], 1, 0, 0, grad[0]);
    F(check_grad)(variant, "-0", 1, p[1], y[1], 1, 0, 0, grad[1]);
    T lo[4], l1m[4];
    assert_int_equal(F(xent_log_clamped)(p, 4, lo, NULL), XENT_OK);
    assert_int_equal(F(xent_log1m_clamped)(p, 4, l1m, NULL), XENT_OK);
    if (!(lo[0] == -100 && l1m[0] == 0))
        fail_msg("%s: log_clamped(-0.0) = " XT_FMT ", log1m_clamped(-0.0) = " XT_FMT
                 ", expected -100 and 0", variant, (double)lo[0], (double)l1m[0]);
    double s = 0;
    assert_int_equal(F(xent_bce)(p, y, NULL, 2, XENT_REDUCTION_SUM, 0, &s, NULL, NULL, NULL),
                     XENT_OK);
    if (!(s == 100))
        fail_msg("%s: sum over p=-0.0, y=1,0 is %.17g, expected 100", variant, s);
}

/* ---- empty input ---------------------------------------------------- */

static void F(bce_empty)(const char *variant)
{
    T p[1] = {(T)0.5}, y[1] = {1}, out[1], grad[1];
    double result;
    (void)variant;
    result = xt_sentinel_double();
    assert_int_equal(F(xent_bce)(p, y, NULL, 0, XENT_REDUCTION_MEAN, 0, &result, NULL, NULL, NULL),
                     XENT_OK);
    assert_true(isnan(result));
    result = xt_sentinel_double();
    F(xt_fill_sentinel)(grad, 1);
    assert_int_equal(F(xent_bce)(p, y, NULL, 0, XENT_REDUCTION_SUM, 0, &result, NULL, grad, NULL),
                     XENT_OK);
    assert_true(result == 0.0);
    assert_true(F(xt_is_sentinel)(grad, 1));
    result = xt_sentinel_double();
    assert_int_equal(F(xent_bce)(p, y, p, 0, XENT_REDUCTION_MEAN, 0, &result, NULL, grad, NULL),
                     XENT_OK);
    assert_true(isnan(result));
    assert_true(F(xt_is_sentinel)(grad, 1));
    F(xt_fill_sentinel)(out, 1);
    assert_int_equal(F(xent_bce)(p, y, NULL, 0, XENT_REDUCTION_NONE, 0, NULL, out, grad, NULL),
                     XENT_OK);
    assert_true(F(xt_is_sentinel)(out, 1));
    assert_true(F(xt_is_sentinel)(grad, 1));
}

/* ---- every length, misaligned --------------------------------------- */

#define XT_NMAX 300

static void F(bce_lengths_impl)(const char *variant, int weighted)
{
    xt_rng rng = {weighted ? 0x5eedf00du : 0xc0ffeeu};
    /* +1 for the misalignment, +2 guard elements that must stay untouched */
    const size_t cap = XT_NMAX + 3;
    T *pb = xt_alloc(cap * sizeof(T)), *yb = xt_alloc(cap * sizeof(T));
    T *wb = xt_alloc(cap * sizeof(T)), *ob = xt_alloc(cap * sizeof(T));
    T *gb = xt_alloc(cap * sizeof(T)), *g2b = xt_alloc(cap * sizeof(T));
    T *g3b = xt_alloc(cap * sizeof(T));
    for (size_t n = 0; n <= XT_NMAX; n++) {
        for (size_t off = 0; off < 2; off++) {
            T *p = pb + off, *y = yb + off, *w = wb + off, *out = ob + off;
            T *g = gb + off, *g2 = g2b + off, *g3 = g3b + off;
            for (size_t i = 0; i < n; i++) {
                p[i] = F(xt_prob)(&rng);
                y[i] = F(xt_target)(&rng);
                w[i] = F(xt_weight)(&rng);
            }
            const T *wp = weighted ? w : NULL;
            size_t bad = 0;
            double result = xt_sentinel_double();

            /* none: per element against the reference */
            F(xt_fill_sentinel)(ob, cap);
            F(xt_fill_sentinel)(gb, cap);
            assert_int_equal(F(xent_bce)(p, y, wp, n, XENT_REDUCTION_NONE, 0, &result, out, g,
                                         &bad), XENT_OK);
            assert_true(xt_same_bits_double(result, xt_sentinel_double()));
            if (!F(xt_is_sentinel)(ob, off) || !F(xt_is_sentinel)(out + n, 2) ||
                !F(xt_is_sentinel)(gb, off) || !F(xt_is_sentinel)(g + n, 2))
                fail_msg("%s: n=%zu off=%zu: reduction none wrote outside out[0..n)/grad[0..n)",
                         variant, n, off);
            long double refsum = 0, refabs = 0, reftol = 0;
            for (size_t i = 0; i < n; i++) {
                F(check_term)(variant, "none", i, p[i], y[i], w[i], weighted, out[i]);
                F(check_grad)(variant, "none", i, p[i], y[i], w[i], weighted, 0, g[i]);
                long double r = xt_ref_bce(p[i], y[i], weighted ? (long double)w[i] : 1.0L);
                refsum += r;
                refabs += fabsl(r);
                reftol += F(term_tol)(variant, y[i], weighted) * F(xt_ulp)(r);
            }
            long double exact = F(xt_exact_sum)(out, n);
            long double absum = 0;
            for (size_t i = 0; i < n; i++)
                absum += fabsl((long double)out[i]);

            /* sum: compensated against the exact sum of the terms, and
             * against the reference formula */
            F(xt_fill_sentinel)(ob, cap);
            F(xt_fill_sentinel)(g2b, cap);
            result = xt_sentinel_double();
            assert_int_equal(F(xent_bce)(p, y, wp, n, XENT_REDUCTION_SUM, 0, &result, out, g2,
                                         &bad), XENT_OK);
            assert_true(F(xt_is_sentinel)(ob, cap)); /* out ignored */
            if (fabsl((long double)result - exact) > 0x1p-52L * absum)
                fail_msg("%s: n=%zu off=%zu w=%d: sum %.17g, exact sum of the terms %.21Lg "
                         "(relative error %.3Lg > 2^-52)", variant, n, off, weighted, result,
                         exact, fabsl((long double)result - exact) / absum);
            if (fabsl((long double)result - refsum) > reftol + 0x1p-50L * refabs)
                fail_msg("%s: n=%zu off=%zu w=%d: sum %.17g, reference %.21Lg", variant, n,
                         off, weighted, result, refsum);
            if (memcmp(g, g2, n * sizeof(T)) != 0 || !F(xt_is_sentinel)(g2 + n, 2) ||
                !F(xt_is_sentinel)(g2b, off))
                fail_msg("%s: n=%zu off=%zu: the gradient of sum differs from that of none",
                         variant, n, off);

            /* mean: sum / n, weights not in the denominator */
            F(xt_fill_sentinel)(g3b, cap);
            result = xt_sentinel_double();
            assert_int_equal(F(xent_bce)(p, y, wp, n, XENT_REDUCTION_MEAN, 0, &result, NULL, g3,
                                         &bad), XENT_OK);
            if (n == 0) {
                assert_true(isnan(result));
            } else {
                long double m = exact / (long double)n;
                if (fabsl((long double)result - m) > 0x1p-51L * absum / (long double)n)
                    fail_msg("%s: n=%zu off=%zu w=%d: mean %.17g, exact %.21Lg", variant, n,
                             off, weighted, result, m);
                for (size_t i = 0; i < n; i++)
                    F(check_grad)(variant, "mean", i, p[i], y[i], w[i], weighted, n, g3[i]);
            }
            if (!F(xt_is_sentinel)(g3 + n, 2) || !F(xt_is_sentinel)(g3b, off))
                fail_msg("%s: n=%zu off=%zu: mean wrote outside grad[0..n)", variant, n, off);
        }
    }
    xt_free(pb);
    xt_free(yb);
    xt_free(wb);
    xt_free(ob);
    xt_free(gb);
    xt_free(g2b);
    xt_free(g3b);
}

static void F(bce_lengths)(const char *variant) { F(bce_lengths_impl)(variant, 0); }
static void F(bce_lengths_weighted)(const char *variant) { F(bce_lengths_impl)(variant, 1); }

/* ---- weights ---------------------------------------------------------- */

static void F(bce_weights)(const char *variant)
{
    enum { N = 37 };
    xt_rng rng = {77};
    T p[N], y[N], w2[N], w0[N], out[N], out2[N], out0[N], g[N], g2[N];
    for (size_t i = 0; i < N; i++) {
        p[i] = F(xt_prob)(&rng);
        y[i] = F(xt_target)(&rng);
        w2[i] = 2;
        w0[i] = 0;
    }
    p[0] = 0; y[0] = 1; /* 0 * 100, not NaN */
    p[1] = 1; y[1] = 0;
    assert_int_equal(F(xent_bce)(p, y, NULL, N, XENT_REDUCTION_NONE, 0, NULL, out, g, NULL), XENT_OK);
    assert_int_equal(F(xent_bce)(p, y, w2, N, XENT_REDUCTION_NONE, 0, NULL, out2, g2, NULL), XENT_OK);
    assert_int_equal(F(xent_bce)(p, y, w0, N, XENT_REDUCTION_NONE, 0, NULL, out0, NULL, NULL), XENT_OK);
    for (size_t i = 0; i < N; i++) {
        /* scaling by 2 is exact away from the subnormals */
        if (fabs((double)out[i]) >= 4 * XT_MIN && !(out2[i] == 2 * out[i]))
            fail_msg("%s: [%zu] p=%a y=%a: w=2 gives " XT_FMT ", w=1 gives " XT_FMT, variant, i,
                     (double)p[i], (double)y[i], (double)out2[i], (double)out[i]);
        if (fabs((double)g[i]) >= 4 * XT_MIN && !(g2[i] == 2 * g[i]))
            fail_msg("%s: [%zu] p=%a y=%a: grad with w=2 gives " XT_FMT ", w=1 gives " XT_FMT,
                     variant, i, (double)p[i], (double)y[i], (double)g2[i], (double)g[i]);
        if (!(out0[i] == 0))
            fail_msg("%s: [%zu] p=%a y=%a: w=0 gives " XT_FMT, variant, i, (double)p[i],
                     (double)y[i], (double)out0[i]);
    }
    /* weights never enter the mean's denominator */
    double s = 0, m = 0;
    assert_int_equal(F(xent_bce)(p, y, w2, N, XENT_REDUCTION_SUM, 0, &s, NULL, NULL, NULL), XENT_OK);
    assert_int_equal(F(xent_bce)(p, y, w2, N, XENT_REDUCTION_MEAN, 0, &m, NULL, NULL, NULL), XENT_OK);
    if (fabs(m - s / N) > 0x1p-51 * fabs(s / N))
        fail_msg("%s: weighted mean %.17g, weighted sum / n %.17g", variant, m, s / N);
    assert_int_equal(F(xent_bce)(p, y, w0, N, XENT_REDUCTION_MEAN, 0, &m, NULL, NULL, NULL), XENT_OK);
    assert_true(m == 0.0);
}

/* ---- targets ---------------------------------------------------------- */

static void F(bce_check_target)(const char *variant)
{
    enum { N = 40 };
    T p[N], y[N], out[N], g[N];
    double result;
    size_t bad;
    for (size_t i = 0; i < N; i++) {
        p[i] = (T)(i + 1) / (T)(N + 2);
        y[i] = (i % 3 == 0) ? 0 : (i % 3 == 1) ? 1 : (T)0.375;
    }
    /* in-range targets pass the check */
    assert_int_equal(F(xent_bce)(p, y, NULL, N, XENT_REDUCTION_NONE, XENT_CHECK_TARGET, NULL, out,
                                 g, NULL), XENT_OK);
    for (size_t i = 0; i < N; i++)
        F(check_term)(variant, "checked", i, p[i], y[i], 1, 0, out[i]);

    const T bad_values[] = {(T)-0.25, (T)1.5, (T)NAN, (T)INFINITY, (T)-INFINITY,
                            -XT_TRUE_MIN, (T)(1 + XT_EPSILON), 2};
    const size_t positions[] = {0, 3, 17, N - 1};
    const xent_reduction reds[] = {XENT_REDUCTION_NONE, XENT_REDUCTION_SUM, XENT_REDUCTION_MEAN};
    for (size_t b = 0; b < sizeof bad_values / sizeof bad_values[0]; b++)
        for (size_t k = 0; k < sizeof positions / sizeof positions[0]; k++)
            for (size_t r = 0; r < 3; r++) {
                T yy[N];
                memcpy(yy, y, sizeof yy);
                yy[positions[k]] = bad_values[b];
                if (k == 1)
                    yy[N - 2] = bad_values[(b + 1) % 8]; /* a later second one */
                F(xt_fill_sentinel)(out, N);
                F(xt_fill_sentinel)(g, N);
                result = xt_sentinel_double();
                bad = 12345;
                xent_status st = F(xent_bce)(p, yy, NULL, N, reds[r], XENT_CHECK_TARGET, &result,
                                             out, g, &bad);
                if (st != XENT_ETARGET || bad != positions[k])
                    fail_msg("%s: target " XT_FMT " at %zu, reduction %d: status %d bad_index %zu, "
                             "expected XENT_ETARGET at %zu", variant, (double)bad_values[b],
                             positions[k], (int)reds[r], (int)st, bad, positions[k]);
                assert_true(F(xt_is_sentinel)(out, N));
                assert_true(F(xt_is_sentinel)(g, N));
                assert_true(xt_same_bits_double(result, xt_sentinel_double()));
                /* without the flag, torch 1.13 semantics: no check */
                if (!isnan((double)bad_values[b]) && !isinf((double)bad_values[b])) {
                    st = F(xent_bce)(p, yy, NULL, N, XENT_REDUCTION_NONE, 0, NULL, out, NULL, NULL);
                    assert_int_equal(st, XENT_OK);
                }
            }
    /* y = 2 without the check gives the formula's number */
    T p1 = (T)0.25, y1 = 2, o1;
    assert_int_equal(F(xent_bce)(&p1, &y1, NULL, 1, XENT_REDUCTION_NONE, 0, NULL, &o1, NULL, NULL),
                     XENT_OK);
    F(check_term)(variant, "y=2", 0, p1, y1, 1, 0, o1);
}

/* ---- errors --------------------------------------------------------- */

typedef struct F(err_bufs) {
    T out[64], grad[64];
    double result;
    size_t bad;
} F(err_bufs);

static void F(err_reset)(F(err_bufs) *b)
{
    F(xt_fill_sentinel)(b->out, 64);
    F(xt_fill_sentinel)(b->grad, 64);
    b->result = xt_sentinel_double();
    b->bad = 12345;
}

static void F(err_expect)(const char *variant, const char *what, F(err_bufs) *b, xent_status st,
                          xent_status want, size_t want_bad)
{
    if (st != want || b->bad != want_bad)
        fail_msg("%s: %s: status %d bad_index %zu, expected status %d bad_index %zu", variant,
                 what, (int)st, b->bad, (int)want, want_bad);
    if (!F(xt_is_sentinel)(b->out, 64) || !F(xt_is_sentinel)(b->grad, 64) ||
        !xt_same_bits_double(b->result, xt_sentinel_double()))
        fail_msg("%s: %s: an output was written on error", variant, what);
}

static void F(bce_errors)(const char *variant)
{
    enum { N = 64 };
    T p[N], y[N], w[N];
    F(err_bufs) b;
    xent_status st;
    for (size_t i = 0; i < N; i++) {
        p[i] = (T)(i + 1) / (T)(N + 1);
        y[i] = (T)(i & 1);
        w[i] = 1;
    }
    const xent_reduction reds[] = {XENT_REDUCTION_NONE, XENT_REDUCTION_SUM, XENT_REDUCTION_MEAN};
    const size_t NOIDX = (size_t)-1;

    for (size_t r = 0; r < 3; r++) {
        F(err_reset)(&b);
        st = F(xent_bce)(NULL, y, NULL, N, reds[r], 0, &b.result, b.out, b.grad, &b.bad);
        F(err_expect)(variant, "NULL input", &b, st, XENT_EINVAL, NOIDX);
        F(err_reset)(&b);
        st = F(xent_bce)(p, NULL, w, N, reds[r], 0, &b.result, b.out, b.grad, &b.bad);
        F(err_expect)(variant, "NULL target", &b, st, XENT_EINVAL, NOIDX);
    }
    F(err_reset)(&b);
    st = F(xent_bce)(p, y, NULL, N, XENT_REDUCTION_NONE, 0, &b.result, NULL, b.grad, &b.bad);
    F(err_expect)(variant, "NULL out for none", &b, st, XENT_EINVAL, NOIDX);
    F(err_reset)(&b);
    st = F(xent_bce)(p, y, NULL, N, XENT_REDUCTION_SUM, 0, NULL, b.out, b.grad, &b.bad);
    F(err_expect)(variant, "NULL result for sum", &b, st, XENT_EINVAL, NOIDX);
    F(err_reset)(&b);
    st = F(xent_bce)(p, y, NULL, N, XENT_REDUCTION_MEAN, 0, NULL, b.out, b.grad, &b.bad);
    F(err_expect)(variant, "NULL result for mean", &b, st, XENT_EINVAL, NOIDX);
    F(err_reset)(&b);
    st = F(xent_bce)(p, y, NULL, N, (xent_reduction)7, 0, &b.result, b.out, b.grad, &b.bad);
    F(err_expect)(variant, "reduction 7", &b, st, XENT_EINVAL, NOIDX);
    F(err_reset)(&b);
    st = F(xent_bce)(p, y, NULL, N, (xent_reduction)-1, 0, &b.result, b.out, b.grad, &b.bad);
    F(err_expect)(variant, "reduction -1", &b, st, XENT_EINVAL, NOIDX);

    /* sizes whose byte count overflows: nothing may be read or written */
    const size_t huge[] = {SIZE_MAX / 2, SIZE_MAX / sizeof(T) + 1, SIZE_MAX};
    for (size_t h = 0; h < 3; h++)
        for (size_t r = 0; r < 3; r++) {
            F(err_reset)(&b);
            st = F(xent_bce)(p, y, w, huge[h], reds[r], 0, &b.result, b.out, b.grad, &b.bad);
            F(err_expect)(variant, "overflowing n", &b, st, XENT_EOVERFLOW, NOIDX);
        }

    /* p outside [0,1] or NaN: the first offending index */
    const T bad_p[] = {(T)-0.5, -XT_TRUE_MIN, (T)(1 + XT_EPSILON), (T)NAN, (T)INFINITY,
                       (T)-INFINITY, (T)-NAN, 2};
    const size_t positions[] = {0, 1, 7, 8, 15, 16, 31, 33, N - 1};
    char what[128];
    for (size_t v = 0; v < sizeof bad_p / sizeof bad_p[0]; v++)
        for (size_t k = 0; k < sizeof positions / sizeof positions[0]; k++)
            for (size_t r = 0; r < 3; r++) {
                T pp[N];
                memcpy(pp, p, sizeof pp);
                pp[positions[k]] = bad_p[v];
                /* later offenders of other kinds must not win */
                for (size_t j = positions[k] + 3; j < N; j += 11)
                    pp[j] = bad_p[(v + j) % 8];
                F(err_reset)(&b);
                st = F(xent_bce)(pp, y, w, N, reds[r], 0, &b.result, b.out, b.grad, &b.bad);
                snprintf(what, sizeof what, "p=" XT_FMT " at %zu, reduction %d",
                         (double)bad_p[v], positions[k], (int)reds[r]);
                F(err_expect)(variant, what, &b, st, XENT_EDOMAIN, positions[k]);
                /* bad_index may be NULL */
                st = F(xent_bce)(pp, y, w, N, reds[r], 0, &b.result, b.out, b.grad, NULL);
                assert_int_equal(st, XENT_EDOMAIN);
                /* a shorter call that stops before the offender is fine */
                if (positions[k] > 0) {
                    st = F(xent_bce)(pp, y, w, positions[k], XENT_REDUCTION_SUM, 0, &b.result,
                                     NULL, NULL, NULL);
                    assert_int_equal(st, XENT_OK);
                }
            }
}

/* ---- log kernels ------------------------------------------------------- */

static void F(logk_edges)(const char *variant)
{
    const T xs[] = {0, 0, 1, XT_MIN, XT_TRUE_MIN, XT_BIG_SUB, (T)(1 - XT_EPSILON / 2),
                    (T)(1 - XT_EPSILON), (T)0.5, (T)(XT_EPSILON / 2), (T)0.25, (T)0.75,
                    (T)(0.5 - XT_EPSILON / 4), (T)(0.5 + XT_EPSILON / 2),
#if XT_IS_F32
                    1e-40f, 3.7200760e-44f, 3.7835059e-44f, 0.29289323f, 0.70710677f
#else
                    1e-10, 1e-300, 3.720075976020836e-44, 0.2928932188134524, 0.7071067811865476
#endif
    };
    enum { N = sizeof xs / sizeof xs[0] };
    T o1[N], o2[N];
    assert_int_equal(F(xent_log_clamped)(xs, N, o1, NULL), XENT_OK);
    assert_int_equal(F(xent_log1m_clamped)(xs, N, o2, NULL), XENT_OK);
    double tol = xt_is_sleef(variant) ? 2.0 : 1.0;
    for (size_t i = 0; i < N; i++) {
        double e1 = F(xt_err)(o1[i], xt_ref_logc(xs[i]));
        double e2 = F(xt_err)(o2[i], xt_ref_log1mc(xs[i]));
        if (!(e1 <= tol) || !(e2 <= tol))
            fail_msg("%s: x=%a: log_clamped " XT_FMT " (err %.3g), log1m_clamped " XT_FMT
                     " (err %.3g)", variant, (double)xs[i], (double)o1[i], e1, (double)o2[i], e2);
    }
    /* exact values */
    assert_true(o1[0] == -100 && o1[1] == -100 && o1[2] == 0);
    assert_true(o2[0] == 0 && o2[1] == 0 && o2[2] == -100);
    assert_true(o1[4] == -100); /* log(smallest subnormal) < -100 in both dtypes */

    /* a random sweep */
    enum { M = 4099 };
    xt_rng rng = {4242};
    T *x = xt_alloc((M + 1) * sizeof(T)), *a = xt_alloc((M + 1) * sizeof(T));
    T *c = xt_alloc((M + 1) * sizeof(T));
    for (size_t i = 0; i < M + 1; i++)
        x[i] = F(xt_prob)(&rng);
    assert_int_equal(F(xent_log_clamped)(x + 1, M, a + 1, NULL), XENT_OK);
    assert_int_equal(F(xent_log1m_clamped)(x + 1, M, c + 1, NULL), XENT_OK);
    for (size_t i = 1; i < M + 1; i++) {
        double e1 = F(xt_err)(a[i], xt_ref_logc(x[i]));
        double e2 = F(xt_err)(c[i], xt_ref_log1mc(x[i]));
        if (!(e1 <= tol) || !(e2 <= tol))
            fail_msg("%s: x=%a: log_clamped " XT_FMT " (err %.3g), log1m_clamped " XT_FMT
                     " (err %.3g)", variant, (double)x[i], (double)a[i], e1, (double)c[i], e2);
    }
    xt_free(x);
    xt_free(a);
    xt_free(c);
}

static void F(logk_errors)(const char *variant)
{
    enum { N = 50 };
    T x[N], out[N];
    size_t bad;
    xent_status st;
    for (size_t i = 0; i < N; i++)
        x[i] = (T)i / (T)(N - 1);
    xent_status (*const fns[2])(const T *, size_t, T *, size_t *) = {F(xent_log_clamped),
                                                                     F(xent_log1m_clamped)};
    const T bad_x[] = {(T)-1, -XT_TRUE_MIN, (T)(1 + XT_EPSILON), (T)NAN, (T)INFINITY,
                       (T)-INFINITY};
    const size_t positions[] = {0, 5, 16, 17, N - 1};
    for (int f = 0; f < 2; f++) {
        F(xt_fill_sentinel)(out, N);
        bad = 12345;
        st = fns[f](NULL, N, out, &bad);
        if (st != XENT_EINVAL || bad != (size_t)-1 || !F(xt_is_sentinel)(out, N))
            fail_msg("%s: log kernel %d with NULL x: status %d bad %zu", variant, f, (int)st, bad);
        bad = 12345;
        st = fns[f](x, N, NULL, &bad);
        if (st != XENT_EINVAL || bad != (size_t)-1)
            fail_msg("%s: log kernel %d with NULL out: status %d bad %zu", variant, f, (int)st, bad);
        bad = 12345;
        st = fns[f](x, SIZE_MAX / sizeof(T) + 1, out, &bad);
        if (st != XENT_EOVERFLOW || bad != (size_t)-1 || !F(xt_is_sentinel)(out, N))
            fail_msg("%s: log kernel %d with overflowing n: status %d bad %zu", variant, f,
                     (int)st, bad);
        st = fns[f](x, 0, out, NULL);
        assert_int_equal(st, XENT_OK);
        assert_true(F(xt_is_sentinel)(out, N));
        for (size_t v = 0; v < sizeof bad_x / sizeof bad_x[0]; v++)
            for (size_t k = 0; k < sizeof positions / sizeof positions[0]; k++) {
                T xx[N];
                memcpy(xx, x, sizeof xx);
                xx[positions[k]] = bad_x[v];
                if (positions[k] + 2 < N)
                    xx[N - 1] = (T)NAN;
                F(xt_fill_sentinel)(out, N);
                bad = 12345;
                st = fns[f](xx, N, out, &bad);
                if (st != XENT_EDOMAIN || bad != positions[k] || !F(xt_is_sentinel)(out, N))
                    fail_msg("%s: log kernel %d, x=" XT_FMT " at %zu: status %d bad %zu%s", variant,
                             f, (double)bad_x[v], positions[k], (int)st, bad,
                             F(xt_is_sentinel)(out, N) ? "" : " (out written)");
            }
    }
}

/* ---- xent_sum ---------------------------------------------------------- */

static void F(sum_basic)(const char *variant)
{
    double r = xt_sentinel_double();
    T x[300];
    assert_int_equal(F(xent_sum)(x, 0, &r), XENT_OK);
    assert_true(r == 0.0);
    r = xt_sentinel_double();
    assert_int_equal(F(xent_sum)(NULL, 3, &r), XENT_EINVAL);
    assert_true(xt_same_bits_double(r, xt_sentinel_double()));
    assert_int_equal(F(xent_sum)(x, 3, NULL), XENT_EINVAL);
    assert_int_equal(F(xent_sum)(x, SIZE_MAX / sizeof(T) + 1, &r), XENT_EOVERFLOW);
    assert_true(xt_same_bits_double(r, xt_sentinel_double()));
    xt_rng rng = {99};
    for (size_t n = 1; n <= 300; n++) {
        for (size_t i = 0; i < n; i++)
            x[i] = (T)((xt_uniform(&rng) - 0.5) * ldexp(1.0, (int)(xt_next(&rng) % 80) - 40));
        long double ex = F(xt_exact_sum)(x, n), ab = 0;
        for (size_t i = 0; i < n; i++)
            ab += fabsl((long double)x[i]);
        assert_int_equal(F(xent_sum)(x, n, &r), XENT_OK);
        /* double-double lanes: the final rounding plus a tiny multiple of sum |x| */
        if (fabsl((long double)r - ex) > 0x1p-53L * fabsl(ex) + 0x1p-100L * ab)
            fail_msg("%s: xent_sum n=%zu: %.17g, exact %.21Lg", variant, n, r, ex);
    }
    (void)variant;
}

#define XT_BCE_CASES(sfx)                                                         \
    {"bce_" #sfx "_edges", bce_edges_##sfx},                                      \
    {"bce_" #sfx "_negzero", bce_negzero_##sfx},                                  \
    {"bce_" #sfx "_empty", bce_empty_##sfx},                                      \
    {"bce_" #sfx "_lengths", bce_lengths_##sfx},                                  \
    {"bce_" #sfx "_lengths_weighted", bce_lengths_weighted_##sfx},                \
    {"bce_" #sfx "_weights", bce_weights_##sfx},                                  \
    {"bce_" #sfx "_check_target", bce_check_target_##sfx},                        \
    {"bce_" #sfx "_errors", bce_errors_##sfx},                                    \
    {"log_kernels_" #sfx "_edges", logk_edges_##sfx},                             \
    {"log_kernels_" #sfx "_errors", logk_errors_##sfx},                           \
    {"sum_" #sfx "_basic", sum_basic_##sfx}

#undef XT_MIN
#undef XT_TRUE_MIN
#undef XT_EPSILON
#undef XT_FMT
#undef XT_BIG_SUB
#undef XT_GRAD_TOL
#undef XT_GRAD_MEAN_TOL
#undef XT_NMAX
#undef F
#undef XT_CAT
#undef XT_CAT_
