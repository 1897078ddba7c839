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


# ---------------------------------------------------------------- added for issue 12
def sign(input: Tensor) -> Tensor:
    """Elementwise -1, 0 or 1 by the sign of each element (0 for NaN, as in PyTorch); its
    gradient is 0."""
    return _zero_gradient(input, "SignBackward0", _sign)


def _sign(x: np.ndarray) -> np.ndarray:
    out = np.sign(x)
    return np.where(np.isnan(out), 0, out).astype(x.dtype) if x.dtype.kind == "f" else out


def _zero_gradient(input: Tensor, name: str, fn: Callable[[np.ndarray], np.ndarray]) -> Tensor:
    # A step function: its gradient is 0 wherever it exists, and PyTorch's node saves nothing.
    x = input._data
    out = fn(x)
    return record(out, (input,), name, partial(_unary_backward, _zero_grad, x, out), False)


def _zero_grad(g, x, out):
    return np.zeros_like(g)


def square(input: Tensor) -> Tensor:
    """Elementwise ``input ** 2`` (PyTorch records it as a power: ``PowBackward0``)."""
    return _unary(input, "PowBackward0", np.square, _square_grad, False)


def _square_grad(g, x, out):
    return g * 2 * x


def log1p(input: Tensor) -> Tensor:
    """Elementwise ``log(1 + input)``, accurate for small inputs."""
    return _unary(input, "Log1PBackward0", np.log1p, _log1p_grad)


def _log1p_grad(g, x, out):
    return g / (1 + x)


def expm1(input: Tensor) -> Tensor:
    """Elementwise ``exp(input) - 1``, accurate for small inputs."""
    return _unary(input, "Expm1Backward0", np.expm1, _expm1_grad, saves_result=True)


def _expm1_grad(g, x, out):
    return g * (out + 1)


def floor(input: Tensor) -> Tensor:
    """Elementwise largest integer not above each element; its gradient is 0."""
    return _zero_gradient(input, "FloorBackward0", _keep_integers(np.floor))


def ceil(input: Tensor) -> Tensor:
    """Elementwise smallest integer not below each element; its gradient is 0."""
    return _zero_gradient(input, "CeilBackward0", _keep_integers(np.ceil))


def round(input: Tensor, *, decimals: int = 0) -> Tensor:
    """Round to the nearest integer (halves to even, as PyTorch), or to ``decimals`` decimal
    places; its gradient is 0.

    Args:
        decimals: the number of decimal places (negative rounds to tens, hundreds...).
    """
    if decimals == 0:
        return _zero_gradient(input, "RoundBackward0", _keep_integers(np.round))
    return _zero_gradient(input, "RoundBackward1", lambda x: np.round(x, decimals))


def _keep_integers(fn):
    # Rounding an integer tensor returns it unchanged (a copy), in its dtype.
    return lambda x: x.copy() if x.dtype.kind in "iub" else fn(x)


def _predicate(input: Tensor, fn) -> Tensor:
    return Tensor._wrap(np.asarray(fn(input._data)))


def isnan(input: Tensor) -> Tensor:
    """A bool tensor: True where ``input`` is NaN."""
    return _predicate(input, np.isnan)


def isinf(input: Tensor) -> Tensor:
    """A bool tensor: True where ``input`` is plus or minus infinity."""
    return _predicate(input, np.isinf)


def isfinite(input: Tensor) -> Tensor:
    """A bool tensor: True where ``input`` is neither infinite nor NaN."""
    return _predicate(input, np.isfinite)
