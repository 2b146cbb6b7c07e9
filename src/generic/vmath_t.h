/* The clamped logs of one dtype, written once against the vector interface.
 * Included by vmath.h with the dtype macros set (see there).
 *
 *   OP(log_clamped)(x)      max(log x, -100), x in [0,1], 0 -> -100
 *   OP(log1m_clamped)(p)    max(log(1 - p), -100) to log1p accuracy, 1 -> -100
 *   OP(log_pick_clamped)(p, m)   log_clamped(p) where m, log1m_clamped(p)
 *                           elsewhere, for one log's price; bitwise equal
 *                           to the two above lane by lane.
 */

#ifndef XENT_BACKEND_SLEEF

/* x = 2^k * m, m in [sqrt(1/2), sqrt(2)): e = k, f = m - 1 (exact), and
 * s = 2^-k as computed from x's bits. */
static inline void OP(decompose)(VT x, VT *e, VT *f, VT *s)
{
    VT bias = OP(set1)(T_EXP_BIAS);
    MT tiny = OP(lt)(x, OP(set1)(T_MIN_NORMAL));
    if (MOP(any)(tiny)) { /* cold: subnormals and zeros (-0 made +0), scaled to normal */
        x = OP(sel)(tiny, OP(max)(OP(mul)(x, OP(set1)(T_SUB_SCALE)), OP(set1)(0)), x);
        bias = OP(sel)(tiny, OP(set1)(T_EXP_BIAS + T_SUB_SCALE_EXP), bias);
    }
    VIT ix = OP(as_i)(x);
    VIT tmp = IOP(sub)(ix, IOP(set1)(T_SQRTHALF_BITS));
    /* biased exponent of x / sqrt(1/2), non-negative for every x >= 0 */
    VIT kb = IOP(srl)(IOP(add)(tmp, IOP(set1)(T_ONE_BITS)), T_MANT_BITS);
    VIT iz = IOP(sub)(ix, IOP(and)(tmp, IOP(set1)(T_EXP_MASK)));
    /* small integer to float, exactly: plant it in 2^MANT's mantissa */
    VT kf = OP(sub)(I_AS_T(IOP(or)(kb, IOP(set1)(T_MAGIC_BITS))), OP(set1)(T_MAGIC));
    *e = OP(sub)(kf, bias);
    *f = OP(sub)(I_AS_T(iz), OP(set1)(1));
    *s = I_AS_T(IOP(sll)(IOP(sub)(IOP(set1)(T_TWO_BIAS), kb), T_MANT_BITS));
}

/* f for 1 - p given the s of fl(1 - p): s(1 - p) - 1 = m - 1 is exact
 * whenever 1 - p is (p >= 1/2); below, it is -p (s = 1) or 1 - 2p (s = 2),
 * both exact, so log(1 - p) keeps log1p accuracy for tiny p.  p = 1 gives
 * e = -150 (resp. -1077) and f = 0, which the clamp turns into -100. */
static inline VT OP(f1m)(VT p, VT s) { return OP(fma)(OP(sub)(OP(set1)(0), s), p, OP(sub)(s, OP(set1)(1))); }

static inline VT OP(clamp100)(VT l) { return OP(max)(l, OP(set1)(-100)); }

static inline VT OP(log_clamped)(VT x)
{
    VT e, f, s;
    OP(decompose)(x, &e, &f, &s);
    return OP(clamp100)(OP(log_core)(e, f));
}

static inline VT OP(log1m_clamped)(VT p)
{
    VT e, f, s;
    OP(decompose)(OP(sub)(OP(set1)(1), p), &e, &f, &s);
    return OP(clamp100)(OP(log_core)(e, OP(f1m)(p, s)));
}

static inline VT OP(log_pick_clamped)(VT p, MT use_p)
{
    VT e, f, s;
    OP(decompose)(OP(sel)(use_p, p, OP(sub)(OP(set1)(1), p)), &e, &f, &s);
    return OP(clamp100)(OP(log_core)(e, OP(sel)(use_p, f, OP(f1m)(p, s))));
}

#else /* SLEEF backend: SLEEF's deterministic finz u10 log and log1p */

static inline VT OP(log_clamped)(VT x) { return OP(max)(OP(sleef_log)(x), OP(set1)(-100)); }
static inline VT OP(log1m_clamped)(VT p)
{
    return OP(max)(OP(sleef_log1p)(OP(sub)(OP(set1)(0), p)), OP(set1)(-100));
}

#endif
