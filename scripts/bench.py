"""Benchmark minimodel against PyTorch and against hand-written NumPy (the floor), and the book.

    python scripts/bench.py                 # the full run (a few minutes)
    python scripts/bench.py --quick --skip-docs --json out.json   # the smoke test's run

Each implementation runs in a process of its own (``benchmarks/worker.py``) on the same initial
weights and data, drawn once here with NumPy. The repetitions are interleaved (every round runs
each workload on each implementation, in a rotating order), so a slow spell of the machine hits
all of them alike. The script prints a Markdown table of the median time per step, the ratios,
how noisy the numbers were, and the BLAS and thread settings; it exits with status 1 if the loss
curves disagree (or a docs command fails).

BLAS: ``--threads`` (default 1) goes to OPENBLAS_NUM_THREADS, OMP_NUM_THREADS and MKL_NUM_THREADS
of the workers and to ``torch.set_num_threads``. Some machines here set OPENBLAS_CORETYPE (and
OPENBLAS_L2_SIZE) for older OpenBLAS builds, which slows a current NumPy; the workers run without
both unless ``--keep-openblas-coretype``, and the report names the kernel each one ran.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np

SCRIPTS = Path(__file__).resolve().parent
REPO = SCRIPTS.parent
sys.path[:0] = [str(REPO), str(SCRIPTS)]  # this checkout's minimodel, and the benchmarks package

from benchmarks import report  # noqa: E402
from benchmarks.docs import ratios, time_docs  # noqa: E402
from benchmarks.workloads import ATOL, RTOL, WORKLOADS, make_inputs  # noqa: E402

CORETYPE_VARS = ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE")


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="tiny step counts, 2 repetitions")
    parser.add_argument("--skip-docs", action="store_true", help="leave out (d), the book")
    parser.add_argument("--json", metavar="PATH", help="also write the results to PATH")
    parser.add_argument("--repeats", type=int, help="repetitions per workload (default 7)")
    parser.add_argument("--docs-repeats", type=int, help="repetitions of (d) (default 3)")
    parser.add_argument("--threads", type=int, default=1, help="BLAS/torch threads (default 1)")
    parser.add_argument("--seed", type=int, default=0, help="seed of the initial weights")
    parser.add_argument(
        "--keep-openblas-coretype",
        action="store_true",
        help="pass OPENBLAS_CORETYPE/OPENBLAS_L2_SIZE on to the workers instead of unsetting them",
    )
    args = parser.parse_args(argv)
    if args.repeats is None:
        args.repeats = 2 if args.quick else 7
    if args.docs_repeats is None:
        args.docs_repeats = 1 if args.quick else 3
    return args


def worker_env(args: argparse.Namespace) -> dict[str, str]:
    env = dict(os.environ)
    if not args.keep_openblas_coretype:
        for name in CORETYPE_VARS:
            env.pop(name, None)
    for name in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
        env[name] = str(args.threads)
    env["PYTHONPATH"] = os.pathsep.join(
        [str(REPO), str(SCRIPTS), *filter(None, [os.environ.get("PYTHONPATH")])]
    )
    return env


class Worker:
    """A running ``benchmarks.worker`` process for one implementation."""

    def __init__(self, impl: str, data_path: str, threads: int, env: dict[str, str]) -> None:
        self.impl = impl
        command = [sys.executable, "-m", "benchmarks.worker", impl, data_path, str(threads)]
        self.process = subprocess.Popen(
            command, cwd=REPO, env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
        )
        self.info = self._receive()["info"]

    def _receive(self) -> dict[str, Any]:
        line = self.process.stdout.readline()
        if not line:
            code = self.process.wait()
            raise RuntimeError(f"the {self.impl} worker exited ({code}); see its stderr above")
        return json.loads(line)

    def run(self, workload: str, steps: int) -> dict[str, Any]:
        self.process.stdin.write(json.dumps({"workload": workload, "steps": steps}) + "\n")
        self.process.stdin.flush()
        return self._receive()

    def close(self) -> None:
        self.process.stdin.close()
        self.process.wait()


def cpu_model() -> str:
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def git_revision() -> str:
    """The commit, and whether minimodel/ differs from it (other files do not matter here)."""

    def git(*args: str) -> str:
        done = subprocess.run(["git", *args], cwd=REPO, capture_output=True, text=True)
        return done.stdout.strip()

    commit = git("rev-parse", "--short", "HEAD") or "unknown"
    return commit + (" + uncommitted changes" if git("status", "--porcelain", "minimodel") else "")


def run_workloads(args: argparse.Namespace, impls: list[str], env: dict[str, str]) -> dict:
    """Time every workload on every implementation; the losses of the last repetition."""
    with tempfile.TemporaryDirectory(prefix="bench-") as tmp:
        data_path = os.path.join(tmp, "inputs.npz")
        np.savez(data_path, **make_inputs(args.seed))
        workers = [Worker(impl, data_path, args.threads, env) for impl in impls]
        try:
            for worker in workers:  # warm-up: imports, caches, first-call costs
                for w in WORKLOADS:
                    worker.run(w.name, w.quick_steps)
            times: dict[str, dict[str, list[float]]] = {w.name: {} for w in WORKLOADS}
            losses: dict[str, dict[str, list[float]]] = {w.name: {} for w in WORKLOADS}
            for round_ in range(args.repeats):
                for w in WORKLOADS:
                    steps = w.quick_steps if args.quick else w.steps
                    shift = round_ % len(workers)
                    for worker in workers[shift:] + workers[:shift]:
                        answer = worker.run(w.name, steps)
                        times[w.name].setdefault(worker.impl, []).append(answer["seconds"] / steps)
                        losses[w.name][worker.impl] = answer["losses"]
        finally:
            for worker in workers:
                worker.close()
    return {"times": times, "losses": losses, "info": {w.impl: w.info for w in workers}}


def check_agreement(losses: dict[str, dict[str, list[float]]]) -> dict[str, dict[str, Any]]:
    """Each framework's loss curve against the NumPy floor's, per workload."""
    return {
        workload: {
            impl: report.compare_curves(curve, curves["numpy"])
            for impl, curve in curves.items()
            if impl != "numpy"
        }
        for workload, curves in losses.items()
    }


def settings_text(args: argparse.Namespace, info: dict[str, dict], env: dict[str, str]) -> str:
    lines = [
        f"- machine: {cpu_model()}, {os.cpu_count()} logical CPUs, Linux {platform.release()}, "
        f"load average at start {os.getloadavg()[0]:.2f}",
        f"- Python {platform.python_version()}, NumPy {np.__version__}, minimodel at "
        f"{git_revision()}",
        f"- threads: {args.threads} (OPENBLAS_NUM_THREADS = OMP_NUM_THREADS = MKL_NUM_THREADS = "
        f"{args.threads} in every worker)",
    ]
    parent = {name: os.environ.get(name) for name in CORETYPE_VARS}
    if any(parent.values()):
        what = "kept" if args.keep_openblas_coretype else "unset in the workers"
        lines.append(f"- OPENBLAS_CORETYPE/L2_SIZE in this shell: {parent}; {what}")
    else:
        lines.append("- OPENBLAS_CORETYPE/L2_SIZE: not set in this shell")
    for impl, i in info.items():
        pools = ", ".join(
            f"{p['internal_api']} {p['version']} (kernel {p['architecture']}), "
            f"{p['num_threads']} thread(s)"
            if p["user_api"] == "blas"
            else f"{p['internal_api']} {p['num_threads']} thread(s)"
            for p in i["blas"]
        )
        extra = ""
        if impl == "torch":
            extra = (
                f"; torch {i['version']} (its own BLAS: {i['torch_blas']}), "
                f"torch.get_num_threads() = {i['torch_num_threads']}"
            )
        lines.append(
            f"- {report.NAMES[impl]} worker: {pools or 'threadpoolctl not installed'}{extra}; "
            f"OPENBLAS_CORETYPE={i['env']['OPENBLAS_CORETYPE']}"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    started = time.perf_counter()
    env = worker_env(args)
    impls = ["numpy", "minimodel"]
    if importlib.util.find_spec("torch") is not None:
        impls.insert(1, "torch")
    else:
        print("PyTorch is not installed: its column stays empty.")
    runs = run_workloads(args, impls, env)
    agreement = check_agreement(runs["losses"])

    rows = []
    for w in WORKLOADS:
        steps = w.quick_steps if args.quick else w.steps
        stats = {impl: report.summarize(t) for impl, t in runs["times"][w.name].items()}
        runs_text = f"{steps} {w.unit}{'es' if w.unit.endswith('s') else 's'} × {args.repeats}"
        rows.append({"title": w.title, "runs": runs_text, "stats": stats, "per": w.unit})
    docs = [] if args.skip_docs else time_docs(REPO, env, args.docs_repeats)
    for d in docs:
        rows.append(
            {
                "title": d["title"],
                "runs": f"{len(d['seconds'])} × {d.get('unit', 'whole')}",
                "stats": {"minimodel": report.summarize(d["seconds"])},
            }
        )

    command = "python scripts/bench.py" + "".join(f" {a}" for a in (argv or sys.argv[1:]))
    failed = print_report(command, rows, agreement, docs)
    print("\nSettings:\n" + settings_text(args, runs["info"], env))
    print(f"\nWhole run: {time.perf_counter() - started:.0f} s.{' FAILED.' if failed else ''}")
    if args.json:
        result = {
            "command": command,
            "quick": args.quick,
            "repeats": args.repeats,
            "threads": args.threads,
            "steps": {w.name: w.quick_steps if args.quick else w.steps for w in WORKLOADS},
            "tolerance": {"atol": ATOL, "rtol": RTOL},
            "rows": rows,
            "agreement": agreement,
            "losses": runs["losses"],
            "workers": runs["info"],
            "docs": docs,
            "cpu": cpu_model(),
            "revision": git_revision(),
            "ok": not failed,
        }
        Path(args.json).write_text(json.dumps(result, indent=1) + "\n", encoding="utf-8")
    return 1 if failed else 0


def print_report(command: str, rows: list[dict], agreement: dict, docs: list[dict]) -> bool:
    """Print the table, the noise and the agreement of the curves; True if anything failed."""
    print(f"\n## minimodel benchmarks ({command})\n")
    print(report.table(rows))
    print(
        "\nTime per step (per forward+backward pass for (c); per whole run for (d)): the median "
        "over the repetitions, in parentheses the interquartile range as a share of the median. "
        "Ratios are of medians; below 1 means minimodel is faster.\n"
    )
    print(report.noise_summary(rows) + "\n")
    failed = False
    print(f"Loss curves against the NumPy floor (|d| <= {ATOL:g} + {RTOL:g}·|x| at every step):")
    for workload, by_impl in agreement.items():
        for impl, c in by_impl.items():
            if c["ok"]:
                verdict = f"agree (max |d| {c['max_abs_diff']:.1e}, rel {c['max_rel_diff']:.1e})"
            else:
                failed = True
                verdict = f"DISAGREE: {c.get('why') or 'first at step ' + str(c['first_bad_step'])}"
                verdict += f"; first loss {c.get('first')}, last {c.get('last')}"
            print(f"- {workload}: {report.NAMES[impl]} {verdict}")
    if docs and ratios(docs):
        print(ratios(docs))
    for d in docs:
        if d["failure"]:
            failed = True
            print(f"- FAILED: {d['command']}: {d['failure']}")
    return failed


if __name__ == "__main__":
    sys.exit(main())
