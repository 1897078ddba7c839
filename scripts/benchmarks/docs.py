"""(d) The book: a strict build, the same build without running the blocks, a one-page rebuild
under ``mkdocs serve``, and the doc tests.

These have no PyTorch or NumPy counterpart; they are timed as a writer or CI runs them, wall
clock. The builds and the server work on a copy of the project in a temporary folder (its
record of outputs starts empty, so every full build runs every block), so that the checkout's
pages, ``site/`` and ``.cache/`` are left alone. The doc tests run in the checkout.

The one-page rebuild appends a line to :data:`EDITED_PAGE` while ``mkdocs serve`` runs, as a
writer saving the page, and reads how long MkDocs says the rebuild took; the server's log must
say that the blocks of that one page ran, and no other.
"""

from __future__ import annotations

import os
import queue
import re
import resource
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
from pathlib import Path
from statistics import median
from time import perf_counter

# What a build reads: copied to the temporary project.
# pyproject.toml: the build writes the wheel of the package (docs_support/wheel.py) from it.
PROJECT_FILES = ("mkdocs.yml", "pyproject.toml", "docs", "docs_support", "overrides", "minimodel")
EDITED_PAGE = "docs/en/01-parameter-and-module.md"
FULL = "(d) mkdocs build --strict (whole site)"
WITHOUT_BLOCKS = "(d) the same build, blocks not run"
REBUILD = "(d) one-page rebuild under mkdocs serve"
DOC_TESTS = "(d) pytest docs (doc tests)"
_BUILT = re.compile(r"Documentation built in ([\d.]+) seconds")
# Logged by the book's hooks at the end of every build (docs_support/mkdocs_hooks.py).
_CPU = re.compile(r"Built in ([\d.]+) seconds of CPU")
_RAN = re.compile(r"Blocks run on (\d+) pages")
# Seconds to wait for the server's first build, and for each rebuild.
_TIMEOUT = 600


def _copy_project(repo: Path, destination: Path) -> Path:
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
    destination.mkdir(parents=True)
    for name in PROJECT_FILES:
        source = repo / name
        if source.is_dir():
            shutil.copytree(source, destination / name, ignore=ignore)
        else:
            shutil.copy2(source, destination / name)
    return destination


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _timed(command: list[str], cwd: Path, env: dict[str, str], repeats: int) -> dict:
    """Wall-clock and CPU seconds (of the command's processes) of each run."""
    seconds, cpu, failure = [], [], None
    for _ in range(repeats):
        start, start_cpu = perf_counter(), _children_cpu()
        done = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True)
        seconds.append(perf_counter() - start)
        cpu.append(_children_cpu() - start_cpu)
        if done.returncode != 0:
            tail = (done.stdout + done.stderr).strip().splitlines()[-15:]
            failure = f"exit {done.returncode}:\n" + "\n".join(tail)
            break
    return {"seconds": seconds, "cpu_seconds": cpu, "failure": failure}


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _serve_rebuilds(project: Path, env: dict[str, str], repeats: int) -> dict:
    """Start ``mkdocs serve``; save :data:`EDITED_PAGE` ``repeats`` times; MkDocs' own timing of
    each rebuild."""
    address = f"127.0.0.1:{_free_port()}"
    server = subprocess.Popen(
        [sys.executable, "-m", "mkdocs", "serve", "-a", address],
        cwd=project,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    lines: queue.Queue[str] = queue.Queue()
    threading.Thread(
        target=lambda: [lines.put(line) for line in server.stderr], daemon=True
    ).start()

    def next_line() -> str:
        # A server that died logs nothing more: say so at once instead of waiting _TIMEOUT.
        for _ in range(_TIMEOUT):
            try:
                return lines.get(timeout=1)
            except queue.Empty:
                if server.poll() is not None and lines.empty():
                    raise RuntimeError(f"mkdocs serve exited with {server.returncode}") from None
        raise queue.Empty

    def next_build() -> tuple[float, float, list[int]]:
        ran, cpu = [], None
        while True:
            line = next_line()
            ran += [int(n) for n in _RAN.findall(line)]
            if found := _CPU.search(line):
                cpu = float(found[1])
            if found := _BUILT.search(line):  # MkDocs logs it last
                return float(found[1]), cpu, ran

    def watching() -> None:
        # MkDocs watches the files only after its first build: an edit made before is missed.
        while "Serving on" not in next_line():
            pass

    seconds, cpu, failure = [], [], None
    try:
        next_build()  # the first build, from an empty record: every block runs
        watching()
        page = project / EDITED_PAGE
        for repeat in range(repeats):
            with page.open("a", encoding="utf-8") as text:
                text.write(f"\nSaved by the benchmark ({repeat}).\n")
            took, took_cpu, ran = next_build()
            seconds.append(took)
            cpu.append(took_cpu)
            if sorted(ran) != [0, 1]:  # the edited page's language, and the other one
                failure = f"pages whose blocks ran, per language: {ran}, not [1, 0]"
                break
    except queue.Empty:
        failure = f"no rebuild logged within {_TIMEOUT} s"
    except RuntimeError as error:
        failure = str(error)
    finally:
        server.terminate()
        server.wait(timeout=30)
    return {"seconds": seconds, "cpu_seconds": cpu, "failure": failure}


def time_docs(repo: Path, env: dict[str, str], repeats: int) -> list[dict]:
    """Time each docs command ``repeats`` times; one dict per command with its times and status."""
    env = {**env, "NO_MKDOCS_2_WARNING": "1"}
    python = [sys.executable, "-m"]
    results = []
    with tempfile.TemporaryDirectory(prefix="bench-docs-") as tmp:
        project = _copy_project(repo, Path(tmp) / "project")
        build = [*python, "mkdocs", "build", "--strict", "-d", os.path.join(tmp, "site")]
        skip = {**env, "MINIMODEL_BOOK_SKIP_EXECUTION_FOR_TIMING": "1"}
        shown = "python -m mkdocs build --strict"
        # The two builds alternate, so that a slow spell of the machine hits both alike.
        full, without = ({"seconds": [], "cpu_seconds": [], "failure": None} for _ in "12")
        for _ in range(repeats):
            for run, run_env in ((full, env), (without, skip)):
                once = _timed(build, project, run_env, 1)
                run["seconds"] += once["seconds"]
                run["cpu_seconds"] += once["cpu_seconds"]
                run["failure"] = run["failure"] or once["failure"]
        results.append({"title": FULL, "command": shown, **full})
        results.append(
            {
                "title": WITHOUT_BLOCKS,
                "command": f"MINIMODEL_BOOK_SKIP_EXECUTION_FOR_TIMING=1 {shown}",
                **without,
            }
        )
        results.append(
            {
                "title": REBUILD,
                "command": f"python -m mkdocs serve, then {EDITED_PAGE} saved",
                "unit": "one page",
                **_serve_rebuilds(project, env, repeats),
            }
        )
    doc_tests = [*python, "pytest", "docs", "-q", "-p", "no:cacheprovider"]
    results.append(
        {
            "title": DOC_TESTS,
            "command": "python -m pytest docs -q -p no:cacheprovider",
            **_timed(doc_tests, repo, env, repeats),
        }
    )
    return results


def ratios(results: list[dict]) -> str:
    """The medians' ratios the issue sets goals for, of wall-clock and of CPU time: rebuild /
    full build (at most 1/4) and full build / build without blocks (at most 2)."""
    found = {r["title"]: r for r in results if r["seconds"]}
    if not {FULL, WITHOUT_BLOCKS, REBUILD} <= set(found):
        return ""
    lines = []
    for kind, key in (("wall clock", "seconds"), ("CPU", "cpu_seconds")):
        m = {title: median(r[key]) for title, r in found.items() if r.get(key)}
        lines.append(
            f"Book ({kind}, medians {m[FULL]:.2f} / {m[WITHOUT_BLOCKS]:.2f} / {m[REBUILD]:.2f} s): "
            f"one-page rebuild / full build = {m[REBUILD] / m[FULL]:.2f}; "
            f"full build / build without blocks = {m[FULL] / m[WITHOUT_BLOCKS]:.2f}."
        )
    return "\n".join(lines)
