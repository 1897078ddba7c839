"""``minimodel.cuda`` against ``torch.cuda`` on a machine without a GPU.

The queries and the no-ops return what PyTorch's CPU build returns, and validate their argument
as it does; the calls that need a GPU raise minimodel's one device error where PyTorch raises
``AssertionError: Torch not compiled with CUDA enabled`` (or, for ``set_device``, an
``AttributeError`` about its C extension): a deliberate difference, since that message names
PyTorch's build.
"""

from __future__ import annotations

import pytest
from budget import examples
from hypothesis import given, settings
from hypothesis import strategies as st
from torch_compare import assert_same_error, outcome
from torch_helpers import require_torch

import minimodel as mm

torch = require_torch()

ANSWERS = ["is_available", "device_count", "is_initialized", "seed", "seed_all", "empty_cache"]
NEEDS_A_GPU = [
    ("synchronize", ()),
    ("current_device", ()),
    ("get_device_name", ()),
    ("set_device", (0,)),
]


@pytest.mark.parametrize("name", ANSWERS)
def test_queries_and_no_ops_return_what_torch_returns_without_a_gpu(name):
    mine, theirs = getattr(mm.cuda, name)(), getattr(torch.cuda, name)()
    assert (type(mine), mine) == (type(theirs), theirs)


def test_the_device_line_of_pytorch_scripts_picks_the_cpu():
    device = "cuda" if mm.cuda.is_available() else "cpu"
    assert device == ("cuda" if torch.cuda.is_available() else "cpu") == "cpu"
    mm.set_default_device(device)
    assert mm.zeros(1).device == mm.device("cpu")


seeds = st.one_of(
    st.integers(-(2**70), 2**70),
    st.floats(),
    st.text(alphabet="0123456789-+ ._ax", max_size=5),
    st.none(),
    st.booleans(),
)


@pytest.mark.parametrize("name", ["manual_seed", "manual_seed_all"])
@settings(max_examples=examples(40))
@given(seeds)
def test_seeding_does_nothing_and_refuses_what_torch_refuses(name, seed):
    state = mm.random.generator().bit_generator.state
    mine = outcome(lambda: getattr(mm.cuda, name)(seed))
    theirs = outcome(lambda: getattr(torch.cuda, name)(seed))
    assert mine[0] == theirs[0], (mine, theirs)
    if mine[0] == "raise":
        assert_same_error(mine[1], theirs[1])
    else:
        assert mine[1] is theirs[1] is None
    # Seeding the GPUs leaves the CPU generator alone, as in PyTorch.
    assert mm.random.generator().bit_generator.state == state


@pytest.mark.parametrize(("name", "args"), NEEDS_A_GPU, ids=[name for name, _ in NEEDS_A_GPU])
def test_calls_that_need_a_gpu_raise_the_one_device_error(name, args):
    with pytest.raises((AssertionError, AttributeError), match=r"CUDA|_cuda"):
        getattr(torch.cuda, name)(*args)
    with pytest.raises(RuntimeError, match=r"^minimodel runs on the CPU only, got device 'cuda'$"):
        getattr(mm.cuda, name)(*args)


def test_every_public_function_is_tested_against_torch():
    tested = {*ANSWERS, "manual_seed", "manual_seed_all", *(name for name, _ in NEEDS_A_GPU)}
    assert set(mm.cuda.__all__) == tested
    assert all(hasattr(torch.cuda, name) for name in tested)
