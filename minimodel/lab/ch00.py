"""Chapter 00's exercises: ``zero_grad`` for the page's ``Module``, and layers kept in a list."""

from __future__ import annotations

import itertools
from functools import partial
from typing import Any

from .. import nn
from ..creation import randn
from ._core import Wrong, method, run_reader, says


def check_zero_grad(thing: Any) -> dict[str, str]:
    """The reader's ``zero_grad(self)`` sets every gradient to None, submodules included."""
    zero_grad = method(thing, "zero_grad")
    if not callable(zero_grad):
        raise Wrong(
            f"expected the function zero_grad(self), but got {type(zero_grad).__name__}",
            f"se esperaba la función zero_grad(self), pero se recibió {type(zero_grad).__name__}",
        )
    # Containers use the reader's zero_grad, so a recursion into submodules runs it again.
    probe = type("Probe", (nn.Module,), {"zero_grad": zero_grad})
    model = probe()
    model.fc1 = nn.Linear(4, 3)
    model.inner = probe()
    model.inner.fc2 = nn.Linear(3, 2)
    model.scale = nn.Parameter(randn(2))
    out = model.inner.fc2(model.fc1(randn(5, 4)).relu()) * model.scale
    out.sum().backward()
    run_reader("zero_grad(model)", "zero_grad(model)", lambda: zero_grad(model))
    params = list(model.named_parameters())
    kept = [(name, p) for name, p in params if p.grad is not None]
    zeroed = [name for name, p in kept if not p.grad.any()]
    if zeroed:
        raise Wrong(
            f"the gradient of {zeroed[0]} is a tensor of zeros after zero_grad(); the exercise "
            f"asks for None (param.grad = None), as PyTorch's zero_grad() does by default",
            f"el gradiente de {zeroed[0]} es un tensor de ceros tras zero_grad(); el ejercicio "
            f"pide None (param.grad = None), como hace por defecto zero_grad() en PyTorch",
        )
    if len(kept) == len(params):
        raise Wrong(
            "every parameter still has its gradient after zero_grad(): assign None to each "
            "parameter's .grad (assigning to the loop variable changes nothing)",
            "todos los parámetros conservan su gradiente tras zero_grad(): asigna None al .grad "
            "de cada parámetro (asignar a la variable del bucle no cambia nada)",
        )
    if kept:
        raise Wrong(
            f"{kept[0][0]} still has its gradient after zero_grad(): walk every parameter of "
            f"the module, submodules included (parameters() does the walking)",
            f"{kept[0][0]} conserva su gradiente tras zero_grad(): recorre todos los parámetros "
            f"del módulo, también los de los submódulos (parameters() ya hace el recorrido)",
        )
    return says(
        "Every gradient is None after zero_grad(), submodules included.",
        "Todos los gradientes son None tras zero_grad(), también los de los submódulos.",
    )


_SIZES = ([23, 16, 5], [3, 4, 5, 2])


def check_layers(thing: Any) -> dict[str, str]:
    """The reader's fixed ``ListMLP`` class registers every layer of its list."""
    if not isinstance(thing, type):
        raise Wrong(
            f"expected the fixed model class (called with sizes, like ListMLP), but got "
            f"{type(thing).__name__}",
            f"se esperaba la clase del modelo corregido (se llama con los tamaños, como ListMLP), "
            f"pero se recibió {type(thing).__name__}",
        )
    for sizes in _SIZES:
        model = run_reader(
            f"{thing.__name__}({sizes})",
            f"{thing.__name__}({sizes})",
            partial(thing, sizes),
        )
        params = list(model.named_parameters())
        shapes = sorted(tuple(p.shape) for _, p in params)
        layers = list(itertools.pairwise(sizes))
        expected = sorted([(b, a) for a, b in layers] + [(b,) for _, b in layers])
        if not params:
            raise Wrong(
                f"{thing.__name__}({sizes}).parameters() yields nothing: the layers are still in "
                f"a plain list, which Module does not look into",
                f"{thing.__name__}({sizes}).parameters() no produce nada: las capas siguen en una "
                f"lista normal, y Module no mira dentro de ella",
            )
        if shapes != expected:
            raise Wrong(
                f"{thing.__name__}({sizes}) registers parameters of shapes {shapes}, but its "
                f"{len(layers)} layers hold {expected}: register every layer of the list, once",
                f"{thing.__name__}({sizes}) registra parámetros de formas {shapes}, pero sus "
                f"{len(layers)} capas tienen {expected}: registra cada capa de la lista una vez",
            )
        x = randn(7, sizes[0])
        out = run_reader("model(x)", "model(x)", partial(model, x))
        if tuple(out.shape) != (7, sizes[-1]):
            raise Wrong(
                f"{thing.__name__}({sizes}) maps an input of shape (7, {sizes[0]}) to shape "
                f"{tuple(out.shape)}, expected (7, {sizes[-1]})",
                f"{thing.__name__}({sizes}) convierte una entrada de forma (7, {sizes[0]}) en "
                f"una de forma {tuple(out.shape)}; se esperaba (7, {sizes[-1]})",
            )
        out.sum().backward()
        for name, param in params:
            if param.grad is None:
                raise Wrong(
                    f"the registered parameter {name} gets no gradient: forward does not use it, "
                    f"so the layers registered are not the ones the model runs",
                    f"el parámetro registrado {name} no recibe gradiente: forward no lo usa, así "
                    f"que las capas registradas no son las que ejecuta el modelo",
                )
    return says(
        "Every layer of the list is registered, the model runs, and every parameter gets a "
        "gradient.",
        "Cada capa de la lista está registrada, el modelo se ejecuta y todos los parámetros "
        "reciben gradiente.",
    )
