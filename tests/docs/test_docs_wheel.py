"""The wheel the site offers (docs_support/wheel.py): reproducible, complete, and installable.

Readers install minimodel from the book, never by its name from the package index, where
``minimodel`` is another project: the wheel must install into a fresh environment and run a
chapter's code there, away from this checkout.
"""

from __future__ import annotations

import base64
import csv
import hashlib
import io
import os
import re
import subprocess
import venv
import zipfile
from pathlib import Path

import pytest

import minimodel
from docs_support.fences import fences_that_run
from docs_support.wheel import ROOT, build_wheel, project, wheel_name


def test_the_wheel_is_byte_identical_from_build_to_build(tmp_path: Path) -> None:
    first = build_wheel(tmp_path / "a").read_bytes()
    assert build_wheel(tmp_path / "b").read_bytes() == first


def test_the_wheel_holds_every_module_and_data_file_with_a_true_record(tmp_path: Path) -> None:
    with zipfile.ZipFile(build_wheel(tmp_path)) as wheel:
        names = set(wheel.namelist())
        shipped = {
            p.relative_to(ROOT).as_posix()
            for p in (ROOT / "minimodel").rglob("*")
            if p.suffix in (".py", ".tsv") and "__pycache__" not in p.parts
        }
        assert shipped and shipped <= names
        dist_info = wheel_name().removesuffix("-py3-none-any.whl") + ".dist-info"
        record = wheel.read(f"{dist_info}/RECORD").decode()
        for name, digest, size in csv.reader(io.StringIO(record)):
            if name.endswith("RECORD"):
                continue
            data = wheel.read(name)
            sha = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
            assert digest == f"sha256={sha}" and int(size) == len(data), name
        assert {r[0] for r in csv.reader(io.StringIO(record))} == names
        metadata = wheel.read(f"{dist_info}/METADATA").decode()
    assert f"Version: {project()['version']}\n" in metadata
    assert project()["version"] == minimodel.__version__


def _chapter_code(page: Path) -> str:
    """The executed blocks of a page as one script, sessions in page order, hidden lines kept."""
    return "\n\n".join(fence.code for fence in fences_that_run(page) if not fence.needs_torch)


def test_the_wheel_installs_in_a_fresh_environment_and_runs_chapter_00(tmp_path: Path) -> None:
    env_dir = tmp_path / "reader"
    venv.EnvBuilder(with_pip=True).create(env_dir)
    python = env_dir / "bin" / "python"
    wheel = build_wheel(tmp_path / "downloads")
    clean = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    install = subprocess.run(
        [python, "-m", "pip", "install", "--quiet", str(wheel)],
        capture_output=True,
        text=True,
        env=clean,
    )
    assert install.returncode == 0, install.stderr
    # Run from an empty folder: nothing of this checkout can be imported there.
    probe = "import minimodel, sys; print(minimodel.__version__); print(minimodel.__file__)"
    shown = subprocess.run(
        [python, "-c", probe], cwd=tmp_path, capture_output=True, text=True, env=clean
    )
    version, location = shown.stdout.split()
    assert version == project()["version"]
    assert Path(location).is_relative_to(env_dir), f"imported {location}, not the installed wheel"

    script = tmp_path / "chapter_00.py"
    script.write_text(_chapter_code(ROOT / "docs" / "en" / "00-motivation.md"))
    ran = subprocess.run([python, script], cwd=tmp_path, capture_output=True, text=True, env=clean)
    assert ran.returncode == 0, ran.stderr[-2000:]


FORBIDDEN = re.compile(r"pip\s+install\s+(?:-U\s+|--upgrade\s+)?minimodel(?![\w.\[/-])")


def test_no_page_or_docstring_says_to_install_minimodel_by_its_bare_name() -> None:
    found = []
    for folder in ("docs", "minimodel", "docs_support", "scripts", "overrides"):
        for path in (ROOT / folder).rglob("*"):
            if path.is_file() and path.suffix in (".md", ".py", ".html", ".sh", ".ipynb"):
                for number, line in enumerate(path.read_text("utf-8").splitlines(), 1):
                    if FORBIDDEN.search(line):
                        found.append(f"{path.relative_to(ROOT)}:{number}")
    for name in ("README.md", "CONTRIBUTING.md"):
        found += [
            f"{name}:{n}"
            for n, line in enumerate((ROOT / name).read_text().splitlines(), 1)
            if FORBIDDEN.search(line)
        ]
    assert not found, f"pip install minimodel by name installs another project: {found}"


@pytest.mark.parametrize(
    "line", ["pip install minimodel", "pip install -U minimodel", "  pip  install minimodel  # x"]
)
def test_the_bare_name_rule_catches_the_usual_spellings(line: str) -> None:
    assert FORBIDDEN.search(line)


@pytest.mark.parametrize(
    "line",
    ["pip install minimodel-0.1.0-py3-none-any.whl", "pip install -e .", "pip install minimodel/"],
)
def test_the_bare_name_rule_allows_files_and_folders(line: str) -> None:
    assert not FORBIDDEN.search(line)
