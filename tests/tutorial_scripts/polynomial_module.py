"""Fit y = sin(x) with a cubic a + b x + c x^2 + d x^3: a Module of four scalar Parameters.

The model is a custom ``nn.Module``; ``nn.MSELoss`` and ``optim.SGD`` with momentum train it.
"""

import math

import numpy as np
import torch
import torch.nn as nn

# Initial coefficients from NumPy, so that every framework starts from the same numbers.
rng = np.random.default_rng(0)
start = [float(v) for v in rng.standard_normal(4)]


class Polynomial3(nn.Module):
    def __init__(self):
        super().__init__()
        self.a = nn.Parameter(torch.tensor(start[0]))
        self.b = nn.Parameter(torch.tensor(start[1]))
        self.c = nn.Parameter(torch.tensor(start[2]))
        self.d = nn.Parameter(torch.tensor(start[3]))

    def forward(self, x):
        return self.a + self.b * x + self.c * x**2 + self.d * x**3

    def string(self):
        return (
            f"y = {self.a.item()} + {self.b.item()} x + {self.c.item()} x^2 + {self.d.item()} x^3"
        )


x = torch.linspace(-math.pi, math.pi, 2000)
y = torch.sin(x)

model = Polynomial3()
criterion = nn.MSELoss(reduction="sum")
optimizer = torch.optim.SGD(model.parameters(), lr=1e-6, momentum=0.9)

losses = []
for t in range(500):
    y_pred = model(x)
    loss = criterion(y_pred, y)
    losses.append(loss.item())
    if t % 100 == 99:
        print(t, loss.item())

    optimizer.zero_grad()
    loss.backward()
    optimizer.step()

print(f"Result: {model.string()}")
