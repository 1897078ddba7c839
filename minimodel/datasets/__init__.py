"""Small data sets packaged with minimodel.

The Spanish grammar grid (20 verbs x 3 persons x 5 tenses) with its computed irregularity labels,
used by the course's ``TenseMLP`` chapter. See :mod:`minimodel.datasets.grammar_grid` and
:mod:`minimodel.datasets.rule`.
"""

from minimodel.datasets.grammar_grid import (
    NUM_FEATURES,
    VERBS,
    Conjugation,
    GrammarGridFormatError,
    encode,
    grammar_grid_tensors,
    irregular_only_by_accent_or_spelling,
    load_grammar_grid,
)
from minimodel.datasets.rule import (
    PERSONS,
    TENSES,
    differs_only_in_accent_or_spelling,
    is_irregular,
    regular_form,
)

__all__ = [
    "NUM_FEATURES",
    "PERSONS",
    "TENSES",
    "VERBS",
    "Conjugation",
    "GrammarGridFormatError",
    "differs_only_in_accent_or_spelling",
    "encode",
    "grammar_grid_tensors",
    "irregular_only_by_accent_or_spelling",
    "is_irregular",
    "load_grammar_grid",
    "regular_form",
]
