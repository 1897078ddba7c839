"""Every loss with generated options against torch: values, dtypes, gradients and errors.

Each case draws a loss, its input shape (one sample without a batch dimension, an empty batch,
extra dimensions), the dtypes of the input and the target (mixed, and now and then an integer
or bool one), the reduction, the loss's own options (class ``weight``, ``pos_weight``,
``ignore_index`` hit by none, some or all the targets, a target out of bounds,
``label_smoothing``, ``delta``, ``beta``), which tensors require grad (the target, the weight),
and whether the functional form or the layer is called. Both libraries must raise the same
error, or give the same result and the same gradients (or the same error in backward).
"""

from __future__ import annotations

from typing import Any

import numpy as np
from budget import examples
from hypothesis import given, settings
from hypothesis import strategies as st
from nn_testing import assert_same_call
from torch_helpers import require_torch

torch = require_torch()

FLOATS = ["float32", "float64", "float16"]
# Mostly floats; an integer or bool operand now and then, for the losses' dtype checks.
DTYPES = st.sampled_from(FLOATS * 4 + ["int64", "int32", "uint8", "bool"])
POINTWISE = {"mse": "MSELoss", "l1": "L1Loss", "huber": "HuberLoss", "smooth_l1": "SmoothL1Loss"}
CLASSES = {"ce_index": "CrossEntropyLoss", "ce_probs": "CrossEntropyLoss", "nll": "NLLLoss"}
BINARY = {"bce": "BCELoss", "bce_logits": "BCEWithLogitsLoss"}
LAYERS = {**POINTWISE, **CLASSES, **BINARY}


def _values(rng: np.random.Generator, shape: tuple[int, ...], dtype: str, kind: str) -> np.ndarray:
    """Random values of ``kind``: ``logits`` (any sign, some large), ``probs`` (in [0, 1], with
    exact 0s and 1s) or ``classes:C`` (indices below C)."""
    if kind.startswith("classes"):
        return rng.integers(0, int(kind.split(":")[1]), shape).astype(dtype)
    if dtype == "bool":
        return rng.random(shape) < 0.5
    if kind == "probs":
        x = rng.random(shape)
        x[rng.random(shape) < 0.1] = 0.0
        x[rng.random(shape) < 0.1] = 1.0
    else:
        x = rng.standard_normal(shape) * rng.choice([0.5, 3.0, 100.0])
    if np.dtype(dtype).kind != "f":
        x = np.round(np.abs(x) if dtype == "uint8" else x)
    return x.astype(dtype)


def _suffix(draw: Any, shape: tuple[int, ...]) -> tuple[int, ...]:
    """A shape that broadcasts to ``shape``: one of its suffixes, some sizes turned to 1."""
    tail = shape[len(shape) - draw(st.integers(0, len(shape))) :]
    return tuple(1 if draw(st.booleans()) else n for n in tail)


@st.composite
def loss_cases(draw: Any) -> tuple[str, dict[str, Any], dict[str, np.ndarray], list[bool], bool]:
    name = draw(st.sampled_from(sorted(LAYERS)))
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    dtype = draw(DTYPES)
    target_dtype = draw(st.sampled_from([dtype] * 3 + FLOATS + ["int64", "bool"]))
    options: dict[str, Any] = {"reduction": draw(st.sampled_from(["mean", "sum", "none"]))}
    arrays: dict[str, np.ndarray] = {}
    if name in CLASSES:
        n_classes = draw(st.integers(0, 4))
        batch = draw(st.sampled_from([(), (0,), (1,), (3,)]))
        spatial = draw(st.sampled_from([(), (), (2,), (2, 1)])) if batch else ()
        shape = (*batch, n_classes, *spatial)
        arrays["input"] = _values(rng, shape, dtype, "logits")
        if name == "ce_probs":
            arrays["target"] = _values(rng, shape, target_dtype, "probs")
        else:
            target = _values(rng, (*batch, *spatial), "int64", f"classes:{max(n_classes, 1)}")
            ignore = draw(st.sampled_from([-100, 0, n_classes - 1, n_classes + 2]))
            hit = draw(st.sampled_from(["none", "some", "all"]))
            if hit != "none" and target.size:
                mask = rng.random(target.shape) < 0.5 if hit == "some" else np.ones_like(target)
                target[mask.astype(bool)] = ignore
            if target.size and draw(st.integers(0, 7)) == 0:  # out of bounds, unless ignored
                target.flat[0] = draw(st.sampled_from([-1, n_classes, 65, 156]))
            if draw(st.integers(0, 9)) == 0:
                target = target.astype(draw(st.sampled_from(["uint8", "int32", "float32"])))
            arrays["target"] = target
            options["ignore_index"] = ignore
        if draw(st.booleans()):
            classes = n_classes if draw(st.integers(0, 9)) else n_classes + 1
            arrays["weight"] = _values(rng, (classes,), dtype, "probs") + np.array(0.5, dtype)
        if name != "nll" and draw(st.booleans()):
            options["label_smoothing"] = draw(st.sampled_from([0.0, 0.1, 0.5, 1.0, -0.2]))
    else:
        shape = draw(st.sampled_from([(), (0,), (3,), (2, 3), (2, 1, 3)]))
        kind = "probs" if name == "bce" else "logits"
        arrays["input"] = _values(rng, shape, dtype, kind)
        target_shape = shape
        if name in POINTWISE and draw(st.integers(0, 4)) == 0:
            target_shape = _suffix(draw, shape)  # broadcast, with PyTorch's warning
        arrays["target"] = _values(rng, target_shape, target_dtype, "probs")
        if name in BINARY and draw(st.booleans()):
            arrays["weight"] = _values(rng, _suffix(draw, shape), dtype, "probs")
        if name == "bce_logits" and draw(st.booleans()):
            pos = _values(rng, _suffix(draw, shape), draw(st.sampled_from(FLOATS)), "probs")
            arrays["pos_weight"] = pos * 3
        if name == "huber":
            options["delta"] = draw(st.sampled_from([0.3, 1.0, 2.5]))
        if name == "smooth_l1":
            options["beta"] = draw(st.sampled_from([0.0, 0.3, 1.0]))
    grads = [k == "input" or draw(st.integers(0, 3)) == 0 for k in arrays]
    return name, options, arrays, grads, draw(st.booleans())


def _call(name: str, options: dict[str, Any], names: list[str], layer: bool) -> Any:
    """``fn(lib, *tensors)`` calling the loss (its function, or its layer) with the tensors."""

    def fn(lib: Any, *tensors: Any) -> Any:
        given = dict(zip(names, tensors, strict=True))
        input, target = given.pop("input"), given.pop("target")
        kwargs = {**options, **given}
        if layer:
            return getattr(lib.nn, LAYERS[name])(**kwargs)(input, target)
        function = {
            "mse": "mse_loss",
            "l1": "l1_loss",
            "huber": "huber_loss",
            "smooth_l1": "smooth_l1_loss",
            "ce_index": "cross_entropy",
            "ce_probs": "cross_entropy",
            "nll": "nll_loss",
            "bce": "binary_cross_entropy",
            "bce_logits": "binary_cross_entropy_with_logits",
        }[name]
        return getattr(lib.nn.functional, function)(input, target, **kwargs)

    return fn


@settings(max_examples=examples(300))
@given(case=loss_cases())
def test_loss_with_generated_options_matches_torch(case: Any) -> None:
    name, options, arrays, grads, layer = case
    call = _call(name, options, list(arrays), layer)
    # With several targets out of bounds, PyTorch's threads report whichever one of them a
    # thread meets first; on one thread, the first, as minimodel does.
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    try:
        assert_same_call(call, list(arrays.values()), grads)
    finally:
        torch.set_num_threads(threads)
