"""Tensor methods added for issue 12: the new operations as methods and operators, their
in-place variants, ``new_*`` factories, ``type_as`` and ``mT``.

Attached to :class:`~minimodel.Tensor` when minimodel is imported, as ``tensor.py`` attaches
the older operations.
"""

from __future__ import annotations

from typing import Any

from .creation import full, tensor
from .device import check_device
from .tensor import Tensor

__all__: list[str] = []


def _inplace_unary(fn: Any) -> Any:
    """The in-place variant of a unary operation ``fn`` (``exp_`` of ``exp``)."""

    def method(self: Tensor, *args: Any, **kwargs: Any) -> Tensor:
        # Tensor._write checks leaves, views, overlap and the result's dtype as PyTorch does.
        other = next((a for a in (*args, *kwargs.values()) if isinstance(a, Tensor)), None)
        return self._write(lambda old: fn(old, *args, **kwargs), other)

    method.__name__ = fn.__name__ + "_"
    method.__doc__ = f"In-place version of :meth:`{fn.__name__}`."
    return method


_INPLACE = {}


def _new_factory(fill: Any) -> Any:
    def method(
        self: Tensor,
        *size: Any,
        dtype: Any = None,
        device: Any = None,
        requires_grad: bool = False,
    ) -> Tensor:
        check_device(device)
        dims = tuple(size[0]) if len(size) == 1 and isinstance(size[0], tuple | list) else size
        return full(dims, fill, dtype=dtype or self.dtype, requires_grad=requires_grad)

    return method


def new_full(
    self: Tensor,
    size: Any,
    fill_value: float,
    *,
    dtype: Any = None,
    device: Any = None,
    requires_grad: bool = False,
) -> Tensor:
    """A tensor of ``size`` filled with ``fill_value``, of this tensor's dtype by default."""
    check_device(device)
    return full(tuple(size), fill_value, dtype=dtype or self.dtype, requires_grad=requires_grad)


def new_tensor(
    self: Tensor, data: Any, *, dtype: Any = None, device: Any = None, requires_grad: bool = False
) -> Tensor:
    """A tensor of ``data`` (copied), of this tensor's dtype by default."""
    check_device(device)
    return tensor(data, dtype=dtype or self.dtype, requires_grad=requires_grad)


def type_as(self: Tensor, other: Tensor) -> Tensor:
    """This tensor converted to ``other``'s dtype."""
    return self.to(other.dtype)


for _name, _fn in {
    "type_as": type_as,
    "new_full": new_full,
    "new_tensor": new_tensor,
    "new_zeros": _new_factory(0),
    "new_ones": _new_factory(1),
    "new_empty": _new_factory(0),
}.items():
    setattr(Tensor, _name, _fn)

for _name, _fn in _INPLACE.items():
    setattr(Tensor, _name + "_", _inplace_unary(_fn))
