"""Chapter 04's drill: the minimodel training script ported to PyTorch."""

from __future__ import annotations

import ast
import functools
import re
from pathlib import Path
from typing import Any

from ._core import Wrong, run_reader, says
from .scripts import run_script

# The book's script (chapter 04, drill_minimodel.py): what a port must print, number for number.
DRILL_MINIMODEL = """\
import numpy as np

from minimodel import Generator, from_numpy, manual_seed, nn, no_grad, optim
from minimodel.datasets import grammar_grid_tensors
from minimodel.utils.data import DataLoader, TensorDataset

manual_seed(0)  # the dropout masks
X, Y = (from_numpy(t.numpy()) for t in grammar_grid_tensors())
shuffler = Generator().manual_seed(0)
loader = DataLoader(TensorDataset(X, Y), batch_size=16, shuffle=True, generator=shuffler)

model = nn.Sequential(nn.Linear(23, 32), nn.ReLU(), nn.Dropout(p=0.2), nn.Linear(32, 5))
rng = np.random.default_rng(0)  # the same starting weights in both libraries
with no_grad():
    for layer in (model[0], model[3]):
        bound = 1 / layer.in_features**0.5
        for p in (layer.weight, layer.bias):
            p.copy_(from_numpy(rng.uniform(-bound, bound, tuple(p.shape))))

loss_fn = nn.BCEWithLogitsLoss()
optimizer = optim.AdamW(model.parameters(), lr=0.02, weight_decay=0.01)
scheduler = optim.lr_scheduler.StepLR(optimizer, step_size=10, gamma=0.5)


def evaluate():
    model.eval()  # dropout off: every hidden unit counts
    with no_grad():
        logits = model(X)
    model.train()  # back to training mode, dropout on
    accuracy = ((logits > 0).float() == Y).float().mean().item()
    return f"loss {loss_fn(logits, Y).item():.6f}, accuracy {accuracy:.1%}"


print(f"batches per epoch: {[len(x) for x, y in loader]}")
print(f"before training: {evaluate()}")
for epoch in range(1, 31):
    for x, y in loader:
        optimizer.zero_grad()
        loss = loss_fn(model(x), y)
        loss.backward()
        optimizer.step()
    scheduler.step()
    if epoch % 10 == 0:
        print(f"epoch {epoch}: lr {scheduler.get_last_lr()[0]:.4f}, {evaluate()}")
"""
# Both libraries draw shuffles and dropout masks from their own generators; with these changes
# neither draws, and the two scripts must print the same numbers.
NO_DRAWS = {"shuffle=True": "shuffle=False", "p=0.2": "p=0.0"}
_NUMBER = re.compile(r"[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?")


def _numbers(line: str) -> list[float]:
    return [float(number) for number in _NUMBER.findall(line)]


def _close(a: list[float], b: list[float]) -> bool:
    return len(a) == len(b) and all(
        abs(x - y) <= 1e-5 + 1e-4 * abs(y) for x, y in zip(a, b, strict=True)
    )


def _code(thing: Any) -> tuple[str, str]:
    """The reader's script and its file name, from a path or from the code itself."""
    if isinstance(thing, str) and "\n" in thing:
        return thing, "drill_torch.py"
    if not isinstance(thing, (str, Path)):
        raise Wrong(
            f"expected the path of your script, or its code as a str, but got "
            f"{type(thing).__name__}",
            f"se esperaba la ruta de tu script, o su código como str, pero se recibió "
            f"{type(thing).__name__}",
        )
    path = Path(thing)
    if not path.is_file():
        raise Wrong(f"there is no file at {path}", f"no hay ningún archivo en {path}")
    return path.read_text(encoding="utf-8"), path.name


def _minimodel_imports(code: str, filename: str) -> None:
    """Refuse a port that still imports from minimodel, beyond the grammar grid's data."""
    try:
        tree = ast.parse(code)
    except SyntaxError as error:
        raise Wrong(
            f"{filename} is not valid Python: {error}", f"{filename} no es Python válido: {error}"
        ) from error
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module is not None:
            modules = [node.module]
        elif isinstance(node, ast.Import):
            modules = [alias.name for alias in node.names]
        else:
            continue
        for module in modules:
            if module.split(".")[0] == "minimodel" and module != "minimodel.datasets":
                torch_module = module.replace("minimodel", "torch", 1)
                raise Wrong(
                    f"line {node.lineno} of {filename} still imports from {module}: the port "
                    f"takes it from {torch_module} (only the data, minimodel.datasets, stays)",
                    f"la línea {node.lineno} de {filename} todavía importa de {module}: la "
                    f"versión para PyTorch lo toma de {torch_module} (solo los datos, "
                    f"minimodel.datasets, se quedan)",
                )


def _variant(code: str, filename: str) -> str:
    for old, new in NO_DRAWS.items():
        if code.count(old) != 1:
            raise Wrong(
                f"the check turns the random draws off by replacing {old} with {new}, but "
                f"{filename} holds {old} {code.count(old)} times: keep it written once, as in "
                f"the minimodel script",
                f"la comprobación quita los sorteos cambiando {old} por {new}, "
                f"pero {filename} contiene {old} {code.count(old)} veces: escríbelo una vez, "
                f"como en el script de minimodel",
            )
        code = code.replace(old, new)
    return code


def _same_numbers(theirs: str, reference: str, filename: str, draws: bool) -> None:
    """Compare what the port printed with what the minimodel script printed, line by line."""
    got, expected = theirs.splitlines(), reference.splitlines()
    if len(got) != len(expected):
        raise Wrong(
            f"{filename} prints {len(got)} lines, the minimodel script {len(expected)}: "
            f"keep every print of the script",
            f"{filename} imprime {len(got)} líneas y el script de minimodel {len(expected)}: "
            f"conserva todos los print del script",
        )
    for number, (line, want) in enumerate(zip(got, expected, strict=True), start=1):
        ours, wanted = _numbers(line), _numbers(want)
        if number <= 2:  # no random draw yet: the same numbers, to the last digit
            cause, same = ("batches", "start")[number - 1], ours == wanted
        elif draws:  # the draws differ: only the epoch and its learning rate must agree
            cause, same = "rates", ours[:2] == wanted[:2]
        else:
            cause, same = "training", _close(ours, wanted)
        if not same:
            when_en = "" if draws else " with shuffle=False and p=0.0 (no random draws)"
            when_es = "" if draws else " con shuffle=False y p=0.0 (sin sorteos)"
            raise Wrong(
                f"line {number} of what {filename} prints{when_en} is {line!r}, where the "
                f"minimodel script prints {want!r}: {_CAUSES[cause][0]}",
                f"la línea {number} de lo que imprime {filename}{when_es} es {line!r}, donde el "
                f"script de minimodel imprime {want!r}: {_CAUSES[cause][1]}",
            )


_CAUSES = {
    "batches": (
        "the DataLoader makes other minibatches (batch_size=16 over the 60 rows)",
        "el DataLoader forma otros minilotes (batch_size=16 sobre las 60 filas)",
    ),
    "start": (
        "the starting weights, the loss, or evaluate() differ (evaluate() turns dropout off "
        "with model.eval() before it computes the loss)",
        "los pesos iniciales, la pérdida o evaluate() son distintos (evaluate() apaga el "
        "dropout con model.eval() antes de calcular la pérdida)",
    ),
    "rates": (
        "the epoch or its learning rate differs: call scheduler.step() once per epoch, after "
        "the epoch's batches",
        "la época o su tasa de aprendizaje es distinta: llama a scheduler.step() una vez por "
        "época, después de sus lotes",
    ),
    "training": (
        "the training itself differs (the loss, the optimizer and its options, "
        "optimizer.zero_grad() before each backward())",
        "el entrenamiento mismo es distinto (la pérdida, el optimizador y sus opciones, "
        "optimizer.zero_grad() antes de cada backward())",
    ),
}


@functools.cache
def _reference() -> tuple[str, str]:
    """What the minimodel script prints, with and without its random draws (seeded: the same at
    every call, so computed once)."""
    printed, _ = run_script(DRILL_MINIMODEL, "drill_minimodel.py")
    fixed, _ = run_script(_variant(DRILL_MINIMODEL, "drill_minimodel.py"), "drill_minimodel.py")
    return printed, fixed


def check_drill(thing: Any) -> dict[str, str]:
    """The reader's PyTorch port of ``drill_minimodel.py`` prints what the script prints."""
    code, filename = _code(thing)
    _minimodel_imports(code, filename)
    try:
        import torch
    except ImportError as error:
        raise Wrong(
            "this check runs your port with PyTorch, which is not installed here: "
            "pip install torch",
            "esta comprobación ejecuta tu versión con PyTorch, que no está instalado aquí: "
            "pip install torch",
        ) from error
    reference, reference_fixed = _reference()
    fixed = _variant(code, filename)
    with torch.random.fork_rng():
        printed, script = run_reader(filename, filename, lambda: run_script(code, filename))
        _same_numbers(printed, reference, filename, draws=True)
        model = getattr(script, "model", None)
        if not isinstance(model, torch.nn.Module):
            raise Wrong(
                f"{filename} leaves no PyTorch module named model (got {type(model).__name__})",
                f"{filename} no deja ningún módulo de PyTorch llamado model (se obtuvo "
                f"{type(model).__name__})",
            )
        if not model.training:
            raise Wrong(
                f"after {filename} runs, model is in evaluation mode: evaluate() must call "
                f"model.train() after it, or dropout stays off for the rest of the training",
                f"después de ejecutar {filename}, model está en modo de evaluación: evaluate() "
                f"debe llamar a model.train() al terminar, o el dropout queda apagado el resto "
                f"del entrenamiento",
            )
        printed, _ = run_reader(filename, filename, lambda: run_script(fixed, filename))
        _same_numbers(printed, reference_fixed, filename, draws=False)
    return says(
        f"{filename} runs on PyTorch and prints the minimodel script's batches, starting loss "
        f"and learning rates; without random draws, the same numbers on every line.",
        f"{filename} se ejecuta con PyTorch e imprime los lotes, la pérdida inicial y las tasas "
        f"de aprendizaje del script de minimodel; sin sorteos, los mismos "
        f"números en cada línea.",
    )
