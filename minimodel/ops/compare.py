"""Elementwise comparisons (``== != < <= > >=``), which give bool tensors and no gradient.

:class:`CompareMixin` holds them as methods and operators of :class:`~minimodel.Tensor`.
"""

from __future__ import annotations

from numbers import Number
from typing import TYPE_CHECKING, Any

import numpy as np

from ._util import common_operands, wrap_int
from .arith import _broadcast_error

if TYPE_CHECKING:
    from ..tensor import Tensor
else:
    Tensor = None  # set by minimodel.tensor once the class exists (see ops/__init__.py)


def _compare(input: Tensor, other: Any, ufunc: np.ufunc) -> Tensor:
    a = input._data
    if isinstance(other, Tensor):
        a, b = common_operands(a, other._data)
    elif isinstance(other, Number):
        b = wrap_int(a, other)
    elif isinstance(other, np.ndarray):
        b = other
    else:
        # Python then answers ``t == None`` with False and raises TypeError for ``t < 'a'``.
        return NotImplemented
    try:
        return Tensor._wrap(np.asarray(ufunc(a, b)))
    except ValueError:
        raise _broadcast_error(a, b) from None


class CompareMixin:
    """The comparisons of :class:`~minimodel.Tensor`: each named form (``t.eq(x)``) is its
    operator (``t == x``), and both broadcast."""

    __slots__ = ()

    def eq(self: Tensor, other: Tensor | float) -> Tensor:  # type: ignore[misc]
        """``input == other`` elementwise, as a bool tensor.

        Example::

            >>> minimodel.tensor([1, 2, 3]) == 2
            tensor([False,  True, False])
        """
        return _compare(self, other, np.equal)

    __eq__ = eq  # type: ignore[assignment]

    def ne(self: Tensor, other: Tensor | float) -> Tensor:  # type: ignore[misc]
        """``input != other`` elementwise, as a bool tensor.

        Example::

            >>> minimodel.tensor([1, 2, 3]).ne(2)
            tensor([ True, False,  True])
        """
        return _compare(self, other, np.not_equal)

    __ne__ = ne  # type: ignore[assignment]

    def lt(self: Tensor, other: Tensor | float) -> Tensor:  # type: ignore[misc]
        """``input < other`` elementwise, as a bool tensor.

        Example::

            >>> minimodel.tensor([1, 2, 3]) < 2
            tensor([ True, False, False])
        """
        return _compare(self, other, np.less)

    __lt__ = lt

    def le(self: Tensor, other: Tensor | float) -> Tensor:  # type: ignore[misc]
        """``input <= other`` elementwise, as a bool tensor.

        Example::

            >>> minimodel.tensor([1, 2, 3]) <= 2
            tensor([ True,  True, False])
        """
        return _compare(self, other, np.less_equal)

    __le__ = le

    def gt(self: Tensor, other: Tensor | float) -> Tensor:  # type: ignore[misc]
        """``input > other`` elementwise, as a bool tensor.

        Example::

            >>> minimodel.tensor([1, 2, 3]) > minimodel.tensor([3, 2, 1])
            tensor([False, False,  True])
        """
        return _compare(self, other, np.greater)

    __gt__ = gt

    def ge(self: Tensor, other: Tensor | float) -> Tensor:  # type: ignore[misc]
        """``input >= other`` elementwise, as a bool tensor.

        Example::

            >>> minimodel.tensor([1, 2, 3]) >= 2
            tensor([False,  True,  True])
        """
        return _compare(self, other, np.greater_equal)

    __ge__ = ge
