"""One way to write an operation and its gradient (minimodel/ops/__init__.py), everywhere.

Every ``record``/``record_view`` call in ops and nn passes its backward as a ``partial`` of a
named function, or a name bound to one; no closure defined inside the operation, no lambda.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import minimodel

PACKAGE = Path(minimodel.__file__).parent
FILES = sorted([*(PACKAGE / "ops").glob("*.py"), *(PACKAGE / "nn").rglob("*.py")])


def _backward_argument(call: ast.Call) -> ast.expr | None:
    for keyword in call.keywords:
        if keyword.arg == "backward":
            return keyword.value
    return call.args[3] if len(call.args) > 3 else None


def _recorded_backwards(tree: ast.AST) -> list[tuple[int, ast.expr]]:
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and getattr(node.func, "id", None) in (
            "record",
            "record_view",
        ):
            argument = _backward_argument(node)
            if argument is not None:
                found.append((node.lineno, argument))
    return found


def _nested_function_names(tree: ast.AST) -> set[str]:
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            for inner in ast.walk(node):
                if inner is not node and isinstance(inner, ast.FunctionDef):
                    names.add(inner.name)
    return names


@pytest.mark.parametrize("path", FILES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_every_recorded_backward_is_a_partial_of_a_named_function(path: Path) -> None:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    nested = _nested_function_names(tree)
    for line, argument in _recorded_backwards(tree):
        assert not isinstance(argument, ast.Lambda), f"{path.name}:{line}: a lambda as backward"
        if isinstance(argument, ast.Name):
            assert argument.id not in nested, f"{path.name}:{line}: a closure as backward"
        elif isinstance(argument, ast.Call):
            assert getattr(argument.func, "id", None) == "partial", f"{path.name}:{line}"


def test_the_rule_finds_a_closure() -> None:
    source = (
        "def op(x):\n"
        "    def backward(g):\n"
        "        return (g,)\n"
        "    return record(x, (x,), 'N', backward)\n"
    )
    tree = ast.parse(source)
    [(_, argument)] = _recorded_backwards(tree)
    assert isinstance(argument, ast.Name) and argument.id in _nested_function_names(tree)
