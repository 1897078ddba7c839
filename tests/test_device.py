from __future__ import annotations

import pytest

import minimodel as mm
from minimodel import nn


def test_tensor_device_is_the_cpu_and_equals_the_string_cpu():
    d = mm.zeros(2).device
    assert d == "cpu"
    assert d == mm.device("cpu")
    assert repr(d) == "device(type='cpu')"
    assert str(d) == "cpu"


@pytest.mark.parametrize(
    "make",
    [
        lambda: mm.ones(2, device="cuda"),
        lambda: mm.ones(2).to("cuda"),
        lambda: mm.ones(2).to(device="cuda"),
        lambda: nn.Linear(2, 2).to("cuda"),
        lambda: nn.Linear(2, 2, device="cuda"),
        lambda: mm.device("cuda"),
    ],
)
def test_every_other_device_gets_the_same_error(make):
    with pytest.raises(RuntimeError, match=r"^minimodel runs on the CPU only, got device 'cuda'$"):
        make()


def test_a_device_object_is_accepted_wherever_a_device_string_is():
    cpu = mm.zeros(1).device
    assert mm.ones(2, device=cpu).device == "cpu"
    layer = nn.Linear(2, 2)
    assert layer.to(cpu) is layer
    assert mm.ones(2).to(cpu).shape == (2,)


def test_complex_data_is_refused_with_a_message_that_says_so():
    with pytest.raises(TypeError, match="no complex dtypes"):
        mm.tensor([1j])
