"""Parity of xent.binary_cross_entropy_with_logits with torch 1.13's.

Run:  PYTHONPATH=python /usr/bin/python3 -m pytest -q tests/python

Every test that computes runs under each variant in xent.variants() (the
variant is in the test id), for float32 and float64.

Reference values
----------------
Each per-element term, sum, mean and gradient is checked three ways, as in
test_bce_parity.py: xent against an exact reference computed in long double
(x87, 64-bit mantissa) from the same inputs; torch against the same
reference with torch's own error bound (which validates reference and
bounds); and xent against torch within the sum of the two bounds.

Error bounds (u = eps / 2 of the dtype, the unit roundoff).  With
M = |(1 - y) z| + (1 + |pw - 1| |y|) |log_sigmoid(z)|, the size of the two
parts of l = (1 - y) z - (1 + (pw - 1) y) log_sigmoid(z) (they cancel for
z < 0, y < 1, so the error is relative to M, not to |l|):

* xent: the formula in working precision with 1-ulp exp/log1p: (1 - y) z
  2u, the log weight 3u, log_sigmoid 4u (two 1-ulp functions), the
  product u, the difference u, times w u: <= 12u M = 6 eps M.  Where
  log_sigmoid is subnormal (z > 87 in float32) its rounding and its 1-ulp
  functions err by up to ~2 smallest subnormals absolute, which the log
  weight and w then scale: plus 4 s (1 + |lw|) |w| (s the smallest
  subnormal; the SLEEF variants use all of it).
* torch 1.13 computes (1 - y) z + lw (m + log(exp(-m) + exp(-z - m))) with
  m = max(-z, 0): the log's argument is in [1, 2] and carries ~3u, so the
  log has an absolute error ~4u even where log_sigmoid is tiny (z = 20,
  y = 1 gives 0 in float32, exactly 2e-9): 4 eps M + 2 eps (1 + |pw-1||y|).
* gradient w ((pw y + 1 - y) sigmoid(z) - pw y) / N: sigmoid ~2 eps, the
  rest a few roundings relative to the size of torch's intermediates,
  G = (|pw y| + 1 + |y|) sigmoid + |pw y| (cancellation again for y = 1,
  z large): 5 eps |w| G / N for both;
  plus the smallest normal number times |w (pw y + 1 - y)| / N, since
  torch's 1 / (1 + exp(-z)) overflows exp to inf and gives 0 for the
  subnormal sigmoid(z) of z < -88.7 (float32) / -709.8 (float64).
* reductions: xent adds 2^-23 (float32) / 2^-52 (float64) relative (the
  compensated-sum contract), torch (ceil(log2 n) + 1) eps of sum |l|.

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
SHAPES = [(0,), (1,), (7,), (1000,), (64, 10), (33, 1), (4, 5, 6)]


def _eps(dt):
    return LD(np.finfo(dt).eps)


def _is_sleef(v):
    return v.endswith("+sleef")


def _shape_id(s):
    return "x".join(map(str, s)) if len(s) != 1 else "n%d" % s[0]


# ---- data ---------------------------------------------------------------


def _specials(dt):
    big = 90.0 if dt == np.float32 else 710.0   # exp(big) overflows
    return [0.0, -0.0, 1000.0, -1000.0, 20.0, -20.0, 40.0, -40.0, big, -big,
            1e-8, -1e-8, 17.0, -17.0, 37.0, -37.0, 1e-30, 0.5, -0.5]


def make_data(shape, dt, weight_mode, pw_mode, seed):
    """Logits at several scales plus saturating and tiny specials, hard and
    soft targets, and weight / pos_weight of the requested broadcast kind."""
    rng = np.random.default_rng(seed)
    n = int(np.prod(shape))
    scale = 10.0 ** rng.integers(-1, 3, n)
    z = rng.normal(size=n) * scale
    sp = _specials(dt)
    m = min(n, len(sp))
    if m:
        z[rng.choice(n, m, replace=False)] = sp[:m]
    z = z.astype(dt).reshape(shape)
    y = rng.random(n)
    hard = rng.random(n) < 0.5
    y[hard] = np.round(y[hard])
    y = y.astype(dt).reshape(shape)

    w = None
    if weight_mode == "elem":
        w = rng.uniform(0, 2, shape).astype(dt)
    elif weight_mode == "bcast":
        w = rng.uniform(0, 2, shape[-1:] if shape else ()).astype(dt)
    if w is not None and w.size:
        w.reshape(-1)[rng.random(w.size) < 0.05] = 0

    pw = None
    if pw_mode == "vec":
        pw = rng.uniform(0, 4, shape[-1:] if shape else ()).astype(dt)
        if pw.size:
            pw.reshape(-1)[0] = 1.0
    elif pw_mode == "full":            # varies along every dimension
        pw = rng.uniform(0, 4, shape).astype(dt)
    return z, y, w, pw


# ---- references ---------------------------------------------------------


def _sigmoid(Z):
    return 1 / (1 + np.exp(-Z))


def _bcast(a, shape):
    return None if a is None else np.broadcast_to(a, shape).astype(LD)


def exact(z, y, w, pw, reduction):
    """(terms, M, grad, G, H) in long double: the per-element loss, the
    size of its two parts, the gradient, the size of the gradient's parts
    and |d grad / d sigmoid|.

    The loss is evaluated without cancellation: with
    L = log1p(exp(-|z|)) >= 0, l = (1 - y) z + lw L for z >= 0 and
    l = -pw y z + lw L for z < 0 (both parts >= 0 for y in [0, 1])."""
    Z, Y = z.astype(LD), y.astype(LD)
    W = _bcast(w, z.shape)
    PW = _bcast(pw, z.shape)
    if PW is None:
        PW = np.ones_like(Z)
    L = np.log1p(np.exp(-np.abs(Z)))
    lw = 1 + (PW - 1) * Y
    with np.errstate(invalid="ignore"):
        terms = np.where(Z >= 0, (1 - Y) * Z, -PW * Y * Z) + lw * L
    ls = np.minimum(Z, 0) - L
    M = np.abs((1 - Y) * Z) + (1 + np.abs(PW - 1) * np.abs(Y)) * np.abs(ls)
    sg = _sigmoid(Z)
    t = PW * Y
    g = (t + 1 - Y) * sg - t
    # torch: t.add(1).sub_(y).mul_(sigmoid).sub_(t), or sigmoid - y
    G = (np.abs(t) + 1 + np.abs(Y)) * sg + np.abs(t)
    H = np.abs(t + 1 - Y)
    if W is not None:
        terms, M = terms * W, M * np.abs(W)
        g, G, H = g * W, G * np.abs(W), H * np.abs(W)
    if reduction == "mean" and z.size:
        g, G, H = g / z.size, G / z.size, H / z.size
    return terms, M, g, G, H


def xent_term_bound(M, y, w, pw, dt):
    sub = LD(np.finfo(dt).smallest_subnormal)
    b = 4 * sub * (1 + lw_abs(y, pw))
    if w is not None:
        b = b * np.abs(_bcast(w, y.shape))
    return 6 * _eps(dt) * M + b + tiny(dt)


def grad_bound(G, H, dt):
    return 5 * _eps(dt) * G + LD(np.finfo(dt).tiny) * H + tiny(dt)


def lw_abs(y, pw):
    Y = y.astype(LD)
    if pw is None:
        return np.ones_like(Y)
    return 1 + np.abs(np.broadcast_to(pw, y.shape).astype(LD) - 1) * np.abs(Y)


def torch_bcel(z, y, w, pw, reduction):
    zt = torch.from_numpy(z.copy()).requires_grad_()
    loss = F.binary_cross_entropy_with_logits(
        zt, torch.from_numpy(y.copy()),
        weight=None if w is None else torch.from_numpy(w.copy()),
        pos_weight=None if pw is None else torch.from_numpy(pw.copy()),
        reduction=reduction)
    loss.backward(torch.ones_like(loss))
    return loss.detach().numpy(), zt.grad.numpy()


_CACHE = {}


def reference(dt, weight_mode, pw_mode, shape):
    """Data, exact values and torch's results, computed once per case (they
    do not depend on the variant)."""
    key = (np.dtype(dt).name, weight_mode, pw_mode, shape)
    if key not in _CACHE:
        seed = zlib.crc32(repr(key).encode())
        z, y, w, pw = make_data(shape, dt, weight_mode, pw_mode, seed)
        ref = {"data": (z, y, w, pw)}
        for red in REDUCTIONS:
            ref[red] = exact(z, y, w, pw, red) + torch_bcel(z, y, w, pw, red)
        _CACHE[key] = ref
    return _CACHE[key]


def check_close(got, ref, bound, what, z, y):
    got = np.asarray(got)
    err = np.abs(got.astype(LD) - ref)
    bad = ~(err <= bound)
    if bad.any():
        i = int(np.flatnonzero(bad.reshape(-1))[0])
        raise AssertionError(
            "%s: %d of %d elements out of bound; first at flat index %d: "
            "z=%r y=%r got=%r exact=%r err=%r bound=%r"
            % (what, int(bad.sum()), bad.size, i, z.reshape(-1)[i],
               y.reshape(-1)[i], got.reshape(-1)[i], ref.reshape(-1)[i],
               err.reshape(-1)[i], np.broadcast_to(bound, err.shape).reshape(-1)[i]))


def check_scalar(got, ref, bound, what):
    err = abs(LD(got) - ref)
    assert err <= bound, "%s: got=%r exact=%r err=%r bound=%r" % (
        what, got, ref, err, bound)


def tiny(dt):
    return 4 * LD(np.finfo(dt).smallest_subnormal)


# ---- the parity grid ----------------------------------------------------


@pytest.mark.parametrize("shape", SHAPES, ids=_shape_id)
@pytest.mark.parametrize("pw_mode", [None, "vec", "full"],
                         ids=["nopw", "pw_vec", "pw_full"])
@pytest.mark.parametrize("weight_mode", [None, "elem", "bcast"],
                         ids=["now", "w_elem", "w_bcast"])
@pytest.mark.parametrize("dt", DTYPES, ids=["f32", "f64"])
def test_parity(variant, dt, weight_mode, pw_mode, shape):
    ref = reference(dt, weight_mode, pw_mode, shape)
    z, y, w, pw = ref["data"]
    z0, y0 = z.copy(), y.copy()
    eps = _eps(dt)
    n = z.size
    for red in REDUCTIONS:
        terms, M, gref, G, H, tl, tg = ref[red]
        loss, g = xent.binary_cross_entropy_with_logits(
            z, y, weight=w, reduction=red, pos_weight=pw, grad=True)
        nograd = xent.binary_cross_entropy_with_logits(z, y, w, red, pw)
        assert np.array_equal(z, z0) and np.array_equal(y, y0)

        # gradients
        assert isinstance(g, np.ndarray) and g.dtype == dt and g.shape == shape
        gb = grad_bound(G, H, dt)
        check_close(tg, gref, gb, "torch grad vs exact (%s)" % red, z, y)
        check_close(g, gref, gb, "xent grad vs exact (%s)" % red, z, y)
        check_close(g, tg.astype(LD), 2 * gb, "xent grad vs torch (%s)" % red,
                    z, y)

        xb = xent_term_bound(M, y, w, pw, dt)
        tb = 4 * eps * M + 2 * eps * lw_abs(y, pw) * (
            1 if w is None else np.abs(_bcast(w, shape))) + tiny(dt)
        if red == "none":
            assert isinstance(loss, np.ndarray)
            assert loss.dtype == dt and loss.shape == shape
            assert np.array_equal(loss, nograd)
            check_close(tl, terms, tb, "torch terms vs exact", z, y)
            check_close(loss, terms, xb, "xent terms vs exact", z, y)
            check_close(loss, tl.astype(LD), xb + tb, "xent terms vs torch", z, y)
            continue

        assert type(loss) is float
        assert loss == nograd or (math.isnan(loss) and math.isnan(nograd))
        tval = float(tl)
        if n == 0:
            if red == "mean":
                assert math.isnan(loss) and math.isnan(tval)
            else:
                assert loss == 0.0 and tval == 0.0
            continue
        S = terms.sum()
        A = np.abs(terms).sum()
        red_x = LD(2.0 ** -23 if dt == np.float32 else 2.0 ** -52)
        depth = math.ceil(math.log2(max(n, 2))) + 1
        xb_s = xb.sum() + red_x * A
        tb_s = tb.sum() + depth * eps * A
        if red == "sum":
            check_scalar(tval, S, tb_s, "torch sum vs exact")
            check_scalar(loss, S, xb_s, "xent sum vs exact")
            check_scalar(loss, LD(tval), xb_s + tb_s, "xent sum vs torch")
        else:
            Mn = S / n
            tb_m = tb_s / n + eps * abs(Mn)
            xb_m = xb_s / n + LD(2.0 ** -52) * abs(Mn)
            check_scalar(tval, Mn, tb_m, "torch mean vs exact")
            check_scalar(loss, Mn, xb_m, "xent mean vs exact")
            check_scalar(loss, LD(tval), xb_m + tb_m, "xent mean vs torch")


# ---- specific values --------------------------------------------------------


@pytest.mark.parametrize("dt", DTYPES, ids=["f32", "f64"])
def test_documented_values(variant, dt):
    # semantics.md section 2
    z = np.array([-1000, 1000, 0, 0], dt)
    y = np.array([1, 0, 1, 0], dt)
    got = xent.binary_cross_entropy_with_logits(z, y, reduction="none")
    tl, _ = torch_bcel(z, y, None, None, "none")
    assert got[:2].tolist() == [1000.0, 1000.0] == tl[:2].tolist()
    ln2 = np.log(LD(2))
    for v in (got[2], got[3], tl[2], tl[3]):   # within 1 ulp of log 2
        assert abs(LD(v) - ln2) <= _eps(dt) * ln2, (v, ln2)


@pytest.mark.parametrize("dt", DTYPES, ids=["f32", "f64"])
def test_nonfinite_propagate(variant, dt):
    # NaN and inf propagate: where torch's term is finite, ours is the same;
    # where it is inf, ours is inf; where torch forms 0 * inf = NaN for the
    # mismatched limit (z = -inf with y > 0), ours is NaN or the loss's
    # limit +inf (semantics.md section 2: "inf or NaN").
    inf = float("inf")
    z = np.array([inf, -inf, inf, -inf, np.nan, np.nan, 3.0, inf, -inf], dt)
    y = np.array([1, 0, 0, 1, 0, 1, np.nan, 0.5, 0.5], dt)
    for pw in [None, np.array([2.0], dt)]:
        tl, tg = torch_bcel(z, y, None, pw, "none")
        got, g = xent.binary_cross_entropy_with_logits(
            z, y, reduction="none", pos_weight=pw, grad=True)
        assert np.array_equal(np.isfinite(got), np.isfinite(tl)), (pw, got, tl)
        fin = ~np.isnan(tl)
        assert got[fin].tolist() == tl[fin].tolist(), (pw, got, tl)
        assert np.all(np.isnan(got[~fin]) | (got[~fin] == inf)), (pw, got, tl)
        # a NaN logit or target is NaN in both
        assert np.all(np.isnan(got[4:7])), got
        assert np.array_equal(np.isnan(g), np.isnan(tg)), (pw, g, tg)
        assert g[~np.isnan(tg)].tolist() == tg[~np.isnan(tg)].tolist()
        s = xent.binary_cross_entropy_with_logits(z, y, reduction="sum",
                                                  pos_weight=pw)
        assert math.isnan(s)


@pytest.mark.parametrize("dt", DTYPES, ids=["f32", "f64"])
def test_targets_outside_range(variant, dt):
    # torch does not check the targets: y = 2 or -1 just gives a number.
    z = np.array([0.3, -2.0, 5.0, -30.0, 30.0], dt)
    y = np.array([2.0, -1.0, 3.0, 2.0, -1.0], dt)
    pw = np.array([1.5], dt)
    for p in [None, pw]:
        terms, M, gref, G, H = exact(z, y, None, p, "none")
        tl, tg = torch_bcel(z, y, None, p, "none")
        got, g = xent.binary_cross_entropy_with_logits(
            z, y, reduction="none", pos_weight=p, grad=True)
        eps = _eps(dt)
        check_close(got, terms, xent_term_bound(M, y, None, p, dt), "xent", z, y)
        check_close(tl, terms, 4 * eps * M + 2 * eps * lw_abs(y, p), "torch", z, y)
        check_close(g, gref, grad_bound(G, H, dt), "xent grad", z, y)


# ---- the library's per-element accuracy contract ----------------------
#
# semantics.md: each per-element term within 1 ulp of the exactly rounded
# value (own log backend), i.e. at most 1.5 ulp from the exact value; for
# hard targets without weights the term is a function of z alone:
# -log_sigmoid(z) (y = 1) or -log_sigmoid(-z) (y = 0).


@pytest.mark.parametrize("dt", DTYPES, ids=["f32", "f64"])
def test_contract_1ulp_hard_targets(variant, dt):
    if _is_sleef(variant):
        pytest.skip("the 1-ulp contract is for the own log backend")
    rng = np.random.default_rng(5)
    n = 100_000
    z = (rng.normal(size=n) * 10.0 ** rng.integers(-3, 3, n)).astype(dt)
    z[:len(_specials(dt))] = _specials(dt)
    for yv in (0.0, 1.0):
        y = np.full(n, yv, dt)
        got = xent.binary_cross_entropy_with_logits(z, y, reduction="none")
        terms = exact(z, y, None, None, "none")[0]
        ulp = np.spacing(np.abs(terms.astype(dt))).astype(LD)
        check_close(got, terms, LD(1.5) * ulp, "1-ulp contract y=%g" % yv, z, y)


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
        for shape in [(1000,), (64, 10), (5,)]:
            for wm, pm in [(None, None), ("elem", "vec"), ("bcast", "full")]:
                z, y, w, pw = make_data(shape, dt, wm, pm, 77 + shape[0])
                for red in REDUCTIONS:
                    res = {}
                    for v in group:
                        xent.set_variant(v)
                        res[v] = xent.binary_cross_entropy_with_logits(
                            z, y, w, red, pw, grad=True)
                    l0, g0 = res[group[0]]
                    for v in group[1:]:
                        l1, g1 = res[v]
                        where = "%s vs %s, %s %s %s %s" % (group[0], v, shape,
                                                          wm, pm, red)
                        assert (np.asarray(l0).tobytes()
                                == np.asarray(l1).tobytes()), "loss: " + where
                        assert g0.tobytes() == g1.tobytes(), "grad: " + where
    finally:
        xent.set_variant(old)


# ---- broadcasting, shapes, input forms -------------------------------------


@pytest.mark.parametrize("ishape,wshape,pwshape", [
    ((2, 3), (3,), (3,)), ((2, 3), (2, 1), (1, 3)), ((2, 3), (), ()),
    ((2, 3), (1, 1), (2, 3)), ((2, 3), (1, 3), (2, 1)), ((5,), (1,), (1,)),
    ((2, 3, 4), (3, 1), (4,)), ((2, 3, 4), (4,), (3, 1)), ((), (), ()),
    ((4, 1), (1,), (1,)), ((3, 4), (3, 4), (1, 4))])
def test_broadcast_ok(variant, ishape, wshape, pwshape):
    rng = np.random.default_rng(3)
    z = np.asarray(rng.normal(size=ishape) * 3)
    y = np.asarray(rng.random(ishape))
    w = np.asarray(rng.uniform(0, 2, wshape))
    pw = np.asarray(rng.uniform(0, 3, pwshape))
    eps = _eps(np.float64)
    for red in REDUCTIONS:
        tl, tg = torch_bcel(z, y, w, pw, red)
        got, g = xent.binary_cross_entropy_with_logits(z, y, w, red, pw,
                                                       grad=True)
        terms, M, gref, G, H = exact(z, y, w, pw, red)
        assert g.shape == z.shape
        gb = grad_bound(G, H, np.float64)
        check_close(g, gref, gb, "grad " + red, z, y)
        check_close(tg, gref, gb, "torch grad " + red, z, y)
        if red == "none":
            assert got.shape == z.shape == tl.shape
            check_close(got, terms, 6 * eps * M, "terms", z, y)
        else:
            d = z.size if red == "mean" else 1
            check_scalar(got, terms.sum() / d, 8 * eps * M.sum() / d, red)


def torch_error(fn):
    with pytest.raises((RuntimeError, ValueError)) as ei:
        fn()
    return str(ei.value)


@pytest.mark.parametrize("ishape,tshape,wshape,pwshape", [
    ((3,), (2,), None, None), ((2, 3), (3, 2), None, None),
    ((2, 3), (6,), None, None), ((), (1,), None, None),
    ((3,), (3,), (4,), None), ((3,), (3,), (1, 3), None),
    ((2, 3), (2, 3), None, (4,)), ((2, 3), (2, 3), None, (2, 2, 3)),
    ((), (), None, (1,)), ((2, 3), (2, 3), (3,), (2,))])
def test_shape_errors(ishape, tshape, wshape, pwshape):
    z = np.zeros(ishape)
    y = np.full(tshape, 0.5)
    w = None if wshape is None else np.ones(wshape)
    pw = None if pwshape is None else np.ones(pwshape)
    msg = torch_error(lambda: F.binary_cross_entropy_with_logits(
        torch.from_numpy(z), torch.from_numpy(y),
        weight=None if w is None else torch.from_numpy(w),
        pos_weight=None if pw is None else torch.from_numpy(pw)))
    with pytest.raises(ValueError) as ei:
        xent.binary_cross_entropy_with_logits(z, y, w, pos_weight=pw)
    assert str(ei.value) == msg


@pytest.mark.parametrize("reduction", ["foo", "Mean", "", None, 1])
def test_invalid_reduction(reduction):
    z = np.zeros(3)
    with pytest.raises(ValueError) as ei:
        F.binary_cross_entropy_with_logits(torch.from_numpy(z),
                                           torch.from_numpy(z),
                                           reduction=reduction)
    tmsg = str(ei.value)
    with pytest.raises(ValueError) as ei:
        xent.binary_cross_entropy_with_logits(z, z, reduction=reduction)
    assert str(ei.value) == tmsg


def test_input_forms(variant):
    rng = np.random.default_rng(11)
    z = rng.normal(size=(40, 6)) * 5
    y = rng.random((40, 6))
    pw = rng.uniform(0, 3, 6)
    ref = xent.binary_cross_entropy_with_logits(z, y, reduction="none",
                                                pos_weight=pw)
    f = xent.binary_cross_entropy_with_logits
    assert np.array_equal(f(z.tolist(), y.tolist(), reduction="none",
                            pos_weight=pw.tolist()), ref)
    assert np.array_equal(f(np.asfortranarray(z), np.asfortranarray(y),
                            reduction="none", pos_weight=pw), ref)
    assert np.array_equal(f(z.astype(">f8"), y, reduction="none",
                            pos_weight=pw), ref)
    # non-contiguous views give the elements of the contiguous call
    sl = f(z[:, ::2], y[:, ::2], reduction="none", pos_weight=pw[::2])
    assert np.array_equal(sl, f(z[:, ::2].copy(), y[:, ::2].copy(),
                                reduction="none", pos_weight=pw[::2].copy()))
    tl, _ = torch_bcel(z[:, ::2].copy(), y[:, ::2].copy(), None,
                       pw[::2].copy(), "none")
    terms, M, _, _, _ = exact(z[:, ::2], y[:, ::2], None, pw[::2], "none")
    check_close(sl, terms, 6 * _eps(np.float64) * M, "strided", z, y)
    # target, weight and pos_weight are cast to the input's dtype
    z32 = z.astype(np.float32)
    r32 = f(z32, y, reduction="none", pos_weight=pw)
    assert r32.dtype == np.float32
    assert np.array_equal(r32, f(z32, y.astype(np.float32), reduction="none",
                                 pos_weight=pw.astype(np.float32)))
    assert np.array_equal(f(torch.from_numpy(z), torch.from_numpy(y),
                            reduction="none", pos_weight=torch.from_numpy(pw)),
                          ref)


def test_zero_dim(variant):
    z = np.array(-0.7)
    y = np.array(1.0)
    for pw in [None, np.array(2.5)]:
        got, g = xent.binary_cross_entropy_with_logits(
            z, y, reduction="none", pos_weight=pw, grad=True)
        tl, tg = torch_bcel(z, y, None, pw, "none")
        assert got.shape == () and g.shape == ()
        assert float(got) == pytest.approx(float(tl), rel=4e-16)
        assert float(g) == pytest.approx(float(tg), rel=4e-16)


def test_unsupported_dtype():
    with pytest.raises(TypeError):
        xent.binary_cross_entropy_with_logits(np.zeros(3, np.float16),
                                              np.zeros(3))


def test_legacy_reduction_args():
    z = np.zeros(4)
    y = np.ones(4)
    with pytest.warns(UserWarning):
        s = xent.binary_cross_entropy_with_logits(z, y, size_average=False)
    assert s == xent.binary_cross_entropy_with_logits(z, y, reduction="sum")
