"""Loading of the xent shared library and the low-level ctypes plumbing.

Everything a loss binding needs lives here:

* ``LIB``: the loaded ``ctypes.CDLL``;
* ``kernel_pair(stem, argtypes)``: the ``<stem>_f32`` / ``<stem>_f64`` symbols
  with their argument types declared once, as a ``{np.dtype: function}`` map;
* ``check(status, index, messages)``: status code to exception;
* ``XentError`` and its builtin-compatible subclasses.

The library is found through the environment variable ``XENT_LIBRARY`` (a
path to the shared object) or, by default, at ``<repo>/build/libxent.so``
relative to this file (``<repo>/python/xent/_lib.py``).
"""

import ctypes
import os

import numpy as np

__all__ = [
    "LIB", "library_path", "kernel_pair", "check", "strerror",
    "XentError", "XentValueError", "XentRuntimeError", "XentOverflowError",
    "OK", "EINVAL", "EDOMAIN", "ETARGET", "EOVERFLOW", "EUNSUPPORTED",
    "EZEROWEIGHT", "NO_INDEX",
]

# xent_status
OK = 0
EINVAL = 1
EDOMAIN = 2
ETARGET = 3
EOVERFLOW = 4
EUNSUPPORTED = 5
EZEROWEIGHT = 6

# (size_t)-1: "the error is not about one element"
NO_INDEX = ctypes.c_size_t(-1).value


def _default_path():
    here = os.path.dirname(os.path.abspath(__file__))
    repo = os.path.dirname(os.path.dirname(here))
    return os.path.join(repo, "build", "libxent.so")


def library_path():
    """The path the shared library is (or would be) loaded from."""
    return os.environ.get("XENT_LIBRARY") or _default_path()


def _load():
    path = library_path()
    try:
        return ctypes.CDLL(path)
    except OSError as exc:
        raise ImportError(
            "xent: cannot load the shared library %r (%s); build it with "
            "'cmake -S . -B build && cmake --build build' or set XENT_LIBRARY"
            % (path, exc)) from exc


LIB = _load()

# ---- errors ---------------------------------------------------------------


class XentError(Exception):
    """Base class of the errors reported by the library.

    ``status`` is the xent_status code and ``index`` the first offending
    element (flat, C order) or None when the error is not about one element.
    Every concrete error also derives from the matching builtin exception
    (``ValueError``, ``RuntimeError``, ``OverflowError``).
    """

    def __init__(self, message, status=None, index=None):
        super().__init__(message)
        self.status = status
        self.index = index


class XentValueError(XentError, ValueError):
    pass


class XentRuntimeError(XentError, RuntimeError):
    pass


class XentOverflowError(XentError, OverflowError):
    pass


_strerror = LIB.xent_strerror
_strerror.argtypes = [ctypes.c_int]
_strerror.restype = ctypes.c_char_p


def strerror(status):
    """The library's text for a status code."""
    return _strerror(status).decode("utf-8", "replace")


_EXC = {
    EINVAL: XentValueError,
    EDOMAIN: XentValueError,
    ETARGET: XentValueError,
    EZEROWEIGHT: XentValueError,
    EOVERFLOW: XentOverflowError,
    # From a loss call this means XENT_VARIANT named a variant this CPU
    # cannot run (xent.set_variant() fixes it); set_variant() itself
    # raises ValueError for an unknown name.
    EUNSUPPORTED: XentRuntimeError,
}


def check(status, index=None, messages=None):
    """Raise for a non-zero status.

    ``index`` is the c_size_t the call filled in (or None); ``messages`` maps
    a status to the text to use instead of xent_strerror (the reference's
    message, e.g. torch's)."""
    if status == OK:
        return
    text = None
    if messages is not None:
        text = messages.get(status)
    if text is None:
        text = strerror(status)
    idx = None
    if index is not None and index.value != NO_INDEX:
        idx = index.value
    raise _EXC.get(status, XentRuntimeError)(text, status, idx)


# ---- symbols --------------------------------------------------------------

F32 = np.dtype(np.float32)
F64 = np.dtype(np.float64)


def _declare(name, argtypes, restype=ctypes.c_int):
    fn = getattr(LIB, name)
    fn.argtypes = argtypes
    fn.restype = restype
    return fn


def kernel_pair(stem, argtypes):
    """``{float32: <stem>_f32, float64: <stem>_f64}`` with argtypes declared.

    Pointer arguments are best declared ``ctypes.c_void_p`` and passed as the
    integer ``arr.ctypes.data`` (or None for NULL): that is the cheapest way
    through ctypes and needs no per-dtype pointer types."""
    return {F32: _declare(stem + "_f32", argtypes),
            F64: _declare(stem + "_f64", argtypes)}


# variants
set_variant = _declare("xent_set_variant", [ctypes.c_char_p])
get_variant = _declare("xent_get_variant", [ctypes.POINTER(ctypes.c_char_p)])
list_variants = _declare("xent_list_variants",
                         [ctypes.c_void_p, ctypes.c_size_t,
                          ctypes.POINTER(ctypes.c_size_t)])
