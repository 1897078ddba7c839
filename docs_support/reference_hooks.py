"""MkDocs hook (``hooks:`` in mkdocs.yml): the API reference titled in each page's language.

mkdocstrings picks the language of its titles (*Parameters*, *Returns*) once per build, in its
``on_config``, from ``theme.language``. mkdocs-static-i18n builds the Spanish site by running
the whole build again, but sets ``theme.language`` in its own ``on_config``, which runs after
mkdocstrings' (priority -100): left alone, the Spanish pages would get the English titles.
This hook runs first and hands mkdocstrings the language i18n is about to build. The Spanish
titles themselves are in ``docs_support/mkdocstrings_templates/`` (mkdocstrings-python has no
Spanish table).
"""

from __future__ import annotations

from mkdocs.plugins import event_priority


@event_priority(100)
def on_config(config):
    i18n = config.plugins["i18n"]
    # None before the first build: the default language is built first.
    config.plugins["mkdocstrings"].config.locale = i18n.current_language or i18n.default_language
    return config
