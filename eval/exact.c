/* Exact summation for the evaluator (see eval.h). */
#include "eval.h"

#include <math.h>
#include <string.h>

void ev_exact_init(ev_exact *a)
{
    memset(a, 0, sizeof *a);
}

static void ev_carry(ev_exact *a)
{
    for (int i = 0; i < EV_LIMBS - 1; i++) {
        int64_t c = a->limb[i] >> 32; /* arithmetic: floor division */
        a->limb[i] -= c * ((int64_t)1 << 32);
        a->limb[i + 1] += c;
    }
    a->pending = 0;
}

void ev_exact_add(ev_exact *a, double x)
{
    if (x == 0.0)
        return;
    if (!isfinite(x)) {
        a->nonfinite = 1;
        return;
    }
    uint64_t b;
    memcpy(&b, &x, sizeof b);
    int neg = (int)(b >> 63);
    int e = (int)((b >> 52) & 0x7ff);
    uint64_t m = b & 0xfffffffffffffull;
    if (e == 0)
        e = 1; /* subnormal */
    else
        m |= 1ull << 52;
    /* x = m * 2^(e - 1075); bit position of m's lsb above 2^-1074 */
    int pos = e - 1;
    int li = pos >> 5, sh = pos & 31;
    /* m << sh spans at most 85 bits: three 32-bit digits */
    uint64_t lo = (m << sh) & 0xffffffffull;
    uint64_t mid = (sh ? (m >> (32 - sh)) : (m >> 32)) & 0xffffffffull;
    uint64_t hi = sh ? (m >> (64 - sh)) : 0;
    if (sh == 0) {
        lo = m & 0xffffffffull;
        mid = (m >> 32) & 0xffffffffull;
        hi = 0;
    }
    int64_t s = neg ? -1 : 1;
    a->limb[li] += s * (int64_t)lo;
    a->limb[li + 1] += s * (int64_t)mid;
    a->limb[li + 2] += s * (int64_t)hi;
    if (++a->pending >= ((uint64_t)1 << 29))
        ev_carry(a);
}

void ev_exact_add_ld(ev_exact *a, long double x)
{
    double hi = (double)x;
    ev_exact_add(a, hi);
    ev_exact_add(a, (double)(x - (long double)hi));
}

void ev_exact_merge(ev_exact *a, const ev_exact *b)
{
    ev_carry(a);
    for (int i = 0; i < EV_LIMBS; i++)
        a->limb[i] += b->limb[i];
    a->nonfinite |= b->nonfinite;
    ev_carry(a);
}

void ev_exact_get(ev_exact *a, mpfr_t v)
{
    if (a->nonfinite) {
        mpfr_set_nan(v);
        return;
    }
    ev_carry(a);
    mpfr_t t, acc;
    mpfr_init2(t, 64);
    mpfr_init2(acc, 2600);
    mpfr_set_zero(acc, 1);
    for (int i = 0; i < EV_LIMBS; i++) {
        if (a->limb[i] == 0)
            continue;
        mpfr_set_si_2exp(t, (long)a->limb[i], 32 * i - 1074, MPFR_RNDN);
        mpfr_add(acc, acc, t, MPFR_RNDN);
    }
    mpfr_set(v, acc, MPFR_RNDN);
    mpfr_clear(t);
    mpfr_clear(acc);
}
