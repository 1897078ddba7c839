"""Every chapter's notebook, in each language: linked from its page, and it runs top to bottom
printing what the page printed (docs_support.notebooks explains why it runs here, once)."""

from __future__ import annotations

import json

import pytest
from site_helpers import ROOT

from docs_support import notebooks, wheel

nbformat = pytest.importorskip("nbformat")
nbclient = pytest.importorskip("nbclient")

CHAPTERS = sorted(p.stem for p in (ROOT / "docs" / "en").glob("[0-9][0-9]-*.md"))
LANGS = {"en": "", "es": "es/"}


def _notebook(site, lang, stem):
    return site / LANGS[lang] / stem / f"{stem}.ipynb"


@pytest.mark.parametrize("lang", LANGS)
def test_each_chapter_page_links_its_notebook_in_its_language(first_build, lang):
    for stem in CHAPTERS:
        page = (first_build.dir / LANGS[lang] / stem / "index.html").read_text(encoding="utf-8")
        assert notebooks.link(f"{stem}.ipynb", lang) in page
        nb = json.loads(_notebook(first_build.dir, lang, stem).read_text(encoding="utf-8"))
        title = (ROOT / "docs" / lang / f"{stem}.md").read_text(encoding="utf-8").splitlines()[0]
        first = nb["cells"][0]["source"]
        assert first.startswith(f"{title}\n")
        assert (
            f"pip install https://minimodel.invalid/{wheel.DOWNLOADS}/{wheel.wheel_name()}" in first
        )
        assert "pip install minimodel\n" not in first


def _stdout(cell) -> str:
    return "".join(
        o["text"]
        for o in cell.get("outputs", [])
        if o["output_type"] == "stream" and o["name"] == "stdout"
    )


@pytest.mark.parametrize("stem", CHAPTERS)
@pytest.mark.parametrize("lang", LANGS)
def test_the_notebook_runs_and_prints_what_the_page_printed(
    first_build, lang, stem, tmp_path, monkeypatch
):
    path = _notebook(first_build.dir, lang, stem)
    nb = nbformat.read(path, as_version=4)
    printed = [_stdout(cell) for cell in nb.cells]
    assert any(printed), f"{path.name}: the build recorded no output"
    for cell in nb.cells:
        if notebooks.EXERCISE_TAG in cell.metadata.get("tags", []):
            cell.source = cell.metadata["solution"]  # the reader's answer: the book's own
        if cell.cell_type == "code":
            cell.outputs = []
    monkeypatch.setenv("PYTHONPATH", str(ROOT))
    monkeypatch.setenv("MPLBACKEND", "agg")
    client = nbclient.NotebookClient(
        nb, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(tmp_path)}}
    )
    client.execute()
    for number, (cell, expected) in enumerate(zip(nb.cells, printed, strict=True)):
        if expected:
            assert _stdout(cell) == expected, f"{lang}/{path.name}, cell {number}:\n{cell.source}"


def test_hidden_asserts_and_the_machinery_leave_the_code_and_hidden_set_up_stays():
    text = (
        '```python exec="on" session="s"\n'
        "from docs_support.scripts import run_shown\n"
        "from minimodel.datasets import VERBS  # markdown-exec: hide\n"
        "x = len(VERBS)\n"
        "assert x == 20  # markdown-exec: hide\n"
        "for verb in VERBS:  # markdown-exec: hide\n"
        "    assert verb  # markdown-exec: hide\n"
        "print(x)\n"
        "```\n"
    )
    [fence] = notebooks.parse_fences(text)
    assert notebooks.notebook_code(fence) == (
        "from minimodel.datasets import VERBS\nx = len(VERBS)\nprint(x)"
    )


def test_prose_becomes_jupyter_markdown_with_links_to_the_site():
    text = (
        "# 09 · Title\n\nSee [chapter 01](01-parameter-and-module.md#zero_grad), "
        "[`Module`][minimodel.nn.Module] and [below](#devices).\n\n"
        '!!! note "A note"\n    Indented *text*.\n\n### Devices {#devices}\n'
    )
    nb = notebooks.build(text, "es", "https://book.invalid/", "09-title")
    [prose] = [cell["source"] for cell in nb["cells"][1:]]
    assert prose == (
        "See [chapter 01](https://book.invalid/es/01-parameter-and-module/#zero_grad), "
        "`Module` and [below](https://book.invalid/es/09-title/#devices).\n\n"
        "> **A note**\n> Indented *text*.\n>\n### Devices"
    )
