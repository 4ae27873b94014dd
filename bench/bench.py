#!/usr/bin/env python3
"""Side-by-side forward benchmark of the generated mLSTM kernels
(generated/mlstm, built as libmlstm.so) and their peers: the TFLA Triton
kernels of NX-AI/mlstm_kernels and torch SDPA. bench/README.md says what is
measured and how; bench/run.sh is the one command that runs it on the device.

    python3 bench/bench.py --lib build-bench/mlstm/libmlstm.so --peers .peers \
        --probe /tmp/bench-work/probe.json --out $OUT

Writes $OUT/bench.json (rewritten after every configuration, so a crash
leaves what was measured); bench/report.py turns it into the table and plot.
"""

import argparse
import datetime
import json
import os
import platform
import statistics
import subprocess
import sys
import time
import traceback
import warnings

import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import costs  # noqa: E402
from configs import BF16_CONFIGS, F32_CONFIGS, QUICK_CONFIGS, config_dict  # noqa: E402
from mlstm_lib import MlstmLibrary, WorkspaceMemory  # noqa: E402
from peers import (EPS, SDPA_BACKENDS, TFLA_CHUNK_SIZE, TFLA_VARIANTS,  # noqa: E402
                   Tfla, item_key, make_inputs, sdpa_prepare)
from reference import (VARIANTS, mlstm_recurrent_reference,  # noqa: E402
                       mlstm_reference, rel_l2)
from timing import event_times  # noqa: E402

DTYPES = {"bf16": torch.bfloat16, "f32": torch.float32}
HEAD_DIMS = ((64, 128), (128, 256), (256, 512))


def log(*a):
    print(*a, flush=True)


# --------------------------------------------------------------------------
# Timing

class Budget:
    def __init__(self, deadline):
        self.deadline = deadline

    def left(self):
        return self.deadline - time.time()


def measure(launch, nsets, budget, min_runs=20, max_runs=100, target_s=1.0):
    """Median of CUDA-event timings of launch(j), j rotating over the input
    sets. One untimed first call (compile / JIT / allocator warm-up, its wall
    time reported), a timed estimate, warm-up calls, then `runs` timed calls,
    each between its own pair of events on the current stream. Slow calls get
    fewer runs (reported): > 0.25 s: 5 s worth, at least 5; > 2 s: 3."""
    stream = torch.cuda.current_stream()
    torch.cuda.synchronize()
    t0 = time.perf_counter()
    launch(0)
    torch.cuda.synchronize()
    first_call_ms = (time.perf_counter() - t0) * 1e3
    e0, e1 = torch.cuda.Event(enable_timing=True), torch.cuda.Event(enable_timing=True)
    e0.record(stream)
    launch(1 % nsets)
    e1.record(stream)
    torch.cuda.synchronize()
    est_s = e0.elapsed_time(e1) / 1e3
    reduced = False
    if est_s > 2.0:
        runs, warmup, reduced = 3, 0, True
    elif est_s > 0.25:
        runs, warmup, reduced = max(5, min(min_runs, int(5.0 / est_s))), 1, True
    else:
        runs, warmup = min(max_runs, max(min_runs, int(target_s / max(est_s, 1e-6)))), 3
    # Keep inside the time budget (leave 30 s for the rest of the report).
    room = budget.left() - 30.0
    if (runs + warmup) * est_s > room:
        runs = max(3, int(room / max(est_s, 1e-6)) - warmup)
        reduced = True
    for j in range(warmup):
        launch((j + 2) % nsets)
    starts = [torch.cuda.Event(enable_timing=True) for _ in range(runs)]
    ends = [torch.cuda.Event(enable_timing=True) for _ in range(runs)]
    for j in range(runs):
        starts[j].record(stream)
        launch(j % nsets)
        ends[j].record(stream)
    torch.cuda.synchronize()
    ms = sorted(s.elapsed_time(e) for s, e in zip(starts, ends))
    q = statistics.quantiles(ms, n=4) if len(ms) >= 2 else [ms[0]] * 3
    return {"ms": statistics.median(ms), "ms_min": ms[0], "ms_max": ms[-1],
            "ms_p25": q[0], "ms_p75": q[2], "runs": runs, "warmup": warmup,
            "reduced_runs": reduced, "first_call_ms": first_call_ms,
            "input_sets": nsets}


def peak_memory(launch, pool, extra_static_bytes, count_pool):
    """Peak device memory of one call: the inputs of one set, the caller's
    preallocated outputs (extra_static_bytes), plus everything the call
    allocates while it runs: torch's caching allocator (peers' outputs and
    workspaces) and, for our library, its workspaces, which torch does not
    see (WorkspaceMemory)."""
    torch.cuda.synchronize()
    base = torch.cuda.memory_allocated()
    torch.cuda.reset_peak_memory_stats()
    if count_pool:
        pool.begin()
    out = launch(0)
    torch.cuda.synchronize()
    transient = torch.cuda.max_memory_allocated() - base
    pool_extra = pool.end() if count_pool else 0
    del out
    return {"transient_bytes": int(transient + pool_extra),
            "torch_transient_bytes": int(transient), "pool_transient_bytes": int(pool_extra),
            "peak_bytes": int(transient + pool_extra + extra_static_bytes)}


# --------------------------------------------------------------------------
# Checks

def sanity_ours(lib, out):
    """Every entry point against the float64 reference on a small problem
    whose S is not a multiple of the chunk (masking), outputs poisoned."""
    log("== sanity: every entry point vs float64 (B=2, NH=3, S=200)")
    gen = torch.Generator(device="cuda").manual_seed(1)
    # the reference itself against the step-by-step recurrence
    for variant in VARIANTS:
        q, k, v, i, f = make_inputs(1, 2, 40, 16, 8, torch.float64, gen)
        i = i * 3.0
        err = rel_l2(mlstm_reference(q, k, v, i, f, variant),
                     mlstm_recurrent_reference(q, k, v, i, f, variant))
        out["reference_self_check"][variant] = err
    for dtype_name in ("bf16", "f32"):
        for (dqk, dhv) in HEAD_DIMS:
            q, k, v, i, f = make_inputs(2, 3, 200, dqk, dhv, DTYPES[dtype_name], gen)
            for variant in VARIANTS:
                rec = {"variant": variant, "dtype": dtype_name, "dqk": dqk, "dhv": dhv,
                       "B": 2, "NH": 3, "S": 200}
                try:
                    h = torch.full((2, 3, 200, dhv), float("nan"), device="cuda",
                                   dtype=DTYPES[dtype_name])
                    call = lib.prepare(variant, q, k, v, i, f, h)
                    rec["entry"] = call.entry
                    t0 = time.perf_counter()
                    call()
                    torch.cuda.synchronize()
                    rec["first_call_ms"] = (time.perf_counter() - t0) * 1e3
                    rec["unwritten"] = int(torch.isnan(h).sum())
                    ref = mlstm_reference(q, k, v, i, f, variant, EPS)
                    rec["rel_l2"] = rel_l2(h, ref)
                    tol = 1e-2 if dtype_name == "bf16" else 1e-3
                    rec["tolerance"] = tol
                    rec["pass"] = rec["unwritten"] == 0 and rec["rel_l2"] < tol
                except Exception as e:
                    rec["pass"] = False
                    rec["error"] = repr(e)[:1000]
                out["sanity"].append(rec)
                log(f"  {rec.get('entry', variant)}: rel_l2 {rec.get('rel_l2', float('nan')):.2e}"
                    f" unwritten {rec.get('unwritten')} first call {rec.get('first_call_ms', 0):.0f} ms"
                    f" {'ok' if rec['pass'] else 'FAIL ' + rec.get('error', '')}")


def prefix_reference_check(h, inputs, variant, B, NH, S):
    """rel L2 of h against float64 on two heads, (0, 0) and (B-1, NH-1),
    over the first min(S, 2048) positions (h_t depends only on inputs <= t)."""
    P = min(S, 2048)
    q, k, v, i, f = inputs
    errs = []
    for (b, n) in ((0, 0), (B - 1, NH - 1)):
        ref = mlstm_reference(q[b, n, :P], k[b, n, :P], v[b, n, :P], i[b, n, :P],
                              f[b, n, :P], variant, EPS)
        errs.append(rel_l2(h[b, n, :P], ref))
    return {"positions": P, "heads": [[0, 0], [B - 1, NH - 1]], "rel_l2": max(errs)}


def device_ceilings():
    """The two ceilings, measured (METHOD.md): a device-to-device copy and a
    bf16 matrix product on random data. For context; the floor uses the
    issue's 3.0 TB/s and 700 TFLOP/s."""
    res = {}
    x = torch.randn(1 << 30, device="cuda", dtype=torch.bfloat16)  # 2 GiB
    y = torch.empty_like(x)
    ms = statistics.median(event_times(lambda: y.copy_(x), 10))
    res["copy_TBps"] = 2 * x.numel() * 2 / (ms * 1e-3) / 1e12
    del x, y
    a = torch.randn(8192, 8192, device="cuda", dtype=torch.bfloat16)
    b = torch.randn(8192, 8192, device="cuda", dtype=torch.bfloat16)
    ms = statistics.median(event_times(lambda: a @ b, 10))
    res["bf16_gemm_TFLOPs"] = 2 * 8192 ** 3 / (ms * 1e-3) / 1e12
    return res


# --------------------------------------------------------------------------
# One configuration

def bench_config(cfg, lib, tfla, probe, pool, budget, nsets, with_peers):
    name, B, NH, S, dqk, dhv, dtype_name = (cfg[x] for x in
                                            ("name", "B", "NH", "S", "dqk", "dhv", "dtype"))
    dtype = DTYPES[dtype_name]
    log(f"== {name}: B={B} NH={NH} S={S} DQK={dqk} DHV={dhv} {dtype_name}")
    floors = {}
    for variant in VARIANTS:
        t, bound = costs.floor_seconds(B, NH, S, dqk, dhv, dtype_name,
                                       normalizer=variant != "sig_nonorm")
        floors[variant] = {"ms": t * 1e3, "bound": bound}
    res = dict(cfg)
    res.update({
        "tokens": B * S,
        "io_bytes": costs.io_bytes(B, NH, S, dqk, dhv, dtype_name),
        "gate_bytes": costs.gate_bytes(B, NH, S, dtype_name),
        "floor": floors,
        "floor_flops": {v: costs.mlstm_floor_flops(B, NH, S, dqk, dhv, v != "sig_nonorm")
                        for v in VARIANTS},
        "results": {}, "cross_checks": {}})
    gen = torch.Generator(device="cuda").manual_seed(1000 + S + dqk)
    sets = [make_inputs(B, NH, S, dqk, dhv, dtype, gen) for _ in range(nsets)]
    h_sets = [torch.empty(B, NH, S, dhv, device="cuda", dtype=dtype) for _ in range(nsets)]
    set_bytes = sum(t.numel() * t.element_size() for t in sets[0])
    h_bytes = h_sets[0].numel() * h_sets[0].element_size()
    io = res["io_bytes"]

    def record(key, impl, variant, flops, fn_launch, static_bytes, uses_pool):
        if budget.left() < 40:
            res["results"][key] = {"impl": impl, "variant": variant,
                                   "status": "skipped: benchmark time budget"}
            log(f"  {key}: skipped (time budget)")
            return
        try:
            m = measure(fn_launch, nsets, budget)
            m.update(peak_memory(fn_launch, pool, set_bytes + static_bytes, uses_pool))
            m["status"] = "ok"
        except Exception as e:
            m = {"status": "error", "error": repr(e)[:2000],
                 "traceback": traceback.format_exc()[-3000:]}
            torch.cuda.synchronize()
        m.update({"impl": impl, "variant": variant})
        if m["status"] == "ok":
            t = m["ms"] * 1e-3
            m["flops"] = flops
            m["TFLOPs"] = flops / t / 1e12
            m["GBps"] = io / t / 1e9
            fl = floors.get(variant, floors["exp"])["ms"]
            m["floor_multiple"] = m["ms"] / fl
            log(f"  {key:22s} {m['ms']:9.3f} ms  {m['TFLOPs']:7.1f} TFLOP/s  {m['GBps']:7.0f} GB/s"
                f"  x{m['floor_multiple']:6.1f} floor  peak {m['peak_bytes'] / 2**30:6.2f} GiB"
                f"  ({m['runs']} runs{', reduced' if m['reduced_runs'] else ''},"
                f" first call {m['first_call_ms']:.0f} ms)")
        else:
            log(f"  {key}: ERROR {m['error'][:300]}")
        res["results"][key] = m

    # ours
    for variant in VARIANTS:
        try:
            calls = [lib.prepare(variant, *sets[j], h_sets[j]) for j in range(nsets)]
        except Exception as e:  # e.g. no such entry point
            res["results"][f"ours_{variant}"] = {"impl": "ours", "variant": variant,
                                                 "status": "error", "error": repr(e)}
            continue
        chunk = calls[0].chunk_size  # the library's, from its header
        flops = costs.mlstm_fw_flops(B, NH, S, dqk, dhv, chunk, variant != "sig_nonorm")
        record(f"ours_{variant}", "ours", variant, flops,
               lambda j, calls=calls: calls[j](), h_bytes, True)
        res["results"][f"ours_{variant}"]["entry"] = calls[0].entry
        res["results"][f"ours_{variant}"]["chunk_size"] = chunk

    # TFLA
    if with_peers:
        for variant in TFLA_VARIANTS:
            key = f"tfla_{variant}"
            pk = item_key(dict(cfg, variant=variant))
            pr = (probe or {}).get("items", {}).get(pk)
            if tfla is None or pr is None or not pr.get("ok"):
                why = ("TFLA import failed" if tfla is None else
                       "not probed" if pr is None else
                       ("crashed in the compile probe (signal %s)" % pr.get("signal")
                        if pr.get("crashed") else "failed in the compile probe"))
                res["results"][key] = {"impl": "tfla", "variant": variant,
                                       "status": "failed", "reason": why, "probe": pr}
                log(f"  {key}: {why}")
                continue
            calls = [tfla.prepare(variant, *sets[j]) for j in range(nsets)]
            flops = costs.mlstm_fw_flops(B, NH, S, dqk, dhv, TFLA_CHUNK_SIZE,
                                         variant != "sig_nonorm")
            record(key, "tfla", variant, flops, lambda j, calls=calls: calls[j](), 0, False)
            res["results"][key]["chunk_size"] = TFLA_CHUNK_SIZE
            res["results"][key]["probe_first_call_s"] = pr.get("first_call_s")

        # SDPA, each backend, value head dim DHV
        att_flops = costs.attention_causal_flops(B, NH, S, dqk, dhv)
        for backend in SDPA_BACKENDS:
            key = f"sdpa_{backend}"
            calls = [sdpa_prepare(backend, s[0], s[1], s[2]) for s in sets]
            try:
                with warnings.catch_warnings(record=True) as caught:
                    warnings.simplefilter("always")
                    calls[0]()
                    torch.cuda.synchronize()
            except Exception as e:
                # torch says why a backend refuses the shapes in warnings
                why = sorted({str(w.message).strip()[:300] for w in caught})
                res["results"][key] = {"impl": "sdpa", "variant": backend,
                                       "status": "unsupported",
                                       "error": str(e).strip().splitlines()[-1][:500] if str(e).strip() else repr(e),
                                       "reasons": why[:6]}
                log(f"  {key}: not available here: {'; '.join(why)[:300]}")
                continue
            record(key, "sdpa", backend, att_flops, lambda j, calls=calls: calls[j](), 0, False)
            res["results"][key]["value_head_dim"] = dhv

    # Correctness at this size: each implementation's h on input set 0 against
    # float64 on a prefix of two heads, and ours against TFLA over all of h.
    inputs = sets[0]
    outs = {}
    for variant in VARIANTS:
        if res["results"].get(f"ours_{variant}", {}).get("status") != "ok":
            continue
        try:
            h_sets[0].fill_(float("nan"))
            lib.prepare(variant, *inputs, h_sets[0])()
            torch.cuda.synchronize()
            cc = prefix_reference_check(h_sets[0], inputs, variant, B, NH, S)
            cc["unwritten"] = int(torch.isnan(h_sets[0]).sum())
            res["cross_checks"][f"ours_{variant}_vs_float64"] = cc
            if with_peers and res["results"].get(f"tfla_{variant}", {}).get("status") == "ok":
                outs[variant] = h_sets[0].clone()
        except Exception as e:
            res["cross_checks"][f"ours_{variant}_vs_float64"] = {"error": repr(e)[:1000]}
    if with_peers:
        for variant in TFLA_VARIANTS:
            if res["results"].get(f"tfla_{variant}", {}).get("status") != "ok":
                continue
            try:
                h = tfla.prepare(variant, *inputs)()
                torch.cuda.synchronize()
                res["cross_checks"][f"tfla_{variant}_vs_float64"] = prefix_reference_check(
                    h, inputs, variant, B, NH, S)
                if variant in outs:
                    res["cross_checks"][f"ours_{variant}_vs_tfla"] = {
                        "rel_l2": rel_l2(outs[variant].float(), h.float()), "positions": S,
                        "heads": "all"}
                del h
            except Exception as e:
                res["cross_checks"][f"tfla_{variant}_vs_float64"] = {"error": repr(e)[:1000]}
    for key, cc in res["cross_checks"].items():
        log(f"  check {key:28s} rel_l2 {cc.get('rel_l2', float('nan')):.2e}"
            + (f" unwritten {cc['unwritten']}" if "unwritten" in cc else "")
            + (f" ERROR {cc['error'][:200]}" if "error" in cc else ""))

    # Ratios: each of ours to each peer (ours ms / peer ms; > 1: ours slower).
    ok = {k: r for k, r in res["results"].items() if r.get("status") == "ok"}
    sdpa_ok = {k: r for k, r in ok.items() if r["impl"] == "sdpa"}
    if sdpa_ok:
        best = min(sdpa_ok, key=lambda k: sdpa_ok[k]["ms"])
        res["sdpa_best"] = best
    res["ratios"] = {}
    for variant in VARIANTS:
        mine = ok.get(f"ours_{variant}")
        if not mine:
            continue
        res["ratios"][f"ours_{variant}"] = {k: mine["ms"] / r["ms"] for k, r in ok.items()
                                            if r["impl"] != "ours"}
    del sets, h_sets, outs
    torch.cuda.synchronize()
    torch.cuda.empty_cache()
    return res


# --------------------------------------------------------------------------

def gpu_state():
    try:
        q = ("name,driver_version,clocks.sm,clocks.max.sm,clocks.mem,power.draw,"
             "power.limit,temperature.gpu,memory.used,memory.total")
        return subprocess.run(["nvidia-smi", f"--query-gpu={q}", "--format=csv,noheader"],
                              capture_output=True, text=True, timeout=20).stdout.strip()
    except Exception as e:
        return repr(e)


def meta(args):
    props = torch.cuda.get_device_properties(0)
    peers_commit = None
    pc = os.path.join(args.peers, "COMMIT")
    if os.path.exists(pc):
        peers_commit = open(pc).read().strip()
    import triton
    return {
        "date": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
        "device": props.name, "sm_count": props.multi_processor_count,
        "total_memory_GiB": round(props.total_memory / 2**30, 1),
        "l2_bytes": getattr(props, "L2_cache_size", None),
        "nvidia_smi_before": gpu_state(),
        "torch": torch.__version__, "cuda_runtime": torch.version.cuda,
        "triton": triton.__version__, "python": platform.python_version(),
        "torch_allocator": torch.cuda.get_allocator_backend(),
        "library": os.path.abspath(args.lib),
        "source_commit": os.environ.get("BENCH_SOURCE_COMMIT", "unknown"),
        "peers": "NX-AI/mlstm_kernels " + (peers_commit or "(commit unknown)"),
        "floor_model": {
            "hbm_bytes_per_s": costs.HBM_BYTES_PER_S,
            "matmul_flops_per_s": costs.MATMUL_FLOPS_PER_S,
            "bytes": "q, k, v read + h written once (gates excluded)",
            "flops": "chunkwise algorithm, matrix products only, min over chunk "
                     f"{list(costs.FLOOR_CHUNK_SIZES)} (bench/costs.py)"},
        "timing": "CUDA events around each call on torch's current stream; "
                  "median; input sets rotated; warm-up first",
        "eps": EPS,
        "inputs": "q,k,v ~ N(0,1); i ~ N(0,1); f ~ N(3,1); drawn in f32, cast",
    }


def wait_for_probe(path, budget, limit_s):
    t0 = time.time()
    while not os.path.exists(path):
        if time.time() - t0 > limit_s or budget.left() < 60:
            return None, time.time() - t0
        time.sleep(1.0)
    time.sleep(0.2)
    return json.load(open(path)), time.time() - t0


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--lib", required=True, help="libmlstm.so")
    p.add_argument("--peers", default=".peers", help="folder holding mlstm_kernels/")
    p.add_argument("--probe", help="probe JSON written by peers.py probe (waited for)")
    p.add_argument("--out", required=True)
    p.add_argument("--budget-s", type=float, default=420.0,
                   help="seconds from BENCH_T0 (or start) after which measurements stop")
    p.add_argument("--sets", type=int, default=3, help="rotating input sets")
    p.add_argument("--no-peers", action="store_true")
    p.add_argument("--no-f32", action="store_true")
    p.add_argument("--quick", action="store_true", help="small configurations (smoke test)")
    args = p.parse_args()

    t0 = float(os.environ.get("BENCH_T0", time.time()))
    budget = Budget(t0 + args.budget_s)
    os.makedirs(args.out, exist_ok=True)
    json_path = os.path.join(args.out, "bench.json")
    torch.cuda.init()
    out = {"meta": meta(args), "reference_self_check": {}, "sanity": [], "configs": [],
           "f32_configs": [], "notes": []}

    def save():
        with open(json_path, "w") as fh:
            json.dump(out, fh, indent=1, default=float)

    lib = MlstmLibrary(args.lib)
    pool = WorkspaceMemory(lib)
    tfla = None
    if not args.no_peers:
        try:
            tfla = Tfla(args.peers)
        except Exception as e:
            out["notes"].append(f"TFLA import failed: {e!r}")
            log(f"TFLA import failed: {e!r}")

    sanity_ours(lib, out)
    save()

    probe = None
    if not args.no_peers and args.probe:
        log("== waiting for the TFLA compile probe")
        probe, waited = wait_for_probe(args.probe, budget, limit_s=max(0, budget.left() - 120))
        out["probe"] = probe
        out["notes"].append(f"waited {waited:.0f} s for the compile probe")
        log(f"   probe {'done' if probe else 'NOT done'} after waiting {waited:.0f} s")

    out["meta"]["measured_ceilings"] = device_ceilings()
    log(f"== ceilings: {out['meta']['measured_ceilings']}")
    save()

    configs = QUICK_CONFIGS if args.quick else BF16_CONFIGS
    for c in configs:
        cfg = config_dict(*c, "bf16")
        try:
            out["configs"].append(bench_config(cfg, lib, tfla, probe, pool, budget, args.sets,
                                               not args.no_peers))
        except Exception as e:
            out["configs"].append(dict(cfg, error=repr(e)[:2000],
                                       traceback=traceback.format_exc()[-3000:]))
            log(f"  config failed: {e!r}")
            torch.cuda.synchronize()
            torch.cuda.empty_cache()
        save()
    if not args.no_f32 and not args.quick:
        for c in F32_CONFIGS:
            cfg = config_dict(*c, "f32")
            try:
                out["f32_configs"].append(bench_config(cfg, lib, None, None, pool, budget,
                                                       args.sets, False))
            except Exception as e:
                out["f32_configs"].append(dict(cfg, error=repr(e)[:2000]))
                log(f"  config failed: {e!r}")
                torch.cuda.empty_cache()
            save()
    out["meta"]["nvidia_smi_after"] = gpu_state()
    out["meta"]["elapsed_s"] = round(time.time() - t0, 1)
    save()
    log(f"== wrote {json_path} ({out['meta']['elapsed_s']} s since start)")


if __name__ == "__main__":
    main()
