"""PyTorch's checks of memory overlap for in-place writes.

NumPy writes through any layout, buffering an operand that overlaps the output; PyTorch refuses
a write whose result would depend on the order of the element writes, when it can tell:
a written-to tensor whose elements share memory (an ``expand``), or an operand whose memory
meets the written-to tensor's without being exactly the same elements. These functions take
NumPy arrays, so that ``Tensor``, the indexing operations and the backward pass share them.
"""

from __future__ import annotations

import warnings

import numpy as np

INTERNAL_OVERLAP = (
    "unsupported operation: more than one element of the written-to tensor refers to a single "
    "memory location. Please clone() the tensor before performing the operation."
)
PARTIAL_OVERLAP = (
    "unsupported operation: some elements of the input tensor and the written-to tensor refer to "
    "a single memory location. Please clone() the tensor before performing the operation."
)
# What PyTorch's index_put_ and masked_fill_ say, rather than refuse, for a written-to tensor
# whose elements share memory.
_DEPRECATED = {
    "index_put_": "tensor[indices] = tensor",
    "masked_fill_": "tensor[mask] = scalar",
}


def repeats(a: np.ndarray) -> bool:
    """Whether elements of ``a`` share memory: only expand() makes such tensors."""
    return any(s == 0 and n > 1 for n, s in zip(a.shape, a.strides, strict=True))


def check(
    data: np.ndarray,
    src: np.ndarray | None,
    broadcast: bool = False,
    copy: bool = False,
    deprecated: tuple[str, ...] = (),
    stacklevel: int = 3,
) -> None:
    """PyTorch's errors for writing into ``data`` from ``src`` (if any), as an element-wise
    in-place operation does.

    ``broadcast``: compare with ``src`` broadcast to ``data``'s shape; ``copy``: the operation
    copies ``src``, which PyTorch lets through at once when it holds the very same elements;
    ``deprecated``: the operations that warn instead of refusing a ``data`` with repeated
    elements, at ``stacklevel`` as seen from the caller (the user's line, through an in-place
    method and ``Tensor._write``).
    """
    if src is not None and broadcast and src.shape != data.shape:
        while src.ndim and src.shape[0] == 1:  # as PyTorch's __setitem__ does first
            src = src[0]
        try:
            src = np.broadcast_to(src, data.shape)
        except ValueError:
            src = None  # the operation reports the shapes
    if copy and src is not None and _same_elements(data, src):
        return
    check_repeats(data, deprecated, stacklevel + 1)
    if src is None or src is data or not np.may_share_memory(data, src):
        return
    if _dense(data) and _dense(src) and not _same_elements(data, src):
        raise RuntimeError(PARTIAL_OVERLAP)


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


def check_disjoint(data: np.ndarray, src: np.ndarray) -> None:
    """PyTorch's error for an operand whose memory meets the written-to tensor's at all (even
    exactly), when both are dense: what ``index_put_`` checks."""
    if np.may_share_memory(data, src) and _dense(data) and _dense(src):
        raise RuntimeError(PARTIAL_OVERLAP)


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
