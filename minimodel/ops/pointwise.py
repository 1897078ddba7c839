"""Elementwise functions (exp, log, tanh, relu, ...) and their derivatives."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

import numpy as np

from ..autograd import OUTPUT, record
from ..tensor import Tensor


def _unary(
    input: Tensor,
    name: str,
    fn: Callable[[np.ndarray], np.ndarray],
    dfn: Callable[[np.ndarray, np.ndarray, np.ndarray], np.ndarray],
    floating: bool = True,
    saves_result: bool = False,
) -> Tensor:
    """Apply ``fn``; ``dfn(g, x, out)`` is the upstream gradient times the derivative.

    A ``floating`` function of an integer or bool tensor is computed in float32, as in PyTorch.
    ``dfn`` reads only ``out`` if ``saves_result``, else only ``x``: what PyTorch saves.
    """
    x = input._data
    if floating and x.dtype.kind != "f":
        x = x.astype(np.float32)
    out = fn(x)
    saved = _RESULT if saves_result else (input,)
    return record(out, (input,), name, partial(_unary_backward, dfn, x, out), saved)


_RESULT = (OUTPUT,)


# A partial rather than a closure, and derivatives defined once here rather than as a lambda per
# call: fewer objects per recorded operation, so the garbage collector runs less often on long
# graphs (see _binary_backward in arith.py).
def _unary_backward(dfn, x, out, g):
    return (dfn(g, x, out),)


def exp(input: Tensor) -> Tensor:
    """Elementwise ``e ** input``."""
    return _unary(input, "ExpBackward0", np.exp, _times_out, saves_result=True)


def _times_out(g, x, out):
    return g * out


def log(input: Tensor) -> Tensor:
    """Elementwise natural logarithm (``-inf`` at 0 and ``nan`` below, as in PyTorch)."""
    return _unary(input, "LogBackward0", np.log, _over_x)


def _over_x(g, x, out):
    return g / x


def sqrt(input: Tensor) -> Tensor:
    """Elementwise square root."""
    return _unary(input, "SqrtBackward0", np.sqrt, _sqrt_grad, saves_result=True)


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
    return _unary(input, "TanhBackward0", np.tanh, _tanh_grad, saves_result=True)


def _tanh_grad(g, x, out):
    return g * (1 - out * out)


def _stable_sigmoid(x: np.ndarray) -> np.ndarray:
    # exp of a non-positive number never overflows, and small results keep their precision.
    e = np.exp(-np.abs(x))
    return np.where(x >= 0, 1 / (1 + e), e / (1 + e))


def sigmoid(input: Tensor) -> Tensor:
    """Elementwise logistic function ``1 / (1 + exp(-input))``, stable for large inputs."""
    return _unary(input, "SigmoidBackward0", _stable_sigmoid, _sigmoid_grad, saves_result=True)


def _sigmoid_grad(g, x, out):
    return g * out * (1 - out)


def relu(input: Tensor) -> Tensor:
    """Elementwise ``max(input, 0)``; the gradient at 0 is 0, as in PyTorch."""
    out = np.maximum(input._data, 0)
    return record(out, (input,), "ReluBackward0", partial(_relu_backward, out), _RESULT)


def _relu_backward(out, g):
    return (g * (out > 0),)


def abs(input: Tensor) -> Tensor:
    """Elementwise absolute value; the gradient at 0 is 0."""
    return _unary(input, "AbsBackward0", np.abs, _abs_grad, False)


def _abs_grad(g, x, out):
    return g * np.sign(x)


def clamp(input: Tensor, min: float | None = None, max: float | None = None) -> Tensor:
    """Limit every element to ``[min, max]``; the gradient is 0 where an element was clipped.

    Args:
        min: the lower bound, or None for no lower bound.
        max: the upper bound, or None for no upper bound.
    """
    if min is None and max is None:
        raise RuntimeError("torch.clamp: At least one of 'min' or 'max' must not be None")
    x = input._data
    out = np.clip(x, min, max)
    if min is not None and max is not None and min > max:
        out = np.full_like(x, max)

    def backward(g: np.ndarray) -> tuple[np.ndarray]:
        keep = np.ones(x.shape, dtype=bool)
        if min is not None:
            keep &= x >= min
        if max is not None:
            keep &= x <= max
        return (g * keep,)

    return record(out, (input,), "ClampBackward1", backward, (input,))
