/* Shared helpers of the xent test suites: per-variant cmocka test
 * generation, ulp measurement, exact summation, deterministic random
 * inputs.  References are computed here from mathematics (long double
 * logl/log1pl) and exact integer sums, never from the library's output. */
#ifndef XT_H
#define XT_H

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "xent.h"

/* ---- variants -------------------------------------------------------- */

/* Which variants a per-variant group runs over. */
enum {
    XT_OWN = 1u,   /* own-log variants: scalar, avx2, avx512, neon */
    XT_SLEEF = 2u, /* the +sleef variants */
    XT_ALL = 3u,
    XT_NOT_REF = 4u /* leave out the reference of each backend ("scalar", "scalar+sleef") */
};

/* Every variant name this architecture knows, whether or not the CPU runs it. */
extern const char *const xt_known_variants[];
extern const size_t xt_known_variant_count;

/* 1 when xent_list_variants() reports name. */
int xt_variant_supported(const char *name);
/* 1 when name is a +sleef variant. */
int xt_is_sleef(const char *name);
/* The reference variant of name's log backend: "scalar" or "scalar+sleef". */
const char *xt_reference_of(const char *name);

/* A test body, run with the variant already active. */
typedef void (*xt_case_fn)(const char *variant);
typedef struct xt_case {
    const char *name;
    xt_case_fn fn;
} xt_case;

/* Runs every case once per selected variant, each as its own cmocka test
 * named "case[variant]".  A variant this CPU cannot run is skipped.
 * Returns the number of failed tests (the process exit status). */
int xt_run_per_variant(const char *group, const xt_case *cases, size_t ncases,
                       unsigned which);

/* Makes name the active variant inside a test: skips the test when the
 * CPU cannot run it, fails when a supported variant cannot be selected or
 * is not reported active afterwards. */
void xt_use_variant(const char *name);

/* ---- ulp ------------------------------------------------------------- */

/* The spacing of float (resp. double) numbers at |r|: 2^(e-23) for r in
 * [2^e, 2^(e+1)), and the smallest subnormal below the normal range. */
long double xt_ulp_f32(long double r);
long double xt_ulp_f64(long double r);
/* |got - ref| in ulps of ref; 0 when both are the same NaN/inf, a huge
 * value when only one of them is NaN or they are unequal infinities. */
double xt_err_f32(float got, long double ref);
double xt_err_f64(double got, long double ref);

/* ---- references ------------------------------------------------------ */

/* max(log p, -100) and max(log(1 - p), -100), in long double. */
long double xt_ref_logc(long double p);
long double xt_ref_log1mc(long double p);
/* -w * (y * max(log p, -100) + (1 - y) * max(log(1 - p), -100)). */
long double xt_ref_bce(long double p, long double y, long double w);
/* w * (p - y) / max(p * (1 - p), c), c = 1e-12 as a float constant. */
long double xt_ref_bce_grad(long double p, long double y, long double w);

/* ---- exact summation --------------------------------------------------
 * A fixed-point accumulator over the whole double range (2^-1074 ..
 * 2^1024) in 32-bit chunks held in int64 limbs: adding a double is exact,
 * and the result is rounded only once at the end. */
#define XT_EXACT_LIMBS 72
typedef struct xt_exact {
    int64_t limb[XT_EXACT_LIMBS];
    uint64_t pending; /* additions since the last carry propagation */
    int nonfinite;    /* a NaN or inf was added */
} xt_exact;

void xt_exact_init(xt_exact *acc);
void xt_exact_add(xt_exact *acc, double x);
/* The exact sum, rounded to long double (and relative error < 2^-63). */
long double xt_exact_value(xt_exact *acc);
long double xt_exact_sum_f64(const double *x, size_t n);
long double xt_exact_sum_f32(const float *x, size_t n);

/* ---- random inputs --------------------------------------------------- */

typedef struct xt_rng {
    uint64_t s;
} xt_rng;
uint64_t xt_next(xt_rng *r);
double xt_uniform(xt_rng *r); /* [0, 1) with 53 random bits */
/* Probabilities in [0, 1] that exercise every region: uniform, log-uniform
 * down to the subnormals, 1 - tiny, and the special values 0, 1, the
 * smallest normal and subnormal, 1 - ulp, 0.5 and its neighbours. */
float xt_prob_f32(xt_rng *r);
double xt_prob_f64(xt_rng *r);
/* Targets: a mix of hard 0/1 and soft values in [0, 1]. */
float xt_target_f32(xt_rng *r);
double xt_target_f64(xt_rng *r);
/* Positive weights (and an occasional 0). */
float xt_weight_f32(xt_rng *r);
double xt_weight_f64(xt_rng *r);

/* ---- memory ---------------------------------------------------------- */

/* 64-byte aligned allocation (aborts the test on failure), and free. */
void *xt_alloc(size_t bytes);
void xt_free(void *p);

/* Bit patterns used to fill outputs that must stay untouched. */
#define XT_SENTINEL_BITS32 0x7fc5a5a5u /* a quiet NaN with a payload */
#define XT_SENTINEL_BITS64 0x7ff8a5a5a5a5a5a5ull
void xt_fill_sentinel_f32(float *x, size_t n);
void xt_fill_sentinel_f64(double *x, size_t n);
int xt_is_sentinel_f32(const float *x, size_t n);
int xt_is_sentinel_f64(const double *x, size_t n);
double xt_sentinel_double(void);
int xt_same_bits_double(double a, double b);

/* ---- references and inputs of the losses on logits (long double) ----- */

/* log_sigmoid(z) = min(z, 0) - log1p(exp(-|z|)) and sigmoid(z), for every z. */
long double xt_ref_log_sigmoid(long double z);
long double xt_ref_sigmoid(long double z);
/* Finite logits that exercise every region: mostly moderate (|z| <= 8),
 * sometimes wide (|z| <= 100), tiny (down to 2^-30), and the edge values
 * 0, -0, +-0.5, +-1, +-17, +-30, +-88, +-100, +-745, +-1000 (each exactly
 * representable in float). */
float xt_logit_f32(xt_rng *r);
double xt_logit_f64(xt_rng *r);

#endif /* XT_H */
