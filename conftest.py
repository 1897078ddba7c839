"""Run the book's executed blocks under pytest exactly as the build runs them.

pytest-markdown-docs collects the fences of ``docs/**/*.md``; through
:mod:`docs_support.doctest_adapter` (the one module that touches its internals) this file
changes three things:

- only the fences the build executes (``python exec="on"``) become tests, plus the PyTorch
  blocks (``python torch="on"``, :mod:`docs_support.torch_blocks`), which the build shows
  without running: they run here when ``torch`` is importable, are skipped without it, and
  fail without it under ``MINIMODEL_REQUIRE_TORCH=1``. An illustrative fence is not run;
- each block runs through :mod:`docs_support.blocks`, the runner the build uses: blocks of a
  page share one namespace per ``session=``, blocks without a session run alone, and each page
  starts clean, as in the build. A failure names the page and the line, as the build's log does;
- each block must print exactly what the build printed (:mod:`docs_support.record`), when the
  build recorded these same sources: the two runs of the book agree byte for byte, so the
  build is reproducible. ``MINIMODEL_REQUIRE_BOOK_RECORD=1`` (scripts/test.sh, after its build)
  fails a page the build did not record;
- a chapter page (``02-optim.md``) runs as its notebook, in a Jupyter kernel
  (:mod:`docs_support.notebook_run`): the page's doc tests and the notebook's run are one run,
  so the test command runs each chapter twice (the build, and this), not three times.

Doc tests depend on page order: never select them with ``-k``, xdist or random order.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent
DOCS = ROOT / "docs"
# docs_support (and this checkout's minimodel) importable as in the build, whatever the import mode.
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from docs_support import doctest_adapter  # noqa: E402


def pytest_configure(config: pytest.Config) -> None:
    # `pytest docs/en/index.md` works without --markdown-docs.
    if hasattr(config.option, "markdowndocs"):
        config.option.markdowndocs = True


if doctest_adapter.AVAILABLE:
    from docs_support import blocks, notebook_run
    from docs_support.fences import fences_that_run

    def _lines_that_run(page: Path) -> set[int]:
        return {fence.line for fence in fences_that_run(page)}

    @pytest.hookimpl(wrapper=True)
    def pytest_collect_file(file_path: Path, parent: pytest.Collector):
        collectors = yield
        return doctest_adapter.book_collectors(collectors, file_path, parent, DOCS, _lines_that_run)

    # The chapter whose notebook runs now, if any (docs_support.notebook_run).
    _notebook: list[notebook_run.NotebookRun] = []

    def _page(path: Path) -> blocks.Page:
        """The page of ``path``, started if it is not the current one."""
        page = blocks.current_page()
        if page is None or page.path != path:
            page = blocks.start_page(path, ROOT)
            if notebook_run.is_chapter(path):
                _notebook.append(notebook_run.NotebookRun(path, ROOT, page.recorded))
            if page.recorded is None and os.environ.get("MINIMODEL_REQUIRE_BOOK_RECORD") == "1":
                pytest.fail(
                    f"{page.name}: the build recorded no output for this page as it is now "
                    "(MINIMODEL_REQUIRE_BOOK_RECORD=1): build the site first",
                    pytrace=False,
                )
        return page

    def _run(path: Path, line: int) -> None:
        """Run the block of ``path`` opening on ``line``, in its page's session (a chapter's, in
        its notebook)."""
        page = _page(path.resolve())
        fence = page.fence_at(line)
        if fence.needs_torch:
            # Skips without torch; fails instead under MINIMODEL_REQUIRE_TORCH=1.
            from torch_helpers import require_torch

            require_torch()
        if _notebook:
            printed = _notebook[-1].run(fence)
            compared = fence.executed and not fence.options.get("html")
        else:
            printed = page.run(fence)
            compared = fence.executed
        difference = blocks.output_differences(page.recorded, fence, printed) if compared else None
        if difference:
            pytest.fail(f"block at {page.name}:{line} {difference}", pytrace=False)

    def _describe(path: Path, line: int, excinfo: pytest.ExceptionInfo) -> str | None:
        if isinstance(excinfo.value, pytest.fail.Exception | notebook_run.CellError):
            return str(excinfo.value)
        if not isinstance(excinfo.value, blocks.ExecutionError):
            return None
        # markdown-exec's message is the traceback, already naming page and line.
        message = str(excinfo.value).strip().strip("`").removeprefix("python").strip()
        page = blocks.current_page()  # still the failing block's page: reports come first
        name = page.name if page else path
        return f"block at {name}:{line}\n{message}"

    doctest_adapter.use_runner(_run, _describe)

    def pytest_runtest_teardown(item: pytest.Item, nextitem: pytest.Item | None) -> None:
        # After a page's last block, put back the modules the unit tests imported.
        page = blocks.current_page()
        if page is not None and (nextitem is None or Path(nextitem.path).resolve() != page.path):
            blocks.end_page()
            while _notebook:
                _notebook.pop().close()
