/* Bitwise agreement of the new losses and math kernels of one dtype
 * between a variant and the reference variant of its log backend
 * ("scalar" or "scalar+sleef"); included by test_bitwise_losses.c with
 *   T, XT_SFX (f32 / f64). */

#define XT_CAT_(a, b) a##_##b
#define XT_CAT(a, b) XT_CAT_(a, b)
#define F(name) XT_CAT(name, XT_SFX)

/* One input of any of the losses. */
typedef struct F(bw_in) {
    int kind;
    size_t n, k, ld, ldg, ldt;
    const T *x, *y, *w, *pw;
    const int64_t *t;
    const double *sw;
    double eps;
    int64_t ignore;
    unsigned flags;
    size_t off;  /* for the messages */
    int nan_any; /* any two NaNs count as equal (sign and payload aside) */
} F(bw_in);

/* Every output of every reduction, with and without gradient. */
typedef struct F(bw_out) {
    T *out, *out_ng, *g_none, *g_sum, *g_mean;
    double sum, mean, sum_ng, mean_ng;
    xent_status st[6];
} F(bw_out);

static size_t F(bw_gsize)(const F(bw_in) *in)
{
    if (in->kind == XT_BW_BCEL)
        return in->n + 1;
    return in->n * in->ldg + 1;
}

static xent_status F(bw_call)(const F(bw_in) *in, xent_reduction red, double *res, T *out, T *grad)
{
    switch (in->kind) {
    case XT_BW_BCEL:
        return F(xent_bce_logits)(in->x, in->y, in->w, in->pw, in->n, in->k, red, res, out, grad,
                                  NULL);
    case XT_BW_CE:
        return F(xent_cross_entropy)(in->x, in->n, in->k, in->ld, in->t, in->w, in->ignore, in->eps,
                                     red, res, out, grad, in->ldg, NULL);
    case XT_BW_PROB:
        return F(xent_cross_entropy_prob)(in->x, in->n, in->k, in->ld, in->y, in->ldt, in->w,
                                          in->eps, red, res, out, grad, in->ldg, NULL);
    case XT_BW_NLL:
        return F(xent_nll)(in->x, in->n, in->k, in->ld, in->t, in->w, in->ignore, red, res, out,
                           grad, in->ldg, NULL);
    default: /* log_loss: SUM is normalize = 0, MEAN normalize = 1 */
        return F(xent_log_loss)(in->x, in->n, in->k, in->ld, in->t, in->sw, in->eps,
                                red == XENT_REDUCTION_MEAN, in->flags, res, NULL);
    }
}

static void F(bw_run)(const F(bw_in) *in, F(bw_out) *o)
{
    size_t gs = F(bw_gsize)(in);
    F(xt_fill_sentinel)(o->out, in->n + 1);
    F(xt_fill_sentinel)(o->out_ng, in->n + 1);
    F(xt_fill_sentinel)(o->g_none, gs);
    F(xt_fill_sentinel)(o->g_sum, gs);
    F(xt_fill_sentinel)(o->g_mean, gs);
    o->sum = o->mean = o->sum_ng = o->mean_ng = 0;
    if (in->kind == XT_BW_LL) {
        o->st[0] = o->st[3] = o->st[5] = XENT_OK;
        o->st[1] = F(bw_call)(in, XENT_REDUCTION_SUM, &o->sum, NULL, NULL);
        o->st[2] = F(bw_call)(in, XENT_REDUCTION_MEAN, &o->mean, NULL, NULL);
        o->st[4] = XENT_OK;
        return;
    }
    o->st[0] = F(bw_call)(in, XENT_REDUCTION_NONE, NULL, o->out, o->g_none);
    o->st[1] = F(bw_call)(in, XENT_REDUCTION_SUM, &o->sum, NULL, o->g_sum);
    o->st[2] = F(bw_call)(in, XENT_REDUCTION_MEAN, &o->mean, NULL, o->g_mean);
    o->st[3] = F(bw_call)(in, XENT_REDUCTION_NONE, NULL, o->out_ng, NULL);
    o->st[4] = F(bw_call)(in, XENT_REDUCTION_SUM, &o->sum_ng, NULL, NULL);
    o->st[5] = F(bw_call)(in, XENT_REDUCTION_MEAN, &o->mean_ng, NULL, NULL);
}

static F(bw_out) F(bw_alloc)(size_t cap)
{
    F(bw_out) o;
    o.out = xt_alloc(cap * sizeof(T));
    o.out_ng = xt_alloc(cap * sizeof(T));
    o.g_none = xt_alloc(cap * sizeof(T));
    o.g_sum = xt_alloc(cap * sizeof(T));
    o.g_mean = xt_alloc(cap * sizeof(T));
    return o;
}

static void F(bw_free)(F(bw_out) *o)
{
    xt_free(o->out);
    xt_free(o->out_ng);
    xt_free(o->g_none);
    xt_free(o->g_sum);
    xt_free(o->g_mean);
}

static void F(bw_ctx)(const F(bw_in) *in, char *buf, size_t cap)
{
    static const char *const names[] = {"bce_logits", "cross_entropy", "cross_entropy_prob", "nll",
                                        "log_loss"};
    snprintf(buf, cap, "%s n=%zu k=%zu ld=%zu ldg=%zu ldt=%zu off=%zu weights=%d pos_weight=%d "
             "eps=%g ignore=%lld flags=%u", names[in->kind], in->n, in->k, in->ld, in->ldg, in->ldt,
             in->off, in->w != NULL || in->sw != NULL, in->pw != NULL, in->eps,
             (long long)in->ignore, in->flags);
}

/* The first index where a and b differ in their bits (or, with nan_any,
 * where they are not both NaN); len when none. */
static size_t F(first_diff)(const T *a, const T *b, size_t len, int nan_any)
{
    if (memcmp(a, b, len * sizeof(T)) == 0)
        return len;
    for (size_t i = 0; i < len; i++)
        if (memcmp(&a[i], &b[i], sizeof(T)) != 0 && !(nan_any && isnan(a[i]) && isnan(b[i])))
            return i;
    return len;
}

static int F(same_double_bits)(double a, double b, int nan_any)
{
    return xt_same_bits_double(a, b) || (nan_any && isnan(a) && isnan(b));
}

static void F(bw_same_array)(const char *variant, const char *ctx, const char *what,
                             const F(bw_in) *in, const T *a, const T *b, size_t len, int rows)
{
    size_t i = F(first_diff)(a, b, len, in->nan_any);
    if (i == len)
        return;
    size_t r = rows ? i / in->ldg : i, c = rows ? i % in->ldg : 0;
    double xin = 0;
    if (in->kind == XT_BW_BCEL && i < in->n)
        xin = (double)in->x[i];
    else if (in->kind != XT_BW_BCEL && r < in->n && c < in->k)
        xin = (double)in->x[r * in->ld + c];
    fail_msg("%s vs %s: %s: %s differs first at [%zu] (row %zu, column %zu, input %a): "
             "reference %a, variant %a%s", variant, xt_reference_of(variant), ctx, what, i, r, c,
             xin, (double)a[i], (double)b[i],
             isnan(a[i]) && isnan(b[i]) ? " (NaNs of different sign or payload)" : "");
}

static void F(bw_compare)(const char *variant, const F(bw_in) *in, F(bw_out) *a, F(bw_out) *b)
{
    char ctx[256];
    F(bw_ctx)(in, ctx, sizeof ctx);
    xt_use_variant(xt_reference_of(variant));
    F(bw_run)(in, a);
    xt_use_variant(variant);
    F(bw_run)(in, b);
    for (int j = 0; j < 6; j++)
        if (a->st[j] != XENT_OK || b->st[j] != XENT_OK)
            fail_msg("%s: %s: call %d returned %d (reference) and %d (variant)", variant, ctx, j,
                     (int)a->st[j], (int)b->st[j]);
    size_t gs = F(bw_gsize)(in);
    int rows = in->kind != XT_BW_BCEL;
    F(bw_same_array)(variant, ctx, "out (none)", in, a->out, b->out, in->n + 1, 0);
    F(bw_same_array)(variant, ctx, "out (none, no grad)", in, a->out_ng, b->out_ng, in->n + 1, 0);
    F(bw_same_array)(variant, ctx, "grad (none)", in, a->g_none, b->g_none, gs, rows);
    F(bw_same_array)(variant, ctx, "grad (sum)", in, a->g_sum, b->g_sum, gs, rows);
    F(bw_same_array)(variant, ctx, "grad (mean)", in, a->g_mean, b->g_mean, gs, rows);
    const double ra[4] = {a->sum, a->mean, a->sum_ng, a->mean_ng};
    const double rb[4] = {b->sum, b->mean, b->sum_ng, b->mean_ng};
    static const char *const rn[4] = {"sum", "mean", "sum (no grad)", "mean (no grad)"};
    for (int j = 0; j < 4; j++)
        if (!F(same_double_bits)(ra[j], rb[j], in->nan_any))
            fail_msg("%s vs %s: %s: %s differs: reference %a, variant %a%s", variant,
                     xt_reference_of(variant), ctx, rn[j], ra[j], rb[j],
                     isnan(ra[j]) && isnan(rb[j]) ? " (NaNs of different sign or payload)" : "");
}

/* logits, with inf / NaN when special */
static T F(bw_logit)(xt_rng *r, int special)
{
    if (special) {
        uint64_t u = xt_next(r);
        if (u % 12 == 0) {
            static const double sv[] = {INFINITY, -INFINITY, NAN, -INFINITY};
            return (T)sv[(u >> 8) % 4];
        }
    }
    return F(xt_logit)(r);
}

static T F(bw_logprob)(xt_rng *r, int special)
{
    uint64_t u = xt_next(r);
    if (special && u % 10 == 0) {
        static const double sv[] = {-INFINITY, NAN, INFINITY, -1000.0};
        return (T)sv[(u >> 8) % 4];
    }
    if (u % 9 == 0)
        return (T)(-1000.0 * xt_uniform(r));
    return (T)(-20.0 * xt_uniform(r));
}

/* ---- binary cross-entropy on logits ------------------------------------- */

/* special: 0 finite inputs; 1 with inf / NaN, NaNs compared as NaN; 2 the
 * same inputs, NaN bits compared too */
static void F(bcel_bitwise_impl)(const char *variant, int special)
{
#if defined(XT_SANITIZE) || defined(XT_EMULATED)
    static const size_t extra[] = {100, 255, 256, 257, 1000};
#else
    static const size_t extra[] = {100, 255, 256, 257, 1000, 4099, 65537};
#endif
    static const size_t ks[] = {1, 2, 3, 7, 16, 17, 31, 100, 1000};
    const size_t cap = 65537 + 8;
    T *zb = xt_alloc(cap * sizeof(T)), *yb = xt_alloc(cap * sizeof(T));
    T *wb = xt_alloc(cap * sizeof(T)), *pwb = xt_alloc(cap * sizeof(T));
    F(bw_out) a = F(bw_alloc)(cap), b = F(bw_alloc)(cap);
    xt_rng rng = {special ? 0xb175ecu : 0xb175u};
    const int nan_any = special == 1;
    for (size_t idx = 0; idx <= 64 + sizeof extra / sizeof extra[0]; idx++) {
        size_t n = idx <= 64 ? idx : extra[idx - 65];
        for (size_t off = 0; off < 4; off += (off == 0 ? 1 : 2)) {
            for (size_t i = 0; i < n + off + 1; i++) {
                zb[i] = F(bw_logit)(&rng, special);
                yb[i] = F(xt_target)(&rng);
                wb[i] = F(xt_weight)(&rng);
                pwb[i] = (T)(4 * xt_uniform(&rng));
            }
            /* the largest k of the list that divides n (1 always does) */
            size_t k = 1;
            for (size_t j = 0; j < sizeof ks / sizeof ks[0]; j++)
                if (n % ks[j] == 0 && (j + n) % 3 != 0)
                    k = ks[j];
            for (int mode = 0; mode < 4; mode++) {
                F(bw_in) in;
                memset(&in, 0, sizeof in);
                in.kind = XT_BW_BCEL;
                in.n = n;
                in.k = k;
                in.off = off;
                in.x = zb + off;
                in.y = yb + off;
                in.w = mode & 1 ? wb + off : NULL;
                in.pw = mode & 2 ? pwb + off : NULL;
                in.nan_any = nan_any;
                F(bw_compare)(variant, &in, &a, &b);
            }
        }
    }
    F(bw_free)(&a);
    F(bw_free)(&b);
    xt_free(zb);
    xt_free(yb);
    xt_free(wb);
    xt_free(pwb);
}

static void F(bcel_bitwise)(const char *variant) { F(bcel_bitwise_impl)(variant, 0); }
static void F(bcel_special_bitwise)(const char *variant) { F(bcel_bitwise_impl)(variant, 1); }
static void F(bcel_nan_bits)(const char *variant) { F(bcel_bitwise_impl)(variant, 2); }

/* ---- the row losses ------------------------------------------------------ */

static const size_t F(row_ks)[] = {1, 2, 3, 7, 16, 17, 31, 100, 1000};
static const size_t F(big_k_ns)[] = {0, 1, 2, 3, 4, 5, 7, 8, 9, 15, 16, 17, 31, 32, 33, 63, 64};

static void F(rows_bitwise_impl)(const char *variant, int kind, int special)
{
    const size_t maxn = 1000, maxk = 1000;
    const size_t zcap = 64 * (maxk + 3) + 4, cap = zcap > maxn * 20 ? zcap : maxn * 20;
    T *zb = xt_alloc(cap * sizeof(T)), *yb = xt_alloc(cap * sizeof(T));
    T *wb = xt_alloc((maxk + 4) * sizeof(T));
    int64_t *tb = xt_alloc((maxn + 4) * sizeof(int64_t));
    double *swb = xt_alloc((maxn + 4) * sizeof(double));
    F(bw_out) a = F(bw_alloc)(cap), b = F(bw_alloc)(cap);
    xt_rng rng = {0x5eed0000u + (uint64_t)kind * 2 + (uint64_t)(special != 0)};
    const int nan_any = special == 1;
    const size_t nk = sizeof F(row_ks) / sizeof F(row_ks)[0];
    for (size_t kj = 0; kj <= nk; kj++) {
        /* the last round: long n with a small k */
        size_t k = kj < nk ? F(row_ks)[kj] : 3;
        size_t nn = kj == nk ? 3 : k >= 100 ? sizeof F(big_k_ns) / sizeof(size_t) : 65;
        for (size_t ni = 0; ni < nn; ni++) {
            size_t n = kj == nk ? (ni == 0 ? 100 : ni == 1 ? 257 : 1000)
                       : k >= 100 ? F(big_k_ns)[ni] : ni;
            if (kind == XT_BW_LL && n == 0)
                continue; /* an error for log_loss */
            for (int config = 0; config < 2; config++) {
                F(bw_in) in;
                memset(&in, 0, sizeof in);
                in.kind = kind;
                in.n = n;
                in.k = k;
                in.off = config ? 1 : 0;
                in.ld = config ? k + 3 : k;
                in.ldg = config ? k + 1 : k;
                in.ldt = config ? k + 2 : k;
                in.ignore = config ? -100 : (int64_t)(k / 2);
                in.eps = kind == XT_BW_LL ? (config ? 1e-15 : XENT_EPS_AUTO)
                                          : (config ? 0.1 : 0.0);
                in.flags = (kind == XT_BW_LL && (n % 2)) ? XENT_LOG_LOSS_NO_RENORM : 0;
                size_t off = in.off;
                for (size_t i = 0; i < off + n * in.ld + 1; i++)
                    zb[i] = (T)NAN;
                for (size_t i = 0; i < off + n * in.ldt + 1; i++)
                    yb[i] = (T)NAN;
                for (size_t i = 0; i < n; i++)
                    for (size_t c = 0; c < k; c++) {
                        T v;
                        if (kind == XT_BW_NLL)
                            v = F(bw_logprob)(&rng, special);
                        else if (kind == XT_BW_LL)
                            v = F(xt_prob)(&rng);
                        else
                            v = F(bw_logit)(&rng, special);
                        zb[off + i * in.ld + c] = v;
                        yb[off + i * in.ldt + c] = (T)xt_uniform(&rng);
                    }
                for (size_t c = 0; c < k + off + 1; c++)
                    wb[c] = (T)(0.125 + 2 * xt_uniform(&rng));
                for (size_t i = 0; i < n + off + 1; i++) {
                    uint64_t u = xt_next(&rng);
                    tb[i] = (int64_t)(u % (kind == XT_BW_LL && k == 1 ? 2 : k));
                    if (kind != XT_BW_LL && (u >> 32) % 6 == 0)
                        tb[i] = in.ignore;
                    swb[i] = xt_uniform(&rng) * 2 + 1e-3;
                }
                in.x = zb + off;
                in.y = yb + off;
                in.t = tb + off;
                if (kind == XT_BW_LL)
                    in.sw = config ? swb + off : NULL;
                else
                    in.w = config ? wb + off : NULL;
                in.nan_any = nan_any;
                F(bw_compare)(variant, &in, &a, &b);
            }
        }
    }
    F(bw_free)(&a);
    F(bw_free)(&b);
    xt_free(zb);
    xt_free(yb);
    xt_free(wb);
    xt_free(tb);
    xt_free(swb);
}

static void F(ce_bitwise)(const char *variant) { F(rows_bitwise_impl)(variant, XT_BW_CE, 0); }
static void F(ce_special_bitwise)(const char *variant) { F(rows_bitwise_impl)(variant, XT_BW_CE, 1); }
static void F(prob_bitwise)(const char *variant) { F(rows_bitwise_impl)(variant, XT_BW_PROB, 0); }
static void F(prob_special_bitwise)(const char *variant)
{
    F(rows_bitwise_impl)(variant, XT_BW_PROB, 1);
}
static void F(nll_bitwise)(const char *variant) { F(rows_bitwise_impl)(variant, XT_BW_NLL, 0); }
static void F(nll_special_bitwise)(const char *variant) { F(rows_bitwise_impl)(variant, XT_BW_NLL, 1); }
static void F(rows_nan_bits)(const char *variant)
{
    F(rows_bitwise_impl)(variant, XT_BW_CE, 2);
    F(rows_bitwise_impl)(variant, XT_BW_PROB, 2);
    F(rows_bitwise_impl)(variant, XT_BW_NLL, 2);
}
static void F(ll_bitwise)(const char *variant) { F(rows_bitwise_impl)(variant, XT_BW_LL, 0); }

/* ---- exp, log_sigmoid, logsumexp ----------------------------------------- */

static T F(bw_math_value)(xt_rng *r, int special)
{
    uint64_t u = xt_next(r);
    if (special && u % 8 == 0) {
        static const double sv[] = {INFINITY, -INFINITY, NAN, 1e300, -1e300, 800, -800, 1e-310};
        return (T)sv[(u >> 8) % 8];
    }
    switch ((u >> 16) % 4) {
    case 0:
        return (T)((xt_uniform(r) - 0.5) * 2 * (sizeof(T) == 4 ? 110.0 : 750.0));
    case 1:
        return (T)((xt_uniform(r) - 0.5) * 40);
    default:
        return F(xt_logit)(r);
    }
}

static void F(same_math)(const char *variant, const char *what, size_t n, size_t off, const T *x,
                         const T *a, const T *b, int nan_any)
{
    size_t i = F(first_diff)(a, b, n, nan_any);
    if (i == n)
        return;
    fail_msg("%s vs %s: %s n=%zu off=%zu differs first at [%zu] (input %a): reference %a, variant "
             "%a%s", variant, xt_reference_of(variant), what, n, off, i, x ? (double)x[i] : 0.0,
             (double)a[i], (double)b[i],
             isnan(a[i]) && isnan(b[i]) ? " (NaNs of different sign or payload)" : "");
}

static void F(math_bitwise_impl)(const char *variant, int special)
{
#if defined(XT_SANITIZE) || defined(XT_EMULATED)
    static const size_t extra[] = {100, 255, 256, 257, 1000};
#else
    static const size_t extra[] = {100, 255, 256, 257, 1000, 4099, 65537};
#endif
    const size_t cap = 65537 + 8;
    T *x = xt_alloc(cap * sizeof(T));
    T *a = xt_alloc(cap * sizeof(T)), *b = xt_alloc(cap * sizeof(T));
    const char *ref = xt_reference_of(variant);
    xt_rng rng = {special ? 0x3a70u : 0x3a7u};
    const int nan_any = special == 1;
    for (size_t idx = 0; idx <= 64 + sizeof extra / sizeof extra[0]; idx++) {
        size_t n = idx <= 64 ? idx : extra[idx - 65];
        for (size_t off = 0; off < 4; off += (off == 0 ? 1 : 2)) {
            for (size_t i = 0; i < n + off; i++)
                x[i] = F(bw_math_value)(&rng, special);
            for (int fn = 0; fn < 2; fn++) {
                xent_status (*f)(const T *, size_t, T *) = fn ? F(xent_log_sigmoid) : F(xent_exp);
                F(xt_fill_sentinel)(a, n + 1);
                F(xt_fill_sentinel)(b, n + 1);
                xt_use_variant(ref);
                assert_int_equal(f(x + off, n, a), XENT_OK);
                xt_use_variant(variant);
                assert_int_equal(f(x + off, n, b), XENT_OK);
                F(same_math)(variant, fn ? "log_sigmoid" : "exp", n + 1, off, x + off, a, b,
                             nan_any);
            }
        }
    }
    /* logsumexp rows */
    const size_t nk = sizeof F(row_ks) / sizeof F(row_ks)[0];
    for (size_t kj = 0; kj < nk; kj++) {
        size_t k = F(row_ks)[kj];
        size_t nn = k >= 100 ? sizeof F(big_k_ns) / sizeof(size_t) : 65;
        for (size_t ni = 0; ni < nn; ni++) {
            size_t n = k >= 100 ? F(big_k_ns)[ni] : ni;
            for (size_t config = 0; config < 2; config++) {
                size_t ld = k + 3 * config, off = config;
                for (size_t i = 0; i < off + n * ld + 1; i++)
                    x[i] = (T)NAN;
                for (size_t i = 0; i < n; i++)
                    for (size_t c = 0; c < k; c++)
                        x[off + i * ld + c] = F(bw_math_value)(&rng, special);
                F(xt_fill_sentinel)(a, n + 1);
                F(xt_fill_sentinel)(b, n + 1);
                xt_use_variant(ref);
                assert_int_equal(F(xent_logsumexp)(x + off, n, k, ld, a), XENT_OK);
                xt_use_variant(variant);
                assert_int_equal(F(xent_logsumexp)(x + off, n, k, ld, b), XENT_OK);
                char what[64];
                snprintf(what, sizeof what, "logsumexp k=%zu ld=%zu", k, ld);
                F(same_math)(variant, what, n + 1, off, NULL, a, b, nan_any);
            }
        }
    }
    xt_free(x);
    xt_free(a);
    xt_free(b);
}

static void F(math_bitwise)(const char *variant) { F(math_bitwise_impl)(variant, 0); }
static void F(math_special_bitwise)(const char *variant) { F(math_bitwise_impl)(variant, 1); }
static void F(math_nan_bits)(const char *variant) { F(math_bitwise_impl)(variant, 2); }

#define XT_BW_CASES(sfx)                                                         \
    {"bce_logits_" #sfx "_bitwise", bcel_bitwise_##sfx},                         \
    {"bce_logits_" #sfx "_special_bitwise", bcel_special_bitwise_##sfx},         \
    {"cross_entropy_" #sfx "_bitwise", ce_bitwise_##sfx},                        \
    {"cross_entropy_" #sfx "_special_bitwise", ce_special_bitwise_##sfx},        \
    {"cross_entropy_prob_" #sfx "_bitwise", prob_bitwise_##sfx},                 \
    {"cross_entropy_prob_" #sfx "_special_bitwise", prob_special_bitwise_##sfx}, \
    {"nll_" #sfx "_bitwise", nll_bitwise_##sfx},                                 \
    {"nll_" #sfx "_special_bitwise", nll_special_bitwise_##sfx},                 \
    {"log_loss_" #sfx "_bitwise", ll_bitwise_##sfx},                             \
    {"math_" #sfx "_bitwise", math_bitwise_##sfx},                               \
    {"math_" #sfx "_special_bitwise", math_special_bitwise_##sfx},               \
    {"bce_logits_" #sfx "_nan_bits", bcel_nan_bits_##sfx},                       \
    {"rows_" #sfx "_nan_bits", rows_nan_bits_##sfx},                             \
    {"math_" #sfx "_nan_bits", math_nan_bits_##sfx}

#undef F
#undef XT_CAT
#undef XT_CAT_
