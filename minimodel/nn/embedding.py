"""``Embedding``: a learnable lookup table from integer indices to vectors."""

from __future__ import annotations

from typing import Any

from ..autograd import no_grad
from ..creation import empty
from ..tensor import Tensor
from . import functional as F
from . import init
from ._layer_functional import _padding_index
from .module import Module
from .parameter import Parameter

__all__ = ["Embedding"]


class Embedding(Module):
    r"""A table of ``num_embeddings`` vectors of size ``embedding_dim``, looked up by index.

    The weight starts as draws from the standard normal distribution, with the
    ``padding_idx`` row set to zeros; that row gets no gradient.

    Args:
        num_embeddings: the size of the table.
        embedding_dim: the size of each vector.
        padding_idx: a row that stays fixed (zeros at first) and gets no gradient.
        max_norm: rows looked up whose norm exceeds it are rescaled to it (in place).
        norm_type: the p of the p-norm for ``max_norm``. Default: 2.
        scale_grad_by_freq: divide gradients by the frequency of each index in the batch.
        sparse: sparse gradients; not supported (minimodel has no sparse tensors).
        device: accepted for compatibility; only ``"cpu"`` (or None).
        dtype: the weight's dtype (float32 by default).

    Example::

        >>> emb = Embedding(10, 3, padding_idx=0)
        >>> emb(minimodel.tensor([[0, 2], [4, 0]])).shape
        minimodel.Size([2, 2, 3])
        >>> emb.weight[0]
        tensor([0., 0., 0.], grad_fn=<SelectBackward0>)
    """

    def __init__(
        self,
        num_embeddings: int,
        embedding_dim: int,
        padding_idx: int | None = None,
        max_norm: float | None = None,
        norm_type: float = 2.0,
        scale_grad_by_freq: bool = False,
        sparse: bool = False,
        _weight: Tensor | None = None,
        _freeze: bool = False,
        device: Any = None,
        dtype: Any = None,
    ) -> None:
        super().__init__()
        if sparse:
            raise NotImplementedError("minimodel has no sparse tensors: use sparse=False")
        self.num_embeddings = num_embeddings
        self.embedding_dim = embedding_dim
        self.padding_idx = _padding_index(padding_idx, num_embeddings)
        self.max_norm = max_norm
        self.norm_type = norm_type
        self.scale_grad_by_freq = scale_grad_by_freq
        self.sparse = sparse
        if _weight is None:
            weight = empty((num_embeddings, embedding_dim), device=device, dtype=dtype)
            self.weight = Parameter(weight, requires_grad=not _freeze)
            self.reset_parameters()
        else:
            if list(_weight.shape) != [num_embeddings, embedding_dim]:
                raise AssertionError(
                    "Shape of weight does not match num_embeddings and embedding_dim"
                )
            self.weight = Parameter(_weight, requires_grad=not _freeze)

    def reset_parameters(self) -> None:
        """Draw the weight from the standard normal distribution; zero the padding row."""
        init.normal_(self.weight)
        if self.padding_idx is not None:
            with no_grad():
                self.weight[self.padding_idx].fill_(0)

    def forward(self, input: Tensor) -> Tensor:
        return F.embedding(
            input,
            self.weight,
            self.padding_idx,
            self.max_norm,
            self.norm_type,
            self.scale_grad_by_freq,
            self.sparse,
        )

    def extra_repr(self) -> str:
        s = f"{self.num_embeddings}, {self.embedding_dim}"
        if self.padding_idx is not None:
            s += f", padding_idx={self.padding_idx}"
        if self.max_norm is not None:
            s += f", max_norm={self.max_norm}"
        if self.norm_type != 2:
            s += f", norm_type={self.norm_type}"
        if self.scale_grad_by_freq is not False:
            s += ", scale_grad_by_freq=True"
        return s

    @classmethod
    def from_pretrained(
        cls,
        embeddings: Tensor,
        freeze: bool = True,
        padding_idx: int | None = None,
        max_norm: float | None = None,
        norm_type: float = 2.0,
        scale_grad_by_freq: bool = False,
        sparse: bool = False,
    ) -> Embedding:
        r"""An Embedding whose weight is ``embeddings`` (a 2-D tensor), frozen unless ``freeze``
        is False.

        Args:
            embeddings: the weight, of shape ``(num_embeddings, embedding_dim)``.
            freeze: keep the weight fixed (``requires_grad=False``). Default: True.
            padding_idx: see :class:`Embedding`.
            max_norm: see :class:`Embedding`.
            norm_type: see :class:`Embedding`.
            scale_grad_by_freq: see :class:`Embedding`.
            sparse: see :class:`Embedding`.

        Example::

            >>> emb = Embedding.from_pretrained(minimodel.tensor([[1.0, 2.0], [3.0, 4.0]]))
            >>> emb(minimodel.tensor([1]))
            tensor([[3., 4.]])
        """
        if embeddings.dim() != 2:
            raise AssertionError("Embeddings parameter is expected to be 2-dimensional")
        rows, cols = embeddings.shape
        return cls(
            num_embeddings=rows,
            embedding_dim=cols,
            _weight=embeddings,
            _freeze=freeze,
            padding_idx=padding_idx,
            max_norm=max_norm,
            norm_type=norm_type,
            scale_grad_by_freq=scale_grad_by_freq,
            sparse=sparse,
        )
