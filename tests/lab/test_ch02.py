"""Chapter 02's check passes the book's RMSprop and finds the step where a wrong one diverges."""

from __future__ import annotations

import pytest
from book_solutions import definitions
from budget import examples
from hypothesis import given, settings
from hypothesis import strategies as st
from lab_testing import assert_fails, assert_passes

from minimodel.lab import CheckFailed, check


def _book():
    return definitions("02-optim.md", "optim-setup", "optim-base", "optim-ex-rmsprop")


def test_rmsprop_passes_the_books_solution():
    book = _book()
    assert_passes("02-rmsprop", book.RMSprop)


def _variant(
    book, *, decay_after=False, eps_inside=False, state_name="square_avg", skip=True, zeros=False
):
    """The book's RMSprop with one plausible mistake."""
    mm = book.mm

    class Wrong(book.Optimizer):
        def __init__(self, params, lr=1e-2, alpha=0.99, eps=1e-8, weight_decay=0):
            defaults = {"lr": lr, "alpha": alpha, "eps": eps, "weight_decay": weight_decay}
            super().__init__(params, defaults)

        @mm.no_grad()
        def step(self):
            for group in self.param_groups:
                alpha = group["alpha"]
                for p in group["params"]:
                    if p.grad is None and skip and not zeros:
                        continue
                    g = mm.zeros_like(p) if p.grad is None and zeros else p.grad
                    if group["weight_decay"] != 0 and not decay_after:
                        g = g + group["weight_decay"] * p
                    state = self.state[p]
                    if not state:
                        state["step"] = 0
                        state[state_name] = mm.zeros_like(p)
                    state["step"] += 1
                    s = state[state_name]
                    s.mul_(alpha).add_((1 - alpha) * g * g)
                    if decay_after and group["weight_decay"] != 0:
                        g = g + group["weight_decay"] * p
                    root = (s + group["eps"]).sqrt() if eps_inside else s.sqrt() + group["eps"]
                    p.sub_(group["lr"] * g / root)

    return Wrong


@pytest.mark.parametrize(
    ("mistake", "english", "spanish"),
    [
        (
            {"decay_after": True},
            r"with lr=0\.01, alpha=0\.9, weight_decay=0\.001, parameter 0 "
            r"diverges from optim\.RMSprop at step 1",
            r"con lr=0\.01, alpha=0\.9, weight_decay=0\.001, el parámetro 0 se aparta de "
            r"optim\.RMSprop en el paso 1",
        ),
        (
            {"eps_inside": True},
            r"with the defaults, parameter \d diverges .* at step 1: its "
            r"element .+ is \S+, expected",
            r"con los valores por defecto, el parámetro \d se aparta .* en el paso 1: su elemento",
        ),
        (
            {"state_name": "s"},
            r"holds \['s', 'step'\]; keep s under PyTorch's name",
            r"contiene \['s', 'step'\]; guarda s con el nombre de PyTorch",
        ),
        (
            {"skip": False},
            r"Wrong\.step\(\) raised TypeError",
            r"Wrong\.step\(\) lanzó la excepción TypeError",
        ),
        (
            {"zeros": True},
            r"never had a gradient got a state; optim\.RMSprop gives it none",
            r"nunca tuvo gradiente recibió un estado; optim\.RMSprop no le da ninguno",
        ),
    ],
)
def test_rmsprop_says_where_a_wrong_one_diverges(mistake, english, spanish):
    wrong = _variant(_book(), **mistake)
    assert_fails("02-rmsprop", wrong, english, spanish)


def test_rmsprop_refuses_wrong_defaults():
    book = _book()

    class LowerAlpha(book.RMSprop):
        def __init__(self, params, lr=1e-2, alpha=0.9, eps=1e-8, weight_decay=0):
            super().__init__(params, lr, alpha, eps, weight_decay)

    with pytest.raises(CheckFailed, match=r"with the defaults, parameter 0 diverges .* step 1"):
        check("02-rmsprop", LowerAlpha)


def test_the_librarys_own_rmsprop_passes():
    from minimodel import optim

    assert check("02-rmsprop", optim.RMSprop).startswith("02-rmsprop: passed.")


@settings(max_examples=examples(10), deadline=None)
@given(
    option=st.sampled_from(["lr", "alpha", "eps"]),
    factor=st.floats(min_value=1.01, max_value=3.0) | st.floats(min_value=0.3, max_value=0.99),
)
def test_rmsprop_with_any_other_default_diverges_at_the_first_step(option, factor):
    book = _book()
    defaults = {"lr": 1e-2, "alpha": 0.99, "eps": 1e-8}
    shifted = {**defaults, option: defaults[option] * factor}
    if option == "alpha":
        shifted["alpha"] = 1 - (1 - defaults["alpha"]) * factor  # keep it in (0, 1)

    class Shifted(book.RMSprop):
        def __init__(self, params, **options):
            super().__init__(params, **{**shifted, **options})

    if option == "eps":
        # eps = 1e-8 is far below the root of gradients near 1: it shows where they are tiny.
        with pytest.raises(CheckFailed, match=r"gradients near 1e-08, where eps matters, param"):
            check("02-rmsprop", Shifted)
        return
    with pytest.raises(CheckFailed, match=r"with the defaults, parameter \d diverges .* step 1"):
        check("02-rmsprop", Shifted)
