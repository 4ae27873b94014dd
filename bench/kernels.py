"""Per-kernel GPU times of the generated library (torch.profiler), to see
where a forward call's time goes (the state scan or the output kernel).

    python3 bench/kernels.py --lib build-bench/mlstm/libmlstm.so [--json out.json]

Runs the bf16 configurations of configs.py (NH8 256/512 S8192 first) a few
times each after a warm-up and prints the mean time per call of each kernel.
"""

import argparse
import json

import torch
from torch.profiler import ProfilerActivity, profile

from mlstm_lib import MlstmLibrary

CONFIGS = [  # (NH, DQK, DHV, S); 65536 tokens per call
    (8, 256, 512, 8192), (16, 128, 256, 8192), (32, 64, 128, 8192)]
VARIANTS = ["exp", "sig", "sig_nonorm"]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--lib", required=True)
    ap.add_argument("--json")
    ap.add_argument("--reps", type=int, default=5)
    ap.add_argument("--suffix", default="",
                    help="entry name suffix, e.g. _c128 for generated/mlstm_chunks")
    ap.add_argument("--nh", type=int, help="only the configuration with this NH")
    ap.add_argument("--variants", default=",".join(VARIANTS))
    args = ap.parse_args()
    lib = MlstmLibrary(args.lib)
    rows = []
    for nh, dqk, dhv, s in CONFIGS:
        if args.nh and nh != args.nh:
            continue
        b = 65536 // s
        g = torch.Generator(device="cuda").manual_seed(0)
        mk = lambda *shape: torch.randn(*shape, device="cuda", generator=g)
        q, k = mk(b, nh, s, dqk).bfloat16(), mk(b, nh, s, dqk).bfloat16()
        v = mk(b, nh, s, dhv).bfloat16()
        i, f = mk(b, nh, s).bfloat16(), (mk(b, nh, s) + 3).bfloat16()
        h = torch.empty(b, nh, s, dhv, device="cuda", dtype=torch.bfloat16)
        for variant in args.variants.split(","):
            call = lib.prepare(variant, q, k, v, i, f, h, suffix=args.suffix)
            call()
            torch.cuda.synchronize()
            with profile(activities=[ProfilerActivity.CUDA]) as prof:
                for _ in range(args.reps):
                    call()
                torch.cuda.synchronize()
            for ev in prof.key_averages():
                if ev.device_type.name != "CUDA" or ev.count == 0:
                    continue
                us = ev.device_time_total / args.reps
                rows.append({"config": f"NH{nh} {dqk}/{dhv} S{s}{args.suffix}",
                             "variant": variant, "kernel": ev.key,
                             "ms_per_call": us / 1000.0})
    for r in rows:
        print(f"{r['config']:<22} {r['variant']:<11} {r['ms_per_call']:8.3f} ms  {r['kernel']}")
    if args.json:
        with open(args.json, "w") as out:
            json.dump(rows, out, indent=1)


if __name__ == "__main__":
    main()
