/* The losses beyond binary cross-entropy, for one dtype: BCE on logits
 * (elementwise, blocks as BCE), cross-entropy and NLL (row kernels over
 * the canonical 16 lanes of a row) and log-loss.  Included by
 * kernels_t.h, which defines BLK / NV / NVR. */

/* ---- binary cross-entropy on logits ---------------------------------------
 * l = w ((1 - y) z - a log_sigmoid(z)), a = 1 + (pw - 1) y, evaluated as
 * w (((1 - y) z - a min(z, 0)) + a log1p(e^-|z|)): for hard targets the
 * first part is max(z, 0) or -pw min(z, 0) exactly, so nothing cancels.
 * Gradient (torch's order): w ((pw y + 1 - y) sigmoid(z) - pw y) / n. */
static inline __attribute__((always_inline)) void
FN(bcel_block)(const T *z, const T *y, const T *w, const T *pw, T *out, T *grad, T grad_div,
               vacc *acc, const int want_out, const int want_grad)
{
    VT one = OP(set1)(1), tv[NV];
    XENT_UNROLL for (int u = 0; u < NV; u++) {
        VT zv = OP(load)(z + u * TN), yv = OP(load)(y + u * TN), ex, Lt, e, t;
        VT L = OP(softplus_tail)(zv, &ex, &Lt);
        VT pwv = pw ? OP(load)(pw + u * TN) : one;
        VT py = pw ? OP(mul)(pwv, yv) : yv;
        /* (1 - y) z - a min(z, 0) is -pw y z below 0 and (1 - y) z above:
         * no cancellation, and exact for hard targets */
        VT B = OP(sel)(OP(lt)(zv, OP(set1)(0)), OP(mul)(OP(sub)(OP(set1)(0), py), zv),
                       OP(mul)(OP(sub)(one, yv), zv));
        if (pw) {
            VT a = OP(add)(OP(sub)(one, yv), py); /* 1 + (pw - 1) y, without its cancellation */
            VT aL = OP(mul)(a, L), aLe = OP(fma)(a, L, OP(sub)(OP(set1)(0), aL)); /* a L = aL + aLe */
            VT s = OP(two_sum)(B, aL, &e);
            t = OP(finite_or)(s, OP(add)(s, OP(add)(e, OP(fma)(a, Lt, aLe))));
        } else {
            VT s = OP(two_sum)(B, L, &e);
            t = OP(finite_or)(s, OP(add)(s, OP(add)(e, Lt)));
        }
        VT wv = one;
        if (w) {
            wv = OP(load)(w + u * TN);
            t = OP(mul)(t, wv);
        }
        if (want_out) OP(store)(out + u * TN, OP(canon)(t));
        tv[u] = t;
        if (want_grad) {
            /* sigmoid(z) = 1 / (1 + e^-z) for z >= 0, e^z / (1 + e^z) below */
            VT sg = OP(div)(OP(sel)(OP(lt)(zv, OP(set1)(0)), ex, one), OP(add)(one, ex));
            VT g = pw ? OP(sub)(OP(mul)(OP(sub)(OP(add)(py, one), yv), sg), py) : OP(sub)(sg, yv);
            if (w) g = OP(mul)(g, wv);
            if (grad_div != 0) g = OP(div)(g, OP(set1)(grad_div));
            OP(store)(grad + u * TN, OP(canon)(g));
        }
    }
    if (!want_out) FN(acc_block)(acc, tv, 1);
}

/* pos_weight of the block's elements (class (i + j) mod k): a pointer into
 * pw when the block does not wrap, else a copy. */
static inline const T *FN(pw_block)(const T *pw, size_t k, size_t *cls, size_t cnt, T *buf)
{
    const T *r;
    if (*cls + cnt <= k) {
        r = pw + *cls;
        *cls += cnt;
    } else {
        for (size_t j = 0; j < cnt; j++) {
            buf[j] = pw[*cls];
            if (++*cls == k) *cls = 0;
        }
        r = buf;
    }
    if (*cls == k) *cls = 0;
    return r;
}

static inline __attribute__((always_inline)) void
FN(bcel_loop)(const FN(xent_bcel_args) *a, xent_acc *acc_io, const int want_out, const int want_grad)
{
    vacc acc;
    vacc_load(&acc, acc_io);
    const size_t n = a->n, nb = n - n % BLK;
    size_t i = 0, cls = 0;
    T pwb[BLK];
    for (; i < nb; i += BLK) {
        const T *pwp = a->pw ? FN(pw_block)(a->pw, a->k, &cls, BLK, pwb) : NULL;
        FN(bcel_block)(a->z + i, a->y + i, a->w ? a->w + i : NULL, pwp, want_out ? a->out + i : NULL,
                       want_grad ? a->grad + i : NULL, a->grad_div, &acc, want_out, want_grad);
    }
    if (i < n) {
        /* padding z = T_MAXV, y = w = pw = 1 gives a term of +0 (exp underflows to 0) */
        const size_t rem = n - i;
        T zb[BLK], yb[BLK], wb[BLK], ob[BLK], gb[BLK];
        const T *pwp = a->pw ? FN(pw_block)(a->pw, a->k, &cls, rem, pwb) : NULL;
        if (pwp && pwp != pwb)
            for (size_t j = 0; j < rem; j++) pwb[j] = pwp[j];
        for (size_t j = 0; j < BLK; j++) {
            zb[j] = j < rem ? a->z[i + j] : T_MAXV;
            yb[j] = j < rem ? a->y[i + j] : 1;
            wb[j] = (a->w && j < rem) ? a->w[i + j] : 1;
            if (j >= rem) pwb[j] = 1;
        }
        FN(bcel_block)(zb, yb, a->w ? wb : NULL, a->pw ? pwb : NULL, ob, gb, a->grad_div, &acc,
                       want_out, want_grad);
        for (size_t j = 0; j < rem; j++) {
            if (want_out) a->out[i + j] = ob[j];
            if (want_grad) a->grad[i + j] = gb[j];
        }
    }
    if (!want_out) vacc_store(&acc, acc_io);
}

static void FN(bcel)(const FN(xent_bcel_args) *a, xent_acc *acc)
{
    switch ((a->out != NULL) | (a->grad != NULL) << 1) {
    case 0: FN(bcel_loop)(a, acc, 0, 0); break;
    case 1: FN(bcel_loop)(a, acc, 1, 0); break;
    case 2: FN(bcel_loop)(a, acc, 0, 1); break;
    default: FN(bcel_loop)(a, acc, 1, 1); break;
    }
}

/* ---- rows: online max and sum of exponentials ---------------------------
 * Element c of a row goes to lane c mod 16.  Lane j keeps its running max
 * m_j and r_j = sum exp(z - m_j) in double; when a lane's max grows, r_j is
 * rescaled by exp(m_old - m_new) (rare after the first few steps).  At the
 * end M = max m_j and S = sum r_j exp(m_j - M) (fixed pairwise order), so
 * logsumexp = M + log S with S >= 1.  The max starts at -T_MAXV, so -inf
 * logits add nothing and NaN (never a new max) turns r into NaN. */
#ifndef XENT_ROW_MODES
#define XENT_ROW_MODES
enum { ROW_PLAIN = 0, ROW_SMOOTH = 1, ROW_PROB = 2 };
#endif

/* Lane j keeps its max m_j, the count cnt_j of elements equal to it (each
 * an exact e^0 = 1, kept out of the sum), and r_j + rl_j = the sum of
 * e^(z - m_j) over the others, each exponential with its low part.  The
 * sum S' = S - 1 of the row is then formed without a 1 in it, so that
 * log S = log1p(S') keeps full relative accuracy when the row's target is
 * its max and the other terms are tiny (a confident, correct row). */
typedef struct FN(row_state) {
    VT m[NVR], cnt[NVR], rlt[NVR]; /* rlt: the low parts of a stretch, in T, flushed into rl */
    VD r[NACC], rl[NACC], a1[NACC], a2[NACC]; /* a1 = sum w z (SMOOTH) or sum w y' (PROB); a2 = sum w y' z */
} FN(row_state);

/* e^(z - m) + *lo for z <= m, with the rounding error of z - m (TwoSum)
 * carried into the low part; 0 where z = m is flagged in *one instead.
 * Lanes below T_EXPN_LO (rare: tiny terms, -inf, padding) take exp_hl's
 * two-step scale; every other lane computes the same whatever its
 * neighbours, so the branch cannot change a result. */
static inline __attribute__((always_inline)) VT FN(exp_diff)(VT z, VT m, VT *lo, MT *one, VT *xho,
                                                            VT *xlo, int *wide)
{
    VT xh = OP(sub)(z, m), bp = OP(sub)(xh, z);
    VT xl = OP(add)(OP(sub)(z, OP(sub)(xh, bp)), OP(sub)(OP(sub)(OP(set1)(0), m), bp));
    *xho = xh, *xlo = xl;
    VT el, e = OP(exp_neg_hl)(xh, xl, &el);
    const MT tiny = OP(lt)(xh, OP(set1)(T_EXPN_LO));
    if (MOP(any)(tiny)) {
        VT el2, e2 = OP(exp_hl)(xh, &el2);
        el2 = OP(fma)(e2, xl, el2);
        e = OP(sel)(tiny, e2, e);
        el = OP(sel)(tiny, el2, el);
    }
    *one = OP(eq)(xh, OP(set1)(0)); /* inf - inf is NaN: stays in the sum */
    /* -inf (xl NaN) adds an exact 0 */
    MT zero = MOP(or)(*one, OP(lt)(xh, OP(set1)(T_EXP_LO)));
    *wide = 0;
#if T_HAS_WIDE
    const MT w = OP(lt)(xh, OP(set1)(T_WIDE_LO)); /* the caller adds these lanes in double */
    if (MOP(any)(w)) {
        *wide = 1;
        zero = MOP(or)(zero, w);
    }
#endif
    *lo = OP(sel)(zero, OP(set1)(0), el);
    return OP(sel)(zero, OP(set1)(0), e);
}

/* Adds a step's elements z to lane vector q. */
static inline __attribute__((always_inline)) void FN(lane_add)(FN(row_state) *st, int q, VT z)
{
    VT lo, xh, xl;
    MT one;
    int wide;
    VT e = FN(exp_diff)(z, st->m[q], &lo, &one, &xh, &xl, &wide);
    st->cnt[q] = OP(add)(st->cnt[q], OP(sel)(one, OP(set1)(1), OP(set1)(0)));
    FN(dl_add2)(st->r, st->rlt, q, e, lo);
#if T_HAS_WIDE
    if (wide) dl_addw_f32(st->r, q, xh, xl);
#endif
}

/* The stretch's low parts into the double lanes. */
static inline __attribute__((always_inline)) void FN(lane_flush)(FN(row_state) *st, int q)
{
    FN(dl_add)(st->rl, q, st->rlt[q]);
    st->rlt[q] = OP(set1)(0);
}

/* Lanes of vector q whose max rises to nm: their ones join the sum and
 * the sum is scaled by e^(m - nm); the other lanes are left exactly as
 * they are (scale 1 + 0). */
static inline __attribute__((always_inline)) void FN(lane_rescale)(FN(row_state) *st, int q, VT nm)
{
    FN(lane_flush)(st, q);
    const VT m = st->m[q];
    const MT up = OP(lt)(m, nm);
    VT lo, xh, xl;
    MT same;
    int wide;
    VT e = FN(exp_diff)(m, nm, &lo, &same, &xh, &xl, &wide);
    e = OP(sel)(up, e, OP(set1)(1));
    lo = OP(sel)(up, lo, OP(set1)(0));
    FN(dl_add2)(st->r, st->rlt, q, OP(sel)(up, st->cnt[q], OP(set1)(0)), OP(set1)(0));
    FN(lane_flush)(st, q);
    st->cnt[q] = OP(sel)(up, OP(set1)(0), st->cnt[q]);
#if T_HAS_WIDE
    if (wide) /* lanes not up have xh = m - nm = 0 (or NaN): not wide */
        dl_scalew_f32(st->r, st->rl, q, e, lo, xh, xl);
    else
#endif
        FN(dl_scale2)(st->r, st->rl, q, e, lo);
    st->m[q] = OP(sel)(up, nm, m);
}

/* A chunk of nsteps steps of 16 lanes at z (up to XENT_CHUNK steps, in
 * L1 once read): the lanes' maxima over the chunk first, one rescale of r
 * if any grew (exp(0) = 1 leaves the other lanes alone), then the sums.
 * Rescaling once a chunk instead of once a step keeps the branch rare. */
#define XENT_CHUNK 16
#define XENT_SHIFTED_SUMS (sizeof(T) == 8)
static inline __attribute__((always_inline)) void
FN(row_sums)(FN(row_state) *st, const T *z, const T *w, const T *y, size_t nsteps, VT keep, VT epsk,
             const int mode, VT shift);
static inline __attribute__((always_inline)) void
FN(row_chunk)(FN(row_state) *st, const T *z, const T *w, const T *y, size_t nsteps, VT keep, VT epsk,
              const int mode)
{
    VT cm[NVR];
    XENT_UNROLL for (int q = 0; q < NVR; q++) cm[q] = st->m[q];
    for (size_t s = 0; s < nsteps; s++)
        XENT_UNROLL for (int q = 0; q < NVR; q++)
            cm[q] = OP(max)(OP(load)(z + s * XENT_LANES + q * TN), cm[q]); /* NaN never wins */
    int grow = 0;
    XENT_UNROLL for (int q = 0; q < NVR; q++) grow |= MOP(any)(OP(lt)(st->m[q], cm[q]));
    if (grow)
        XENT_UNROLL for (int q = 0; q < NVR; q++) FN(lane_rescale)(st, q, cm[q]);
    for (size_t s = 0; s < nsteps; s++)
        XENT_UNROLL for (int q = 0; q < NVR; q++) FN(lane_add)(st, q, OP(load)(z + s * XENT_LANES + q * TN));
    if (mode == ROW_PLAIN || XENT_SHIFTED_SUMS) return;
    FN(row_sums)(st, z, w, y, nsteps, keep, epsk, mode, OP(set1)(0));
}

/* The smoothing / probability sums of a chunk with z replaced by z - shift
 * (float64: shift = the row's max, in a second pass, so that the sums do
 * not cancel against M; float32: no shift, as the products are exact in
 * double and the double sums' cancellation is far below float32's
 * rounding). */
static inline __attribute__((always_inline)) void
FN(row_sums)(FN(row_state) *st, const T *z, const T *w, const T *y, size_t nsteps, VT keep, VT epsk,
             const int mode, VT shift)
{
    for (size_t s = 0; s < nsteps; s++) {
        const T *zs = z + s * XENT_LANES;
        XENT_UNROLL for (int q = 0; q < NVR; q++) {
            VT zv = OP(load)(zs + q * TN);
            if (XENT_SHIFTED_SUMS) zv = OP(sub)(zv, shift);
            if (mode == ROW_SMOOTH) {
                if (w) FN(dl_addprod)(st->a1, q, OP(load)(w + s * XENT_LANES + q * TN), zv);
                else FN(dl_add)(st->a1, q, zv);
            } else if (mode == ROW_PROB) {
                /* torch: y (1 - eps) + eps / k, times w */
                VT wy = OP(add)(OP(mul)(OP(load)(y + s * XENT_LANES + q * TN), keep), epsk);
                if (w) wy = OP(mul)(wy, OP(load)(w + s * XENT_LANES + q * TN));
                FN(dl_add)(st->a1, q, wy);
                FN(dl_addprod)(st->a2, q, wy, zv);
            }
        }
    }
}

/* One row: M, S and the mode's sums. */
static inline __attribute__((always_inline)) void
FN(row_scan)(const T *z, const T *w, const T *y, size_t k, VT keep, VT epsk, const int mode,
             T *M, double *S, double *Slo, double *a1, double *a2)
{
    FN(row_state) st;
    XENT_UNROLL for (int q = 0; q < NVR; q++)
        st.m[q] = OP(set1)(-T_MAXV), st.cnt[q] = st.rlt[q] = OP(set1)(0);
    XENT_UNROLL for (int j = 0; j < NACC; j++) st.r[j] = st.rl[j] = st.a1[j] = st.a2[j] = vd_set1(0);
    const size_t full = k / XENT_LANES;
    size_t c = 0;
    for (size_t s = 0; s < full; s += XENT_CHUNK) {
        const size_t ns = full - s < XENT_CHUNK ? full - s : XENT_CHUNK;
        FN(row_chunk)(&st, z + c, w ? w + c : NULL, y ? y + c : NULL, ns, keep, epsk, mode);
        c += ns * XENT_LANES;
    }
    if (c < k) {
        /* padding: z = -T_MAXV (an exact 0 in the sum, as e^(z - m) is
         * below T_EXP_LO, and finite for the w z sums), w = 0 (or 1 on
         * real lanes without weights), y = 0 */
        T zb[XENT_LANES], wb[XENT_LANES], yb[XENT_LANES];
        for (size_t j = 0; j < XENT_LANES; j++) {
            const int in = c + j < k;
            zb[j] = in ? z[c + j] : -T_MAXV;
            wb[j] = in ? (w ? w[c + j] : 1) : 0;
            yb[j] = in && y ? y[c + j] : 0;
        }
        FN(row_chunk)(&st, zb, mode == ROW_PLAIN ? NULL : wb, yb, 1, keep, epsk, mode);
    }
    T mb[XENT_LANES];
    XENT_UNROLL for (int q = 0; q < NVR; q++) OP(store)(mb + q * TN, st.m[q]);
    T mx = mb[0];
    for (int j = 1; j < XENT_LANES; j++) mx = mb[j] > mx ? mb[j] : mx;
    if (mode != ROW_PLAIN && XENT_SHIFTED_SUMS) {
        /* second pass: the sums of w (z - M) (padding z = M, w = 0, y = 0) */
        const VT Mv = OP(set1)(mx);
        for (c = 0; c + XENT_LANES <= k; c += XENT_LANES)
            FN(row_sums)(&st, z + c, w ? w + c : NULL, y ? y + c : NULL, 1, keep, epsk, mode, Mv);
        if (c < k) {
            T zb[XENT_LANES], wb[XENT_LANES], yb[XENT_LANES];
            for (size_t j = 0; j < XENT_LANES; j++) {
                const int in = c + j < k;
                zb[j] = in ? z[c + j] : mx;
                wb[j] = in ? (w ? w[c + j] : 1) : 0;
                yb[j] = in && y ? y[c + j] : 0;
            }
            FN(row_sums)(&st, zb, wb, yb, 1, keep, epsk, mode, Mv);
        }
    }
    /* every lane to the row's max; the ones left are those of lanes at M */
    XENT_UNROLL for (int q = 0; q < NVR; q++) FN(lane_rescale)(&st, q, OP(set1)(mx));
    T cb[XENT_LANES];
    XENT_UNROLL for (int q = 0; q < NVR; q++) OP(store)(cb + q * TN, st.cnt[q]);
    double ones, lo, ob[XENT_LANES]; /* small integers: exact in any order */
    for (int j = 0; j < XENT_LANES; j++) ob[j] = (double)cb[j];
    for (int w = 1; w < XENT_LANES; w *= 2)
        for (int j = 0; j < XENT_LANES; j += 2 * w) ob[j] += ob[j + w];
    ones = ob[0];
    *M = mx;
    const double hi = dl_sum2(st.r, st.rl, &lo), l2 = lo + (ones - 1);
    *S = hi + l2; /* S' as a pair */
    *Slo = (hi - *S) + l2;
    if (mode != ROW_PLAIN) *a1 = dl_sum(st.a1);
    if (mode == ROW_PROB) *a2 = dl_sum(st.a2);
}

/* Rows of at most 16 elements, 16 rows at a time with the rows in the
 * lanes (row i of the group in lane i): the group is transposed into a
 * buffer, then M, S and the mode's sums run down the columns, each row's
 * sum in column order.  Chosen by k alone, so every ISA takes the same path. */
static inline __attribute__((always_inline)) void
FN(rows_small)(const T *z, size_t ld, const T *w, const T *y, size_t ldy, size_t k, int cnt, VT keep,
               VT epsk, const int mode, T *M, double *S, double *Slo, double *A1, double *A2)
{
    T zt[XENT_LANES * XENT_LANES], yt[XENT_LANES * XENT_LANES];
    for (size_t c = 0; c < k; c++)
        for (int j = 0; j < XENT_LANES; j++) {
            zt[c * XENT_LANES + j] = j < cnt ? z[j * ld + c] : 0;
            if (mode == ROW_PROB) yt[c * XENT_LANES + j] = j < cnt ? y[j * ldy + c] : 0;
        }
    FN(row_state) st;
    VT *m = st.m;
    VD *a1 = st.a1, *a2 = st.a2;
    XENT_UNROLL for (int q = 0; q < NVR; q++) m[q] = OP(set1)(-T_MAXV), st.cnt[q] = st.rlt[q] = OP(set1)(0);
    XENT_UNROLL for (int j = 0; j < NACC; j++) st.r[j] = st.rl[j] = a1[j] = a2[j] = vd_set1(0);
    for (size_t c = 0; c < k; c++)
        XENT_UNROLL for (int q = 0; q < NVR; q++) m[q] = OP(max)(OP(load)(zt + c * XENT_LANES + q * TN), m[q]);
    for (size_t c = 0; c < k; c++) {
        XENT_UNROLL for (int q = 0; q < NVR; q++) {
            VT zv = OP(load)(zt + c * XENT_LANES + q * TN);
            FN(lane_add)(&st, q, zv);
            if (XENT_SHIFTED_SUMS) zv = OP(sub)(zv, m[q]); /* the max is known: sums of w (z - M) */
            if (mode == ROW_SMOOTH) {
                if (w) FN(dl_addprod)(a1, q, OP(set1)(w[c]), zv);
                else FN(dl_add)(a1, q, zv);
            } else if (mode == ROW_PROB) {
                VT wy = OP(add)(OP(mul)(OP(load)(yt + c * XENT_LANES + q * TN), keep), epsk);
                if (w) wy = OP(mul)(wy, OP(set1)(w[c]));
                FN(dl_add)(a1, q, wy);
                FN(dl_addprod)(a2, q, wy, zv);
            }
        }
    }
    XENT_UNROLL for (int q = 0; q < NVR; q++) OP(store)(M + q * TN, m[q]), FN(lane_flush)(&st, q);
    T cb[XENT_LANES];
    double lo[XENT_LANES];
    XENT_UNROLL for (int q = 0; q < NVR; q++) OP(store)(cb + q * TN, st.cnt[q]);
    for (int j = 0; j < NACC; j++) {
        vd_store(S + j * VD_N, st.r[j]);
        vd_store(lo + j * VD_N, st.rl[j]);
        vd_store(A1 + j * VD_N, a1[j]);
        vd_store(A2 + j * VD_N, a2[j]);
    }
    for (int j = 0; j < XENT_LANES; j++) { /* S' = S - 1 as a pair */
        const double hi = S[j], l2 = lo[j] + ((double)cb[j] - 1);
        S[j] = hi + l2;
        Slo[j] = (hi - S[j]) + l2;
    }
}

/* a + (b + bl) with one rounding of the three's sum in effect (TwoSum of
 * a + b, then the low parts); inf and NaN as the plain sum gives them. */
static inline double FN(add_pair)(double a, double b, double bl)
{
    const double s = a + b, bp = s - a, e = (a - (s - bp)) + (b - bp);
    return s - s == 0 ? s + (e + bl) : s + bl;
}

/* (a - b) + (c + cl) likewise, the difference exact by TwoSum. */
static inline double FN(sub_add_pair)(double a, double b, double c, double cl)
{
    const double d = a - b, bp = d - a, dl = (a - (d - bp)) + (-b - bp);
    return d - d == 0 ? FN(add_pair)(d, c, cl + dl) : d + (c + cl);
}

/* log S = log1p(S' + S'lo) for a group of rows, in double whatever T is,
 * as an unrounded pair S + Slo on return: log1p's pair below 1; above,
 * log(x) + d / x for x = fl(1 + S') and d its rounding error plus S'lo. */
static inline void FN(log1p_group)(double *S, double *Slo, int cnt)
{
    double b[XENT_LANES], bl[XENT_LANES];
    for (int j = 0; j < XENT_LANES; j++) b[j] = j < cnt ? S[j] : 0, bl[j] = j < cnt ? Slo[j] : 0;
    for (int j = 0; j < NACC; j++) {
        const VD u = vd_load(b + j * VD_N), ul = vd_load(bl + j * VD_N), one = vd_set1(1), zero = vd_set1(0);
        const MD big = vd_lt(one, u);
        VD tl, l = vd_log1p01(vd_sel(big, zero, u), vd_sel(big, zero, ul), &tl);
        const VD x = vd_add(one, u), d = vd_add(vd_add(vd_sub(u, x), one), ul); /* Fast2Sum: u > 1 */
#ifndef XENT_BACKEND_SLEEF
        /* log x as an unrounded pair, d / x ~ d 2^-e (1 - f + f^2) folded in */
        VD eb, fb, sb, tb;
        vd_decompose(vd_sel(big, x, one), &eb, &fb, &sb);
        const VD ds = vd_mul(d, sb);
        const VD gb = vd_log_pair(eb, fb, vd_fma(vd_fma(fb, fb, vd_sub(zero, fb)), ds, ds), &tb);
#else
        const VD gb = vd_log_pos(x), tb = vd_div(d, x);
#endif
        const MD num = vd_eq(u, u); /* NaN stays NaN (log1p's reduction would lose it) */
        vd_store(b + j * VD_N, vd_sel(num, vd_sel(big, gb, l), u));
        vd_store(bl + j * VD_N, vd_sel(num, vd_sel(big, tb, tl), u));
    }
    for (int j = 0; j < cnt; j++) S[j] = b[j], Slo[j] = bl[j];
}

/* log S for a group of rows (log-loss: S > 0), in double whatever T is. */
static inline void FN(log_group)(double *S, int cnt)
{
    double b[XENT_LANES];
    for (int j = 0; j < XENT_LANES; j++) b[j] = j < cnt ? S[j] : 1;
    for (int j = 0; j < NACC; j++) vd_store(b + j * VD_N, vd_log_pos(vd_load(b + j * VD_N)));
    for (int j = 0; j < cnt; j++) S[j] = b[j];
}

#if !T_HAS_WIDE
/* A float64 row term log1p(S') whose S' = sum e^(z_c - M) < 2^-1000 (the
 * target is the max, every other logit over 690 below it): the exponentials
 * and their low parts would land in the subnormals, 4 ulp off at k = 10.
 * Here S' 2^1000 in double-double, scalar (rare); log1p(S') = S' there. */
static double FN(tiny_row_term)(const T *z, size_t k, T M)
{
    dd s = {0, 0};
    for (size_t c = 0; c < k; c++)
        if (z[c] != M) s = dd_add(s, dd_exp_scaled(dd_two_sum((double)z[c], -(double)M), 1000));
    return s.h;
}
#endif

/* Whether every element of a row is -inf (checked only when its max is
 * the scan's starting value, so rarely). */
static int FN(all_neginf)(const T *z, size_t k)
{
    for (size_t c = 0; c < k; c++)
        if (!(z[c] == -(T)__builtin_inf())) return 0;
    return 1;
}

/* Logsumexp of a row whose max M < 0 cancels against log S: the fast
 * path's error is a fraction of |M| + log S, and the result's ulp is much
 * smaller.  Here S' = S - 1 is summed again from e^(z - M) and log1p(S')
 * refined by Newton from the fast path's (yh, yl): in double-double (error
 * below 2^-100 (|M| + log S): 1 ulp for every float32 row and for float64
 * results above 2^-42 (|M| + log S), which the fast result l tells), else
 * in triple-double (2^-148: float64 results down to ~2^-94 of it).
 * Scalar, in element order, the same IEEE operations on every ISA. */
static double FN(lse_refine)(const T *z, size_t k, T M, double yh, double yl, double l)
{
    double ones = -1; /* the e^0 = 1 terms, kept out of S' as in the fast path */
    if (sizeof(T) == 4 || !(fabs(l) < 0x1p-42 * (yh - (double)M))) {
        dd s = {0, 0};
        for (size_t c = 0; c < k; c++) {
            if (z[c] == M) ones += 1;
            else s = dd_add(s, dd_exp(dd_two_sum((double)z[c], -(double)M)));
        }
        const dd y = dd_log1p_refine(dd_add_d(s, ones), dd_fast_two_sum(yh, yl));
        return dd_add_d(y, (double)M).h;
    }
    td s = {0, 0, 0};
    for (size_t c = 0; c < k; c++) {
        if (z[c] == M) {
            ones += 1;
        } else {
            const dd x = dd_two_sum((double)z[c], -(double)M);
            s = td_add(s, td_exp((td){x.h, x.l, 0}));
        }
    }
    s = td_add_d(s, ones);
    const dd y0 = dd_fast_two_sum(yh, yl);
    td y = td_log1p_refine(s, (td){y0.h, y0.l, 0}); /* 2^-52 -> 2^-104 -> 2^-148 */
    y = td_log1p_refine(s, y);
    return td_add_d(y, (double)M).h;
}

/* A row is refined where |M| + log S > XENT_LSE_AMP |result|, M < 0: the
 * fast path's error, amplified by more than 1.25, would pass 1 ulp (0.85
 * ulp float64 at 1.8 in the evaluator, 0.64 at 1.25). */
#define XENT_LSE_AMP 1.25

/* Logsumexp of each row. */
static void FN(lse)(const T *z, size_t n, size_t k, size_t ld, T *out)
{
    const VT zero = OP(set1)(0);
    for (size_t i0 = 0; i0 < n; i0 += XENT_LANES) {
        const int cnt = n - i0 < XENT_LANES ? (int)(n - i0) : XENT_LANES;
        T M[XENT_LANES];
        double S[XENT_LANES], Slo[XENT_LANES];
        double A[XENT_LANES];
        if (k <= XENT_LANES)
            FN(rows_small)(z + i0 * ld, ld, NULL, NULL, 0, k, cnt, zero, zero, ROW_PLAIN, M, S, Slo, A, A);
        else
            for (int j = 0; j < cnt; j++)
                FN(row_scan)(z + (i0 + j) * ld, NULL, NULL, k, zero, zero, ROW_PLAIN, &M[j], &S[j], &Slo[j],
                             NULL, NULL);
        FN(log1p_group)(S, Slo, cnt);
        for (int j = 0; j < cnt; j++) {
            double l = FN(add_pair)((double)M[j], S[j], Slo[j]);
            if (M[j] < 0 && -(double)M[j] + S[j] > XENT_LSE_AMP * fabs(l) && l - l == 0)
                l = FN(lse_refine)(z + (i0 + j) * ld, k, M[j], S[j], Slo[j], l);
            out[i0 + j] = M[j] == -T_MAXV && FN(all_neginf)(z + (i0 + j) * ld, k) ? -(T)__builtin_inf()
                          : l == l ? (T)l : (T)__builtin_nan("");
        }
    }
}

/* The gradient of one row: g_c = (coef softmax_c - b_c) / div with
 * b_c = bw w_c (index targets: the smoothing part) or w_c y'_c
 * (probability targets), softmax_c = exp(z_c - M) / S; the target's
 * -(1 - eps) w_t is applied after, on the broadcast lane, by the caller. */
static inline __attribute__((always_inline)) void
FN(row_grad)(const T *z, const T *w, const T *y, size_t k, T M, T invS, T coef, T bw, VT keep,
             VT epsk, T div, const int prob, T *g)
{
    const VT Mv = OP(set1)(M), iv = OP(set1)(invS), cv = OP(set1)(coef), bv = OP(set1)(bw), dv = OP(set1)(div);
    size_t c = 0;
    T zb[TN], wb[TN], yb[TN], gb[TN];
    for (; c < k; c += TN) {
        const int full = c + TN <= k;
        const T *zp = z + c, *wp = w ? w + c : NULL, *yp = y ? y + c : NULL;
        T *gp = g + c;
        if (!full) {
            for (size_t j = 0; j < TN; j++) {
                zb[j] = c + j < k ? z[c + j] : 0;
                wb[j] = c + j < k && w ? w[c + j] : 0;
                yb[j] = c + j < k && y ? y[c + j] : 0;
            }
            zp = zb, wp = w ? wb : NULL, yp = y ? yb : NULL, gp = gb;
        }
        VT sm = OP(mul)(OP(exp)(OP(sub)(OP(load)(zp), Mv)), iv); /* underflows as it should */
        VT b;
        if (prob) {
            b = OP(add)(OP(mul)(OP(load)(yp), keep), epsk);
            if (wp) b = OP(mul)(b, OP(load)(wp));
        } else {
            b = wp ? OP(mul)(bv, OP(load)(wp)) : bv;
        }
        VT gv = OP(sub)(OP(mul)(cv, sm), b);
        if (div != 0) gv = OP(div)(gv, dv);
        OP(store)(gp, OP(canon)(gv));
        if (!full)
            for (size_t j = 0; c + j < k; j++) g[c + j] = gb[j];
    }
}

/* A group of 16 row terms into the register accumulator (lane j of the
 * group is lane j of the canonical layout; rows past n are padded with 0,
 * which TwoSum adds exactly). */
static inline void FN(acc_group)(vacc *v, const T *tb)
{
    XENT_UNROLL for (int q = 0; q < NVR; q++) FN(vacc_add_exact)(v, q, OP(load)(tb + q * TN));
}
static inline void FN(acc_group_d)(vacc *v, const double *db)
{
    XENT_UNROLL for (int j = 0; j < NACC; j++) vacc_add(v, j, vd_load(db + j * VD_N));
}

/* Cross-entropy with index targets (a->t) or probability targets (a->y):
 * rows in groups of 16 (one vector log of S for the group), terms into
 * the accumulator's lane i mod 16 or out[]. */
static inline __attribute__((always_inline)) void
FN(rows_loop)(const FN(xent_rows_args) *a, xent_acc *acc_io, const int mode)
{
    vacc acc;
    vacc_load(&acc, acc_io);
    const size_t n = a->n, k = a->k;
    const double eps = a->eps, keep_d = 1 - eps, epsk_d = eps / (double)k;
    const VT keep = OP(set1)((T)keep_d), epsk = OP(set1)((T)epsk_d);
    for (size_t i0 = 0; i0 < n; i0 += XENT_LANES) {
        const int cnt = n - i0 < XENT_LANES ? (int)(n - i0) : XENT_LANES;
        T M[XENT_LANES];
        double S[XENT_LANES], Slo[XENT_LANES], A1[XENT_LANES], A2[XENT_LANES], Sr[XENT_LANES];
        if (k <= XENT_LANES)
            FN(rows_small)(a->z + i0 * a->ld, a->ld, a->w, mode == ROW_PROB ? a->y + i0 * a->ldy : NULL,
                           a->ldy, k, cnt, keep, epsk, mode, M, S, Slo, A1, A2);
        for (int j = 0; j < cnt; j++) {
            const size_t i = i0 + j;
            if (a->t && a->t[i] == a->ignore_index) {
                M[j] = 0, S[j] = Slo[j] = 0, A1[j] = A2[j] = 0;
                continue;
            }
            if (k > XENT_LANES)
                FN(row_scan)(a->z + i * a->ld, a->w, mode == ROW_PROB ? a->y + i * a->ldy : NULL, k,
                             keep, epsk, mode, &M[j], &S[j], &Slo[j], &A1[j], &A2[j]);
            Sr[j] = 1 + S[j]; /* S for the softmax */
        }
        FN(log1p_group)(S, Slo, cnt);
        for (int j = 0; j < cnt; j++) /* a row of -inf: torch's -inf - (-inf) is NaN */
            if (M[j] == -T_MAXV && !(a->t && a->t[i0 + j] == a->ignore_index) &&
                FN(all_neginf)(a->z + (i0 + j) * a->ld, k))
                S[j] = Slo[j] = Sr[j] = __builtin_nan("");
        T tb[XENT_LANES] = {0};
        for (int j = 0; j < cnt; j++) {
            const size_t i = i0 + j;
            const T *zr = a->z + i * a->ld;
            const double lS = S[j] + Slo[j], Md = (double)M[j];
            double l;
            int64_t t = -1;
            if (mode == ROW_PROB) {
                /* float64: A2 = sum w y' (z - M) */
                l = XENT_SHIFTED_SUMS ? lS * A1[j] - A2[j] : (Md + lS) * A1[j] - A2[j];
            } else {
                t = a->t[i];
                if (t == a->ignore_index) {
                    l = 0;
                } else {
                    const double wt = a->w ? (double)a->w[t] : 1.0;
                    /* (M - z_t) + log S, both >= 0, rounded once */
                    l = FN(sub_add_pair)(Md, (double)zr[t], S[j], Slo[j]);
#if !T_HAS_WIDE
                    if (l < 0x1p-1000 && zr[t] == M[j] && mode == ROW_PLAIN) /* one rounding into the subnormals */
                        l = (wt * FN(tiny_row_term)(zr, k, M[j])) * 0x1p-1000;
                    else
#endif
                        l = wt * l;
                    if (mode == ROW_SMOOTH) /* float64: A1 = sum w (z - M) */
                        l = keep_d * l + epsk_d * ((XENT_SHIFTED_SUMS ? lS : Md + lS) * a->wsum - A1[j]);
                }
            }
            const T term = l == l ? (T)l : (T)__builtin_nan("");
            if (a->out) a->out[i] = term;
            tb[j] = term;
            if (!a->grad) continue;
            T *g = a->grad + i * a->ldg;
            if (mode != ROW_PROB && t == a->ignore_index) {
                for (size_t c = 0; c < k; c++) g[c] = 0;
                continue;
            }
            const T invS = (T)(1 / Sr[j]);
            if (mode == ROW_PROB) {
                FN(row_grad)(zr, a->w, a->y + i * a->ldy, k, M[j], invS, (T)A1[j], 0, keep, epsk,
                             a->grad_div, 1, g);
                continue;
            }
            /* index targets: coef = (1 - eps) w_t + (eps / k) sum w, b_c = (eps / k) w_c,
             * and -(1 - eps) w_t at the target */
            const double wt = a->w ? (double)a->w[t] : 1.0;
            const T coef = (T)(keep_d * wt + epsk_d * a->wsum);
            FN(row_grad)(zr, a->w, NULL, k, M[j], invS, coef, (T)epsk_d, keep, epsk, a->grad_div, 0, g);
            /* the target lane again, with its one-hot part, on a broadcast vector */
            VT sm = OP(mul)(OP(exp)(OP(sub)(OP(set1)(zr[t]), OP(set1)(M[j]))), OP(set1)(invS));
            VT b = OP(set1)((T)epsk_d);
            if (a->w) b = OP(mul)(b, OP(set1)(a->w[t]));
            VT gv = OP(sub)(OP(sub)(OP(mul)(OP(set1)(coef), sm), b), OP(set1)((T)(keep_d * wt)));
            if (a->grad_div != 0) gv = OP(div)(gv, OP(set1)(a->grad_div));
            T gb[TN];
            OP(store)(gb, OP(canon)(gv));
            g[t] = gb[0];
        }
        if (!a->out) FN(acc_group)(&acc, tb);
    }
    vacc_store(&acc, acc_io);
}

static void FN(rows)(const FN(xent_rows_args) *a, xent_acc *acc)
{
    if (!a->t) FN(rows_loop)(a, acc, ROW_PROB);
    else if (a->eps > 0) FN(rows_loop)(a, acc, ROW_SMOOTH);
    else FN(rows_loop)(a, acc, ROW_PLAIN);
}

/* ---- NLL: a gather, one row at a time (plain C operations: every ISA
 * computes the same bits) ----------------------------------------------- */
static void FN(nll)(const FN(xent_rows_args) *a, xent_acc *acc_io)
{
    vacc acc;
    vacc_load(&acc, acc_io);
    for (size_t i0 = 0; i0 < a->n; i0 += XENT_LANES) {
        const int cnt = a->n - i0 < XENT_LANES ? (int)(a->n - i0) : XENT_LANES;
        T tb[XENT_LANES] = {0};
        for (int j = 0; j < cnt; j++) {
            const size_t i = i0 + j;
            const int64_t t = a->t[i];
            const int ign = t == a->ignore_index;
            const T wt = ign ? 0 : a->w ? a->w[t] : 1;
            tb[j] = ign ? 0 : -(wt * a->z[i * a->ld + t]);
            if (a->out) a->out[i] = tb[j];
            if (a->grad) {
                T *g = a->grad + i * a->ldg;
                for (size_t c = 0; c < a->k; c++) g[c] = 0;
                if (!ign) g[t] = a->grad_div != 0 ? -wt / a->grad_div : -wt;
            }
        }
        if (!a->out) FN(acc_group)(&acc, tb);
    }
    vacc_store(&acc, acc_io);
}

/* ---- log-loss (sklearn 1.2) -----------------------------------------------
 * Per row: entries clipped to [lo, hi] in T, the binary shorthand's
 * 1 - p in T (as numpy computes it), the row sum in double (sequential),
 * l = -log(p_y / sum) in double.  Rows go in groups of 16 with the rows
 * of a group interleaved (independent sums), one vector log per group. */
static inline T FN(clip)(T v, T lo, T hi) { return v < lo ? lo : v > hi ? hi : v; }

static int FN(logloss)(const FN(xent_logloss_args) *a, xent_acc *acc_io, xent_acc *accw_io, size_t *bad)
{
    vacc acc, accw;
    vacc_load(&acc, acc_io);
    vacc_load(&accw, accw_io);
    const size_t n = a->n, k = a->k, ld = a->ld;
    const T lo = a->lo, hi = a->hi;
    for (size_t i0 = 0; i0 < n; i0 += XENT_LANES) {
        const int cnt = n - i0 < XENT_LANES ? (int)(n - i0) : XENT_LANES;
        const T *p = a->p + i0 * ld;
        double sum[XENT_LANES], q[XENT_LANES];
        int nonfinite = 0;
        for (int j = 0; j < XENT_LANES; j++) sum[j] = 0;
        if (k == 1) {
            for (int j = 0; j < cnt; j++) {
                const T v = p[j * ld];
                nonfinite |= !(v - v == 0);
                const T p1 = FN(clip)(v, lo, hi), p0 = 1 - p1;
                sum[j] = (double)p0 + (double)p1;
                q[j] = a->y[i0 + j] ? (double)p1 : (double)p0;
            }
        } else {
            for (size_t c = 0; c < k; c++)
                for (int j = 0; j < cnt; j++) {
                    const T v = p[j * ld + c];
                    nonfinite |= !(v - v == 0);
                    sum[j] += (double)FN(clip)(v, lo, hi);
                }
            for (int j = 0; j < cnt; j++) q[j] = (double)FN(clip)(p[j * ld + a->y[i0 + j]], lo, hi);
        }
        if (nonfinite) {
            for (int j = 0; j < cnt; j++)
                for (size_t c = 0; c < k; c++) {
                    const T v = p[j * ld + c];
                    if (!(v - v == 0)) {
                        *bad = (i0 + j) * k + c;
                        return XENT_K_BAD_INPUT;
                    }
                }
        }
        if (a->renorm)
            for (int j = 0; j < cnt; j++) q[j] /= sum[j];
        FN(log_group)(q, cnt);
        double lb[XENT_LANES] = {0}, sb[XENT_LANES] = {0};
        for (int j = 0; j < cnt; j++) {
            sb[j] = a->s ? a->s[i0 + j] : 1.0;
            lb[j] = -q[j] * sb[j];
        }
        FN(acc_group_d)(&acc, lb);
        FN(acc_group_d)(&accw, sb);
    }
    vacc_store(&acc, acc_io);
    vacc_store(&accw, accw_io);
    return XENT_K_OK;
}
