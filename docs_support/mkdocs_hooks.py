"""MkDocs hooks of the book (``hooks:`` in mkdocs.yml).

- Pages import ``minimodel`` and ``docs_support`` from this checkout, not from an installed copy:
  the repository root goes first on ``sys.path``.
- Each page of each language starts clean and its failures name page and line:
  :func:`docs_support.blocks.start_page` before markdown-exec runs the page's blocks.
- PyTorch blocks (``python torch="on"``) are shown, not run: :mod:`docs_support.torch_blocks`.
- The site offers the wheel of this checkout under ``downloads/`` (:mod:`docs_support.wheel`).
- Builds are reproducible: the sitemap's dates come from the last commit, not from the clock
  (``SOURCE_DATE_EPOCH``); plots are made reproducible by :mod:`docs_support.plots`.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _put_root_first_on_sys_path() -> None:
    # Pages must import this checkout's minimodel, even when another one is installed.
    if sys.path[:1] != [str(ROOT)]:
        sys.path[:] = [str(ROOT)] + [p for p in sys.path if p != str(ROOT)]


_put_root_first_on_sys_path()
from docs_support import blocks, torch_blocks, wheel  # noqa: E402


def _last_commit_time(root: Path) -> str | None:
    try:
        done = subprocess.run(
            ["git", "log", "-1", "--format=%ct"], cwd=root, capture_output=True, text=True
        )
    except OSError:
        return None
    return done.stdout.strip() if done.returncode == 0 and done.stdout.strip() else None


def on_config(config):
    # MkDocs restores sys.path after importing this file, so set it again for the build.
    _put_root_first_on_sys_path()
    epoch = _last_commit_time(ROOT)
    if epoch and "SOURCE_DATE_EPOCH" not in os.environ:
        os.environ["SOURCE_DATE_EPOCH"] = epoch
    torch_blocks.register(config)
    return config


def on_pre_build(config):
    # `mkdocs serve` rebuilds in the same process: close the last page of the previous build and
    # drop minimodel, so that edits to minimodel/ are imported anew.
    blocks.end_page()
    blocks.forget_modules()
    # mkdocs-static-i18n configures the plugins again for each language, and mkdocstrings adds
    # its stylesheet again each time: Spanish pages would link it twice.
    for assets in (config.extra_css, config.extra_javascript):
        unique: dict[str, object] = {}
        for asset in assets:
            unique.setdefault(str(asset), asset)
        assets[:] = unique.values()


def on_page_markdown(markdown, page, config, files):
    blocks.start_page(page.file.abs_src_path, ROOT)
    return markdown


# The heading anchors' tooltip comes from the `toc` extension, configured once for all languages.
_PERMALINK_TITLES = {"es": "Enlace permanente"}


def on_page_content(html, page, config, files):
    title = _PERMALINK_TITLES.get(config.theme.get("language", "en"))
    if title:
        html = html.replace('title="Permanent link"', f'title="{title}"')
    return html


def on_post_build(config):
    # Material fetches ``sitemap.xml`` beside every ``<link rel="alternate" hreflang>`` of a page,
    # and mkdocs-static-i18n points those links at the page itself in each language
    # (``/es/02-optim/``), while MkDocs writes one sitemap at the root: without a copy in each
    # page's folder, every page logs two 404s in the browser.
    site = Path(config.site_dir)
    sitemap = site / "sitemap.xml"
    if sitemap.is_file():
        for page in site.rglob("index.html"):
            if page.parent != site:
                shutil.copyfile(sitemap, page.parent / "sitemap.xml")
    # The wheel of this checkout, which the home pages link (docs_support.wheel).
    wheel.build_wheel(site / wheel.DOWNLOADS)
