"""check() itself: its languages, its names, and the reader's random state left as it was."""

from __future__ import annotations

import contextlib

import pytest

import minimodel as mm
from minimodel.lab import CheckFailed, check


def _zero_grad(self):
    for param in self.parameters():
        param.grad = None


def test_the_language_comes_from_minimodel_lang_when_not_given(monkeypatch):
    monkeypatch.setenv("MINIMODEL_LANG", "es")
    assert check("00-zero-grad", _zero_grad).startswith("00-zero-grad: superado.")
    assert check("00-zero-grad", _zero_grad, lang="en").startswith("00-zero-grad: passed.")


def test_an_unknown_language_or_exercise_is_refused_by_name():
    with pytest.raises(ValueError, match=r"lang must be one of en, es, but got 'fr'"):
        check("00-zero-grad", _zero_grad, lang="fr")
    with pytest.raises(ValueError, match=r"no check named '02-adam'; the checks are: 00-zero-grad"):
        check("02-adam", _zero_grad)


def test_the_passed_message_shows_as_plain_text():
    passed = check("00-zero-grad", _zero_grad)
    assert repr(passed) == str(passed)


def _only_own(self):
    for param in self._parameters.values():
        param.grad = None


@pytest.mark.parametrize("answer", [_zero_grad, _only_own])
def test_a_check_leaves_the_readers_random_draws_as_they_were(answer):
    # The check builds and runs a model, drawing from the generator, whether it passes or not.
    mm.manual_seed(123)
    expected = mm.randn(4)
    mm.manual_seed(123)
    with contextlib.suppress(CheckFailed):
        check("00-zero-grad", answer)
    assert mm.initial_seed() == 123
    assert mm.equal(mm.randn(4), expected)
