"""One implementation in a process of its own: ``python -m benchmarks.worker IMPL DATA THREADS``.

A process per implementation keeps imports, BLAS thread pools and allocator state from leaking
between them. ``scripts/bench.py`` drives the worker over its standard input and output, one JSON
object a line: the worker first announces its settings (``{"info": ...}``), then answers every
request ``{"workload": NAME, "steps": N}`` with ``{"losses": [...], "seconds": S}``.
"""

from __future__ import annotations

import json
import os
import sys
from typing import Any

IMPLS = ("numpy", "torch", "minimodel")
ENV_VARS = (
    "OPENBLAS_CORETYPE",
    "OPENBLAS_L2_SIZE",
    "OPENBLAS_NUM_THREADS",
    "OMP_NUM_THREADS",
    "MKL_NUM_THREADS",
)


def _runner(impl: str, threads: int):
    """A function ``(workload, data, steps) -> (losses, seconds)`` and the library's info."""
    info: dict[str, Any] = {"impl": impl}
    if impl == "numpy":
        from . import floor

        return (lambda name, data, steps: floor.WORKLOADS[name](data, steps)), info
    if impl == "torch":
        import torch

        torch.set_num_threads(threads)
        lib = torch
        info["torch_num_threads"] = torch.get_num_threads()
        # torch links its BLAS in statically, where threadpoolctl does not see it.
        info["torch_blas"] = "MKL" if torch.backends.mkl.is_available() else "not MKL"
    else:
        import minimodel

        lib = minimodel
    info["version"] = lib.__version__
    info["module"] = os.path.dirname(lib.__file__)
    from . import framework

    return (lambda name, data, steps: framework.WORKLOADS[name](lib, data, steps)), info


def _blas_info() -> list[dict[str, Any]]:
    try:
        from threadpoolctl import threadpool_info
    except ImportError:
        return []
    keys = ("user_api", "internal_api", "version", "architecture", "num_threads", "prefix")
    return [{k: pool.get(k) for k in keys} for pool in threadpool_info()]


def main(argv: list[str]) -> None:
    impl, data_path, threads = argv[0], argv[1], int(argv[2])
    # The protocol owns the real stdout; anything a library prints goes to stderr instead.
    protocol = os.fdopen(os.dup(1), "w", buffering=1)
    os.dup2(2, 1)
    sys.stdout = sys.stderr

    import numpy as np

    from .workloads import inputs_of

    run, info = _runner(impl, threads)
    arrays = dict(np.load(data_path))
    info["numpy"] = np.__version__
    info["blas"] = _blas_info()
    info["env"] = {name: os.environ.get(name) for name in ENV_VARS}
    protocol.write(json.dumps({"info": info}) + "\n")
    for line in sys.stdin:
        request = json.loads(line)
        name = request["workload"]
        losses, seconds = run(name, inputs_of(arrays, name), request["steps"])
        protocol.write(json.dumps({"losses": losses, "seconds": seconds}) + "\n")


if __name__ == "__main__":
    main(sys.argv[1:])
