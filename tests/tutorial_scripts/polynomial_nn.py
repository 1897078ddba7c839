"""Fit y = sin(x) with a cubic: ``nn.Sequential`` of Linear and Flatten, updated by hand.

The features x, x^2, x^3 make the cubic a linear layer; ``model.zero_grad()`` clears the
gradients and the update walks ``model.parameters()`` under ``torch.no_grad()``.
"""

import math

import numpy as np
import torch
from torch import nn

x = torch.linspace(-math.pi, math.pi, 2000)
y = torch.sin(x)

# (2000,) -> (2000, 1) -> (2000, 3) by broadcasting against the exponents.
p = torch.tensor([1, 2, 3])
xx = x.unsqueeze(-1).pow(p)

model = nn.Sequential(
    nn.Linear(3, 1),
    nn.Flatten(0, 1),
)
loss_fn = nn.MSELoss(reduction="sum")

# Linear's initial weights are random; copy NumPy's so that every framework starts alike.
rng = np.random.default_rng(2)
with torch.no_grad():
    for param in model.parameters():
        param.copy_(torch.tensor(rng.uniform(-0.5, 0.5, size=tuple(param.shape))))

learning_rate = 1e-6
losses = []
for t in range(2000):
    y_pred = model(xx)

    loss = loss_fn(y_pred, y)
    losses.append(loss.item())
    if t % 100 == 99:
        print(t, loss.item())

    model.zero_grad()
    loss.backward()

    with torch.no_grad():
        for param in model.parameters():
            param -= learning_rate * param.grad

linear_layer = model[0]
print(
    f"Result: y = {linear_layer.bias.item()} + {linear_layer.weight[:, 0].item()} x"
    f" + {linear_layer.weight[:, 1].item()} x^2 + {linear_layer.weight[:, 2].item()} x^3"
)
