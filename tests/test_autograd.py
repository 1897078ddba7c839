"""Tests of minimodel/autograd.py: the backward pass, grad mode, and graph bookkeeping."""

from __future__ import annotations

import sys

import numpy as np
import pytest

import minimodel as mm
from minimodel.autograd import Node


# ------------------------------------------------------------------ backward()
def test_grads_accumulate_on_leaves_across_backward_calls() -> None:
    w = mm.tensor([1.0, 2.0], requires_grad=True)
    for _ in range(3):
        (w * w).sum().backward()
    assert w.grad.tolist() == [6.0, 12.0]


def test_grad_is_a_separate_tensor_of_the_leaf_dtype() -> None:
    w = mm.ones(2, dtype=mm.float64, requires_grad=True)
    (w * 2).sum().backward()
    assert w.grad.dtype is mm.float64
    assert not w.grad.requires_grad and w.grad.grad_fn is None


def test_backward_with_gradient_for_a_non_scalar_output() -> None:
    w = mm.tensor([1.0, 2.0, 3.0], requires_grad=True)
    y = w * w
    y.backward(gradient=mm.tensor([1.0, 0.5, 0.0]))
    assert w.grad.tolist() == [2.0, 2.0, 0.0]


def test_implicit_gradient_only_for_one_element_outputs() -> None:
    w = mm.ones(3, requires_grad=True)
    with pytest.raises(RuntimeError, match="grad can be implicitly created only for scalar"):
        (w * 2).backward()
    (w * 2)[None, :1].backward()  # one element, any number of dimensions
    assert w.grad.tolist() == [2.0, 0.0, 0.0]


def test_backward_on_a_tensor_without_history_raises() -> None:
    with pytest.raises(RuntimeError, match="does not require grad and does not have a grad_fn"):
        mm.ones(1).backward()


def test_backward_gradient_must_match_the_shape() -> None:
    y = mm.ones(2, requires_grad=True) * 2
    with pytest.raises(RuntimeError, match="Mismatch in shape"):
        y.backward(mm.ones(3))


def test_backward_on_a_leaf_fills_its_grad() -> None:
    w = mm.ones(2, requires_grad=True)
    w.backward(mm.tensor([3.0, 4.0]))
    assert w.grad.tolist() == [3.0, 4.0]


def test_create_graph_is_not_supported() -> None:
    y = (mm.ones(1, requires_grad=True) * 2).sum()
    with pytest.raises(NotImplementedError, match="does not support create_graph=True"):
        y.backward(create_graph=True)


def test_a_tensor_used_twice_gets_the_sum_of_both_paths() -> None:
    x = mm.tensor(3.0, requires_grad=True)
    y = x * 2
    z = y * y + y  # dz/dx = (2y + 1) * 2
    z.backward()
    assert x.grad.item() == 26.0


def test_gradient_flows_only_into_tensors_that_require_it() -> None:
    w = mm.ones(2, requires_grad=True)
    c = mm.ones(2)
    (w * c).sum().backward()
    assert w.grad is not None and c.grad is None


def test_deep_graph_of_ten_thousand_operations() -> None:
    x = mm.tensor(1.0, requires_grad=True)
    y = x
    for _ in range(5_000):
        y = y * 1.0001
        y = y - 0.0001
    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(500)  # far below the depth: a recursive walk would fail
    try:
        y.backward()
    finally:
        sys.setrecursionlimit(limit)
    assert np.isclose(x.grad.item(), 1.0001**5_000, rtol=1e-3)


def test_deep_sum_of_many_terms() -> None:
    xs = [mm.tensor(float(i), requires_grad=True) for i in range(10_000)]
    total = xs[0]
    for x in xs[1:]:
        total = total + x * x
    total.backward()
    assert xs[0].grad.item() == 1.0
    assert xs[9_999].grad.item() == 2 * 9_999.0


# ------------------------------------------------------------------ freeing the graph
def test_second_backward_through_saved_tensors_raises() -> None:
    loss = (mm.ones(2, requires_grad=True) * 3).sum()
    loss.backward()
    with pytest.raises(RuntimeError, match="Trying to backward through the graph a second time"):
        loss.backward()


def test_retain_graph_allows_a_second_backward() -> None:
    w = mm.ones(2, requires_grad=True)
    loss = (w * 3).sum()
    loss.backward(retain_graph=True)
    loss.backward()
    assert w.grad.tolist() == [6.0, 6.0]


def test_graphs_without_saved_tensors_can_be_reused() -> None:
    w = mm.ones(2, requires_grad=True)
    loss = (w + 1).reshape(2, 1).sum()
    loss.backward()
    loss.backward()
    assert w.grad.tolist() == [2.0, 2.0]


def test_a_fresh_graph_each_step_accumulates_without_retain_graph() -> None:
    w = mm.ones(2, requires_grad=True)
    for _ in range(2):
        (w.exp() * w).sum().backward()
    assert np.allclose(w.grad.numpy(), 2 * 2 * np.e)


# ------------------------------------------------------------------ retain_grad
def test_retain_grad_keeps_the_gradient_of_a_non_leaf() -> None:
    w = mm.tensor([1.0, 2.0], requires_grad=True)
    h = w * 3
    h.retain_grad()
    assert h.retains_grad and not w.retains_grad
    (h * h).sum().backward()
    assert h.grad.tolist() == [6.0, 12.0]
    assert w.grad.tolist() == [18.0, 36.0]


def test_retain_grad_on_a_leaf_is_a_no_op() -> None:
    w = mm.ones(2, requires_grad=True)
    w.retain_grad()
    (w * 2).sum().backward()
    assert w.grad.tolist() == [2.0, 2.0]


# ------------------------------------------------------------------ grad mode
def test_no_grad_context_manager_records_nothing_and_restores() -> None:
    w = mm.ones(2, requires_grad=True)
    with mm.no_grad():
        assert not mm.is_grad_enabled()
        y = w * 2
    assert mm.is_grad_enabled()
    assert not y.requires_grad and y.grad_fn is None


def test_no_grad_as_a_decorator() -> None:
    @mm.no_grad()
    def predict(x: mm.Tensor) -> mm.Tensor:
        return x * 2

    out = predict(mm.ones(2, requires_grad=True))
    assert out.grad_fn is None and mm.is_grad_enabled()
    assert predict.__name__ == "predict"


def test_no_grad_restores_the_mode_after_an_exception() -> None:
    with pytest.raises(ValueError, match="inside no_grad"), mm.no_grad():
        raise ValueError("inside no_grad")
    assert mm.is_grad_enabled()


def test_enable_grad_inside_no_grad() -> None:
    w = mm.ones(2, requires_grad=True)
    with mm.no_grad():
        with mm.enable_grad():
            y = w * 2
        z = w * 2
    assert y.requires_grad and not z.requires_grad


def test_enable_grad_as_a_decorator() -> None:
    @mm.enable_grad()
    def double(x: mm.Tensor) -> mm.Tensor:
        return x * 2

    with mm.no_grad():
        out = double(mm.ones(2, requires_grad=True))
    assert out.requires_grad


def test_set_grad_enabled_as_function_context_manager_and_decorator() -> None:
    w = mm.ones(2, requires_grad=True)
    mm.set_grad_enabled(False)
    try:
        assert not (w * 2).requires_grad
    finally:
        mm.set_grad_enabled(True)
    with mm.set_grad_enabled(False):
        assert not (w * 2).requires_grad
    assert (w * 2).requires_grad

    @mm.set_grad_enabled(False)
    def frozen() -> mm.Tensor:
        return w * 2

    assert mm.is_grad_enabled()
    assert not frozen().requires_grad
    assert mm.is_grad_enabled()


def test_nested_grad_modes_restore_in_order() -> None:
    with mm.no_grad():
        with mm.set_grad_enabled(True):
            assert mm.is_grad_enabled()
        assert not mm.is_grad_enabled()
    assert mm.is_grad_enabled()


def test_manual_sgd_step_under_no_grad() -> None:
    w = mm.tensor([1.0, -1.0], requires_grad=True)
    for step in range(50):
        loss = ((w - 3.0) ** 2).sum()
        loss.backward()
        if step == 0:  # the gradient's scale, not only where the loop ends: 2 * (w - 3)
            assert w.grad.tolist() == [-4.0, -8.0]
        with mm.no_grad():
            w -= 0.1 * w.grad
            w.grad.zero_()
        if step == 0:
            np.testing.assert_allclose(w.detach().numpy(), [1.4, -0.2], rtol=1e-6)
    assert np.allclose(w.detach().numpy(), [3.0, 3.0], atol=1e-3)


# ------------------------------------------------------------------ nodes
def test_node_name_repr_and_next_functions() -> None:
    w = mm.ones(2, requires_grad=True)
    h = w * 2
    y = h + 1
    assert isinstance(y.grad_fn, Node)
    assert y.grad_fn.name() == "AddBackward0"
    assert repr(y.grad_fn).startswith("<AddBackward0 object at 0x")
    assert y.grad_fn.next_functions[0][0] is h.grad_fn


def test_in_place_assignment_node_prints_its_short_name() -> None:
    z = mm.ones(3, requires_grad=True) * 1
    z[0] = 2.0
    assert z.grad_fn.name() == "torch::autograd::CopySlices"
    assert repr(z.grad_fn).startswith("<CopySlices object at")
    assert repr(z).endswith("grad_fn=<CopySlices>)")


def test_backward_follows_the_history_an_operation_saw_not_a_later_in_place_one():
    x = mm.tensor([1.0, 2.0], requires_grad=True)
    y = x * 1.0
    z = y * 3
    y *= 2  # gives y a new grad_fn; z was computed from the old y
    z.sum().backward(retain_graph=True)
    assert x.grad.tolist() == [3.0, 3.0]
    y.sum().backward()
    assert x.grad.tolist() == [5.0, 5.0]


def test_a_tensor_made_non_leaf_by_setitem_gets_no_grad_from_earlier_uses():
    w = mm.tensor([2.0], requires_grad=True)
    x = mm.zeros(2)
    z = (x + w).sum()  # an addition saves nothing: the later change of x does not matter
    x[0] = w[0]  # x now has history; z used it before
    z.backward()
    assert x.grad_fn is not None
    assert x._grad is None
    assert w.grad.tolist() == [2.0]


def test_setitem_on_a_tensor_a_product_saved_makes_backward_raise():
    w = mm.tensor([2.0], requires_grad=True)
    x = mm.zeros(2)
    z = (x * w).sum()  # saves x for the gradient of w
    x[0] = w[0]
    with pytest.raises(RuntimeError, match=r"FloatTensor \[2\]\], which is output 0 of torch::"):
        z.backward()


def test_a_0d_leaf_sums_the_gradient_of_every_use():
    # Gradients of 0-d arithmetic are NumPy scalars, which cannot be added to in place.
    x = mm.tensor(np.array(0.5), requires_grad=True)
    y = mm.tensor(np.array(0.25), requires_grad=True)
    ((x + y) * y / y).backward()  # = x + y
    assert (x.grad.item(), y.grad.item()) == (1.0, 1.0)
