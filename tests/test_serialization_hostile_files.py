"""minimodel.load on hostile or broken files: the exact object saved, or a SerializationError.

Generated files come from three sources: valid archives of generated state-dict-like objects
mutated byte by byte (flips, truncations, insertions, zip header fields set to edge values);
valid archives rebuilt with members changed (recompressed, dropped, renamed to non-UTF-8 names,
arrays swapped for other dtypes, byte orders, shapes or a zip bomb); and hand-crafted manifests.
For each, ``load`` must return exactly what was saved (for the crafted ones: an object that
saves and loads back the same, every tensor printable) or raise ``SerializationError`` naming
the file: no other exception, and a peak of memory bounded by the file's size (a deflated
member inflates at most ``MAX_INFLATION`` times).
"""

from __future__ import annotations

import io
import json
import struct
import tracemalloc
import warnings
import zipfile
from collections import OrderedDict
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from budget import examples
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays
from serialization_testing import assert_same, npy_of, zip_of

import minimodel as mm
from minimodel.nn import Parameter
from minimodel.serialization import MAX_INFLATION, SerializationError

DTYPES = [
    mm.float32,
    mm.float64,
    mm.float16,
    mm.int64,
    mm.int32,
    mm.int16,
    mm.int8,
    mm.uint8,
    mm.bool,
]
# What a load may hold in memory at its peak: each member and its array copy, each at most
# MAX_INFLATION times its share of the file, plus the interpreter's small change.
SLACK = 2**20


def memory_bound(size: int) -> int:
    return 2 * MAX_INFLATION * size + SLACK


@pytest.fixture(scope="module")
def path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("hostile") / "file.pt"


def load_or_refuse(path: Path, content: bytes, bound: int | None = None) -> tuple[str, Any]:
    """("ok", object) or ("refused", message): anything else raised fails the test, and so
    does a peak of memory past ``bound`` (by default :func:`memory_bound` of the file)."""
    path.write_bytes(content)
    tracemalloc.start()
    try:
        return "ok", mm.load(path)
    except SerializationError as exc:
        assert repr(str(path)) in str(exc)
        assert "expected a file written by minimodel.save" in str(exc)
        return "refused", str(exc)
    finally:
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        limit = memory_bound(len(content)) if bound is None else bound
        assert peak <= limit, f"peak {peak} for {len(content)} bytes"


def counted(result: tuple[str, Any]) -> tuple[str, Any]:
    """``result``, counted in hypothesis' statistics by outcome (and reason, when refused)."""
    event("loaded" if result[0] == "ok" else f"refused: {result[1].partition('), but ')[2][:30]}")
    return result


def archive(obj: Any) -> bytes:
    buffer = io.BytesIO()
    mm.save(obj, buffer)
    return buffer.getvalue()


# ------------------------------------------------------------------------------ saved objects


@st.composite
def tensors(draw: st.DrawFn) -> mm.Tensor:
    dtype = draw(st.sampled_from(DTYPES))
    shape = draw(st.lists(st.integers(0, 3), max_size=3))
    data = draw(arrays(dtype.np, shape))
    if data.ndim == 2 and draw(st.booleans()):
        data = np.asfortranarray(data)  # saved with fortran_order=True
    t = mm.from_numpy(data)
    if dtype.is_floating_point and draw(st.booleans()):
        return Parameter(t) if draw(st.booleans()) else t.requires_grad_()
    return t


scalars = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), st.text(max_size=4))
keys = st.one_of(st.text(max_size=4), st.integers(-3, 3))
objects = st.recursive(
    st.one_of(scalars, tensors()),
    lambda children: st.one_of(
        st.lists(children, max_size=3),
        st.lists(children, max_size=3).map(tuple),
        st.dictionaries(keys, children, max_size=3),
        st.dictionaries(keys, children, max_size=3).map(OrderedDict),
    ),
    max_leaves=6,
)

# ------------------------------------------------------------------------ byte-wise mutations

SIGNATURES = {
    b"PK\x03\x04": [(4, 2), (6, 2), (8, 2), (14, 4), (18, 4), (22, 4), (26, 2), (28, 2)],
    b"PK\x01\x02": [
        (6, 2),
        (8, 2),
        (10, 2),
        (16, 4),
        (20, 4),
        (24, 4),
        (28, 2),
        (30, 2),
        (32, 2),
        (34, 2),
        (42, 4),
    ],
    b"PK\x05\x06": [(4, 2), (8, 2), (10, 2), (12, 4), (16, 4), (20, 2)],
}
EDGE_VALUES = [0, 1, 8, 12, 14, 99, 0x800, 0x7FFF, 0xFFFF, 0x7FFFFFFF, 0xFFFFFFFF]


@st.composite
def mutated(draw: st.DrawFn, content: bytes) -> bytes:
    data = bytearray(content)
    for _ in range(draw(st.integers(1, 4))):
        kind = draw(st.sampled_from(["flip", "truncate", "insert", "delete", "field"]))
        at = draw(st.integers(0, max(len(data) - 1, 0)))
        if kind == "flip" and data:
            data[at] ^= draw(st.integers(1, 255))
        elif kind == "truncate":
            del data[at:]
        elif kind == "insert":
            data[at:at] = draw(st.binary(min_size=1, max_size=8))
        elif kind == "delete":
            del data[at : at + draw(st.integers(1, 8))]
        elif kind == "field":
            headers = [(i, sig) for sig in SIGNATURES for i in _find_all(bytes(data), sig)]
            if headers:
                start, sig = draw(st.sampled_from(headers))
                offset, width = draw(st.sampled_from(SIGNATURES[sig]))
                value = draw(st.sampled_from(EDGE_VALUES) | st.integers(0, 2 ** (8 * width) - 1))
                value %= 2 ** (8 * width)
                fmt = "<H" if width == 2 else "<I"
                if start + offset + width <= len(data):
                    data[start + offset : start + offset + width] = struct.pack(fmt, value)
    return bytes(data)


def _find_all(data: bytes, needle: bytes) -> list[int]:
    found, at = [], data.find(needle)
    while at != -1:
        found.append(at)
        at = data.find(needle, at + 1)
    return found


@settings(max_examples=examples(300), suppress_health_check=[HealthCheck.too_slow])
@given(objects, st.data())
def test_a_byte_wise_mutated_archive_loads_exactly_or_is_refused(path, obj, data):
    original = archive(obj)
    result = counted(load_or_refuse(path, data.draw(mutated(original))))
    if result[0] == "ok":
        assert_same(result[1], obj)


# ----------------------------------------------------------------------- structural mutations


def members_of(content: bytes) -> list[tuple[str, bytes]]:
    with zipfile.ZipFile(io.BytesIO(content)) as zf:
        return [(name, zf.read(name)) for name in zf.namelist()]


def rebuild(members: list[tuple[str, bytes, int]]) -> bytes:
    buffer = io.BytesIO()
    with warnings.catch_warnings(), zipfile.ZipFile(buffer, "w") as zf:
        warnings.simplefilter("ignore")  # duplicated names are one of the mutations
        for name, content, compression in members:
            zf.writestr(zipfile.ZipInfo(name), content, compress_type=compression)
    return buffer.getvalue()


def non_utf8_names(content: bytes, name: str) -> bytes:
    """``content`` with a byte of ``name`` made invalid UTF-8 and flagged as UTF-8."""
    data = bytearray(content)
    encoded = name.encode()
    for sig, flag_at, name_at in [(b"PK\x03\x04", 6, 30), (b"PK\x01\x02", 8, 46)]:
        for start in _find_all(bytes(data), sig):
            if data[start + name_at : start + name_at + len(encoded)] == encoded:
                data[start + name_at] = 0xFF
                flags = struct.unpack_from("<H", data, start + flag_at)[0] | 0x800
                struct.pack_into("<H", data, start + flag_at, flags)
    return bytes(data)


def npy_with_header(header: dict[str, Any], payload: bytes) -> bytes:
    text = repr(header).encode("latin1")
    text += b" " * (63 - (10 + len(text)) % 64) + b"\n"
    return b"\x93NUMPY\x01\x00" + struct.pack("<H", len(text)) + text + payload


# Replacements for an array member: (name, bytes or a function of the array it replaces).
FOREIGN_ARRAYS: dict[str, Any] = {
    "complex": lambda a: npy_of(a.astype(np.complex64)),
    "unicode": lambda a: npy_of(a.astype("U3")),
    "bytes": lambda a: npy_of(a.astype("S3")),
    "structured": lambda a: npy_of(np.zeros(a.shape, dtype=[("x", "<f4"), ("y", "<i8")])),
    "subarray": lambda a: npy_with_header(  # np.save never writes one: it expands the shape
        {"descr": ("<f4", (2,)), "fortran_order": False, "shape": (1,)}, b"\0" * 8
    ),
    "object": lambda a: npy_of(np.array([{"a": 1}], dtype=object)),
    "datetime": lambda a: npy_of(np.zeros(a.shape, dtype="M8[s]")),
    "uint16": lambda a: npy_of(np.zeros(a.shape, dtype=np.uint16)),
    "float128": lambda a: npy_of(np.zeros(a.shape, dtype=np.longdouble)),
    "big-endian": lambda a: npy_of(a.astype(a.dtype.newbyteorder(">"))),
    "fortran": lambda a: npy_of(np.asfortranarray(a) if a.ndim else a),  # keeps 0-d 0-d
    "huge shape": lambda a: npy_with_header(
        {"descr": "<f4", "fortran_order": False, "shape": (10**12,)}, b"\0" * 16
    ),
    "negative shape": lambda a: npy_with_header(
        {"descr": "<f4", "fortran_order": False, "shape": (-4,)}, b"\0" * 16
    ),
    "short data": lambda a: npy_of(a)[:-1] if a.size else npy_of(a) + b"\0",
    "bool bytes": lambda a: npy_with_header(
        {"descr": "|b1", "fortran_order": False, "shape": (2,)}, b"\x00\x02"
    ),
    "version 3": lambda a: npy_of(a).replace(b"\x93NUMPY\x01\x00", b"\x93NUMPY\x03\x00", 1),
    "not npy": lambda a: b"not an array",
}
# The replacements that keep the values: load must return exactly what was saved.
VALUE_KEEPING = {"big-endian", "fortran"}


@settings(max_examples=examples(200), suppress_health_check=[HealthCheck.too_slow])
@given(objects, st.data())
def test_a_structurally_changed_archive_loads_exactly_or_is_refused(path, obj, data):
    members = [(name, content, zipfile.ZIP_STORED) for name, content in members_of(archive(obj))]
    kind = data.draw(
        st.sampled_from(["deflate", "drop", "duplicate", "extra", "non-utf8", "array", "bomb"])
    )
    index = data.draw(st.integers(0, len(members) - 1))
    name, content, _ = members[index]
    keeps_values = kind in ("deflate", "extra")
    if kind == "deflate":
        members = [(n, c, zipfile.ZIP_DEFLATED) for n, c, _ in members]
    elif kind == "drop":
        del members[index]
    elif kind == "duplicate":
        members.append((name, data.draw(st.binary(max_size=16)), zipfile.ZIP_STORED))
    elif kind == "extra":
        members.append(("notes/readme.txt", b"hello", zipfile.ZIP_STORED))
    elif kind == "array":
        arrays_ = [i for i, (n, _, _) in enumerate(members) if n.endswith(".npy")]
        if arrays_:
            index = data.draw(st.sampled_from(arrays_))
            name, content, _ = members[index]
            foreign = data.draw(st.sampled_from(sorted(FOREIGN_ARRAYS)))
            replaced = FOREIGN_ARRAYS[foreign](np.load(io.BytesIO(content)))
            members[index] = (name, replaced, zipfile.ZIP_STORED)
            keeps_values = foreign in VALUE_KEEPING
    elif kind == "bomb":
        # Valid JSON padded with spaces: deflates by about 1000 times.
        padding = data.draw(st.sampled_from([10, 10**4, 10**6]))
        if name == "minimodel.json":
            members[index] = (name, content + b" " * padding, zipfile.ZIP_DEFLATED)
    built = rebuild(members)
    if kind == "bomb" and name == "minimodel.json":
        with zipfile.ZipFile(io.BytesIO(built)) as zf:
            info = zf.getinfo(name)
        # The stated limit: refused past MAX_INFLATION times, loaded exactly below it.
        keeps_values = info.file_size <= MAX_INFLATION * info.compress_size
        event(f"bomb {'loads' if keeps_values else 'refused'}")
    if kind == "non-utf8":
        built = non_utf8_names(built, name)
    result = counted(load_or_refuse(path, built))
    if result[0] == "ok":
        assert_same(result[1], obj)
    else:
        assert not keeps_values, result[1]


# -------------------------------------------------------------------------- crafted manifests

json_values = st.recursive(
    st.one_of(
        st.none(),
        st.booleans(),
        st.integers(),
        st.floats(allow_nan=False, allow_infinity=False),
        st.text(max_size=3),
    ),
    lambda c: st.lists(c, max_size=3) | st.dictionaries(st.text(max_size=3), c, max_size=3),
    max_leaves=5,
)
tensor_refs = st.builds(
    lambda ref: {"$tensor": ref},
    st.integers(-2, 4) | st.booleans() | st.floats(-1, 4) | st.text(max_size=2) | st.none(),
)
float_tags = st.builds(
    lambda body: {"$float": body},
    st.sampled_from(["nan", "inf", "-inf", "1.5", "NaN", ""]) | st.floats() | st.booleans(),
)


def _tagged(tag: str) -> Any:
    return lambda body: {tag: body}


manifest_objects = st.recursive(
    st.one_of(json_values, tensor_refs, float_tags),
    lambda c: st.one_of(
        st.lists(c, max_size=3).map(_tagged("$list")),
        st.lists(c, max_size=3).map(_tagged("$tuple")),
        st.lists(st.lists(c, min_size=1, max_size=3), max_size=3).map(_tagged("$dict")),
        st.lists(st.tuples(st.text(max_size=2), c).map(list), max_size=3).map(_tagged("$odict")),
        st.dictionaries(st.sampled_from(["$set", "$list", "$tensor", "x"]), c, max_size=2),
    ),
    max_leaves=8,
)
metas = st.one_of(
    st.fixed_dictionaries({"requires_grad": st.booleans(), "parameter": st.booleans()}),
    st.fixed_dictionaries({"requires_grad": json_values, "parameter": json_values}),
    json_values,
)
member_arrays = st.one_of(
    st.sampled_from(DTYPES).flatmap(lambda d: arrays(d.np, st.integers(0, 3))).map(npy_of),
    st.sampled_from(sorted(FOREIGN_ARRAYS)).map(lambda k: FOREIGN_ARRAYS[k](np.ones(2))),
)


@st.composite
def crafted_archives(draw: st.DrawFn) -> tuple[bytes, Any, list[np.dtype]]:
    """A zip of a crafted manifest and arrays: its bytes, the manifest, the arrays' dtypes."""

    def rarely(strategy: st.SearchStrategy[Any], usual: Any) -> Any:
        """``usual`` but one time in eight or so: most files get far into the loader."""
        return draw(strategy) if draw(st.booleans()) and draw(st.booleans()) else usual

    valid_meta = st.fixed_dictionaries({"requires_grad": st.booleans(), "parameter": st.booleans()})
    tensor_metas = draw(st.lists(st.one_of(metas, valid_meta, valid_meta), max_size=3))
    manifest: dict[str, Any] = {
        "format": rarely(st.sampled_from(["torch", "", None]), "minimodel.save"),
        "version": rarely(st.sampled_from([True, 0, 2, 1.0, "1", None]), 1),
        "tensors": rarely(json_values, tensor_metas),
        "object": draw(manifest_objects),
    }
    for key in rarely(st.lists(st.sampled_from(sorted(manifest)), max_size=1), []):
        del manifest[key]
    members: dict[str, str | bytes] = {"minimodel.json": json.dumps(manifest)}
    dtypes = []
    for i in range(len(tensor_metas) + draw(st.sampled_from([0, 0, 0, -1, 1]))):
        members[f"tensors/{i}.npy"] = npy = draw(member_arrays)
        dtypes.append(header_dtype(npy))
    return zip_of(members), manifest, dtypes


def header_dtype(npy: bytes) -> np.dtype:
    """The dtype a ``.npy`` header states (``V0`` when there is no readable header)."""
    stream = io.BytesIO(npy)
    try:
        stream.seek(8)
        return np.lib.format.read_array_header_1_0(stream)[2]
    except ValueError:
        return np.dtype("V0")


def spec_accepts(manifest: Any, dtypes: list[np.dtype]) -> bool:
    """Whether the format allows this manifest, read from the format's rules, not the loader's
    code: the loader may refuse more (arrays of foreign dtypes, unhashable keys), never less."""
    if not (isinstance(manifest, dict) and {"tensors", "object"} <= set(manifest)):
        return False
    if manifest.get("format") != "minimodel.save" or type(manifest.get("version")) is not int:
        return False
    metas = manifest["tensors"]
    if manifest["version"] != 1 or not isinstance(metas, list) or len(dtypes) < len(metas):
        return False
    for meta, dtype in zip(metas, dtypes, strict=False):
        if not (isinstance(meta, dict) and set(meta) == {"requires_grad", "parameter"}):
            return False
        if any(type(flag) is not bool for flag in meta.values()):
            return False
        if meta["requires_grad"] and dtype.kind != "f":
            return False
    return spec_object(manifest["object"], len(metas))


def spec_object(value: Any, tensors: int) -> bool:
    if value is None or isinstance(value, bool | int | float | str):
        return True
    if not (isinstance(value, dict) and len(value) == 1):
        return False
    ((tag, body),) = value.items()
    if tag == "$tensor":
        return type(body) is int and 0 <= body < tensors
    if tag == "$float":
        return body in ("nan", "inf", "-inf")
    if tag in ("$list", "$tuple"):
        return isinstance(body, list) and all(spec_object(v, tensors) for v in body)
    if tag in ("$dict", "$odict"):
        return isinstance(body, list) and all(
            isinstance(item, list) and len(item) == 2 and all(spec_object(v, tensors) for v in item)
            for item in body
        )
    return False


def check_loaded(obj: Any) -> None:
    """A loaded object is well formed: printable tensors, gradients only on floats."""
    if isinstance(obj, mm.Tensor):
        repr(obj)
        assert obj.dtype in DTYPES
        assert obj.dtype.is_floating_point or not obj.requires_grad
        assert obj._data.flags.writeable and obj._data.dtype.isnative
    elif isinstance(obj, dict):
        for key, value in obj.items():
            check_loaded(key)
            check_loaded(value)
    elif isinstance(obj, list | tuple):
        for value in obj:
            check_loaded(value)


@settings(max_examples=examples(150), suppress_health_check=[HealthCheck.too_slow])
@given(crafted_archives())
def test_a_crafted_manifest_loads_a_well_formed_object_or_is_refused(path, crafted):
    content, manifest, dtypes = crafted
    result = counted(load_or_refuse(path, content))
    if result[0] == "ok":
        assert spec_accepts(manifest, dtypes), manifest
        check_loaded(result[1])
        assert_same(mm.load(io.BytesIO(archive(result[1]))), result[1])


# ------------------------------------------------------------------ the cases of the issue


ONE_TENSOR = {
    "format": "minimodel.save",
    "version": 1,
    "object": {"$tensor": 0},
    "tensors": [{"requires_grad": False, "parameter": False}],
}


def with_manifest(**changes: Any) -> bytes:
    manifest = {**ONE_TENSOR, **changes}
    return zip_of({"minimodel.json": json.dumps(manifest), "tensors/0.npy": npy_of(np.ones(2))})


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (with_manifest(object={"$tensor": -1}), "refers to tensor -1; it has tensors 0 to 0"),
        (with_manifest(object={"$tensor": True}), "refers to tensor True"),
        (with_manifest(object={"$tensor": 1}), "refers to tensor 1; it has tensors 0 to 0"),
        (with_manifest(object={"$tensor": 0.0}), "refers to tensor 0.0"),
        (
            zip_of(
                {
                    "minimodel.json": json.dumps(
                        {**ONE_TENSOR, "tensors": [{"requires_grad": True, "parameter": False}]}
                    ),
                    "tensors/0.npy": npy_of(np.arange(2)),
                }
            ),
            "marks tensor 0, of dtype int64, as requiring grad",
        ),
        (with_manifest(version=True), "names the format version True, not a version number"),
        (with_manifest(tensors=[{"requires_grad": 1, "parameter": 0}]), "describes tensor 0"),
        (with_manifest(object={"$float": 1}), "holds the float 1"),
        (with_manifest(object=[1]), "holds [1], which minimodel.save never writes"),
    ],
    ids=[
        "-1",
        "true",
        "out of range",
        "float",
        "int requiring grad",
        "version true",
        "meta not bools",
        "float tag",
        "untagged list",
    ],
)
def test_a_manifest_that_save_never_writes_is_refused(path, content, expected):
    outcome, message = load_or_refuse(path, content)
    assert outcome == "refused" and expected in message


@pytest.mark.parametrize(
    ("array", "described"),
    [
        (np.ones(2, dtype=np.complex64), "'<c8' (complex64)"),
        (np.array(["ab"]), "'<U2' (<U2)"),
        (np.zeros(2, dtype=[("x", "<f4")]), "[('x', '<f4')]"),
        (np.array([{"a": 1}], dtype=object), "'|O' (object)"),
        (np.zeros(2, dtype=np.uint32), "'<u4' (uint32)"),
    ],
    ids=["complex", "unicode", "structured", "object", "uint32"],
)
def test_an_array_of_a_dtype_minimodel_does_not_have_is_refused(path, array, described):
    content = zip_of({"minimodel.json": json.dumps(ONE_TENSOR), "tensors/0.npy": npy_of(array)})
    outcome, message = load_or_refuse(path, content)
    assert outcome == "refused"
    assert described in message and "which minimodel does not have" in message


@pytest.mark.parametrize("dtype", [">f4", ">f8", ">i8", ">i2", ">f2"])
def test_a_big_endian_array_is_converted_and_prints(path, dtype):
    values = np.array([1.5, -2.0, 3.0]).astype(dtype)
    content = zip_of({"minimodel.json": json.dumps(ONE_TENSOR), "tensors/0.npy": npy_of(values)})
    outcome, loaded = load_or_refuse(path, content)
    assert outcome == "ok" and loaded._data.dtype.isnative
    assert repr(loaded) == repr(mm.tensor(values.astype(values.dtype.newbyteorder("="))))


def bomb(inflated: int, declared: int | None = None) -> bytes:
    """A save file whose one array deflates from ``inflated`` zero bytes; the central and
    local headers say ``declared`` bytes when given (a lying header)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as zf:
        zf.writestr("minimodel.json", json.dumps(ONE_TENSOR))
        info = zipfile.ZipInfo("tensors/0.npy")
        info.compress_type = zipfile.ZIP_DEFLATED
        with zf.open(info, "w", force_zip64=False) as member:
            chunk = bytes(2**20)
            for _ in range(inflated // len(chunk)):
                member.write(chunk)
    data = buffer.getvalue()
    if declared is not None:
        size = struct.pack("<I", inflated)
        data = data.replace(size, struct.pack("<I", declared))
    return data


@pytest.fixture(scope="module")
def big_bomb() -> bytes:
    return bomb(300 * 2**20)  # 300 MiB of zeros in about 300 KiB, the size the issue reported


def test_a_zip_bomb_is_refused_before_it_inflates(path, big_bomb):
    assert len(big_bomb) < 400 * 2**10
    with zipfile.ZipFile(io.BytesIO(big_bomb)) as zf:
        compressed = zf.getinfo("tensors/0.npy").compress_size
    outcome, message = load_or_refuse(path, big_bomb, bound=SLACK)
    assert outcome == "refused"
    assert (
        f"its member 'tensors/0.npy' would inflate from {compressed} to 314572800 bytes, more "
        "than the 100 times minimodel accepts from a compressed member"
    ) in message


def test_a_lying_size_does_not_let_a_bomb_inflate(path):
    content = bomb(50 * 2**20, declared=1000)
    outcome, message = load_or_refuse(path, content, bound=SLACK)
    assert outcome == "refused" and "Bad CRC-32" in message


def test_a_member_name_that_is_not_utf8_is_refused(path):
    content = non_utf8_names(archive({"w": mm.ones(2)}), "tensors/0.npy")
    outcome, message = load_or_refuse(path, content)
    assert outcome == "refused" and "UnicodeDecodeError" in message


def test_an_unsupported_compression_method_is_refused(path):
    content = zip_of({"minimodel.json": json.dumps([])}, compression=zipfile.ZIP_BZIP2)
    outcome, message = load_or_refuse(path, content)
    assert outcome == "refused" and "compression method 12" in message
