"""Datasets: ``Dataset``, ``TensorDataset``, ``Subset`` and ``random_split``."""

from __future__ import annotations

import math
import warnings
from collections.abc import Sequence
from typing import Any

import numpy as np

from ...generator import Generator
from ...random import generator as _global_generator
from ...tensor import Tensor

__all__ = ["Dataset", "Subset", "TensorDataset", "random_split"]


class Dataset:
    r"""An abstract class for a dataset: a map from keys (usually indices) to samples.

    Subclasses implement ``__getitem__`` and, for :class:`~minimodel.utils.data.DataLoader`'s
    default sampler, ``__len__``.

    Example::

        >>> class Squares(Dataset):
        ...     def __len__(self):
        ...         return 3
        ...     def __getitem__(self, i):
        ...         return minimodel.tensor(float(i * i))
        >>> [Squares()[i].item() for i in range(3)]
        [0.0, 1.0, 4.0]
    """

    def __getitem__(self, index: Any) -> Any:
        raise NotImplementedError("Subclasses of Dataset should implement __getitem__.")


class TensorDataset(Dataset):
    r"""A dataset of tensors: sample ``i`` is the tuple of each tensor's row ``i``.

    Args:
        *tensors: tensors with the same size in the first dimension.

    Example::

        >>> ds = TensorDataset(minimodel.arange(3.0), minimodel.tensor([0, 1, 0]))
        >>> len(ds), ds[1]
        (3, (tensor(1.), tensor(1)))
    """

    tensors: tuple[Tensor, ...]

    def __init__(self, *tensors: Tensor) -> None:
        # An assert, as PyTorch writes it (so it is an AssertionError with this message).
        if not all(tensors[0].size(0) == t.size(0) for t in tensors):
            raise AssertionError("Size mismatch between tensors")
        self.tensors = tensors

    def __getitem__(self, index: Any) -> tuple[Tensor, ...]:
        return tuple(t[index] for t in self.tensors)

    def __len__(self) -> int:
        return self.tensors[0].size(0)


class Subset(Dataset):
    r"""The part of a dataset at the given indices.

    Args:
        dataset: the whole dataset.
        indices: the indices in ``dataset`` that make up the subset, in order.

    Example::

        >>> part = Subset([10, 20, 30, 40], [3, 0])
        >>> len(part), part[0], part[1]
        (2, 40, 10)
    """

    def __init__(self, dataset: Any, indices: Sequence[int]) -> None:
        self.dataset = dataset
        self.indices = indices

    def __getitem__(self, idx: Any) -> Any:
        if isinstance(idx, list):
            return self.dataset[[self.indices[i] for i in idx]]
        return self.dataset[self.indices[idx]]

    def __getitems__(self, indices: list[int]) -> list[Any]:
        """The samples at ``indices`` in one call, through the dataset's own ``__getitems__``
        when it has one (how a :class:`~minimodel.utils.data.DataLoader` fetches a batch).

        Args:
            indices: positions in the subset.
        """
        fetch = getattr(self.dataset, "__getitems__", None)
        if callable(fetch):
            return fetch([self.indices[i] for i in indices])
        return [self.dataset[self.indices[i]] for i in indices]

    def __len__(self) -> int:
        return len(self.indices)


def random_split(
    dataset: Any,
    lengths: Sequence[int | float],
    generator: Generator | None = None,
) -> list[Subset]:
    r"""Randomly split a dataset into non-overlapping subsets of the given lengths.

    ``lengths`` are either the sizes of the subsets, summing to ``len(dataset)``, or fractions
    summing to 1: then each size is ``floor(fraction * len(dataset))`` and the remaining items
    go one each to the subsets in turn, from the first (as in PyTorch).

    Args:
        dataset: the dataset to split.
        lengths: sizes or fractions of the subsets.
        generator: the generator of the permutation; the global one (see
            :func:`minimodel.manual_seed`) when None.

    Example::

        >>> train, test = random_split(range(10), [0.8, 0.2], minimodel.Generator().manual_seed(0))
        >>> len(train), len(test), sorted(list(train) + list(test)) == list(range(10))
        (8, 2, True)
    """
    n = len(dataset)
    if math.isclose(sum(lengths), 1) and sum(lengths) <= 1:
        subset_lengths: list[int] = []
        for i, frac in enumerate(lengths):
            if frac < 0 or frac > 1:
                raise ValueError(f"Fraction at index {i} is not between 0 and 1")
            subset_lengths.append(math.floor(n * frac))
        remainder = n - sum(subset_lengths)
        for i in range(remainder):
            subset_lengths[i % len(subset_lengths)] += 1
        lengths = subset_lengths
        for i, length in enumerate(lengths):
            if length == 0:
                warnings.warn(
                    f"Length of split at index {i} is 0. This might result in an empty dataset.",
                    stacklevel=2,
                )
    if sum(lengths) != n:
        raise ValueError("Sum of input lengths does not equal the length of the input dataset!")
    rng = _global_generator() if generator is None else generator.rng
    indices = rng.permutation(sum(lengths)).tolist()
    offsets = np.cumsum(lengths).tolist()
    return [
        Subset(dataset, indices[offset - length : offset])
        for offset, length in zip(offsets, lengths, strict=True)
    ]
