"""``minimodel.utils.data``: datasets and the ``DataLoader`` that batches them.

``from minimodel.utils.data import DataLoader, TensorDataset`` works as its ``torch.utils.data``
counterpart does. There are no worker processes: see :class:`DataLoader`.
"""

from ._collate import default_collate, default_convert
from .dataloader import DataLoader
from .dataset import Dataset, Subset, TensorDataset, random_split
from .sampler import BatchSampler, RandomSampler, Sampler, SequentialSampler

__all__ = [
    "BatchSampler",
    "DataLoader",
    "Dataset",
    "RandomSampler",
    "Sampler",
    "SequentialSampler",
    "Subset",
    "TensorDataset",
    "default_collate",
    "default_convert",
    "random_split",
]
