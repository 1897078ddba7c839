"""Measure how many single-point mutations of minimodel the unit and parity tests catch.

A mutant changes one place in one file of ``minimodel/``: a comparison flipped (``<`` and ``<=``,
``==`` and ``!=``, ``is`` and ``is not``, ``in`` and ``not in``), an arithmetic operator swapped
(``+`` and ``-``, ``*`` and ``/``), a constant changed (a number plus one, a bool negated), a
default argument changed, a returned value dropped, or the first two arguments of a call
swapped. The sample is drawn with a fixed seed, so the same command gives the same mutants
before and after a change to the tests: that is how the score is compared.

Each mutant is written into a copy of the checkout under a temporary folder, and
``pytest tests`` (without the book and the browser tests) runs there with ``-x`` and a time limit.
A mutant is *killed* when a test fails, *survived* when every test passes; a survivor is not
always a gap: it can be equivalent (it computes the same thing), which only reading it tells.

    python scripts/mutation_sample.py --count 60 --seed 1 [--package DIR] [--json before.json]
    python scripts/mutation_sample.py --same-as before.json   # the same mutants, after a change
"""

from __future__ import annotations

import argparse
import ast
import json
import random
import shutil
import subprocess
import sys
import tempfile
from dataclasses import asdict, dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
_COMPARE_SWAPS = {
    ast.Lt: ast.LtE,
    ast.LtE: ast.Lt,
    ast.Gt: ast.GtE,
    ast.GtE: ast.Gt,
    ast.Eq: ast.NotEq,
    ast.NotEq: ast.Eq,
    ast.Is: ast.IsNot,
    ast.IsNot: ast.Is,
    ast.In: ast.NotIn,
    ast.NotIn: ast.In,
}
_BINOP_SWAPS = {ast.Add: ast.Sub, ast.Sub: ast.Add, ast.Mult: ast.Div, ast.Div: ast.Mult}


@dataclass
class Mutant:
    path: str
    line: int
    kind: str
    before: str
    after: str
    outcome: str = ""


def _numeric(node: ast.AST | None) -> bool:
    return isinstance(node, ast.Constant) and isinstance(node.value, bool | int | float)


def _sites(tree: ast.Module) -> list[tuple[ast.AST, str]]:
    """Every place of a module that one of the mutation kinds can change."""
    sites: list[tuple[ast.AST, str]] = []
    docstrings = {
        id(node.body[0].value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Module | ast.FunctionDef | ast.ClassDef | ast.AsyncFunctionDef)
        and node.body
        and isinstance(node.body[0], ast.Expr)
    }
    for node in ast.walk(tree):
        if isinstance(node, ast.Compare) and type(node.ops[0]) in _COMPARE_SWAPS:
            sites.append((node, "compare"))
        elif isinstance(node, ast.BinOp) and type(node.op) in _BINOP_SWAPS:
            sites.append((node, "binop"))
        elif _numeric(node) and id(node) not in docstrings:
            sites.append((node, "constant"))
        elif isinstance(node, ast.Return) and node.value is not None:
            sites.append((node, "return"))
        elif isinstance(node, ast.Call) and len(node.args) >= 2:
            if not any(isinstance(a, ast.Starred) for a in node.args[:2]):
                sites.append((node, "swap-args"))
        elif isinstance(node, ast.arguments) and any(
            _numeric(d) for d in node.defaults + node.kw_defaults
        ):
            sites.append((node, "default"))
    return sites


def _mutate(node: ast.AST, kind: str) -> None:
    if kind == "compare":
        node.ops[0] = _COMPARE_SWAPS[type(node.ops[0])]()
    elif kind == "binop":
        node.op = _BINOP_SWAPS[type(node.op)]()
    elif kind == "constant":
        node.value = (not node.value) if isinstance(node.value, bool) else node.value + 1
    elif kind == "return":
        node.value = None
    elif kind == "swap-args":
        node.args[0], node.args[1] = node.args[1], node.args[0]
    elif kind == "default":
        for d in node.defaults + node.kw_defaults:
            if _numeric(d):
                _mutate(d, "constant")
                break


def draw(count: int, seed: int, package: Path) -> list[tuple[Path, int, str]]:
    """``count`` (file, site index, kind) triples, the same for the same seed and sources."""
    everything = []
    for path in sorted(package.rglob("*.py")):
        tree = ast.parse(path.read_text())
        everything += [(path, i, kind) for i, (_, kind) in enumerate(_sites(tree))]
    return random.Random(seed).sample(everything, count)


def build(path: Path, index: int, kind: str, package: Path) -> tuple[str, Mutant]:
    source = path.read_text()
    tree = ast.parse(source)
    node, _ = _sites(tree)[index]
    line = getattr(node, "lineno", 0) or getattr(getattr(node, "args", [None])[0], "lineno", 0)
    before = ast.unparse(node)
    _mutate(node, kind)
    after = ast.unparse(node)
    relative = Path("minimodel") / path.relative_to(package)
    mutant = Mutant(str(relative), line, kind, before[:120], after[:120])
    return ast.unparse(tree), mutant


def run(mutant_source: str, mutant: Mutant, timeout: float, package: Path) -> str:
    with tempfile.TemporaryDirectory(prefix="mutant-") as tmp:
        work = Path(tmp)
        skip = shutil.ignore_patterns("__pycache__")
        shutil.copytree(package, work / "minimodel", ignore=skip)
        shutil.copytree(ROOT / "tests", work / "tests", ignore=skip)
        shutil.copy(ROOT / "pyproject.toml", work)
        if mutant.path:  # an empty path runs the tests on the package as it is
            (work / mutant.path).write_text(mutant_source)
        command = [
            sys.executable,
            "-m",
            "pytest",
            "tests",
            "--ignore=tests/e2e",
            "--ignore=tests/docs",
            "--ignore=tests/scripts",
            "-x",
            "-q",
            "-p",
            "no:cacheprovider",
        ]
        env = {"PYTHONPATH": str(work), "PATH": "/usr/bin:/bin", "MINIMODEL_REQUIRE_TORCH": "1"}
        try:
            done = subprocess.run(command, cwd=work, env=env, capture_output=True, timeout=timeout)
        except subprocess.TimeoutExpired:
            return "killed (timeout)"
        return "survived" if done.returncode == 0 else "killed"


def find_again(recorded: dict, package: Path) -> tuple[Path, int, str] | None:
    """A recorded mutant's site in a changed package: same file, kind and code, nearest line."""
    path = package / Path(recorded["path"]).relative_to("minimodel")
    if not path.is_file():
        return None
    tree = ast.parse(path.read_text())
    matches = [
        (abs(getattr(node, "lineno", 0) - recorded["line"]), index)
        for index, (node, kind) in enumerate(_sites(tree))
        if kind == recorded["kind"] and ast.unparse(node)[:120] == recorded["before"]
    ]
    return (path, min(matches)[1], recorded["kind"]) if matches else None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=60)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--timeout", type=float, default=600)
    parser.add_argument("--json", type=Path)
    parser.add_argument("--package", type=Path, default=ROOT / "minimodel")
    # To score changed tests (and package) on the mutants of an earlier run: its --json file.
    parser.add_argument("--same-as", type=Path)
    args = parser.parse_args()
    package = args.package.resolve()
    if run("", Mutant("", 0, "none", "", ""), args.timeout, package) != "survived":
        sys.exit("the tests fail on the package as it is: no mutant can be scored")
    if args.same_as:
        sites = [find_again(m, package) for m in json.loads(args.same_as.read_text())]
    else:
        sites = draw(args.count, args.seed, package)
    mutants = []
    for site in sites:
        if site is None:
            continue
        path, index, kind = site
        source, mutant = build(path, index, kind, package)
        if source == ast.unparse(ast.parse(path.read_text())):
            mutant.outcome = "unchanged"
        else:
            mutant.outcome = run(source, mutant, args.timeout, package)
        mutants.append(mutant)
        print(
            f"{mutant.outcome:16} {mutant.path}:{mutant.line} {mutant.kind}: "
            f"{mutant.before!r} -> {mutant.after!r}",
            flush=True,
        )
    killed = sum(m.outcome.startswith("killed") for m in mutants)
    tried = sum(m.outcome != "unchanged" for m in mutants)
    print(f"killed {killed} of {tried} mutants")
    if args.json:
        args.json.write_text(json.dumps([asdict(m) for m in mutants], indent=1))


if __name__ == "__main__":
    main()
