"""What each executed block of a page printed at the last build, keyed on what it ran.

The build writes, for each page whose blocks all ran without error, one JSON file under
``.cache/book-outputs/`` of the repository: the key, and the output of each executed fence by
its line. The key is a SHA-256 of the page's path and text, of every file under ``minimodel/``
and ``docs_support/`` (path and bytes) and of the versions of Python and of the libraries the
blocks use; never of timestamps. A record whose key differs from the key of the sources now
is ignored, so a change to a page invalidates that page and a change to ``minimodel/``
invalidates every page.

Readers of the record:

- ``mkdocs serve`` (and builds run with ``MINIMODEL_BOOK_REUSE=1``) print a recorded output
  instead of running the page again: saving one page re-executes that page only;
- the doc tests compare what each block prints with what the build printed (the two runs of
  the book must agree byte for byte: that is what makes the build reproducible);
- the browser tests look for each recorded output on its rendered page.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
import tempfile
from functools import cache
from importlib import metadata
from pathlib import Path

# The folders whose files every block may run: any change there invalidates every page.
SOURCE_FOLDERS = ("minimodel", "docs_support")
# Libraries whose version changes what blocks print or how plots are drawn.
LIBRARIES = ("numpy", "matplotlib", "markdown-exec")
FOLDER = Path(".cache") / "book-outputs"
# Bumped when the record's format or meaning changes.
_FORMAT = "1"


@cache
def _environment() -> str:
    return "\n".join([_FORMAT, sys.version, *(f"{n}={metadata.version(n)}" for n in LIBRARIES)])


# root -> its sources' digest, while a build runs (freeze_sources): a build's pages all run the
# same sources, and hashing them for each of its pages was 2% of a rebuild under `mkdocs serve`.
_frozen: dict[Path, str] = {}


def freeze_sources(root: Path) -> None:
    """Hash ``root``'s sources once, now, for every page until :func:`thaw_sources`."""
    _frozen[root.resolve()] = _sources_digest(root)


def thaw_sources() -> None:
    """Hash the sources again for each page (the next build may run edited ones)."""
    _frozen.clear()


def sources_digest(root: Path) -> str:
    """SHA-256 of the paths and bytes of every file under :data:`SOURCE_FOLDERS` of ``root``
    (as they were at :func:`freeze_sources`, while a build runs)."""
    return _frozen.get(root.resolve()) or _sources_digest(root)


def _sources_digest(root: Path) -> str:
    digest = hashlib.sha256()
    for folder in SOURCE_FOLDERS:
        for path in sorted((root / folder).rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts:
                digest.update(path.relative_to(root).as_posix().encode() + b"\0")
                digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def page_key(name: str, text: str, sources: str) -> str:
    """The key of a page's record: its name (``docs/es/02-optim.md``), its text, the sources'
    digest (:func:`sources_digest`) and the environment."""
    parts = [_environment(), name, sources, text]
    return hashlib.sha256("\0".join(parts).encode()).hexdigest()


def _file(root: Path, name: str) -> Path:
    return root / FOLDER / (name.replace("/", "__") + ".json")


def save(root: Path, name: str, key: str, outputs: dict[int, str]) -> None:
    """Record ``outputs`` (fence line -> printed text) of page ``name`` under ``key``.

    Written to a temporary file and renamed: a reader never sees half a record.
    """
    path = _file(root, name)
    path.parent.mkdir(parents=True, exist_ok=True)
    text = json.dumps({"key": key, "outputs": {str(k): v for k, v in sorted(outputs.items())}})
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=path.name, suffix=".tmp")
    with os.fdopen(handle, "w", encoding="utf-8") as file:
        file.write(text)
    os.replace(temporary, path)


def load(root: Path, name: str, key: str) -> dict[int, str] | None:
    """The outputs recorded for page ``name`` under ``key``, or None if there are none."""
    try:
        found = json.loads(_file(root, name).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if found.get("key") != key:
        return None
    return {int(line): text for line, text in found["outputs"].items()}


def load_page(root: Path, page: Path) -> dict[int, str] | None:
    """The outputs recorded for the Markdown file ``page`` of the repository ``root`` as it
    is now, or None if the last build of this page ran other sources (or none ran)."""
    name = page.resolve().relative_to(root.resolve()).as_posix()
    key = page_key(name, page.read_text(encoding="utf-8"), sources_digest(root))
    return load(root, name, key)
