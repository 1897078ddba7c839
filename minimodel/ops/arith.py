"""Arithmetic with broadcasting: ``+ - * / ** @ // %`` and the bitwise operators, and their
gradients.

:class:`ArithMixin` holds them as methods and operators of :class:`~minimodel.Tensor`;
``minimodel.add`` and the other functional forms at the bottom are the same functions.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from functools import partial
from numbers import Number
from typing import TYPE_CHECKING, Any, cast

import numpy as np

from ..autograd import OUTPUT, cross, record
from ._util import (
    MULTIPLY_OR_DIVIDE,
    check_int_fits,
    check_operand,
    common_operands,
    compute_promoted,
    half_by_float32,
    promote,
    result_type,
    scalar_type_name,
    shape_str,
    torch_dtype_name,
    unbroadcast,
    wrap_int,
)

if TYPE_CHECKING:
    from ..tensor import Tensor
else:
    Tensor = None  # set by minimodel.tensor once the class exists (see ops/__init__.py)

GradFn = Callable[[np.ndarray, np.ndarray, object, np.ndarray], np.ndarray]


def _broadcast_error(
    a: tuple[int, ...] | np.ndarray, b: tuple[int, ...] | np.ndarray
) -> RuntimeError:
    """PyTorch's error for shapes (or arrays) that do not broadcast: it names the rightmost
    mismatch."""
    a = a.shape if isinstance(a, np.ndarray) else a
    b = b.shape if isinstance(b, np.ndarray) else b
    for i in range(1, min(len(a), len(b)) + 1):
        m, n = a[-i], b[-i]
        if m != n and m != 1 and n != 1:
            dim = max(len(a), len(b)) - i
            return RuntimeError(
                f"The size of tensor a ({m}) must match the size of tensor b ({n}) "
                f"at non-singleton dimension {dim}"
            )
    return RuntimeError(f"shapes {a} and {b} cannot be broadcast together")


def _check_broadcast(a: np.ndarray, b: np.ndarray) -> tuple[int, ...]:
    """The shape ``a`` and ``b`` broadcast to, or PyTorch's error."""
    try:
        return np.broadcast_shapes(a.shape, b.shape)
    except ValueError:
        raise _broadcast_error(a, b) from None


def _binary(
    input: Tensor,
    other: object,
    name: str,
    fn: Callable[..., Any],
    da: GradFn,
    db: GradFn,
    scalar_name: str | None = None,
    saved: Any = False,
    scalar_saved: Any = (),
    *,
    common_integers: bool = True,
) -> Tensor:
    """Apply ``fn`` elementwise; ``da``/``db`` give the gradient w.r.t. each side before reduction.

    ``other`` may be a tensor or a Python number (which gets no gradient). What the operation
    saves (see :func:`~minimodel.autograd.record`): ``saved(input, other)`` for two tensors
    (False: nothing), ``scalar_saved`` (where ``input`` may appear) with a number.
    The operands are cast to PyTorch's common dtype first; with ``common_integers=False`` not
    when it is an integer or bool one (true division computes them as floats).
    """
    a = input._data
    b: Any
    if isinstance(other, Tensor):
        b = other._data
        if a.dtype is not b.dtype and not half_by_float32(fn, a, b):
            a, b = common_operands(a, b, integers=common_integers)
        try:
            out = fn(a, b)
        except ValueError:
            raise _broadcast_error(a, b) from None
        # Fast path: NumPy shares one dtype object per dtype, so when the result and both inputs
        # have the same one, PyTorch's promotion agrees with NumPy's and nothing needs checking.
        if not (out.dtype is a.dtype is b.dtype):
            out, a, b = compute_promoted(fn, a, b)
        backward = partial(_binary_backward, input, other, a, b, out, da, db)
        return record(out, (input, other), name, backward, saved and saved(input, other))
    if isinstance(other, np.ndarray):
        return _binary(
            input,
            Tensor._wrap(other),
            name,
            fn,
            da,
            db,
            scalar_name,
            saved,
            scalar_saved,
            common_integers=common_integers,
        )
    if not isinstance(other, Number):
        return NotImplemented
    number: Any = other  # int or float to NumPy; a Number to mypy, which ignores int's registration
    b = wrap_int(a, number) if number.__class__ is int else number  # the check inlined: hot path
    out, a, cast = compute_promoted(fn, a, b)
    # The number as given, unless computed with in another dtype (what the gradient uses too).
    backward = partial(_scalar_backward, a, other if cast is b else cast, out, da)
    if scalar_saved and scalar_saved[0] is _INPUT:
        scalar_saved = (input, *scalar_saved[1:])
    return record(out, (input,), scalar_name or name, backward, scalar_saved if saved else False)


_INPUT = object()  # stands for ``input`` in ``scalar_saved``


def _div_saved(input: Tensor, other: Tensor) -> tuple[Tensor, ...]:
    # The divisor always; the dividend only for the divisor's gradient.
    return (input, other) if other.requires_grad else (other,)


def _pow_saved(input: Tensor, other: Tensor) -> tuple:
    return input, other, OUTPUT


# The backward functions get their saved values from functools.partial rather than as closures:
# a closure allocates a cell per captured variable, and the objects a long graph keeps alive make
# the garbage collector run often (a quarter of the time of a chain of 1,000 small operations).
def _binary_backward(input, other, a, b, out, da, db, g):
    ga = gb = None
    # The operands enter the derivative in the result's dtype, as in PyTorch's formulas, where
    # a 0-d operand does not promote (NumPy would compute int64 with float32, or float16 with a
    # 0-d float64, in float64: 1 / -3e38 / -3e38 is not 0 there).
    if a.dtype is not out.dtype:
        a = a.astype(out.dtype)
    # Except a float16 tensor's 0-d multiplier or divisor, which PyTorch's kernels take in
    # float32 (see half_by_float32).
    if b.dtype is not out.dtype and not (out.dtype == np.float16 and np.ndim(b) == 0):
        b = b.astype(out.dtype)
    # unbroadcast only when the shapes differ: most operands were not broadcast.
    if input.requires_grad:
        ga = da(g, a, b, out)
        if ga.shape != a.shape:
            ga = unbroadcast(ga, a.shape)
    if other.requires_grad:
        gb = db(g, a, b, out)
        if gb.shape != b.shape:
            gb = unbroadcast(gb, b.shape)
    return ga, gb


def _scalar_backward(a, other, out, da, g):
    return (da(g, a, other, out),)


_BOOL = np.dtype(np.bool_)


def _is_bool(x: object) -> bool:
    return x.__class__ is bool or (isinstance(x, Tensor) and x._data.dtype is _BOOL)


def _check_bool_sub(input: Tensor, other: object) -> None:
    """PyTorch refuses ``-`` with bool operands (a Python bool counts as one)."""
    if input._data.dtype is _BOOL or _is_bool(other):
        what = (
            "with two bool tensors is not supported. Use the `^` or `logical_xor()` operator "
            "instead."
            if input._data.dtype is _BOOL and _is_bool(other)
            else "with a bool tensor is not supported. If you are trying to invert a mask, use "
            "the `~` or `logical_not()` operator instead."
        )
        raise RuntimeError(f"Subtraction, the `-` operator, {what}")


def _check_alpha(input: Tensor, other: object, alpha: object) -> None:
    """PyTorch's refusals of an ``alpha`` of a kind above the result's (``add``, ``sub``)."""
    if alpha.__class__ is int:
        return
    kind = result_type(input._data, other._data if isinstance(other, Tensor) else other).kind
    if isinstance(alpha, bool) and kind != "b":
        raise RuntimeError("Boolean alpha only supported for Boolean results.")
    if isinstance(alpha, float) and kind != "f":
        raise RuntimeError(
            "For integral input tensors, argument alpha must not be a floating point number."
        )


def _float_divisor(input: Tensor, other: Any) -> Any:
    # Integers are divided as floats: a Python int is not cast to the tensor's dtype first
    # (-1 / uint8 tensor is negative, where NumPy refuses -1 as a uint8).
    if other.__class__ is int and input._data.dtype.kind in "iub":
        return float(other)
    return other


_SQRT_DTYPES = (np.dtype(np.float32), np.dtype(np.float64))


def _integer_power(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Integer ``a ** b`` as PyTorch computes it, where NumPy refuses negative exponents: 1 for
    a base of 1, +-1 for -1, 0 for any other base."""
    if not (b < 0).any():
        return np.power(a, b)
    out = np.power(a, np.maximum(b, 0))
    negative_power = np.where(a == 1, 1, np.where(a == -1, 1 - 2 * (b % 2), 0))
    return np.where(b < 0, negative_power, out).astype(out.dtype, copy=False)


def _power(a: np.ndarray, e: Any) -> np.ndarray:
    """``a ** e`` for a number ``e``, as PyTorch computes it.

    PyTorch computes the powers 0.5 and -0.5 of float and double as sqrt and 1 / sqrt (in the
    forward and in the backward), which differ from pow at -0 and -inf: ``(-0.) ** 0.5`` is -0
    and ``(-inf) ** -0.5`` is NaN.
    """
    if a.dtype in _SQRT_DTYPES:
        if e == 0.5:
            return np.sqrt(a)
        if e == -0.5:
            return 1 / np.sqrt(a)
    return np.power(a, e)


def _true_divide(a: np.ndarray, b: Any) -> np.ndarray:
    """``a / b``; integers (and bools) are divided as PyTorch does, cast to its default float32
    first (NumPy would divide them in float64, and an int16 -3 by a uint8 tensor as -3)."""
    if a.dtype.kind != "f" and (not isinstance(b, np.ndarray) or b.dtype.kind != "f"):
        a = a.astype(np.float32)
        if isinstance(b, np.ndarray):
            b = b.astype(np.float32)
    return cast(np.ndarray, np.true_divide(a, b))


MULTIPLY_OR_DIVIDE.add(_true_divide)


def _remainder(a: Any, b: Any) -> np.ndarray:
    """``a % b`` as PyTorch computes it: a zero remainder keeps the sign of ``a`` (its fmod's),
    where NumPy gives it the sign of ``b`` (``-0. % 2`` is -0.). In the common dtype: a 0-d
    float64 divisor of a float32 tensor is a float32 there."""
    if isinstance(a, np.ndarray) and isinstance(b, np.ndarray) and a.dtype is not b.dtype:
        a, b = common_operands(a, b)
    out = np.remainder(a, b)
    if out.dtype.kind == "f":
        zero = out == 0
        if zero.any():
            out = np.where(zero, np.fmod(a, b), out).astype(out.dtype, copy=False)
    return out


def _reverse_power(a: np.ndarray, b: Any) -> np.ndarray:
    """``b ** a`` for a number ``b``: an integer tensor exponent may be negative there."""
    if a.dtype.kind in "iu" and isinstance(b, int | np.integer) and not isinstance(b, bool):
        return _integer_power(np.asarray(b, dtype=a.dtype), a)
    return np.power(b, a)


def _reverse(fn: Callable[..., Any]) -> Callable[..., Any]:
    return lambda a, b: fn(b, a)


def _pass(g: np.ndarray, a: Any, b: Any, out: np.ndarray) -> np.ndarray:
    return g


def _negate(g: np.ndarray, a: Any, b: Any, out: np.ndarray) -> np.ndarray:
    return -g


def _add_scaled(alpha: float, a: np.ndarray, b: Any) -> np.ndarray:
    # In the common dtype, as PyTorch: 2 * a uint8 255 added to a float is 510, not 254.
    if isinstance(b, np.ndarray) and a.dtype is not b.dtype:
        a, b = common_operands(a, b)
    return a + alpha * b


def _scaled(alpha: float, g: np.ndarray, a: Any, b: Any, out: np.ndarray) -> np.ndarray:
    return g * alpha


class ArithMixin:
    """The arithmetic operators of :class:`~minimodel.Tensor` (``+ - * / ** @ // % & | ^ ~``),
    their named forms and their in-place variants.

    The operators return NotImplemented for an operand they do not take, so that Python raises
    its TypeError; the named forms (``t.add(x)``) raise PyTorch's. The binary operations give
    :func:`_binary` their local gradients ``d(g, a, b, out)``: ``g`` times the derivative with
    respect to each side, before it is summed back to that side's shape. Each operation's own
    are the static methods right below it; ``_pass`` and ``_negate`` are shared.
    """

    __slots__ = ()

    def __add__(self: Tensor, other: Tensor | float) -> Tensor:  # type: ignore[misc]
        return _binary(self, other, "AddBackward0", np.add, _pass, _pass)

    __radd__ = __add__

    def add(  # type: ignore[misc]
        self: Tensor, other: Tensor | float, *, alpha: float = 1
    ) -> Tensor:
        """``input + alpha * other``, with broadcasting (``t + other`` when ``alpha`` is 1).

        Args:
            other: a tensor or a number.
            alpha: the multiplier of ``other``.

        Example::

            >>> minimodel.tensor([1.0, 2.0]).add(minimodel.tensor([10.0, 20.0]), alpha=2)
            tensor([21., 42.])
        """
        check_operand("add", self, other, True)
        _check_alpha(self, other, alpha)
        if alpha == 1:
            return ArithMixin.__add__(self, other)
        scaled = partial(_scaled, alpha)
        return _binary(self, other, "AddBackward0", partial(_add_scaled, alpha), _pass, scaled)

    def add_(  # type: ignore[misc]
        self: Tensor, other: Tensor | float, *, alpha: float = 1
    ) -> Tensor:
        """In-place version of :meth:`add` (``t += other`` when ``alpha`` is 1).

        Example::

            >>> x = minimodel.tensor([1.0, 2.0])
            >>> _ = x.add_(minimodel.tensor([10.0, 20.0]), alpha=2)
            >>> x
            tensor([21., 42.])
        """
        _check_alpha(self, other, alpha)
        if alpha == 1:
            return self.__iadd__(other)
        return self._write(lambda old: ArithMixin.add(old, other, alpha=alpha), other)

    def __iadd__(self: Tensor, other: Tensor | float) -> Tensor:  # type: ignore[misc]
        return self._inplace(other, ArithMixin.__add__, np.add)

    def __sub__(self: Tensor, other: Tensor | float) -> Tensor:  # type: ignore[misc]
        _check_bool_sub(self, other)
        return _binary(self, other, "SubBackward0", np.subtract, _pass, _negate)

    def sub(  # type: ignore[misc]
        self: Tensor, other: Tensor | float, *, alpha: float = 1
    ) -> Tensor:
        """``input - alpha * other``, with broadcasting (``t - other`` when ``alpha`` is 1).

        Args:
            other: a tensor or a number.
            alpha: the multiplier of ``other``.

        Example::

            >>> minimodel.tensor([1.0, 2.0]).sub(1)
            tensor([0., 1.])
        """
        check_operand("sub", self, other, True)
        _check_bool_sub(self, other)
        _check_alpha(self, other, alpha)
        if alpha == 1:
            return ArithMixin.__sub__(self, other)
        scaled = partial(_scaled, -alpha)
        return _binary(self, other, "SubBackward0", partial(_add_scaled, -alpha), _pass, scaled)

    def sub_(  # type: ignore[misc]
        self: Tensor, other: Tensor | float, *, alpha: float = 1
    ) -> Tensor:
        """In-place version of :meth:`sub` (``t -= other`` when ``alpha`` is 1).

        Example::

            >>> x = minimodel.tensor([1.0, 2.0])
            >>> _ = x.sub_(1)
            >>> x
            tensor([0., 1.])
        """
        _check_bool_sub(self, other)
        _check_alpha(self, other, alpha)
        if alpha == 1:
            return self.__isub__(other)
        return self._write(lambda old: ArithMixin.sub(old, other, alpha=alpha), other)

    def __isub__(self: Tensor, other: Tensor | float) -> Tensor:  # type: ignore[misc]
        _check_bool_sub(self, other)
        return self._inplace(other, ArithMixin.__sub__, np.subtract)

    def __rsub__(self: Tensor, other: float) -> Tensor:  # type: ignore[misc]
        _check_bool_sub(self, other)
        return _binary(self, other, "RsubBackward1", _reverse(np.subtract), _negate, _pass)

    def __mul__(self: Tensor, other: Tensor | float) -> Tensor:  # type: ignore[misc]
        da, db = ArithMixin._mul_da, ArithMixin._mul_db
        return _binary(self, other, "MulBackward0", np.multiply, da, db, None, cross)

    @staticmethod
    def _mul_da(g: np.ndarray, a: Any, b: Any, out: np.ndarray) -> np.ndarray:
        return g * b

    @staticmethod
    def _mul_db(g: np.ndarray, a: Any, b: Any, out: np.ndarray) -> np.ndarray:
        return g * a

    __rmul__ = __mul__

    def mul(self: Tensor, other: Tensor | float) -> Tensor:  # type: ignore[misc]
        """The elementwise product, with broadcasting (``t * other``).

        Args:
            other: a tensor or a number.

        Example::

            >>> minimodel.tensor([1.0, 2.0]).mul(minimodel.tensor([3.0, 4.0]))
            tensor([3., 8.])
        """
        check_operand("mul", self, other, True)
        return self.__mul__(other)

    def mul_(self: Tensor, other: Tensor | float) -> Tensor:  # type: ignore[misc]
        """In-place version of :meth:`mul` (``t *= other``).

        Example::

            >>> x = minimodel.tensor([1.0, 2.0])
            >>> _ = x.mul_(minimodel.tensor([3.0, 4.0]))
            >>> x
            tensor([3., 8.])
        """
        return self.__imul__(other)

    def __imul__(self: Tensor, other: Tensor | float) -> Tensor:  # type: ignore[misc]
        return self._inplace(other, ArithMixin.__mul__, np.multiply)

    def __truediv__(self: Tensor, other: Tensor | float) -> Tensor:  # type: ignore[misc]
        other = _float_divisor(self, other)
        da, db = ArithMixin._div_da, ArithMixin._div_db
        return _binary(
            self,
            other,
            "DivBackward0",
            _true_divide,
            da,
            db,
            None,
            _div_saved,
            common_integers=False,
        )

    @staticmethod
    def _div_da(g: np.ndarray, a: Any, b: Any, out: np.ndarray) -> np.ndarray:
        return g / b

    @staticmethod
    def _div_db(g: np.ndarray, a: Any, b: Any, out: np.ndarray) -> np.ndarray:
        # PyTorch's -g * ((a / b) / b), each step rounded to the result's dtype as PyTorch's
        # are (``b`` is float32 for a float16 ``a``: see compute_promoted).
        dt = out.dtype
        return -g * ((a / b).astype(dt, copy=False) / b).astype(dt, copy=False)

    def div(self: Tensor, other: Tensor | float) -> Tensor:  # type: ignore[misc]
        """True division, with broadcasting (``t / other``); integer tensors give float32, as
        in PyTorch.

        Args:
            other: the divisor, a tensor or a number.

        Example::

            >>> minimodel.tensor([1, 2]).div(2)
            tensor([0.5000, 1.0000])
        """
        check_operand("div", self, other, True)
        return self.__truediv__(other)

    def div_(self: Tensor, other: Tensor | float) -> Tensor:  # type: ignore[misc]
        """In-place version of :meth:`div` (``t /= other``).

        Example::

            >>> x = minimodel.tensor([1.0, 2.0])
            >>> _ = x.div_(2)
            >>> x
            tensor([0.5000, 1.0000])
        """
        return self.__itruediv__(other)

    def __itruediv__(self: Tensor, other: Tensor | float) -> Tensor:  # type: ignore[misc]
        return self._inplace(other, ArithMixin.__truediv__, np.true_divide)

    def __rtruediv__(self: Tensor, other: float) -> Tensor:  # type: ignore[misc]
        other = _float_divisor(self, other)
        if isinstance(other, np.ndarray):
            return Tensor._wrap(other).__truediv__(self)
        if not isinstance(other, Number):
            return NotImplemented
        # PyTorch computes ``input.reciprocal() * other`` (torch/_tensor.py's __rdiv__) and saves
        # the reciprocal: so does this, for the same roundings (0 / 1e-6 in float16 is 0 * inf).
        x = self._data
        # (an array even for a 0-d x, whose reciprocal NumPy gives as a scalar)
        reciprocal = np.asarray(np.reciprocal(x if x.dtype.kind == "f" else x.astype(np.float32)))
        out, reciprocal, number = compute_promoted(np.multiply, reciprocal, other)
        out = promote(out, x, other)
        backward = partial(ArithMixin._rdiv_backward, number, reciprocal)
        return record(out, (self,), "MulBackward0", backward, ())

    @staticmethod
    def _rdiv_backward(other: Any, reciprocal: np.ndarray, g: np.ndarray) -> tuple[np.ndarray]:
        # The gradients of PyTorch's two steps, each rounded to the dtype it passes on.
        through_mul = (g * other).astype(reciprocal.dtype, copy=False)
        return (-through_mul * (reciprocal * reciprocal),)

    def __pow__(self: Tensor, exponent: Tensor | float) -> Tensor:  # type: ignore[misc]
        if isinstance(exponent, int) and exponent < 0 and self._data.dtype.kind in "iub":
            raise RuntimeError("Integers to negative integer powers are not allowed.")
        check_int_fits(exponent, self._data.dtype)
        # A bool tensor exponent (a Python bool is taken as a number).
        if self._data.dtype is _BOOL and isinstance(exponent, Tensor) and _is_bool(exponent):
            _check_broadcast(self._data, exponent._data)  # PyTorch checks the shapes first
            raise NotImplementedError("\"pow\" not implemented for 'Bool'")
        fn: Callable[[np.ndarray, Any], np.ndarray] = _power
        if isinstance(exponent, Tensor):
            integers = self._data.dtype.kind in "iub" and exponent._data.dtype.kind in "iub"
            fn = _integer_power if integers else np.power
        da, db = ArithMixin._pow_da, ArithMixin._pow_db
        if isinstance(exponent, Tensor) and exponent._data.dtype is _BOOL:
            da = ArithMixin._pow_da_of_bool_exponent
        return _binary(
            self, exponent, "PowBackward1", fn, da, db, "PowBackward0", _pow_saved, (_INPUT,)
        )

    @staticmethod
    def _pow_da(g: np.ndarray, a: np.ndarray, b: Any, out: np.ndarray) -> np.ndarray:
        if not isinstance(b, np.ndarray):  # a Python number
            if b == 0:
                return np.zeros_like(g)
            # PyTorch's order: the derivative first (2 * 3e38 overflows before g scales it).
            return g * (b * _power(a, b - 1))
        # Selected where b == 0: b * a ** (b - 1) there is 0 * inf at a == 0, and PyTorch gives 0.
        return np.where(b == 0, 0, g * (b * np.power(a, b - 1)))

    @staticmethod
    def _pow_da_of_bool_exponent(g: np.ndarray, a: np.ndarray, b: Any, out: np.ndarray) -> Any:
        # PyTorch's derivative computes ``exponent - 1``, which it refuses for a bool tensor.
        _check_bool_sub(Tensor._wrap(np.asarray(True)), 1)

    @staticmethod
    def _pow_db(g: np.ndarray, a: np.ndarray, b: Any, out: np.ndarray) -> np.ndarray:
        # d(a**b)/db = a**b * log(a); PyTorch defines it as 0 where a == 0 and b >= 0, and
        # multiplies g by that 0 (-0. for a negative g, NaN for a NaN one).
        with np.errstate(divide="ignore", invalid="ignore"):
            derivative = out * np.log(a)
            derivative = np.where((a == 0) & (b >= 0), 0, derivative).astype(derivative.dtype)
            return g * derivative

    def pow(self: Tensor, exponent: Tensor | float) -> Tensor:  # type: ignore[misc]
        """``input ** exponent``, with broadcasting; the exponent may be a number or a tensor.

        Args:
            exponent: a tensor or a number.

        Example::

            >>> minimodel.tensor([1.0, 2.0, 3.0]).pow(2)
            tensor([1., 4., 9.])
        """
        check_operand("pow", self, exponent, True)
        return self.__pow__(exponent)

    def pow_(self: Tensor, exponent: Tensor | float) -> Tensor:  # type: ignore[misc]
        """In-place version of :meth:`pow`.

        Example::

            >>> x = minimodel.tensor([1.0, 2.0, 3.0])
            >>> _ = x.pow_(2)
            >>> x
            tensor([1., 4., 9.])
        """
        return self._write(lambda old: ArithMixin.pow(old, exponent), exponent)

    def __ipow__(self: Tensor, exponent: Tensor | float) -> Tensor:  # type: ignore[misc]
        # ``t **= e`` changes t in place, as ``t += e`` does; Python's fallback, t = t ** e,
        # would leave t's memory, its views and its version as they were.
        if not isinstance(exponent, Tensor | Number):
            return NotImplemented
        return ArithMixin.pow_(self, exponent)

    def __rpow__(self: Tensor, other: float) -> Tensor:  # type: ignore[misc]
        """``other ** input``: what ``2 ** t`` calls."""
        da = ArithMixin._rpow_da
        return _binary(
            self,
            other,
            "PowBackward2",
            _reverse_power,
            da,
            _pass,
            None,
            _pow_saved,
            (_INPUT, OUTPUT),
        )

    @staticmethod
    def _rpow_da(g: np.ndarray, a: np.ndarray, b: Any, out: np.ndarray) -> np.ndarray:
        # out = b ** a, with b a number. A Python float log keeps float32 gradients float32.
        log_b = math.log(b) if b > 0 else -math.inf if b == 0 else math.nan
        derivative = out * log_b
        # PyTorch defines it as 0 where b == 0 and a >= 0, and multiplies g by that 0 (-0. for
        # a negative g, NaN for a NaN one).
        if b == 0:
            derivative = np.where(a >= 0, 0, derivative).astype(derivative.dtype, copy=False)
        return g * derivative

    def neg(self: Tensor) -> Tensor:  # type: ignore[misc]
        """``-input``.

        Example::

            >>> -minimodel.tensor([1.0, -2.0])
            tensor([-1.,  2.])
        """
        if self._data.dtype is _BOOL:
            raise RuntimeError(
                "Negation, the `-` operator, on a bool tensor is not supported. If you are "
                "trying to invert a mask, use the `~` or `logical_not()` operator instead."
            )
        backward = ArithMixin._neg_backward
        return record(np.negative(self._data), (self,), "NegBackward0", backward, False)

    @staticmethod
    def _neg_backward(g: np.ndarray) -> tuple[np.ndarray]:
        return (-g,)

    __neg__ = neg

    def neg_(self: Tensor) -> Tensor:  # type: ignore[misc]
        """In-place version of :meth:`neg`.

        Example::

            >>> x = minimodel.tensor([1.0, -2.0])
            >>> _ = x.neg_()
            >>> x
            tensor([-1.,  2.])
        """
        return self._write(ArithMixin.neg)

    def __matmul__(self: Tensor, other: Tensor) -> Tensor:  # type: ignore[misc]
        if not isinstance(other, Tensor):
            if isinstance(other, np.ndarray):
                other = Tensor._wrap(other)
            else:
                return NotImplemented
        a, b = self._data, other._data
        a_grad, b_grad = self.requires_grad, other.requires_grad
        if (
            a.dtype != b.dtype
            or a.ndim == 0
            or b.ndim == 0
            or a.shape[-1] != b.shape[0 if b.ndim == 1 else -2]
        ):
            raise _matmul_error(a, b, a_grad, b_grad)
        if a.dtype is _BOOL:
            _refuse_bool_product(a, b, a_grad, b_grad)
        if a.ndim == 2 and b.ndim == 2:
            backward = partial(ArithMixin._mm_backward, self, other, a, b)
            return record(a @ b, (self, other), "MmBackward0", backward, cross(self, other))
        # Promote 1-D operands to matrices, multiply, then drop the added dimension.
        a2 = a[None, :] if a.ndim == 1 else a
        b2 = b[:, None] if b.ndim == 1 else b
        try:
            batch = np.broadcast_shapes(a2.shape[:-2], b2.shape[:-2])
        except ValueError:
            raise _broadcast_error(a.shape[:-2], b.shape[:-2]) from None
        full_shape = (*batch, a2.shape[-2], b2.shape[-1])
        # The dimensions added to 1-D operands are not part of the result.
        out_shape = full_shape[:-2]
        if a.ndim > 1:
            out_shape += full_shape[-2:-1]
        if b.ndim > 1:
            out_shape += full_shape[-1:]
        name = _VECTOR_NAMES.get((a.ndim, b.ndim), "")
        if not name and (a_grad or b_grad):
            name = _matmul_name(_matmul_kernel(a, b, a_grad, b_grad))
        backward = partial(ArithMixin._matmul_backward, self, other, a, b, a2, b2, full_shape)
        out = (a2 @ b2).reshape(out_shape)
        return record(out, (self, other), name, backward, cross(self, other))

    @staticmethod
    def _mm_backward(
        input: Tensor, other: Tensor, a: np.ndarray, b: np.ndarray, g: np.ndarray
    ) -> tuple[np.ndarray | None, np.ndarray | None]:
        ga = g @ b.T if input.requires_grad else None
        gb = a.T @ g if other.requires_grad else None
        return ga, gb

    @staticmethod
    def _matmul_backward(
        input: Tensor,
        other: Tensor,
        a: np.ndarray,
        b: np.ndarray,
        a2: np.ndarray,
        b2: np.ndarray,
        full_shape: tuple[int, ...],
        g: np.ndarray,
    ) -> tuple[np.ndarray | None, np.ndarray | None]:
        g2 = g.reshape(full_shape)
        ga = gb = None
        if input.requires_grad:
            ga = unbroadcast(g2 @ np.swapaxes(b2, -1, -2), a2.shape).reshape(a.shape)
        if other.requires_grad:
            gb = unbroadcast(np.swapaxes(a2, -1, -2) @ g2, b2.shape).reshape(b.shape)
        return ga, gb

    def matmul(self: Tensor, other: Tensor) -> Tensor:  # type: ignore[misc]
        """The matrix product (``t @ other``), with PyTorch's rules for 1-D, 2-D and batched
        operands.

        A 1-D left operand is a row vector and a 1-D right operand a column vector; their added
        dimension is removed from the result. Batch dimensions broadcast.

        Args:
            other: the right-hand tensor.

        Example::

            >>> minimodel.ones(2, 3).matmul(minimodel.ones(3)).shape
            minimodel.Size([2])
        """
        check_operand("matmul", self, other, False)
        return self.__matmul__(other)

    def mm(self: Tensor, mat2: Tensor) -> Tensor:  # type: ignore[misc]
        """The product of two matrices (2-D tensors only; :meth:`matmul` takes the others).

        Args:
            mat2: the right-hand matrix.

        Example::

            >>> minimodel.ones(2, 3).mm(minimodel.ones(3, 4)).shape
            minimodel.Size([2, 4])
        """
        check_operand("mm", self, mat2, False)
        if self._data.ndim != 2:
            raise RuntimeError("self must be a matrix")
        if mat2._data.ndim != 2:
            raise RuntimeError("mat2 must be a matrix")
        return self.__matmul__(mat2)

    def bmm(self: Tensor, mat2: Tensor) -> Tensor:  # type: ignore[misc]
        """Batched matrix product of two 3-D tensors: ``(b, n, m) @ (b, m, p) -> (b, n, p)``.

        Args:
            mat2: the right-hand batch of matrices.

        Example::

            >>> minimodel.ones(5, 2, 3).bmm(minimodel.ones(5, 3, 4)).shape
            minimodel.Size([5, 2, 4])
        """
        a, b = self._data, mat2._data
        if a.ndim != 3:
            raise RuntimeError("batch1 must be a 3D tensor")
        if b.ndim != 3:
            raise RuntimeError("batch2 must be a 3D tensor")
        if b.shape[:2] != (a.shape[0], a.shape[2]):
            raise RuntimeError(
                "Expected size for first two dimensions of batch2 tensor to be: "
                f"[{a.shape[0]}, {a.shape[2]}] but got: [{b.shape[0]}, {b.shape[1]}]."
            )
        if a.dtype != b.dtype:
            raise RuntimeError(
                f"expected scalar type {scalar_type_name(a.dtype)} but found "
                f"{scalar_type_name(b.dtype)}"
            )
        if a.dtype is _BOOL:
            _refuse_bool_product(a, b, False, False)
        backward = partial(ArithMixin._bmm_backward, self, mat2, a, b)
        return record(np.matmul(a, b), (self, mat2), "BmmBackward0", backward)

    @staticmethod
    def _bmm_backward(
        input: Tensor, mat2: Tensor, a: np.ndarray, b: np.ndarray, g: np.ndarray
    ) -> tuple[np.ndarray | None, np.ndarray | None]:
        ga = np.matmul(g, b.transpose(0, 2, 1)) if input.requires_grad else None
        gb = np.matmul(a.transpose(0, 2, 1), g) if mat2.requires_grad else None
        return ga, gb

    def floor_divide(self: Tensor, other: Tensor | float) -> Tensor:  # type: ignore[misc]
        """Division rounded down (``t // other``); PyTorch gives it no derivative, and neither
        does minimodel (backward through it raises PyTorch's error).

        Args:
            other: the divisor, a tensor or a number.

        Example::

            >>> minimodel.tensor([7, -7]).floor_divide(2)
            tensor([ 3, -4])
        """
        return _floor_divide(self, other, "floor_divide")

    __floordiv__ = floor_divide

    def __ifloordiv__(self: Tensor, other: Tensor | float) -> Tensor:  # type: ignore[misc]
        # PyTorch's error at backward names the in-place operation.
        return self._write(lambda old: _floor_divide(old, other, "floor_divide_"), other)

    def __rfloordiv__(self: Tensor, other: float) -> Tensor:  # type: ignore[misc]
        _integer_division_check(np.asarray(other), self, "div_floor")
        return _without_derivative(self, other, _reverse(np.floor_divide), "floor_divide")

    def remainder(self: Tensor, other: Tensor | float) -> Tensor:  # type: ignore[misc]
        """The remainder of ``input / other`` with the sign of ``other`` (``t % other``).

        Args:
            other: the divisor, a tensor or a number.

        Example::

            >>> minimodel.tensor([7.0, -7.0]).remainder(3)
            tensor([1., 2.])
        """
        _integer_division_check(self._data, other, "remainder")
        return _binary(
            self,
            other,
            "RemainderBackward1",
            _remainder,
            _pass,
            ArithMixin._remainder_db,
            scalar_name="RemainderBackward0",
            saved=_remainder_saved,
            scalar_saved=False,
        )

    @staticmethod
    def _remainder_db(g: np.ndarray, a: Any, b: Any, out: np.ndarray) -> np.ndarray:
        return -g * np.floor_divide(a, b)

    __mod__ = remainder

    def __imod__(self: Tensor, other: Tensor | float) -> Tensor:  # type: ignore[misc]
        return self._write(lambda old: ArithMixin.remainder(old, other), other)

    def __rmod__(self: Tensor, other: float) -> Tensor:  # type: ignore[misc]
        """``other % input``: PyTorch records no derivative for it (backward raises)."""
        _integer_division_check(np.asarray(other), self, "remainder")
        return _without_derivative(self, other, _reverse(_remainder), "remainder")

    def bitwise_and(self: Tensor, other: Tensor | int) -> Tensor:  # type: ignore[misc]
        """Elementwise ``&`` of integer or bool tensors (and Python ints or bools).

        Example::

            >>> minimodel.tensor([True, False]) & minimodel.tensor([True, True])
            tensor([ True, False])
        """
        return _bitwise(self, other, "bitwise_and", np.bitwise_and)

    __and__ = __rand__ = bitwise_and

    def __iand__(self: Tensor, other: Tensor | int) -> Tensor:  # type: ignore[misc]
        return _bitwise_inplace(self, other, ArithMixin.bitwise_and, np.bitwise_and)

    def bitwise_or(self: Tensor, other: Tensor | int) -> Tensor:  # type: ignore[misc]
        """Elementwise ``|`` of integer or bool tensors (and Python ints or bools).

        Example::

            >>> minimodel.tensor([1, 2]) | 4
            tensor([5, 6])
        """
        return _bitwise(self, other, "bitwise_or", np.bitwise_or)

    __or__ = __ror__ = bitwise_or

    def __ior__(self: Tensor, other: Tensor | int) -> Tensor:  # type: ignore[misc]
        return _bitwise_inplace(self, other, ArithMixin.bitwise_or, np.bitwise_or)

    def bitwise_xor(self: Tensor, other: Tensor | int) -> Tensor:  # type: ignore[misc]
        """Elementwise ``^`` of integer or bool tensors (and Python ints or bools).

        Example::

            >>> minimodel.tensor([True, False]) ^ True
            tensor([False,  True])
        """
        return _bitwise(self, other, "bitwise_xor", np.bitwise_xor)

    __xor__ = __rxor__ = bitwise_xor

    def __ixor__(self: Tensor, other: Tensor | int) -> Tensor:  # type: ignore[misc]
        return _bitwise_inplace(self, other, ArithMixin.bitwise_xor, np.bitwise_xor)

    def bitwise_not(self: Tensor) -> Tensor:  # type: ignore[misc]
        """``~input``: logical not of a bool tensor, bitwise not of an integer one.

        Example::

            >>> ~minimodel.tensor([True, False])
            tensor([False,  True])
        """
        a = self._data
        if a.dtype.kind == "f":
            raise TypeError(
                "~ (operator.invert) is only implemented on integer and Boolean-type tensors"
            )
        return Tensor._wrap(np.asarray(np.invert(a)))

    __invert__ = bitwise_not


def _bitwise(input: Tensor, other: object, name: str, ufunc: np.ufunc) -> Tensor:
    a = input._data
    if isinstance(other, Tensor):
        b: Any = other._data
    elif isinstance(other, Number):
        b = other
    else:
        return NotImplemented
    dtype = result_type(a, b)
    if dtype.kind == "f":
        raise NotImplementedError(f"\"{name}_cpu\" not implemented for '{scalar_type_name(dtype)}'")
    try:
        out = ufunc(a, wrap_int(a, b))
    except ValueError:
        raise _broadcast_error(a, b) from None
    return Tensor._wrap(np.asarray(out).astype(dtype, copy=False))


def _bitwise_inplace(
    self: Tensor, other: Any, op: Callable[[Tensor, Any], Tensor], ufunc: Callable[..., Any]
) -> Tensor:
    if self._data.dtype.kind == "f":
        # Once the shapes are checked, raise PyTorch's "not implemented for 'Float'".
        ufunc = lambda *_, **__: op(self, other)  # noqa: E731
    return self._inplace(other, op, ufunc)  # refuses a float result for an integer tensor


def _matmul_kernel(
    a: np.ndarray, b: np.ndarray, a_grad: bool, b_grad: bool
) -> tuple[str, np.ndarray, np.ndarray]:
    """Which kernel PyTorch's matmul calls, and on what: ``(kernel, left, right)``.

    PyTorch's ``grad_fn`` names and error messages depend on it. The kernels are ``dot``, ``mv``,
    ``vm`` (vector times matrix), ``mm``, ``fold`` (the batched left operand seen as one tall
    matrix, then mm or mv), ``fold_t`` (the same on the transposed product, when only the right
    operand is batched) and ``bmm``. For the folds, ``left`` is still to be reshaped.
    """
    if a.ndim <= 2 and b.ndim <= 2:
        return {(1, 1): "dot", (2, 1): "mv", (1, 2): "vm", (2, 2): "mm"}[a.ndim, b.ndim], a, b
    transpose = b.ndim > a.ndim
    big = np.swapaxes(b, -1, -2) if transpose else a
    if (b.ndim if transpose else a.ndim) >= 3 and (a.ndim if transpose else b.ndim) <= 2:
        small_grad = a_grad if transpose else b_grad
        contiguous = all(
            big.strides[i] == big.strides[i + 1] * big.shape[i + 1] for i in range(big.ndim - 2)
        )
        if small_grad or (a.ndim != 2 and (big.size == 0 or contiguous)):
            return ("fold_t" if transpose else "fold"), big, (a.T if transpose else b)
    if a.ndim == 3 and b.ndim == 3 and a.shape[0] != b.shape[0]:
        # PyTorch drops a batch of one from an operand that requires grad, then starts over.
        if a.shape[0] == 1 and a_grad:
            return _matmul_kernel(a[0], b, a_grad, b_grad)
        if b.shape[0] == 1 and b_grad:
            return _matmul_kernel(a, b[0], a_grad, b_grad)
    return "bmm", a, b


_VECTOR_NAMES = {(1, 1): "DotBackward0", (2, 1): "MvBackward0", (1, 2): "SqueezeBackward4"}


def _matmul_name(plan: tuple[str, np.ndarray, np.ndarray]) -> str:
    kernel, left, right = plan
    if kernel == "fold_t" and right.ndim == 2:
        # The result is the transpose of a product; PyTorch copies it unless that is a no-op.
        n, m = right.shape[1], left.shape[-2]
        return "TransposeBackward0" if n == 1 or m == 1 else "CloneBackward0"
    return {
        "dot": "DotBackward0",
        "mv": "MvBackward0",
        "vm": "SqueezeBackward4",
        "mm": "MmBackward0",
    }.get(kernel, "UnsafeViewBackward0")


_BOOL_KERNELS = {"dot": "dot", "mv": "addmv_impl_cpu", "bmm": "bmm"}


def _refuse_bool_product(a: np.ndarray, b: np.ndarray, a_grad: bool, b_grad: bool) -> None:
    """PyTorch's error for a product of bool tensors, named for the kernel it picks; the
    matrix kernels run (and refuse) only when there is something to compute."""
    kernel, _, right = _matmul_kernel(a, b, a_grad, b_grad)
    if kernel != "dot" and (a.shape[-1] == 0 or not a.size * b.size):
        return
    if kernel in ("fold", "fold_t"):
        kernel = "mv" if right.ndim == 1 else "mm"
    name = _BOOL_KERNELS.get(kernel, "addmm_impl_cpu_")
    raise NotImplementedError(f"\"{name}\" not implemented for 'Bool'")


def _matmul_error(a: np.ndarray, b: np.ndarray, a_grad: bool, b_grad: bool) -> RuntimeError:
    """PyTorch's error for operands ``@`` rejects: its wording depends on the kernel it picks."""
    if a.ndim == 0 or b.ndim == 0:
        return RuntimeError(
            f"both arguments to matmul need to be at least 1D, but they are {a.ndim}D and {b.ndim}D"
        )
    kernel, left, right = _matmul_kernel(a, b, a_grad, b_grad)
    if kernel == "dot":
        if a.dtype != b.dtype:
            return RuntimeError(
                "dot : expected both vectors to have same dtype, but found "
                f"{scalar_type_name(a.dtype)} and {scalar_type_name(b.dtype)}"
            )
        return RuntimeError(
            f"inconsistent tensor size, expected tensor [{a.size}] and src [{b.size}] to have "
            f"the same number of elements, but got {a.size} and {b.size} elements respectively"
        )
    if kernel == "bmm":
        batch_a, batch_b = a.shape[:-2], b.shape[:-2]
        try:
            batch = math.prod(np.broadcast_shapes(batch_a, batch_b))
        except ValueError:
            return _broadcast_error(batch_a, batch_b)
        # PyTorch's kernels check the sizes before the dtypes (dot aside).
        k_b = b.shape[0] if b.ndim == 1 else b.shape[-2]
        if a.shape[-1] != k_b:
            return RuntimeError(
                f"Expected size for first two dimensions of batch2 tensor to be: "
                f"[{batch}, {a.shape[-1]}] but got: [{batch}, {k_b}]."
            )
        return RuntimeError(
            f"expected scalar type {scalar_type_name(a.dtype)} but found "
            f"{scalar_type_name(b.dtype)}"
        )
    if kernel == "vm":
        left = left[None]
    elif kernel in ("fold", "fold_t"):  # rows counted, not inferred: there may be none
        left = left.reshape(math.prod(left.shape[:-1]), left.shape[-1])
    # The shapes first, then the dtypes.
    if right.ndim == 1:
        if left.shape[-1] != right.shape[0]:
            return RuntimeError(
                f"size mismatch, got input ({left.shape[0]}), mat ({shape_str(left)}), "
                f"vec ({right.shape[0]})"
            )
        v, m = scalar_type_name(right.dtype), scalar_type_name(left.dtype)
        return RuntimeError(
            f"addmv input tensors must have the same dtype, but got {v}, {m}, and {v}"
        )
    if left.shape[-1] != right.shape[0]:
        return RuntimeError(
            f"mat1 and mat2 shapes cannot be multiplied ({shape_str(left)} and {shape_str(right)})"
        )
    return RuntimeError(
        "expected m1 and m2 to have the same dtype, but got: "
        f"{torch_dtype_name(left.dtype)} != {torch_dtype_name(right.dtype)}"
    )


def _integer_division_check(a: np.ndarray, b: object, kernel: str) -> None:
    """PyTorch's refusals of a floor division or remainder (``kernel``): bools have no kernel
    (once the shapes broadcast), integers no division by zero."""
    b_array = b._data if isinstance(b, Tensor) else np.asarray(b)
    if a.dtype.kind not in "iub" or b_array.dtype.kind not in "iub":
        return
    shape = _check_broadcast(a, b_array)
    if a.dtype.kind == "b" and b_array.dtype.kind == "b":
        raise NotImplementedError(f"\"{kernel}_cpu\" not implemented for 'Bool'")
    if math.prod(shape) and (b_array == 0).any():  # an empty result divides nothing
        raise RuntimeError("ZeroDivisionError")


def _floor_divide(input: Tensor, other: Tensor | float, op: str) -> Tensor:
    _integer_division_check(input._data, other, "div_floor")
    return _without_derivative(input, other, np.floor_divide, op)


def _without_derivative(
    input: Tensor, other: object, fn: Callable[[np.ndarray, Any], np.ndarray], op: str
) -> Tensor:
    """An operation PyTorch defines no derivative for: backward through it raises its error."""
    no_derivative = partial(_no_derivative, op)
    name = "torch::autograd::NotImplemented"
    return _binary(input, other, name, fn, no_derivative, no_derivative)


def _no_derivative(op: str, g: np.ndarray, a: Any, b: Any, out: np.ndarray) -> np.ndarray:
    raise RuntimeError(f"derivative for aten::{op} is not implemented")


def _remainder_saved(input: Tensor, other: Tensor) -> tuple[Tensor, ...]:
    # Both, for the divisor's gradient only: the dividend's is the upstream gradient itself.
    return (input, other) if other.requires_grad else ()


# The functional forms (``minimodel.add(t, x)``): the very same functions.
add = ArithMixin.add
sub = ArithMixin.sub
mul = ArithMixin.mul
div = ArithMixin.div
pow = ArithMixin.pow
neg = ArithMixin.neg
matmul = ArithMixin.matmul
mm = ArithMixin.mm
bmm = ArithMixin.bmm
floor_divide = ArithMixin.floor_divide
remainder = ArithMixin.remainder
bitwise_and = ArithMixin.bitwise_and
bitwise_or = ArithMixin.bitwise_or
bitwise_xor = ArithMixin.bitwise_xor
bitwise_not = ArithMixin.bitwise_not
