"""(d) The book: the wall-clock time of a strict build of the whole site and of the doc tests.

These have no PyTorch or NumPy counterpart; they are timed as a reader or CI runs them. The site is
built into a temporary folder so that the checkout's ``site/`` is left alone.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path
from time import perf_counter


def _commands(site_dir: str) -> dict[str, list[str]]:
    python = [sys.executable, "-m"]
    return {
        # Strict and never -q: `mkdocs build -q --strict` exits 0 when a block raises.
        "(d) mkdocs build --strict (whole site)": [
            *python,
            "mkdocs",
            "build",
            "--strict",
            "-d",
            site_dir,
        ],
        "(d) pytest docs (doc tests)": [*python, "pytest", "docs", "-q", "-p", "no:cacheprovider"],
    }


def time_docs(repo: Path, env: dict[str, str], repeats: int) -> list[dict]:
    """Run each command ``repeats`` times; one dict per command with its times and status."""
    env = {**env, "NO_MKDOCS_2_WARNING": "1"}
    results = []
    with tempfile.TemporaryDirectory(prefix="bench-site-") as tmp:
        for title, command in _commands(os.path.join(tmp, "site")).items():
            seconds, failure = [], None
            for _ in range(repeats):
                start = perf_counter()
                done = subprocess.run(
                    command, cwd=repo, env=env, capture_output=True, text=True, check=False
                )
                seconds.append(perf_counter() - start)
                if done.returncode != 0:
                    tail = (done.stdout + done.stderr).strip().splitlines()[-15:]
                    failure = f"exit {done.returncode}:\n" + "\n".join(tail)
                    break
            shown = "python " + " ".join(command[1:]).replace(tmp, "<tmp>")
            results.append(
                {"title": title, "command": shown, "seconds": seconds, "failure": failure}
            )
    return results
