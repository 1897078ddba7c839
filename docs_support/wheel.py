"""minimodel's wheel, built into the site so that readers install it from the book.

The name ``minimodel`` on the public package index belongs to an unrelated project, so installing
by that bare name must never be how a reader gets this one. The site offers the wheel of
the very checkout its pages were built from, under ``downloads/``; the home pages link it with the
command that installs it.

The wheel is written here rather than by ``pip wheel``: a pure-Python wheel is a zip of the
package and three metadata files (PEP 427), and writing it with fixed timestamps in a fixed order
makes it byte-identical from build to build, as the rest of the site is; it needs neither network
nor a build backend, and takes a fraction of a second.
"""

from __future__ import annotations

import base64
import hashlib
import tomllib
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DOWNLOADS = "downloads"
# Zip files cannot store dates before 1980; a fixed one keeps the bytes the same at every build.
_DATE = (1980, 1, 1, 0, 0, 0)


def project(root: Path = ROOT) -> dict:
    """The ``[project]`` table of pyproject.toml."""
    with (root / "pyproject.toml").open("rb") as fh:
        return tomllib.load(fh)["project"]


def wheel_name(root: Path = ROOT) -> str:
    """The wheel's file name, such as ``minimodel-0.1.0-py3-none-any.whl``."""
    meta = project(root)
    return f"{meta['name'].replace('-', '_')}-{meta['version']}-py3-none-any.whl"


def _package_files(root: Path) -> list[Path]:
    """The files setuptools would install: the package's modules and its package data."""
    package = root / "minimodel"
    files = [p for p in package.rglob("*") if p.is_file() and "__pycache__" not in p.parts]
    return sorted(p for p in files if p.suffix in (".py", ".tsv") or p.name == "py.typed")


def _metadata(meta: dict) -> str:
    lines = [
        "Metadata-Version: 2.1",
        f"Name: {meta['name']}",
        f"Version: {meta['version']}",
        f"Summary: {meta['description']}",
        f"License: {meta['license']['text']}",
        f"Requires-Python: {meta['requires-python']}",
    ]
    lines += [f"Requires-Dist: {requirement}" for requirement in meta["dependencies"]]
    return "\n".join(lines) + "\n"


def _record_line(name: str, data: bytes) -> str:
    digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
    return f"{name},sha256={digest},{len(data)}"


def build_wheel(out_dir: Path, root: Path = ROOT) -> Path:
    """Write the wheel of the checkout at ``root`` into ``out_dir``; return its path."""
    meta = project(root)
    dist_info = f"{meta['name'].replace('-', '_')}-{meta['version']}.dist-info"
    members = [(p.relative_to(root).as_posix(), p.read_bytes()) for p in _package_files(root)]
    members.append((f"{dist_info}/METADATA", _metadata(meta).encode()))
    wheel = "Wheel-Version: 1.0\nGenerator: docs_support.wheel\nRoot-Is-Purelib: true\n"
    members.append((f"{dist_info}/WHEEL", (wheel + "Tag: py3-none-any\n").encode()))
    record = [_record_line(name, data) for name, data in members] + [f"{dist_info}/RECORD,,"]
    members.append((f"{dist_info}/RECORD", ("\n".join(record) + "\n").encode()))

    out_dir.mkdir(parents=True, exist_ok=True)
    path = out_dir / wheel_name(root)
    # Written beside the target and moved into place, so a reader never downloads half a file.
    partial = path.with_suffix(".partial")
    with zipfile.ZipFile(partial, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members:
            info = zipfile.ZipInfo(name, date_time=_DATE)
            info.external_attr = 0o644 << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, data)
    partial.replace(path)
    return path


def install_instructions(lang: str) -> str:
    """The home page's download link and install commands, as HTML in the page's language.

    The link is relative to the home page of ``lang`` (English at the root, Spanish under
    ``es/``), so it works wherever the site is served.
    """
    name = wheel_name()
    href = f"{DOWNLOADS}/{name}" if lang == "en" else f"../{DOWNLOADS}/{name}"
    words = {
        "en": (
            "Download",
            "and install it, from the folder where you saved it, with",
            "pip takes the link's address in place of the file name too. Never install minimodel "
            "by its bare name from the package index: that name there belongs to another project.",
        ),
        "es": (
            "Descarga",
            "e instálalo, desde la carpeta donde lo guardaste, con",
            "pip también acepta la dirección del enlace en lugar del nombre del archivo. No "
            "instales nunca minimodel solo por su nombre desde el índice de paquetes: allí ese "
            "nombre pertenece a otro proyecto.",
        ),
    }[lang]
    # One element around it all: a reader (and the browser tests) find it as one block.
    return (
        '<div class="minimodel-install">\n'
        f'<p>{words[0]} <a href="{href}" download><code>{name}</code></a> {words[1]}</p>\n'
        f'<pre><code class="language-bash">pip install {name}</code></pre>\n'
        f"<p>{words[2]}</p>\n"
        "</div>"
    )
