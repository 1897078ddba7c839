"""Parameter: a Tensor subclass marked as a weight, sharing its data, printed as PyTorch does."""

from __future__ import annotations

import copy

import numpy as np
import pytest

import minimodel as mm
from minimodel import nn


def test_parameter_requires_grad_by_default() -> None:
    p = nn.Parameter(mm.zeros(3))
    assert p.requires_grad
    assert p.is_leaf and p.grad_fn is None


def test_parameter_requires_grad_false_is_kept() -> None:
    assert not nn.Parameter(mm.zeros(3), requires_grad=False).requires_grad


def test_parameter_requires_grad_even_under_no_grad() -> None:
    with mm.no_grad():
        p = nn.Parameter(mm.zeros(3))
    assert p.requires_grad


def test_parameter_is_a_tensor_subclass() -> None:
    p = nn.Parameter(mm.zeros(3))
    assert isinstance(p, mm.Tensor)
    assert isinstance(p, nn.Parameter)
    assert not isinstance(mm.zeros(3), nn.Parameter)


def test_parameter_shares_the_array_of_its_data() -> None:
    data = mm.zeros(3)
    p = nn.Parameter(data)
    data.numpy()[1] = 7.0
    assert p.detach().numpy()[1] == 7.0


def test_parameter_keeps_the_dtype_of_its_data() -> None:
    assert nn.Parameter(mm.zeros(2, dtype=mm.float64)).dtype == mm.float64


def test_parameter_without_data_is_empty_float32() -> None:
    p = nn.Parameter()
    assert p.shape == mm.Size([0])
    assert p.dtype == mm.float32
    assert p.requires_grad


def test_parameter_from_a_tensor_that_requires_grad_is_a_new_leaf() -> None:
    x = mm.ones(2, requires_grad=True)
    p = nn.Parameter(x * 2)
    assert p.is_leaf and p.requires_grad


@pytest.mark.parametrize(
    ("data", "name"),
    [(np.zeros(3), "numpy.ndarray"), ([1.0, 2.0], "list"), (3.0, "float")],
)
def test_parameter_of_a_non_tensor_raises_attribute_error_like_pytorch(data, name) -> None:
    with pytest.raises(AttributeError, match=f"'{name}' object has no attribute 'detach'"):
        nn.Parameter(data)


def test_parameter_of_an_integer_tensor_cannot_require_grad() -> None:
    with pytest.raises(RuntimeError, match="Only Tensors of floating point and complex dtype"):
        nn.Parameter(mm.arange(3))


def test_parameter_of_an_integer_tensor_without_grad_is_allowed() -> None:
    p = nn.Parameter(mm.arange(3), requires_grad=False)
    assert p.dtype == mm.int64


def test_parameter_repr_prefixes_the_tensor_repr() -> None:
    p = nn.Parameter(mm.tensor([1.0, 2.0]))
    assert repr(p) == "Parameter containing:\ntensor([1., 2.], requires_grad=True)"


def test_operations_on_a_parameter_return_plain_tensors() -> None:
    p = nn.Parameter(mm.ones(2))
    for result in (p * 2, p + p, p.detach(), p.sum()):
        assert type(result) is mm.Tensor


def test_parameter_gets_a_gradient_from_backward() -> None:
    p = nn.Parameter(mm.tensor([1.0, 2.0]))
    (p * p).sum().backward()
    np.testing.assert_array_equal(p.grad.numpy(), [2.0, 4.0])


def test_deepcopy_of_a_parameter_copies_the_array_but_not_the_grad() -> None:
    p = nn.Parameter(mm.tensor([1.0, 2.0]))
    p.grad = mm.ones(2)
    q = copy.deepcopy(p)
    assert type(q) is nn.Parameter and q.requires_grad
    assert q.grad is None
    q.detach().numpy()[0] = 5.0
    assert p.detach().numpy()[0] == 1.0


def test_deepcopy_keeps_requires_grad_false() -> None:
    p = nn.Parameter(mm.ones(2), requires_grad=False)
    assert not copy.deepcopy(p).requires_grad


def test_deepcopy_of_a_shared_parameter_stays_shared() -> None:
    p = nn.Parameter(mm.ones(2))
    a, b = copy.deepcopy([p, p])
    assert a is b and a is not p
