"""Every chapter's notebook, in each language: linked from its page; the doc tests of the page run
it top to bottom and check it prints what the page printed (docs_support.notebook_run)."""

from __future__ import annotations

import json
import shutil

import pytest
from site_helpers import ROOT, add_page, copy_project, doc_tests

from docs_support import checks, executions, notebook_run, notebooks, record, wheel

pytest.importorskip("nbclient")

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


def test_the_doc_tests_run_the_notebook_the_build_wrote(first_build):
    # The doc tests of a chapter page run the notebook made from the page and the build's record
    # (docs_support.notebook_run): it must be, byte for byte, the file readers download.
    site_url = checks.load_mkdocs_config(ROOT / "mkdocs.yml")["site_url"]
    for lang in LANGS:
        for stem in CHAPTERS:
            page = ROOT / "docs" / lang / f"{stem}.md"
            printed = record.load_page(ROOT, page)
            assert printed, f"{lang}/{stem}: the build recorded no output"
            text = page.read_text(encoding="utf-8")
            by_code = notebooks.outputs_by_code(notebooks.parse_fences(text), printed)
            expected = notebooks.build(text, lang, site_url, stem, by_code)
            built = json.loads(_notebook(first_build.dir, lang, stem).read_text(encoding="utf-8"))
            assert built == expected, f"{lang}/{stem}"


def test_a_block_s_cell_runs_its_hidden_asserts_without_the_machinery():
    text = (
        '```python exec="on" session="s"\n'
        "from docs_support.scripts import (  # markdown-exec: hide\n"
        "    run_shown,  # markdown-exec: hide\n"
        ")  # markdown-exec: hide\n"
        "x = 2\n"
        "if x:\n"
        "    from docs_support.plots import line_plot\n"
        "assert x == 2  # markdown-exec: hide\n"
        "```\n"
    )
    [fence] = notebooks.parse_fences(text)
    assert notebook_run.checked_code(fence) == (
        "pass\n\n\nx = 2\nif x:\n    pass\nassert x == 2  # markdown-exec: hide"
    )


LAB = """# 01 · Lab

```python exec="on" session="lab" source="above" result="text"
from docs_support.scripts import without_imports

code = without_imports("import numpy\\nx = 1")
print(code)
```

```python exec="on" session="lab" source="above" result="text"
import sys

print("ipykernel" in sys.modules)
assert code == "x = 2"  # markdown-exec: hide
```
"""


def test_a_chapter_s_doc_tests_run_its_notebook_hidden_asserts_included(tmp_path):
    project = copy_project(tmp_path / "project")
    add_page(project, "01-lab.md", LAB)
    log = tmp_path / "executions.log"

    tested = doc_tests(project, env={executions.VARIABLE: str(log)})

    # The first block ran in the kernel, with the notebook's plain without_imports, and the second
    # ran its hidden assert, which the notebook drops.
    for language in ("en", "es"):
        assert f"block at docs/{language}/01-lab.md:10 (cell" in tested.stdout, tested.stdout
    assert tested.stdout.count("AssertionError") >= 2
    assert "2 failed, 6 passed" in tested.stdout, tested.stdout
    runs = executions.runs(log, project / "docs")
    assert {page: dict(kinds) for page, kinds in runs.items()} == {
        "en/01-lab.md": {"notebook": 1},
        "en/index.md": {"blocks": 1},
        "es/01-lab.md": {"notebook": 1},
        "es/index.md": {"blocks": 1},
    }


TORCH_SKIPPED = """# 01 · Lab

```python exec="on" session="s" source="above" result="text"
x = 41
```

```python torch="on" session="s"
import torch
```

```python exec="on" session="s" source="above" result="text"
print(x + 1)
```
"""


def test_a_chapter_s_notebook_goes_on_past_a_pytorch_block_skipped_without_torch(tmp_path):
    project = copy_project(tmp_path / "project")
    add_page(project, "01-lab.md", TORCH_SKIPPED)
    (project / "tests").mkdir()
    shutil.copy2(ROOT / "tests" / "torch_helpers.py", project / "tests")
    (tmp_path / "fake" / "torch").mkdir(parents=True)
    (tmp_path / "fake" / "torch" / "__init__.py").write_text(
        'raise ModuleNotFoundError("No module named \'torch\'", name="torch")\n',
        encoding="utf-8",
    )
    env = {"PYTHONPATH": str(tmp_path / "fake"), "MINIMODEL_REQUIRE_TORCH": "0"}

    tested = doc_tests(project, "-rs", env=env)

    assert tested.returncode == 0, tested.stdout
    assert "8 passed, 2 skipped" in tested.stdout, tested.stdout


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
