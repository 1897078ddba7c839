"""The floor: each workload as a hand-written NumPy forward and backward pass, no framework.

The same arithmetic as PyTorch's modules, losses and optimizers (which minimodel copies), so the
loss curves agree with theirs to float32 rounding; no graph, no objects per operation.
"""

from __future__ import annotations

from time import perf_counter

import numpy as np

from .workloads import CHAIN_LR, CHAIN_OPS, MLP_LR, MLP_MOMENTUM, TENSE_LR

Result = tuple[list[float], float]


class _Adam:
    """PyTorch's Adam (no weight decay, no amsgrad) on a list of arrays, updated in place."""

    def __init__(self, params: list[np.ndarray], lr: float, betas=(0.9, 0.999), eps=1e-8):
        self.params, self.lr, self.betas, self.eps = params, lr, betas, eps
        self.m = [np.zeros_like(p) for p in params]
        self.v = [np.zeros_like(p) for p in params]
        self.t = 0

    def step(self, grads: list[np.ndarray]) -> None:
        beta1, beta2 = self.betas
        self.t += 1
        step_size = self.lr / (1 - beta1**self.t)
        bias_correction2_sqrt = (1 - beta2**self.t) ** 0.5
        for p, g, m, v in zip(self.params, grads, self.m, self.v, strict=True):
            m *= beta1
            m += (1 - beta1) * g
            v *= beta2
            v += (1 - beta2) * g * g
            p -= step_size * m / (np.sqrt(v) / bias_correction2_sqrt + self.eps)


class _SGDMomentum:
    """PyTorch's SGD with momentum (no dampening, no Nesterov): the first buffer is the grad."""

    def __init__(self, params: list[np.ndarray], lr: float, momentum: float):
        self.params, self.lr, self.momentum = params, lr, momentum
        self.bufs: list[np.ndarray] | None = None

    def step(self, grads: list[np.ndarray]) -> None:
        if self.bufs is None:
            self.bufs = [g.copy() for g in grads]
        else:
            for buf, g in zip(self.bufs, grads, strict=True):
                buf *= self.momentum
                buf += g
        for p, buf in zip(self.params, self.bufs, strict=True):
            p -= self.lr * buf


def _two_layer(x, w1, b1, w2, b2):
    h = x @ w1.T + b1
    a = np.maximum(h, 0)
    return h, a, a @ w2.T + b2


def _two_layer_grads(x, h, a, w2, dz):
    """Gradients of (w1, b1, w2, b2) from the gradient ``dz`` of the logits."""
    dh = (dz @ w2) * (h > 0)
    return [dh.T @ x, dh.sum(axis=0), dz.T @ a, dz.sum(axis=0)]


def tense_mlp(data: dict[str, np.ndarray], steps: int) -> Result:
    x, y = data["x"], data["y"]
    params = [data["w1"], data["b1"], data["w2"], data["b2"]]
    adam = _Adam(params, TENSE_LR)
    losses = []
    start = perf_counter()
    for _ in range(steps):
        w1, b1, w2, b2 = params
        h, a, z = _two_layer(x, w1, b1, w2, b2)
        # BCE with logits, stable form: max(z, 0) - z * y + log(1 + exp(-|z|)).
        loss = (np.maximum(z, 0) - z * y + np.log1p(np.exp(-np.abs(z)))).mean()
        sigmoid = np.exp(-np.logaddexp(0, -z))
        adam.step(_two_layer_grads(x, h, a, w2, (sigmoid - y) / y.size))
        losses.append(float(loss))
    return losses, perf_counter() - start


def mlp(data: dict[str, np.ndarray], steps: int) -> Result:
    x, y = data["x"], data["y"]
    params = [data["w1"], data["b1"], data["w2"], data["b2"]]
    sgd = _SGDMomentum(params, MLP_LR, MLP_MOMENTUM)
    rows = np.arange(len(y))
    losses = []
    start = perf_counter()
    for _ in range(steps):
        w1, b1, w2, b2 = params
        h, a, z = _two_layer(x, w1, b1, w2, b2)
        shifted = z - z.max(axis=1, keepdims=True)
        logp = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
        loss = -logp[rows, y].mean()
        dz = np.exp(logp)  # softmax, minus one-hot, over the batch size
        dz[rows, y] -= 1
        dz /= len(y)
        sgd.step(_two_layer_grads(x, h, a, w2, dz))
        losses.append(float(loss))
    return losses, perf_counter() - start


def chain(data: dict[str, np.ndarray], steps: int) -> Result:
    x, w, b = data["x"], data["w"], data["b"]
    links = CHAIN_OPS // 3
    losses = []
    start = perf_counter()
    for _ in range(steps):
        ins, outs = [], []
        y = x
        for _ in range(links):
            ins.append(y)
            y = np.tanh(y * w + b)
            outs.append(y)
        loss = y.sum()
        g = np.ones_like(y)
        gw = np.zeros_like(w)
        gb = np.zeros_like(b)
        for y_in, out in zip(reversed(ins), reversed(outs), strict=True):
            g = g * (1 - out * out)
            gb += g
            gw += g * y_in
            g = g * w
        for p, grad in ((x, g), (w, gw), (b, gb)):
            p -= CHAIN_LR * grad
        losses.append(float(loss))
    return losses, perf_counter() - start


WORKLOADS = {"tense_mlp": tense_mlp, "mlp": mlp, "chain": chain}
