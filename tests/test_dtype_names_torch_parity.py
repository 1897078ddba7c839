"""The names PyTorch gives each dtype in its messages, read from minimodel's dtype objects.

minimodel/dtype.py holds every name of a dtype (its ScalarType ``Float``, its legacy tensor type
``FloatTensor``, its C type ``float``); each test reads one through the messages that print it
and compares them with PyTorch's, for every supported dtype.
"""

from __future__ import annotations

import pytest
from torch_helpers import require_torch

import minimodel as mm
from minimodel._typename import typename
from minimodel.dtype import scalar_type_name

torch = require_torch()

DTYPES = ["float32", "float64", "float16", "int64", "int32", "int16", "int8", "uint8", "bool"]


def test_every_dtype_of_minimodel_is_compared() -> None:
    assert {v.name for v in vars(mm).values() if isinstance(v, mm.dtype)} == set(DTYPES)


@pytest.mark.parametrize("name", DTYPES)
def test_typename_of_a_tensor_is_its_legacy_type(name: str) -> None:
    ours = typename(mm.zeros(1, dtype=getattr(mm, name)))
    theirs = torch.typename(torch.zeros(1, dtype=getattr(torch, name)))
    assert ours == theirs.replace("torch.", "minimodel.")


@pytest.mark.parametrize("name", DTYPES)
def test_matmul_of_mixed_dtypes_names_their_c_types(name: str) -> None:
    other = "float32" if name == "float64" else "float64"

    def message(lib) -> str:
        a = lib.ones(2, 2, dtype=getattr(lib, name))
        with pytest.raises(RuntimeError, match="same dtype") as info:
            lib.mm(a, lib.ones(2, 2, dtype=getattr(lib, other)))
        return str(info.value)

    assert message(mm) == message(torch)


@pytest.mark.parametrize("name", DTYPES)
def test_scalar_type_name_is_torchs(name: str) -> None:
    # PyTorch's legacy type is the ScalarType followed by "Tensor".
    theirs = torch.zeros(1, dtype=getattr(torch, name)).type().removeprefix("torch.")
    assert scalar_type_name(getattr(mm, name).np) + "Tensor" == theirs
