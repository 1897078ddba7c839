"""pytest runs exactly the blocks the build executes: no more, no fewer."""

import re
import subprocess
import sys

from site_helpers import DOCS, ENV, ROOT, copy_project

from docs_support.fences import fences_that_run

COLLECTED = re.compile(
    r"^(?P<page>\S+\.md)::\[CodeFence#\d+\]\[line:(?P<line>\d+)\]$", re.MULTILINE
)


def collected(project, *paths):
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "--collect-only", "-q", *paths],
        cwd=project,
        env=ENV,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return {(m["page"], int(m["line"])) for m in COLLECTED.finditer(done.stdout)}


def executed(project, docs):
    """The blocks the doc tests must run: executed by the build, or PyTorch blocks."""
    return {
        (fence.path.relative_to(project).as_posix(), fence.line)
        for path in sorted(docs.rglob("*.md"))
        for fence in fences_that_run(path)
    }


def test_pytest_collects_every_executed_and_pytorch_block_of_the_book_and_nothing_else():
    expected = executed(ROOT, DOCS)
    assert expected, "the book has no executed block"
    assert collected(ROOT, "docs") == expected


PAGE = """# Page

```python exec="on" session="s"
x = 1
```

```python
shown_but_not_run = True
```

!!! note
    ```python exec="on" session="s"
    x = 2
    ```

/// details | Solution
```python exec="on" session="s"
x = 3
```
///
"""


def test_fences_in_admonitions_are_not_collected_so_the_count_check_catches_them(tmp_path):
    project = copy_project(tmp_path)
    page = project / "docs" / "en" / "index.md"
    page.write_text(PAGE, encoding="utf-8")
    found = collected(project, "docs/en/index.md")
    # The illustrative fence (line 7) is not run; the admonition's (line 12) is silently
    # skipped by pytest-markdown-docs although the build runs it; `/// details` is collected.
    assert found == {("docs/en/index.md", 3), ("docs/en/index.md", 17)}
    assert executed(project, page.parent) - found == {("docs/en/index.md", 12)}


TORCH_PAGE = """# Page

```python torch="on" session="s"
import torch
```

!!! note
    ```python torch="on" session="s"
    import torch
    ```
"""


def test_pytorch_blocks_are_collected_unless_nested(tmp_path):
    project = copy_project(tmp_path)
    page = project / "docs" / "en" / "index.md"
    page.write_text(TORCH_PAGE, encoding="utf-8")
    found = collected(project, "docs/en/index.md")
    # Collected, not run: collecting does not import torch.
    assert found == {("docs/en/index.md", 3)}
    assert executed(project, page.parent) - found == {("docs/en/index.md", 8)}
