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

Only for pages without API reference (``::: minimodel...``): mkdocstrings registers the
reference's anchors with mkdocs-autorefs while converting, and a new build starts autorefs
anew, so those pages are always converted. Pages whose blocks failed are never kept.
MkDocs' ``Page.render`` is the step replaced: on a kept page it is given a function that
sets what ``render`` sets (``content``, ``toc``, the title and the anchor ids it found) and
registers again the headings' anchors that converting registered with mkdocs-autorefs.
"""

from __future__ import annotations

import hashlib
from functools import partial

from docs_support import blocks

# (language, page) -> (key, (content, toc, title found in the content, anchor ids present,
# anchors registered with autorefs)): each page's last conversion.
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
        markdown,
    ]
    return hashlib.sha256("\0".join(parts).encode()).hexdigest()


def use(markdown: str, page, config, files) -> None:
    """Make ``page`` (whose final Markdown is ``markdown``) take its last HTML if unchanged,
    else keep what converting it gives. Call only when outputs are reused (``mkdocs serve``)."""
    current = blocks.current_page()
    if current is None or any(line.startswith(":::") for line in markdown.splitlines()):
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
    page.content, page.toc, page._title_from_render, page.present_anchor_ids, anchors = kept
    autorefs = config.plugins.get("autorefs")
    for identifier, anchor, title, primary in anchors if autorefs is not None else ():
        autorefs.register_anchor(page, identifier, anchor, title=title, primary=primary)


def _render_and_keep(page, where: tuple[str, str], key: str, render, config, files) -> None:
    # Converting a page registers its headings with mkdocs-autorefs (register_anchor, its public
    # API), which starts empty at each build: note them, to register them again on reuse.
    autorefs = config.plugins.get("autorefs")
    anchors: list[tuple] = []
    if autorefs is not None:
        register = autorefs.register_anchor

        def noting(on_page, identifier, anchor=None, *, title=None, primary=True):
            if on_page is page:
                anchors.append((identifier, anchor, title, primary))
            register(on_page, identifier, anchor, title=title, primary=primary)

        autorefs.register_anchor = noting
    try:
        render(page, config, files)
    finally:
        if autorefs is not None:
            del autorefs.register_anchor  # the class's method again
    ran = blocks.current_page()
    if ran is not None and ran.complete:
        found = page.content, page.toc, page._title_from_render, page.present_anchor_ids, anchors
        _kept[where] = (key, found)
