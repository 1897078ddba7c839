"""PyTorch's polynomial tutorial (tensors and autograd) with dtype= and device= everywhere."""

import math

import numpy as np
import torch

dtype = torch.float
device = torch.device("cpu")

x = torch.linspace(-math.pi, math.pi, 2000, device=device, dtype=dtype)
y = torch.sin(x).to(device)

# The tutorial draws the coefficients with torch.randn; the same numbers in both libraries here.
rng = np.random.default_rng(0)
a, b, c, d = (
    torch.tensor(rng.standard_normal(), device=device, dtype=dtype, requires_grad=True)
    for _ in range(4)
)
scale = torch.ones((), device=device, dtype=torch.float64).to(dtype=dtype)
offset = torch.zeros(1, dtype=dtype, device=device)

learning_rate = 1e-6
losses = []
for t in range(2000):
    y_pred = scale * (a + b * x + c * x**2 + d * x**3) + offset
    loss = (y_pred - y).pow(2).sum()
    losses.append(loss.item())
    if t % 500 == 499:
        print(t, loss.item())
    loss.backward()
    with torch.no_grad():
        for coefficient in (a, b, c, d):
            coefficient -= learning_rate * coefficient.grad
            coefficient.grad = None

print(f"all float32: {x.dtype == a.dtype == scale.dtype == torch.float32}, device: {a.device}")
print(f"Result: y = {a.item():.4f} + {b.item():.4f} x + {c.item():.4f} x^2 + {d.item():.4f} x^3")
