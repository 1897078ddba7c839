"""Random programs on the containers against torch.nn's.

Each program builds a ``Sequential``, ``ModuleList``, ``ModuleDict``, ``ParameterList`` or
``ParameterDict`` (from positional modules, a list, a plain ``dict`` with unsorted keys, an
``OrderedDict`` or a list of pairs), then applies operations: indexing with ints (negative, out
of range), slices and keys of the wrong type; assignment, deletion, ``append``, ``insert``,
``extend``, ``pop``, ``popitem``, ``update``, ``setdefault``, ``fromkeys``, ``copy``, ``+``,
``+=``, ``*``, ``*=``, ``|``, ``|=``, ``reversed``, calling the container. After each step both
libraries must agree on the step's result or error (type and message) and on the container's
``repr``, length, keys and ``named_parameters`` names.
"""

from __future__ import annotations

from collections import OrderedDict
from typing import Any

from budget import examples
from hypothesis import given, settings
from hypothesis import strategies as st
from nn_testing import normalize
from torch_compare import outcome
from torch_helpers import require_torch

import minimodel as mm

torch = require_torch()

KINDS = ["Sequential", "ModuleList", "ModuleDict", "ParameterList", "ParameterDict"]
KEYS = ["b", "a", "c", "0", 1]
INDICES = [0, 1, -1, -3, 4, slice(None, None, -1), slice(1, None), "0", 1.0]
VALUES = ["ReLU", "Tanh", "Linear", "tensor", "tensor2d", 3, "text", None]
OPS = {
    "Sequential": [
        "getitem", "setitem", "delitem", "append", "insert", "extend", "pop", "add", "iadd",
        "mul", "rmul", "imul", "call",
    ],
    "ModuleList": [
        "getitem", "setitem", "delitem", "append", "insert", "extend", "pop", "add", "iadd",
        "call",
    ],
    "ModuleDict": [
        "getitem", "setitem", "delitem", "pop", "update", "clear", "contains", "reversed",
        "call",
    ],
    "ParameterList": ["getitem", "setitem", "append", "extend", "iadd", "call"],
    "ParameterDict": [
        "getitem", "setitem", "delitem", "pop", "popitem", "update", "setdefault", "fromkeys",
        "copy", "or", "ior", "get", "reversed", "clear", "contains", "call",
    ],
}  # fmt: skip


def _value(lib: Any, name: Any) -> Any:
    """A module, a tensor or another object, made afresh in ``lib``."""
    if name == "ReLU":
        return lib.nn.ReLU()
    if name == "Tanh":
        return lib.nn.Tanh()
    if name == "Linear":
        layer = lib.nn.Linear(2, 3)
        lib.nn.init.constant_(layer.weight, 0.5)  # the same numbers in both libraries
        lib.nn.init.constant_(layer.bias, -1.0)
        return layer
    if name == "tensor":
        return lib.zeros(2)
    if name == "tensor2d":
        return lib.ones(2, 3, dtype=lib.float64)
    return name


def _pairs(lib: Any, keys: list[Any], names: list[Any], form: str) -> Any:
    pairs = [(k, _value(lib, v)) for k, v in zip(keys, names, strict=False)]
    if form == "dict":
        return dict(pairs)
    if form == "ordered":
        return OrderedDict(pairs)
    return pairs


def _build(lib: Any, kind: str, names: list[Any], keys: list[Any], form: str) -> Any:
    cls = getattr(lib.nn, kind)
    if kind == "Sequential":
        if form == "list":
            return cls(*[_value(lib, n) for n in names])
        return cls(OrderedDict((str(k), _value(lib, n)) for k, n in zip(keys, names, strict=False)))
    if kind in ("ModuleList", "ParameterList"):
        return cls([_value(lib, n) for n in names])
    return cls(_pairs(lib, keys, names, form))


def _step(lib: Any, box: list[Any], op: str, arg: Any, value: Any, form: str) -> Any:
    """Apply ``op`` to the container in ``box[0]`` (replaced by the result for ``+``, ``*``
    and ``|``, which make a new one)."""
    c = box[0]
    if op == "getitem":
        return c[arg]
    if op == "setitem":
        c[arg] = _value(lib, value)
        return None
    if op == "delitem":
        del c[arg]
        return None
    if op == "append":
        return c.append(_value(lib, value)) is c
    if op == "insert":
        return c.insert(arg, _value(lib, value))
    if op == "extend":
        return c.extend([_value(lib, value), _value(lib, "ReLU")] if form != "bad" else 3) is c
    if op == "pop":
        return c.pop(arg)
    if op == "popitem":
        return c.popitem()
    if op in ("add", "iadd", "or", "ior"):
        other: Any = [_value(lib, value)]
        if form != "bad" and type(c).__name__ in ("Sequential", "ParameterDict"):
            other = _build(lib, type(c).__name__, [value], ["z"], "ordered")
        result = {
            "add": lambda: c + other,
            "or": lambda: c | other,
            "iadd": lambda: c.__iadd__(other),
            "ior": lambda: c.__ior__(other),
        }[op]()
        box[0] = result
        return None
    if op in ("mul", "rmul", "imul"):
        factor = arg if isinstance(arg, int) else 2.0
        if op == "mul":
            box[0] = c * factor
        elif op == "rmul":
            box[0] = factor * c
        else:
            box[0] = c.__imul__(factor)
        return None
    if op == "update":
        c.update(_pairs(lib, [arg, "e"], [value, "Tanh"], form) if form != "bad" else 3)
        return None
    if op == "setdefault":
        return c.setdefault(arg, _value(lib, value))
    if op == "fromkeys":
        box[0] = c.fromkeys([arg, "q"], _value(lib, value))
        return None
    if op == "copy":
        box[0] = c.copy()
        return None
    if op == "get":
        return c.get(arg, 5)
    if op == "reversed":
        return list(reversed(c))
    if op == "clear":
        return c.clear()
    if op == "contains":
        return arg in c
    assert op == "call"
    return c(lib.ones(1, 2))


def _shown(result: tuple[str, Any]) -> str:
    kind, value = result
    text = f"{type(value).__name__}: {value}" if kind == "raise" else repr(value)
    # Messages name classes by their path, minimodel.nn.container.Sequential where PyTorch
    # has torch.nn.modules.container.Sequential: a documented difference.
    return normalize(text).replace("torch.nn.modules.", "torch.nn.")


def _describe(box: list[Any], result: tuple[str, Any]) -> tuple[str, ...]:
    """The step's result and the container's state, each shown (or the error showing it
    raises: a key PyTorch recorded before refusing it breaks the repr, in both)."""
    c = box[0]
    state = [
        lambda: repr(c),
        lambda: len(c),
        lambda: list(c.keys()) if hasattr(c, "keys") else None,
        lambda: [name for name, _ in c.named_parameters()],
    ]
    return (_shown(result), *(_shown(outcome(part)) for part in state))


@st.composite
def programs(draw: Any) -> tuple[str, list[Any], list[Any], str, list[tuple[Any, ...]]]:
    kind = draw(st.sampled_from(KINDS))
    n = draw(st.integers(0, 3))
    names = draw(st.lists(st.sampled_from(VALUES), min_size=n, max_size=n))
    keys = draw(st.permutations(KEYS))[:n]
    form = draw(st.sampled_from(["list", "dict", "ordered", "pairs"]))
    steps = draw(
        st.lists(
            st.tuples(
                st.sampled_from(OPS[kind]),
                st.sampled_from(INDICES + KEYS),
                st.sampled_from(VALUES),
                st.sampled_from(["dict", "ordered", "pairs", "bad"]),
            ),
            max_size=5,
        )
    )
    return kind, names, keys, form, steps


@settings(max_examples=examples(200))
@given(program=programs())
def test_container_program_matches_torch(program: Any) -> None:
    kind, names, keys, form, steps = program
    boxes: dict[Any, list[Any]] = {lib: [None] for lib in (mm, torch)}

    def build(lib: Any) -> None:
        boxes[lib][0] = _build(lib, kind, names, keys, form)

    built = {lib: outcome(lambda lib=lib: build(lib)) for lib in (mm, torch)}
    assert (built[mm][0], type(built[mm][1])) == (built[torch][0], type(built[torch][1]))
    if built[torch][0] == "raise":
        assert normalize(str(built[mm][1])) == str(built[torch][1])
        return
    for step in steps:
        seen = {
            lib: _describe(
                boxes[lib], outcome(lambda lib=lib, step=step: _step(lib, boxes[lib], *step))
            )
            for lib in (mm, torch)
        }
        assert seen[mm] == seen[torch], step
