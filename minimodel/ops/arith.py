"""Arithmetic with broadcasting: ``+ - * / ** @`` and their gradients."""

from __future__ import annotations

from collections.abc import Callable
from numbers import Number

import numpy as np

from ..autograd import record
from ..tensor import Tensor
from ._util import promote, shape_str, torch_dtype_name, unbroadcast

GradFn = Callable[[np.ndarray, np.ndarray, object, np.ndarray], np.ndarray]


def _broadcast_error(a: np.ndarray, b: np.ndarray) -> RuntimeError:
    # Same wording as PyTorch: name the first dimension, from the right, that disagrees.
    for i in range(1, min(a.ndim, b.ndim) + 1):
        m, n = a.shape[-i], b.shape[-i]
        if m != n and m != 1 and n != 1:
            dim = max(a.ndim, b.ndim) - i
            return RuntimeError(
                f"The size of tensor a ({m}) must match the size of tensor b ({n}) "
                f"at non-singleton dimension {dim}"
            )
    return RuntimeError(f"shapes {a.shape} and {b.shape} cannot be broadcast together")


def _binary(
    input: Tensor,
    other: object,
    name: str,
    fn: Callable[[np.ndarray, object], np.ndarray],
    da: GradFn,
    db: GradFn,
    scalar_name: str | None = None,
) -> Tensor:
    """Apply ``fn`` elementwise; ``da``/``db`` give the gradient w.r.t. each side before reduction.

    ``other`` may be a tensor or a Python number (which gets no gradient).
    """
    a = input._data
    if isinstance(other, Tensor):
        b = other._data
        try:
            out = promote(fn(a, b), a, b)
        except ValueError:
            raise _broadcast_error(a, b) from None

        def backward(g: np.ndarray) -> tuple[np.ndarray | None, np.ndarray | None]:
            ga = unbroadcast(da(g, a, b, out), a.shape) if input.requires_grad else None
            gb = unbroadcast(db(g, a, b, out), b.shape) if other.requires_grad else None
            return ga, gb

        return record(out, (input, other), name, backward)
    if isinstance(other, np.ndarray):
        return _binary(input, Tensor._wrap(other), name, fn, da, db, scalar_name)
    if not isinstance(other, Number):
        return NotImplemented  # type: ignore[return-value]
    out = promote(fn(a, other), a, other)

    def backward_scalar(g: np.ndarray) -> tuple[np.ndarray]:
        return (da(g, a, other, out),)

    return record(out, (input,), scalar_name or name, backward_scalar)


def add(input: Tensor, other: Tensor | float, *, alpha: float = 1) -> Tensor:
    """``input + alpha * other`` with broadcasting."""
    if alpha != 1:
        other = mul(other, alpha) if isinstance(other, Tensor) else other * alpha
    return _binary(input, other, "AddBackward0", np.add, _pass, _pass)


def sub(input: Tensor, other: Tensor | float, *, alpha: float = 1) -> Tensor:
    """``input - alpha * other`` with broadcasting."""
    if alpha != 1:
        other = mul(other, alpha) if isinstance(other, Tensor) else other * alpha
    return _binary(input, other, "SubBackward0", np.subtract, _pass, _negate)


def rsub(input: Tensor, other: float) -> Tensor:
    """``other - input``: what ``2 - t`` calls."""
    return _binary(input, other, "RsubBackward1", _reverse(np.subtract), _negate, _pass)


def mul(input: Tensor, other: Tensor | float) -> Tensor:
    """Elementwise product with broadcasting."""
    return _binary(input, other, "MulBackward0", np.multiply, _times_b, _times_a)


def div(input: Tensor, other: Tensor | float) -> Tensor:
    """True division with broadcasting (integer tensors give float32, as in PyTorch)."""
    return _binary(input, other, "DivBackward0", np.true_divide, _over_b, _div_db)


def rdiv(input: Tensor, other: float) -> Tensor:
    """``other / input``: what ``1 / t`` calls."""
    return _binary(input, other, "MulBackward0", _reverse(np.true_divide), _rdiv_da, _pass)


def pow(input: Tensor, exponent: Tensor | float) -> Tensor:
    """``input ** exponent``; the exponent may be a number or a tensor."""
    return _binary(input, exponent, "PowBackward1", np.power, _pow_da, _pow_db, "PowBackward0")


def rpow(input: Tensor, other: float) -> Tensor:
    """``other ** input``: what ``2 ** t`` calls."""
    return _binary(input, other, "PowBackward2", _reverse(np.power), _rpow_da, _pass)


def neg(input: Tensor) -> Tensor:
    """``-input``."""
    return record(np.negative(input._data), (input,), "NegBackward0", lambda g: (-g,))


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
    if a.dtype != b.dtype:
        raise RuntimeError(
            "expected m1 and m2 to have the same dtype, but got: "
            f"{torch_dtype_name(a.dtype)} != {torch_dtype_name(b.dtype)}"
        )
    if a.ndim == 0 or b.ndim == 0:
        raise RuntimeError(
            f"both arguments to matmul need to be at least 1D, but they are {a.ndim}D and {b.ndim}D"
        )
    if a.ndim == 2 and b.ndim == 2:
        if a.shape[1] != b.shape[0]:
            raise RuntimeError(
                f"mat1 and mat2 shapes cannot be multiplied ({shape_str(a)} and {shape_str(b)})"
            )

        def backward_mm(g: np.ndarray) -> tuple[np.ndarray | None, np.ndarray | None]:
            ga = g @ b.T if input.requires_grad else None
            gb = a.T @ g if other.requires_grad else None
            return ga, gb

        return record(a @ b, (input, other), "MmBackward0", backward_mm)
    _check_matmul_shapes(a, b)
    # Promote 1-D operands to matrices, multiply, then drop the added dimension.
    a2 = a[None, :] if a.ndim == 1 else a
    b2 = b[:, None] if b.ndim == 1 else b
    out = a2 @ b2
    if b.ndim == 1:
        out = out[..., 0]
    if a.ndim == 1:
        out = out[..., 0, :] if b.ndim > 1 else out[..., 0]
    name = {
        (1, 1): "DotBackward0",
        (2, 1): "MvBackward0",
        (1, 2): "SqueezeBackward4",
    }.get((a.ndim, b.ndim), "UnsafeViewBackward0")
    full_shape = (*np.broadcast_shapes(a2.shape[:-2], b2.shape[:-2]), a2.shape[-2], b2.shape[-1])

    def backward(g: np.ndarray) -> tuple[np.ndarray | None, np.ndarray | None]:
        g2 = g.reshape(full_shape)
        ga = gb = None
        if input.requires_grad:
            ga = unbroadcast(g2 @ np.swapaxes(b2, -1, -2), a2.shape).reshape(a.shape)
        if other.requires_grad:
            gb = unbroadcast(np.swapaxes(a2, -1, -2) @ g2, b2.shape).reshape(b.shape)
        return ga, gb

    return record(np.ascontiguousarray(out), (input, other), name, backward)


def _check_matmul_shapes(a: np.ndarray, b: np.ndarray) -> None:
    inner_a = a.shape[-1]
    inner_b = b.shape[0] if b.ndim == 1 else b.shape[-2]
    if inner_a == inner_b:
        if a.ndim > 2 and b.ndim > 2:
            try:
                np.broadcast_shapes(a.shape[:-2], b.shape[:-2])
            except ValueError:
                raise _broadcast_error(
                    np.empty(a.shape[:-2], dtype=bool), np.empty(b.shape[:-2], dtype=bool)
                ) from None
        return
    if a.ndim == 1 and b.ndim == 1:
        raise RuntimeError(
            f"inconsistent tensor size, expected tensor [{a.size}] and src [{b.size}] to have "
            f"the same number of elements, but got {a.size} and {b.size} elements respectively"
        )
    if a.ndim == 2 and b.ndim == 1:
        raise RuntimeError(
            f"size mismatch, got input ({a.shape[0]}), mat ({shape_str(a)}), vec ({b.shape[0]})"
        )
    if a.ndim == 1 and b.ndim == 2:
        raise RuntimeError(
            f"mat1 and mat2 shapes cannot be multiplied (1x{a.shape[0]} and {shape_str(b)})"
        )
    raise RuntimeError(
        f"Expected size for first two dimensions of batch2 tensor to be: "
        f"[{a.shape[0]}, {inner_a}] but got: [{b.shape[0]}, {inner_b}]."
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


def _rdiv_da(g, a, b, out):
    # out = b / a
    return -g * out / a


def _pow_da(g, a, b, out):
    if isinstance(b, Number) and b == 0:
        return np.zeros_like(g)
    return g * b * np.power(a, b - 1)


def _pow_db(g, a, b, out):
    # d(a**b)/db = a**b * log(a); PyTorch defines it as 0 where a == 0 and b >= 0.
    with np.errstate(divide="ignore", invalid="ignore"):
        grad = g * out * np.log(a)
    return np.where((a == 0) & (b >= 0), 0, grad).astype(grad.dtype, copy=False)


def _rpow_da(g, a, b, out):
    # out = b ** a, with b a number
    with np.errstate(divide="ignore"):
        return g * out * np.log(b) if b != 0 else np.where(a >= 0, 0.0, -np.inf * g)
