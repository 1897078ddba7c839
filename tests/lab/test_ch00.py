"""Chapter 00's checks pass the book's solutions and explain plausible wrong ones in en and es."""

from __future__ import annotations

import itertools

import pytest
from book_solutions import definitions
from lab_testing import assert_fails, assert_passes

from minimodel.lab import CheckFailed, check

PAGE = "00-motivation.md"


def _book() -> object:
    return definitions(
        PAGE,
        "data",
        "module",
        "tense-mlp",
        "exercise-zero-grad",
        "exercise-list",
        "exercise-list-fix",
    )


def test_zero_grad_passes_the_books_solution():
    assert_passes("00-zero-grad", _book().zero_grad)


def test_zero_grad_accepts_the_class_it_was_written_into():
    book = _book()
    book.Module.zero_grad = book.zero_grad
    assert check("00-zero-grad", book.Module).startswith("00-zero-grad: passed.")


def only_own_parameters(self):
    for param in self._parameters.values():
        param.grad = None


def zeros_instead_of_none(self):
    for param in self.parameters():
        param.grad = param.grad * 0


def rebinds_the_loop_variable(self):
    for param in self.parameters():
        param = None  # noqa: F841 - the bug under test


@pytest.mark.parametrize(
    ("wrong", "english", "spanish"),
    [
        (
            only_own_parameters,
            r"fc1\.weight still has its gradient.*submodules included",
            r"fc1\.weight conserva su gradiente.*también los de los submódulos",
        ),
        (
            zeros_instead_of_none,
            r"tensor of zeros .* asks for None",
            r"tensor de ceros .* pide None",
        ),
        (
            rebinds_the_loop_variable,
            r"every parameter still has its gradient.*loop variable",
            r"todos los parámetros conservan su gradiente.*variable del bucle",
        ),
    ],
)
def test_zero_grad_says_what_a_wrong_one_misses(wrong, english, spanish):
    assert_fails("00-zero-grad", wrong, english, spanish)


def test_zero_grad_names_the_exception_the_readers_code_raised():
    def typo(self):
        for param in self.parameter():
            param.grad = None

    with pytest.raises(CheckFailed, match=r"zero_grad\(model\) raised AttributeError: .*parameter"):
        check("00-zero-grad", typo)
    with pytest.raises(CheckFailed, match=r"zero_grad\(model\) lanzó la excepción AttributeError"):
        check("00-zero-grad", typo, lang="es")


def test_layers_passes_the_books_fix():
    assert_passes("00-layers", _book().LayersMLP)


def _copies_registered(book):
    class CopiesMLP(book.ListMLP):
        def __init__(self, sizes):
            super().__init__(sizes)
            self.registered = book.Layers([book.Linear(a, b) for a, b in itertools.pairwise(sizes)])

    return CopiesMLP


def _first_registered(book):
    class FirstMLP(book.ListMLP):
        def __init__(self, sizes):
            super().__init__(sizes)
            self.first = self.layers[0]

    return FirstMLP


@pytest.mark.parametrize(
    ("wrong", "english", "spanish"),
    [
        (
            lambda book: book.ListMLP,
            r"parameters\(\) yields nothing: .*plain list",
            r"parameters\(\) no produce nada: .*lista normal",
        ),
        (
            _copies_registered,
            r"registered parameter registered\.0\.weight gets no gradient",
            r"parámetro registrado registered\.0\.weight no recibe gradiente",
        ),
        (
            _first_registered,
            r"registers parameters of shapes .* register every layer",
            r"registra parámetros de formas .* registra cada capa",
        ),
    ],
)
def test_layers_says_what_a_wrong_fix_misses(wrong, english, spanish):
    cls = wrong(_book())
    assert_fails("00-layers", cls, english, spanish)
