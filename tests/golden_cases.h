/* The fixed input sets of the cross-variant hashes, and the hash itself,
 * shared by tests/test_golden.c (the fast check against the committed
 * values in tests/golden.h) and eval/accuracy.c (the full evaluator's
 * hash table).  Header-only, no MPFR, no libm in the input generation:
 * every input is built from integer arithmetic and exact conversions, so
 * x86-64 and AArch64 generate the same bits.
 *
 * gc_hash_case(c, h) runs case c in the active variant and returns a 64-bit
 * FNV-1a hash over, in order: the status of every call, the per-element
 * outputs, the sum and mean (as doubles) and the gradients. */
#ifndef XENT_GOLDEN_CASES_H
#define XENT_GOLDEN_CASES_H

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "xent.h"

/* ---- hash ------------------------------------------------------------- */

typedef struct gc_hash {
    uint64_t h;
} gc_hash;

static inline void gc_hash_init(gc_hash *h)
{
    h->h = 0xcbf29ce484222325ull;
}

static inline void gc_hash_bytes(gc_hash *h, const void *p, size_t n)
{
    const unsigned char *b = (const unsigned char *)p;
    uint64_t x = h->h;
    for (size_t i = 0; i < n; i++) {
        x ^= b[i];
        x *= 0x100000001b3ull;
    }
    h->h = x;
}

static inline void gc_hash_u32(gc_hash *h, uint32_t v)
{
    unsigned char b[4] = {(unsigned char)v, (unsigned char)(v >> 8), (unsigned char)(v >> 16),
                          (unsigned char)(v >> 24)};
    gc_hash_bytes(h, b, 4);
}

static inline void gc_hash_double(gc_hash *h, double d)
{
    gc_hash_bytes(h, &d, sizeof d);
}

/* ---- deterministic inputs --------------------------------------------- */

static inline uint64_t gc_next(uint64_t *s) /* splitmix64 */
{
    uint64_t z = (*s += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

static inline float gc_f32_bits(uint32_t b)
{
    float f;
    memcpy(&f, &b, sizeof f);
    return f;
}

static inline double gc_f64_bits(uint64_t b)
{
    double d;
    memcpy(&d, &b, sizeof d);
    return d;
}

/* A probability in [0, 1]: edges, uniform, log-uniform to the subnormals,
 * 1 - tiny (all exact constructions). */
static inline double gc_prob(uint64_t *s, int f32, size_t i)
{
    static const double edge[] = {0.0, 1.0, 0.5, 0x1p-149, 0x1p-126, 0x1p-1074, 0x1p-1022,
                                   0x1p-24, 0x1p-53, 1.0 - 0x1p-24, 1.0 - 0x1p-53,
                                   0.5 + 0x1p-24, 0.5 - 0x1p-25, 1e-10, 0.9999, 3.7200759760208356e-44};
    const size_t ne = sizeof edge / sizeof edge[0];
    if (i < ne)
        return f32 ? (double)(float)edge[i] : edge[i];
    uint64_t u = gc_next(s);
    switch (u & 3) {
    case 0:
        return f32 ? (double)((u >> 40) * 0x1p-24) : (double)(u >> 11) * 0x1p-53;
    case 1: /* bit patterns of (0, 1] */
        return f32 ? (double)gc_f32_bits((uint32_t)((u >> 8) % 0x3f800001u))
                   : gc_f64_bits((u >> 2) % 0x3ff0000000000001ull);
    case 2: /* 1 - t */
        return f32 ? (double)(1.0f - gc_f32_bits((uint32_t)((u >> 8) % 0x3f000001u)))
                   : 1.0 - gc_f64_bits((u >> 2) % 0x3fe0000000000001ull);
    default: /* a few fixed-point values */
        return (double)((u >> 8) % 1025) / 1024.0;
    }
}

/* A target: half hard (0 / 1), the rest soft multiples of 1/256. */
static inline double gc_target(uint64_t *s)
{
    uint64_t u = gc_next(s);
    if (u & 1)
        return (double)((u >> 1) & 1);
    return (double)((u >> 8) % 257) / 256.0;
}

/* A logit: moderate multiples of 1/1024 in [-16, 16], wide in [-1000, 1000],
 * tiny, and edges (inf and NaN only where allowed). */
static inline double gc_logit(uint64_t *s, int f32, size_t i, int specials)
{
    static const double edge[] = {0.0, -0.0, 1.0, -1.0, 17.0, -17.0, 30.0, -30.0, 88.0, -88.0,
                                  88.72283935546875, 89.0, -87.33654022216797, -103.97, -104.0,
                                  100.0, -100.0, 709.78, -745.1, 1000.0, -1000.0, 0x1p-30,
                                  -0x1p-30, 0x1p-140, 3.4e38, -3.4e38};
    const size_t ne = sizeof edge / sizeof edge[0];
    if (i < ne)
        return f32 ? (double)(float)edge[i] : edge[i];
    if (specials && i < ne + 3)
        return i == ne ? (double)INFINITY : i == ne + 1 ? -(double)INFINITY : (double)NAN;
    uint64_t u = gc_next(s);
    int64_t m = (int64_t)((u >> 16) % 32769) - 16384;
    switch (u & 3) {
    case 0: case 1:
        return (double)m / 1024.0;
    case 2:
        return (double)(((int64_t)((u >> 16) % 2000001) - 1000000)) / 1024.0;
    default:
        return f32 ? (double)gc_f32_bits((uint32_t)((u >> 8) % 0x4f000000u) | (uint32_t)(u & 4) << 29)
                   : gc_f64_bits((u >> 2) % 0x41e0000000000000ull | (u & 4) << 61);
    }
}

/* log k for the row lengths of the row cases, and 2^-(8 + i), 0 last: rows
 * of k equal -log k, whose logsumexp is log k's rounding error */
static const double gc_logk[] = {0x0.0p+0, 0x1.62e42fefa39efp-1, 0x1.193ea7aad030bp+0,
                                 0x1.26bb1bbb55516p+1, 0x1.6aa6bc1fa7f7ap+1, 0x1.bf8d8f4d5b8d1p+1,
                                 0x1.26bb1bbb55516p+2, 0x1.ba18a998fffa0p+2, 0x1.0a312363ccb4bp+3};
static const double gc_pow2m[40] = {
    0x1p-8,  0x1p-9,  0x1p-10, 0x1p-11, 0x1p-12, 0x1p-13, 0x1p-14, 0x1p-15, 0x1p-16, 0x1p-17,
    0x1p-18, 0x1p-19, 0x1p-20, 0x1p-21, 0x1p-22, 0x1p-23, 0x1p-24, 0x1p-25, 0x1p-26, 0x1p-27,
    0x1p-28, 0x1p-29, 0x1p-30, 0x1p-31, 0x1p-32, 0x1p-33, 0x1p-34, 0x1p-35, 0x1p-36, 0x1p-37,
    0x1p-38, 0x1p-39, 0x1p-40, 0x1p-41, 0x1p-42, 0x1p-43, 0x1p-44, 0x1p-45, 0x1p-46, 0};

/* ---- cases ------------------------------------------------------------ */

#define GC_CASES(X)        \
    X(log_clamped)         \
    X(log1m_clamped)       \
    X(exp)                 \
    X(log_sigmoid)         \
    X(logsumexp)           \
    X(sum)                 \
    X(bce)                 \
    X(bce_logits)          \
    X(cross_entropy)       \
    X(cross_entropy_prob)  \
    X(nll)                 \
    X(log_loss)

#define GC_ENUM(name) GC_##name,
enum { GC_CASES(GC_ENUM) GC_NCASES_PER_DTYPE };
#undef GC_ENUM
#define GC_NCASES (2 * GC_NCASES_PER_DTYPE) /* f32 cases, then f64 */

#define GC_NAME(name) #name,
static const char *const gc_case_names[GC_NCASES_PER_DTYPE] = {GC_CASES(GC_NAME)};
#undef GC_NAME

#define GC_N 4099 /* elements of the elementwise cases (not a multiple of any lane count) */

static inline void *gc_alloc(size_t bytes)
{
    void *p = malloc(bytes ? bytes : 1);
    if (p == NULL)
        abort();
    memset(p, 0, bytes ? bytes : 1);
    return p;
}

/* Every case in one dtype, written once: GC_T is the element type, GC_SFX
 * the function suffix. */
#define GC_DEFINE(GC_T, GC_SFX, F32)                                                              \
    static uint64_t gc_run_##GC_SFX(int c)                                                        \
    {                                                                                             \
        gc_hash h;                                                                                \
        gc_hash_init(&h);                                                                         \
        uint64_t s = 0x5eed0000u + (uint64_t)c * 7919u + (F32 ? 0u : 1000003u);                   \
        const size_t n = GC_N;                                                                    \
        GC_T *x = gc_alloc(n * sizeof(GC_T)), *y = gc_alloc(n * sizeof(GC_T));                    \
        GC_T *w = gc_alloc(n * sizeof(GC_T)), *o = gc_alloc(n * sizeof(GC_T));                    \
        GC_T *g = gc_alloc(n * sizeof(GC_T));                                                     \
        double r = 0;                                                                             \
        size_t bad = 0;                                                                           \
        xent_status st;                                                                           \
        switch (c) {                                                                              \
        case GC_log_clamped: case GC_log1m_clamped:                                               \
            for (size_t i = 0; i < n; i++)                                                        \
                x[i] = (GC_T)gc_prob(&s, F32, i);                                                 \
            st = c == GC_log_clamped ? xent_log_clamped_##GC_SFX(x, n, o, &bad)                   \
                                     : xent_log1m_clamped_##GC_SFX(x, n, o, &bad);                \
            gc_hash_u32(&h, (uint32_t)st);                                                        \
            gc_hash_bytes(&h, o, n * sizeof(GC_T));                                               \
            break;                                                                                \
        case GC_exp: case GC_log_sigmoid:                                                         \
            for (size_t i = 0; i < n; i++)                                                        \
                x[i] = (GC_T)gc_logit(&s, F32, i, 1);                                             \
            st = c == GC_exp ? xent_exp_##GC_SFX(x, n, o) : xent_log_sigmoid_##GC_SFX(x, n, o);   \
            gc_hash_u32(&h, (uint32_t)st);                                                        \
            gc_hash_bytes(&h, o, n * sizeof(GC_T));                                               \
            break;                                                                                \
        case GC_sum:                                                                              \
            for (size_t i = 0; i < n; i++)                                                        \
                x[i] = (GC_T)(gc_logit(&s, F32, i, 0) * ((i & 7) ? 1.0 : 1e-20));                 \
            for (size_t len = 0; len <= n; len += len < 40 ? 1 : 997) {                           \
                st = xent_sum_##GC_SFX(x, len, &r);                                               \
                gc_hash_u32(&h, (uint32_t)st);                                                    \
                gc_hash_double(&h, r);                                                            \
            }                                                                                     \
            break;                                                                                \
        case GC_bce:                                                                              \
            for (size_t i = 0; i < n; i++) {                                                      \
                x[i] = (GC_T)gc_prob(&s, F32, i);                                                 \
                y[i] = (GC_T)gc_target(&s);                                                       \
                w[i] = (GC_T)((double)(gc_next(&s) % 17) / 8.0);                                  \
            }                                                                                     \
            for (int pass = 0; pass < 4; pass++) {                                                \
                /* pass 0: hard targets only; 1: soft; 2: weighted; 3: a short tail */            \
                GC_T *yy = y;                                                                     \
                GC_T *hard = gc_alloc(n * sizeof(GC_T));                                          \
                for (size_t i = 0; i < n; i++)                                                    \
                    hard[i] = (GC_T)(gc_next(&s) & 1);                                            \
                if (pass == 0)                                                                    \
                    yy = hard;                                                                    \
                const GC_T *ww = pass == 2 ? w : NULL;                                            \
                size_t m = pass == 3 ? 37 : n;                                                    \
                for (int red = 0; red < 3; red++) {                                               \
                    st = xent_bce_##GC_SFX(x, yy, ww, m, (xent_reduction)red, 0, &r, o, g, &bad); \
                    gc_hash_u32(&h, (uint32_t)st);                                                \
                    if (red == 0)                                                                 \
                        gc_hash_bytes(&h, o, m * sizeof(GC_T));                                   \
                    else                                                                          \
                        gc_hash_double(&h, r);                                                    \
                    gc_hash_bytes(&h, g, m * sizeof(GC_T));                                       \
                }                                                                                 \
                free(hard);                                                                       \
            }                                                                                     \
            break;                                                                                \
        case GC_bce_logits: {                                                                     \
            const size_t k = 7;                                                                   \
            const size_t m = n - n % k;                                                           \
            GC_T pw[7];                                                                           \
            for (size_t j = 0; j < k; j++)                                                        \
                pw[j] = (GC_T)((double)(j + 1) / 4.0);                                            \
            for (size_t i = 0; i < n; i++) {                                                      \
                x[i] = (GC_T)gc_logit(&s, F32, i, 1);                                             \
                y[i] = (GC_T)gc_target(&s);                                                       \
                w[i] = (GC_T)((double)(gc_next(&s) % 17) / 8.0);                                  \
            }                                                                                     \
            for (int pass = 0; pass < 3; pass++) {                                                \
                const GC_T *ww = pass >= 1 ? w : NULL;                                            \
                const GC_T *pp = pass == 2 ? pw : NULL;                                           \
                for (int red = 0; red < 3; red++) {                                               \
                    st = xent_bce_logits_##GC_SFX(x, y, ww, pp, m, k, (xent_reduction)red, &r, o, \
                                                  g, &bad);                                       \
                    gc_hash_u32(&h, (uint32_t)st);                                                \
                    if (red == 0)                                                                 \
                        gc_hash_bytes(&h, o, m * sizeof(GC_T));                                   \
                    else                                                                          \
                        gc_hash_double(&h, r);                                                    \
                    gc_hash_bytes(&h, g, m * sizeof(GC_T));                                       \
                }                                                                                 \
            }                                                                                     \
            break;                                                                                \
        }                                                                                         \
        case GC_logsumexp: case GC_cross_entropy: case GC_cross_entropy_prob: case GC_nll:        \
        case GC_log_loss: {                                                                       \
            static const size_t ks[] = {1, 2, 3, 10, 17, 33, 100, 1000, 4099};                    \
            for (size_t ki = 0; ki < sizeof ks / sizeof ks[0]; ki++) {                            \
                const size_t k = ks[ki], ld = k + (ki & 1), rows = (n - 1) / ld;                  \
                if (rows == 0)                                                                    \
                    continue;                                                                     \
                GC_T *z = gc_alloc(n * sizeof(GC_T)), *gg = gc_alloc(n * sizeof(GC_T));          \
                int64_t *t = gc_alloc(rows * sizeof(int64_t));                                    \
                for (size_t i = 0; i < n; i++) {                                                  \
                    if (c == GC_log_loss)                                                         \
                        z[i] = (GC_T)gc_prob(&s, F32, i);                                         \
                    else if (c == GC_nll)                                                         \
                        z[i] = (GC_T)(-(double)(gc_next(&s) % 100000) / 4096.0);                  \
                    else                                                                          \
                        z[i] = (GC_T)gc_logit(&s, F32, i % 200 + 20, 0);                          \
                    y[i] = (GC_T)((double)(gc_next(&s) % 257) / 256.0);                           \
                    w[i] = (GC_T)((double)(gc_next(&s) % 17 + 1) / 8.0);                          \
                }                                                                                 \
                for (size_t i = 0; i < rows; i++) {                                               \
                    uint64_t u = gc_next(&s);                                                     \
                    t[i] = (int64_t)(u % (k == 1 ? 2 : k));                                       \
                    if (c != GC_log_loss && (u >> 32) % 11 == 0)                                  \
                        t[i] = -100;                                                              \
                }                                                                                 \
                for (int pass = 0; pass < 3; pass++) {                                            \
                    const GC_T *cw = pass == 1 ? w : NULL;                                        \
                    double eps = pass == 2 ? 0.125 : 0.0;                                         \
                    for (int red = 0; red < 3; red++) {                                           \
                        memset(o, 0, n * sizeof(GC_T));                                           \
                        memset(gg, 0, n * sizeof(GC_T));                                          \
                        r = 0;                                                                    \
                        xent_reduction rd = (xent_reduction)red;                                  \
                        if (c == GC_logsumexp) {                                                  \
                            if (red != 0 || pass == 2)                                            \
                                continue;                                                         \
                            if (pass == 1) /* rows near -log k: the result cancels to ~0 */       \
                                for (size_t i = 0; i < rows; i++)                                 \
                                    for (size_t cc = 0; cc < k; cc++) {                           \
                                        int64_t dm = (int64_t)(gc_next(&s) % 65) - 32;            \
                                        z[i * ld + cc] = (GC_T)(-gc_logk[ki] +                    \
                                                                (double)dm * gc_pow2m[i % 40]);   \
                                    }                                                             \
                            st = xent_logsumexp_##GC_SFX(z, rows, k, ld, o);                      \
                        } else if (c == GC_cross_entropy) {                                       \
                            st = xent_cross_entropy_##GC_SFX(z, rows, k, ld, t, cw, -100, eps,    \
                                                             rd, &r, o, gg, ld, &bad);            \
                        } else if (c == GC_cross_entropy_prob) {                                  \
                            st = xent_cross_entropy_prob_##GC_SFX(z, rows, k, ld, y, ld, cw, eps, \
                                                                  rd, &r, o, gg, ld, &bad);       \
                        } else if (c == GC_nll) {                                                 \
                            st = xent_nll_##GC_SFX(z, rows, k, ld, t, cw, -100, rd, &r, o, gg,    \
                                                   ld, &bad);                                     \
                        } else {                                                                  \
                            if (red == 0)                                                         \
                                continue;                                                         \
                            double sw[4099];                                                      \
                            for (size_t i = 0; i < rows; i++)                                     \
                                sw[i] = (double)(i % 5) / 2.0;                                    \
                            st = xent_log_loss_##GC_SFX(z, rows, k, ld, t, pass == 1 ? sw : NULL, \
                                                        pass == 2 ? 1e-3 : XENT_EPS_AUTO,         \
                                                        red == 2, 0, &r, &bad);                   \
                        }                                                                         \
                        gc_hash_u32(&h, (uint32_t)st);                                            \
                        gc_hash_bytes(&h, o, rows * sizeof(GC_T));                                \
                        gc_hash_double(&h, r);                                                    \
                        gc_hash_bytes(&h, gg, rows * ld * sizeof(GC_T));                          \
                    }                                                                             \
                }                                                                                 \
                free(z);                                                                          \
                free(gg);                                                                         \
                free(t);                                                                          \
            }                                                                                     \
            break;                                                                                \
        }                                                                                         \
        default:                                                                                  \
            break;                                                                                \
        }                                                                                         \
        free(x);                                                                                  \
        free(y);                                                                                  \
        free(w);                                                                                  \
        free(o);                                                                                  \
        free(g);                                                                                  \
        return h.h;                                                                               \
    }

GC_DEFINE(float, f32, 1)
GC_DEFINE(double, f64, 0)
#undef GC_DEFINE

/* Case c in [0, GC_NCASES): f32 cases first, then the f64 ones. */
static inline uint64_t gc_hash_case(int c)
{
    return c < GC_NCASES_PER_DTYPE ? gc_run_f32(c) : gc_run_f64(c - GC_NCASES_PER_DTYPE);
}

static inline const char *gc_case_dtype(int c)
{
    return c < GC_NCASES_PER_DTYPE ? "f32" : "f64";
}

static inline const char *gc_case_name(int c)
{
    return gc_case_names[c % GC_NCASES_PER_DTYPE];
}

#endif /* XENT_GOLDEN_CASES_H */
