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
from typing import IO, Any, Literal, TypeAlias

import numpy as np

from .dtype import from_numpy_dtype
from .tensor import Tensor

__all__ = ["SerializationError", "load", "save"]

FileLike: TypeAlias = str | os.PathLike[str] | IO[bytes]

FORMAT_NAME = "minimodel.save"
FORMAT_VERSION = 1
MANIFEST_NAME = "minimodel.json"
# A deflated member may inflate to at most this many times its compressed size; past it, load
# refuses the file as a zip bomb (minimodel.save stores members uncompressed: ratio 1).
MAX_INFLATION = 100

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
    crash or an error mid-save leaves any previous file whole. When ``f`` is a symbolic link,
    the file it points to is replaced and the link kept, as ``torch.save`` writes through it.

    Args:
        obj: the object to save.
        f: a path (``str`` or ``os.PathLike``) or a binary file object open for writing.

    Raises:
        TypeError: if ``obj`` holds something else (a NumPy array, a set, a Module...). Nothing
            is written then.
        RuntimeError: if ``f`` is a directory, ends with a separator, or its directory does
            not exist (``torch.save`` raises RuntimeError too). Any other ``OSError`` names ``f``,
            never the temporary file.

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
            Whatever is wrong inside the file, this is the one exception raised, and its
            message names the file. Hostile files are refused before they cost memory: a
            compressed member that would inflate to more than ``MAX_INFLATION`` (100) times its
            size (a zip bomb), an array whose header announces more data than it holds, an
            array of a dtype minimodel does not have (complex, strings, structured, objects), a
            manifest referring to a tensor it does not hold or marking an integer tensor as
            requiring grad. Big-endian arrays are converted to the machine's byte order.
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


class _Decoder:
    """Turns the manifest's JSON back into Python objects, refusing anything save never writes."""

    def __init__(self, tensors: list[Tensor], fail: Callable[[str], SerializationError]) -> None:
        self.tensors = tensors
        self.fail = fail

    def decode(self, value: Any) -> Any:
        if value is None or isinstance(value, bool | int | float | str):
            return value
        if not (isinstance(value, dict) and len(value) == 1):
            raise self.fail(
                f"its manifest holds {_shorten(value)}, which minimodel.save never writes"
            )
        ((tag, body),) = value.items()
        if tag == "$tensor":
            # type() is int: JSON's true would otherwise be tensor 1, and -1 the last one.
            if type(body) is not int or not 0 <= body < len(self.tensors):
                raise self.fail(
                    f"its manifest refers to tensor {body!r}; it has tensors 0 to "
                    f"{len(self.tensors) - 1}"
                )
            return self.tensors[body]
        if tag == "$float":
            if body not in _NON_FINITE:
                raise self.fail(f"its manifest holds the float {body!r}")
            return float(body)
        make = _CONTAINER_TYPES.get(tag)
        if make is None or not isinstance(body, list):
            raise self.fail(
                f"its manifest holds {_shorten(value)}, which minimodel.save never writes"
            )
        if tag in ("$dict", "$odict"):
            if not all(isinstance(item, list) and len(item) == 2 for item in body):
                raise self.fail(
                    f"its manifest holds a dict whose items are not pairs: {_shorten(body)}"
                )
            return make((self.decode(k), self.decode(v)) for k, v in body)
        return make(self.decode(v) for v in body)


_NON_FINITE = ("nan", "inf", "-inf")


def _shorten(value: Any) -> str:
    text = json.dumps(value)
    return text if len(text) <= 80 else text[:77] + "..."


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
    """Call ``write`` on a temporary file next to ``path``, then move it over ``path``.

    A symbolic link is written through, as ``open(path, "wb")`` (and so ``torch.save``) would:
    the file it points to is replaced and the link stays. Errors name ``path``, never the
    temporary file.
    """
    directory = os.path.dirname(os.path.abspath(path))
    if not os.path.isdir(directory):
        raise RuntimeError(f"Parent directory {directory} does not exist.")
    # RuntimeError, as torch.save raises; its messages name its C++ sources, ours the path.
    if path.endswith(("/", os.sep)):
        raise RuntimeError(f"invalid file name: {path}")
    if os.path.isdir(path):
        raise RuntimeError(f"cannot save to {path}: it is a directory, not a file")
    target = os.path.realpath(path)
    directory = os.path.dirname(target)
    # The temporary file must be in the same directory: os.replace is atomic only within one
    # file system. O_EXCL guarantees we never reuse someone else's file.
    while True:
        tmp = os.path.join(directory, f".{os.path.basename(target)}.{secrets.token_hex(6)}.tmp")
        try:
            flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
            fd = os.open(tmp, flags, 0o666)  # 0o666 minus the umask, as open() would give
            break
        except FileExistsError:
            continue
        except OSError as exc:
            raise _naming(exc, path) from exc
    try:
        with os.fdopen(fd, "wb") as fh:
            write(fh)
            fh.flush()
            os.fsync(fh.fileno())
        with contextlib.suppress(OSError):
            # Overwriting a file keeps its permissions, as writing into it would.
            os.chmod(tmp, stat.S_IMODE(os.stat(target).st_mode))
        try:
            os.replace(tmp, target)
        except OSError as exc:
            raise _naming(exc, path) from exc
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


def _naming(exc: OSError, path: str) -> OSError:
    """``exc`` about ``path``: an OSError from the temporary file names the user's file."""
    if exc.errno is None:
        return exc
    return type(exc)(exc.errno, exc.strerror, path)


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
        return _Reader(fh, fail, head).read()
    except SerializationError:
        raise
    except Exception as exc:
        # A hostile or damaged file can make zipfile, zlib, json or NumPy raise almost anything
        # (ValueError from a negative seek, UnicodeDecodeError from a member name, ...): each is
        # the same news for the caller, a file that cannot be loaded.
        raise fail(f"it is corrupted ({type(exc).__name__}: {exc})") from exc


class _Reader:
    """Reads one archive, checking every size and reference before trusting it.

    Nothing is read into memory before its size is checked: a stored member is at most as large
    as the file, a deflated one at most :data:`MAX_INFLATION` times its compressed size, and an
    array's header must describe exactly the bytes that follow it.
    """

    def __init__(
        self, fh: IO[bytes], fail: Callable[[str], SerializationError], head: bytes
    ) -> None:
        self.fh = fh
        self.fail = fail
        self.head = head

    def read(self) -> Any:
        fail = self.fail
        try:
            zf = zipfile.ZipFile(self.fh)
        except Exception as exc:
            if self.head[:1] == b"\x80":
                raise fail(
                    "it starts like a Python pickle (what torch.save wrote before PyTorch 1.6); "
                    "minimodel never loads pickles, since loading one can run arbitrary code"
                ) from None
            if isinstance(exc, zipfile.BadZipFile | EOFError):
                raise fail(
                    "it is not a zip archive (it may be truncated, corrupted, or another kind "
                    "of file)"
                ) from None
            raise
        with zf:
            self.zf = zf
            return self._read_archive()

    def _read_archive(self) -> Any:
        fail, names = self.fail, self.zf.namelist()
        if MANIFEST_NAME not in names:
            if any(n.endswith("/data.pkl") for n in names):
                raise fail(
                    "it is a PyTorch file written by torch.save; load it with torch.load and "
                    "convert its tensors (e.g. minimodel.tensor(t.numpy()))"
                )
            raise fail(f"it is a zip archive without {MANIFEST_NAME!r}")
        raw = self._member(MANIFEST_NAME)
        try:
            manifest = json.loads(raw.decode("utf-8"), parse_constant=_refuse_constant)
        except Exception as exc:
            raise fail(f"its manifest is corrupted ({type(exc).__name__}: {exc})") from exc
        if not isinstance(manifest, dict):
            raise fail(f"its manifest is a JSON {type(manifest).__name__}, not an object")
        fmt, version = manifest.get("format"), manifest.get("version")
        if fmt != FORMAT_NAME:
            raise fail(f"its manifest names the format {fmt!r}, not {FORMAT_NAME!r}")
        if type(version) is int and version > FORMAT_VERSION:
            raise fail(
                f"it uses format version {version!r} and this minimodel reads versions up to "
                f"{FORMAT_VERSION}; upgrade minimodel to load it"
            )
        if type(version) is not int or version < 1:
            raise fail(f"its manifest names the format version {version!r}, not a version number")
        metas = manifest.get("tensors")
        if not isinstance(metas, list) or "object" not in manifest:
            raise fail("its manifest has no list of 'tensors' or no 'object'")
        tensors = [self._tensor(i, meta) for i, meta in enumerate(metas)]
        return _Decoder(tensors, fail).decode(manifest["object"])

    def _member(self, name: str) -> bytes:
        """The bytes of member ``name``, its sizes checked before anything is inflated."""
        fail = self.fail
        try:
            info = self.zf.getinfo(name)
        except KeyError:
            raise fail(f"it has no member {name!r}, which its manifest lists") from None
        if info.compress_type == zipfile.ZIP_STORED:
            if info.file_size != info.compress_size:
                raise fail(
                    f"its member {name!r} is stored uncompressed in {info.compress_size} bytes "
                    f"but says it holds {info.file_size}"
                )
        elif info.compress_type == zipfile.ZIP_DEFLATED:
            if info.file_size > MAX_INFLATION * max(info.compress_size, 1):
                raise fail(
                    f"its member {name!r} would inflate from {info.compress_size} to "
                    f"{info.file_size} bytes, more than the {MAX_INFLATION} times minimodel "
                    "accepts from a compressed member (minimodel.save never compresses)"
                )
        else:
            raise fail(
                f"its member {name!r} uses zip compression method {info.compress_type}; "
                "minimodel reads stored and deflated members only"
            )
        # read(n) inflates at most n bytes (read() would inflate the whole stream before
        # cutting it to the declared size), and checks the CRC once the declared size is
        # reached: neither a longer stream nor changed bytes get through.
        with self.zf.open(info) as member:
            return member.read(info.file_size)

    def _tensor(self, index: int, meta: Any) -> Tensor:
        fail = self.fail
        if not (
            isinstance(meta, dict)
            and set(meta) == {"requires_grad", "parameter"}
            and all(type(v) is bool for v in meta.values())
        ):
            raise fail(
                f"its manifest describes tensor {index} as {_shorten(meta)}, not as "
                "{'requires_grad': bool, 'parameter': bool}"
            )
        data = _read_npy(self._member(_array_name(index)), f"tensor {index}", fail)
        if meta["requires_grad"] and data.dtype.kind != "f":
            raise fail(
                f"its manifest marks tensor {index}, of dtype {data.dtype.name}, as requiring "
                "grad; only floating point tensors can require gradients"
            )
        t = Tensor._wrap(data)
        if meta["parameter"]:
            from .nn.parameter import Parameter

            return Parameter(t, requires_grad=meta["requires_grad"])
        t.requires_grad = meta["requires_grad"]
        return t


def _refuse_constant(name: str) -> None:
    raise ValueError(f"{name} is not JSON (minimodel.save writes non-finite floats as $float)")


def _read_npy(raw: bytes, what: str, fail: Callable[[str], SerializationError]) -> np.ndarray:
    """The array a ``.npy`` member holds, refused unless minimodel has its dtype.

    The header is checked against the size of the data before any array is made, so a header
    announcing a huge shape costs nothing. Big-endian arrays are converted to the machine's
    byte order (the values are kept); the copy owns its memory and is writable.
    """
    stream = io.BytesIO(raw)
    version = np.lib.format.read_magic(stream)
    if version == (1, 0):
        shape, fortran_order, dtype = np.lib.format.read_array_header_1_0(stream)
    elif version == (2, 0):
        shape, fortran_order, dtype = np.lib.format.read_array_header_2_0(stream)
    else:
        raise fail(
            f"its {what} is a .npy file of version {version}, which minimodel does not write"
        )
    native = dtype.newbyteorder("=") if dtype.byteorder not in ("=", "|") else dtype
    try:
        if native.fields is not None or native.subdtype is not None:
            raise TypeError("structured")
        from_numpy_dtype(native)
    except TypeError:
        raise fail(
            f"its {what} has the NumPy dtype {dtype.str!r} ({dtype}), which minimodel does not "
            "have (it has float64, float32, float16, int64, int32, int16, int8, uint8 and bool)"
        ) from None
    if any(n < 0 for n in shape):
        raise fail(f"its {what} has the shape {shape}")
    count = math.prod(shape)
    offset = stream.tell()
    if len(raw) - offset != count * dtype.itemsize:
        raise fail(
            f"its {what} holds {len(raw) - offset} bytes of data where its header, shape "
            f"{shape} of {dtype}, needs {count * dtype.itemsize}"
        )
    flat = np.frombuffer(raw, dtype=dtype, count=count, offset=offset)
    if native == np.bool_ and count and flat.view(np.uint8).max() > 1:
        raise fail(f"its {what} is a bool array holding bytes other than 0 and 1")
    order: Literal["C", "F"] = "F" if fortran_order else "C"
    return flat.reshape(shape, order=order).astype(native, order="K", copy=True)
