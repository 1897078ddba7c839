"""Helpers shared by the lab's tests (tests/lab)."""

from __future__ import annotations

import pytest

from minimodel.lab import CheckFailed, check


def assert_fails(name: str, thing: object, english: str, spanish: str) -> None:
    """The check ``name`` refuses ``thing``, saying ``english`` / ``spanish`` (regexes)."""
    with pytest.raises(CheckFailed, match=english):
        check(name, thing)
    with pytest.raises(CheckFailed, match=spanish):
        check(name, thing, lang="es")


def assert_passes(name: str, thing: object) -> None:
    """The check ``name`` passes ``thing``, and says so in both languages."""
    assert check(name, thing).startswith(f"{name}: passed. ")
    assert check(name, thing, lang="es").startswith(f"{name}: superado. ")
