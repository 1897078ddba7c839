import importlib.util

# The book's tests need the docs extras (pip install -e '.[docs]'); scripts/test.sh installs them.
if importlib.util.find_spec("markdown_exec") is None or importlib.util.find_spec("mkdocs") is None:
    collect_ignore_glob = ["test_*.py"]
