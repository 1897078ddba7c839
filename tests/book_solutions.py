"""The book's own solutions to its exercises, read from the pages, for the lab's tests.

A solution block runs in its page's session, after everything the chapter built; the tests take
only its imports and definitions (functions and classes), from the blocks named by their ``id``,
so that what is checked is exactly the code a reader sees on the page.
"""

from __future__ import annotations

import ast
from pathlib import Path
from types import SimpleNamespace

from docs_support.fences import HIDE_MARKER, read_fences

DOCS = Path(__file__).resolve().parents[1] / "docs"


def block_code(page: str, block_id: str, lang: str = "en") -> str:
    """The shown code (hidden lines dropped) of the block ``id=block_id`` of ``docs/lang/page``."""
    fences = [f for f in read_fences(DOCS / lang / page) if f.options.get("id") == block_id]
    assert len(fences) == 1, f"{page} has {len(fences)} blocks with id {block_id!r}"
    return "\n".join(line for line in fences[0].code.splitlines() if HIDE_MARKER not in line)


def definitions(page: str, *block_ids: str, lang: str = "en") -> SimpleNamespace:
    """Run the imports, functions and classes of the blocks ``block_ids``, in order, together."""
    namespace: dict = {"__name__": "book_solution"}
    for block_id in block_ids:
        tree = ast.parse(block_code(page, block_id, lang))
        kept = (ast.Import, ast.ImportFrom, ast.FunctionDef, ast.ClassDef)
        tree.body = [node for node in tree.body if isinstance(node, kept)]
        exec(compile(tree, f"{page}#{block_id}", "exec"), namespace)
    return SimpleNamespace(**namespace)


def run_block(
    page: str, block_id: str, until: str | None = None, **names: object
) -> SimpleNamespace:
    """Run the shown code of one block, with ``names`` defined first; return its globals.

    With ``until``, only the statements up to the first one whose text holds ``until`` run.
    """
    namespace: dict = {"__name__": "book_solution", **names}
    code = block_code(page, block_id)
    tree = ast.parse(code)
    if until is not None:
        last = next(
            i for i, node in enumerate(tree.body) if until in ast.get_source_segment(code, node)
        )
        tree.body = tree.body[: last + 1]
    exec(compile(tree, f"{page}#{block_id}", "exec"), namespace)
    return SimpleNamespace(**namespace)
