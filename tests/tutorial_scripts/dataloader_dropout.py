"""Two moons in shuffled mini-batches: Dropout in train() mode, evaluation in eval() mode."""

import math

import numpy as np
import torch
from torch import nn, optim
from torch.utils.data import DataLoader, TensorDataset, random_split

rng = np.random.default_rng(5)
n = 400
angle = rng.uniform(0, math.pi, n)
upper = rng.random(n) < 0.5
points = np.where(
    upper[:, None],
    np.stack([np.cos(angle), np.sin(angle)], 1),
    np.stack([1 - np.cos(angle), 0.5 - np.sin(angle)], 1),
) + rng.normal(scale=0.1, size=(n, 2))
dataset = TensorDataset(
    torch.tensor(points, dtype=torch.float32), torch.tensor(upper.astype(np.int64))
)
train_set, test_set = random_split(
    dataset, [0.75, 0.25], generator=torch.Generator().manual_seed(0)
)
train_loader = DataLoader(
    train_set, batch_size=32, shuffle=True, generator=torch.Generator().manual_seed(1)
)
test_loader = DataLoader(test_set, batch_size=100)

model = nn.Sequential(nn.Linear(2, 64), nn.ReLU(), nn.Dropout(0.2), nn.Linear(64, 2))
with torch.no_grad():
    for layer in (model[0], model[3]):
        bound = 1 / math.sqrt(layer.in_features)
        layer.weight.copy_(torch.tensor(rng.uniform(-bound, bound, size=tuple(layer.weight.shape))))
        layer.bias.copy_(torch.tensor(rng.uniform(-bound, bound, size=tuple(layer.bias.shape))))

criterion = nn.CrossEntropyLoss()
optimizer = optim.Adam(model.parameters(), lr=0.01)


def evaluate(loader):
    model.eval()
    correct, total, loss = 0, 0, 0.0
    with torch.no_grad():
        for inputs, labels in loader:
            logits = model(inputs)
            loss += criterion(logits, labels).item() * len(labels)
            correct += (logits.argmax(dim=1) == labels).sum().item()
            total += len(labels)
    return loss / total, correct / total


# Evaluating the whole dataset before training uses no random draw: its loss is deterministic.
full_loss, _ = evaluate(DataLoader(dataset, batch_size=400))
print(f"before training: loss {full_loss:.4f}")
losses = [full_loss]
for _epoch in range(40):
    model.train()
    for inputs, labels in train_loader:
        optimizer.zero_grad()
        loss = criterion(model(inputs), labels)
        loss.backward()
        optimizer.step()
    test_loss, test_accuracy = evaluate(test_loader)
    losses.append(test_loss)

print(f"splits {len(train_set)}/{len(test_set)}, {len(train_loader)} batches per epoch")
print(f"Result: test accuracy {test_accuracy:.3f}")
