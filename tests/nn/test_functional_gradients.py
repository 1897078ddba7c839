"""Finite-difference gradients of the nn.functional operations in tests/op_cases.py (module
``nn_functional``): activations, pointwise losses, layer_norm and embedding."""

from __future__ import annotations

from gradcheck import gradient_test

test_gradient_matches_finite_differences = gradient_test("nn_functional")
