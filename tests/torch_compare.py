"""Comparing minimodel with PyTorch: printed text and raised exceptions.

The one documented difference in text is that dtypes, sizes, devices and legacy tensor types are
spelled ``minimodel.float32``, ``minimodel.Size``, ``minimodel.device`` and
``minimodel.FloatTensor``; everything else (including mentions of ``torch.cat()`` in error
messages, which minimodel copies verbatim) must be identical.
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Callable
from typing import Any

import pytest

_DTYPE_OR_SIZE = re.compile(
    r"\btorch\.(?=(Size|bool|half|double|long|int|float|uint|device|dtype)\w*\b|\w+Tensor\b)"
)


def as_minimodel(text: str) -> str:
    """PyTorch's text with ``torch.float32``, ``torch.Size``, ``torch.FloatTensor`` and the like
    renamed to minimodel's."""
    return _DTYPE_OR_SIZE.sub("minimodel.", text)


def exception_of(fn: Callable[[], Any]) -> BaseException:
    """The exception ``fn()`` raises (the test fails if it raises none)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # only the exception is compared
        try:
            fn()
        except Exception as exc:  # the exception is the result under test
            return exc
    pytest.fail("no exception raised")


def assert_same_exception(mm_fn: Callable[[], Any], torch_fn: Callable[[], Any]) -> None:
    """Both calls raise the same exception type with the same message."""
    assert_same_error(exception_of(mm_fn), exception_of(torch_fn))


def assert_same_error(mine: BaseException, theirs: BaseException) -> None:
    """Two exceptions of the same type with the same message (PyTorch's renamed)."""
    assert type(mine) is type(theirs), f"{type(mine).__name__}: {mine} != {theirs!r}"
    assert str(mine) == as_minimodel(str(theirs))


def outcome(fn: Callable[[], Any]) -> tuple[str, Any]:
    """``("ok", result)`` or ``("raise", exception)``: for calls that may do either."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # only the result is compared
        try:
            return "ok", fn()
        except Exception as exc:  # the exception is the result under test
            return "raise", exc
