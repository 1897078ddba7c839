"""Tests of minimodel/_printing.py: the layout of ``repr(tensor)``.

The expected strings are PyTorch's (with ``minimodel.`` for dtypes); the wide comparison against
PyTorch itself is in tests/test_printing_torch_parity.py.
"""

from __future__ import annotations

import numpy as np
import pytest

import minimodel as mm


@pytest.mark.parametrize(
    ("tensor", "text"),
    [
        (lambda: mm.tensor([1.0, 2.0], requires_grad=True), "tensor([1., 2.], requires_grad=True)"),
        (lambda: mm.tensor([0.5, 1.0]), "tensor([0.5000, 1.0000])"),
        (lambda: mm.tensor(3), "tensor(3)"),
        (lambda: mm.tensor([[1, 2], [3, 4]]), "tensor([[1, 2],\n        [3, 4]])"),
        (lambda: mm.zeros(0, 3), "tensor([], size=(0, 3))"),
        (lambda: mm.tensor([1, 2], dtype=mm.int32), "tensor([1, 2], dtype=minimodel.int32)"),
        (lambda: mm.tensor([1e-5, 1.0]), "tensor([1.0000e-05, 1.0000e+00])"),
        (lambda: mm.ones(2, requires_grad=True) * 2, "tensor([2., 2.], grad_fn=<MulBackward0>)"),
    ],
)
def test_repr_is_pytorchs(tensor, text: str) -> None:
    assert repr(tensor()) == text
    assert str(tensor()) == text


def test_long_tensors_are_summarized_with_ellipsis() -> None:
    text = repr(mm.arange(1001))
    assert "..." in text
    assert text.startswith("tensor([   0,    1,    2,  ...,  998,  999, 1000])")
    assert "..." not in repr(mm.arange(1000))


def test_lines_wrap_at_80_columns() -> None:
    mm.manual_seed(0)
    for t in (mm.arange(100.0) / 7, mm.randn(5, 30), mm.arange(200)):
        assert max(len(line) for line in repr(t).splitlines()) <= 80


def test_a_line_break_separates_matrices_of_a_3d_tensor() -> None:
    assert repr(mm.zeros(2, 1, 1)) == "tensor([[[0.]],\n\n        [[0.]]])"


def test_nan_and_inf_print_as_pytorch_does() -> None:
    assert repr(mm.tensor([np.nan, np.inf, -1.0])) == "tensor([nan, inf, -1.])"
