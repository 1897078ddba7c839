"""Every reduction called the ways scripts call it, leaving every optional argument at its default.

A reduction's defaults (``keepdim=False``, ``dim=None``) are part of PyTorch's API: a script that
omits them must get the same shapes and values. Calls are generated as method and function, with
``dim`` positional, by keyword or left out.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from budget import examples
from hypothesis import given, settings
from hypothesis import strategies as st
from torch_helpers import require_torch

import minimodel as mm

torch = require_torch()

REDUCTIONS = ["sum", "mean", "max", "min", "argmax", "argmin"]


@st.composite
def calls(draw: Any) -> tuple[str, np.ndarray, str, tuple, dict]:
    shape = tuple(draw(st.lists(st.integers(1, 4), min_size=0, max_size=3)))
    # Distinct values: no ties, so max/min/argmax pick the same element in both libraries.
    size = int(np.prod(shape))
    values = np.random.default_rng(draw(st.integers(0, 2**16))).permutation(size)
    array = values.reshape(shape).astype(np.float32) - size / 2
    name = draw(st.sampled_from(REDUCTIONS))
    style = draw(st.sampled_from(["method", "function"]))
    how = draw(st.sampled_from(["none", "positional", "keyword"]))
    args: tuple = ()
    kwargs: dict = {}
    if how != "none" and shape:
        dim = draw(st.integers(-len(shape), len(shape) - 1))
        args, kwargs = ((dim,), {}) if how == "positional" else ((), {"dim": dim})
    return name, array, style, args, kwargs


def _call(lib: Any, name: str, array: np.ndarray, style: str, args: tuple, kwargs: dict) -> Any:
    x = lib.tensor(array)
    fn = getattr(x, name) if style == "method" else getattr(lib, name)
    out = fn(*args, **kwargs) if style == "method" else fn(x, *args, **kwargs)
    # max/min along a dim return (values, indices)
    return tuple(out) if isinstance(out, tuple) else (out,)


@settings(max_examples=examples(200))
@given(call=calls())
def test_reductions_with_default_arguments_match_torch(call: Any) -> None:
    mine, theirs = _call(mm, *call), _call(torch, *call)
    assert len(mine) == len(theirs)
    for m, t in zip(mine, theirs, strict=True):
        assert tuple(m.shape) == tuple(t.shape)
        assert repr(m.dtype) == repr(t.dtype).replace("torch.", "minimodel.")
        np.testing.assert_array_equal(m.numpy(), t.numpy())


@settings(max_examples=examples(60))
@given(
    shape=st.sampled_from([(1,), (), (2, 1), (1, 3), (2, 2)]),
    dim=st.sampled_from([None, 0, -1]),
    p=st.sampled_from([2.0, 1.0, 3.0, 0.5, float("inf")]),
    big=st.sampled_from([1e30, -3e20, 2.0]),
)
def test_norm_over_one_element_is_its_absolute_value_as_in_torch(shape, dim, p, big):
    # PyTorch does not raise a lone element to the power p and back: 1e30 stays 1e30 in float32.
    values = np.zeros(shape, dtype=np.float32)
    values.reshape(-1)[:1] = big
    if dim is not None and not shape:
        dim = None
    results = [
        lib.tensor(values).norm(p=p, dim=dim).numpy().astype(np.float64) for lib in (mm, torch)
    ]
    np.testing.assert_allclose(results[0], results[1], rtol=1e-6)
