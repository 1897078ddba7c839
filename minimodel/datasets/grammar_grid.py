"""The Spanish grammar grid: 20 verbs x 3 persons x 5 tenses, each with its real form.

The forms live in ``grammar_grid.tsv`` next to this file (UTF-8, tab-separated, one header line,
columns ``verb person tense form``). The ``irregular`` label of each triple is not stored: it is
computed by :func:`minimodel.datasets.rule.is_irregular` when the file is loaded.

Unknown verbs, persons or tenses raise :class:`ValueError` (not :class:`KeyError`, whose message
Python prints with extra quotes); the message names the bad value and lists the valid ones.
"""

import os
from importlib import resources
from typing import NamedTuple

import numpy as np

from minimodel.creation import tensor
from minimodel.datasets.rule import (
    PERSONS,
    TENSES,
    _check_choice,
    differs_only_in_accent_or_spelling,
    is_irregular,
    regular_form,
)
from minimodel.tensor import Tensor

VERBS: tuple[str, ...] = (
    "hablar",
    "comer",
    "vivir",
    "ser",
    "estar",
    "tener",
    "ir",
    "hacer",
    "poder",
    "decir",
    "querer",
    "venir",
    "saber",
    "poner",
    "salir",
    "dormir",
    "pedir",
    "jugar",
    "pensar",
    "ver",
)

NUM_FEATURES = len(VERBS) + len(PERSONS)  # 23: one-hot verb, then one-hot person

_DATA_FILE = "grammar_grid.tsv"
_HEADER = ("verb", "person", "tense", "form")


class Conjugation(NamedTuple):
    """One cell of the grid: a (verb, person, tense) triple, its form, and its computed label."""

    verb: str
    person: str
    tense: str
    form: str
    irregular: bool


class GrammarGridFormatError(ValueError):
    """The grid's data file is malformed; the message names the file and the line."""


def _read_rows(path: str | os.PathLike[str] | None) -> tuple[str, list[str]]:
    if path is None:
        source = resources.files("minimodel.datasets").joinpath(_DATA_FILE)
        return _DATA_FILE, source.read_text(encoding="utf-8").splitlines()
    with open(path, encoding="utf-8") as f:
        return os.fspath(path), f.read().splitlines()


def load_grammar_grid(path: str | os.PathLike[str] | None = None) -> list[Conjugation]:
    """Load the 300 triples of the grammar grid with their irregularity labels.

    The file is checked completely: every row must have four tab-separated columns with a known
    verb, person and tense and a non-empty form, and every (verb, person, tense) triple must appear
    exactly once.

    Args:
        path: a TSV file in the same format to read instead of the packaged one (used by tests).

    Returns:
        A list of :class:`Conjugation`, ordered by verb (as in :data:`VERBS`), then person
        (:data:`PERSONS`), then tense (:data:`TENSES`), whatever the order of the file.

    Raises:
        GrammarGridFormatError: (a :class:`ValueError`) for a malformed file, naming the file
            and line.

    Example::

        >>> grid = load_grammar_grid()
        >>> len(grid)
        300
        >>> grid[0]
        Conjugation(verb='hablar', person='yo', tense='presente', form='hablo', irregular=False)
    """
    name, lines = _read_rows(path)
    if not lines or tuple(lines[0].split("\t")) != _HEADER:
        raise GrammarGridFormatError(
            f"{name}, line 1: expected the header line verb<TAB>person<TAB>tense<TAB>form"
        )
    found: dict[tuple[str, str, str], Conjugation] = {}
    first_line: dict[tuple[str, str, str], int] = {}
    for lineno, line in enumerate(lines[1:], start=2):
        columns = line.split("\t")
        if len(columns) != len(_HEADER):
            raise GrammarGridFormatError(
                f"{name}, line {lineno}: expected 4 tab-separated columns "
                f"(verb, person, tense, form), got {len(columns)}"
            )
        verb, person, tense, form = columns
        try:
            _check_choice("verb", verb, VERBS)
            _check_choice("person", person, PERSONS)
            _check_choice("tense", tense, TENSES)
        except ValueError as err:
            raise GrammarGridFormatError(f"{name}, line {lineno}: {err}") from None
        if not form.strip():
            raise GrammarGridFormatError(f"{name}, line {lineno}: empty form")
        key = (verb, person, tense)
        if key in found:
            raise GrammarGridFormatError(
                f"{name}, line {lineno}: duplicate triple {key}, first given on line "
                f"{first_line[key]}"
            )
        found[key] = Conjugation(verb, person, tense, form, is_irregular(verb, person, tense, form))
        first_line[key] = lineno
    grid = []
    for key in _all_triples():
        if key not in found:
            raise GrammarGridFormatError(f"{name}: missing triple {key}")
        grid.append(found[key])
    return grid


def _all_triples() -> list[tuple[str, str, str]]:
    return [(v, p, t) for v in VERBS for p in PERSONS for t in TENSES]


def _one_hot(verb: str, person: str) -> np.ndarray:
    _check_choice("verb", verb, VERBS)
    _check_choice("person", person, PERSONS)
    x = np.zeros(NUM_FEATURES, dtype=np.float32)
    x[VERBS.index(verb)] = 1.0
    x[len(VERBS) + PERSONS.index(person)] = 1.0
    return x


def encode(verb: str, person: str) -> Tensor:
    """Encode a (verb, person) pair as the 23 input features: one-hot verb, then one-hot person.

    Args:
        verb: one of :data:`VERBS`.
        person: one of :data:`PERSONS`.

    Returns:
        A float32 tensor of shape (23,) with a 1 at the verb's index and at 20 + the person's.

    Raises:
        ValueError: for an unknown verb or person, naming it and listing the valid ones.

    Example::

        >>> x = encode("ser", "tú")
        >>> x.shape, x.dtype
        (minimodel.Size([23]), minimodel.float32)
        >>> x.sum().item(), x[VERBS.index("ser")].item(), x[20 + PERSONS.index("tú")].item()
        (2.0, 1.0, 1.0)
    """
    return tensor(_one_hot(verb, person))


def grammar_grid_tensors() -> tuple[Tensor, Tensor]:
    """Return the encoded data set ``(X, Y)``: shapes (60, 23) and (60, 5), both float32.

    One row per (verb, person), verbs outer and persons inner, so row ``3 * i + j`` is
    ``VERBS[i]`` with ``PERSONS[j]``. ``X`` holds :func:`encode` of the pair; ``Y[r, k]`` is 1.0
    when that pair's form in ``TENSES[k]`` is irregular, else 0.0 (the targets for
    ``BCEWithLogitsLoss``).

    Example::

        >>> X, Y = grammar_grid_tensors()
        >>> X.shape, Y.shape
        (minimodel.Size([60, 23]), minimodel.Size([60, 5]))
        >>> Y[9]  # ser, yo: soy, fui, era, seré, sería
        tensor([1., 1., 1., 0., 0.])
    """
    labels = {(c.verb, c.person, c.tense): c.irregular for c in load_grammar_grid()}
    pairs = [(v, p) for v in VERBS for p in PERSONS]
    x = np.stack([_one_hot(v, p) for v, p in pairs])
    y = np.array([[labels[(v, p, t)] for t in TENSES] for v, p in pairs], dtype=np.float32)
    return tensor(x), tensor(y)


def irregular_only_by_accent_or_spelling() -> list[Conjugation]:
    """The irregular triples whose form differs from the regular one only by accent or spelling.

    The rule flags them (``estás`` is not the regular ``estas``), yet they follow the paradigm's
    sound; the chapter discusses them. See
    :func:`minimodel.datasets.rule.differs_only_in_accent_or_spelling`.

    Example::

        >>> [c.form for c in irregular_only_by_accent_or_spelling()]
        ['estás', 'jugué', 'vi']
    """
    return [
        c
        for c in load_grammar_grid()
        if differs_only_in_accent_or_spelling(c.form, regular_form(c.verb, c.person, c.tense))
    ]
