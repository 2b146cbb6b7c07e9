/* xent accuracy evaluator: every math kernel and loss term, every variant
 * this machine runs, against correctly rounded references; the reductions
 * against exact sums; torch 1.13 / sklearn 1.2 side by side; cross-variant
 * hashes.  Writes docs/accuracy.md and exits non-zero if a bound of the
 * accuracy contract (../shared/semantics.md, end) is broken.
 *
 *   accuracy_eval [--out FILE] [--work DIR] [--quick] [--python PATH]
 *            [--no-torch] [--neon-cmd "CMD"] [--max-n N] [--threads T]
 *
 * How (see docs/accuracy.md for the figures):
 *  - float32 kernels and terms: EVERY input of the domain (bit patterns),
 *    in chunks of 2^20 shared by the threads.  All variants of one log
 *    backend run on the chunk, their outputs are compared bitwise with the
 *    backend's reference variant ("scalar", "scalar+sleef"), and the error
 *    is measured once per backend (on the reference's outputs; a variant
 *    that differs is measured on its own too).  The reference is the
 *    double formula (glibc log/log1p/exp: < 1 double ulp, ~2^-29 float ulp);
 *    every element whose error comes out above 0.9 ulp is measured again
 *    against MPFR (200 bits), which decides.
 *  - float64: 10^8 samples per kernel (binade-uniform over the domain plus
 *    edges), the same bitwise grouping; reference long double (x86 80-bit,
 *    2^-11 double ulp), re-measured with MPFR above 0.9 ulp and on every
 *    1024th sample (the largest long double / MPFR disagreement is reported).
 *  - rows (cross-entropy term, logsumexp) for k in {2, 10, 1000, 32000}:
 *    sampled rows; reference long double (the CE term as log1p of the sum of
 *    exp(z_c - z_t), c != t: no cancellation), MPFR (256 bits) for rows above
 *    0.9 ulp, every 256th row and every logsumexp that cancels by more than 8x.
 *  - reductions: one call over an n-element buffer (n = 10^3 .. 10^9) against
 *    the exact sum (a fixed-point superaccumulator read out by MPFR) of the
 *    terms the same variant computes (chunked NONE calls: terms do not
 *    depend on the call) and against the exact mathematical loss (long double
 *    terms, exactly summed).  Inputs are regenerated from the seed by index.
 *  - hashes: tests/golden_cases.h per variant, compared within each backend
 *    and with the committed tests/golden.h. */
#define _POSIX_C_SOURCE 200809L
#include "eval.h"

#include <errno.h>
#include <float.h>
#include <math.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

#include "xent.h"
#include "golden_cases.h"
#include "golden.h"

/* ---- options and report ---------------------------------------------- */

static struct {
    const char *out, *work, *python, *neon_cmd, *src;
    int quick, torch;
    uint64_t max_n;
    unsigned threads;
    uint64_t f32_stride, f64_samples, row_elems;
} opt = {"docs/accuracy.md", "/tmp", "/usr/bin/python3", NULL, ".", 0, 1, 1000000000ull, 0,
         1, 100000000ull, (uint64_t)1 << 25};

static int contract_broken = 0;
static char *md;        /* the markdown body */
static size_t md_len, md_cap;

static void mdf(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char buf[8192];
    int k = vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    if (k < 0)
        return;
    size_t len = (size_t)k < sizeof buf ? (size_t)k : sizeof buf - 1;
    if (md_len + len + 1 > md_cap) {
        md_cap = (md_len + len + 1) * 2;
        md = realloc(md, md_cap);
        if (md == NULL)
            abort();
    }
    memcpy(md + md_len, buf, len);
    md_len += len;
    md[md_len] = 0;
}

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

static void *ev_alloc(size_t bytes)
{
    void *p = NULL;
    if (posix_memalign(&p, 64, bytes ? bytes : 64) != 0) {
        fprintf(stderr, "accuracy: out of memory (%zu bytes)\n", bytes);
        exit(2);
    }
    return p;
}

/* ---- variants -------------------------------------------------------- */

#define MAXV 8
static const char *variants[MAXV];
static unsigned nvar;
static int is_sleef(const char *v) { return strstr(v, "+sleef") != NULL; }
static unsigned var_index(const char *name)
{
    for (unsigned v = 0; v < nvar; v++)
        if (strcmp(variants[v], name) == 0)
            return v;
    return MAXV;
}

/* The variant whose outputs are measured for each backend: the fastest
 * (every other variant of the backend is compared with it bit for bit). */
static unsigned meas_own = MAXV, meas_sl = MAXV;
static int is_slow(const char *v) { return strncmp(v, "scalar", 6) == 0; }

static void use_variant(const char *v)
{
    if (xent_set_variant(v) != XENT_OK) {
        fprintf(stderr, "accuracy: cannot select %s\n", v);
        exit(2);
    }
}

/* ---- threads --------------------------------------------------------- */

static pthread_barrier_t barrier;
static unsigned nthreads;

static void run_threads(void *(*fn)(void *), void *args, size_t argsize)
{
    pthread_t th[16];
    pthread_barrier_init(&barrier, NULL, nthreads);
    for (unsigned t = 1; t < nthreads; t++)
        if (pthread_create(&th[t], NULL, fn, (char *)args + t * argsize) != 0) {
            fprintf(stderr, "accuracy: pthread_create failed\n");
            exit(2);
        }
    fn(args);
    for (unsigned t = 1; t < nthreads; t++)
        pthread_join(th[t], NULL);
    pthread_barrier_destroy(&barrier);
}

/* ---- ulp errors -------------------------------------------------------- */

static inline double ulp_f32(double r)
{
    r = fabs(r);
    if (!(r >= 0x1p-126))
        return 0x1p-149;
    if (r >= 0x1p127)
        return 0x1p104;
    uint64_t b;
    memcpy(&b, &r, sizeof b);
    b = (b & 0x7ff0000000000000ull) - (23ull << 52); /* 2^(e - 23) */
    double u;
    memcpy(&u, &b, sizeof u);
    return u;
}

static inline long double ulp_f64(long double r)
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

/* |got - ref| / ulp(ref); an infinite result, and an exact value past the
 * range, count as 2^(emax+1) (rounding to inf is then within 0.5 ulp). */
static inline double err_f32(float got, double ref)
{
    if (isnan(got) || isnan(ref))
        return isnan(got) && isnan(ref) ? 0.0 : INFINITY;
    if (isinf(ref) && (double)got == ref)
        return 0.0;
    double g = isinf(got) ? copysign(0x1p128, got) : (double)got;
    double r = fabs(ref) > 0x1p128 ? copysign(0x1p128, ref) : ref;
    return fabs(g - r) / ulp_f32(r);
}

static inline double err_f64(double got, long double ref)
{
    if (isnan(got) || isnan(ref))
        return isnan(got) && isnan(ref) ? 0.0 : INFINITY;
    if (isinf(ref) && (long double)got == ref)
        return 0.0;
    long double g = isinf(got) ? copysignl(0x1p1024L, got) : (long double)got;
    long double r = fabsl(ref) > 0x1p1024L ? copysignl(0x1p1024L, ref) : ref;
    return (double)(fabsl(g - r) / ulp_f64(r));
}

/* got against an MPFR value, in ulps of the dtype (inf and values past the
 * range counting as 2^(emax+1), as above). */
static double err_mpfr(double got, int f32, mpfr_t ref, mpfr_t tmp)
{
    if (mpfr_nan_p(ref) || isnan(got))
        return mpfr_nan_p(ref) && isnan(got) ? 0.0 : INFINITY;
    const long emax1 = f32 ? 128 : 1024; /* 2^emax1: the stand-in for inf */
    if (mpfr_inf_p(ref) && isinf(got) && (mpfr_sgn(ref) > 0) == (got > 0))
        return 0.0;
    mpfr_set(tmp, ref, MPFR_RNDN);
    if (mpfr_inf_p(tmp) || (!mpfr_zero_p(tmp) && mpfr_get_exp(tmp) > emax1)) {
        int neg = mpfr_sgn(tmp) < 0;
        mpfr_set_ui_2exp(tmp, 1, emax1, MPFR_RNDN);
        if (neg)
            mpfr_neg(tmp, tmp, MPFR_RNDN);
    }
    long e = mpfr_zero_p(tmp) ? -100000 : (long)mpfr_get_exp(tmp); /* |tmp| in [2^(e-1), 2^e) */
    long ue = e - 1 - (f32 ? 23 : 52);
    if (ue < (f32 ? -149 : -1074))
        ue = f32 ? -149 : -1074;
    if (ue > (f32 ? 104 : 971))
        ue = f32 ? 104 : 971;
    if (isinf(got)) {
        mpfr_t g;
        mpfr_init2(g, 64);
        mpfr_set_ui_2exp(g, 1, emax1, MPFR_RNDN);
        if (got < 0)
            mpfr_neg(g, g, MPFR_RNDN);
        mpfr_sub(tmp, tmp, g, MPFR_RNDN);
        mpfr_clear(g);
    } else {
        mpfr_sub_d(tmp, tmp, got, MPFR_RNDN);
    }
    mpfr_abs(tmp, tmp, MPFR_RNDN);
    mpfr_mul_2si(tmp, tmp, -ue, MPFR_RNDN);
    return mpfr_get_d(tmp, MPFR_RNDU);
}

/* ---- error statistics ----------------------------------------------------- */

typedef struct stat {
    double max, at, got, ref;
    double sum;          /* of errors, for the mean */
    uint64_t count, over, mismatch;
    uint64_t compared;   /* inputs on which the variant ran (and was compared) */
    double mis_at;       /* first input where the variant differs from its reference */
    double ld_vs_mpfr;   /* worst disagreement of the fast reference with MPFR */
    uint64_t mpfr_checks;
} stat;

static void stat_init(stat *s)
{
    memset(s, 0, sizeof *s);
    s->mis_at = NAN;
}

static inline void stat_add(stat *s, double e, double x, double got, double ref)
{
    s->count++;
    s->sum += isfinite(e) ? e : 0;
    if (e > 1.0)
        s->over++;
    if (!(e <= s->max)) {
        s->max = e;
        s->at = x;
        s->got = got;
        s->ref = ref;
    }
}

static void stat_merge(stat *a, const stat *b)
{
    if (!(b->max <= a->max)) {
        a->max = b->max;
        a->at = b->at;
        a->got = b->got;
        a->ref = b->ref;
    }
    a->sum += b->sum;
    a->count += b->count;
    a->over += b->over;
    if (a->mismatch == 0 && b->mismatch)
        a->mis_at = b->mis_at;
    a->mismatch += b->mismatch;
    if (b->ld_vs_mpfr > a->ld_vs_mpfr)
        a->ld_vs_mpfr = b->ld_vs_mpfr;
    a->mpfr_checks += b->mpfr_checks;
    a->compared += b->compared;
}

/* ---- unary functions: kernels and per-element loss terms ------------ */

enum { F_LOG, F_LOG1M, F_EXP, F_LOGSIG, T_BCE1, T_BCE0, T_BCEL1, T_BCEL0, F_COUNT };
static const char *const f_names[F_COUNT] = {
    "log_clamped (max(log p, -100))", "log1m_clamped (max(log(1-p), -100))", "exp",
    "log_sigmoid", "BCE term, y = 1", "BCE term, y = 0", "BCE-with-logits term, y = 1",
    "BCE-with-logits term, y = 0"};
static const char *const f_short[F_COUNT] = {"log", "log1m", "exp", "log_sigmoid",
                                             "bce_y1", "bce_y0", "bcel_y1", "bcel_y0"};
static int f_is_prob(int f) { return f == F_LOG || f == F_LOG1M || f == T_BCE1 || f == T_BCE0; }

/* The double reference (float32 inputs). */
static inline double ref_d(int f, double x)
{
    double l;
    switch (f) {
    case F_LOG: case T_BCE1:
        l = x == 0 ? -100.0 : log(x);
        l = l < -100.0 ? -100.0 : l;
        return f == F_LOG ? l : -l;
    case F_LOG1M: case T_BCE0:
        l = x == 1 ? -100.0 : log1p(-x);
        l = l < -100.0 ? -100.0 : l;
        return f == F_LOG1M ? l : -l;
    case F_EXP:
        return exp(x);
    case F_LOGSIG: case T_BCEL1:
        l = (x < 0 ? x : 0.0) - log1p(exp(-fabs(x)));
        return f == F_LOGSIG ? l : -l;
    default: /* softplus */
        return (x > 0 ? x : 0.0) + log1p(exp(-fabs(x)));
    }
}

static inline long double ref_ld(int f, long double x)
{
    long double l;
    switch (f) {
    case F_LOG: case T_BCE1:
        l = x == 0 ? -100.0L : logl(x);
        l = l < -100.0L ? -100.0L : l;
        return f == F_LOG ? l : -l;
    case F_LOG1M: case T_BCE0:
        l = x == 1 ? -100.0L : log1pl(-x);
        l = l < -100.0L ? -100.0L : l;
        return f == F_LOG1M ? l : -l;
    case F_EXP:
        return expl(x);
    case F_LOGSIG: case T_BCEL1:
        l = (x < 0 ? x : 0.0L) - log1pl(expl(-fabsl(x)));
        return f == F_LOGSIG ? l : -l;
    default:
        return (x > 0 ? x : 0.0L) + log1pl(expl(-fabsl(x)));
    }
}

/* The MPFR reference into r (precision of r; t is scratch). */
static void ref_mpfr(int f, double x, mpfr_t r, mpfr_t t)
{
    switch (f) {
    case F_LOG: case T_BCE1:
        if (x == 0)
            mpfr_set_si(r, -100, MPFR_RNDN);
        else {
            mpfr_set_d(r, x, MPFR_RNDN);
            mpfr_log(r, r, MPFR_RNDN);
            if (mpfr_cmp_si(r, -100) < 0)
                mpfr_set_si(r, -100, MPFR_RNDN);
        }
        if (f == T_BCE1)
            mpfr_neg(r, r, MPFR_RNDN);
        return;
    case F_LOG1M: case T_BCE0:
        if (x == 1)
            mpfr_set_si(r, -100, MPFR_RNDN);
        else {
            mpfr_set_d(r, -x, MPFR_RNDN);
            mpfr_log1p(r, r, MPFR_RNDN);
            if (mpfr_cmp_si(r, -100) < 0)
                mpfr_set_si(r, -100, MPFR_RNDN);
        }
        if (f == T_BCE0)
            mpfr_neg(r, r, MPFR_RNDN);
        return;
    case F_EXP:
        mpfr_set_d(r, x, MPFR_RNDN);
        mpfr_exp(r, r, MPFR_RNDN);
        return;
    default:
        /* log1p(exp(-|x|)) */
        mpfr_set_d(t, -fabs(x), MPFR_RNDN);
        mpfr_exp(t, t, MPFR_RNDN);
        mpfr_log1p(t, t, MPFR_RNDN);
        if (f == T_BCEL0) {
            mpfr_set_d(r, x > 0 ? x : 0.0, MPFR_RNDN);
            mpfr_add(r, r, t, MPFR_RNDN);
        } else {
            mpfr_set_d(r, x < 0 ? x : 0.0, MPFR_RNDN);
            mpfr_sub(r, r, t, MPFR_RNDN);
            if (f == T_BCEL1)
                mpfr_neg(r, r, MPFR_RNDN);
        }
        return;
    }
}

#define CHUNK ((size_t)1 << 20)

typedef struct ubuf {
    float *xf, *of[MAXV], *ones_f, *zeros_f;
    double *xd, *od[MAXV], *ones_d, *zeros_d;
} ubuf;

static void ubuf_alloc(ubuf *b, int f32)
{
    memset(b, 0, sizeof *b);
    if (f32) {
        b->xf = ev_alloc(CHUNK * 4);
        b->ones_f = ev_alloc(CHUNK * 4);
        b->zeros_f = ev_alloc(CHUNK * 4);
        for (size_t i = 0; i < CHUNK; i++) {
            b->ones_f[i] = 1.0f;
            b->zeros_f[i] = 0.0f;
        }
        for (unsigned v = 0; v < nvar; v++)
            b->of[v] = ev_alloc(CHUNK * 4);
    } else {
        b->xd = ev_alloc(CHUNK * 8);
        b->ones_d = ev_alloc(CHUNK * 8);
        b->zeros_d = ev_alloc(CHUNK * 8);
        for (size_t i = 0; i < CHUNK; i++) {
            b->ones_d[i] = 1.0;
            b->zeros_d[i] = 0.0;
        }
        for (unsigned v = 0; v < nvar; v++)
            b->od[v] = ev_alloc(CHUNK * 8);
    }
}

static void ubuf_free(ubuf *b)
{
    free(b->xf); free(b->ones_f); free(b->zeros_f);
    free(b->xd); free(b->ones_d); free(b->zeros_d);
    for (unsigned v = 0; v < nvar; v++) {
        free(b->of[v]);
        free(b->od[v]);
    }
}

static xent_status run_unary_f32(int f, ubuf *b, size_t m, float *o)
{
    size_t bad;
    switch (f) {
    case F_LOG: return xent_log_clamped_f32(b->xf, m, o, &bad);
    case F_LOG1M: return xent_log1m_clamped_f32(b->xf, m, o, &bad);
    case F_EXP: return xent_exp_f32(b->xf, m, o);
    case F_LOGSIG: return xent_log_sigmoid_f32(b->xf, m, o);
    case T_BCE1: case T_BCE0:
        return xent_bce_f32(b->xf, f == T_BCE1 ? b->ones_f : b->zeros_f, NULL, m,
                            XENT_REDUCTION_NONE, 0, NULL, o, NULL, &bad);
    default:
        return xent_bce_logits_f32(b->xf, f == T_BCEL1 ? b->ones_f : b->zeros_f, NULL, NULL, m, 0,
                                   XENT_REDUCTION_NONE, NULL, o, NULL, &bad);
    }
}

static xent_status run_unary_f64(int f, ubuf *b, size_t m, double *o)
{
    size_t bad;
    switch (f) {
    case F_LOG: return xent_log_clamped_f64(b->xd, m, o, &bad);
    case F_LOG1M: return xent_log1m_clamped_f64(b->xd, m, o, &bad);
    case F_EXP: return xent_exp_f64(b->xd, m, o);
    case F_LOGSIG: return xent_log_sigmoid_f64(b->xd, m, o);
    case T_BCE1: case T_BCE0:
        return xent_bce_f64(b->xd, f == T_BCE1 ? b->ones_d : b->zeros_d, NULL, m,
                            XENT_REDUCTION_NONE, 0, NULL, o, NULL, &bad);
    default:
        return xent_bce_logits_f64(b->xd, f == T_BCEL1 ? b->ones_d : b->zeros_d, NULL, NULL, m, 0,
                                   XENT_REDUCTION_NONE, NULL, o, NULL, &bad);
    }
}

/* float32 domain: pattern index -> bits (stride applied by the caller). */
static uint64_t f32_total(int f)
{
    return f_is_prob(f) ? 0x3f800001ull : 2ull * 0x7f800000ull;
}
static inline uint32_t f32_bits(int f, uint64_t i)
{
    if (f_is_prob(f))
        return (uint32_t)i;
    return i < 0x7f800000ull ? (uint32_t)i : (uint32_t)(0x80000000ull + (i - 0x7f800000ull));
}

/* float64 samples: binade-uniform over the domain, plus edges. */
static double f64_sample(int f, uint64_t *s, uint64_t i)
{
    static const double pe[] = {0.0, 1.0, 0.5, DBL_MIN, DBL_TRUE_MIN, 2 * DBL_TRUE_MIN,
                                DBL_MIN - DBL_TRUE_MIN, 1.0 - 0x1p-53, 1.0 - 0x1p-52,
                                0.5 - 0x1p-54, 0.5 + 0x1p-53, 0x1p-53, 3.720075976020836e-44,
                                3.7200759760208356e-44, 1e-10, 1e-300, 0.7071067811865476,
                                0.2928932188134524, 1e-5, 1.0 - 1e-5};
    static const double ze[] = {0.0, -0.0, 709.782712893384, 709.7827128933841, 709.79,
                                -708.3964185322641, -708.4, -744.44007192138122,
                                -745.1332191019411, -745.1332191019412, -746.0, 710.0,
                                0x1p-1074, -0x1p-1074, 0x1p-60, -0x1p-60, 1.0, -1.0, 36.0,
                                -36.0, 37.5, -37.5, 1000.0, -1000.0, DBL_MAX, -DBL_MAX};
    const uint64_t np = sizeof pe / sizeof pe[0], nz = sizeof ze / sizeof ze[0];
    uint64_t u = gc_next(s);
    if (f_is_prob(f)) {
        if (i < np)
            return pe[i];
        uint64_t b;
        switch (u & 3) {
        case 0: case 1:
            b = (gc_next(s) >> 2) % 0x3ff0000000000001ull;
            return gc_f64_bits(b);
        case 2:
            b = (gc_next(s) >> 2) % 0x3fe0000000000001ull;
            return 1.0 - gc_f64_bits(b);
        default:
            return (double)(gc_next(s) >> 11) * 0x1p-53;
        }
    }
    if (i < nz)
        return ze[i];
    uint64_t r = gc_next(s), sign = (u & 8) << 60;
    if (f == F_EXP) { /* |x| < 746 (past it every result is 0 or inf), binade-uniform */
        if ((u & 3) == 3) /* uniform near the overflow / underflow edges */
            return (u & 8) ? -(744.0 + (double)(r >> 11) * 0x1p-52) : 709.0 + (double)(r >> 11) * 0x1p-53;
        return gc_f64_bits(sign | r % 0x4087500000000000ull);
    }
    switch (u & 3) {
    case 0: /* all finite doubles, binade-uniform */
        return gc_f64_bits(sign | r % 0x7ff0000000000000ull);
    case 1: /* |z| < 1024 */
        return gc_f64_bits(sign | r % 0x4090000000000000ull);
    default: /* uniform in [-40, 40] */
        return ((double)(r >> 11) * 0x1p-53 - 0.5) * 80.0;
    }
}

typedef struct ujob {
    unsigned tid;
    int f, f32;
    uint64_t total, stride;
    ubuf b;
    stat st[MAXV]; /* per variant (the backend reference holds the backend's figures) */
    xent_status status;
    mpfr_t r, t;
} ujob;

static void *unary_worker(void *arg)
{
    ujob *j = arg;
    const int f = j->f, f32 = j->f32;
    const uint64_t per_round = (uint64_t)nthreads * CHUNK;
    const unsigned ref_own = meas_own, ref_sl = meas_sl;
    for (uint64_t round = 0; round < j->total; round += per_round) {
        uint64_t start = round + (uint64_t)j->tid * CHUNK;
        /* the slow scalar variants: every chunk of [0, 1], every 16th chunk
         * of the all-finite domains (float32) */
        const int slow_too = !f32 || f_is_prob(f) || (round / per_round) % 16 == 0;
        size_t m = start >= j->total ? 0 : (size_t)(j->total - start < CHUNK ? j->total - start : CHUNK);
        uint64_t seed = 0xe7a1000000ull + start * 7 + (uint64_t)f;
        for (size_t i = 0; i < m; i++) {
            if (f32) {
                uint64_t idx = (start + i) * j->stride;
                j->b.xf[i] = gc_f32_bits(f32_bits(f, idx));
            } else {
                j->b.xd[i] = f64_sample(f, &seed, start + i);
            }
        }
        int ran[MAXV] = {0};
        for (unsigned v = 0; v < nvar; v++) {
            if (!slow_too && is_slow(variants[v]))
                continue;
            ran[v] = 1;
            if (j->tid == 0)
                use_variant(variants[v]);
            pthread_barrier_wait(&barrier);
            if (m) {
                j->st[v].compared += m;
                xent_status st = f32 ? run_unary_f32(f, &j->b, m, j->b.of[v])
                                     : run_unary_f64(f, &j->b, m, j->b.od[v]);
                if (st != XENT_OK)
                    j->status = st;
            }
            pthread_barrier_wait(&barrier);
        }
        if (m == 0)
            continue;
        /* which variants differ from their backend's reference */
        int differs[MAXV] = {0};
        for (unsigned v = 0; v < nvar; v++) {
            unsigned r = is_sleef(variants[v]) ? ref_sl : ref_own;
            if (r == v || r == MAXV || !ran[v])
                continue;
            const void *a = f32 ? (const void *)j->b.of[v] : (const void *)j->b.od[v];
            const void *c = f32 ? (const void *)j->b.of[r] : (const void *)j->b.od[r];
            if (memcmp(a, c, m * (f32 ? 4 : 8)) != 0) {
                differs[v] = 1;
                size_t cnt = 0, first = m;
                for (size_t i = 0; i < m; i++) {
                    int same = f32 ? memcmp(&j->b.of[v][i], &j->b.of[r][i], 4) == 0
                                   : memcmp(&j->b.od[v][i], &j->b.od[r][i], 8) == 0;
                    if (!same) {
                        cnt++;
                        if (first == m)
                            first = i;
                    }
                }
                if (j->st[v].mismatch == 0)
                    j->st[v].mis_at = f32 ? (double)j->b.xf[first] : j->b.xd[first];
                j->st[v].mismatch += cnt;
            }
        }
        for (size_t i = 0; i < m; i++) {
            double x = f32 ? (double)j->b.xf[i] : j->b.xd[i];
            double rd = 0;
            long double rl = 0;
            if (f32)
                rd = ref_d(f, x);
            else
                rl = ref_ld(f, (long double)x);
            for (unsigned v = 0; v < nvar; v++) {
                unsigned r = is_sleef(variants[v]) ? ref_sl : ref_own;
                if (v != r && !differs[v])
                    continue;
                double got = f32 ? (double)j->b.of[v][i] : j->b.od[v][i];
                double e = f32 ? err_f32((float)got, rd) : err_f64(got, rl);
                double refv = f32 ? rd : (double)rl;
                /* MPFR decides near the bound: for the own backend (the contract's
                 * subject) above 0.9 ulp, for SLEEF (reported only) above 1.9 ulp
                 * in float32; a double reference is 2^-28 float ulp accurate */
                const double th = is_sleef(variants[v]) && f32 ? 1.9 : 0.9;
                if (!(e <= th) || (!f32 && (start + i) % 1024 == 0)) {
                    ref_mpfr(f, x, j->r, j->t);
                    double em = err_mpfr(got, f32, j->r, j->t);
                    j->st[v].mpfr_checks++;
                    if (isfinite(e) && isfinite(em) && fabs(em - e) > j->st[v].ld_vs_mpfr)
                        j->st[v].ld_vs_mpfr = fabs(em - e);
                    e = em;
                    refv = mpfr_get_d(j->r, MPFR_RNDN);
                }
                stat_add(&j->st[v], e, x, got, refv);
            }
        }
    }
    return NULL;
}

/* Results: [function][dtype][variant]. */
static stat ures[F_COUNT][2][MAXV];
static double utime[F_COUNT][2];
static uint64_t ucount[F_COUNT][2];

static void eval_unary(int f, int f32)
{
    double t0 = now();
    ujob *jobs = calloc(nthreads, sizeof *jobs);
    uint64_t stride = f32 ? opt.f32_stride : 1;
    uint64_t total = f32 ? (f32_total(f) + stride - 1) / stride : opt.f64_samples;
    for (unsigned t = 0; t < nthreads; t++) {
        jobs[t].tid = t;
        jobs[t].f = f;
        jobs[t].f32 = f32;
        jobs[t].total = total;
        jobs[t].stride = stride;
        ubuf_alloc(&jobs[t].b, f32);
        for (unsigned v = 0; v < nvar; v++)
            stat_init(&jobs[t].st[v]);
        mpfr_init2(jobs[t].r, 200);
        mpfr_init2(jobs[t].t, 200);
    }
    run_threads(unary_worker, jobs, sizeof *jobs);
    for (unsigned v = 0; v < nvar; v++) {
        stat_init(&ures[f][f32][v]);
        for (unsigned t = 0; t < nthreads; t++)
            stat_merge(&ures[f][f32][v], &jobs[t].st[v]);
    }
    for (unsigned t = 0; t < nthreads; t++) {
        if (jobs[t].status != XENT_OK) {
            fprintf(stderr, "accuracy: %s returned %s\n", f_short[f], xent_strerror(jobs[t].status));
            contract_broken = 1;
        }
        ubuf_free(&jobs[t].b);
        mpfr_clear(jobs[t].r);
        mpfr_clear(jobs[t].t);
    }
    free(jobs);
    utime[f][f32] = now() - t0;
    ucount[f][f32] = total;
    const stat *so = &ures[f][f32][meas_own];
    unsigned isl = meas_sl;
    printf("  %-8s %s: %llu inputs, own max %.4f ulp (mean %.4f) at %a, sleef max %.4f; %.1f s\n",
           f_short[f], f32 ? "f32" : "f64", (unsigned long long)total, so->max,
           so->count ? so->sum / (double)so->count : 0.0, so->at,
           isl < MAXV ? ures[f][f32][isl].max : NAN, utime[f][f32]);
    fflush(stdout);
}

/* ---- rows: cross-entropy term and logsumexp ------------------------------ */

static const size_t row_ks[] = {2, 10, 1000, 32000};
#define NK (sizeof row_ks / sizeof row_ks[0])
enum { R_CE, R_LSE };
static stat rres[2][NK][2][MAXV]; /* [kind][k][dtype][variant] */
static stat rabs[NK][2];
static double rtime[NK][2];
static uint64_t rrows[NK][2];

/* Row r of a sample: logits at scale 1..30, some rows with the target far
 * ahead (a tiny loss), some constant rows, some shifted by a large offset,
 * some turned into log-probabilities (the row minus its logsumexp). */
static void gen_row(uint64_t *s, size_t k, double *z, int64_t *t)
{
    uint64_t u = gc_next(s);
    static const double scales[] = {1.0, 3.0, 10.0, 30.0};
    double sc = scales[u & 3];
    int kind = (int)((u >> 2) & 7);
    double off = kind == 7 ? ((u >> 5) & 1 ? 1000.0 : -1000.0) : 0.0;
    for (size_t c = 0; c < k; c++) {
        double a = 0;
        for (int q = 0; q < 4; q++)
            a += (double)(gc_next(s) >> 11) * 0x1p-53;
        z[c] = kind == 6 ? 0.5 : (a - 2.0) * sc + off;
    }
    *t = (int64_t)(gc_next(s) % k);
    if (kind <= 1)
        z[*t] += kind == 0 ? 8.0 : 20.0;
    if (kind == 5) { /* log-probabilities: logsumexp cancels to a rounding residue */
        long double m = -INFINITY, S = 0;
        for (size_t c = 0; c < k; c++)
            m = z[c] > m ? z[c] : m;
        for (size_t c = 0; c < k; c++)
            S += expl((long double)z[c] - m);
        const long double L = m + logl(S);
        for (size_t c = 0; c < k; c++)
            z[c] = (double)((long double)z[c] - L);
    }
}

typedef struct rjob {
    unsigned tid;
    size_t ki, k;
    int f32;
    uint64_t rows;
    stat st[2][MAXV];
    stat ce_abs; /* CE term error in ulps of the exact logsumexp (measured variant, own) */
    mpfr_t a, b, c, r;
} rjob;

static void *rows_worker(void *arg)
{
    rjob *j = arg;
    const size_t k = j->k;
    const int f32 = j->f32;
    const size_t rpc = CHUNK / k < 1 ? 1 : CHUNK / k; /* rows per chunk */
    const uint64_t per_round = (uint64_t)nthreads * rpc;
    const unsigned ref_own = meas_own, ref_sl = meas_sl;
    double *zd = ev_alloc(rpc * k * 8), *row = ev_alloc(k * 8);
    float *zf = ev_alloc(rpc * k * 4);
    int64_t *t = ev_alloc(rpc * 8);
    void *out[2][MAXV];
    for (int q = 0; q < 2; q++)
        for (unsigned v = 0; v < nvar; v++)
            out[q][v] = ev_alloc(rpc * 8);
    uint64_t mpfr_elems = 0;
    const uint64_t mpfr_budget = opt.quick ? 200000 : 3000000;
    for (uint64_t round = 0; round < j->rows; round += per_round) {
        uint64_t start = round + (uint64_t)j->tid * rpc;
        size_t m = start >= j->rows ? 0 : (size_t)(j->rows - start < rpc ? j->rows - start : rpc);
        for (size_t i = 0; i < m; i++) {
            uint64_t s = 0x70ff00000ull + (start + i) * 1000003ull + k;
            gen_row(&s, k, zd + i * k, &t[i]);
            if (f32)
                for (size_t c = 0; c < k; c++)
                    zf[i * k + c] = (float)zd[i * k + c];
        }
        for (unsigned v = 0; v < nvar; v++) {
            if (j->tid == 0)
                use_variant(variants[v]);
            pthread_barrier_wait(&barrier);
            if (m) {
                size_t bad;
                j->st[0][v].compared += m;
                if (f32) {
                    xent_cross_entropy_f32(zf, m, k, k, t, NULL, -100, 0.0, XENT_REDUCTION_NONE,
                                           NULL, out[R_CE][v], NULL, k, &bad);
                    xent_logsumexp_f32(zf, m, k, k, out[R_LSE][v]);
                } else {
                    xent_cross_entropy_f64(zd, m, k, k, t, NULL, -100, 0.0, XENT_REDUCTION_NONE,
                                           NULL, out[R_CE][v], NULL, k, &bad);
                    xent_logsumexp_f64(zd, m, k, k, out[R_LSE][v]);
                }
            }
            pthread_barrier_wait(&barrier);
        }
        if (m == 0)
            continue;
        const size_t es = f32 ? 4 : 8;
        int differs[2][MAXV] = {{0}};
        for (int q = 0; q < 2; q++)
            for (unsigned v = 0; v < nvar; v++) {
                unsigned r = is_sleef(variants[v]) ? ref_sl : ref_own;
                if (r == v || r == MAXV)
                    continue;
                if (memcmp(out[q][v], out[q][r], m * es) != 0) {
                    differs[q][v] = 1;
                    for (size_t i = 0; i < m; i++)
                        if (memcmp((char *)out[q][v] + i * es, (char *)out[q][r] + i * es, es) != 0) {
                            if (j->st[q][v].mismatch == 0)
                                j->st[q][v].mis_at = (double)(start + i);
                            j->st[q][v].mismatch++;
                        }
                }
            }
        for (size_t i = 0; i < m; i++) {
            for (size_t c = 0; c < k; c++)
                row[c] = f32 ? (double)zf[i * k + c] : zd[i * k + c];
            const double zt = row[t[i]];
            long double mx = -INFINITY, S = 0, R = 0, cS = 0, cR = 0;
            for (size_t c = 0; c < k; c++)
                if (row[c] > mx)
                    mx = row[c];
            for (size_t c = 0; c < k; c++) { /* Kahan sums of exp(z - max), exp(z - z_t) */
                long double e1 = expl((long double)row[c] - mx) - cS, s1 = S + e1;
                cS = (s1 - S) - e1;
                S = s1;
                if (c == (size_t)t[i])
                    continue;
                long double e2 = expl((long double)row[c] - (long double)zt) - cR, s2 = R + e2;
                cR = (s2 - R) - e2;
                R = s2;
            }
            long double ref[2] = {log1pl(R), mx + logl(S)};
            int need = 0;
            double got[2][MAXV], e[2][MAXV];
            for (int q = 0; q < 2; q++)
                for (unsigned v = 0; v < nvar; v++) {
                    unsigned r = is_sleef(variants[v]) ? ref_sl : ref_own;
                    if (v != r && !differs[q][v]) {
                        e[q][v] = NAN;
                        continue;
                    }
                    got[q][v] = f32 ? (double)((float *)out[q][v])[i] : ((double *)out[q][v])[i];
                    e[q][v] = f32 ? err_f32((float)got[q][v], (double)ref[q]) : err_f64(got[q][v], ref[q]);
                    if (!(e[q][v] <= 0.9))
                        need = 1;
                }
            /* mx + log S cancelling by more than 8x costs the long double
             * reference its margin: such rows always go to MPFR */
            const int cancel = mx < 0 && 8 * fabsl(ref[1]) < -mx + logl(S);
            double mref[2] = {(double)ref[0], (double)ref[1]};
            if (cancel || ((need || (start + i) % 256 == 0) && mpfr_elems < mpfr_budget)) {
                mpfr_elems += cancel ? 0 : k;
                /* CE: log1p(sum_{c != t} exp(z_c - z_t)); LSE: log(sum exp(z_c)) */
                mpfr_set_zero(j->a, 1);
                mpfr_set_zero(j->b, 1);
                for (size_t c = 0; c < k; c++) {
                    mpfr_set_d(j->c, row[c], MPFR_RNDN);
                    mpfr_exp(j->r, j->c, MPFR_RNDN);
                    mpfr_add(j->b, j->b, j->r, MPFR_RNDN);
                    if (c == (size_t)t[i])
                        continue;
                    mpfr_sub_d(j->c, j->c, zt, MPFR_RNDN);
                    mpfr_exp(j->c, j->c, MPFR_RNDN);
                    mpfr_add(j->a, j->a, j->c, MPFR_RNDN);
                }
                mpfr_log1p(j->a, j->a, MPFR_RNDN);
                mpfr_log(j->b, j->b, MPFR_RNDN);
                for (int q = 0; q < 2; q++) {
                    mpfr_ptr rq = q == 0 ? j->a : j->b;
                    mref[q] = mpfr_get_d(rq, MPFR_RNDN);
                    for (unsigned v = 0; v < nvar; v++) {
                        if (isnan(e[q][v]) && !(v == (is_sleef(variants[v]) ? ref_sl : ref_own)))
                            continue;
                        double em = err_mpfr(got[q][v], f32, rq, j->r);
                        j->st[q][v].mpfr_checks++;
                        if (isfinite(e[q][v]) && fabs(em - e[q][v]) > j->st[q][v].ld_vs_mpfr)
                            j->st[q][v].ld_vs_mpfr = fabs(em - e[q][v]);
                        e[q][v] = em;
                    }
                }
            }
            for (int q = 0; q < 2; q++)
                for (unsigned v = 0; v < nvar; v++) {
                    unsigned r = is_sleef(variants[v]) ? ref_sl : ref_own;
                    if (v != r && !differs[q][v])
                        continue;
                    stat_add(&j->st[q][v], e[q][v], (double)(start + i), got[q][v], mref[q]);
                }
            if (!cancel) { /* (rows whose logsumexp cancels have no such scale) */
                double g = got[R_CE][ref_own];
                double u = f32 ? ulp_f32(mref[1]) : (double)ulp_f64(mref[1]);
                double ea = isfinite(g) ? fabs(g - mref[0]) / u : INFINITY;
                stat_add(&j->ce_abs, ea, (double)(start + i), g, mref[0]);
            }
        }
    }
    free(zd); free(row); free(zf); free(t);
    for (int q = 0; q < 2; q++)
        for (unsigned v = 0; v < nvar; v++)
            free(out[q][v]);
    return NULL;
}

static void eval_rows(size_t ki, int f32)
{
    double t0 = now();
    const size_t k = row_ks[ki];
    uint64_t elems = opt.row_elems;
    uint64_t rows = elems / k < 64 ? 64 : elems / k;
    rjob *jobs = calloc(nthreads, sizeof *jobs);
    for (unsigned t = 0; t < nthreads; t++) {
        jobs[t].tid = t;
        jobs[t].ki = ki;
        jobs[t].k = k;
        jobs[t].f32 = f32;
        jobs[t].rows = rows;
        for (int q = 0; q < 2; q++)
            for (unsigned v = 0; v < nvar; v++)
                stat_init(&jobs[t].st[q][v]);
        stat_init(&jobs[t].ce_abs);
        mpfr_init2(jobs[t].a, 256);
        mpfr_init2(jobs[t].b, 256);
        mpfr_init2(jobs[t].c, 256);
        mpfr_init2(jobs[t].r, 256);
    }
    run_threads(rows_worker, jobs, sizeof *jobs);
    for (int q = 0; q < 2; q++)
        for (unsigned v = 0; v < nvar; v++) {
            stat_init(&rres[q][ki][f32][v]);
            for (unsigned t = 0; t < nthreads; t++)
                stat_merge(&rres[q][ki][f32][v], &jobs[t].st[q][v]);
        }
    stat_init(&rabs[ki][f32]);
    for (unsigned t = 0; t < nthreads; t++)
        stat_merge(&rabs[ki][f32], &jobs[t].ce_abs);
    for (unsigned t = 0; t < nthreads; t++) {
        mpfr_clear(jobs[t].a);
        mpfr_clear(jobs[t].b);
        mpfr_clear(jobs[t].c);
        mpfr_clear(jobs[t].r);
    }
    free(jobs);
    rtime[ki][f32] = now() - t0;
    rrows[ki][f32] = rows;
    unsigned io = meas_own;
    printf("  rows k=%-5zu %s: %llu rows, CE own max %.4f ulp, LSE own max %.4f ulp; %.1f s\n", k,
           f32 ? "f32" : "f64", (unsigned long long)rows, rres[R_CE][ki][f32][io].max,
           rres[R_LSE][ki][f32][io].max, rtime[ki][f32]);
    fflush(stdout);
}

/* ---- reductions ------------------------------------------------------------ */

/* p_i: uniform multiples of 2^-24 in [2^-20, 1 - 2^-20] (so 1 - p is exact
 * in float32 and no clip of sklearn's applies); y_i: 0 or 1. */
static inline float red_p(uint64_t i)
{
    uint64_t s = 0xbceull * 0x9e3779b97f4a7c15ull + i;
    uint64_t u = gc_next(&s);
    uint32_t q = (uint32_t)(u >> 40);
    if (q < 16)
        q = 16;
    if (q > (1u << 24) - 16)
        q = (1u << 24) - 16;
    return (float)q * 0x1p-24f;
}
static inline float red_y(uint64_t i)
{
    uint64_t s = 0x7a67ull * 0x9e3779b97f4a7c15ull + i;
    return (float)(gc_next(&s) & 1);
}
/* A signed value for xent_sum: p * 2^(i mod 9 - 4), sign from the target. */
static inline float red_x(uint64_t i, float p)
{
    return (red_y(i * 3 + 1) != 0 ? p : -p) * (float)(1u << (i % 9)) * 0.0625f;
}

#define MAXN 8
typedef struct red_row {
    uint64_t n;
    /* relative errors vs the exact sum of the computed terms (own/sleef,
     * fastest variant) and vs the exact mathematical loss */
    double sum32, sum64, bce32_vs_terms[2], bce64_vs_terms[2], bce32_vs_math[2], bce64_vs_math[2];
    double ll64_vs_math, ll32_vs_math;
    int have64, have_ll;
    int agree; /* all variants of each backend returned the same bits */
    double exact_math;
    /* torch / sklearn (NaN when not run) */
    double torch32, torch64, sk32, sk64;
} red_row;
static red_row rrow[MAXN];
static int nred;
static double red_time, torch_time;

/* The relative error |got - exact| / |exact|. */
static double rel_err(double got, mpfr_t exact)
{
    mpfr_t d;
    mpfr_init2(d, 200);
    mpfr_sub_d(d, exact, got, MPFR_RNDN);
    mpfr_div(d, d, exact, MPFR_RNDN);
    double r = fabs(mpfr_get_d(d, MPFR_RNDN));
    mpfr_clear(d);
    return r;
}

typedef struct mjob { /* exact mathematical BCE sum over [lo, hi) */
    unsigned tid;
    uint64_t lo, hi;
    ev_exact acc;
} mjob;

static void *math_worker(void *arg)
{
    mjob *j = arg;
    ev_exact_init(&j->acc);
    for (uint64_t i = j->lo; i < j->hi; i++) {
        long double p = red_p(i);
        long double l = red_y(i) != 0 ? -logl(p) : -log1pl(-p);
        ev_exact_add_ld(&j->acc, l);
    }
    return NULL;
}

static void math_sum(uint64_t n, mpfr_t out)
{
    mjob jobs[16];
    pthread_t th[16];
    for (unsigned t = 0; t < nthreads; t++) {
        jobs[t].tid = t;
        jobs[t].lo = n * t / nthreads;
        jobs[t].hi = n * (t + 1) / nthreads;
    }
    for (unsigned t = 1; t < nthreads; t++)
        pthread_create(&th[t], NULL, math_worker, &jobs[t]);
    math_worker(&jobs[0]);
    for (unsigned t = 1; t < nthreads; t++) {
        pthread_join(th[t], NULL);
        ev_exact_merge(&jobs[0].acc, &jobs[t].acc);
    }
    ev_exact_get(&jobs[0].acc, out);
}

/* Exact sum of the terms the active variant computes, chunk by chunk. */
static void terms_sum_f32(const float *p, const float *y, uint64_t n, mpfr_t out)
{
    float *o = ev_alloc(CHUNK * 4);
    ev_exact a;
    ev_exact_init(&a);
    for (uint64_t s = 0; s < n; s += CHUNK) {
        size_t m = (size_t)(n - s < CHUNK ? n - s : CHUNK);
        xent_bce_f32(p + s, y + s, NULL, m, XENT_REDUCTION_NONE, 0, NULL, o, NULL, NULL);
        for (size_t i = 0; i < m; i++)
            ev_exact_add(&a, (double)o[i]);
    }
    ev_exact_get(&a, out);
    free(o);
}

static void terms_sum_f64(const double *p, const double *y, uint64_t n, mpfr_t out)
{
    double *o = ev_alloc(CHUNK * 8);
    ev_exact a;
    ev_exact_init(&a);
    for (uint64_t s = 0; s < n; s += CHUNK) {
        size_t m = (size_t)(n - s < CHUNK ? n - s : CHUNK);
        xent_bce_f64(p + s, y + s, NULL, m, XENT_REDUCTION_NONE, 0, NULL, o, NULL, NULL);
        for (size_t i = 0; i < m; i++)
            ev_exact_add(&a, o[i]);
    }
    ev_exact_get(&a, out);
    free(o);
}

static const char *fastest(int sleef)
{
    for (unsigned v = 0; v < nvar; v++)
        if (is_sleef(variants[v]) == sleef)
            return variants[v];
    return NULL;
}

static int run_torch_side(const char *file, uint64_t n, red_row *row);

static void eval_reductions(void)
{
    double t0 = now();
    mpfr_t ex, mth, tmp;
    mpfr_init2(ex, 2600);
    mpfr_init2(mth, 2600);
    mpfr_init2(tmp, 200);
    for (uint64_t n = 1000; n <= opt.max_n && nred < MAXN; n *= 10) {
        red_row *row = &rrow[nred++];
        memset(row, 0, sizeof *row);
        row->n = n;
        row->agree = 1;
        row->torch32 = row->torch64 = row->sk32 = row->sk64 = NAN;
        const int all_variants = n <= 10000000ull; /* beyond: the fastest of each backend */
        /* float32 */
        float *p = ev_alloc(n * 4), *y;
        for (uint64_t i = 0; i < n; i++)
            p[i] = red_p(i);
        math_sum(n, mth);
        row->exact_math = mpfr_get_d(mth, MPFR_RNDN) / (double)n;
        mpfr_t mth_mean;
        mpfr_init2(mth_mean, 200);
        mpfr_div_ui(mth_mean, mth, (unsigned long)n, MPFR_RNDN);
        /* xent_sum_f32 on signed values (x overwrites a copy held in y? no: own buffer) */
        {
            float *x = ev_alloc(n * 4);
            for (uint64_t i = 0; i < n; i++)
                x[i] = red_x(i, p[i]);
            ev_exact a;
            ev_exact_init(&a);
            for (uint64_t i = 0; i < n; i++)
                ev_exact_add(&a, (double)x[i]);
            ev_exact_get(&a, ex);
            double first = NAN;
            for (unsigned v = 0; v < nvar; v++) {
                if (!all_variants && strcmp(variants[v], fastest(0)) != 0)
                    continue;
                use_variant(variants[v]);
                double r;
                xent_sum_f32(x, n, &r);
                if (isnan(first))
                    first = r;
                else if (memcmp(&first, &r, 8) != 0)
                    row->agree = 0;
                double e = rel_err(r, ex);
                if (e > row->sum32)
                    row->sum32 = e;
            }
            free(x);
        }
        y = ev_alloc(n * 4); /* at most two 4n-byte arrays at a time */
        for (uint64_t i = 0; i < n; i++)
            y[i] = red_y(i);
        for (int b = 0; b < 2; b++) {
            double first = NAN;
            int firstset = 0;
            for (unsigned v = 0; v < nvar; v++) {
                if (is_sleef(variants[v]) != b)
                    continue;
                if (!all_variants && strcmp(variants[v], fastest(b)) != 0)
                    continue;
                use_variant(variants[v]);
                double mean;
                xent_bce_f32(p, y, NULL, n, XENT_REDUCTION_MEAN, 0, &mean, NULL, NULL, NULL);
                if (!firstset) {
                    first = mean;
                    firstset = 1;
                    terms_sum_f32(p, y, n, ex);
                    mpfr_div_ui(ex, ex, (unsigned long)n, MPFR_RNDN);
                } else if (memcmp(&first, &mean, 8) != 0) {
                    row->agree = 0;
                }
                double e1 = rel_err(mean, ex), e2 = rel_err(mean, mth_mean);
                if (e1 > row->bce32_vs_terms[b])
                    row->bce32_vs_terms[b] = e1;
                if (e2 > row->bce32_vs_math[b])
                    row->bce32_vs_math[b] = e2;
            }
        }
        /* sklearn semantics through xent (k = 1, labels y) */
        int64_t *lab = NULL;
        if (n <= 100000000ull) {
            lab = ev_alloc(n * 8);
            for (uint64_t i = 0; i < n; i++)
                lab[i] = (int64_t)y[i];
            double r;
            use_variant(fastest(0));
            if (xent_log_loss_f32(p, n, 1, 1, lab, NULL, XENT_EPS_AUTO, 1, 0, &r, NULL) == XENT_OK)
                row->ll32_vs_math = rel_err(r, mth_mean);
            row->have_ll = 1;
        }
        /* torch / sklearn on the same inputs */
        if (opt.torch && n <= (opt.quick ? 1000000ull : 100000000ull)) {
            char file[4096];
            snprintf(file, sizeof file, "%s/xent_eval_in.bin", opt.work);
            FILE *fp = fopen(file, "wb");
            if (fp) {
                fwrite(p, 4, n, fp);
                fwrite(y, 4, n, fp);
                fclose(fp);
                double tt = now();
                run_torch_side(file, n, row);
                torch_time += now() - tt;
                remove(file);
            }
            double v[4] = {row->torch32, row->torch64, row->sk32, row->sk64};
            for (int q = 0; q < 4; q++)
                v[q] = isnan(v[q]) ? NAN : rel_err(v[q], mth_mean);
            row->torch32 = v[0];
            row->torch64 = v[1];
            row->sk32 = v[2];
            row->sk64 = v[3];
        }
        free(y);
        free(p);
        /* float64: the same values widened (p exact); sum up to 10^9, BCE up to 10^8 */
        double *pd = ev_alloc(n * 8);
        for (uint64_t i = 0; i < n; i++)
            pd[i] = (double)red_x(i, red_p(i)) * (1.0 + 0x1p-30 * (double)(i % 7)); /* 53 bits */
        {
            ev_exact a;
            ev_exact_init(&a);
            for (uint64_t i = 0; i < n; i++)
                ev_exact_add(&a, pd[i]);
            ev_exact_get(&a, ex);
            double first = NAN;
            for (unsigned v = 0; v < nvar; v++) {
                if (!all_variants && strcmp(variants[v], fastest(0)) != 0)
                    continue;
                use_variant(variants[v]);
                double r;
                xent_sum_f64(pd, n, &r);
                if (isnan(first))
                    first = r;
                else if (memcmp(&first, &r, 8) != 0)
                    row->agree = 0;
                double e = rel_err(r, ex);
                if (e > row->sum64)
                    row->sum64 = e;
            }
        }
        if (n <= 100000000ull) {
            double *yd = ev_alloc(n * 8);
            for (uint64_t i = 0; i < n; i++) {
                pd[i] = (double)red_p(i);
                yd[i] = (double)red_y(i);
            }
            row->have64 = 1;
            for (int b = 0; b < 2; b++) {
                double first = NAN;
                int firstset = 0;
                for (unsigned v = 0; v < nvar; v++) {
                    if (is_sleef(variants[v]) != b)
                        continue;
                    if (!all_variants && strcmp(variants[v], fastest(b)) != 0)
                        continue;
                    use_variant(variants[v]);
                    double mean;
                    xent_bce_f64(pd, yd, NULL, n, XENT_REDUCTION_MEAN, 0, &mean, NULL, NULL, NULL);
                    if (!firstset) {
                        first = mean;
                        firstset = 1;
                        terms_sum_f64(pd, yd, n, ex);
                        mpfr_div_ui(ex, ex, (unsigned long)n, MPFR_RNDN);
                    } else if (memcmp(&first, &mean, 8) != 0) {
                        row->agree = 0;
                    }
                    double e1 = rel_err(mean, ex), e2 = rel_err(mean, mth_mean);
                    if (e1 > row->bce64_vs_terms[b])
                        row->bce64_vs_terms[b] = e1;
                    if (e2 > row->bce64_vs_math[b])
                        row->bce64_vs_math[b] = e2;
                }
            }
            if (lab) {
                double r;
                use_variant(fastest(0));
                if (xent_log_loss_f64(pd, n, 1, 1, lab, NULL, XENT_EPS_AUTO, 1, 0, &r, NULL) == XENT_OK)
                    row->ll64_vs_math = rel_err(r, mth_mean);
            }
            free(yd);
        }
        free(lab);
        free(pd);
        mpfr_clear(mth_mean);
        if (row->sum32 > 0x1p-23 || row->bce32_vs_terms[0] > 0x1p-23 || row->sum64 > 0x1p-52 ||
            row->bce64_vs_terms[0] > 0x1p-52 || !row->agree)
            contract_broken = 1;
        printf("  n=%-10llu sum32 %.2e sum64 %.2e bce32 %.2e (math %.2e) bce64 %.2e (math %.2e)"
               " torch32 %.2e torch64 %.2e sk64 %.2e%s\n",
               (unsigned long long)n, row->sum32, row->sum64, row->bce32_vs_terms[0],
               row->bce32_vs_math[0], row->bce64_vs_terms[0], row->bce64_vs_math[0], row->torch32,
               row->torch64, row->sk64, row->agree ? "" : "  VARIANTS DISAGREE");
        fflush(stdout);
    }
    mpfr_clear(ex);
    mpfr_clear(mth);
    mpfr_clear(tmp);
    red_time = now() - t0;
}

static int run_torch_side(const char *file, uint64_t n, red_row *row)
{
    char cmd[8192];
    snprintf(cmd, sizeof cmd, "%s %s/eval/torch_side.py %s %llu %d", opt.python, opt.src, file,
             (unsigned long long)n, n <= 10000000ull);
    FILE *pp = popen(cmd, "r");
    if (pp == NULL)
        return -1;
    char line[1024];
    while (fgets(line, sizeof line, pp)) {
        char key[64];
        double v;
        if (sscanf(line, "%63s %lf", key, &v) == 2) {
            if (strcmp(key, "torch_f32") == 0) row->torch32 = v;
            else if (strcmp(key, "torch_f64") == 0) row->torch64 = v;
            else if (strcmp(key, "sklearn_f32") == 0) row->sk32 = v;
            else if (strcmp(key, "sklearn_f64") == 0) row->sk64 = v;
        }
    }
    return pclose(pp);
}

/* ---- hashes ---------------------------------------------------------------- */

static uint64_t hres[MAXV + 2][GC_NCASES];
static const char *hnames[MAXV + 2];
static unsigned nh;
static int hash_ok = 1;

static void eval_hashes(void)
{
    for (unsigned v = 0; v < nvar; v++) {
        use_variant(variants[v]);
        hnames[nh] = variants[v];
        for (int c = 0; c < GC_NCASES; c++)
            hres[nh][c] = gc_hash_case(c);
        nh++;
    }
}

/* neon figures from the cross-built tests/test_golden under qemu: its
 * output lines "  [variant] hash case_dtype HEX" and the sweep lines. */
typedef struct neon_sweep {
    char variant[32], fn[64];
    double max;
    char at[64];
    unsigned long samples;
} neon_sweep;
static neon_sweep nsweep[64];
static unsigned nns;
static int neon_ran = 0, neon_status = 0, neon_lines = 0;

static void eval_neon(void)
{
    if (opt.neon_cmd == NULL)
        return;
    FILE *pp = popen(opt.neon_cmd, "r");
    if (pp == NULL)
        return;
    char line[1024];
    while (fgets(line, sizeof line, pp)) {
        char var[32], cs[64], hex[32], at[64];
        double mx, bound;
        unsigned long ns;
        if (sscanf(line, " [%31[^]]] hash %63s %31s", var, cs, hex) == 3) {
            unsigned slot = nh;
            for (unsigned q = 0; q < nh; q++)
                if (strcmp(hnames[q], var) == 0)
                    slot = q;
            if (slot == nh) {
                if (nh >= MAXV + 2)
                    continue;
                hnames[nh] = strdup(var);
                memset(hres[nh], 0, sizeof hres[nh]);
                nh++;
            }
            for (int c = 0; c < GC_NCASES; c++) {
                char nm[96];
                snprintf(nm, sizeof nm, "%s_%s", gc_case_name(c), gc_case_dtype(c));
                if (strcmp(nm, cs) == 0)
                    hres[slot][c] = strtoull(hex, NULL, 16);
            neon_lines++;
            }
        } else if (sscanf(line, " [%31[^]]] %63[^:]: max %lf ulp at %63s over %lu samples (bound %lf)",
                          var, cs, &mx, at, &ns, &bound) == 6 && nns < 64) {
            neon_sweep *s = &nsweep[nns++];
            snprintf(s->variant, sizeof s->variant, "%s", var);
            snprintf(s->fn, sizeof s->fn, "%s", cs);
            s->max = mx;
            snprintf(s->at, sizeof s->at, "%s", at);
            s->samples = ns;
        }
    }
    neon_status = pclose(pp);
    neon_ran = nns > 0 || neon_lines > 0; /* no cross build or no qemu: nothing to report */
}

/* ---- the report ---------------------------------------------------------- */

static const char *fmt_err(double e, char *buf, size_t cap)
{
    if (isinf(e))
        snprintf(buf, cap, "inf");
    else
        snprintf(buf, cap, "%.4f", e);
    return buf;
}

static void report_unary(int f32)
{
    unsigned io = meas_own, is = meas_sl;
    mdf("| function | inputs | own: max ulp | own: mean ulp | own: worst input (got / exact) | "
        "own: > 1 ulp | sleef: max ulp | sleef: mean ulp | sleef: worst input | bitwise |\n"
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |\n");
    for (int f = 0; f < F_COUNT; f++) {
        const stat *o = &ures[f][f32][io];
        char b1[32], b2[32];
        mdf("| %s | %llu%s | **%s** | %.4f | `%a` (%.9g / %.12g) | %llu |", f_names[f],
            (unsigned long long)ucount[f][f32], f32 ? (opt.f32_stride > 1 ? " (strided)" : " (all)") : "",
            fmt_err(o->max, b1, sizeof b1), o->count ? o->sum / (double)o->count : 0.0, o->at,
            o->got, o->ref, (unsigned long long)o->over);
        if (is < MAXV) {
            const stat *s = &ures[f][f32][is];
            mdf(" %s | %.4f | `%a` |", fmt_err(s->max, b2, sizeof b2),
                s->count ? s->sum / (double)s->count : 0.0, s->at);
        } else {
            mdf(" - | - | - |");
        }
        uint64_t mis = 0;
        for (unsigned v = 0; v < nvar; v++)
            mis += ures[f][f32][v].mismatch;
        if (mis == 0) {
            uint64_t lo = UINT64_MAX;
            for (unsigned v = 0; v < nvar; v++)
                if (ures[f][f32][v].compared < lo)
                    lo = ures[f][f32][v].compared;
            if (lo >= ucount[f][f32])
                mdf(" identical (every variant, every input) |\n");
            else
                mdf(" identical (fast variants on every input, scalar ones on %llu) |\n",
                    (unsigned long long)lo);
        } else {
            mdf(" **%llu differ:", (unsigned long long)mis);
            for (unsigned v = 0; v < nvar; v++)
                if (ures[f][f32][v].mismatch)
                    mdf(" %s at `%a` (max %.4f ulp)", variants[v], ures[f][f32][v].mis_at,
                        ures[f][f32][v].max);
            mdf("** |\n");
        }
        if (o->over || mis)
            contract_broken = 1;
        for (unsigned v = 0; v < nvar; v++)
            if (!is_sleef(variants[v]) && ures[f][f32][v].over)
                contract_broken = 1;
    }
    mdf("\n");
}

static void report_rows(int f32)
{
    unsigned io = meas_own, is = meas_sl;
    mdf("| term | k | rows | own: max ulp | own: mean ulp | own: worst row (got / exact) | own: > 1 ulp "
        "| own: max error in ulps of the logsumexp | sleef: max ulp | bitwise | MPFR re-checks |\n"
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |\n");
    for (int q = 0; q < 2; q++)
        for (size_t ki = 0; ki < NK; ki++) {
            const stat *o = &rres[q][ki][f32][io];
            char b1[32], b2[32];
            uint64_t mis = 0;
            for (unsigned v = 0; v < nvar; v++)
                mis += rres[q][ki][f32][v].mismatch;
            char b3[48];
            if (q == R_CE)
                snprintf(b3, sizeof b3, "%.4f (row %.0f)", rabs[ki][f32].max, rabs[ki][f32].at);
            else
                snprintf(b3, sizeof b3, "-");
            mdf("| %s | %zu | %llu | **%s** | %.4f | row %.0f (%.9g / %.12g) | %llu | %s | %s | %s | %llu |\n",
                q == R_CE ? "cross-entropy row term" : "logsumexp", row_ks[ki],
                (unsigned long long)rrows[ki][f32], fmt_err(o->max, b1, sizeof b1),
                o->count ? o->sum / (double)o->count : 0.0, o->at, o->got, o->ref,
                (unsigned long long)o->over, b3,
                is < MAXV ? fmt_err(rres[q][ki][f32][is].max, b2, sizeof b2) : "-",
                mis ? "**differ**" : "identical", (unsigned long long)o->mpfr_checks);
            if (o->over || mis)
                contract_broken = 1;
        }
    mdf("\n");
}

static void write_report(double total)
{
    struct utsname u;
    uname(&u);
    char cpu[256] = "unknown";
    FILE *ci = fopen("/proc/cpuinfo", "r");
    if (ci) {
        char line[512];
        while (fgets(line, sizeof line, ci))
            if (strncmp(line, "model name", 10) == 0) {
                char *c = strchr(line, ':');
                if (c) {
                    snprintf(cpu, sizeof cpu, "%s", c + 2);
                    cpu[strcspn(cpu, "\n")] = 0;
                }
                break;
            }
        fclose(ci);
    }
    time_t t = time(NULL);
    char date[64];
    strftime(date, sizeof date, "%Y-%m-%d %H:%M UTC", gmtime(&t));
    FILE *fp = fopen(opt.out, "w");
    if (fp == NULL) {
        fprintf(stderr, "accuracy: cannot write %s: %s\n", opt.out, strerror(errno));
        contract_broken = 1;
        return;
    }
    fprintf(fp,
            "# xent accuracy\n\n"
            "<!-- GENERATED by eval/accuracy (`cmake --build <build> --target accuracy`); do not edit by hand. -->\n\n"
            "Generated by the evaluator `eval/accuracy.c` (target `accuracy`), not by hand.\n\n"
            "- machine: %s, %ld CPUs, %s %s; variants run: ",
            cpu, sysconf(_SC_NPROCESSORS_ONLN), u.sysname, u.machine);
    for (unsigned v = 0; v < nvar; v++)
        fprintf(fp, "%s`%s`", v ? ", " : "", variants[v]);
    fprintf(fp, "%s\n- date: %s; %u threads; total time %.0f s%s\n"
            "- coverage of this run: float32 every %llu%s bit pattern of each domain; float64 %llu "
            "samples per function; %llu logits per row size; reductions up to n = %llu\n"
            "- verdict: **%s**\n\n",
            neon_ran ? " (and neon, neon+sleef under qemu, sampled)" : "", date, nthreads, total,
            opt.quick ? " (QUICK MODE: strided/sampled subset, not the published figures)" : "",
            (unsigned long long)opt.f32_stride, opt.f32_stride == 1 ? "st (exhaustive)" : "th (strided, NOT exhaustive)",
            (unsigned long long)opt.f64_samples, (unsigned long long)opt.row_elems,
            (unsigned long long)opt.max_n,
            contract_broken ? "a bound of the accuracy contract is BROKEN (see the bold entries)"
                            : "every bound of the accuracy contract holds");
    fputs(md, fp);
    fclose(fp);
}

static void report_all(void)
{
    mdf("## How it was measured\n\n"
        "- Errors are |computed - exact| in ulps of the exact value (the dtype's spacing at the "
        "exact value; the smallest subnormal below the normal range; inf counts as 2^(emax+1)). "
        "\"exact\" is the correctly rounded-to-infinite-precision value of the formula in "
        "`../shared/semantics.md` on the given input.\n"
        "- **Bitwise grouping.** Every variant of one log backend is run on every input and compared "
        "bit for bit with the backend's reference variant (`scalar`, `scalar+sleef`); the error is "
        "then measured once per backend, on the reference's outputs (a variant that differed would "
        "be measured on its own and flagged). \"own\" is the library's own log/exp backend (the "
        "contract's subject); \"sleef\" is the SLEEF backend, reported for comparison only.\n"
        "- The measured variant of each backend is the fastest one (`%s`, `%s`); the slow scalar "
        "variants (software fma on x86) run on every input of [0, 1] and on every 16th chunk of "
        "2^20 inputs of the all-finite domains, and are compared bit for bit there.\n"
        "- float32: every input of the domain (every bit pattern of [0, 1] for log, log(1 - p) and "
        "BCE; every finite float for exp, log-sigmoid and BCE with logits); reference in double, "
        "every element above 0.9 ulp re-measured with MPFR (200 bits).\n"
        "- float64: 10^8 samples per function (binade-uniform over the domain, near 1, near the "
        "overflow and underflow edges, plus special values); reference long double, MPFR above "
        "0.9 ulp and every 1024th sample.\n"
        "- rows: cross-entropy term `logsumexp(z) - z_t` (reference `log1p(sum_{c != t} exp(z_c - z_t))`, "
        "no cancellation) and `xent_logsumexp_*`, for k = 2, 10, 1000, 32000 (2^25 logits per k; "
        "rows at scales 1 to 30, with the target 8 or 20 ahead, constant rows, rows shifted by "
        "+-1000, and rows of log-probabilities, z minus its logsumexp rounded to the dtype, whose "
        "logsumexp is a rounding residue near 0); long double reference, MPFR (256 bits) for rows above 0.9 ulp and every 256th row "
        "(up to 3*10^6 logits per k), and for every row whose logsumexp cancels (|max| + log S > 8 |result|: "
        "it costs the long double reference its margin). The CE term is also given in ulps of the exact logsumexp "
        "(the scale the stable formula `lse - z_t` works at; rows whose logsumexp cancels left out): where the target dominates, the "
        "term is tiny and its relative error is the cancellation's, not a rounding of ours.\n\n",
        variants[meas_own], meas_sl < MAXV ? variants[meas_sl] : "-");
    mdf("## Math kernels and per-element loss terms, float32 (exhaustive)\n\n");
    report_unary(1);
    mdf("## Math kernels and per-element loss terms, float64 (sampled)\n\n");
    report_unary(0);
    mdf("Worst disagreement of the long double reference with MPFR where both were computed: ");
    double dis = 0;
    for (int f = 0; f < F_COUNT; f++)
        for (unsigned v = 0; v < nvar; v++)
            if (ures[f][0][v].ld_vs_mpfr > dis)
                dis = ures[f][0][v].ld_vs_mpfr;
    mdf("%.2g ulp.\n\n", dis);
    mdf("## Cross-entropy rows and logsumexp, float32\n\n");
    report_rows(1);
    mdf("## Cross-entropy rows and logsumexp, float64\n\n");
    report_rows(0);

    mdf("## Reductions\n\n"
        "One call over n elements: `xent_sum_*` on signed values (float32 multiples of 2^-24 scaled "
        "by 2^-4..2^4; float64 the same with 53-bit significands), and `xent_bce_*` (mean) on "
        "p uniform in [2^-20, 1 - 2^-20] (multiples of 2^-24) with random hard targets. "
        "\"vs terms\" is the relative error against the exact sum of the terms the same variant "
        "computes (the contract: <= 2^-23 = 1.19e-07 for float32 inputs, <= 2^-52 = 2.2e-16 for "
        "float64); \"vs exact loss\" against the exact mathematical mean of the formula (it includes "
        "the rounding of each term to the dtype). n <= 10^7: every variant (max over them; "
        "their results must be bitwise equal); n >= 10^8: the fastest variant of each backend. "
        "float64 BCE stops at 10^8 (two 8 GB arrays at 10^9 exceed the memory budget; its "
        "reduction is the same TwoSum path as `xent_sum_f64`, which runs at 10^9). The inputs are "
        "regenerated from the seed by index; only the arrays of the one call are held.\n\n"
        "| n | sum f32 vs exact | BCE f32 mean vs terms (own / sleef) | BCE f32 vs exact loss | "
        "sum f64 vs exact | BCE f64 mean vs terms (own / sleef) | BCE f64 vs exact loss | variants agree |\n"
        "| --- | --- | --- | --- | --- | --- | --- | --- |\n");
    for (int i = 0; i < nred; i++) {
        red_row *r = &rrow[i];
        mdf("| %llu | %.2e | %.2e / %.2e | %.2e | %.2e |", (unsigned long long)r->n, r->sum32,
            r->bce32_vs_terms[0], r->bce32_vs_terms[1], r->bce32_vs_math[0], r->sum64);
        if (r->have64)
            mdf(" %.2e / %.2e | %.2e |", r->bce64_vs_terms[0], r->bce64_vs_terms[1], r->bce64_vs_math[0]);
        else
            mdf(" - | - |");
        mdf(" %s |\n", r->agree ? "yes" : "**no**");
    }
    mdf("\n## Side by side: torch 1.13 and scikit-learn 1.2 on the same inputs\n\n"
        "Relative error of the mean BCE (hard targets, the inputs above) against the exact "
        "mathematical loss. torch: `F.binary_cross_entropy(p, y)` in float32 and on `p.double()`; "
        "sklearn: `log_loss(y, p)` on the float32 and on the float64 array (no clipping applies "
        "to these p, and rows [1 - p, p] sum to 1 exactly, so its exact value is the same). xent: "
        "`xent_bce_f32/_f64` (own backend) and `xent_log_loss_f32/_f64`. \"xent <= ref\" compares "
        "xent's error with the reference's on the same row and dtype.\n\n"
        "| n | exact loss | xent f32 | torch f32 | xent f64 | torch f64 | xent log_loss f32 | sklearn f32 | xent log_loss f64 | sklearn f64 | xent <= ref |\n"
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |\n");
    for (int i = 0; i < nred; i++) {
        red_row *r = &rrow[i];
        if (!r->have64 || (isnan(r->torch32) && isnan(r->sk64)))
            continue;
        int ok = 1;
        if (!isnan(r->torch32) && r->bce32_vs_math[0] > r->torch32) ok = 0;
        if (!isnan(r->torch64) && r->bce64_vs_math[0] > r->torch64) ok = 0;
        if (!isnan(r->sk32) && r->ll32_vs_math > r->sk32) ok = 0;
        if (!isnan(r->sk64) && r->ll64_vs_math > r->sk64) ok = 0;
        mdf("| %llu | %.17g | %.2e | %.2e | %.2e | %.2e | %.2e | %.2e | %.2e | %.2e | %s |\n",
            (unsigned long long)r->n, r->exact_math, r->bce32_vs_math[0], r->torch32,
            r->bce64_vs_math[0], r->torch64, r->ll32_vs_math, r->sk32, r->ll64_vs_math, r->sk64,
            ok ? "yes" : "**no**");
    }
    mdf("\n(NaN: not run at that size; sklearn is run up to n = 10^7.)\n\n");

    mdf("## Cross-variant hashes\n\n"
        "64-bit FNV-1a over each case's statuses, per-element outputs, sums, means and gradients "
        "(`tests/golden_cases.h`: a fixed seeded input set per kernel and loss, with edges, "
        "several reductions, weights, pos_weight, label smoothing, ignore_index, lengths not a "
        "multiple of any lane count). \"golden\" is the committed `tests/golden.h` (scalar / "
        "scalar+sleef); `tests/test_golden.c` checks the same in `make test`, natively and for "
        "neon under qemu. A cell shows the first 8 hex digits; `=` means equal to the golden value "
        "of its backend.\n\n| case |");
    for (unsigned v = 0; v < nh; v++)
        mdf(" %s |", hnames[v]);
    mdf(" golden own | golden sleef |\n| --- |");
    for (unsigned v = 0; v < nh; v++)
        mdf(" --- |");
    mdf(" --- | --- |\n");
    for (int c = 0; c < GC_NCASES; c++) {
        mdf("| %s_%s |", gc_case_name(c), gc_case_dtype(c));
        for (unsigned v = 0; v < nh; v++) {
            uint64_t g = is_sleef(hnames[v]) ? golden_sleef[c] : golden_own[c];
            if (hres[v][c] == g)
                mdf(" = |");
            else {
                mdf(" **%08llx** |", (unsigned long long)(hres[v][c] >> 32));
                hash_ok = 0;
            }
        }
        mdf(" %08llx | %08llx |\n", (unsigned long long)(golden_own[c] >> 32),
            (unsigned long long)(golden_sleef[c] >> 32));
    }
    mdf("\nHashes: %s.\n\n", hash_ok ? "every variant of each backend agrees with the golden values"
                                      : "**some variants differ (bold)**");
    if (!hash_ok)
        contract_broken = 1;
    if (neon_ran) {
        mdf("### neon under qemu (sampled ulp sweep of tests/test_golden.c, long double = IEEE quad reference)\n\n"
            "| variant | function | samples | max ulp | at |\n| --- | --- | --- | --- | --- |\n");
        for (unsigned i = 0; i < nns; i++)
            mdf("| %s | %s | %lu | %.4f | `%s` |\n", nsweep[i].variant, nsweep[i].fn,
                nsweep[i].samples, nsweep[i].max, nsweep[i].at);
        mdf("\nqemu run exit status: %d.\n\n", neon_status);
        if (neon_status != 0)
            contract_broken = 1;
    } else {
        mdf("neon: not run in this evaluation (give `--neon-cmd`, see eval/CMakeLists.txt).\n\n");
    }
    mdf("## Time\n\n| part | seconds |\n| --- | --- |\n");
    double tu32 = 0, tu64 = 0, tr = 0;
    for (int f = 0; f < F_COUNT; f++) {
        tu32 += utime[f][1];
        tu64 += utime[f][0];
    }
    for (size_t ki = 0; ki < NK; ki++)
        tr += rtime[ki][0] + rtime[ki][1];
    mdf("| float32 exhaustive (all variants) | %.0f |\n| float64 sampled | %.0f |\n| rows | %.0f |\n"
        "| reductions (incl. torch/sklearn %.0f s) | %.0f |\n\n",
        tu32, tu64, tr, torch_time, red_time);
}

int main(int argc, char **argv)
{
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--out") == 0 && i + 1 < argc) opt.out = argv[++i];
        else if (strcmp(argv[i], "--work") == 0 && i + 1 < argc) opt.work = argv[++i];
        else if (strcmp(argv[i], "--src") == 0 && i + 1 < argc) opt.src = argv[++i];
        else if (strcmp(argv[i], "--python") == 0 && i + 1 < argc) opt.python = argv[++i];
        else if (strcmp(argv[i], "--neon-cmd") == 0 && i + 1 < argc) opt.neon_cmd = argv[++i];
        else if (strcmp(argv[i], "--max-n") == 0 && i + 1 < argc) opt.max_n = strtoull(argv[++i], NULL, 10);
        else if (strcmp(argv[i], "--threads") == 0 && i + 1 < argc) opt.threads = (unsigned)atoi(argv[++i]);
        else if (strcmp(argv[i], "--f32-stride") == 0 && i + 1 < argc) opt.f32_stride = strtoull(argv[++i], NULL, 10);
        else if (strcmp(argv[i], "--f64-samples") == 0 && i + 1 < argc) opt.f64_samples = strtoull(argv[++i], NULL, 10);
        else if (strcmp(argv[i], "--row-elems") == 0 && i + 1 < argc) opt.row_elems = strtoull(argv[++i], NULL, 10);
        else if (strcmp(argv[i], "--quick") == 0) opt.quick = 1;
        else if (strcmp(argv[i], "--no-torch") == 0) opt.torch = 0;
        else {
            fprintf(stderr, "usage: accuracy [--out FILE] [--work DIR] [--src DIR] [--quick] "
                            "[--python PATH] [--no-torch] [--neon-cmd CMD] [--max-n N] [--threads T] "
                            "[--f32-stride S] [--f64-samples N] [--row-elems N]\n");
            return 2;
        }
    }
    if (opt.quick) {
        if (opt.max_n > 10000000ull)
            opt.max_n = 10000000ull;
        opt.f32_stride = 97;
        opt.f64_samples = 2000000ull;
        opt.row_elems = (uint64_t)1 << 20;
    }
    if (opt.f32_stride < 1)
        opt.f32_stride = 1;
    long nc = sysconf(_SC_NPROCESSORS_ONLN);
    nthreads = opt.threads ? opt.threads : (nc < 1 ? 1u : nc > 16 ? 16u : (unsigned)nc);
    size_t cnt = 0;
    xent_list_variants(variants, MAXV, &cnt);
    nvar = (unsigned)(cnt < MAXV ? cnt : MAXV);
    if (var_index("scalar") == MAXV) {
        fprintf(stderr, "accuracy: the scalar variant is not available\n");
        return 2;
    }
    meas_own = var_index(fastest(0));
    meas_sl = fastest(1) ? var_index(fastest(1)) : MAXV;
    double t0 = now();
    printf("xent accuracy evaluator: %u variants, %u threads%s\n", nvar, nthreads,
           opt.quick ? " (quick)" : "");
    printf("hashes\n");
    eval_hashes();
    eval_neon();
    printf("float32 exhaustive\n");
    for (int f = 0; f < F_COUNT; f++)
        eval_unary(f, 1);
    printf("float64 sampled\n");
    for (int f = 0; f < F_COUNT; f++)
        eval_unary(f, 0);
    printf("rows\n");
    for (size_t ki = 0; ki < NK; ki++) {
        eval_rows(ki, 1);
        eval_rows(ki, 0);
    }
    printf("reductions\n");
    eval_reductions();
    report_all();
    write_report(now() - t0);
    mpfr_free_cache();
    printf("wrote %s (%.0f s): %s\n", opt.out, now() - t0,
           contract_broken ? "CONTRACT BROKEN" : "contract holds");
    return contract_broken ? 1 : 0;
}
