"""Tests of minimodel/creation.py: the factories, their shapes, values and argument checks."""

from __future__ import annotations

import numpy as np
import pytest

import minimodel as mm


@pytest.mark.parametrize("factory", [mm.zeros, mm.ones, mm.empty, mm.randn, mm.rand])
def test_size_as_varargs_tuple_list_or_size(factory) -> None:
    assert factory(2, 3).shape == (2, 3)
    assert factory((2, 3)).shape == (2, 3)
    assert factory([2, 3]).shape == (2, 3)
    assert factory(mm.Size([2, 3])).shape == (2, 3)
    assert factory().shape == ()
    assert factory(0).shape == (0,)


def test_zeros_ones_full_eye_values() -> None:
    assert mm.zeros(2).tolist() == [0.0, 0.0]
    assert mm.ones(2, 1).tolist() == [[1.0], [1.0]]
    assert mm.empty(2).tolist() == [0.0, 0.0]  # documented: zeros, not uninitialized memory
    assert mm.full((2,), 7).tolist() == [7, 7] and mm.full((2,), 7).dtype is mm.int64
    assert mm.eye(2).tolist() == [[1.0, 0.0], [0.0, 1.0]]
    assert mm.eye(2, 3).shape == (2, 3)


def test_like_factories_copy_shape_and_dtype() -> None:
    x = mm.ones(2, 3, dtype=mm.float64)
    for made in (mm.zeros_like(x), mm.ones_like(x), mm.empty_like(x), mm.full_like(x, 4.0)):
        assert made.shape == (2, 3) and made.dtype is mm.float64
    assert mm.ones_like(x, dtype=mm.int64).dtype is mm.int64
    assert mm.full_like(x, 4.0).tolist()[0] == [4.0] * 3


def test_factories_accept_requires_grad() -> None:
    for made in (
        mm.zeros(2, requires_grad=True),
        mm.randn(2, requires_grad=True),
        mm.zeros_like(mm.ones(2), requires_grad=True),
        mm.arange(3.0, requires_grad=True),
        mm.linspace(0, 1, 3, requires_grad=True),
    ):
        assert made.requires_grad and made.is_leaf


def test_arange_values_and_ends() -> None:
    assert mm.arange(4).tolist() == [0, 1, 2, 3]
    assert mm.arange(2, 8, 3).tolist() == [2, 5]
    assert mm.arange(5, 0, -2).tolist() == [5, 3, 1]
    assert np.allclose(mm.arange(0, 1, 0.25).numpy(), [0.0, 0.25, 0.5, 0.75])
    assert len(mm.arange(0, 1, 0.1)) == 10
    with pytest.raises(RuntimeError, match="step must be nonzero"):
        mm.arange(0, 1, 0)


def test_linspace_includes_both_ends() -> None:
    assert np.allclose(mm.linspace(-1, 1, 5).numpy(), [-1.0, -0.5, 0.0, 0.5, 1.0])
    assert mm.linspace(0, 1, 1).tolist() == [0.0]
    assert mm.linspace(0, 1, 0).shape == (0,)


def test_tensor_copies_python_and_numpy_data() -> None:
    data = [[1.0, 2.0], [3.0, 4.0]]
    t = mm.tensor(data)
    data[0][0] = 9.0
    assert t.tolist() == [[1.0, 2.0], [3.0, 4.0]]
    array = np.arange(3.0)
    t = mm.tensor(array)
    array[0] = 9.0
    assert t.tolist() == [0.0, 1.0, 2.0]


def test_tensor_of_a_fortran_ordered_array_is_contiguous() -> None:
    array = np.asfortranarray(np.arange(6.0).reshape(2, 3))
    t = mm.tensor(array)
    assert t.is_contiguous() and t.view(6).tolist() == [0.0, 1.0, 2.0, 3.0, 4.0, 5.0]


def test_tensor_of_one_element_tensors_reads_their_values() -> None:
    t = mm.tensor([mm.tensor(1.5), mm.tensor([2.5])])
    assert t.tolist() == [1.5, 2.5]


def test_tensor_of_a_tensor_copies_and_warns() -> None:
    source = mm.ones(2, requires_grad=True)
    with pytest.warns(UserWarning, match="To copy construct from a tensor"):
        copy = mm.tensor(source)
    assert not copy.requires_grad
    copy.zero_()
    assert source.tolist() == [1.0, 1.0]


def test_tensor_rejects_ragged_nested_lists() -> None:
    with pytest.raises(ValueError, match="expected sequence of length 2 at dim 1 \\(got 1\\)"):
        mm.tensor([[1, 2], [3]])


def test_as_tensor_shares_numpy_memory_and_reuses_tensors() -> None:
    array = np.zeros(2, dtype=np.float32)
    shared = mm.as_tensor(array)
    array[0] = 1.0
    assert shared.tolist() == [1.0, 0.0]
    t = mm.ones(2)
    assert mm.as_tensor(t) is t
    assert mm.as_tensor(t, dtype=mm.float64).dtype is mm.float64


def test_from_numpy_rejects_non_arrays() -> None:
    with pytest.raises(TypeError, match=r"expected np\.ndarray"):
        mm.from_numpy([1, 2])


def test_randn_and_rand_distributions() -> None:
    mm.manual_seed(0)
    normal = mm.randn(20_000).numpy()
    uniform = mm.rand(20_000).numpy()
    assert abs(normal.mean()) < 0.05 and abs(normal.std() - 1) < 0.05
    assert uniform.min() >= 0 and uniform.max() < 1 and abs(uniform.mean() - 0.5) < 0.02


def test_randint_and_randperm() -> None:
    mm.manual_seed(0)
    ints = mm.randint(3, 7, (1000,))
    assert ints.dtype is mm.int64
    assert set(ints.tolist()) == {3, 4, 5, 6}
    assert mm.randint(5, (3,)).shape == (3,)
    perm = mm.randperm(10)
    assert sorted(perm.tolist()) == list(range(10)) and perm.dtype is mm.int64


def test_negative_sizes_are_rejected() -> None:
    with pytest.raises(RuntimeError, match="Trying to create tensor with negative dimension -1"):
        mm.ones(2, -1)


def test_non_integer_sizes_are_rejected() -> None:
    with pytest.raises(TypeError, match="argument 'size'"):
        mm.ones(2.0)


def test_device_argument_accepts_only_cpu() -> None:
    assert mm.zeros(1, device="cpu").device == mm.device("cpu")
    with pytest.raises(RuntimeError, match="runs on the CPU only"):
        mm.zeros(1, device="cuda")
