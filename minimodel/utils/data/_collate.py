"""``default_collate`` and ``default_convert``: how a DataLoader turns samples into batches."""

from __future__ import annotations

import copy
from collections.abc import Mapping, MutableMapping, MutableSequence, Sequence
from typing import Any

import numpy as np

from ...creation import as_tensor, tensor
from ...dtype import float64
from ...ops.join import stack
from ...tensor import Tensor

__all__ = ["default_collate", "default_convert"]


def default_collate(batch: Sequence[Any]) -> Any:
    r"""Stack a list of samples into a batch, keeping the samples' structure.

    Tensors and NumPy arrays are stacked along a new first dimension; Python floats become a
    float64 tensor, ints an int64 tensor, bools a bool tensor; strings stay a list; dicts,
    tuples, lists and namedtuples are collated field by field.

    Args:
        batch: the samples of one batch.

    Example::

        >>> default_collate([(minimodel.tensor([1.0]), 0), (minimodel.tensor([2.0]), 1)])
        [tensor([[1.],
                [2.]]), tensor([0, 1])]
    """
    elem = batch[0]
    if isinstance(elem, Tensor):
        return stack(batch, 0)
    if isinstance(elem, np.ndarray | np.number | np.bool_):
        _check_numeric(elem)
        return stack([as_tensor(np.asarray(b)) for b in batch], 0)
    if isinstance(elem, float):
        return tensor(batch, dtype=float64)
    if isinstance(elem, bool | int):
        return tensor(batch)
    if isinstance(elem, str | bytes):
        return batch
    if isinstance(elem, Mapping):
        return _rebuilt_mapping(
            elem, {key: default_collate([d[key] for d in batch]) for key in elem}
        )
    if isinstance(elem, tuple) and hasattr(elem, "_fields"):  # namedtuple
        return type(elem)(*(default_collate(samples) for samples in zip(*batch, strict=True)))
    if isinstance(elem, Sequence):
        if any(len(sample) != len(elem) for sample in batch):
            raise RuntimeError("each element in list of batch should be of equal size")
        items = [default_collate(samples) for samples in zip(*batch, strict=True)]
        return items if isinstance(elem, tuple) else _rebuilt_sequence(elem, items)
    raise TypeError(_ERROR.format(type(elem)))


_ERROR = (
    "default_collate: batch must contain tensors, numpy arrays, numbers, dicts or lists; found {}"
)


def _check_numeric(elem: np.ndarray | np.generic) -> None:
    # PyTorch names the dtype of an array of strings, bytes or objects, which it cannot stack.
    if elem.dtype.kind in "SaUOV":
        raise TypeError(_ERROR.format(elem.dtype))
    if elem.dtype.kind not in "biuf":
        raise TypeError(
            f"minimodel has no dtype for NumPy's {elem.dtype} (it has no complex dtypes): "
            "convert the samples to a real dtype first"
        )


def _rebuilt_mapping(elem: Mapping, values: dict[Any, Any]) -> Any:
    """``values`` in a mapping of ``elem``'s type, as PyTorch rebuilds it: a copy of ``elem``
    (keeping a defaultdict's factory) updated, else the type called on them, else a dict."""
    try:
        if isinstance(elem, MutableMapping):
            clone = copy.copy(elem)
            clone.update(values)
            return clone
        return type(elem)(values)  # type: ignore[call-arg]
    except TypeError:
        return values


def _rebuilt_sequence(elem: Sequence, items: list[Any]) -> Any:
    """``items`` in a sequence of ``elem``'s type, as PyTorch rebuilds it (a list subclass
    stays one); a plain list where the type cannot be rebuilt (``range``)."""
    try:
        if isinstance(elem, MutableSequence):
            clone = copy.copy(elem)
            for i, item in enumerate(items):
                clone[i] = item
            return clone
        return type(elem)(items)  # type: ignore[call-arg]
    except TypeError:
        return items


def default_convert(data: Any) -> Any:
    r"""Turn NumPy arrays into tensors inside a sample, keeping everything else as it is.

    What a DataLoader with ``batch_size=None`` applies to each sample.

    Args:
        data: one sample.

    Example::

        >>> default_convert({"x": np.zeros(2)})
        {'x': tensor([0., 0.], dtype=minimodel.float64)}
    """
    if isinstance(data, Tensor):
        return data
    if isinstance(data, np.ndarray) and data.dtype.kind in "SaUOV":
        return data  # strings and objects stay as they are, as in PyTorch
    if isinstance(data, np.ndarray | np.number | np.bool_):
        _check_numeric(data)
        return as_tensor(np.asarray(data))
    if isinstance(data, Mapping):
        return _rebuilt_mapping(data, {key: default_convert(data[key]) for key in data})
    if isinstance(data, tuple) and hasattr(data, "_fields"):
        return type(data)(*(default_convert(d) for d in data))
    if isinstance(data, tuple):
        return [default_convert(d) for d in data]
    if isinstance(data, Sequence) and not isinstance(data, str | bytes):
        return _rebuilt_sequence(data, [default_convert(d) for d in data])
    return data
