"""The regular -ar/-er/-ir paradigm as code, and the irregularity label it defines.

A form is *irregular* when it differs, letter for letter, from what the regular paradigm builds:
the stem is the infinitive minus its two-letter ending (``habl-ar``), except in the futuro and the
condicional, which add their endings to the whole infinitive (``hablar-é``). The rule is purely
mechanical on purpose, so it also flags forms that only change an accent or a spelling to keep a
sound (``estás`` against the regular ``estas``, ``jugué`` against ``jugé``);
:func:`differs_only_in_accent_or_spelling` tells those apart.
"""

import unicodedata

PERSONS: tuple[str, ...] = ("yo", "tú", "nosotros")
TENSES: tuple[str, ...] = (
    "presente",
    "pretérito indefinido",
    "pretérito imperfecto",
    "futuro",
    "condicional",
)

# Endings by conjugation class, tense and person (yo, tú, nosotros), added to the stem.
STEM_ENDINGS: dict[str, dict[str, tuple[str, str, str]]] = {
    "ar": {
        "presente": ("o", "as", "amos"),
        "pretérito indefinido": ("é", "aste", "amos"),
        "pretérito imperfecto": ("aba", "abas", "ábamos"),
    },
    "er": {
        "presente": ("o", "es", "emos"),
        "pretérito indefinido": ("í", "iste", "imos"),
        "pretérito imperfecto": ("ía", "ías", "íamos"),
    },
    "ir": {
        "presente": ("o", "es", "imos"),
        "pretérito indefinido": ("í", "iste", "imos"),
        "pretérito imperfecto": ("ía", "ías", "íamos"),
    },
}

# The futuro and condicional endings are the same for all three classes and go on the infinitive.
INFINITIVE_ENDINGS: dict[str, tuple[str, str, str]] = {
    "futuro": ("é", "ás", "emos"),
    "condicional": ("ía", "ías", "íamos"),
}


def _check_choice(kind: str, value: str, valid: tuple[str, ...]) -> None:
    if value not in valid:
        raise ValueError(f"unknown {kind} {value!r}; expected one of: {', '.join(valid)}")


def regular_form(verb: str, person: str, tense: str) -> str:
    r"""Build the form the regular -ar/-er/-ir paradigm gives for ``verb``.

    Any infinitive ending in -ar, -er or -ir is accepted, not only the grid's verbs: the rule
    knows nothing about individual verbs, which is the point.

    Args:
        verb: an infinitive ending in ``ar``, ``er`` or ``ir`` (lower case).
        person: one of :data:`PERSONS`.
        tense: one of :data:`TENSES`.

    Returns:
        The regular form, NFC-normalised (accents as single code points).

    Raises:
        ValueError: if ``verb`` does not end in -ar/-er/-ir or ``person``/``tense`` is unknown;
            the message names the bad value and lists the valid ones.

    Example::

        >>> regular_form("hablar", "nosotros", "pretérito imperfecto")
        'hablábamos'
        >>> regular_form("tener", "yo", "futuro")  # the real form is 'tendré'
        'teneré'
    """
    ending = verb[-2:]
    if len(verb) < 2 or ending not in STEM_ENDINGS:
        raise ValueError(f"cannot conjugate {verb!r}: an infinitive must end in -ar, -er or -ir")
    _check_choice("person", person, PERSONS)
    _check_choice("tense", tense, TENSES)
    p = PERSONS.index(person)
    if tense in INFINITIVE_ENDINGS:
        return verb + INFINITIVE_ENDINGS[tense][p]
    return verb[:-2] + STEM_ENDINGS[ending][tense][p]


def is_irregular(verb: str, person: str, tense: str, form: str) -> bool:
    """Return True if ``form`` differs from :func:`regular_form` for the same triple.

    The comparison is on NFC-normalised text, so a decomposed accent (``e`` + combining acute)
    counts as the same letter as ``é``.

    Example::

        >>> is_irregular("ser", "yo", "presente", "soy")
        True
        >>> is_irregular("comer", "tú", "presente", "comes")
        False
    """
    return unicodedata.normalize("NFC", form) != regular_form(verb, person, tense)


# Acute accents and the diaeresis (ü) carry no spelling change of their own; the tilde of ñ does.
_DIACRITICS = {"\u0301", "\u0308"}

# Spanish writes one sound two ways depending on the next vowel: /k/ is c before a/o/u but qu
# before e/i, /g/ is g but gu, /θ/ is z but c. Mapping the e/i spellings back makes
# jugué ~ jugé, busqué ~ buscé, empecé ~ empezé compare equal.
_SPELLING_BEFORE_E_I = (("qu", "c"), ("gu", "g"), ("z", "c"))


def _spelling_key(word: str) -> str:
    decomposed = unicodedata.normalize("NFD", word)
    bare = "".join(ch for ch in decomposed if ch not in _DIACRITICS)
    key = unicodedata.normalize("NFC", bare)
    for written, base in _SPELLING_BEFORE_E_I:
        for vowel in "ei":
            key = key.replace(written + vowel, base + vowel)
    return key


def differs_only_in_accent_or_spelling(form: str, regular: str) -> bool:
    """Return True if ``form`` and ``regular`` differ, but only by accents or c/qu, g/gu, z/c.

    These are the forms that :func:`is_irregular` flags although a learner would call them
    regular: the sound follows the paradigm and only the written accent, or the letter that keeps
    the stem's sound before e/i, changes.

    Example::

        >>> differs_only_in_accent_or_spelling("jugué", regular_form("jugar", "yo",
        ...                                    "pretérito indefinido"))
        True
        >>> differs_only_in_accent_or_spelling("tengo", "teno")
        False
    """
    form = unicodedata.normalize("NFC", form)
    regular = unicodedata.normalize("NFC", regular)
    return form != regular and _spelling_key(form) == _spelling_key(regular)
