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



# ---- helpers of the class-index losses (cross_entropy, nll_loss, log_loss) --

from ._lib import XentValueError  # noqa: E402


class XentIndexError(XentValueError, IndexError):
    """A ValueError that is also an IndexError: torch raises IndexError for
    an out-of-range class index ("Target 3 is out of bounds.")."""


class XentZeroDivisionError(XentValueError, ZeroDivisionError):
    """A ValueError that is also a ZeroDivisionError: scikit-learn's
    log_loss lets numpy.average raise ZeroDivisionError for sample weights
    that sum to zero."""


_TORCH_DTYPE = {
    "float16": "Half", "float32": "Float", "float64": "Double",
    "bool": "Bool", "int8": "Char", "uint8": "Byte", "int16": "Short",
    "int32": "Int", "int64": "Long", "complex64": "ComplexFloat",
    "complex128": "ComplexDouble",
}


def torch_dtype_name(dt):
    """The name torch's error messages use for a dtype ('Long', 'Float')."""
    dt = np.dtype(dt)
    return _TORCH_DTYPE.get(dt.name, dt.name)


def as_array(x):
    return x if type(x) is np.ndarray else np.asarray(x)


I64 = np.dtype(np.int64)


def as_index(t):
    """Class-index targets as a C-contiguous int64 array (any integer dtype
    is accepted; torch itself takes int64 only)."""
    return as_dtype(t, I64)


def rows(a, dt):
    """(array, ld) for a 2-D array a[n, k] passed to a C function taking a
    row-major matrix with row stride ld (in elements, ld >= k): a itself
    when its rows are unit-stride, aligned and of dtype dt (no copy),
    else a C-contiguous copy of dtype dt with ld = k."""
    n, k = a.shape
    item = dt.itemsize
    if a.dtype == dt and a.flags.aligned:
        s0, s1 = a.strides
        if k <= 1 or s1 == item:
            if n <= 1:
                return a, max(k, 1)
            if s0 > 0 and s0 % item == 0 and s0 // item >= k:
                return a, s0 // item
    return np.array(a, dtype=dt, order="C"), max(k, 1)


def class_last(x):
    """An (N, C, d1, ...) array with the class dimension moved last and the
    rest flattened: (N * d1 * ..., C) (a view when possible).  (C,) becomes
    (1, C) and (N, C) stays as it is."""
    if x.ndim == 1:
        return x.reshape(1, -1)
    if x.ndim == 2:
        return x
    return np.moveaxis(x, 1, -1).reshape(-1, x.shape[1])


def class_restore(g2, shape):
    """The inverse of class_last for a C-contiguous (n, C) array: an array of
    the given torch shape, C-contiguous (as torch's gradients are)."""
    if len(shape) <= 2:
        return g2.reshape(shape)
    moved = g2.reshape((shape[0],) + tuple(shape[2:]) + (shape[1],))
    return np.ascontiguousarray(np.moveaxis(moved, -1, 1))


def check_class_weight(weight, k, dt, prefix=""):
    """A class-weight vector w[k] as torch's nll_loss / cross_entropy take
    it (1-D, one per class, with torch's error text), cast to dt."""
    w = as_array(weight)
    if w.ndim != 1 or w.shape[0] != k:
        raise XentValueError(
            "%sweight tensor should be defined either for all %d classes or "
            "no classes but got weight tensor of shape: %s"
            % (prefix, k, list(w.shape)))
    return as_dtype(w, dt)


def check_nll_nd(xs, ts, weight, tdt):
    """torch's nll_loss_nd shape and dtype checks, in torch's order and with
    its error text, for an input of shape xs and class-index targets of
    shape ts and dtype tdt (a weight, when given, must be 1-D with one
    entry per class).  Returns the class count k."""
    nd = len(xs)
    if nd < 1:
        raise XentValueError("Expected 1 or more dimensions (got %d)" % nd)
    if nd != 1 and (len(ts) == 0 or xs[0] != ts[0]):
        raise XentValueError(
            "Expected input batch_size (%d) to match target batch_size (%d)."
            % (xs[0], ts[0] if len(ts) else 0))
    k = xs[1] if nd >= 2 else xs[0]
    if nd <= 2:
        if len(ts) > 1:
            raise XentValueError("0D or 1D target tensor expected, "
                                 "multi-target not supported")
        # torch also accepts a 1-D input with a 1-D target of the input's
        # length and then uses target[0] only; that is refused here.
        if (nd == 1) != (len(ts) == 0):
            raise XentValueError("size mismatch (got input: %s, target: %s)"
                                 % (list(xs), list(ts)))
        if weight is not None:
            w = as_array(weight)
            if w.ndim != 1 or w.shape[0] != k:
                raise XentValueError(
                    "weight tensor should be defined either for all %d "
                    "classes or no classes but got weight tensor of shape: %s"
                    % (k, list(w.shape)))
    else:
        if nd == 4:
            if len(ts) != 3:
                raise XentValueError(
                    "only batches of spatial targets supported (3D tensors) "
                    "but got targets of dimension: %d" % len(ts))
            if tuple(ts[1:]) != tuple(xs[2:]):
                raise XentValueError("size mismatch (got input: %s , target: %s"
                                     % (list(xs), list(ts)))
        elif tuple(ts[1:]) != tuple(xs[2:]):
            raise XentValueError("Expected target size %s, got %s"
                                 % ([xs[0]] + list(xs[2:]), list(ts)))
        if weight is not None:
            w = as_array(weight)
            if w.ndim != 1 or w.shape[0] != k:
                raise XentValueError("weight tensor should be defined either "
                                     "for all or no classes")
    if tdt.kind not in "iu":
        raise XentValueError("expected scalar type Long but found %s"
                             % torch_dtype_name(tdt))
    return k


def target_error(status, bad, t):
    """The error for an ETARGET status of a class-index loss (torch's
    IndexError text, naming the offending target value)."""
    from ._lib import ETARGET, check
    if status == ETARGET and bad.value < t.size:
        raise XentIndexError("Target %d is out of bounds." % int(t[bad.value]),
                             status, bad.value)
    check(status, bad)
