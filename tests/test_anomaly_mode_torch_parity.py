"""Anomaly detection against PyTorch: random programs whose backward may give NaN or fail.

Each program applies a few operations (some of which give NaN or infinite gradients at the
drawn inputs: ``sqrt`` and ``log`` of negatives, ``x / x`` at zero) and maybe changes a saved
tensor in place, then runs ``backward`` with anomaly detection on (or off), ``check_nan`` either
way. Both libraries must raise the same error or give the same gradients, warn "Error detected
in <node>" for the same node, and leave the mode as it was.
"""

from __future__ import annotations

import contextlib
import re
import warnings

import numpy as np
from budget import examples
from hypothesis import given, settings
from hypothesis import strategies as st
from torch_compare import as_minimodel
from torch_helpers import require_torch

import minimodel as mm

torch = require_torch()

OPS = {
    "sqrt": lambda lib, t: t.sqrt(),
    "log": lambda lib, t: t.log(),
    "self_div": lambda lib, t: t / t,
    "square": lambda lib, t: t * t,
    "exp": lambda lib, t: t.exp(),
    "abs": lambda lib, t: t.abs(),
    "pow_half": lambda lib, t: t**0.5,
    "sum_keep": lambda lib, t: t.sum(0, keepdim=True) + t,
}
_DETECTED = re.compile(
    r"Error detected in (\w+)\. Traceback of forward call that caused the error:"
)


def _run(lib, values, ops, in_place, mode, check_nan):
    """What happens: ("raise", message) or ("ok", grad), the nodes the warnings name, the mode
    after."""
    x = lib.tensor(values, requires_grad=True)
    with warnings.catch_warnings(record=True) as caught, np.errstate(all="ignore"):
        warnings.simplefilter("always")
        context = (
            lib.autograd.detect_anomaly(check_nan=check_nan)
            if mode == "detect"
            else lib.autograd.set_detect_anomaly(mode == "on", check_nan=check_nan)
        )
        with context:
            t = x * 1
            for op in ops:
                t = OPS[op](lib, t)
            if in_place:
                t.mul_(2)  # changes what the last operation saved, if it saved its result
            try:
                t.sum().backward()
                result = ("ok", x.grad.numpy().tolist())
            except RuntimeError as error:
                result = ("raise", as_minimodel(str(error)))
    named = [m[1] for w in caught for m in [_DETECTED.match(str(w.message))] if m]
    return result, named, (lib.is_anomaly_enabled(), lib.is_anomaly_check_nan_enabled())


@settings(max_examples=examples(200), deadline=None)
@given(
    st.lists(st.sampled_from([-1.0, 0.0, 0.5, 2.0, -0.0, 4.0]), min_size=1, max_size=3),
    st.lists(st.sampled_from(sorted(OPS)), min_size=1, max_size=3),
    st.booleans(),
    st.sampled_from(["detect", "on", "off"]),
    st.booleans(),
)
def test_backward_under_anomaly_detection_matches_pytorch(values, ops, in_place, mode, check_nan):
    mine = _run(mm, values, ops, in_place, mode, check_nan)
    theirs = _run(torch, values, ops, in_place, mode, check_nan)
    (result, named, after), (t_result, t_named, t_after) = mine, theirs
    assert result[0] == t_result[0], (mine, theirs)
    if result[0] == "raise":
        assert result[1] == t_result[1]
    else:
        # NaN where PyTorch has NaN; exp and log may differ from PyTorch's in the last bit.
        np.testing.assert_allclose(np.array(result[1]), np.array(t_result[1]), rtol=1e-4, atol=1e-6)
    assert named == t_named
    assert after == t_after == (False, True)


def test_set_detect_anomaly_turns_the_mode_on_at_once_and_a_with_block_restores_it():
    for lib in (mm, torch):
        lib.autograd.set_detect_anomaly(True, check_nan=False)
        assert (lib.is_anomaly_enabled(), lib.is_anomaly_check_nan_enabled()) == (True, False)
        with lib.autograd.set_detect_anomaly(False):
            assert not lib.is_anomaly_enabled()
        assert (lib.is_anomaly_enabled(), lib.is_anomaly_check_nan_enabled()) == (True, False)
        lib.autograd.set_detect_anomaly(False)
        assert (lib.is_anomaly_enabled(), lib.is_anomaly_check_nan_enabled()) == (False, True)


def test_detect_anomaly_warns_that_it_slows_everything_down():
    for lib in (mm, torch):
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            with lib.autograd.detect_anomaly():
                pass
        assert [str(w.message) for w in caught] == [
            "Anomaly Detection has been enabled. This mode will increase the runtime and should "
            "only be enabled for debugging."
        ]


def test_the_warning_shows_the_line_of_the_forward_call_not_minimodel_s_own():
    x = mm.tensor([-1.0], requires_grad=True)
    with warnings.catch_warnings(record=True) as caught, mm.autograd.set_detect_anomaly(True):
        warnings.simplefilter("always")
        y = x.sqrt()  # the line the warning must show
        with contextlib.suppress(RuntimeError):
            y.sum().backward()
    (message,) = [str(w.message) for w in caught if "Error detected" in str(w.message)]
    assert "y = x.sqrt()  # the line the warning must show" in message
    assert "minimodel/" not in message
