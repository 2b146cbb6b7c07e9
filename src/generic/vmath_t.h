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

/* ---- exp ------------------------------------------------------------------
 * x = k ln2 + r, |r| <= ln2/2 (k by the round-to-nearest magic add, r by
 * fma with ln2 split in two, keeping the split's rounding error rr_e);
 * e^x = 2^k (y + ylo) with y = fl(1 + q), ylo its rounding error, and 2^k
 * applied as two normal factors, so overflow gives inf and underflow rounds
 * once into the subnormals.  Clamping x first keeps k in range; NaN passes
 * the clamps (compares are false) and propagates. */
static inline VT OP(exp_hl)(VT x, VT *lo)
{
    x = OP(sel)(OP(lt)(x, OP(set1)(T_EXP_LO)), OP(set1)(T_EXP_LO), x);
    x = OP(sel)(OP(lt)(OP(set1)(T_EXP_HI), x), OP(set1)(T_EXP_HI), x);
    VT t = OP(fma)(x, OP(set1)(T_LOG2E), OP(set1)(T_RND_MAGIC));
    VT kf = OP(sub)(t, OP(set1)(T_RND_MAGIC));
    VT rh = OP(fma)(kf, OP(set1)(-T_LN2_HI), x); /* exact */
    VT rl = OP(mul)(kf, OP(set1)(T_LN2_LO));
    VT r = OP(sub)(rh, rl);
    VT re = OP(sub)(OP(sub)(rh, r), rl);        /* r + re = rh - rl, nearly */
    /* q = r + r^2 P as qh + ql (Fast2Sum: |r| >= |r^2 P|), with re (1 + q) */
    VT p2 = OP(mul)(OP(exp_P)(r), OP(mul)(r, r));
    VT qh = OP(add)(r, p2);
    VT ql = OP(add)(OP(add)(OP(sub)(r, qh), p2), OP(fma)(re, qh, re));
    VT y = OP(add)(OP(set1)(1), qh);
    VT ylo = OP(add)(OP(add)(OP(sub)(OP(set1)(1), y), qh), ql); /* Fast2Sum: |qh| < 1 */
    VIT kpos = IOP(sub)(OP(as_i)(t), IOP(set1)(T_RND_MAGIC_BITS - T_K_OFF));
    VIT h = IOP(srl)(kpos, 1);
    VT s1 = I_AS_T(IOP(sll)(IOP(sub)(h, IOP(set1)(1)), T_MANT_BITS));
    VT s2 = I_AS_T(IOP(sll)(IOP(sub)(IOP(sub)(kpos, h), IOP(set1)(1)), T_MANT_BITS));
    *lo = OP(mul)(OP(mul)(ylo, s1), s2);
    return OP(mul)(OP(mul)(y, s1), s2);
}

static inline VT OP(exp)(VT x)
{
    VT lo;
    return OP(exp_hl)(x, &lo);
}

/* e^(x + c) = e + *lo for T_EXPN_LO <= x <= 0 and |c| <= ulp(x) (the
 * rounding error of x as computed by the caller): one normal scale 2^k;
 * the rounding of 1 + q, of r = x - k ln2 and c are carried into *lo as
 * e (re + c).  Below T_EXPN_LO the caller takes exp_hl instead (x is
 * clamped here only to keep k in range).  NaN propagates. */
static inline VT OP(exp_neg_hl)(VT x, VT c, VT *lo)
{
    x = OP(max)(OP(set1)(T_EXPN_LO), x); /* keeps NaN */
    VT t = OP(fma)(x, OP(set1)(T_LOG2E), OP(set1)(T_RND_MAGIC));
    VT kf = OP(sub)(t, OP(set1)(T_RND_MAGIC));
    VT rh = OP(fma)(kf, OP(set1)(-T_LN2_HI), x); /* exact */
    VT rl = OP(mul)(kf, OP(set1)(T_LN2_LO));
    VT r = OP(sub)(rh, rl);
    VT re = OP(sub)(OP(sub)(rh, r), rl);
    VT p2 = OP(mul)(OP(exp_P)(r), OP(mul)(r, r));
    VT qh = OP(add)(r, p2);
    VT ql = OP(add)(OP(sub)(r, qh), p2); /* Fast2Sum: |r| >= |r^2 P| */
    VT y = OP(add)(OP(set1)(1), qh);
    VT ylo = OP(add)(OP(add)(OP(sub)(OP(set1)(1), y), qh), ql);
    VT s = I_AS_T(IOP(add)(IOP(sll)(OP(as_i)(t), T_MANT_BITS), IOP(set1)(T_ONE_BITS)));
    VT e = OP(mul)(y, s);
    *lo = OP(fma)(e, OP(add)(re, c), OP(mul)(ylo, s));
    return e;
}

/* log1p(u + ulo) for u in [0, 1], |ulo| <= ulp(u), as a pair hi + *tail:
 * x1 = fl(1 + u) has an exact decomposition, and its rounding error (plus
 * ulo) goes into the tail as err / x1 = err s / (1 + f) ~ err s (1 - f). */
static inline VT OP(log1p01)(VT u, VT ulo, VT *tail)
{
    VT x1 = OP(add)(OP(set1)(1), u);
    VT err = OP(add)(OP(sub)(u, OP(sub)(x1, OP(set1)(1))), ulo);
    VT e, f, s;
    OP(decompose)(x1, &e, &f, &s);
    VT es = OP(mul)(err, s), gt;
    /* err / x1 = es / (1 + f) ~ es (1 - f + f^2): the f^3 left is < 0.1 ulp */
    VT g = OP(log_pair)(e, f, OP(fma)(OP(fma)(f, f, OP(sub)(OP(set1)(0), f)), es, es), &gt);
    /* tiny u: u + (ulo + u^2 (u/3 - 1/2)) directly, where x1's rounding
     * error would be as large as the result */
    MT small = OP(lt)(u, OP(set1)(T_LOG1P_SMALL));
    VT st = OP(add)(ulo, OP(mul)(OP(mul)(u, u), OP(fma)(u, OP(set1)((T)(1.0 / 3)), OP(set1)(-0.5))));
    *tail = OP(sel)(small, st, gt);
    return OP(sel)(small, u, g);
}

/* log x for x >= 0 (0 gives -inf; inf and NaN are returned as they are). */
static inline VT OP(log_pos)(VT x)
{
    VT e, f, s;
    OP(decompose)(x, &e, &f, &s);
    VT r = OP(sel)(OP(lt)(x, OP(set1)(T_INF)), OP(log_core)(e, f), x);
    return OP(sel)(OP(eq)(x, OP(set1)(0)), OP(set1)(-T_INF), r);
}

#else /* SLEEF backend: SLEEF's deterministic finz u10 log and log1p */

static inline VT OP(log_clamped)(VT x) { return OP(max)(OP(sleef_log)(x), OP(set1)(-100)); }
static inline VT OP(log1m_clamped)(VT p)
{
    return OP(max)(OP(sleef_log1p)(OP(sub)(OP(set1)(0), p)), OP(set1)(-100));
}

static inline VT OP(exp)(VT x) { return OP(sleef_exp)(x); }
static inline VT OP(exp_hl)(VT x, VT *lo)
{
    *lo = OP(set1)(0);
    return OP(sleef_exp)(x);
}
static inline VT OP(exp_neg_hl)(VT x, VT c, VT *lo)
{
    VT e = OP(sleef_exp)(x);
    *lo = OP(mul)(e, c);
    return e;
}
static inline VT OP(log1p01)(VT u, VT ulo, VT *tail)
{
    (void)ulo;
    *tail = OP(set1)(0);
    return OP(sleef_log1p)(u);
}
static inline VT OP(log_pos)(VT x) { return OP(sleef_log)(x); }

#endif

/* -|x| and min(x, 0), NaN kept by the first, 0 by the second. */
static inline VT OP(neg_abs)(VT x)
{
    VT nx = OP(sub)(OP(set1)(0), x);
    return OP(sel)(OP(lt)(x, nx), x, nx);
}
static inline VT OP(min0)(VT x) { return OP(sel)(OP(lt)(x, OP(set1)(0)), x, OP(set1)(0)); }

/* r where s is finite, else s (TwoSum's error part is NaN next to inf). */
static inline VT OP(finite_or)(VT s, VT r) { return OP(sel)(OP(eq)(OP(sub)(s, s), OP(set1)(0)), r, s); }

/* NaN lanes as the one canonical quiet NaN (sign and payload otherwise
 * follow operand order, which differs between ISAs and compilers). */
static inline VT OP(canon)(VT x) { return OP(sel)(OP(eq)(x, x), x, OP(set1)(__builtin_nan(""))); }

/* TwoSum: a + b = s + *e exactly. */
static inline VT OP(two_sum)(VT a, VT b, VT *e)
{
    VT s = OP(add)(a, b), bp = OP(sub)(s, a);
    *e = OP(add)(OP(sub)(a, OP(sub)(s, bp)), OP(sub)(b, bp));
    return s;
}

/* log1p(exp(-|x|)) >= 0 as a pair hi + *tail: the softplus tail of
 * log_sigmoid and of BCE on logits; *u receives exp(-|x|). */
static inline VT OP(softplus_tail)(VT x, VT *u, VT *tail)
{
    VT lo;
    *u = OP(exp_hl)(OP(neg_abs)(x), &lo);
    return OP(log1p01)(*u, lo, tail);
}

/* log_sigmoid(x) = min(x, 0) - log1p(exp(-|x|)), one rounding of the pair
 * sum; NaN propagates. */
static inline VT OP(log_sigmoid)(VT x)
{
    VT u, lt, e;
    VT L = OP(softplus_tail)(x, &u, &lt);
    VT s = OP(two_sum)(OP(min0)(x), OP(sub)(OP(set1)(0), L), &e);
    VT r = OP(finite_or)(s, OP(add)(s, OP(sub)(e, lt)));
    return OP(canon)(OP(sel)(OP(eq)(x, x), r, x));
}

static inline VT OP(exp_canon)(VT x) { return OP(canon)(OP(exp)(x)); }
