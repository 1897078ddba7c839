"""minimodel.save / minimodel.load: exact round trips, atomic writes, clear errors on bad files."""

from __future__ import annotations

import io
import json
import math
import os
import pickle
import stat
import zipfile
from collections import OrderedDict
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from serialization_testing import assert_same, zip_of

import minimodel as mm
from minimodel import serialization
from minimodel.nn import Linear, Parameter
from minimodel.optim import Adam
from minimodel.serialization import SerializationError


def _round_trip(obj: Any, path: Path) -> Any:
    mm.save(obj, path)
    return mm.load(path)


# ---------------------------------------------------------------------------------- round trips


def test_module_state_dict_round_trips_with_order_and_dtype(tmp_path: Path) -> None:
    sd = OrderedDict(
        [
            ("layer.weight", mm.randn(3, 2)),
            ("layer.bias", mm.zeros(3, dtype=mm.float64)),
            ("count", mm.tensor(7)),
            ("mask", mm.tensor([True, False])),
            ("scalar", mm.tensor(2.5)),
            ("empty", mm.zeros(0, 4)),
        ]
    )
    assert_same(_round_trip(sd, tmp_path / "m.pt"), sd)


def test_optimizer_state_dict_round_trips_with_int_keys_and_tuples(tmp_path: Path) -> None:
    w = mm.ones(2, requires_grad=True)
    opt = Adam([{"params": [w]}, {"params": [mm.ones(1, requires_grad=True)], "lr": 0.1}])
    (w * w).sum().backward()
    opt.step()
    sd = opt.state_dict()
    loaded = _round_trip(sd, tmp_path / "opt.pt")
    assert_same(loaded, sd)
    assert list(loaded["state"]) == [0]
    assert loaded["param_groups"][0]["betas"] == (0.9, 0.999)
    assert loaded["param_groups"][0]["foreach"] is None


def test_python_values_keep_their_types(tmp_path: Path) -> None:
    obj = {
        "none": None,
        "flags": [True, False],
        "int": 3,
        "big": 2**70,
        "float": 1.0,
        "precise": 0.1 + 0.2,
        "special": [math.inf, -math.inf, math.nan, -0.0],
        "text": "ünïcode ✓",
        "tuple": (1, (2.0, "3")),
        "nested": OrderedDict([("b", {1: [], 2.5: ()}), ("a", {})]),
        ("tuple", "key"): None,
        None: "none key",
        True: "bool key",
    }
    assert_same(_round_trip(obj, tmp_path / "values.pt"), obj)


def test_a_bare_tensor_and_bare_scalars_round_trip(tmp_path: Path) -> None:
    for obj in [mm.arange(6).reshape(2, 3), 3.5, None, "text", []]:
        assert_same(_round_trip(obj, tmp_path / "obj.pt"), obj)


def test_requires_grad_and_parameters_are_kept(tmp_path: Path) -> None:
    layer = Linear(2, 3)
    weights = [layer.weight, mm.ones(2, requires_grad=True), mm.ones(2)]
    loaded = _round_trip(weights, tmp_path / "params.pt")
    assert type(loaded[0]) is Parameter and loaded[0].requires_grad
    assert type(loaded[1]) is mm.Tensor and loaded[1].requires_grad and loaded[1].is_leaf
    assert not loaded[2].requires_grad
    np.testing.assert_array_equal(loaded[0].detach().numpy(), layer.weight.detach().numpy())


def test_a_tensor_saved_twice_comes_back_as_one_tensor(tmp_path: Path) -> None:
    t = mm.ones(3)
    loaded = _round_trip({"a": t, "b": [t]}, tmp_path / "shared.pt")
    assert loaded["a"] is loaded["b"][0]
    with zipfile.ZipFile(tmp_path / "shared.pt") as zf:
        assert sum(name.endswith(".npy") for name in zf.namelist()) == 1


def test_loaded_tensors_own_writable_arrays(tmp_path: Path) -> None:
    t = mm.ones(3)
    loaded = _round_trip(t, tmp_path / "t.pt")
    loaded.add_(1)  # optimizers update loaded state in place
    np.testing.assert_array_equal(loaded.numpy(), [2.0, 2.0, 2.0])
    np.testing.assert_array_equal(t.numpy(), [1.0, 1.0, 1.0])


def test_model_trained_after_loading_its_state_dict_matches(tmp_path: Path) -> None:
    model = Linear(3, 2)
    mm.save(model.state_dict(), tmp_path / "model.pt")
    other = Linear(3, 2)
    assert other.load_state_dict(mm.load(tmp_path / "model.pt")) is not None
    x = mm.randn(4, 3)
    np.testing.assert_array_equal(other(x).detach().numpy(), model(x).detach().numpy())


def test_file_objects_and_path_objects_work(tmp_path: Path) -> None:
    sd = OrderedDict([("w", mm.randn(2, 2))])
    buffer = io.BytesIO()
    mm.save(sd, buffer)
    buffer.seek(0)
    assert_same(mm.load(buffer), sd)

    path = tmp_path / "f.pt"
    with open(path, "wb") as f:
        mm.save(sd, f)
    with open(path, "rb") as f:
        assert_same(mm.load(f), sd)
    assert_same(mm.load(str(path)), sd)


def test_load_accepts_torch_load_arguments(tmp_path: Path) -> None:
    mm.save([1], tmp_path / "x.pt")
    assert mm.load(tmp_path / "x.pt", map_location="cpu", weights_only=True) == [1]
    with pytest.raises(ValueError, match="CPU only"):
        mm.load(tmp_path / "x.pt", map_location="cuda")


def test_the_file_is_a_zip_of_a_json_manifest_and_npy_arrays(tmp_path: Path) -> None:
    mm.save({"w": mm.ones(2)}, tmp_path / "x.pt")
    with zipfile.ZipFile(tmp_path / "x.pt") as zf:
        manifest = json.loads(zf.read("minimodel.json"))
        array = np.load(io.BytesIO(zf.read("tensors/0.npy")), allow_pickle=False)
    assert manifest["format"] == "minimodel.save" and manifest["version"] == 1
    np.testing.assert_array_equal(array, [1.0, 1.0])


# ----------------------------------------------------------------------------- what cannot save


@pytest.mark.parametrize(
    ("obj", "type_name"),
    [
        (np.zeros(2), "numpy.ndarray"),
        ({1, 2}, "set"),
        ({"f": print}, "builtin_function_or_method"),
        ([1, object()], "object"),
        (Linear(1, 1), "minimodel.nn.linear.Linear"),
    ],
)
def test_unsupported_objects_raise_type_error_and_write_nothing(
    obj: Any, type_name: str, tmp_path: Path
) -> None:
    path = tmp_path / "x.pt"
    with pytest.raises(TypeError) as info:
        mm.save(obj, path)
    assert f"cannot save an object of type {type_name}:" in str(info.value)
    assert "Tensor, None, bool, int, float, str" in str(info.value)
    assert list(tmp_path.iterdir()) == []


def test_an_object_containing_itself_raises_value_error(tmp_path: Path) -> None:
    loop: list[Any] = [1]
    loop.append(loop)
    with pytest.raises(ValueError, match="contains itself"):
        mm.save(loop, tmp_path / "x.pt")


def test_save_into_a_missing_directory_raises_like_torch(tmp_path: Path) -> None:
    missing = tmp_path / "no" / "such"
    with pytest.raises(RuntimeError, match=f"^Parent directory {missing} does not exist.$"):
        mm.save([], missing / "x.pt")


def test_saving_to_a_directory_raises_a_runtime_error_naming_it(tmp_path: Path) -> None:
    # torch.save raises RuntimeError too, with a message naming its C++ source instead.
    with pytest.raises(RuntimeError, match=f"^cannot save to {tmp_path}: it is a directory"):
        mm.save([], tmp_path)
    for name in [f"{tmp_path}/", f"{tmp_path}/missing/"]:
        with pytest.raises(RuntimeError, match=f"^invalid file name: {name}$"):
            mm.save([], name)
    assert list(tmp_path.iterdir()) == []


def test_an_os_error_names_the_users_file_not_the_temporary_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def refuse(src: str, dst: str) -> None:
        raise PermissionError(13, "Permission denied", src)

    monkeypatch.setattr(serialization.os, "replace", refuse)
    path = tmp_path / "x.pt"
    with pytest.raises(PermissionError, match=r"^\[Errno 13\] Permission denied: '.*/x\.pt'$"):
        mm.save([1], path)
    assert list(tmp_path.iterdir()) == []


def test_saving_to_a_symlink_writes_through_it_as_torch_save_does(tmp_path: Path) -> None:
    target, link = tmp_path / "weights" / "model.pt", tmp_path / "latest.pt"
    target.parent.mkdir()
    target.write_bytes(b"old")
    os.chmod(target, 0o640)
    link.symlink_to(target)
    mm.save({"w": mm.ones(2)}, link)
    assert link.is_symlink() and os.readlink(link) == str(target)
    assert_same(mm.load(target), {"w": mm.ones(2)})
    assert stat.S_IMODE(os.stat(target).st_mode) == 0o640
    assert sorted(p.name for p in target.parent.iterdir()) == ["model.pt"]


def test_saving_to_a_dangling_symlink_creates_its_target(tmp_path: Path) -> None:
    target, link = tmp_path / "model.pt", tmp_path / "latest.pt"
    link.symlink_to(target)
    mm.save([1], link)
    assert link.is_symlink() and mm.load(target) == [1]


# ------------------------------------------------------------------------------------ atomicity


@pytest.mark.parametrize("error", [OSError("disk full"), KeyboardInterrupt()])
def test_a_failure_mid_save_leaves_the_old_file_whole_and_no_temp_file(
    error: BaseException, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "model.pt"
    old = OrderedDict([("w", mm.ones(3))])
    mm.save(old, path)
    old_bytes = path.read_bytes()

    calls = []
    write_array = serialization._write_array

    def fail_on_second_tensor(fh: Any, data: np.ndarray) -> None:
        calls.append(data)
        if len(calls) == 2:
            raise error
        write_array(fh, data)

    monkeypatch.setattr(serialization, "_write_array", fail_on_second_tensor)
    new = OrderedDict([("w", mm.zeros(3)), ("b", mm.zeros(2))])
    with pytest.raises(type(error)) as raised:
        mm.save(new, path)
    assert raised.value is error  # the writer's own failure, passed on unchanged
    assert len(calls) == 2  # the failure really happened in the middle of writing
    assert path.read_bytes() == old_bytes
    assert sorted(p.name for p in tmp_path.iterdir()) == ["model.pt"]
    assert_same(mm.load(path), old)


def test_a_failure_mid_save_through_a_symlink_leaves_link_and_target_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target, link = tmp_path / "model.pt", tmp_path / "latest.pt"
    mm.save([1], target)
    old_bytes = target.read_bytes()
    link.symlink_to(target)

    def fail(fh: Any, data: np.ndarray) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(serialization, "_write_array", fail)
    with pytest.raises(OSError, match="disk full"):
        mm.save([mm.ones(2)], link)
    assert link.is_symlink() and target.read_bytes() == old_bytes
    assert sorted(p.name for p in tmp_path.iterdir()) == ["latest.pt", "model.pt"]


def test_a_failing_rename_leaves_no_temp_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def refuse(src: str, dst: str) -> None:
        raise PermissionError("read-only")

    monkeypatch.setattr(serialization.os, "replace", refuse)
    with pytest.raises(PermissionError, match="read-only"):
        mm.save([1], tmp_path / "x.pt")
    assert list(tmp_path.iterdir()) == []


def test_saving_over_a_file_replaces_it_and_keeps_its_permissions(tmp_path: Path) -> None:
    path = tmp_path / "x.pt"
    mm.save([1], path)
    os.chmod(path, 0o640)
    mm.save([2], path)
    assert mm.load(path) == [2]
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o640
    assert sorted(p.name for p in tmp_path.iterdir()) == ["x.pt"]


# ------------------------------------------------------------------------------------ bad files


# A manifest describing one tensor, stored as tensors/0.npy.
_ONE_TENSOR_MANIFEST = json.dumps(
    {
        "format": "minimodel.save",
        "version": 1,
        "object": {"$tensor": 0},
        "tensors": [{"requires_grad": False, "parameter": False}],
    }
)


def _bad_file(tmp_path: Path, content: bytes) -> Path:
    path = tmp_path / "bad.pt"
    path.write_bytes(content)
    return path


def _load_error(path: Path) -> str:
    with pytest.raises(SerializationError) as info:
        mm.load(path)
    message = str(info.value)
    assert repr(str(path)) in message
    assert "expected a file written by minimodel.save" in message
    return message


def _valid_bytes(tmp_path: Path) -> bytes:
    path = tmp_path / "good.pt"
    mm.save(OrderedDict([("w", mm.randn(50)), ("b", mm.randn(3))]), path)
    return path.read_bytes()


def test_load_error_is_a_runtime_error() -> None:
    assert issubclass(SerializationError, RuntimeError)


def test_an_empty_file_gives_a_clear_error(tmp_path: Path) -> None:
    assert "the file is empty" in _load_error(_bad_file(tmp_path, b""))


def test_a_text_file_gives_a_clear_error(tmp_path: Path) -> None:
    message = _load_error(_bad_file(tmp_path, b"weight,bias\n1.0,2.0\n"))
    assert "not a zip archive" in message


@pytest.mark.parametrize("keep", [0.3, 0.9, 0.99])
def test_a_truncated_file_gives_a_clear_error(keep: float, tmp_path: Path) -> None:
    content = _valid_bytes(tmp_path)
    _load_error(_bad_file(tmp_path, content[: int(len(content) * keep)]))


def test_a_corrupted_tensor_gives_a_clear_error(tmp_path: Path) -> None:
    content = bytearray(_valid_bytes(tmp_path))
    with zipfile.ZipFile(io.BytesIO(bytes(content))) as zf:
        info = zf.getinfo("tensors/0.npy")
    # Flip a byte in the middle of the first array's data (stored uncompressed).
    content[info.header_offset + 30 + len(info.filename) + 150] ^= 0xFF
    assert "corrupted" in _load_error(_bad_file(tmp_path, bytes(content)))


def test_a_corrupted_manifest_gives_a_clear_error(tmp_path: Path) -> None:
    content = zip_of({"minimodel.json": "{not json"})
    assert "manifest is corrupted" in _load_error(_bad_file(tmp_path, content))


def test_a_manifest_pointing_at_a_missing_tensor_gives_a_clear_error(tmp_path: Path) -> None:
    content = zip_of({"minimodel.json": _ONE_TENSOR_MANIFEST})
    assert "no member 'tensors/0.npy'" in _load_error(_bad_file(tmp_path, content))


def test_a_zip_without_manifest_gives_a_clear_error(tmp_path: Path) -> None:
    content = zip_of({"readme.txt": "hello"})
    assert "without 'minimodel.json'" in _load_error(_bad_file(tmp_path, content))


def test_a_torch_zip_file_is_recognized(tmp_path: Path) -> None:
    # The layout torch.save writes (see also the parity test with a real torch file).
    content = zip_of({"archive/data.pkl": pickle.dumps({}), "archive/version": "3\n"})
    assert "written by torch.save" in _load_error(_bad_file(tmp_path, content))


def test_a_pickle_is_refused_without_being_unpickled(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(pickle, "loads", lambda *a, **k: pytest.fail("unpickled"))
    monkeypatch.setattr(pickle, "load", lambda *a, **k: pytest.fail("unpickled"))
    message = _load_error(_bad_file(tmp_path, pickle.dumps({"w": [1.0]}, protocol=2)))
    assert "pickle" in message


def test_a_file_from_another_format_or_a_newer_version_is_refused(tmp_path: Path) -> None:
    for manifest, expected in [
        ({"format": "something.else", "version": 1}, "names the format 'something.else'"),
        ({"format": "minimodel.save", "version": 99}, "upgrade minimodel"),
    ]:
        content = zip_of({"minimodel.json": json.dumps(manifest)})
        assert expected in _load_error(_bad_file(tmp_path, content))


def test_an_object_array_in_a_file_is_refused(tmp_path: Path) -> None:
    # A hand-made file whose .npy holds pickled Python objects must not be unpickled.
    npy = io.BytesIO()
    np.save(npy, np.array([{"a": 1}], dtype=object), allow_pickle=True)
    content = zip_of({"minimodel.json": _ONE_TENSOR_MANIFEST, "tensors/0.npy": npy.getvalue()})
    assert "dtype '|O' (object), which minimodel does not have" in _load_error(
        _bad_file(tmp_path, content)
    )


def test_a_missing_file_raises_file_not_found(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError, match="No such file or directory"):
        mm.load(tmp_path / "nope.pt")


def test_a_text_mode_file_object_raises_type_error(tmp_path: Path) -> None:
    mm.save([1], tmp_path / "x.pt")
    with open(tmp_path / "x.pt", encoding="latin-1") as f, pytest.raises(TypeError, match="'rb'"):
        mm.load(f)
