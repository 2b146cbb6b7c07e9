"""pytest configuration for the xent Python binding tests.

Run with:  PYTHONPATH=python /usr/bin/python3 -m pytest -q tests/python
(the python/ directory is also put on sys.path here, so PYTHONPATH is
optional).  Set XENT_LIBRARY to test a library other than build/libxent.so.
"""

import os
import sys

import pytest

_PY = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "python")
_PY = os.path.normpath(_PY)
if _PY not in sys.path:
    sys.path.insert(0, _PY)

import torch  # noqa: E402

torch.set_num_threads(1)

import xent  # noqa: E402

VARIANTS = xent.variants()


@pytest.fixture(params=VARIANTS)
def variant(request):
    """Run the test under each variant this CPU supports (name in the id)."""
    old = xent.variant()
    xent.set_variant(request.param)
    try:
        yield request.param
    finally:
        xent.set_variant(old)
