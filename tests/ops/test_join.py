"""Tests of minimodel/ops/join.py: cat, stack, where, maximum, minimum."""

from __future__ import annotations

import pytest
from gradcheck import gradient_test

import minimodel as mm

test_gradient_matches_finite_differences = gradient_test("join")


def test_cat_along_any_dim() -> None:
    a, b = mm.zeros(2, 3), mm.ones(2, 1)
    assert mm.cat([a, b], dim=1).shape == (2, 4)
    assert mm.cat((a, a), dim=-2).shape == (4, 3)
    assert mm.concat([b, b]).shape == (4, 1)


def test_cat_skips_empty_1d_tensors() -> None:
    grown = mm.tensor([])
    for row in (mm.ones(1, 3), mm.zeros(1, 3)):
        grown = mm.cat([grown, row])
    assert grown.shape == (2, 3)
    assert grown.tolist() == [[1.0, 1.0, 1.0], [0.0, 0.0, 0.0]]


def test_cat_size_mismatch_message() -> None:
    with pytest.raises(RuntimeError, match="Sizes of tensors must match except in dimension 0"):
        mm.cat([mm.zeros(2, 3), mm.zeros(2, 4)])


def test_stack_adds_a_dimension() -> None:
    rows = [mm.tensor([1, 2]), mm.tensor([3, 4])]
    assert mm.stack(rows).tolist() == [[1, 2], [3, 4]]
    assert mm.stack(rows, dim=1).tolist() == [[1, 3], [2, 4]]
    assert mm.stack(rows, dim=-1).shape == (2, 2)
    with pytest.raises(RuntimeError, match="stack expects each tensor to be equal size"):
        mm.stack([mm.zeros(2), mm.zeros(3)])


def test_where_picks_and_routes_gradients() -> None:
    x = mm.tensor([-1.0, 2.0], requires_grad=True)
    y = mm.where(x > 0, x * 10, x * 100)
    assert y.tolist() == [-100.0, 20.0]
    y.sum().backward()
    assert x.grad.tolist() == [100.0, 10.0]


def test_where_accepts_numbers() -> None:
    x = mm.tensor([-1.0, 2.0])
    assert mm.where(x > 0, x, 0.0).tolist() == [0.0, 2.0]
    assert mm.where(x > 0, 1, 0).tolist() == [0, 1]


def test_where_needs_a_bool_condition() -> None:
    with pytest.raises(RuntimeError, match="where expected condition to be a boolean tensor"):
        mm.where(mm.ones(2), mm.ones(2), mm.zeros(2))


def test_maximum_minimum_and_tie_gradients() -> None:
    a = mm.tensor([1.0, 5.0, 2.0], requires_grad=True)
    b = mm.tensor([3.0, 4.0, 2.0], requires_grad=True)
    assert mm.maximum(a, b).tolist() == [3.0, 5.0, 2.0]
    assert mm.minimum(a, b).tolist() == [1.0, 4.0, 2.0]
    mm.maximum(a, b).sum().backward()
    assert a.grad.tolist() == [0.0, 1.0, 0.5]
    assert b.grad.tolist() == [1.0, 0.0, 0.5]
