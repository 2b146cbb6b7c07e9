"""log_loss: scikit-learn 1.2's sklearn.metrics.log_loss on numpy."""

import ctypes
import numbers

import numpy as np

from . import _common as C
from ._lib import EDOMAIN, EZEROWEIGHT, check, kernel_pair

_vp = ctypes.c_void_p
_sz = ctypes.c_size_t
_LOG_LOSS = kernel_pair("xent_log_loss", [
    _vp, _sz, _sz, _sz,                        # P, n, k, ld
    _vp, _vp,                                  # labels, sample_weight
    ctypes.c_double, ctypes.c_int,             # eps, normalize
    ctypes.c_uint,                             # flags
    ctypes.POINTER(ctypes.c_double),           # result
    ctypes.POINTER(ctypes.c_size_t),           # bad_index
])

NO_RENORM = 1     # XENT_LOG_LOSS_NO_RENORM
EPS_AUTO = -1.0   # XENT_EPS_AUTO
F16 = np.dtype(np.float16)
F64 = np.dtype(np.float64)

_MSG_ZERO = "Weights sum to zero, can't be normalized"


def _num_samples(x):
    """sklearn.utils.validation._num_samples for arrays and sequences."""
    if hasattr(x, "shape") and x.shape is not None:
        if len(x.shape) == 0:
            raise TypeError("Singleton array %r cannot be considered a valid "
                            "collection." % x)
        return x.shape[0]
    return len(x)


def _finite_error(P):
    """sklearn's check_array message for NaN or infinity in P, or None."""
    # a sum in P's own dtype (one fast pass): finite means no NaN or inf;
    # an overflow to inf is told apart below
    if np.isfinite(P.sum()):
        return None
    if np.isnan(P).any():
        return "Input contains NaN."
    if np.isinf(P).any():
        return ("Input contains infinity or a value too large for %r."
                % P.dtype)
    return None


def _target_type(y):
    """sklearn's type_of_target for the label arrays log_loss takes
    (y as an ndarray): 'binary', 'multiclass', 'continuous', 'unknown',
    or 'multilabel-indicator' / 'multiclass-multioutput' for 2-D input."""
    if y.ndim not in (1, 2):
        return "unknown"
    if not min(y.shape):
        return "binary" if y.ndim == 1 else "unknown"
    if y.dtype == object and not isinstance(y.flat[0], str):
        return "unknown"
    if y.ndim == 2 and y.shape[1] > 1:
        u = np.unique(y)
        if len(u) < 3 and (y.dtype.kind in "biu" or (
                y.dtype.kind == "f" and np.all(u.astype(int) == u))):
            return "multilabel-indicator"
        return "multioutput"
    if y.dtype.kind == "f" and np.any(y != y.astype(int)):
        if not np.isfinite(y).all():
            raise C.XentValueError(
                "Input y contains NaN." if np.isnan(y).any() else
                "Input y contains infinity or a value too large for %r."
                % y.dtype)
        return "continuous"
    return "multiclass" if len(np.unique(y)) > 2 else "binary"


def _classes(src):
    """LabelBinarizer().fit(src).classes_: the sorted unique labels, with
    sklearn's errors."""
    y = np.asarray(src)
    kind = _target_type(y)
    if kind == "multioutput":
        raise C.XentValueError("Multioutput target data is not supported "
                               "with label binarization")
    if kind == "multilabel-indicator":
        raise C.XentValueError("xent.log_loss does not take label indicator "
                               "matrices; pass the labels as a 1-D array")
    if _num_samples(src) == 0:
        raise C.XentValueError("y has 0 samples: %r" % (src,))
    if kind not in ("binary", "multiclass"):
        raise C.XentValueError("Unknown label type: %r" % ((src,),))
    if not hasattr(src, "__array__"):
        if len({isinstance(v, str) for v in _flat(src)}) > 1:
            raise C.XentValueError("Mix of label input types (string and "
                                   "number)")
    return np.unique(y)


def _flat(seq):
    for v in seq:
        if isinstance(v, (list, tuple)):
            yield from _flat(v)
        else:
            yield v


def _int_labels(y_true):
    """(classes, idx) for the common case, a 1-D ndarray of small
    non-negative integer labels, by counting instead of sorting: classes
    are the values present (np.unique's result), idx each label's position
    among them (what _indices gives when every label is a class).  None
    when y_true is anything else, which takes the general path."""
    y = y_true
    if type(y) is not np.ndarray or y.dtype.kind not in "iu":
        return None
    if y.ndim == 2 and y.shape[1] == 1:
        y = y.reshape(-1)
    if y.ndim != 1 or y.size == 0:
        return None
    lo, hi = int(y.min()), int(y.max())
    if lo < 0 or hi >= max(2 * y.size, 1024):
        return None
    yi = C.as_dtype(y, np.dtype(np.int64))
    present = np.bincount(yi, minlength=hi + 1) > 0
    classes = np.flatnonzero(present).astype(y.dtype)
    if classes.size == hi + 1:
        return classes, yi
    lut = np.cumsum(present) - 1
    return classes, lut[yi].astype(np.int64)


def _int_labels_given(y_true, labels):
    """The same fast path for labels=[0, 1, ..., m-1] (integers, in order)
    and an integer ndarray y_true within them: the labels are the indices."""
    y = y_true
    if type(y) is not np.ndarray or y.dtype.kind not in "iu":
        return None
    lab = np.asarray(labels)
    if lab.ndim != 1 or lab.size < 2 or lab.dtype.kind not in "iu":
        return None
    if not np.array_equal(lab, np.arange(lab.size)):
        return None
    if y.ndim == 2 and y.shape[1] == 1:
        y = y.reshape(-1)
    if y.ndim != 1 or y.size == 0 or int(y.min()) < 0 or int(y.max()) >= lab.size:
        return None
    return lab, C.as_dtype(y, np.dtype(np.int64))


def _indices(y_true, classes, n):
    """(idx, zero): y_true mapped to class indices as sklearn's
    LabelBinarizer.transform + log_loss do it.  Two classes and at most
    two distinct values in y_true (sklearn's 'binary'): index 1 for the
    greater class, 0 for anything else.  Otherwise one-hot, and a label
    not among the classes gives an all-zero row (a term of 0 that still
    counts in the mean): those rows are flagged in zero (or zero is None)."""
    y = np.asarray(y_true)
    if y.ndim == 2 and y.shape[1] == 1:
        y = y.reshape(-1)
    kind = _target_type(y)
    if kind == "multilabel-indicator":
        raise C.XentValueError("xent.log_loss does not take label indicator "
                               "matrices; pass the labels as a 1-D array")
    if kind == "multioutput":
        raise C.XentValueError("Multioutput target data is not supported "
                               "with label binarization")
    if kind == "unknown":
        raise C.XentValueError("The type of target data is not known")
    if kind not in ("binary", "multiclass"):
        raise C.XentValueError("%s target data is not supported with label "
                               "binarization" % kind)
    if y.shape[0] != n:
        raise C.XentValueError("Found input variables with inconsistent "
                               "numbers of samples: %r" % [n, y.shape[0]])
    seen = np.in1d(y, classes)
    idx = np.zeros(n, np.int64)
    idx[seen] = np.searchsorted(classes, y[seen])
    if kind == "binary" and len(classes) == 2:
        return (idx == 1).astype(np.int64), None   # unseen -> 0, as sklearn
    zero = ~seen
    return idx, (zero if zero.any() else None)


def log_loss(y_true, y_pred, *, eps="auto", normalize=True,
             sample_weight=None, labels=None, renormalize=True):
    """Log loss (cross-entropy) of labels under predicted probabilities.

    A drop-in for ``sklearn.metrics.log_loss`` of scikit-learn 1.2: every
    probability is clipped to [eps, 1 - eps], a 1-D y_pred (or one column)
    is the probability of the greater class, each row is divided by its
    sum, and ``l_i = -log(P[i, y_i])``; the result is the (weighted) mean
    of the l_i, or their (weighted) sum with ``normalize=False``.

    Parameters
    ----------
    y_true : array_like of shape (n_samples,)
        Labels of any kind sklearn takes (ints, strings, integral floats,
        booleans).  The classes are the sorted unique labels of ``labels``
        if given, else of y_true.  Label indicator matrices are not taken.
    y_pred : array_like of shape (n_samples, n_classes) or (n_samples,)
        Probabilities, float32 or float64 (integers and booleans compute in
        float64, float16 in float32 with float16's eps).  The columns are
        the classes in sorted order.  NaN or infinity raises ValueError.
    eps : float in [0, 1] or 'auto'
        'auto' is the machine epsilon of y_pred's dtype.
    normalize : bool
        Mean (True) or sum (False) of the per-sample losses.
    sample_weight : array_like of shape (n_samples,), optional
        Weights (float64).  Weights summing to zero with normalize=True
        raise ZeroDivisionError (also a ValueError), as sklearn does.
    labels : array_like, optional
        All the class labels, when y_true does not show every class.
    renormalize : bool
        False skips the division of each row by its sum (scikit-learn >=
        1.5's behaviour; XENT_LOG_LOSS_NO_RENORM).

    Returns
    -------
    float
        Computed in double (each log is taken in double, and the sums are
        compensated).

    Errors raise ``ValueError`` with sklearn's messages: a single class in
    y_true without labels, fewer than two labels, inconsistent lengths, a
    class count in y_pred differing from the labels', NaN or infinity in
    y_pred, an empty y_pred.
    """
    # check_array(y_pred, ensure_2d=False, dtype=[float64, float32, float16])
    P = C.as_array(y_pred)
    eps_dt = None
    if P.dtype == F16:
        eps_dt = float(np.finfo(np.float16).eps)
        dt = np.dtype(np.float32)
    else:
        dt = C.float_dtype(P, "log_loss")
    if P.ndim >= 3:
        raise C.XentValueError("Found array with dim %d. None expected <= 2."
                               % P.ndim)
    msg = _finite_error(P)
    if msg is not None:
        raise C.XentValueError(msg, EDOMAIN)
    n = _num_samples(P)
    if n < 1:
        raise C.XentValueError("Found array with 0 sample(s) (shape=%r) while "
                               "a minimum of 1 is required." % (P.shape,))
    if P.ndim == 2 and P.shape[1] < 1:
        raise C.XentValueError("Found array with 0 feature(s) (shape=%r) "
                               "while a minimum of 1 is required."
                               % (P.shape,))
    if isinstance(eps, str) and eps == "auto":
        ceps = EPS_AUTO if eps_dt is None else eps_dt
    elif (isinstance(eps, numbers.Real) and not isinstance(eps, bool)
          and 0.0 <= eps <= 1.0):
        ceps = float(eps)
    else:
        # scikit-learn >= 1.3's parameter validation (1.2 takes any value)
        raise C.XentValueError("The 'eps' parameter of log_loss must be a "
                               "float in the range [0, 1] or a str among "
                               "{'auto'}. Got %r instead." % (eps,))

    lengths = [n, _num_samples(y_true)]
    if sample_weight is not None:
        lengths.append(_num_samples(sample_weight))
    if len(set(lengths)) > 1:
        raise C.XentValueError("Found input variables with inconsistent "
                               "numbers of samples: %r" % lengths)

    fast = (_int_labels(y_true) if labels is None
            else _int_labels_given(y_true, labels))
    classes = fast[0] if fast else _classes(
        labels if labels is not None else y_true)
    if len(classes) == 1:
        if labels is None:
            raise C.XentValueError(
                "y_true contains only one label ({0}). Please provide the "
                "true labels explicitly through the labels argument."
                .format(classes[0]))
        raise C.XentValueError(
            "The labels array needs to contain at least two labels for "
            "log_loss, got {0}.".format(classes))
    idx, zero = (fast[1], None) if fast else _indices(y_true, classes, n)

    k = 1 if P.ndim == 1 else P.shape[1]
    if len(classes) != (2 if k == 1 else k):
        if labels is None:
            raise C.XentValueError(
                "y_true and y_pred contain different number of classes "
                "{0}, {1}. Please provide the true labels explicitly through "
                "the labels argument. Classes found in y_true: {2}"
                .format(len(classes), 2 if k == 1 else k, classes))
        raise C.XentValueError(
            "The number of classes in labels is different from that in "
            "y_pred. Classes found in labels: {0}".format(classes))

    if P.dtype != dt:
        P = P.astype(dt)
    P2, ld = C.rows(P.reshape(n, k), dt)
    sw = None
    if sample_weight is not None:
        sw = C.as_dtype(sample_weight, F64)
        if sw.shape != (n,):
            raise C.XentValueError("sample_weight must be 1-D, of shape (%d,)"
                                   % n)
    flags = 0 if renormalize else NO_RENORM

    if zero is None:
        res = _call(P2, n, k, ld, idx, sw, ceps, bool(normalize), flags, dt)
        return res
    # Labels outside `labels` in a multiclass y_true: sklearn's one-hot row
    # is all zero, so the term is 0 but the sample still counts in the mean.
    full = np.ones(n) if sw is None else sw
    num_w = full.copy()
    num_w[zero] = 0.0
    total = _call(P2, n, k, ld, idx, num_w, ceps, False, flags, dt)
    if not normalize:
        return total
    den = float(full.sum())
    if den == 0.0:
        raise C.XentZeroDivisionError(_MSG_ZERO, EZEROWEIGHT)
    return total / den


def _call(P2, n, k, ld, idx, sw, ceps, normalize, flags, dt):
    res = ctypes.c_double()
    bad = ctypes.c_size_t()
    st = _LOG_LOSS[dt](P2.ctypes.data, n, k, ld, idx.ctypes.data,
                       None if sw is None else sw.ctypes.data, ceps,
                       1 if normalize else 0, flags, res, bad)
    if st == EZEROWEIGHT:
        raise C.XentZeroDivisionError(_MSG_ZERO, st)
    if st:
        check(st, bad)
    return res.value

