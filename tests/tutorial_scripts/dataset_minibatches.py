"""A Dataset subclass in ordered mini-batches: LeakyReLU MLP in a ModuleDict, Huber loss, StepLR."""

import math

import numpy as np
import torch
from torch import nn, optim
from torch.utils.data import DataLoader, Dataset

rng = np.random.default_rng(3)


class Quadratic(Dataset):
    def __init__(self, n):
        self.x = rng.uniform(-2, 2, size=(n, 2)).astype(np.float32)
        self.y = (self.x[:, :1] ** 2 - self.x[:, 1:] + 0.1 * rng.standard_t(3, size=(n, 1))).astype(
            np.float32
        )

    def __len__(self):
        return len(self.x)

    def __getitem__(self, i):
        return torch.tensor(self.x[i]), torch.tensor(self.y[i])


data = Quadratic(200)
loader = DataLoader(data, batch_size=32, shuffle=False)


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.layers = nn.ModuleDict({"hidden": nn.Linear(2, 16), "out": nn.Linear(16, 1)})
        self.act = nn.LeakyReLU(0.1)

    def forward(self, x):
        return self.layers["out"](self.act(self.layers["hidden"](x)))


model = Net()
with torch.no_grad():
    for layer in model.layers.values():
        bound = 1 / math.sqrt(layer.in_features)
        layer.weight.copy_(torch.tensor(rng.uniform(-bound, bound, size=tuple(layer.weight.shape))))
        layer.bias.copy_(torch.tensor(rng.uniform(-bound, bound, size=tuple(layer.bias.shape))))

loss_fn = nn.HuberLoss(delta=1.0)
optimizer = optim.SGD(model.parameters(), lr=0.05, momentum=0.9)
scheduler = optim.lr_scheduler.StepLR(optimizer, step_size=10, gamma=0.5)

losses = []
for epoch in range(30):
    for inputs, target in loader:
        optimizer.zero_grad()
        loss = loss_fn(model(inputs), target)
        loss.backward()
        optimizer.step()
        losses.append(loss.item())
    scheduler.step()
    if epoch % 10 == 9:
        print(
            f"epoch {epoch + 1}: last batch loss {losses[-1]:.4f}, lr {scheduler.get_last_lr()[0]}"
        )

print(f"Result: {len(loader)} batches per epoch, final batch loss {losses[-1]:.4f}")
