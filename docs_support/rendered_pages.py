"""Under ``mkdocs serve``, reuse the HTML of every page that is the same as at the last build.

Each rebuild of ``mkdocs serve`` converts the Markdown of every page of both languages again,
though only the saved page changed: with the recorded outputs printed again
(:mod:`docs_support.record`), converting the unchanged chapters (their outputs, the
highlighting of every block) was the largest part of a one-page rebuild. So a rebuild keeps,
in memory, what converting each page produced, keyed on everything the conversion reads: the
page's final Markdown, its record key (the page's text, ``minimodel/``, ``docs_support/``, the
library versions: :func:`docs_support.record.page_key`), its address, its language and the
site's files (links are resolved against them). A page with the same key takes its HTML, table
of contents and anchors from the last conversion instead of converting again.

The API reference pages (``::: minimodel...``) are kept too: converting them is most of a
rebuild (mkdocstrings loads ``minimodel`` with griffe and renders every docstring), and what
they read is in the key (the docstrings are in ``minimodel/``, the templates in
``docs_support/``, the options in ``mkdocs.yml``). While converting, mkdocstrings registers
each object's anchors with mkdocs-autorefs and its entry in the inventory (``objects.inv``),
and a new build starts both anew: a kept page registers them again, with both tools' public
``register`` methods, and asks mkdocstrings for the handlers it used, so that their CSS is
written. Pages whose blocks failed are never kept.

MkDocs' ``Page.render`` is the step replaced: on a kept page it is given a function that
sets what ``render`` sets (``content``, ``toc``, the title and the anchor ids it found) and
makes the registrations above again.
"""

from __future__ import annotations

import hashlib
from contextlib import contextmanager
from functools import partial
from pathlib import Path

from docs_support import blocks

# (language, page) -> (key, (content, toc, title found in the content, anchor ids present,
# anchors registered with autorefs, inventory entries, mkdocstrings handlers used)): each
# page's last conversion.
_kept: dict[tuple[str, str], tuple[str, tuple]] = {}
# Pages of the current build whose HTML was reused.
reused: list[str] = []


def _key(markdown: str, page, config, files, record_key: str) -> str:
    parts = [
        record_key,
        config.theme.get("language", ""),
        page.file.src_uri,
        page.url,
        "\n".join(sorted(f.src_uri for f in files)),
        _options(config),
        markdown,
    ]
    return hashlib.sha256("\0".join(parts).encode()).hexdigest()


def _options(config) -> str:
    # The extensions' and mkdocstrings' options, as written in mkdocs.yml.
    path = config.config_file_path
    return Path(path).read_text(encoding="utf-8") if path else ""


def use(markdown: str, page, config, files) -> None:
    """Make ``page`` (whose final Markdown is ``markdown``) take its last HTML if unchanged,
    else keep what converting it gives. Call only when outputs are reused (``mkdocs serve``)."""
    current = blocks.current_page()
    if current is None:
        return
    where = (config.theme.get("language", ""), page.file.src_uri)
    key = _key(markdown, page, config, files, current.key)
    last_key, last = _kept.get(where, (None, None))
    if key == last_key:
        page.render = partial(_replay, page, last)
        reused.append(page.file.src_uri)
    else:
        page.render = partial(_render_and_keep, page, where, key, type(page).render)


def _replay(page, kept: tuple, config, files) -> None:
    page.content, page.toc, page._title_from_render, page.present_anchor_ids = kept[:4]
    anchors, entries, handler_names = kept[4:]
    autorefs = config.plugins.get("autorefs")
    for identifier, anchor, title, primary in anchors if autorefs is not None else ():
        autorefs.register_anchor(page, identifier, anchor, title=title, primary=primary)
    handlers = _mkdocstrings_handlers(config)
    for name in handler_names:
        handlers.get_handler(name)  # counted as used: its CSS is written, its inventory too
    for entry in entries:
        handlers.inventory.register(**entry)


def _mkdocstrings_handlers(config):
    plugin = config.plugins.get("mkdocstrings")
    return plugin.handlers if plugin is not None else None


@contextmanager
def _noting(owner, method: str, keep):
    """Call ``keep(*args, **kwargs)`` on every call of ``owner.method`` while inside."""
    if owner is None:
        yield
        return
    original = getattr(owner, method)

    def noting(*args, **kwargs):
        keep(*args, **kwargs)
        return original(*args, **kwargs)

    setattr(owner, method, noting)
    try:
        yield
    finally:
        delattr(owner, method)  # the class's method again


def _render_and_keep(page, where: tuple[str, str], key: str, render, config, files) -> None:
    # Converting a page registers its headings with mkdocs-autorefs (register_anchor), and
    # mkdocstrings registers its objects in the inventory: both public APIs, both starting empty
    # at each build. Note what this page registers, to register it again on reuse.
    anchors: list[tuple] = []
    entries: list[dict] = []

    def anchor(on_page, identifier, anchor=None, *, title=None, primary=True):
        if on_page is page:
            anchors.append((identifier, anchor, title, primary))

    handlers = _mkdocstrings_handlers(config)
    inventory = handlers.inventory if handlers is not None else None
    with (
        _noting(config.plugins.get("autorefs"), "register_anchor", anchor),
        _noting(inventory, "register", lambda **entry: entries.append(entry)),
    ):
        render(page, config, files)
    ran = blocks.current_page()
    if ran is not None and ran.complete:
        used = [handler.name for handler in handlers.seen_handlers] if handlers else []
        found = page.content, page.toc, page._title_from_render, page.present_anchor_ids
        _kept[where] = (key, (*found, anchors, entries, used))
