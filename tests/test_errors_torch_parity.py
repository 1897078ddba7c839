"""A table of calls PyTorch refuses, run on both libraries: the same exception class and message.

Each entry is ``fn(lib)``, written once for ``minimodel`` and ``torch``. The classes of mistakes
a user porting code makes: wrong argument types, shapes that do not match, values out of range,
dtypes an operation does not take, and indexing beyond a tensor.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pytest
from torch_compare import assert_same_exception
from torch_helpers import require_torch

import minimodel as mm

torch = require_torch()


def _x(lib: Any) -> Any:
    return lib.tensor([[1.0, 2.0], [3.0, 4.0]])


def _u8(lib: Any) -> Any:
    return lib.tensor([1, 2], dtype=lib.uint8)


def _F(lib: Any) -> Any:
    return lib.nn.functional


ERRORS: dict[str, Callable[[Any], Any]] = {
    # ------------------------------------------------------------- argument types
    "exp_of_a_float": lambda lib: lib.exp(3.0),
    "sum_of_a_list": lambda lib: lib.sum([1, 2]),
    "sqrt_of_an_int": lambda lib: lib.sqrt(2),
    "matmul_with_a_list": lambda lib: lib.matmul(_x(lib), [1.0, 2.0]),
    "matmul_operator_with_a_list": lambda lib: _x(lib) @ [1.0, 2.0],
    "matmul_method_with_a_list": lambda lib: _x(lib).matmul([1.0, 2.0]),
    "add_method_with_a_string": lambda lib: _x(lib).add("a"),
    "add_function_with_a_string": lambda lib: lib.add(_x(lib), "a"),
    "add_operator_with_a_string": lambda lib: _x(lib) + "a",
    "mul_method_with_none": lambda lib: _x(lib).mul(None),
    "pow_method_with_a_string": lambda lib: _x(lib).pow("a"),
    "pow_function_with_a_string": lambda lib: lib.pow(_x(lib), "a"),
    "pow_operator_with_a_string": lambda lib: _x(lib) ** "a",
    "maximum_with_a_float": lambda lib: lib.maximum(_x(lib), 1.0),
    "maximum_method_with_a_float": lambda lib: _x(lib).maximum(1.0),
    "where_with_a_string_other": lambda lib: lib.where(_x(lib) > 1, _x(lib), "a"),
    "where_with_a_string_input": lambda lib: lib.where(_x(lib) > 1, "a", _x(lib)),
    "less_than_a_string": lambda lib: _x(lib) < "a",
    "sum_with_axis_and_dim": lambda lib: _x(lib).sum(axis=1, dim=1),
    "sum_keepdim_without_dim": lambda lib: _x(lib).sum(keepdim=True),
    "mean_keepdim_without_dim": lambda lib: _x(lib).mean(keepdim=True),
    "max_keepdim_without_dim": lambda lib: _x(lib).max(keepdim=True),
    "invert_a_float_tensor": lambda lib: ~_x(lib),
    "reshape_without_a_shape": lambda lib: _x(lib).reshape(),
    "view_without_a_shape": lambda lib: _x(lib).view(),
    "permute_without_dims": lambda lib: _x(lib).permute(),
    "expand_without_sizes": lambda lib: _x(lib).expand(),
    # ----------------------------------------------------------------- shapes
    "comparison_of_mismatched_shapes": lambda lib: lib.tensor([1, 2, 3]) == lib.tensor([1, 2]),
    "less_than_of_mismatched_shapes": lambda lib: lib.tensor([1, 2, 3]) < lib.tensor([1, 2]),
    "bitwise_of_mismatched_shapes": lambda lib: lib.tensor([1, 2, 3]) & lib.tensor([1, 2]),
    "reshape_minus_two": lambda lib: _x(lib).reshape(-2, 4),
    "reshape_minus_three_second": lambda lib: _x(lib).reshape(2, -3),
    "view_minus_two": lambda lib: _x(lib).view(-1, -2),
    "permute_too_many_dims": lambda lib: _x(lib).permute(0, 1, 2),
    "permute_too_many_out_of_range": lambda lib: _x(lib).permute(0, 1, 5),
    "permute_too_few_dims": lambda lib: _x(lib).permute(0),
    "inplace_add_broadcasting_past_self": lambda lib: lib.zeros(()).__iadd__(lib.ones(3)),
    "inplace_mismatch_before_dtype": lambda lib: lib.tensor(True).__itruediv__(lib.ones(3)),
    "clamp_tensor_bounds_mismatch": lambda lib: lib.clamp(lib.ones(2), min=lib.ones(3)),
    "bce_logits_weight_past_input": lambda lib: _F(lib).binary_cross_entropy_with_logits(
        lib.tensor([1.0, 2.0]), lib.tensor([1.0, 0.0]), weight=lib.ones(2, 2)
    ),
    "bce_logits_pos_weight_past_input": lambda lib: _F(lib).binary_cross_entropy_with_logits(
        lib.tensor([1.0, 2.0]), lib.tensor([1.0, 0.0]), pos_weight=lib.ones(2, 2)
    ),
    "bce_logits_weight_mismatch": lambda lib: _F(lib).binary_cross_entropy_with_logits(
        lib.tensor([1.0, 2.0]), lib.tensor([1.0, 0.0]), weight=lib.ones(3)
    ),
    "bce_logits_pos_weight_mismatch": lambda lib: _F(lib).binary_cross_entropy_with_logits(
        lib.tensor([1.0, 2.0]), lib.tensor([1.0, 0.0]), pos_weight=lib.ones(3)
    ),
    "bce_logits_both_weights_mismatch": lambda lib: _F(lib).binary_cross_entropy_with_logits(
        lib.ones(1, 2), lib.ones(1, 2), pos_weight=lib.ones(2), weight=lib.ones(3, 1)
    ),
    # ------------------------------------------------------------------ values
    "label_smoothing_above_one": lambda lib: _F(lib).cross_entropy(
        _x(lib), lib.tensor([0, 1]), label_smoothing=1.5
    ),
    "label_smoothing_above_one_with_probabilities": lambda lib: _F(lib).cross_entropy(
        _x(lib), _x(lib).softmax(1), label_smoothing=1.01
    ),
    "init_normal_negative_std": lambda lib: lib.nn.init.normal_(lib.zeros(2), std=-0.5),
    "init_uniform_reversed_range": lambda lib: lib.nn.init.uniform_(lib.zeros(2), 2.5, 1.5),
    "tensor_normal_negative_std": lambda lib: lib.zeros(2).normal_(0, -1),
    "tensor_uniform_reversed_range": lambda lib: lib.zeros(2).uniform_(2, 1),
    "uint8_from_negative_float": lambda lib: lib.tensor([-1.4], dtype=lib.uint8),
    "uint8_from_256": lambda lib: lib.tensor([256], dtype=lib.uint8),
    "uint8_from_minus_256": lambda lib: lib.tensor([-256], dtype=lib.uint8),
    "int8_from_127_point_9": lambda lib: lib.tensor([127.9], dtype=lib.int8),
    "int64_from_nan": lambda lib: lib.tensor(float("nan"), dtype=lib.int64),
    "arange_zero_step": lambda lib: lib.arange(0, 5, 0),
    "arange_nan_step": lambda lib: lib.arange(0, 5, float("nan")),
    "arange_wrong_direction": lambda lib: lib.arange(0, 5, -1),
    "arange_to_infinity": lambda lib: lib.arange(0, float("inf")),
    "arange_int64_step_truncated_to_zero": lambda lib: lib.arange(0, 2.5, 0.5, dtype=lib.int64),
    "ragged_lengths": lambda lib: lib.tensor([[1, 2], [3]]),
    "ragged_deeper": lambda lib: lib.tensor([[[1, 2], [3, 4]], [[1, 2], [3]]]),
    "ragged_number_for_a_list": lambda lib: lib.tensor([[1, 2], 3]),
    "ragged_list_for_an_int": lambda lib: lib.tensor([1, [2, 3]]),
    "ragged_list_for_a_float": lambda lib: lib.tensor([1.0, [2, 3]]),
    "ragged_list_for_an_int_deeper": lambda lib: lib.tensor([[1, 2], [3, [4]]]),
    # ------------------------------------------------------------------ dtypes
    "argmax_of_bool": lambda lib: lib.tensor([True]).argmax(),
    "relu_of_bool": lambda lib: lib.tensor([True]).relu(),
    "abs_of_bool": lambda lib: lib.tensor([True]).abs(),
    "linspace_of_bool": lambda lib: lib.linspace(0, 1, 3, dtype=lib.bool),
    "arange_of_bool": lambda lib: lib.arange(3, dtype=lib.bool),
    "subtract_bool_tensors": lambda lib: lib.tensor([True]) - lib.tensor([False]),
    "subtract_from_a_bool_tensor": lambda lib: lib.tensor([True]) - 1,
    "subtract_a_bool_tensor": lambda lib: 1 - lib.tensor([True]),
    "negate_a_bool_tensor": lambda lib: -lib.tensor([True]),
    "bool_to_a_bool_power": lambda lib: lib.tensor([True]) ** lib.tensor([True]),
    "bitwise_and_of_floats": lambda lib: lib.tensor([1.0]) & lib.tensor([1]),
    "bitwise_and_with_a_float": lambda lib: lib.tensor([1]) & 1.5,
    "inplace_int_plus_float": lambda lib: lib.tensor([1]).__iadd__(1.5),
    "inplace_int_plus_double_0d": lambda lib: lib.tensor([1]).__iadd__(
        lib.tensor(1.5, dtype=lib.float64)
    ),
    "inplace_int_true_division": lambda lib: lib.tensor([1]).__itruediv__(2),
    "inplace_bool_plus_int": lambda lib: lib.tensor([True]).__iadd__(1),
    "inplace_int32_times_half": lambda lib: lib.tensor([1], dtype=lib.int32).__imul__(
        lib.tensor([1.5], dtype=lib.float16)
    ),
    "inplace_bool_or_float": lambda lib: lib.tensor([True]).__ior__(1.5),
    "inplace_float_and_int": lambda lib: lib.tensor([1.0]).__iand__(1),
    # ---------------------------------------------------------------- indexing
    "argmax_of_empty": lambda lib: lib.zeros(0).argmax(),
    "argmax_along_an_empty_dim": lambda lib: lib.zeros(0, 3).argmax(0),
    "negative_slice_step": lambda lib: _x(lib)[::-1],
    "zero_slice_step": lambda lib: _x(lib)[::0],
    "negative_step_after_too_many_indices": lambda lib: lib.zeros(1)[0, ::-1],
    "integer_before_a_negative_step": lambda lib: lib.zeros(1, 2)[None, 1, ::-1],
    "index_after_ellipsis_out_of_range": lambda lib: lib.zeros(2, 3, 4)[0, ..., 5, 0],
    "mixed_index_out_of_range": lambda lib: lib.zeros(2, 3, 4)[0, :, [1, 9]],
    "list_out_of_range_element_order": lambda lib: lib.zeros(1, 1)[[0, 1], [1, 0]],
    "mask_after_unsqueeze": lambda lib: lib.zeros(3)[lib.tensor([False] * 4), None],
}


@pytest.mark.parametrize("call", ERRORS.values(), ids=ERRORS.keys())
def test_error_matches_torch(call: Callable[[Any], Any]) -> None:
    assert_same_exception(lambda: call(mm), lambda: call(torch))


# Calls that used to crash or be refused in minimodel, where PyTorch gives a result.
WORKS: dict[str, Callable[[Any], Any]] = {
    "bitwise_and_of_bools": lambda lib: lib.tensor([True, False]) & lib.tensor([True, True]),
    "bitwise_or_of_ints": lambda lib: lib.tensor([1, 2]) | 4,
    "bitwise_xor_bool_and_int": lambda lib: lib.tensor([True]) ^ lib.tensor([3]),
    "bitwise_reflected": lambda lib: 1 & lib.tensor([3]),
    "invert_ints": lambda lib: ~lib.tensor([3, -1]),
    "invert_bools": lambda lib: ~lib.tensor([True, False]),
    "inplace_and": lambda lib: lib.tensor([3, 5]).__iand__(lib.tensor([1, 4])),
    "uint8_plus_minus_one": lambda lib: _u8(lib) + (-1),
    "uint8_plus_300": lambda lib: _u8(lib) + 300,
    "uint8_equals_minus_one": lambda lib: lib.tensor([255], dtype=lib.uint8) == -1,
    "int8_plus_300": lambda lib: lib.tensor([1], dtype=lib.int8) + 300,
    "uint8_inplace_int8": lambda lib: _u8(lib).__iadd__(lib.tensor([-3, 1], dtype=lib.int8)),
    "uint8_inplace_minus_one": lambda lib: _u8(lib).__isub__(1),
    "minus_one_over_uint8": lambda lib: -1 / _u8(lib),
    "uint8_from_minus_one": lambda lib: lib.tensor([-1], dtype=lib.uint8),
    "sum_axis_keepdims": lambda lib: _x(lib).sum(axis=1, keepdims=True),
    "mean_axis": lambda lib: lib.mean(_x(lib), axis=0),
    "max_axis": lambda lib: _x(lib).max(axis=1).values,
    "argmin_axis_keepdims": lambda lib: _x(lib).argmin(axis=1, keepdims=True),
    "sum_dim_empty_tuple": lambda lib: _x(lib).sum(dim=()),
    "sum_dim_empty_list": lambda lib: _x(lib).sum(dim=[]),
    "mean_dim_empty_tuple": lambda lib: _x(lib).mean(dim=(), keepdim=True),
    "sum_dim_none_keepdim": lambda lib: _x(lib).sum(None, True),
    "argmax_keepdim_without_dim": lambda lib: _x(lib).argmax(keepdim=True),
    "argmin_keepdim_without_dim_3d": lambda lib: lib.zeros(2, 1, 3).argmin(keepdim=True),
    "argmax_of_empty_along_a_full_dim": lambda lib: lib.zeros(0, 3).argmax(1),
    "clamp_tensor_bounds": lambda lib: lib.clamp(
        lib.tensor([1.0, 5.0]), lib.ones(2), lib.tensor(4.0)
    ),
    "clamp_min_above_max_keeps_nan": lambda lib: lib.tensor([1.0, float("nan"), 5]).clamp(3, 2),
    "clamp_int_with_a_float_bound": lambda lib: lib.clamp(lib.tensor([1, 2]), 0.5),
    "clamp_in_place_on_ints": lambda lib: lib.tensor([1, 5]).clamp_(0, 2),
    "clamp_in_place_with_tensor_bounds": lambda lib: lib.tensor([1.0, 5.0, -0.0]).clamp_(
        lib.zeros(3), lib.ones(3)
    ),
    "cat_axis": lambda lib: lib.cat([_x(lib), _x(lib)], axis=1),
    "stack_axis": lambda lib: lib.stack([_x(lib), _x(lib)], axis=1),
    "squeeze_axis": lambda lib: lib.zeros(1, 2).squeeze(axis=0),
    "unsqueeze_axis": lambda lib: _x(lib).unsqueeze(axis=0),
    "equals_a_string": lambda lib: _x(lib) == "a",
    "equals_none": lambda lib: _x(lib) == None,  # noqa: E711
    "not_equals_none": lambda lib: _x(lib) != None,  # noqa: E711
    "arange_int64_float_step": lambda lib: lib.arange(0, 5, 1.5, dtype=lib.int64),
    "arange_int32_float_step": lambda lib: lib.arange(0, 5, 1.5, dtype=lib.int32),
    "arange_uint8_negative_start": lambda lib: lib.arange(-2.5, 3, 1.5, dtype=lib.uint8),
    "arange_int64_float_start": lambda lib: lib.arange(0.5, 5, 1, dtype=lib.int64),
    "empty_inner_lists": lambda lib: lib.tensor([[], []]),
    "index_int_then_list": lambda lib: lib.arange(24).reshape(2, 3, 4)[0, :, [1, 2]],
    "index_int_none_tensor_int": lambda lib: lib.arange(24).reshape(2, 3, 4)[
        -1, None, lib.tensor([0, 1]), 2
    ],
    "index_list_of_lists": lambda lib: lib.arange(4).reshape(2, 2)[[[0, 1], [1, 0]]],
    "index_empty_list": lambda lib: lib.arange(4)[[]],
    "pow_of_negative_zero_and_minus_infinity": lambda lib: lib.tensor([-0.0, -np.inf]) ** -0.5,
    "sqrt_power_of_negative_zero": lambda lib: lib.tensor([-0.0, -np.inf]) ** 0.5,
    "relu_of_negative_zero": lambda lib: lib.tensor([-0.0]).relu(),
}


def _same_result(mine: Any, theirs: Any) -> None:
    if isinstance(theirs, bool):
        assert mine is theirs
        return
    assert str(mine.dtype).split(".")[-1] == str(theirs.dtype).split(".")[-1]
    assert tuple(mine.shape) == tuple(theirs.shape)
    got, want = mine.detach().numpy(), theirs.detach().numpy()
    np.testing.assert_array_equal(got, want)
    # Signs of zeros too (relu(-0.) is -0.); a NaN's sign means nothing.
    signs = ~np.isnan(want) if want.dtype.kind == "f" else np.ones(want.shape, bool)
    np.testing.assert_array_equal(np.signbit(got)[signs], np.signbit(want)[signs])


@pytest.mark.filterwarnings("ignore:Using a non-tuple sequence")
@pytest.mark.parametrize("call", WORKS.values(), ids=WORKS.keys())
def test_result_matches_torch(call: Callable[[Any], Any]) -> None:
    _same_result(call(mm), call(torch))


@pytest.mark.parametrize("decorator", ["no_grad", "enable_grad"])
def test_grad_mode_decorators_work_without_parentheses(decorator: str) -> None:
    results = []
    for lib in (mm, torch):

        @getattr(lib, decorator)
        def grad_enabled(lib: Any = lib) -> bool:
            return lib.is_grad_enabled()

        with lib.set_grad_enabled(decorator == "no_grad"):
            results.append((grad_enabled(), lib.is_grad_enabled(), grad_enabled.__name__))
    assert results[0] == results[1]
