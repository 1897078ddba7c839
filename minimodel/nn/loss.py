"""Loss layers: ``MSELoss``, ``CrossEntropyLoss``, ``NLLLoss``, ``BCEWithLogitsLoss``, ``L1Loss``,
``BCELoss``, ``HuberLoss``, ``SmoothL1Loss``.

Each holds its options and calls the function of the same name in
:mod:`minimodel.nn.functional`. An invalid ``reduction`` is reported when the loss is called,
as in PyTorch.

Difference from PyTorch: the ``weight`` and ``pos_weight`` tensors are plain attributes, not
buffers, so they do not appear in ``state_dict()``.
"""

from __future__ import annotations

from ..tensor import Tensor
from . import _reduction
from . import functional as F
from .module import Module

__all__ = [
    "BCELoss",
    "BCEWithLogitsLoss",
    "CrossEntropyLoss",
    "HuberLoss",
    "L1Loss",
    "MSELoss",
    "NLLLoss",
    "SmoothL1Loss",
]


class _Loss(Module):
    reduction: str

    def __init__(
        self, size_average: bool | None = None, reduce: bool | None = None, reduction: str = "mean"
    ) -> None:
        super().__init__()
        self.reduction = _reduction.resolve(size_average, reduce, reduction)


class _WeightedLoss(_Loss):
    def __init__(
        self,
        weight: Tensor | None = None,
        size_average: bool | None = None,
        reduce: bool | None = None,
        reduction: str = "mean",
    ) -> None:
        super().__init__(size_average, reduce, reduction)
        self.weight = weight


class MSELoss(_Loss):
    r"""Mean squared error between each element of the input and the target.

    Args:
        reduction: ``'mean'`` (default), ``'sum'`` or ``'none'``.

    Example::

        >>> loss_fn = MSELoss(reduction="sum")
        >>> loss_fn(minimodel.tensor([1.0, 2.0]), minimodel.tensor([0.0, 0.0]))
        tensor(5.)
    """

    def forward(self, input: Tensor, target: Tensor) -> Tensor:
        return F.mse_loss(input, target, reduction=self.reduction)


class CrossEntropyLoss(_WeightedLoss):
    r"""Cross entropy between logits and class indices or class probabilities.

    Args:
        weight: optional weight of each class, shape ``(C)``.
        ignore_index: a target class index to leave out. Default: -100.
        reduction: ``'mean'`` (default), ``'sum'`` or ``'none'``.
        label_smoothing: in ``[0, 1]``; mixes the target with the uniform distribution.

    Example::

        >>> loss_fn = CrossEntropyLoss()
        >>> loss_fn(minimodel.zeros(3, 5), minimodel.tensor([1, 0, 4]))
        tensor(1.6094)
    """

    def __init__(
        self,
        weight: Tensor | None = None,
        size_average: bool | None = None,
        ignore_index: int = -100,
        reduce: bool | None = None,
        reduction: str = "mean",
        label_smoothing: float = 0.0,
    ) -> None:
        super().__init__(weight, size_average, reduce, reduction)
        self.ignore_index = ignore_index
        self.label_smoothing = label_smoothing

    def forward(self, input: Tensor, target: Tensor) -> Tensor:
        return F.cross_entropy(
            input,
            target,
            weight=self.weight,
            ignore_index=self.ignore_index,
            reduction=self.reduction,
            label_smoothing=self.label_smoothing,
        )


class NLLLoss(_WeightedLoss):
    r"""Negative log likelihood of class indices, for log-probabilities (``LogSoftmax``).

    Args:
        weight: optional weight of each class, shape ``(C)``.
        ignore_index: a target class index to leave out. Default: -100.
        reduction: ``'mean'`` (default), ``'sum'`` or ``'none'``.

    Example::

        >>> NLLLoss()(minimodel.tensor([[-1.0, -2.0]]), minimodel.tensor([0]))
        tensor(1.)
    """

    def __init__(
        self,
        weight: Tensor | None = None,
        size_average: bool | None = None,
        ignore_index: int = -100,
        reduce: bool | None = None,
        reduction: str = "mean",
    ) -> None:
        super().__init__(weight, size_average, reduce, reduction)
        self.ignore_index = ignore_index

    def forward(self, input: Tensor, target: Tensor) -> Tensor:
        return F.nll_loss(
            input,
            target,
            weight=self.weight,
            ignore_index=self.ignore_index,
            reduction=self.reduction,
        )


class BCEWithLogitsLoss(_Loss):
    r"""Binary cross entropy on logits (a sigmoid and ``BCELoss`` in one stable step).

    Args:
        weight: optional rescaling weight of each element (broadcast).
        reduction: ``'mean'`` (default), ``'sum'`` or ``'none'``.
        pos_weight: optional weight of positive examples, per class (broadcast).

    Example::

        >>> BCEWithLogitsLoss()(minimodel.tensor([0.0]), minimodel.tensor([1.0]))
        tensor(0.6931)
    """

    def __init__(
        self,
        weight: Tensor | None = None,
        size_average: bool | None = None,
        reduce: bool | None = None,
        reduction: str = "mean",
        pos_weight: Tensor | None = None,
    ) -> None:
        super().__init__(size_average, reduce, reduction)
        self.weight = weight
        self.pos_weight = pos_weight

    def forward(self, input: Tensor, target: Tensor) -> Tensor:
        return F.binary_cross_entropy_with_logits(
            input,
            target,
            self.weight,
            pos_weight=self.pos_weight,
            reduction=self.reduction,
        )


class L1Loss(_Loss):
    r"""Mean absolute error between each element of the input and the target.

    Args:
        reduction: ``'mean'`` (default), ``'sum'`` or ``'none'``.

    Example::

        >>> L1Loss()(minimodel.tensor([1.0, -3.0]), minimodel.tensor([0.0, 0.0]))
        tensor(2.)
    """

    def forward(self, input: Tensor, target: Tensor) -> Tensor:
        return F.l1_loss(input, target, reduction=self.reduction)


class BCELoss(_WeightedLoss):
    r"""Binary cross entropy between probabilities (for example after ``Sigmoid``) and targets.

    Prefer :class:`BCEWithLogitsLoss` on logits: it is stable for any value.

    Args:
        weight: optional rescaling weight of each element (broadcast).
        reduction: ``'mean'`` (default), ``'sum'`` or ``'none'``.

    Example::

        >>> BCELoss()(minimodel.tensor([0.5]), minimodel.tensor([1.0]))
        tensor(0.6931)
    """

    def forward(self, input: Tensor, target: Tensor) -> Tensor:
        return F.binary_cross_entropy(input, target, weight=self.weight, reduction=self.reduction)


class HuberLoss(_Loss):
    r"""The Huber loss: quadratic for errors below ``delta``, linear above.

    Args:
        reduction: ``'mean'`` (default), ``'sum'`` or ``'none'``.
        delta: where the loss turns from quadratic to linear; positive. Default: 1.

    Example::

        >>> HuberLoss(reduction="sum")(minimodel.tensor([0.5, 3.0]), minimodel.zeros(2))
        tensor(2.6250)
    """

    def __init__(self, reduction: str = "mean", delta: float = 1.0) -> None:
        super().__init__(reduction=reduction)
        self.delta = delta

    def forward(self, input: Tensor, target: Tensor) -> Tensor:
        return F.huber_loss(input, target, reduction=self.reduction, delta=self.delta)


class SmoothL1Loss(_Loss):
    r"""The smooth L1 loss: ``0.5 * d**2 / beta`` for errors below ``beta``, ``|d| - beta / 2``
    above (the Huber loss divided by ``beta``).

    Args:
        reduction: ``'mean'`` (default), ``'sum'`` or ``'none'``.
        beta: where the loss turns from quadratic to linear; not negative. Default: 1.

    Example::

        >>> SmoothL1Loss(reduction="sum")(minimodel.tensor([0.5, 3.0]), minimodel.zeros(2))
        tensor(2.6250)
    """

    def __init__(
        self,
        size_average: bool | None = None,
        reduce: bool | None = None,
        reduction: str = "mean",
        beta: float = 1.0,
    ) -> None:
        super().__init__(size_average, reduce, reduction)
        self.beta = beta

    def forward(self, input: Tensor, target: Tensor) -> Tensor:
        return F.smooth_l1_loss(input, target, reduction=self.reduction, beta=self.beta)
