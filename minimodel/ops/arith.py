"""Arithmetic with broadcasting: ``+ - * / ** @`` and their gradients."""

from __future__ import annotations

import math
from collections.abc import Callable
from functools import partial
from numbers import Number
from typing import TYPE_CHECKING

import numpy as np

from ..autograd import OUTPUT, cross, record
from ._util import (
    check_int_fits,
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


def _binary(
    input: Tensor,
    other: object,
    name: str,
    fn: Callable[[np.ndarray, object], np.ndarray],
    da: GradFn,
    db: GradFn,
    scalar_name: str | None = None,
    saved: bool | Callable[[Tensor, Tensor], tuple] = False,
    scalar_saved: tuple | bool = (),
) -> Tensor:
    """Apply ``fn`` elementwise; ``da``/``db`` give the gradient w.r.t. each side before reduction.

    ``other`` may be a tensor or a Python number (which gets no gradient). What the operation
    saves (see :func:`~minimodel.autograd.record`): ``saved(input, other)`` for two tensors
    (False: nothing), ``scalar_saved`` (where ``input`` may appear) with a number.
    """
    a = input._data
    if isinstance(other, Tensor):
        b = other._data
        try:
            out = fn(a, b)
        except ValueError:
            raise _broadcast_error(a, b) from None
        # Fast path: NumPy shares one dtype object per dtype, so when the result and both inputs
        # have the same one, PyTorch's promotion agrees with NumPy's and nothing needs checking.
        if not (out.dtype is a.dtype is b.dtype):
            out = promote(out, a, b)
        backward = partial(_binary_backward, input, other, a, b, out, da, db)
        return record(out, (input, other), name, backward, saved and saved(input, other))
    if isinstance(other, np.ndarray):
        return _binary(
            input, Tensor._wrap(other), name, fn, da, db, scalar_name, saved, scalar_saved
        )
    if not isinstance(other, Number):
        return NotImplemented  # type: ignore[return-value]
    b = wrap_int(a, other) if other.__class__ is int else other  # the check inlined: hot path
    out = promote(fn(a, b), a, other)
    backward = partial(_scalar_backward, a, other, out, da)
    if scalar_saved and scalar_saved[0] is _INPUT:
        scalar_saved = (input, *scalar_saved[1:])
    return record(out, (input,), scalar_name or name, backward, scalar_saved if saved else False)


_INPUT = object()  # stands for ``input`` in ``scalar_saved``


def _both(input: Tensor, other: Tensor) -> tuple[Tensor, Tensor]:
    return input, other


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


def add(input: Tensor, other: Tensor | float, *, alpha: float = 1) -> Tensor:
    """``input + alpha * other`` with broadcasting."""
    if alpha == 1:
        return _binary(input, other, "AddBackward0", np.add, _pass, _pass)
    return _binary(
        input,
        other,
        "AddBackward0",
        lambda a, b: a + alpha * b,
        _pass,
        lambda g, a, b, out: g * alpha,
    )


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


def sub(input: Tensor, other: Tensor | float, *, alpha: float = 1) -> Tensor:
    """``input - alpha * other`` with broadcasting."""
    _check_bool_sub(input, other)
    if alpha == 1:
        return _binary(input, other, "SubBackward0", np.subtract, _pass, _negate)
    return _binary(
        input,
        other,
        "SubBackward0",
        lambda a, b: a - alpha * b,
        _pass,
        lambda g, a, b, out: g * -alpha,
    )


def rsub(input: Tensor, other: float) -> Tensor:
    """``other - input``: what ``2 - t`` calls."""
    _check_bool_sub(input, other)
    return _binary(input, other, "RsubBackward1", _reverse(np.subtract), _negate, _pass)


def mul(input: Tensor, other: Tensor | float) -> Tensor:
    """Elementwise product with broadcasting."""
    return _binary(input, other, "MulBackward0", np.multiply, _times_b, _times_a, None, cross)


def div(input: Tensor, other: Tensor | float) -> Tensor:
    """True division with broadcasting (integer tensors give float32, as in PyTorch)."""
    other = _float_divisor(input, other)
    return _binary(input, other, "DivBackward0", np.true_divide, _over_b, _div_db, None, _div_saved)


def rdiv(input: Tensor, other: float) -> Tensor:
    """``other / input``: what ``1 / t`` calls."""
    other = _float_divisor(input, other)
    if isinstance(other, np.ndarray):
        return div(Tensor._wrap(other), input)
    if not isinstance(other, Number):
        return NotImplemented  # type: ignore[return-value]
    # PyTorch computes ``other * input.reciprocal()`` and saves the reciprocal, not ``input``.
    x = input._data
    out = promote(np.true_divide(other, x), x, other)
    reciprocal = np.reciprocal(x if x.dtype.kind == "f" else x.astype(out.dtype))
    return record(out, (input,), "MulBackward0", partial(_rdiv_backward, other, reciprocal), ())


def _rdiv_backward(other, reciprocal, g):
    return (-(g * other) * (reciprocal * reciprocal),)


def _float_divisor(input: Tensor, other: object) -> object:
    # Integers are divided as floats: a Python int is not cast to the tensor's dtype first
    # (-1 / uint8 tensor is negative, where NumPy refuses -1 as a uint8).
    if other.__class__ is int and input._data.dtype.kind in "iub":
        return float(other)
    return other


def pow(input: Tensor, exponent: Tensor | float) -> Tensor:
    """``input ** exponent``; the exponent may be a number or a tensor."""
    if isinstance(exponent, int) and exponent < 0 and input._data.dtype.kind in "iub":
        raise RuntimeError("Integers to negative integer powers are not allowed.")
    check_int_fits(exponent, input._data.dtype)
    # A bool tensor exponent (a Python bool is taken as a number).
    if input._data.dtype is _BOOL and isinstance(exponent, Tensor) and _is_bool(exponent):
        raise NotImplementedError("\"pow\" not implemented for 'Bool'")
    fn = _power
    if isinstance(exponent, Tensor):
        integers = input._data.dtype.kind in "iub" and exponent._data.dtype.kind in "iub"
        fn = _integer_power if integers else np.power
    return _binary(
        input,
        exponent,
        "PowBackward1",
        fn,
        _pow_da,
        _pow_db,
        "PowBackward0",
        _pow_saved,
        (_INPUT,),
    )


_SQRT_DTYPES = (np.dtype(np.float32), np.dtype(np.float64))


def _integer_power(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Integer ``a ** b`` as PyTorch computes it, where NumPy refuses negative exponents: 1 for
    a base of 1, +-1 for -1, 0 for any other base."""
    if not (b < 0).any():
        return np.power(a, b)
    out = np.power(a, np.maximum(b, 0))
    negative_power = np.where(a == 1, 1, np.where(a == -1, 1 - 2 * (b % 2), 0))
    return np.where(b < 0, negative_power, out).astype(out.dtype, copy=False)


def _power(a: np.ndarray, e: object) -> np.ndarray:
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


def rpow(input: Tensor, other: float) -> Tensor:
    """``other ** input``: what ``2 ** t`` calls."""
    return _binary(
        input,
        other,
        "PowBackward2",
        _reverse(np.power),
        _rpow_da,
        _pass,
        None,
        _pow_saved,
        (_INPUT, OUTPUT),
    )


def _bitwise(name: str, ufunc: np.ufunc) -> Callable[[Tensor, object], Tensor]:
    def op(input: Tensor, other: object) -> Tensor:
        a = input._data
        if isinstance(other, Tensor):
            b = other._data
        elif isinstance(other, Number):
            b = other
        else:
            return NotImplemented  # type: ignore[return-value]
        dtype = result_type(a, b)
        if dtype.kind == "f":
            raise NotImplementedError(
                f"\"{name}_cpu\" not implemented for '{scalar_type_name(dtype)}'"
            )
        try:
            out = ufunc(a, wrap_int(a, b))
        except ValueError:
            raise _broadcast_error(a, b) from None
        return Tensor._wrap(np.asarray(out).astype(dtype, copy=False))

    op.__name__ = op.__qualname__ = name
    op.__doc__ = f"Elementwise ``{name}`` of integer or bool tensors (and Python ints or bools)."
    return op


bitwise_and = _bitwise("bitwise_and", np.bitwise_and)
bitwise_or = _bitwise("bitwise_or", np.bitwise_or)
bitwise_xor = _bitwise("bitwise_xor", np.bitwise_xor)


def bitwise_not(input: Tensor) -> Tensor:
    """``~input``: logical not of a bool tensor, bitwise not of an integer one."""
    a = input._data
    if a.dtype.kind == "f":
        raise TypeError(
            "~ (operator.invert) is only implemented on integer and Boolean-type tensors"
        )
    return Tensor._wrap(np.asarray(np.invert(a)))


def neg(input: Tensor) -> Tensor:
    """``-input``."""
    if input._data.dtype is _BOOL:
        raise RuntimeError(
            "Negation, the `-` operator, on a bool tensor is not supported. If you are trying to "
            "invert a mask, use the `~` or `logical_not()` operator instead."
        )
    return record(np.negative(input._data), (input,), "NegBackward0", lambda g: (-g,), False)


def matmul(input: Tensor, other: Tensor) -> Tensor:
    """Matrix product with PyTorch's rules for 1-D, 2-D and batched operands.

    A 1-D left operand is a row vector and a 1-D right operand a column vector; their added
    dimension is removed from the result. Batch dimensions broadcast.
    """
    if not isinstance(other, Tensor):
        if isinstance(other, np.ndarray):
            other = Tensor._wrap(other)
        else:
            return NotImplemented
    a, b = input._data, other._data
    if (
        a.dtype != b.dtype
        or a.ndim == 0
        or b.ndim == 0
        or a.shape[-1] != b.shape[0 if b.ndim == 1 else -2]
    ):
        raise _matmul_error(a, b, input.requires_grad, other.requires_grad)
    if a.ndim == 2 and b.ndim == 2:

        def backward_mm(g: np.ndarray) -> tuple[np.ndarray | None, np.ndarray | None]:
            ga = g @ b.T if input.requires_grad else None
            gb = a.T @ g if other.requires_grad else None
            return ga, gb

        return record(a @ b, (input, other), "MmBackward0", backward_mm, cross(input, other))
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
    if not name and (input.requires_grad or other.requires_grad):
        name = _matmul_name(_matmul_kernel(a, b, input.requires_grad, other.requires_grad))

    def backward(g: np.ndarray) -> tuple[np.ndarray | None, np.ndarray | None]:
        g2 = g.reshape(full_shape)
        ga = gb = None
        if input.requires_grad:
            ga = unbroadcast(g2 @ np.swapaxes(b2, -1, -2), a2.shape).reshape(a.shape)
        if other.requires_grad:
            gb = unbroadcast(np.swapaxes(a2, -1, -2) @ g2, b2.shape).reshape(b.shape)
        return ga, gb

    return record((a2 @ b2).reshape(out_shape), (input, other), name, backward, cross(input, other))


def mm(input: Tensor, mat2: Tensor) -> Tensor:
    """Product of two matrices (2-D tensors only; :func:`matmul` handles the other cases)."""
    if input._data.ndim != 2:
        raise RuntimeError("self must be a matrix")
    if mat2._data.ndim != 2:
        raise RuntimeError("mat2 must be a matrix")
    return matmul(input, mat2)


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
        if a.dtype != b.dtype:
            return RuntimeError(
                f"expected scalar type {scalar_type_name(a.dtype)} but found "
                f"{scalar_type_name(b.dtype)}"
            )
        k_b = b.shape[0] if b.ndim == 1 else b.shape[-2]
        return RuntimeError(
            f"Expected size for first two dimensions of batch2 tensor to be: "
            f"[{batch}, {a.shape[-1]}] but got: [{batch}, {k_b}]."
        )
    if kernel == "vm":
        left = left[None]
    elif kernel in ("fold", "fold_t"):
        left = left.reshape(-1, left.shape[-1])
    if right.ndim == 1:
        if left.dtype != right.dtype:
            v, m = scalar_type_name(right.dtype), scalar_type_name(left.dtype)
            return RuntimeError(
                f"addmv input tensors must have the same dtype, but got {v}, {m}, and {v}"
            )
        return RuntimeError(
            f"size mismatch, got input ({left.shape[0]}), mat ({shape_str(left)}), "
            f"vec ({right.shape[0]})"
        )
    if left.dtype != right.dtype:
        return RuntimeError(
            "expected m1 and m2 to have the same dtype, but got: "
            f"{torch_dtype_name(left.dtype)} != {torch_dtype_name(right.dtype)}"
        )
    return RuntimeError(
        f"mat1 and mat2 shapes cannot be multiplied ({shape_str(left)} and {shape_str(right)})"
    )


def _reverse(
    fn: Callable[[object, object], np.ndarray],
) -> Callable[[np.ndarray, object], np.ndarray]:
    return lambda a, b: fn(b, a)


# Local gradients: each takes (upstream grad g, a, b, out) and returns g times d(out)/d(side).
def _pass(g, a, b, out):
    return g


def _negate(g, a, b, out):
    return -g


def _times_b(g, a, b, out):
    return g * b


def _times_a(g, a, b, out):
    return g * a


def _over_b(g, a, b, out):
    return g / b


def _div_db(g, a, b, out):
    return -g * a / (b * b)


def _pow_da(g, a, b, out):
    if isinstance(b, Number):
        if b == 0:
            return np.zeros_like(g)
        return g * b * _power(a, b - 1)
    # Selected where b == 0: b * a ** (b - 1) there is 0 * inf at a == 0, and PyTorch gives 0.
    return np.where(b == 0, 0, g * b * np.power(a, b - 1))


def _pow_db(g, a, b, out):
    # d(a**b)/db = a**b * log(a); PyTorch defines it as 0 where a == 0 and b >= 0.
    with np.errstate(divide="ignore", invalid="ignore"):
        grad = g * out * np.log(a)
    return np.where((a == 0) & (b >= 0), 0, grad).astype(grad.dtype, copy=False)


def _rpow_da(g, a, b, out):
    # out = b ** a, with b a number. A Python float log keeps float32 gradients float32.
    log_b = math.log(b) if b > 0 else -math.inf if b == 0 else math.nan
    grad = g * out * log_b
    # PyTorch defines it as 0 where b == 0 and a >= 0 (NaN stays NaN).
    return np.where(a >= 0, 0, grad) if b == 0 else grad


# ---------------------------------------------------------------- added for issue 12
def _integer_division_check(a: np.ndarray, b: object) -> None:
    b_array = b._data if isinstance(b, Tensor) else np.asarray(b)
    if a.dtype.kind in "iub" and b_array.dtype.kind in "iub" and (b_array == 0).any():
        raise RuntimeError("ZeroDivisionError")


def _without_derivative(input: Tensor, other: object, fn, op: str) -> Tensor:
    """An operation PyTorch defines no derivative for: backward through it raises its error."""

    def no_derivative(g, a, b, out):
        raise RuntimeError(f"derivative for aten::{op} is not implemented")

    name = "torch::autograd::NotImplemented"
    return _binary(input, other, name, fn, no_derivative, no_derivative)


def floor_divide(input: Tensor, other: Tensor | float) -> Tensor:
    """Division rounded down (``//``); PyTorch gives it no derivative, and neither does
    minimodel (backward through it raises PyTorch's error).

    Args:
        other: the divisor, a tensor or a number.
    """
    _integer_division_check(input._data, other)
    return _without_derivative(input, other, np.floor_divide, "floor_divide")


def rfloordiv(input: Tensor, other: float) -> Tensor:
    """``other // input``."""
    _integer_division_check(np.asarray(other), input)
    return _without_derivative(input, other, _reverse(np.floor_divide), "floor_divide")


def remainder(input: Tensor, other: Tensor | float) -> Tensor:
    """The remainder of ``input / other`` with the sign of ``other`` (Python's ``%``).

    Args:
        other: the divisor, a tensor or a number.
    """
    _integer_division_check(input._data, other)
    return _binary(
        input,
        other,
        "RemainderBackward1",
        np.remainder,
        _pass,
        _remainder_db,
        scalar_name="RemainderBackward0",
        saved=_remainder_saved,
        scalar_saved=False,
    )


def _remainder_saved(input: Tensor, other: Tensor) -> tuple[Tensor, ...]:
    # Both, for the divisor's gradient only: the dividend's is the upstream gradient itself.
    return (input, other) if other.requires_grad else ()


def _remainder_db(g, a, b, out):
    return -g * np.floor_divide(a, b)


def rremainder(input: Tensor, other: float) -> Tensor:
    """``other % input``: PyTorch records no derivative for it (backward raises)."""
    _integer_division_check(np.asarray(other), input)
    return _without_derivative(input, other, _reverse(np.remainder), "remainder")


def bmm(input: Tensor, mat2: Tensor) -> Tensor:
    """Batched matrix product of two 3-D tensors: ``(b, n, m) @ (b, m, p) -> (b, n, p)``.

    Args:
        mat2: the right-hand batch of matrices.
    """
    a, b = input._data, mat2._data
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
    out = np.matmul(a, b)

    def backward(g: np.ndarray) -> tuple[np.ndarray | None, np.ndarray | None]:
        ga = np.matmul(g, b.transpose(0, 2, 1)) if input.requires_grad else None
        gb = np.matmul(a.transpose(0, 2, 1), g) if mat2.requires_grad else None
        return ga, gb

    return record(out, (input, mat2), "BmmBackward0", backward)
