"""Helpers of the book's tests: copy the project, build the site, run the doc tests."""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import yaml

from docs_support.checks import LANGUAGES, load_mkdocs_config

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"
# What a build and the doc tests read: enough for a copy of the project to build on its own.
PROJECT_FILES = (
    "mkdocs.yml",
    "conftest.py",
    "pyproject.toml",
    "docs",
    "docs_support",
    "overrides",
    "minimodel",
)
# Builds and doc tests of a copied project start from its own (empty) record, whatever
# scripts/test.sh set for the book's.
_BOOK_RUN = ("MINIMODEL_SITE_DIR", "MINIMODEL_REQUIRE_BOOK_RECORD", "MINIMODEL_BOOK_REUSE")
ENV = {**{k: v for k, v in os.environ.items() if k not in _BOOK_RUN}, "NO_MKDOCS_2_WARNING": "1"}


# The home page of a copied project: two blocks of one session.
HOME = """# Home

```python exec="on" session="home"
x = 41
```

```python exec="on" session="home" source="above" result="text"
print(x + 1)
```
"""


def copy_project(destination: Path) -> Path:
    """Copy the book's machinery into ``destination`` with a one-page book of its own (``HOME``
    in both languages), to break or probe the machinery without depending on the chapters."""
    destination.mkdir(parents=True, exist_ok=True)
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
    for name in PROJECT_FILES:
        source = ROOT / name
        if name == "docs":
            for language in LANGUAGES:
                (destination / name / language).mkdir(parents=True)
                (destination / name / language / "index.md").write_text(HOME, encoding="utf-8")
        elif source.is_dir():
            shutil.copytree(source, destination / name, ignore=ignore)
        else:
            shutil.copy2(source, destination / name)
    config = load_mkdocs_config(destination / "mkdocs.yml")
    config["nav"] = [{"Home": "index.md"}]
    (destination / "mkdocs.yml").write_text(yaml.safe_dump(config), encoding="utf-8")
    return destination


def add_page(project: Path, page: str, text: str) -> None:
    """Add ``page`` with ``text`` to both languages of a copied project, and to its nav."""
    for language in LANGUAGES:
        (project / "docs" / language / page).write_text(text, encoding="utf-8")
    config = load_mkdocs_config(project / "mkdocs.yml")
    config["nav"].append(page)
    (project / "mkdocs.yml").write_text(yaml.safe_dump(config), encoding="utf-8")


def build(project: Path, site: Path) -> subprocess.CompletedProcess[str]:
    """``mkdocs build --strict`` of ``project`` into ``site`` (never -q: it hides failures)."""
    command = [
        "-m",
        "mkdocs",
        "build",
        "--strict",
        "-f",
        str(project / "mkdocs.yml"),
        "-d",
        str(site),
    ]
    return subprocess.run(
        [sys.executable, *command], cwd=project, env=ENV, capture_output=True, text=True
    )


# Builds the site several times in one process as `mkdocs serve` rebuilds it after an edit:
# a fresh config each time (plugins with on_startup and hooks are kept by MkDocs), one startup.
# Before build i, file edits[i][0] of the project is rewritten with edits[i][1], if given.
_REBUILD = """
import json, logging, pathlib, shutil, sys
from mkdocs.commands.build import build
from mkdocs.config import load_config

config_file, site, edits, *copies = sys.argv[1:]
edits = json.loads(edits)
logging.basicConfig(format="%(levelname)s - %(message)s", level=logging.WARNING)
logging.getLogger("mkdocs.book").setLevel(logging.INFO)  # how many pages ran their blocks
first = None
for i, copy in enumerate(copies):
    if i < len(edits) and edits[i]:
        pathlib.Path(edits[i][0]).write_text(edits[i][1], encoding="utf-8")
    config = load_config(config_file, site_dir=site, strict=True)
    if first is None:
        first = config
        config.plugins.on_startup(command="serve", dirty=False)
    build(config)
    shutil.copytree(site, copy)
first.plugins.on_shutdown()
"""


def rebuild_in_one_process(
    project: Path, site: Path, *copies: Path, edits: list[tuple[Path, str] | None] = ()
) -> subprocess.CompletedProcess[str]:
    """Build ``project`` once per copy in a single process, copying each result to ``copies``.

    ``edits[i]`` = (file, text) is written before build i, as a writer saves a file while
    ``mkdocs serve`` runs.
    """
    edits_json = json.dumps([(str(e[0]), e[1]) if e else None for e in edits])
    command = [
        "-c",
        _REBUILD,
        str(project / "mkdocs.yml"),
        str(site),
        edits_json,
        *map(str, copies),
    ]
    return subprocess.run(
        [sys.executable, *command], cwd=project, env=ENV, capture_output=True, text=True
    )


def blocks_run(log: str) -> list[int]:
    """How many pages ran their blocks in each language build logged in ``log``."""
    return [int(n) for n in re.findall(r"Blocks run on (\d+) pages", log)]


def html_reused(log: str) -> list[int]:
    """How many pages took their HTML from the last rebuild, in each language build of ``log``."""
    return [int(n) for n in re.findall(r"HTML reused on (\d+)", log)]


def doc_tests(
    project: Path, *args: str, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """pytest over ``project``'s docs/, with ``project``'s own conftest.py (``env`` adds to ENV)."""
    command = ["-m", "pytest", "-p", "no:cacheprovider", *args]
    return subprocess.run(
        [sys.executable, *command, "docs"],
        cwd=project,
        env={**ENV, **(env or {})},
        capture_output=True,
        text=True,
    )


def tree_digest(site: Path) -> dict[str, str]:
    """relative path -> sha256 of every file under ``site``."""
    return {
        path.relative_to(site).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(site.rglob("*"))
        if path.is_file()
    }
