import unicodedata

import pytest

from minimodel.datasets.rule import (
    PERSONS,
    TENSES,
    differs_only_in_accent_or_spelling,
    is_irregular,
    regular_form,
)

# The textbook regular paradigms, typed from a grammar, one tuple (yo, tú, nosotros) per tense in
# the order of TENSES.
KNOWN_REGULAR_PARADIGMS = {
    "hablar": (
        ("hablo", "hablas", "hablamos"),
        ("hablé", "hablaste", "hablamos"),
        ("hablaba", "hablabas", "hablábamos"),
        ("hablaré", "hablarás", "hablaremos"),
        ("hablaría", "hablarías", "hablaríamos"),
    ),
    "comer": (
        ("como", "comes", "comemos"),
        ("comí", "comiste", "comimos"),
        ("comía", "comías", "comíamos"),
        ("comeré", "comerás", "comeremos"),
        ("comería", "comerías", "comeríamos"),
    ),
    "vivir": (
        ("vivo", "vives", "vivimos"),
        ("viví", "viviste", "vivimos"),
        ("vivía", "vivías", "vivíamos"),
        ("viviré", "vivirás", "viviremos"),
        ("viviría", "vivirías", "viviríamos"),
    ),
}


def _paradigm_cells():
    for verb, table in KNOWN_REGULAR_PARADIGMS.items():
        for tense, forms in zip(TENSES, table, strict=True):
            for person, form in zip(PERSONS, forms, strict=True):
                yield verb, person, tense, form


@pytest.mark.parametrize(("verb", "person", "tense", "form"), list(_paradigm_cells()))
def test_regular_form_reproduces_known_regular_paradigm(verb, person, tense, form):
    assert regular_form(verb, person, tense) == form


@pytest.mark.parametrize(("verb", "person", "tense", "form"), list(_paradigm_cells()))
def test_known_regular_paradigm_is_not_labelled_irregular(verb, person, tense, form):
    assert not is_irregular(verb, person, tense, form)


def test_futuro_and_condicional_are_built_on_the_whole_infinitive():
    assert regular_form("tener", "yo", "futuro") == "teneré"
    assert regular_form("decir", "nosotros", "condicional") == "deciríamos"


def test_other_tenses_are_built_on_the_stem_without_the_ending():
    assert regular_form("tener", "yo", "presente") == "teno"
    assert regular_form("ir", "tú", "pretérito imperfecto") == "ías"


@pytest.mark.parametrize(
    ("verb", "person", "tense", "form"),
    [
        ("ser", "yo", "presente", "soy"),
        ("tener", "yo", "futuro", "tendré"),
        ("dormir", "yo", "presente", "duermo"),
        ("estar", "tú", "presente", "estás"),
    ],
)
def test_form_that_differs_from_regular_is_irregular(verb, person, tense, form):
    assert is_irregular(verb, person, tense, form)


def test_is_irregular_compares_decomposed_and_composed_accents_as_equal():
    decomposed = unicodedata.normalize("NFD", "hablé")
    assert decomposed != "hablé"
    assert not is_irregular("hablar", "yo", "pretérito indefinido", decomposed)


def test_regular_form_rejects_a_word_that_is_not_an_infinitive():
    with pytest.raises(ValueError, match=r"cannot conjugate 'hablo'.*-ar, -er or -ir"):
        regular_form("hablo", "yo", "presente")


def test_regular_form_names_unknown_person_and_lists_valid_ones():
    with pytest.raises(
        ValueError, match=r"unknown person 'vosotros'; expected one of: yo, tú, nos"
    ):
        regular_form("hablar", "vosotros", "presente")


def test_regular_form_names_unknown_tense_and_lists_valid_ones():
    with pytest.raises(ValueError, match=r"unknown tense 'pretérito'; expected one of: presente, "):
        regular_form("hablar", "yo", "pretérito")


@pytest.mark.parametrize(
    ("form", "regular"),
    [
        ("estás", "estas"),  # accent only
        ("vi", "ví"),  # accent only, the other way round
        ("jugué", "jugé"),  # g -> gu keeps the hard g before e
        ("busqué", "buscé"),  # c -> qu keeps the k sound before e
        ("empecé", "empezé"),  # z -> c before e
    ],
)
def test_accent_or_spelling_change_alone_is_recognised(form, regular):
    assert differs_only_in_accent_or_spelling(form, regular)


@pytest.mark.parametrize(
    ("form", "regular"),
    [
        ("hablo", "hablo"),  # identical: not a difference at all
        ("sé", "sabo"),
        ("tengo", "teno"),
        ("duermo", "dormo"),
        ("año", "ano"),  # the tilde of ñ makes a different letter, not an accent
    ],
)
def test_real_change_is_not_an_accent_or_spelling_change(form, regular):
    assert not differs_only_in_accent_or_spelling(form, regular)
