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
    case XENT_ETARGET: return "target outside its range: a probability target outside [0,1], or a class index out of bounds";
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

/* A NaN is returned as the one canonical quiet NaN: its sign and payload
 * would otherwise depend on operand order, which differs between ISAs. */
static double canon(double x) { return x != x ? NAN : x; }

static double acc_sum(const xent_acc *a)
{
    double hi, lo;
    acc_fold(a, &hi, &lo);
    /* an infinite term leaves NaN in the error part: the sum is hi */
    return isfinite(hi) ? hi + lo : canon(hi);
}

/* (hi + lo) / n with one rounding's worth of error: the remainder of the
 * first quotient is exact (fma), so the correction sees the low part. */
static double acc_mean(const xent_acc *a, size_t n)
{
    double hi, lo;
    acc_fold(a, &hi, &lo);
    if (n == 0) return NAN;
    if (!isfinite(hi)) return canon(hi);
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

/* ---- the losses on logits and log-probabilities ------------------------- */

/* (hi + lo) / d, as acc_mean (d = 0 gives NaN or inf, as torch's 0/0). */
static double acc_div(const xent_acc *a, double d)
{
    double hi, lo;
    acc_fold(a, &hi, &lo);
    const double q = hi / d;
    if (!isfinite(q) || !isfinite(hi) || d == 0) return canon(q);
    return q + (fma(-q, d, hi) + lo) / d;
}

/* Elements a [n, k] matrix with row stride ld spans, or 0 on overflow of
 * the byte count (n = 0 spans nothing). */
static int span_ok(size_t n, size_t k, size_t ld, size_t size)
{
    size_t e;
    if (n == 0) return 1;
    if (__builtin_mul_overflow(n - 1, ld, &e) || __builtin_add_overflow(e, k, &e)) return 0;
    return e <= PTRDIFF_MAX / size;
}

/* Index targets: the first out of [0, k) that is not ignore_index, and the
 * mean's denominator (sum of w[t] over the rows kept, Neumaier). */
#define XENT_TARGETS(T, SFX)                                                                   \
    static size_t check_targets_##SFX(const int64_t *t, size_t n, size_t k, int64_t ignore,    \
                                      const T *w, double *W)                                   \
    {                                                                                          \
        double s = 0, c = 0;                                                                   \
        if (!w) { /* the count: the same exact integer Neumaier would give, for less work */   \
            size_t cnt = 0;                                                                    \
            for (size_t i = 0; i < n; i++) {                                                   \
                if (t[i] == ignore) continue;                                                  \
                if ((uint64_t)t[i] >= k) return i; /* negative t wraps past k */               \
                cnt++;                                                                         \
            }                                                                                  \
            *W = (double)cnt;                                                                  \
            return NOIDX;                                                                      \
        }                                                                                      \
        for (size_t i = 0; i < n; i++) {                                                       \
            if (t[i] == ignore) continue;                                                      \
            if (t[i] < 0 || (uint64_t)t[i] >= k) return i;                                     \
            const double x = w ? (double)w[t[i]] : 1.0, u = s + x;                             \
            c += fabs(s) >= fabs(x) ? (s - u) + x : (x - u) + s;                               \
            s = u;                                                                             \
        }                                                                                      \
        *W = s + c;                                                                            \
        return NOIDX;                                                                          \
    }
XENT_TARGETS(float, f32)
XENT_TARGETS(double, f64)

#define XENT_COMMON_CHECKS(T, red)                                                             \
    const xent_kernels *kt = xent_active();                                                    \
    if (!kt) return fail(XENT_EUNSUPPORTED, bad_index, NOIDX);                                \
    if ((unsigned)(red) > XENT_REDUCTION_MEAN) return fail(XENT_EINVAL, bad_index, NOIDX);     \
    const int none = (red) == XENT_REDUCTION_NONE;                                            \
    if ((none && n && !out) || (!none && !result)) return fail(XENT_EINVAL, bad_index, NOIDX)

#define XENT_BCEL_API(T, SFX)                                                                  \
    xent_status xent_bce_logits_##SFX(const T *input, const T *target, const T *weight,        \
                                      const T *pos_weight, size_t n, size_t k,                 \
                                      xent_reduction reduction, double *result, T *out,        \
                                      T *grad, size_t *bad_index)                              \
    {                                                                                          \
        XENT_COMMON_CHECKS(T, reduction);                                                      \
        if (n > PTRDIFF_MAX / sizeof(T)) return fail(XENT_EOVERFLOW, bad_index, NOIDX);        \
        if ((n && (!input || !target)) || (pos_weight && (k == 0 || n % k)))                   \
            return fail(XENT_EINVAL, bad_index, NOIDX);                                        \
        if (n == 0) {                                                                          \
            if (!none) *result = reduction == XENT_REDUCTION_SUM ? 0.0 : NAN;                  \
            return XENT_OK;                                                                    \
        }                                                                                      \
        xent_bcel_args_##SFX a = {input, target, weight, pos_weight, n, pos_weight ? k : 1,   \
                                  none ? out : NULL, grad,                                     \
                                  reduction == XENT_REDUCTION_MEAN ? (T)n : (T)0};             \
        xent_acc acc = {{0}, {0}};                                                             \
        kt->bcel_##SFX(&a, &acc);                                                              \
        if (!none) *result = reduction == XENT_REDUCTION_SUM ? acc_sum(&acc) : acc_mean(&acc, n); \
        return XENT_OK;                                                                        \
    }
XENT_BCEL_API(float, f32)
XENT_BCEL_API(double, f64)

/* The shared checks of the row losses (z[n, k] at stride ld, grad at ldg). */
#define XENT_ROWS_CHECKS(T)                                                                    \
    if (k == 0 || ld < k || (grad && ldg < k)) return fail(XENT_EINVAL, bad_index, NOIDX);     \
    if (!span_ok(n, k, ld, sizeof(T)) || (grad && !span_ok(n, k, ldg, sizeof(T))))             \
        return fail(XENT_EOVERFLOW, bad_index, NOIDX);                                         \
    if (n && !z) return fail(XENT_EINVAL, bad_index, NOIDX)

static double smoothing(double eps) { return eps < 0 ? 0 : eps; }

#define XENT_FINISH(reduction, den)                                                            \
    if (!none) *result = (reduction) == XENT_REDUCTION_SUM ? acc_sum(&acc) : acc_div(&acc, (den)); \
    return XENT_OK

#define XENT_CE_API(T, SFX)                                                                    \
    xent_status xent_cross_entropy_##SFX(const T *z, size_t n, size_t k, size_t ld,            \
                                         const int64_t *target, const T *weight,               \
                                         int64_t ignore_index, double label_smoothing,         \
                                         xent_reduction reduction, double *result, T *out,     \
                                         T *grad, size_t ldg, size_t *bad_index)               \
    {                                                                                          \
        XENT_COMMON_CHECKS(T, reduction);                                                      \
        XENT_ROWS_CHECKS(T);                                                                   \
        if ((n && !target) || !(label_smoothing <= 1)) return fail(XENT_EINVAL, bad_index, NOIDX); \
        double W = 0, wsum = (double)k;                                                        \
        size_t b = check_targets_##SFX(target, n, k, ignore_index, weight, &W);                \
        if (b != NOIDX) return fail(XENT_ETARGET, bad_index, b);                               \
        if (weight) {                                                                          \
            xent_acc ws = {{0}, {0}};                                                          \
            kt->sum_##SFX(weight, k, &ws);                                                     \
            wsum = acc_sum(&ws);                                                               \
        }                                                                                      \
        const int mean = reduction == XENT_REDUCTION_MEAN;                                    \
        xent_rows_args_##SFX a = {z, n, k, ld, target, NULL, 0, weight, ignore_index,         \
                                  smoothing(label_smoothing), wsum, none ? out : NULL, grad,   \
                                  ldg, mean ? (T)W : (T)0};                                    \
        if (mean && grad && W == 0) a.grad_div = (T)0.0 / (T)0.0; /* torch: 0/0 */             \
        xent_acc acc = {{0}, {0}};                                                             \
        kt->rows_##SFX(&a, &acc);                                                              \
        XENT_FINISH(reduction, W);                                                             \
    }                                                                                          \
    xent_status xent_cross_entropy_prob_##SFX(const T *z, size_t n, size_t k, size_t ld,       \
                                              const T *target, size_t ldt, const T *weight,    \
                                              double label_smoothing, xent_reduction reduction, \
                                              double *result, T *out, T *grad, size_t ldg,     \
                                              size_t *bad_index)                               \
    {                                                                                          \
        XENT_COMMON_CHECKS(T, reduction);                                                      \
        XENT_ROWS_CHECKS(T);                                                                   \
        if ((n && !target) || ldt < k || !(label_smoothing <= 1))                              \
            return fail(XENT_EINVAL, bad_index, NOIDX);                                        \
        if (!span_ok(n, k, ldt, sizeof(T))) return fail(XENT_EOVERFLOW, bad_index, NOIDX);     \
        const int mean = reduction == XENT_REDUCTION_MEAN;                                    \
        xent_rows_args_##SFX a = {z, n, k, ld, NULL, target, ldt, weight, 0,                  \
                                  smoothing(label_smoothing), 0, none ? out : NULL, grad, ldg, \
                                  mean ? (T)n : (T)0};                                         \
        xent_acc acc = {{0}, {0}};                                                             \
        kt->rows_##SFX(&a, &acc);                                                              \
        XENT_FINISH(reduction, (double)n);                                                     \
    }                                                                                          \
    xent_status xent_nll_##SFX(const T *z, size_t n, size_t k, size_t ld, const int64_t *target, \
                               const T *weight, int64_t ignore_index, xent_reduction reduction, \
                               double *result, T *out, T *grad, size_t ldg, size_t *bad_index)  \
    {                                                                                          \
        XENT_COMMON_CHECKS(T, reduction);                                                      \
        XENT_ROWS_CHECKS(T);                                                                   \
        if (n && !target) return fail(XENT_EINVAL, bad_index, NOIDX);                          \
        double W = 0;                                                                          \
        size_t b = check_targets_##SFX(target, n, k, ignore_index, weight, &W);                \
        if (b != NOIDX) return fail(XENT_ETARGET, bad_index, b);                               \
        const int mean = reduction == XENT_REDUCTION_MEAN;                                    \
        xent_rows_args_##SFX a = {z, n, k, ld, target, NULL, 0, weight, ignore_index, 0, 0,   \
                                  none ? out : NULL, grad, ldg, mean ? (T)W : (T)0};           \
        if (mean && grad && W == 0) a.grad_div = (T)0.0 / (T)0.0;                              \
        xent_acc acc = {{0}, {0}};                                                             \
        kt->nll_##SFX(&a, &acc);                                                               \
        XENT_FINISH(reduction, W);                                                             \
    }
XENT_CE_API(float, f32)
XENT_CE_API(double, f64)

#define XENT_LOGLOSS_API(T, SFX, EPS)                                                          \
    xent_status xent_log_loss_##SFX(const T *P, size_t n, size_t k, size_t ld,                 \
                                    const int64_t *labels, const double *sample_weight,        \
                                    double eps, int normalize, unsigned flags, double *result, \
                                    size_t *bad_index)                                         \
    {                                                                                          \
        const xent_kernels *kt = xent_active();                                                \
        if (!kt) return fail(XENT_EUNSUPPORTED, bad_index, NOIDX);                            \
        if (!result || (flags & ~XENT_LOG_LOSS_NO_RENORM) || k == 0 || ld < k)                 \
            return fail(XENT_EINVAL, bad_index, NOIDX);                                        \
        if (!span_ok(n, k, ld, sizeof(T))) return fail(XENT_EOVERFLOW, bad_index, NOIDX);      \
        if (n == 0 || !P || !labels) return fail(XENT_EINVAL, bad_index, NOIDX);               \
        const size_t nlab = k == 1 ? 2 : k;                                                    \
        size_t b = NOIDX;                                                                      \
        for (size_t i = 0; i < n; i++)                                                         \
            if (labels[i] < 0 || (uint64_t)labels[i] >= nlab) { b = i; break; }                \
        if (!(eps >= 0)) eps = EPS;                                                            \
        xent_logloss_args_##SFX a = {P, n, k, ld, labels, sample_weight, (T)eps, (T)(1 - eps), \
                                     !(flags & XENT_LOG_LOSS_NO_RENORM)};                      \
        xent_acc acc = {{0}, {0}}, accw = {{0}, {0}};                                          \
        size_t bad = 0;                                                                        \
        if (b != NOIDX) { /* non-finite P is reported first, as sklearn checks it first */    \
            for (size_t i = 0; i < n; i++)                                                     \
                for (size_t c = 0; c < k; c++)                                                 \
                    if (!isfinite(P[i * ld + c])) return fail(XENT_EDOMAIN, bad_index, i * k + c); \
            return fail(XENT_ETARGET, bad_index, b);                                           \
        }                                                                                      \
        if (kt->logloss_##SFX(&a, &acc, &accw, &bad)) return fail(XENT_EDOMAIN, bad_index, bad); \
        if (!normalize) {                                                                      \
            *result = acc_sum(&acc);                                                           \
            return XENT_OK;                                                                    \
        }                                                                                      \
        const double sw = acc_sum(&accw);                                                      \
        if (sw == 0) return fail(XENT_EZEROWEIGHT, bad_index, NOIDX);                          \
        *result = acc_div(&acc, sw);                                                           \
        return XENT_OK;                                                                        \
    }
XENT_LOGLOSS_API(float, f32, 0x1p-23)
XENT_LOGLOSS_API(double, f64, 0x1p-52)

#define XENT_ELEM_API(T, SFX, NAME)                                                            \
    xent_status xent_##NAME##_##SFX(const T *x, size_t n, T *out)                              \
    {                                                                                          \
        const xent_kernels *kt = xent_active();                                                \
        if (!kt) return XENT_EUNSUPPORTED;                                                     \
        if (n > PTRDIFF_MAX / sizeof(T)) return XENT_EOVERFLOW;                                \
        if (n && (!x || !out)) return XENT_EINVAL;                                             \
        kt->NAME##_##SFX(x, n, out);                                                           \
        return XENT_OK;                                                                        \
    }
XENT_ELEM_API(float, f32, exp)
XENT_ELEM_API(double, f64, exp)
XENT_ELEM_API(float, f32, log_sigmoid)
XENT_ELEM_API(double, f64, log_sigmoid)

#define XENT_LSE_API(T, SFX)                                                                   \
    xent_status xent_logsumexp_##SFX(const T *z, size_t n, size_t k, size_t ld, T *out)        \
    {                                                                                          \
        const xent_kernels *kt = xent_active();                                                \
        if (!kt) return XENT_EUNSUPPORTED;                                                     \
        if (k == 0 || ld < k) return XENT_EINVAL;                                              \
        if (!span_ok(n, k, ld, sizeof(T))) return XENT_EOVERFLOW;                              \
        if (n && (!z || !out)) return XENT_EINVAL;                                             \
        kt->lse_##SFX(z, n, k, ld, out);                                                       \
        return XENT_OK;                                                                        \
    }
XENT_LSE_API(float, f32)
XENT_LSE_API(double, f64)
