"""Forward time against chunk size: the measurements behind the chunk-size
cost model (docs/Design.md, "Schedule"). Times every <entry>_c<L> of a
library made by `bench/chunk_sweep.sh` at every bf16 benchmark configuration,
in one process, with CUDA events (median of --calls after a warm-up; back to
back, and with the host waiting after each call), and writes one JSON line
per (configuration, variant, chunk):

    python3 bench/chunk_sweep.py --lib build-sweep/lib/libmlstm.so \
        --header build-sweep/gen/mlstm/mlstm.h --chunks 64,128,256 \
        --out $OUT/chunk-sweep.jsonl
"""

import argparse
import json
import os
import sys

import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from configs import BF16_CONFIGS  # noqa: E402
from mlstm_lib import MlstmLibrary  # noqa: E402
from peers import make_inputs  # noqa: E402
from timing import event_times  # noqa: E402


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--lib", required=True)
    ap.add_argument("--header", help="the library's mlstm.h (default: generated/mlstm/)")
    ap.add_argument("--chunks", default="64,128,256")
    ap.add_argument("--variants", default="exp,sig,sig_nonorm")
    ap.add_argument("--calls", type=int, default=30)
    ap.add_argument("--out", required=True)
    args = ap.parse_args()

    lib = MlstmLibrary(args.lib, args.header)
    chunks = [int(c) for c in args.chunks.split(",")]
    device = torch.cuda.get_device_name()
    with open(args.out, "w") as out:
        for name, B, NH, S, dqk, dhv in BF16_CONFIGS:
            g = torch.Generator(device="cuda").manual_seed(1)
            q, k, v, i, f = make_inputs(B, NH, S, dqk, dhv, torch.bfloat16,
                                        generator=g)
            h = torch.empty(B, NH, S, dhv, device="cuda", dtype=torch.bfloat16)
            for variant in args.variants.split(","):
                for chunk in chunks:
                    row = dict(device=device, config=name, B=B, NH=NH, S=S,
                               dqk=dqk, dhv=dhv, variant=variant, chunk=chunk)
                    try:
                        call = lib.prepare(variant, q, k, v, i, f, h,
                                           suffix=f"_c{chunk}")
                        # Back to back (the workspaces reuse what the pool
                        # holds), and with the host waiting after each call
                        # (a pool that returns memory at synchronization then
                        # maps it again on every call).
                        times = event_times(call, args.calls)
                        ms, best = times[len(times) // 2], times[0]
                        synced = event_times(call, max(5, args.calls // 3),
                                             sync_each=True)
                        synced = synced[len(synced) // 2]
                        # The boundary states the scan writes and the output
                        # kernel reads (fp32 C, n, m per chunk).
                        states = B * NH * -(-S // chunk) * (dqk * dhv + dqk + 1) * 4
                        row.update(ms=round(ms, 4), min_ms=round(best, 4),
                                   ms_synced=round(synced, 4),
                                   state_gib=round(states / 2**30, 3))
                    except Exception as e:  # recorded, the sweep goes on
                        row.update(error=str(e)[:300])
                    print(json.dumps(row), flush=True)
                    out.write(json.dumps(row) + "\n")
            del q, k, v, i, f, h
            torch.cuda.empty_cache()


if __name__ == "__main__":
    main()
