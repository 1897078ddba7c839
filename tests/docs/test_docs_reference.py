"""The API reference (``docs/*/reference/``) documents every public name, in both languages.

Public names are found by walking the package, not listed here: ``__all__`` of ``minimodel``,
of every module reached through an ``__all__`` (``nn``, ``nn.functional``, ``optim.lr_scheduler``,
``utils.data``, ``cuda``, ``autograd``...) and of every public package that has one
(``datasets``, ``lab``); and the public attributes of each public class, those it defines and
those it inherits from a class the reference does not document (``Tensor``'s operations, which
live in mixin classes). Each must have a heading of its own in the built reference pages
(mkdocstrings gives it the name as ``id``), in English and in Spanish.

The site is the one ``scripts/test.sh`` built (``MINIMODEL_SITE_DIR``), else one strict build
shared by the book's tests.
"""

from __future__ import annotations

import importlib
import importlib.util
import inspect
import os
import pkgutil
import re
import types
from pathlib import Path

import pytest
from site_helpers import ROOT

import minimodel
from docs_support.checks import DEFAULT_LANGUAGE, LANGUAGES

# mkdocstrings' heading of a documented object: a hand-written anchor does not count.
HEADING = re.compile(r'<h\d id="(minimodel[\w.]*)" class="doc doc-heading')
# Section titles of the docstrings (mkdocstrings' templates), per language: the Spanish ones come
# from docs_support/mkdocstrings_templates/, put in place by docs_support/reference_hooks.py.
TITLES = {
    "en": ["Parameters:", "Returns:", "Raises:", "Examples:", "Attributes:"],
    "es": ["Parámetros:", "Devuelve:", "Excepciones:", "Ejemplos:", "Atributos:"],
}
COLUMNS = {
    "en": ["Name", "Type", "Description", "Default"],
    "es": ["Nombre", "Tipo", "Descripción", "Por defecto"],
}
SECTION_TITLE = re.compile(r'<span class="doc-section-title">([^<]*)</span>')
COLUMN = re.compile(r"<th>([^<]*)</th>")


def _public(name: str) -> bool:
    return not name.startswith("_")


def public_namespaces() -> dict[str, types.ModuleType]:
    """``minimodel``, the modules reached through ``__all__``, the public packages with one."""
    found = {"minimodel": minimodel}
    for info in pkgutil.walk_packages(minimodel.__path__, "minimodel."):
        if info.ispkg and all(map(_public, info.name.split("."))):
            package = importlib.import_module(info.name)
            if hasattr(package, "__all__"):
                found[info.name] = package
    todo = list(found.values())
    while todo:
        module = todo.pop()
        for name in module.__all__:
            obj = getattr(module, name)
            if isinstance(obj, types.ModuleType) and obj.__name__ not in found:
                found[obj.__name__] = obj
                todo.append(obj)
    return found


def _documented_path(namespace: str, name: str, obj: object) -> str:
    """Where the reference documents ``namespace.name``: there, unless a module of the same
    name shadows it for griffe, which reads the source (``minimodel.tensor`` the function and
    ``minimodel/tensor.py``): then under the module that defines it (reference/minimodel.md)."""
    module = importlib.import_module(namespace)
    shadowed = hasattr(module, "__path__") and (
        importlib.util.find_spec(f"{namespace}.{name}") is not None
    )
    if shadowed and not isinstance(obj, types.ModuleType):
        return f"{obj.__module__}.{obj.__qualname__}"
    return f"{namespace}.{name}"


def public_names() -> list[str]:
    """Every name the reference must document, as the ``id`` of its heading."""
    names: list[str] = []
    classes: dict[type, str] = {}
    for namespace, module in sorted(public_namespaces().items()):
        for name in module.__all__:
            obj = getattr(module, name)
            if isinstance(obj, types.ModuleType):
                continue
            path = _documented_path(namespace, name, obj)
            names.append(path)
            if inspect.isclass(obj) and obj.__module__.startswith("minimodel"):
                classes.setdefault(obj, path)
    for cls, path in classes.items():
        names += [
            f"{path}.{attr}" for attr in filter(_public, dir(cls)) if _shown_on(cls, attr, classes)
        ]
    return sorted(set(names))


def _shown_on(cls: type, attr: str, documented: dict[type, str]) -> bool:
    """Whether the reference shows ``cls.attr`` under ``cls``: it does for what ``cls`` defines
    or inherits from an undocumented class of minimodel (``Tensor.exp`` from a mixin); what a
    documented class defines is shown there only (``Linear.parameters`` under ``Module``,
    ``Parameter.exp`` under ``Tensor``); what Python's classes define (``Size.count`` from
    ``tuple``), nowhere."""
    holder = cls
    for k in cls.__mro__:
        if k in documented:
            holder = k
        if attr in vars(k):
            return holder is cls and k.__module__.startswith("minimodel")
    return False


@pytest.fixture(scope="module")
def site(request) -> Path:
    given = os.environ.get("MINIMODEL_SITE_DIR")
    if given:
        return Path(given)
    first_build = request.getfixturevalue("first_build")
    assert first_build.result.returncode == 0, first_build.result.stderr
    return first_build.dir


def _reference_pages(site: Path, language: str) -> list[Path]:
    prefix = site if language == DEFAULT_LANGUAGE else site / language
    pages = sorted((prefix / "reference").glob("*/index.html"))
    assert pages, f"no reference page built under {prefix}"
    return pages


def test_the_walk_finds_the_names_the_issue_asks_for():
    names = set(public_names())
    assert {
        "minimodel.nn.BCEWithLogitsLoss",
        "minimodel.nn.functional.binary_cross_entropy_with_logits",
        "minimodel.nn.init.kaiming_uniform_",
        "minimodel.optim.lr_scheduler.StepLR",
        "minimodel.utils.data.DataLoader",
        "minimodel.autograd.Function",
        "minimodel.datasets.load_grammar_grid",
        "minimodel.cuda.is_available",
        "minimodel.lab.check",
        "minimodel.Generator.manual_seed",
        "minimodel.save",
        "minimodel.manual_seed",
        "minimodel.Tensor.backward",
        "minimodel.Tensor.exp",
        "minimodel.Tensor.shape",
        "minimodel.creation.tensor",
    } <= names
    # Inherited from a documented class: documented once, on that class.
    assert "minimodel.nn.Linear.parameters" not in names
    assert "minimodel.nn.Parameter.exp" not in names
    assert "minimodel.nn.Module.parameters" in names


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_public_name_has_a_heading_in_the_reference(site, language):
    headings = set()
    for page in _reference_pages(site, language):
        headings |= set(HEADING.findall(page.read_text(encoding="utf-8")))
    missing = [name for name in public_names() if name not in headings]
    assert not missing, f"{len(missing)} public names missing from the {language} reference: " + (
        ", ".join(missing)
    )


@pytest.mark.parametrize("language", LANGUAGES)
def test_docstring_sections_are_titled_in_the_page_language(site, language):
    titles: set[str] = set()
    columns: set[str] = set()
    for page in _reference_pages(site, language):
        text = page.read_text(encoding="utf-8")
        titles |= set(SECTION_TITLE.findall(text))
        columns |= set(COLUMN.findall(text))
    assert set(TITLES[language]) <= titles, sorted(titles)
    assert set(COLUMNS[language]) <= columns, sorted(columns)
    other = next(lang for lang in LANGUAGES if lang != language)
    assert not titles & set(TITLES[other]), sorted(titles & set(TITLES[other]))
    assert not columns & set(COLUMNS[other]), sorted(columns & set(COLUMNS[other]))


def test_each_spanish_reference_page_says_the_docstrings_are_in_english():
    pages = sorted((ROOT / "docs" / "es" / "reference").glob("*.md"))
    assert [p.name for p in pages] == sorted(
        p.name for p in (ROOT / "docs" / "en" / "reference").glob("*.md")
    )
    # Each says so next to the folder its docstrings come from.
    texts = {p.name: " ".join(p.read_text(encoding="utf-8").split()) for p in pages}
    silent = [
        name
        for name, text in texts.items()
        if not re.search(r"los docstrings de `[^`]+`(?: y `[^`]+`)?, que están en inglés", text)
    ]
    assert not silent, f"Spanish pages that do not say the docstrings are in English: {silent}"
