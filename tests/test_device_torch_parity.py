"""Devices against PyTorch: parsing, where a device is accepted, and the one error for the rest.

Generated device strings, (type, index) pairs, indices and device objects go to
``minimodel.device`` and to ``torch.device``, then to every place a device is taken (factories,
``Tensor.to``, ``nn.Linear``, ``Module.to``, ``set_default_device``). What PyTorch refuses while
parsing, minimodel refuses with the same class and message. What names the CPU, both accept.
What names another device, minimodel refuses with its one RuntimeError; there PyTorch raises
whatever its backend raises (``AssertionError: Torch not compiled with CUDA enabled``, a
``NotImplementedError`` listing dispatch keys, ...) or, for ``meta``, makes a tensor without
data: a deliberate difference, checked as "PyTorch made no CPU tensor".
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from budget import examples
from hypothesis import assume, example, given, settings
from hypothesis import strategies as st
from torch_compare import assert_same_error, outcome
from torch_helpers import require_torch

import minimodel as mm
from minimodel.device import DEVICE_TYPES, NOT_ON_CPU

torch = require_torch()

# torch keeps a device index in 8 bits and wraps it from 128 up: the one documented difference
# in parsing (minimodel keeps the index), so the generators stay below it.
MAX_INDEX = 127
_WRAPPING = re.compile(r"^[A-Za-z_]+:[1-9]\d*$")

names = st.one_of(
    st.sampled_from(DEVICE_TYPES),
    st.sampled_from(["CPU", "Cpu", "gpu", "foo", "cpu_", "_", "cuda0", "c p u", "cpú"]),
    st.text(alphabet="cpuda_CP1 -:é", max_size=6),
)
index_texts = st.one_of(
    st.integers(0, MAX_INDEX).map(str),
    st.sampled_from(["", "00", "01", "-1", "+1", " 1", "1 ", "٣", "1.0", "0x1", "1:0"]),
    st.integers(2**31, 2**70).map(str),  # past int32: "Could not parse device index"
)


@st.composite
def device_strings(draw: st.DrawFn) -> str:
    text = draw(names)
    if draw(st.booleans()):
        text += ":" + draw(index_texts)
    return text


def wraps_in_torch(text: str) -> bool:
    """An index torch would wrap (from 128 to 2**31 - 1): the documented difference."""
    return bool(_WRAPPING.match(text)) and MAX_INDEX < int(text.partition(":")[2]) < 2**31


def describe(device: Any) -> tuple[str, str, str, int | None]:
    return repr(device), str(device), device.type, device.index


def assert_same_device(mine: tuple[str, Any], theirs: tuple[str, Any]) -> None:
    """The same device, or the same exception class and message."""
    assert mine[0] == theirs[0], f"{mine[1]!r} != {theirs[1]!r}"
    if mine[0] == "raise":
        assert_same_error(mine[1], theirs[1])
    else:
        assert describe(mine[1]) == describe(theirs[1])


@settings(max_examples=examples(300))
@given(device_strings())
def test_device_strings_parse_as_torch_parses_them(text):
    assume(not wraps_in_torch(text))
    assert_same_device(outcome(lambda: mm.device(text)), outcome(lambda: torch.device(text)))


indexes = st.one_of(
    st.none(),
    st.integers(-3, MAX_INDEX),
    st.booleans(),
    st.floats(allow_nan=False, width=16),
    st.sampled_from(["0", 2**63, 2**64]),
)


@settings(max_examples=examples(150))
@given(st.one_of(names, device_strings()), indexes)
@example("cpu:0", None)  # found by a hunt: an explicit None is still an index passed
def test_a_type_and_an_index_make_the_device_torch_makes(text, index):
    assume(not wraps_in_torch(text))
    assert_same_device(
        outcome(lambda: mm.device(text, index)), outcome(lambda: torch.device(text, index))
    )


@settings(max_examples=examples(40))
@given(st.one_of(st.integers(-3, 3), st.booleans(), st.floats(width=16), st.none()))
def test_a_bare_index_or_another_object_makes_the_device_torch_makes(value):
    assert_same_device(outcome(lambda: mm.device(value)), outcome(lambda: torch.device(value)))


def test_a_device_of_the_other_library_is_refused_with_a_type_error():
    with pytest.raises(TypeError, match=r"^device\(\): argument 'type' \(position 1\) must be str"):
        mm.device(mm.device("cpu"), 0)
    assert_same_device(
        outcome(lambda: mm.device(mm.device("cpu"), 0)),
        outcome(lambda: torch.device(torch.device("cpu"), 0)),
    )


def test_devices_compare_and_hash_as_in_torch():
    pairs = [
        ("cpu", "cpu"),
        ("cpu", "cpu:0"),
        ("cpu:1", "cpu:1"),
        ("cpu", "cuda"),
        ("cuda", "cuda"),
    ]
    for a, b in pairs:
        assert (mm.device(a) == mm.device(b)) == (torch.device(a) == torch.device(b))
        same_hash = hash(torch.device(a)) == hash(torch.device(b))
        assert (hash(mm.device(a)) == hash(mm.device(b))) == same_hash
    # torch.device never equals a string, even its own name.
    for text in ["cpu", "cpu:0"]:
        assert (mm.device(text) == text) == (torch.device(text) == text) is False
        assert (mm.zeros(1).device == text) == (torch.zeros(1).device == text)


def _module_device(module: Any) -> Any:
    return next(module.parameters()).device


# Every place that takes a device: (name, call made with the library and the device).


PLACES: list[tuple[str, Callable[[Any, Any], Any]]] = [
    ("tensor", lambda lib, d: lib.tensor([1.0], device=d).device),
    ("zeros", lambda lib, d: lib.zeros(2, device=d).device),
    ("ones", lambda lib, d: lib.ones(2, device=d).device),
    ("empty", lambda lib, d: lib.empty(2, device=d).device),
    ("full", lambda lib, d: lib.full((2,), 1.0, device=d).device),
    ("randn", lambda lib, d: lib.randn(2, device=d).device),
    ("rand", lambda lib, d: lib.rand(2, device=d).device),
    ("randint", lambda lib, d: lib.randint(0, 3, (2,), device=d).device),
    ("randperm", lambda lib, d: lib.randperm(3, device=d).device),
    ("arange", lambda lib, d: lib.arange(3, device=d).device),
    ("linspace", lambda lib, d: lib.linspace(0, 1, 3, device=d).device),
    ("eye", lambda lib, d: lib.eye(2, device=d).device),
    ("zeros_like", lambda lib, d: lib.zeros_like(lib.ones(2), device=d).device),
    ("ones_like", lambda lib, d: lib.ones_like(lib.ones(2), device=d).device),
    ("full_like", lambda lib, d: lib.full_like(lib.ones(2), 2.0, device=d).device),
    ("empty_like", lambda lib, d: lib.empty_like(lib.ones(2), device=d).device),
    ("Tensor.to(device)", lambda lib, d: lib.ones(2).to(d).device),
    ("Tensor.to(device=)", lambda lib, d: lib.ones(2).to(device=d).device),
    ("Tensor.to(device, dtype)", lambda lib, d: lib.ones(2).to(d, lib.float64).device),
    ("Linear(device=)", lambda lib, d: _module_device(lib.nn.Linear(2, 2, device=d))),
    ("Module.to(device)", lambda lib, d: _module_device(lib.nn.Linear(2, 2).to(d))),
    ("Module.to(device=)", lambda lib, d: _module_device(lib.nn.Linear(2, 2).to(device=d))),
]
PLACE_IDS = [name for name, _ in PLACES]


def torch_object(value: Any) -> Any:
    """The torch counterpart of a generated device value (a minimodel device becomes torch's)."""
    return torch.device(value.type, value.index) if isinstance(value, mm.device) else value


def torch_parsed(value: Any) -> tuple[str, Any]:
    """The device torch makes of a generated value (None is the CPU), or its exception."""
    return outcome(lambda: torch.device("cpu" if value is None else torch_object(value)))


@st.composite
def device_objects(draw: st.DrawFn) -> Any:
    return mm.device(draw(st.sampled_from(DEVICE_TYPES)), draw(st.none() | st.integers(0, 9)))


device_values = st.one_of(
    st.sampled_from(["cpu", "cpu:0", "cpu:1", "cuda", "cuda:0", "mps", "meta", None]),
    device_strings(),
    device_objects(),
    st.integers(-2, 2),
)


def check_place(place: Callable[[Any, Any], Any], value: Any) -> None:
    parsed = torch_parsed(value)
    mine = outcome(lambda: place(mm, value))
    theirs = outcome(lambda: place(torch, torch_object(value)))
    if parsed[0] == "raise":
        # Refused while parsing: the same class and message everywhere.
        assert mine[0] == theirs[0] == "raise", (mine, theirs)
        assert_same_error(mine[1], theirs[1])
    elif parsed[1].type == "cpu":
        assert theirs == ("ok", torch.device("cpu")), theirs
        assert mine[0] == "ok", mine
        assert describe(mine[1]) == describe(theirs[1])
    else:
        assert mine[0] == "raise", mine
        assert type(mine[1]) is RuntimeError
        assert str(mine[1]) == NOT_ON_CPU.format(value)
        assert theirs[0] == "raise" or theirs[1].type != "cpu", theirs


@pytest.mark.parametrize("place", [place for _, place in PLACES], ids=PLACE_IDS)
@settings(max_examples=examples(25))
@given(device_values)
def test_every_place_takes_the_cpu_and_refuses_other_devices_as_torch_parses_them(place, value):
    assume(not (isinstance(value, str) and wraps_in_torch(value)))
    check_place(place, value)


@pytest.mark.parametrize("name", ["tensor", "zeros", "ones", "empty", "full", "Linear(device=)"])
@pytest.mark.parametrize("value", [True, 1.5, ["cpu"], {"cpu": 0}])
def test_a_device_that_is_no_device_raises_torchs_type_error(name, value):
    place = dict(PLACES)[name]
    mine, theirs = outcome(lambda: place(mm, value)), outcome(lambda: place(torch, value))
    assert mine[0] == theirs[0] == "raise"
    assert_same_error(mine[1], theirs[1])


@pytest.fixture
def default_device_restored():
    yield
    mm.set_default_device(None)
    torch.set_default_device(None)


@pytest.mark.usefixtures("default_device_restored")
@settings(max_examples=examples(60))
@given(st.one_of(device_values, st.floats(width=16), st.booleans()))
def test_set_default_device_accepts_the_cpu_as_torch_does(value):
    assume(not (isinstance(value, str) and wraps_in_torch(value)))
    try:
        parsed = torch_parsed(value)
        mine = outcome(lambda: mm.set_default_device(value))
        theirs = outcome(lambda: torch.set_default_device(torch_object(value)))
        if parsed[0] == "raise":
            assert mine[0] == theirs[0] == "raise", (mine, theirs)
            assert_same_error(mine[1], theirs[1])
        elif parsed[1].type == "cpu":
            assert mine == theirs == ("ok", None)
            assert describe(mm.get_default_device()) == describe(torch.get_default_device())
            # The factories ignore the index: a CPU tensor's device has none.
            assert describe(mm.zeros(1).device) == describe(torch.zeros(1).device)
        else:
            # PyTorch accepts it here and fails at the first tensor made; minimodel refuses now.
            assert mine[0] == "raise" and str(mine[1]) == NOT_ON_CPU.format(value)
            assert describe(mm.get_default_device()) == describe(mm.device("cpu"))
    finally:
        mm.set_default_device(None)
        torch.set_default_device(None)


def test_get_default_device_starts_as_the_cpu():
    assert describe(mm.get_default_device()) == describe(torch.get_default_device())


@pytest.mark.parametrize(
    "attribute",
    [
        lambda lib: lib.ones(2).is_cuda,
        lambda lib: lib.ones(2).is_cpu,
        lambda lib: lib.ones(2).get_device(),
        lambda lib: lib.ones(2, requires_grad=True).sum().get_device(),
        lambda lib: lib.nn.Parameter(lib.ones(2)).get_device(),
        lambda lib: repr(next(lib.nn.Linear(2, 2).parameters()).device),
        lambda lib: repr(lib.ones(2, device="cpu:3").device),
        lambda lib: repr(lib.ones(2).cpu().device),
    ],
    ids=[
        "is_cuda",
        "is_cpu",
        "get_device",
        "get_device_of_result",
        "parameter_get_device",
        "parameter_device",
        "device_index_dropped",
        "cpu",
    ],
)
def test_tensors_report_the_cpu_as_torch_does(attribute):
    assert attribute(mm) == attribute(torch)


@pytest.mark.parametrize(
    "call",
    [lambda lib: lib.ones(2).cuda(), lambda lib: lib.nn.Linear(2, 2).cuda()],
    ids=["Tensor.cuda", "Module.cuda"],
)
def test_cuda_methods_raise_the_one_device_error_where_torch_names_its_build(call):
    with pytest.raises(AssertionError, match=r"^Torch not compiled with CUDA enabled$"):
        call(torch)
    with pytest.raises(RuntimeError, match=r"^minimodel runs on the CPU only, got device 'cuda'$"):
        call(mm)
