import importlib.util

# The book's tests need the docs extras (pip install -e '.[docs]'); scripts/test.sh installs them.
if importlib.util.find_spec("markdown_exec") is None or importlib.util.find_spec("mkdocs") is None:
    collect_ignore_glob = ["test_*.py"]


if importlib.util.find_spec("markdown_exec") is not None:
    import pytest

    @pytest.fixture(scope="session")
    def first_build(tmp_path_factory):
        """One strict build of the book, shared by the tests that read the built site."""
        from types import SimpleNamespace

        from site_helpers import ROOT, build

        site = tmp_path_factory.mktemp("first") / "site"
        return SimpleNamespace(result=build(ROOT, site), dir=site)
