"""``minimodel.exp(t)``, ``minimodel.sum(t)``, ...: the tensor methods as free functions."""

from __future__ import annotations

from typing import Any

import numpy as np

from .ops import arith, join, pointwise, reduction, shape
from .ops._util import checked_operands
from .ops.join import cat, stack, where
from .tensor import Tensor

# As functions, the operations raise PyTorch's TypeError for an argument of the wrong type
# (``minimodel.exp(3.0)``, ``minimodel.matmul(t, [1.0])``), where the operators return
# NotImplemented: each is its method with that check around it.
add = checked_operands(arith.add, "Number", 2)
sub = checked_operands(arith.sub, "Number", 2)
mul = checked_operands(arith.mul, "Number", 2)
div = checked_operands(arith.div, "Number", 2)
pow = checked_operands(arith.pow, "Number", 2)
matmul = checked_operands(arith.matmul, "Tensor", 2)
mm = checked_operands(arith.mm, "Tensor", 2)
maximum = checked_operands(join.maximum, "Tensor", 2)
minimum = checked_operands(join.minimum, "Tensor", 2)
neg = checked_operands(arith.neg, None, 2)
abs = checked_operands(pointwise.abs, None, 2)
clamp = checked_operands(pointwise.clamp, None, 2)
cos = checked_operands(pointwise.cos, None, 2)
exp = checked_operands(pointwise.exp, None, 2)
log = checked_operands(pointwise.log, None, 2)
relu = checked_operands(pointwise.relu, None, 2)
sigmoid = checked_operands(pointwise.sigmoid, None, 2)
sin = checked_operands(pointwise.sin, None, 2)
sqrt = checked_operands(pointwise.sqrt, None, 2)
tanh = checked_operands(pointwise.tanh, None, 2)
argmax = checked_operands(reduction.argmax, None, 2)
argmin = checked_operands(reduction.argmin, None, 2)
max = checked_operands(reduction.max, None, 2)
mean = checked_operands(reduction.mean, None, 2)
min = checked_operands(reduction.min, None, 2)
sum = checked_operands(reduction.sum, None, 2)
flatten = checked_operands(shape.flatten, None, 2)
permute = checked_operands(shape.permute, None, 2)
reshape = checked_operands(shape.reshape, None, 2)
squeeze = checked_operands(shape.squeeze, None, 2)
transpose = checked_operands(shape.transpose, None, 2)
unsqueeze = checked_operands(shape.unsqueeze, None, 2)

clip = checked_operands(pointwise.clip, None, 2)
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
