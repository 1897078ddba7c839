"""Chapter 03's check passes the book's widen() and names what a wrong one gets wrong: the
persons' columns left in place, a layer shared with the trained model, a swapped Linear."""

from __future__ import annotations

import pytest
from book_solutions import definitions
from budget import examples
from hypothesis import given, settings
from hypothesis import strategies as st
from lab_testing import assert_fails, assert_passes

import minimodel as mm
from minimodel import nn
from minimodel.datasets import PERSONS, VERBS
from minimodel.lab import CheckFailed, check

PAGE = "03-tense-mlp.md"


def _book():
    return definitions(PAGE, "tense-load", "tense-model", "tense-ex-widen")


def test_widen_passes_the_books_solution():
    assert_passes("03-widen", _book().widen)


def _widen(book, *, shift=True, share=False, swapped=False, grad=False, into=False):
    """The book's widen() with one plausible mistake."""

    def widen(trained):
        fc1 = trained.fc1
        wider = trained if into else book.TenseMLP()
        wider.fc1 = nn.Linear(16, 24) if swapped else nn.Linear(24, 16)
        if swapped:
            return wider
        if grad:
            wider.fc1.weight[:, :20] = fc1.weight[:, :20]
        with mm.no_grad():
            wider.fc1.weight[:, :20] = fc1.weight[:, :20]
            if shift:
                wider.fc1.weight[:, 21:] = fc1.weight[:, 20:]
            else:
                wider.fc1.weight[:, 20:23] = fc1.weight[:, 20:]
            wider.fc1.bias.copy_(fc1.bias)
            if share:
                wider.fc2 = trained.fc2
            else:
                wider.fc2.weight.copy_(trained.fc2.weight)
                wider.fc2.bias.copy_(trained.fc2.bias)
        return wider

    return widen


def test_person_columns_left_in_place_are_named():
    assert_fails(
        "03-widen",
        _widen(_book(), shift=False),
        r"column 21 of fc1\.weight, which reads the person yo, should hold the trained model's "
        r"column 20, .* move one place to the right",
        r"la columna 21 de fc1\.weight, que lee la persona yo, debería contener la columna 20 "
        r".* se desplazan un lugar a la derecha",
    )


def test_a_layer_shared_with_the_trained_model_is_refused():
    assert_fails(
        "03-widen",
        _widen(_book(), share=True),
        r"the wider model's fc2\.weight is the trained model's own parameter, so training one "
        r"would change the other",
        r"el fc2\.weight del modelo ancho es el propio parámetro del modelo entrenado",
    )


def test_a_swapped_linear_is_explained_by_its_shapes():
    assert_fails(
        "03-widen",
        _widen(_book(), swapped=True),
        r"registers .*'fc1\.weight': \(24, 16\).* nn\.Linear takes \(in_features, "
        r"out_features\), so fc1 is nn\.Linear\(24, 16\)",
        r"registra .* nn\.Linear recibe \(in_features, out_features\)",
    )


def test_a_copy_outside_no_grad_reports_the_libraries_error():
    assert_fails(
        "03-widen",
        _widen(_book(), grad=True),
        r"widen\(model\) raised RuntimeError: a view of a leaf Variable that requires "
        r"grad is being used in an in-place operation",
        r"widen\(model\) lanzó la excepción RuntimeError: a view of a leaf Variable",
    )


def test_widening_the_trained_model_itself_is_refused():
    assert_fails(
        "03-widen",
        _widen(_book(), into=True),
        r"widen\(model\) changed the trained model's fc1\.weight: copy from it, never into it",
        r"widen\(model\) cambió el fc1\.weight del modelo entrenado",
    )


def test_not_a_function_is_refused():
    assert_fails(
        "03-widen",
        _book().TenseMLP,
        r"expected the function widen\(model\), but got type",
        r"se esperaba la función widen\(model\), pero se recibió type",
    )


@settings(max_examples=examples(10), deadline=None)
@given(st.lists(st.sampled_from([*range(20), *range(21, 24)]), min_size=2, max_size=2, unique=True))
def test_any_two_columns_copied_to_each_others_place_are_found(swapped):
    # The book's widen, then two of its copied columns exchanged: the first one is named.
    book = _book()

    def widen(trained):
        wider = book.widen(trained)
        a, b = swapped
        with mm.no_grad():
            column_a = wider.fc1.weight[:, a].clone()
            wider.fc1.weight[:, a] = wider.fc1.weight[:, b]
            wider.fc1.weight[:, b] = column_a
        return wider

    first = min(swapped)
    stands = f"the verb {VERBS[first]}" if first < 20 else f"the person {PERSONS[first - 21]}"
    source = first if first < 20 else first - 1
    with pytest.raises(
        CheckFailed,
        match=rf"column {first} of fc1\.weight, which reads {stands}, "
        rf"should hold the trained model's column {source}",
    ):
        check("03-widen", widen)
