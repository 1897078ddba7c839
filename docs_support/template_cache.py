"""Compile each Jinja template of the site once per process, not once per language and build.

MkDocs makes a new Jinja environment for the theme at every build, and so does mkdocstrings
for the API reference; mkdocs-static-i18n builds the site once per language, and
``mkdocs serve`` once per save. Each new environment compiled every template again: about a
fifth of a rebuild's time went into compiling the same templates. :data:`TEMPLATES`, a Jinja
bytecode cache (Jinja's public extension point), keeps the compiled code of each template
keyed on its file and checked against the SHA-1 of its source, as Jinja's own caches do: an
edited template is compiled again.
"""

from __future__ import annotations

from types import CodeType

import jinja2


class _InMemory(jinja2.BytecodeCache):
    def __init__(self) -> None:
        self._code: dict[str, tuple[str, CodeType]] = {}

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        known = self._code.get(bucket.key)
        if known is not None and known[0] == bucket.checksum:
            bucket.code = known[1]

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self._code[bucket.key] = (bucket.checksum, bucket.code)


TEMPLATES = _InMemory()


def share(environment: jinja2.Environment) -> None:
    """Make ``environment`` load compiled templates from, and store them in, :data:`TEMPLATES`."""
    environment.bytecode_cache = TEMPLATES
