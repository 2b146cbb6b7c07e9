/* The tests of the losses on logits, log-probabilities and probabilities
 * of one dtype, included by test_losses.c with
 *   T          float or double
 *   XT_SFX     f32 or f64
 *   XT_IS_F32  1 or 0
 * Function names get the dtype suffix through F().
 *
 * Every expected value is computed here from the formulas of
 * shared/semantics.md in long double (x86: 64-bit significand, 2^-11 of a
 * double ulp), or is a literal stated there; none comes from xent.
 *
 * Tolerances.  u = XT_U is the unit roundoff of T (2^-24, 2^-53).
 *  - BCE with logits, main tests: the formula as written,
 *    (1 - y) z - c log_sigmoid(z) with c = 1 + (pw - 1) y, subtracts two
 *    pieces, and c is itself a sum; evaluating it in T costs a few
 *    roundings of each piece, so the bound is 3 ulp of the result (+1
 *    with SLEEF) plus 2u times the pieces' magnitude
 *    |(1 - y) z| + (1 + |(pw - 1) y|) |log_sigmoid(z)|.  The accuracy
 *    contract (1 ulp for the terms) is checked on its own in the
 *    bce_logits_*_contract_* cases, so that a contract failure does not
 *    hide the other checks.
 *  - BCE with logits gradient w((pw y + 1 - y) sigmoid(z) - pw y): 5 ulp
 *    plus 2u times the magnitude of the subtracted pieces (the
 *    cancellation at sigmoid(z) ~ y is in the formula itself), plus an
 *    absolute 4 (1 + |w|) * (smallest normal) for sigmoid in the subnormal
 *    range.
 *  - cross-entropy rows, l = -sum_c coef_c lsm_c with
 *    lsm_c = (z_c - max) - log s, s = sum exp(z_c - max): the pieces
 *    (max - z_c) >= 0 and log s >= 0 add without cancellation, but an
 *    evaluation as lse - z_c with lse = max + log s rounded (or, for the
 *    smoothing and probability terms, (sum coef) lse - sum coef_c z_c) is
 *    as legitimate and costs u (|z_c| + |max|): the error scales with the
 *    row's magnitude, not only with its spread.  Further errors: log
 *    rounds (u log s), and s carries the k exponentials' errors (2u) plus
 *    the summation of k positive terms and at most k rescalings of a
 *    one-pass (online) maximum, < (3k + 6) u relative, which log turns
 *    into an absolute error.  So each coefficient contributes
 *    u |coef_c| (2 (|z_c| + |max|) + 2 log s + 3k + 8), the products and
 *    the sum over the nz nonzero coefficients (nz + 2) u sum |coef_c lsm_c|,
 *    and the final rounding 4 ulp.  The bound scales with the dtype's u and
 *    with the row's magnitude (its values and its length k).
 *  - cross-entropy gradient A softmax_c - coef_c (A = sum coef): softmax_c
 *    has the relative error of exp(lsm_c), u (|z_c| + |max| + log s + 3k + 12);
 *    the subtraction of coef_c cancels when softmax_c ~ coef_c / A, which is
 *    the formula's own conditioning (6 u |coef_c|); 4 ulp for the last
 *    roundings, 1 more for MEAN's division; and an absolute
 *    8 (|A| + |coef_c|) * (smallest normal) where softmax underflows (the
 *    strict underflow behaviour is the *_grad_underflow cases).
 *  - nll: -w x is one product: exact without weights, correctly rounded
 *    (0.5 ulp) with them; its gradient -w is exact; for MEAN -w / W, W
 *    rounded to T, and the quotient (or the reciprocal and a product):
 *    2 ulp.
 *  - log_loss: the clipped entries are exact; 1 - p (binary shorthand), the
 *    row sum of k positive entries and the division round in T, which is
 *    at most (k + 3) u of relative error in P[i, y_i], i.e. an absolute
 *    (k + 3) u on -log; the log itself is taken in double (4 ulp of a
 *    double).  Without renormalisation and k >= 2 only the log rounds.
 *  - reductions: against the exact sum of the 'none' terms the compensated
 *    sum may add 2^-52 sum |term| (2^-51 for MEAN's division), as for BCE;
 *    float32 terms may be summed before their rounding to float, so for
 *    float32 one float ulp per term more.  Against the reference: the sum of
 *    the terms' tolerances plus 2^-50 sum |ref|, divided like the result.
 */

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
#define XT_U ((long double)XT_EPSILON / 2)

/* ======================================================================
 * shared helpers
 * ====================================================================== */

/* got within tol of ref; a NaN or infinite reference must be matched in kind. */
static int F(near)(T got, long double ref, long double tol)
{
    if (isnan(ref))
        return isnan(got);
    if (isinf(ref))
        return (long double)got == ref;
    if (!isfinite(got))
        return 0;
    return fabsl((long double)got - ref) <= tol;
}

static T F(rand_class_weight)(xt_rng *r)
{
    return (T)(0.125 + 2.0 * xt_uniform(r)); /* strictly positive */
}

/* log-probabilities for nll: mostly in [-20, 0], and edge values */
static T F(rand_logprob)(xt_rng *r)
{
    static const double special[] = {0.0, -0.0, -1000.0, -88.0, -1e-30, 2.5, -100.0, -745.0};
    uint64_t u = xt_next(r);
    if (u % 8 == 0)
        return (T)special[(u >> 8) % (sizeof special / sizeof special[0])];
    return (T)(-20.0 * xt_uniform(r));
}

static int F(is_sentinel_at)(const T *x, size_t i)
{
    return F(xt_is_sentinel)(x + i, 1);
}

/* ======================================================================
 * binary cross-entropy on logits
 * ====================================================================== */

/* The exact term w ((1 - y) z - c log_sigmoid(z)), c = 1 + (pw - 1) y,
 * rearranged so that for y in [0, 1], pw >= 0 nothing cancels:
 *   z >= 0:  (1 - y) z + c sp,     sp = log1p(exp(-|z|)) >= 0
 *   z <  0:  -pw y z + c sp        ((1 - y - c) z = -pw y z)
 * and *mag, the magnitude of the two pieces the formula as written subtracts. */
static long double F(bcel_ref)(long double z, long double y, long double w, long double pw,
                               long double *mag)
{
    long double c = (1 - y) + pw * y; /* = 1 + (pw - 1) y, without its cancellation */
    long double sp = log1pl(expl(-fabsl(z)));
    long double ls = (z < 0 ? z : 0) - sp;
    long double t = z >= 0 ? (1 - y) * z + c * sp : -pw * y * z + c * sp;
    if (mag) /* c itself is 1 + (pw - 1) y, rounded: its pieces count too */
        *mag = fabsl(w) * (fabsl((1 - y) * z) + (1 + fabsl((pw - 1) * y)) * fabsl(ls));
    return w * t;
}

/* w ((pw y + 1 - y) sigmoid(z) - pw y) = w ((1 - y) sigmoid(z) - pw y sigmoid(-z)) */
static long double F(bcel_gref)(long double z, long double y, long double w, long double pw,
                                long double *mag)
{
    long double sg = xt_ref_sigmoid(z), sgm = xt_ref_sigmoid(-z);
    if (mag) /* a = pw y + 1 - y is rounded from its pieces */
        *mag = fabsl(w) * ((fabsl(pw * y) + 1 + fabsl(y)) * sg + fabsl(pw * y));
    return w * ((1 - y) * sg - pw * y * sgm);
}

static void F(bcel_check_term)(const char *variant, const char *what, size_t i, T z, T y,
                               long double w, long double pw, T got)
{
    long double mag, ref = F(bcel_ref)(z, y, w, pw, &mag);
    long double tol = (3.0L + (xt_is_sleef(variant) ? 1 : 0)) * F(xt_ulp)(ref) + 2 * XT_U * mag +
                      4 * (long double)XT_TRUE_MIN * (1 + fabsl(w));
    if (!F(near)(got, ref, tol))
        fail_msg("%s %s [%zu]: z=" XT_FMT " (%a) y=" XT_FMT " w=%.9Lg pw=%.9Lg: got " XT_FMT
                 ", reference %.21Lg, |error| %.3Lg > tolerance %.3Lg (%.3g ulp)",
                 variant, what, i, (double)z, (double)z, (double)y, w, pw, (double)got, ref,
                 fabsl((long double)got - ref), tol, F(xt_err)(got, ref));
}

static void F(bcel_check_grad)(const char *variant, const char *what, size_t i, T z, T y,
                               long double w, long double pw, size_t div, T got)
{
    long double mag, ref = F(bcel_gref)(z, y, w, pw, &mag);
    if (div) {
        ref /= (long double)div;
        mag /= (long double)div;
    }
    long double tol = 5 * F(xt_ulp)(ref) + 2 * XT_U * mag + 4 * (long double)XT_MIN * (1 + fabsl(w));
    if (!F(near)(got, ref, tol))
        fail_msg("%s %s grad [%zu]: z=" XT_FMT " (%a) y=" XT_FMT " w=%.9Lg pw=%.9Lg div=%zu: got "
                 XT_FMT ", reference %.21Lg, |error| %.3Lg > tolerance %.3Lg",
                 variant, what, i, (double)z, (double)z, (double)y, w, pw, div, (double)got, ref,
                 fabsl((long double)got - ref), tol);
}

/* Checks a SUM or MEAN result against the exact sum of the 'none' terms
 * and against the reference (see the header comment). */
/* On a reduction failure, the terms of a short input. */
static void F(print_terms)(const T *terms, const long double *ref, size_t n)
{
    for (size_t i = 0; i < n && i < 8; i++)
        print_message("    term [%zu]: 'none' gives " XT_FMT " (%a), reference %.21Lg\n", i,
                      (double)terms[i], (double)terms[i], ref[i]);
}

static void F(check_reduction)(const char *ctx, const char *what, double got, const T *terms,
                               const long double *ref, const long double *tol, size_t n,
                               long double div, int mean)
{
    int anynan = 0, pinf = 0, ninf = 0;
    for (size_t i = 0; i < n; i++) {
        if (isnan(ref[i]))
            anynan = 1;
        else if (isinf(ref[i]) && ref[i] > 0)
            pinf = 1;
        else if (isinf(ref[i]))
            ninf = 1;
    }
    if (anynan || (pinf && ninf)) {
        if (!isnan(got)) {
            F(print_terms)(terms, ref, n);
            fail_msg("%s: %s is %.17g, expected NaN (a NaN term)", ctx, what, got);
        }
        return;
    }
    if (pinf || ninf) {
        if (!(got == (pinf ? INFINITY : -INFINITY))) {
            F(print_terms)(terms, ref, n);
            fail_msg("%s: %s is %.17g, expected %sinf (an infinite term)", ctx, what, got,
                     pinf ? "+" : "-");
        }
        return;
    }
    if (mean && div == 0) {
        if (!isnan(got))
            fail_msg("%s: %s is %.17g, expected NaN (empty denominator)", ctx, what, got);
        return;
    }
    if (!mean)
        div = 1;
    long double exact = F(xt_exact_sum)(terms, n), absum = 0, allow = 0;
    long double rs = 0, rt = 0, ra = 0;
    for (size_t i = 0; i < n; i++) {
        absum += fabsl((long double)terms[i]);
        if (XT_IS_F32)
            allow += F(xt_ulp)(terms[i]);
        rs += ref[i];
        rt += tol[i];
        ra += fabsl(ref[i]);
    }
    long double e1 = fabsl((long double)got - exact / div);
    long double t1 = ((mean ? 0x1p-51L : 0x1p-52L) * absum + allow) / div;
    if (!isfinite(got) || e1 > t1) {
        F(print_terms)(terms, ref, n);
        fail_msg("%s: %s %.17g, exact sum of the 'none' terms%s %.21Lg: error %.3Lg > %.3Lg", ctx,
                 what, got, mean ? " / W" : "", exact / div, e1, t1);
    }
    long double e2 = fabsl((long double)got - rs / div);
    long double t2 = (rt + 0x1p-50L * ra) / div;
    if (e2 > t2) {
        F(print_terms)(terms, ref, n);
        fail_msg("%s: %s %.17g, reference %.21Lg: error %.3Lg > %.3Lg", ctx, what, got, rs / div,
                 e2, t2);
    }
    if (!mean && n == 0 && !(got == 0))
        fail_msg("%s: empty sum is %.17g, expected 0", ctx, got);
}

typedef struct F(bcel_case) {
    size_t n, k, off;
    int weighted, with_pw;
    T *z, *y, *w, *pw; /* at their offsets */
} F(bcel_case);

/* Runs NONE / SUM / MEAN with gradients (and SUM / MEAN without) on one
 * input and checks everything, guards included. */
static void F(bcel_run_check)(const char *variant, const char *what, const F(bcel_case) *c)
{
    const size_t n = c->n, off = c->off, cap = off + n + 2;
    T *ob = xt_alloc(cap * sizeof(T)), *g1b = xt_alloc(cap * sizeof(T));
    T *g2b = xt_alloc(cap * sizeof(T)), *g3b = xt_alloc(cap * sizeof(T));
    T *terms = xt_alloc((n + 1) * sizeof(T));
    long double *ref = xt_alloc((n + 1) * sizeof(long double));
    long double *tol = xt_alloc((n + 1) * sizeof(long double));
    T *out = ob + off, *g1 = g1b + off, *g2 = g2b + off, *g3 = g3b + off;
    const T *w = c->weighted ? c->w : NULL, *pw = c->with_pw ? c->pw : NULL;
    char ctx[256];
    snprintf(ctx, sizeof ctx, "%s %s n=%zu k=%zu off=%zu weighted=%d pos_weight=%d", variant,
             what, n, c->k, off, c->weighted, c->with_pw);
    size_t bad = 12345;
    double res;

    for (size_t i = 0; i < n; i++) {
        long double wi = w ? (long double)w[i] : 1, pwi = pw ? (long double)pw[i % c->k] : 1, mag;
        ref[i] = F(bcel_ref)(c->z[i], c->y[i], wi, pwi, &mag);
        tol[i] = (3.0L + (xt_is_sleef(variant) ? 1 : 0)) * F(xt_ulp)(ref[i]) + 2 * XT_U * mag +
                 4 * (long double)XT_TRUE_MIN * (1 + fabsl(wi));
    }

    /* none, with gradient */
    F(xt_fill_sentinel)(ob, cap);
    F(xt_fill_sentinel)(g1b, cap);
    xent_status st = F(xent_bce_logits)(c->z, c->y, w, pw, n, c->k, XENT_REDUCTION_NONE, NULL, out,
                                        g1, &bad);
    if (st != XENT_OK)
        fail_msg("%s: none: status %d (bad_index %zu)", ctx, (int)st, bad);
    for (size_t i = 0; i < n; i++) {
        long double wi = w ? (long double)w[i] : 1, pwi = pw ? (long double)pw[i % c->k] : 1;
        F(bcel_check_term)(variant, ctx, i, c->z[i], c->y[i], wi, pwi, out[i]);
        F(bcel_check_grad)(variant, ctx, i, c->z[i], c->y[i], wi, pwi, 0, g1[i]);
    }
    if (!F(xt_is_sentinel)(ob, off) || !F(xt_is_sentinel)(out + n, 2) ||
        !F(xt_is_sentinel)(g1b, off) || !F(xt_is_sentinel)(g1 + n, 2))
        fail_msg("%s: none wrote outside out[0..n) / grad[0..n)", ctx);
    memcpy(terms, out, n * sizeof(T));

    /* none, without gradient: the same terms */
    F(xt_fill_sentinel)(ob, cap);
    st = F(xent_bce_logits)(c->z, c->y, w, pw, n, c->k, XENT_REDUCTION_NONE, NULL, out, NULL, NULL);
    assert_int_equal(st, XENT_OK);
    for (size_t i = 0; i < n; i++) {
        long double wi = w ? (long double)w[i] : 1, pwi = pw ? (long double)pw[i % c->k] : 1;
        F(bcel_check_term)(variant, ctx, i, c->z[i], c->y[i], wi, pwi, out[i]);
    }

    /* sum, with gradient: out ignored, gradient that of none */
    F(xt_fill_sentinel)(ob, cap);
    F(xt_fill_sentinel)(g2b, cap);
    res = xt_sentinel_double();
    st = F(xent_bce_logits)(c->z, c->y, w, pw, n, c->k, XENT_REDUCTION_SUM, &res, out, g2, &bad);
    if (st != XENT_OK)
        fail_msg("%s: sum: status %d", ctx, (int)st);
    if (!F(xt_is_sentinel)(ob, cap))
        fail_msg("%s: sum wrote into out", ctx);
    F(check_reduction)(ctx, "sum", res, terms, ref, tol, n, 1, 0);
    if (memcmp(g1b, g2b, cap * sizeof(T)) != 0)
        fail_msg("%s: the gradient of sum differs from that of none", ctx);

    /* mean, with gradient divided by n */
    F(xt_fill_sentinel)(g3b, cap);
    res = xt_sentinel_double();
    st = F(xent_bce_logits)(c->z, c->y, w, pw, n, c->k, XENT_REDUCTION_MEAN, &res, NULL, g3, &bad);
    if (st != XENT_OK)
        fail_msg("%s: mean: status %d", ctx, (int)st);
    F(check_reduction)(ctx, "mean", res, terms, ref, tol, n, (long double)n, 1);
    for (size_t i = 0; i < n; i++) {
        long double wi = w ? (long double)w[i] : 1, pwi = pw ? (long double)pw[i % c->k] : 1;
        F(bcel_check_grad)(variant, ctx, i, c->z[i], c->y[i], wi, pwi, n, g3[i]);
    }
    if (!F(xt_is_sentinel)(g3b, off) || !F(xt_is_sentinel)(g3 + n, 2))
        fail_msg("%s: mean wrote outside grad[0..n)", ctx);

    /* sum and mean without gradient */
    res = xt_sentinel_double();
    st = F(xent_bce_logits)(c->z, c->y, w, pw, n, c->k, XENT_REDUCTION_SUM, &res, NULL, NULL, NULL);
    assert_int_equal(st, XENT_OK);
    F(check_reduction)(ctx, "sum (no grad)", res, terms, ref, tol, n, 1, 0);
    res = xt_sentinel_double();
    st = F(xent_bce_logits)(c->z, c->y, w, pw, n, c->k, XENT_REDUCTION_MEAN, &res, NULL, NULL, NULL);
    assert_int_equal(st, XENT_OK);
    F(check_reduction)(ctx, "mean (no grad)", res, terms, ref, tol, n, (long double)n, 1);

    xt_free(ob);
    xt_free(g1b);
    xt_free(g2b);
    xt_free(g3b);
    xt_free(terms);
    xt_free(ref);
    xt_free(tol);
}

/* Every length 0..100 and a few long ones, aligned and misaligned, with
 * and without weights and pos_weight (k classes dividing n). */
static void F(bcel_lengths)(const char *variant)
{
    static const size_t extra[] = {127, 128, 129, 1000, 4099};
    static const size_t ks[] = {1, 2, 3, 7, 16, 17};
    const size_t cap = 4099 + 2;
    xt_rng rng = {0xb0e1u};
    T *zb = xt_alloc(cap * sizeof(T)), *yb = xt_alloc(cap * sizeof(T));
    T *wb = xt_alloc(cap * sizeof(T)), *pwb = xt_alloc(cap * sizeof(T));
    for (size_t idx = 0; idx <= 100 + sizeof extra / sizeof extra[0]; idx++) {
        size_t n = idx <= 100 ? idx : extra[idx - 101];
        for (size_t off = 0; off < 2; off++)
            for (int mode = 0; mode < 4; mode++) {
                F(bcel_case) c;
                c.n = n;
                c.off = off;
                c.weighted = mode & 1;
                c.with_pw = (mode & 2) != 0;
                c.k = ks[(n + off + (size_t)mode) % 6];
                if (n % c.k != 0)
                    c.k = n % 3 == 0 ? 3 : 1;
                for (size_t i = 0; i < n + off; i++) {
                    zb[i] = F(xt_logit)(&rng);
                    yb[i] = F(xt_target)(&rng);
                    wb[i] = F(xt_weight)(&rng);
                    uint64_t u = xt_next(&rng);
                    pwb[i] = u % 5 == 0 ? (T)1 : u % 7 == 0 ? (T)0 : (T)(4.0 * xt_uniform(&rng));
                }
                c.z = zb + off;
                c.y = yb + off;
                c.w = wb + off;
                c.pw = pwb + off;
                F(bcel_run_check)(variant, "lengths", &c);
            }
    }
    xt_free(zb);
    xt_free(yb);
    xt_free(wb);
    xt_free(pwb);
}

static void F(bcel_edges)(const char *variant)
{
    const T zs[] = {0, -(T)0.0, 1000, -1000, 88, -88, 30, -30, 17, -17, (T)1e-3, (T)-1e-3,
                    XT_TRUE_MIN, -XT_TRUE_MIN, XT_MIN, 745, -745, 100, -100, (T)0.5, (T)-0.5,
                    20, -20, 40, -40, 104, -104, 709, -709, 1, -1};
    const T ys[] = {0, 1, (T)0.5, (T)0.25, (T)0.75, (T)1e-3, (T)(1 - XT_EPSILON / 2)};
    enum { NZ = sizeof zs / sizeof zs[0], NY = sizeof ys / sizeof ys[0], N = NZ * NY };
    T z[N], y[N], w[N], pw[N];
    xt_rng rng = {0xed9e};
    for (size_t i = 0; i < NZ; i++)
        for (size_t j = 0; j < NY; j++) {
            z[i * NY + j] = zs[i];
            y[i * NY + j] = ys[j];
        }
    for (size_t i = 0; i < N; i++) {
        w[i] = F(xt_weight)(&rng);
        pw[i] = (T)(0.25 + 3.0 * xt_uniform(&rng));
    }
    F(bcel_case) c = {N, 1, 0, 0, 0, z, y, w, pw};
    F(bcel_run_check)(variant, "edges", &c);
    c.weighted = 1;
    F(bcel_run_check)(variant, "edges weighted", &c);
    c.with_pw = 1;
    c.k = NY; /* pos_weight per target column */
    F(bcel_run_check)(variant, "edges pos_weight", &c);

    /* the values semantics.md states */
    const T dz[] = {-1000, 1000, 0, 0};
    const T dy[] = {1, 0, 0, 1};
    const long double dl[] = {1000.0L, 1000.0L, 0.693147180559945309417232121458176568L,
                              0.693147180559945309417232121458176568L};
    T dout[4], dg[4];
    assert_int_equal(F(xent_bce_logits)(dz, dy, NULL, NULL, 4, 0, XENT_REDUCTION_NONE, NULL, dout,
                                        dg, NULL), XENT_OK);
    for (size_t i = 0; i < 4; i++)
        if (!(F(xt_err)(dout[i], dl[i]) <= 1.0))
            fail_msg("%s: z=%g y=%g gives " XT_FMT ", expected %.21Lg (semantics.md 2)", variant,
                     (double)dz[i], (double)dy[i], (double)dout[i], dl[i]);

    /* NaN propagates to the term and the gradient, and to sum and mean */
    T nz[5] = {(T)0.5, (T)NAN, -3, 1000, -1000}, ny[5] = {1, 0, (T)0.5, 0, 1};
    T no[5], ng[5];
    double r = 0;
    for (size_t yi = 0; yi < 3; yi++) {
        ny[1] = ys[yi];
        assert_int_equal(F(xent_bce_logits)(nz, ny, NULL, NULL, 5, 0, XENT_REDUCTION_NONE, NULL, no,
                                            ng, NULL), XENT_OK);
        if (!isnan(no[1]) || !isnan(ng[1]))
            fail_msg("%s: z=NaN y=%g gives term " XT_FMT " grad " XT_FMT ", expected NaN", variant,
                     (double)ny[1], (double)no[1], (double)ng[1]);
        if (isnan(no[0]) || isnan(no[2]) || isnan(no[3]) || isnan(no[4]))
            fail_msg("%s: a NaN logit spilled into its neighbours' terms", variant);
        assert_int_equal(F(xent_bce_logits)(nz, ny, NULL, NULL, 5, 0, XENT_REDUCTION_SUM, &r, NULL,
                                            NULL, NULL), XENT_OK);
        if (!isnan(r))
            fail_msg("%s: sum with a NaN logit is %.17g", variant, r);
        assert_int_equal(F(xent_bce_logits)(nz, ny, NULL, NULL, 5, 0, XENT_REDUCTION_MEAN, &r, NULL,
                                            NULL, NULL), XENT_OK);
        if (!isnan(r))
            fail_msg("%s: mean with a NaN logit is %.17g", variant, r);
    }

    /* infinite logits: with the mismatched target the term is inf or NaN
     * (as torch); the gradient w (sigmoid(z) - y) is exact: 1, -1, 0, 0 */
    const T iz[4] = {(T)INFINITY, -(T)INFINITY, (T)INFINITY, -(T)INFINITY};
    const T iy[4] = {0, 1, 1, 0};
    const T ig[4] = {1, -1, 0, 0};
    T io[4], igot[4];
    assert_int_equal(F(xent_bce_logits)(iz, iy, NULL, NULL, 4, 0, XENT_REDUCTION_NONE, NULL, io,
                                        igot, NULL), XENT_OK);
    if (isfinite(io[0]) || isfinite(io[1]))
        fail_msg("%s: z=+inf y=0 gives " XT_FMT ", z=-inf y=1 gives " XT_FMT
                 ", expected inf or NaN", variant, (double)io[0], (double)io[1]);
    for (size_t i = 0; i < 4; i++)
        if (!(igot[i] == ig[i]))
            fail_msg("%s: gradient at z=%g y=%g is " XT_FMT ", expected %g", variant,
                     (double)iz[i], (double)iy[i], (double)igot[i], (double)ig[i]);
    assert_int_equal(F(xent_bce_logits)(iz, iy, NULL, NULL, 2, 0, XENT_REDUCTION_SUM, &r, NULL,
                                        NULL, NULL), XENT_OK);
    if (isfinite(r))
        fail_msg("%s: the sum over z=+inf,y=0 and z=-inf,y=1 is finite: %.17g", variant, r);
}

/* pos_weight: element i has class i mod k; k must divide n */
static void F(bcel_pos_weight)(const char *variant)
{
    enum { N = 84 };
    T z[N], y[N], w[N], pw[N], out[N], g[N];
    xt_rng rng = {0x9057};
    for (size_t i = 0; i < N; i++) {
        z[i] = F(xt_logit)(&rng);
        y[i] = F(xt_target)(&rng);
        w[i] = F(xt_weight)(&rng);
        pw[i] = (T)(0.125 * (double)(i % 13)); /* 0, 0.125, ..., 1.5: distinct per class */
    }
    static const size_t ks[] = {1, 2, 3, 4, 6, 7, 12, 14, 21, 28, 42, 84};
    for (size_t j = 0; j < sizeof ks / sizeof ks[0]; j++)
        for (int weighted = 0; weighted < 2; weighted++) {
            F(bcel_case) c = {N, ks[j], 0, weighted, 1, z, y, w, pw};
            F(bcel_run_check)(variant, "pos_weight", &c);
        }
    /* k does not divide n, or is 0, with pos_weight: EINVAL, nothing written */
    static const size_t badk[] = {0, 5, 8, 85, 1000};
    for (size_t j = 0; j < sizeof badk / sizeof badk[0]; j++)
        for (int r = 0; r < 3; r++) {
            size_t bad = 12345;
            double res = xt_sentinel_double();
            F(xt_fill_sentinel)(out, N);
            F(xt_fill_sentinel)(g, N);
            xent_status st = F(xent_bce_logits)(z, y, NULL, pw, N, badk[j], xt_reds[r], &res, out,
                                                g, &bad);
            if (st != XENT_EINVAL || bad != NOIDX || !F(xt_is_sentinel)(out, N) ||
                !F(xt_is_sentinel)(g, N) || !xt_same_bits_double(res, xt_sentinel_double()))
                fail_msg("%s: pos_weight with n=%d k=%zu, reduction %d: status %d bad %zu%s",
                         variant, N, badk[j], r, (int)st, bad,
                         (F(xt_is_sentinel)(out, N) && F(xt_is_sentinel)(g, N)) ? ""
                                                                               : " (outputs written)");
        }
    /* without pos_weight k is ignored */
    for (size_t j = 0; j < sizeof badk / sizeof badk[0]; j++) {
        F(bcel_case) c = {N, badk[j], 0, 1, 0, z, y, w, pw};
        F(bcel_run_check)(variant, "k ignored without pos_weight", &c);
    }
    /* n = 0 with pos_weight and k = 3 is fine */
    double res = xt_sentinel_double();
    assert_int_equal(F(xent_bce_logits)(z, y, NULL, pw, 0, 3, XENT_REDUCTION_SUM, &res, NULL, NULL,
                                        NULL), XENT_OK);
    assert_true(res == 0.0);
}

/* The accuracy contract: each term within 1 ulp of the exact value.
 * float32 terms are computed in double inside the library, so they are
 * within 1 ulp for every target in [0, 1] (2 with a weight or pos_weight:
 * a second rounding).  float64: hard targets 2 ulp (exp, log1p and the
 * final addition each round), soft targets 4 (two products more), +1 with
 * a weight or pos_weight.  SLEEF's functions are themselves 1-ulp
 * functions: +1 for the +sleef variants (as in test_bce).  Soft targets
 * are multiples of 2^-12 so that the float32 double evaluation stays exact
 * enough; logits cover every binade up to |z| = 800; weights and
 * pos_weight are in [1/8, 33/8].  One case per kind of input, so that each
 * is reported on its own:
 *   mode 0: y = 0, 1: y = 1, 2: soft y, 3: soft y with weights,
 *   4: hard y with pos_weight, 5: hard y with weights. */
static const char *const F(contract_mode_name)[] = {
    "y=0", "y=1", "soft y", "soft y, weights", "hard y, pos_weight", "hard y, weights"};

static void F(bcel_contract_modes)(const char *variant, unsigned modes)
{
#if defined(XT_SANITIZE) || defined(XT_EMULATED)
    enum { M = 1 << 12 };
#else
    enum { M = 1 << 16 };
#endif
    xt_rng rng = {0xacc0 + modes};
    T *z = xt_alloc(M * sizeof(T)), *y = xt_alloc(M * sizeof(T)), *w = xt_alloc(M * sizeof(T));
    T *pw = xt_alloc(M * sizeof(T)), *out = xt_alloc(M * sizeof(T));
    int sleef = xt_is_sleef(variant);
    char report[2048];
    size_t rlen = 0;
    report[0] = '\0';
    for (int mode = 0; mode < 6; mode++) {
        if (!(modes & (1u << mode)))
            continue;
        for (size_t i = 0; i < M; i++) {
            uint64_t u = xt_next(&rng);
            if (u % 2) {
                z[i] = F(xt_logit)(&rng);
            } else { /* every binade of |z| in [2^-40, 800) */
                double m = ldexp(1.0 + xt_uniform(&rng), (int)((u >> 8) % 50) - 40);
                if (m > 800)
                    m = 800 * xt_uniform(&rng);
                z[i] = (T)((u >> 20) & 1 ? -m : m);
            }
            if (mode == 0)
                y[i] = 0;
            else if (mode == 1)
                y[i] = 1;
            else if (mode == 2 || mode == 3)
                y[i] = (T)((double)(1 + (xt_next(&rng) % 4095)) / 4096.0);
            else
                y[i] = (T)(xt_next(&rng) & 1);
            w[i] = (T)(0.125 + 4 * xt_uniform(&rng));
            pw[i] = (T)(0.125 + 4 * xt_uniform(&rng));
        }
        int weighted = mode == 3 || mode == 5, with_pw = mode == 4;
        assert_int_equal(F(xent_bce_logits)(z, y, weighted ? w : NULL, with_pw ? pw : NULL, M, M,
                                            XENT_REDUCTION_NONE, NULL, out, NULL, NULL), XENT_OK);
        int hard = mode != 2 && mode != 3;
        /* soft targets: (1 - y) z takes two roundings (<= 2u relative of a
         * piece no larger than the term) before the last one: 2.5 ulp */
        double tol = (hard ? (XT_IS_F32 ? 1.0 : 2.0) : XT_IS_F32 ? 2.5 : 4.0) + (sleef ? 1.0 : 0.0) +
                     ((weighted || with_pw) ? 1.0 : 0.0);
        double worst = 0;
        size_t wi = 0, over = 0;
        for (size_t i = 0; i < M; i++) {
            long double wv = weighted ? (long double)w[i] : 1, pv = with_pw ? (long double)pw[i] : 1;
            long double ref = F(bcel_ref)(z[i], y[i], wv, pv, NULL);
            double e = F(xt_err)(out[i], ref);
            if ((weighted || with_pw) && e < 1e30) {
                /* a subnormal unweighted term has only absolute accuracy,
                 * which a weight or pos_weight scales */
                long double r1 = F(bcel_ref)(z[i], y[i], 1, 1, NULL);
                long double scale = fabsl(wv) * (fabsl(pv) > 1 ? fabsl(pv) : 1);
                if (fabsl(r1) < XT_MIN &&
                    fabsl((long double)out[i] - ref) <=
                        tol * F(xt_ulp)(r1) * scale + F(xt_ulp)(ref))
                    e = 0;
            }
            if (!(e <= tol))
                over++;
            if (!(e <= worst)) {
                worst = e;
                wi = i;
            }
        }
        if (over && rlen + 400 < sizeof report) {
            long double wv = weighted ? (long double)w[wi] : 1, pv = with_pw ? (long double)pw[wi] : 1;
            rlen += (size_t)snprintf(
                report + rlen, sizeof report - rlen,
                "\n    %s: %zu of %d terms above %.0f ulp; worst %.4g ulp at z=" XT_FMT
                " (%a) y=" XT_FMT " w=%.9Lg pw=%.9Lg: got " XT_FMT ", exact %.21Lg",
                F(contract_mode_name)[mode], over, M, tol, worst, (double)z[wi], (double)z[wi],
                (double)y[wi], wv, pv, (double)out[wi], F(bcel_ref)(z[wi], y[wi], wv, pv, NULL));
        }
    }
    xt_free(z);
    xt_free(y);
    xt_free(w);
    xt_free(pw);
    xt_free(out);
    if (rlen)
        fail_msg("%s: bce_logits term accuracy:%s", variant, report);
}

static void F(bcel_contract_hard)(const char *variant) { F(bcel_contract_modes)(variant, 3u); }
static void F(bcel_contract_soft)(const char *variant) { F(bcel_contract_modes)(variant, 4u); }
static void F(bcel_contract_weighted)(const char *variant) { F(bcel_contract_modes)(variant, 40u); }
static void F(bcel_contract_pos_weight)(const char *variant) { F(bcel_contract_modes)(variant, 16u); }

/* pos_weight far from 1: c = 1 + (pw - 1) y must keep its relative
 * accuracy (for y = 1 it is pw itself), so the term stays within a few
 * ulp -- the same tolerance as the contract case with pos_weight. */
static void F(bcel_small_pos_weight)(const char *variant)
{
    const T pws[] = {(T)1e-6, (T)0.0195127926, (T)1e-3, (T)0.3, (T)7.5, (T)1e4};
    const T zs[] = {1, -1, 0, 5, -5, 20, (T)0.25};
    enum { NP = sizeof pws / sizeof pws[0], NZ = sizeof zs / sizeof zs[0] };
    double tol = (XT_IS_F32 ? 1.0 : 2.0) + (xt_is_sleef(variant) ? 1.0 : 0.0) + 1.0;
    for (size_t a = 0; a < NP; a++)
        for (size_t b = 0; b < NZ; b++) {
            T z = zs[b], y = 1, out;
            assert_int_equal(F(xent_bce_logits)(&z, &y, NULL, &pws[a], 1, 1, XENT_REDUCTION_NONE,
                                                NULL, &out, NULL, NULL), XENT_OK);
            long double ref = F(bcel_ref)(z, y, 1, pws[a], NULL);
            double e = F(xt_err)(out, ref);
            if (!(e <= tol))
                fail_msg("%s: bce_logits z=" XT_FMT " y=1 pos_weight=" XT_FMT ": got " XT_FMT
                         ", exact %.21Lg: %.4g ulp > %.0f (relative error %.3Lg)", variant,
                         (double)z, (double)pws[a], (double)out, ref, e, tol,
                         fabsl((long double)out - ref) / fabsl(ref));
        }
}

static void F(bcel_errors)(const char *variant)
{
    enum { N = 60 };
    T z[N], y[N], w[N], pw[N], out[N], g[N];
    for (size_t i = 0; i < N; i++) {
        z[i] = (T)i - 30;
        y[i] = (T)(i & 1);
        w[i] = 1;
        pw[i] = 2;
    }
    struct {
        const char *what;
        const T *z, *y;
        size_t n, k;
        int red;
        int null_result, null_out;
        const T *pw;
        xent_status want;
    } cases[] = {
        {"NULL input", NULL, y, N, 1, 0, 0, 0, NULL, XENT_EINVAL},
        {"NULL input (sum)", NULL, y, N, 1, 1, 0, 0, NULL, XENT_EINVAL},
        {"NULL target", z, NULL, N, 1, 0, 0, 0, NULL, XENT_EINVAL},
        {"NULL target (mean)", z, NULL, N, 1, 2, 0, 0, NULL, XENT_EINVAL},
        {"NULL out for none", z, y, N, 1, 0, 0, 1, NULL, XENT_EINVAL},
        {"NULL result for sum", z, y, N, 1, 1, 1, 0, NULL, XENT_EINVAL},
        {"NULL result for mean", z, y, N, 1, 2, 1, 0, NULL, XENT_EINVAL},
        {"reduction 3", z, y, N, 1, 3, 0, 0, NULL, XENT_EINVAL},
        {"reduction -1", z, y, N, 1, -1, 0, 0, NULL, XENT_EINVAL},
        {"pos_weight k=0", z, y, N, 0, 1, 0, 0, pw, XENT_EINVAL},
        {"pos_weight k=7 with n=60", z, y, N, 7, 2, 0, 0, pw, XENT_EINVAL},
        {"n = SIZE_MAX", z, y, SIZE_MAX, 1, 1, 0, 0, NULL, XENT_EOVERFLOW},
        {"n = SIZE_MAX/2", z, y, SIZE_MAX / 2, 1, 0, 0, 0, NULL, XENT_EOVERFLOW},
        {"n = SIZE_MAX/sizeof+1", z, y, SIZE_MAX / sizeof(T) + 1, 1, 2, 0, 0, NULL, XENT_EOVERFLOW},
    };
    for (size_t j = 0; j < sizeof cases / sizeof cases[0]; j++) {
        size_t bad = 12345;
        double res = xt_sentinel_double();
        F(xt_fill_sentinel)(out, N);
        F(xt_fill_sentinel)(g, N);
        xent_status st = F(xent_bce_logits)(cases[j].z, cases[j].y, w, cases[j].pw, cases[j].n,
                                            cases[j].k, (xent_reduction)cases[j].red,
                                            cases[j].null_result ? NULL : &res,
                                            cases[j].null_out ? NULL : out, g, &bad);
        if (st != cases[j].want || bad != NOIDX)
            fail_msg("%s: bce_logits %s: status %d bad_index %zu, expected %d and SIZE_MAX", variant,
                     cases[j].what, (int)st, bad, (int)cases[j].want);
        if (!F(xt_is_sentinel)(out, N) || !F(xt_is_sentinel)(g, N) ||
            !xt_same_bits_double(res, xt_sentinel_double()))
            fail_msg("%s: bce_logits %s: an output was written on error", variant, cases[j].what);
        /* bad_index may be NULL */
        st = F(xent_bce_logits)(cases[j].z, cases[j].y, w, cases[j].pw, cases[j].n, cases[j].k,
                                (xent_reduction)cases[j].red, cases[j].null_result ? NULL : &res,
                                cases[j].null_out ? NULL : out, g, NULL);
        assert_int_equal(st, cases[j].want);
    }
    /* n = 0: sum 0, mean NaN, nothing written */
    double res = xt_sentinel_double();
    F(xt_fill_sentinel)(out, N);
    F(xt_fill_sentinel)(g, N);
    assert_int_equal(F(xent_bce_logits)(z, y, NULL, NULL, 0, 0, XENT_REDUCTION_SUM, &res, out, g,
                                        NULL), XENT_OK);
    assert_true(res == 0.0);
    assert_int_equal(F(xent_bce_logits)(z, y, NULL, NULL, 0, 0, XENT_REDUCTION_MEAN, &res, NULL, g,
                                        NULL), XENT_OK);
    assert_true(isnan(res));
    assert_int_equal(F(xent_bce_logits)(z, y, NULL, NULL, 0, 0, XENT_REDUCTION_NONE, NULL, out, g,
                                        NULL), XENT_OK);
    assert_true(F(xt_is_sentinel)(out, N) && F(xt_is_sentinel)(g, N));
}


/* ======================================================================
 * cross-entropy on logits (index and probability targets) and nll
 * ====================================================================== */

typedef struct F(ce_pb) {
    int kind; /* XT_K_CE, XT_K_PROB, XT_K_NLL */
    size_t n, k, ld, ldg, ldt, off;
    int weighted;
    double eps;
    int64_t ignore;
    T *zb, *yb, *wb; /* buffers */
    int64_t *tb;
    T *z, *y, *w; /* at the offset; w is NULL when unweighted */
    int64_t *t;
    /* the reference */
    long double *ref, *tol, *gref, *gtol, W;
    int *ignored;
    long double *scratch;
} F(ce_pb);

static void F(ce_alloc)(F(ce_pb) *p, int kind, size_t n, size_t k, size_t ld, size_t ldg, size_t ldt,
                        size_t off, int weighted, double eps, int64_t ignore)
{
    memset(p, 0, sizeof *p);
    p->kind = kind;
    p->n = n;
    p->k = k;
    p->ld = ld;
    p->ldg = ldg;
    p->ldt = ldt;
    p->off = off;
    p->weighted = weighted;
    p->eps = eps;
    p->ignore = ignore;
    p->zb = xt_alloc((off + n * ld + 1) * sizeof(T));
    p->yb = xt_alloc((off + n * ldt + 1) * sizeof(T));
    p->wb = xt_alloc((off + k + 1) * sizeof(T));
    p->tb = xt_alloc((off + n + 1) * sizeof(int64_t));
    p->z = p->zb + off;
    p->y = p->yb + off;
    p->w = weighted ? p->wb + off : NULL;
    p->t = p->tb + off;
    p->ref = xt_alloc((n + 1) * sizeof(long double));
    p->tol = xt_alloc((n + 1) * sizeof(long double));
    p->gref = xt_alloc((n * k + 1) * sizeof(long double));
    p->gtol = xt_alloc((n * k + 1) * sizeof(long double));
    p->ignored = xt_alloc((n + 1) * sizeof(int));
    p->scratch = xt_alloc((k + 1) * sizeof(long double));
}

static void F(ce_free)(F(ce_pb) *p)
{
    xt_free(p->zb);
    xt_free(p->yb);
    xt_free(p->wb);
    xt_free(p->tb);
    xt_free(p->ref);
    xt_free(p->tol);
    xt_free(p->gref);
    xt_free(p->gtol);
    xt_free(p->ignored);
    xt_free(p->scratch);
}

/* Random logits (log-probabilities for nll), targets and weights; the
 * padding between rows (and around them) is NaN, so that reading it
 * shows.  ignore_mode: 0 no ignored row, 1 about every fifth row, 2 the
 * first and the last row, 3 every row. */
static void F(ce_fill)(F(ce_pb) *p, xt_rng *rng, int ignore_mode)
{
    const size_t n = p->n, k = p->k;
    for (size_t j = 0; j < p->off + n * p->ld + 1; j++)
        p->zb[j] = (T)NAN;
    for (size_t i = 0; i < n; i++)
        for (size_t c = 0; c < k; c++)
            p->z[i * p->ld + c] = p->kind == XT_K_NLL ? F(rand_logprob)(rng) : F(xt_logit)(rng);
    for (size_t j = 0; j < p->off + n * p->ldt + 1; j++)
        p->yb[j] = (T)NAN;
    for (size_t i = 0; i < n; i++)
        for (size_t c = 0; c < k; c++) {
            uint64_t u = xt_next(rng);
            p->y[i * p->ldt + c] = u % 8 == 0 ? (T)0 : u % 8 == 1 ? (T)1 : (T)xt_uniform(rng);
        }
    for (size_t c = 0; c < p->off + k + 1; c++)
        p->wb[c] = F(rand_class_weight)(rng);
    for (size_t i = 0; i < n; i++) {
        p->t[i] = (int64_t)(xt_next(rng) % k);
        if ((ignore_mode == 1 && xt_next(rng) % 5 == 0) ||
            (ignore_mode == 2 && (i == 0 || i + 1 == n)) || ignore_mode == 3)
            p->t[i] = p->ignore;
    }
}

/* One row of l = -sum_c coef_c lsm_c, its gradient A softmax - coef and
 * their tolerances (see the header comment).  A NaN, +inf, or all -inf row
 * has a NaN log-softmax (z - max is NaN somewhere, or s is). */
static void F(ce_row_ref)(const T *z, size_t k, const long double *coef, long double *e,
                          long double *ref, long double *tol, long double *g, long double *gt)
{
    long double m = -INFINITY;
    int bad = 0;
    size_t am = 0;
    for (size_t c = 0; c < k; c++) {
        if (isnan(z[c]))
            bad = 1;
        else if ((long double)z[c] > m) {
            m = z[c];
            am = c;
        }
    }
    if (bad || isinf(m)) {
        *ref = NAN;
        *tol = 0;
        for (size_t c = 0; c < k; c++) {
            g[c] = NAN;
            gt[c] = 0;
        }
        return;
    }
    long double s = 0, so = 0;
    for (size_t c = 0; c < k; c++) {
        e[c] = expl((long double)z[c] - m);
        s += e[c];
        if (c != am)
            so += e[c];
    }
    long double ls = logl(s), loss = 0, A = 0, mag = 0, sab = 0;
    size_t nz = 0;
    for (size_t c = 0; c < k; c++) {
        if (coef[c] == 0)
            continue;
        long double d = (long double)z[c] - m, lsm = d - ls;
        loss -= coef[c] * lsm;
        A += coef[c];
        mag += fabsl(coef[c]) *
               (2 * (fabsl((long double)z[c]) + fabsl(m)) + 2 * ls + 3.0L * (long double)k + 8);
        sab += fabsl(coef[c] * lsm);
        nz++;
    }
    *ref = loss;
    *tol = 4 * F(xt_ulp)(loss) + XT_U * (mag + (long double)(nz + 2) * sab);
    for (size_t c = 0; c < k; c++) {
        long double sm = e[c] / s, om = c == am ? so / s : (s - e[c]) / s;
        g[c] = (A - coef[c]) * sm - coef[c] * om;
        long double gm = 6 * fabsl(coef[c]);
        if (sm > 0)
            gm += fabsl(A) * sm *
                  (fabsl((long double)z[c]) + fabsl(m) + ls + 3.0L * (long double)k + 12);
        gt[c] = 4 * F(xt_ulp)(g[c]) + XT_U * gm + 8 * (long double)XT_MIN * (fabsl(A) + fabsl(coef[c]));
    }
}

static void F(ce_reference)(F(ce_pb) *p)
{
    const size_t n = p->n, k = p->k;
    const long double eps = p->eps > 0 ? (long double)p->eps : 0; /* eps < 0 acts as 0 */
    long double *coef = xt_alloc((k + 1) * sizeof(long double));
    p->W = 0;
    for (size_t i = 0; i < n; i++) {
        long double *g = p->gref + i * k, *gt = p->gtol + i * k;
        const T *zr = p->z + i * p->ld;
        if (p->kind != XT_K_PROB && p->t[i] == p->ignore) {
            p->ignored[i] = 1;
            p->ref[i] = 0;
            p->tol[i] = 0;
            for (size_t c = 0; c < k; c++)
                g[c] = gt[c] = 0;
            continue;
        }
        p->ignored[i] = 0;
        if (p->kind == XT_K_NLL) {
            size_t t = (size_t)p->t[i];
            long double wt = p->w ? (long double)p->w[t] : 1;
            p->ref[i] = -wt * (long double)zr[t]; /* exact in long double */
            p->tol[i] = p->w ? 0.5L * F(xt_ulp)(p->ref[i]) : 0;
            for (size_t c = 0; c < k; c++) {
                g[c] = c == t ? -wt : 0;
                gt[c] = 0;
            }
            p->W += wt;
            continue;
        }
        if (p->kind == XT_K_CE) {
            size_t t = (size_t)p->t[i];
            long double wt = p->w ? (long double)p->w[t] : 1;
            for (size_t c = 0; c < k; c++)
                coef[c] = eps / (long double)k * (p->w ? (long double)p->w[c] : 1) +
                          (c == t ? (1 - eps) * wt : 0);
            p->W += wt;
        } else {
            for (size_t c = 0; c < k; c++)
                coef[c] = (p->w ? (long double)p->w[c] : 1) *
                          ((long double)p->y[i * p->ldt + c] * (1 - eps) + eps / (long double)k);
        }
        F(ce_row_ref)(zr, k, coef, p->scratch, &p->ref[i], &p->tol[i], g, gt);
    }
    if (p->kind == XT_K_PROB)
        p->W = (long double)n;
    xt_free(coef);
}

static xent_status F(ce_call)(const F(ce_pb) *p, xent_reduction red, double *res, T *out, T *grad,
                              size_t *bad)
{
    switch (p->kind) {
    case XT_K_CE:
        return F(xent_cross_entropy)(p->z, p->n, p->k, p->ld, p->t, p->w, p->ignore, p->eps, red,
                                     res, out, grad, p->ldg, bad);
    case XT_K_PROB:
        return F(xent_cross_entropy_prob)(p->z, p->n, p->k, p->ld, p->y, p->ldt, p->w, p->eps, red,
                                          res, out, grad, p->ldg, bad);
    default:
        return F(xent_nll)(p->z, p->n, p->k, p->ld, p->t, p->w, p->ignore, red, res, out, grad,
                           p->ldg, bad);
    }
}

static void F(ce_row_text)(const F(ce_pb) *p, size_t i, char *buf, size_t cap)
{
    size_t len = 0;
    buf[0] = '\0';
    for (size_t c = 0; c < p->k && c < 6 && len + 32 < cap; c++)
        len += (size_t)snprintf(buf + len, cap - len, "%s%.9g", c ? ", " : "[",
                                (double)p->z[i * p->ld + c]);
    snprintf(buf + len, cap - len, "%s", p->k > 6 ? ", ...]" : "]");
}

static void F(ce_check_terms)(const char *ctx, const char *what, const F(ce_pb) *p, const T *out)
{
    for (size_t i = 0; i < p->n; i++) {
        if (p->ignored[i]) {
            if (!(out[i] == 0))
                fail_msg("%s: %s: ignored row %zu gives " XT_FMT ", expected 0", ctx, what, i,
                         (double)out[i]);
        } else if (!F(near)(out[i], p->ref[i], p->tol[i])) {
            char row[256];
            F(ce_row_text)(p, i, row, sizeof row);
            fail_msg("%s: %s row %zu (target %lld): got " XT_FMT ", reference %.21Lg, |error| %.3Lg "
                     "> tolerance %.3Lg; logits %s", ctx, what, i,
                     p->kind == XT_K_PROB ? -1LL : (long long)p->t[i], (double)out[i], p->ref[i],
                     fabsl((long double)out[i] - p->ref[i]), p->tol[i], row);
        }
    }
}

/* The gradient rows at gb + off + i * ldg, divided by div, and the
 * sentinel everywhere else in gb[0..gcap). */
static void F(ce_check_grads)(const char *ctx, const char *what, const F(ce_pb) *p, const T *gb,
                              size_t gcap, long double div)
{
    const size_t n = p->n, k = p->k;
    size_t next = 0;
    for (size_t i = 0; i < n; i++) {
        size_t start = p->off + i * p->ldg;
        for (size_t j = next; j < start; j++)
            if (!F(is_sentinel_at)(gb, j))
                fail_msg("%s: %s: written at padding element %zu (before row %zu)", ctx, what, j, i);
        for (size_t c = 0; c < k; c++) {
            T v = gb[start + c];
            if (p->ignored[i]) {
                if (!(v == 0))
                    fail_msg("%s: %s: ignored row %zu has gradient " XT_FMT " at class %zu", ctx,
                             what, i, (double)v, c);
                continue;
            }
            long double ref = p->gref[i * k + c] / div;
            long double tol = p->gtol[i * k + c] / div + (div != 1 ? 2 * F(xt_ulp)(ref) : 0);
            if (!F(near)(v, ref, tol)) {
                char row[256];
                F(ce_row_text)(p, i, row, sizeof row);
                fail_msg("%s: %s [%zu, %zu] (target %lld): got " XT_FMT ", reference %.21Lg, "
                         "|error| %.3Lg > tolerance %.3Lg; logits %s", ctx, what, i, c,
                         p->kind == XT_K_PROB ? -1LL : (long long)p->t[i], (double)v, ref,
                         fabsl((long double)v - ref), tol, row);
            }
        }
        next = start + k;
    }
    for (size_t j = next; j < gcap; j++)
        if (!F(is_sentinel_at)(gb, j))
            fail_msg("%s: %s: written at element %zu after the last row", ctx, what, j);
}

static const char *F(kind_name)(int kind)
{
    return kind == XT_K_CE ? "cross_entropy" : kind == XT_K_PROB ? "cross_entropy_prob" : "nll";
}

/* Runs NONE / SUM / MEAN, with and without gradient, and checks terms,
 * gradients, reductions and guards against the reference. */
static void F(ce_check)(const char *variant, const char *what, F(ce_pb) *p)
{
    const size_t n = p->n, off = p->off;
    const size_t ocap = off + n + 2, gcap = off + n * p->ldg + 2;
    T *ob = xt_alloc(ocap * sizeof(T)), *g1b = xt_alloc(gcap * sizeof(T));
    T *g2b = xt_alloc(gcap * sizeof(T)), *g3b = xt_alloc(gcap * sizeof(T));
    T *terms = xt_alloc((n + 1) * sizeof(T));
    T *out = ob + off;
    char ctx[320];
    snprintf(ctx, sizeof ctx,
             "%s %s %s n=%zu k=%zu ld=%zu ldg=%zu ldt=%zu off=%zu weighted=%d eps=%g ignore=%lld",
             variant, F(kind_name)(p->kind), what, n, p->k, p->ld, p->ldg, p->ldt, off,
             p->weighted, p->eps, (long long)p->ignore);
    int all_ignored = 1;
    for (size_t i = 0; i < n; i++)
        if (!p->ignored[i])
            all_ignored = 0;
    size_t bad = 12345;
    double res;
    xent_status st;

    /* none, with gradient */
    F(xt_fill_sentinel)(ob, ocap);
    F(xt_fill_sentinel)(g1b, gcap);
    st = F(ce_call)(p, XENT_REDUCTION_NONE, NULL, out, g1b + off, &bad);
    if (st != XENT_OK)
        fail_msg("%s: none: status %d (bad_index %zu)", ctx, (int)st, bad);
    F(ce_check_terms)(ctx, "none", p, out);
    if (!F(xt_is_sentinel)(ob, off) || !F(xt_is_sentinel)(out + n, 2))
        fail_msg("%s: none wrote outside out[0..n)", ctx);
    F(ce_check_grads)(ctx, "grad (none)", p, g1b, gcap, 1);
    memcpy(terms, out, n * sizeof(T));

    /* none, without gradient */
    F(xt_fill_sentinel)(ob, ocap);
    st = F(ce_call)(p, XENT_REDUCTION_NONE, NULL, out, NULL, NULL);
    if (st != XENT_OK)
        fail_msg("%s: none (no grad): status %d", ctx, (int)st);
    F(ce_check_terms)(ctx, "none (no grad)", p, out);
    if (!F(xt_is_sentinel)(ob, off) || !F(xt_is_sentinel)(out + n, 2))
        fail_msg("%s: none (no grad) wrote outside out[0..n)", ctx);

    /* sum, with gradient: out ignored, gradient that of none */
    F(xt_fill_sentinel)(ob, ocap);
    F(xt_fill_sentinel)(g2b, gcap);
    res = xt_sentinel_double();
    st = F(ce_call)(p, XENT_REDUCTION_SUM, &res, out, g2b + off, &bad);
    if (st != XENT_OK)
        fail_msg("%s: sum: status %d (bad_index %zu)", ctx, (int)st, bad);
    if (!F(xt_is_sentinel)(ob, ocap))
        fail_msg("%s: sum wrote into out", ctx);
    F(check_reduction)(ctx, "sum", res, terms, p->ref, p->tol, n, 1, 0);
    if (memcmp(g1b, g2b, gcap * sizeof(T)) != 0) {
        F(ce_check_grads)(ctx, "grad (sum)", p, g2b, gcap, 1); /* a clearer message, if any */
        fail_msg("%s: the gradient of sum differs (bitwise) from that of none", ctx);
    }

    /* mean, with gradient: divided by W */
    int zero_w = p->W == 0 && !all_ignored; /* zero class weights: ce_weights */
    F(xt_fill_sentinel)(g3b, gcap);
    res = xt_sentinel_double();
    st = F(ce_call)(p, XENT_REDUCTION_MEAN, &res, NULL, g3b + off, &bad);
    if (!zero_w) {
        if (st != XENT_OK)
            fail_msg("%s: mean: status %d (bad_index %zu)", ctx, (int)st, bad);
        F(check_reduction)(ctx, "mean", res, terms, p->ref, p->tol, n, all_ignored ? 0 : p->W, 1);
        F(ce_check_grads)(ctx, "grad (mean)", p, g3b, gcap, all_ignored ? 1 : p->W);
    }

    /* sum and mean without gradient */
    res = xt_sentinel_double();
    st = F(ce_call)(p, XENT_REDUCTION_SUM, &res, NULL, NULL, NULL);
    if (st != XENT_OK)
        fail_msg("%s: sum (no grad): status %d", ctx, (int)st);
    F(check_reduction)(ctx, "sum (no grad)", res, terms, p->ref, p->tol, n, 1, 0);
    if (!zero_w) {
        res = xt_sentinel_double();
        st = F(ce_call)(p, XENT_REDUCTION_MEAN, &res, NULL, NULL, NULL);
        if (st != XENT_OK)
            fail_msg("%s: mean (no grad): status %d", ctx, (int)st);
        F(check_reduction)(ctx, "mean (no grad)", res, terms, p->ref, p->tol, n,
                           all_ignored ? 0 : p->W, 1);
    }
    xt_free(ob);
    xt_free(g1b);
    xt_free(g2b);
    xt_free(g3b);
    xt_free(terms);
}

/* alloc + fill + reference + check + free */
static void F(ce_one)(const char *variant, const char *what, xt_rng *rng, int kind, size_t n,
                      size_t k, size_t ld, size_t ldg, size_t ldt, size_t off, int weighted,
                      double eps, int64_t ignore, int ignore_mode)
{
    F(ce_pb) p;
    F(ce_alloc)(&p, kind, n, k, ld, ldg, ldt, off, weighted, eps, ignore);
    F(ce_fill)(&p, rng, ignore_mode);
    F(ce_reference)(&p);
    F(ce_check)(variant, what, &p);
    F(ce_free)(&p);
}

/* Every n = 0..40 with every k = 1..40, then k = 1000 and 4099, and a
 * long n: (A) contiguous, aligned, unweighted; (B) ld > k, ldg > k,
 * ldt > k, every pointer misaligned by one element, class weights, label
 * smoothing 0.1, some rows ignored; (C) ignore_index inside [0, k), the
 * first and last rows ignored, weights (label smoothing 1 for
 * probability targets). */
static void F(ce_shapes_kind)(const char *variant, int kind, uint64_t seed)
{
    xt_rng rng = {seed};
    const double eps_b = kind == XT_K_NLL ? 0.0 : 0.1;
#if defined(XT_SANITIZE) || defined(XT_EMULATED)
    const size_t step = 3; /* a strided subset under the sanitizers and qemu */
#else
    const size_t step = 1;
#endif
    for (size_t n = 0; n <= 40; n += n < 4 ? 1 : step)
        for (size_t k = 1; k <= 40; k += k < 4 ? 1 : step) {
            F(ce_one)(variant, "A", &rng, kind, n, k, k, k, k, 0, 0, 0.0, -100, 0);
            F(ce_one)(variant, "B", &rng, kind, n, k, k + 3, k + 1, k + 2, 1, 1, eps_b, -100, 1);
            if ((n + k) % 3 == 0)
                F(ce_one)(variant, "C", &rng, kind, n, k, k + 1, k + 2, k + 1, 1, 1,
                          kind == XT_K_PROB ? 1.0 : 0.0, (int64_t)(k / 2), 2);
        }
    static const size_t bigk[] = {1000, 4099};
    static const size_t bign[] = {1, 2, 3, 5, 17};
    for (size_t a = 0; a < 2; a++)
        for (size_t b = 0; b < sizeof bign / sizeof bign[0]; b++) {
            size_t n = bign[b], k = bigk[a];
            F(ce_one)(variant, "A large k", &rng, kind, n, k, k, k, k, 0, 0, 0.0, -100, 0);
            F(ce_one)(variant, "B large k", &rng, kind, n, k, k + 3, k + 1, k + 2, 1, 1, eps_b,
                      -100, 1);
        }
    F(ce_one)(variant, "B long", &rng, kind, 2000, 3, 6, 4, 5, 1, 1, eps_b, -100, 1);
    F(ce_one)(variant, "A long", &rng, kind, 300, 17, 17, 17, 17, 0, 0, 0.0, -100, 0);
}

static void F(ce_shapes)(const char *variant) { F(ce_shapes_kind)(variant, XT_K_CE, 0xce01); }
static void F(prob_shapes)(const char *variant) { F(ce_shapes_kind)(variant, XT_K_PROB, 0xce02); }
static void F(nll_shapes)(const char *variant) { F(ce_shapes_kind)(variant, XT_K_NLL, 0xce03); }

/* Rows of edge logits: +-1000, +-88, 0, -inf (finite results where the
 * formula stays finite), +inf, NaN and all -inf (NaN, the formula's
 * z - max is NaN), with the values these rows must give. */
static void F(ce_edges)(const char *variant)
{
    const T I = (T)INFINITY, Q = (T)NAN;
    enum { K = 4, R = 11 };
    const T rows[R][K] = {
        {1000, 1000, -1000, 0}, {1000, -1000, 88, -88}, {-1000, -1000, -1000, -1000},
        {88, 88, 88, 88},       {0, -I, 0, 0},          {0, -I, 1, 2},
        {Q, 0, 1, 2},           {0, I, 1, 2},           {-I, -I, -I, -I},
        {-88, 88, -1000, 1000}, {0, 0, 0, 0},
    };
    const int64_t tg[R] = {0, 1, 2, 3, 0, 1, 2, 0, 0, 3, 0};
    const long double ln2 = 0.693147180559945309417232121458176568L;
    const long double ln3 = 1.098612288668109691395245236922525704L;
    const long double ln4 = 1.386294361119890618834464242916353136L;
    /* eps = 0: NaN marks NaN; INFINITY inf */
    const long double want0[R] = {ln2, 2000, ln4, ln4, ln3, INFINITY, NAN, NAN, NAN, 0, ln4};
    static const size_t finite_rows[] = {0, 1, 2, 3, 4, 9, 10};
    static const size_t all_rows[] = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
    static const size_t noinf_rows[] = {0, 1, 2, 3, 9, 10};
    const double epss[] = {0.0, 0.1};
    for (size_t e = 0; e < 2; e++)
        for (int set = 0; set < 3; set++) {
            const size_t *rs = set == 0 ? all_rows : set == 1 ? finite_rows : noinf_rows;
            size_t nr = set == 0 ? R : set == 1 ? 7 : 6;
            F(ce_pb) p;
            F(ce_alloc)(&p, XT_K_CE, nr, K, K, K, K, 0, 0, epss[e], -100);
            for (size_t i = 0; i < nr; i++) {
                memcpy(p.z + i * K, rows[rs[i]], sizeof rows[0]);
                p.t[i] = tg[rs[i]];
            }
            F(ce_reference)(&p);
            F(ce_check)(variant, "edges", &p);
            if (epss[e] == 0) {
                T out[R];
                assert_int_equal(F(ce_call)(&p, XENT_REDUCTION_NONE, NULL, out, NULL, NULL),
                                 XENT_OK);
                for (size_t i = 0; i < nr; i++) {
                    /* rows 0, 2, 3 (max +-1000, 88) are within the row
                     * tolerance above; an exact value is only required
                     * where every evaluation order gives it */
                    if (rs[i] == 0 || rs[i] == 2 || rs[i] == 3)
                        continue;
                    long double wv = want0[rs[i]];
                    int ok = isnan(wv)   ? isnan(out[i])
                             : isinf(wv) ? out[i] == (T)INFINITY
                                         : F(xt_err)(out[i], wv) <= 2.0;
                    if (!ok)
                        fail_msg("%s: cross_entropy of row %zu (target %lld) gives " XT_FMT
                                 ", expected %.21Lg", variant, rs[i], (long long)tg[rs[i]],
                                 (double)out[i], wv);
                }
            } else if (set != 2) {
                /* smoothing takes every lsm_c: the -inf logit makes row 4 infinite */
                T out[R];
                assert_int_equal(F(ce_call)(&p, XENT_REDUCTION_NONE, NULL, out, NULL, NULL),
                                 XENT_OK);
                if (!(out[4] == (T)INFINITY))
                    fail_msg("%s: row [0, -inf, 0, 0] with label smoothing 0.1 gives " XT_FMT
                             ", expected inf", variant, (double)out[4]);
            }
            F(ce_free)(&p);
        }
}

/* ignore_index: first / last / every row, inside [0, k), outside, extreme
 * values; an ignored row's logits (even NaN, inf) are never used. */
static void F(ce_ignore_kind)(const char *variant, int kind)
{
    enum { N = 9, K = 5 };
    xt_rng rng = {0x1970 + (uint64_t)kind};
    const double eps = kind == XT_K_CE ? 0.1 : 0.0;
    for (int weighted = 0; weighted < 2; weighted++) {
        F(ce_pb) p;
        /* first and last rows ignored, and they hold NaN and inf */
        F(ce_alloc)(&p, kind, N, K, K + 1, K + 2, K, 1, weighted, eps, -100);
        F(ce_fill)(&p, &rng, 2);
        for (size_t c = 0; c < K; c++) {
            p.z[c] = (T)NAN;
            p.z[(N - 1) * p.ld + c] = c == 2 ? (T)INFINITY : (T)-INFINITY;
        }
        F(ce_reference)(&p);
        F(ce_check)(variant, "first and last ignored (NaN/inf rows)", &p);
        /* every row ignored: mean NaN, sum 0, zeros out and in the gradient */
        F(ce_fill)(&p, &rng, 3);
        F(ce_reference)(&p);
        F(ce_check)(variant, "all ignored", &p);
        F(ce_free)(&p);
        /* ignore_index inside [0, k): those rows are ignored, not errors */
        F(ce_alloc)(&p, kind, N, K, K, K, K, 0, weighted, eps, 2);
        F(ce_fill)(&p, &rng, 1);
        p.t[3] = 2;
        p.t[4] = 0;
        F(ce_reference)(&p);
        F(ce_check)(variant, "ignore_index 2", &p);
        F(ce_free)(&p);
        /* ignore_index outside [0, k), and extreme ones */
        const int64_t igs[] = {K, 7, -1, INT64_MIN, INT64_MAX};
        for (size_t j = 0; j < sizeof igs / sizeof igs[0]; j++) {
            F(ce_alloc)(&p, kind, N, K, K, K, K, 0, weighted, eps, igs[j]);
            F(ce_fill)(&p, &rng, 1);
            p.t[N - 1] = igs[j];
            F(ce_reference)(&p);
            F(ce_check)(variant, "ignore_index outside [0,k)", &p);
            F(ce_free)(&p);
        }
    }
}

static void F(ce_ignore)(const char *variant) { F(ce_ignore_kind)(variant, XT_K_CE); }
static void F(nll_ignore)(const char *variant) { F(ce_ignore_kind)(variant, XT_K_NLL); }

/* Every output of the three reductions, for bitwise comparisons. */
typedef struct F(ce_runs) {
    T *out, *g_none, *g_mean;
    double sum, mean;
    xent_status st[3];
} F(ce_runs);

static void F(ce_run_all)(const F(ce_pb) *p, F(ce_runs) *r, size_t gcap)
{
    F(xt_fill_sentinel)(r->out, p->n + 1);
    F(xt_fill_sentinel)(r->g_none, gcap);
    F(xt_fill_sentinel)(r->g_mean, gcap);
    r->sum = r->mean = 0;
    r->st[0] = F(ce_call)(p, XENT_REDUCTION_NONE, NULL, r->out, r->g_none, NULL);
    r->st[1] = F(ce_call)(p, XENT_REDUCTION_SUM, &r->sum, NULL, NULL, NULL);
    r->st[2] = F(ce_call)(p, XENT_REDUCTION_MEAN, &r->mean, NULL, r->g_mean, NULL);
}

/* label_smoothing: 0, 0.1, 0.5, 1 against the reference; eps < 0 exactly
 * as eps = 0; eps > 1, NaN and inf are XENT_EINVAL with nothing written. */
static void F(smoothing_kind)(const char *variant, int kind)
{
    enum { N = 13, K = 7 };
    xt_rng rng = {0x5300 + (uint64_t)kind};
    const double good[] = {0.0, 0.1, 0.5, 1.0, 0x1p-30};
    for (size_t e = 0; e < sizeof good / sizeof good[0]; e++)
        for (int weighted = 0; weighted < 2; weighted++)
            F(ce_one)(variant, "smoothing", &rng, kind, N, K, K + 2, K + 1, K + 3, 1, weighted,
                      good[e], -100, 1);

    const double negs[] = {-0.5, -1e-300, -1.0, -(double)INFINITY};
    const size_t gcap = N * (K + 1) + 1;
    F(ce_runs) a, b;
    a.out = xt_alloc((N + 1) * sizeof(T));
    b.out = xt_alloc((N + 1) * sizeof(T));
    a.g_none = xt_alloc(gcap * sizeof(T));
    b.g_none = xt_alloc(gcap * sizeof(T));
    a.g_mean = xt_alloc(gcap * sizeof(T));
    b.g_mean = xt_alloc(gcap * sizeof(T));
    for (int weighted = 0; weighted < 2; weighted++) {
        F(ce_pb) p;
        F(ce_alloc)(&p, kind, N, K, K, K + 1, K, 0, weighted, 0.0, -100);
        F(ce_fill)(&p, &rng, 1);
        F(ce_run_all)(&p, &a, gcap);
        for (size_t j = 0; j < sizeof negs / sizeof negs[0]; j++) {
            p.eps = negs[j];
            F(ce_run_all)(&p, &b, gcap);
            if (memcmp(a.st, b.st, sizeof a.st) != 0 || memcmp(a.out, b.out, N * sizeof(T)) != 0 ||
                memcmp(a.g_none, b.g_none, gcap * sizeof(T)) != 0 ||
                memcmp(a.g_mean, b.g_mean, gcap * sizeof(T)) != 0 ||
                !xt_same_bits_double(a.sum, b.sum) || !xt_same_bits_double(a.mean, b.mean))
                fail_msg("%s %s: label_smoothing %g does not act as 0 (weighted=%d): sum %.17g vs "
                         "%.17g, mean %.17g vs %.17g, status %d %d %d", variant,
                         F(kind_name)(kind), negs[j], weighted, b.sum, a.sum, b.mean, a.mean,
                         (int)b.st[0], (int)b.st[1], (int)b.st[2]);
        }
        const double bads[] = {1.5, 1.0 + 0x1p-52, (double)NAN, (double)INFINITY, 2.0};
        for (size_t j = 0; j < sizeof bads / sizeof bads[0]; j++)
            for (int r = 0; r < 3; r++) {
                T out[N + 1], g[N * (K + 1) + 1];
                double res = xt_sentinel_double();
                size_t bad = 12345;
                F(xt_fill_sentinel)(out, N + 1);
                F(xt_fill_sentinel)(g, N * (K + 1) + 1);
                p.eps = bads[j];
                xent_status st = F(ce_call)(&p, xt_reds[r], &res, out, g, &bad);
                if (st != XENT_EINVAL || bad != NOIDX || !F(xt_is_sentinel)(out, N + 1) ||
                    !F(xt_is_sentinel)(g, N * (K + 1) + 1) ||
                    !xt_same_bits_double(res, xt_sentinel_double()))
                    fail_msg("%s %s: label_smoothing %g, reduction %d: status %d bad %zu, expected "
                             "XENT_EINVAL with nothing written", variant, F(kind_name)(kind),
                             bads[j], r, (int)st, bad);
            }
        F(ce_free)(&p);
    }
    xt_free(a.out);
    xt_free(b.out);
    xt_free(a.g_none);
    xt_free(b.g_none);
    xt_free(a.g_mean);
    xt_free(b.g_mean);
}

static void F(ce_smoothing)(const char *variant) { F(smoothing_kind)(variant, XT_K_CE); }

/* Softmax and sigmoid underflow: where the exact gradient is far below the
 * smallest normal number (softmax e^(z_c - max) with z_c - max < -115 in
 * float32, < -800 in float64; sigmoid(z) likewise), the computed one must
 * be below it too -- a subnormal or a flushed 0 is fine, a value from an
 * exp whose argument was clamped is not.  Other entries: the usual
 * tolerance. */
static void F(grad_underflow)(const char *variant)
{
    const T s = XT_IS_F32 ? (T)110 : (T)800;
    enum { K = 5 };
    const T row[K] = {0, -s, -2 * s, 5, -1000};
    for (int kind = XT_K_CE; kind <= XT_K_PROB; kind++)
        for (int e = 0; e < 2; e++) {
            F(ce_pb) p;
            F(ce_alloc)(&p, kind, 2, K, K, K, K, 0, 0, e ? 0.1 : 0.0, -100);
            memcpy(p.z, row, sizeof row);
            memcpy(p.z + K, row, sizeof row);
            p.t[0] = 3;
            p.t[1] = 0;
            for (size_t c = 0; c < 2 * K; c++)
                p.y[c] = c % K == 3 ? (T)0.75 : (T)0.0625;
            F(ce_reference)(&p);
            T out[2], g[2 * K];
            assert_int_equal(F(ce_call)(&p, XENT_REDUCTION_NONE, NULL, out, g, NULL), XENT_OK);
            for (size_t j = 0; j < 2 * K; j++) {
                long double ref = p.gref[j];
                int ok = fabsl(ref) < XT_MIN ? fabsl((long double)g[j]) <= XT_MIN
                                             : F(near)(g[j], ref, p.gtol[j]);
                if (!ok)
                    fail_msg("%s %s eps=%g: gradient [%zu, %zu] of row [0, %g, %g, 5, -1000] "
                             "(target %lld) is " XT_FMT ", exact %.6Lg (below the smallest normal "
                             "%g: the result must be too)", variant, F(kind_name)(kind),
                             p.eps, j / K, j % K, (double)-s, (double)(-2 * s),
                             (long long)p.t[j / K], (double)g[j], ref, (double)XT_MIN);
            }
            F(ce_free)(&p);
        }
    const T zs[4] = {-s, -2 * s, -1000, s};
    const T ys[4] = {0, 0, 0, 1};
    T out[4], g[4];
    assert_int_equal(F(xent_bce_logits)(zs, ys, NULL, NULL, 4, 0, XENT_REDUCTION_NONE, NULL, out, g,
                                        NULL), XENT_OK);
    for (size_t i = 0; i < 4; i++)
        if (!(fabsl((long double)g[i]) <= XT_MIN))
            fail_msg("%s bce_logits gradient at z=%g y=%g is " XT_FMT ", exact %.6Lg", variant,
                     (double)zs[i], (double)ys[i], (double)g[i],
                     F(bcel_gref)(zs[i], ys[i], 1, 1, NULL));
}
static void F(prob_smoothing)(const char *variant) { F(smoothing_kind)(variant, XT_K_PROB); }

/* Class weights with zeros; every target on a zero-weight class (W = 0):
 * sum 0, and mean 0/0 -- NaN as in torch, or XENT_EZEROWEIGHT ("weights
 * that sum to zero where they divide") with nothing written. */
static void F(weights_kind)(const char *variant, int kind)
{
    enum { N = 20, K = 7 };
    const T wz[K] = {0, 1, (T)2.5, 0, 3, (T)0.5, 0};
    xt_rng rng = {0x3e16 + (uint64_t)kind};
    const double epss[] = {0.0, 0.1};
    for (size_t e = 0; e < (kind == XT_K_NLL ? 1u : 2u); e++) {
        F(ce_pb) p;
        F(ce_alloc)(&p, kind, N, K, K, K, K, 0, 1, epss[e], -100);
        F(ce_fill)(&p, &rng, 1);
        memcpy(p.w, wz, sizeof wz);
        p.t[0] = 0;
        p.t[1] = 3;
        p.t[2] = 1;
        F(ce_reference)(&p);
        F(ce_check)(variant, "zero class weights", &p);
        F(ce_free)(&p);
    }
    /* W = 0 */
    F(ce_pb) p;
    F(ce_alloc)(&p, kind, N, K, K, K, K, 0, 1, 0.0, -100);
    F(ce_fill)(&p, &rng, 0);
    memcpy(p.w, wz, sizeof wz);
    for (size_t i = 0; i < N; i++)
        p.t[i] = (int64_t)((i % 3) * 3); /* classes 0, 3, 6: weight 0 */
    F(ce_reference)(&p);
    F(ce_check)(variant, "W = 0", &p); /* none and sum; mean below */
    double res = xt_sentinel_double();
    T g[N * K + 1];
    F(xt_fill_sentinel)(g, N * K + 1);
    size_t bad = 12345;
    xent_status st = F(ce_call)(&p, XENT_REDUCTION_MEAN, &res, NULL, g, &bad);
    if (st == XENT_OK) {
        if (!isnan(res))
            fail_msg("%s %s: mean with every target weight 0 is %.17g, expected NaN (0/0)", variant,
                     F(kind_name)(kind), res);
    } else if (st == XENT_EZEROWEIGHT) {
        if (!xt_same_bits_double(res, xt_sentinel_double()) || !F(xt_is_sentinel)(g, N * K + 1) ||
            bad != NOIDX)
            fail_msg("%s %s: XENT_EZEROWEIGHT but outputs written or bad_index %zu", variant,
                     F(kind_name)(kind), bad);
    } else {
        fail_msg("%s %s: mean with every target weight 0: status %d", variant, F(kind_name)(kind),
                 (int)st);
    }
    F(ce_free)(&p);
}

static void F(ce_weights)(const char *variant) { F(weights_kind)(variant, XT_K_CE); }
static void F(nll_weights)(const char *variant) { F(weights_kind)(variant, XT_K_NLL); }

/* Probability targets are not checked: 3y gives 3x the loss, negative
 * and > 1 entries give the formula's number. */
static void F(prob_unchecked)(const char *variant)
{
    enum { N = 11, K = 6 };
    xt_rng rng = {0x3333};
    for (int weighted = 0; weighted < 2; weighted++)
        for (int mode = 0; mode < 3; mode++) {
            F(ce_pb) p;
            F(ce_alloc)(&p, XT_K_PROB, N, K, K + 1, K, K + 2, 1, weighted, mode == 2 ? 0.2 : 0.0,
                        -100);
            F(ce_fill)(&p, &rng, 0);
            for (size_t i = 0; i < N; i++)
                for (size_t c = 0; c < K; c++) {
                    T *y = &p.y[i * p.ldt + c];
                    if (mode == 0)
                        *y = (T)(3 * (double)*y); /* 3y (rounded to T) */
                    else
                        *y = (T)(4 * xt_uniform(&rng) - 1.5);
                }
            F(ce_reference)(&p);
            F(ce_check)(variant, mode == 0 ? "3y" : "y outside [0,1]", &p);
            F(ce_free)(&p);
        }
}

/* nll reads only x[i, t_i]: NaN everywhere else changes nothing; the
 * gradient -w[t] does not depend on x (NaN or -inf there included). */
static void F(nll_only_target)(const char *variant)
{
    enum { N = 17, K = 9 };
    xt_rng rng = {0x0117};
    for (int weighted = 0; weighted < 2; weighted++) {
        F(ce_pb) p;
        F(ce_alloc)(&p, XT_K_NLL, N, K, K + 1, K, K, 1, weighted, 0.0, -100);
        F(ce_fill)(&p, &rng, 1);
        for (size_t i = 0; i < N; i++)
            for (size_t c = 0; c < K; c++)
                if ((int64_t)c != p.t[i])
                    p.z[i * p.ld + c] = (T)NAN;
        if (p.t[5] != p.ignore)
            p.z[5 * p.ld + (size_t)p.t[5]] = -(T)INFINITY; /* loss inf, gradient finite */
        F(ce_reference)(&p);
        F(ce_check)(variant, "NaN off the target", &p);
        F(ce_free)(&p);
    }
}

/* One error case: outputs filled with sentinels must stay untouched. */
typedef struct F(ce_args) {
    const T *z;
    size_t n, k, ld;
    const int64_t *t;
    const T *y;
    size_t ldt;
    const T *w;
    int64_t ignore;
    double eps;
    int red;
    int null_res, null_out, null_grad;
    size_t ldg;
} F(ce_args);

static void F(ce_error_case)(const char *variant, int kind, const char *what, F(ce_args) a,
                             xent_status want, size_t want_bad)
{
    T out[XT_EOUT], g[XT_EGRAD];
    double res = xt_sentinel_double();
    size_t bad = 12345;
    F(xt_fill_sentinel)(out, XT_EOUT);
    F(xt_fill_sentinel)(g, XT_EGRAD);
    double *rp = a.null_res ? NULL : &res;
    T *op = a.null_out ? NULL : out, *gp = a.null_grad ? NULL : g;
    xent_status st;
    if (kind == XT_K_CE)
        st = F(xent_cross_entropy)(a.z, a.n, a.k, a.ld, a.t, a.w, a.ignore, a.eps,
                                   (xent_reduction)a.red, rp, op, gp, a.ldg, &bad);
    else if (kind == XT_K_PROB)
        st = F(xent_cross_entropy_prob)(a.z, a.n, a.k, a.ld, a.y, a.ldt, a.w, a.eps,
                                        (xent_reduction)a.red, rp, op, gp, a.ldg, &bad);
    else
        st = F(xent_nll)(a.z, a.n, a.k, a.ld, a.t, a.w, a.ignore, (xent_reduction)a.red, rp, op,
                         gp, a.ldg, &bad);
    if (st != want || bad != want_bad)
        fail_msg("%s %s: %s (reduction %d): status %d bad_index %zu, expected status %d "
                 "bad_index %zu", variant, F(kind_name)(kind), what, a.red, (int)st, bad,
                 (int)want, want_bad);
    if (!F(xt_is_sentinel)(out, XT_EOUT) || !F(xt_is_sentinel)(g, XT_EGRAD) ||
        !xt_same_bits_double(res, xt_sentinel_double()))
        fail_msg("%s %s: %s (reduction %d): an output was written on error", variant,
                 F(kind_name)(kind), what, a.red);
}

static void F(errors_kind)(const char *variant, int kind)
{
    enum { N = 6, K = 5, LD = 7, LDG = 6 };
    T z[N * LD], y[N * LD], w[K];
    int64_t t[N];
    for (size_t i = 0; i < N * LD; i++) {
        z[i] = (T)((double)(i % 11) - 5.0) * (kind == XT_K_NLL ? (T)-0.5 : (T)1);
        y[i] = (T)0.2;
    }
    for (size_t c = 0; c < K; c++)
        w[c] = (T)(c + 1);
    for (size_t i = 0; i < N; i++)
        t[i] = (int64_t)(i % K);
    const F(ce_args) base = {z, N, K, LD, t, y, LD, w, -100, 0.0, 1, 0, 0, 0, LDG};
    F(ce_args) a;
    for (int r = 0; r < 3; r++) {
        a = base;
        a.red = r;
        /* the base case is fine */
        {
            T out[XT_EOUT], g[XT_EGRAD];
            double res;
            assert_int_equal(kind == XT_K_CE ? F(xent_cross_entropy)(z, N, K, LD, t, w, -100, 0.0,
                                                                    xt_reds[r], &res, out, g, LDG,
                                                                    NULL)
                             : kind == XT_K_PROB ? F(xent_cross_entropy_prob)(z, N, K, LD, y, LD, w,
                                                                             0.0, xt_reds[r], &res,
                                                                             out, g, LDG, NULL)
                                                 : F(xent_nll)(z, N, K, LD, t, w, -100, xt_reds[r],
                                                               &res, out, g, LDG, NULL),
                             XENT_OK);
        }
        a.z = NULL;
        F(ce_error_case)(variant, kind, "NULL logits", a, XENT_EINVAL, NOIDX);
        a = base;
        a.red = r;
        if (kind == XT_K_PROB)
            a.y = NULL;
        else
            a.t = NULL;
        F(ce_error_case)(variant, kind, "NULL target", a, XENT_EINVAL, NOIDX);
        a = base;
        a.red = r;
        a.k = 0;
        F(ce_error_case)(variant, kind, "k = 0", a, XENT_EINVAL, NOIDX);
        a.n = 0;
        F(ce_error_case)(variant, kind, "k = 0 with n = 0", a, XENT_EINVAL, NOIDX);
        a = base;
        a.red = r;
        a.ld = K - 1;
        F(ce_error_case)(variant, kind, "ld < k", a, XENT_EINVAL, NOIDX);
        a = base;
        a.red = r;
        a.ldg = K - 1;
        F(ce_error_case)(variant, kind, "ldg < k with a gradient", a, XENT_EINVAL, NOIDX);
        if (kind == XT_K_PROB) {
            a = base;
            a.red = r;
            a.ldt = K - 1;
            F(ce_error_case)(variant, kind, "ldt < k", a, XENT_EINVAL, NOIDX);
        }
        /* sizes whose byte counts overflow: nothing may be read or written */
        a = base;
        a.red = r;
        a.n = SIZE_MAX / 2;
        a.k = 4;
        a.ld = 4;
        a.ldt = 4;
        a.ldg = 4;
        F(ce_error_case)(variant, kind, "n * k overflows", a, XENT_EOVERFLOW, NOIDX);
        a.n = SIZE_MAX / 8 + 1;
        F(ce_error_case)(variant, kind, "n * k * size overflows", a, XENT_EOVERFLOW, NOIDX);
        a = base;
        a.red = r;
        a.n = 2;
        a.k = SIZE_MAX / 2;
        a.ld = a.k;
        a.ldt = a.k;
        a.ldg = a.k;
        F(ce_error_case)(variant, kind, "k * size overflows", a, XENT_EOVERFLOW, NOIDX);
        a = base;
        a.red = r;
        a.n = 3;
        a.k = 2;
        a.ld = SIZE_MAX / 4;
        F(ce_error_case)(variant, kind, "n * ld overflows", a, XENT_EOVERFLOW, NOIDX);
        a = base;
        a.red = r;
        a.n = 3;
        a.k = 2;
        a.ldg = SIZE_MAX / 4;
        F(ce_error_case)(variant, kind, "n * ldg overflows (with a gradient)", a, XENT_EOVERFLOW,
                         NOIDX);
        if (kind == XT_K_PROB) {
            a = base;
            a.red = r;
            a.n = 3;
            a.k = 2;
            a.ldt = SIZE_MAX / 4;
            F(ce_error_case)(variant, kind, "n * ldt overflows", a, XENT_EOVERFLOW, NOIDX);
        }
        if (kind != XT_K_NLL) {
            const double bads[] = {1.5, (double)NAN, (double)INFINITY};
            for (size_t j = 0; j < 3; j++) {
                a = base;
                a.red = r;
                a.eps = bads[j];
                F(ce_error_case)(variant, kind, "label_smoothing > 1 or NaN", a, XENT_EINVAL, NOIDX);
            }
        }
        /* targets outside [0, k): the first offending row */
        if (kind != XT_K_PROB) {
            int64_t tt[N];
            struct {
                size_t row;
                int64_t v;
                size_t row2;
                int64_t v2;
                int64_t ignore;
            } tc[] = {
                {3, K, 5, -1, -100},          {0, -1, 4, K + 1, -100},
                {5, INT64_MIN, 5, INT64_MIN, -100}, {2, INT64_MAX, 4, -7, -100},
                {1, -100, 3, K, -1}, /* -100 is a bad target when ignore_index is -1 */
                {4, -2, 5, 99, 2},   /* ignore_index in range: others still checked */
            };
            for (size_t j = 0; j < sizeof tc / sizeof tc[0]; j++) {
                memcpy(tt, t, sizeof tt);
                tt[tc[j].row] = tc[j].v;
                tt[tc[j].row2] = tc[j].v2;
                if (tc[j].row > 0)
                    tt[0] = tc[j].ignore; /* an ignored row before the bad one */
                a = base;
                a.red = r;
                a.t = tt;
                a.ignore = tc[j].ignore;
                char what[96];
                snprintf(what, sizeof what, "target %lld at row %zu", (long long)tc[j].v, tc[j].row);
                F(ce_error_case)(variant, kind, what, a, XENT_ETARGET, tc[j].row);
                a.null_grad = 1;
                F(ce_error_case)(variant, kind, what, a, XENT_ETARGET, tc[j].row);
            }
        }
    }
    a = base;
    a.red = XENT_REDUCTION_NONE;
    a.null_out = 1;
    F(ce_error_case)(variant, kind, "NULL out for none", a, XENT_EINVAL, NOIDX);
    a = base;
    a.red = XENT_REDUCTION_SUM;
    a.null_res = 1;
    F(ce_error_case)(variant, kind, "NULL result for sum", a, XENT_EINVAL, NOIDX);
    a.red = XENT_REDUCTION_MEAN;
    F(ce_error_case)(variant, kind, "NULL result for mean", a, XENT_EINVAL, NOIDX);
    a = base;
    a.red = 3;
    F(ce_error_case)(variant, kind, "reduction 3", a, XENT_EINVAL, NOIDX);
    a.red = -1;
    F(ce_error_case)(variant, kind, "reduction -1", a, XENT_EINVAL, NOIDX);

    /* n = 0: sum 0, mean NaN, nothing written */
    T out[4], g[4];
    double res = xt_sentinel_double();
    F(xt_fill_sentinel)(out, 4);
    F(xt_fill_sentinel)(g, 4);
    xent_status st;
    for (int r = 0; r < 3; r++) {
        res = xt_sentinel_double();
        if (kind == XT_K_CE)
            st = F(xent_cross_entropy)(z, 0, K, LD, t, w, -100, 0.1, xt_reds[r], &res, out, g, LDG,
                                       NULL);
        else if (kind == XT_K_PROB)
            st = F(xent_cross_entropy_prob)(z, 0, K, LD, y, LD, w, 0.1, xt_reds[r], &res, out, g,
                                            LDG, NULL);
        else
            st = F(xent_nll)(z, 0, K, LD, t, w, -100, xt_reds[r], &res, out, g, LDG, NULL);
        if (st != XENT_OK)
            fail_msg("%s %s: n = 0, reduction %d: status %d", variant, F(kind_name)(kind), r,
                     (int)st);
        if (r == 1 && !(res == 0))
            fail_msg("%s %s: n = 0 sum is %.17g", variant, F(kind_name)(kind), res);
        if (r == 2 && !isnan(res))
            fail_msg("%s %s: n = 0 mean is %.17g", variant, F(kind_name)(kind), res);
        if (!F(xt_is_sentinel)(out, 4) || !F(xt_is_sentinel)(g, 4))
            fail_msg("%s %s: n = 0 wrote an array", variant, F(kind_name)(kind));
    }
}

static void F(ce_errors)(const char *variant) { F(errors_kind)(variant, XT_K_CE); }
static void F(prob_errors)(const char *variant) { F(errors_kind)(variant, XT_K_PROB); }
static void F(nll_errors)(const char *variant) { F(errors_kind)(variant, XT_K_NLL); }

/* ======================================================================
 * log_loss (scikit-learn 1.2)
 * ====================================================================== */

/* The clip interval [eps, 1 - eps] in T, as numpy clips a T array with
 * the Python floats eps and 1 - eps; a negative or NaN eps is 'auto'. */
static void F(ll_bounds)(double eps, T *lo, T *hi)
{
    double e = (eps < 0 || isnan(eps)) ? (double)XT_EPSILON : eps;
    *lo = (T)e;
    *hi = (T)(1.0 - e);
}

static T F(ll_clamp)(T x, T lo, T hi)
{
    return x < lo ? lo : x > hi ? hi : x;
}

/* -log P'[i, y_i] of one row (clipped, expanded for k = 1, renormalised)
 * and its tolerance (see the header comment). */
static long double F(ll_row_ref)(const T *P, size_t k, int64_t label, double eps, unsigned flags,
                                 long double *tol)
{
    T lo, hi;
    F(ll_bounds)(eps, &lo, &hi);
    long double num = 0, den = 0;
    size_t kk = k;
    if (k == 1) {
        long double q1 = F(ll_clamp)(P[0], lo, hi), q0 = 1.0L - q1;
        num = label == 1 ? q1 : q0;
        den = q0 + q1;
        kk = 2;
    } else {
        for (size_t c = 0; c < k; c++) {
            long double q = F(ll_clamp)(P[c], lo, hi);
            den += q;
            if ((int64_t)c == label)
                num = q;
        }
    }
    int renorm = !(flags & XENT_LOG_LOSS_NO_RENORM);
    long double l = -logl(renorm ? num / den : num);
    *tol = 4 * xt_ulp_f64(l) + ((renorm || k == 1) ? XT_U * (long double)(kk + 3) : 0);
    return l;
}

static long double F(ll_ref)(const T *P, size_t n, size_t k, size_t ld, const int64_t *labels,
                             const double *sw, double eps, int normalize, unsigned flags,
                             long double *tol)
{
    long double num = 0, den = 0, tnum = 0, anum = 0;
    for (size_t i = 0; i < n; i++) {
        long double ti, li = F(ll_row_ref)(P + i * ld, k, labels[i], eps, flags, &ti);
        long double s = sw ? (long double)sw[i] : 1;
        num += s * li;
        den += s;
        tnum += fabsl(s) * ti;
        anum += fabsl(s * li);
    }
    if (normalize) {
        long double r = num / den;
        *tol = (tnum + 0x1p-51L * anum) / fabsl(den) + 0x1p-51L * fabsl(r);
        return r;
    }
    *tol = tnum + 0x1p-50L * anum;
    return num;
}

static void F(ll_check)(const char *variant, const char *what, const T *P, size_t n, size_t k,
                        size_t ld, const int64_t *labels, const double *sw, double eps,
                        int normalize, unsigned flags)
{
    double res = xt_sentinel_double();
    size_t bad = 12345;
    xent_status st = F(xent_log_loss)(P, n, k, ld, labels, sw, eps, normalize, flags, &res, &bad);
    if (st != XENT_OK)
        fail_msg("%s log_loss %s n=%zu k=%zu ld=%zu eps=%g normalize=%d flags=%u weights=%d: "
                 "status %d bad_index %zu", variant, what, n, k, ld, eps, normalize, flags,
                 sw != NULL, (int)st, bad);
    long double tol, ref = F(ll_ref)(P, n, k, ld, labels, sw, eps, normalize, flags, &tol);
    if (!near_d(res, ref, tol))
        fail_msg("%s log_loss %s n=%zu k=%zu ld=%zu eps=%g normalize=%d flags=%u weights=%d: "
                 "got %.17g, reference %.21Lg, |error| %.3Lg > tolerance %.3Lg", variant, what, n,
                 k, ld, eps, normalize, flags, sw != NULL, res, ref, fabsl((long double)res - ref),
                 tol);
}

/* A literal expected value within ulps double ulps. */
static void F(ll_literal)(const char *variant, const char *what, double got, double lit,
                          double ulps)
{
    if (!(fabsl((long double)got - lit) <= ulps * xt_ulp_f64(lit)))
        fail_msg("%s log_loss %s: got %.17g (%a), expected %.17g (%a) within %.0f ulp", variant,
                 what, got, got, lit, lit, ulps);
}

/* The examples of semantics.md 5 (scikit-learn's own values).  Each is one
 * or a few logs taken in double (1 ulp each for the own log backend and
 * for SLEEF's), so 1 ulp for a single log of an exact argument, 2 when a
 * division rounds first. */
static void F(ll_examples)(const char *variant)
{
    double res;
#if XT_IS_F32
    /* float32 p = 0, y = 1: clipped to 2^-23, [1 - 2^-23, 2^-23], -log 2^-23 */
    const float p0[1] = {0};
    const int64_t y1[1] = {1};
    assert_int_equal(xent_log_loss_f32(p0, 1, 1, 1, y1, NULL, XENT_EPS_AUTO, 1, 0, &res, NULL),
                     XENT_OK);
    F(ll_literal)(variant, "float32 p=0 y=1", res, 15.942385152878742, 1);
    /* the same through two columns */
    const float p01[2] = {1, 0};
    assert_int_equal(xent_log_loss_f32(p01, 1, 2, 2, y1, NULL, XENT_EPS_AUTO, 1, 0, &res, NULL),
                     XENT_OK);
    F(ll_literal)(variant, "float32 [[1, 0]] y=1", res, 15.942385152878742, 1);
#else
    /* log_loss([0, 1], [0, 1]) is 2^-52 (1 + 2^-52), not 0 */
    const double pb[2] = {0, 1};
    const int64_t yb[2] = {0, 1};
    assert_int_equal(xent_log_loss_f64(pb, 2, 1, 1, yb, NULL, XENT_EPS_AUTO, 1, 0, &res, NULL),
                     XENT_OK);
    F(ll_literal)(variant, "log_loss([0, 1], [0, 1])", res, 2.2204460492503136e-16, 1);
    /* renormalisation: [[.2, .3]] with label 1 is -log(.3 / .5) */
    const double p23[2] = {.2, .3};
    const int64_t one[1] = {1};
    assert_int_equal(xent_log_loss_f64(p23, 1, 2, 2, one, NULL, XENT_EPS_AUTO, 1, 0, &res, NULL),
                     XENT_OK);
    F(ll_literal)(variant, "[[.2, .3]] label 1", res, 0.5108256237659907, 2);
    /* without renormalisation (sklearn >= 1.5): -log(.3) */
    assert_int_equal(xent_log_loss_f64(p23, 1, 2, 2, one, NULL, XENT_EPS_AUTO, 1,
                                       XENT_LOG_LOSS_NO_RENORM, &res, NULL), XENT_OK);
    F(ll_literal)(variant, "[[.2, .3]] label 1, no renorm", res, 1.2039728043259361, 1);
    /* float64 p = 0, y = 1: -log(2^-52) */
    const double p0[1] = {0};
    assert_int_equal(xent_log_loss_f64(p0, 1, 1, 1, one, NULL, XENT_EPS_AUTO, 1, 0, &res, NULL),
                     XENT_OK);
    F(ll_literal)(variant, "float64 p=0 y=1", res, 36.043653389117154, 1);
#endif
    /* sklearn's documentation example: y = ["spam", "ham", "ham", "spam"]
     * (classes sorted: ham = 0, spam = 1), its log_loss is 0.21616...
     * With sample_weight = [1, 2, .5, 3], semantics.md states 0.3541756511539517
     * (normalised) and 2.302141732500686 (not); these cannot come from these
     * inputs: sum s_i l_i is 1.7200020709079464 and the average
     * 0.26461570321660716 for these probabilities, and no choice of labels
     * or order of the weights gives 2.3021417 (checked in quad precision).
     * The reference here is the formula, in long double. */
    const T P[8] = {(T).1, (T).9, (T).9, (T).1, (T).8, (T).2, (T).35, (T).65};
    const int64_t lab[4] = {1, 0, 0, 1};
    const double sw[4] = {1, 2, .5, 3};
    F(ll_check)(variant, "documentation example", P, 4, 2, 2, lab, NULL, XENT_EPS_AUTO, 1, 0);
    F(ll_check)(variant, "documentation example, weights", P, 4, 2, 2, lab, sw, XENT_EPS_AUTO, 1, 0);
    F(ll_check)(variant, "documentation example, weights, not normalised", P, 4, 2, 2, lab, sw,
                XENT_EPS_AUTO, 0, 0);
#if !XT_IS_F32
    assert_int_equal(xent_log_loss_f64(P, 4, 2, 2, lab, NULL, XENT_EPS_AUTO, 1, 0, &res, NULL),
                     XENT_OK);
    F(ll_literal)(variant, "documentation example", res, 0.21616187468057912, 4);
    assert_int_equal(xent_log_loss_f64(P, 4, 2, 2, lab, sw, XENT_EPS_AUTO, 1, 0, &res, NULL),
                     XENT_OK);
    F(ll_literal)(variant, "documentation example, weights", res, 0.26461570321660716, 4);
    assert_int_equal(xent_log_loss_f64(P, 4, 2, 2, lab, sw, XENT_EPS_AUTO, 0, 0, &res, NULL),
                     XENT_OK);
    F(ll_literal)(variant, "documentation example, weights, not normalised", res,
                  1.7200020709079464, 4);
#endif
}

/* Random P (0, 1, subnormals, 1 - tiny, rows not summing to 1), every n
 * in 1..40 with k in 1..17, 33, 100: eps auto / explicit, renormalised or
 * not, weighted or not, normalised or not, ld >= k, misaligned. */
static void F(ll_random)(const char *variant)
{
    static const size_t ks[] = {1, 2, 3, 4, 5, 7, 8, 12, 16, 17, 33, 100};
    const double epss[] = {XENT_EPS_AUTO, 1e-15, 0x1p-20, 0.125, -3.0, (double)NAN};
    xt_rng rng = {0x1055};
    const size_t cap = 1 + 40 * 102;
    T *Pb = xt_alloc(cap * sizeof(T));
    int64_t *lb = xt_alloc(41 * sizeof(int64_t));
    double *swb = xt_alloc(41 * sizeof(double));
    for (size_t e = 0; e < sizeof epss / sizeof epss[0]; e++) {
        T lo, hi;
        F(ll_bounds)(epss[e], &lo, &hi);
        /* the clip bounds do not depend on how 1 - eps is rounded */
        assert_true(hi == (T)((T)1 - lo));
    }
    for (size_t n = 1; n <= 40; n++)
        for (size_t j = 0; j < sizeof ks / sizeof ks[0]; j++)
            for (int rep = 0; rep < 2; rep++) {
                size_t k = ks[j];
                uint64_t u = xt_next(&rng);
                size_t ld = k + (u % 3), off = (u >> 4) & 1;
                double eps = epss[(u >> 8) % (sizeof epss / sizeof epss[0])];
                unsigned flags = (u >> 16) & 1 ? XENT_LOG_LOSS_NO_RENORM : 0;
                int weighted = (u >> 17) & 1, normalize = ((u >> 18) & 3) != 0;
                T *P = Pb + off;
                for (size_t i = 0; i < off + n * ld; i++)
                    Pb[i] = (T)NAN; /* padding */
                for (size_t i = 0; i < n; i++)
                    for (size_t c = 0; c < k; c++)
                        P[i * ld + c] = F(xt_prob)(&rng);
                for (size_t i = 0; i < n + 1; i++) {
                    lb[i] = (int64_t)(xt_next(&rng) % (k == 1 ? 2 : k));
                    swb[i] = 2 * xt_uniform(&rng) + 1e-3;
                }
                F(ll_check)(variant, "random", P, n, k, ld, lb + off, weighted ? swb + off : NULL,
                            eps, normalize, flags);
            }
    xt_free(Pb);
    xt_free(lb);
    xt_free(swb);
}

/* Clipping of entries outside (eps, 1 - eps), outside [0, 1] (sklearn
 * clips those too), the binary shorthand, and a few exact values. */
static void F(ll_clip)(const char *variant)
{
    const T P[5 * 3] = {0, 1, (T)0.5,  1, 0, 0,  2, -1, (T)0.25,
                        XT_TRUE_MIN, (T)(1 - XT_EPSILON / 2), XT_MIN,  (T)1e-30, (T)1e-30, (T)1e-30};
    const int64_t lab[5] = {0, 1, 1, 0, 2};
    const double epss[] = {XENT_EPS_AUTO, 1e-15, 0x1p-20, 0.125};
    for (size_t e = 0; e < sizeof epss / sizeof epss[0]; e++)
        for (unsigned flags = 0; flags < 2; flags++)
            for (int normalize = 0; normalize < 2; normalize++) {
                F(ll_check)(variant, "clip", P, 5, 3, 3, lab, NULL, epss[e], normalize, flags);
                for (size_t i = 0; i < 5; i++) /* row by row */
                    F(ll_check)(variant, "clip row", P + 3 * i, 1, 3, 3, lab + i, NULL, epss[e], 1,
                                flags);
            }
    /* binary shorthand: P holds the positive class; 0 and 1 clipped first */
    const T pb[7] = {(T)0.9, (T)0.2, (T)0.5, 0, 1, 0, 1};
    const int64_t yb[7] = {1, 0, 1, 0, 1, 1, 0};
    for (size_t e = 0; e < sizeof epss / sizeof epss[0]; e++)
        for (unsigned flags = 0; flags < 2; flags++)
            F(ll_check)(variant, "binary shorthand", pb, 7, 1, 1, yb, NULL, epss[e], 1, flags);
    double res;
    /* eps = 1/8: [[0.5, 0.01]] label 1 is clipped to [0.5, 0.125]: -log(0.125) without
     * renormalisation (exact argument: 1 ulp) */
    const T pe[2] = {(T)0.5, (T)0.01};
    const int64_t one[1] = {1};
    assert_int_equal(F(xent_log_loss)(pe, 1, 2, 2, one, NULL, 0.125, 1, XENT_LOG_LOSS_NO_RENORM,
                                      &res, NULL), XENT_OK);
    F(ll_literal)(variant, "eps 0.125 no renorm", res, 2.0794415416798357, 1);
    /* eps = 0 is used as given: a 0 at the label gives inf */
    const T pz[2] = {0, 1};
    const int64_t zero[1] = {0};
    assert_int_equal(F(xent_log_loss)(pz, 1, 2, 2, zero, NULL, 0.0, 1, 0, &res, NULL), XENT_OK);
    if (!(res == INFINITY))
        fail_msg("%s log_loss eps=0, P=[[0, 1]], label 0: got %.17g, expected inf", variant, res);
    /* binary p = 1, label 0: [1 - (1 - eps), 1 - eps] = [eps, 1 - eps], -log(eps) */
    assert_int_equal(F(xent_log_loss)(pz + 1, 1, 1, 1, zero, NULL, XENT_EPS_AUTO, 1, 0, &res, NULL),
                     XENT_OK);
    F(ll_literal)(variant, "p=1 label 0", res, XT_IS_F32 ? 15.942385152878742 : 36.043653389117154,
                  1);
}

static void F(ll_weights)(const char *variant)
{
    enum { N = 12, K = 3 };
    xt_rng rng = {0x5e16};
    T P[N * K];
    int64_t lab[N];
    double sw[N];
    for (size_t i = 0; i < N; i++) {
        for (size_t c = 0; c < K; c++)
            P[i * K + c] = (T)(0.05 + xt_uniform(&rng));
        lab[i] = (int64_t)(i % K);
        sw[i] = i % 4 == 1 ? 0.0 : (double)(i + 1) * 0.25;
    }
    for (int normalize = 0; normalize < 2; normalize++)
        F(ll_check)(variant, "weights with zeros", P, N, K, K, lab, sw, XENT_EPS_AUTO, normalize, 0);
    /* weights summing to zero: normalize divides by zero */
    const double zw[N] = {0};
    double nz[N];
    for (size_t i = 0; i < N; i++)
        nz[i] = i % 2 ? -1.5 : 1.5;
    const double *zsets[2] = {zw, nz};
    for (int z = 0; z < 2; z++) {
        double res = xt_sentinel_double();
        size_t bad = 12345;
        xent_status st = F(xent_log_loss)(P, N, K, K, lab, zsets[z], XENT_EPS_AUTO, 1, 0, &res, &bad);
        if (st != XENT_EZEROWEIGHT || bad != NOIDX ||
            !xt_same_bits_double(res, xt_sentinel_double()))
            fail_msg("%s log_loss: sample weights summing to 0 (%s), normalize: status %d bad %zu "
                     "result %.17g, expected XENT_EZEROWEIGHT with nothing written", variant,
                     z ? "+-1.5" : "all 0", (int)st, bad, res);
    }
    /* not normalised: a plain weighted sum, 0 for zero weights */
    double res = xt_sentinel_double();
    assert_int_equal(F(xent_log_loss)(P, N, K, K, lab, zw, XENT_EPS_AUTO, 0, 0, &res, NULL), XENT_OK);
    assert_true(res == 0.0);
    F(ll_check)(variant, "weights +-1.5, not normalised", P, N, K, K, lab, nz, XENT_EPS_AUTO, 0, 0);
}

static void F(ll_errors)(const char *variant)
{
    enum { N = 6, K = 4, LD = 5 };
    T P[N * LD];
    int64_t lab[N];
    for (size_t i = 0; i < N * LD; i++)
        P[i] = (i % LD) == K ? (T)NAN : (T)(0.1 + 0.2 * (double)(i % LD)); /* NaN padding is fine */
    for (size_t i = 0; i < N; i++)
        lab[i] = (int64_t)(i % K);
    double res;
    size_t bad;
    xent_status st;
#define XT_LL_EXPECT(what, call, want, want_bad)                                                   \
    do {                                                                                           \
        res = xt_sentinel_double();                                                               \
        bad = 12345;                                                                               \
        st = (call);                                                                               \
        if (st != (want) || bad != (size_t)(want_bad) ||                                           \
            !xt_same_bits_double(res, xt_sentinel_double()))                                       \
            fail_msg("%s log_loss %s: status %d bad_index %zu result %.17g, expected status %d "   \
                     "bad_index %zu and no result", variant, what, (int)st, bad, res, (int)(want), \
                     (size_t)(want_bad));                                                          \
    } while (0)

    /* the base case is fine, NaN padding included */
    assert_int_equal(F(xent_log_loss)(P, N, K, LD, lab, NULL, XENT_EPS_AUTO, 1, 0, &res, NULL),
                     XENT_OK);
    /* NaN / inf in P: the first flat index i * k + c (not i * ld + c) */
    const T badv[] = {(T)NAN, (T)INFINITY, -(T)INFINITY, -(T)NAN};
    const size_t at[][2] = {{0, 0}, {2, 3}, {5, 1}, {1, 0}, {5, 3}};
    for (size_t v = 0; v < sizeof badv / sizeof badv[0]; v++)
        for (size_t j = 0; j < sizeof at / sizeof at[0]; j++) {
            T Q[N * LD];
            memcpy(Q, P, sizeof Q);
            Q[at[j][0] * LD + at[j][1]] = badv[v];
            if (at[j][0] + 1 < N)
                Q[(N - 1) * LD + 2] = (T)NAN; /* a later one does not win */
            char what[96];
            snprintf(what, sizeof what, "P[%zu, %zu] = %g", at[j][0], at[j][1], (double)badv[v]);
            for (int normalize = 0; normalize < 2; normalize++)
                XT_LL_EXPECT(what, F(xent_log_loss)(Q, N, K, LD, lab, NULL, XENT_EPS_AUTO, normalize,
                                                    0, &res, &bad),
                             XENT_EDOMAIN, at[j][0] * K + at[j][1]);
            /* checked before the labels */
            int64_t bl[N];
            memcpy(bl, lab, sizeof bl);
            bl[0] = K;
            XT_LL_EXPECT(what, F(xent_log_loss)(Q, N, K, LD, bl, NULL, XENT_EPS_AUTO, 1, 0, &res,
                                                &bad),
                         XENT_EDOMAIN, at[j][0] * K + at[j][1]);
        }
    /* binary shorthand: the flat index is the row */
    {
        T pb[7] = {(T)0.5, (T)0.25, (T)0.75, (T)NAN, (T)0.5, (T)INFINITY, (T)0.5};
        int64_t yb[7] = {0, 1, 0, 1, 0, 1, 0};
        XT_LL_EXPECT("binary NaN", F(xent_log_loss)(pb, 7, 1, 1, yb, NULL, XENT_EPS_AUTO, 1, 0, &res,
                                                    &bad), XENT_EDOMAIN, 3);
        pb[3] = (T)0.5;
        XT_LL_EXPECT("binary inf", F(xent_log_loss)(pb, 7, 1, 1, yb, NULL, XENT_EPS_AUTO, 1, 0, &res,
                                                    &bad), XENT_EDOMAIN, 5);
        pb[5] = (T)0.5;
        yb[4] = 2;
        XT_LL_EXPECT("binary label 2", F(xent_log_loss)(pb, 7, 1, 1, yb, NULL, XENT_EPS_AUTO, 1, 0,
                                                        &res, &bad), XENT_ETARGET, 4);
        yb[4] = -1;
        XT_LL_EXPECT("binary label -1", F(xent_log_loss)(pb, 7, 1, 1, yb, NULL, XENT_EPS_AUTO, 1, 0,
                                                         &res, &bad), XENT_ETARGET, 4);
    }
    /* labels outside [0, k): the first offending row */
    const int64_t badl[] = {K, -1, INT64_MIN, INT64_MAX, -100};
    for (size_t v = 0; v < sizeof badl / sizeof badl[0]; v++)
        for (size_t row = 0; row < N; row += 2) {
            int64_t bl[N];
            memcpy(bl, lab, sizeof bl);
            bl[row] = badl[v];
            bl[N - 1] = K + 3;
            XT_LL_EXPECT("label out of range", F(xent_log_loss)(P, N, K, LD, bl, NULL, XENT_EPS_AUTO,
                                                               1, 0, &res, &bad),
                         XENT_ETARGET, row);
        }
    XT_LL_EXPECT("n = 0", F(xent_log_loss)(P, 0, K, LD, lab, NULL, XENT_EPS_AUTO, 1, 0, &res, &bad),
                 XENT_EINVAL, NOIDX);
    XT_LL_EXPECT("n = 0, not normalised",
                 F(xent_log_loss)(P, 0, K, LD, lab, NULL, XENT_EPS_AUTO, 0, 0, &res, &bad),
                 XENT_EINVAL, NOIDX);
    XT_LL_EXPECT("k = 0", F(xent_log_loss)(P, N, 0, LD, lab, NULL, XENT_EPS_AUTO, 1, 0, &res, &bad),
                 XENT_EINVAL, NOIDX);
    XT_LL_EXPECT("NULL P", F(xent_log_loss)(NULL, N, K, LD, lab, NULL, XENT_EPS_AUTO, 1, 0, &res,
                                            &bad), XENT_EINVAL, NOIDX);
    XT_LL_EXPECT("NULL labels", F(xent_log_loss)(P, N, K, LD, NULL, NULL, XENT_EPS_AUTO, 1, 0, &res,
                                                 &bad), XENT_EINVAL, NOIDX);
    XT_LL_EXPECT("ld < k", F(xent_log_loss)(P, N, K, K - 1, lab, NULL, XENT_EPS_AUTO, 1, 0, &res,
                                            &bad), XENT_EINVAL, NOIDX);
    XT_LL_EXPECT("unknown flag", F(xent_log_loss)(P, N, K, LD, lab, NULL, XENT_EPS_AUTO, 1, 2u, &res,
                                                  &bad), XENT_EINVAL, NOIDX);
    XT_LL_EXPECT("n * k overflows", F(xent_log_loss)(P, SIZE_MAX / 2, K, K, lab, NULL, XENT_EPS_AUTO,
                                                     1, 0, &res, &bad), XENT_EOVERFLOW, NOIDX);
    XT_LL_EXPECT("n * k * size overflows",
                 F(xent_log_loss)(P, SIZE_MAX / 8 + 1, K, K, lab, NULL, XENT_EPS_AUTO, 1, 0, &res,
                                  &bad), XENT_EOVERFLOW, NOIDX);
    XT_LL_EXPECT("n * ld overflows", F(xent_log_loss)(P, 3, 2, SIZE_MAX / 4, lab, NULL,
                                                      XENT_EPS_AUTO, 1, 0, &res, &bad),
                 XENT_EOVERFLOW, NOIDX);
    XT_LL_EXPECT("k overflows", F(xent_log_loss)(P, 2, SIZE_MAX / 2, SIZE_MAX / 2, lab, NULL,
                                                 XENT_EPS_AUTO, 1, 0, &res, &bad),
                 XENT_EOVERFLOW, NOIDX);
    st = F(xent_log_loss)(P, N, K, LD, lab, NULL, XENT_EPS_AUTO, 1, 0, NULL, &bad);
    if (st != XENT_EINVAL)
        fail_msg("%s log_loss NULL result: status %d", variant, (int)st);
#undef XT_LL_EXPECT
}

#define XT_LOSS_CASES(sfx)                                                    \
    {"bce_logits_" #sfx "_lengths", bcel_lengths_##sfx},                      \
    {"bce_logits_" #sfx "_edges", bcel_edges_##sfx},                          \
    {"bce_logits_" #sfx "_pos_weight", bcel_pos_weight_##sfx},                \
    {"bce_logits_" #sfx "_contract_hard", bcel_contract_hard_##sfx},          \
    {"bce_logits_" #sfx "_contract_soft", bcel_contract_soft_##sfx},          \
    {"bce_logits_" #sfx "_contract_weighted", bcel_contract_weighted_##sfx},  \
    {"bce_logits_" #sfx "_contract_pos_weight", bcel_contract_pos_weight_##sfx}, \
    {"bce_logits_" #sfx "_small_pos_weight", bcel_small_pos_weight_##sfx},    \
    {"bce_logits_" #sfx "_errors", bcel_errors_##sfx},                        \
    {"cross_entropy_" #sfx "_shapes", ce_shapes_##sfx},                       \
    {"cross_entropy_" #sfx "_edges", ce_edges_##sfx},                         \
    {"cross_entropy_" #sfx "_ignore", ce_ignore_##sfx},                       \
    {"cross_entropy_" #sfx "_smoothing", ce_smoothing_##sfx},                 \
    {"cross_entropy_" #sfx "_weights", ce_weights_##sfx},                     \
    {"cross_entropy_" #sfx "_errors", ce_errors_##sfx},                       \
    {"cross_entropy_" #sfx "_grad_underflow", grad_underflow_##sfx},          \
    {"cross_entropy_prob_" #sfx "_shapes", prob_shapes_##sfx},                \
    {"cross_entropy_prob_" #sfx "_smoothing", prob_smoothing_##sfx},          \
    {"cross_entropy_prob_" #sfx "_unchecked", prob_unchecked_##sfx},          \
    {"cross_entropy_prob_" #sfx "_errors", prob_errors_##sfx},                \
    {"nll_" #sfx "_shapes", nll_shapes_##sfx},                                \
    {"nll_" #sfx "_ignore", nll_ignore_##sfx},                                \
    {"nll_" #sfx "_weights", nll_weights_##sfx},                              \
    {"nll_" #sfx "_only_target", nll_only_target_##sfx},                      \
    {"nll_" #sfx "_errors", nll_errors_##sfx},                                \
    {"log_loss_" #sfx "_examples", ll_examples_##sfx},                        \
    {"log_loss_" #sfx "_random", ll_random_##sfx},                            \
    {"log_loss_" #sfx "_clip", ll_clip_##sfx},                                \
    {"log_loss_" #sfx "_weights", ll_weights_##sfx},                          \
    {"log_loss_" #sfx "_errors", ll_errors_##sfx}

#undef XT_MIN
#undef XT_TRUE_MIN
#undef XT_EPSILON
#undef XT_FMT
#undef XT_U
#undef F
#undef XT_CAT
#undef XT_CAT_
