import itertools
import unicodedata
from collections import Counter
from importlib import resources

import numpy as np
import pytest

import minimodel as mm
from minimodel.datasets import (
    PERSONS,
    TENSES,
    VERBS,
    GrammarGridFormatError,
    encode,
    grammar_grid_tensors,
    irregular_only_by_accent_or_spelling,
    load_grammar_grid,
)


def _packaged_text() -> str:
    return resources.files("minimodel.datasets").joinpath("grammar_grid.tsv").read_text("utf-8")


def _grid_by_triple():
    return {(c.verb, c.person, c.tense): c for c in load_grammar_grid()}


def test_constants_list_the_issue_verbs_persons_and_tenses_in_order():
    expected_verbs = (
        *("hablar", "comer", "vivir", "ser", "estar", "tener", "ir", "hacer", "poder", "decir"),
        *("querer", "venir", "saber", "poner", "salir", "dormir", "pedir", "jugar", "pensar"),
        "ver",
    )
    assert expected_verbs == VERBS
    assert PERSONS == ("yo", "tú", "nosotros")
    assert TENSES == (
        "presente",
        "pretérito indefinido",
        "pretérito imperfecto",
        "futuro",
        "condicional",
    )


def test_packaged_file_holds_each_triple_exactly_once():
    rows = [line.split("\t") for line in _packaged_text().splitlines()[1:]]
    counts = Counter((verb, person, tense) for verb, person, tense, _ in rows)
    assert len(rows) == 300
    assert set(counts) == set(itertools.product(VERBS, PERSONS, TENSES))
    assert set(counts.values()) == {1}


def test_packaged_file_forms_are_nfc_and_free_of_stray_whitespace():
    for line in _packaged_text().splitlines():
        assert unicodedata.is_normalized("NFC", line)
        assert all(col == col.strip() and col for col in line.split("\t"))


def test_load_grammar_grid_returns_triples_in_verb_person_tense_order():
    grid = load_grammar_grid()
    assert [(c.verb, c.person, c.tense) for c in grid] == list(
        itertools.product(VERBS, PERSONS, TENSES)
    )


@pytest.mark.parametrize(
    ("verb", "person", "tense", "form"),
    [
        ("ser", "yo", "presente", "soy"),
        ("ser", "tú", "presente", "eres"),
        ("ser", "yo", "pretérito indefinido", "fui"),
        ("ir", "yo", "pretérito indefinido", "fui"),
        ("ir", "tú", "presente", "vas"),
        ("ir", "nosotros", "pretérito imperfecto", "íbamos"),
        ("ser", "nosotros", "pretérito imperfecto", "éramos"),
        ("tener", "yo", "presente", "tengo"),
        ("tener", "yo", "futuro", "tendré"),
        ("tener", "tú", "condicional", "tendrías"),
        ("hacer", "yo", "pretérito indefinido", "hice"),
        ("hacer", "nosotros", "futuro", "haremos"),
        ("decir", "yo", "pretérito indefinido", "dije"),
        ("decir", "tú", "presente", "dices"),
        ("querer", "yo", "futuro", "querré"),
        ("saber", "yo", "presente", "sé"),
        ("venir", "tú", "presente", "vienes"),
        ("dormir", "yo", "presente", "duermo"),
        ("jugar", "tú", "presente", "juegas"),
        ("pensar", "yo", "presente", "pienso"),
        ("pedir", "yo", "presente", "pido"),
        ("ver", "nosotros", "pretérito imperfecto", "veíamos"),
    ],
)
def test_well_known_irregular_form_is_present_and_labelled_irregular(verb, person, tense, form):
    cell = _grid_by_triple()[(verb, person, tense)]
    assert cell.form == form
    assert cell.irregular


@pytest.mark.parametrize(
    ("verb", "person", "tense", "form"),
    [
        # The boot verbs keep the regular stem outside the boot: nosotros, and yo/tú preterite.
        ("dormir", "nosotros", "presente", "dormimos"),
        ("pedir", "nosotros", "presente", "pedimos"),
        ("jugar", "nosotros", "presente", "jugamos"),
        ("dormir", "yo", "pretérito indefinido", "dormí"),
        ("pedir", "tú", "pretérito indefinido", "pediste"),
        ("salir", "yo", "pretérito indefinido", "salí"),
        ("tener", "yo", "pretérito imperfecto", "tenía"),
        ("ser", "yo", "futuro", "seré"),
        ("ir", "nosotros", "condicional", "iríamos"),
        ("ver", "tú", "pretérito indefinido", "viste"),
    ],
)
def test_regular_form_of_an_irregular_verb_is_labelled_regular(verb, person, tense, form):
    cell = _grid_by_triple()[(verb, person, tense)]
    assert cell.form == form
    assert not cell.irregular


def test_paradigm_verbs_hablar_comer_vivir_have_no_irregular_form():
    assert not any(
        c.irregular for c in load_grammar_grid() if c.verb in {"hablar", "comer", "vivir"}
    )


def test_imperfecto_is_irregular_for_exactly_ser_ir_ver_in_every_person():
    imperfecto = {
        (c.verb, c.person)
        for c in load_grammar_grid()
        if c.irregular and c.tense == "pretérito imperfecto"
    }
    assert imperfecto == set(itertools.product(("ser", "ir", "ver"), PERSONS))


def test_futuro_is_irregular_for_exactly_the_verbs_with_an_irregular_future_stem():
    # tendr-, har-, podr-, dir-, querr-, vendr-, sabr-, pondr-, saldr-
    stems = ("tener", "hacer", "poder", "decir", "querer", "venir", "saber", "poner", "salir")
    futuro = {
        (c.verb, c.person) for c in load_grammar_grid() if c.irregular and c.tense == "futuro"
    }
    assert futuro == set(itertools.product(stems, PERSONS))


FUTURO_ENDINGS = {"yo": "é", "tú": "ás", "nosotros": "emos"}
CONDICIONAL_ENDINGS = {"yo": "ía", "tú": "ías", "nosotros": "íamos"}


def test_futuro_and_condicional_share_their_stem_for_every_verb_and_person():
    grid = _grid_by_triple()
    for verb, person in itertools.product(VERBS, PERSONS):
        futuro = grid[(verb, person, "futuro")].form
        stem = futuro.removesuffix(FUTURO_ENDINGS[person])
        assert stem != futuro, (verb, person)
        assert grid[(verb, person, "condicional")].form == stem + CONDICIONAL_ENDINGS[person]


def test_futuro_is_irregular_exactly_when_condicional_is():
    grid = _grid_by_triple()
    for verb, person in itertools.product(VERBS, PERSONS):
        futuro = grid[(verb, person, "futuro")].irregular
        assert futuro == grid[(verb, person, "condicional")].irregular, (verb, person)


def test_irregular_only_by_accent_or_spelling_lists_estas_jugue_vi():
    cells = irregular_only_by_accent_or_spelling()
    assert [(c.verb, c.person, c.tense, c.form) for c in cells] == [
        ("estar", "tú", "presente", "estás"),  # regular: estas
        ("jugar", "yo", "pretérito indefinido", "jugué"),  # regular: jugé
        ("ver", "yo", "pretérito indefinido", "vi"),  # regular: ví
    ]
    assert all(c.irregular for c in cells)


def test_encode_sets_one_verb_bit_and_one_person_bit():
    x = encode("ser", "tú")
    assert x.shape == (23,)
    assert x.dtype == mm.float32
    expected = np.zeros(23, dtype=np.float32)
    expected[VERBS.index("ser")] = 1.0
    expected[20 + PERSONS.index("tú")] = 1.0
    np.testing.assert_array_equal(x.numpy(), expected)


def test_grammar_grid_tensors_have_shapes_60x23_and_60x5_float32():
    x, y = grammar_grid_tensors()
    assert x.shape == (60, 23)
    assert y.shape == (60, 5)
    assert x.dtype == y.dtype == mm.float32
    assert not x.requires_grad and not y.requires_grad


def test_grammar_grid_inputs_are_one_hot_rows_verbs_outer_persons_inner():
    x = grammar_grid_tensors()[0].numpy()
    for row, (verb, person) in enumerate(itertools.product(VERBS, PERSONS)):
        np.testing.assert_array_equal(x[row], encode(verb, person).numpy())
        assert x[row, :20].sum() == 1.0 and x[row, 20:].sum() == 1.0
    assert len({tuple(r) for r in x}) == 60


def test_grammar_grid_targets_match_the_irregular_labels():
    y = grammar_grid_tensors()[1].numpy()
    grid = _grid_by_triple()
    for row, (verb, person) in enumerate(itertools.product(VERBS, PERSONS)):
        for col, tense in enumerate(TENSES):
            assert y[row, col] == float(grid[(verb, person, tense)].irregular)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("hablarr", "yo"), r"unknown verb 'hablarr'; expected one of: hablar, comer, .*, ver$"),
        (("hablar", "vosotros"), r"unknown person 'vosotros'; expected one of: yo, tú, nosotros$"),
    ],
)
def test_encode_names_unknown_value_and_lists_valid_ones(args, message):
    with pytest.raises(ValueError, match=message):
        encode(*args)


def _write_grid(tmp_path, lines):
    path = tmp_path / "grid.tsv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_load_grammar_grid_reads_a_file_given_by_path_in_any_row_order(tmp_path):
    header, *rows = _packaged_text().splitlines()
    path = _write_grid(tmp_path, [header, *reversed(rows)])
    assert load_grammar_grid(path) == load_grammar_grid()


def test_malformed_file_with_wrong_column_count_names_file_and_line(tmp_path):
    lines = _packaged_text().splitlines()
    lines[5] = lines[5].replace("\t", " ", 1)
    path = _write_grid(tmp_path, lines)
    with pytest.raises(GrammarGridFormatError, match=r"grid\.tsv, line 6: expected 4 .*got 3"):
        load_grammar_grid(path)


def test_malformed_file_with_duplicate_triple_names_both_lines(tmp_path):
    lines = _packaged_text().splitlines()
    lines.insert(10, lines[2])
    path = _write_grid(tmp_path, lines)
    with pytest.raises(GrammarGridFormatError, match=r"line 11: duplicate triple .*on line 3"):
        load_grammar_grid(path)


def test_malformed_file_with_missing_triple_names_it(tmp_path):
    lines = _packaged_text().splitlines()
    del lines[-1]  # ver, nosotros, condicional
    path = _write_grid(tmp_path, lines)
    with pytest.raises(
        GrammarGridFormatError, match=r"grid\.tsv: missing triple \('ver', 'nosotros', 'condic"
    ):
        load_grammar_grid(path)


def test_malformed_file_with_unknown_tense_names_file_line_and_value(tmp_path):
    lines = _packaged_text().splitlines()
    lines[1] = "hablar\tyo\tpresente de subjuntivo\thable"
    path = _write_grid(tmp_path, lines)
    with pytest.raises(
        GrammarGridFormatError, match=r"line 2: unknown tense 'presente de subjuntivo'"
    ):
        load_grammar_grid(path)


def test_malformed_file_without_header_is_rejected(tmp_path):
    path = _write_grid(tmp_path, _packaged_text().splitlines()[1:])
    with pytest.raises(GrammarGridFormatError, match=r"grid\.tsv, line 1: expected the header"):
        load_grammar_grid(path)


def test_format_error_is_a_value_error():
    assert issubclass(GrammarGridFormatError, ValueError)
