"""Every layer built with generated arguments, valid or not, against torch.nn's.

Each case draws a layer and values for its constructor's arguments from pools that mix good
ones with bad ones (negative, zero, float and string sizes, out-of-range indices and
probabilities, unknown names, dtypes). Both libraries must raise the same error, or build
layers with the same ``repr``, the same public attributes and the same parameters (names,
shapes, dtypes, ``requires_grad``).
"""

from __future__ import annotations

from typing import Any

from budget import examples
from hypothesis import given, settings
from hypothesis import strategies as st
from nn_testing import normalize
from torch_compare import outcome
from torch_helpers import require_torch

import minimodel as mm

torch = require_torch()

SIZES = [0, 1, 3, -1, 2.5, "a", True]
DTYPES = [None, "float32", "float64", "float16", "int64"]
# Per layer: its arguments, each with the values to draw from (the first, most often).
LAYERS: dict[str, dict[str, list[Any]]] = {
    "Linear": {"in_features": SIZES, "out_features": SIZES, "bias": [True, False], "dtype": DTYPES},
    "Embedding": {
        "num_embeddings": SIZES,
        "embedding_dim": SIZES,
        "padding_idx": [None, 0, 2, -1, -3, 3, -4],
        "max_norm": [None, 1.0, -1.0],
        "norm_type": [2.0, 1.0],
        "scale_grad_by_freq": [False, True],
        "dtype": DTYPES,
    },
    "LayerNorm": {
        "normalized_shape": [3, (2, 3), [2, 3], (), 0, -1, (2, -1)],
        "eps": [1e-5, 0.1, 0.0],
        "elementwise_affine": [True, False],
        "bias": [True, False],
        "dtype": DTYPES,
    },
    "Dropout": {"p": [0.5, 0.0, 1.0, -0.1, 1.5, 1], "inplace": [False, True]},
    "Flatten": {"start_dim": [1, 0, -1, 2], "end_dim": [-1, 0, 1, -2]},
    "Identity": {"unused": [None, 3]},
    "ReLU": {"inplace": [False, True]},
    "LeakyReLU": {"negative_slope": [0.01, 0.2, -1.0, 1], "inplace": [False, True]},
    "GELU": {"approximate": ["none", "tanh", "bogus"]},
    "Softplus": {"beta": [1.0, 2, 0.5], "threshold": [20.0, 5, -1.0]},
    "Softmax": {"dim": [None, 0, 1, -1]},
    "LogSoftmax": {"dim": [None, 0, -1]},
    "Sigmoid": {},
    "Tanh": {},
    "MSELoss": {"reduction": ["mean", "sum", "none", "avg"], "size_average": [None, False]},
    "L1Loss": {"reduction": ["mean", "none"], "reduce": [None, False]},
    "HuberLoss": {"reduction": ["mean", "sum"], "delta": [1.0, 0.5, 0.0, -1.0]},
    "SmoothL1Loss": {"reduction": ["mean", "sum"], "beta": [1.0, 0.5, 0.0, -1.0]},
    "BCELoss": {"reduction": ["mean", "none"], "size_average": [None, True, False]},
    "BCEWithLogitsLoss": {"reduction": ["mean", "sum"], "reduce": [None, True, False]},
    "CrossEntropyLoss": {
        "ignore_index": [-100, 0, 3],
        "reduction": ["mean", "sum", "none"],
        "label_smoothing": [0.0, 0.1, 1.0, 2.0, -0.5],
    },
    "NLLLoss": {"ignore_index": [-100, 1], "reduction": ["mean", "none"]},
}
# Attributes PyTorch keeps as buffers, a documented difference (no buffers in minimodel).
BUFFERS = {"weight", "pos_weight"}


@st.composite
def constructions(draw: Any) -> tuple[str, dict[str, Any]]:
    name = draw(st.sampled_from(sorted(LAYERS)))
    kwargs = {}
    for arg, pool in LAYERS[name].items():
        if draw(st.integers(0, 2)):  # an argument left out takes its default
            kwargs[arg] = draw(st.sampled_from(pool))
    return name, kwargs


def _describe(lib: Any, name: str, kwargs: dict[str, Any]) -> tuple[str, ...]:
    options = dict(kwargs)
    if options.get("dtype"):
        options["dtype"] = getattr(lib, options["dtype"])
    kind, layer = outcome(lambda: getattr(lib.nn, name)(**options))
    if kind == "raise":
        return (normalize(f"{type(layer).__name__}: {layer}"),)
    buffers = BUFFERS if "Loss" in name else set()
    attributes = {
        k: repr(v)
        for k, v in vars(layer).items()
        if not k.startswith("_") and k not in buffers and k != "training"
    }
    parameters = [
        (n, tuple(p.shape), str(p.dtype), p.requires_grad) for n, p in layer.named_parameters()
    ]
    return normalize(repr(layer)), normalize(str(attributes)), normalize(str(parameters))


@settings(max_examples=examples(150))
@given(case=constructions())
def test_layer_built_with_generated_arguments_matches_torch(case: Any) -> None:
    name, kwargs = case
    assert _describe(mm, name, kwargs) == _describe(torch, name, kwargs)
