"""One forward call of a generated entry point (or of a TFLA peer) between
cudaProfilerStart/Stop, for Nsight Compute (bench/profile.sh):

    ncu --profile-from-start off ... python3 bench/ncu_call.py \
        --lib build-bench/mlstm/libmlstm.so --variant exp --config paper [--suffix _c128]
    ncu --profile-from-start off ... python3 bench/ncu_call.py --tfla .peers --variant sig ...

The call runs once before the profiled one (module load, Triton compile), so
only the steady-state kernels are profiled.
"""

import argparse
import os
import sys

import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from configs import BF16_CONFIGS  # noqa: E402
from peers import Tfla, make_inputs  # noqa: E402
from timing import event_times  # noqa: E402


def find_config(name):
    for c in BF16_CONFIGS:
        if c[0].startswith(name) or name in c[0]:
            return c
    raise SystemExit(f"no configuration matches {name!r}")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--lib")
    ap.add_argument("--tfla", help="folder holding mlstm_kernels/")
    ap.add_argument("--variant", default="exp")
    ap.add_argument("--config", default="paper")
    ap.add_argument("--suffix", default="", help="entry-point suffix, e.g. _c128")
    ap.add_argument("--time", type=int, default=0,
                    help="instead of profiling: the median of N timed calls (CUDA events)")
    args = ap.parse_args()

    name, B, NH, S, dqk, dhv = find_config(args.config)
    g = torch.Generator(device="cuda").manual_seed(1)
    q, k, v, i, f = make_inputs(B, NH, S, dqk, dhv, torch.bfloat16, generator=g)
    if args.tfla:
        call = Tfla(args.tfla).prepare(args.variant, q, k, v, i, f)
        what = f"tfla_{args.variant}"
    else:
        from mlstm_lib import MlstmLibrary
        h = torch.empty(B, NH, S, dhv, device="cuda", dtype=torch.bfloat16)
        call = MlstmLibrary(args.lib).prepare(args.variant, q, k, v, i, f, h,
                                              suffix=args.suffix)
        what = call.entry
    call()
    torch.cuda.synchronize()
    if args.time:
        # The call above was the warm-up; the host waits after each call.
        times = event_times(call, args.time, warmup=0, sync_each=True)
        print(f"{what} {name}: median {times[len(times) // 2]:.3f} ms "
              f"(min {times[0]:.3f}, {args.time} calls)")
        return
    torch.cuda.cudart().cudaProfilerStart()
    call()
    torch.cuda.synchronize()
    torch.cuda.cudart().cudaProfilerStop()
    print(f"profiled {what} at {name} (B={B} NH={NH} S={S} {dqk}x{dhv})")


if __name__ == "__main__":
    main()
