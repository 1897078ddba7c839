"""The autograd API and the Python protocol of tensors against PyTorch's, call by call.

Each case is ``fn(lib)``, written once for ``minimodel`` and ``torch``: it returns what to
compare (numbers, tensors, flags, names) or raises, and both libraries must agree, exceptions
by class and message. The random graphs of test_autograd_graphs_torch_parity.py exercise the
same API in combination; these pin each rule on its own.
"""

from __future__ import annotations

import copy
import warnings
from collections import OrderedDict
from collections.abc import Callable
from typing import Any

import numpy as np
import pytest
from torch_compare import as_minimodel, assert_same_error, outcome
from torch_helpers import require_torch

import minimodel as mm

torch = require_torch()


def _leaf(lib: Any, *values: float, dtype: str = "float32") -> Any:
    return lib.tensor(list(values), dtype=getattr(lib, dtype), requires_grad=True)


def _graph(lib: Any) -> tuple[Any, Any, Any, Any]:
    """x, w leaves; h = x * x * w, a non-leaf; loss = (h * h).sum()."""
    x, w = _leaf(lib, 0.5, -1.0), _leaf(lib, 2.0, 3.0)
    h = x * x * w
    return x, w, h, (h * h).sum()


def _backward_inputs(inputs: Callable[[tuple], Any]) -> Callable[[Any], Any]:
    def run(lib: Any) -> Any:
        x, w, h, loss = _graph(lib)
        loss.backward(inputs=inputs((x, w, h)), retain_graph=True)
        return x.grad, w.grad, h.grad, h.retains_grad

    return run


def _grad_of(**options: Any) -> Callable[[Any], Any]:
    def run(lib: Any) -> Any:
        x, _w, h, loss = _graph(lib)
        unused = lib.ones(2, requires_grad=True)
        return lib.autograd.grad(loss, [h, unused, x], **options), x.grad, h.grad

    return run


def _view_leaf(lib: Any, make: Callable[[Any], Any]) -> Any:
    v = make(lib).requires_grad_()
    (v * lib.arange(1.0, v.numel() + 1).reshape(v.shape)).sum().backward()
    return v.grad, v.is_leaf


def _retained_then_changed(lib: Any) -> Any:
    x = _leaf(lib, 1.0, 2.0)
    h = x * 2
    h.retain_grad()
    h.mul_(3)
    (h * h).sum().backward()
    return h.grad, h.retains_grad, x.grad


def _assigned_grad(value: Callable[[Any], Any], then_backward: bool = False) -> Callable:
    def run(lib: Any) -> Any:
        x = _leaf(lib, 1.0, 2.0, 3.0)
        x.grad = value(lib)
        if then_backward:
            (x * 2).sum().backward()
        return x.grad

    return run


def _inference(lib: Any, body: Callable[[Any], Any]) -> Any:
    with lib.inference_mode():
        return body(lib)


def _two_roots(lib: Any, grads: Callable[[Any], Any]) -> Any:
    x, w, h, loss = _graph(lib)
    lib.autograd.backward([loss, h], grads(lib))
    return x.grad, w.grad


CASES: dict[str, Callable[[Any], Any]] = {
    # backward(inputs=...), autograd.backward
    "inputs a leaf": _backward_inputs(lambda t: [t[0]]),
    "inputs a single tensor": _backward_inputs(lambda t: t[1]),
    "inputs a non-leaf, which then retains its grad": _backward_inputs(lambda t: [t[2]]),
    "inputs a leaf and a non-leaf above it": _backward_inputs(lambda t: [t[2], t[0]]),
    "inputs repeated": _backward_inputs(lambda t: (t[0], t[0])),
    "inputs a dict": _backward_inputs(lambda t: {"x": t[0]}),
    "inputs empty": _backward_inputs(lambda t: []),
    "inputs an OrderedDict": _backward_inputs(lambda t: OrderedDict(x=t[0])),
    "inputs a number": _backward_inputs(lambda t: [t[0], 3.0]),
    "inputs a tensor without grad": _backward_inputs(lambda t: [t[0].detach()]),
    "inputs not in the graph": _backward_inputs(lambda t: [t[0] * 1]),
    "two roots at once": lambda lib: _two_roots(lib, lambda lib: [None, lib.ones(2)]),
    "two roots, one gradient": lambda lib: _two_roots(lib, lambda lib: [None]),
    "two roots, three gradients": lambda lib: _two_roots(
        lib, lambda lib: [None, lib.ones(2), lib.ones(2)]
    ),
    "root of the wrong type": lambda lib: lib.autograd.backward([_graph(lib)[3], 3.0]),
    "second root without grad": lambda lib: lib.autograd.backward([_graph(lib)[3], lib.ones(1)]),
    "gradient a list": lambda lib: (_leaf(lib, 1.0, 2.0) * 2).backward([1.0, 2.0]),
    "gradient a number": lambda lib: (_leaf(lib, 1.0, 2.0) * 2).backward(3.0),
    "gradient of a wrong shape, without grad": lambda lib: lib.ones(2).backward(lib.ones(3)),
    # autograd.grad
    "grad allow_unused": _grad_of(allow_unused=True),
    "grad unused": _grad_of(),
    "grad materialize_grads": _grad_of(materialize_grads=True),
    "grad materialize_grads, allow_unused False": _grad_of(
        materialize_grads=True, allow_unused=False
    ),
    "grad of a leaf by itself": lambda lib: lib.autograd.grad(
        _leaf(lib, 2.0).sum(), _leaf(lib, 2.0), allow_unused=True
    ),
    "grad as a dict": lambda lib: lib.autograd.grad(
        (_leaf(lib, 2.0) * 3).sum(), {"a": _leaf(lib, 1.0)}, allow_unused=True
    ),
    "grad empty inputs": lambda lib: lib.autograd.grad(_graph(lib)[3], []),
    "grad inputs a number": lambda lib: lib.autograd.grad(_graph(lib)[3], 3.0),
    "grad of a tensor without grad": lambda lib: lib.autograd.grad(_graph(lib)[3], [lib.ones(2)]),
    "grad twice without retain_graph": lambda lib: [
        lib.autograd.grad(loss, x) for x, _, _, loss in [_graph(lib)] * 2
    ],
    # leaves that are views
    "expand made a leaf": lambda lib: _view_leaf(lib, lambda lib: lib.ones(3).expand(2, 3)),
    "slice made a leaf": lambda lib: _view_leaf(lib, lambda lib: lib.ones(4)[1:3]),
    "transpose of a detached tensor made a leaf": lambda lib: _view_leaf(
        lib, lambda lib: _leaf(lib, 1.0, 2.0).detach().reshape(2, 1).t()
    ),
    "view leaf changed in place": lambda lib: lib.ones(4)[1:3].requires_grad_().mul_(2),
    "view of a view leaf changed in place": lambda lib: (
        lib.ones(3, 2)[1:].requires_grad_().t().mul_(2)
    ),
    # retain_grad, .grad
    "retain_grad then in place": _retained_then_changed,
    "assign a float64 grad": _assigned_grad(lambda lib: lib.zeros(3, dtype=lib.float64)),
    "assign an int grad": _assigned_grad(lambda lib: lib.zeros(3, dtype=lib.int64)),
    "assign a float16 grad of the wrong shape": _assigned_grad(
        lambda lib: lib.zeros(2, dtype=lib.float16)
    ),
    "accumulate into an assigned grad": _assigned_grad(lambda lib: lib.ones(3), True),
    "accumulate into an expanded grad": _assigned_grad(lambda lib: lib.ones(1).expand(3), True),
    "accumulate into an empty expanded grad": lambda lib: _view_leaf(
        lib, lambda lib: lib.ones(1, 0).expand(2, 0)
    ),
    # detach_, protocol
    "detach_ of a view": lambda lib: _leaf(lib, 1.0, 2.0)[:1].detach_(),
    "detach_ of a non-leaf": lambda lib: (lambda h: (h.detach_(), h.requires_grad, h.is_leaf))(
        _leaf(lib, 1.0) * 2
    ),
    "in with a number": lambda lib: (2.0 in lib.tensor([1.0, 2.0]), 3 in lib.tensor([1, 2])),
    "in with a tensor": lambda lib: lib.tensor([2.0, 5.0]) in lib.tensor([1.0, 2.0]),
    "in with a string": lambda lib: "a" in lib.tensor([1.0]),
    "in with None": lambda lib: None in lib.tensor([1.0]),
    "iterate a tensor that requires grad": lambda lib: [
        row.grad_fn.name() for row in _leaf(lib, 1.0, 2.0).reshape(2, 1)
    ],
    "deepcopy of a non-leaf": lambda lib: copy.deepcopy(_leaf(lib, 1.0) * 2),
    "deepcopy of a leaf with a grad": lambda lib: (
        lambda x: ((x * 3).sum().backward(), copy.deepcopy(x))[1].grad
    )(_leaf(lib, 1.0, 2.0)),
    "item of a tensor that requires grad": lambda lib: _leaf(lib, 1.5).item(),
    "tolist of a tensor that requires grad": lambda lib: _leaf(lib, 1.5, 2.0).tolist(),
    "numpy of a tensor that requires grad": lambda lib: _leaf(lib, 1.5).numpy(),
    # grad mode and inference mode
    "inference_mode(False) inside no_grad": lambda lib: (
        (lambda _: (lib.is_grad_enabled(), lib.is_inference_mode_enabled()))(
            lib.set_grad_enabled(False).__enter__()
        )
        and _nested(lib, [lib.no_grad(), lib.inference_mode(False)])
    ),
    "enable_grad inside inference_mode": lambda lib: _nested(
        lib, [lib.inference_mode(), lib.enable_grad()]
    ),
    "no_grad inside inference_mode(False)": lambda lib: _nested(
        lib, [lib.inference_mode(), lib.inference_mode(False), lib.no_grad()]
    ),
    "set_grad_enabled(True) inside inference_mode": lambda lib: _nested(
        lib, [lib.inference_mode(), lib.set_grad_enabled(True)]
    ),
}


def _nested(lib: Any, contexts: list) -> Any:
    """Grad mode, inference mode and what an operation records inside nested contexts."""
    x = _leaf(lib, 1.0)
    for context in contexts:
        context.__enter__()
    try:
        y = x * 2
        return lib.is_grad_enabled(), lib.is_inference_mode_enabled(), y.requires_grad
    finally:
        for context in reversed(contexts):
            context.__exit__(None, None, None)


def _comparable(value: Any) -> Any:
    """Tensors as (dtype, shape, values, requires_grad); the rest as it is."""
    if isinstance(value, mm.Tensor | torch.Tensor):
        array = value.detach().numpy()
        return (as_minimodel(str(value.dtype)), array.shape, array.tolist(), value.requires_grad)
    if isinstance(value, tuple | list):
        return [_comparable(v) for v in value]
    if isinstance(value, dict):
        return {k: _comparable(v) for k, v in value.items()}
    if isinstance(value, np.ndarray):
        return value.tolist()
    return value


@pytest.mark.parametrize("case", CASES.values(), ids=CASES.keys())
def test_call_matches_torch(case: Callable[[Any], Any]) -> None:
    mine, theirs = outcome(lambda: case(mm)), outcome(lambda: case(torch))
    assert mine[0] == theirs[0], f"minimodel {mine}, torch {theirs}"
    if mine[0] == "raise":
        assert_same_error(mine[1], theirs[1])
    else:
        assert _comparable(mine[1]) == _comparable(theirs[1])


def _warning_texts(fn: Callable[[], Any]) -> list[str]:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        fn()
    return [str(w.message) for w in caught]


def test_reading_an_assigned_grad_of_a_non_leaf_does_not_warn_as_torch() -> None:
    texts = []
    for lib in (mm, torch):
        h = _leaf(lib, 1.0) * 2
        h.grad = lib.ones(1)
        texts.append(_warning_texts(lambda h=h: h.grad))
    assert texts == [[], []]
