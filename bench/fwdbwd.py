"""Forward + backward time (issue #5's training target), ours against TFLA,
side by side in one process: one training step's kernels, h = mlstm(q, k, v,
i, f) then h.backward(dh), through torch autograd on both sides (ours: the
PyTorch binding, python/mlstm_compiled, on the generated forward and backward
entry points; TFLA: mlstm_kernels' xl_chunk autograd functions, chunk 128).
CUDA events around each step, median of --calls after two warm-up steps.
TFLA's mLSTMexp is not called: its forward kernel crashes Triton 3.6 while
compiling (bench/results/table-nvidia-h100.md), which would end the process.

    cmake -S generated/mlstm -B build-bench/mlstm -G Ninja && cmake --build build-bench/mlstm
    python3 bench/fwdbwd.py --lib build-bench/mlstm/libmlstm.so \
        --header generated/mlstm/mlstm.h --peers .peers --out $OUT/fwdbwd.jsonl
"""

import argparse
import json
import os
import sys

import torch

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(HERE, "..", "python"))
from configs import BF16_CONFIGS  # noqa: E402
from peers import make_inputs  # noqa: E402
from timing import event_times  # noqa: E402

TFLA_CHUNK = 128
EPS = 1e-6


def profile(step, row, out):
    """GPU time per kernel name of one step (after two warm-up steps)."""
    from torch.profiler import ProfilerActivity
    from torch.profiler import profile as torch_profile
    for _ in range(2):
        step()
    torch.cuda.synchronize()
    with torch_profile(activities=[ProfilerActivity.CUDA]) as prof:
        step()
        torch.cuda.synchronize()
    kernels = {}
    for e in prof.events():
        if e.device_type == torch.autograd.DeviceType.CUDA:
            us = getattr(e, "device_time", None) or getattr(e, "cuda_time", 0.0)
            kernels[e.name] = kernels.get(e.name, 0.0) + us / 1e3
    row["kernel_ms"] = {k: round(v, 3) for k, v in
                        sorted(kernels.items(), key=lambda kv: -kv[1])[:12]}
    print(json.dumps(row), flush=True)
    out.write(json.dumps(row) + "\n")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--lib", required=True)
    ap.add_argument("--header", required=True)
    ap.add_argument("--peers", default=None, help="folder holding mlstm_kernels/")
    ap.add_argument("--configs", default="paper,NH16 128/256 S8192,NH32 64/128 S8192")
    ap.add_argument("--calls", type=int, default=10)
    ap.add_argument("--variants", default="exp,sig,sig_nonorm")
    ap.add_argument("--chunks", default="auto",
                    help="chunk sizes of ours to time, e.g. 64,128,256 (a library "
                         "from `CHUNKS=... BACKWARD=1 bench/chunk_sweep.sh generate`)")
    ap.add_argument("--out", required=True)
    ap.add_argument("--profile", action="store_true",
                    help="instead: GPU time per kernel of one step of ours "
                         "(torch.profiler), for the first configuration")
    args = ap.parse_args()

    import mlstm_compiled as mc
    mc.load_library(args.lib, args.header)
    tfla = {}
    if args.peers:
        sys.path.insert(0, os.path.abspath(args.peers))
        from mlstm_kernels.torch.chunkwise.triton_xl_chunk_siging import (
            mlstm_siging_chunkwise__xl_chunk)
        for variant, normalize in (("sig", True), ("sig_nonorm", False)):
            tfla[variant] = (lambda q, k, v, i, f, n=normalize:
                             mlstm_siging_chunkwise__xl_chunk(
                                 q, k, v, i, f, normalize=n, eps=EPS,
                                 chunk_size=TFLA_CHUNK,
                                 autocast_kernel_dtype=torch.bfloat16))
    def ours_for(variant, chunk):
        c = chunk if chunk == "auto" else int(chunk)
        if variant == "exp":
            return lambda q, k, v, i, f: mc.mlstm_exp(q, k, v, i, f, eps=EPS, chunk_size=c)
        return lambda q, k, v, i, f: mc.mlstm_sig(
            q, k, v, i, f, eps=EPS, normalize=variant == "sig", chunk_size=c)
    chunks = args.chunks.split(",")
    wanted = [c.strip() for c in args.configs.split(",")]
    device = torch.cuda.get_device_name()
    with open(args.out, "w") as out:
        for name, B, NH, S, dqk, dhv in BF16_CONFIGS:
            if not any(w in name for w in wanted):
                continue
            g = torch.Generator(device="cuda").manual_seed(7)
            inputs = [t.requires_grad_() for t in
                      make_inputs(B, NH, S, dqk, dhv, torch.bfloat16, generator=g)]
            dh = torch.randn(B, NH, S, dhv, device="cuda", dtype=torch.bfloat16,
                             generator=g)
            for variant in args.variants.split(","):
                impls = [("ours" if c == "auto" else "ours_c" + c, ours_for(variant, c))
                         for c in chunks]
                if args.peers:
                    impls.append(("tfla", tfla.get(variant)))
                for impl, fn in impls:
                    row = dict(device=device, config=name, variant=variant, impl=impl)
                    if fn is None:
                        row["status"] = ("not called: TFLA mLSTMexp crashes Triton 3.6"
                                         if impl == "tfla" and variant == "exp"
                                         else "no peer")
                    else:
                        def fwd(fn=fn):
                            with torch.no_grad():
                                fn(*inputs)

                        def fwd_bwd(fn=fn):
                            for t in inputs:
                                t.grad = None
                            fn(*inputs).backward(dh)
                        if args.profile:
                            if impl.startswith("ours"):
                                profile(fwd_bwd, row, out)
                            continue
                        try:
                            for key, step in (("fwd_ms", fwd), ("fwd_bwd_ms", fwd_bwd)):
                                times = event_times(step, args.calls, warmup=2)
                                row[key] = round(times[len(times) // 2], 3)
                            row["status"] = "ok"
                        except Exception as e:  # recorded; the run goes on
                            row["status"] = "error: " + str(e)[:300]
                    print(json.dumps(row), flush=True)
                    out.write(json.dumps(row) + "\n")
            del inputs, dh
            torch.cuda.empty_cache()
            if args.profile:
                break


if __name__ == "__main__":
    main()
