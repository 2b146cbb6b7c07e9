/* The public API: argument checks, the dispatch call, and the final fold of
 * the canonical accumulator (the one place every variant's sums meet). */
#include <math.h>
#include <stdint.h>

#include "internal.h"
#include "xent.h"

const char *xent_strerror(xent_status status)
{
    switch (status) {
    case XENT_OK: return "success";
    case XENT_EINVAL: return "invalid argument: a required pointer is NULL or an option is out of range";
    case XENT_EDOMAIN: return "input outside its domain: all elements of input should be between 0 and 1";
    case XENT_ETARGET: return "target outside its range: all elements of target should be between 0 and 1";
    case XENT_EOVERFLOW: return "size overflow: the element count times the element size does not fit";
    case XENT_EUNSUPPORTED: return "unsupported variant: unknown name, or the CPU cannot run it";
    case XENT_EZEROWEIGHT: return "weights sum to zero";
    }
    return "unknown status";
}

/* Folds the 16 lanes in lane order with TwoSum into hi + lo. */
static void acc_fold(const xent_acc *a, double *hi, double *lo)
{
    double s = a->s[0], c = a->c[0];
    for (int j = 1; j < XENT_LANES; j++) {
        double t = s + a->s[j], bp = t - s;
        double e = (s - (t - bp)) + (a->s[j] - bp);
        s = t;
        c += a->c[j];
        c += e;
    }
    *hi = s;
    *lo = c;
}

static double acc_sum(const xent_acc *a)
{
    double hi, lo;
    acc_fold(a, &hi, &lo);
    return hi + lo;
}

/* (hi + lo) / n with one rounding's worth of error: the remainder of the
 * first quotient is exact (fma), so the correction sees the low part. */
static double acc_mean(const xent_acc *a, size_t n)
{
    double hi, lo;
    acc_fold(a, &hi, &lo);
    if (n == 0) return NAN;
    const double d = (double)n, q = hi / d, r = fma(-q, d, hi);
    return q + (r + lo) / d;
}

static xent_status fail(xent_status st, size_t *bad_index, size_t at)
{
    if (bad_index) *bad_index = at;
    return st;
}

static xent_status kernel_status(int r)
{
    return r == XENT_K_BAD_INPUT ? XENT_EDOMAIN : r == XENT_K_BAD_TARGET ? XENT_ETARGET : XENT_OK;
}

#define NOIDX ((size_t)-1)

/* One definition for both dtypes. */
#define XENT_BCE_API(T, SFX)                                                                   \
    xent_status xent_bce_##SFX(const T *input, const T *target, const T *weight, size_t n,     \
                               xent_reduction reduction, unsigned flags, double *result,       \
                               T *out, T *grad, size_t *bad_index)                             \
    {                                                                                          \
        const xent_kernels *k = xent_active();                                                 \
        if (!k) return fail(XENT_EUNSUPPORTED, bad_index, NOIDX);                             \
        if ((unsigned)reduction > XENT_REDUCTION_MEAN || (flags & ~XENT_CHECK_TARGET))        \
            return fail(XENT_EINVAL, bad_index, NOIDX);                                        \
        if (n > PTRDIFF_MAX / sizeof(T)) return fail(XENT_EOVERFLOW, bad_index, NOIDX);        \
        const int none = reduction == XENT_REDUCTION_NONE;                                    \
        if ((n && (!input || !target)) || (none && n && !out) || (!none && !result))           \
            return fail(XENT_EINVAL, bad_index, NOIDX);                                        \
        const int check_y = (flags & XENT_CHECK_TARGET) != 0;                                 \
        size_t bad = 0;                                                                        \
        int r;                                                                                 \
        /* arrays are written only once the whole input is known good */                      \
        if ((none || grad) && (r = k->check_prob_##SFX(input, check_y ? target : NULL, n, &bad))) \
            return fail(kernel_status(r), bad_index, bad);                                     \
        if (n == 0) {                                                                          \
            if (!none) *result = reduction == XENT_REDUCTION_SUM ? 0.0 : NAN;                  \
            return XENT_OK;                                                                    \
        }                                                                                      \
        xent_bce_args_##SFX a = {input, target, weight, none ? out : NULL, grad, n,           \
                                 reduction == XENT_REDUCTION_MEAN ? (T)n : (T)0, check_y, !none}; \
        xent_acc acc = {{0}, {0}};                                                             \
        if ((r = k->bce_##SFX(&a, &acc, &bad))) return fail(kernel_status(r), bad_index, bad);\
        if (!none) *result = reduction == XENT_REDUCTION_SUM ? acc_sum(&acc) : acc_mean(&acc, n); \
        return XENT_OK;                                                                        \
    }
XENT_BCE_API(float, f32)
XENT_BCE_API(double, f64)

#define XENT_LOG_API(T, SFX, NAME, KERNEL)                                                     \
    xent_status xent_##NAME##_##SFX(const T *x, size_t n, T *out, size_t *bad_index)           \
    {                                                                                          \
        const xent_kernels *k = xent_active();                                                 \
        if (!k) return fail(XENT_EUNSUPPORTED, bad_index, NOIDX);                             \
        if (n > PTRDIFF_MAX / sizeof(T)) return fail(XENT_EOVERFLOW, bad_index, NOIDX);        \
        if (n && (!x || !out)) return fail(XENT_EINVAL, bad_index, NOIDX);                     \
        size_t bad = 0;                                                                        \
        int r = k->check_prob_##SFX(x, NULL, n, &bad);                                         \
        if (r) return fail(kernel_status(r), bad_index, bad);                                  \
        k->KERNEL##_##SFX(x, n, out);                                                          \
        return XENT_OK;                                                                        \
    }
XENT_LOG_API(float, f32, log_clamped, log)
XENT_LOG_API(double, f64, log_clamped, log)
XENT_LOG_API(float, f32, log1m_clamped, log1m)
XENT_LOG_API(double, f64, log1m_clamped, log1m)

#define XENT_SUM_API(T, SFX)                                                                   \
    xent_status xent_sum_##SFX(const T *x, size_t n, double *result)                           \
    {                                                                                          \
        const xent_kernels *k = xent_active();                                                 \
        if (!k) return XENT_EUNSUPPORTED;                                                      \
        if (n > PTRDIFF_MAX / sizeof(T)) return XENT_EOVERFLOW;                                \
        if ((n && !x) || !result) return XENT_EINVAL;                                          \
        xent_acc acc = {{0}, {0}};                                                             \
        k->sum_##SFX(x, n, &acc);                                                              \
        *result = acc_sum(&acc);                                                               \
        return XENT_OK;                                                                        \
    }
XENT_SUM_API(float, f32)
XENT_SUM_API(double, f64)
