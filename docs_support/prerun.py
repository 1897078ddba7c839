"""Run the blocks of the other languages' pages in a second process, while the first builds.

A full build runs every block of both languages, and both languages run the same code (the
pages' Python is identical; only comments and strings differ), one language after the other:
most of a full build's time. mkdocs-static-i18n builds the Spanish pages only once the English
build is over, in the same process, so the second core of the machine sat idle. At the start of
a full build (:func:`start`), a forked process runs the blocks of every page of the other
languages, page by page, with the same runner as the build (:mod:`docs_support.blocks`: each
page starts clean), and sends back what each block printed. When the build reaches such a page,
its blocks print those outputs (:func:`take`), and the page is recorded as if it had run there.

Every block still runs once per build; only where changes. A page whose block raised in the
second process is run again in the build, which reports the error with page and line as
always. With one core, or under ``mkdocs serve`` (which runs changed pages only), nothing is
started.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
from pathlib import Path

# The running process and the end of the pipe it answers on, and the pages it runs.
_worker: dict = {}
# Page name -> what its blocks printed (fence line -> output), as the second process sent them.
_outputs: dict[str, dict[int, str]] = {}


def _cores() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()


def start(pages: list[Path], root: Path) -> None:
    """Start running the blocks of ``pages`` (files of the repository ``root``) in a forked
    process, if the machine has a core to spare."""
    stop()
    if not pages or _cores() < 2 or "fork" not in multiprocessing.get_all_start_methods():
        return
    # The plots' module imports matplotlib (0.3-0.4 s of CPU): imported before the fork, it is
    # imported once for both processes instead of once in each (the pages themselves import
    # minimodel afresh, docs_support/fresh_imports.py, so it is not worth importing here).
    import docs_support.plots  # noqa: F401

    context = multiprocessing.get_context("fork")
    receive, send = context.Pipe(duplex=False)
    process = context.Process(target=_run, args=(pages, root, send), daemon=True)
    process.start()
    send.close()
    names = {page.resolve().relative_to(root.resolve()).as_posix() for page in pages}
    _worker.update(process=process, receive=receive, names=names)


def _run(pages: list[Path], root: Path, send) -> None:
    from docs_support import blocks

    blocks.Settings.record = blocks.Settings.reuse = False  # the build records, not this process
    done: dict[str, dict[int, str]] = {}
    for path in pages:
        page = blocks.start_page(path, root)
        try:
            for fence in page.fences:
                if fence.executed:
                    page.run(fence)
        except blocks.ExecutionError:
            continue  # the build runs this page again and reports the error
        if page.complete:
            done[page.name] = dict(page.outputs)
    blocks.end_page()
    send.send(done)
    send.close()


def take(name: str) -> dict[int, str] | None:
    """What the blocks of page ``name`` printed in the second process, or None if it did not
    run them all (then the build runs them). Waits for the process the first time it is asked
    about one of its pages."""
    if name in _worker.get("names", ()):
        _collect()
    return _outputs.pop(name, None)


def _collect() -> None:
    process, receive = _worker.pop("process"), _worker.pop("receive")
    _worker.clear()
    # EOFError: the process died; the build runs its pages.
    with contextlib.suppress(EOFError):
        _outputs.update(receive.recv())
    receive.close()
    process.join()


def stop() -> None:
    """End the second process, if any, and forget what it sent (a failed or new build)."""
    process = _worker.get("process")
    if process is not None:
        process.kill()
        process.join()
        _worker["receive"].close()
    _worker.clear()
    _outputs.clear()
