"""nll_loss: torch.nn.functional.nll_loss on numpy."""

import ctypes

import numpy as np

from . import _common as C
from ._lib import kernel_pair

_vp = ctypes.c_void_p
_sz = ctypes.c_size_t
_NLL = kernel_pair("xent_nll", [
    _vp, _sz, _sz, _sz,                        # input, n, k, ld
    _vp, _vp, ctypes.c_int64,                  # target, weight, ignore_index
    ctypes.c_int,                              # reduction
    ctypes.POINTER(ctypes.c_double),           # result
    _vp, _vp, _sz,                             # out, grad, ldg
    ctypes.POINTER(ctypes.c_size_t),           # bad_index
])


def nll_loss(input, target, weight=None, ignore_index=-100, reduction="mean",
             grad=False, *, size_average=None, reduce=None):
    """Negative log-likelihood of class indices under log-probabilities.

    A drop-in for ``torch.nn.functional.nll_loss`` (torch 1.13) on numpy
    arrays (or anything ``np.asarray`` takes)::

        l_i = -w[t_i] * x[i, t_i]

    Parameters
    ----------
    input : array_like, float32 or float64
        Log-probabilities of shape (C,), (N, C) or (N, C, d1, d2, ...): the
        class dimension is dimension 1 (0 for a 1-D input), as in torch.
        Integer or boolean input computes in float64.
    target : array_like of integers
        Class indices of shape (), (N,) or (N, d1, d2, ...) (any integer
        dtype; torch takes int64 only).  A target outside [0, C) that is
        not ``ignore_index`` raises ``ValueError("Target 3 is out of
        bounds.")`` (also an ``IndexError``, as torch raises).
    weight : array_like, optional
        Class weights w[C], cast to input's dtype.
    ignore_index : int
        Targets equal to it contribute 0 and leave the mean's denominator.
    reduction : 'none' | 'mean' | 'sum'
        'mean' divides by the sum of w[t_i] over the targets not ignored
        (their count without weights); NaN when there is none.
    grad : bool
        Also return the gradient with respect to input for a gradient
        output of 1 (of ones for 'none'), as torch autograd computes it:
        zero except ``-w[t_i]`` (``/ W`` for 'mean') at the target.
    size_average, reduce
        torch's deprecated legacy reduction arguments.

    Returns
    -------
    float (for 'sum' and 'mean', a double from a compensated sum) or an
    ndarray of the target's shape and input's dtype (for 'none'); with
    ``grad=True`` the pair ``(loss, grad_input)`` (grad_input C-contiguous
    of input's shape).
    """
    red = C.reduction_enum(reduction, size_average, reduce)
    x = C.as_array(input)
    dt = C.float_dtype(x, "nll_loss")
    t = C.as_array(target)
    k = C.check_nll_nd(x.shape, t.shape, weight, t.dtype)
    w = None if weight is None else C.as_dtype(weight, dt)

    xshape = x.shape
    out_shape = xshape[:1] + xshape[2:] if x.ndim > 1 else ()
    if x.dtype != dt:
        x = x.astype(dt)
    v, ld = C.rows(C.class_last(x), dt)
    n = v.shape[0]
    tt = C.as_index(t).reshape(-1)
    if k == 0:
        live = tt != ignore_index
        if live.any():
            i = int(np.argmax(live))
            raise C.XentIndexError("Target %d is out of bounds." % int(tt[i]),
                                   None, i)
        if red == C.NONE:
            loss = np.zeros(out_shape, dt)
        else:
            loss = 0.0 if red == C.SUM else float("nan")
        return (loss, np.zeros(xshape, dt)) if grad else loss

    res = ctypes.c_double()
    bad = ctypes.c_size_t()
    out = np.empty(n, dt) if red == C.NONE else None
    g = np.empty((n, k), dt) if grad else None
    st = _NLL[dt](v.ctypes.data, n, k, ld, tt.ctypes.data,
                  None if w is None else w.ctypes.data, ignore_index, red,
                  res, None if out is None else out.ctypes.data,
                  None if g is None else g.ctypes.data, k, bad)
    if st:
        C.target_error(st, bad, tt)
    loss = res.value if out is None else out.reshape(out_shape)
    if not grad:
        return loss
    return loss, C.class_restore(g, xshape)
