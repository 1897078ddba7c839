"""Helpers of the book's tests: copy the project, build the site, run the doc tests."""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

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
ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}


def copy_project(destination: Path) -> Path:
    """Copy what the site is built from into ``destination`` (no git, no venv, no site)."""
    destination.mkdir(parents=True, exist_ok=True)
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
    for name in PROJECT_FILES:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, destination / name, ignore=ignore)
        else:
            shutil.copy2(source, destination / name)
    return destination


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
_REBUILD = """
import shutil, sys
from mkdocs.commands.build import build
from mkdocs.config import load_config

config_file, site, *copies = sys.argv[1:]
first = None
for copy in copies:
    config = load_config(config_file, site_dir=site, strict=True)
    if first is None:
        first = config
        config.plugins.on_startup(command="serve", dirty=False)
    build(config)
    shutil.copytree(site, copy)
first.plugins.on_shutdown()
"""


def rebuild_in_one_process(project: Path, site: Path, *copies: Path) -> subprocess.CompletedProcess:
    """Build ``project`` once per copy in a single process, copying each result to ``copies``."""
    command = ["-c", _REBUILD, str(project / "mkdocs.yml"), str(site), *map(str, copies)]
    return subprocess.run(
        [sys.executable, *command], cwd=project, env=ENV, capture_output=True, text=True
    )


def doc_tests(project: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """pytest over ``project``'s docs/, with ``project``'s own conftest.py."""
    command = ["-m", "pytest", "-p", "no:cacheprovider", *args]
    return subprocess.run(
        [sys.executable, *command, "docs"], cwd=project, env=ENV, capture_output=True, text=True
    )


def tree_digest(site: Path) -> dict[str, str]:
    """relative path -> sha256 of every file under ``site``."""
    return {
        path.relative_to(site).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(site.rglob("*"))
        if path.is_file()
    }
