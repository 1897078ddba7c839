"""Helpers shared by the save/load tests: comparing what was saved with what came back, and
making archives by hand."""

from __future__ import annotations

import io
import math
import zipfile
from typing import Any

import numpy as np

import minimodel as mm


def assert_same(loaded: Any, original: Any) -> None:
    """Equal values, and the same types all the way down (dict vs OrderedDict, tuple vs list)."""
    assert type(loaded) is type(original)
    if isinstance(original, mm.Tensor):
        assert loaded.dtype == original.dtype and loaded.shape == original.shape
        assert loaded.requires_grad == original.requires_grad
        np.testing.assert_array_equal(loaded.detach().numpy(), original.detach().numpy())
    elif isinstance(original, dict):
        assert list(loaded) == list(original)
        for key in original:
            assert type(next(k for k in loaded if k == key)) is type(key)
            assert_same(loaded[key], original[key])
    elif isinstance(original, list | tuple):
        assert len(loaded) == len(original)
        for a, b in zip(loaded, original, strict=True):
            assert_same(a, b)
    elif isinstance(original, float) and math.isnan(original):
        assert math.isnan(loaded)
    else:
        assert loaded == original


def zip_of(members: dict[str, str | bytes], compression: int = zipfile.ZIP_STORED) -> bytes:
    """The bytes of a zip file holding ``members`` (name -> content): a hand-made save file."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=compression) as zf:
        for name, content in members.items():
            zf.writestr(name, content)
    return buffer.getvalue()


def npy_of(array: np.ndarray) -> bytes:
    """The ``.npy`` bytes of ``array`` (object arrays pickled, as a hostile file would)."""
    buffer = io.BytesIO()
    np.save(buffer, array, allow_pickle=True)
    return buffer.getvalue()
