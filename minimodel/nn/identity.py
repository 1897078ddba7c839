"""``Identity``: a placeholder layer that returns its input."""

from __future__ import annotations

from typing import Any

from ..tensor import Tensor
from .module import Module

__all__ = ["Identity"]


class Identity(Module):
    r"""A placeholder identity operator that is argument-insensitive.

    Useful to switch a layer off without changing the model's structure.

    Args:
        args: any argument (unused).
        kwargs: any keyword argument (unused).

    Example::

        >>> x = minimodel.randn(2, 3)
        >>> Identity(54, unused_argument=0.1)(x) is x
        True
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__()

    def forward(self, input: Tensor) -> Tensor:
        return input
