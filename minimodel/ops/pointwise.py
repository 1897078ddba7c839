"""Elementwise functions (exp, log, tanh, relu, ...) and their derivatives."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from numbers import Number
from typing import TYPE_CHECKING

import numpy as np

from ..autograd import OUTPUT, record
from ._util import promote, unbroadcast
from .arith import _broadcast_error

if TYPE_CHECKING:
    from ..tensor import Tensor
else:
    Tensor = None  # set by minimodel.tensor once the class exists (see ops/__init__.py)


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
    x = input._data
    if x.dtype == np.bool_:
        raise RuntimeError("Boolean inputs not supported for relu")
    # 0 first: NumPy returns its second operand on ties, so relu(-0.) is -0., as in PyTorch.
    out = np.maximum(0, x)
    return record(out, (input,), "ReluBackward0", partial(_relu_backward, out), _RESULT)


def _relu_backward(out, g):
    # From the result, which is what PyTorch saves; selected, not multiplied by a 0/1 mask: an
    # inf or NaN gradient where the result is 0 gives 0, and at a NaN input the gradient passes.
    return (np.where(out <= 0, 0, g),)


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
    return record(out, (input,), "ClampBackward1", partial(_clamp_backward, x, min, max), (input,))


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

    given = tuple(t for t in tensors if t is not None)
    return record(out, given, "ClampBackward0", backward, given)


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
