"""Chapter 04's drill check passes the book's PyTorch port, in both languages' pages, and names
what a wrong port gets wrong: the line it prints differently, or the mode it leaves the model in."""

from __future__ import annotations

import pytest
from book_solutions import DOCS
from lab_testing import assert_fails, assert_passes

from docs_support.scripts import shown_code
from minimodel.lab import check

torch = pytest.importorskip("torch")
PAGE = "04-port-drill.md"


@pytest.fixture(autouse=True)
def _one_thread():
    # The port trains a small model: one thread is faster than two fighting on a busy machine.
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(threads)


def _port(lang="en"):
    return shown_code("drill_torch.py", DOCS / lang / PAGE) + "\n"


def _wrong(old, new):
    port = _port()
    assert port.count(old) == 1, old
    return port.replace(old, new)


@pytest.mark.parametrize("lang", ["en", "es"])
def test_the_books_port_passes_from_its_code_and_from_its_file(lang, tmp_path):
    assert_passes("04-drill", _port(lang))
    path = tmp_path / "drill_torch.py"
    path.write_text(_port(lang), encoding="utf-8")
    assert check("04-drill", path, lang=lang).startswith("04-drill: ")


def test_the_check_leaves_the_readers_torch_generator_as_it_was():
    torch.manual_seed(123)
    expected = torch.rand(3)
    torch.manual_seed(123)
    check("04-drill", _port())
    assert torch.equal(torch.rand(3), expected)


def test_adam_for_adamw_diverges_once_the_draws_are_off():
    assert_fails(
        "04-drill",
        _wrong("optim.AdamW(", "optim.Adam("),
        r"line 3 of what drill_torch\.py prints with shuffle=False and p=0\.0 .* the training "
        r"itself differs \(the loss, the optimizer",
        r"la línea 3 de lo que imprime drill_torch\.py con shuffle=False y p=0\.0 .* el "
        r"entrenamiento mismo es distinto",
    )


def test_a_forgotten_zero_grad_diverges_once_the_draws_are_off():
    assert_fails(
        "04-drill",
        _wrong("        optimizer.zero_grad()\n", ""),
        r"line 3 .* with shuffle=False .* optimizer\.zero_grad\(\) before each backward\(\)",
        r"la línea 3 .* con shuffle=False .* optimizer\.zero_grad\(\) antes de cada backward",
    )


def test_the_scheduler_stepped_each_batch_shows_in_the_learning_rate():
    assert_fails(
        "04-drill",
        _wrong(
            "        optimizer.step()\n    scheduler.step()",
            "        optimizer.step()\n        scheduler.step()",
        ),
        r"line 3 .* is 'epoch 10: lr 0\.0013, .* prints 'epoch 10: lr 0\.0100, .* call "
        r"scheduler\.step\(\) once per epoch",
        r"la línea 3 .* 'epoch 10: lr 0\.0013, .* llama a scheduler\.step\(\) una vez por época",
    )


def test_evaluation_without_eval_changes_the_starting_loss():
    assert_fails(
        "04-drill",
        _wrong("    model.eval()  # dropout off: every hidden unit counts\n", ""),
        r"line 2 .* is 'before training: loss 0\.68\d+, .* where the minimodel script prints "
        r"'before training: loss 0\.689627, .* model\.eval\(\)",
        r"la línea 2 .* 'before training: loss 0\.689627, .* model\.eval\(\)",
    )


def test_a_model_left_in_evaluation_mode_is_named():
    assert_fails(
        "04-drill",
        _wrong("    model.train()  # back to training mode, dropout on\n", ""),
        r"after drill_torch\.py runs, model is in evaluation mode: evaluate\(\) must call "
        r"model\.train\(\)",
        r"después de ejecutar drill_torch\.py, model está en modo de evaluación",
    )


def test_an_import_left_from_minimodel_is_named_by_its_line():
    assert_fails(
        "04-drill",
        _wrong("from torch.utils.data import", "from minimodel.utils.data import"),
        r"line 5 of drill_torch\.py still imports from minimodel\.utils\.data: the port takes it "
        r"from torch\.utils\.data",
        r"la línea 5 de drill_torch\.py todavía importa de minimodel\.utils\.data",
    )


def test_a_port_that_raises_or_renames_the_draws_or_is_missing_is_explained(tmp_path):
    assert_fails(
        "04-drill",
        _wrong("nn.BCEWithLogitsLoss()", "nn.BCELoss()"),
        r"drill_torch\.py raised RuntimeError: all elements of input should be between 0 and 1",
        r"drill_torch\.py lanzó la excepción RuntimeError: all elements of input",
    )
    assert_fails(
        "04-drill",
        _wrong("shuffle=True", "shuffle=bool(1)"),
        r"replacing shuffle=True with shuffle=False, but drill_torch\.py holds shuffle=True 0 "
        r"times",
        r"cambiando shuffle=True por shuffle=False, pero drill_torch\.py contiene shuffle=True 0",
    )
    assert_fails(
        "04-drill",
        tmp_path / "mine.py",
        r"there is no file at .*mine\.py",
        r"no hay ningún archivo en .*mine\.py",
    )
    assert_fails(
        "04-drill",
        42,
        r"expected the path of your script, or its code as a str, but got int",
        r"se esperaba la ruta de tu script, o su código como str, pero se recibió int",
    )
