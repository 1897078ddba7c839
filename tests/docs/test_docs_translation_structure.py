"""The two languages of a page say the same things: same headings, same admonitions and exercises,
and, section by section, the same links, inline-code identifiers and numbers
(docs_support.structure). Each rule is shown failing on a small pair of pages, then applied to
the book."""

import re
from pathlib import Path

import pytest
from budget import examples
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from site_helpers import DOCS

from docs_support.structure import (
    prose_lines,
    sections,
    structure_differences,
    translation_structure_differences,
)

ENGLISH = """# 02 · Optimizers

Chapter [01](01-parameter-and-module.md) built `Module`; see [`SGD`][minimodel.optim.SGD].

## The update

The loss falls from 0.37 to 0.12 in 100 steps; `optimizer.step()` writes `p.data`.

!!! note
    A note.

```python
# 7 comments and `code_in_fences` are not prose
x = 12345
```

## Exercises

**1. RMSprop.** Write `RMSprop` with `alpha=0.99`.

/// details | Solution
    type: tip

```python exec="on" session="s"
print(1)
```
///
"""

SPANISH = """# 02 · Optimizadores

El capítulo [01](01-parameter-and-module.md) construyó `Module`; mira
[`SGD`][minimodel.optim.SGD].

## La actualización

La pérdida baja de 0.37 a 0.12 en 100 pasos; `optimizer.step()` escribe en `p.data`.

!!! note
    Una nota.

```python
# 8 comentarios
x = 12345
```

## Ejercicios

**1. RMSprop.** Escribe `RMSprop` con `alpha=0.99`.

/// details | Solución
    type: tip

```python exec="on" session="s"
print(1)
```
///
"""


def differences(spanish: str) -> list[str]:
    return structure_differences(ENGLISH, spanish, "es/02.md")


def test_a_faithful_translation_passes():
    assert differences(SPANISH) == []


def test_sections_read_prose_only():
    update = sections(ENGLISH)[1]
    assert update.numbers == {"0.37", "0.12", "100"}
    assert update.identifiers == {"optimizer", "step", "p", "data"}
    assert update.blocks == ["note (not foldable)"]


def test_a_missing_heading_is_reported_with_both_headings():
    [problem] = differences(SPANISH.replace("## Ejercicios\n", ""))
    assert "headings differ: 3 in en, 2 in es" in problem
    assert "'## Exercises' in en but '(no more headings)' in es" in problem


def test_a_heading_at_another_level_is_reported():
    [problem] = differences(SPANISH.replace("## La actualización", "### La actualización"))
    assert "heading 2 is '## The update' in en but '### La actualización' in es" in problem


def test_an_admonition_of_another_kind_is_reported_in_its_section():
    [problem] = differences(SPANISH.replace("!!! note", "!!! tip"))
    assert "section 'La actualización' (en: 'The update')" in problem
    assert "['note (not foldable)']" in problem and "['tip (not foldable)']" in problem


@pytest.mark.parametrize(
    ("before", "after", "shown_en", "shown_es"),
    [
        ("!!! note", "??? note", "note (not foldable)", "note (folded)"),
        (
            "    type: tip\n",
            "    type: tip\n    open: True\n",
            "details tip (folded)",
            "details tip (unfolded)",
        ),
        ("    type: tip\n", "", "details tip (folded)", "details note (folded)"),
    ],
)
def test_a_different_folded_state_or_kind_is_reported(before, after, shown_en, shown_es):
    [problem] = differences(SPANISH.replace(before, after))
    assert "admonitions and exercises differ" in problem
    assert shown_en in problem and shown_es in problem


def test_a_missing_or_renumbered_exercise_is_reported():
    # The exercise's number is also a number of the prose: both rules report it.
    blocks, numbers = differences(SPANISH.replace("**1. RMSprop.**", "**RMSprop.**"))
    assert "section 'Ejercicios' (en: 'Exercises')" in blocks
    assert "'exercise 1', 'details tip (folded)'" in blocks
    assert "numbers in the prose differ (only in en: 1)" in numbers
    blocks, _ = differences(SPANISH.replace("**1. RMSprop.**", "**2. RMSprop.**"))
    assert "'exercise 2'" in blocks


def test_solutions_in_another_order_are_reported():
    moved = SPANISH.replace("**1. RMSprop.** Escribe `RMSprop` con `alpha=0.99`.\n\n", "")
    moved = moved.replace("///\n", "///\n\n**1. RMSprop.** Escribe `RMSprop` con `alpha=0.99`.\n")
    [problem] = differences(moved)
    assert "['exercise 1', 'details tip (folded)']" in problem
    assert "['details tip (folded)', 'exercise 1']" in problem


def test_a_different_link_target_is_reported_in_its_section():
    [problem] = differences(SPANISH.replace("(01-parameter-and-module.md)", "(00-motivation.md)"))
    assert "section '02 · Optimizadores'" in problem
    assert "link targets differ (only in en: 01-parameter-and-module.md; " in problem
    assert "only in es: 00-motivation.md)" in problem


def test_a_different_api_reference_is_reported():
    [problem] = differences(SPANISH.replace("[minimodel.optim.SGD]", "[minimodel.optim.Adam]"))
    assert "only in en: minimodel.optim.SGD; only in es: minimodel.optim.Adam" in problem


def test_a_missing_or_translated_identifier_is_reported():
    [problem] = differences(SPANISH.replace("escribe en `p.data`", "escribe los datos"))
    assert "inline-code identifiers differ (only in en: data, p)" in problem
    [problem] = differences(SPANISH.replace("`alpha=0.99`", "`alfa=0.99`"))
    assert "only in en: alpha; only in es: alfa" in problem


def test_string_literals_in_inline_code_may_be_translated():
    english = ENGLISH.replace("`p.data`", '`print("loss")`')
    spanish = SPANISH.replace("`p.data`", "`print('pérdida')`")
    assert structure_differences(english, spanish, "es/02.md") == []


@pytest.mark.parametrize(
    ("before", "after"),
    [("0.37", "0,37"), ("100 pasos", "cien pasos"), ("0.12", "0.13")],
)
def test_a_number_written_otherwise_or_changed_is_reported(before, after):
    [problem] = differences(SPANISH.replace(before, after))
    assert "section 'La actualización' (en: 'The update')" in problem
    assert f"numbers in the prose differ (only in en: {before.split()[0]}" in problem


def test_numbers_in_code_links_and_heading_ids_are_not_prose():
    spanish = SPANISH.replace("## La actualización", "## La actualización {#update-2}")
    spanish = spanish.replace("de 0.37", "de 0.37 ([más abajo](04-port-drill.md#a3))")
    english = ENGLISH.replace("from 0.37", "from 0.37 ([below](04-port-drill.md#a3))")
    assert structure_differences(english, spanish, "es/02.md") == []


def test_the_two_languages_of_every_page_say_the_same_things():
    problems = translation_structure_differences(DOCS)
    assert not problems, "\n" + "\n".join(problems)


def test_the_book_is_compared_section_by_section():
    # Guards the test above against passing on pages it cannot read.
    parsed = sections((DOCS / "en" / "02-optim.md").read_text(encoding="utf-8"))
    assert len(parsed) > 5
    assert any(s.numbers for s in parsed) and any(s.links for s in parsed)
    assert any("exercise 1" in s.blocks for s in parsed)
    assert Path(DOCS / "es" / "02-optim.md").exists()


# Generated: one change to a real Spanish page, of a kind the rules cover, is reported in the
# section where it was made.
PAGES = sorted(p.relative_to(DOCS / "es").as_posix() for p in (DOCS / "es").rglob("*.md"))
# For each kind of change: what to look for, what to put instead, and what the report then names.
ALIEN = {
    "number": (re.compile(r"(?<![\w.`])\d+(?:\.\d+)?(?![\w`])"), "987654321", "987654321"),
    "inline code": (re.compile(r"`[^`\n]+`"), "`zz_absent_identifier`", "zz_absent_identifier"),
    "link target": (re.compile(r"\]\([^)\s]+\)"), "](nowhere.md)", "nowhere.md"),
    "admonition": (re.compile(r"^    type: \w+$"), "    type: danger", "details danger"),
}


@settings(max_examples=examples(30))
@given(data=st.data(), page=st.sampled_from(PAGES), kind=st.sampled_from(sorted(ALIEN)))
def test_a_change_to_a_translation_is_reported_in_its_section(data, page, kind):
    english = (DOCS / "en" / page).read_text(encoding="utf-8")
    spanish = (DOCS / "es" / page).read_text(encoding="utf-8")
    pattern, alien, reported = ALIEN[kind]
    lines = spanish.splitlines()
    candidates = [
        n for n, line in prose_lines(spanish) if not line.startswith("#") and pattern.search(line)
    ]
    assume(candidates)
    number = data.draw(st.sampled_from(candidates))
    lines[number - 1] = pattern.sub(alien, lines[number - 1], count=1)
    # A number inside inline code or a link target is not prose: another rule covers it.
    assume(kind != "number" or _prose_number_left(lines[number - 1], alien))
    changed = "\n".join(lines) + "\n"
    section = [s for s in sections(changed) if s.line <= number][-1]
    problems = structure_differences(english, changed, f"es/{page}")
    assert any(f"section {section.title!r}" in p and reported in p for p in problems), problems


def _prose_number_left(line, alien):
    return alien in re.sub(r"`[^`]*`|\]\([^)]*\)", " ", line)
