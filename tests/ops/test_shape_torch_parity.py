"""reshape and view against torch for generated shapes: results, and every error path.

Target shapes are drawn from small integers including -1 (infer), other negative numbers and
zeros, for inputs that are contiguous or transposed (where view must refuse what reshape copies).
"""

from __future__ import annotations

from typing import Any

import numpy as np
from budget import examples
from hypothesis import example, given, settings
from hypothesis import strategies as st
from torch_compare import as_minimodel
from torch_helpers import require_torch

import minimodel as mm

torch = require_torch()


def _outcome(lib: Any, shape: tuple, transposed: bool, method: str, spec: tuple, packed: bool):
    x = lib.arange(float(np.prod(shape))).reshape(shape)
    if transposed and x.ndim >= 2:
        x = x.transpose(0, 1)
    fn = getattr(x, method)
    try:
        out = fn(spec) if packed else fn(*spec)
    except Exception as error:  # the error is the outcome compared
        return type(error).__name__, as_minimodel(str(error))
    return tuple(out.shape), out.tolist()


@settings(max_examples=examples(400))
@given(
    shape=st.lists(st.integers(0, 4), min_size=0, max_size=3).map(tuple),
    transposed=st.booleans(),
    method=st.sampled_from(["reshape", "view"]),
    spec=st.lists(st.integers(-3, 8), min_size=0, max_size=4).map(tuple),
    packed=st.booleans(),
)
# Found by a hunt: two -1s and a size below -1, where the first one in order decides the error.
@example(shape=(), transposed=False, method="reshape", spec=(-1, -2, -1), packed=False)
@example(shape=(), transposed=False, method="view", spec=(-1, -1, -2), packed=True)
def test_reshape_and_view_results_and_errors_match_torch(shape, transposed, method, spec, packed):
    args = (shape, transposed, method, spec, packed)
    assert _outcome(mm, *args) == _outcome(torch, *args)
