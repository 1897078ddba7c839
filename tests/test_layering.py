"""Lower layers of minimodel never import higher ones.

From the bottom: the core (``Tensor``, autograd, the operations, dtypes, the factories: every
module directly under ``minimodel/`` and ``minimodel/ops/``); then ``nn``, ``optim``,
``utils`` and ``datasets``, which build on the core and not on one another; then ``lab``,
which checks the reader's code with all of them, and the package's ``__init__`` and
``serialization``. Every ``import`` counts, at the top of a file
or inside a function, and those only made for type checkers too: the layers are read from the
source with ``ast``, not from what an import happened to load.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "minimodel"

HIGHER = ("nn", "optim", "utils", "datasets", "lab")

# What each layer must not import. The top imports anything: ``minimodel/__init__.py``, which
# gathers the public names, and ``minimodel.serialization``, which rebuilds ``nn.Parameter``
# when loading, as ``torch.serialization`` does.
FORBIDDEN = {
    "core": HIGHER,
    "nn": ("optim", "utils", "datasets", "lab"),
    "optim": ("nn", "utils", "datasets", "lab"),
    "utils": ("nn", "optim", "datasets", "lab"),
    "datasets": ("nn", "optim", "utils", "lab"),
    "lab": (),
    "top": (),
}

# Known violations, each removed by a change on its way; strict, so the merge that fixes one
# fails here until its mark goes.
KNOWN: dict[str, str] = {}


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def layer(path: Path) -> str | None:
    """The layer of a module of minimodel, or None for a package no layer names yet."""
    parts = path.relative_to(PACKAGE).parts
    if len(parts) == 1:
        return "top" if parts[0] in ("__init__.py", "serialization.py") else "core"
    if parts[0] == "ops":
        return "core"
    return parts[0] if parts[0] in HIGHER else None


def imports(source: str, name: str, is_package: bool) -> list[tuple[int, list[str]]]:
    """Each import statement of the source of module ``name``: its line and the absolute names
    it may load (for ``from X import y``, ``X`` and ``X.y``: ``y`` may be a submodule)."""
    package = name if is_package else name.rpartition(".")[0]
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found.append((node.lineno, [alias.name for alias in node.names]))
        elif isinstance(node, ast.ImportFrom):
            origin = node.module or ""
            if node.level:
                base = package.split(".")
                base = base[: len(base) - (node.level - 1)]
                origin = ".".join(base + ([node.module] if node.module else []))
            found.append((node.lineno, [origin] + [f"{origin}.{a.name}" for a in node.names]))
    return found


def violations(path: Path, source: str | None = None) -> list[str]:
    """``file:line imports name`` for each import statement of a higher layer in ``path``."""
    of = layer(path)
    assert of is not None, f"{path} belongs to no layer"
    banned = tuple(f"minimodel.{p}" for p in FORBIDDEN[of])
    source = path.read_text(encoding="utf-8") if source is None else source
    found = []
    for line, targets in imports(source, module_name(path), path.name == "__init__.py"):
        bad = [t for t in targets if any(t == b or t.startswith(b + ".") for b in banned)]
        if bad:
            found.append(f"{path.relative_to(PACKAGE.parent)}:{line} imports {bad[-1]}")
    return sorted(found)


def _cases() -> list:
    cases = []
    for path in sorted(PACKAGE.rglob("*.py")):
        if not FORBIDDEN.get(layer(path) or ""):
            continue
        key = str(path.relative_to(PACKAGE.parent))
        marks = [pytest.mark.xfail(strict=True, reason=KNOWN[key])] if key in KNOWN else []
        cases.append(pytest.param(path, id=key, marks=marks))
    return cases


@pytest.mark.parametrize("path", _cases())
def test_module_imports_no_higher_layer(path: Path) -> None:
    assert violations(path) == []


def test_every_module_belongs_to_a_layer() -> None:
    # A new package of minimodel takes its place in FORBIDDEN before it is checked.
    layers = {str(path.relative_to(PACKAGE)): layer(path) for path in PACKAGE.rglob("*.py")}
    assert [name for name, of in layers.items() if of is None] == []
    assert set(layers.values()) == set(FORBIDDEN)


@pytest.mark.parametrize(
    ("file", "source"),
    [
        ("tensor.py", "def softmax(self):\n    from .nn import functional as F\n"),
        ("tensor.py", "from . import nn\n"),
        ("ops/arith.py", "if True:\n    import minimodel.optim.sgd\n"),
        ("optim/optimizer.py", "from ..nn._typename import typename\n"),
        ("nn/module.py", "from ..optim import SGD\n"),
        ("utils/data/dataset.py", "from ...nn import Module\n"),
    ],
)
def test_an_import_of_a_higher_layer_is_found(file: str, source: str) -> None:
    found = violations(PACKAGE / file, source)
    assert len(found) == 1
    assert found[0].startswith(f"minimodel/{file}:")


@pytest.mark.parametrize(
    ("file", "source"),
    [
        ("tensor.py", "from .nn_helpers import x\nfrom . import dtype\n"),
        ("nn/module.py", "from .._typename import typename\nfrom ..tensor import Tensor\n"),
        ("optim/sgd.py", "from .optimizer import Optimizer\n"),
    ],
)
def test_an_import_of_the_same_or_a_lower_layer_is_allowed(file: str, source: str) -> None:
    assert violations(PACKAGE / file, source) == []
