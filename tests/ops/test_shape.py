"""Tests of minimodel/ops/shape.py: reshape, view, squeeze, transpose, permute, expand, ..."""

from __future__ import annotations

import pytest
from gradcheck import gradient_test

import minimodel as mm

test_gradient_matches_finite_differences = gradient_test("shape")


def test_reshape_infers_one_dimension_and_accepts_a_tuple() -> None:
    x = mm.arange(12)
    assert x.reshape(3, -1).shape == (3, 4)
    assert x.reshape((2, 6)).shape == (2, 6)
    assert x.reshape(-1).shape == (12,)
    assert mm.reshape(x, (4, 3)).shape == (4, 3)


def test_reshape_with_a_wrong_size_raises() -> None:
    with pytest.raises(RuntimeError, match=r"shape '\[5\]' is invalid for input of size 12"):
        mm.arange(12).reshape(5)


def test_views_share_memory() -> None:
    x = mm.zeros(2, 3)
    for view in (x.view(6), x.reshape(3, 2), x.t(), x.T, x.transpose(0, 1), x.unsqueeze(0)):
        view.numpy().flat[0] += 1  # every view sees element [0, 0]
    assert x[0, 0].item() == 6.0


def test_view_of_a_transposed_tensor_needs_reshape() -> None:
    t = mm.arange(6.0).reshape(2, 3).t()
    with pytest.raises(RuntimeError, match=r"Use \.reshape"):
        t.view(6)
    assert t.reshape(6).tolist() == [0.0, 3.0, 1.0, 4.0, 2.0, 5.0]


def test_squeeze_and_unsqueeze() -> None:
    x = mm.zeros(2, 1, 3, 1)
    assert x.squeeze().shape == (2, 3)
    assert x.squeeze(1).shape == (2, 3, 1)
    assert x.squeeze(0).shape == (2, 1, 3, 1)  # size 2: nothing to remove
    assert x.squeeze((1, 3)).shape == (2, 3)
    assert mm.zeros(3).unsqueeze(-1).shape == (3, 1)
    assert mm.zeros(3).unsqueeze(0).shape == (1, 3)


def test_flatten_merges_a_range_of_dims() -> None:
    x = mm.zeros(2, 3, 4)
    assert x.flatten().shape == (24,)
    assert x.flatten(1).shape == (2, 12)
    assert x.flatten(0, 1).shape == (6, 4)
    assert mm.tensor(5.0).flatten().shape == (1,)
    one_d = mm.zeros(3)
    assert one_d.flatten() is one_d  # as in PyTorch


def test_transpose_permute_and_t() -> None:
    x = mm.zeros(2, 3, 4)
    assert x.transpose(0, 2).shape == (4, 3, 2)
    assert x.permute(2, 0, 1).shape == (4, 2, 3)
    assert x.permute((-1, 0, 1)).shape == (4, 2, 3)
    assert mm.zeros(2, 3).t().shape == (3, 2)
    assert mm.zeros(3).t().shape == (3,)
    with pytest.raises(RuntimeError, match="t\\(\\) expects a tensor with <= 2 dimensions"):
        x.t()


def test_expand_repeats_size_one_dims_without_copying() -> None:
    x = mm.tensor([[1.0], [2.0]])
    e = x.expand(2, 3)
    assert e.tolist() == [[1.0, 1.0, 1.0], [2.0, 2.0, 2.0]]
    assert x.expand(4, -1, 3).shape == (4, 2, 3)
    x.numpy()[0, 0] = 7.0
    assert e[0].tolist() == [7.0, 7.0, 7.0]


def test_expand_gradient_sums_the_copies() -> None:
    x = mm.tensor([[1.0], [2.0]], requires_grad=True)
    x.expand(3, 2, 4).sum().backward()
    assert x.grad.tolist() == [[12.0], [12.0]]


@pytest.mark.parametrize(("shape", "text"), [((3,), "Consider `x.mT`"), ((), "on 0-D tensors")])
def test_T_of_a_tensor_that_is_not_2d_warns_as_pytorch(shape, text) -> None:
    with pytest.warns(UserWarning, match=text):
        assert mm.zeros(shape).T.shape == shape
