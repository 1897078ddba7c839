"""Elementwise functions (exp, log, tanh, relu, ...) and their derivatives."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from numbers import Number

import numpy as np

from ..autograd import record
from ..tensor import Tensor
from ._util import promote, unbroadcast
from .arith import _broadcast_error


def _unary(
    input: Tensor,
    name: str,
    fn: Callable[[np.ndarray], np.ndarray],
    dfn: Callable[[np.ndarray, np.ndarray, np.ndarray], np.ndarray],
    floating: bool = True,
) -> Tensor:
    """Apply ``fn``; ``dfn(g, x, out)`` is the upstream gradient times the derivative.

    A ``floating`` function of an integer or bool tensor is computed in float32, as in PyTorch.
    """
    x = input._data
    if floating and x.dtype.kind != "f":
        x = x.astype(np.float32)
    out = fn(x)
    return record(out, (input,), name, partial(_unary_backward, dfn, x, out))


# A partial rather than a closure, and derivatives defined once here rather than as a lambda per
# call: fewer objects per recorded operation, so the garbage collector runs less often on long
# graphs (see _binary_backward in arith.py).
def _unary_backward(dfn, x, out, g):
    return (dfn(g, x, out),)


def exp(input: Tensor) -> Tensor:
    """Elementwise ``e ** input``."""
    return _unary(input, "ExpBackward0", np.exp, _times_out)


def _times_out(g, x, out):
    return g * out


def log(input: Tensor) -> Tensor:
    """Elementwise natural logarithm (``-inf`` at 0 and ``nan`` below, as in PyTorch)."""
    return _unary(input, "LogBackward0", np.log, _over_x)


def _over_x(g, x, out):
    return g / x


def sqrt(input: Tensor) -> Tensor:
    """Elementwise square root."""
    return _unary(input, "SqrtBackward0", np.sqrt, _sqrt_grad)


def _sqrt_grad(g, x, out):
    return g / (2 * out)


def sin(input: Tensor) -> Tensor:
    """Elementwise sine."""
    return _unary(input, "SinBackward0", np.sin, _sin_grad)


def _sin_grad(g, x, out):
    return g * np.cos(x)


def cos(input: Tensor) -> Tensor:
    """Elementwise cosine."""
    return _unary(input, "CosBackward0", np.cos, _cos_grad)


def _cos_grad(g, x, out):
    return -g * np.sin(x)


def tanh(input: Tensor) -> Tensor:
    """Elementwise hyperbolic tangent."""
    return _unary(input, "TanhBackward0", np.tanh, _tanh_grad)


def _tanh_grad(g, x, out):
    return g * (1 - out * out)


def _stable_sigmoid(x: np.ndarray) -> np.ndarray:
    # exp of a non-positive number never overflows, and small results keep their precision.
    e = np.exp(-np.abs(x))
    return np.where(x >= 0, 1 / (1 + e), e / (1 + e))


def sigmoid(input: Tensor) -> Tensor:
    """Elementwise logistic function ``1 / (1 + exp(-input))``, stable for large inputs."""
    return _unary(input, "SigmoidBackward0", _stable_sigmoid, _sigmoid_grad)


def _sigmoid_grad(g, x, out):
    return g * out * (1 - out)


def relu(input: Tensor) -> Tensor:
    """Elementwise ``max(input, 0)``; the gradient at 0 is 0, as in PyTorch."""
    x = input._data
    if x.dtype == np.bool_:
        raise RuntimeError("Boolean inputs not supported for relu")
    # 0 first: NumPy returns its second operand on ties, so relu(-0.) is -0., as in PyTorch.
    return record(np.maximum(0, x), (input,), "ReluBackward0", partial(_relu_backward, x))


def _relu_backward(x, g):
    # Selected, not multiplied by a 0/1 mask: an inf or NaN gradient where x <= 0 gives 0; at
    # a NaN input the gradient passes, as PyTorch's ``x <= 0 ? 0 : g``.
    return (np.where(x <= 0, 0, g),)


def abs(input: Tensor) -> Tensor:
    """Elementwise absolute value; the gradient at 0 (and at NaN) is 0."""
    if input._data.dtype == np.bool_:
        raise NotImplementedError("\"abs_cpu\" not implemented for 'Bool'")
    return _unary(input, "AbsBackward0", np.abs, _abs_grad, False)


def _abs_grad(g, x, out):
    if x.dtype.kind == "f":
        return g * np.where(x != x, 0, np.sign(x))  # PyTorch's sgn(NaN) is 0
    return g * np.sign(x)


def clamp(
    input: Tensor, min: float | Tensor | None = None, max: float | Tensor | None = None
) -> Tensor:
    """Limit every element to ``[min, max]``; the gradient is 0 where an element was clipped.

    The result is ``minimum(maximum(input, min), max)``: ``max`` wins where ``min > max``, and
    NaN stays NaN.

    Args:
        min: the lower bound (a number or a tensor that broadcasts), or None for none.
        max: the upper bound (a number or a tensor that broadcasts), or None for none.
    """
    if min is None and max is None:
        raise RuntimeError("torch.clamp: At least one of 'min' or 'max' must not be None")
    if isinstance(min, Tensor) or isinstance(max, Tensor):
        return _clamp_tensor(input, min, max)
    for name, bound in (("min", min), ("max", max)):
        if bound is not None and not isinstance(bound, Number):
            raise TypeError(
                f"clamp(): argument '{name}' must be Number, not {type(bound).__name__}"
            )
    x = input._data
    # The bound first: NumPy returns its second operand on ties, PyTorch keeps x (and -0.).
    out = x
    if min is not None:
        out = np.maximum(min, out)
    if max is not None:
        out = np.minimum(max, out)
    out = promote(out, x, min if max is None else max)
    return record(out, (input,), "ClampBackward1", partial(_clamp_backward, x, min, max))


def _clamp_backward(x, lo, hi, g):
    # Selected, so an inf gradient of a clipped element gives 0 (and NaN inputs give 0).
    if lo is None:
        keep = x <= hi
    elif hi is None:
        keep = x >= lo
    else:
        keep = (x >= lo) & (x <= hi)
    return (np.where(keep, g, 0),)


def _clamp_tensor(input: Tensor, min: Tensor | None, max: Tensor | None) -> Tensor:
    """``clamp`` with tensor bounds: they broadcast and get gradients (PyTorch's ClampBackward0)."""
    for name, bound in (("min", min), ("max", max)):
        if not isinstance(bound, Tensor | None):
            raise TypeError(
                f"clamp(): argument '{name}' must be Tensor, not {type(bound).__name__} (the "
                "bounds are either both numbers or both tensors)"
            )
    x = input._data
    lo = None if min is None else min._data
    hi = None if max is None else max._data
    out = x
    try:
        for bound, fn in ((lo, np.maximum), (hi, np.minimum)):
            if bound is not None:
                out = promote(fn(bound, out), out, bound)  # ties keep out, as in clamp
    except ValueError:
        raise _broadcast_error(x, lo if hi is None else hi) from None
    tensors = (input, min, max)

    def backward(g: np.ndarray) -> tuple[np.ndarray | None, ...]:
        keep = np.ones(x.shape, bool)
        if lo is not None:
            keep = keep & (x >= lo)
        if hi is not None:
            keep = keep & (x <= hi)
        if lo is not None and hi is not None:
            to_lo = (x < lo) & (lo < hi)
            to_hi = (x > hi) | (hi < lo)
        else:
            to_lo = None if lo is None else x < lo
            to_hi = None if hi is None else x > hi
        return tuple(
            unbroadcast(np.where(pick, g, 0), t._data.shape)
            for pick, t in ((keep, input), (to_lo, min), (to_hi, max))
            if t is not None
        )

    return record(out, tuple(t for t in tensors if t is not None), "ClampBackward0", backward)
