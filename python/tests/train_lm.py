"""A tiny character-level mLSTM language model trained twice from the same
initialization and batches: once with the compiled kernels (bf16, through
mlstm_compiled), once with the pure-PyTorch reference (float32). The loss
curves must fall the same way. Text: this repository's README and docs.

    python3 python/tests/train_lm.py --out lm.json [--steps 400] [--variants exp,sig]
"""

import argparse
import copy
import glob
import json
import math
import os
import sys
import time

import torch
import torch.nn as nn
import torch.nn.functional as F

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(HERE, ".."))
import mlstm_compiled as mc  # noqa: E402
from reference import mlstm_parallel  # noqa: E402


def compiled(variant):
    fn = dict(exp=mc.mlstm_exp, sig=mc.mlstm_sig,
              sig_nonorm=lambda *a: mc.mlstm_sig(*a, normalize=False))[variant]
    # bf16 at the kernel boundary, as autocast would do; the rest stays f32.
    return lambda q, k, v, i, f: fn(*(t.bfloat16() for t in (q, k, v, i, f))).float()


def reference(variant):
    return lambda q, k, v, i, f: mlstm_parallel(variant, q, k, v, i, f)


class MlstmLayer(nn.Module):
    def __init__(self, emb, nh, dqk, dhv):
        super().__init__()
        self.nh, self.dqk, self.dhv = nh, dqk, dhv
        self.norm = nn.LayerNorm(emb)
        self.qkv = nn.Linear(emb, nh * (2 * dqk + dhv))
        self.gates = nn.Linear(emb, 2 * nh)
        self.ogate = nn.Linear(emb, nh * dhv)
        self.out = nn.Linear(nh * dhv, emb)
        self.ffn = nn.Sequential(nn.LayerNorm(emb), nn.Linear(emb, 4 * emb), nn.GELU(),
                                 nn.Linear(4 * emb, emb))
        with torch.no_grad():   # xLSTM-style: forget gates open, spread over heads
            self.gates.bias[:nh].zero_()
            self.gates.bias[nh:] = torch.linspace(3.0, 6.0, nh)

    def forward(self, x, kernel):
        B, S, _ = x.shape
        y = self.norm(x)
        q, k, v = self.qkv(y).view(B, S, self.nh, -1).split([self.dqk, self.dqk, self.dhv], -1)
        i, f = self.gates(y).view(B, S, 2, self.nh).unbind(2)
        heads = lambda t: t.transpose(1, 2)  # noqa: E731  (B, NH, S, ...), strided
        h = kernel(heads(q), heads(k), heads(v), heads(i), heads(f))
        h = F.layer_norm(h, (self.dhv,)).transpose(1, 2).reshape(B, S, -1)
        x = x + self.out(h * torch.sigmoid(self.ogate(y)))
        return x + self.ffn(x)


class CharLM(nn.Module):
    def __init__(self, vocab, emb=128, layers=2, nh=2, dqk=64, dhv=128):
        super().__init__()
        self.embed = nn.Embedding(vocab, emb)
        self.layers = nn.ModuleList(MlstmLayer(emb, nh, dqk, dhv) for _ in range(layers))
        self.norm = nn.LayerNorm(emb)
        self.head = nn.Linear(emb, vocab)

    def forward(self, tokens, kernel):
        x = self.embed(tokens)
        for layer in self.layers:
            x = layer(x, kernel)
        return self.head(self.norm(x))


def load_text(root):
    paths = [os.path.join(root, "README.md")] + sorted(glob.glob(os.path.join(root, "docs", "*.md")))
    text = "".join(open(p, encoding="utf-8").read() for p in paths)
    return "".join(c for c in text if c == "\n" or 32 <= ord(c) < 127)


def train(model, kernel, data, batches, lr, device):
    opt = torch.optim.AdamW(model.parameters(), lr=lr, weight_decay=0.01)
    losses = []
    for idx in batches:
        x = torch.stack([data[j:j + batches.S + 1] for j in idx.tolist()]).to(device)
        logits = model(x[:, :-1], kernel)
        loss = F.cross_entropy(logits.reshape(-1, logits.size(-1)), x[:, 1:].reshape(-1))
        opt.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
        losses.append(loss.item())
    return losses


class Batches(list):
    pass


def run(variants, steps, B, S, lr, seed, device, root):
    text = load_text(root)
    chars = sorted(set(text))
    data = torch.tensor([chars.index(c) for c in text], dtype=torch.long)
    results = dict(text_chars=len(text), vocab=len(chars), steps=steps, batch=B, seq_len=S,
                   lr=lr, seed=seed, model="2 layers, embedding 128, NH=2, DQK=64, DHV=128",
                   variants={})
    for variant in variants:
        torch.manual_seed(seed)
        base = CharLM(len(chars)).to(device)
        g = torch.Generator().manual_seed(seed)
        batches = Batches(torch.randint(0, len(data) - S - 1, (B,), generator=g) for _ in range(steps))
        batches.S = S
        curves, times = {}, {}
        for name, kernel in (("compiled", compiled(variant)), ("reference", reference(variant))):
            model = copy.deepcopy(base)
            torch.cuda.synchronize()
            t0 = time.time()
            curves[name] = train(model, kernel, data, batches, lr, device)
            torch.cuda.synchronize()
            times[name] = time.time() - t0
        c, r = curves["compiled"], curves["reference"]
        mean = lambda xs: sum(xs) / len(xs)  # noqa: E731
        first, last_c, last_r = r[0], mean(c[-20:]), mean(r[-20:])
        summary = dict(start_reference=first, start_compiled=c[0],
                       last20_compiled=last_c, last20_reference=last_r,
                       last20_rel_diff=abs(last_c - last_r) / last_r,
                       max_abs_diff_smoothed=max(abs(mean(c[j:j + 20]) - mean(r[j:j + 20]))
                                                 for j in range(0, steps - 19, 20)),
                       seconds=times,
                       all_finite=all(math.isfinite(x) for x in c + r))
        summary["pass"] = (summary["all_finite"] and summary["last20_rel_diff"] < 0.05
                           and last_c < 0.6 * first and last_r < 0.6 * first)
        results["variants"][variant] = dict(summary=summary, loss_compiled=c, loss_reference=r)
        print(variant, json.dumps(summary), flush=True)
    results["pass"] = all(v["summary"]["pass"] for v in results["variants"].values())
    return results


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", required=True)
    ap.add_argument("--steps", type=int, default=400)
    ap.add_argument("--batch", type=int, default=16)
    ap.add_argument("--seq-len", type=int, default=256)
    ap.add_argument("--lr", type=float, default=2e-3)
    ap.add_argument("--seed", type=int, default=None)
    ap.add_argument("--variants", default="exp,sig,sig_nonorm")
    a = ap.parse_args()
    seed = a.seed if a.seed is not None else int(time.time())
    res = run(a.variants.split(","), a.steps, a.batch, a.seq_len, a.lr, seed, "cuda",
              os.path.join(HERE, "..", ".."))
    res["device"] = torch.cuda.get_device_name()
    with open(a.out, "w") as fh:
        json.dump(res, fh)
    print("lm pass" if res["pass"] else "lm FAIL")
    return 0 if res["pass"] else 1


if __name__ == "__main__":
    sys.exit(main())
