"""Helpers shared by the loss bindings: reductions, array coercion, shapes."""

import warnings

import numpy as np

from ._lib import F32, F64

# xent_reduction
NONE = 0
SUM = 1
MEAN = 2

_REDUCTIONS = {"none": NONE, "sum": SUM, "mean": MEAN}


def reduction_enum(reduction, size_average=None, reduce=None):
    """torch's reduction argument (and the legacy size_average/reduce pair)
    to an xent_reduction, with torch's warnings and error text."""
    if size_average is not None or reduce is not None:
        # torch.nn._reduction.legacy_get_reduction_string
        warnings.warn("size_average and reduce args will be deprecated, "
                      "please use reduction='%s' instead."
                      % _legacy(size_average, reduce))
        reduction = _legacy(size_average, reduce)
    try:
        return _REDUCTIONS[reduction]
    except (KeyError, TypeError):
        pass
    if reduction == "elementwise_mean":
        warnings.warn("reduction='elementwise_mean' is deprecated, "
                      "please use reduction='mean' instead.")
        return MEAN
    raise ValueError("{} is not a valid value for reduction".format(reduction))


def _legacy(size_average, reduce):
    if size_average is None:
        size_average = True
    if reduce is None:
        reduce = True
    if size_average and reduce:
        return "mean"
    if reduce:
        return "sum"
    return "none"


def float_dtype(arr, fname):
    """The computation dtype for an input array: float32 and float64 as
    they are; booleans and integers (e.g. from Python lists of ints) as
    float64; anything else is not implemented, as in torch."""
    dt = arr.dtype
    if dt == F32 or dt == F64:
        return dt
    if dt.kind in "biu":
        return F64
    if dt.kind == "f" and dt.itemsize in (4, 8):   # non-native byte order
        return np.dtype(dt.newbyteorder("="))
    raise TypeError('"%s" not implemented for %r' % (fname, str(dt)))


def as_input(x, fname):
    """(array, dtype): x as a C-contiguous, aligned array of its float
    dtype; no copy when it already is one."""
    a = x if type(x) is np.ndarray else np.asarray(x)
    dt = a.dtype
    if dt is not F32 and dt is not F64:
        dt = float_dtype(a, fname)
    f = a.flags
    if a.dtype != dt or not (f.c_contiguous and f.aligned):
        a = np.array(a, dtype=dt, order="C")
    return a, dt


def as_dtype(x, dt):
    """x as a C-contiguous, aligned array of dtype dt (cast like torch's
    .to(dtype)); no copy when it already is one."""
    a = x if type(x) is np.ndarray else np.asarray(x)
    f = a.flags
    if a.dtype != dt or not (f.c_contiguous and f.aligned):
        a = np.array(a, dtype=dt, order="C")
    return a


def torch_size(shape):
    """A shape as torch prints a torch.Size."""
    return "torch.Size(%s)" % (list(shape),)


def infer_size(a, b):
    """torch's at::infer_size (broadcast shape), with its error text."""
    ndim = max(len(a), len(b))
    out = [0] * ndim
    for i in range(ndim - 1, -1, -1):
        off = ndim - 1 - i
        da = len(a) - 1 - off
        db = len(b) - 1 - off
        sa = a[da] if da >= 0 else 1
        sb = b[db] if db >= 0 else 1
        if not (sa == sb or sa == 1 or sb == 1):
            raise ValueError(
                "The size of tensor a (%d) must match the size of tensor b "
                "(%d) at non-singleton dimension %d" % (sa, sb, i))
        out[i] = sa if sb == 1 else sb
    return tuple(out)


def broadcast_weight(weight, shape, dt):
    """A weight broadcast to an input/target of the given shape the way the
    torch losses do it (weight.expand(infer_size(target, weight)), then the
    elementwise kernel whose output has the input's shape), as a contiguous
    array of dtype dt."""
    w = weight if type(weight) is np.ndarray else np.asarray(weight)
    if w.shape != shape:
        new = infer_size(shape, w.shape)
        if new != shape:
            raise ValueError("output with shape %s doesn't match the "
                             "broadcast shape %s" % (list(shape), list(new)))
        w = np.broadcast_to(w, shape)
    return as_dtype(w, dt)

