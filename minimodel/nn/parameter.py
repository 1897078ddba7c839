"""``Parameter``: a Tensor marked as a learnable weight of a Module."""

from __future__ import annotations

from typing import Any

import numpy as np

from ..tensor import Tensor

__all__ = ["Parameter"]


class Parameter(Tensor):
    r"""A kind of Tensor that is to be considered a module parameter.

    Parameters are :class:`~minimodel.Tensor` subclasses with one special property: when
    assigned as an attribute of a :class:`~minimodel.nn.Module` they are registered as its
    parameters and appear in :meth:`~minimodel.nn.Module.parameters`. Assigning a plain Tensor has
    no such effect, so a module can cache temporary tensors without them becoming weights.

    The new Parameter shares the array of ``data``: writing to one writes to the other.
    Operations on a Parameter return plain Tensors.

    Args:
        data (Tensor): parameter tensor. Default: an empty float32 tensor.
        requires_grad (bool, optional): if the parameter requires gradient. ``no_grad`` does not
            change this default. Default: ``True``.

    Example::

        >>> w = Parameter(minimodel.zeros(2))
        >>> w
        Parameter containing:
        tensor([0., 0.], requires_grad=True)
        >>> (w * 2).requires_grad, type(w * 2).__name__
        (True, 'Tensor')
    """

    __slots__ = ()

    def __new__(cls, data: Tensor | None = None, requires_grad: bool = True) -> Parameter:
        if data is None:
            data = Tensor._wrap(np.empty(0, dtype=np.float32))
        # As in PyTorch, anything that is not a tensor fails here with an AttributeError
        # ("'numpy.ndarray' object has no attribute 'detach'").
        array = data.detach()._data
        if requires_grad and array.dtype.kind != "f":
            raise RuntimeError(
                "Only Tensors of floating point and complex dtype can require gradients"
            )
        # Tensor._wrap would call this __new__ again; build the shell the way it does.
        self = super().__new__(cls)
        self._data = array
        self._grad = None
        self._version_counter = None
        self._view = None
        self.grad_fn = None
        self.requires_grad = bool(requires_grad)
        return self

    def __init__(self, data: Tensor | None = None, requires_grad: bool = True) -> None:
        # Everything happens in __new__; this stops Tensor.__init__ from running again.
        pass

    def __repr__(self) -> str:
        return "Parameter containing:\n" + super().__repr__()

    def __deepcopy__(self, memo: dict[int, Any]) -> Parameter:
        # A copy gets its own array and, as in PyTorch, no gradient.
        if id(self) in memo:
            return memo[id(self)]
        result = type(self)(Tensor._wrap(self._data.copy()), self.requires_grad)
        memo[id(self)] = result
        return result
