"""PyTorch's checks of memory overlap for in-place writes.

NumPy writes through any layout, buffering an operand that overlaps the output; PyTorch refuses
a write whose result would depend on the order of the element writes, when it can tell:
a written-to tensor whose elements share memory (an ``expand``), or an operand whose memory
meets the written-to tensor's without being exactly the same elements. These functions take
NumPy arrays, so that ``Tensor``, the indexing operations and the backward pass share them.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable

import numpy as np

INTERNAL_OVERLAP = (
    "unsupported operation: more than one element of the written-to tensor refers to a single "
    "memory location. Please clone() the tensor before performing the operation."
)
PARTIAL_OVERLAP = (
    "unsupported operation: some elements of the input tensor and the written-to tensor refer to "
    "a single memory location. Please clone() the tensor before performing the operation."
)
# Where PyTorch cannot tell (a tensor with gaps), it writes element by element, and an element
# written early may be read later; NumPy reads every input first. minimodel refuses rather than
# give another result.
ORDER_DEPENDENT = (
    "minimodel does not reproduce this in-place operation: some elements of the input tensor "
    "are elements the operation writes to, so PyTorch's result would depend on the order in "
    "which it writes them. Please clone() the input tensor before performing the operation."
)
# What PyTorch's index_put_ and masked_fill_ say, rather than refuse, for a written-to tensor
# whose elements share memory.
_DEPRECATED = {
    "index_put_": "tensor[indices] = tensor",
    "masked_fill_": "tensor[mask] = scalar",
}


def repeats(a: np.ndarray) -> bool:
    """Whether elements of ``a`` share memory: only expand() makes such tensors. An empty
    tensor has no element to share."""
    return a.size != 0 and any(s == 0 and n > 1 for n, s in zip(a.shape, a.strides, strict=True))


def check(
    data: np.ndarray,
    src: np.ndarray | None,
    broadcast: bool = False,
    copy: bool = False,
) -> None:
    """PyTorch's errors for writing into ``data`` from ``src`` (if any), as an element-wise
    in-place operation does.

    ``broadcast``: compare with ``src`` broadcast to ``data``'s shape; ``copy``: the operation
    copies ``src``, which PyTorch lets through at once when it holds the very same elements.
    """
    # A copy of exactly the same elements does nothing, so PyTorch allows it; but __setitem__
    # fills with a 0-d value, which PyTorch copies through an expand, checked as such.
    same_allowed = copy and not (broadcast and src is not None and src.ndim == 0 < data.ndim)
    if src is not None and broadcast and src.shape != data.shape:
        while src.ndim and src.shape[0] == 1:  # as PyTorch's __setitem__ does first
            src = src[0]
        try:
            src = np.broadcast_to(src, data.shape)
        except ValueError:
            src = None  # the operation reports the shapes
    if same_allowed and src is not None and _same_elements(data, src):
        return
    check_repeats(data)
    if src is None or src is data or not np.may_share_memory(data, src):
        return
    if _dense(data) and _dense(src):
        if not _same_elements(data, src):
            raise RuntimeError(PARTIAL_OVERLAP)
    elif _order_matters(_addresses(data), src):
        raise RuntimeError(ORDER_DEPENDENT)


def _order_matters(written: np.ndarray, src: np.ndarray) -> bool:
    """Whether an element of ``src`` (broadcast to the shape of ``written``, the addresses an
    operation writes, in order) is the memory of an element written other than the one it is
    combined with: then the order of the writes matters."""
    while src.ndim > written.ndim and src.shape[0] == 1:  # as PyTorch's __setitem__ does first
        src = src[0]
    try:
        read = _addresses(np.broadcast_to(src, written.shape))
    except ValueError:
        return False  # the operation reports the shapes
    return bool((np.isin(read, written) & (read != written)).any())


def _addresses(a: np.ndarray) -> np.ndarray:
    start = a.__array_interface__["data"][0]
    offsets = np.zeros(a.shape, dtype=np.int64)
    for axis, stride in enumerate(a.strides):
        shape = [1] * a.ndim
        shape[axis] = a.shape[axis]
        offsets = offsets + (np.arange(a.shape[axis]) * stride).reshape(shape)
    return start + offsets


def check_repeats(data: np.ndarray, deprecated: tuple[str, ...] = (), stacklevel: int = 2) -> None:
    """PyTorch's error, or the deprecation warnings of ``deprecated`` (``stacklevel`` as seen
    from the caller), for writing into a ``data`` whose elements share memory."""
    if not repeats(data):
        return
    if not deprecated:
        raise RuntimeError(INTERNAL_OVERLAP)
    for op in deprecated:
        warnings.warn(
            f"Use of {op} on expanded tensors is deprecated. Please clone() the tensor before "
            "performing this operation. This also applies to advanced indexing e.g. "
            f"{_DEPRECATED[op]}",
            UserWarning,
            stacklevel=stacklevel + 1,
        )


def check_disjoint(
    data: np.ndarray, src: np.ndarray, select: Callable[[np.ndarray], np.ndarray]
) -> None:
    """PyTorch's error for an operand whose memory meets the written-to tensor's at all (even
    exactly), when both are dense: what ``index_put_`` checks, ``select`` picking the elements
    it writes from an array of ``data``'s shape. Otherwise minimodel's, if the order of the
    writes matters (see ``ORDER_DEPENDENT``)."""
    if not np.may_share_memory(data, src):
        return
    if _dense(data) and _dense(src):
        raise RuntimeError(PARTIAL_OVERLAP)
    try:
        written = select(_addresses(data))
    except IndexError:
        return  # the operation reports the index
    if _order_matters(written, src):
        raise RuntimeError(ORDER_DEPENDENT)


def _same_elements(a: np.ndarray, b: np.ndarray) -> bool:
    # PyTorch's test: the same memory, walked with the same strides (its shapes may differ).
    # The strides of dimensions of size 1 are left out: NumPy and PyTorch pick different ones.
    return (
        a.__array_interface__["data"][0] == b.__array_interface__["data"][0]
        and a.ndim == b.ndim
        and a.size == b.size
        and _layout(a) == _layout(b)
    )


def _layout(a: np.ndarray) -> list[int]:
    return [s for n, s in zip(a.shape, a.strides, strict=True) if n != 1]


def _dense(a: np.ndarray) -> bool:
    """Whether ``a``'s elements fill a block of memory without gaps or repeats, in any order."""
    expected = a.itemsize
    for stride, n in sorted((s, n) for s, n in zip(a.strides, a.shape, strict=True) if n != 1):
        if stride != expected:
            return False
        expected *= n
    return True
