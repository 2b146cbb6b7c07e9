"""binary_cross_entropy_with_logits: torch.nn.functional's, on numpy."""

import ctypes

import numpy as np

from . import _common as C
from ._lib import check, kernel_pair

_vp = ctypes.c_void_p
_BCEL = kernel_pair("xent_bce_logits", [
    _vp, _vp, _vp, _vp,                        # input, target, weight, pos_weight
    ctypes.c_size_t, ctypes.c_size_t,          # n, k
    ctypes.c_int,                              # reduction
    ctypes.POINTER(ctypes.c_double),           # result
    _vp, _vp,                                  # out, grad
    ctypes.POINTER(ctypes.c_size_t),           # bad_index
])


def _pos_weight(pos_weight, shape, dt):
    """(pw, k): pos_weight as the C call takes it.

    torch computes ``log_weight = (pos_weight - 1) * target`` (broadcast of
    the two, with its error text) and adds it in place into a tensor of the
    input's shape.  A pos_weight that only varies along the last dimension
    becomes that vector, ``k = shape[-1]``; one that varies along others is
    expanded to the whole shape, ``k = n`` (the C function's ``i mod k``)."""
    pw = pos_weight if type(pos_weight) is np.ndarray else np.asarray(pos_weight)
    new = C.infer_size(pw.shape, shape)     # a = pos_weight - 1, b = target
    if new != shape:
        raise ValueError("output with shape %s doesn't match the broadcast "
                         "shape %s" % (list(shape), list(new)))
    n = int(np.prod(shape))
    if n == 0:
        return np.ones(1, dt), 1
    if len(shape) == 0:
        return C.as_dtype(pw.reshape(1), dt), 1
    last = shape[-1]
    if all(d == 1 for d in pw.shape[:-1]):
        v = pw.reshape(-1) if pw.ndim else pw.reshape(1)
        if v.size == 1 and last != 1:
            v = np.broadcast_to(v, (last,))
        return C.as_dtype(v, dt), last
    return C.as_dtype(np.broadcast_to(pw, shape), dt), n


def binary_cross_entropy_with_logits(input, target, weight=None,
                                     reduction="mean", pos_weight=None,
                                     grad=False, *, size_average=None,
                                     reduce=None):
    """Binary cross-entropy between logits and targets.

    A drop-in for ``torch.nn.functional.binary_cross_entropy_with_logits``
    (torch 1.13) on numpy arrays (or anything ``np.asarray`` takes)::

        l_i = w_i * ((1 - y_i) * z_i - (1 + (pw_c - 1) * y_i) * log_sigmoid(z_i))

    with ``log_sigmoid(z) = min(z, 0) - log1p(exp(-|z|))``, stable for
    every finite z (NaN and inf propagate as in torch).

    Parameters
    ----------
    input : array_like, float32 or float64, any shape
        Logits.  Integer or boolean input computes in float64.
    target : array_like, same shape as input
        Cast to input's dtype (torch promotes instead); not range-checked.
    weight : array_like, optional
        Broadcast against input as torch does, cast to input's dtype.
    reduction : 'none' | 'mean' | 'sum'
    pos_weight : array_like, optional
        Weight of the positive examples, broadcast against the input as
        torch does: usually one per class, along the last dimension.
    grad : bool
        Also return the gradient with respect to input for a gradient
        output of 1 (of ones for 'none'), as torch autograd computes it:
        ``w * ((pw * y + 1 - y) * sigmoid(z) - pw * y)``, divided by numel
        for 'mean'.
    size_average, reduce
        torch's deprecated legacy reduction arguments.

    Returns
    -------
    float (for 'sum' and 'mean': a double from a compensated sum; 'mean'
    of an empty input is NaN) or ndarray of input's shape and dtype (for
    'none'); with ``grad=True`` the pair ``(loss, grad_input)``.
    """
    red = C.reduction_enum(reduction, size_average, reduce)
    z, dt = C.as_input(input, "binary_cross_entropy_with_logits")
    y = C.as_dtype(target, dt)
    shape = z.shape
    if y.shape != shape:
        raise ValueError(
            "Target size ({}) must be the same as input size ({})"
            .format(C.torch_size(y.shape), C.torch_size(shape)))
    pw, k = (None, 0) if pos_weight is None else _pos_weight(pos_weight,
                                                             shape, dt)
    w = None if weight is None else C.broadcast_weight(weight, shape, dt)

    res = ctypes.c_double()
    bad = ctypes.c_size_t()
    out = np.empty(shape, dt) if red == C.NONE else None
    g = np.empty(shape, dt) if grad else None
    st = _BCEL[dt](z.ctypes.data, y.ctypes.data,
                   None if w is None else w.ctypes.data,
                   None if pw is None else pw.ctypes.data,
                   z.size, k, red, res,
                   None if out is None else out.ctypes.data,
                   None if g is None else g.ctypes.data, bad)
    if st:
        check(st, bad)
    loss = res.value if out is None else out
    return (loss, g) if grad else loss
