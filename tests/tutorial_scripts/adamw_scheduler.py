"""Fit a noisy sine with a GELU MLP: AdamW, OneCycleLR stepped every batch, full-batch training."""

import math

import numpy as np
import torch
from torch import nn, optim

rng = np.random.default_rng(7)
x = np.linspace(-math.pi, math.pi, 256).reshape(-1, 1)
y = np.sin(x) + rng.normal(scale=0.05, size=x.shape)
X = torch.tensor(x, dtype=torch.float32)
Y = torch.tensor(y, dtype=torch.float32)

model = nn.Sequential(
    nn.Linear(1, 32), nn.GELU(), nn.Linear(32, 32), nn.GELU(approximate="tanh"), nn.Linear(32, 1)
)
with torch.no_grad():
    for layer in model:
        if isinstance(layer, nn.Linear):
            bound = 1 / math.sqrt(layer.in_features)
            layer.weight.copy_(
                torch.tensor(rng.uniform(-bound, bound, size=tuple(layer.weight.shape)))
            )
            layer.bias.copy_(torch.tensor(rng.uniform(-bound, bound, size=tuple(layer.bias.shape))))

epochs = 200
optimizer = optim.AdamW(model.parameters(), lr=1e-3, weight_decay=1e-2)
scheduler = optim.lr_scheduler.OneCycleLR(optimizer, max_lr=0.02, total_steps=epochs)
loss_fn = nn.MSELoss()

losses = []
for epoch in range(epochs):
    optimizer.zero_grad()
    loss = loss_fn(model(X), Y)
    loss.backward()
    optimizer.step()
    scheduler.step()
    losses.append(loss.item())
    if epoch % 40 == 0:
        print(f"epoch {epoch}: loss {loss.item():.5f}, lr {scheduler.get_last_lr()[0]:.6f}")

print(f"Result: final loss {losses[-1]:.5f}, last lr {scheduler.get_last_lr()[0]:.3e}")
