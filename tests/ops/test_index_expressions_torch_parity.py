"""Generated index expressions against PyTorch: ints, slices, None, ``...``, lists, int and bool
tensors, mixed in any order and number.

Each expression is applied to the same tensor in both libraries: the result must have the same
shape and values and give the same gradient, or both must raise the same exception (class and
message). Assigning a number through the expression must change the same elements.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from budget import examples
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import array_shapes
from torch_compare import assert_same_error, outcome
from torch_helpers import require_torch

import minimodel as mm

torch = require_torch()

# An index item, before it is turned into either library's objects: ("int", 2), ("list", [0, 1])...
Item = tuple[str, Any]


@st.composite
def _item(draw: st.DrawFn, n: int) -> Item:
    """One index item for a dimension of size ``n`` (sometimes out of range, to test errors)."""
    kind = draw(
        st.sampled_from(
            ["int", "slice", "none", "ellipsis", "list", "tensor", "scalar_tensor", "mask", "bool"]
        )
    )
    index = st.integers(-n, n - 1) | st.integers(-n - 2, n + 1)
    if kind in ("int", "scalar_tensor"):
        return kind, draw(index)
    if kind == "slice":
        bound = st.none() | st.integers(-n - 1, n + 1)
        step = st.none() | st.integers(1, 3) | st.just(-1)
        return kind, slice(draw(bound), draw(bound), draw(step))
    if kind in ("list", "tensor"):
        shape = draw(st.sampled_from([(1,), (2,), (3,), (2, 2), (0,)]))
        values = draw(st.lists(index, min_size=int(np.prod(shape)), max_size=int(np.prod(shape))))
        return kind, np.array(values, dtype=np.int64).reshape(shape)
    if kind == "mask":
        size = draw(st.sampled_from([n, n, n + 1]))
        return kind, np.array(draw(st.lists(st.booleans(), min_size=size, max_size=size)))
    if kind == "bool":
        return kind, draw(st.booleans())
    return kind, None


@st.composite
def _expression(draw: st.DrawFn) -> tuple[tuple[int, ...], list[Item]]:
    shape = draw(array_shapes(min_dims=1, max_dims=4, min_side=1, max_side=4))
    items: list[Item] = []
    for k in range(draw(st.integers(1, len(shape) + 1))):
        item = draw(_item(shape[min(k, len(shape) - 1)]))
        # One ``...`` at most: PyTorch's handling of a second one is erratic (it shifts later
        # indices past the last dimension), not something to copy.
        if item[0] != "ellipsis" or ("ellipsis", None) not in items:
            items.append(item)
    return shape, items


def _build(lib: Any, items: list[Item]) -> Any:
    out = []
    for kind, value in items:
        if kind in ("int", "slice", "bool"):
            out.append(value)
        elif kind == "none":
            out.append(None)
        elif kind == "ellipsis":
            out.append(Ellipsis)
        elif kind == "list":
            out.append(value.tolist())
        else:  # tensors: int, 0-d int and bool
            out.append(lib.tensor(value))
    return tuple(out) if len(out) != 1 else out[0]


@settings(max_examples=examples(300))
@given(expression=_expression())
def test_index_expressions_match_torch(expression: tuple[tuple[int, ...], list[Item]]) -> None:
    shape, items = expression
    data = np.arange(np.prod(shape), dtype=np.float32).reshape(shape)
    x_mm = mm.tensor(data, requires_grad=True)
    x_torch = torch.tensor(data, requires_grad=True)
    mine = outcome(lambda: x_mm[_build(mm, items)])
    theirs = outcome(lambda: x_torch[_build(torch, items)])
    if theirs[0] == "ok" and theirs[1].numel() == 0 and "out of bounds" in str(mine[1]):
        return  # PyTorch checks no index when the result is empty; minimodel still does
    assert mine[0] == theirs[0], f"minimodel {mine}, torch {theirs}"
    if mine[0] == "raise":
        assert_same_error(mine[1], theirs[1])
        return
    out_mm, out_torch = mine[1], theirs[1]
    assert tuple(out_mm.shape) == tuple(out_torch.shape)
    np.testing.assert_array_equal(out_mm.detach().numpy(), out_torch.detach().numpy())
    upstream = np.random.default_rng(0).standard_normal(tuple(out_torch.shape)).astype(np.float32)
    out_mm.backward(mm.tensor(upstream))
    out_torch.backward(torch.tensor(upstream))
    np.testing.assert_allclose(x_mm.grad.numpy(), x_torch.grad.numpy(), rtol=1e-6, atol=1e-6)


@settings(max_examples=examples(150))
@given(expression=_expression())
def test_assignment_through_index_expressions_matches_torch(
    expression: tuple[tuple[int, ...], list[Item]],
) -> None:
    shape, items = expression
    data = np.arange(np.prod(shape), dtype=np.float32).reshape(shape)
    x_mm, x_torch = mm.tensor(data), torch.tensor(data)

    def assign(x: Any, lib: Any) -> None:
        x[_build(lib, items)] = -1.0

    mine, theirs = outcome(lambda: assign(x_mm, mm)), outcome(lambda: assign(x_torch, torch))
    if (
        theirs[0] == "ok"
        and (x_torch == torch.tensor(data)).all()
        and "out of bounds" in str(mine[1])
    ):
        return  # PyTorch checks no index when nothing is assigned; minimodel still does
    assert mine[0] == theirs[0], f"minimodel {mine}, torch {theirs}"
    if mine[0] == "raise":
        assert_same_error(mine[1], theirs[1])
        # PyTorch may have written part of it before raising; minimodel leaves it unchanged.
        np.testing.assert_array_equal(x_mm.numpy(), data)
    else:
        np.testing.assert_array_equal(x_mm.numpy(), x_torch.numpy())
