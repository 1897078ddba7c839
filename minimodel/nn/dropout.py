"""``Dropout``: zero random elements while training, the identity in ``eval()`` mode."""

from __future__ import annotations

from ..tensor import Tensor
from . import functional as F
from .module import Module

__all__ = ["Dropout"]


class Dropout(Module):
    r"""During training, zero each element of the input with probability ``p`` and scale the
    others by ``1 / (1 - p)``; in ``eval()`` mode, return the input unchanged.

    The mask is drawn from minimodel's global generator (see :func:`minimodel.manual_seed`).

    Args:
        p: the probability of zeroing an element. Default: 0.5.
        inplace: overwrite the input with the result. Default: ``False``.

    Example::

        >>> drop = Dropout(p=0.5)
        >>> x = minimodel.ones(4)
        >>> drop.eval()(x) is x
        True
        >>> _ = minimodel.manual_seed(0)
        >>> sorted(set(drop.train()(minimodel.ones(100)).tolist()))
        [0.0, 2.0]
    """

    def __init__(self, p: float = 0.5, inplace: bool = False) -> None:
        super().__init__()
        if p < 0 or p > 1:
            raise ValueError(f"dropout probability has to be between 0 and 1, but got {p}")
        self.p = p
        self.inplace = inplace

    def forward(self, input: Tensor) -> Tensor:
        return F.dropout(input, self.p, self.training, self.inplace)

    def extra_repr(self) -> str:
        return f"p={self.p}, inplace={self.inplace}"
