"""Rules the test suite keeps, so that its tests fail for the reason they name.

A ``pytest.raises(RuntimeError)`` without ``match=`` passes on any RuntimeError, including one
from a bug unrelated to the behaviour under test; the message is part of PyTorch's API.
"""

from __future__ import annotations

import ast
from pathlib import Path

TESTS = Path(__file__).parent


def _raises_without_message(path: Path) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(path.read_text())):
        if not isinstance(node, ast.With):
            continue
        for item in node.items:
            call = item.context_expr
            if (
                isinstance(call, ast.Call)
                and ast.unparse(call.func) == "pytest.raises"
                and not any(k.arg == "match" for k in call.keywords)
                and item.optional_vars is None  # `as info` checks the message itself
            ):
                found.append(f"{path.relative_to(TESTS)}:{call.lineno}")
    return found


def test_every_pytest_raises_names_the_message_it_expects() -> None:
    found = [place for path in TESTS.rglob("*.py") for place in _raises_without_message(path)]
    assert not found, f"pytest.raises without match= (or `as info`): {found}"
