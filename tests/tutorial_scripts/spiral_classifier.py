"""Classify the points of three interleaved spirals: a small tanh MLP, CrossEntropyLoss, Adam."""

import math

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn, optim

# Three spiral arms of 100 points each, with a little noise: not linearly separable.
rng = np.random.default_rng(4)
n, classes = 100, 3
radius = np.tile(np.linspace(0.1, 1.0, n), classes)
angle = np.concatenate([np.linspace(k * 4.0, k * 4.0 + 4.0, n) for k in range(classes)])
angle += rng.normal(scale=0.2, size=angle.shape)
points = np.stack([radius * np.sin(angle), radius * np.cos(angle)], axis=1)
X = torch.tensor(points, dtype=torch.float32)
labels = torch.tensor(np.repeat(np.arange(classes), n))


class MLP(nn.Module):
    def __init__(self, hidden=32):
        super().__init__()
        self.fc1 = nn.Linear(2, hidden)
        self.fc2 = nn.Linear(hidden, classes)

    def forward(self, x):
        return self.fc2(torch.tanh(self.fc1(x)))


model = MLP()
# Linear's initial weights are random; draw them from NumPy with PyTorch's default bounds
# (uniform within 1/sqrt(fan_in)) so that every framework starts alike.
with torch.no_grad():
    for layer in (model.fc1, model.fc2):
        bound = 1 / math.sqrt(layer.in_features)
        for param in (layer.weight, layer.bias):
            param.copy_(torch.tensor(rng.uniform(-bound, bound, size=tuple(param.shape))))

criterion = nn.CrossEntropyLoss()
optimizer = optim.Adam(model.parameters(), lr=0.01)

losses = []
for epoch in range(300):
    logits = model(X)
    loss = criterion(logits, labels)
    losses.append(loss.item())
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
    if epoch % 50 == 49:
        accuracy = (logits.argmax(dim=1) == labels).float().mean()
        print(f"epoch {epoch + 1}: loss {loss.item():.4f}, accuracy {accuracy.item():.2%}")

with torch.no_grad():
    probabilities = F.softmax(model(X), dim=1)
confidence, predicted = probabilities.max(dim=1)
accuracy = (predicted == labels).float().mean().item()
print(f"Result: training accuracy {accuracy:.3f}, mean confidence {confidence.mean():.3f}")
