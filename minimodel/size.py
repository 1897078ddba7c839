"""``Size``: the shape of a tensor, a tuple that prints like ``torch.Size``."""

from __future__ import annotations

import math


class Size(tuple):
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

    def __getitem__(self, key):  # type: ignore[override]
        result = super().__getitem__(key)
        return Size(result) if isinstance(key, slice) else result

    def __add__(self, other: tuple) -> Size:  # type: ignore[override]
        return Size(tuple(self) + tuple(other))
