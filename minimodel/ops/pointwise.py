"""Elementwise functions (exp, log, tanh, relu, ...) and their derivatives.

:class:`PointwiseMixin` holds them as methods of :class:`~minimodel.Tensor`; ``minimodel.exp``
and the other functional forms at the bottom are the same functions.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from numbers import Number
from typing import TYPE_CHECKING, Any

import numpy as np

from .. import _scalar
from ..autograd import OUTPUT, record
from ._util import (
    accumulated,
    can_cast,
    common_operands,
    keeping_ties,
    promote,
    result_type,
    scalar_type_name,
    torch_dtype_name,
    unbroadcast,
)
from .arith import _broadcast_error

if TYPE_CHECKING:
    from ..tensor import Tensor
else:
    Tensor = None  # set by minimodel.tensor once the class exists (see ops/__init__.py)

Derivative = Callable[[np.ndarray, np.ndarray, np.ndarray], np.ndarray]


def _unary(
    input: Tensor,
    name: str,
    fn: Callable[[np.ndarray], np.ndarray],
    dfn: Derivative,
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


def _unary_backward(
    dfn: Derivative, x: np.ndarray, out: np.ndarray, g: np.ndarray
) -> tuple[np.ndarray]:
    return (dfn(g, x, out),)


def _zero_gradient(input: Tensor, name: str, fn: Callable[[np.ndarray], np.ndarray]) -> Tensor:
    # A step function: its gradient is 0 wherever it exists, and PyTorch's node saves nothing.
    x = input._data
    out = fn(x)
    return record(out, (input,), name, partial(_unary_backward, _zero_grad, x, out), False)


def _zero_grad(g: np.ndarray, x: np.ndarray, out: np.ndarray) -> np.ndarray:
    return np.zeros_like(g)


def _keep_integers(
    fn: Callable[[np.ndarray], np.ndarray], kernel: str
) -> Callable[[np.ndarray], np.ndarray]:
    """``fn`` returning an integer tensor unchanged (a copy), in its dtype; PyTorch has no
    kernel for bool tensors (named ``kernel`` in its error)."""

    def rounded(x: np.ndarray) -> np.ndarray:
        if x.dtype.kind == "b":
            raise NotImplementedError(f"\"{kernel}_vml_cpu\" not implemented for 'Bool'")
        return x.copy() if x.dtype.kind in "iu" else fn(x)

    return rounded


def _stable_sigmoid(x: np.ndarray) -> np.ndarray:
    # exp of a non-positive number never overflows, and small results keep their precision.
    e = np.exp(-np.abs(x))
    return np.where(x >= 0, 1 / (1 + e), e / (1 + e))


def _sign(x: np.ndarray) -> np.ndarray:
    if x.dtype.kind == "b":  # the sign of True is True: a copy, as PyTorch's
        return x.copy()
    out = np.sign(x)
    return np.where(np.isnan(out), 0, out).astype(x.dtype) if x.dtype.kind == "f" else out


_floor = _keep_integers(np.floor, "floor")
_ceil = _keep_integers(np.ceil, "ceil")
_round = _keep_integers(np.round, "round")


def _round_decimals(decimals: int) -> Callable[[np.ndarray], np.ndarray]:
    def rounded(x: np.ndarray) -> np.ndarray:
        if x.dtype.kind != "f":
            raise NotImplementedError(
                f"\"round_cpu\" not implemented for '{scalar_type_name(x.dtype)}'"
            )
        # float16 is scaled in float32, as PyTorch's kernel does (65504 * 10 is inf in float16).
        return np.round(accumulated(x), decimals).astype(x.dtype, copy=False)

    return rounded


def _square(x: np.ndarray) -> np.ndarray:
    # PyTorch squares as ``x ** 2``: a bool tensor becomes int64, as for any bool power.
    return np.square(x.astype(np.int64) if x.dtype.kind == "b" else x)


class PointwiseMixin:
    """The elementwise functions of :class:`~minimodel.Tensor`, and their in-place variants.

    Each derivative is the static method right below its function (``_exp_backward`` for
    ``exp``): ``dfn(g, x, out)``, the upstream gradient ``g`` times the derivative at the input
    ``x`` (or from the result ``out``).
    """

    __slots__ = ()

    def exp(self: Tensor) -> Tensor:  # type: ignore[misc]
        """Elementwise ``e ** input``.

        Example::

            >>> minimodel.tensor([0.0, 1.0]).exp()
            tensor([1.0000, 2.7183])
        """
        return _unary(self, "ExpBackward0", np.exp, PointwiseMixin._exp_backward, True, True)

    @staticmethod
    def _exp_backward(g: np.ndarray, x: np.ndarray, out: np.ndarray) -> np.ndarray:
        return g * out

    def exp_(self: Tensor) -> Tensor:  # type: ignore[misc]
        """In-place version of :meth:`exp`.

        Example::

            >>> x = minimodel.tensor([0.0, 1.0])
            >>> _ = x.exp_()
            >>> x
            tensor([1.0000, 2.7183])
        """
        return self._write(PointwiseMixin.exp)

    def log(self: Tensor) -> Tensor:  # type: ignore[misc]
        """Elementwise natural logarithm (``-inf`` at 0 and ``nan`` below, as in PyTorch).

        Example::

            >>> minimodel.tensor([1.0, 4.0]).log()
            tensor([0.0000, 1.3863])
        """
        return _unary(self, "LogBackward0", np.log, PointwiseMixin._log_backward)

    @staticmethod
    def _log_backward(g: np.ndarray, x: np.ndarray, out: np.ndarray) -> np.ndarray:
        return g / x

    def log_(self: Tensor) -> Tensor:  # type: ignore[misc]
        """In-place version of :meth:`log`.

        Example::

            >>> x = minimodel.tensor([1.0, 4.0])
            >>> _ = x.log_()
            >>> x
            tensor([0.0000, 1.3863])
        """
        return self._write(PointwiseMixin.log)

    def sqrt(self: Tensor) -> Tensor:  # type: ignore[misc]
        """Elementwise square root (``nan`` below 0).

        Example::

            >>> minimodel.tensor([0.25, 1.0]).sqrt()
            tensor([0.5000, 1.0000])
        """
        return _unary(self, "SqrtBackward0", np.sqrt, PointwiseMixin._sqrt_backward, True, True)

    @staticmethod
    def _sqrt_backward(g: np.ndarray, x: np.ndarray, out: np.ndarray) -> np.ndarray:
        return g / (2 * out)

    def sqrt_(self: Tensor) -> Tensor:  # type: ignore[misc]
        """In-place version of :meth:`sqrt`.

        Example::

            >>> x = minimodel.tensor([0.25, 1.0])
            >>> _ = x.sqrt_()
            >>> x
            tensor([0.5000, 1.0000])
        """
        return self._write(PointwiseMixin.sqrt)

    def sin(self: Tensor) -> Tensor:  # type: ignore[misc]
        """Elementwise sine (of radians).

        Example::

            >>> minimodel.tensor([0.0, 2.0]).sin()
            tensor([0.0000, 0.9093])
        """
        return _unary(self, "SinBackward0", np.sin, PointwiseMixin._sin_backward)

    @staticmethod
    def _sin_backward(g: np.ndarray, x: np.ndarray, out: np.ndarray) -> np.ndarray:
        return g * np.cos(x)

    def sin_(self: Tensor) -> Tensor:  # type: ignore[misc]
        """In-place version of :meth:`sin`.

        Example::

            >>> x = minimodel.tensor([0.0, 2.0])
            >>> _ = x.sin_()
            >>> x
            tensor([0.0000, 0.9093])
        """
        return self._write(PointwiseMixin.sin)

    def cos(self: Tensor) -> Tensor:  # type: ignore[misc]
        """Elementwise cosine (of radians).

        Example::

            >>> minimodel.tensor([0.0, 2.0]).cos()
            tensor([ 1.0000, -0.4161])
        """
        return _unary(self, "CosBackward0", np.cos, PointwiseMixin._cos_backward)

    @staticmethod
    def _cos_backward(g: np.ndarray, x: np.ndarray, out: np.ndarray) -> np.ndarray:
        return -g * np.sin(x)

    def cos_(self: Tensor) -> Tensor:  # type: ignore[misc]
        """In-place version of :meth:`cos`.

        Example::

            >>> x = minimodel.tensor([0.0, 2.0])
            >>> _ = x.cos_()
            >>> x
            tensor([ 1.0000, -0.4161])
        """
        return self._write(PointwiseMixin.cos)

    def tanh(self: Tensor) -> Tensor:  # type: ignore[misc]
        """Elementwise hyperbolic tangent.

        Example::

            >>> minimodel.tensor([0.0, 2.0]).tanh()
            tensor([0.0000, 0.9640])
        """
        return _unary(self, "TanhBackward0", np.tanh, PointwiseMixin._tanh_backward, True, True)

    @staticmethod
    def _tanh_backward(g: np.ndarray, x: np.ndarray, out: np.ndarray) -> np.ndarray:
        return g * (1 - out * out)

    def tanh_(self: Tensor) -> Tensor:  # type: ignore[misc]
        """In-place version of :meth:`tanh`.

        Example::

            >>> x = minimodel.tensor([0.0, 2.0])
            >>> _ = x.tanh_()
            >>> x
            tensor([0.0000, 0.9640])
        """
        return self._write(PointwiseMixin.tanh)

    def sigmoid(self: Tensor) -> Tensor:  # type: ignore[misc]
        """Elementwise logistic function ``1 / (1 + exp(-input))``, stable for large inputs.

        Example::

            >>> minimodel.tensor([0.0, 2.0]).sigmoid()
            tensor([0.5000, 0.8808])
        """
        backward = PointwiseMixin._sigmoid_backward
        return _unary(self, "SigmoidBackward0", _stable_sigmoid, backward, True, True)

    @staticmethod
    def _sigmoid_backward(g: np.ndarray, x: np.ndarray, out: np.ndarray) -> np.ndarray:
        return g * out * (1 - out)

    def sigmoid_(self: Tensor) -> Tensor:  # type: ignore[misc]
        """In-place version of :meth:`sigmoid`.

        Example::

            >>> x = minimodel.tensor([0.0, 2.0])
            >>> _ = x.sigmoid_()
            >>> x
            tensor([0.5000, 0.8808])
        """
        return self._write(PointwiseMixin.sigmoid)

    def relu(self: Tensor) -> Tensor:  # type: ignore[misc]
        """Elementwise ``max(input, 0)``; the gradient at 0 is 0, as in PyTorch.

        Example::

            >>> minimodel.tensor([-1.5, 0.0, 2.0]).relu()
            tensor([0., 0., 2.])
        """
        x = self._data
        if x.dtype == np.bool_:
            raise RuntimeError("Boolean inputs not supported for relu")
        out = keeping_ties(np.maximum, x, 0)  # relu(-0.) is -0., as in PyTorch
        backward = partial(PointwiseMixin._relu_backward, out)
        return record(out, (self,), "ReluBackward0", backward, _RESULT)

    @staticmethod
    def _relu_backward(out: np.ndarray, g: np.ndarray) -> tuple[np.ndarray]:
        # From the result, which is what PyTorch saves; selected, not multiplied by a 0/1 mask: an
        # inf or NaN gradient where the result is 0 gives 0, and at a NaN input the gradient passes.
        return (np.where(out <= 0, 0, g),)

    def relu_(self: Tensor) -> Tensor:  # type: ignore[misc]
        """In-place version of :meth:`relu`.

        Example::

            >>> x = minimodel.tensor([-1.5, 0.0, 2.0])
            >>> _ = x.relu_()
            >>> x
            tensor([0., 0., 2.])
        """
        return self._write(PointwiseMixin.relu)

    def abs(self: Tensor) -> Tensor:  # type: ignore[misc]
        """Elementwise absolute value; the gradient at 0 (and at NaN) is 0. ``abs(t)`` calls it.

        Example::

            >>> abs(minimodel.tensor([-1.5, 2.0]))
            tensor([1.5000, 2.0000])
        """
        if self._data.dtype == np.bool_:
            raise NotImplementedError("\"abs_cpu\" not implemented for 'Bool'")
        return _unary(self, "AbsBackward0", np.abs, PointwiseMixin._abs_backward, False)

    @staticmethod
    def _abs_backward(g: np.ndarray, x: np.ndarray, out: np.ndarray) -> np.ndarray:
        if x.dtype.kind == "f":
            return g * np.where(x != x, 0, np.sign(x))  # PyTorch's sgn(NaN) is 0
        return g * np.sign(x)

    __abs__ = abs

    def abs_(self: Tensor) -> Tensor:  # type: ignore[misc]
        """In-place version of :meth:`abs`.

        Example::

            >>> x = minimodel.tensor([-1.5, 2.0])
            >>> _ = x.abs_()
            >>> x
            tensor([1.5000, 2.0000])
        """
        return self._write(PointwiseMixin.abs)

    def clamp(  # type: ignore[misc]
        self: Tensor, min: float | Tensor | None = None, max: float | Tensor | None = None
    ) -> Tensor:
        """Limit every element to ``[min, max]``; the gradient is 0 where an element was clipped.

        The result is ``minimum(maximum(input, min), max)``: ``max`` wins where ``min > max``, and
        NaN stays NaN.

        Args:
            min: the lower bound (a number or a tensor that broadcasts), or None for none.
            max: the upper bound (a number or a tensor that broadcasts), or None for none.

        Example::

            >>> minimodel.tensor([-1.5, 0.0, 2.0]).clamp(-1, 1)
            tensor([-1.,  0.,  1.])
        """
        if min is None and max is None:
            raise RuntimeError("torch.clamp: At least one of 'min' or 'max' must not be None")
        if isinstance(min, Tensor) or isinstance(max, Tensor):
            return _clamp_tensor(self, min, max)
        for name, bound in (("min", min), ("max", max)):
            if bound is not None and not isinstance(bound, Number):
                raise TypeError(
                    f"clamp(): argument '{name}' must be Number, not {type(bound).__name__}"
                )
        x = self._data
        lo, hi = _clamp_bounds(x.dtype, min, max)
        # Ties keep x (and -0.), as in PyTorch.
        out = x
        if lo is not None:
            out = keeping_ties(np.maximum, out, lo)
        if hi is not None:
            out = keeping_ties(np.minimum, out, hi)
        out = promote(out, x, min if max is None else max)
        backward = partial(PointwiseMixin._clamp_backward, x, lo, hi)
        return record(out, (self,), "ClampBackward1", backward, (self,))

    @staticmethod
    def _clamp_backward(x: np.ndarray, lo: Any, hi: Any, g: np.ndarray) -> tuple[np.ndarray]:
        # Selected, so an inf gradient of a clipped element gives 0 (and NaN inputs give 0).
        if lo is None:
            keep = x <= hi
        elif hi is None:
            keep = x >= lo
        else:
            keep = (x >= lo) & (x <= hi)
        return (np.where(keep, g, 0),)

    def clip(  # type: ignore[misc]
        self: Tensor, min: float | Tensor | None = None, max: float | Tensor | None = None
    ) -> Tensor:
        """:meth:`clamp` by its NumPy name.

        Example::

            >>> minimodel.tensor([-1.5, 0.0, 2.0]).clip(max=1)
            tensor([-1.5000,  0.0000,  1.0000])
        """
        return PointwiseMixin.clamp(self, min, max)

    def clamp_(  # type: ignore[misc]
        self: Tensor, min: float | Tensor | None = None, max: float | Tensor | None = None
    ) -> Tensor:
        """In-place version of :meth:`clamp`.

        Example::

            >>> x = minimodel.tensor([-1.5, 0.0, 2.0])
            >>> _ = x.clamp_(-1, 1)
            >>> x
            tensor([-1.,  0.,  1.])
        """
        bounds = [b for b in (min, max) if b is not None]
        if not bounds:
            return PointwiseMixin.clamp(self, min, max)  # raises PyTorch's error
        # The bound that decides the dtype check and the shape check: a float one if any.
        decisive = max if isinstance(max, float | Tensor) else bounds[0]
        x = self._data
        if not isinstance(min, Tensor) and not isinstance(max, Tensor):
            _clamp_bounds(x.dtype, min, max)  # raises PyTorch's errors for the numbers
            # With number bounds PyTorch names the tensor's dtype as a C type ("bool").
            result = result_type(x, decisive)
            if not can_cast(result, x.dtype):
                raise RuntimeError(
                    f"result type {scalar_type_name(result)} can't be cast to the desired "
                    f"output type {torch_dtype_name(x.dtype)}"
                )
        return self._inplace(
            decisive, lambda t, _: PointwiseMixin.clamp(t, min, max), _ClampUfunc(min, max)
        )

    def sign(self: Tensor) -> Tensor:  # type: ignore[misc]
        """Elementwise -1, 0 or 1 by the sign of each element (0 for NaN, as in PyTorch); its
        gradient is 0.

        Example::

            >>> minimodel.tensor([-1.5, 0.0, 2.0]).sign()
            tensor([-1.,  0.,  1.])
        """
        return _zero_gradient(self, "SignBackward0", _sign)

    def sign_(self: Tensor) -> Tensor:  # type: ignore[misc]
        """In-place version of :meth:`sign`.

        Example::

            >>> x = minimodel.tensor([-1.5, 0.0, 2.0])
            >>> _ = x.sign_()
            >>> x
            tensor([-1.,  0.,  1.])
        """
        return self._write(PointwiseMixin.sign)

    def square(self: Tensor) -> Tensor:  # type: ignore[misc]
        """Elementwise ``input ** 2`` (PyTorch records it as a power: ``PowBackward0``).

        Example::

            >>> minimodel.tensor([-1.5, 2.0]).square()
            tensor([2.2500, 4.0000])
        """
        return _unary(self, "PowBackward0", _square, PointwiseMixin._square_backward, False)

    @staticmethod
    def _square_backward(g: np.ndarray, x: np.ndarray, out: np.ndarray) -> np.ndarray:
        return g * (2 * x)  # PyTorch's order: 2 * 3e38 overflows before g scales it

    def square_(self: Tensor) -> Tensor:  # type: ignore[misc]
        """In-place version of :meth:`square`.

        Example::

            >>> x = minimodel.tensor([-1.5, 2.0])
            >>> _ = x.square_()
            >>> x
            tensor([2.2500, 4.0000])
        """
        return self._write(PointwiseMixin.square)

    def log1p(self: Tensor) -> Tensor:  # type: ignore[misc]
        """Elementwise ``log(1 + input)``, accurate for small inputs.

        Example::

            >>> minimodel.tensor([0.0, 2.0]).log1p()
            tensor([0.0000, 1.0986])
        """
        return _unary(self, "Log1PBackward0", np.log1p, PointwiseMixin._log1p_backward)

    @staticmethod
    def _log1p_backward(g: np.ndarray, x: np.ndarray, out: np.ndarray) -> np.ndarray:
        return g / (1 + x)

    def log1p_(self: Tensor) -> Tensor:  # type: ignore[misc]
        """In-place version of :meth:`log1p`.

        Example::

            >>> x = minimodel.tensor([0.0, 2.0])
            >>> _ = x.log1p_()
            >>> x
            tensor([0.0000, 1.0986])
        """
        return self._write(PointwiseMixin.log1p)

    def expm1(self: Tensor) -> Tensor:  # type: ignore[misc]
        """Elementwise ``exp(input) - 1``, accurate for small inputs.

        Example::

            >>> minimodel.tensor([0.0, 2.0]).expm1()
            tensor([0.0000, 6.3891])
        """
        backward = PointwiseMixin._expm1_backward
        return _unary(self, "Expm1Backward0", np.expm1, backward, True, True)

    @staticmethod
    def _expm1_backward(g: np.ndarray, x: np.ndarray, out: np.ndarray) -> np.ndarray:
        return g * (out + 1)

    def expm1_(self: Tensor) -> Tensor:  # type: ignore[misc]
        """In-place version of :meth:`expm1`.

        Example::

            >>> x = minimodel.tensor([0.0, 2.0])
            >>> _ = x.expm1_()
            >>> x
            tensor([0.0000, 6.3891])
        """
        return self._write(PointwiseMixin.expm1)

    def floor(self: Tensor) -> Tensor:  # type: ignore[misc]
        """Elementwise largest integer not above each element; its gradient is 0.

        Example::

            >>> minimodel.tensor([-1.5, 2.5]).floor()
            tensor([-2.,  2.])
        """
        return _zero_gradient(self, "FloorBackward0", _floor)

    def floor_(self: Tensor) -> Tensor:  # type: ignore[misc]
        """In-place version of :meth:`floor`.

        Example::

            >>> x = minimodel.tensor([-1.5, 2.5])
            >>> _ = x.floor_()
            >>> x
            tensor([-2.,  2.])
        """
        return self._write(PointwiseMixin.floor)

    def ceil(self: Tensor) -> Tensor:  # type: ignore[misc]
        """Elementwise smallest integer not below each element; its gradient is 0.

        Example::

            >>> minimodel.tensor([-1.5, 2.5]).ceil()
            tensor([-1.,  3.])
        """
        return _zero_gradient(self, "CeilBackward0", _ceil)

    def ceil_(self: Tensor) -> Tensor:  # type: ignore[misc]
        """In-place version of :meth:`ceil`.

        Example::

            >>> x = minimodel.tensor([-1.5, 2.5])
            >>> _ = x.ceil_()
            >>> x
            tensor([-1.,  3.])
        """
        return self._write(PointwiseMixin.ceil)

    def round(self: Tensor, *, decimals: int = 0) -> Tensor:  # type: ignore[misc]
        """Round to the nearest integer (halves to even, as PyTorch), or to ``decimals`` decimal
        places; its gradient is 0.

        Args:
            decimals: the number of decimal places (negative rounds to tens, hundreds...).

        Example::

            >>> minimodel.tensor([0.5, 1.5, 1.234]).round()
            tensor([0., 2., 1.])
            >>> minimodel.tensor([1.234, 5.678]).round(decimals=1)
            tensor([1.2000, 5.7000])
        """
        if decimals == 0:
            return _zero_gradient(self, "RoundBackward0", _round)
        return _zero_gradient(self, "RoundBackward1", _round_decimals(decimals))

    def round_(self: Tensor, *, decimals: int = 0) -> Tensor:  # type: ignore[misc]
        """In-place version of :meth:`round`.

        Example::

            >>> x = minimodel.tensor([0.5, 1.5, 1.234])
            >>> _ = x.round_()
            >>> x
            tensor([0., 2., 1.])
        """
        return self._write(lambda old: PointwiseMixin.round(old, decimals=decimals))

    def isnan(self: Tensor) -> Tensor:  # type: ignore[misc]
        """A bool tensor: True where ``input`` is NaN.

        Example::

            >>> minimodel.tensor([1.0, float("nan"), float("inf")]).isnan()
            tensor([False,  True, False])
        """
        return Tensor._wrap(np.asarray(np.isnan(self._data)))

    def isinf(self: Tensor) -> Tensor:  # type: ignore[misc]
        """A bool tensor: True where ``input`` is plus or minus infinity.

        Example::

            >>> minimodel.tensor([1.0, float("nan"), float("-inf")]).isinf()
            tensor([False, False,  True])
        """
        return Tensor._wrap(np.asarray(np.isinf(self._data)))

    def isfinite(self: Tensor) -> Tensor:  # type: ignore[misc]
        """A bool tensor: True where ``input`` is neither infinite nor NaN.

        Example::

            >>> minimodel.tensor([1.0, float("nan"), float("inf")]).isfinite()
            tensor([ True, False, False])
        """
        return Tensor._wrap(np.asarray(np.isfinite(self._data)))


def _clamp_tensor(input: Tensor, min: Any, max: Any) -> Tensor:
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
        for array, fn in ((lo, np.maximum), (hi, np.minimum)):
            if array is not None:
                out_, array_ = common_operands(out, array)
                out = promote(keeping_ties(fn, out_, array_), out, array)  # as in clamp
    except ValueError:
        raise _broadcast_error(x, np.asarray(lo if hi is None else hi)) from None
    given = tuple(t for t in (input, min, max) if t is not None)
    shapes = [t._data.shape for t in given]
    # Compared in the result's dtype, as PyTorch (a float64 1e-8 bound is 0 for a float16 x).
    lo, hi = (None if v is None else v.astype(out.dtype, copy=False) for v in (lo, hi))
    backward = partial(_clamp_tensor_backward, x.astype(out.dtype, copy=False), lo, hi, shapes)
    return record(out, given, "ClampBackward0", backward, given)


def _clamp_tensor_backward(
    x: np.ndarray,
    lo: np.ndarray | None,
    hi: np.ndarray | None,
    shapes: list[tuple[int, ...]],
    g: np.ndarray,
) -> tuple[np.ndarray, ...]:
    keep = np.ones(x.shape, bool)
    if lo is not None:
        keep = keep & (x >= lo)
    if hi is not None:
        keep = keep & (x <= hi)
    to_lo: np.ndarray | None
    to_hi: np.ndarray | None
    if lo is not None and hi is not None:
        to_lo = (x < lo) & (lo < hi)
        to_hi = (x > hi) | (hi < lo)
    else:
        to_lo = None if lo is None else x < lo
        to_hi = None if hi is None else x > hi
    picks = [pick for pick in (keep, to_lo, to_hi) if pick is not None]
    return tuple(
        unbroadcast(np.where(pick, g, 0), shape) for pick, shape in zip(picks, shapes, strict=True)
    )


_C_TYPES = {
    "bool": "bool",
    "int8": "signed char",
    "int16": "short int",
    "int32": "int",
    "int64": "long int",
    "uint8": "unsigned char",
}


class _ClampUfunc:
    """Lets clamp_ share the in-place machinery of the arithmetic operators."""

    def __init__(self, lo: float | Tensor | None, hi: float | Tensor | None) -> None:
        self.lo, self.hi = lo, hi

    def __call__(self, a: np.ndarray, _: Any, out: np.ndarray, casting: str) -> None:
        # As clamp: ties keep ``a`` (and -0.), max wins over min.
        result = a
        for bound, fn in ((self.lo, np.maximum), (self.hi, np.minimum)):
            if bound is not None:
                limit = bound._data if isinstance(bound, Tensor) else bound
                result = keeping_ties(fn, result, limit)
        np.copyto(out, result, casting="unsafe")


# The functional forms (``minimodel.exp(t)``): the very same functions.
exp = PointwiseMixin.exp
log = PointwiseMixin.log
sqrt = PointwiseMixin.sqrt
sin = PointwiseMixin.sin
cos = PointwiseMixin.cos
tanh = PointwiseMixin.tanh
sigmoid = PointwiseMixin.sigmoid
relu = PointwiseMixin.relu
abs = PointwiseMixin.abs
clamp = PointwiseMixin.clamp
clip = PointwiseMixin.clip
sign = PointwiseMixin.sign
square = PointwiseMixin.square
log1p = PointwiseMixin.log1p
expm1 = PointwiseMixin.expm1
floor = PointwiseMixin.floor
ceil = PointwiseMixin.ceil
round = PointwiseMixin.round
isnan = PointwiseMixin.isnan
isinf = PointwiseMixin.isinf
isfinite = PointwiseMixin.isfinite


def _clamp_bounds(dtype: np.dtype, lo: float | None, hi: float | None) -> tuple[Any, Any]:
    """The number bounds as PyTorch takes them: each converted to the result's dtype, with its
    checks (300 does not fit int8, 3.5e38 no float32; -1 into uint8 is 255); a bool result has
    no clamp kernel."""
    bounds = [b for b in (lo, hi) if b is not None]
    want = dtype
    for bound in bounds:
        _scalar.check_scalar(bound, want)
        want = result_type(np.empty(1, want), bound)
    if want.kind == "b":
        kernel = "clamp" if len(bounds) == 2 else ("clamp_min" if hi is None else "clamp_max")
        raise NotImplementedError(f"\"{kernel}_scalar_cpu\" not implemented for 'Bool'")
    return (
        None if lo is None else _scalar.fill(lo, want, True),
        None if hi is None else _scalar.fill(hi, want, True),
    )
