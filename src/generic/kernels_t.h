/* The kernels of one dtype, written once against the vector interface and
 * included by kernels.h with the dtype macros set.  Work goes in blocks of
 * XENT_ROWS canonical rows of XENT_LANES elements (the ISA picks how many
 * rows keep its pipelines busy; row r's element j always lands in lane j);
 * the tail is copied into a padded block on the stack, so every ISA runs
 * the same lanes through the same operations. */

#define BLK (XENT_ROWS * XENT_LANES) /* elements per block */
#define NV (BLK / TN)                /* vectors per block */
#define NVR (XENT_LANES / TN)        /* vectors per row */

/* The index of the first element in [0, cnt) outside [0,1] (or, with y,
 * whose target is), and what was wrong; the scalar scan runs only once a
 * vector test found something. */
static int FN(first_bad)(const T *p, const T *y, size_t cnt, size_t *bad)
{
    for (size_t j = 0; j < cnt; j++) {
        if (!(p[j] >= 0 && p[j] <= 1)) { *bad = j; return XENT_K_BAD_INPUT; }
        if (y && !(y[j] >= 0 && y[j] <= 1)) { *bad = j; return XENT_K_BAD_TARGET; }
    }
    return XENT_K_OK; /* not reached when a vector test fired */
}

/* Adds a block of terms to the accumulator, row by row: a row whose terms
 * may be negative (maybe_neg and a lane < 0) goes through TwoSum. */
static inline __attribute__((always_inline)) void FN(acc_block)(vacc *acc, const VT *tv, const int maybe_neg)
{
    XENT_UNROLL for (int r = 0; r < XENT_ROWS; r++) {
        MT neg = OP(lt)(tv[r * NVR], OP(set1)(0));
        XENT_UNROLL for (int k = 1; k < NVR; k++) neg = MOP(or)(neg, OP(lt)(tv[r * NVR + k], OP(set1)(0)));
        if (FN(vacc_runs) && !(maybe_neg && MOP(any)(neg))) {
            XENT_UNROLL for (int k = 0; k < NVR; k++) FN(vacc_add)(acc, k, tv[r * NVR + k]);
        } else {
            XENT_UNROLL for (int k = 0; k < NVR; k++) FN(vacc_add_exact)(acc, k, tv[r * NVR + k]);
        }
    }
    FN(vacc_block)(acc);
}

/* One block of binary cross-entropy.  Returns a XENT_K_* code; the block's
 * first bad index goes to *bad. */
static inline __attribute__((always_inline)) int
FN(bce_block)(const T *p, const T *y, const T *w, T *out, T *grad, T grad_div, int check_y,
              vacc *acc, size_t *bad, const int has_w, const int want_out, const int want_grad)
{
    VT one = OP(set1)(1), pv[NV], yv[NV];
    VIT rng = IOP(set1)(0);
    XENT_UNROLL for (int u = 0; u < NV; u++) {
        pv[u] = OP(load)(p + u * TN);
        yv[u] = OP(load)(y + u * TN);
        rng = OP(range_acc)(rng, pv[u]);
        if (check_y) rng = OP(range_acc)(rng, yv[u]);
    }
    if (IOP(range_bad)(rng)) { /* rare: confirm exactly (-0.0 passes) */
        int r = FN(first_bad)(p, check_y ? y : NULL, BLK, bad);
        if (r) return r;
    }
#ifndef XENT_BACKEND_SLEEF
    /* Hard 0/1 targets need one log per element: y = 1 takes log p, y = 0
     * takes log(1 - p), and the term is -L (see README, "hard targets"). */
    MT hard = OP(eq)(OP(mul)(yv[0], yv[0]), yv[0]); /* y*y == y: y is 0 or 1 */
    XENT_UNROLL for (int u = 1; u < NV; u++) hard = MOP(and)(hard, OP(eq)(OP(mul)(yv[u], yv[u]), yv[u]));
    const int all_hard = MOP(all)(hard);
#endif
    VT tv[NV];
    XENT_UNROLL for (int u = 0; u < NV; u++) {
        VT t;
#ifndef XENT_BACKEND_SLEEF
        if (all_hard) {
            t = OP(sub)(OP(set1)(0), OP(log_pick_clamped)(pv[u], OP(eq)(yv[u], one)));
        } else
#endif
        {
            /* torch's order, (y - 1) * L2 - y * L1; + 0 makes a zero +0, as
             * the hard-target path gives it */
            VT L1 = OP(log_clamped)(pv[u]), L2 = OP(log1m_clamped)(pv[u]);
            t = OP(sub)(OP(mul)(OP(sub)(yv[u], one), L2), OP(mul)(yv[u], L1));
            t = OP(add)(t, OP(set1)(0));
        }
        VT wv = one;
        if (has_w) {
            wv = OP(load)(w + u * TN);
            t = OP(mul)(t, wv);
        }
        if (want_out) OP(store)(out + u * TN, t);
        tv[u] = t;
        if (want_grad) {
            /* torch: (p - y) / max((1 - p) * p, 1e-12f), * w, / n for mean */
            VT q = OP(max)(OP(mul)(OP(sub)(one, pv[u]), pv[u]), OP(set1)((T)1e-12f));
            VT g = OP(div)(OP(sub)(pv[u], yv[u]), q);
            if (has_w) g = OP(mul)(g, wv);
            if (grad_div != 0) g = OP(div)(g, OP(set1)(grad_div));
            OP(store)(grad + u * TN, g);
        }
    }
    if (!want_out) {
#ifndef XENT_BACKEND_SLEEF
        /* unweighted hard-target terms are -log >= 0: no sign test needed */
        FN(acc_block)(acc, tv, has_w || !all_hard);
#else
        FN(acc_block)(acc, tv, 1);
#endif
    }
    return XENT_K_OK;
}

static inline __attribute__((always_inline)) int
FN(bce_loop)(const XARGS *a, xent_acc *acc_io, size_t *bad,
             const int has_w, const int want_out, const int want_grad)
{
    vacc acc;
    vacc_load(&acc, acc_io);
    const size_t n = a->n, nb = n - n % BLK;
    size_t i = 0;
    int r;
    for (; i < nb; i += BLK) {
        r = FN(bce_block)(a->p + i, a->y + i, has_w ? a->w + i : NULL, want_out ? a->out + i : NULL,
                          want_grad ? a->grad + i : NULL, a->grad_div, a->check_target, &acc, bad,
                          has_w, want_out, want_grad);
        if (r) { *bad += i; return r; }
    }
    if (i < n) {
        /* padding p = y = w = 1 gives a term of -0, which leaves the sums alone */
        const size_t rem = n - i;
        T pb[BLK], yb[BLK], wb[BLK], ob[BLK], gb[BLK];
        for (size_t j = 0; j < BLK; j++) {
            pb[j] = j < rem ? a->p[i + j] : 1;
            yb[j] = j < rem ? a->y[i + j] : 1;
            wb[j] = (has_w && j < rem) ? a->w[i + j] : 1;
        }
        r = FN(bce_block)(pb, yb, wb, ob, gb, a->grad_div, a->check_target, &acc, bad, has_w,
                          want_out, want_grad);
        if (r) { *bad += i; return r; }
        for (size_t j = 0; j < rem; j++) {
            if (want_out) a->out[i + j] = ob[j];
            if (want_grad) a->grad[i + j] = gb[j];
        }
    }
    if (!want_out) vacc_store(&acc, acc_io);
    return XENT_K_OK;
}

/* Specialised loops for the weight / output / gradient combinations. */
static int FN(bce)(const XARGS *a, xent_acc *acc, size_t *bad)
{
    switch ((a->w != NULL) | (a->out != NULL) << 1 | (a->grad != NULL) << 2) {
    case 0: return FN(bce_loop)(a, acc, bad, 0, 0, 0);
    case 1: return FN(bce_loop)(a, acc, bad, 1, 0, 0);
    case 2: return FN(bce_loop)(a, acc, bad, 0, 1, 0);
    case 3: return FN(bce_loop)(a, acc, bad, 1, 1, 0);
    case 4: return FN(bce_loop)(a, acc, bad, 0, 0, 1);
    case 5: return FN(bce_loop)(a, acc, bad, 1, 0, 1);
    case 6: return FN(bce_loop)(a, acc, bad, 0, 1, 1);
    default: return FN(bce_loop)(a, acc, bad, 1, 1, 1);
    }
}

/* First p outside [0,1] (or y, when y is not NULL); a validation pass run
 * before any kernel that writes arrays, so an error writes nothing. */
static int FN(check_prob)(const T *p, const T *y, size_t n, size_t *bad)
{
    size_t i = 0;
    for (; i + BLK <= n; i += BLK) {
        VIT rng = IOP(set1)(0);
        XENT_UNROLL for (int u = 0; u < NV; u++) rng = OP(range_acc)(rng, OP(load)(p + i + u * TN));
        if (y)
            XENT_UNROLL for (int u = 0; u < NV; u++) rng = OP(range_acc)(rng, OP(load)(y + i + u * TN));
        if (IOP(range_bad)(rng)) {
            int r = FN(first_bad)(p + i, y ? y + i : NULL, BLK, bad);
            if (r) {
                *bad += i;
                return r;
            }
        }
    }
    int r = FN(first_bad)(p + i, y ? y + i : NULL, n - i, bad);
    if (r) *bad += i;
    return r;
}

/* Elementwise clamped logs over an array (validated by the caller). */
#define XENT_ELEMENTWISE(name, fn, pad)                                         \
    static void FN(name)(const T *x, size_t n, T *out)                          \
    {                                                                           \
        size_t i = 0;                                                           \
        for (; i + TN <= n; i += TN) OP(store)(out + i, OP(fn)(OP(load)(x + i))); \
        if (i < n) {                                                            \
            T xb[TN], ob[TN];                                                   \
            for (size_t j = 0; j < TN; j++) xb[j] = i + j < n ? x[i + j] : pad; \
            OP(store)(ob, OP(fn)(OP(load)(xb)));                                \
            for (size_t j = 0; i + j < n; j++) out[i + j] = ob[j];              \
        }                                                                       \
    }
XENT_ELEMENTWISE(log, log_clamped, 1)
XENT_ELEMENTWISE(log1m, log1m_clamped, 0)
XENT_ELEMENTWISE(exp, exp_canon, 0)
XENT_ELEMENTWISE(log_sigmoid, log_sigmoid, 0)
#undef XENT_ELEMENTWISE

/* Compensated sum of an array in the canonical layout: TwoSum for every
 * element, as the values may have any sign. */
static void FN(sum)(const T *x, size_t n, xent_acc *acc_io)
{
    vacc acc;
    vacc_load(&acc, acc_io);
    size_t i = 0;
    for (; i + BLK <= n; i += BLK) {
        XENT_UNROLL for (int u = 0; u < NV; u++) FN(vacc_add_exact)(&acc, u % NVR, OP(load)(x + i + u * TN));
    }
    if (i < n) {
        T xb[BLK];
        for (size_t j = 0; j < BLK; j++) xb[j] = i + j < n ? x[i + j] : 0;
        XENT_UNROLL for (int u = 0; u < NV; u++) FN(vacc_add_exact)(&acc, u % NVR, OP(load)(xb + u * TN));
    }
    vacc_store(&acc, acc_io);
}

#include "generic/losses_t.h"

#undef BLK
#undef NV
#undef NVR
