/* xent: SIMD cross-entropy kernels.
 *
 * Every public function returns an xent_status.  On error nothing the caller
 * asked for is written: the scalar result and the output arrays are left as
 * they were, and *bad_index (when not NULL) receives the first offending
 * element index (or (size_t)-1 when the error is not about one element).
 *
 * Reductions are returned as double and are compensated: the sum of the
 * per-element terms is accumulated in a fixed layout of 16 double-double
 * lanes, so every variant of one log backend returns bitwise identical
 * results.  The library never allocates, prints or aborts, and is
 * thread-safe (the active variant is a process-wide atomic setting).
 */
#ifndef XENT_H
#define XENT_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(_WIN32)
#define XENT_API
#else
#define XENT_API __attribute__((visibility("default")))
#endif

typedef enum xent_status {
    XENT_OK = 0,
    XENT_EINVAL = 1,        /* NULL where data is required, or a bad option value */
    XENT_EDOMAIN = 2,       /* an input outside its domain (p not in [0,1], NaN) */
    XENT_ETARGET = 3,       /* a target outside its range (checked targets) */
    XENT_EOVERFLOW = 4,     /* a size whose byte count overflows size_t */
    XENT_EUNSUPPORTED = 5,  /* unknown variant, or one this CPU cannot run */
    XENT_EZEROWEIGHT = 6    /* weights that sum to zero where they divide */
} xent_status;

typedef enum xent_reduction {
    XENT_REDUCTION_NONE = 0, /* per-element terms into out[] */
    XENT_REDUCTION_SUM = 1,  /* sum of terms into *result */
    XENT_REDUCTION_MEAN = 2  /* sum / n into *result (NaN for n = 0) */
} xent_reduction;

/* Flags for the binary cross-entropy functions. */
#define XENT_CHECK_TARGET 1u /* reject targets outside [0,1] or NaN (newer torch) */

/* A short English explanation of a status; never NULL. */
XENT_API const char *xent_strerror(xent_status status);

/* ---- variants --------------------------------------------------------
 * Names: "scalar", "avx2", "avx512", "neon", and each of them with the SLEEF
 * log backend: "scalar+sleef", "avx2+sleef", "avx512+sleef", "neon+sleef".
 * "auto" picks the fastest own-log variant the CPU supports.  The
 * environment variable XENT_VARIANT is read once, at the first call: an
 * unknown or unsupported name there makes every loss return
 * XENT_EUNSUPPORTED until xent_set_variant() is called (no silent fallback).
 */
XENT_API xent_status xent_set_variant(const char *name);
/* The active variant's name (a static string). */
XENT_API xent_status xent_get_variant(const char **name);
/* The names this CPU can run, fastest own-log first.  Writes at most cap
 * names and sets *count to the number supported (names may be NULL when
 * cap is 0, to ask for the count). */
XENT_API xent_status xent_list_variants(const char **names, size_t cap, size_t *count);

/* ---- binary cross-entropy on probabilities (torch binary_cross_entropy) --
 * l_i = -w_i * ( y_i * max(log p_i, -100) + (1 - y_i) * max(log(1 - p_i), -100) )
 * with log(1 - p) computed to log1p accuracy.
 *   input   p[n], each in [0,1] (else XENT_EDOMAIN, NaN included)
 *   target  y[n] (soft targets allowed; XENT_CHECK_TARGET rejects y outside [0,1])
 *   weight  w[n] or NULL
 *   reduction  NONE: out[n] required, result ignored (may be NULL)
 *              SUM / MEAN: *result required, out ignored (may be NULL)
 *   grad    NULL, or d(loss)/d(p) for a gradient output of 1 (ones for
 *           NONE): w * (p - y) / max(p * (1 - p), 1e-12), divided by n for MEAN
 *   bad_index  NULL, or where the first offending index is stored on error
 * Per-element terms are within 1 ulp of the exact value (own log backend).
 */
XENT_API xent_status xent_bce_f32(const float *input, const float *target,
                                  const float *weight, size_t n,
                                  xent_reduction reduction, unsigned flags,
                                  double *result, float *out, float *grad,
                                  size_t *bad_index);
XENT_API xent_status xent_bce_f64(const double *input, const double *target,
                                  const double *weight, size_t n,
                                  xent_reduction reduction, unsigned flags,
                                  double *result, double *out, double *grad,
                                  size_t *bad_index);

/* ---- math kernels (exposed for tests, evaluators and benchmarks) ------
 * out[i] = max(log(x[i]), -100) for x in [0, 1]; 0 gives -100.
 * out[i] = max(log(1 - x[i]), -100) for x in [0, 1], log1p accurate; 1 gives -100.
 * Inputs outside [0, 1] (NaN included) give XENT_EDOMAIN. */
XENT_API xent_status xent_log_clamped_f32(const float *x, size_t n, float *out, size_t *bad_index);
XENT_API xent_status xent_log_clamped_f64(const double *x, size_t n, double *out, size_t *bad_index);
XENT_API xent_status xent_log1m_clamped_f32(const float *x, size_t n, float *out, size_t *bad_index);
XENT_API xent_status xent_log1m_clamped_f64(const double *x, size_t n, double *out, size_t *bad_index);

/* Compensated sum of x[0..n) in the library's canonical layout. */
XENT_API xent_status xent_sum_f32(const float *x, size_t n, double *result);
XENT_API xent_status xent_sum_f64(const double *x, size_t n, double *result);

#ifdef __cplusplus
}
#endif

#endif /* XENT_H */
