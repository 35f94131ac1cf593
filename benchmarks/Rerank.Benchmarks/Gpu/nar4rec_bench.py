"""The NAR4Rec generator network in PyTorch eager, for `rerank bench gpu`.

Mirrors engine/Rerank.Engine/Benchmarks/Nar4RecBenchModel.cs: d = 32, 4 heads, FFN 64 (GELU, tanh approximation),
pre-norm layers, one candidates-encoder layer + final LayerNorm, position embeddings (10) with one decoder layer
(bidirectional self-attention over the slate positions, cross-attention to the candidates), LayerNorm, scores
t_j . x_i / sqrt(d) and a masked log-softmax over candidates (eq. 12); two item categorical fields (width 8) + 8
dense item features -> Linear(24, 32), one user field -> Linear(8, 32), added. Random seeded weights.

One timed batch = candidate features copied host -> GPU, the forward pass, greedy decoding on the GPU (each
position takes its best unpicked candidate), slates copied back. Prints one JSON line.
"""
import argparse
import json
import math
import sys
import time

import torch
import torch.nn as nn
import torch.nn.functional as F

D, HEADS, FFN, FIELD, POSITIONS, ITEM_FIELDS, DENSE, VOCAB = 32, 4, 64, 8, 10, 2, 8, 1000


class Attention(nn.Module):
    def __init__(self):
        super().__init__()
        self.query, self.key, self.value, self.output = (nn.Linear(D, D) for _ in range(4))

    def forward(self, x, memory, key_mask):
        b, nq, _ = x.shape
        nk = memory.shape[1]
        dk = D // HEADS
        q = self.query(x).view(b, nq, HEADS, dk).transpose(1, 2)
        k = self.key(memory).view(b, nk, HEADS, dk).transpose(1, 2)
        v = self.value(memory).view(b, nk, HEADS, dk).transpose(1, 2)
        scores = q @ k.transpose(-1, -2) / math.sqrt(dk)
        scores = scores.masked_fill(key_mask[:, None, None, :] == 0, float("-inf"))
        o = torch.softmax(scores, dim=-1) @ v
        return self.output(o.transpose(1, 2).reshape(b, nq, D))


class FeedForward(nn.Module):
    def __init__(self):
        super().__init__()
        self.hidden, self.out = nn.Linear(D, FFN), nn.Linear(FFN, D)

    def forward(self, x):
        return self.out(F.gelu(self.hidden(x), approximate="tanh"))


class EncoderLayer(nn.Module):
    def __init__(self):
        super().__init__()
        self.norm1, self.attention, self.norm2, self.ff = nn.LayerNorm(D), Attention(), nn.LayerNorm(D), FeedForward()

    def forward(self, x, mask):
        n = self.norm1(x)
        h = x + self.attention(n, n, mask)
        return h + self.ff(self.norm2(h))


class DecoderLayer(nn.Module):
    def __init__(self):
        super().__init__()
        self.norm1, self.self_attention = nn.LayerNorm(D), Attention()
        self.norm2, self.cross_attention = nn.LayerNorm(D), Attention()
        self.norm3, self.ff = nn.LayerNorm(D), FeedForward()

    def forward(self, t, memory, memory_mask, self_mask):
        n1 = self.norm1(t)
        h = t + self.self_attention(n1, n1, self_mask)
        h2 = h + self.cross_attention(self.norm2(h), memory, memory_mask)
        return h2 + self.ff(self.norm3(h2))


class Generator(nn.Module):
    def __init__(self):
        super().__init__()
        self.item_fields = nn.ModuleList(nn.Embedding(VOCAB, FIELD) for _ in range(ITEM_FIELDS))
        self.user_field = nn.Embedding(VOCAB, FIELD)
        self.item_projection = nn.Linear(ITEM_FIELDS * FIELD + DENSE, D)
        self.user_projection = nn.Linear(FIELD, D)
        self.encoder_layer, self.encoder_norm = EncoderLayer(), nn.LayerNorm(D)
        self.positions = nn.Embedding(POSITIONS, D)
        self.position_layer, self.position_norm = DecoderLayer(), nn.LayerNorm(D)

    def forward(self, item_ids, dense, user_ids, mask, slate_size):
        b, n = mask.shape
        parts = [emb(item_ids[:, :, f]) for f, emb in enumerate(self.item_fields)] + [dense]
        items = self.item_projection(torch.cat(parts, dim=2))
        user = self.user_projection(self.user_field(user_ids)).unsqueeze(1)
        x = self.encoder_norm(self.encoder_layer(items + user, mask))
        t = self.positions.weight[:slate_size].unsqueeze(0).expand(b, -1, -1)
        self_mask = torch.ones(b, slate_size, device=mask.device)
        t = self.position_norm(self.position_layer(t, x, mask, self_mask))
        scores = t @ x.transpose(1, 2) / math.sqrt(D)
        return torch.log_softmax(scores.masked_fill(mask[:, None, :] == 0, float("-inf")), dim=-1)


def decode(logp):
    b, l, n = logp.shape
    picked = torch.zeros(b, n, dtype=torch.bool, device=logp.device)
    slates = []
    for j in range(l):
        best = logp[:, j, :].masked_fill(picked, float("-inf")).argmax(dim=-1)
        picked[torch.arange(b, device=logp.device), best] = True
        slates.append(best)
    return torch.stack(slates, dim=1)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--batch", type=int, default=1024)
    p.add_argument("--candidates", type=int, default=60)
    p.add_argument("--slate-size", type=int, default=6)
    p.add_argument("--min-seconds", type=float, default=2.0)
    p.add_argument("--min-iterations", type=int, default=3)
    p.add_argument("--warmup", type=int, default=2)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--graphs", action="store_true", help="capture forward + decoding as one CUDA graph and replay it")
    a = p.parse_args()
    if not torch.cuda.is_available():
        print(json.dumps({"ran": False, "backend": "pytorch cuda graphs" if a.graphs else "pytorch eager", "note": "torch.cuda.is_available() is False"}))
        return 0
    torch.manual_seed(a.seed)
    device = torch.device("cuda")
    model = Generator().to(device).eval()
    b, n = a.batch, a.candidates
    item_ids = torch.randint(0, VOCAB, (b, n, ITEM_FIELDS))
    dense = torch.randn(b, n, DENSE)
    user_ids = torch.randint(0, VOCAB, (b,))
    mask = torch.ones(b, n)

    def forward(ids, dns, users, msk):
        with torch.no_grad():
            return decode(model(ids, dns, users, msk, a.slate_size))

    if a.graphs:
        # the peer a user would pick for small batches: the whole forward and decoding captured once into a CUDA graph
        # (torch.cuda.graph) over static device inputs; each batch copies its features in, replays, copies slates out
        static = [item_ids.to(device), dense.to(device), user_ids.to(device), mask.to(device)]
        side = torch.cuda.Stream()
        side.wait_stream(torch.cuda.current_stream())
        with torch.cuda.stream(side):
            for _ in range(3):
                forward(*static)
        torch.cuda.current_stream().wait_stream(side)
        graph = torch.cuda.CUDAGraph()
        with torch.cuda.graph(graph):
            static_out = forward(*static)
        host = [item_ids.pin_memory(), dense.pin_memory(), user_ids.pin_memory(), mask.pin_memory()]

        def one():
            for dst, src in zip(static, host):
                dst.copy_(src, non_blocking=True)
            graph.replay()
            return static_out.cpu()
    else:
        def one():
            return forward(item_ids.to(device), dense.to(device), user_ids.to(device), mask.to(device)).cpu()

    for _ in range(a.warmup):
        one()
    torch.cuda.synchronize()
    start, iterations = time.perf_counter(), 0
    while iterations < a.min_iterations or time.perf_counter() - start < a.min_seconds:
        one()
        iterations += 1
    torch.cuda.synchronize()
    ms = (time.perf_counter() - start) * 1000 / iterations
    print(json.dumps({
        "ran": True,
        "backend": "pytorch cuda graphs" if a.graphs else "pytorch eager",
        "device": torch.cuda.get_device_name(0),
        "iterations": iterations,
        "ms_per_batch": ms,
        "requests_per_s": b / (ms / 1000),
        "note": f"torch {torch.__version__}, CUDA {torch.version.cuda}, {'CUDA graph (torch.cuda.graph)' if a.graphs else 'eager'}, no_grad, B = {b}, N = {n}, L = {a.slate_size}",
    }))
    return 0


if __name__ == "__main__":
    sys.exit(main())
