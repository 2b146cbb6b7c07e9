/* Shared pieces of the accuracy evaluator (eval/accuracy.c and helpers). */
#ifndef XENT_EVAL_H
#define XENT_EVAL_H

#include <stddef.h>
#include <stdint.h>

#include <mpfr.h>

/* ---- exact summation ---------------------------------------------------
 * A fixed-point accumulator over the whole double range (2^-1074 ..
 * 2^1024) in 32-bit digits held in int64 limbs: adding a double is exact;
 * the value is read out through MPFR, exactly. */
#define EV_LIMBS 72
typedef struct ev_exact {
    int64_t limb[EV_LIMBS];
    uint64_t pending;
    int nonfinite;
} ev_exact;

void ev_exact_init(ev_exact *a);
void ev_exact_add(ev_exact *a, double x);
void ev_exact_add_ld(ev_exact *a, long double x); /* as two doubles, exactly */
void ev_exact_merge(ev_exact *a, const ev_exact *b);
/* The exact value into v (which must have >= 2400 bits to be exact; any
 * precision rounds once). */
void ev_exact_get(ev_exact *a, mpfr_t v);

#endif
