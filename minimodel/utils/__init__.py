"""``minimodel.utils``: helpers around training, as in ``torch.utils`` (``data`` for now)."""

from . import data

__all__ = ["data"]
