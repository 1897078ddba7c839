from __future__ import annotations

import pytest

import minimodel as mm
from minimodel import nn


def test_a_tensors_device_is_the_cpu_without_an_index():
    d = mm.zeros(2).device
    assert (d.type, d.index) == ("cpu", None)
    assert d == mm.device("cpu") != mm.device("cpu:0")
    assert repr(d) == "device(type='cpu')"
    assert str(d) == "cpu"


def test_a_device_names_any_device_type_and_index_but_equals_no_string():
    assert repr(mm.device("cuda", 1)) == "device(type='cuda', index=1)"
    assert str(mm.device("cpu:3")) == "cpu:3"
    assert mm.device("cpu") != "cpu"
    assert len({mm.device("cpu:1"), mm.device("cpu", 1), mm.device("cpu")}) == 2


@pytest.mark.parametrize(
    ("make", "device"),
    [
        (lambda: mm.ones(2, device="cuda"), "cuda"),
        (lambda: mm.ones(2, device=mm.device("cuda", 0)), "cuda:0"),
        (lambda: mm.zeros_like(mm.ones(2), device="mps"), "mps"),
        (lambda: mm.ones(2).to("cuda"), "cuda"),
        (lambda: mm.ones(2).to(device="cuda:1"), "cuda:1"),
        (lambda: mm.ones(2).cuda(), "cuda"),
        (lambda: nn.Linear(2, 2).to("meta"), "meta"),
        (lambda: nn.Linear(2, 2).cuda(), "cuda"),
        (lambda: nn.Linear(2, 2, device="cuda"), "cuda"),
        (lambda: mm.set_default_device("xla"), "xla"),
        (lambda: mm.cuda.synchronize(), "cuda"),
    ],
)
def test_every_other_device_gets_the_same_error(make, device):
    with pytest.raises(
        RuntimeError, match=rf"^minimodel runs on the CPU only, got device '{device}'$"
    ):
        make()


def test_a_refused_device_leaves_the_random_state_and_the_default_device_as_they_were():
    state = mm.random.generator().bit_generator.state
    with pytest.raises(RuntimeError, match="CPU only"):
        mm.randn(3, device="cuda")
    assert mm.random.generator().bit_generator.state == state
    with pytest.raises(RuntimeError, match="CPU only"):
        mm.set_default_device("cuda")
    assert mm.get_default_device() == mm.device("cpu")


@pytest.mark.parametrize("cpu", ["cpu", "cpu:0", "cpu:7", mm.device("cpu"), mm.device("cpu", 2)])
def test_every_cpu_device_is_accepted_wherever_a_device_is(cpu):
    assert mm.ones(2, device=cpu).device == mm.device("cpu")
    layer = nn.Linear(2, 2)
    assert layer.to(cpu) is layer
    assert layer.to(cpu, mm.float64).weight.dtype == mm.float64
    assert mm.ones(2).to(cpu).shape == (2,)
    try:
        mm.set_default_device(cpu)
        assert mm.get_default_device() == mm.device(cpu)
    finally:
        mm.set_default_device(None)


def test_complex_data_is_refused_with_a_message_that_says_so():
    with pytest.raises(TypeError, match="no complex dtypes"):
        mm.tensor([1j])
