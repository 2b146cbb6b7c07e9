"""xent: SIMD cross-entropy kernels, with torch-compatible Python bindings.

Pure Python over ctypes and numpy.  The shared library is loaded from the
environment variable ``XENT_LIBRARY`` when set, else from
``<repo>/build/libxent.so`` next to this package's ``python/`` directory.

Losses
------
binary_cross_entropy(input, target, weight=None, reduction='mean', grad=False)
    torch.nn.functional.binary_cross_entropy on numpy arrays.
binary_cross_entropy_with_logits(input, target, weight=None, reduction='mean',
                                 pos_weight=None, grad=False)
    torch.nn.functional.binary_cross_entropy_with_logits.
cross_entropy(input, target, weight=None, ignore_index=-100, reduction='mean',
              label_smoothing=0.0, grad=False)
    torch.nn.functional.cross_entropy: class-index or probability targets,
    inputs (C,), (N, C) or (N, C, d1, ...).
nll_loss(input, target, weight=None, ignore_index=-100, reduction='mean',
         grad=False)
    torch.nn.functional.nll_loss.
log_loss(y_true, y_pred, *, eps='auto', normalize=True, sample_weight=None,
         labels=None, renormalize=True)
    sklearn.metrics.log_loss (scikit-learn 1.2), labels of any kind.

With grad=True the torch-style losses return (loss, grad_input), the
gradient torch autograd gives for a gradient output of 1 (ones for 'none').

Variants
--------
variants()          the kernel variants this CPU can run, fastest first
variant()           the active variant
set_variant(name)   select one ("auto" picks the fastest own-log variant)

Errors are raised as ``ValueError`` (with the reference's message where
there is one; an out-of-range class index is also an ``IndexError`` and
log_loss's zero weight sum also a ``ZeroDivisionError``, as in the
references), ``RuntimeError`` or ``OverflowError``; all of them are also
``xent.XentError`` instances carrying ``status`` and ``index`` (the first
offending element, in C order, when the error is about one).
"""

import ctypes as _ctypes

from . import _lib
from ._bce import binary_cross_entropy
from ._ce import cross_entropy
from ._common import XentIndexError, XentZeroDivisionError
from ._lib import (XentError, XentOverflowError, XentRuntimeError,
                   XentValueError, library_path)
from ._logits import binary_cross_entropy_with_logits
from ._logloss import log_loss
from ._nll import nll_loss

__all__ = [
    "binary_cross_entropy", "binary_cross_entropy_with_logits",
    "cross_entropy", "nll_loss", "log_loss",
    "variants", "variant", "set_variant",
    "XentError", "XentValueError", "XentRuntimeError", "XentOverflowError",
    "XentIndexError", "XentZeroDivisionError", "library_path",
]

__version__ = "0.1.0"


def variants():
    """The names of the variants this CPU can run, fastest own-log first."""
    count = _ctypes.c_size_t()
    _lib.check(_lib.list_variants(None, 0, _ctypes.byref(count)))
    cap = count.value
    names = (_ctypes.c_char_p * max(cap, 1))()
    _lib.check(_lib.list_variants(names, cap, _ctypes.byref(count)))
    return [names[i].decode() for i in range(min(cap, count.value))]


def variant():
    """The name of the active variant."""
    name = _ctypes.c_char_p()
    _lib.check(_lib.get_variant(_ctypes.byref(name)))
    return name.value.decode()


def set_variant(name):
    """Select the kernel variant for the whole process.

    Raises ValueError for an unknown name or one this CPU cannot run."""
    if not isinstance(name, str):
        raise TypeError("variant name must be a str, not %s"
                        % type(name).__name__)
    st = _lib.set_variant(name.encode())
    if st == _lib.EUNSUPPORTED:
        raise XentValueError("%s: %r" % (_lib.strerror(st), name), st)
    _lib.check(st)
