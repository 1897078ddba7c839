"""Tests of minimodel/ops/reduction.py: sum, mean, max, min, argmax, argmin."""

from __future__ import annotations

import numpy as np
import pytest
from gradcheck import gradient_test

import minimodel as mm

test_gradient_matches_finite_differences = gradient_test("reduction")

X = [[1.0, 5.0, 3.0], [4.0, 2.0, 6.0]]


def test_sum_and_mean_over_dims() -> None:
    x = mm.tensor(X)
    assert x.sum().item() == 21.0
    assert x.sum(0).tolist() == [5.0, 7.0, 9.0]
    assert x.sum(dim=-1, keepdim=True).tolist() == [[9.0], [12.0]]
    assert x.sum((0, 1)).item() == 21.0
    assert x.mean(1).tolist() == [3.0, 4.0]
    assert x.mean((0, 1), keepdim=True).shape == (1, 1)


def test_sum_of_integers_is_int64_and_dtype_can_be_chosen() -> None:
    assert mm.tensor([1, 2], dtype=mm.int32).sum().dtype is mm.int64
    assert mm.tensor([1, 2]).sum(dtype=mm.float64).dtype is mm.float64


def test_mean_of_integers_raises() -> None:
    with pytest.raises(RuntimeError, match="mean\\(\\): could not infer output dtype"):
        mm.tensor([1, 2]).mean()


# pytest resets the warning filter minimodel installs on import; see
# tests/test_tensor.py::test_numpy_floating_point_warnings_are_silenced_in_scripts.
@pytest.mark.filterwarnings("ignore::RuntimeWarning")
def test_reductions_of_empty_tensors() -> None:
    assert mm.zeros(0).sum().item() == 0.0
    assert np.isnan(mm.zeros(0).mean().item())
    assert mm.zeros(2, 0).sum(1).tolist() == [0.0, 0.0]
    with pytest.raises(RuntimeError, match="Expected reduction dim to be specified"):
        mm.zeros(0).max()


def test_max_with_dim_returns_values_and_indices() -> None:
    out = mm.tensor(X).max(1)
    values, indices = out
    assert out.values.tolist() == values.tolist() == [5.0, 6.0]
    assert out.indices.tolist() == indices.tolist() == [1, 2]
    assert indices.dtype is mm.int64
    assert mm.tensor(X).min(0, keepdim=True).values.tolist() == [[1.0, 2.0, 3.0]]


def test_max_with_a_tensor_is_the_elementwise_maximum() -> None:
    assert mm.tensor([1.0, 5.0]).max(mm.tensor([3.0, 2.0])).tolist() == [3.0, 5.0]
    assert mm.min(mm.tensor([1.0, 5.0]), mm.tensor([3.0, 2.0])).tolist() == [1.0, 2.0]


def test_gradient_of_full_max_is_shared_between_ties() -> None:
    x = mm.tensor([1.0, 3.0, 3.0], requires_grad=True)
    x.max().backward()
    assert x.grad.tolist() == [0.0, 0.5, 0.5]


def test_gradient_of_max_along_a_dim_goes_to_the_chosen_index() -> None:
    x = mm.tensor(X, requires_grad=True)
    x.max(1).values.sum().backward()
    assert x.grad.tolist() == [[0.0, 1.0, 0.0], [0.0, 0.0, 1.0]]


def test_argmax_and_argmin() -> None:
    x = mm.tensor(X)
    assert x.argmax().item() == 5
    assert x.argmin(dim=1).tolist() == [0, 1]
    assert x.argmax(dim=0, keepdim=True).shape == (1, 3)
    assert mm.argmax(x).dtype is mm.int64


def test_reductions_of_a_0d_tensor_accept_dim_0() -> None:
    x = mm.tensor(2.0)
    assert x.sum(0).item() == 2.0
    assert x.mean(-1, keepdim=True).shape == ()
    assert x.max(0).values.item() == 2.0
