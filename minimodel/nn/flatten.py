"""``Flatten``: merge a range of dimensions into one."""

from __future__ import annotations

from ..tensor import Tensor
from .module import Module

__all__ = ["Flatten"]


class Flatten(Module):
    r"""Flatten a contiguous range of dimensions into one.

    The default keeps the batch dimension: ``(N, *dims)`` becomes ``(N, prod(dims))``.

    Args:
        start_dim: first dim to flatten. Default: 1.
        end_dim: last dim to flatten. Default: -1.

    Example::

        >>> Flatten()(minimodel.zeros(32, 1, 5, 5)).shape
        minimodel.Size([32, 25])
    """

    def __init__(self, start_dim: int = 1, end_dim: int = -1) -> None:
        super().__init__()
        self.start_dim = start_dim
        self.end_dim = end_dim

    def forward(self, input: Tensor) -> Tensor:
        return input.flatten(self.start_dim, self.end_dim)

    def extra_repr(self) -> str:
        return f"start_dim={self.start_dim}, end_dim={self.end_dim}"
