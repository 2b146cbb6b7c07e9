"""Parity of xent.log_loss with sklearn.metrics.log_loss (scikit-learn 1.2).

Run:  PYTHONPATH=python /usr/bin/python3 -m pytest -q tests/python

Every test that computes runs under each variant in xent.variants() (the
variant is in the test id), for float32 and float64 probabilities.

Reference values and bounds
---------------------------
The exact value is computed in long double (x87, 64-bit mantissa) from the
same inputs after the steps sklearn takes in P's dtype (the clip to
[eps, 1 - eps] with both bounds rounded to the dtype, and the binary
shorthand's 1 - p): q_i = P[i, y_i] / sum_c P[i, c], l_i = -log q_i, the
result sum s_i l_i / sum s_i (normalize) or sum s_i l_i.  xent and sklearn
are checked against it, then xent against sklearn within the sum of the
two bounds.  With u_T = eps / 2 of P's dtype and d = 2^-53:

* sklearn 1.2 sums each row in P's dtype ((k - 1) u_T relative), divides
  in it (u_T), takes the log in float64 (|l| 2d + the q error, absolute)
  and averages in float64 (numpy's pairwise sum: n d of sum |s l|): per
  term (k + 1) u_T + 2d |l|;
* xent sums the row in double ((k - 1) d), divides (d) and takes the log
  in double (1 ulp, 2d |l|), then the compensated sums (2^-52 relative):
  per term (k + 1) d + 2d |l|, then 2^-52 of sum |s l| and the division's
  rounding.

Tolerances are never widened to make a case pass.
"""

import math
import warnings
import zlib
from fractions import Fraction

import numpy as np
import pytest
from sklearn.metrics import log_loss as sk_log_loss

import xent

from conftest import VARIANTS

LD = np.longdouble
DTYPES = [np.float32, np.float64]
D = LD(2.0 ** -53)
SHAPES = ["bin1d", "k1col", "k2", "k3", "k10"]
LABELS = ["int", "str", "labels_unsorted"]


def _is_sleef(v):
    return v.endswith("+sleef")


def sk(*a, **kw):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return sk_log_loss(*a, **kw)


# ---- data -------------------------------------------------------------------


def make_data(shape, dt, label_kind, seed, n=50):
    """(y_true, P, labels, k): probabilities with exact 0 and 1 entries
    (clipped), rows that do not sum to 1 (renormalised), labels of the
    requested kind covering every class."""
    rng = np.random.default_rng(seed)
    k = {"bin1d": 2, "k1col": 2, "k2": 2, "k3": 3, "k10": 10}[shape]
    cls = rng.integers(0, k, n)
    cls[:k] = np.arange(k)                # every class present
    if shape in ("bin1d", "k1col"):
        p = rng.random(n)
        p[rng.random(n) < 0.1] = 0.0
        p[rng.random(n) < 0.1] = 1.0
        p[rng.random(n) < 0.1] = 1e-9
        P = p.astype(dt)
        if shape == "k1col":
            P = P.reshape(n, 1)
    else:
        P = rng.dirichlet(np.ones(k) * 0.7, n)
        P[::7] *= rng.uniform(0.3, 3.0, (P[::7].shape[0], 1))   # not summing to 1
        P[3::11, 0] = 0.0
        P[5::13, -1] = 1.0
        P = P.astype(dt)
    names = np.array(["c%02d" % (7 * j % 11) for j in range(k)])   # sorted order != j
    order = np.argsort(names)
    if label_kind == "int":
        vals = np.arange(k) * 3 - 2                 # sorted ints: class j
        y = vals[cls]
        labels = None
    elif label_kind == "str":
        sorted_names = names[order]
        y = sorted_names[cls]                       # class j = j-th sorted name
        labels = None
    else:
        vals = np.arange(k) * 5 + 1
        y = vals[cls]
        labels = list(vals[rng.permutation(k)])     # unsorted: sklearn sorts them
    return y, P, labels, k, cls


def clip_T(P, eps):
    dt = P.dtype
    if eps == "auto":
        lo = np.finfo(dt).eps
        hi = dt.type(1) - lo
    else:
        lo, hi = dt.type(eps), dt.type(1 - eps)
    return np.minimum(np.maximum(P, lo), hi)


def exact(P, cls, sw, eps, normalize):
    """(result, per-term l, s) in long double from the same inputs."""
    Pc = clip_T(P, eps)
    if Pc.ndim == 1 or Pc.shape[1] == 1:
        p1 = Pc.reshape(-1)
        Pc = np.stack([P.dtype.type(1) - p1, p1], axis=1)   # 1 - p in P's dtype
    Q = Pc.astype(LD)
    n = Q.shape[0]
    q = Q[np.arange(n), cls] / Q.sum(axis=1)
    l = -np.log(q)
    s = np.ones(n, LD) if sw is None else np.asarray(sw, LD)
    tot = (s * l).sum()
    return (tot / s.sum() if normalize else tot), l, s


def bounds(P, l, s, normalize):
    k = 2 if P.ndim == 1 else max(P.shape[1], 2)
    uT = LD(np.finfo(P.dtype).eps) / 2
    n = l.size
    A = np.abs(s * l).sum()
    den = abs(s.sum()) if normalize else LD(1)
    sk_t = np.abs(s) * ((k + 1) * uT + 2 * D * np.abs(l))
    xb_t = np.abs(s) * ((k + 1) * D + 2 * D * np.abs(l))
    skb = (sk_t.sum() + (n + 2) * D * A) / den
    xb = (xb_t.sum() + LD(2.0 ** -52) * A + 2 * D * A) / den
    return skb, xb


# ---- the parity grid -------------------------------------------------------------


_CACHE = {}


def reference(dt, shape, label_kind, eps, weighted):
    """Data, sklearn's results and the exact values, once for all variants."""
    key = (np.dtype(dt).name, shape, label_kind, eps, weighted)
    if key not in _CACHE:
        seed = zlib.crc32(repr(key[:3] + key[4:]).encode())
        y, P, labels, k, cls = make_data(shape, dt, label_kind, seed)
        sw = None
        if weighted:
            sw = np.random.default_rng(seed + 1).uniform(0, 3, y.size)
            sw[::9] = 0.0
        res = {}
        for normalize in (True, False):
            kw = dict(eps=eps, normalize=normalize, sample_weight=sw, labels=labels)
            with np.errstate(divide="ignore", invalid="ignore"):
                ex, l, s = exact(P, cls, sw, eps, normalize)
                res[normalize] = (kw, sk(y, P, **kw), ex) + bounds(P, l, s, normalize)
        _CACHE[key] = (y, P, res)
    return _CACHE[key]


@pytest.mark.parametrize("weighted", [False, True], ids=["now", "sw"])
@pytest.mark.parametrize("eps", ["auto", 1e-3, 1e-12], ids=lambda e: "eps_%s" % e)
@pytest.mark.parametrize("label_kind", LABELS)
@pytest.mark.parametrize("shape", SHAPES)
@pytest.mark.parametrize("dt", DTYPES, ids=["f32", "f64"])
def test_parity(variant, dt, shape, label_kind, eps, weighted):
    y, P, res = reference(dt, shape, label_kind, eps, weighted)
    P0 = P.copy()
    for normalize, (kw, ref, ex, skb, xb) in res.items():
        got = xent.log_loss(y, P, **kw)
        assert np.array_equal(P, P0)
        assert type(got) is float
        what = "normalize=%s" % normalize
        if not np.isfinite(ex):
            # float32 with eps = 1e-12: 1 - eps rounds to 1, the binary
            # shorthand's 1 - p to 0, and log 0 is -inf (times a zero weight: NaN)
            assert dt == np.float32 and eps == 1e-12
            assert np.float64(got).tobytes() == np.float64(ref).tobytes() or (
                math.isnan(got) and math.isnan(ref)), (what, got, ref)
            assert got == float(ex) or (math.isnan(got) and np.isnan(ex))
            continue
        assert abs(LD(ref) - ex) <= skb, ("sklearn vs exact", what, ref, ex, skb)
        assert abs(LD(got) - ex) <= xb, ("xent vs exact", what, got, ex, xb)
        assert abs(LD(got) - LD(ref)) <= skb + xb, ("xent vs sklearn", what, got, ref)


def test_bounds_can_fail():
    """A result one float32 ulp of P away is outside xent's bound."""
    y, P, labels, k, cls = make_data("k3", np.float32, "int", 5)
    ex, l, s = exact(P, cls, None, "auto", True)
    _, xb = bounds(P, l, s, True)
    got = xent.log_loss(y, P)
    assert abs(LD(got) - ex) <= xb
    assert abs(LD(got) * (1 + LD(2.0 ** -24)) - ex) > xb


# ---- documented values (semantics.md section 5) --------------------------------


def test_documented_values(variant):
    # log_loss([0, 1], [0, 1]): both terms are -log(1 - 2^-52) = x + x^2/2 + x^3/3 + ...
    # with x = 2^-52, just above the midpoint 2^-52 + 2^-105: correctly rounded,
    # 2.2204460492503136e-16 (semantics.md); sklearn's float64 log gives 2^-52
    x = Fraction(1, 2 ** 52)
    exact_v = float(sum(x ** j / j for j in range(1, 5)))
    assert exact_v == 2.2204460492503136e-16
    got = xent.log_loss([0, 1], [0.0, 1.0])
    if _is_sleef(variant):            # SLEEF's log is within 1 ulp, not correctly rounded
        assert abs(got - exact_v) <= 2 * 2.0 ** -53 * exact_v
    else:
        assert got == exact_v
    assert abs(sk([0, 1], [0.0, 1.0]) - exact_v) <= 2 * 2.0 ** -53 * exact_v
    # float32 p = 0, y = 1: -log(2^-23) = 23 log 2
    v = float(23 * np.log(LD(2)))
    assert v == 15.942385152878742
    assert xent.log_loss([1], np.float32([0.0]), labels=[0, 1]) == v
    assert sk([1], np.float32([0.0]), labels=[0, 1]) == v
    # a row not summing to 1 is renormalised: -log(.3 / .5)
    v = float(-np.log(LD(0.3) / LD(0.5)))
    assert v == 0.5108256237659907
    assert xent.log_loss([1], [[0.2, 0.3]], labels=[0, 1]) == v
    assert sk([1], [[0.2, 0.3]], labels=[0, 1]) == v
    # sklearn's documentation example, with sample weights.  The classes are
    # the sorted labels (ham, spam), so the terms are -log(.9), -log(.9),
    # -log(.8), -log(.65): 1.7200020709079464 weighted, / 6.5 normalised.
    # (semantics.md's 0.3541756511539517 / 2.302141732500686 are not what
    # scikit-learn 1.2 gives; see the report of this suite.)
    y = ["spam", "ham", "ham", "spam"]
    P = [[.1, .9], [.9, .1], [.8, .2], [.35, .65]]
    sw = [1, 2, .5, 3]
    terms = -np.log(np.array([.9, .9, .8, .65], LD))
    for w, norm in ((None, True), (sw, True), (sw, False)):
        s = np.ones(4, LD) if w is None else np.array(w, LD)
        ex = (s * terms).sum() / (s.sum() if norm else 1)
        got = xent.log_loss(y, P, sample_weight=w, normalize=norm)
        ref = sk(y, P, sample_weight=w, normalize=norm)
        bound = 8 * D * abs(ex)
        assert abs(LD(got) - ex) <= bound and abs(LD(ref) - ex) <= bound, (w, norm, got, ref, ex)
    assert sk(y, P, sample_weight=sw) == 0.26461570321660716
    assert sk(y, P, sample_weight=sw, normalize=False) == 1.7200020709079464


@pytest.mark.parametrize("dt", DTYPES, ids=["f32", "f64"])
def test_binary_forms_agree(variant, dt):
    rng = np.random.default_rng(3)
    p = rng.random(40).astype(dt)
    y = rng.integers(0, 2, 40)
    a = xent.log_loss(y, p)
    assert xent.log_loss(y, p.reshape(-1, 1)) == a
    P2 = np.stack([dt(1) - clip_T(p, "auto"), clip_T(p, "auto")], axis=1)
    b = xent.log_loss(y, P2)
    ex, l, s = exact(p, y, None, "auto", True)
    _, xb = bounds(p, l, s, True)
    assert abs(LD(a) - ex) <= xb and abs(LD(b) - ex) <= xb
    # booleans and label names: the greater label is the positive class
    assert xent.log_loss(y.astype(bool), p) == a
    assert xent.log_loss(np.where(y == 1, "yes", "no"), p) == a


@pytest.mark.parametrize("dt", DTYPES, ids=["f32", "f64"])
def test_labels_superset_and_partial(variant, dt):
    # y_true shows two of three classes; labels= gives all three
    P = np.array([[.2, .5, .3], [.6, .1, .3], [.25, .25, .5]], dt)
    y = ["b", "c", "b"]
    for labels in (["a", "b", "c"], ["c", "a", "b"]):
        got = xent.log_loss(y, P, labels=labels)
        ref = sk(y, P, labels=labels)
        ex, l, s = exact(P, np.array([1, 2, 1]), None, "auto", True)
        skb, xb = bounds(P, l, s, True)
        assert abs(LD(got) - ex) <= xb and abs(LD(ref) - ex) <= skb


@pytest.mark.parametrize("dt", DTYPES, ids=["f32", "f64"])
def test_zero_eps_gives_inf(variant, dt):
    P = np.array([[0.0, 1.0], [0.5, 0.5]], dt)
    assert xent.log_loss([0, 1], P, eps=0.0) == sk([0, 1], P, eps=0.0) == math.inf


def test_variants_bitwise_identical():
    own = [v for v in VARIANTS if not _is_sleef(v)]
    groups = [g for g in (own, [v for v in VARIANTS if _is_sleef(v)]) if len(g) > 1]
    old = xent.variant()
    try:
        for group in groups:
            for dt in DTYPES:
                for shape in SHAPES:
                    y, P, labels, k, cls = make_data(shape, dt, "int", 11, n=333)
                    sw = np.random.default_rng(2).uniform(0, 2, y.size)
                    for kw in ({}, {"sample_weight": sw}, {"normalize": False, "eps": 1e-4}):
                        res = []
                        for v in group:
                            xent.set_variant(v)
                            res.append(xent.log_loss(y, P, **kw))
                        assert all(np.float64(r).tobytes() == np.float64(res[0]).tobytes()
                                   for r in res), (group, dt, shape, kw, res)
    finally:
        xent.set_variant(old)


# ---- errors --------------------------------------------------------------------


def sk_error(*a, **kw):
    with pytest.raises(ValueError) as ei:
        sk(*a, **kw)
    return str(ei.value)


_ERRORS = [
    ("single class", ([1, 1, 1], [.5, .6, .7]), {}),
    ("single class 2-D", (["a", "a"], [[.5, .5], [.4, .6]]), {}),
    ("one label", ([1, 1, 1], [.5, .6, .7]), {"labels": [1]}),
    ("inconsistent y", ([1, 0, 1], [.5, .6]), {}),
    ("inconsistent weight", ([0, 1], [[.2, .8], [.5, .5]]), {"sample_weight": [1, 2, 3]}),
    ("class count", ([0, 1, 2], [[.2, .8], [.5, .5], [.1, .9]]), {}),
    ("class count labels", ([0, 1, 2], [[.2, .8, 0], [.5, .5, 0], [.1, .9, 0]]),
     {"labels": [0, 1, 2, 3]}),
    ("class count binary", ([0, 1], [[.2, .3, .5], [.5, .4, .1]]), {}),
    ("nan", ([0, 1], [[.2, np.nan], [.5, .5]]), {}),
    ("inf", ([0, 1], [[.2, np.inf], [.5, .5]]), {}),
    ("-inf 1-D", ([0, 1], [-np.inf, .5]), {}),
    ("nan f32", ([0, 1], np.float32([[.2, np.nan], [.5, .5]])), {}),
    ("n = 0", ([], []), {}),
    ("3-D", ([0, 1], np.full((2, 2, 1), .5)), {}),
]


@pytest.mark.parametrize("name,args,kw", _ERRORS, ids=[e[0] for e in _ERRORS])
def test_errors(variant, name, args, kw):
    msg = sk_error(*args, **kw)
    with pytest.raises(ValueError) as ei:
        xent.log_loss(*args, **kw)
    assert str(ei.value) == msg
    assert isinstance(ei.value, xent.XentError)


def test_zero_weight_sum(variant):
    y, P = [0, 1], [[.2, .8], [.5, .5]]
    with pytest.raises(ZeroDivisionError) as ei_sk:
        sk(y, P, sample_weight=[0, 0])
    with pytest.raises(ValueError) as ei:
        xent.log_loss(y, P, sample_weight=[0, 0])
    assert isinstance(ei.value, ZeroDivisionError)
    assert str(ei.value) == str(ei_sk.value)
    # without normalisation a zero weight sum is fine: 0
    assert xent.log_loss(y, P, sample_weight=[0, 0], normalize=False) == 0.0
    assert sk(y, P, sample_weight=[0, 0], normalize=False) == 0.0


@pytest.mark.parametrize("ydt", [np.int64, np.int32, np.uint8, np.uint64])
@pytest.mark.parametrize("values", [(0, 1, 2), (1, 4, 9), (0, 1), (3, 7)],
                         ids=["contig3", "gaps3", "contig2", "gaps2"])
def test_integer_label_fast_path(variant, ydt, values):
    # An integer ndarray y_true is mapped by counting (no sort); a list
    # takes the general path.  Both must give the same bits, and sklearn's
    # value within its bound.
    rng = np.random.default_rng(len(values) * 31 + values[-1])
    n, k = 257, len(values)
    y = np.asarray(values, ydt)[rng.integers(0, k, n)]
    y[:k] = np.asarray(values, ydt)                    # every class present
    P = rng.uniform(0.01, 1, (n, k))
    P /= P.sum(axis=1, keepdims=True)
    if k == 2:
        P = P[:, 1].copy()                             # binary shorthand
    for yy in (y, y.reshape(-1, 1)):
        got = xent.log_loss(yy, P)
        slow = xent.log_loss(y.tolist(), P)
        assert np.float64(got).tobytes() == np.float64(slow).tobytes(), (got, slow)
        ref = sk(y, P)
        assert abs(got - ref) <= 1e-14 * abs(ref), (got, ref)
    # labels = [0, 1, ..., k-1] given explicitly takes the fast path too
    lab = list(range(max(values) + 1))
    if len(lab) == k:
        got = xent.log_loss(y, P, labels=lab)
        slow = xent.log_loss(y.tolist(), P, labels=lab)
        assert np.float64(got).tobytes() == np.float64(slow).tobytes(), (got, slow)
        ref = sk(y, P, labels=lab)
        assert abs(got - ref) <= 1e-14 * abs(ref), (got, ref)
    # a single class is still sklearn's error
    with pytest.raises(ValueError, match="only one label"):
        xent.log_loss(np.full(n, values[1], ydt), np.full(n, 0.5))
