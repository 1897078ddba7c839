"""Tests of minimodel/ops/indexing.py: reading and writing with ints, slices, lists and masks."""

from __future__ import annotations

import pytest
from gradcheck import gradient_test

import minimodel as mm

test_gradient_matches_finite_differences = gradient_test("indexing")


def test_basic_indexing_returns_views() -> None:
    x = mm.zeros(3, 4)
    row = x[1]
    row.add_(1)  # writes through to x
    x[:, 0].fill_(2)
    assert x.tolist()[1] == [2.0, 1.0, 1.0, 1.0]
    assert x[0].tolist() == [2.0, 0.0, 0.0, 0.0]


def test_integer_array_indexing_copies() -> None:
    x = mm.zeros(3)
    picked = x[[0, 0, 2]]
    picked.add_(1)
    assert x.tolist() == [0.0, 0.0, 0.0]
    assert picked.shape == (3,)


def test_indexing_forms() -> None:
    x = mm.arange(12).reshape(3, 4)
    assert x[1, 2].item() == 6
    assert x[-1].tolist() == [8, 9, 10, 11]
    assert x[::2, 1:3].tolist() == [[1, 2], [9, 10]]
    assert x[..., -1].tolist() == [3, 7, 11]
    assert x[None].shape == (1, 3, 4)
    assert x[[0, 2], [1, 3]].tolist() == [1, 11]
    assert x[mm.tensor([2, 0])].tolist() == [[8, 9, 10, 11], [0, 1, 2, 3]]
    assert x[x > 9].tolist() == [10, 11]
    assert x[mm.tensor(1)].tolist() == [4, 5, 6, 7]


def test_repeated_indices_accumulate_gradient() -> None:
    x = mm.tensor([1.0, 2.0, 3.0], requires_grad=True)
    x[[0, 0, 2, 0]].sum().backward()
    assert x.grad.tolist() == [3.0, 0.0, 1.0]


def test_mask_gradient_reaches_only_selected_elements() -> None:
    x = mm.tensor([-1.0, 2.0, 3.0], requires_grad=True)
    (x[x > 0] ** 2).sum().backward()
    assert x.grad.tolist() == [0.0, 4.0, 6.0]


def test_setitem_without_grad_writes_in_place() -> None:
    x = mm.zeros(2, 3)
    x[0] = 1.0
    x[1, 1:] = mm.tensor([5.0, 6.0])
    x[:, 0] = mm.tensor([7.0, 8.0])
    assert x.tolist() == [[7.0, 1.0, 1.0], [8.0, 5.0, 6.0]]


def test_setitem_with_autograd_routes_gradients() -> None:
    w = mm.tensor([1.0, 2.0, 3.0], requires_grad=True)
    v = mm.tensor(10.0, requires_grad=True)
    z = w * 2
    z[1] = v
    (z * mm.tensor([1.0, 5.0, 1.0])).sum().backward()
    assert w.grad.tolist() == [2.0, 0.0, 2.0]  # the overwritten element gets no gradient
    assert v.grad.item() == 5.0
    assert z.tolist() == [2.0, 10.0, 6.0]


def test_setitem_on_a_leaf_requiring_grad_is_allowed_under_no_grad() -> None:
    w = mm.ones(3, requires_grad=True)
    with pytest.raises(RuntimeError, match="a view of a leaf Variable"):
        w[0] = 0.0
    with mm.no_grad():
        w[0] = 0.0
    assert w.tolist() == [0.0, 1.0, 1.0] and w.is_leaf


def test_index_out_of_bounds_messages() -> None:
    with pytest.raises(IndexError, match="index 3 is out of bounds for dimension 0 with size 3"):
        mm.zeros(3)[3]
    with pytest.raises(IndexError, match="index 4 is out of bounds for dimension 0 with size 2"):
        mm.zeros(3, 2)[:, [0, 4]]  # PyTorch numbers the dims of tensor indices alone
    with pytest.raises(IndexError, match="too many indices for tensor of dimension 1"):
        mm.zeros(3)[0, 0]
    with pytest.raises(IndexError, match="invalid index of a 0-dim tensor"):
        mm.tensor(1.0)[0]


def test_float_indices_are_rejected() -> None:
    with pytest.raises(IndexError, match="tensors used as indices must be long, int, byte or bool"):
        mm.zeros(3)[mm.tensor([1.0])]
