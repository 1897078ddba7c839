"""Chapter 01's check passes the book's named_modules and explains wrong ones in en and es."""

from __future__ import annotations

import pytest
from book_solutions import definitions
from lab_testing import assert_fails, assert_passes


def test_named_modules_passes_the_books_solution():
    solution = definitions("01-parameter-and-module.md", "ch01-exercise-named-modules")
    assert_passes("01-named-modules", solution.named_modules)


def without_memo(self, prefix=""):
    yield prefix, self
    for name, child in self._modules.items():
        yield from child.named_modules(prefix + "." + name if prefix else name)


def leading_dot(self, memo=None, prefix=""):
    if memo is None:
        memo = set()
    if id(self) in memo:
        return
    memo.add(id(self))
    yield prefix, self
    for name, child in self._modules.items():
        yield from child.named_modules(memo, prefix + "." + name)


def shared_default(self, memo=set(), prefix=""):  # noqa: B006 - the bug under test
    if id(self) in memo:
        return
    memo.add(id(self))
    yield prefix, self
    for name, child in self._modules.items():
        yield from child.named_modules(memo, prefix + "." + name if prefix else name)


def children_only(self, memo=None, prefix=""):
    memo = set() if memo is None else memo
    for name, child in self._modules.items():
        if id(child) not in memo:
            memo.add(id(child))
            yield prefix + name, child


@pytest.mark.parametrize(
    ("wrong", "english", "spanish"),
    [
        (
            without_memo,
            r"'tied' tree .* listed again: remember the modules already seen",
            r"árbol 'tied'.* aparece otra vez: recuerda los módulos ya vistos",
        ),
        (
            leading_dot,
            r"lists \['', '\.fc1', '\.fc2'\].*no leading dot",
            r"lista \['', '\.fc1', '\.fc2'\].*no llevan un punto delante",
        ),
        (
            shared_default,
            r"default argument set\(\) is created once, .* use memo=None",
            r"argumento por defecto set\(\) se crea una sola vez, .* usa memo=None",
        ),
        (
            children_only,
            r"lists \['fc1', 'fc2'\].*module itself comes first",
            r"lista \['fc1', 'fc2'\].*propio módulo va primero",
        ),
    ],
)
def test_named_modules_says_what_a_wrong_one_misses(wrong, english, spanish):
    assert_fails("01-named-modules", wrong, english, spanish)
