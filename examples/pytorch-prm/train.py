#!/usr/bin/python3
"""Trains a small PRM-like listwise reranker in PyTorch on a dataset written by `rerank simulate`, exports it to ONNX
for the onnx plugin (`onnx@^1.0/scorer`), and writes expected.json, the import fixture.

    /usr/bin/python3 examples/pytorch-prm/train.py --data /tmp/sim [--epochs 5] [--seed 20261125]

Input of the model, exactly what the plugin feeds from `candidate_features` / `candidate_mask` for the simulator's schema:

    features [batch, n, 19] float32, per candidate (in request order):
        0   ctr        prior 0 (RerankRequest candidate Priors[0])
        1   cvr        prior 1 (Priors[1])
        2   log_price  item dense 0 (Dense[0] = (float)Math.Log(price), host/Rerank.Simulation/SimWorld.cs)
        3…18 embedding the observable embedding (Embedding, catalogue.jsonl.gz "embedding")
        padded candidates: all zeros
    mask     [batch, n] float32, 1 for a real candidate, 0 for padding
Output:
    scores   [batch, n] float32, higher is better; padded candidates get score + (−1e9).

The model: log(ctr), log(cvr) are appended inside the graph, every column is standardised with constants from the
training split (baked into the graph), a linear projection to d = 32, two post-LN transformer encoder layers (2 heads,
feed-forward 64, key padding mask), and a linear head. Training: per exposed position t of each logged list, BCE of
click_t against score + bias_t (bias_t a learned per-position offset that absorbs position bias; training only, not
exported), Adam, seeded. No position embedding: candidates arrive sorted by ctr, which the model sees as a feature, and
the exported graph then accepts any n.
"""

import argparse
import gzip
import json
import math
import os
import sys
import time

import numpy as np
import torch
from torch import nn

HERE = os.path.dirname(os.path.abspath(__file__))
D = 19
NEG = -1.0e9
OPSET = 17
FIXTURE_REQUESTS = 20
# Requests 15..19 of the fixture keep only their first 12, 13, 14, 15, 16 candidates, so that a batch of all 20 has
# padding (N = 20, the others are padded) and the plugin's padding path is exercised.
TRUNCATED = {15: 12, 16: 13, 17: 14, 18: 15, 19: 16}


def read_jsonl(path):
    with gzip.open(path, "rt", encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def load(data):
    """Catalogue arrays and the three splits of a `rerank simulate` folder."""
    with open(os.path.join(data, "dataset.json"), encoding="utf-8") as f:
        header = json.load(f)
    params = header["params"]
    items = params["items"]
    log_price = np.zeros(items, np.float32)
    category = np.zeros(items, np.int64)
    segment = np.zeros(params["users"], np.int64)
    for line in read_jsonl(os.path.join(data, "world.jsonl.gz")):
        if line["kind"] == "item":
            # SimWorld: Dense = [(float)Math.Log(price[j])] with the double price of world.jsonl.gz.
            log_price[line["item"]] = np.float32(math.log(line["price"]))
            category[line["item"]] = line["category"]
        elif line["kind"] == "user":
            segment[line["user"]] = line["segment"]
    embedding = np.zeros((items, params["embedding_dim"]), np.float32)
    price = np.zeros(items, np.float32)
    for line in read_jsonl(os.path.join(data, "catalogue.jsonl.gz")):
        embedding[line["item"]] = np.asarray(line["embedding"], np.float32)
        price[line["item"]] = np.float32(line["price"])
    splits = {s: read_jsonl(os.path.join(data, f"{s}.jsonl.gz")) for s in ("train", "validation", "test")}
    return header, dict(log_price=log_price, category=category, segment=segment, embedding=embedding, price=price), splits


def features_of(row, cat):
    """[N, 19] float32: ctr, cvr ‖ log_price ‖ embedding — the plugin's candidate_features for one request."""
    items = np.asarray(row["candidates"], np.int64)
    priors = np.stack([np.asarray(row["ctr"], np.float32), np.asarray(row["cvr"], np.float32)], axis=1)
    return np.concatenate([priors, cat["log_price"][items][:, None], cat["embedding"][items]], axis=1).astype(np.float32)


def tensors(rows, cat):
    """Features [R, N, 19], mask [R, N], exposed [R, L] and clicks [R, L] of logged lists (all have N candidates)."""
    x = torch.from_numpy(np.stack([features_of(r, cat) for r in rows]))
    m = torch.ones(x.shape[0], x.shape[1])
    exposed = torch.tensor([r["exposed"] for r in rows], dtype=torch.int64)
    clicks = torch.tensor([r["clicks"] for r in rows], dtype=torch.float32)
    return x, m, exposed, clicks


class EncoderLayer(nn.Module):
    """Post-LN transformer encoder layer written with plain ops (exports to any opset ≥ 17 runtime without fused kernels)."""

    def __init__(self, d, heads, ff, dropout):
        super().__init__()
        self.heads = heads
        self.dh = d // heads
        self.qkv = nn.Linear(d, 3 * d)
        self.out = nn.Linear(d, d)
        self.ff1 = nn.Linear(d, ff)
        self.ff2 = nn.Linear(ff, d)
        self.norm1 = nn.LayerNorm(d)
        self.norm2 = nn.LayerNorm(d)
        self.drop = nn.Dropout(dropout)

    def forward(self, h, key_bias):
        b, n = h.shape[0], h.shape[1]
        q, k, v = self.qkv(h).reshape(b, n, 3, self.heads, self.dh).permute(2, 0, 3, 1, 4).unbind(0)  # each [B, H, N, dh]
        att = torch.matmul(q, k.transpose(2, 3)) / math.sqrt(self.dh) + key_bias  # key_bias [B, 1, 1, N]
        att = self.drop(torch.softmax(att, dim=-1))
        a = torch.matmul(att, v).transpose(1, 2).reshape(b, n, self.heads * self.dh)
        h = self.norm1(h + self.drop(self.out(a)))
        return self.norm2(h + self.drop(self.ff2(self.drop(torch.relu(self.ff1(h))))))


class Prm(nn.Module):
    def __init__(self, mean, std, d=32, heads=2, layers=2, ff=64, dropout=0.1):
        super().__init__()
        self.register_buffer("mean", mean)
        self.register_buffer("std", std)
        self.proj = nn.Linear(mean.shape[0], d)
        self.layers = nn.ModuleList([EncoderLayer(d, heads, ff, dropout) for _ in range(layers)])
        self.head = nn.Linear(d, 1)

    @staticmethod
    def expand(features):
        """Appends log(ctr), log(cvr) (priors are probabilities near 0; their log spreads them)."""
        return torch.cat([features, torch.log(torch.clamp(features[:, :, 0:2], min=1e-6))], dim=2)

    def forward(self, features, mask):
        x = (self.expand(features) - self.mean) / self.std
        key_bias = ((1.0 - mask) * NEG).unsqueeze(1).unsqueeze(2)
        h = self.proj(x)
        for layer in self.layers:
            h = layer(h, key_bias)
        scores = self.head(h).squeeze(2)
        return scores + (1.0 - mask) * NEG


def click_loss(model, position_bias, x, m, exposed, clicks):
    scores = model(x, m)
    logits = torch.gather(scores, 1, exposed) + position_bias
    return nn.functional.binary_cross_entropy_with_logits(logits, clicks)


def pairwise_accuracy(model, x, m, exposed, clicks):
    """Share of (clicked, unclicked) exposed pairs in the same list that the model orders correctly."""
    with torch.no_grad():
        s = torch.gather(model(x, m), 1, exposed)
    diff = s.unsqueeze(2) - s.unsqueeze(1)
    pairs = clicks.unsqueeze(2) * (1 - clicks).unsqueeze(1)
    return float(((diff > 0).float() * pairs).sum() / pairs.sum())


def f32(v):
    """A float32 value as the shortest decimal that reads back to it (keeps expected.json small and exact)."""
    return float(np.format_float_positional(np.float32(v), unique=True, trim="-"))


def fixture_requests(rows, cat):
    out = []
    for i, row in enumerate(rows[:FIXTURE_REQUESTS]):
        keep = TRUNCATED.get(i, len(row["candidates"]))
        u = row["user"]
        feats = features_of(row, cat)[:keep]
        candidates = []
        for k, j in enumerate(row["candidates"][:keep]):
            candidates.append({
                "id": f"item-{j}",
                "categorical": [int(j), int(cat["category"][j])],
                "dense": [f32(cat["log_price"][j])],
                "priors": [f32(row["ctr"][k]), f32(row["cvr"][k])],
                "embedding": [f32(v) for v in cat["embedding"][j]],
                "price": f32(cat["price"][j]),
            })
            assert np.array_equal(np.asarray(candidates[-1]["priors"] + candidates[-1]["dense"] + candidates[-1]["embedding"], np.float32), feats[k])
        out.append(({
            "request_id": row["id"],
            "user_id": f"user-{u}",
            "user_categorical": [int(u), int(cat["segment"][u])],
            "candidates": candidates,
            "slate_size": None,
        }, feats))
    return out


def onnx_check(path, x, m, expected):
    """Max |torch − ONNX| with onnx.reference (onnx ≥ 1.13); None when this onnx lacks it."""
    try:
        from onnx.reference import ReferenceEvaluator
    except ImportError:
        return None
    got = ReferenceEvaluator(path).run(None, {"features": x.numpy(), "mask": m.numpy()})[0]
    real = m.numpy() > 0
    return float(np.abs(got[real] - expected.numpy()[real]).max())


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", required=True, help="folder written by `rerank simulate --out DIR`")
    ap.add_argument("--out", default=HERE, help="folder for prm.onnx and expected.json (default: beside this script)")
    ap.add_argument("--seed", type=int, default=20261125)
    ap.add_argument("--epochs", type=int, default=5)
    ap.add_argument("--batch-size", type=int, default=128)
    ap.add_argument("--learning-rate", type=float, default=0.002)
    ap.add_argument("--threads", type=int, default=2)
    args = ap.parse_args()

    torch.manual_seed(args.seed)
    np.random.seed(args.seed)
    torch.set_num_threads(args.threads)
    started = time.time()
    header, cat, splits = load(args.data)
    params = header["params"]
    print(f"dataset: seed {header['seed']}, {params['candidates']} candidates, L = {params['slate_size']}, "
          f"{len(splits['train'])}/{len(splits['validation'])}/{len(splits['test'])} train/validation/test; schema {header['schema']}")
    expected_schema = ("user_id:User/Categorical/", "item_id:Item/Categorical/", "log_price:Item/Dense/1", "priors: ctr, cvr", "embedding: 16")
    if not all(s in header["schema"] for s in expected_schema):
        sys.exit(f"unexpected schema: {header['schema']}")

    train = tensors(splits["train"], cat)
    valid = tensors(splits["validation"], cat)
    expanded = Prm.expand(train[0]).reshape(-1, D + 2)
    mean, std = expanded.mean(0), expanded.std(0).clamp(min=1e-3)
    model = Prm(mean, std)
    position_bias = nn.Parameter(torch.zeros(params["slate_size"]))
    optimiser = torch.optim.Adam(list(model.parameters()) + [position_bias], lr=args.learning_rate)
    curve = []
    count = train[0].shape[0]
    for epoch in range(1, args.epochs + 1):
        model.train()
        order = torch.randperm(count)
        total, batches = 0.0, 0
        for start in range(0, count, args.batch_size):
            idx = order[start:start + args.batch_size]
            loss = click_loss(model, position_bias, *(t[idx] for t in train))
            optimiser.zero_grad()
            loss.backward()
            optimiser.step()
            total += float(loss)
            batches += 1
        model.eval()
        with torch.no_grad():
            val = float(click_loss(model, position_bias, *valid))
        acc = pairwise_accuracy(model, *valid)
        curve.append({"epoch": epoch, "train_loss": round(total / batches, 5), "validation_loss": round(val, 5),
                      "validation_pairwise_accuracy": round(acc, 4)})
        print(f"epoch {epoch}: train BCE {total / batches:.5f}, validation BCE {val:.5f}, validation pairwise accuracy {acc:.4f}")

    model.eval()
    onnx_path = os.path.join(args.out, "prm.onnx")
    fixture = fixture_requests(splits["test"], cat)
    n = max(len(f) for _, f in fixture)
    x = torch.zeros(len(fixture), n, D)
    m = torch.zeros(len(fixture), n)
    for r, (_, f) in enumerate(fixture):
        x[r, :len(f)] = torch.from_numpy(f)
        m[r, :len(f)] = 1.0
    torch.onnx.export(
        model, (x, m), onnx_path, input_names=["features", "mask"], output_names=["scores"],
        dynamic_axes={"features": {0: "batch", 1: "n"}, "mask": {0: "batch", 1: "n"}, "scores": {0: "batch", 1: "n"}},
        opset_version=OPSET, do_constant_folding=True)
    import onnx
    onnx.checker.check_model(onnx.load(onnx_path))

    with torch.no_grad():
        batched = model(x, m)
        single = [model(torch.from_numpy(f)[None], torch.ones(1, len(f)))[0] for _, f in fixture]
    padding_diff = max(float((batched[r, :len(s)] - s).abs().max()) for r, s in enumerate(single))
    onnx_diff = onnx_check(onnx_path, x, m, batched)
    print(f"exported {onnx_path} ({os.path.getsize(onnx_path)} bytes); batched-vs-single max |diff| {padding_diff:.2e}; "
          f"torch-vs-ONNX (onnx.reference) {'not available in onnx ' + onnx.__version__ if onnx_diff is None else f'{onnx_diff:.2e}'}")

    requests = []
    for (request, f), s in zip(fixture, single):
        request["slate_size"] = params["slate_size"]
        request["torch_scores"] = [f32(v) for v in s]
        requests.append(request)
    expected = {
        "description": "Import fixture for examples/pytorch-prm/prm.onnx: 20 test requests of the simulated dataset (requests 15-19 "
                       "truncated to 12-16 candidates so a batch of all 20 is padded) with PyTorch's scores per candidate "
                       "(each request run alone, unpadded). Rebuild each RerankRequest from the fields (snake_case as the "
                       ":rerank JSON; history omitted: the model does not read it), feed candidate_features/candidate_mask, "
                       "compare the ONNX output with torch_scores (padded slots excluded).",
        "model": "prm.onnx",
        "inputs": [{"name": "features", "dtype": "float32", "shape": ["batch", "n", D], "from": "candidate_features"},
                   {"name": "mask", "dtype": "float32", "shape": ["batch", "n"], "from": "candidate_mask"}],
        "outputs": [{"name": "scores", "dtype": "float32", "shape": ["batch", "n"], "kind": "item_scores"}],
        "feature_order": ["ctr", "cvr", "log_price"] + [f"embedding_{i}" for i in range(16)],
        "torch": torch.__version__,
        "onnx": onnx.__version__,
        "opset": OPSET,
        "seed": args.seed,
        "dataset": {"seed": header["seed"], "params": {k: params[k] for k in ("candidates", "slate_size", "train_requests", "validation_requests", "test_requests")}},
        "training": curve,
        "max_abs_diff_batched_vs_single": padding_diff,
        "max_abs_diff_torch_vs_onnx": onnx_diff,
        "onnx_check": "onnx.reference.ReferenceEvaluator" if onnx_diff is not None else f"skipped: onnx {onnx.__version__} has no onnx.reference (added in 1.13)",
        "tolerance": 1e-4,
        "requests": requests,
    }
    with open(os.path.join(args.out, "expected.json"), "w", encoding="utf-8") as fh:
        json.dump(expected, fh, separators=(",", ":"))
        fh.write("\n")
    print(f"wrote expected.json; {time.time() - started:.1f} s")


if __name__ == "__main__":
    main()
