"""MkDocs hooks of the book (``hooks:`` in mkdocs.yml).

- Pages import ``minimodel`` and ``docs_support`` from this checkout, not from an installed copy:
  the repository root goes first on ``sys.path``.
- Each page of each language starts clean and its failures name page and line:
  :func:`docs_support.blocks.start_page` before markdown-exec runs the page's blocks, through
  the formatter :func:`docs_support.blocks.register` gives it.
- The build records what each page's blocks print (:mod:`docs_support.record`); ``mkdocs
  serve`` reuses the record of every page whose text and sources are unchanged, so saving a
  page runs that page only (``MINIMODEL_BOOK_REUSE=1`` does the same for ``mkdocs build``),
  and the HTML of every page unchanged since its last rebuild (:mod:`docs_support.rendered_pages`).
- Search stays in the reader's language (:func:`split_search_index`), and so does the 404 page
  (:func:`on_post_template`).
- PyTorch blocks (``python torch="on"``) are shown, not run: :mod:`docs_support.torch_blocks`.
- The site offers the wheel of this checkout under ``downloads/`` (:mod:`docs_support.wheel`).
- Builds are reproducible: the sitemap's dates come from the last commit, not from the clock
  (``SOURCE_DATE_EPOCH``); plots are made reproducible by :mod:`docs_support.plots`.
"""

from __future__ import annotations

import json
import logging
import os
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _put_root_first_on_sys_path() -> None:
    # Pages must import this checkout's minimodel, even when another one is installed.
    if sys.path[:1] != [str(ROOT)]:
        sys.path[:] = [str(ROOT)] + [p for p in sys.path if p != str(ROOT)]


_put_root_first_on_sys_path()
from mkdocs.plugins import event_priority  # noqa: E402

from docs_support import (  # noqa: E402
    blocks,
    prerun,
    record,
    rendered_pages,
    template_cache,
    torch_blocks,
    wheel,
)
from docs_support.fences import fences_that_run  # noqa: E402
from docs_support.fresh_imports import forget_modules  # noqa: E402

# `MINIMODEL_BOOK_REUSE=1 mkdocs build` prints recorded outputs as `mkdocs serve` does.
REUSE_VARIABLE = "MINIMODEL_BOOK_REUSE"
# For timing only (scripts/benchmarks/docs.py): run no block; every output is left empty.
SKIP_VARIABLE = "MINIMODEL_BOOK_SKIP_EXECUTION_FOR_TIMING"
log = logging.getLogger("mkdocs.book")


def _last_commit_time(root: Path) -> str | None:
    try:
        done = subprocess.run(
            ["git", "log", "-1", "--format=%ct"], cwd=root, capture_output=True, text=True
        )
    except OSError:
        return None
    return done.stdout.strip() if done.returncode == 0 and done.stdout.strip() else None


def on_startup(command, dirty):
    blocks.Settings.reuse = command == "serve" or os.environ.get(REUSE_VARIABLE) == "1"


def on_config(config):
    # MkDocs restores sys.path after importing this file, so set it again for the build.
    _put_root_first_on_sys_path()
    blocks.register()
    blocks.Settings.execute = os.environ.get(SKIP_VARIABLE) != "1"
    blocks.Settings.record = blocks.Settings.execute
    epoch = _last_commit_time(ROOT)
    if epoch and "SOURCE_DATE_EPOCH" not in os.environ:
        os.environ["SOURCE_DATE_EPOCH"] = epoch
    torch_blocks.register(config)
    return config


# mkdocs-static-i18n builds the other languages inside the default language's build: how deep
# the builds are nested, and the CPU time when the outermost one started.
_build = {"depth": 0, "cpu": 0.0}


def _cpu_seconds() -> float:
    """CPU time of this process and of the processes it waited for (docs_support.prerun's)."""
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.process_time() + children.ru_utime + children.ru_stime


def on_pre_build(config):
    if _build["depth"] == 0:
        _build["cpu"] = _cpu_seconds()
        record.freeze_sources(ROOT)
        if blocks.Settings.execute and not blocks.Settings.reuse:
            prerun.start(_pages_of_other_languages(config), ROOT)
    _build["depth"] += 1
    # `mkdocs serve` rebuilds in the same process: close the last page of the previous build and
    # drop minimodel, so that edits to minimodel/ are imported anew.
    blocks.end_page()
    blocks.tally.clear()
    forget_modules()
    # mkdocstrings' handler is made anew for each build, with a new Jinja environment.
    if "mkdocstrings" in config.plugins:
        template_cache.share(config.plugins["mkdocstrings"].get_handler("python").env)
    # mkdocs-static-i18n configures the plugins again for each language, and mkdocstrings adds
    # its stylesheet again each time: Spanish pages would link it twice.
    for assets in (config.extra_css, config.extra_javascript):
        unique: dict[str, object] = {}
        for asset in assets:
            unique.setdefault(str(asset), asset)
        assets[:] = unique.values()


# Last, once every hook has changed the page's Markdown (docs_support/notebook_hooks.py adds the
# notebook's link): rendered_pages keys a page's HTML on its final Markdown.
@event_priority(-100)
def _pages_of_other_languages(config) -> list[Path]:
    """The pages with executed blocks that mkdocs-static-i18n builds after the default
    language's, which docs_support.prerun runs meanwhile."""
    i18n = config.plugins.get("i18n")
    languages = i18n.config.languages if i18n is not None else []
    folders = [Path(config.docs_dir) / lang.locale for lang in languages if not lang.default]
    return [
        page
        for folder in folders
        for page in sorted(folder.rglob("*.md"))
        if any(fence.executed for fence in fences_that_run(page))
    ]


def on_page_markdown(markdown, page, config, files):
    blocks.start_page(page.file.abs_src_path, ROOT)
    if blocks.Settings.reuse:
        rendered_pages.use(markdown, page, config, files)
    return markdown


def on_env(env, config, files):
    template_cache.share(env)
    # Every page of this language is rendered: record the last one, and say what ran.
    blocks.end_page()
    log.info(
        "Blocks run on %d pages; recorded outputs reused on %d; HTML reused on %d (%s)",
        blocks.tally["run"],
        blocks.tally["reused"],
        len(rendered_pages.reused),
        config.theme["language"],
    )
    blocks.tally.clear()
    rendered_pages.reused.clear()
    return env


# The heading anchors' tooltip comes from the `toc` extension, configured once for all languages.
_PERMALINK_TITLES = {"es": "Enlace permanente"}


def on_page_content(html, page, config, files):
    title = _PERMALINK_TITLES.get(config.theme.get("language", "en"))
    if title:
        html = html.replace('title="Permanent link"', f'title="{title}"')
    return html


def on_build_error(error):
    # A failed build ends no on_post_build: the next one (`mkdocs serve`) starts outermost again.
    _build["depth"] = 0
    prerun.stop()
    record.thaw_sources()


# The 404 page as each language's build rendered it, by language.
_not_found: dict[str, str] = {}


def on_post_template(output_content, template_name, config):
    # mkdocs-static-i18n renders 404.html once per language into the same file, the last language
    # winning (upstream issue #284): keep each rendering, for on_post_build to write them.
    if template_name == "404.html":
        _not_found[config.theme["language"]] = output_content
    return output_content


# After mkdocs-static-i18n's (-100), which builds the other languages and then writes the search
# index of all of them.
@event_priority(-200)
def on_post_build(config):
    split_search_index(config)
    write_not_found_pages(config)
    _build["depth"] -= 1
    if _build["depth"] == 0:
        prerun.stop()
        record.thaw_sources()
        # On a busy machine, CPU time compares builds better than the wall clock (the benchmark).
        log.info("Built in %.2f seconds of CPU", _cpu_seconds() - _build["cpu"])
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


def split_search_index(config):
    """Give each language a search index of its own pages, beside its home page.

    mkdocs-static-i18n writes one ``search/search_index.json`` for every language, and
    Material searches all of it: a Spanish reader got English pages, and the "N matching
    documents" line counted pages a stylesheet then hid. This splits that index: each language
    that lives in a folder gets its pages, their locations relative to the folder and its own
    stemmer in ``es/search/search_index.json``; the root index keeps the default language's.
    ``overrides/main.html`` points a page's search at its language's folder.

    Every language's build ends here; the English build ends last, once mkdocs-static-i18n has
    written the index of all languages (``reconfigure_search: false`` in mkdocs.yml keeps all
    of their pages in it), and its split is the one that stays.
    """
    site = Path(config.site_dir)
    index = site / "search" / "search_index.json"
    i18n = config.plugins.get("i18n")
    if i18n is None or not index.is_file():
        return
    whole = json.loads(index.read_text(encoding="utf-8"))
    folders = {lang.locale: lang.link.strip("/") for lang in i18n.config.languages}
    in_folders = tuple(f"{folder}/" for folder in folders.values() if folder)
    for language, folder in folders.items():
        if folder:
            docs = [
                {**doc, "location": doc["location"].removeprefix(f"{folder}/")}
                for doc in whole["docs"]
                if doc["location"].startswith(f"{folder}/")
            ]
        else:
            docs = [doc for doc in whole["docs"] if not doc["location"].startswith(in_folders)]
        own = {**whole, "config": {**whole["config"], "lang": [language]}, "docs": docs}
        target = site / folder / "search" / "search_index.json"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(json.dumps(own, separators=(",", ":")), encoding="utf-8")


def write_not_found_pages(config):
    """Write each language's 404 page in its folder (``es/404.html``), the default language's at
    the root.

    Most static hosts serve the root ``404.html`` for any missing path, so its text speaks every
    language (``overrides/404.html``); hosts that serve the nearest ``404.html`` give a Spanish
    reader the Spanish one, whose search box looks at Spanish pages.
    """
    i18n = config.plugins.get("i18n")
    if i18n is None:
        return
    site = Path(config.site_dir)
    for language in i18n.config.languages:
        if language.locale in _not_found:
            page = site / language.link.strip("/") / "404.html"
            page.parent.mkdir(parents=True, exist_ok=True)
            page.write_text(_not_found[language.locale], encoding="utf-8")
