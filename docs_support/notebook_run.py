"""The doc tests of a chapter page: its notebook, run top to bottom in a Jupyter kernel.

A chapter's code used to run three times in one run of the test command: in the build, in the
page's doc tests and in its notebook (issue 15 asks the tests to run every notebook and compare
its outputs with the page's). Two of those runs were the same code: the notebook's cells are the
page's blocks, less their hidden asserts and their imports of the book's machinery. So the doc
tests of a chapter page ARE its notebook's run: pytest-markdown-docs still collects one test per
block (root ``conftest.py``), and each test runs, in the kernel of the page's notebook, the
notebook's cells up to the block's own, in order.

The notebook is the one the build writes (:func:`docs_support.notebooks.build`, from the page and
the build's record). What the kernel runs differs from the file a reader downloads in two ways,
both checks:

- a cell made from a block runs the block's whole code (:func:`checked_code`): with the hidden
  asserts the notebook leaves out, and without the imports of ``docs_support``, whose names the
  notebook's helper cell defines. An assert must not change what the code does (as under
  ``python -O``), so the reader's notebook prints what this run prints;
- an exercise cell runs the book's solution, which the notebook keeps in the cell's metadata,
  instead of the reader's empty answer.

What each block prints must equal what the page shows (the build's record,
:func:`docs_support.blocks.output_differences`); a plot's output is the exception, since the
notebook draws it with a plain ``line_plot`` that shows the figure instead of printing an SVG.
"""

from __future__ import annotations

import ast
import os
import re
import tempfile
from pathlib import Path

from docs_support import checks, executions, notebooks
from docs_support.fences import Fence, parse_fences

_CHAPTER = re.compile(r"^\d\d-")
_ANSI = re.compile(r"\x1b\[[0-9;]*m")


def is_chapter(page: Path) -> bool:
    """Whether ``page`` is a chapter (``02-optim.md``), which has a notebook."""
    return bool(_CHAPTER.match(Path(page).stem))


class CellError(Exception):
    """A cell of the notebook raised; the message names the page's block and line."""


def checked_code(fence: Fence) -> str:
    """The code a block's cell runs in the doc tests: the block's, hidden lines included, with
    each import of ``docs_support`` made a ``pass`` (lines keep their numbers)."""
    lines = fence.code.splitlines()
    for node in ast.walk(ast.parse(fence.code)):
        if isinstance(node, ast.stmt) and notebooks.is_machinery(node):
            first = lines[node.lineno - 1]
            lines[node.lineno - 1] = first[: len(first) - len(first.lstrip())] + "pass"
            for number in range(node.lineno + 1, node.end_lineno + 1):
                lines[number - 1] = ""
    return "\n".join(lines)


class NotebookRun:
    """The notebook of the chapter page ``path`` (a file of ``root``/docs/LANG/), in a kernel.

    Args:
        path: the chapter's page.
        root: the repository (its ``mkdocs.yml`` gives the site's address; its ``minimodel`` is
            the one the kernel imports).
        printed: what the build recorded for the page (fence line -> output), if it did.
    """

    def __init__(self, path: Path, root: Path, printed: dict[int, str] | None) -> None:
        import nbclient
        import nbformat

        self.path = path
        self.name = path.relative_to(root).as_posix()
        text = path.read_text(encoding="utf-8")
        site_url = checks.load_mkdocs_config(root / "mkdocs.yml")["site_url"]
        by_code = notebooks.outputs_by_code(parse_fences(text), printed or {})
        built = notebooks.build(text, path.parent.name, site_url, path.stem, by_code)
        self.notebook = nbformat.from_dict(built)
        self._folder = tempfile.TemporaryDirectory(prefix="book-notebook-")
        self._next = 0
        self._client = nbclient.NotebookClient(
            self.notebook,
            timeout=600,
            kernel_name="python3",
            resources={"metadata": {"path": self._folder.name}},
        )
        # The kernel imports this checkout's minimodel; plots are drawn without a display.
        path_before = os.environ.get("PYTHONPATH")
        python_path = os.pathsep.join([str(root), *([path_before] if path_before else [])])
        env = {**os.environ, "PYTHONPATH": python_path, "MPLBACKEND": "agg"}
        executions.log("notebook", path)
        self._kernel = self._client.setup_kernel(env=env)
        self._kernel.__enter__()

    def run(self, fence: Fence) -> str:
        """Run the notebook's cells up to the one made from ``fence``; return what it printed.

        Raises:
            CellError: a cell raised.
        """
        cells = self.notebook.cells
        while self._next < len(cells):
            index, cell = self._next, cells[self._next]
            self._next += 1
            if cell.cell_type != "code":
                continue
            line = cell.metadata.get(notebooks.PAGE_LINE)
            if line is None:  # the helpers, or a switch of sessions
                self._execute(index, cell.source, f"the notebook's cell {index}")
                continue
            if line < fence.line:
                continue  # a block whose test did not run (a PyTorch block without torch)
            if line > fence.line:
                raise CellError(
                    f"{self.name}: the notebook's cell {index} comes from the block at line "
                    f"{line}, not {fence.line}: run the page's blocks in order"
                )
            where = (
                f"block at {self.name}:{fence.line} (cell {index} of its notebook, whose line n "
                f"is the page's line {fence.line} + n)"
            )
            return self._execute(index, checked_code(fence), where)
        raise CellError(f"{self.name}: no cell of the notebook comes from line {fence.line}")

    def _execute(self, index: int, source: str, where: str) -> str:
        from nbclient.exceptions import CellExecutionError

        cell = self.notebook.cells[index]
        cell.source, cell.outputs = source, []
        try:
            self._client.execute_cell(cell, index)
        except CellExecutionError as error:
            trace = _ANSI.sub("", str(error.traceback))
            raise CellError(f"{where}\n{error.ename}: {error.evalue}\n{trace}") from None
        return "".join(
            output["text"]
            for output in cell.outputs
            if output["output_type"] == "stream" and output["name"] == "stdout"
        )

    def close(self) -> None:
        """Shut the kernel down."""
        self._kernel.__exit__(None, None, None)
        self._folder.cleanup()
