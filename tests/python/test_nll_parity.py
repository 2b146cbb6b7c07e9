"""Parity of xent.nll_loss with torch.nn.functional.nll_loss (torch 1.13).

Run:  PYTHONPATH=python /usr/bin/python3 -m pytest -q tests/python

Every test that computes runs under each variant in xent.variants() (the
variant is in the test id), for float32 and float64.

Reference values and bounds (u = eps / 2 of the dtype)
-------------------------------------------------------
Exact values are computed in long double (x87, 64-bit mantissa) from the
same inputs, and both xent and torch are checked against them, then xent
against torch within the sum of the two bounds:

* a term l_i = -w[t_i] x[i, t_i] is one product: correctly rounded, so
  within u |l_i| for both (exactly -x without weights: bound 0);
* the gradient is -w[t_i] (exact: bound 0) for 'none' and 'sum', and
  -w[t_i] / W for 'mean': torch sums W in the dtype ((ceil(log2 n) + 1)
  eps relative) then divides (u); xent's W is a double (the reduction
  contract: 2^-23 relative for float32 inputs, 2^-52 for float64, plus
  n 2^-53 for a plain double sum) before the rounding to the dtype (u);
* sums: the term bounds plus (ceil(log2 n) + 1) eps sum |l| for torch's
  cascade sum, 2^-23 / 2^-52 sum |l| for xent's compensated sum; means
  add W's relative error times |mean| and the division's rounding.

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
KS = [1, 5]
# the input's shape with C for the class count
LAYOUTS = ["C", "0xC", "1xC", "50xC", "5xCx3", "2xCx3x2", "2xCx2x2x2"]
IGNORE = ["none", "some", "inrange", "outrange", "all"]


def _eps(dt):
    return LD(np.finfo(dt).eps)


def _is_sleef(v):
    return v.endswith("+sleef")


def shape_of(layout, k):
    return tuple(k if d == "C" else int(d) for d in layout.split("x"))


# ---- data ---------------------------------------------------------------


def make_data(xshape, dt, weighted, ignore, seed):
    """Log-probabilities (log_softmax of random logits, with some arbitrary
    values: nll_loss takes any input), class targets with ignored entries
    of the requested kind, and class weights (a few zero)."""
    rng = np.random.default_rng(seed)
    k = xshape[0] if len(xshape) == 1 else xshape[1]
    z = rng.normal(size=xshape) * 4
    ax = 0 if len(xshape) == 1 else 1
    x = z - np.log(np.exp(z).sum(axis=ax, keepdims=True))
    flat = x.reshape(-1)
    m = rng.random(flat.size)
    flat[m < 0.05] = 0.0
    flat[(m >= 0.05) & (m < 0.1)] = -1000.0
    flat[(m >= 0.1) & (m < 0.15)] = rng.normal(size=((m >= 0.1) & (m < 0.15)).sum()) * 50
    x = x.astype(dt)
    tshape = () if len(xshape) == 1 else xshape[:1] + xshape[2:]
    t = rng.integers(0, k, tshape).astype(np.int64)
    ii = -100
    tf = t.reshape(-1)
    sel = rng.random(tf.size) < 0.25
    if ignore == "some":
        tf[sel] = ii
    elif ignore == "inrange":
        ii = k - 1                       # a real class, ignored
    elif ignore == "outrange":
        ii = k + 7
        tf[sel] = ii
    elif ignore == "all":
        tf[:] = ii
    t = tf.reshape(tshape)
    w = None
    if weighted:
        w = rng.uniform(0, 2, k).astype(dt)
        if k > 2:
            w[1] = 0.0
    return x, t, w, ii


# ---- references ---------------------------------------------------------


def exact(x, t, w, ii):
    """(terms of the target's shape, W) in long double."""
    k = x.shape[0] if x.ndim == 1 else x.shape[1]
    X = x.reshape(1, k) if x.ndim == 1 else np.moveaxis(x, 1, -1).reshape(-1, k)
    T = t.reshape(-1)
    live = T != ii
    Tc = np.where(live, T, 0)
    wt = np.ones(T.size, LD) if w is None else w.astype(LD)[Tc]
    wt = np.where(live, wt, 0)
    terms = -wt * X[np.arange(T.size), Tc].astype(LD)
    return terms.reshape(t.shape), wt.sum(), wt


def exact_grad(x, t, w, ii, reduction, W):
    k = x.shape[0] if x.ndim == 1 else x.shape[1]
    T = t.reshape(-1)
    live = T != ii
    Tc = np.where(live, T, 0)
    wt = np.ones(T.size, LD) if w is None else w.astype(LD)[Tc]
    g = np.zeros((T.size, k), LD)
    g[np.arange(T.size), Tc] = np.where(live, -wt, 0)
    if reduction == "mean":
        with np.errstate(invalid="ignore", divide="ignore"):
            g = g / W
    if x.ndim == 1:
        return g.reshape(k)
    moved = g.reshape((x.shape[0],) + x.shape[2:] + (k,))
    return np.moveaxis(moved, -1, 1)


def torch_nll(x, t, w, ii, reduction):
    xt = torch.from_numpy(x.copy()).requires_grad_()
    loss = F.nll_loss(xt, torch.from_numpy(np.array(t)),
                      weight=None if w is None else torch.from_numpy(w.copy()),
                      ignore_index=ii, reduction=reduction)
    loss.backward(torch.ones_like(loss))
    return loss.detach().numpy(), xt.grad.numpy()


_CACHE = {}


def reference(dt, weighted, ignore, layout, k):
    key = (np.dtype(dt).name, weighted, ignore, layout, k)
    if key not in _CACHE:
        seed = zlib.crc32(repr(key).encode())
        x, t, w, ii = make_data(shape_of(layout, k), dt, weighted, ignore, seed)
        terms, W, _ = exact(x, t, w, ii)
        ref = {"data": (x, t, w, ii), "terms": terms, "W": W}
        for red in REDUCTIONS:
            ref[red] = (exact_grad(x, t, w, ii, red, W),) + torch_nll(x, t, w, ii, red)
        _CACHE[key] = ref
    return _CACHE[key]


def check_close(got, ref, bound, what):
    got = np.asarray(got)
    with np.errstate(invalid="ignore"):
        err = np.abs(got.astype(LD) - ref)
    bad = ~(err <= bound)
    if bad.any():
        i = int(np.flatnonzero(bad.reshape(-1))[0])
        raise AssertionError(
            "%s: %d of %d elements out of bound; first at flat index %d: "
            "got=%r exact=%r err=%r bound=%r"
            % (what, int(bad.sum()), bad.size, i, got.reshape(-1)[i],
               ref.reshape(-1)[i], err.reshape(-1)[i],
               np.broadcast_to(bound, err.shape).reshape(-1)[i]))


def check_scalar(got, ref, bound, what):
    err = abs(LD(got) - ref)
    assert err <= bound, "%s: got=%r exact=%r err=%r bound=%r" % (
        what, got, ref, err, bound)


def _red_x(dt):
    return LD(2.0 ** -23 if dt == np.float32 else 2.0 ** -52)


# ---- the parity grid ----------------------------------------------------


@pytest.mark.parametrize("k", KS, ids=lambda k: "k%d" % k)
@pytest.mark.parametrize("layout", LAYOUTS)
@pytest.mark.parametrize("ignore", IGNORE, ids=lambda s: "ign_" + s)
@pytest.mark.parametrize("weighted", [False, True], ids=["now", "w"])
@pytest.mark.parametrize("dt", DTYPES, ids=["f32", "f64"])
def test_parity(variant, dt, weighted, ignore, layout, k):
    ref = reference(dt, weighted, ignore, layout, k)
    x, t, w, ii = ref["data"]
    x0, t0 = x.copy(), t.copy()
    terms, W = ref["terms"], ref["W"]
    eps, u = _eps(dt), _eps(dt) / 2
    n = t.size
    depth = math.ceil(math.log2(max(n, 2))) + 1
    for red in REDUCTIONS:
        gref, tl, tg = ref[red]
        loss, g = xent.nll_loss(x, t, weight=w, ignore_index=ii,
                                reduction=red, grad=True)
        nograd = xent.nll_loss(x, t, w, ii, red)
        assert np.array_equal(x, x0) and np.array_equal(t, t0)

        assert isinstance(g, np.ndarray) and g.dtype == dt
        assert g.shape == x.shape and g.flags.c_contiguous
        if red == "mean":
            if W == 0:        # nothing to average: 0 / 0 as in torch
                assert np.array_equal(np.isnan(g), np.isnan(tg))
                assert np.isnan(loss) and np.isnan(float(tl))
                assert np.isnan(nograd)
                continue
            gb_t = (depth + 1) * eps * np.abs(gref)
            gb_x = (_red_x(dt) + (n + 2) * LD(2.0 ** -53) + u) * np.abs(gref)
        else:
            gb_t = gb_x = LD(0)                   # -w[t] exactly
        check_close(tg, gref, gb_t, "torch grad vs exact (%s)" % red)
        check_close(g, gref, gb_x, "xent grad vs exact (%s)" % red)
        check_close(g, tg.astype(LD), gb_t + gb_x, "xent grad vs torch (%s)" % red)

        tb = u * np.abs(terms) if weighted else LD(0)
        if red == "none":
            assert isinstance(loss, np.ndarray)
            assert loss.dtype == dt and loss.shape == t.shape
            assert np.array_equal(loss, nograd)
            check_close(tl, terms, tb, "torch terms vs exact")
            check_close(loss, terms, tb, "xent terms vs exact")
            check_close(loss, tl.astype(LD), 2 * tb, "xent terms vs torch")
            continue

        assert type(loss) is float
        assert loss == nograd or (math.isnan(loss) and math.isnan(nograd))
        tval = float(tl)
        S = terms.sum()
        A = np.abs(terms).sum()
        Tb = np.sum(tb)
        tb_s = Tb + depth * eps * A
        xb_s = Tb + _red_x(dt) * A
        if red == "sum":
            check_scalar(tval, S, tb_s, "torch sum vs exact")
            check_scalar(loss, S, xb_s, "xent sum vs exact")
            check_scalar(loss, LD(tval), xb_s + tb_s, "xent sum vs torch")
        elif W == 0:
            assert math.isnan(loss) and math.isnan(tval)
        else:
            Mn = S / W
            tb_m = tb_s / W + (depth + 1) * eps * abs(Mn)
            xb_m = xb_s / W + (_red_x(dt) + (n + 3) * LD(2.0 ** -53)) * abs(Mn)
            check_scalar(tval, Mn, tb_m, "torch mean vs exact")
            check_scalar(loss, Mn, xb_m, "xent mean vs exact")
            check_scalar(loss, LD(tval), xb_m + tb_m, "xent mean vs torch")


# ---- special cases ----------------------------------------------------------


@pytest.mark.parametrize("dt", DTYPES, ids=["f32", "f64"])
def test_zero_weight_sum(variant, dt):
    # every target that is not ignored has weight 0: torch's mean is 0 / 0
    x = np.log(np.full((6, 3), 1 / 3, dt))
    t = np.array([0, 0, -100, 0, 2, 2])
    w = np.array([0, 1, 0], dt)
    tl, tg = torch_nll(x, t, w, -100, "mean")
    loss, g = xent.nll_loss(x, t, w, grad=True)
    assert math.isnan(float(tl)) and math.isnan(loss)
    assert np.array_equal(np.isnan(g), np.isnan(tg))
    assert xent.nll_loss(x, t, w, reduction="sum") == 0.0
    assert xent.nll_loss(x, t, w, reduction="none").tolist() == [0.0] * 6


@pytest.mark.parametrize("dt", DTYPES, ids=["f32", "f64"])
def test_nonfinite_input(variant, dt):
    inf = float("inf")
    x = np.array([[-inf, 0, 1], [np.nan, -1, 2], [3, inf, -inf], [1, 2, 3]], dt)
    t = np.array([0, 0, 2, 1])
    for red in REDUCTIONS:
        tl, tg = torch_nll(x, t, None, -100, red)
        loss, g = xent.nll_loss(x, t, reduction=red, grad=True)
        a, b = np.asarray(loss), np.asarray(tl)
        assert np.array_equal(np.isnan(a), np.isnan(b)), red
        assert a[~np.isnan(a)].tolist() == b[~np.isnan(b)].tolist(), red
        assert np.array_equal(g, tg), red


@pytest.mark.parametrize("dt", DTYPES, ids=["f32", "f64"])
def test_strided_inputs(variant, dt):
    rng = np.random.default_rng(21)
    base = rng.normal(size=(30, 9)).astype(dt)
    t = rng.integers(0, 4, 30)
    w = rng.uniform(0, 2, 4).astype(dt)
    views = [base[:, :4],                  # row stride 9: no copy
             base[:, 1:9:2],               # column stride 2: copied
             base[::3, 2:6],               # row stride 27
             np.asfortranarray(base[:, :4]),
             base[::-1, :4]]               # negative row stride
    for v in views:
        tt = t[:v.shape[0]]
        c = np.ascontiguousarray(v)
        for red in REDUCTIONS:
            a, ga = xent.nll_loss(v, tt, w, reduction=red, grad=True)
            b, gb = xent.nll_loss(c, tt, w, reduction=red, grad=True)
            assert np.array_equal(a, b) and np.array_equal(ga, gb)
            tl, tg = torch_nll(c, tt, w, -100, red)
            if red == "none":
                assert np.array_equal(a, tl)       # one correctly rounded product
            assert np.array_equal(ga, tg) or red == "mean"
    # a strided target
    t2 = np.repeat(t, 2)[::2]
    assert np.array_equal(xent.nll_loss(base[:, :4], t2, reduction="none"),
                          xent.nll_loss(base[:, :4], t, reduction="none"))


def test_bitwise_identical_variants():
    own = [v for v in VARIANTS if not _is_sleef(v)]
    groups = [g for g in (own, [v for v in VARIANTS if _is_sleef(v)]) if len(g) > 1]
    old = xent.variant()
    try:
        for group in groups:
            for dt in DTYPES:
                x, t, w, ii = make_data((300, 7), dt, True, "some", 5)
                for red in REDUCTIONS:
                    res = []
                    for v in group:
                        xent.set_variant(v)
                        res.append(xent.nll_loss(x, t, w, ii, red, grad=True))
                    for (l1, g1), v in zip(res[1:], group[1:]):
                        assert np.asarray(l1).tobytes() == np.asarray(res[0][0]).tobytes(), (v, red)
                        assert g1.tobytes() == res[0][1].tobytes(), (v, red)
    finally:
        xent.set_variant(old)


# ---- errors ---------------------------------------------------------------


def torch_error(fn):
    with pytest.raises((RuntimeError, ValueError, IndexError)) as ei:
        fn()
    return ei.type, str(ei.value)


def _t(a):
    return None if a is None else torch.from_numpy(np.asarray(a))


@pytest.mark.parametrize("xshape,target,wshape", [
    ((), 0, None), ((4, 3), [0, 1, 2], None), ((4, 3), 1, None),
    ((4, 3), [[0, 1]] * 4, None), ((3,), [1], None), ((4, 3), [0, 1, 2, 1], (2,)),
    ((4, 3), [0, 1, 2, 1], (1, 3)), ((4, 3), [0, 1, 2, 1], ()),
    ((2, 3, 4), [[0] * 5] * 2, None), ((2, 3, 4), [0, 1], None),
    ((2, 3, 4), [[0] * 4] * 2, (2,)), ((2, 3, 4, 5), [[0] * 4] * 2, None),
    ((2, 3, 4, 5), [[[0] * 4] * 4] * 2, None), ((2, 3, 4, 5), [[[0] * 5] * 4] * 3, None),
    ((2, 3, 4, 5), [[[0] * 5] * 4] * 2, (4,)), ((2, 3, 2, 2, 2), [[[[0] * 3] * 2] * 2] * 2, None),
    ((4, 3), [0.0, 1.0, 2.0, 1.0], None), ((4, 3), [True, False, True, True], None),
    ((2, 3, 4), [[0.0] * 4] * 2, None)])
def test_shape_errors(xshape, target, wshape):
    x = np.zeros(xshape)
    t = np.array(target)
    w = None if wshape is None else np.ones(wshape)
    ttype, msg = torch_error(lambda: F.nll_loss(_t(x), _t(t), weight=_t(w)))
    with pytest.raises(ValueError) as ei:
        xent.nll_loss(x, t, w)
    assert str(ei.value) == msg
    assert isinstance(ei.value, xent.XentError)


@pytest.mark.parametrize("layout", ["C", "6xC", "2xCx3", "2xCx3x2", "2xCx2x2x2"])
@pytest.mark.parametrize("bad", [3, -1, 99, -101])
def test_target_out_of_bounds(variant, layout, bad):
    xshape = shape_of(layout, 3)
    x = np.zeros(xshape)
    tshape = () if len(xshape) == 1 else xshape[:1] + xshape[2:]
    t = np.zeros(tshape, np.int64)
    tf = t.reshape(-1)
    pos = tf.size - 1 if tf.size < 3 else 2
    tf[pos] = bad
    if tf.size > pos + 1:
        tf[-1] = 7                        # a later offender: the first is reported
    t = tf.reshape(tshape)
    ttype, msg = torch_error(lambda: F.nll_loss(_t(x), _t(t)))
    assert ttype is IndexError and msg == "Target %d is out of bounds." % bad
    for red in REDUCTIONS:
        for grad in (False, True):
            with pytest.raises(ValueError) as ei:
                xent.nll_loss(x, t, reduction=red, grad=grad)
            assert str(ei.value) == msg
            assert isinstance(ei.value, IndexError)
            assert isinstance(ei.value, xent.XentError)
            assert ei.value.index == pos


def test_ignore_index_is_not_out_of_bounds(variant):
    x = np.zeros((4, 3))
    t = np.array([0, 7, 1, 7])
    assert xent.nll_loss(x, t, ignore_index=7, reduction="none").tolist() == [0.0] * 4
    with pytest.raises(IndexError):
        xent.nll_loss(x, t)


@pytest.mark.parametrize("reduction", ["foo", "Mean", "", None, 1])
def test_invalid_reduction(reduction):
    x = np.zeros((3, 2))
    t = np.array([0, 1, 0])
    _, msg = torch_error(lambda: F.nll_loss(_t(x), _t(t), reduction=reduction))
    with pytest.raises(ValueError) as ei:
        xent.nll_loss(x, t, reduction=reduction)
    assert str(ei.value) == msg


# ---- API details --------------------------------------------------------


def test_input_forms(variant):
    rng = np.random.default_rng(13)
    x = rng.normal(size=(20, 4))
    t = rng.integers(0, 4, 20)
    ref = xent.nll_loss(x, t, reduction="none")
    assert np.array_equal(xent.nll_loss(x.tolist(), t.tolist(), reduction="none"), ref)
    assert np.array_equal(xent.nll_loss(x.astype(">f8"), t.astype(np.int32),
                                        reduction="none"), ref)
    assert np.array_equal(xent.nll_loss(torch.from_numpy(x), torch.from_numpy(t),
                                        reduction="none"), ref)
    r32 = xent.nll_loss(x.astype(np.float32), t, reduction="none",
                        weight=np.ones(4))
    assert r32.dtype == np.float32
    # 1-D input, 0-d target: a 0-d result
    l, g = xent.nll_loss(x[0], t[0], reduction="none", grad=True)
    assert l.shape == () and g.shape == (4,) and float(l) == -x[0, t[0]]


def test_empty(variant):
    for xshape, tshape in [((0, 3), (0,)), ((0, 3, 4), (0, 4)), ((2, 3, 0), (2, 0)),
                           ((0, 3, 4, 5), (0, 4, 5))]:
        x = np.zeros(xshape)
        t = np.zeros(tshape, np.int64)
        assert math.isnan(xent.nll_loss(x, t))
        assert xent.nll_loss(x, t, reduction="sum") == 0.0
        l, g = xent.nll_loss(x, t, reduction="none", grad=True)
        tl, tg = torch_nll(x, t, None, -100, "none")
        assert l.shape == tl.shape and g.shape == tg.shape == xshape


def test_no_classes():
    # C = 0: every target not ignored is out of bounds, as in torch
    x = np.zeros((3, 0))
    with pytest.raises(IndexError) as ei:
        xent.nll_loss(x, np.array([-100, 1, 0]))
    assert str(ei.value) == "Target 1 is out of bounds."
    assert math.isnan(xent.nll_loss(x, np.full(3, -100)))


def test_legacy_reduction_args():
    x = np.zeros((4, 2))
    t = np.array([0, 1, 1, 0])
    with pytest.warns(UserWarning):
        s = xent.nll_loss(x, t, size_average=False)
    assert s == xent.nll_loss(x, t, reduction="sum")
