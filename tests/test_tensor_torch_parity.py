"""Misuses of tensors raise PyTorch's exception type and message; warnings say what PyTorch's say.

Each case is one line of learner code written once for both libraries (``lib`` is ``minimodel``
or ``torch``).
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Callable
from typing import Any

import pytest
from torch_compare import as_minimodel, assert_same_exception
from torch_helpers import require_torch

import minimodel as mm

torch = require_torch()


def _backward_twice(lib: Any) -> None:
    loss = (lib.ones(2, requires_grad=True) * 3).sum()
    loss.backward()
    loss.backward()


def _inplace(lib: Any, method: str, *args: Any) -> Callable[[Any], Any]:
    return lambda lib: getattr(lib.ones(3, requires_grad=True), method)(*args)


def _setitem(target: Callable[[Any], Any], index: Any, value: Callable[[Any], Any]) -> Any:
    def run(lib: Any) -> None:
        t = target(lib)
        t[index] = value(lib)

    return run


def _matmul(
    a: tuple,
    b: tuple,
    a_grad: bool = False,
    b_grad: bool = False,
    a_dtype: str = "float32",
    b_dtype: str = "float32",
) -> Callable[[Any], Any]:
    def run(lib: Any) -> Any:
        left = lib.ones(a, dtype=getattr(lib, a_dtype), requires_grad=a_grad)
        right = lib.ones(b, dtype=getattr(lib, b_dtype), requires_grad=b_grad)
        return left @ right

    return run


MISUSES: dict[str, Callable[[Any], Any]] = {
    # autograd
    "backward_on_non_scalar": lambda lib: (lib.ones(3, requires_grad=True) * 2).backward(),
    "backward_without_grad": lambda lib: lib.ones(1).backward(),
    "backward_gradient_of_wrong_shape": lambda lib: (lib.ones(2, requires_grad=True) * 2).backward(
        lib.ones(3)
    ),
    "backward_twice": _backward_twice,
    "requires_grad_on_int_tensor": lambda lib: lib.tensor([1, 2], requires_grad=True),
    "requires_grad_on_int_zeros": lambda lib: lib.zeros(2, dtype=lib.int64, requires_grad=True),
    "requires_grad_method_on_int": lambda lib: lib.tensor([1, 2]).requires_grad_(),
    "requires_grad_false_on_non_leaf": lambda lib: (
        lib.ones(2, requires_grad=True) * 2
    ).requires_grad_(False),
    "retain_grad_without_requires_grad": lambda lib: lib.ones(2).retain_grad(),
    "assign_grad_of_wrong_shape": lambda lib: setattr(
        lib.ones(2, requires_grad=True), "grad", lib.ones(3)
    ),
    # in-place on a leaf that requires grad
    "inplace_add_on_leaf": _inplace(None, "add_", 1),
    "inplace_iadd_on_leaf": _inplace(None, "__iadd__", 1),
    "inplace_imul_on_leaf": _inplace(None, "__imul__", 2.0),
    "inplace_sub_on_leaf": _inplace(None, "sub_", 1),
    "inplace_div_on_leaf": _inplace(None, "div_", 2),
    "inplace_zero_on_leaf": _inplace(None, "zero_"),
    "inplace_fill_on_leaf": _inplace(None, "fill_", 2.0),
    "inplace_clamp_on_leaf": _inplace(None, "clamp_", 0, 1),
    "inplace_copy_on_leaf": lambda lib: lib.ones(3, requires_grad=True).copy_(lib.zeros(3)),
    "setitem_int_on_leaf": _setitem(lambda lib: lib.ones(3, requires_grad=True), 0, lambda _: 1.0),
    "setitem_slice_on_leaf": _setitem(
        lambda lib: lib.ones(3, requires_grad=True), slice(1, None), lambda _: 1.0
    ),
    "setitem_everything_on_leaf": _setitem(
        lambda lib: lib.ones(3, requires_grad=True), Ellipsis, lambda _: 1.0
    ),
    "setitem_list_on_leaf": _setitem(
        lambda lib: lib.ones(3, requires_grad=True), [0, 1], lambda _: 1.0
    ),
    "inplace_broadcast_to_larger": lambda lib: lib.ones(3).__iadd__(lib.ones(2, 3)),
    "inplace_broadcast_on_non_leaf": lambda lib: (lib.ones(3, requires_grad=True) * 1).__iadd__(
        lib.ones(2, 3)
    ),
    "inplace_shapes_not_broadcastable": lambda lib: lib.ones(3).add_(lib.ones(4)),
    "inplace_float_into_int": lambda lib: lib.tensor([1, 2]).__imul__(1.5),
    "inplace_true_divide_int": lambda lib: lib.tensor([1, 2]).__itruediv__(2),
    # conversions
    "numpy_of_requires_grad": lambda lib: lib.ones(3, requires_grad=True).numpy(),
    "item_of_many_elements": lambda lib: lib.ones(3).item(),
    "item_of_empty": lambda lib: lib.ones(0).item(),
    "float_of_many_elements": lambda lib: float(lib.ones(2)),
    "int_of_many_elements": lambda lib: int(lib.ones(2)),
    "bool_of_many_elements": lambda lib: bool(lib.ones(3)),
    "bool_of_empty": lambda lib: bool(lib.ones(0)),
    "if_on_comparison": lambda lib: 1 if lib.ones(2) > 0 else 0,
    "len_of_0d": lambda lib: len(lib.tensor(1.0)),
    "iter_over_0d": lambda lib: iter(lib.tensor(1.0)),
    # matmul, in every form
    "matmul_1d_1d": _matmul((3,), (4,)),
    "matmul_2d_2d": _matmul((2, 3), (4, 5)),
    "matmul_2d_1d": _matmul((2, 3), (4,)),
    "matmul_1d_2d": _matmul((3,), (4, 5)),
    "matmul_3d_3d": _matmul((2, 2, 3), (2, 4, 5)),
    "matmul_3d_2d": _matmul((2, 2, 3), (4, 5)),
    "matmul_3d_1d": _matmul((2, 2, 3), (4,)),
    "matmul_1d_3d": _matmul((3,), (2, 4, 5)),
    "matmul_2d_3d": _matmul((2, 3), (2, 4, 5)),
    "matmul_2d_3d_left_requires_grad": _matmul((2, 3), (2, 4, 5), a_grad=True),
    "matmul_1d_3d_left_requires_grad": _matmul((3,), (2, 4, 5), a_grad=True),
    "matmul_3d_2d_right_requires_grad": _matmul((2, 2, 3), (4, 5), b_grad=True),
    "matmul_batch_broadcast": _matmul((2, 2, 3), (3, 3, 5)),
    "matmul_4d_batch_broadcast": _matmul((2, 1, 2, 3), (3, 3, 4, 5)),
    "matmul_0d": lambda lib: lib.tensor(2.0) @ lib.ones(3),
    "matmul_dtype_2d": _matmul((2, 3), (3, 4), b_dtype="float64"),
    "matmul_dtype_1d": _matmul((3,), (3,), b_dtype="float64"),
    "matmul_dtype_mv": _matmul((2, 3), (3,), a_dtype="float64"),
    "matmul_dtype_3d": _matmul((2, 2, 3), (2, 3, 4), b_dtype="float64"),
    "matmul_dtype_int_float": _matmul((2, 3), (3, 2), a_dtype="int64"),
    # broadcasting
    "add_broadcast": lambda lib: lib.ones(2, 3) + lib.ones(4),
    "mul_broadcast": lambda lib: lib.ones(2, 3) * lib.ones(3, 3),
    "sub_broadcast_3d": lambda lib: lib.ones(5, 2, 3) - lib.ones(4, 1, 3),
    "maximum_broadcast": lambda lib: lib.maximum(lib.ones(2, 3), lib.ones(4)),
    "where_broadcast": lambda lib: lib.where(lib.ones(2, 3) > 0, lib.ones(4), 0.0),
    "where_float_condition": lambda lib: lib.where(lib.ones(2), lib.ones(2), lib.zeros(2)),
    # shapes
    "reshape_invalid": lambda lib: lib.ones(2, 3).reshape(4, 2),
    "reshape_invalid_inferred": lambda lib: lib.ones(2, 3).reshape(-1, 4),
    "reshape_two_inferred": lambda lib: lib.ones(2, 3).reshape(-1, -1),
    "reshape_empty_ambiguous": lambda lib: lib.ones(0, 3).reshape(-1, 0),
    "view_invalid": lambda lib: lib.ones(2, 3).view(5),
    "view_of_transpose": lambda lib: lib.ones(2, 3).t().view(6),
    "view_of_permute": lambda lib: lib.ones(2, 3, 4).permute(2, 0, 1).view(-1),
    "expand_mismatch": lambda lib: lib.ones(2, 3).expand(4, 3),
    "expand_fewer_sizes": lambda lib: lib.ones(2, 3).expand(3),
    "expand_new_dim_minus_one": lambda lib: lib.ones(3).expand(-1, 3),
    "t_of_3d": lambda lib: lib.ones(2, 3, 4).t(),
    "permute_wrong_length": lambda lib: lib.ones(2, 3).permute(0),
    "permute_duplicate": lambda lib: lib.ones(2, 3).permute(0, 0),
    "flatten_start_after_end": lambda lib: lib.ones(2, 3).flatten(1, 0),
    "flatten_0d_out_of_range": lambda lib: lib.tensor(1.0).flatten(1),
    # dimensions out of range
    "sum_dim": lambda lib: lib.ones(2, 3).sum(2),
    "sum_negative_dim": lambda lib: lib.ones(2, 3).sum(-3),
    "sum_repeated_dim": lambda lib: lib.ones(2, 3).sum((0, 0)),
    "mean_dim": lambda lib: lib.ones(2, 3).mean(dim=5),
    "max_dim": lambda lib: lib.ones(2, 3).max(dim=2),
    "argmax_dim": lambda lib: lib.ones(2, 3).argmax(dim=2),
    "transpose_dim": lambda lib: lib.ones(2, 3).transpose(0, 2),
    "unsqueeze_dim": lambda lib: lib.ones(2, 3).unsqueeze(4),
    "squeeze_dim": lambda lib: lib.ones(2, 3).squeeze(3),
    "cat_dim": lambda lib: lib.cat([lib.ones(2, 3), lib.ones(2, 3)], dim=2),
    "stack_dim": lambda lib: lib.stack([lib.ones(2, 3), lib.ones(2, 3)], dim=4),
    "size_dim": lambda lib: lib.ones(2, 3).size(2),
    "sum_of_0d_dim_1": lambda lib: lib.tensor(1.0).sum(1),
    # indexing
    "index_out_of_bounds": lambda lib: lib.ones(3)[3],
    "negative_index_out_of_bounds": lambda lib: lib.ones(3)[-4],
    "index_out_of_bounds_dim_1": lambda lib: lib.ones(2, 3)[0, 5],
    "index_out_of_bounds_after_none": lambda lib: lib.ones(2, 3)[None, 0, 5],
    "index_out_of_bounds_after_ellipsis": lambda lib: lib.ones(2, 3)[..., 5],
    "index_tensor_out_of_bounds": lambda lib: lib.ones(3)[lib.tensor([0, 5])],
    "index_list_out_of_bounds": lambda lib: lib.ones(3)[[0, 5]],
    "index_list_out_of_bounds_second": lambda lib: lib.ones(2, 3)[[0, 1], [0, 3]],
    "index_list_out_of_bounds_after_slice": lambda lib: lib.ones(2, 3)[:, [0, 3]],
    "index_too_many": lambda lib: lib.ones(3)[0, 0],
    "index_too_many_with_ellipsis": lambda lib: lib.ones(2, 3)[..., 0, 0, 0],
    "index_0d": lambda lib: lib.tensor(1.0)[0],
    "slice_0d": lambda lib: lib.tensor(1.0)[1:],
    "index_0d_with_list": lambda lib: lib.tensor(1.0)[[0]],
    "index_with_float": lambda lib: lib.ones(3)[1.5],
    "index_with_float_tensor": lambda lib: lib.ones(3)[lib.tensor([0.0])],
    "mask_of_wrong_shape": lambda lib: lib.ones(3)[lib.tensor([True, False])],
    "mask_of_wrong_shape_2d": lambda lib: lib.ones(2, 3, 4)[:, lib.tensor([True, False])],
    "index_lists_not_broadcastable": lambda lib: lib.ones(2, 3)[[0, 1], [0, 1, 2]],
    "setitem_out_of_bounds": _setitem(lambda lib: lib.ones(3), 3, lambda _: 1.0),
    "setitem_too_many_indices_recorded": _setitem(
        lambda lib: lib.ones(3, requires_grad=True) * 1, (slice(None), 0), lambda _: 1.0
    ),
    "setitem_value_too_long": _setitem(
        lambda lib: lib.ones(3), slice(0, 2), lambda lib: lib.ones(3)
    ),
    "setitem_value_too_many_dims": _setitem(
        lambda lib: lib.ones(3, 4), 0, lambda lib: lib.ones(2, 4)
    ),
    "setitem_list_value_mismatch": _setitem(
        lambda lib: lib.ones(3, 4), [0, 1], lambda lib: lib.ones(3)
    ),
    # joining
    "cat_size_mismatch": lambda lib: lib.cat([lib.ones(2, 3), lib.ones(2, 4)]),
    "cat_ndim_mismatch": lambda lib: lib.cat([lib.ones(2, 3), lib.ones(3)]),
    "cat_empty_list": lambda lib: lib.cat([]),
    "cat_of_a_tensor": lambda lib: lib.cat(lib.ones(2, 3)),
    "cat_0d": lambda lib: lib.cat([lib.ones(2), lib.tensor(1.0)]),
    "stack_size_mismatch": lambda lib: lib.stack([lib.ones(2, 3), lib.ones(2, 4)]),
    "stack_size_mismatch_third": lambda lib: lib.stack([lib.ones(3), lib.ones(3), lib.ones(2)]),
    "stack_empty_list": lambda lib: lib.stack([]),
    # reductions and math
    "mean_of_int_tensor": lambda lib: lib.tensor([1, 2]).mean(),
    "mean_of_int_tensor_dim": lambda lib: lib.tensor([[1, 2]]).mean(0),
    "max_of_empty": lambda lib: lib.ones(0).max(),
    "clamp_without_bounds": lambda lib: lib.ones(2).clamp(),
    "int_to_negative_power": lambda lib: lib.tensor([2]) ** -1,
    # creation
    "tensor_ragged": lambda lib: lib.tensor([[1, 2], [3]]),
    "tensor_of_str": lambda lib: lib.tensor("abc"),
    "tensor_of_multi_element_tensors": lambda lib: lib.tensor([lib.ones(2), lib.ones(2)]),
    "zeros_negative": lambda lib: lib.zeros(2, -1),
    "ones_negative": lambda lib: lib.ones(-1),
    "randn_negative": lambda lib: lib.randn(2, -3),
    "zeros_float_size": lambda lib: lib.zeros(2.5),
    "ones_float_size_second": lambda lib: lib.ones(2, 2.5),
    "rand_float_size_in_tuple": lambda lib: lib.rand((2, 2.5)),
    "arange_zero_step": lambda lib: lib.arange(0, 1, 0),
}


@pytest.mark.parametrize("misuse", MISUSES.values(), ids=MISUSES.keys())
def test_misuse_raises_torch_exception(misuse: Callable[[Any], Any]) -> None:
    assert_same_exception(lambda: misuse(mm), lambda: misuse(torch))


def _warnings_of(fn: Callable[[], Any]) -> list[tuple[type, str]]:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        fn()
    # PyTorch appends where in its C++ sources a warning came from; that is not part of the text.
    return [
        (w.category, re.sub(r" \(Triggered internally at .*\)$", "", str(w.message)))
        for w in caught
    ]


WARNINGS: dict[str, Callable[[Any], Any]] = {
    "grad_of_non_leaf": lambda lib: (lib.ones(2, requires_grad=True) * 2).grad,
    "tensor_of_tensor": lambda lib: lib.tensor(lib.ones(2)),
}


@pytest.mark.parametrize("build", WARNINGS.values(), ids=WARNINGS.keys())
def test_warning_matches_torch(build: Callable[[Any], Any]) -> None:
    # The message names the function called: torch.tensor(...) or minimodel.tensor(...).
    theirs = [
        (category, as_minimodel(text).replace("torch.tensor(", "minimodel.tensor("))
        for category, text in _warnings_of(lambda: build(torch))
    ]
    assert _warnings_of(lambda: build(mm)) == theirs


def test_retained_grad_of_non_leaf_does_not_warn() -> None:
    y = mm.ones(2, requires_grad=True) * 2
    y.retain_grad()
    assert _warnings_of(lambda: y.grad) == []
