"""Tests of minimodel/tensor.py: accessors, conversions, memory sharing, in-place rules."""

from __future__ import annotations

import copy
import pickle
import subprocess
import sys
import textwrap
import warnings

import numpy as np
import pytest

import minimodel as mm


# ------------------------------------------------------------------ accessors
def test_shape_is_a_size_and_size_takes_a_dim() -> None:
    x = mm.zeros(2, 3, 4)
    assert isinstance(x.shape, mm.Size)
    assert x.shape == (2, 3, 4)
    assert x.size() == x.shape
    assert x.size(1) == 3
    assert x.size(-1) == 4
    assert x.ndim == x.dim() == 3
    assert x.numel() == 24
    assert len(x) == 2


def test_size_repr_slicing_and_numel() -> None:
    size = mm.zeros(2, 3).shape
    assert repr(size) == "minimodel.Size([2, 3])"
    assert repr(mm.tensor(1.0).shape) == "minimodel.Size([])"
    assert isinstance(size[1:], mm.Size)
    assert size[0] == 2
    assert size.numel() == 6
    longer = size + (4,)  # noqa: RUF005 (Size.__add__ is under test)
    assert longer == (2, 3, 4) and isinstance(longer, mm.Size)


def test_is_leaf_and_requires_grad_of_results() -> None:
    w = mm.ones(2, requires_grad=True)
    y = w * 2
    assert w.is_leaf and w.grad_fn is None
    assert not y.is_leaf and y.requires_grad
    assert y.grad_fn.name() == "MulBackward0"
    z = mm.ones(2) * 2
    assert z.is_leaf and not z.requires_grad


def test_device_is_cpu() -> None:
    x = mm.ones(2)
    assert x.device == mm.device("cpu")
    assert x.cpu() is x
    assert x.to("cpu") is x


def test_is_floating_point_and_element_size() -> None:
    assert mm.ones(1).is_floating_point()
    assert not mm.tensor([1]).is_floating_point()
    assert mm.ones(1, dtype=mm.float64).element_size() == 8


# ------------------------------------------------------------------ conversions
def test_item_returns_python_numbers() -> None:
    assert mm.tensor(2.5).item() == 2.5
    assert type(mm.tensor(2.5).item()) is float
    assert type(mm.tensor([3]).item()) is int
    assert type(mm.tensor([[True]]).item()) is bool
    assert mm.ones(1, requires_grad=True).item() == 1.0  # item() works on tensors needing grad


def test_item_of_several_elements_raises() -> None:
    with pytest.raises(RuntimeError, match="a Tensor with 3 elements cannot be converted"):
        mm.ones(3).item()


def test_tolist_nests_like_the_shape() -> None:
    assert mm.tensor([[1.5, 2.0], [3.0, 4.0]]).tolist() == [[1.5, 2.0], [3.0, 4.0]]
    assert mm.tensor(7).tolist() == 7
    assert mm.zeros(0).tolist() == []
    assert type(mm.tensor([1]).tolist()[0]) is int


def test_float_int_and_index_of_one_element_tensors() -> None:
    assert float(mm.tensor([2.5])) == 2.5
    assert int(mm.tensor(3.9)) == 3
    assert [10, 20, 30][mm.tensor(1)] == 20
    with pytest.raises(TypeError, match="only integer tensors of a single element"):
        [10, 20][mm.tensor(1.0)]


def test_float_of_several_elements_raises_value_error() -> None:
    with pytest.raises(ValueError, match="only one element tensors"):
        float(mm.ones(2))


def test_numpy_shares_memory() -> None:
    x = mm.zeros(3)
    array = x.numpy()
    array[0] = 5.0
    assert x.tolist() == [5.0, 0.0, 0.0]
    x.add_(1)
    assert array.tolist() == [6.0, 1.0, 1.0]


def test_numpy_of_a_0d_tensor_is_a_0d_array() -> None:
    assert isinstance((mm.tensor(2.0) * 3).numpy(), np.ndarray)
    assert (mm.tensor(2.0) * 3).numpy().shape == ()


def test_numpy_raises_when_requires_grad() -> None:
    w = mm.ones(2, requires_grad=True)
    with pytest.raises(RuntimeError, match=r"Use tensor.detach\(\).numpy\(\) instead"):
        w.numpy()
    with pytest.raises(RuntimeError, match=r"Can't call numpy\(\) on Tensor that requires grad"):
        np.asarray(w)
    assert w.detach().numpy().tolist() == [1.0, 1.0]


def test_numpy_functions_accept_tensors() -> None:
    assert np.asarray(mm.tensor([1.0, 2.0])).tolist() == [1.0, 2.0]
    assert float(np.sum(np.asarray(mm.tensor([1.0, 2.0])))) == 3.0


def test_from_numpy_shares_memory_and_tensor_copies() -> None:
    array = np.zeros(2, dtype=np.float32)
    shared, copied = mm.from_numpy(array), mm.tensor(array)
    array[0] = 1.0
    assert shared.tolist() == [1.0, 0.0]
    assert copied.tolist() == [0.0, 0.0]


def test_detach_shares_memory_and_drops_history() -> None:
    w = mm.ones(3, requires_grad=True)
    y = w * 2
    d = y.detach()
    assert d.grad_fn is None and not d.requires_grad and d.is_leaf
    d[0] = 10.0
    assert y[0].item() == 10.0
    wd = w.detach()
    wd.zero_()
    assert w.tolist() == [0.0, 0.0, 0.0]


def test_detach_in_place_cuts_the_tensor_from_the_graph() -> None:
    y = mm.ones(2, requires_grad=True) * 2
    assert y.detach_() is y
    assert y.grad_fn is None and not y.requires_grad


def test_clone_copies_and_keeps_the_gradient_path() -> None:
    w = mm.ones(2, requires_grad=True)
    c = w.clone()
    assert c.grad_fn.name() == "CloneBackward0"
    c.sum().backward()
    assert w.grad.tolist() == [1.0, 1.0]
    d = mm.zeros(2)
    e = d.clone()
    e[0] = 1.0
    assert d.tolist() == [0.0, 0.0]


def test_contiguous_copies_only_strided_views() -> None:
    x = mm.ones(2, 3)
    assert x.contiguous() is x and x.is_contiguous()
    t = x.t()
    assert not t.is_contiguous()
    assert t.contiguous().is_contiguous()
    assert t.contiguous().view(6).shape == (6,)


def test_deepcopy_of_a_leaf_copies_values_and_grad() -> None:
    w = mm.ones(2, requires_grad=True)
    w.grad = mm.full((2,), 3.0)
    c = copy.deepcopy(w)
    assert c.requires_grad and c.grad.tolist() == [3.0, 3.0]
    c.detach().zero_()
    assert w.tolist() == [1.0, 1.0]


def test_deepcopy_of_a_non_leaf_raises() -> None:
    with pytest.raises(RuntimeError, match="Only Tensors created explicitly by the user"):
        copy.deepcopy(mm.ones(2, requires_grad=True) * 2)


def test_pickling_is_refused() -> None:
    with pytest.raises(TypeError, match=r"minimodel\.save"):
        pickle.dumps(mm.ones(2))


def test_constructor_makes_float32_from_data_or_shape() -> None:
    assert mm.Tensor([1, 2]).dtype is mm.float32
    assert mm.Tensor(2, 3).shape == (2, 3)
    assert mm.Tensor((2, 3)).tolist() == [2.0, 3.0]  # a tuple is data, as in PyTorch


# ------------------------------------------------------------------ python protocol
def test_bool_of_one_element_and_of_many() -> None:
    assert bool(mm.tensor([1.0])) is True
    assert bool(mm.tensor(0)) is False
    with pytest.raises(RuntimeError, match="more than one value is ambiguous"):
        bool(mm.ones(2))


def test_len_and_iter_of_0d_raise_type_error() -> None:
    with pytest.raises(TypeError, match="len\\(\\) of a 0-d tensor"):
        len(mm.tensor(1.0))
    with pytest.raises(TypeError, match="iteration over a 0-d tensor"):
        iter(mm.tensor(1.0))


def test_iteration_yields_rows() -> None:
    rows = list(mm.tensor([[1, 2], [3, 4]]))
    assert [r.tolist() for r in rows] == [[1, 2], [3, 4]]


def test_tensors_are_hashable_by_identity() -> None:
    a, b = mm.ones(1), mm.ones(1)
    assert len({a, b}) == 2
    assert {a: 1}[a] == 1


def test_comparisons_give_bool_tensors_without_grad() -> None:
    w = mm.tensor([1.0, 2.0, 3.0], requires_grad=True)
    for result in (w > 2, w >= 2, w < 2, w <= 2, w == 2, w != 2, w.gt(1), w.eq(w)):
        assert result.dtype is mm.bool and not result.requires_grad
    assert (w > 1.5).tolist() == [False, True, True]
    assert (w == mm.tensor([1.0, 0.0, 3.0])).tolist() == [True, False, True]


def test_all_and_any() -> None:
    assert mm.tensor([True, True]).all().item() is True
    assert mm.tensor([False, True]).any().item() is True
    assert mm.tensor([False, True]).all().item() is False


def test_format_of_0d_tensor_uses_the_number() -> None:
    assert f"{mm.tensor(2.3456):.2f}" == "2.35"


# ------------------------------------------------------------------ requires_grad
def test_requires_grad_method_on_leaf_toggles_and_returns_self() -> None:
    x = mm.ones(2)
    assert x.requires_grad_() is x and x.requires_grad
    x.requires_grad_(False)
    assert not x.requires_grad


def test_requires_grad_on_integer_tensor_raises() -> None:
    with pytest.raises(RuntimeError, match="only Tensors of floating point dtype"):
        mm.tensor([1, 2]).requires_grad_()
    with pytest.raises(RuntimeError, match="Only Tensors of floating point and complex dtype"):
        mm.tensor([1, 2], requires_grad=True)


def test_requires_grad_false_on_non_leaf_raises_true_is_allowed() -> None:
    y = mm.ones(2, requires_grad=True) * 2
    assert y.requires_grad_(True) is y
    with pytest.raises(RuntimeError, match="you can only change requires_grad flags of leaf"):
        y.requires_grad_(False)


# ------------------------------------------------------------------ .grad and .data
def test_grad_of_non_leaf_warns_and_is_none() -> None:
    y = mm.ones(2, requires_grad=True) * 2
    with pytest.warns(UserWarning, match="is not a leaf Tensor is being accessed"):
        assert y.grad is None


def test_grad_of_leaf_does_not_warn() -> None:
    w = mm.ones(2, requires_grad=True)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert w.grad is None


def test_grad_can_be_assigned_and_cleared() -> None:
    w = mm.ones(2, requires_grad=True)
    w.grad = mm.tensor([1.0, 2.0])
    assert w.grad.tolist() == [1.0, 2.0]
    w.grad = None
    assert w.grad is None
    with pytest.raises(TypeError, match="assigned grad expected to be a Tensor or None"):
        w.grad = [1.0, 2.0]


def test_data_update_changes_the_parameter_and_keeps_it_a_leaf() -> None:
    p = mm.tensor([1.0, 2.0], requires_grad=True)
    (p * p).sum().backward()
    p.data -= 0.1 * p.grad
    assert np.allclose(p.detach().numpy(), [0.8, 1.6])
    assert p.requires_grad and p.is_leaf


def test_data_is_a_view_without_history() -> None:
    y = mm.ones(2, requires_grad=True) * 3
    assert not y.data.requires_grad and y.data.grad_fn is None
    y.data[0] = 0.0
    assert y.tolist() == [0.0, 3.0]


def test_assigning_data_replaces_the_values() -> None:
    p = mm.ones(2, requires_grad=True)
    p.data = mm.tensor([5.0, 6.0])
    assert p.tolist() == [5.0, 6.0] and p.requires_grad


# ------------------------------------------------------------------ in-place operations
@pytest.mark.parametrize(
    "op",
    [
        lambda t: t.add_(1),
        lambda t: t.sub_(1),
        lambda t: t.mul_(2),
        lambda t: t.div_(2),
        lambda t: t.zero_(),
        lambda t: t.fill_(3.0),
        lambda t: t.clamp_(0, 0.5),
        lambda t: t.copy_(mm.zeros(3)),
        lambda t: t.uniform_(),
        lambda t: t.normal_(),
        lambda t: t.__setitem__(0, 5.0),
    ],
)
def test_inplace_on_leaf_requiring_grad_raises_outside_no_grad(op) -> None:
    w = mm.ones(3, requires_grad=True)
    with pytest.raises(RuntimeError, match="leaf Variable that requires grad"):
        op(w)
    with mm.no_grad():
        op(w)
    assert w.requires_grad and w.is_leaf


def test_augmented_assignment_on_leaf_raises_outside_no_grad() -> None:
    w = mm.ones(2, requires_grad=True)
    with pytest.raises(RuntimeError, match="a leaf Variable that requires grad"):
        w += 1
    with mm.no_grad():
        w -= 0.5
    assert w.tolist() == [0.5, 0.5] and w.is_leaf and w.requires_grad


def test_inplace_keeps_identity_and_shares_memory_without_grad() -> None:
    x = mm.zeros(3)
    alias = x.numpy()
    x += 2
    x *= mm.tensor([1.0, 2.0, 3.0])
    x -= 1
    x /= 2
    assert alias.tolist() == [0.5, 1.5, 2.5]
    assert x.add_(1, alpha=2) is x
    assert x.tolist() == [2.5, 3.5, 4.5]


def test_inplace_on_non_leaf_records_the_operation() -> None:
    w = mm.tensor([1.0, 2.0], requires_grad=True)
    y = w * 3
    y += 1
    y *= w
    assert y.grad_fn.name() == "MulBackward0"
    y.sum().backward()
    assert w.grad.tolist() == [7.0, 13.0]  # d/dw (3w + 1) w = 6w + 1


def test_inplace_with_an_operand_requiring_grad_makes_a_non_leaf() -> None:
    w = mm.ones(2, requires_grad=True)
    acc = mm.zeros(2)
    acc += w * 2
    assert acc.grad_fn is not None and acc.requires_grad
    acc.sum().backward()
    assert w.grad.tolist() == [2.0, 2.0]


def test_inplace_integer_tensor_rejects_float_results() -> None:
    x = mm.tensor([1, 2])
    with pytest.raises(RuntimeError, match="result type Float can't be cast to the desired"):
        x *= 1.5
    x *= 2
    assert x.tolist() == [2, 4]


def test_inplace_broadcast_must_fit_the_target() -> None:
    x = mm.zeros(2, 3)
    x += mm.ones(3)
    assert x.tolist() == [[1.0] * 3] * 2
    with pytest.raises(RuntimeError, match=r"output with shape \[3\] doesn't match"):
        mm.zeros(3).add_(mm.ones(2, 3))


# ------------------------------------------------------------------ randomness
@pytest.mark.parametrize(
    "draw",
    [
        lambda: mm.randn(3, 2),
        lambda: mm.rand(4),
        lambda: mm.randint(0, 10, (5,)),
        lambda: mm.randperm(6),
        lambda: mm.empty(3).normal_(),
        lambda: mm.empty(3).uniform_(-1, 1),
    ],
)
def test_manual_seed_makes_draws_reproducible(draw) -> None:
    mm.manual_seed(123)
    first = draw().tolist()
    mm.manual_seed(123)
    assert draw().tolist() == first
    mm.manual_seed(124)
    assert draw().tolist() != first


def test_successive_draws_differ() -> None:
    mm.manual_seed(0)
    assert mm.randn(5).tolist() != mm.randn(5).tolist()


def test_manual_seed_refuses_what_int_refuses() -> None:
    with pytest.raises(TypeError, match="int\\(\\) argument must be"):
        mm.manual_seed(None)
    with pytest.raises(ValueError, match="Overflow when unpacking long long"):
        mm.manual_seed(2**64)


def test_numpy_floating_point_warnings_are_silenced_in_scripts() -> None:
    # PyTorch returns inf and nan quietly. Run as a script: test runners reset warning filters.
    script = textwrap.dedent(
        """
        import numpy as np
        import minimodel as mm
        x = mm.tensor([0.0, -1.0, 1000.0], requires_grad=True)
        y = x.log() + x.sqrt() + x.exp() + 1 / x + mm.zeros(0).mean()
        y.sum().backward()
        try:
            np.log(np.zeros(1))  # the user's own NumPy code still warns
        except RuntimeWarning:
            print("numpy warns")
        """
    )
    done = subprocess.run(
        [sys.executable, "-W", "error::RuntimeWarning", "-c", script],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "numpy warns"
