"""Each rule of docs_support.checks catches what it is meant to catch."""

from pathlib import Path

from docs_support import checks
from docs_support.fences import parse_fences

EXECUTED = '```python exec="on" session="s"\n{}\n```\n'


def write(docs: Path, language: str, page: str, text: str) -> Path:
    path = docs / language / page
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_a_page_in_one_language_only_is_reported(tmp_path):
    write(tmp_path, "en", "a.md", "# A\n")
    write(tmp_path, "es", "a.md", "# A\n")
    write(tmp_path, "en", "sub/b.md", "# B\n")
    [problem] = checks.missing_translations(tmp_path)
    assert "en/sub/b.md" in problem and "missing in es" in problem


def test_translations_may_differ_in_comments_strings_and_labels_only(tmp_path):
    write(tmp_path, "en", "a.md", EXECUTED.format('print("loss", 1)  # English'))
    write(tmp_path, "es", "a.md", EXECUTED.format("print('pérdida', 1)  # español"))
    assert checks.translation_differences(tmp_path) == []
    write(tmp_path, "es", "a.md", EXECUTED.format("print('pérdida', 2)"))
    [problem] = checks.translation_differences(tmp_path)
    assert "es/a.md:1" in problem and "code differs" in problem


def test_translations_with_a_different_number_of_blocks_are_reported(tmp_path):
    write(tmp_path, "en", "a.md", EXECUTED.format("x = 1") * 2)
    write(tmp_path, "es", "a.md", EXECUTED.format("x = 1"))
    [problem] = checks.translation_differences(tmp_path)
    assert "2 executed blocks vs 1" in problem


def test_translations_with_different_sessions_are_reported(tmp_path):
    write(tmp_path, "en", "a.md", EXECUTED.format("x = 1"))
    write(tmp_path, "es", "a.md", EXECUTED.format("x = 1").replace('"s"', '"t"'))
    [problem] = checks.translation_differences(tmp_path)
    assert "options differ" in problem


def test_executed_fences_in_admonitions_and_tabs_are_reported():
    text = (
        '!!! note\n    ```python exec="on"\n    x = 1\n    ```\n\n'
        '=== "Tab"\n\n    ```python exec="on"\n    x = 2\n    ```\n\n'
        '/// details | Solution\n```python exec="on"\nx = 3\n```\n///\n'
    )
    problems = checks.nested_executed_fences(parse_fences(text, "page.md"))
    assert [p.split(":")[:2] for p in problems] == [["page.md", "2"], ["page.md", "8"]]


def test_fence_options_the_tests_would_not_honour_are_reported():
    text = (
        '```py exec="on"\nx = 1\n```\n'
        '```python exec="yes"\nx = 1\n```\n'
        '```python exec="on" workdir="/tmp"\nx = 1\n```\n'
        '```python exec="on" continuation\nx = 1\n```\n'
        '```python exec="on" session="s" source="above" result="text" id="ok"\nx = 1\n```\n'
    )
    problems = checks.bad_fence_options(parse_fences(text, "page.md"))
    assert [p.split(":")[1] for p in problems] == ["1", "4", "7", "10"]


def test_illustrative_python_that_does_not_parse_is_reported():
    text = "```python\nx = = 1\n```\n```python\nx = 1\n```\n```text\nx = = 1\n```\n"
    [problem] = checks.uncompilable_illustrations(parse_fences(text, "page.md"))
    assert problem.startswith("page.md:2:")


def config_with(nav, translations):
    languages = [
        {"locale": "en", "default": True},
        {"locale": "es", "nav_translations": translations},
    ]
    return {"nav": nav, "plugins": ["search", {"i18n": {"languages": languages}}]}


def test_nav_titles_without_translation_and_stale_translations_are_reported():
    nav = [{"Home": "index.md"}, {"Chapters": ["00.md", {"Intro": "intro.md"}]}]
    config = config_with(nav, {"Home": "Inicio", "Chapters": "Capítulos", "Old": "Viejo"})
    assert checks.untranslated_nav(config) == [
        "mkdocs.yml: nav title 'Intro' has no es translation",
        "mkdocs.yml: es translates 'Old', not in the nav",
    ]


def test_nav_pages_need_a_title_line_in_every_language(tmp_path):
    write(tmp_path, "en", "a.md", "# A\n")
    write(tmp_path, "es", "a.md", "Sin título\n")
    [problem] = checks.untitled_pages(tmp_path, config_with(["a.md"], {}))
    assert "es/a.md:1" in problem


def test_statements_hidden_on_some_of_their_lines_only_are_reported():
    text = (
        '```python exec="on"\n'
        "assert x == [  # markdown-exec: hide\n"
        "    1,\n"
        "]  # markdown-exec: hide\n"
        "assert y == 2  # markdown-exec: hide\n"
        "if x:  # markdown-exec: hide\n"
        "    print(x)\n"
        "for z in x:  # markdown-exec: hide\n"
        "    print(z)  # markdown-exec: hide\n"
        "print('shown')\n"
        "```\n"
    )
    problems = checks.partly_hidden_statements(parse_fences(text, "page.md"))
    assert [p.split(":")[1] for p in problems] == ["2", "7"]
