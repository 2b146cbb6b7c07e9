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

/* e^x 2^s for -746 < x <= 0 and 0 <= s <= 1000 (0 below): the terms of a
 * sum that would fall into float64's subnormals, kept in range. */
static inline dd dd_exp_scaled(dd x, int s)
{
    if (!(x.h > -746)) return (dd){0, 0};
    double k;
    const dd e = dd_add_d(dd_expm1_reduced(x, &k), 1);
    const int ki = (int)k + s;
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

/* ---- triple-double (about 2^-150): the float64 rows that cancel past
 * what double-double resolves (results below ~2^-40 |M|) ---------------- */
typedef struct td {
    double h, m, l;
} td;

static inline td td_renorm(double a, double b, double c)
{
    dd s = dd_fast_two_sum(b, c);
    const dd t = dd_two_sum(a, s.h);
    s = dd_two_sum(t.l, s.l);
    const dd u = dd_fast_two_sum(t.h, s.h);
    const dd v = dd_fast_two_sum(u.l, s.l);
    return (td){u.h, v.h, v.l};
}

static inline td td_add(td a, td b)
{
    const dd s0 = dd_two_sum(a.h, b.h), s1 = dd_two_sum(a.m, b.m);
    const dd t1 = dd_two_sum(s1.h, s0.l);
    return td_renorm(s0.h, t1.h, (a.l + b.l) + (s1.l + t1.l));
}

static inline td td_add_d(td a, double b) { return td_add(a, (td){b, 0, 0}); }
static inline td td_neg(td a) { return (td){-a.h, -a.m, -a.l}; }

static inline td td_mul(td a, td b)
{
    const double p0 = a.h * b.h, e0 = fma(a.h, b.h, -p0);
    const double p1 = a.h * b.m, e1 = fma(a.h, b.m, -p1);
    const double p2 = a.m * b.h, e2 = fma(a.m, b.h, -p2);
    const dd m1 = dd_two_sum(p1, p2), m2 = dd_two_sum(m1.h, e0);
    const double low = ((a.h * b.l + a.l * b.h) + a.m * b.m) + ((e1 + e2) + (m1.l + m2.l));
    return td_renorm(p0, m2.h, low);
}

static inline td td_scale(td a, int k) { return (td){dd_scale(a.h, k), dd_scale(a.m, k), dd_scale(a.l, k)}; }

/* As dd_expm1_reduced: x = k ln2 + 2^10 r, |r| <= 2^-11.5, Taylor to degree
 * 11, ten doublings. */
static inline td td_expm1_reduced(td x, double *k)
{
    static const td ln2 = {0x1.62e42fefa39efp-1, 0x1.abc9e3b39803fp-56, 0x1.7b57a079a1934p-111};
    static const td inv_fact[12] = {
        {0x1p+0, 0, 0},
        {0x1p+0, 0, 0},
        {0x1p-1, 0, 0},
        {0x1.5555555555555p-3, 0x1.5555555555555p-57, 0x1.5555555555555p-111},
        {0x1.5555555555555p-5, 0x1.5555555555555p-59, 0x1.5555555555555p-113},
        {0x1.1111111111111p-7, 0x1.1111111111111p-63, 0x1.1111111111111p-119},
        {0x1.6c16c16c16c17p-10, -0x1.f49f49f49f49fp-65, -0x1.27d27d27d27d2p-119},
        {0x1.a01a01a01a01ap-13, 0x1.a01a01a01a01ap-73, 0x1.a01a01a01a01ap-133},
        {0x1.a01a01a01a01ap-16, 0x1.a01a01a01a01ap-76, 0x1.a01a01a01a01ap-136},
        {0x1.71de3a556c734p-19, -0x1.c154f8ddc6c00p-73, 0x1.71de3a556c734p-127},
        {0x1.27e4fb7789f5cp-22, 0x1.cbbc05b4fa99ap-76, -0x1.c6d278883e8f5p-132},
        {0x1.ae64567f544e4p-26, -0x1.c062e06d1f209p-80, 0x1.c7880adcbc46ep-136},
    };
    const double shift = 0x1.8p52;
    const double kk = (x.h * 0x1.71547652b82fep+0 + shift) - shift;
    td r = td_add(x, td_neg(td_mul(ln2, (td){kk, 0, 0})));
    r.h *= 0x1p-10, r.m *= 0x1p-10, r.l *= 0x1p-10;
    td p = inv_fact[11];
    for (int n = 10; n >= 1; n--) p = td_add(td_mul(p, r), inv_fact[n]);
    p = td_mul(p, r);
    for (int i = 0; i < 10; i++) p = td_mul(p, td_add_d(p, 2));
    *k = kk;
    return p;
}

static inline td td_exp(td x) /* x <= 0 */
{
    if (!(x.h > -746)) return (td){0, 0, 0};
    double k;
    const td e = td_add_d(td_expm1_reduced(x, &k), 1);
    return td_scale(e, (int)k);
}

static inline td td_expm1(td x)
{
    double k;
    const td em = td_expm1_reduced(x, &k);
    if (k == 0) return em;
    return td_add_d(td_scale(td_add_d(em, 1), (int)k), -1);
}

/* One Newton step for log1p(s): from a guess good to 2^-e, about
 * 2^-min(2e, e + 52) (the correction's quotient is taken in double). */
static inline td td_log1p_refine(td s, td y)
{
    const td em = td_expm1(y);
    const td d = td_add(em, td_neg(s));
    return td_add_d(y, -(d.h / (1 + em.h)));
}

#endif
