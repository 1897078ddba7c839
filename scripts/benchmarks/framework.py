"""The workloads written once against PyTorch's API: ``lib`` is ``torch`` or ``minimodel``.

That one piece of code runs on both is the point of minimodel (a script ports by changing its
imports), so the two are timed on exactly the same Python.

Each function returns the loss after every step and the seconds the steps took (set-up, such as
building the model and loading the shared initial weights, is not timed).
"""

from __future__ import annotations

from time import perf_counter
from types import ModuleType

import numpy as np

from .workloads import CHAIN_LR, CHAIN_OPS, MLP_LR, MLP_MOMENTUM, TENSE_LR

Result = tuple[list[float], float]


def _linear(lib: ModuleType, weight: np.ndarray, bias: np.ndarray):  # -> lib.nn.Linear
    layer = lib.nn.Linear(weight.shape[1], weight.shape[0])
    with lib.no_grad():
        layer.weight.copy_(lib.tensor(weight))
        layer.bias.copy_(lib.tensor(bias))
    return layer


def _train(lib, model, loss_fn, optimizer, x: np.ndarray, y: np.ndarray, steps: int) -> Result:
    inputs, targets = lib.tensor(x), lib.tensor(y)
    losses = []
    start = perf_counter()
    for _ in range(steps):
        optimizer.zero_grad()
        loss = loss_fn(model(inputs), targets)
        loss.backward()
        optimizer.step()
        losses.append(loss.item())
    return losses, perf_counter() - start


def tense_mlp(lib: ModuleType, data: dict[str, np.ndarray], steps: int) -> Result:
    """The book's TenseMLP (23 -> 16 -> ReLU -> 5), full batch, BCE-with-logits, Adam."""
    nn, F = lib.nn, lib.nn.functional

    class TenseMLP(nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.fc1 = _linear(lib, data["w1"], data["b1"])
            self.fc2 = _linear(lib, data["w2"], data["b2"])

        def forward(self, x):
            return self.fc2(F.relu(self.fc1(x)))

    model = TenseMLP()
    optimizer = lib.optim.Adam(model.parameters(), lr=TENSE_LR)
    return _train(lib, model, nn.BCEWithLogitsLoss(), optimizer, data["x"], data["y"], steps)


def mlp(lib: ModuleType, data: dict[str, np.ndarray], steps: int) -> Result:
    """784 -> 256 -> ReLU -> 10 on one batch of 512, cross-entropy on class indices, SGD."""
    nn = lib.nn
    model = nn.Sequential(
        _linear(lib, data["w1"], data["b1"]), nn.ReLU(), _linear(lib, data["w2"], data["b2"])
    )
    optimizer = lib.optim.SGD(model.parameters(), lr=MLP_LR, momentum=MLP_MOMENTUM)
    return _train(lib, model, nn.CrossEntropyLoss(), optimizer, data["x"], data["y"], steps)


def chain(lib: ModuleType, data: dict[str, np.ndarray], steps: int) -> Result:
    """Autograd overhead: ``(y * w + b).tanh()`` 333 times and a sum (1,000 operations on
    16-element vectors), backward, and a plain gradient step on ``x``, ``w`` and ``b``."""
    x, w, b = (lib.tensor(data[k], requires_grad=True) for k in ("x", "w", "b"))
    links = CHAIN_OPS // 3
    losses = []
    start = perf_counter()
    for _ in range(steps):
        y = x
        for _ in range(links):
            y = (y * w + b).tanh()
        loss = y.sum()
        loss.backward()
        with lib.no_grad():
            for p in (x, w, b):
                p -= CHAIN_LR * p.grad
                p.grad = None
        losses.append(loss.item())
    return losses, perf_counter() - start


WORKLOADS = {"tense_mlp": tense_mlp, "mlp": mlp, "chain": chain}
