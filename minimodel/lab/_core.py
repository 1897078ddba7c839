"""What every check shares: its two-language verdicts and the random state it leaves alone."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

from ..random import _State, manual_seed

LANGUAGES = ("en", "es")
T = TypeVar("T")


class CheckFailed(AssertionError):
    """The reader's answer does not do what the exercise asks; the message says what is wrong."""


# Tracebacks name it where the reader imports it from, as PyTorch does for its public classes.
CheckFailed.__module__ = "minimodel.lab"


class Passed(str):
    """The message of a check that passed; shown as plain text in a notebook."""

    def __repr__(self) -> str:
        return str(self)


class Wrong(Exception):
    """Raised inside a check with the verdict in each language; ``check`` picks one."""

    def __init__(self, en: str, es: str) -> None:
        super().__init__(en)
        self.text = {"en": en, "es": es}


def says(en: str, es: str) -> dict[str, str]:
    return {"en": en, "es": es}


def run_reader(what_en: str, what_es: str, call: Callable[[], T]) -> T:
    """Run the reader's code; an exception it raises becomes a verdict naming it."""
    try:
        return call()
    except Exception as error:
        shown = f"{type(error).__name__}: {error}"
        raise Wrong(f"{what_en} raised {shown}", f"{what_es} lanzó la excepción {shown}") from error


@contextmanager
def keep_random_state() -> Iterator[None]:
    """Seed minimodel's generator for the check, and give the reader's generator back after."""
    seed, rng = _State.seed, _State.rng
    state = rng.bit_generator.state
    manual_seed(0)
    try:
        yield
    finally:
        rng.bit_generator.state = state
        _State.seed, _State.rng = seed, rng


def names(pairs: Any) -> list[str]:
    return [name for name, _ in pairs]


def method(thing: Any, name: str) -> Any:
    """The reader's method ``name``: the function itself, or taken from the class it is in."""
    return getattr(thing, name) if isinstance(thing, type) else thing
