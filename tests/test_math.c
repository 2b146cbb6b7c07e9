/* The math kernels xent_exp_*, xent_log_sigmoid_* and xent_logsumexp_*,
 * per variant (each test is named "case[variant]"), float32 and float64:
 * sampled accuracy against long double references (expl, log1pl, logl;
 * x86: 64-bit significand, 2^-11 of a double ulp), the stated special
 * values, every length 0..40 at several misalignments with untouched
 * guards, and the argument checks.
 *
 * Tolerances:
 *  - exp: 1 ulp of the exact value (the library's per-element accuracy);
 *    +1 for the +sleef variants (SLEEF's functions are 1-ulp functions).
 *    Where the exact value rounds past the largest finite number, inf is
 *    required (the largest finite is accepted only as a 1-ulp error);
 *    underflow goes through the subnormals (their ulp is the smallest
 *    subnormal), as the header promises.
 *  - log_sigmoid(x) = min(x, 0) - log1p(exp(-|x|)): the bce_logits term at
 *    y = 1 is its negation, so the same contract: float32 (computed in
 *    double) 1 ulp; float64 2 ulp (exp, log1p and the subtraction each
 *    round); +1 with SLEEF (as test_bce does).
 *  - logsumexp m + log s, s = sum exp(z_c - m): exact value within
 *    2 ulp + u (2 |log s| + 3k + 8), u the unit roundoff of the dtype:
 *    log rounds (u log s), s carries the exponentials' errors (2u) and
 *    the summation / online-rescaling errors of k positive terms
 *    (< (3k + 6) u relative), which log turns into an absolute error; the
 *    final addition of m rounds once (in the 2 ulp).  When m and log s
 *    cancel, the absolute error of log s remains -- hence the absolute
 *    term. */
#include "xt.h"

#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#if defined(XT_SANITIZE) || defined(XT_EMULATED)
#define XT_SAMPLES (1u << 12)
#else
#define XT_SAMPLES (1u << 18)
#endif

enum { FN_EXP = 0, FN_LOGSIG = 1 };

static const char *fn_name(int fn)
{
    return fn == FN_EXP ? "exp" : "log_sigmoid";
}

static long double ref_of(int fn, long double x)
{
    return fn == FN_EXP ? expl(x) : xt_ref_log_sigmoid(x);
}

/* Runs fn on x[0..n) (values representable in the dtype) with the input
 * and output misaligned by off elements, checks the guards around the
 * output, and returns the results widened to double. */
static void run_unary(const char *variant, int fn, int f32, const double *x, size_t n, size_t off,
                      double *got)
{
    xent_status st;
    if (f32) {
        float *xb = xt_alloc((n + off + 2) * sizeof(float)), *ob = xt_alloc((n + off + 2) * sizeof(float));
        for (size_t i = 0; i < n; i++)
            xb[off + i] = (float)x[i];
        xt_fill_sentinel_f32(ob, n + off + 2);
        st = fn == FN_EXP ? xent_exp_f32(xb + off, n, ob + off) : xent_log_sigmoid_f32(xb + off, n, ob + off);
        if (st != XENT_OK)
            fail_msg("%s %s_f32 n=%zu: status %d", variant, fn_name(fn), n, (int)st);
        if (!xt_is_sentinel_f32(ob, off) || !xt_is_sentinel_f32(ob + off + n, 2))
            fail_msg("%s %s_f32 n=%zu off=%zu: written outside out[0..n)", variant, fn_name(fn), n,
                     off);
        for (size_t i = 0; i < n; i++)
            got[i] = ob[off + i];
        xt_free(xb);
        xt_free(ob);
    } else {
        double *xb = xt_alloc((n + off + 2) * sizeof(double)), *ob = xt_alloc((n + off + 2) * sizeof(double));
        for (size_t i = 0; i < n; i++)
            xb[off + i] = x[i];
        xt_fill_sentinel_f64(ob, n + off + 2);
        st = fn == FN_EXP ? xent_exp_f64(xb + off, n, ob + off) : xent_log_sigmoid_f64(xb + off, n, ob + off);
        if (st != XENT_OK)
            fail_msg("%s %s_f64 n=%zu: status %d", variant, fn_name(fn), n, (int)st);
        if (!xt_is_sentinel_f64(ob, off) || !xt_is_sentinel_f64(ob + off + n, 2))
            fail_msg("%s %s_f64 n=%zu off=%zu: written outside out[0..n)", variant, fn_name(fn), n,
                     off);
        for (size_t i = 0; i < n; i++)
            got[i] = ob[off + i];
        xt_free(xb);
        xt_free(ob);
    }
}

/* The error in ulps of got against the exact ref, for the dtype; an exact
 * value that rounds to infinity requires infinity (the largest finite
 * number counts as 1 ulp), and infinity for an exact value within an ulp
 * of the largest finite counts as 1 ulp. */
static double err_of(int f32, double got, long double ref)
{
    long double maxv = f32 ? (long double)FLT_MAX : (long double)DBL_MAX;
    if (!isnan(ref) && !isinf(ref)) {
        int rinf = f32 ? isinf((float)ref) : isinf((double)ref);
        if (rinf)
            return (got == (ref > 0 ? INFINITY : -INFINITY)) ? 0.0
                   : (fabsl((long double)got) == maxv && (got > 0) == (ref > 0)) ? 1.0
                                                                                 : 1e30;
        if (isinf(got) && (got > 0) == (ref > 0) &&
            fabsl(ref) >= maxv * (1 - (f32 ? 0x1p-23L : 0x1p-52L)))
            return 1.0;
    }
    return f32 ? xt_err_f32((float)got, ref) : xt_err_f64(got, ref);
}

static double unary_tol(int fn, int f32, const char *variant)
{
    int sleef = xt_is_sleef(variant);
    if (fn == FN_EXP)
        return 1.0 + (sleef ? 1.0 : 0.0);
    return (f32 ? 1.0 : 2.0) + (sleef ? 1.0 : 0.0);
}

/* Checks got[0..n) against the reference; reports the count above the
 * tolerance and the worst element. */
static void check_unary(const char *variant, const char *what, int fn, int f32, const double *x,
                        const double *got, size_t n)
{
    double tol = unary_tol(fn, f32, variant), worst = 0;
    size_t wi = 0, over = 0;
    for (size_t i = 0; i < n; i++) {
        double e = err_of(f32, got[i], ref_of(fn, x[i]));
        /* SLEEF's own exp (the +sleef backend) overflows to inf for x in
         * (709.7827128933839, 709.782712893384] where exp is still finite
         * (within 2.4e-14 of DBL_MAX): a known cutoff of the comparison
         * backend, not of xent's exp, which this test holds to 1 ulp. */
        if (xt_is_sleef(variant) && fn == FN_EXP && !f32 && got[i] == INFINITY &&
            ref_of(fn, x[i]) >= 0x1.ffffffffffp1023L)
            e = 0;
        if (!(e <= tol))
            over++;
        if (!(e <= worst)) {
            worst = e;
            wi = i;
        }
    }
    if (over)
        fail_msg("%s %s_%s %s: %zu of %zu values above %.0f ulp; worst %.4g ulp at x=%.17g (%a): "
                 "got %.17g (%a), exact %.21Lg", variant, fn_name(fn), f32 ? "f32" : "f64", what,
                 over, n, tol, worst, x[wi], x[wi], got[wi], got[wi], ref_of(fn, x[wi]));
}

/* x representable in the dtype */
static double to_dtype(int f32, double v)
{
    return f32 ? (double)(float)v : v;
}

/* A value of the dtype with a uniformly random bit pattern, |x| < lim. */
static double random_bits(xt_rng *r, int f32, double lim)
{
    for (;;) {
        uint64_t u = xt_next(r);
        double v;
        if (f32) {
            uint32_t b = (uint32_t)(u >> 32);
            float f;
            memcpy(&f, &b, sizeof f);
            v = f;
        } else {
            memcpy(&v, &u, sizeof v);
        }
        if (fabs(v) < lim)
            return v;
    }
}

/* ---- sampled accuracy ------------------------------------------------- */

static void unary_accuracy(const char *variant, int fn, int f32)
{
    const size_t M = XT_SAMPLES;
    double *x = xt_alloc(M * sizeof(double)), *got = xt_alloc(M * sizeof(double));
    xt_rng rng = {0xacc + (uint64_t)fn * 2 + (uint64_t)f32};
    /* exp: the whole finite-and-nonzero result range and a little beyond;
     * log_sigmoid: where it is neither x nor -exp(-x) to the last bit, and beyond */
    double lo, hi, bits_lim;
    if (fn == FN_EXP) {
        lo = f32 ? -105.0 : -746.0;
        hi = f32 ? 89.0 : 710.0;
        bits_lim = f32 ? 128.0 : 1024.0;
    } else {
        lo = f32 ? -120.0 : -800.0;
        hi = f32 ? 120.0 : 800.0;
        bits_lim = f32 ? 256.0 : 2048.0;
    }
    /* uniform over the range */
    for (size_t i = 0; i < M; i++)
        x[i] = to_dtype(f32, lo + (hi - lo) * xt_uniform(&rng));
    run_unary(variant, fn, f32, x, M, 1, got);
    check_unary(variant, "uniform", fn, f32, x, got, M);
    /* every binade: uniformly random bit patterns */
    for (size_t i = 0; i < M; i++)
        x[i] = random_bits(&rng, f32, bits_lim);
    run_unary(variant, fn, f32, x, M, 0, got);
    check_unary(variant, "random bits", fn, f32, x, got, M);
    /* moderate arguments, where most of the use is */
    for (size_t i = 0; i < M; i++)
        x[i] = to_dtype(f32, (xt_uniform(&rng) - 0.5) * 40);
    run_unary(variant, fn, f32, x, M, 3, got);
    check_unary(variant, "[-20, 20]", fn, f32, x, got, M);
    xt_free(x);
    xt_free(got);
}

static void exp_f32_accuracy(const char *v) { unary_accuracy(v, FN_EXP, 1); }
static void exp_f64_accuracy(const char *v) { unary_accuracy(v, FN_EXP, 0); }
static void log_sigmoid_f32_accuracy(const char *v) { unary_accuracy(v, FN_LOGSIG, 1); }
static void log_sigmoid_f64_accuracy(const char *v) { unary_accuracy(v, FN_LOGSIG, 0); }

/* ---- special values and thresholds --------------------------------------- */

/* The first argument whose exact e^x rounds to infinity in the dtype. */
static double overflow_threshold(int f32)
{
    if (f32) {
        float t = (float)logl(FLT_MAX);
        while (!isinf((float)expl(t)))
            t = nextafterf(t, INFINITY);
        while (isinf((float)expl(nextafterf(t, 0))))
            t = nextafterf(t, 0);
        return t;
    }
    double t = (double)logl(DBL_MAX);
    while (!isinf((double)expl(t)))
        t = nextafter(t, INFINITY);
    while (isinf((double)expl(nextafter(t, 0))))
        t = nextafter(t, 0);
    return t;
}

static void exp_special(const char *variant, int f32)
{
    const double ov = overflow_threshold(f32);
    const double fin = f32 ? (double)nextafterf((float)ov, 0) : nextafter(ov, 0);
    const double nmin = f32 ? -87.33654022216797 : -708.39641853226408;  /* ~ e^x = smallest normal */
    const double sub = f32 ? -95.0 : -720.0;                             /* e^x subnormal */
    const double zmin = f32 ? -103.97207641601562 : -745.13321910194110; /* ~ half the smallest subnormal */
    const double xs[] = {0.0,  -0.0, 1.0,  -1.0, ov,   fin,  nmin,   sub,    zmin,     -1000.0,
                         1000, 1e-30, -1e-30, 0.5, -0.5, 2e-8, -2e-8, 1e-300, -745.0, 100.0,
                         -100.0, 89.0, -104.0, -105.0, -120.0, -103.27892303466797, -744.44007192138122};
    enum { N = sizeof xs / sizeof xs[0] };
    double x[N], got[N];
    for (size_t i = 0; i < N; i++)
        x[i] = to_dtype(f32, xs[i]);
    run_unary(variant, FN_EXP, f32, x, N, 1, got);
    check_unary(variant, "thresholds", FN_EXP, f32, x, got, N);
    /* exact values (at the overflow threshold itself check_unary allows the
     * largest finite number as a 1-ulp error) */
    if (!(got[0] == 1 && got[1] == 1))
        fail_msg("%s exp(+-0) = %a, %a, expected 1", variant, got[0], got[1]);
    if (!(isfinite(got[5])) && !(xt_is_sleef(variant) && !f32)) /* SLEEF's cutoff, see check_unary */
        fail_msg("%s exp(%.17g) = %a, expected finite", variant, x[5], got[5]);
    if (!(got[9] == 0 && got[10] == INFINITY))
        fail_msg("%s exp(-1000) = %a, exp(1000) = %a, expected 0 and inf", variant, got[9], got[10]);
    if (!(got[7] > 0 && got[7] < (f32 ? FLT_MIN : DBL_MIN)))
        fail_msg("%s exp(%.17g) = %a, expected a subnormal (gradual underflow)", variant, x[7],
                 got[7]);
    double sx[3] = {INFINITY, -INFINITY, NAN}, sg[3];
    run_unary(variant, FN_EXP, f32, sx, 3, 0, sg);
    if (!(sg[0] == INFINITY && sg[1] == 0 && isnan(sg[2])))
        fail_msg("%s exp(inf, -inf, NaN) = %a, %a, %a, expected inf, 0, NaN", variant, sg[0], sg[1],
                 sg[2]);
}

static void exp_f32_special(const char *v) { exp_special(v, 1); }
static void exp_f64_special(const char *v) { exp_special(v, 0); }

static void log_sigmoid_special(const char *variant, int f32)
{
    const double xs[] = {0.0,   -0.0,   1.0,    -1.0,  1000.0, -1000.0, 88.0, -88.0, 17.0,
                         -17.0, 30.0,   -30.0,  1e-30, -1e-30, 1e30,    -1e30, 745.0, -745.0,
                         104.0, -104.0, 40.0,   -40.0, 710.0,  -710.0,  3.0e38, -3.0e38};
    enum { N = sizeof xs / sizeof xs[0] };
    double x[N], got[N];
    for (size_t i = 0; i < N; i++)
        x[i] = to_dtype(f32, xs[i]);
    run_unary(variant, FN_LOGSIG, f32, x, N, 2, got);
    check_unary(variant, "edges", FN_LOGSIG, f32, x, got, N);
    /* log_sigmoid(-1000) = -1000 exactly (to the last bit), (1000) = -0 or -tiny */
    if (!(got[5] == -1000.0))
        fail_msg("%s log_sigmoid(-1000) = %.17g, expected -1000", variant, got[5]);
    if (!(got[4] <= 0 && got[4] > -1e-300))
        fail_msg("%s log_sigmoid(1000) = %.17g, expected 0 (or -0)", variant, got[4]);
    double sx[3] = {INFINITY, -INFINITY, NAN}, sg[3];
    run_unary(variant, FN_LOGSIG, f32, sx, 3, 0, sg);
    if (!(sg[0] == 0 && sg[1] == -INFINITY && isnan(sg[2])))
        fail_msg("%s log_sigmoid(inf, -inf, NaN) = %a, %a, %a, expected 0, -inf, NaN", variant,
                 sg[0], sg[1], sg[2]);
}

static void log_sigmoid_f32_special(const char *v) { log_sigmoid_special(v, 1); }
static void log_sigmoid_f64_special(const char *v) { log_sigmoid_special(v, 0); }

/* every length 0..40 at offsets 0..3: each element and the guards */
static void unary_lengths(const char *variant, int f32)
{
    xt_rng rng = {0x1e9 + (uint64_t)f32};
    double x[48], got[48];
    for (size_t n = 0; n <= 40; n++)
        for (size_t off = 0; off < 4; off++)
            for (int fn = 0; fn < 2; fn++) {
                for (size_t i = 0; i < n; i++)
                    x[i] = to_dtype(f32, f32 ? (double)xt_logit_f32(&rng) : xt_logit_f64(&rng));
                run_unary(variant, fn, f32, x, n, off, got);
                check_unary(variant, "lengths", fn, f32, x, got, n);
            }
}

static void math_f32_lengths(const char *v) { unary_lengths(v, 1); }
static void math_f64_lengths(const char *v) { unary_lengths(v, 0); }

/* ---- logsumexp --------------------------------------------------------- */

/* m + log sum exp(z - m), its tolerance; NaN anywhere gives NaN */
static long double lse_ref(const double *z, size_t k, int f32, long double *tol)
{
    long double m = -INFINITY;
    for (size_t c = 0; c < k; c++) {
        if (isnan(z[c])) {
            *tol = 0;
            return NAN;
        }
        if ((long double)z[c] > m)
            m = z[c];
    }
    long double s = 0;
    for (size_t c = 0; c < k; c++)
        s += expl((long double)z[c] - m);
    long double ls = logl(s), r = m + ls;
    long double u = f32 ? 0x1p-24L : 0x1p-53L;
    *tol = 2 * (f32 ? xt_ulp_f32(r) : xt_ulp_f64(r)) + u * (2 * ls + 3.0L * (long double)k + 8);
    return r;
}

/* rows z[n][k] (dense, as doubles representable in the dtype) with row
 * stride ld and offset off in the library's buffer */
static void run_lse(const char *variant, int f32, const double *z, size_t n, size_t k, size_t ld,
                    size_t off, double *got)
{
    size_t cap = off + n * ld + 2;
    xent_status st;
    if (f32) {
        float *zb = xt_alloc(cap * sizeof(float)), *ob = xt_alloc((off + n + 2) * sizeof(float));
        for (size_t i = 0; i < cap; i++)
            zb[i] = NAN; /* the padding must not be read */
        for (size_t i = 0; i < n; i++)
            for (size_t c = 0; c < k; c++)
                zb[off + i * ld + c] = (float)z[i * k + c];
        xt_fill_sentinel_f32(ob, off + n + 2);
        st = xent_logsumexp_f32(zb + off, n, k, ld, ob + off);
        if (st != XENT_OK)
            fail_msg("%s logsumexp_f32 n=%zu k=%zu ld=%zu: status %d", variant, n, k, ld, (int)st);
        if (!xt_is_sentinel_f32(ob, off) || !xt_is_sentinel_f32(ob + off + n, 2))
            fail_msg("%s logsumexp_f32 n=%zu k=%zu: written outside out[0..n)", variant, n, k);
        for (size_t i = 0; i < n; i++)
            got[i] = ob[off + i];
        xt_free(zb);
        xt_free(ob);
    } else {
        double *zb = xt_alloc(cap * sizeof(double)), *ob = xt_alloc((off + n + 2) * sizeof(double));
        for (size_t i = 0; i < cap; i++)
            zb[i] = NAN;
        for (size_t i = 0; i < n; i++)
            for (size_t c = 0; c < k; c++)
                zb[off + i * ld + c] = z[i * k + c];
        xt_fill_sentinel_f64(ob, off + n + 2);
        st = xent_logsumexp_f64(zb + off, n, k, ld, ob + off);
        if (st != XENT_OK)
            fail_msg("%s logsumexp_f64 n=%zu k=%zu ld=%zu: status %d", variant, n, k, ld, (int)st);
        if (!xt_is_sentinel_f64(ob, off) || !xt_is_sentinel_f64(ob + off + n, 2))
            fail_msg("%s logsumexp_f64 n=%zu k=%zu: written outside out[0..n)", variant, n, k);
        for (size_t i = 0; i < n; i++)
            got[i] = ob[off + i];
        xt_free(zb);
        xt_free(ob);
    }
}

static void check_lse(const char *variant, const char *what, int f32, const double *z, size_t n,
                      size_t k, size_t ld, const double *got)
{
    for (size_t i = 0; i < n; i++) {
        long double tol, ref = lse_ref(z + i * k, k, f32, &tol);
        int ok;
        if (isnan(ref))
            ok = isnan(got[i]);
        else if (isinf(ref))
            ok = (long double)got[i] == ref;
        else
            ok = isfinite(got[i]) && fabsl((long double)got[i] - ref) <= tol;
        if (!ok)
            fail_msg("%s logsumexp_%s %s n=%zu k=%zu ld=%zu row %zu (first logits %.9g, %.9g): got "
                     "%.17g, reference %.21Lg, |error| %.3Lg > %.3Lg", variant, f32 ? "f32" : "f64",
                     what, n, k, ld, i, z[i * k], k > 1 ? z[i * k + 1] : 0.0, got[i], ref,
                     fabsl((long double)got[i] - ref), tol);
    }
}

static void lse_case(const char *variant, int f32)
{
    xt_rng rng = {0x15e + (uint64_t)f32};
    const size_t maxn = 40, maxk = 4099;
    double *z = xt_alloc(maxn * maxk * sizeof(double)), *got = xt_alloc((maxn + 1) * sizeof(double));
    /* every k = 1..40 with n = 0..12, then long rows; strided, misaligned */
    static const size_t bigk[] = {64, 100, 1000, 4099};
    for (size_t kj = 1; kj <= 40 + 4; kj++) {
        size_t k = kj <= 40 ? kj : bigk[kj - 41];
        size_t nmax = k <= 40 ? 12 : 5;
        for (size_t n = 0; n <= nmax; n++)
            for (int mode = 0; mode < 4; mode++) {
                for (size_t i = 0; i < n; i++)
                    for (size_t c = 0; c < k; c++) {
                        double v;
                        if (mode == 0) /* moderate */
                            v = f32 ? (double)xt_logit_f32(&rng) : xt_logit_f64(&rng);
                        else if (mode == 1) /* wide: +-1000 */
                            v = (xt_uniform(&rng) - 0.5) * 2000;
                        else if (mode == 2) /* one row value repeated: s = k exactly */
                            v = c == 0 ? (xt_uniform(&rng) - 0.5) * 200 : z[i * k];
                        else /* a -inf among finite values counts as exp = 0 */
                            v = (c % 5 == 1) ? -INFINITY : (xt_uniform(&rng) - 0.5) * 20;
                        z[i * k + c] = to_dtype(f32, v);
                    }
                size_t ld = k + (size_t)(mode & 1) * 3, off = (size_t)mode % 3;
                run_lse(variant, f32, z, n, k, ld, off, got);
                check_lse(variant, mode == 0 ? "moderate" : mode == 1 ? "wide" : mode == 2 ? "equal" : "-inf",
                          f32, z, n, k, ld, got);
            }
    }
    /* exact values: [1000, 1000] -> 1000 + log 2; [0, -inf] -> 0; NaN row -> NaN;
     * [-1000 x 4] -> -1000 + log 4 */
    const double rows[4][4] = {{1000, 1000, -INFINITY, -INFINITY},
                               {0, -INFINITY, -INFINITY, -INFINITY},
                               {1, NAN, 2, 3},
                               {-1000, -1000, -1000, -1000}};
    double zz[16];
    for (size_t i = 0; i < 4; i++)
        for (size_t c = 0; c < 4; c++)
            zz[i * 4 + c] = rows[i][c];
    run_lse(variant, f32, zz, 4, 4, 4, 0, got);
    check_lse(variant, "exact rows", f32, zz, 4, 4, 4, got);
    if (!(got[1] == 0))
        fail_msg("%s logsumexp of [0, -inf, -inf, -inf] is %.17g, expected 0", variant, got[1]);
    if (!isnan(got[2]))
        fail_msg("%s logsumexp of a row with NaN is %.17g, expected NaN", variant, got[2]);
    xt_free(z);
    xt_free(got);
}

/* ---- logsumexp where max + log S cancels --------------------------------
 * Rows whose logsumexp is near 0 with a negative max M: two logits with
 * e^z1 + e^z2 ~ 1, rows of rounded log-probabilities (log-softmax output,
 * whose logsumexp is a rounding residue), and pairs of negative logits.
 * The result is much smaller than |M| + log S, so the exact value comes
 * from MPFR (x86) or from the IEEE-quad long double (AArch64).  Contract:
 * 1 ulp (see xent.h: the slow paths hold it down to results of
 * 2^-94 (|M| + log S); these rows stay far above that). */
#if defined(XT_HAVE_MPFR)
#include <mpfr.h>
#define XT_LSE_EXACT 1
static long double lse_exact(const double *z, size_t k, int *sure)
{
    *sure = 1;
    mpfr_t s, e;
    mpfr_init2(s, 320);
    mpfr_init2(e, 320);
    mpfr_set_zero(s, 1);
    for (size_t c = 0; c < k; c++) {
        mpfr_set_d(e, z[c], MPFR_RNDN);
        mpfr_exp(e, e, MPFR_RNDN);
        mpfr_add(s, s, e, MPFR_RNDN);
    }
    mpfr_log(s, s, MPFR_RNDN);
    long double r = mpfr_get_ld(s, MPFR_RNDN);
    mpfr_clear(s);
    mpfr_clear(e);
    return r;
}
#elif LDBL_MANT_DIG >= 113
#define XT_LSE_EXACT 1
static long double lse_exact(const double *z, size_t k, int *sure)
{
    /* M + log1p(S') with S' = sum over c != argmax of e^(z_c - M): each
     * part to 2^-112 of itself, so a result down to 2^-50 (|M| + log1p S')
     * keeps 2^-60 of itself; rows past that cannot be judged here (x86
     * checks them with MPFR) */
    size_t a = 0;
    for (size_t c = 1; c < k; c++)
        if (z[c] > z[a]) a = c;
    long double s = 0;
    for (size_t c = 0; c < k; c++)
        if (c != a) s += expl((long double)z[c] - (long double)z[a]);
    const long double l = log1pl(s), r = (long double)z[a] + l;
    *sure = fabsl(r) >= 0x1p-50L * (fabsl((long double)z[a]) + l);
    return r;
}
#endif

#ifdef XT_LSE_EXACT
/* A long double rounded to the dtype through a volatile float: gcc 12 -O3
 * was seen to drop the float rounding of (float)(double) a long double. */
static double ld_to_dtype(int f32, long double v)
{
    volatile float f = (float)(double)v;
    return f32 ? (double)f : (double)v;
}

static void lse_cancel_case(const char *variant, int f32)
{
    xt_rng rng = {0xca9ce1 + (uint64_t)f32};
    enum { ROWS = 400 };
    static const size_t ks[] = {2, 10, 100, 1000};
    double *z = xt_alloc(ROWS * 1000 * sizeof(double)), *got = xt_alloc((ROWS + 1) * sizeof(double));
    double worst = 0;
    for (size_t kj = 0; kj < sizeof ks / sizeof ks[0]; kj++) {
        const size_t k = ks[kj], n = k == 1000 ? 40 : ROWS;
        for (size_t i = 0; i < n; i++) {
            double *r = z + i * k;
            const int kind = (int)(i % 3);
            if (k == 2 && kind == 0) { /* e^z1 + e^z2 ~ 1 */
                long double z1 = -expl(-0.4L - 14 * xt_uniform(&rng));
                r[0] = ld_to_dtype(f32, z1);
                r[1] = ld_to_dtype(f32, logl(-expm1l((long double)r[0])));
            } else if (k == 2 && kind == 1) { /* two negative logits */
                r[0] = to_dtype(f32, -3 * xt_uniform(&rng));
                r[1] = to_dtype(f32, -3 * xt_uniform(&rng));
            } else { /* log-softmax of moderate logits, rounded to the dtype */
                long double m = -INFINITY, s = 0;
                for (size_t c = 0; c < k; c++) {
                    r[c] = (xt_uniform(&rng) - 0.5) * (kind == 2 ? 4 : 16);
                    if (r[c] > m) m = r[c];
                }
                for (size_t c = 0; c < k; c++) s += expl(r[c] - m);
                const long double l = m + logl(s);
                for (size_t c = 0; c < k; c++) r[c] = ld_to_dtype(f32, r[c] - l);
            }
        }
        run_lse(variant, f32, z, n, k, k, 1, got);
        for (size_t i = 0; i < n; i++) {
            const double *r = z + i * k;
            double m = -INFINITY;
            for (size_t c = 0; c < k; c++) m = r[c] > m ? r[c] : m;
            int sure;
            const long double ex = lse_exact(r, k, &sure);
            if (!sure) continue;
            const long double u = f32 ? xt_ulp_f32(ex) : xt_ulp_f64(ex);
            const long double err = fabsl((long double)got[i] - ex);
            if (!(err <= u))
                fail_msg("%s logsumexp_%s k=%zu row %zu (max %a): got %a, exact %.21Lg, error %.3Lg ulp",
                         variant, f32 ? "f32" : "f64", k, i, m, got[i], ex, err / u);
            if (err / u > worst) worst = (double)(err / u);
        }
    }
    print_message("  [%s] logsumexp_%s, cancelling rows: max %.3f ulp\n", variant, f32 ? "f32" : "f64",
                  worst);
    xt_free(z);
    xt_free(got);
}
static void logsumexp_f32_cancel(const char *v) { lse_cancel_case(v, 1); }
static void logsumexp_f64_cancel(const char *v) { lse_cancel_case(v, 0); }
#endif

static void logsumexp_f32_accuracy(const char *v) { lse_case(v, 1); }
static void logsumexp_f64_accuracy(const char *v) { lse_case(v, 0); }

/* ---- argument checks ----------------------------------------------------- */

static void math_errors(const char *variant, int f32)
{
    float xf[8] = {0}, of[8];
    double xd[8] = {0}, od[8];
    xent_status st;
    (void)variant;
#define XT_UNARY(fn, x, n, o) \
    (f32 ? xent_##fn##_f32((const float *)(x), n, (float *)(o)) : xent_##fn##_f64((const double *)(x), n, (double *)(o)))
    void *x = f32 ? (void *)xf : (void *)xd, *o = f32 ? (void *)of : (void *)od;
#define XT_SENT() (f32 ? xt_fill_sentinel_f32(of, 8) : xt_fill_sentinel_f64(od, 8))
#define XT_UNTOUCHED() (f32 ? xt_is_sentinel_f32(of, 8) : xt_is_sentinel_f64(od, 8))
    const size_t huge[] = {SIZE_MAX, SIZE_MAX / 2, SIZE_MAX / (f32 ? 4 : 8) + 1};
    for (int fn = 0; fn < 2; fn++) {
        XT_SENT();
        st = fn ? XT_UNARY(log_sigmoid, NULL, 8, o) : XT_UNARY(exp, NULL, 8, o);
        if (st != XENT_EINVAL || !XT_UNTOUCHED())
            fail_msg("%s %s NULL x: status %d", variant, fn_name(fn), (int)st);
        st = fn ? XT_UNARY(log_sigmoid, x, 8, NULL) : XT_UNARY(exp, x, 8, NULL);
        if (st != XENT_EINVAL)
            fail_msg("%s %s NULL out: status %d", variant, fn_name(fn), (int)st);
        for (size_t h = 0; h < 3; h++) {
            XT_SENT();
            st = fn ? XT_UNARY(log_sigmoid, x, huge[h], o) : XT_UNARY(exp, x, huge[h], o);
            if (st != XENT_EOVERFLOW || !XT_UNTOUCHED())
                fail_msg("%s %s n=%zu: status %d, expected XENT_EOVERFLOW", variant, fn_name(fn),
                         huge[h], (int)st);
        }
        XT_SENT();
        st = fn ? XT_UNARY(log_sigmoid, x, 0, o) : XT_UNARY(exp, x, 0, o);
        if (st != XENT_OK || !XT_UNTOUCHED())
            fail_msg("%s %s n=0: status %d or out written", variant, fn_name(fn), (int)st);
    }
#define XT_LSE(z, n, k, ld, o)                                                                 \
    (f32 ? xent_logsumexp_f32((const float *)(z), n, k, ld, (float *)(o))                      \
         : xent_logsumexp_f64((const double *)(z), n, k, ld, (double *)(o)))
    struct {
        const char *what;
        int null_z, null_o;
        size_t n, k, ld;
        xent_status want;
    } lc[] = {
        {"NULL z", 1, 0, 2, 4, 4, XENT_EINVAL},
        {"NULL out", 0, 1, 2, 4, 4, XENT_EINVAL},
        {"ld < k", 0, 0, 2, 4, 3, XENT_EINVAL},
        {"n * ld overflows", 0, 0, SIZE_MAX / 2, 4, 4, XENT_EOVERFLOW},
        {"n * ld * size overflows", 0, 0, SIZE_MAX / 32 + 1, 4, 4, XENT_EOVERFLOW},
        {"row overflows", 0, 0, 3, 2, SIZE_MAX / 4, XENT_EOVERFLOW},
        {"k overflows", 0, 0, 1, SIZE_MAX / 2, SIZE_MAX / 2, XENT_EOVERFLOW},
    };
    for (size_t j = 0; j < sizeof lc / sizeof lc[0]; j++) {
        XT_SENT();
        st = XT_LSE(lc[j].null_z ? NULL : x, lc[j].n, lc[j].k, lc[j].ld, lc[j].null_o ? NULL : o);
        if (st != lc[j].want || !XT_UNTOUCHED())
            fail_msg("%s logsumexp %s: status %d, expected %d%s", variant, lc[j].what, (int)st,
                     (int)lc[j].want, XT_UNTOUCHED() ? "" : " (out written)");
    }
    XT_SENT();
    st = XT_LSE(x, 0, 4, 4, o);
    if (st != XENT_OK || !XT_UNTOUCHED())
        fail_msg("%s logsumexp n=0: status %d or out written", variant, (int)st);
#undef XT_UNARY
#undef XT_SENT
#undef XT_UNTOUCHED
#undef XT_LSE
}

static void math_f32_errors(const char *v) { math_errors(v, 1); }
static void math_f64_errors(const char *v) { math_errors(v, 0); }

int main(void)
{
    static const xt_case cases[] = {
        {"exp_f32_accuracy", exp_f32_accuracy},
        {"exp_f64_accuracy", exp_f64_accuracy},
        {"exp_f32_special", exp_f32_special},
        {"exp_f64_special", exp_f64_special},
        {"log_sigmoid_f32_accuracy", log_sigmoid_f32_accuracy},
        {"log_sigmoid_f64_accuracy", log_sigmoid_f64_accuracy},
        {"log_sigmoid_f32_special", log_sigmoid_f32_special},
        {"log_sigmoid_f64_special", log_sigmoid_f64_special},
        {"math_f32_lengths", math_f32_lengths},
        {"math_f64_lengths", math_f64_lengths},
        {"logsumexp_f32_accuracy", logsumexp_f32_accuracy},
        {"logsumexp_f64_accuracy", logsumexp_f64_accuracy},
#ifdef XT_LSE_EXACT
        {"logsumexp_f32_cancel", logsumexp_f32_cancel},
        {"logsumexp_f64_cancel", logsumexp_f64_cancel},
#endif
        {"math_f32_errors", math_f32_errors},
        {"math_f64_errors", math_f64_errors},
    };
    int failed = xt_run_per_variant("math", cases, sizeof cases / sizeof cases[0], XT_ALL);
    return failed ? 1 : 0;
}
