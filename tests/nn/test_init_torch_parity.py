"""nn.init against torch.nn.init: gains, fans, errors, and the distributions' bounds."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from budget import examples
from hypothesis import given, settings
from hypothesis import strategies as st
from nn_testing import assert_same_error, values
from torch_helpers import require_torch

import minimodel as mm

torch = require_torch()


@pytest.mark.parametrize(
    ("nonlinearity", "param"),
    [
        ("linear", None),
        ("conv1d", None),
        ("conv_transpose3d", None),
        ("sigmoid", None),
        ("tanh", None),
        ("relu", None),
        ("leaky_relu", None),
        ("leaky_relu", 0.2),
        ("leaky_relu", 3),
        ("selu", None),
    ],
)
def test_calculate_gain_matches_torch(nonlinearity, param) -> None:
    mine = mm.nn.init.calculate_gain(nonlinearity, param)
    theirs = torch.nn.init.calculate_gain(nonlinearity, param)
    assert mine == theirs and type(mine) is type(theirs)


@pytest.mark.parametrize("shape", [(16, 23), (5, 16), (8, 3, 5, 5), (2, 3, 4)])
def test_fan_in_and_fan_out_match_torch(shape) -> None:
    mine = mm.nn.init._calculate_fan_in_and_fan_out(mm.empty(*shape))
    theirs = torch.nn.init._calculate_fan_in_and_fan_out(torch.empty(*shape))
    assert mine == theirs


ERRORS = {
    "gain_unknown": lambda lib: lib.nn.init.calculate_gain("gelu"),
    "gain_bad_slope": lambda lib: lib.nn.init.calculate_gain("leaky_relu", "x"),
    "gain_bool_slope": lambda lib: lib.nn.init.calculate_gain("leaky_relu", True),
    "fan_vector": lambda lib: lib.nn.init.xavier_uniform_(lib.empty(5)),
    "kaiming_vector": lambda lib: lib.nn.init.kaiming_normal_(lib.empty(5)),
    "kaiming_mode": lambda lib: lib.nn.init.kaiming_uniform_(lib.empty(2, 2), mode="fan_avg"),
}


@pytest.mark.parametrize("case", list(ERRORS))
def test_init_errors_match_torch(case) -> None:
    assert_same_error(lambda: ERRORS[case](mm), lambda: ERRORS[case](torch))


# Each library's draws are recovered from a seeded generator of its own: a normal init is a standard
# normal draw times its std, a uniform one maps a U(0, 1) draw to [-bound, bound). Dividing the init
# by the raw draws of the same seed gives the std or the bound each library used, exactly, so a
# wrong gain or fan (even by 1%) fails, where comparing statistics of different streams could not.


def _torch_scale(fn: str, shape: tuple[int, ...], kwargs: dict[str, Any], normal: bool) -> float:
    t = getattr(torch.nn.init, fn)(
        torch.empty(shape), generator=torch.Generator().manual_seed(7), **kwargs
    )
    raw = torch.empty(shape)
    if normal:
        raw.normal_(generator=torch.Generator().manual_seed(7))
    else:
        raw.uniform_(-1, 1, generator=torch.Generator().manual_seed(7))
    return _ratio(t.numpy(), raw.numpy())


def _mm_scale(fn: str, shape: tuple[int, ...], kwargs: dict[str, Any], normal: bool) -> float:
    t = getattr(mm.nn.init, fn)(mm.empty(*shape), generator=np.random.default_rng(7), **kwargs)
    rng = np.random.default_rng(7)
    raw = rng.standard_normal(shape) if normal else rng.uniform(-1, 1, shape)
    return _ratio(t.numpy(), raw)


def _ratio(values: np.ndarray, raw: np.ndarray) -> float:
    # Least squares of values = scale * raw; exact up to float32 rounding.
    raw = raw.astype(np.float64).ravel()
    return float(values.astype(np.float64).ravel() @ raw / (raw @ raw))


init_calls = st.one_of(
    st.tuples(
        st.just("xavier_uniform_"),
        st.fixed_dictionaries({}, optional={"gain": st.floats(0.1, 3.0)}),
    ),
    st.tuples(
        st.just("xavier_normal_"), st.fixed_dictionaries({}, optional={"gain": st.floats(0.1, 3.0)})
    ),
    *[
        st.tuples(
            st.just(fn),
            st.fixed_dictionaries(
                {},
                optional={
                    "a": st.floats(0.0, 3.0),
                    "mode": st.sampled_from(["fan_in", "fan_out", "FAN_OUT"]),
                    "nonlinearity": st.sampled_from(
                        ["leaky_relu", "relu", "tanh", "linear", "sigmoid", "conv2d", "selu"]
                    ),
                },
            ),
        )
        for fn in ("kaiming_uniform_", "kaiming_normal_")
    ],
)


@settings(max_examples=examples(150))
@given(call=init_calls, shape=st.lists(st.integers(1, 6), min_size=2, max_size=4).map(tuple))
def test_init_scale_gain_and_fan_match_torch_exactly(call, shape) -> None:
    fn, kwargs = call
    normal = fn.endswith("normal_")
    mine = _mm_scale(fn, shape, kwargs, normal)
    theirs = _torch_scale(fn, shape, kwargs, normal)
    assert mine == pytest.approx(theirs, rel=1e-5)


@pytest.mark.parametrize(("fn", "value"), [("zeros_", 0.0), ("ones_", 1.0)])
def test_constant_inits_match_torch(fn, value) -> None:
    mine, theirs = mm.empty(2, 3), torch.empty(2, 3)
    getattr(mm.nn.init, fn)(mine)
    getattr(torch.nn.init, fn)(theirs)
    np.testing.assert_array_equal(values(mine), values(theirs))
    assert (values(mm.nn.init.constant_(mm.empty(2), value)) == value).all()
