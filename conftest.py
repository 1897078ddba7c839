"""Run the book's executed blocks under pytest exactly as the build runs them.

pytest-markdown-docs collects the fences of ``docs/**/*.md``; this file changes three things:

- only the fences the build executes (``python exec="on"``) become tests, plus the PyTorch
  blocks (``python torch="on"``, :mod:`docs_support.torch_blocks`), which the build shows
  without running: they run here when ``torch`` is importable, are skipped without it, and
  fail without it under ``MINIMODEL_REQUIRE_TORCH=1``. An illustrative fence is not run;
- its runner is replaced (a private API, ``pytest_markdown_docs._runners``) by one that hands
  each block to markdown-exec's own runner through :mod:`docs_support.blocks`: blocks of a page
  share one namespace per ``session=``, blocks without a session run alone, and each page
  starts clean, as in the build;
- a failure names the page and the line, as the build's log does.

Doc tests depend on page order: never select them with ``-k``, xdist or random order.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent
DOCS = ROOT / "docs"
# docs_support (and this checkout's minimodel) importable as in the build, whatever the import mode.
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


def pytest_configure(config: pytest.Config) -> None:
    # `pytest docs/en/index.md` works without --markdown-docs.
    if hasattr(config.option, "markdowndocs"):
        config.option.markdowndocs = True


try:
    from pytest_markdown_docs import _runners
    from pytest_markdown_docs.plugin import MarkdownDocstringCodeModule, MarkdownTextFile
except ImportError:  # the docs extras are not installed: unit tests still run
    pass
else:
    from docs_support import blocks
    from docs_support.fences import fences_that_run

    class BookPage(MarkdownTextFile):
        """A page of the book: only its executed and PyTorch fences are collected."""

        def collect(self):
            tested = {fence.line for fence in fences_that_run(self.path)}
            for item in super().collect():
                # pytest-markdown-docs' start_line is the 1-based line of the opening fence.
                if item.start_line in tested:
                    yield item

    @pytest.hookimpl(wrapper=True)
    def pytest_collect_file(file_path: Path, parent: pytest.Collector):
        collectors = yield
        kept = []
        for collector in collectors:
            if isinstance(collector, MarkdownDocstringCodeModule):
                continue  # docstrings hold `>>>` examples, not book pages
            if isinstance(collector, MarkdownTextFile):
                if not file_path.resolve().is_relative_to(DOCS):
                    continue  # only pages the build executes
                collector = BookPage.from_parent(parent, path=file_path)
            kept.append(collector)
        return kept

    @_runners.register_runner(default=True)
    class BookRunner(_runners.DefaultRunner):
        """Runs a block as markdown-exec does at build time, in its page's session."""

        def runtest(self, test, args, **_):
            path = Path(test.source_path).resolve()
            page = blocks.current_page()
            if page is None or page.path != path:
                page = blocks.start_page(path, ROOT)
            fence = page.fence_at(test.start_line)
            if fence.needs_torch:
                # Skips without torch; fails instead under MINIMODEL_REQUIRE_TORCH=1.
                from torch_helpers import require_torch

                require_torch()
            page.run(fence)

        def repr_failure(self, test, excinfo, style=None):
            if isinstance(excinfo.value, blocks.ExecutionError):
                # markdown-exec's message is the traceback, already naming page and line.
                message = str(excinfo.value).strip().strip("`").removeprefix("python").strip()
                page = blocks.current_page()  # still the failing block's page: reports come first
                name = page.name if page else test.source_path
                return f"block at {name}:{test.start_line}\n{message}"
            return super().repr_failure(test, excinfo, style)

    def pytest_runtest_teardown(item: pytest.Item, nextitem: pytest.Item | None) -> None:
        # After a page's last block, put back the modules the unit tests imported.
        page = blocks.current_page()
        if page is not None and (nextitem is None or Path(nextitem.path).resolve() != page.path):
            blocks.end_page()
