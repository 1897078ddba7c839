"""``DataLoader``: iterate over a dataset in (shuffled) batches."""

from __future__ import annotations

import warnings
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from ...generator import Generator
from ._collate import default_collate, default_convert
from .sampler import BatchSampler, RandomSampler, Sampler, SequentialSampler

__all__ = ["DataLoader"]

_FIXED_ATTRIBUTES = (
    "batch_size",
    "batch_sampler",
    "sampler",
    "drop_last",
    "dataset",
    "persistent_workers",
)


class DataLoader:
    r"""Combine a dataset and a sampler into an iterable over batches of samples.

    Each iteration (each epoch) visits the dataset anew: in order, or, with ``shuffle=True``, in a
    new random permutation. Samples are grouped by ``batch_size`` and merged by ``collate_fn``
    (:func:`~minimodel.utils.data.default_collate` stacks tensors, numbers, and the tensors inside
    tuples and dicts).

    Difference from PyTorch: there are no worker processes. ``num_workers > 0`` is accepted, so
    that scripts port unchanged, and the batches are loaded in the main process, in the same
    order as with ``num_workers=0``; ``worker_init_fn`` is therefore never called, and
    ``prefetch_factor``, ``persistent_workers``, ``timeout`` and ``multiprocessing_context`` are
    checked as PyTorch checks them and change nothing. ``pin_memory`` does nothing (no
    accelerator) and warns at each epoch as PyTorch does without one.

    Args:
        dataset: the dataset to load from.
        batch_size: how many samples per batch (default: 1); ``None`` turns batching off.
        shuffle: visit the samples in a new random order at every epoch (default: False).
        sampler: the order of the indices (exclusive with ``shuffle``).
        batch_sampler: yields whole lists of indices (exclusive with ``batch_size``,
            ``shuffle``, ``sampler`` and ``drop_last``).
        num_workers: accepted, loads in the main process (see above).
        collate_fn: merges a list of samples into a batch.
        pin_memory: does nothing.
        drop_last: drop the last batch if the dataset size is not divisible by ``batch_size``.
        timeout: must be non-negative; unused.
        worker_init_fn: never called (no workers).
        multiprocessing_context: unused.
        generator: the generator of the shuffling (see :class:`minimodel.Generator`).
        prefetch_factor: only allowed with ``num_workers > 0``, as in PyTorch; unused.
        persistent_workers: only allowed with ``num_workers > 0``, as in PyTorch; unused.
        pin_memory_device: unused.
        in_order: unused (batches always come in order).

    Example::

        >>> ds = TensorDataset(minimodel.arange(5.0), minimodel.arange(5))
        >>> for x, y in DataLoader(ds, batch_size=2):
        ...     print(x, y)
        tensor([0., 1.]) tensor([0, 1])
        tensor([2., 3.]) tensor([2, 3])
        tensor([4.]) tensor([4])
    """

    def __init__(
        self,
        dataset: Any,
        batch_size: int | None = 1,
        shuffle: bool | None = None,
        sampler: Sampler | Iterable | None = None,
        batch_sampler: Iterable[list] | None = None,
        num_workers: int = 0,
        collate_fn: Callable[[list], Any] | None = None,
        pin_memory: bool = False,
        drop_last: bool = False,
        timeout: float = 0,
        worker_init_fn: Callable[[int], None] | None = None,
        multiprocessing_context: Any = None,
        generator: Generator | None = None,
        *,
        prefetch_factor: int | None = None,
        persistent_workers: bool = False,
        pin_memory_device: str = "",
        in_order: bool = True,
    ) -> None:
        if num_workers < 0:
            raise ValueError(
                "num_workers option should be non-negative; "
                "use num_workers=0 to disable multiprocessing."
            )
        if timeout < 0:
            raise ValueError("timeout option should be non-negative")
        if num_workers == 0 and prefetch_factor is not None:
            raise ValueError(
                "prefetch_factor option could only be specified in multiprocessing."
                "let num_workers > 0 to enable multiprocessing, otherwise set prefetch_factor "
                "to None."
            )
        if num_workers > 0 and prefetch_factor is None:
            prefetch_factor = 2  # PyTorch's default with workers; unused here
        elif prefetch_factor is not None and prefetch_factor < 0:
            raise ValueError("prefetch_factor option should be non-negative")
        if persistent_workers and num_workers == 0:
            raise ValueError("persistent_workers option needs num_workers > 0")
        if sampler is not None and shuffle:
            raise ValueError("sampler option is mutually exclusive with shuffle")
        if batch_sampler is not None:
            if batch_size != 1 or shuffle or sampler is not None or drop_last:
                raise ValueError(
                    "batch_sampler option is mutually exclusive with "
                    "batch_size, shuffle, sampler, and drop_last"
                )
            batch_size = None
            drop_last = False
        elif batch_size is None and drop_last:
            raise ValueError(
                "batch_size=None option disables auto-batching and is mutually exclusive with "
                "drop_last"
            )
        if sampler is None:
            sampler = RandomSampler(dataset, generator=generator) if shuffle else None
            sampler = sampler or SequentialSampler(dataset)
        if batch_size is not None and batch_sampler is None:
            batch_sampler = BatchSampler(sampler, batch_size, drop_last)
        self.dataset = dataset
        self.batch_size = batch_size
        self.drop_last = drop_last
        self.sampler = sampler
        self.batch_sampler = batch_sampler
        self.num_workers = num_workers
        self.pin_memory = pin_memory
        self.timeout = timeout
        self.worker_init_fn = worker_init_fn
        self.generator = generator
        self.prefetch_factor = prefetch_factor
        self.persistent_workers = persistent_workers
        if collate_fn is None:
            collate_fn = default_collate if batch_sampler is not None else default_convert
        self.collate_fn = collate_fn
        self.__initialized = True

    __initialized = False

    def __setattr__(self, attr: str, val: Any) -> None:
        # What the batches are made of is fixed once the loader is built, as in PyTorch.
        if self.__initialized and attr in _FIXED_ATTRIBUTES:
            raise ValueError(
                f"{attr} attribute should not be set after {self.__class__.__name__} is initialized"
            )
        super().__setattr__(attr, val)

    def __iter__(self) -> Iterator[Any]:
        if self.pin_memory:
            warnings.warn(
                "'pin_memory' argument is set as true but no accelerator is found, then device "
                "pinned memory won't be used.",
                stacklevel=1,  # where PyTorch's points: inside the loader
            )
        dataset, collate = self.dataset, self.collate_fn
        if self.batch_sampler is None:
            return _Epoch((collate(dataset[i]) for i in self.sampler), self)
        # A dataset may fetch a whole batch at once, as in PyTorch's fetcher.
        fetch = getattr(dataset, "__getitems__", None)
        if fetch:
            return _Epoch((collate(fetch(batch)) for batch in self.batch_sampler), self)
        return _Epoch((collate([dataset[i] for i in batch]) for batch in self.batch_sampler), self)

    def __len__(self) -> int:
        # Any iterable may be a sampler; len() raises TypeError for one without a length, as in
        # PyTorch.
        if self.batch_sampler is None:
            return len(self.sampler)  # type: ignore[arg-type]
        return len(self.batch_sampler)  # type: ignore[arg-type]


class _Epoch:
    """One pass over a loader: an iterator over its batches that has the loader's length, as
    PyTorch's loader iterators do (``len(iter(loader))``)."""

    def __init__(self, batches: Iterator[Any], loader: DataLoader) -> None:
        self._batches = batches
        self._loader = loader

    def __iter__(self) -> _Epoch:
        return self

    def __next__(self) -> Any:
        return next(self._batches)

    def __len__(self) -> int:
        return len(self._loader)
