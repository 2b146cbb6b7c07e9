"""Parity of xent.binary_cross_entropy with torch.nn.functional.binary_cross_entropy.

Run:  PYTHONPATH=python /usr/bin/python3 -m pytest -q tests/python

Every test that computes runs under each variant in xent.variants() (the
variant is in the test id), for float32 and float64.

Reference values
----------------
Each per-element term, sum, mean and gradient is checked three ways:

1. xent against an exact reference computed in long double (x87 80-bit,
   64-bit mantissa: 11 bits beyond float64) from the same inputs.  Terms:
   the error bound of the formula evaluated in working precision with
   1-ulp logs, 3.5 eps relative (see xent_term_bound).  Reductions add at
   most 2^-23 (float32 input) / 2^-52 (float64 input) relative (the
   library's compensated-sum contract).  The stricter "within 1 ulp of the
   correctly rounded value" contract of semantics.md is tested on its own
   (test_contract_*).
2. torch against the same reference, with torch 1.13's own error bound:
   a few roundings (4 eps relative) plus the absolute error of its naive
   log(1 - p), at most eps * |w (1 - y)| (fl(1 - p) carries a relative
   error <= eps/2, so log(fl(1 - p)) is off by <= eps/2 absolute: this is
   where xent is allowed to be more accurate than torch); torch's sum adds
   at most (ceil(log2 n) + 1) eps * sum|l| (pairwise / cascade summation).
   This validates the reference and the bounds.
3. xent against torch, within the sum of the two bounds (the parity claim).

Gradients (which torch computes accurately) are compared to the exact
reference within 4 eps relative for both xent and torch: the formula
w (p - y) / max(p (1 - p), 1e-12) / n takes at most 7 roundings.

Tolerances are never widened to make a case pass.
"""

import math
import zlib

import numpy as np
import pytest
import torch
import torch.nn.functional as F

import xent

from conftest import VARIANTS

LD = np.longdouble
DTYPES = [np.float32, np.float64]
REDUCTIONS = ["none", "sum", "mean"]
SIZES = [0, 1, 7, 64, 1000, 4097]
NCOLS = 3  # 2-D shapes are (size, NCOLS)
EPS_1E12 = LD(np.float32(1e-12))  # torch's EPSILON is a float constant


def _eps(dt):
    return LD(np.finfo(dt).eps)


def _is_sleef(v):
    return v.endswith("+sleef")


# ---- data ---------------------------------------------------------------


def _specials(dt):
    if dt == np.float32:
        below1 = 1 - 2.0 ** -24
        return [0.0, 1.0, 1e-40, 1e-30, 1e-10, 1e-7, 0.5, below1, 1 - 1e-6,
                float(np.finfo(np.float32).tiny), 0.25, 0.75]
    below1 = 1 - 2.0 ** -53
    return [0.0, 1.0, 1e-310, 1e-300, 1e-30, 1e-10, 1e-16, 0.5, below1,
            1 - 1e-15, float(np.finfo(np.float64).tiny), 0.75]


def make_data(shape, dt, weight_mode, seed):
    """Random p (with exact 0 and 1, tiny, denormal and near-1 values),
    hard and soft targets, and a weight of the requested broadcast kind."""
    rng = np.random.default_rng(seed)
    n = int(np.prod(shape))
    p = rng.random(n)
    m = rng.random(n)
    small = m < 0.2
    p[small] = 10.0 ** rng.uniform(-30, 0, small.sum())
    near1 = (m >= 0.2) & (m < 0.3)
    p[near1] = 1 - 10.0 ** rng.uniform(-7 if dt == np.float32 else -15, -1,
                                        near1.sum())
    sp = _specials(dt)
    k = min(n, len(sp))
    if k:
        p[rng.choice(n, k, replace=False)] = sp[:k]
    p = p.astype(dt)
    assert ((p >= 0) & (p <= 1)).all()

    y = rng.random(n)
    hard = rng.random(n) < 0.4
    y[hard] = np.round(y[hard])
    y = y.astype(dt)
    same = rng.random(n) < 0.05
    y[same] = p[same]                      # gradient exactly 0
    if n >= 4:                             # torch's clamped corners
        p[:4] = [0, 1, 0, 1]
        y[:4] = [1, 0, 0, 1]

    p = p.reshape(shape)
    y = y.reshape(shape)
    if weight_mode is None:
        w = None
    else:
        wshape = shape if weight_mode == "elem" else (
            (NCOLS,) if len(shape) == 2 else (1,))
        w = rng.uniform(0, 2, wshape).astype(dt)
        w.reshape(-1)[rng.random(w.size) < 0.05] = 0
    return p, y, w


# ---- references ---------------------------------------------------------


def exact_terms(p, y, w):
    """Per-element loss in long double, shape of p."""
    P, Y = p.astype(LD), y.astype(LD)
    with np.errstate(divide="ignore"):
        a = np.maximum(np.log(P), LD(-100))
        b = np.maximum(np.log1p(-P), LD(-100))
    l = -(Y * a + (1 - Y) * b)
    if w is not None:
        l = l * np.broadcast_to(w, p.shape).astype(LD)
    return l


def exact_grad(p, y, w, reduction):
    P, Y = p.astype(LD), y.astype(LD)
    g = (P - Y) / np.maximum(P * (1 - P), EPS_1E12)
    if w is not None:
        g = g * np.broadcast_to(w, p.shape).astype(LD)
    if reduction == "mean":
        g = g / LD(p.size)
    return g


def torch_bce(p, y, w, reduction):
    pt = torch.from_numpy(p.copy()).requires_grad_()
    yt = torch.from_numpy(y.copy())
    wt = None if w is None else torch.from_numpy(w.copy())
    loss = F.binary_cross_entropy(pt, yt, weight=wt, reduction=reduction)
    loss.backward(torch.ones_like(loss))
    out = loss.detach().numpy()
    return out, pt.grad.numpy()


def ulp(x_ld, dt):
    """ulp (in dtype dt) of values given in long double."""
    return np.spacing(np.abs(x_ld.astype(dt))).astype(LD)


def xent_term_bound(ref, dt):
    """Error bound of a per-element term evaluated in working precision:
    each clamped log within 1 ulp of its correctly rounded value (own log:
    the library's contract; SLEEF's u10 logs: 1.0 ulp), i.e. <= 1.5 eps
    relative, then y*a, (1-y), (1-y)*b, the sum and *w each round once
    (<= eps/2 each; all terms have one sign for y in [0,1], w >= 0):
    3.5 eps relative, plus one smallest subnormal per rounding for
    results in the subnormal range.  (The stricter 1-ulp contract is
    tested separately, see test_contract_*.)"""
    tiny = LD(np.finfo(dt).smallest_subnormal)
    return LD(3.5) * _eps(dt) * np.abs(ref) + 4 * tiny


def torch_term_bound(ref, y, w, dt):
    wy = np.abs(1 - y.astype(LD))
    if w is not None:
        wy = wy * np.abs(np.broadcast_to(w, y.shape).astype(LD))
    return 4 * _eps(dt) * np.abs(ref) + _eps(dt) * wy


def reduce_bounds(kind, terms_abs_sum, term_bounds_sum, ref_value, n, dt):
    """Bound for a sum/mean from per-term bounds plus the summation error."""
    if kind == "xent":
        red = LD(2.0 ** -23 if dt == np.float32 else 2.0 ** -52)
        b = term_bounds_sum + red * terms_abs_sum
        mean_round = LD(2.0 ** -52)          # the result is a double
    else:
        depth = math.ceil(math.log2(max(n, 2))) + 1
        b = term_bounds_sum + depth * _eps(dt) * terms_abs_sum
        mean_round = _eps(dt)                # torch divides in dtype
    return b, mean_round


def check_close(got, ref, bound, what, p, y, w):
    got = np.asarray(got)
    err = np.abs(got.astype(LD) - ref)
    bad = ~(err <= bound)
    if bad.any():
        i = int(np.flatnonzero(bad.reshape(-1))[0])
        wi = None if w is None else np.broadcast_to(w, p.shape).reshape(-1)[i]
        pi = p.reshape(-1)[i] if p.ndim else p
        yi = y.reshape(-1)[i] if y.ndim else y
        raise AssertionError(
            "%s: %d of %d elements out of bound; first at flat index %d: "
            "p=%r y=%r w=%r got=%r exact=%r err=%r bound=%r"
            % (what, int(bad.sum()), bad.size, i, pi, yi, wi,
               got.reshape(-1)[i], ref.reshape(-1)[i], err.reshape(-1)[i],
               np.broadcast_to(bound, err.shape).reshape(-1)[i]))


def check_scalar(got, ref, bound, what):
    err = abs(LD(got) - ref)
    assert err <= bound, "%s: got=%r exact=%r err=%r bound=%r" % (
        what, got, ref, err, bound)


# ---- the parity grid ----------------------------------------------------

SHAPES = [(s,) for s in SIZES] + [(s, NCOLS) for s in SIZES]


def _shape_id(s):
    return "x".join(map(str, s)) if len(s) > 1 else "n%d" % s[0]


@pytest.mark.parametrize("shape", SHAPES, ids=_shape_id)
@pytest.mark.parametrize("weight_mode", [None, "elem", "bcast"],
                         ids=["now", "w_elem", "w_bcast"])
@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("dt", DTYPES, ids=["f32", "f64"])
def test_parity(variant, dt, reduction, weight_mode, shape):
    seed = zlib.crc32(repr((np.dtype(dt).name, reduction, weight_mode, shape)).encode())
    p, y, w = make_data(shape, dt, weight_mode, seed)
    p0, y0 = p.copy(), y.copy()

    loss, g = xent.binary_cross_entropy(p, y, weight=w, reduction=reduction,
                                        grad=True)
    loss_nograd = xent.binary_cross_entropy(p, y, w, reduction)
    assert np.array_equal(p, p0) and np.array_equal(y, y0)  # inputs untouched
    tl, tg = torch_bce(p, y, w, reduction)

    ref = exact_terms(p, y, w)
    n = p.size
    xb = xent_term_bound(ref, dt)
    tb = torch_term_bound(ref, y, w, dt)

    # gradients
    assert isinstance(g, np.ndarray) and g.dtype == dt and g.shape == shape
    gref = exact_grad(p, y, w, reduction)
    gb = 4 * _eps(dt) * np.abs(gref)
    check_close(tg, gref, gb, "torch grad vs exact", p, y, w)
    check_close(g, gref, gb, "xent grad vs exact", p, y, w)
    check_close(g, tg.astype(LD), 2 * gb, "xent grad vs torch", p, y, w)

    if reduction == "none":
        assert isinstance(loss, np.ndarray)
        assert loss.dtype == dt and loss.shape == shape
        assert np.array_equal(loss, loss_nograd)
        check_close(tl, ref, tb, "torch terms vs exact", p, y, w)
        check_close(loss, ref, xb, "xent terms vs exact", p, y, w)
        check_close(loss, tl.astype(LD), xb + tb, "xent terms vs torch", p, y, w)
        return

    assert type(loss) is float
    assert loss == loss_nograd or (math.isnan(loss) and math.isnan(loss_nograd))
    tval = float(tl)
    if n == 0:
        if reduction == "mean":
            assert math.isnan(loss) and math.isnan(tval)
        else:
            assert loss == 0.0 and tval == 0.0
        return

    S = ref.sum()
    A = np.abs(ref).sum()
    xb_s, xm = reduce_bounds("xent", A, xb.sum(), S, n, dt)
    tb_s, tm = reduce_bounds("torch", A, tb.sum(), S, n, dt)
    if reduction == "sum":
        check_scalar(tval, S, tb_s, "torch sum vs exact")
        check_scalar(loss, S, xb_s, "xent sum vs exact")
        check_scalar(loss, LD(tval), xb_s + tb_s, "xent sum vs torch")
    else:
        M = S / n
        tb_m = tb_s / n + tm * abs(M)
        xb_m = xb_s / n + xm * abs(M)
        check_scalar(tval, M, tb_m, "torch mean vs exact")
        check_scalar(loss, M, xb_m, "xent mean vs exact")
        check_scalar(loss, LD(tval), xb_m + tb_m, "xent mean vs torch")


# ---- the library's per-element accuracy contract ----------------------
#
# semantics.md / xent.h: "each per-element term is within 1 ulp of the
# exactly rounded value of the formula" (own log backend), i.e. at most
# 1.5 ulp from the exact value.


def _contract_data(dt, soft, weighted, n=200_000, seed=99):
    rng = np.random.default_rng(seed)
    p = rng.random(n)
    tiny = rng.random(n) < 0.2
    p[tiny] = 10.0 ** rng.uniform(-30, 0, tiny.sum())
    p = p.astype(dt)
    y = rng.random(n) if soft else np.round(rng.random(n))
    y = y.astype(dt)
    w = rng.uniform(0, 2, n).astype(dt) if weighted else None
    return p, y, w


def _check_contract(variant, dt, soft, weighted):
    if _is_sleef(variant):
        pytest.skip("the 1-ulp contract is for the own log backend")
    p, y, w = _contract_data(dt, soft, weighted)
    got = xent.binary_cross_entropy(p, y, w, "none")
    ref = exact_terms(p, y, w)
    check_close(got, ref, LD(1.5) * ulp(ref, dt), "1-ulp contract", p, y, w)


@pytest.mark.parametrize("dt", DTYPES, ids=["f32", "f64"])
def test_contract_1ulp_hard_targets(variant, dt):
    _check_contract(variant, dt, soft=False, weighted=False)


# Soft targets and weights are outside the 1-ulp contract: the torch formula
# rounds its products and sum in working precision there, so the library
# promises xent_term_bound (3.5 eps), which the main grid checks.


# ---- bitwise agreement between variants of one log backend -------------


def _groups():
    own = [v for v in VARIANTS if not _is_sleef(v)]
    sleef = [v for v in VARIANTS if _is_sleef(v)]
    return [g for g in (own, sleef) if len(g) > 1]


@pytest.mark.parametrize("group", _groups(),
                         ids=["|".join(g) for g in _groups()])
@pytest.mark.parametrize("dt", DTYPES, ids=["f32", "f64"])
def test_variants_bitwise_identical(group, dt):
    old = xent.variant()
    try:
        for shape in [(4097,), (333, NCOLS), (5,)]:
            for wm in [None, "elem", "bcast"]:
                p, y, w = make_data(shape, dt, wm, 1234 + shape[0])
                for red in REDUCTIONS:
                    results = {}
                    for v in group:
                        xent.set_variant(v)
                        results[v] = xent.binary_cross_entropy(
                            p, y, w, red, grad=True)
                    l0, g0 = results[group[0]]
                    for v in group[1:]:
                        l1, g1 = results[v]
                        where = "%s vs %s, shape %s, w %s, %s" % (
                            group[0], v, shape, wm, red)
                        assert (np.asarray(l0).tobytes()
                                == np.asarray(l1).tobytes()), "loss: " + where
                        assert g0.tobytes() == g1.tobytes(), "grad: " + where
    finally:
        xent.set_variant(old)


# ---- torch's specific values ---------------------------------------------


@pytest.mark.parametrize("dt", DTYPES, ids=["f32", "f64"])
def test_clamped_corners(variant, dt):
    p = np.array([0, 1, 0, 1], dt)
    y = np.array([1, 0, 0, 1], dt)
    l, g = xent.binary_cross_entropy(p, y, reduction="none", grad=True)
    tl, tg = torch_bce(p, y, None, "none")
    assert l.tolist() == [100.0, 100.0, 0.0, 0.0] == tl.tolist()
    big = -999999995904.0 if dt == np.float32 else -1000000003995.8029
    assert g.tolist() == [big, -big, 0.0, 0.0] == tg.tolist()
    assert xent.binary_cross_entropy(p, y, reduction="sum") == 200.0
    assert xent.binary_cross_entropy(p, y) == 50.0


def test_denormal_not_clamped_f32(variant):
    p = np.array([1e-40], np.float32)
    y = np.array([1], np.float32)
    got = xent.binary_cross_entropy(p, y, reduction="none")
    tl, _ = torch_bce(p, y, None, "none")
    assert float(tl[0]) == 92.10340881347656
    assert float(got[0]) == 92.10340881347656
    assert xent.binary_cross_entropy(p, y, reduction="sum") == 92.10340881347656


def test_tiny_p_more_accurate_than_torch(variant):
    # torch 1.13 computes log(1 - p) naively: 1.000000082790371e-10.
    p = np.array([1e-10])
    y = np.array([0.0])
    tl, _ = torch_bce(p, y, None, "none")
    assert float(tl[0]) == 1.000000082790371e-10
    got = float(xent.binary_cross_entropy(p, y, reduction="none")[0])
    exact = float(exact_terms(p, y, None)[0])          # 1.00000000005e-10
    ref = exact_terms(p, y, None)
    assert abs(LD(got) - ref[0]) <= xent_term_bound(ref, np.float64)[0]
    # ... and torch is within its own error bound of it
    assert abs(float(tl[0]) - exact) <= np.finfo(np.float64).eps


def test_negative_zero_is_in_domain(variant):
    p = np.array([-0.0, -0.0, 0.5])
    y = np.array([1.0, 0.0, 0.5])
    got = xent.binary_cross_entropy(p, y, reduction="none")
    tl, _ = torch_bce(p, y, None, "none")
    assert got[:2].tolist() == tl[:2].tolist() == [100.0, 0.0]


def test_unchecked_target_outside_range(variant):
    # torch 1.13 does not check targets: y = 2 or -1 just gives a number.
    for dt in DTYPES:
        p = np.array([0.3, 0.5, 0.9], dt)
        y = np.array([2.0, -1.0, 3.0], dt)
        tl, tg = torch_bce(p, y, None, "none")
        got, g = xent.binary_cross_entropy(p, y, reduction="none", grad=True)
        ref = exact_terms(p, y, None)
        # the two logs have opposite signs here: bound by the terms' size
        P, Y = p.astype(LD), y.astype(LD)
        scale = np.abs(Y * np.log(P)) + np.abs((1 - Y) * np.log1p(-P))
        bound = 4 * _eps(dt) * scale
        check_close(got, ref, bound, "xent", p, y, None)
        check_close(tl, ref, bound + _eps(dt) * np.abs(1 - Y), "torch", p, y, None)
        gref = exact_grad(p, y, None, "none")
        check_close(g, gref, 4 * _eps(dt) * np.abs(gref), "xent grad", p, y, None)


# ---- errors ---------------------------------------------------------------

MSG_DOMAIN = "all elements of input should be between 0 and 1"


def torch_error(fn):
    with pytest.raises((RuntimeError, ValueError)) as ei:
        fn()
    return str(ei.value)


@pytest.mark.parametrize("bad", [-0.1, 1.1, float("nan"), float("inf"),
                                 -float("inf"), -1e-300, 1 + 2 ** -23])
@pytest.mark.parametrize("dt", DTYPES, ids=["f32", "f64"])
def test_input_domain_error(variant, dt, bad):
    n = 1024
    rng = np.random.default_rng(7)
    for pos in [0, 5, 17, 63, 1000, n - 1]:
        p = rng.random(n).astype(dt)
        y = rng.random(n).astype(dt)
        p[pos] = bad
        p[min(pos + 3, n - 1)] = bad  # a later offender: the first is reported
        if np.isfinite(p[pos]) and 0 <= p[pos] <= 1:
            continue  # the value rounded into the domain in this dtype
        msg = torch_error(lambda: F.binary_cross_entropy(
            torch.from_numpy(p), torch.from_numpy(y)))
        assert msg == MSG_DOMAIN
        for red in REDUCTIONS:
            for grad in (False, True):
                with pytest.raises(ValueError) as ei:
                    xent.binary_cross_entropy(p, y, reduction=red, grad=grad)
                assert str(ei.value) == MSG_DOMAIN
                assert isinstance(ei.value, xent.XentError)
                assert ei.value.index == pos, (red, grad, pos)


@pytest.mark.parametrize("ishape,tshape", [
    ((2,), (3,)), ((2, 3), (3, 2)), ((2, 3), (6,)), ((6,), (2, 3)),
    ((), (1,)), ((1,), ()), ((0,), (1,)), ((4, 1), (4,))])
def test_size_mismatch(ishape, tshape):
    p = np.full(ishape, 0.5)
    y = np.full(tshape, 0.5)
    tmsg = None
    with pytest.raises(ValueError) as ei:
        F.binary_cross_entropy(torch.from_numpy(p), torch.from_numpy(y))
    tmsg = str(ei.value)
    assert "is deprecated" in tmsg
    with pytest.raises(ValueError) as ei:
        xent.binary_cross_entropy(p, y)
    assert str(ei.value) == tmsg


@pytest.mark.parametrize("reduction", ["foo", "Mean", "", None, 1])
def test_invalid_reduction(reduction):
    p = np.full(3, 0.5)
    # checked before the sizes, as torch does
    y = np.full(4, 0.5)
    with pytest.raises(ValueError) as ei:
        F.binary_cross_entropy(torch.from_numpy(p), torch.from_numpy(y),
                               reduction=reduction)
    tmsg = str(ei.value)
    with pytest.raises(ValueError) as ei:
        xent.binary_cross_entropy(p, y, reduction=reduction)
    assert str(ei.value) == tmsg


@pytest.mark.parametrize("ishape,wshape", [
    ((3,), (4,)), ((2, 3), (2, 2, 3)), ((3,), (1, 3)), ((2, 3), (2,)),
    ((4, 3), (3, 1)), ((2, 3, 4), (3, 3))])
def test_weight_broadcast_error(ishape, wshape):
    p = np.full(ishape, 0.5)
    w = np.ones(wshape)
    msg = torch_error(lambda: F.binary_cross_entropy(
        torch.from_numpy(p), torch.from_numpy(p), weight=torch.from_numpy(w)))
    with pytest.raises(ValueError) as ei:
        xent.binary_cross_entropy(p, p, weight=w)
    assert str(ei.value) == msg


@pytest.mark.parametrize("ishape,wshape", [
    ((2, 3), (3,)), ((2, 3), (2, 1)), ((2, 3), (1, 3)), ((2, 3), ()),
    ((2, 3), (1, 1)), ((5,), (1,)), ((2, 3, 4), (3, 1))])
@pytest.mark.parametrize("reduction", REDUCTIONS)
def test_weight_broadcast_ok(variant, ishape, wshape, reduction):
    rng = np.random.default_rng(3)
    p = rng.random(ishape)
    y = rng.random(ishape)
    w = rng.uniform(0, 2, wshape)
    tl, tg = torch_bce(p, y, w, reduction)
    got, g = xent.binary_cross_entropy(p, y, w, reduction, grad=True)
    ref = exact_terms(p, y, w)
    gref = exact_grad(p, y, w, reduction)
    check_close(g, gref, 4 * _eps(np.float64) * np.abs(gref), "grad", p, y, w)
    check_close(tg, gref, 4 * _eps(np.float64) * np.abs(gref), "torch grad", p, y, w)
    if reduction == "none":
        check_close(got, ref, xent_term_bound(ref, np.float64), "terms", p, y, w)


def test_check_target(variant):
    p = np.full(100, 0.5)
    y = np.full(100, 0.25)
    base = xent.binary_cross_entropy(p, y, check_target=True)
    assert base == xent.binary_cross_entropy(p, y)
    for bad in [2.0, -0.5, float("nan"), 1 + 2 ** -52]:
        yy = y.copy()
        yy[37] = bad
        yy[80] = bad
        xent.binary_cross_entropy(p, yy)  # unchecked: fine, as torch 1.13
        with pytest.raises(ValueError) as ei:
            xent.binary_cross_entropy(p, yy, check_target=True)
        assert str(ei.value) == "all elements of target should be between 0 and 1"
        assert ei.value.index == 37


# ---- API details --------------------------------------------------------


def test_variants_api():
    vs = xent.variants()
    assert vs and "scalar" in vs and len(set(vs)) == len(vs)
    old = xent.variant()
    assert old in vs
    try:
        for v in vs:
            xent.set_variant(v)
            assert xent.variant() == v
        xent.set_variant("auto")
        assert xent.variant() in vs and not _is_sleef(xent.variant())
        with pytest.raises(ValueError):
            xent.set_variant("no-such-variant")
        for v in ["avx2", "avx512", "neon"]:
            if v not in vs:
                with pytest.raises(ValueError):
                    xent.set_variant(v)
    finally:
        xent.set_variant(old)


def test_input_forms(variant):
    rng = np.random.default_rng(11)
    p = rng.random((40, 6))
    y = rng.random((40, 6))
    ref = xent.binary_cross_entropy(p, y, reduction="none")
    # lists, non-contiguous views, other byte orders, integer targets
    assert np.array_equal(xent.binary_cross_entropy(p.tolist(), y.tolist(),
                                                    reduction="none"), ref)
    pt, yt = np.asfortranarray(p), np.asfortranarray(y)
    assert np.array_equal(xent.binary_cross_entropy(pt, yt, reduction="none"), ref)
    big = p.astype(">f8")
    assert np.array_equal(xent.binary_cross_entropy(big, y, reduction="none"), ref)
    sl = xent.binary_cross_entropy(p[:, ::2], y[:, ::2], reduction="none")
    assert np.array_equal(sl, ref[:, ::2])
    yi = (y > 0.5).astype(np.int64)
    assert np.array_equal(xent.binary_cross_entropy(p, yi, reduction="none"),
                          xent.binary_cross_entropy(p, yi.astype(float), reduction="none"))
    # target and weight are cast to the input's dtype
    p32 = p.astype(np.float32)
    r32 = xent.binary_cross_entropy(p32, y, reduction="none")
    assert r32.dtype == np.float32
    assert np.array_equal(r32, xent.binary_cross_entropy(p32, y.astype(np.float32),
                                                         reduction="none"))
    # torch tensors
    assert np.array_equal(xent.binary_cross_entropy(torch.from_numpy(p),
                                                    torch.from_numpy(y),
                                                    reduction="none"), ref)


def test_zero_dim(variant):
    p = np.array(0.3)
    y = np.array(1.0)
    got, g = xent.binary_cross_entropy(p, y, reduction="none", grad=True)
    tl, tg = torch_bce(p, y, None, "none")
    assert got.shape == () and g.shape == ()
    assert float(got) == pytest.approx(float(tl), rel=4e-16)
    assert float(g) == pytest.approx(float(tg), rel=4e-16)
    assert xent.binary_cross_entropy(p, y) == pytest.approx(float(tl), rel=4e-16)


def test_unsupported_dtype():
    with pytest.raises(TypeError):
        xent.binary_cross_entropy(np.full(3, 0.5, np.float16), np.zeros(3))


def test_legacy_reduction_args():
    p = np.full(4, 0.5)
    y = np.zeros(4)
    with pytest.warns(UserWarning):
        s = xent.binary_cross_entropy(p, y, size_average=False)
    assert s == xent.binary_cross_entropy(p, y, reduction="sum")
    with pytest.warns(UserWarning):
        r = xent.binary_cross_entropy(p, y, reduce=False)
    assert r.shape == (4,)


# ---- environment ----------------------------------------------------------

def _run(code, **env):
    import os
    import subprocess
    import sys
    e = dict(os.environ)
    e.update(env)
    e["PYTHONPATH"] = os.pathsep.join(
        [os.path.dirname(os.path.dirname(xent.__file__))]
        + [x for x in [e.get("PYTHONPATH")] if x])
    return subprocess.run([sys.executable, "-c", code], env=e,
                          capture_output=True, text=True, timeout=120)


def test_env_variant_unsupported():
    # an unknown XENT_VARIANT makes every loss fail until set_variant()
    code = """
import xent
try:
    xent.binary_cross_entropy([0.5], [1.0])
except RuntimeError as e:
    assert isinstance(e, xent.XentError) and e.status == 5, e
else:
    raise SystemExit("no error")
xent.set_variant("auto")
print(xent.binary_cross_entropy([0.5], [1.0]))
"""
    r = _run(code, XENT_VARIANT="no-such-variant")
    assert r.returncode == 0, r.stderr
    assert float(r.stdout) == pytest.approx(math.log(2), rel=1e-15)


def test_env_library_path():
    r = _run("import xent; print(xent.library_path())",
             XENT_LIBRARY=xent.library_path())
    assert r.returncode == 0 and r.stdout.strip() == xent.library_path(), r.stderr
    r = _run("import xent", XENT_LIBRARY="/nonexistent/libxent.so")
    assert r.returncode != 0 and "ImportError" in r.stderr
