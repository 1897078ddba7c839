"""PyTorch blocks (```python torch="on"```): shown by the build, run by the doc tests.

A stand-in `torch` package on PYTHONPATH plays PyTorch (or its absence), so these tests check
the machinery without depending on the real one.
"""

import shutil

from site_helpers import ROOT, build, copy_project, doc_tests

PAGE = """# Home

```python exec="on" session="s" source="above" result="text"
x = 41
```

```python torch="on" session="s" title="PyTorch check"
import torch

total = torch.VALUE + x
assert total == 42, "the PyTorch block did not see x"  # markdown-exec: hide
```

```python torch="on" session="s"
assert total == 42  # markdown-exec: hide
```
"""


def project_with(tmp_path, page=PAGE, torch_source=None):
    """A copy of the book whose pages are ``page``, with a stand-in torch if given."""
    project = copy_project(tmp_path / "project")
    for language in ("en", "es"):
        (project / "docs" / language / "index.md").write_text(page, encoding="utf-8")
    # The doc-test runner takes require_torch from the tests' shared helper.
    (project / "tests").mkdir()
    shutil.copy2(ROOT / "tests" / "torch_helpers.py", project / "tests")
    if torch_source is not None:
        (tmp_path / "fake" / "torch").mkdir(parents=True)
        (tmp_path / "fake" / "torch" / "__init__.py").write_text(torch_source, encoding="utf-8")
    return project


def run_doc_tests(project, tmp_path, require):
    env = {"PYTHONPATH": str(tmp_path / "fake"), "MINIMODEL_REQUIRE_TORCH": require}
    return doc_tests(project, "-rs", env=env)


MISSING = 'raise ModuleNotFoundError("No module named \'torch\'", name="torch")\n'


def test_the_build_shows_a_pytorch_block_without_running_it_or_its_hidden_lines(tmp_path):
    page = PAGE.replace("total = torch.VALUE + x", 'raise RuntimeError("ran at build")')
    project = project_with(tmp_path, page)
    built = build(project, tmp_path / "site")
    assert built.returncode == 0, built.stderr
    html = (tmp_path / "site" / "index.html").read_text(encoding="utf-8")
    assert '<span class="filename">PyTorch check</span>' in html
    assert "ran at build" in html  # shown as code, highlighted
    assert "markdown-exec" not in html and "did not see" not in html  # hidden lines
    assert "total" not in html  # the second block has hidden lines only: nothing is shown


def test_the_doc_tests_run_pytorch_blocks_in_their_session_when_torch_imports(tmp_path):
    project = project_with(tmp_path, torch_source="VALUE = 1\n")
    tested = run_doc_tests(project, tmp_path, require="1")
    assert tested.returncode == 0, tested.stdout
    assert "6 passed" in tested.stdout  # three blocks in each language


def test_a_failing_pytorch_block_names_its_page_and_line(tmp_path):
    project = project_with(tmp_path, torch_source="VALUE = 0\n")
    tested = run_doc_tests(project, tmp_path, require="1")
    assert tested.returncode != 0
    assert 'File "docs/en/index.md", line 11, in <module>' in tested.stdout
    assert "the PyTorch block did not see x" in tested.stdout


def test_without_torch_pytorch_blocks_are_skipped(tmp_path):
    project = project_with(tmp_path, torch_source=MISSING)
    tested = run_doc_tests(project, tmp_path, require="0")
    assert tested.returncode == 0, tested.stdout
    assert "2 passed, 4 skipped" in tested.stdout


def test_without_torch_pytorch_blocks_fail_when_torch_is_required(tmp_path):
    project = project_with(tmp_path, torch_source=MISSING)
    tested = run_doc_tests(project, tmp_path, require="1")
    assert tested.returncode != 0
    assert "2 passed" in tested.stdout and "4 failed" in tested.stdout
    assert "ModuleNotFoundError: No module named 'torch'" in tested.stdout
