"""The pieces of ``scripts/bench.py``: minimodel against PyTorch and a hand-written NumPy floor.

- :mod:`benchmarks.workloads`: what is run (sizes, steps) and the shared initial weights and data.
- :mod:`benchmarks.framework`: the training loops, written once for any library with PyTorch's API
  (``torch`` and ``minimodel`` both run the very same code).
- :mod:`benchmarks.floor`: the same loops as plain NumPy forward and backward passes.
- :mod:`benchmarks.worker`: the process that runs one implementation, driven over a pipe.
- :mod:`benchmarks.docs`: the times of the strict site build and of the doc tests.
- :mod:`benchmarks.report`: statistics, agreement of the loss curves, the printed table.
"""
