"""Parity with torch.utils.data: batches, lengths, collation, shuffling, random_split, errors.

Batches with ``shuffle=False`` must be PyTorch's exactly (same structure, dtypes and values).
Shuffled orders cannot match PyTorch's random stream (minimodel's generator differs, as the
README says), so they are checked for what PyTorch guarantees: each epoch is a permutation of the
dataset, batch sizes are PyTorch's, and the orders are uniformly spread.
"""

from __future__ import annotations

import collections
import warnings
from typing import Any

import numpy as np
import pytest
from budget import examples
from hypothesis import given, settings
from hypothesis import strategies as st
from torch_compare import assert_same_error, assert_same_exception, outcome
from torch_helpers import require_torch

import minimodel as mm
from minimodel.utils import data as mm_data

torch = require_torch()
from torch.utils import data as torch_data  # noqa: E402

SETTINGS = settings(max_examples=examples(40))


def _plain(batch: Any) -> Any:
    """A batch as comparable plain Python: tensors become (dtype name, shape, values)."""
    if isinstance(batch, mm.Tensor | torch.Tensor):
        array = batch.detach().numpy()
        return ("tensor", array.dtype.name, array.shape, array.tolist())
    if isinstance(batch, dict):
        return {k: _plain(v) for k, v in batch.items()}
    if isinstance(batch, list | tuple):
        return (type(batch).__name__, [_plain(b) for b in batch])
    return batch


@st.composite
def samples(draw: st.DrawFn) -> tuple[int, Any]:
    """A kind of sample and how many; ``make(lib)`` builds the same dataset in either library."""
    n = draw(st.integers(0, 13))
    kind = draw(st.sampled_from(["tensors", "numbers", "tuples", "dicts", "arrays", "lists"]))
    feature_shape = draw(st.sampled_from([(), (2,), (2, 3)]))
    rng = np.random.default_rng(draw(st.integers(0, 2**16)))
    x = rng.standard_normal((n, *feature_shape)).astype(np.float32)
    y = rng.integers(0, 5, n)

    def make(lib: Any) -> Any:
        if kind == "tensors":
            return (torch_data if lib is torch else mm_data).TensorDataset(
                lib.tensor(x), lib.tensor(y)
            )
        if kind == "numbers":
            return [float(v) for v in x.reshape(n, -1)[:, 0]] if x.size else [0.5] * n
        if kind == "tuples":
            return [(lib.tensor(x[i]), int(y[i]), bool(y[i] % 2), "s") for i in range(n)]
        if kind == "dicts":
            return [{"x": lib.tensor(x[i]), "y": float(y[i])} for i in range(n)]
        if kind == "arrays":
            return [x[i].astype(np.float64) for i in range(n)]
        return [[int(y[i]), int(y[i]) + 1] for i in range(n)]

    return n, make


def _loader(lib: Any, dataset: Any, **options: Any) -> Any:
    return (torch_data if lib is torch else mm_data).DataLoader(dataset, **options)


@SETTINGS
@given(
    data=samples(),
    batch_size=st.one_of(st.none(), st.integers(1, 6)),
    drop_last=st.booleans(),
)
def test_unshuffled_batches_and_lengths_match_torch(data: Any, batch_size: Any, drop_last) -> None:
    _, make = data
    drop_last = drop_last and batch_size is not None
    ours = _loader(mm, make(mm), batch_size=batch_size, drop_last=drop_last)
    theirs = _loader(torch, make(torch), batch_size=batch_size, drop_last=drop_last)
    assert len(ours) == len(theirs)
    for _epoch in range(2):  # a loader is iterated afresh at every epoch
        assert [_plain(b) for b in ours] == [_plain(b) for b in theirs]


@SETTINGS
@given(
    n=st.integers(1, 30),
    batch_size=st.integers(1, 8),
    drop_last=st.booleans(),
    seed=st.integers(0, 2**32 - 1),
)
def test_shuffled_epochs_are_permutations_batched_as_torch_batches(
    n: int, batch_size: int, drop_last: bool, seed: int
) -> None:
    dataset = list(range(n))
    ours = _loader(mm, dataset, batch_size=batch_size, shuffle=True, drop_last=drop_last)
    theirs = _loader(torch, dataset, batch_size=batch_size, shuffle=True, drop_last=drop_last)
    mm.manual_seed(seed)
    for _epoch in range(3):
        got = [b.tolist() for b in ours]
        want = [b.tolist() for b in theirs]
        assert [len(b) for b in got] == [len(b) for b in want]
        flat = [i for b in got for i in b]
        assert len(set(flat)) == len(flat) and set(flat) <= set(dataset)
        if not drop_last:
            assert sorted(flat) == dataset


def test_shuffled_positions_are_uniform_and_epochs_differ() -> None:
    # 4000 epochs of 5 items: every item lands at every position about 800 times. A chi-square
    # statistic over the 25 cells (16 degrees of freedom) above 50 has a probability < 1e-5.
    mm.manual_seed(0)
    loader = mm_data.DataLoader(list(range(5)), batch_size=5, shuffle=True)
    counts = np.zeros((5, 5))
    orders = set()
    for _ in range(4000):
        (order,) = list(loader)
        counts[order.numpy(), np.arange(5)] += 1
        orders.add(tuple(order.tolist()))
    chi2 = ((counts - 800) ** 2 / 800).sum()
    assert chi2 < 50
    assert len(orders) == 120  # every one of the 5! orders occurs


def test_a_seeded_generator_repeats_its_epochs_and_ignores_the_global_seed() -> None:
    def epochs(seed: int, global_seed: int) -> list[list[int]]:
        mm.manual_seed(global_seed)
        g = mm.Generator().manual_seed(seed)
        loader = mm_data.DataLoader(list(range(20)), batch_size=20, shuffle=True, generator=g)
        return [next(iter(loader)).tolist() for _ in range(3)]

    first = epochs(7, 0)
    assert first == epochs(7, 1)
    assert first[0] != first[1] != first[2]
    assert first != epochs(8, 0)


def test_global_seed_makes_unseeded_shuffling_reproducible() -> None:
    loader = mm_data.DataLoader(list(range(20)), batch_size=4, shuffle=True)
    mm.manual_seed(3)
    first = [b.tolist() for b in loader]
    mm.manual_seed(3)
    assert [b.tolist() for b in loader] == first


BAD_OPTIONS = [
    {"num_workers": 2, "prefetch_factor": -1},
    {"batch_size": 0},
    {"batch_size": -2},
    {"batch_size": 1.5},
    {"batch_size": None, "drop_last": True},
    {"num_workers": -1},
    {"timeout": -1},
    {"prefetch_factor": 2},
    {"persistent_workers": True},
    {"sampler": [0, 1], "shuffle": True},
    {"batch_sampler": [[0]], "batch_size": 2},
    {"batch_sampler": [[0]], "shuffle": True},
    {"batch_sampler": [[0]], "drop_last": True},
    {"batch_size": 2, "drop_last": 1},
]


@pytest.mark.parametrize("options", BAD_OPTIONS, ids=str)
def test_bad_options_raise_torchs_error(options: dict[str, Any]) -> None:
    assert_same_exception(
        lambda: mm_data.DataLoader(list(range(4)), **options),
        lambda: torch_data.DataLoader(list(range(4)), **options),
    )


@pytest.mark.parametrize(
    "batch",
    [
        [(1, 2), (3,)],
        [object(), object()],
    ],
    ids=["ragged tuples", "objects"],
)
def test_collating_bad_samples_raises_torchs_error(batch: list[Any]) -> None:
    assert_same_exception(
        lambda: mm_data.default_collate(batch), lambda: torch_data.default_collate(batch)
    )


def test_collating_tensors_of_different_sizes_raises_torchs_error() -> None:
    assert_same_exception(
        lambda: mm_data.default_collate([mm.zeros(2), mm.zeros(3)]),
        lambda: torch_data.default_collate([torch.zeros(2), torch.zeros(3)]),
    )


def test_tensor_dataset_of_different_lengths_raises_torchs_error() -> None:
    assert_same_exception(
        lambda: mm_data.TensorDataset(mm.zeros(3), mm.zeros(4)),
        lambda: torch_data.TensorDataset(torch.zeros(3), torch.zeros(4)),
    )


def test_num_workers_loads_the_same_batches_in_process() -> None:
    dataset = mm_data.TensorDataset(mm.arange(7.0))
    plain = [b[0].tolist() for b in mm_data.DataLoader(dataset, batch_size=3)]
    workers = mm_data.DataLoader(dataset, batch_size=3, num_workers=2, prefetch_factor=2)
    assert [b[0].tolist() for b in workers] == plain


def test_pin_memory_warns_at_each_epoch_as_torch_does_without_an_accelerator() -> None:
    with warnings.catch_warnings(record=True) as theirs:
        warnings.simplefilter("always")
        list(torch_data.DataLoader([1], pin_memory=True))
    with pytest.warns(UserWarning) as ours:
        list(mm_data.DataLoader([1], pin_memory=True))
    assert [str(w.message) for w in ours] == [str(w.message) for w in theirs]


@st.composite
def splits(draw: st.DrawFn) -> tuple[int, list[Any]]:
    n = draw(st.integers(0, 40))
    k = draw(st.integers(1, 4))
    if draw(st.booleans()):  # fractions summing to 1
        cuts = sorted(draw(st.lists(st.integers(0, 100), min_size=k - 1, max_size=k - 1)))
        parts = np.diff([0, *cuts, 100]) / 100
        return n, [float(p) for p in parts]
    cuts = sorted(draw(st.lists(st.integers(0, n), min_size=k - 1, max_size=k - 1)))
    lengths = np.diff([0, *cuts, n]).tolist()
    if draw(st.booleans()):  # a wrong total
        lengths[0] += draw(st.sampled_from([-1, 1]))
    return n, lengths


@SETTINGS
@given(split=splits(), seed=st.integers(0, 2**32 - 1))
def test_random_split_sizes_warnings_and_errors_match_torch(split: Any, seed: int) -> None:
    n, lengths = split

    def run(lib_split: Any, generator: Any) -> Any:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            try:
                parts = lib_split(range(n), lengths, generator=generator)
            except ValueError as error:
                return ("ValueError", str(error)), []
        return [list(p) for p in parts], [str(w.message) for w in caught]

    ours, our_warnings = run(mm_data.random_split, mm.Generator().manual_seed(seed))
    theirs, their_warnings = run(torch_data.random_split, torch.Generator().manual_seed(seed))
    assert our_warnings == their_warnings
    if isinstance(theirs, tuple):
        assert ours == theirs
        return
    assert [len(p) for p in ours] == [len(p) for p in theirs]
    assert sorted(i for p in ours for i in p) == list(range(n))


def test_random_split_with_a_bad_fraction_raises_torchs_error() -> None:
    assert_same_exception(
        lambda: mm_data.random_split(range(10), [1.5, -0.5]),
        lambda: torch_data.random_split(range(10), [1.5, -0.5]),
    )


def test_generator_seeds_like_torchs() -> None:
    for seed in [0, 42, -1, 2**63]:
        assert mm.Generator().manual_seed(seed).initial_seed() == (
            torch.Generator().manual_seed(seed).initial_seed()
        )
    for bad in ["a", 1.5, True]:
        assert_same_exception(
            lambda bad=bad: mm.Generator().manual_seed(bad),
            lambda bad=bad: torch.Generator().manual_seed(bad),
        )


@pytest.mark.parametrize(
    "options", [{"replacement": 1}, {"num_samples": 0}, {"num_samples": 1.5}], ids=str
)
def test_bad_random_sampler_options_raise_torchs_error(options: dict[str, Any]) -> None:
    assert_same_exception(
        lambda: mm_data.RandomSampler(range(3), **options),
        lambda: torch_data.RandomSampler(range(3), **options),
    )


def test_drawing_with_replacement_from_an_empty_dataset_raises_torchs_error() -> None:
    assert_same_exception(
        lambda: list(mm_data.RandomSampler([], replacement=True, num_samples=2)),
        lambda: list(torch_data.RandomSampler([], replacement=True, num_samples=2)),
    )


@SETTINGS
@given(n=st.integers(1, 9), num_samples=st.integers(1, 25), replacement=st.booleans())
def test_random_sampler_draws_as_many_indices_as_torch(n, num_samples, replacement) -> None:
    ours = list(mm_data.RandomSampler(range(n), replacement, num_samples))
    theirs = list(torch_data.RandomSampler(range(n), replacement, num_samples))
    assert len(ours) == len(theirs) == num_samples
    assert set(ours) <= set(range(n))
    if not replacement:  # whole permutations, then the start of one more
        for start in range(0, num_samples, n):
            chunk = ours[start : start + n]
            assert len(set(chunk)) == len(chunk)


# ------------------------------------------------------------------- nested samples, generated

Pair = collections.namedtuple("Pair", "first second")


class Row(list):
    """A list subclass: PyTorch collates it into its own type."""


_LEAVES = ["int", "float", "bool", "str", "tensor", "array", "numpy scalar", "text array"]
_CONTAINERS = ["dict", "OrderedDict", "defaultdict", "list", "Row", "tuple", "Pair"]


@st.composite
def _structures(draw: st.DrawFn, depth: int = 0) -> Any:
    """The shape of one sample: nested containers down to kinds of leaves (with dtypes)."""
    if depth == 2 or draw(st.booleans()):
        kind = draw(st.sampled_from(_LEAVES))
        if kind in ("tensor", "array", "numpy scalar"):
            dtype = draw(st.sampled_from(["float32", "float64", "int64", "uint8", "bool"]))
            return (kind, dtype, draw(st.sampled_from([(), (2,), (1, 3)])))
        return (kind,)
    container = draw(st.sampled_from(_CONTAINERS))
    size = 2 if container == "Pair" else draw(st.integers(1, 3))
    return (container, [draw(_structures(depth + 1)) for _ in range(size)])


def _sample(lib: Any, structure: Any, rng: np.random.Generator) -> Any:
    """One sample of that shape, its values drawn from ``rng``, in ``lib``'s tensors."""
    kind = structure[0]
    if kind in _CONTAINERS:
        items = [_sample(lib, s, rng) for s in structure[1]]
        if kind in ("dict", "OrderedDict", "defaultdict"):
            pairs = {f"k{i}": item for i, item in enumerate(items)}
            if kind == "defaultdict":
                return collections.defaultdict(int, pairs)
            return collections.OrderedDict(pairs) if kind == "OrderedDict" else pairs
        if kind == "Pair":
            return Pair(*items)
        return {"list": list, "Row": Row, "tuple": tuple}[kind](items)
    if kind == "int":
        return int(rng.integers(-5, 5))
    if kind == "float":
        return float(rng.standard_normal())
    if kind == "bool":
        return bool(rng.integers(2))
    if kind == "str":
        return str(rng.integers(10))
    if kind == "text array":
        return np.array([str(rng.integers(10))])
    _, dtype, shape = structure
    values = (rng.standard_normal(shape) * 3).astype(dtype)
    if kind == "numpy scalar":
        return values.reshape(-1)[0] if values.size else np.dtype(dtype).type(0)
    return lib.tensor(values) if kind == "tensor" else values


def _typed(batch: Any) -> Any:
    """Like ``_plain``, keeping the container types (PyTorch keeps a sample's own types)."""
    if isinstance(batch, mm.Tensor | torch.Tensor):
        return _plain(batch)
    if isinstance(batch, np.ndarray):
        return ("array", batch.dtype.str, batch.tolist())
    if isinstance(batch, dict):
        return (type(batch).__name__, {k: _typed(v) for k, v in batch.items()})
    if isinstance(batch, list | tuple):
        return (type(batch).__name__, [_typed(b) for b in batch])
    return (type(batch).__name__, batch)


@SETTINGS
@given(structure=_structures(), n=st.integers(1, 4), seed=st.integers(0, 2**16))
def test_nested_samples_collate_and_convert_as_torch(structure: Any, n: int, seed: int) -> None:
    def batches(lib: Any, data: Any) -> Any:
        rng = np.random.default_rng(seed)
        samples = [_sample(lib, structure, rng) for _ in range(n)]
        return (
            outcome(lambda: _typed(data.default_collate(samples))),
            outcome(lambda: _typed(data.default_convert(samples[0]))),
        )

    for mine, theirs in zip(batches(mm, mm_data), batches(torch, torch_data), strict=True):
        assert mine[0] == theirs[0], f"{mine} vs {theirs}"
        if mine[0] == "raise":
            assert_same_error(mine[1], theirs[1])
        else:
            assert mine[1] == theirs[1]


@pytest.mark.parametrize(
    "attribute", ["batch_size", "batch_sampler", "sampler", "drop_last", "dataset", "timeout"]
)
def test_setting_what_makes_the_batches_after_building_a_loader_raises_as_torch(attribute: str):
    def set_it(data: Any) -> Any:
        loader = data.DataLoader(list(range(4)), batch_size=2)
        setattr(loader, attribute, getattr(loader, attribute))
        return loader.timeout

    mine, theirs = outcome(lambda: set_it(mm_data)), outcome(lambda: set_it(torch_data))
    assert mine[0] == theirs[0]
    if mine[0] == "raise":
        assert_same_error(mine[1], theirs[1])


@pytest.mark.parametrize(
    "options",
    [{"num_workers": 2}, {"num_workers": 2, "prefetch_factor": 5}, {"num_workers": 0}],
    ids=str,
)
def test_prefetch_factor_defaults_as_torchs(options: dict[str, Any]) -> None:
    ours = mm_data.DataLoader(list(range(4)), **options).prefetch_factor
    assert ours == torch_data.DataLoader(list(range(4)), **options).prefetch_factor


def _batch_fetching_dataset(data: Any) -> Any:
    class Fetched(data.Dataset):
        """A dataset whose batches come from one ``__getitems__`` call (its own numbering)."""

        def __len__(self) -> int:
            return 7

        def __getitem__(self, index: int) -> float:
            return float(index)

        def __getitems__(self, indices: list[int]) -> list[float]:
            return [100.0 + i for i in indices]

    return Fetched()


@pytest.mark.parametrize("wrapped", ["dataset", "subset"])
@pytest.mark.parametrize("batch_size", [None, 1, 3])
def test_a_dataset_with_getitems_is_fetched_a_batch_at_a_time_as_torch(wrapped, batch_size):
    def batches(data: Any) -> list[Any]:
        dataset = _batch_fetching_dataset(data)
        if wrapped == "subset":
            dataset = data.Subset(dataset, [6, 0, 3, 2])
        return [_plain(b) for b in data.DataLoader(dataset, batch_size=batch_size)]

    assert batches(mm_data) == batches(torch_data)


@pytest.mark.parametrize("batch_size", [None, 1, 3])
def test_an_epoch_iterator_has_the_loaders_length_as_torchs(batch_size: Any) -> None:
    def epoch(data: Any) -> tuple[int, list[Any]]:
        iterator = iter(data.DataLoader(list(range(7)), batch_size=batch_size))
        assert iter(iterator) is iterator
        return len(iterator), [_plain(b) for b in iterator]

    assert epoch(mm_data) == epoch(torch_data)
