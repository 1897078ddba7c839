"""Optimizers: algorithms that update parameters from their gradients, as in ``torch.optim``."""

from .adam import Adam
from .optimizer import Optimizer
from .rmsprop import RMSprop
from .sgd import SGD

__all__ = ["SGD", "Adam", "Optimizer", "RMSprop"]
