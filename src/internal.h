/* Internal interface between the public API (xent.c), the dispatch table
 * (dispatch.c) and the per-ISA kernels (src/<isa>/kernels*.c). */
#ifndef XENT_INTERNAL_H
#define XENT_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

/* The canonical reduction layout: element i of a call is added to lane
 * i mod XENT_LANES of a double-double accumulator (TwoSum into s, errors
 * into c).  Every ISA maps its registers onto these lanes, and the lanes are
 * folded in one fixed order (xent_acc_fold), so sums agree to the bit. */
#define XENT_LANES 16

typedef struct xent_acc {
    double s[XENT_LANES];
    double c[XENT_LANES];
} xent_acc;

/* What a kernel found wrong; *bad receives the element index. */
enum { XENT_K_OK = 0, XENT_K_BAD_INPUT = 1, XENT_K_BAD_TARGET = 2 };

#define XENT_DEFINE_BCE_ARGS(T, SFX)                                              \
    typedef struct xent_bce_args_##SFX {                                          \
        const T *p, *y, *w; /* w may be NULL */                                   \
        T *out;             /* per-element terms, or NULL */                      \
        T *grad;            /* gradient, or NULL */                               \
        size_t n;                                                                 \
        T grad_div;         /* divide the gradient by this (n for mean), or 0 */  \
        int check_target;   /* reject y outside [0,1] */                          \
        int want_sum;       /* accumulate terms into the xent_acc */              \
    } xent_bce_args_##SFX;
XENT_DEFINE_BCE_ARGS(float, f32)
XENT_DEFINE_BCE_ARGS(double, f64)

/* The other losses' arguments, validated by xent.c: kernels never fail
 * (log-loss reports non-finite probabilities, which it scans as it reads). */
#define XENT_DEFINE_LOSS_ARGS(T, SFX)                                             \
    typedef struct xent_bcel_args_##SFX {                                         \
        const T *z, *y, *w, *pw; /* w, pw may be NULL */                          \
        size_t n, k;             /* pw[i mod k] */                                \
        T *out, *grad;           /* NULL when not wanted */                       \
        T grad_div;              /* n for mean, else 0 */                         \
    } xent_bcel_args_##SFX;                                                       \
    typedef struct xent_rows_args_##SFX {                                         \
        const T *z; size_t n, k, ld;                                              \
        const int64_t *t;        /* index targets, or NULL: probability targets */ \
        const T *y; size_t ldy;  /* probability targets */                        \
        const T *w;              /* class weights or NULL */                      \
        int64_t ignore_index;                                                     \
        double eps;              /* label smoothing, in [0, 1] */                 \
        double wsum;             /* sum of w (k without), for smoothing */        \
        T *out, *grad; size_t ldg;                                                \
        T grad_div;              /* mean's denominator, or 0 */                   \
    } xent_rows_args_##SFX;                                                       \
    typedef struct xent_logloss_args_##SFX {                                      \
        const T *p; size_t n, k, ld;                                              \
        const int64_t *y;        /* validated labels */                           \
        const double *s;         /* sample weights or NULL */                     \
        T lo, hi;                /* clip bounds */                                \
        int renorm;                                                               \
    } xent_logloss_args_##SFX;
XENT_DEFINE_LOSS_ARGS(float, f32)
XENT_DEFINE_LOSS_ARGS(double, f64)

/* The kernel list: one line a kernel, from which the dispatch table's
 * fields and every ISA's instantiation are generated.
 * X(name, return type, parameters) */
#define XENT_KERNELS(X)                                                                  \
    X(bce_f32, int, (const xent_bce_args_f32 *a, xent_acc *acc, size_t *bad))           \
    X(bce_f64, int, (const xent_bce_args_f64 *a, xent_acc *acc, size_t *bad))           \
    X(check_prob_f32, int, (const float *p, const float *y, size_t n, size_t *bad))     \
    X(check_prob_f64, int, (const double *p, const double *y, size_t n, size_t *bad))   \
    X(log_f32, void, (const float *x, size_t n, float *out))                            \
    X(log_f64, void, (const double *x, size_t n, double *out))                          \
    X(log1m_f32, void, (const float *x, size_t n, float *out))                          \
    X(log1m_f64, void, (const double *x, size_t n, double *out))                        \
    X(sum_f32, void, (const float *x, size_t n, xent_acc *acc))                         \
    X(sum_f64, void, (const double *x, size_t n, xent_acc *acc))                        \
    X(exp_f32, void, (const float *x, size_t n, float *out))                            \
    X(exp_f64, void, (const double *x, size_t n, double *out))                          \
    X(log_sigmoid_f32, void, (const float *x, size_t n, float *out))                    \
    X(log_sigmoid_f64, void, (const double *x, size_t n, double *out))                  \
    X(bcel_f32, void, (const xent_bcel_args_f32 *a, xent_acc *acc))                     \
    X(bcel_f64, void, (const xent_bcel_args_f64 *a, xent_acc *acc))                     \
    X(rows_f32, void, (const xent_rows_args_f32 *a, xent_acc *acc))                     \
    X(rows_f64, void, (const xent_rows_args_f64 *a, xent_acc *acc))                     \
    X(lse_f32, void, (const float *z, size_t n, size_t k, size_t ld, float *out))       \
    X(lse_f64, void, (const double *z, size_t n, size_t k, size_t ld, double *out))     \
    X(nll_f32, void, (const xent_rows_args_f32 *a, xent_acc *acc))                      \
    X(nll_f64, void, (const xent_rows_args_f64 *a, xent_acc *acc))                      \
    X(logloss_f32, int, (const xent_logloss_args_f32 *a, xent_acc *acc, xent_acc *accw, size_t *bad)) \
    X(logloss_f64, int, (const xent_logloss_args_f64 *a, xent_acc *acc, xent_acc *accw, size_t *bad))

#define XENT_KERNEL_FIELD(name, ret, params) ret(*name) params;
typedef struct xent_kernels {
    const char *name;
    XENT_KERNELS(XENT_KERNEL_FIELD)
} xent_kernels;
#undef XENT_KERNEL_FIELD

extern const xent_kernels xent_kernels_scalar, xent_kernels_scalar_sleef;
extern const xent_kernels xent_kernels_avx2, xent_kernels_avx2_sleef;
extern const xent_kernels xent_kernels_avx512, xent_kernels_avx512_sleef;
extern const xent_kernels xent_kernels_neon, xent_kernels_neon_sleef;

/* CPU features (cpu.c). */
enum { XENT_CPU_AVX2 = 1, XENT_CPU_AVX512 = 2, XENT_CPU_NEON = 4, XENT_CPU_FMA = 8 };
unsigned xent_cpu_features(void);

/* The active kernels, or NULL when XENT_VARIANT named a bad variant. */
const xent_kernels *xent_active(void);

#endif
