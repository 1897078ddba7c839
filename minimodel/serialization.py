"""Saving and loading state dicts: ``minimodel.save`` and ``minimodel.load``.

The file format never runs code when it is read (unlike a pickle, which ``torch.save`` uses): a
file is a zip archive holding ``minimodel.json``, a JSON manifest describing the saved object,
and one ``.npy`` array per tensor, read back with ``allow_pickle=False``. The manifest starts
with a format name and version, so a foreign or newer file is recognized rather than misread.

Inside the manifest every container is tagged with its Python type, so that ``OrderedDict`` and
``dict``, ``tuple`` and ``list``, and integer dict keys (the ``"state"`` of an optimizer's state
dict) come back exactly as they were saved, in the same order.
"""

from __future__ import annotations

import contextlib
import io
import json
import math
import os
import secrets
import stat
import zipfile
from collections import OrderedDict
from collections.abc import Callable
from typing import IO, Any, TypeAlias

import numpy as np

from .tensor import Tensor

__all__ = ["SerializationError", "load", "save"]

FileLike: TypeAlias = str | os.PathLike[str] | IO[bytes]

FORMAT_NAME = "minimodel.save"
FORMAT_VERSION = 1
MANIFEST_NAME = "minimodel.json"

_SUPPORTED = "a Tensor, None, bool, int, float, str, or a list, tuple, dict or OrderedDict of those"


class SerializationError(RuntimeError):
    """Raised by :func:`load` for a file that is not a readable ``minimodel.save`` file.

    That is: an empty, truncated or corrupted file, or a foreign one (a text file, a file
    written by ``torch.save``, a file from a newer minimodel). The message names the file and
    says what was expected. It subclasses ``RuntimeError``, the type ``torch.load`` raises for
    most unreadable archives.
    """


def save(obj: Any, f: FileLike) -> None:
    """Save ``obj`` (typically a ``state_dict``) to a file.

    ``obj`` may be a Tensor, ``None``, a bool, int, float or str, or a list, tuple, dict or
    ``OrderedDict`` nesting those: everything a module's or an optimizer's ``state_dict()``
    holds. Tensors keep their dtype, shape and ``requires_grad``; a tensor that appears several
    times is stored once and comes back as one tensor.

    When ``f`` is a path the file is written atomically: the data goes to a temporary file in
    the same directory, which replaces ``f`` only once it is complete and flushed to disk, so a
    crash or an error mid-save leaves any previous file whole.

    Args:
        obj: the object to save.
        f: a path (``str`` or ``os.PathLike``) or a binary file object open for writing.

    Raises:
        TypeError: if ``obj`` holds something else (a NumPy array, a set, a Module...). Nothing
            is written then.

    Differences from ``torch.save``, on purpose: no pickle, so arbitrary Python objects cannot
    be saved; and tensors that are distinct views of one storage are saved as separate tensors.

    Example::

        >>> model = minimodel.nn.Linear(2, 1)
        >>> minimodel.save(model.state_dict(), "model.pt")
        >>> model.load_state_dict(minimodel.load("model.pt"))
        <All keys matched successfully>
    """
    tensors: list[Tensor] = []
    manifest = {
        "format": FORMAT_NAME,
        "version": FORMAT_VERSION,
        "object": _Encoder(tensors).encode(obj),
    }
    manifest["tensors"] = [
        {"requires_grad": t.requires_grad, "parameter": _is_parameter(t)} for t in tensors
    ]

    def write(fh: IO[bytes]) -> None:
        with zipfile.ZipFile(fh, "w", compression=zipfile.ZIP_STORED) as zf:
            zf.writestr(MANIFEST_NAME, json.dumps(manifest, allow_nan=False))
            for i, t in enumerate(tensors):
                data = t._data
                with zf.open(_array_name(i), "w", force_zip64=data.nbytes > 2**30) as out:
                    _write_array(out, data)

    if isinstance(f, str | os.PathLike):
        _write_atomically(os.fspath(f), write)
    else:
        write(f)


def load(f: FileLike, map_location: str | None = None, *, weights_only: bool | None = None) -> Any:
    """Load an object saved with :func:`save`.

    Args:
        f: a path (``str`` or ``os.PathLike``) or a binary file object open for reading.
        map_location: accepted so that ``torch.load`` calls port unchanged; minimodel runs on
            the CPU only, so it must be ``None`` or ``"cpu"``.
        weights_only: accepted so that ``torch.load`` calls port unchanged and ignored: loading
            never runs code, whatever its value.

    Returns:
        The saved object, with the same container types, key order and tensor dtypes.

    Raises:
        SerializationError: (a ``RuntimeError``) if the file is empty, truncated, corrupted,
            or was not written by :func:`minimodel.save` (for example a ``torch.save`` file).
        FileNotFoundError: if there is no file at ``f``.

    Example::

        >>> minimodel.save({"w": minimodel.ones(2)}, "w.pt")
        >>> minimodel.load("w.pt")
        {'w': tensor([1., 1.])}
    """
    if map_location not in (None, "cpu"):
        raise ValueError(
            f"minimodel runs on the CPU only: map_location must be None or 'cpu', "
            f"not {map_location!r}"
        )
    if isinstance(f, str | os.PathLike):
        name = os.fspath(f)
        with open(name, "rb") as fh:
            return _load_from(fh, repr(name))
    return _load_from(f, repr(getattr(f, "name", f)))


# ---------------------------------------------------------------------------------------------
# Encoding: Python objects <-> JSON values, with tensors replaced by indices into a table.


def _is_parameter(t: Tensor) -> bool:
    from .nn.parameter import Parameter

    return isinstance(t, Parameter)


class _Encoder:
    """Turns a Python object into JSON-compatible values, collecting its tensors on the way."""

    def __init__(self, tensors: list[Tensor]) -> None:
        self.tensors = tensors
        self.tensor_index: dict[int, int] = {}
        self.in_progress: set[int] = set()  # containers being encoded, to refuse cycles

    def encode(self, obj: Any) -> Any:
        # bool before int: bool is a subclass of int. Subclasses of int, float and str (such
        # as NumPy's float64) are saved as the plain Python type.
        if obj is None or type(obj) is bool:
            return obj
        if isinstance(obj, str):
            return str(obj)
        if isinstance(obj, int):
            return int(obj)
        if isinstance(obj, float):
            obj = float(obj)
            # JSON has no NaN or infinity; spell them out instead.
            return obj if math.isfinite(obj) else {"$float": repr(obj)}
        if isinstance(obj, Tensor):
            return {"$tensor": self._tensor_index(obj)}
        tag = _CONTAINER_TAGS.get(type(obj))
        if tag is None:
            raise TypeError(
                f"minimodel.save cannot save an object of type {_qualname(type(obj))}: "
                f"it saves {_SUPPORTED}"
            )
        if id(obj) in self.in_progress:
            raise ValueError(
                f"minimodel.save cannot save a {type(obj).__name__} that contains itself"
            )
        self.in_progress.add(id(obj))
        if isinstance(obj, dict):
            body = [[self.encode(k), self.encode(v)] for k, v in obj.items()]
        else:
            body = [self.encode(v) for v in obj]
        self.in_progress.discard(id(obj))
        return {tag: body}

    def _tensor_index(self, t: Tensor) -> int:
        index = self.tensor_index.get(id(t))
        if index is None:
            if t._data.dtype.hasobject:
                raise TypeError("minimodel.save cannot save a tensor of Python objects")
            index = self.tensor_index[id(t)] = len(self.tensors)
            self.tensors.append(t)
        return index


_CONTAINER_TAGS: dict[type, str] = {
    list: "$list",
    tuple: "$tuple",
    dict: "$dict",
    OrderedDict: "$odict",
}
_CONTAINER_TYPES: dict[str, Callable[[Any], Any]] = {
    "$list": list,
    "$tuple": tuple,
    "$dict": dict,
    "$odict": OrderedDict,
}


def _decode(value: Any, tensors: list[Tensor]) -> Any:
    if not isinstance(value, dict):
        if isinstance(value, list):
            raise ValueError("untagged list in the manifest")
        return value
    ((tag, body),) = value.items()
    if tag == "$tensor":
        return tensors[body]
    if tag == "$float":
        return float(body)
    make = _CONTAINER_TYPES[tag]
    if tag in ("$dict", "$odict"):
        return make((_decode(k, tensors), _decode(v, tensors)) for k, v in body)
    return make(_decode(v, tensors) for v in body)


def _qualname(cls: type) -> str:
    if cls.__module__ == "builtins":
        return cls.__qualname__
    return f"{cls.__module__}.{cls.__qualname__}"


# ---------------------------------------------------------------------------------------------
# Files.


def _array_name(index: int) -> str:
    return f"tensors/{index}.npy"


def _write_array(fh: IO[bytes], data: np.ndarray) -> None:
    np.lib.format.write_array(fh, data, allow_pickle=False)


def _write_atomically(path: str, write: Callable[[IO[bytes]], None]) -> None:
    """Call ``write`` on a temporary file next to ``path``, then move it over ``path``."""
    directory = os.path.dirname(os.path.abspath(path))
    if not os.path.isdir(directory):
        raise RuntimeError(f"Parent directory {directory} does not exist.")
    # The temporary file must be in the same directory: os.replace is atomic only within one
    # file system. O_EXCL guarantees we never reuse someone else's file.
    while True:
        tmp = os.path.join(directory, f".{os.path.basename(path)}.{secrets.token_hex(6)}.tmp")
        try:
            flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
            fd = os.open(tmp, flags, 0o666)  # 0o666 minus the umask, as open() would give
            break
        except FileExistsError:
            continue
    try:
        with os.fdopen(fd, "wb") as fh:
            write(fh)
            fh.flush()
            os.fsync(fh.fileno())
        with contextlib.suppress(OSError):
            # Overwriting a file keeps its permissions, as writing into it would.
            os.chmod(tmp, stat.S_IMODE(os.stat(path).st_mode))
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    # Persist the rename itself (where the platform allows opening a directory).
    with contextlib.suppress(OSError):
        dir_fd = os.open(directory, os.O_RDONLY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)


def _load_from(fh: IO[bytes], name: str) -> Any:
    def fail(reason: str) -> SerializationError:
        return SerializationError(
            f"cannot load {name}: expected a file written by minimodel.save (a zip archive "
            f"holding {MANIFEST_NAME!r}), but {reason}"
        )

    if not (hasattr(fh, "seekable") and fh.seekable()):
        fh = io.BytesIO(fh.read())
    start = fh.tell()
    head = fh.read(4)
    fh.seek(start)
    if not isinstance(head, bytes):
        raise TypeError(f"minimodel.load needs a binary file object (opened with 'rb'), got {name}")
    if not head:
        raise fail("the file is empty")
    try:
        zf = zipfile.ZipFile(fh)
    except (zipfile.BadZipFile, OSError, EOFError):
        if head[:1] == b"\x80":
            raise fail(
                "it starts like a Python pickle (what torch.save wrote before PyTorch 1.6); "
                "minimodel never loads pickles, since loading one can run arbitrary code"
            ) from None
        raise fail(
            "it is not a zip archive (it may be truncated, corrupted, or another kind of file)"
        ) from None

    with zf:
        names = zf.namelist()
        if MANIFEST_NAME not in names:
            if any(n.endswith("/data.pkl") for n in names):
                raise fail(
                    "it is a PyTorch file written by torch.save; load it with torch.load and "
                    "convert its tensors (e.g. minimodel.tensor(t.numpy()))"
                )
            raise fail(f"it is a zip archive without {MANIFEST_NAME!r}")
        try:
            manifest = json.loads(zf.read(MANIFEST_NAME))
            fmt, version = manifest.get("format"), manifest.get("version")
        except Exception as exc:
            raise fail(f"its manifest is corrupted ({exc})") from exc
        if fmt != FORMAT_NAME:
            raise fail(f"its manifest names the format {fmt!r}, not {FORMAT_NAME!r}")
        if not isinstance(version, int) or version > FORMAT_VERSION:
            raise fail(
                f"it uses format version {version!r} and this minimodel reads versions up to "
                f"{FORMAT_VERSION}; upgrade minimodel to load it"
            )
        try:
            tensors = [_read_tensor(zf, i, meta) for i, meta in enumerate(manifest["tensors"])]
            return _decode(manifest["object"], tensors)
        except Exception as exc:
            raise fail(f"it is corrupted ({type(exc).__name__}: {exc})") from exc


def _read_tensor(zf: zipfile.ZipFile, index: int, meta: dict[str, Any]) -> Tensor:
    # zf.read checks the entry's CRC, so flipped bytes are reported rather than loaded.
    data = np.lib.format.read_array(io.BytesIO(zf.read(_array_name(index))), allow_pickle=False)
    t = Tensor._wrap(data)
    if meta["parameter"]:
        from .nn.parameter import Parameter

        return Parameter(t, requires_grad=meta["requires_grad"])
    t.requires_grad = bool(meta["requires_grad"])
    return t
