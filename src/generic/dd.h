/* Scalar double-double arithmetic (about 2^-104 relative) for the rare
 * slow paths whose result cancels: only +, -, *, / and fma, each correctly
 * rounded, so every ISA gets the same bits. */
#ifndef XENT_GENERIC_DD_H
#define XENT_GENERIC_DD_H

#include <math.h>
#include <stdint.h>
#include <string.h>

typedef struct dd {
    double h, l;
} dd;

static inline dd dd_two_sum(double a, double b)
{
    const double s = a + b, bp = s - a;
    return (dd){s, (a - (s - bp)) + (b - bp)};
}

static inline dd dd_fast_two_sum(double a, double b) /* |a| >= |b| or a = 0 */
{
    const double s = a + b;
    return (dd){s, b - (s - a)};
}

static inline dd dd_add(dd a, dd b)
{
    dd s = dd_two_sum(a.h, b.h);
    const dd t = dd_two_sum(a.l, b.l);
    s = dd_fast_two_sum(s.h, s.l + t.h);
    return dd_fast_two_sum(s.h, s.l + t.l);
}

static inline dd dd_add_d(dd a, double b)
{
    const dd s = dd_two_sum(a.h, b);
    return dd_fast_two_sum(s.h, s.l + a.l);
}

static inline dd dd_neg(dd a) { return (dd){-a.h, -a.l}; }

static inline dd dd_mul(dd a, dd b)
{
    const double p = a.h * b.h, e = fma(a.h, b.h, -p);
    return dd_fast_two_sum(p, e + (a.h * b.l + a.l * b.h));
}

static inline dd dd_mul_d(dd a, double b)
{
    const double p = a.h * b, e = fma(a.h, b, -p);
    return dd_fast_two_sum(p, e + a.l * b);
}

/* a 2^k for |k| <= 1100 in two exact steps (ldexp may set errno). */
static inline double dd_scale(double a, int k)
{
    const int k1 = k / 2, k2 = k - k1;
    const uint64_t b1 = (uint64_t)(k1 + 1023) << 52, b2 = (uint64_t)(k2 + 1023) << 52;
    double p1, p2;
    memcpy(&p1, &b1, 8);
    memcpy(&p2, &b2, 8);
    return a * p1 * p2;
}

/* x = k ln2 + 2^8 r with |r| <= 2^-9.5; returns expm1(r 2^8) before the
 * 2^k, by a degree-10 Taylor polynomial at r and eight doublings
 * e^2a - 1 = (e^a - 1)(e^a + 1), which keep the relative error. */
static inline dd dd_expm1_reduced(dd x, double *k)
{
    static const double ln2[3] = {0x1.62e42fefa39efp-1, 0x1.abc9e3b39803fp-56, 0x1.7b57a079a1934p-111};
    static const dd inv_fact[11] = {
        {1, 0},
        {1, 0},
        {0x1p-1, 0},
        {0x1.5555555555555p-3, 0x1.5555555555555p-57},
        {0x1.5555555555555p-5, 0x1.5555555555555p-59},
        {0x1.1111111111111p-7, 0x1.1111111111111p-63},
        {0x1.6c16c16c16c17p-10, -0x1.f49f49f49f49fp-65},
        {0x1.a01a01a01a01ap-13, 0x1.a01a01a01a01ap-73},
        {0x1.a01a01a01a01ap-16, 0x1.a01a01a01a01ap-76},
        {0x1.71de3a556c734p-19, -0x1.c154f8ddc6c00p-73},
        {0x1.27e4fb7789f5cp-22, 0x1.cbbc05b4fa99ap-76},
    };
    const double shift = 0x1.8p52;
    const double kk = (x.h * 0x1.71547652b82fep+0 + shift) - shift; /* round to nearest */
    dd r = dd_add(x, dd_neg(dd_mul_d((dd){ln2[0], ln2[1]}, kk)));
    r = dd_add_d(r, -kk * ln2[2]);
    r.h *= 0x1p-8, r.l *= 0x1p-8;
    dd p = inv_fact[10];
    for (int n = 9; n >= 1; n--) p = dd_add(dd_mul(p, r), inv_fact[n]);
    p = dd_mul(p, r);
    for (int i = 0; i < 8; i++) p = dd_mul(p, dd_add_d(p, 2));
    *k = kk;
    return p;
}

/* e^x for x <= 0 (0 below the float64 range). */
static inline dd dd_exp(dd x)
{
    if (!(x.h > -746)) return (dd){0, 0};
    double k;
    const dd e = dd_add_d(dd_expm1_reduced(x, &k), 1);
    const int ki = (int)k;
    return (dd){dd_scale(e.h, ki), dd_scale(e.l, ki)};
}

/* e^x - 1 for |x| <= 700, relative accuracy kept near 0. */
static inline dd dd_expm1(dd x)
{
    double k;
    const dd em = dd_expm1_reduced(x, &k);
    if (k == 0) return em;
    const dd e = dd_add_d(em, 1);
    const int ki = (int)k;
    return dd_add_d((dd){dd_scale(e.h, ki), dd_scale(e.l, ki)}, -1);
}

/* log1p(s) for s >= 0 from a guess y good to 2^-20 or better: two Newton
 * steps y -= (e^y - 1 - s) / e^y square the relative error twice. */
static inline dd dd_log1p_refine(dd s, dd y)
{
    for (int i = 0; i < 2; i++) {
        const dd em = dd_expm1(y);
        const dd d = dd_add(em, dd_neg(s));
        y = dd_add_d(y, -(d.h / (1 + em.h)));
    }
    return y;
}

#endif
