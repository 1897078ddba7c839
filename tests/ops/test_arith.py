"""Tests of minimodel/ops/arith.py: + - * / ** @ with broadcasting, numbers and arrays."""

from __future__ import annotations

import re

import numpy as np
import pytest
from gradcheck import gradient_test

import minimodel as mm

test_gradient_matches_finite_differences = gradient_test("arith")


def test_broadcasting_combines_shapes() -> None:
    out = mm.ones(2, 1, 3) + mm.arange(4.0).reshape(4, 1)
    assert out.shape == (2, 4, 3)
    assert out[1, 3].tolist() == [4.0, 4.0, 4.0]


def test_broadcasting_mismatch_names_the_dimension() -> None:
    message = (
        "The size of tensor a (3) must match the size of tensor b (4) at non-singleton dimension 1"
    )
    with pytest.raises(RuntimeError, match=re.escape(message)):
        mm.ones(2, 3) + mm.ones(4)


def test_gradient_of_a_broadcast_operand_is_summed_back_to_its_shape() -> None:
    bias = mm.zeros(3, requires_grad=True)
    (mm.ones(4, 3) * 2 + bias).sum().backward()
    assert bias.grad.tolist() == [4.0, 4.0, 4.0]


def test_numbers_and_numpy_arrays_on_either_side() -> None:
    x = mm.tensor([1.0, 2.0])
    assert (x + 1).tolist() == (1 + x).tolist() == [2.0, 3.0]
    assert (10 - x).tolist() == [9.0, 8.0]
    assert (2 / x).tolist() == [2.0, 1.0]
    assert (2**x).tolist() == [2.0, 4.0]
    result = np.array([1.0, 1.0]) + x
    assert isinstance(result, mm.Tensor) and result.tolist() == [2.0, 3.0]
    assert isinstance(x * np.float32(2), mm.Tensor)


def test_unsupported_operand_raises_type_error() -> None:
    with pytest.raises(TypeError, match=r"unsupported operand type.* for \+: 'Tensor' and 'str'"):
        mm.ones(2) + "a"
    with pytest.raises(TypeError, match=r"unsupported operand type.* for @: 'Tensor' and 'int'"):
        mm.ones(2) @ 2


# pytest resets the warning filter minimodel installs on import; see
# tests/test_tensor.py::test_numpy_floating_point_warnings_are_silenced_in_scripts.
@pytest.mark.filterwarnings("ignore::RuntimeWarning")
def test_division_by_zero_gives_inf_and_nan() -> None:
    out = mm.tensor([1.0, -1.0, 0.0]) / 0
    assert out.tolist()[:2] == [np.inf, -np.inf] and np.isnan(out.tolist()[2])


def test_integer_to_negative_integer_power_raises() -> None:
    with pytest.raises(RuntimeError, match="Integers to negative integer powers are not allowed"):
        mm.tensor([2]) ** -1
    assert (mm.tensor([2]) ** -1.0).tolist() == [0.5]


def test_pow_gradient_with_respect_to_exponent_at_zero_base_is_zero() -> None:
    base = mm.tensor([0.0, 2.0])
    exponent = mm.tensor([2.0, 3.0], requires_grad=True)
    (base**exponent).sum().backward()
    assert exponent.grad.tolist() == [0.0, pytest.approx(8 * np.log(2))]


@pytest.mark.parametrize(
    ("left", "right", "shape"),
    [
        ((3,), (3,), ()),
        ((2, 3), (3,), (2,)),
        ((3,), (3, 4), (4,)),
        ((2, 3), (3, 4), (2, 4)),
        ((5, 2, 3), (3, 4), (5, 2, 4)),
        ((3,), (5, 3, 4), (5, 4)),
        ((5, 1, 2, 3), (4, 3, 2), (5, 4, 2, 2)),
    ],
)
def test_matmul_result_shapes(left, right, shape) -> None:
    a, b = np.ones(left, np.float32), np.ones(right, np.float32)
    out = mm.tensor(a) @ mm.tensor(b)
    assert out.shape == shape
    assert np.allclose(out.numpy(), a @ b)


def test_matmul_shape_mismatch_message() -> None:
    with pytest.raises(RuntimeError, match=r"mat1 and mat2 shapes cannot be multiplied \(2x3 and"):
        mm.ones(2, 3) @ mm.ones(4, 5)


def test_matmul_dtype_mismatch_message() -> None:
    with pytest.raises(RuntimeError, match="expected m1 and m2 to have the same dtype"):
        mm.ones(2, 3) @ mm.ones(3, 2, dtype=mm.float64)


def test_add_and_sub_with_alpha() -> None:
    x, y = mm.tensor([1.0, 2.0]), mm.tensor([10.0, 20.0])
    assert mm.add(x, y, alpha=2).tolist() == [21.0, 42.0]
    assert x.sub(y, alpha=0.5).tolist() == [-4.0, -8.0]


def test_mm_multiplies_matrices_and_refuses_anything_else():
    a, b = mm.ones(2, 3), mm.ones(3, 4)
    assert a.mm(b).tolist() == (a @ b).tolist()
    assert mm.mm(a, b).shape == (2, 4)
    with pytest.raises(RuntimeError, match=r"^self must be a matrix$"):
        mm.ones(3).mm(b)
    with pytest.raises(RuntimeError, match=r"^mat2 must be a matrix$"):
        a.mm(mm.ones(3))


def test_integer_powers_match_torch_from_negative_to_positive_exponents() -> None:
    from torch_helpers import require_torch

    torch = require_torch()
    for dtype in ("int64", "int32", "uint8"):
        for exponent in (-1, 0, 1, 2, 3):
            outcomes = []
            for lib in (mm, torch):
                base = lib.tensor([0, 1, 2, 3], dtype=getattr(lib, dtype))
                try:
                    outcomes.append((base**exponent).tolist())
                except RuntimeError as error:
                    outcomes.append(str(error))
            assert outcomes[0] == outcomes[1], (dtype, exponent, outcomes)
