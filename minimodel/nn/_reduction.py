"""The ``reduction`` argument of the losses: ``'none'``, ``'mean'`` or ``'sum'``."""

from __future__ import annotations

import warnings


def get_reduction(reduction: str) -> str:
    """Check ``reduction`` and return it, raising PyTorch's ValueError for a bad one."""
    if reduction in ("none", "mean", "sum"):
        return reduction
    if reduction == "elementwise_mean":
        warnings.warn(
            "reduction='elementwise_mean' is deprecated. Please use reduction='mean' instead.",
            stacklevel=2,
        )
        return "mean"
    raise ValueError(f"{reduction} is not a valid value for reduction")


def legacy_get_string(size_average: bool | None, reduce: bool | None) -> str:
    """Turn PyTorch's deprecated ``size_average``/``reduce`` pair into a ``reduction`` string."""
    if size_average is None:
        size_average = True
    if reduce is None:
        reduce = True
    if size_average and reduce:
        ret = "mean"
    elif reduce:
        ret = "sum"
    else:
        ret = "none"
    warnings.warn(
        f"size_average and reduce args will be deprecated, please use reduction='{ret}' instead.",
        stacklevel=3,
    )
    return ret


def resolve(size_average: bool | None, reduce: bool | None, reduction: str) -> str:
    """The reduction to use: the legacy pair overrides ``reduction`` when either is given."""
    if size_average is not None or reduce is not None:
        return legacy_get_string(size_average, reduce)
    return reduction
