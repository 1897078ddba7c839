"""``Size``: the shape of a tensor, a tuple that prints like ``torch.Size``."""

from __future__ import annotations

import math
from typing import SupportsIndex, overload


class Size(tuple[int, ...]):
    """The shape of a tensor: a tuple of ints.

    Example::

        >>> minimodel.zeros(2, 3).shape
        minimodel.Size([2, 3])
    """

    __slots__ = ()

    def __repr__(self) -> str:
        return f"minimodel.Size({list(self)})"

    def numel(self) -> int:
        """The number of elements a tensor of this shape holds."""
        return math.prod(self)

    @overload
    def __getitem__(self, key: SupportsIndex) -> int: ...
    @overload
    def __getitem__(self, key: slice) -> Size: ...
    def __getitem__(self, key: SupportsIndex | slice) -> int | Size:
        if isinstance(key, slice):
            return Size(super().__getitem__(key))
        return super().__getitem__(key)

    def __add__(self, other: tuple) -> Size:
        return Size(tuple(self) + tuple(other))
