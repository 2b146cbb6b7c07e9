"""binary_cross_entropy: torch.nn.functional.binary_cross_entropy on numpy."""

import ctypes

import numpy as np

from . import _common as C
from ._lib import EDOMAIN, ETARGET, check, kernel_pair

_vp = ctypes.c_void_p
_BCE = kernel_pair("xent_bce", [
    _vp, _vp, _vp, ctypes.c_size_t,            # input, target, weight, n
    ctypes.c_int, ctypes.c_uint,               # reduction, flags
    ctypes.POINTER(ctypes.c_double),           # result
    _vp, _vp,                                  # out, grad
    ctypes.POINTER(ctypes.c_size_t),           # bad_index
])

CHECK_TARGET = 1  # XENT_CHECK_TARGET

_MESSAGES = {
    EDOMAIN: "all elements of input should be between 0 and 1",
    ETARGET: "all elements of target should be between 0 and 1",  # newer torch
}


def binary_cross_entropy(input, target, weight=None, reduction="mean",
                         grad=False, *, check_target=False,
                         size_average=None, reduce=None):
    """Binary cross-entropy between probabilities and targets.

    A drop-in for ``torch.nn.functional.binary_cross_entropy`` on numpy
    arrays (or anything ``np.asarray`` takes)::

        l_i = -w_i * (y_i * max(log p_i, -100) + (1 - y_i) * max(log(1 - p_i), -100))

    with ``log(1 - p)`` computed to log1p accuracy (torch 1.13 computes it
    naively and is less accurate for tiny p).

    Parameters
    ----------
    input : array_like, float32 or float64, any shape
        Probabilities in [0, 1]; anything else (NaN included) raises
        ``ValueError("all elements of input should be between 0 and 1")``.
        Integer or boolean input computes in float64.
    target : array_like, same shape as input
        Cast to input's dtype (torch instead requires the same dtype).
        Soft targets are allowed and not range-checked unless
        ``check_target=True`` (newer torch's behaviour).
    weight : array_like, optional
        Broadcast against input as torch does (per element, per column of
        an (n, k) input, ...), cast to input's dtype.
    reduction : 'none' | 'mean' | 'sum'
    grad : bool
        Also return the gradient with respect to input for a gradient
        output of 1 (of ones for 'none'), as torch autograd computes it:
        ``w * (p - y) / max(p * (1 - p), 1e-12)``, divided by numel for
        'mean'.
    check_target : bool
        Reject targets outside [0, 1] or NaN (XENT_CHECK_TARGET).
    size_average, reduce
        torch's deprecated legacy reduction arguments.

    Returns
    -------
    float (for 'sum' and 'mean': a double from a compensated sum; 'mean'
    of an empty input is NaN) or ndarray of input's shape and dtype (for
    'none'); with ``grad=True`` the pair ``(loss, grad_input)``.
    """
    red = C.reduction_enum(reduction, size_average, reduce)
    p, dt = C.as_input(input, "binary_cross_entropy")
    y = C.as_dtype(target, dt)
    shape = p.shape
    if y.shape != shape:
        raise ValueError(
            "Using a target size ({}) that is different to the input size "
            "({}) is deprecated. Please ensure they have the same size."
            .format(C.torch_size(y.shape), C.torch_size(shape)))
    w = None if weight is None else C.broadcast_weight(weight, shape, dt)

    res = ctypes.c_double()
    bad = ctypes.c_size_t()
    out = np.empty(shape, dt) if red == C.NONE else None
    g = np.empty(shape, dt) if grad else None
    st = _BCE[dt](p.ctypes.data, y.ctypes.data,
                  None if w is None else w.ctypes.data, p.size,
                  red, CHECK_TARGET if check_target else 0, res,
                  None if out is None else out.ctypes.data,
                  None if g is None else g.ctypes.data, bad)
    if st:
        check(st, bad, _MESSAGES)
    loss = res.value if out is None else out
    return (loss, g) if grad else loss
