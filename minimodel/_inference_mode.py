"""``inference_mode``: no gradient recording, as a context manager or a decorator."""

from __future__ import annotations

from collections.abc import Callable

from .autograd import _P, _R, _grad_mode, _GradModeContext

__all__ = ["inference_mode", "is_inference_mode_enabled"]


class inference_mode(_GradModeContext):
    """Context manager (and decorator) for code that runs the model without training it: no
    operation is recorded, as under :class:`minimodel.no_grad`.

    Difference from PyTorch: minimodel has no "inference tensors". Tensors made inside behave
    like those made under ``no_grad`` (PyTorch forbids using them in recorded operations later).

    Args:
        mode: ``True`` (default) to enable inference mode, ``False`` to leave it (grad mode on).

    Example::

        >>> w = minimodel.ones(2, requires_grad=True)
        >>> with minimodel.inference_mode():
        ...     y = w * 2
        >>> y.requires_grad
        False
        >>> @minimodel.inference_mode()
        ... def predict(x):
        ...     return w * x
        >>> predict(3.0).requires_grad
        False
    """

    def __init__(self, mode: bool = True) -> None:
        self.inference = bool(mode)

    def __enter__(self) -> None:
        self.prev = _grad_mode.state()
        # As in PyTorch, inference_mode(False) turns grad mode on.
        _grad_mode.set(not self.inference, self.inference)

    def __exit__(self, *exc: object) -> None:
        _grad_mode.set(*self.prev)

    def __call__(self, func: Callable[_P, _R]) -> Callable[_P, _R]:
        import functools

        @functools.wraps(func)
        def wrapper(*args: _P.args, **kwargs: _P.kwargs) -> _R:
            with inference_mode(self.inference):
                return func(*args, **kwargs)

        return wrapper


def is_inference_mode_enabled() -> bool:
    """True inside :class:`inference_mode`."""
    return _grad_mode.inference
