"""Tooling shared by the book's build (MkDocs hooks), its tests (root conftest.py) and its pages.

- :mod:`docs_support.fences` reads the code fences of a Markdown page.
- :mod:`docs_support.blocks` runs an executed fence the way the build and the tests both must;
  :mod:`docs_support.record` keeps what each page printed at the build, for ``mkdocs serve``
  and the tests; :mod:`docs_support.fresh_imports` gives each page its own ``minimodel``.
- :mod:`docs_support.doctest_adapter` is the one module that touches pytest-markdown-docs'
  internals; :mod:`docs_support.template_cache` compiles the site's templates once a process.
- :mod:`docs_support.plots` turns matplotlib figures into inline SVG for the pages.
- ``docs_support/mkdocs_hooks.py`` is loaded by MkDocs (``hooks:`` in mkdocs.yml).

It lives at the repository root, not under ``docs/``, because MkDocs copies every file under
``docs/`` into the published site.
"""
