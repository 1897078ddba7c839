"""Parameters as one flat vector and back, as ``torch.nn.utils`` does it."""

from __future__ import annotations

from collections.abc import Iterable

from ..._typename import typename
from ...ops.join import cat
from ...tensor import Tensor

__all__ = ["parameters_to_vector", "vector_to_parameters"]


def parameters_to_vector(parameters: Iterable[Tensor]) -> Tensor:
    """All ``parameters`` flattened and concatenated into one vector.

    Example::

        >>> layer = minimodel.nn.Linear(3, 2)
        >>> minimodel.nn.utils.parameters_to_vector(layer.parameters()).shape
        minimodel.Size([8])
    """
    return cat([p.view(-1) for p in parameters])


def vector_to_parameters(vec: Tensor, parameters: Iterable[Tensor]) -> None:
    """Give each of ``parameters`` its consecutive slice of ``vec`` (the inverse of
    :func:`parameters_to_vector`). Each parameter's ``.data`` becomes a view of ``vec``.

    Example::

        >>> layer = minimodel.nn.Linear(3, 2)
        >>> minimodel.nn.utils.vector_to_parameters(minimodel.zeros(8), layer.parameters())
        >>> layer.bias
        Parameter containing:
        tensor([0., 0.], requires_grad=True)
    """
    if not isinstance(vec, Tensor):
        raise TypeError(f"expected minimodel.Tensor, but got: {typename(vec)}")
    pointer = 0
    for param in parameters:
        count = param.numel()
        param.data = vec[pointer : pointer + count].view_as(param).data
        pointer += count
