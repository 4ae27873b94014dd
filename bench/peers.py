"""The peers of the benchmark, and the crash-isolating compile probe.

Peers
  tfla_<variant>  the TFLA Triton forward kernels of NX-AI/mlstm_kernels
                  (fetched into .peers/, never committed): "xl_chunk"
                  (mLSTMexp) and "xl_chunk_siging" (mLSTMsig, normalize on for
                  `sig`, off for `sig_nonorm`), chunk size 128, called through
                  their forward functions mlstm_chunkwise_fw /
                  mlstm_siging_chunkwise_fw (the functions their autograd
                  wrappers call), with eps = 1e-6 like ours and
                  output_dtype = the input dtype (as their fwbw passes it).
  sdpa_<backend>  torch.nn.functional.scaled_dot_product_attention(causal),
                  one SDPA backend at a time (flash, cudnn, efficient; the
                  O(S^2)-memory math backend is not run).

Probe
  Compiling a TFLA kernel can kill the process (issue #5: an LLVM assert in
  Triton 3.6 for the mLSTMexp xl_chunk kernel), so the first call of every
  (peer, shape) runs in a child process before the benchmark:

      python3 bench/peers.py probe --peers .peers --configs configs.json --out probe.json

  Each child runs its items in order and logs "started"/"stage"/"done" lines;
  when a child dies, the item it had started is recorded as crashed (exit
  signal, the stage, i.e. the kernel being compiled, and the tail of its
  stderr) and a fresh child goes on with the rest. The sigmoid items share
  one child; every exp item gets its own, all running at once. Triton's
  and Inductor's on-disk caches then hold every kernel that compiled, so the
  benchmark process only loads them; it never calls a (peer, shape) whose
  probe failed.
"""

import argparse
import json
import os
import subprocess
import sys
import time

TFLA_VARIANTS = ("exp", "sig", "sig_nonorm")
TFLA_CHUNK_SIZE = 128
EPS = 1e-6
SDPA_BACKENDS = ("flash", "cudnn", "efficient")


# --------------------------------------------------------------------------
# Peer calls (import torch lazily: the probe's parent process does not need it)

class Tfla:
    """The TFLA forward functions, imported from the exported package."""

    def __init__(self, peers_dir):
        peers_dir = os.path.abspath(peers_dir)
        if peers_dir not in sys.path:
            sys.path.insert(0, peers_dir)
        from mlstm_kernels.torch.chunkwise.triton_xl_chunk.fw import mlstm_chunkwise_fw
        from mlstm_kernels.torch.chunkwise.triton_xl_chunk_siging.fw import (
            mlstm_siging_chunkwise_fw)
        self.exp_fw = mlstm_chunkwise_fw
        self.sig_fw = mlstm_siging_chunkwise_fw

    def probe_stages(self, variant, q, k, v, i, f):
        """(stage name, callable) pairs whose calls compile the kernels of
        `variant` one at a time (the probe logs each stage, so a crash names
        the kernel): for exp, their inter-chunk state kernel
        (mlstm_chunkwise__recurrent_fw_C, with the arguments their forward
        passes) before the whole forward; one stage otherwise."""
        full = ("forward", self.prepare(variant, q, k, v, i, f))
        if variant != "exp":
            return [full]
        from mlstm_kernels.torch.chunkwise.triton_xl_chunk.fw_recurrent import (
            mlstm_chunkwise__recurrent_fw_C)
        from mlstm_kernels.triton.chunkwise.kernel_param_heuristics import (
            get_xl_chunk_kernel_params)
        kp = get_xl_chunk_kernel_params(sequence_length=q.shape[2],
                                        target_chunk_size=TFLA_CHUNK_SIZE)

        def recurrent():
            return mlstm_chunkwise__recurrent_fw_C(
                matK=k, matV=v, vecF=f, vecI=i, chunk_size=kp.chunk_size_inter,
                save_states_every_nth_chunk=kp.save_states_every_nth_chunk)
        return [("recurrent_fw_C (inter-chunk states)", recurrent),
                ("parallel_fw_Hintra (+ gate preprocessing)", full[1])]

    def prepare(self, variant, q, k, v, i, f):
        """A no-argument callable returning h (B, NH, S, DHV)."""
        if variant == "exp":
            def call():
                return self.exp_fw(q, k, v, i, f, chunk_size=TFLA_CHUNK_SIZE,
                                   eps=EPS, output_dtype=q.dtype)[0]
        else:
            normalize = variant == "sig"

            def call():
                return self.sig_fw(q, k, v, i, f, normalize=normalize,
                                   chunk_size=TFLA_CHUNK_SIZE, eps=EPS,
                                   output_dtype=q.dtype)[0]
        return call


def sdpa_prepare(backend, q, k, v):
    import torch.nn.functional as F
    from torch.nn.attention import SDPBackend, sdpa_kernel
    b = {"flash": SDPBackend.FLASH_ATTENTION, "cudnn": SDPBackend.CUDNN_ATTENTION,
         "efficient": SDPBackend.EFFICIENT_ATTENTION}[backend]

    def call():
        with sdpa_kernel([b]):
            return F.scaled_dot_product_attention(q, k, v, is_causal=True)
    return call


def make_inputs(B, NH, S, dqk, dhv, dtype, generator=None, device="cuda"):
    """Random inputs in the benchmark's distribution: q, k, v ~ N(0, 1);
    i ~ N(0, 1); f ~ N(3, 1) (forget gates ~ 0.95, long memory as in trained
    xLSTMs). Drawn in float32, then cast."""
    import torch
    kw = dict(device=device, dtype=torch.float32, generator=generator)
    q = torch.randn(B, NH, S, dqk, **kw).to(dtype)
    k = torch.randn(B, NH, S, dqk, **kw).to(dtype)
    v = torch.randn(B, NH, S, dhv, **kw).to(dtype)
    i = torch.randn(B, NH, S, **kw).to(dtype)
    f = (torch.randn(B, NH, S, **kw) + 3.0).to(dtype)
    return q, k, v, i, f


# --------------------------------------------------------------------------
# Probe

def item_key(item):
    return f"tfla_{item['variant']}@B{item['B']}_NH{item['NH']}_S{item['S']}_{item['dqk']}x{item['dhv']}_{item['dtype']}"


def _worker(args):
    """Child: first call of each item, logging started/done lines."""
    import torch
    dtypes = {"bf16": torch.bfloat16, "f32": torch.float32, "f16": torch.float16}
    items = json.loads(open(args.items).read())
    log = open(args.status, "a")

    def emit(rec):
        log.write(json.dumps(rec) + "\n")
        log.flush()
        os.fsync(log.fileno())

    try:
        tfla = Tfla(args.peers)
    except Exception as e:  # an import error fails every item alike
        for it in items:
            emit({"key": item_key(it), "ok": False, "error": f"import: {e!r}"})
        return 0
    for it in items:
        key = item_key(it)
        emit({"key": key, "started": True})
        t0 = time.time()
        try:
            q, k, v, i, f = make_inputs(it["B"], it["NH"], it["S"], it["dqk"], it["dhv"],
                                        dtypes[it["dtype"]])
            for stage, fn in tfla.probe_stages(it["variant"], q, k, v, i, f):
                emit({"key": key, "stage": stage})
                h = fn()
                torch.cuda.synchronize()
            h = h[0] if isinstance(h, tuple) else h
            finite = bool(torch.isfinite(h).all())
            emit({"key": key, "ok": True, "finite": finite,
                  "first_call_s": round(time.time() - t0, 3)})
            del q, k, v, i, f, h
            torch.cuda.empty_cache()
        except Exception as e:
            emit({"key": key, "ok": False, "error": repr(e)[:2000],
                  "first_call_s": round(time.time() - t0, 3)})
            torch.cuda.synchronize()
            torch.cuda.empty_cache()
    return 0


def _run_chain(name, items, args, workdir, deadline):
    """Runs items through children until all are recorded; returns a dict
    key -> record. Children are started one after another, so at most one of
    this chain runs at any time."""
    results = {}
    attempt = 0
    remaining = list(items)
    while remaining:
        attempt += 1
        items_file = os.path.join(workdir, f"{name}-{attempt}.items.json")
        status_file = os.path.join(workdir, f"{name}-{attempt}.status.jsonl")
        stderr_file = os.path.join(workdir, f"{name}-{attempt}.stderr")
        with open(items_file, "w") as fh:
            json.dump(remaining, fh)
        cmd = [sys.executable, os.path.abspath(__file__), "worker", "--peers", args.peers,
               "--items", items_file, "--status", status_file]
        t0 = time.time()
        timeout = max(10.0, deadline - time.time())
        with open(stderr_file, "w") as err:
            try:
                proc = subprocess.run(cmd, stdout=err, stderr=subprocess.STDOUT,
                                      timeout=timeout)
                rc = proc.returncode
            except subprocess.TimeoutExpired:
                rc = "timeout"
        started, stage = None, None
        if os.path.exists(status_file):
            for line in open(status_file):
                rec = json.loads(line)
                if rec.get("started"):
                    started, stage = rec["key"], None
                elif "stage" in rec:
                    stage = rec["stage"]
                else:
                    rec["child"] = f"{name}-{attempt}"
                    results[rec["key"]] = rec
                    started = None
        if started is not None:  # the child died inside this item
            tail = open(stderr_file, errors="replace").read()[-3000:]
            results[started] = {
                "key": started, "ok": False, "crashed": True,
                "stage": stage,
                "returncode": rc if rc == "timeout" else int(rc),
                "signal": (-rc if isinstance(rc, int) and rc < 0 else None),
                "stderr_tail": tail, "child": f"{name}-{attempt}",
                "child_s": round(time.time() - t0, 1)}
        elif rc not in (0,) and not any(item_key(it) in results for it in remaining):
            tail = open(stderr_file, errors="replace").read()[-3000:]
            for it in remaining:  # died before its first item
                results[item_key(it)] = {"key": item_key(it), "ok": False,
                                         "error": f"probe child exited {rc} before starting",
                                         "stderr_tail": tail}
        remaining = [it for it in remaining if item_key(it) not in results]
        if rc == "timeout":
            for it in remaining:
                results[item_key(it)] = {"key": item_key(it), "ok": False,
                                         "error": "probe time budget exhausted"}
            remaining = []
    return results


def _probe(args):
    configs = json.load(open(args.configs))
    workdir = args.workdir or os.path.join(os.path.dirname(os.path.abspath(args.out)), "probe-work")
    os.makedirs(workdir, exist_ok=True)
    deadline = time.time() + args.budget_s
    # Chains side by side: the sigmoid kernels in one child; each exp item
    # (which may crash, and a crash costs a fresh child) in its own.
    chains = {}
    for variant in TFLA_VARIANTS:
        for n, c in enumerate(configs):
            chain = f"exp{n}" if variant == "exp" else "sig"
            chains.setdefault(chain, []).append(dict(c, variant=variant))
    import threading
    results, threads = {}, []

    def run(name, items):
        results.update(_run_chain(name, items, args, workdir, deadline))
    t0 = time.time()
    for name, items in chains.items():
        th = threading.Thread(target=run, args=(name, items))
        th.start()
        threads.append(th)
    for th in threads:
        th.join()
    out = {"elapsed_s": round(time.time() - t0, 1), "items": results}
    with open(args.out, "w") as fh:
        json.dump(out, fh, indent=1)
    n_ok = sum(1 for r in results.values() if r.get("ok"))
    print(f"probe: {n_ok}/{len(results)} (peer, shape) pairs compiled and ran "
          f"in {out['elapsed_s']} s; failures:")
    for key, r in sorted(results.items()):
        if not r.get("ok"):
            what = (f"crashed (signal {r.get('signal')}) in {r.get('stage')}" if r.get("crashed")
                    else r.get("error", ""))
            print(f"  {key}: {what}")
    return 0


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    sub = p.add_subparsers(dest="cmd", required=True)
    pp = sub.add_parser("probe")
    pp.add_argument("--peers", required=True)
    pp.add_argument("--configs", required=True, help="JSON list of {B, NH, S, dqk, dhv, dtype}")
    pp.add_argument("--out", required=True)
    pp.add_argument("--workdir")
    pp.add_argument("--budget-s", type=float, default=300.0)
    pw = sub.add_parser("worker")
    pw.add_argument("--peers", required=True)
    pw.add_argument("--items", required=True)
    pw.add_argument("--status", required=True)
    args = p.parse_args(argv)
    return _probe(args) if args.cmd == "probe" else _worker(args)


if __name__ == "__main__":
    sys.exit(main())
