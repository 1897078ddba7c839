"""Chapter 01's exercise: ``named_modules`` for the page's ``Module``."""

from __future__ import annotations

from functools import partial
from typing import Any

from .. import nn
from ..creation import zeros
from ._core import Wrong, method, run_reader, says


def _trees(base: type) -> dict[str, Any]:
    """The same module trees as the exercise, built from ``base`` (and its leaves)."""

    def leaf() -> Any:
        module = base()
        module.weight = nn.Parameter(zeros(2))
        return module

    mlp = base()
    mlp.fc1, mlp.fc2 = leaf(), leaf()
    tied = base()
    tied.a = tied.b = leaf()
    outer = base()
    outer.tied = base()
    outer.tied.a = leaf()
    outer.tied.b = leaf()
    twice = base()
    twice.x = twice.y = leaf()
    deep = base()
    deep.first, deep.second = base(), base()
    deep.first.mlp = base()
    deep.first.mlp.fc1, deep.first.mlp.fc2 = leaf(), leaf()
    deep.second.again = deep.first.mlp
    return {"mlp": mlp, "tied": tied, "outer": outer, "twice": twice, "deep": deep}


def _listed(root: Any) -> list[tuple[str, Any]]:
    return list(root.named_modules())


def _hint(pairs: list[tuple[str, Any]]) -> tuple[str, str]:
    got = [name for name, _ in pairs]
    if len({id(module) for _, module in pairs}) < len(pairs):
        return (
            "a module reached by two paths is listed again: remember the modules already seen "
            "(their id) and skip a module met a second time, with everything below it",
            "un módulo al que se llega por dos caminos aparece otra vez: recuerda los módulos "
            "ya vistos (su id) y sáltate el que aparezca por segunda vez, con todo lo que cuelga "
            "de él",
        )
    if any(name.startswith(".") for name in got):
        return (
            "the root has no name, so its children get no leading dot",
            "la raíz no tiene nombre, así que sus hijos no llevan un punto delante",
        )
    if got[:1] != [""]:
        return (
            'the module itself comes first, as ("", self)',
            'el propio módulo va primero, como ("", self)',
        )
    return ("", "")


def check_named_modules(named_modules: Any) -> dict[str, str]:
    """The reader's ``named_modules(self)`` lists what ``nn.Module.named_modules()`` lists."""
    named_modules = method(named_modules, "named_modules")
    shared = [
        d
        for d in getattr(named_modules, "__defaults__", None) or ()
        if isinstance(d, (set, dict, list))
    ]
    if shared:
        raise Wrong(
            f"a default argument {type(shared[0]).__name__}() is created once, when def runs, "
            f"and shared by every call, so it remembers the modules of earlier calls; use "
            f"memo=None and create the set inside",
            f"un argumento por defecto {type(shared[0]).__name__}() se crea una sola vez, al "
            f"ejecutarse def, y lo comparten todas las llamadas, así que recuerda los módulos "
            f"de llamadas anteriores; usa memo=None y crea el conjunto dentro",
        )
    # Every module of the tree runs the reader's method, so the recursion is theirs too.
    probe = type("Probe", (nn.Module,), {"named_modules": named_modules})
    theirs, library = _trees(probe), _trees(nn.Module)
    for calls in (1, 2):
        # A second call catches a memo kept between calls elsewhere (a global set, say).
        for tree, root in theirs.items():
            pairs = run_reader(
                f"named_modules() on the {tree!r} tree",
                f"named_modules() sobre el árbol {tree!r}",
                partial(_listed, root),
            )
            got = [name for name, _ in pairs]
            expected = [name for name, _ in library[tree].named_modules()]
            if got != expected:
                hint_en, hint_es = _hint(pairs)
                where_en = "at the second call, " if calls == 2 else ""
                where_es = "en la segunda llamada, " if calls == 2 else ""
                raise Wrong(
                    f"{where_en}on the {tree!r} tree named_modules() lists {got}, but "
                    f"nn.Module.named_modules() lists {expected}. {hint_en}".rstrip(". ")
                    + ".",
                    f"{where_es}sobre el árbol {tree!r}, named_modules() lista {got}, pero "
                    f"nn.Module.named_modules() lista {expected}. {hint_es}".rstrip(". ")
                    + ".",
                )
            for name, module in pairs:
                if module is not root.get_submodule(name):
                    raise Wrong(
                        f"on the {tree!r} tree the name {name!r} comes with another module than "
                        f"the one at that path",
                        f"sobre el árbol {tree!r}, el nombre {name!r} va con un módulo distinto "
                        f"del que hay en esa ruta",
                    )
    return says(
        "named_modules() lists the names and modules nn.Module.named_modules() lists, shared "
        "modules once, call after call.",
        "named_modules() lista los mismos nombres y módulos que nn.Module.named_modules(), los "
        "compartidos una vez, llamada tras llamada.",
    )
