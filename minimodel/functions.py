"""``minimodel.exp(t)``, ``minimodel.sum(t)``, ...: the tensor methods as free functions."""

from __future__ import annotations

from typing import Any

import numpy as np

from .ops._util import checked_operands
from .ops.arith import add, div, matmul, mm, mul, neg, pow, sub
from .ops.join import cat, maximum, minimum, stack, where
from .ops.pointwise import abs, clamp, cos, exp, log, relu, sigmoid, sin, sqrt, tanh
from .ops.reduction import argmax, argmin, max, mean, min, sum
from .ops.shape import flatten, permute, reshape, squeeze, transpose, unsqueeze
from .tensor import Tensor

# As functions, the operations raise PyTorch's TypeError for an argument of the wrong type
# (``minimodel.exp(3.0)``, ``minimodel.matmul(t, [1.0])``), where the operators return
# NotImplemented.
add, sub, mul, div, pow = (checked_operands(f, "Number", 2) for f in (add, sub, mul, div, pow))
matmul, mm, maximum, minimum = (
    checked_operands(f, "Tensor", 2) for f in (matmul, mm, maximum, minimum)
)
(
    abs, clamp, cos, exp, log, relu, sigmoid, sin, sqrt, tanh, neg,
    argmax, argmin, max, mean, min, sum,
    flatten, permute, reshape, squeeze, transpose, unsqueeze,
) = (
    checked_operands(f, None, 2)
    for f in (
        abs, clamp, cos, exp, log, relu, sigmoid, sin, sqrt, tanh, neg,
        argmax, argmin, max, mean, min, sum,
        flatten, permute, reshape, squeeze, transpose, unsqueeze,
    )
)  # fmt: skip

clip = clamp
concat = concatenate = cat


def is_tensor(obj: Any) -> bool:
    """True if ``obj`` is a minimodel tensor (or a Parameter)."""
    return isinstance(obj, Tensor)


numel = Tensor.numel


def allclose(
    input: Tensor, other: Tensor, rtol: float = 1e-05, atol: float = 1e-08, equal_nan: bool = False
) -> bool:
    """True if ``|input - other| <= atol + rtol * |other|`` everywhere."""
    return bool(np.allclose(input._data, other._data, rtol=rtol, atol=atol, equal_nan=equal_nan))


def equal(input: Tensor, other: Tensor) -> bool:
    """True if both tensors have the same shape and elements."""
    return input._data.shape == other._data.shape and bool(np.all(input._data == other._data))


__all__ = [
    "abs",
    "add",
    "allclose",
    "argmax",
    "argmin",
    "cat",
    "clamp",
    "clip",
    "concat",
    "concatenate",
    "cos",
    "div",
    "equal",
    "exp",
    "flatten",
    "is_tensor",
    "log",
    "matmul",
    "max",
    "maximum",
    "mean",
    "min",
    "minimum",
    "mm",
    "mul",
    "neg",
    "numel",
    "permute",
    "pow",
    "relu",
    "reshape",
    "sigmoid",
    "sin",
    "sqrt",
    "squeeze",
    "stack",
    "sub",
    "sum",
    "tanh",
    "transpose",
    "unsqueeze",
    "where",
]
