import importlib.util

# The book's tests need the docs extras (pip install -e '.[docs]'); scripts/test.sh installs them.
if importlib.util.find_spec("markdown_exec") is None or importlib.util.find_spec("mkdocs") is None:
    collect_ignore_glob = ["test_*.py"]


if importlib.util.find_spec("markdown_exec") is not None:
    import pytest

    @pytest.fixture(scope="session")
    def first_build(tmp_path_factory):
        """One strict build of the book, shared by the tests that read the built site.

        scripts/test.sh's own build when it passes its folder (``MINIMODEL_SITE_DIR``; then
        ``result`` is None), so that the tests run no block of the book again.
        """
        import os
        from pathlib import Path
        from types import SimpleNamespace

        from site_helpers import ROOT, build

        given = os.environ.get("MINIMODEL_SITE_DIR")
        if given:
            return SimpleNamespace(result=None, dir=Path(given))
        site = tmp_path_factory.mktemp("first") / "site"
        return SimpleNamespace(result=build(ROOT, site), dir=site)
