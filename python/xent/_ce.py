"""cross_entropy: torch.nn.functional.cross_entropy on numpy."""

import ctypes
import math

import numpy as np

from . import _common as C
from ._lib import check, kernel_pair

_vp = ctypes.c_void_p
_sz = ctypes.c_size_t
_CE = kernel_pair("xent_cross_entropy", [
    _vp, _sz, _sz, _sz,                        # logits, n, k, ld
    _vp, _vp,                                  # target, weight
    ctypes.c_int64, ctypes.c_double,           # ignore_index, label_smoothing
    ctypes.c_int,                              # reduction
    ctypes.POINTER(ctypes.c_double),           # result
    _vp, _vp, _sz,                             # out, grad, ldg
    ctypes.POINTER(ctypes.c_size_t),           # bad_index
])
_CE_PROB = kernel_pair("xent_cross_entropy_prob", [
    _vp, _sz, _sz, _sz,                        # logits, n, k, ld
    _vp, _sz,                                  # target, ldt
    _vp, ctypes.c_double,                      # weight, label_smoothing
    ctypes.c_int,                              # reduction
    ctypes.POINTER(ctypes.c_double),           # result
    _vp, _vp, _sz,                             # out, grad, ldg
    ctypes.POINTER(ctypes.c_size_t),           # bad_index
])


def _check_smoothing(ls):
    if ls > 1.0:
        raise C.XentValueError("label_smoothing must be between 0.0 and 1.0. "
                               "Got: %g" % ls)


def _empty_classes(red, t, out_shape, xshape, dt, ignore_index, grad):
    """k = 0 (no classes), which the C functions refuse: every target that
    is not ignored is out of bounds, as in torch; otherwise nothing to sum."""
    if t is not None:
        live = t != ignore_index
        if live.any():
            i = int(np.argmax(live))
            raise C.XentIndexError("Target %d is out of bounds." % int(t[i]),
                                   None, i)
    if red == C.NONE:
        loss = np.zeros(out_shape, dt)
    else:
        loss = 0.0 if red == C.SUM else math.nan
    return (loss, np.zeros(xshape, dt)) if grad else loss


def cross_entropy(input, target, weight=None, ignore_index=-100,
                  reduction="mean", label_smoothing=0.0, grad=False, *,
                  size_average=None, reduce=None):
    """Cross-entropy between logits and class indices or class probabilities.

    A drop-in for ``torch.nn.functional.cross_entropy`` (torch 1.13) on
    numpy arrays (or anything ``np.asarray`` takes).  With the stable
    log-softmax ``lsm`` of each row of logits::

        index targets:  l_i = (1 - eps) * (-w[t_i] lsm[i, t_i])
                              + (eps / k) * (-sum_c w[c] lsm[i, c])
        probabilities:  l_i = -sum_c w[c] (y[i, c] (1 - eps) + eps / k) lsm[i, c]

    Parameters
    ----------
    input : array_like, float32 or float64
        Logits of shape (C,), (N, C) or (N, C, d1, d2, ...): the class
        dimension is dimension 1 (0 for a 1-D input), as in torch.
        Integer or boolean input computes in float64.
    target : array_like
        Either class indices of any integer dtype (torch: int64), of shape
        (), (N,) or (N, d1, d2, ...), or class probabilities: a float array
        of the input's shape (cast to input's dtype; not checked).
    weight : array_like, optional
        Class weights w[C], cast to input's dtype.
    ignore_index : int
        Index targets equal to it contribute 0 and leave the mean's
        denominator.  With probability targets it must be negative, as in
        torch.
    reduction : 'none' | 'mean' | 'sum'
        'mean' divides by the sum of w[t_i] over the targets not ignored
        (their count without weights; NaN when there is none) for index
        targets, by N * d1 * ... for probability targets.
    label_smoothing : float
        eps in [0, 1]; above 1 is an error, below 0 (or NaN) acts as 0.
    grad : bool
        Also return the gradient with respect to input for a gradient
        output of 1 (of ones for 'none'), as torch autograd computes it,
        of input's shape (C-contiguous).
    size_average, reduce
        torch's deprecated legacy reduction arguments.

    Returns
    -------
    float (for 'sum' and 'mean', a double from a compensated sum) or an
    ndarray of the target's shape without the class dimension and of
    input's dtype (for 'none'); with ``grad=True`` the pair
    ``(loss, grad_input)``.

    Errors raise ``ValueError`` with torch's message (an out-of-range
    target, "Target 3 is out of bounds.", is also an ``IndexError``).
    """
    red = C.reduction_enum(reduction, size_average, reduce)
    x = C.as_array(input)
    dt = C.float_dtype(x, "cross_entropy")
    t = C.as_array(target)
    ls = float(label_smoothing)
    prob = t.shape == x.shape
    if prob:
        if t.dtype.kind != "f":
            raise C.XentValueError(
                "Expected floating point type for target with class "
                "probabilities, got %s" % C.torch_dtype_name(t.dtype))
        if ignore_index >= 0:
            raise C.XentValueError(
                "ignore_index is not supported for floating point target")
        if x.ndim == 0:
            raise C.XentIndexError(
                "Dimension specified as 1 but tensor has no dimensions")
        k = x.shape[1 if x.ndim > 1 else 0]
        w = None if weight is None else C.check_class_weight(
            weight, k, dt, "cross_entropy: ")
        _check_smoothing(ls)
    else:
        _check_smoothing(ls)
        if x.ndim == 0:
            raise C.XentIndexError(
                "Dimension specified as 1 but tensor has no dimensions")
        k = C.check_nll_nd(x.shape, t.shape, weight, t.dtype)
        w = None if weight is None else C.as_dtype(weight, dt)
    ls = ls if ls > 0.0 else 0.0           # negative or NaN acts as 0

    xshape = x.shape
    out_shape = xshape[:1] + xshape[2:] if x.ndim > 1 else ()
    if x.dtype != dt:
        x = x.astype(dt)
    z, ld = C.rows(C.class_last(x), dt)
    n = z.shape[0]
    if prob:
        y, ldt = C.rows(C.class_last(t), dt)
        tt = None
    else:
        tt = C.as_index(t).reshape(-1)
    if k == 0:
        return _empty_classes(red, tt, out_shape, xshape, dt, ignore_index,
                              grad)

    res = ctypes.c_double()
    bad = ctypes.c_size_t()
    out = np.empty(n, dt) if red == C.NONE else None
    g = np.empty((n, k), dt) if grad else None
    wp = None if w is None else w.ctypes.data
    op = None if out is None else out.ctypes.data
    gp = None if g is None else g.ctypes.data
    if prob:
        st = _CE_PROB[dt](z.ctypes.data, n, k, ld, y.ctypes.data, ldt, wp, ls,
                          red, res, op, gp, k, bad)
        if st:
            check(st, bad)
    else:
        st = _CE[dt](z.ctypes.data, n, k, ld, tt.ctypes.data, wp,
                     ignore_index, ls, red, res, op, gp, k, bad)
        if st:
            C.target_error(st, bad, tt)
    loss = res.value if out is None else out.reshape(out_shape)
    if not grad:
        return loss
    return loss, C.class_restore(g, xshape)
