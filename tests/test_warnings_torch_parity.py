"""Every warning minimodel gives: PyTorch's category and text, pointing where PyTorch's points.

Where PyTorch's warning names the user's line (its ``stacklevel`` reaches the caller), minimodel's
must name the same line of this file; where PyTorch's points inside the library (a module's
``forward`` calling a function that warns), minimodel's must point inside minimodel. Each
scenario is one line, called the same way for both libraries, so the lines compare.
"""

from __future__ import annotations

import ast
import contextlib
import re
import sys
import warnings
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from torch_compare import as_minimodel
from torch_helpers import require_torch

import minimodel as mm

torch = require_torch()


def _duplicate_parameters(lib: Any) -> Any:
    w = lib.ones(2, requires_grad=True)
    return lib.optim.SGD([w, w], lr=0.1)


def _non_leaf_grad(lib: Any) -> Any:
    return (lib.ones(2, requires_grad=True) * 2).grad


def _grad_variables(lib: Any) -> None:
    lib.autograd.backward(_leaf(lib) * 2, grad_variables=lib.ones(1))


def _only_inputs(lib: Any) -> Any:
    x = _leaf(lib)
    return lib.autograd.grad(x * 2, x, only_inputs=False)


def _leaf(lib: Any) -> Any:
    return lib.ones(1, requires_grad=True)


def _pair(lib: Any) -> tuple[Any, Any]:
    return lib.ones(1), lib.ones(1)


def _scheduler(lib: Any) -> tuple[Any, Any]:
    optimizer = lib.optim.SGD([_leaf(lib)], lr=0.1)
    return optimizer, lib.optim.lr_scheduler.StepLR(optimizer, step_size=2)


def _scheduler_before_optimizer(lib: Any) -> None:
    _, scheduler = _scheduler(lib)
    scheduler.step()


def _optimizer_step_replaced(lib: Any) -> None:
    optimizer, scheduler = _scheduler(lib)
    optimizer.step = lambda closure=None: None
    scheduler.step()


def _scheduler_epoch(lib: Any) -> None:
    optimizer, scheduler = _scheduler(lib)
    optimizer.step()
    scheduler.step(1)


def _get_lr_outside_step(lib: Any) -> None:
    _, scheduler = _scheduler(lib)
    scheduler.get_lr()


def _pinned_loader(lib: Any) -> None:
    dataset = lib.utils.data.TensorDataset(lib.ones(2))
    list(lib.utils.data.DataLoader(dataset, pin_memory=True))


def _expanded(lib: Any) -> Any:
    return lib.zeros(1).expand(3)


def _mask(lib: Any) -> Any:
    return lib.tensor([True, False, True])


def _anomalous_backward(lib: Any) -> None:
    # np.errstate: "always" in _warnings_of also shows NumPy's own warning, which minimodel's
    # filter (minimodel/_numpy_warnings.py) hides otherwise.
    with lib.autograd.set_detect_anomaly(True), np.errstate(invalid="ignore"):
        x = lib.tensor([-1.0], requires_grad=True)
        y = x.sqrt()  # the forward call the warning shows
        with contextlib.suppress(RuntimeError):  # its NaN gradient
            y.sum().backward()


OLD = "elementwise_mean"  # a reduction PyTorch still takes, with a deprecation warning
SCENARIOS = {
    "optimizer duplicate parameters": _duplicate_parameters,
    "optimizer duplicate parameters, Adam": lambda lib: lib.optim.Adam(
        [lib.ones(1, requires_grad=True)] * 2
    ),
    "mse_loss target size": lambda lib: lib.nn.functional.mse_loss(lib.ones(2, 3), lib.ones(3)),
    "MSELoss target size": lambda lib: lib.nn.MSELoss()(lib.ones(2, 3), lib.ones(3)),
    "MSELoss target size, swapped": lambda lib: lib.nn.MSELoss()(lib.ones(3), lib.ones(2, 3)),
    "non-leaf grad": _non_leaf_grad,
    "backward grad_variables": _grad_variables,
    "grad only_inputs": _only_inputs,
    "softmax implicit dim": lambda lib: lib.nn.functional.softmax(lib.ones(2, 3)),
    "Softmax module implicit dim": lambda lib: lib.nn.Softmax()(lib.ones(2, 3)),
    "LogSoftmax module implicit dim": lambda lib: lib.nn.LogSoftmax()(lib.ones(2, 3)),
    "log_softmax implicit dim": lambda lib: lib.nn.functional.log_softmax(lib.ones(2, 3)),
    "size_average": lambda lib: lib.nn.MSELoss(size_average=False),
    "reduction elementwise_mean": lambda lib: lib.nn.functional.mse_loss(
        lib.ones(1), lib.ones(1), reduction="elementwise_mean"
    ),
    "MSELoss reduction elementwise_mean": lambda lib: lib.nn.MSELoss(reduction="elementwise_mean")(
        lib.ones(1), lib.ones(1)
    ),
    "kaiming on zero elements": lambda lib: lib.nn.init.kaiming_uniform_(lib.empty(0, 3)),
    "T of a 3-d tensor": lambda lib: lib.ones(2, 3, 4).T,
    "mT of a 0-d tensor": lambda lib: lib.ones(()).mT,
    "mH of a 0-d tensor": lambda lib: lib.ones(()).mH,
    "tensor of a tensor": lambda lib: lib.tensor(lib.ones(2)),
    "state_dict positional args": lambda lib: lib.nn.Linear(1, 1).state_dict({}, "p."),
    "Function instantiated": lambda lib: lib.autograd.Function(),
    "scheduler before optimizer": _scheduler_before_optimizer,
    "optimizer step replaced": _optimizer_step_replaced,
    "scheduler step(epoch)": _scheduler_epoch,
    "get_lr outside step": _get_lr_outside_step,
    "var without degrees of freedom": lambda lib: lib.ones(1).var(),
    "random_split empty part": lambda lib: lib.utils.data.random_split(range(1), [0.5, 0.5]),
    "DataLoader pin_memory": _pinned_loader,
    "index by a list of slices": lambda lib: lib.ones(2, 3)[[slice(None), 0]],
    "clip_grad_norm_ of an empty generator expression": lambda lib: lib.nn.utils.clip_grad_norm_(
        (p for p in []), 1
    ),
    "clip_grad_norm deprecated": lambda lib: lib.nn.utils.clip_grad_norm(_leaf(lib), 1.0),
    "masked_fill_ on an expand": lambda lib: _expanded(lib).masked_fill_(_mask(lib), 1.0),
    "index_put_ on an expand": lambda lib: _expanded(lib).__setitem__([0, 2], lib.ones(2)),
    "index_put_ of a number by a mask on an expand": lambda lib: _expanded(lib).__setitem__(
        _mask(lib), 1.0
    ),
    "detect_anomaly": lambda lib: lib.autograd.detect_anomaly(),
    "anomaly detection, a backward that returns NaN": _anomalous_backward,
    "index_put_ on a row of an expand": lambda lib: (
        lib.zeros(2, 1).expand(2, 3).__setitem__((0, _mask(lib)), lib.ones(()))
    ),
}


def _warnings_of(lib: Any, scenario: Any) -> list[tuple[str, str, str, int]]:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        scenario(lib)
    return [
        (w.category.__name__, _text(str(w.message)), w.filename, w.lineno)
        for w in caught
        if not str(w.message).startswith("grad and param do not obey")
    ]


def _text(message: str) -> str:
    # PyTorch's warnings raised from C++ end with where in its sources they were raised.
    message = re.sub(r" \(Triggered internally at [^)]*\)$", "", message)
    if message.startswith("Error detected in "):
        # Anomaly detection's stack: the frames of the test that called the scenario differ
        # between the two runs (their lines); the scenario's own forward call is compared.
        lines = message.splitlines()
        message = "\n".join([lines[0], *lines[-2:]])
    message = message.replace("torch.autograd.function.Function", "minimodel._function.Function")
    return as_minimodel(message.replace("torch.tensor(", "minimodel.tensor("))


def _where(filename: str, lineno: int, package: str) -> tuple[str, int]:
    if Path(filename).resolve() == Path(__file__).resolve():
        return "the caller", lineno
    assert f"{package}/" in filename.replace("\\", "/"), f"{filename} is neither"
    return "inside the library", 0


@pytest.mark.parametrize("name", list(SCENARIOS))
def test_warning_text_category_and_location_match_torch(name: str) -> None:
    theirs = _warnings_of(torch, SCENARIOS[name])
    mine = _warnings_of(mm, SCENARIOS[name])
    assert theirs, "the scenario must make PyTorch warn"
    assert [(c, m) for c, m, _, _ in mine] == [(c, m) for c, m, _, _ in theirs]
    for (_, _, m_file, m_line), (_, _, t_file, t_line) in zip(mine, theirs, strict=True):
        assert _where(m_file, m_line, "minimodel") == _where(t_file, t_line, "torch")


def test_scenarios_cover_every_warning_minimodel_gives() -> None:
    """Each ``warnings.warn(`` call in the package is reached by some scenario above."""
    root = Path(mm.__file__).parent
    calls = {}  # (file, line of the call's last line) -> line where it starts
    for path in root.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Call) and ast.unparse(node.func) == "warnings.warn":
                calls[(path.name, node.lineno)] = node
    reached = set()

    def trace(frame: Any, event: str, arg: Any) -> None:
        # warnings.warn is a C function: the profiler sees it called from the frame that calls it.
        if event == "c_call" and arg is warnings.warn and str(root) in frame.f_code.co_filename:
            reached.add((Path(frame.f_code.co_filename).name, frame.f_lineno))

    for scenario in SCENARIOS.values():
        sys.setprofile(trace)
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                scenario(mm)
        finally:
            sys.setprofile(None)
    missed = [
        f"{name}:{line}"
        for (name, line), node in calls.items()
        if not any(n == name and line <= r <= node.end_lineno for n, r in reached)
    ]
    assert not missed, f"no scenario makes these warn: {missed}"
