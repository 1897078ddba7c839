"""Samplers: the order in which a ``DataLoader`` visits a dataset, and how it groups it."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sized
from typing import Any

from ...generator import Generator
from ...random import generator as _global_generator

__all__ = ["BatchSampler", "RandomSampler", "Sampler", "SequentialSampler"]


def _check_positive_int(value: Any, name: str) -> None:
    if not isinstance(value, int) or isinstance(value, bool) or value <= 0:
        raise ValueError(f"{name} should be a positive integer value, but got {name}={value}")


def _check_bool(value: Any, name: str, error: type[Exception]) -> None:
    # PyTorch raises TypeError for RandomSampler's flag and ValueError for BatchSampler's.
    if not isinstance(value, bool):
        raise error(f"{name} should be a boolean value, but got {name}={value}")


class Sampler:
    r"""Base class of samplers: an iterable over dataset indices (or batches of them)."""

    def __iter__(self) -> Iterator[Any]:
        raise NotImplementedError


class SequentialSampler(Sampler):
    r"""The indices ``0, 1, ..., len(data_source) - 1`` in order.

    Args:
        data_source: the dataset to sample from.

    Example::

        >>> list(SequentialSampler(range(3)))
        [0, 1, 2]
    """

    def __init__(self, data_source: Sized) -> None:
        self.data_source = data_source

    def __iter__(self) -> Iterator[int]:
        return iter(range(len(self.data_source)))

    def __len__(self) -> int:
        return len(self.data_source)


class RandomSampler(Sampler):
    r"""The indices in random order: a new permutation at every iteration.

    Args:
        data_source: the dataset to sample from.
        replacement: draw ``num_samples`` indices with replacement instead of a permutation.
        num_samples: how many indices to draw; ``len(data_source)`` by default.
        generator: the generator of the draws; without one, each iteration takes a fresh seed
            from the global generator (see :func:`minimodel.manual_seed`), as PyTorch does.

    Example::

        >>> sorted(RandomSampler(range(4)))
        [0, 1, 2, 3]
    """

    def __init__(
        self,
        data_source: Sized,
        replacement: bool = False,
        num_samples: int | None = None,
        generator: Generator | None = None,
    ) -> None:
        self.data_source = data_source
        self.replacement = replacement
        self._num_samples = num_samples
        self.generator = generator
        _check_bool(replacement, "replacement", TypeError)
        _check_positive_int(self.num_samples, "num_samples")

    @property
    def num_samples(self) -> int:
        """How many indices one iteration yields."""
        return len(self.data_source) if self._num_samples is None else self._num_samples

    def __iter__(self) -> Iterator[int]:
        n = len(self.data_source)
        if self.generator is None:
            rng = Generator().manual_seed(int(_global_generator().integers(2**63))).rng
        else:
            rng = self.generator.rng
        if self.replacement:
            if n == 0:
                # NumPy's own message would name its arguments, not the dataset.
                raise RuntimeError(
                    "random_ expects 'from' to be less than 'to', but got from=0 >= to=0"
                )
            return iter(rng.integers(0, n, self.num_samples).tolist())
        # Whole permutations, then part of one, when num_samples exceeds the dataset.
        whole, rest = divmod(self.num_samples, n)
        order = [i for _ in range(whole) for i in rng.permutation(n).tolist()]
        return iter(order + rng.permutation(n).tolist()[:rest])

    def __len__(self) -> int:
        return self.num_samples


class BatchSampler(Sampler):
    r"""Group the indices of another sampler into lists of ``batch_size``.

    Args:
        sampler: any iterable of indices.
        batch_size: the size of each batch.
        drop_last: drop the last batch if it is smaller than ``batch_size``.

    Example::

        >>> list(BatchSampler(SequentialSampler(range(5)), batch_size=2, drop_last=False))
        [[0, 1], [2, 3], [4]]
    """

    def __init__(self, sampler: Iterable[int], batch_size: int, drop_last: bool) -> None:
        _check_positive_int(batch_size, "batch_size")
        _check_bool(drop_last, "drop_last", ValueError)
        self.sampler = sampler
        self.batch_size = batch_size
        self.drop_last = drop_last

    def __iter__(self) -> Iterator[list[int]]:
        batch: list[int] = []
        for index in self.sampler:
            batch.append(index)
            if len(batch) == self.batch_size:
                yield batch
                batch = []
        if batch and not self.drop_last:
            yield batch

    def __len__(self) -> int:
        # Any iterable may be the sampler; len() raises TypeError for one without a length, as
        # in PyTorch.
        n = len(self.sampler)  # type: ignore[arg-type]
        return n // self.batch_size if self.drop_last else -(-n // self.batch_size)
