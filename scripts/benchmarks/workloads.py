"""The workloads: their sizes and step counts, and the one set of initial weights and data.

Every implementation starts from the arrays :func:`make_inputs` draws here, once, with NumPy, so
their loss curves can be compared step by step.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Workload:
    """One benchmark: ``steps`` training steps (``quick_steps`` under ``--quick``)."""

    name: str
    title: str
    steps: int
    quick_steps: int
    unit: str = "step"


TENSE_MLP = Workload("tense_mlp", "(a) TenseMLP 60x23-16-5, BCE, Adam", 2000, 5)
MLP = Workload("mlp", "(b) MLP 512x784-256-10, CE, SGD momentum", 200, 3)
CHAIN = Workload("chain", "(c) 1,000 elementwise ops on 16 floats, fwd+bwd", 50, 2, unit="pass")
WORKLOADS = (TENSE_MLP, MLP, CHAIN)

# Hyper-parameters shared by all implementations.
TENSE_LR = 1e-2
MLP_LR = 0.05
MLP_MOMENTUM = 0.9
CHAIN_OPS = 1000  # 333 links of (mul, add, tanh), then the sum
CHAIN_LR = 0.01

# float32 agreement of two loss curves, elementwise: |a - b| <= ATOL + RTOL * |b|. Different
# summation orders (BLAS kernels, reductions) make the curves differ in the last bits, and Adam's
# step (m / sqrt(v)) lets those differences grow over 2000 steps; these bounds hold with a wide
# margin here and would still catch any wrong gradient, which changes the curve in the first steps.
ATOL = 1e-4
RTOL = 1e-3


def _uniform_linear(rng: np.random.Generator, n_in: int, n_out: int) -> dict[str, np.ndarray]:
    # PyTorch's default nn.Linear init: U(-1/sqrt(n_in), 1/sqrt(n_in)) for weight and bias.
    bound = 1 / np.sqrt(n_in)
    return {
        "weight": rng.uniform(-bound, bound, (n_out, n_in)).astype(np.float32),
        "bias": rng.uniform(-bound, bound, n_out).astype(np.float32),
    }


def _mlp_weights(rng: np.random.Generator, sizes: tuple[int, int, int]) -> dict[str, np.ndarray]:
    fc1 = _uniform_linear(rng, sizes[0], sizes[1])
    fc2 = _uniform_linear(rng, sizes[1], sizes[2])
    return {"w1": fc1["weight"], "b1": fc1["bias"], "w2": fc2["weight"], "b2": fc2["bias"]}


def make_inputs(seed: int = 0) -> dict[str, np.ndarray]:
    """Every array the workloads need, keyed ``"<workload>.<name>"``.

    TenseMLP trains on the book's real data set (``minimodel.datasets.grammar_grid_tensors``);
    the MLP on synthetic data whose labels a random linear map of the inputs decides, so the
    loss falls; the chain on three random 16-vectors.
    """
    from minimodel.datasets import grammar_grid_tensors

    rng = np.random.default_rng(seed)
    arrays: dict[str, np.ndarray] = {}
    x, y = grammar_grid_tensors()
    tense = {"x": x.numpy(), "y": y.numpy(), **_mlp_weights(rng, (23, 16, 5))}

    mlp_x = rng.standard_normal((512, 784)).astype(np.float32)
    labels = (mlp_x @ rng.standard_normal((784, 10)).astype(np.float32)).argmax(axis=1)
    mlp = {"x": mlp_x, "y": labels.astype(np.int64), **_mlp_weights(rng, (784, 256, 10))}

    chain = {
        "x": rng.uniform(-1, 1, 16).astype(np.float32),
        "w": rng.uniform(0.8, 1.2, 16).astype(np.float32),
        "b": rng.uniform(-0.1, 0.1, 16).astype(np.float32),
    }
    for prefix, group in (("tense_mlp", tense), ("mlp", mlp), ("chain", chain)):
        for key, value in group.items():
            arrays[f"{prefix}.{key}"] = value
    return arrays


def inputs_of(arrays: dict[str, np.ndarray], workload: str) -> dict[str, np.ndarray]:
    """The arrays of one workload, without their prefix (copies: a run may not alter them)."""
    prefix = workload + "."
    return {k[len(prefix) :]: v.copy() for k, v in arrays.items() if k.startswith(prefix)}
