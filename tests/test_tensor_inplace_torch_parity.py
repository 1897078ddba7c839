"""Every in-place method of Tensor returns the tensor itself and leaves the values PyTorch's do.

Scripts chain them (``w.grad.zero_().add_(g)``) and test what they return; a method that
changed the values but returned None would pass every test that looks at the values only.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from torch_helpers import require_torch

import minimodel as mm

torch = require_torch()

# The arguments each in-place method takes, as a function of the library (None: no argument).
ARGUMENTS: dict[str, Any] = {
    "abs_": None,
    "add_": lambda lib: (lib.tensor([1.0, 2.0, 3.0]),),
    "ceil_": None,
    "clamp_": lambda lib: (-0.5, 0.5),
    "copy_": lambda lib: (lib.tensor([4.0, 5.0, 6.0]),),
    "cos_": None,
    "detach_": None,
    "div_": lambda lib: (2.0,),
    "exp_": None,
    "expm1_": None,
    "fill_": lambda lib: (7.0,),
    "floor_": None,
    "log1p_": None,
    "log_": None,
    "masked_fill_": lambda lib: (lib.tensor([True, False, True]), 9.0),
    "mul_": lambda lib: (3.0,),
    "neg_": None,
    "normal_": None,
    "pow_": lambda lib: (2,),
    "relu_": None,
    "requires_grad_": None,
    "round_": None,
    "sigmoid_": None,
    "sign_": None,
    "sin_": None,
    "sqrt_": None,
    "square_": None,
    "sub_": lambda lib: (lib.tensor([1.0, 1.0, 1.0]),),
    "tanh_": None,
    "uniform_": None,
    "zero_": None,
}
RANDOM = {"normal_", "uniform_"}  # values differ between the libraries' generators


def test_every_in_place_method_is_listed() -> None:
    methods = {n for n in dir(mm.Tensor) if n.endswith("_") and not n.startswith("_")}
    assert methods == set(ARGUMENTS), methods ^ set(ARGUMENTS)


@pytest.mark.parametrize("name", sorted(ARGUMENTS))
def test_in_place_method_returns_the_tensor_with_torchs_values(name: str) -> None:
    results = []
    for lib in (mm, torch):
        t = lib.tensor([0.25, 1.5, 2.0])
        args = ARGUMENTS[name](lib) if ARGUMENTS[name] else ()
        returned = getattr(t, name)(*args)
        assert returned is t, f"{lib.__name__}: {name} returns {returned!r}"
        results.append(t.detach().numpy().copy())
    if name not in RANDOM:
        np.testing.assert_allclose(results[0], results[1], rtol=1e-6)
