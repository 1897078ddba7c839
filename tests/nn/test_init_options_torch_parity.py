"""nn.init with generated tensors and arguments against torch.nn.init.

Each case draws an init function, a tensor (float16, float32, float64, an integer or bool dtype;
0-d, 1-d, empty or wider shapes; a leaf that requires grad or not) and arguments from pools mixing
good and bad values (bounds out of the dtype's range, NaN and infinities, a negative std, values
a dtype cannot hold, unknown modes and nonlinearities, a generator). Both libraries must raise
the same error, or fill the very tensor they were given, of the same dtype and shape, with the
same version count and ``requires_grad``, and the same values where they are not random.
"""

from __future__ import annotations

from typing import Any

from budget import examples
from hypothesis import given, settings
from hypothesis import strategies as st
from nn_testing import normalize, values
from torch_compare import outcome
from torch_helpers import require_torch

import minimodel as mm

torch = require_torch()

BOUNDS = [0.0, 1.0, -2.0, float("inf"), float("nan"), 1e39, 7e4, -6e4]
ARGS: dict[str, dict[str, list[Any]]] = {
    "uniform_": {"a": BOUNDS, "b": BOUNDS},
    "normal_": {"mean": [0.0, 2.0, float("nan")], "std": [1.0, 0.0, -1.0, 0.02]},
    "constant_": {"val": [3, 2.5, True, float("nan"), 1e10, -1, 300]},
    "ones_": {},
    "zeros_": {},
    "xavier_uniform_": {"gain": [1.0, 2.0, 0.0]},
    "xavier_normal_": {"gain": [1.0, 0.5]},
    "kaiming_uniform_": {
        "a": [0.0, 2.0, -1.0],
        "mode": ["fan_in", "fan_out", "fan_avg"],
        "nonlinearity": ["leaky_relu", "relu", "tanh", "selu", "linear", "bogus"],
    },
    "kaiming_normal_": {
        "a": [0.0, 1.0],
        "mode": ["fan_in", "fan_out"],
        "nonlinearity": ["leaky_relu", "sigmoid", "conv2d", "bogus"],
    },
}
RANDOM = {"uniform_", "normal_", "xavier_uniform_", "xavier_normal_"}
RANDOM |= {"kaiming_uniform_", "kaiming_normal_"}
SHAPES = [(), (3,), (0,), (0, 3), (3, 0), (4, 5), (2, 3, 4), (2, 0, 3)]
DTYPES = ["float32", "float64", "float16", "int64", "int32", "bool"]


@st.composite
def init_cases(draw: Any) -> tuple[str, dict[str, Any], tuple[int, ...], str, bool, bool]:
    name = draw(st.sampled_from(sorted(ARGS)))
    kwargs = {}
    for arg, pool in ARGS[name].items():
        if draw(st.integers(0, 2)):
            kwargs[arg] = draw(st.sampled_from(pool))
    shape = draw(st.sampled_from(SHAPES))
    dtype = draw(st.sampled_from(DTYPES * 2 if name in RANDOM else DTYPES))
    requires_grad = dtype.startswith("float") and draw(st.booleans())
    generator = name in RANDOM and draw(st.booleans())
    return name, kwargs, shape, dtype, requires_grad, generator


def _run(lib: Any, case: Any) -> tuple[Any, ...]:
    name, kwargs, shape, dtype, requires_grad, generator = case
    tensor = lib.zeros(shape, dtype=getattr(lib, dtype), requires_grad=requires_grad)
    options = dict(kwargs)
    if generator:
        options["generator"] = lib.Generator().manual_seed(0)
    kind, result = outcome(lambda: getattr(lib.nn.init, name)(tensor, **options))
    if kind == "raise":
        return (type(result).__name__, normalize(str(result)))
    filled = None if name in RANDOM else values(tensor).tolist()
    return (
        result is tensor,
        str(tensor.dtype).split(".")[-1],
        tuple(tensor.shape),
        tensor.requires_grad,
        tensor._version,
        repr(filled),
    )


@settings(max_examples=examples(150))
@given(case=init_cases())
def test_init_with_generated_arguments_matches_torch(case: Any) -> None:
    assert _run(mm, case) == _run(torch, case)
