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
    assert "2 Python blocks vs 1" in problem


def test_translations_compare_pytorch_and_illustrative_python_too(tmp_path):
    torch_block = '```python torch="on" session="s" title="{}"\n{}\n```\n'
    shown = '```python title="{}"\n{}\n```\n'
    write(tmp_path, "en", "a.md", torch_block.format("doc tests", "y = 1") + shown.format("a", "z"))
    write(tmp_path, "es", "a.md", torch_block.format("tests", "y = 1") + shown.format("b", "z"))
    assert checks.translation_differences(tmp_path) == []  # titles may differ
    write(tmp_path, "es", "a.md", torch_block.format("tests", "y = 2") + shown.format("b", "w"))
    problems = checks.translation_differences(tmp_path)
    assert [p.split(" vs ")[0] for p in problems] == [
        f"{tmp_path}/en/a.md:1",
        f"{tmp_path}/en/a.md:4",
    ]


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


def test_pytorch_blocks_in_admonitions_are_reported():
    text = '!!! note\n    ```python torch="on"\n    import torch\n    ```\n'
    [problem] = checks.nested_executed_fences(parse_fences(text, "page.md"))
    assert problem.startswith("page.md:2: PyTorch fence indented by 4 spaces")


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


def test_pytorch_block_options_the_tests_would_not_honour_are_reported():
    text = (
        '```python torch="on" session="s" id="a" title="PyTorch"\nx = 1\n```\n'
        '```python torch="yes"\nx = 1\n```\n'
        '```python torch="on" exec="on"\nx = 1\n```\n'
        '```python torch="on" source="above"\nx = 1\n```\n'
        '```python torch="on" continuation\nx = 1\n```\n'
        '```py torch="on"\nx = 1\n```\n'
    )
    problems = checks.bad_fence_options(parse_fences(text, "page.md"))
    assert [p.split(":")[1] for p in problems] == ["4", "7", "7", "10", "13", "16"]


def test_executed_blocks_reading_names_a_pytorch_block_binds_are_reported():
    text = (
        '```python exec="on" session="s"\nmodel = 1\n```\n'
        '```python torch="on" session="s"\nimport torch\nmodel = torch.nn.Linear(1, 1)\n'
        "torch_only = 2\n```\n"
        '```python exec="on" session="s"\nprint(model, [torch_only for model in range(2)])\n```\n'
        '```python exec="on" session="other"\nprint(model)\n```\n'
        '```python exec="on" session="s"\nmodel = 3\nprint(model)\n```\n'
    )
    problems = checks.names_rebound_by_torch_blocks(parse_fences(text, "page.md"))
    # Line 10 reads both (the comprehension's `model` is its own); another session, or a block
    # that binds the name itself, is not affected.
    assert [p.split(": ", 1)[0] for p in problems] == ["page.md:9", "page.md:9"]
    assert "reads 'model'" in problems[0] and "reads 'torch_only'" in problems[1]


def test_a_name_an_executed_block_binds_again_is_safe_to_read_after_it():
    text = (
        '```python torch="on" session="s"\nimport torch\nmodel = torch.nn.Linear(1, 1)\n'
        "loss = 1\n```\n"
        '```python exec="on" session="s"\nmodel = 1\nif model:\n    loss = 2\n```\n'
        '```python exec="on" session="s"\nprint(model, loss)\n```\n'
    )
    problems = checks.names_rebound_by_torch_blocks(parse_fences(text, "page.md"))
    # `model` is bound again on every run; `loss` only when the `if` holds, so it stays reported.
    assert problems == [
        "page.md:11: reads 'loss', which the PyTorch block at page.md:1 binds: only the doc "
        "tests run that block"
    ]


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
