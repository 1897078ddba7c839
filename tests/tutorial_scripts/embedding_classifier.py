"""Classify tiny "sentences" of word ids: Embedding with padding_idx, mean pooling, LayerNorm."""

import math

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn, optim

rng = np.random.default_rng(11)
vocab, classes, length = 30, 3, 6
# Class k uses mostly words from its own third of the vocabulary; 0 is the padding word.
sentences, labels = [], []
for i in range(90):
    k = i % classes
    words = rng.integers(1 + 10 * k, 10 + 10 * k, size=rng.integers(2, length + 1))
    words[rng.random(len(words)) < 0.3] = rng.integers(1, vocab, size=1)
    sentences.append(np.pad(words, (0, length - len(words))))
    labels.append(k)
tokens = torch.tensor(np.array(sentences))
targets = torch.tensor(labels)


class BagOfEmbeddings(nn.Module):
    def __init__(self):
        super().__init__()
        self.embed = nn.Embedding(vocab, 8, padding_idx=0)
        self.norm = nn.LayerNorm(8)
        self.out = nn.Linear(8, classes)

    def forward(self, tokens):
        mask = (tokens != 0).float().unsqueeze(-1)
        summed = (self.embed(tokens) * mask).sum(dim=1)
        return self.out(self.norm(summed / mask.sum(dim=1)))


model = BagOfEmbeddings()
with torch.no_grad():
    model.embed.weight.copy_(torch.tensor(rng.standard_normal((vocab, 8))))
    model.embed.weight[0].fill_(0)
    bound = 1 / math.sqrt(8)
    model.out.weight.copy_(torch.tensor(rng.uniform(-bound, bound, size=(classes, 8))))
    model.out.bias.copy_(torch.tensor(rng.uniform(-bound, bound, size=classes)))

optimizer = optim.Adam(model.parameters(), lr=0.05)
losses = []
for epoch in range(60):
    optimizer.zero_grad()
    loss = F.cross_entropy(model(tokens), targets)
    loss.backward()
    optimizer.step()
    losses.append(loss.item())
    if epoch % 20 == 0:
        print(f"epoch {epoch}: loss {loss.item():.4f}")

padding_row = model.embed.weight[0].abs().sum().item()
accuracy = (model(tokens).argmax(dim=1) == targets).float().mean().item()
print(f"Result: accuracy {accuracy:.3f}, padding row stays {padding_row:.1f}")
