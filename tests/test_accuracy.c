/* Accuracy of the per-element BCE terms (label: exhaustive).
 *
 * float32: EVERY p in [0, 1] (bit patterns 0 .. 0x3f800000) with y = 0 and
 * y = 1, for each own-log variant, against the exact -max(log p, -100) and
 * -max(log1p(-p), -100): error = |ours - ref| / ulp_f32(ref) must be
 * <= 1.  The reference is first taken in double (glibc log/log1p, relative
 * error < 2^-52, i.e. < 2^-28 float ulp, so the measured error is off by
 * less than 1e-8 ulp); every element whose error comes out above 0.99 is
 * measured again against the long double reference, which decides.
 * The patterns are processed in chunks of 2^20, so memory stays small.
 *
 * float64: 10^7 sampled p per own-log variant (every binade equally likely,
 * near 0 and near 1, plus 0, DBL_MIN, subnormals, 1 - ulp, 0.5 +- ulp, ...),
 * y = 0 and y = 1, within 1 ulp.  The reference is long double logl /
 * log1pl (x86: 64-bit significand, 2^-11 double ulp); on x86 every element
 * above 0.99 ulp, and every 512th element, is re-measured against MPFR at
 * 160 bits, which decides (and the long double reference is checked to
 * agree with MPFR within 0.01 ulp).
 *
 * The chunks are shared among up to 4 threads (as many as there are CPUs).
 * Under the sanitizers and under qemu only a strided subset runs. */
#define _POSIX_C_SOURCE 200809L
#include "xt.h"

#include <pthread.h>
#include <unistd.h>

#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifdef XT_HAVE_MPFR
#include <mpfr.h>
#endif

#if defined(XT_SANITIZE)
#define XT_F32_STRIDE 1009u
#define XT_F64_SAMPLES 100000u
#elif defined(XT_EMULATED)
#define XT_F32_STRIDE 509u
#define XT_F64_SAMPLES 200000u
#else
#define XT_F32_STRIDE 1u
#define XT_F64_SAMPLES 10000000u
#endif

#define XT_CHUNK ((size_t)1 << 20)
#define XT_LAST_F32 0x3f800000u

typedef struct worst {
    double err;
    double p;
    double got;
    long double ref;
    unsigned long long over; /* elements above 1 ulp */
} worst;

static void note(worst *w, double err, double p, double got, long double ref)
{
    if (err > 1.0) {
        if (w->over < 5)
            printf("    > 1 ulp: p=%a (%.9g) got %.17g ref %.21Lg err %.4f\n", p, p, got, ref, err);
        w->over++;
    }
    if (err > w->err) {
        w->err = err;
        w->p = p;
        w->got = got;
        w->ref = ref;
    }
}

/* 1 / ulp_f32(r) for r >= 0 held in a double, from the exponent bits:
 * r in [2^e, 2^(e+1)) has float ulp 2^(e-23). */
static inline double inv_ulp_f32(double r)
{
    if (!(r >= 0x1p-126))
        return 0x1p149;
    uint64_t b;
    memcpy(&b, &r, sizeof b);
    int64_t e = (int64_t)((b >> 52) & 0x7ff) - 1023;
    uint64_t ib = (uint64_t)(23 - e + 1023) << 52;
    double inv;
    memcpy(&inv, &ib, sizeof inv);
    return inv;
}

static inline double ref_y1_f32(float p) /* -max(log p, -100), double precision */
{
    if (p == 0.0f)
        return 100.0;
    double l = log((double)p);
    return l < -100.0 ? 100.0 : -l;
}

static inline double ref_y0_f32(float p) /* -max(log1p(-p), -100) */
{
    if (p == 1.0f)
        return 100.0;
    double l = log1p(-(double)p);
    return l < -100.0 ? 100.0 : -l;
}

/* Work shared between threads: chunk k goes to thread k mod nthreads (the
 * library is thread-safe; all threads run the one active variant).  No
 * cmocka assertion runs off the main thread: statuses are collected. */
typedef struct job {
    unsigned tid, nthreads;
    worst w[2]; /* by target */
    unsigned long long count;
    xent_status status;
    double ld_vs_mpfr;
} job;

static unsigned thread_count(void)
{
#ifdef XT_EMULATED
    /* this qemu-user spins forever on an atomic compare-and-swap once the
     * guest has started a thread (glibc's malloc does those): one thread */
    return 1;
#endif
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n < 1 ? 1u : n > 4 ? 4u : (unsigned)n;
}

static void run_jobs(void *(*fn)(void *), job *jobs, unsigned nt)
{
    pthread_t th[4];
    for (unsigned t = 0; t < nt; t++) {
        memset(&jobs[t], 0, sizeof jobs[t]);
        jobs[t].tid = t;
        jobs[t].nthreads = nt;
    }
    for (unsigned t = 1; t < nt; t++)
        if (pthread_create(&th[t], NULL, fn, &jobs[t]) != 0)
            fail_msg("pthread_create failed");
    fn(&jobs[0]);
    for (unsigned t = 1; t < nt; t++)
        pthread_join(th[t], NULL);
}

static void merge_jobs(job *jobs, unsigned nt, job *all)
{
    *all = jobs[0];
    for (unsigned t = 1; t < nt; t++) {
        for (int y = 0; y < 2; y++) {
            if (jobs[t].w[y].err > all->w[y].err) {
                unsigned long long over = all->w[y].over;
                all->w[y] = jobs[t].w[y];
                all->w[y].over = over;
            }
            all->w[y].over += jobs[t].w[y].over;
        }
        all->count += jobs[t].count;
        if (jobs[t].status != XENT_OK)
            all->status = jobs[t].status;
        if (jobs[t].ld_vs_mpfr > all->ld_vs_mpfr)
            all->ld_vs_mpfr = jobs[t].ld_vs_mpfr;
    }
}

/* float32: the reference is the expensive part, so it is computed once
 * for all own-log variants.  The patterns go in rounds of nthreads chunks:
 * for each variant in turn (the active variant is process-wide), every
 * thread runs the kernel on its chunk; then every thread computes the
 * reference of its chunk and measures all variants against it.  The first
 * f32_exhaustive[...] test to run does the work; each test then reports
 * and checks its own variant. */
#define XT_MAXV 4

typedef struct f32_results {
    int done;
    unsigned nv, nthreads;
    const char *names[XT_MAXV];
    worst w[XT_MAXV][2];
    unsigned long long count;
    xent_status status[XT_MAXV];
} f32_results;

static f32_results f32_res;

typedef struct f32_round {
    unsigned v;     /* the variant of the kernel phase */
    int check;      /* 0: kernel phase, 1: reference phase */
    uint64_t start; /* first pattern index of this thread's chunk */
    size_t m;       /* its length (0: nothing this round) */
    float *p, *y0, *y1, *o[XT_MAXV][2];
    worst w[XT_MAXV][2];
    xent_status status[XT_MAXV];
} f32_round;

static void *f32_round_worker(void *arg)
{
    f32_round *r = arg;
    if (r->m == 0)
        return NULL;
    if (!r->check) {
        if (r->v == 0)
            for (size_t i = 0; i < r->m; i++) {
                uint32_t b = (uint32_t)((r->start + i) * XT_F32_STRIDE);
                memcpy(&r->p[i], &b, sizeof b);
            }
        xent_status s1 = xent_bce_f32(r->p, r->y1, NULL, r->m, XENT_REDUCTION_NONE, 0, NULL,
                                      r->o[r->v][1], NULL, NULL);
        xent_status s0 = xent_bce_f32(r->p, r->y0, NULL, r->m, XENT_REDUCTION_NONE, 0, NULL,
                                      r->o[r->v][0], NULL, NULL);
        if (s1 != XENT_OK || s0 != XENT_OK)
            r->status[r->v] = s1 != XENT_OK ? s1 : s0;
        return NULL;
    }
    for (size_t i = 0; i < r->m; i++) {
        const float p = r->p[i];
        const double ref[2] = {ref_y0_f32(p), ref_y1_f32(p)};
        const double inv[2] = {inv_ulp_f32(ref[0]), inv_ulp_f32(ref[1])};
        for (unsigned v = 0; v < f32_res.nv; v++)
            for (int y = 0; y < 2; y++) {
                float got = r->o[v][y][i];
                double e = fabs((double)got - ref[y]) * inv[y];
                if (!(e <= 0.99)) { /* decide against long double (NaN lands here too) */
                    long double lr = xt_ref_bce(p, (long double)y, 1.0L);
                    note(&r->w[v][y], xt_err_f32(got, lr), p, got, lr);
                } else {
                    note(&r->w[v][y], e, p, got, ref[y]);
                }
            }
    }
    return NULL;
}

static void f32_compute_all(void)
{
    f32_results *res = &f32_res;
    res->done = 1;
    for (size_t k = 0; k < xt_known_variant_count && res->nv < XT_MAXV; k++)
        if (!xt_is_sleef(xt_known_variants[k]) && xt_variant_supported(xt_known_variants[k]))
            res->names[res->nv++] = xt_known_variants[k];
    unsigned nt = thread_count();
    res->nthreads = nt;
    f32_round rd[4];
    memset(rd, 0, sizeof rd);
    for (unsigned t = 0; t < nt; t++) {
        rd[t].p = xt_alloc(XT_CHUNK * sizeof(float));
        rd[t].y0 = xt_alloc(XT_CHUNK * sizeof(float));
        rd[t].y1 = xt_alloc(XT_CHUNK * sizeof(float));
        for (size_t i = 0; i < XT_CHUNK; i++) {
            rd[t].y0[i] = 0.0f;
            rd[t].y1[i] = 1.0f;
        }
        for (unsigned v = 0; v < res->nv; v++)
            for (int y = 0; y < 2; y++)
                rd[t].o[v][y] = xt_alloc(XT_CHUNK * sizeof(float));
    }
    const uint64_t total = (uint64_t)XT_LAST_F32 / XT_F32_STRIDE + 1;
    pthread_t th[4];
    for (uint64_t round = 0; round < total; round += (uint64_t)nt * XT_CHUNK) {
        for (unsigned t = 0; t < nt; t++) {
            uint64_t start = round + (uint64_t)t * XT_CHUNK;
            rd[t].start = start;
            rd[t].m = start >= total ? 0 : (size_t)(total - start < XT_CHUNK ? total - start : XT_CHUNK);
            res->count += rd[t].m;
        }
        for (unsigned phase = 0; phase <= res->nv; phase++) {
            int check = phase == res->nv;
            if (!check && xent_set_variant(res->names[phase]) != XENT_OK)
                res->status[phase] = XENT_EUNSUPPORTED;
            for (unsigned t = 0; t < nt; t++) {
                rd[t].v = check ? 0 : phase;
                rd[t].check = check;
            }
            int started[4] = {0};
            for (unsigned t = 1; t < nt; t++)
                started[t] = pthread_create(&th[t], NULL, f32_round_worker, &rd[t]) == 0;
            f32_round_worker(&rd[0]);
            for (unsigned t = 1; t < nt; t++) {
                if (started[t])
                    pthread_join(th[t], NULL);
                else
                    f32_round_worker(&rd[t]);
            }
        }
    }
    for (unsigned v = 0; v < res->nv; v++)
        for (unsigned t = 0; t < nt; t++) {
            if (rd[t].status[v] != XENT_OK)
                res->status[v] = rd[t].status[v];
            for (int y = 0; y < 2; y++) {
                worst *a = &res->w[v][y], *b = &rd[t].w[v][y];
                unsigned long long over = a->over + b->over;
                if (b->err > a->err)
                    *a = *b;
                a->over = over;
            }
        }
    for (unsigned t = 0; t < nt; t++) {
        xt_free(rd[t].p);
        xt_free(rd[t].y0);
        xt_free(rd[t].y1);
        for (unsigned v = 0; v < res->nv; v++)
            for (int y = 0; y < 2; y++)
                xt_free(rd[t].o[v][y]);
    }
}

static void f32_exhaustive(const char *variant)
{
    if (!f32_res.done) {
        f32_compute_all();
        xt_use_variant(variant); /* f32_compute_all switched variants */
    }
    const f32_results *res = &f32_res;
    unsigned v = 0;
    while (v < res->nv && strcmp(res->names[v], variant) != 0)
        v++;
    if (v == res->nv)
        fail_msg("%s was not measured", variant);
    assert_int_equal(res->status[v], XENT_OK);
    const worst *w = res->w[v];
    printf("  f32 [%s] %llu values of p%s, %u threads:\n"
           "    y=1: max error %.4f ulp at p=%a (%.9g): got %.9g, exact %.12Lg; %llu above 1 ulp\n"
           "    y=0: max error %.4f ulp at p=%a (%.9g): got %.9g, exact %.12Lg; %llu above 1 ulp\n",
           variant, res->count, XT_F32_STRIDE == 1 ? " (all)" : " (strided subset)",
           res->nthreads, w[1].err, w[1].p, w[1].p, w[1].got, w[1].ref, w[1].over, w[0].err,
           w[0].p, w[0].p, w[0].got, w[0].ref, w[0].over);
    assert_int_equal(res->count, (unsigned long long)XT_LAST_F32 / XT_F32_STRIDE + 1);
    if (w[1].over || w[0].over)
        fail_msg("[%s] float32 terms above 1 ulp: %llu (y=1), %llu (y=0)", variant, w[1].over,
                 w[0].over);
}

/* ---- float64, sampled ---------------------------------------------------- */

static double f64_sample(xt_rng *r, uint64_t i)
{
    static const double special[] = {
        0.0, 1.0, DBL_MIN, DBL_TRUE_MIN, 2 * DBL_TRUE_MIN, DBL_MIN - DBL_TRUE_MIN,
        DBL_MIN / 2, DBL_MIN * 1.5, 1.0 - 0x1p-53, 1.0 - 0x1p-52, 1.0 - 3 * 0x1p-53, 0.5,
        0.5 - 0x1p-54, 0.5 + 0x1p-53, 0x1p-53, 0x1p-52, 3.720075976020836e-44,
        3.7200759760208356e-44, 3.720075976020837e-44, 1e-10, 1e-300, 0.2928932188134524,
        0.7071067811865476, 0.29289321881345254, 0.7071067811865475, 1e-5, 1.0 - 1e-5};
    const uint64_t ns = sizeof special / sizeof special[0];
    if (i < ns)
        return special[i];
    uint64_t u = xt_next(r), bits;
    double v;
    switch (u & 3) {
    case 0: case 1: /* every binade of (0, 1] equally likely, subnormals included */
        bits = (xt_next(r) >> 2) % 0x3ff0000000000001ull;
        memcpy(&v, &bits, sizeof v);
        return v;
    case 2: /* 1 - t, t log-uniform in (0, 1/2] */
        bits = (xt_next(r) >> 2) % 0x3fe0000000000001ull;
        memcpy(&v, &bits, sizeof v);
        return 1.0 - v;
    default: /* uniform */
        return (double)(xt_next(r) >> 11) * 0x1p-53;
    }
}

#ifdef XT_HAVE_MPFR
/* |got - ref| / ulp_f64(ref) with ref = -max(log p or log1p(-p), -100) in MPFR. */
static double mpfr_err(double p, int y1, double got, long double *ref_out)
{
    mpfr_t x, d;
    mpfr_init2(x, 160);
    mpfr_init2(d, 160);
    mpfr_set_d(x, y1 ? p : -p, MPFR_RNDN);
    if (y1 ? p == 0.0 : p == 1.0) {
        mpfr_set_d(x, -100.0, MPFR_RNDN);
    } else {
        if (y1)
            mpfr_log(x, x, MPFR_RNDN);
        else
            mpfr_log1p(x, x, MPFR_RNDN);
        if (mpfr_cmp_d(x, -100.0) < 0)
            mpfr_set_d(x, -100.0, MPFR_RNDN);
    }
    mpfr_neg(x, x, MPFR_RNDN);
    long double ref = mpfr_get_ld(x, MPFR_RNDN);
    mpfr_sub_d(d, x, got, MPFR_RNDN);
    mpfr_abs(d, d, MPFR_RNDN);
    double err = (double)(mpfr_get_ld(d, MPFR_RNDN) / xt_ulp_f64(ref));
    mpfr_clear(x);
    mpfr_clear(d);
    *ref_out = ref;
    return err;
}
#endif

static void *f64_worker(void *arg)
{
    job *jb = arg;
    double *p = xt_alloc(XT_CHUNK * sizeof(double));
    double *y0 = xt_alloc(XT_CHUNK * sizeof(double)), *y1 = xt_alloc(XT_CHUNK * sizeof(double));
    double *o0 = xt_alloc(XT_CHUNK * sizeof(double)), *o1 = xt_alloc(XT_CHUNK * sizeof(double));
    for (size_t i = 0; i < XT_CHUNK; i++) {
        y0[i] = 0.0;
        y1[i] = 1.0;
    }
    for (uint64_t start = (uint64_t)jb->tid * XT_CHUNK; start < XT_F64_SAMPLES;
         start += (uint64_t)jb->nthreads * XT_CHUNK) {
        size_t m = (size_t)(XT_F64_SAMPLES - start < XT_CHUNK ? XT_F64_SAMPLES - start : XT_CHUNK);
        xt_rng rng = {0xf64f64u + start}; /* the samples depend on the chunk only */
        for (size_t i = 0; i < m; i++)
            p[i] = f64_sample(&rng, start + i);
        xent_status s1 = xent_bce_f64(p, y1, NULL, m, XENT_REDUCTION_NONE, 0, NULL, o1, NULL, NULL);
        xent_status s0 = xent_bce_f64(p, y0, NULL, m, XENT_REDUCTION_NONE, 0, NULL, o0, NULL, NULL);
        if (s1 != XENT_OK || s0 != XENT_OK) {
            jb->status = s1 != XENT_OK ? s1 : s0;
            break;
        }
        for (size_t i = 0; i < m; i++) {
            for (int y = 0; y < 2; y++) {
                double got = y ? o1[i] : o0[i];
                long double ref = xt_ref_bce(p[i], (long double)y, 1.0L);
                double err = xt_err_f64(got, ref);
#ifdef XT_HAVE_MPFR
                if (!(err <= 0.99) || (start + i) % 512 == 0) {
                    long double mref;
                    double merr = mpfr_err(p[i], y, got, &mref);
                    double dis = fabs(merr - err);
                    if (err < 1e30 && dis > jb->ld_vs_mpfr)
                        jb->ld_vs_mpfr = dis;
                    err = merr;
                    ref = mref;
                }
#endif
                note(&jb->w[y], err, p[i], got, ref);
            }
        }
        jb->count += m;
    }
#ifdef XT_HAVE_MPFR
    mpfr_free_cache();
#endif
    xt_free(p);
    xt_free(y0);
    xt_free(y1);
    xt_free(o0);
    xt_free(o1);
    return NULL;
}

static void f64_sampled(const char *variant)
{
    unsigned nt = thread_count();
    job jobs[4], all;
    run_jobs(f64_worker, jobs, nt);
    merge_jobs(jobs, nt, &all);
    assert_int_equal(all.status, XENT_OK);
    printf("  f64 [%s] %llu sampled p, %u threads:\n"
           "    y=1: max error %.4f ulp at p=%a (%.17g): got %.17g, exact %.21Lg; %llu above 1 ulp\n"
           "    y=0: max error %.4f ulp at p=%a (%.17g): got %.17g, exact %.21Lg; %llu above 1 ulp\n",
           variant, all.count, nt, all.w[1].err, all.w[1].p, all.w[1].p, all.w[1].got,
           all.w[1].ref, all.w[1].over, all.w[0].err, all.w[0].p, all.w[0].p, all.w[0].got,
           all.w[0].ref, all.w[0].over);
    assert_int_equal(all.count, (unsigned long long)XT_F64_SAMPLES);
#ifdef XT_HAVE_MPFR
    printf("    long double reference vs MPFR: worst disagreement %.2g ulp\n", all.ld_vs_mpfr);
    if (all.ld_vs_mpfr > 0.01)
        fail_msg("the long double reference disagrees with MPFR by %.3g ulp", all.ld_vs_mpfr);
#endif
    if (all.w[1].over || all.w[0].over)
        fail_msg("[%s] float64 terms above 1 ulp: %llu (y=1), %llu (y=0)", variant,
                 all.w[1].over, all.w[0].over);
}

int main(void)
{
    static const xt_case cases[] = {
        {"f32_exhaustive", f32_exhaustive},
        {"f64_sampled", f64_sampled},
    };
    int failed = xt_run_per_variant("accuracy", cases, sizeof cases / sizeof cases[0], XT_OWN);
#ifdef XT_HAVE_MPFR
    mpfr_free_cache();
#endif
    return failed ? 1 : 0;
}
