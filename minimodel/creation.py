"""Ways to make tensors: ``tensor``, ``zeros``, ``ones``, ``randn``, ``arange``, ...

The dtypes follow PyTorch: Python floats and the float factories give float32, Python ints give
int64, bools give bool, and a NumPy array keeps its dtype.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Sequence
from typing import Any, overload

import numpy as np

from . import _scalar
from . import dtype as _dtypes
from ._fma import fma
from .device import check_device
from .random import generator
from .tensor import Tensor

_F32 = np.dtype(np.float32)


def _finish(
    data: np.ndarray, dtype: Any, requires_grad: bool, device: Any = None, name: str | None = None
) -> Tensor:
    check_device(device, name)
    if dtype is not None:
        data = data.astype(_dtypes.to_numpy_dtype(dtype), copy=False)
    t = Tensor._wrap(data)
    if requires_grad:
        if data.dtype.kind != "f":
            raise RuntimeError(
                "Only Tensors of floating point and complex dtype can require gradients"
            )
        t.requires_grad = True
    return t


def _infer(data: Any, target: np.dtype | None = None) -> np.ndarray:
    """Convert Python data to an array with PyTorch's dtype inference.

    ``target``: the dtype the Python numbers are meant for. PyTorch stores each number straight
    into it, so float64 keeps Python's doubles (``0.1`` is not rounded through float32 first);
    float16 goes through float32 as PyTorch's ``Half(float)`` does; an integer dtype raises
    PyTorch's overflow error for a number that does not fit.
    """
    if isinstance(data, np.ndarray):
        _dtypes.from_numpy_dtype(data.dtype)  # raises for unsupported dtypes
        return np.array(data, order="C")
    if isinstance(data, np.generic):
        return np.array(data)
    if isinstance(data, str):
        raise TypeError("new(): invalid data type 'str'")
    sizes = _check_ragged(data)
    if 0 in sizes:  # PyTorch reads no further than an empty list: [[], [1]] has shape (2, 0)
        return np.zeros(sizes, _F32)
    values = _unwrap(data)
    if target is not None:
        return _scalar.store(values, target)
    array = np.array(values)
    inferred = _scalar.infer(values, array)
    if inferred is not None:
        return inferred
    if array.dtype.kind in "iu":
        return array.astype(np.int64)
    if array.dtype.kind == "b":
        return array
    if array.dtype.kind == "c":
        raise TypeError("minimodel has no complex dtypes; expected real numbers or bools")
    raise TypeError(f"Could not infer dtype of {type(data).__name__}")


def _unwrap(data: Any) -> Any:
    if isinstance(data, Tensor):
        # Tensors inside a list stand for numbers, as in PyTorch.
        if data._data.size != 1:
            raise ValueError("only one element tensors can be converted to Python scalars")
        return data._data.item()
    if isinstance(data, list | tuple):
        return [_unwrap(x) for x in data]
    return data


def _is_sequence(x: Any) -> bool:
    return isinstance(x, list | tuple)


def _check_ragged(data: Any) -> tuple[int, ...]:
    """The shape of nested lists, read from their first elements, checked as PyTorch does."""
    sizes = []
    first = data
    while _is_sequence(first):
        sizes.append(len(first))
        if not first:
            break
        first = first[0]
    if sizes and 0 not in sizes:  # PyTorch reads nothing when there are no elements
        floats = _has_float(data)
        _check_nested(data, tuple(sizes), 0, floats)
    return tuple(sizes)


def _has_float(data: Any) -> bool:
    if _is_sequence(data):
        return any(_has_float(x) for x in data)
    return isinstance(data, float | np.floating)


def _check_nested(data: Any, sizes: tuple[int, ...], dim: int, floats: bool) -> None:
    if dim == len(sizes):
        if _is_sequence(data):
            kind = type(data).__name__
            raise TypeError(
                f"must be real number, not {kind}"
                if floats
                else f"'{kind}' object cannot be interpreted as an integer"
            )
        return
    if not _is_sequence(data):
        raise TypeError("not a sequence")
    if len(data) != sizes[dim]:
        raise ValueError(f"expected sequence of length {sizes[dim]} at dim {dim} (got {len(data)})")
    for item in data:
        _check_nested(item, sizes, dim + 1, floats)


def tensor(data: Any, dtype: Any = None, device: Any = None, requires_grad: bool = False) -> Tensor:
    """Build a tensor holding a copy of ``data`` (a number, nested lists, or a NumPy array).

    Args:
        data: the values.
        dtype: the element type; inferred from ``data`` when None.
        device: accepted for compatibility; only ``"cpu"`` (or None).
        requires_grad: record operations on the result for autograd.

    Example::

        >>> minimodel.tensor([[1, 2], [3, 4]])
        tensor([[1, 2],
                [3, 4]])
        >>> minimodel.tensor([0.5, 1.0], requires_grad=True)
        tensor([0.5000, 1.0000], requires_grad=True)
    """
    if isinstance(data, Tensor):
        warnings.warn(
            "To copy construct from a tensor, it is recommended to use sourceTensor.detach()."
            "clone() or sourceTensor.detach().clone().requires_grad_(True), rather than "
            "minimodel.tensor(sourceTensor).",
            UserWarning,
            stacklevel=2,
        )
        return _finish(data._data.copy(), dtype, requires_grad, device, "tensor")
    target = None if dtype is None else _dtypes.to_numpy_dtype(dtype)
    return _finish(_infer(data, target), dtype, requires_grad, device, "tensor")


def from_numpy(array: np.ndarray) -> Tensor:
    """A tensor that shares memory with ``array`` (changes to one show in the other)."""
    if not isinstance(array, np.ndarray):
        raise TypeError(f"expected np.ndarray (got {type(array).__name__})")
    _dtypes.from_numpy_dtype(array.dtype)
    return Tensor._wrap(array)


def as_tensor(data: Any, dtype: Any = None) -> Tensor:
    """Like :func:`tensor`, but shares memory with a NumPy array or tensor when it can."""
    if isinstance(data, Tensor):
        return data if dtype is None else data.to(dtype)
    if isinstance(data, np.ndarray) and dtype is None:
        return from_numpy(data)
    return tensor(data, dtype=dtype)


def _size(size: Sequence[Any], name: str) -> tuple[int, ...]:
    """The shape given to factory ``name`` as ``f(2, 3)`` or ``f((2, 3))``, checked like PyTorch."""
    packed = len(size) == 1 and isinstance(size[0], Sequence)
    if packed:
        size = tuple(size[0])
    for pos, n in enumerate(size, 1):
        # A bool is an int to PyTorch's parser, except first, where it decides the form.
        if not isinstance(n, int | np.integer) or (isinstance(n, bool) and pos == 1):
            kind = type(n).__name__
            # PyTorch's argument parser tells the forms apart by their first element.
            if pos == 1 and packed:
                raise TypeError(
                    f"{name}(): argument 'size' (position 1) must be tuple of ints, but found "
                    f"element of type {kind} at pos 0"
                )
            if pos == 1 and len(size) > 1:
                raise TypeError(f"{name}() takes 1 positional argument but {len(size)} were given")
            if len(size) == 1:
                raise TypeError(
                    f"{name}(): argument 'size' (position 1) must be tuple of ints, not {kind}"
                )
            raise TypeError(
                f"{name}(): argument 'size' failed to unpack the object at pos {pos} with error "
                f'"type must be tuple of ints,but got {kind}"'
            )
    size = tuple(int(n) for n in size)  # (a bool counts as the int it is)
    for n in size:  # the sizes' values once their types all passed, as PyTorch checks
        if n < 0:
            if name == "zeros":
                raise RuntimeError("zeros: Dimension size must be non-negative.")
            raise RuntimeError(f"Trying to create tensor with negative dimension {n}: {list(size)}")
    return size


def _float_dtype(dtype: Any) -> np.dtype:
    return _F32 if dtype is None else _dtypes.to_numpy_dtype(dtype)


def zeros(*size: Any, dtype: Any = None, device: Any = None, requires_grad: bool = False) -> Tensor:
    """A tensor of zeros of the given size (float32 unless ``dtype`` says otherwise)."""
    data = np.zeros(_size(size, "zeros"), _float_dtype(dtype))
    return _finish(data, None, requires_grad, device, "zeros")


def ones(*size: Any, dtype: Any = None, device: Any = None, requires_grad: bool = False) -> Tensor:
    """A tensor of ones of the given size."""
    data = np.ones(_size(size, "ones"), _float_dtype(dtype))
    return _finish(data, None, requires_grad, device, "ones")


def empty(*size: Any, dtype: Any = None, device: Any = None, requires_grad: bool = False) -> Tensor:
    """A tensor of the given size. Unlike PyTorch's, its elements are zeros, not garbage."""
    data = np.zeros(_size(size, "empty"), _float_dtype(dtype))
    return _finish(data, None, requires_grad, device, "empty")


def full(
    size: Sequence[int],
    fill_value: float,
    *,
    dtype: Any = None,
    device: Any = None,
    requires_grad: bool = False,
) -> Tensor:
    """A tensor of the given size filled with ``fill_value`` (whose type sets the dtype)."""
    np_dtype = _scalar.dtype_of(fill_value) if dtype is None else _dtypes.to_numpy_dtype(dtype)
    shape = _size((size,), "full")
    return _finish(
        np.full(shape, _scalar.fill(fill_value, np_dtype, math.prod(shape) != 1), np_dtype),
        None,
        requires_grad,
        device,
        "full",
    )


def _like(fill: Any, input: Tensor, dtype: Any, requires_grad: bool, device: Any) -> Tensor:
    np_dtype = input._data.dtype if dtype is None else _dtypes.to_numpy_dtype(dtype)
    value = _scalar.fill(fill, np_dtype, input._data.size != 1)
    return _finish(np.full(input._data.shape, value, np_dtype), None, requires_grad, device)


def zeros_like(
    input: Tensor, *, dtype: Any = None, device: Any = None, requires_grad: bool = False
) -> Tensor:
    """Zeros of ``input``'s shape and dtype."""
    return _like(0, input, dtype, requires_grad, device)


def ones_like(
    input: Tensor, *, dtype: Any = None, device: Any = None, requires_grad: bool = False
) -> Tensor:
    """Ones of ``input``'s shape and dtype."""
    return _like(1, input, dtype, requires_grad, device)


def full_like(
    input: Tensor,
    fill_value: float,
    *,
    dtype: Any = None,
    device: Any = None,
    requires_grad: bool = False,
) -> Tensor:
    """``fill_value`` in ``input``'s shape and dtype."""
    return _like(fill_value, input, dtype, requires_grad, device)


def empty_like(
    input: Tensor, *, dtype: Any = None, device: Any = None, requires_grad: bool = False
) -> Tensor:
    """Zeros of ``input``'s shape and dtype (see :func:`empty`)."""
    return _like(0, input, dtype, requires_grad, device)


def randn(*size: Any, dtype: Any = None, device: Any = None, requires_grad: bool = False) -> Tensor:
    """Samples from the standard normal distribution, from minimodel's seeded generator.

    Example::

        >>> _ = minimodel.manual_seed(0)
        >>> minimodel.randn(2, 3).shape
        minimodel.Size([2, 3])
    """
    check_device(device)  # before drawing: a refused call leaves the generator as it was
    np_dtype = _float_dtype(dtype)
    data = (
        generator()
        .standard_normal(_size(size, "randn"), dtype=np.float64)
        .astype(np_dtype, copy=False)
    )
    return _finish(data, None, requires_grad, device)


def rand(*size: Any, dtype: Any = None, device: Any = None, requires_grad: bool = False) -> Tensor:
    """Samples from the uniform distribution on ``[0, 1)``."""
    check_device(device)  # before drawing: a refused call leaves the generator as it was
    np_dtype = _float_dtype(dtype)
    data = generator().random(_size(size, "rand"), dtype=np.float64).astype(np_dtype, copy=False)
    return _finish(data, None, requires_grad, device)


# randint(high, size) and randint(low, high, size), as PyTorch's stubs write them; size may be
# passed by name after high alone.
@overload
def randint(
    high: int, size: Sequence[int], /, *, dtype: Any = None, device: Any = None
) -> Tensor: ...
@overload
def randint(
    high: int, /, *, size: Sequence[int], dtype: Any = None, device: Any = None
) -> Tensor: ...
@overload
def randint(
    low: int, high: int, size: Sequence[int], *, dtype: Any = None, device: Any = None
) -> Tensor: ...
def randint(
    low: int,
    high: int | Sequence[int] | None = None,
    size: Sequence[int] = (),
    *,
    dtype: Any = None,
    device: Any = None,
) -> Tensor:
    """Random integers in ``[low, high)`` (``randint(high, size)`` starts at 0)."""
    check_device(device)
    if high is None or (isinstance(high, tuple | list) and not size):
        # randint(high, size): the arguments shift left, as in PyTorch's first signature.
        shape = size if high is None else high
        low, high, size = 0, low, shape
    data = generator().integers(low, high, _size((size,), "randint"), dtype=np.int64)
    return _finish(data, dtype, False)


def randperm(n: int, *, dtype: Any = None, device: Any = None) -> Tensor:
    """A random permutation of ``0 .. n-1``."""
    check_device(device)
    return _finish(generator().permutation(n).astype(np.int64), dtype, False)


def arange(
    start: float,
    end: float | None = None,
    step: float = 1,
    *,
    dtype: Any = None,
    device: Any = None,
    requires_grad: bool = False,
) -> Tensor:
    """Values from ``start`` up to (not including) ``end`` by ``step``; int64 when all are ints.

    Example::

        >>> minimodel.arange(4)
        tensor([0, 1, 2, 3])
        >>> minimodel.arange(0, 1, 0.25)
        tensor([0.0000, 0.2500, 0.5000, 0.7500])
    """
    if end is None:
        start, end = 0, start
    if step == 0 or step != step:  # NaN too
        raise RuntimeError("step must be nonzero")
    if not (np.isfinite(start) and np.isfinite(end)):
        raise RuntimeError(f"unsupported range: {start} -> {end}")
    if (step > 0 and end < start) or (step < 0 and end > start):
        raise RuntimeError("upper bound and lower bound inconsistent with step sign")
    all_int = all(isinstance(v, int | np.integer) for v in (start, end, step))
    if dtype is None:
        np_dtype = np.dtype(np.int64) if all_int else _F32
    else:
        np_dtype = _dtypes.to_numpy_dtype(dtype)
    if np_dtype.kind == "b":
        raise NotImplementedError("\"arange_cpu\" not implemented for 'Bool'")
    if np_dtype.kind in "iu" and not all_int:
        data = _integer_arange(start, end, step, np_dtype)
    elif np_dtype.kind == "f":
        data = _float_arange(start, end, step, np_dtype)
    else:
        data = np.arange(start, end, step, dtype=np.int64)
    return _finish(data.astype(np_dtype), None, requires_grad, device)


# Elements per vector of PyTorch's x86 CPU kernels (256 bits), by dtype.
_LANES = {np.dtype(np.float16): 16, np.dtype(np.float32): 8, np.dtype(np.float64): 4}


def _float_arange(start: float, end: float, step: float, target: np.dtype) -> np.ndarray:
    """PyTorch's float ``arange`` on x86, to the last bit.

    Its kernel computes in float64 (float32 for float16) and fills the output a vector of
    :data:`_LANES` elements at a time, two vectors per round, then one element at a time for
    the rest. A vector starts from ``start + step * i`` rounded to the dtype, and its element
    ``j`` is that ``+ j * step``; one element alone is ``start + step * i``; each multiply-add
    fused. Beyond 32,768 elements PyTorch splits the range among its threads, each with its
    own rest: there the elements next to a split follow the one-thread pattern used here.
    """
    wide = np.dtype(np.float32) if target == np.float16 else np.dtype(np.float64)
    size = max(math.ceil((end - start) / step), 0)
    lanes = _LANES[target]
    vectors = size // (2 * lanes) * 2
    first, by = np.asarray(start, dtype=wide), np.asarray(step, dtype=wide)
    # One start per vector, rounded to the dtype; its elements a column each.
    starts = fma(by, np.arange(0, vectors * lanes, lanes, dtype=wide)[:, None], first)
    in_lanes = fma(np.arange(lanes, dtype=wide), by, starts.astype(target).astype(wide))
    rest = fma(by, np.arange(vectors * lanes, size, dtype=wide), first)
    return np.concatenate([in_lanes.reshape(-1), rest]).astype(target)


def _integer_arange(start: float, end: float, step: float, np_dtype: np.dtype) -> np.ndarray:
    """PyTorch's integer ``arange`` of float arguments: truncated to integers (the step too),
    with the length computed from the integers for int64 and from the floats otherwise."""
    first, last, by = int(start), int(end), int(step)
    if np_dtype == np.int64:
        if by == 0:
            raise ValueError("step must be nonzero")
        sign = (by > 0) - (by < 0)
        size = int((last - first + by - sign) / by)
    else:
        size = math.ceil((end - start) / step)
    return first + by * np.arange(max(size, 0), dtype=np.int64)


def linspace(
    start: float,
    end: float,
    steps: int,
    *,
    dtype: Any = None,
    device: Any = None,
    requires_grad: bool = False,
) -> Tensor:
    """``steps`` evenly spaced values from ``start`` to ``end`` inclusive.

    As PyTorch's CPU kernel computes them, to the last bit: ``start`` and ``end`` are first
    converted to ``dtype`` (so ``linspace(0.5, 9.9, 5, dtype=minimodel.int64)`` runs from 0 to
    9), the step is ``(end - start) / (steps - 1)``, and the first half of the values is
    ``start + step * i``, the second half ``end - step * (steps - 1 - i)``, each one multiply-add
    rounded once (the kernel is compiled with fused multiply-adds). Integer dtypes take the step
    and the values in float64, then truncate them.

    Example::

        >>> minimodel.linspace(0, 1, 5)
        tensor([0.0000, 0.2500, 0.5000, 0.7500, 1.0000])
        >>> minimodel.linspace(0.5, 9.9, 5, dtype=minimodel.int64)
        tensor([0, 2, 4, 6, 9])
    """
    if steps < 0:
        raise RuntimeError("number of steps must be non-negative")
    target = _float_dtype(dtype)
    if target.kind == "b":
        raise NotImplementedError("\"linspace_cpu\" not implemented for 'Bool'")
    return _finish(_linspace(start, end, steps, target), None, requires_grad, device)


def _linspace(start: float, end: float, steps: int, target: np.dtype) -> np.ndarray:
    # As PyTorch: no value converted for no step, a fill with start for one.
    if steps <= 1:
        return np.full(steps, _scalar.fill(start, target) if steps else 0, dtype=target)
    first, last = (_scalar.fill(x, target, half_checked=True) for x in (start, end))
    index = np.arange(steps)
    ahead = index < steps // 2  # counted from start; the others from end
    factor = np.where(ahead, index, steps - 1 - index)
    if target == np.float16:
        # PyTorch's Half converts an integer to float16, computes each operation in float32
        # and rounds its result to float16: nothing is fused.
        def half(x: Any) -> np.ndarray:
            return np.asarray(x, dtype=np.float32).astype(np.float16).astype(np.float32)

        low, high = half(first), half(last)
        step = half(half(high - low) / half(steps - 1))
        moved = half(step * half(factor))
        return np.where(ahead, low + moved, high - moved).astype(np.float16)
    compute = np.dtype(np.float64) if target.kind in "iu" else target
    low, high = np.asarray(first, dtype=compute), np.asarray(last, dtype=compute)
    step = (high - low) / compute.type(steps - 1)
    values = fma(np.where(ahead, step, -step), factor.astype(compute), np.where(ahead, low, high))
    return values.astype(target)


def eye(
    n: int,
    m: int | None = None,
    *,
    dtype: Any = None,
    device: Any = None,
    requires_grad: bool = False,
) -> Tensor:
    """The identity matrix (``n`` by ``m``)."""
    return _finish(np.eye(n, m, dtype=_float_dtype(dtype)), None, requires_grad, device)
