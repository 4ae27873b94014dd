"""GPU checks of mlstm_compiled against the float64 reference (reference.py),
on fresh random inputs (the seed is recorded):

  grad:    every variant with a backward entry: h, final states and dq, dk,
           dv, di, df (and dC0, dn0, dm0 with states) vs float64 autograd;
           relative L2, bounds 1e-2 (forward) and 2e-2 (gradients) for bf16;
           di and df over max(||want||, ||k . dk||), as gpu/checks does.
  forward: every other forward entry, with states, under no_grad; bounds
           1e-2 bf16, 1e-4 f32.
  errors:  wrong device, dtype, shape, states, eps, chunk size, missing
           backward raise the documented exception naming the argument.

    MLSTM_COMPILED_LIBRARIES=a.so:b.so python3 python/tests/gpu_checks.py --out checks.json
"""

import argparse
import json
import os
import sys
import time
import traceback

import torch

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(HERE, ".."))
import mlstm_compiled as mc  # noqa: E402
from mlstm_compiled._ops import _TORCH  # noqa: E402
from reference import STATES, mlstm_parallel  # noqa: E402

DEV = "cuda"


def rel(got, want):
    got, want = got.double(), want.double()
    return ((got - want).norm() / want.norm().clamp_min(1e-300)).item()


def call(variant, *args, **kw):
    if variant == "exp":
        return mc.mlstm_exp(*args, **kw)
    return mc.mlstm_sig(*args, normalize=variant == "sig", **kw)


def draw(B, NH, S, DQK, DHV, dtype, variant, states, g):
    r = lambda *s, mean=0.0, std=1.0: (torch.randn(*s, generator=g, device=DEV) * std + mean)  # noqa: E731
    x = dict(q=r(B, NH, S, DQK), k=r(B, NH, S, DQK), v=r(B, NH, S, DHV), i=r(B, NH, S),
             f=r(B, NH, S, mean=3.0, std=1.5))   # as gpu/checks: forget gates mostly open
    x = {n: t.to(dtype) for n, t in x.items()}
    shapes = dict(C=(B, NH, DQK, DHV), n=(B, NH, DQK), m=(B, NH))
    init = tuple(r(*shapes[s]) for s in STATES[variant]) if states else None
    return x, init, shapes


def grad_case(variant, dtype, B, NH, S, DQK, DHV, states, g):
    x, init, shapes = draw(B, NH, S, DQK, DHV, dtype, variant, states, g)
    dh = torch.randn(B, NH, S, DHV, generator=g, device=DEV)
    dfin = [torch.randn(*shapes[s], generator=g, device=DEV) for s in STATES[variant]]

    def loss_of(h, fin):
        out = (h.double() * dh.double()).sum()
        for t, d in zip(fin or (), dfin):
            out = out + (t.double() * d.double()).sum()
        return out

    leaves = [t.clone().requires_grad_() for t in x.values()]
    ileaves = [t.clone().requires_grad_() for t in init] if init else None
    res = call(variant, *leaves, initial_states=ileaves, return_final_states=states)
    h, fin = res if states else (res, None)
    loss_of(h, fin).backward()

    rleaves = [t.detach().double().requires_grad_() for t in x.values()]
    rileaves = [t.detach().double().requires_grad_() for t in init] if init else None
    rres = mlstm_parallel(variant, *rleaves, rileaves, return_final_states=states)
    rh, rfin = rres if states else (rres, None)
    loss_of(rh, rfin).backward()

    errs = {"h": rel(h, rh)}
    for s, a, b in zip(STATES[variant], fin or (), rfin or ()):
        errs[s + "_final"] = rel(a, b)
    for n, a, b in zip("q k v i f".split(), leaves, rleaves):
        errs["d" + n] = rel(a.grad, b.grad)
    for s, a, b in zip(STATES[variant], ileaves or (), rileaves or ()):
        errs["d" + s + "0"] = rel(a.grad, b.grad)
    # gpu/checks/MlstmBackward.cpp's metric for di, df (formed from q.dq - k.dk
    # in the kernels, terms that cancel): the error over
    # max(||want||, ||(k_t . dk_t)_t||). It judges di and df; the plain
    # relative errors are reported too.
    kdk = (rleaves[1].detach() * rleaves[1].grad).sum(-1).norm()
    scaled = {"d" + n: ((a.grad.double() - b.grad).norm() / torch.maximum(b.grad.norm(), kdk)).item()
              for n, a, b in zip("if", leaves[3:], rleaves[3:])}
    fwd_keys = [k for k in errs if k == "h" or k.endswith("_final")]
    judged = {**errs, **scaled}
    ok = all(v <= (1e-2 if k in fwd_keys else 2e-2) for k, v in judged.items())
    finite = all(torch.isfinite(t.grad).all().item() for t in leaves + (ileaves or []))
    return dict(kind="grad", variant=variant, dtype=str(dtype), B=B, NH=NH, S=S, DQK=DQK,
                DHV=DHV, states=states, rel_l2=errs, kdk_scaled=scaled, pass_=ok and finite)


def forward_case(entry, B, NH, S, g):
    dtype = _TORCH[entry.dtype]
    x, init, _ = draw(B, NH, S, entry.dqk, entry.dhv, dtype, entry.variant, True, g)
    with torch.no_grad():
        h, fin = mc._ops.mlstm(entry.variant, *x.values(), initial_states=init,
                               return_final_states=True, _forward_entry=entry)
        rh, rfin = mlstm_parallel(entry.variant, *(t.double() for t in x.values()),
                                  [t.double() for t in init], return_final_states=True)
    errs = {"h": rel(h, rh)}
    errs.update({s + "_final": rel(a, b) for s, a, b in zip(STATES[entry.variant], fin, rfin)})
    bound = 1e-2 if entry.dtype != "f32" else 1e-4
    return dict(kind="forward", entry=entry.name, chunk=entry.chunk_size, B=B, NH=NH, S=S,
                rel_l2=errs, bound=bound, pass_=all(v <= bound for v in errs.values()))


def error_cases():
    bf = torch.bfloat16
    q = torch.randn(1, 2, 70, 64, device=DEV, dtype=bf)
    v = torch.randn(1, 2, 70, 128, device=DEV, dtype=bf)
    gt = torch.randn(1, 2, 70, device=DEV, dtype=bf)
    C0 = torch.zeros(1, 2, 64, 128, device=DEV)
    n0, m0 = torch.zeros(1, 2, 64, device=DEV), torch.zeros(1, 2, device=DEV)
    req = lambda t: t.clone().requires_grad_()  # noqa: E731
    cases = [
        ("q on the CPU", ValueError, "q must be a CUDA tensor", lambda: mc.mlstm_exp(q.cpu(), q, v, gt, gt)),
        ("f on the CPU", ValueError, "f must be a CUDA tensor", lambda: mc.mlstm_sig(q, q, v, gt, gt.cpu())),
        ("k not a tensor", TypeError, "k must be a torch.Tensor", lambda: mc.mlstm_exp(q, [1], v, gt, gt)),
        ("q float64", TypeError, "q has dtype torch.float64", lambda: mc.mlstm_exp(q.double(), q.double(), v.double(), gt.double(), gt.double())),
        ("i float32, q bf16", TypeError, "i has dtype torch.float32 but q has", lambda: mc.mlstm_exp(q, q, v, gt.float(), gt)),
        ("q rank 3", ValueError, "q must have 4 dimensions", lambda: mc.mlstm_exp(q[0], q, v, gt, gt)),
        ("v with other S", ValueError, "v has shape", lambda: mc.mlstm_exp(q, q, v[:, :, :5], gt, gt)),
        ("f with other NH", ValueError, "f has shape", lambda: mc.mlstm_exp(q, q, v, gt, gt[:, :1])),
        ("S = 0", ValueError, "S and B*NH must be at least 1", lambda: mc.mlstm_exp(q[:, :, :0], q[:, :, :0], v[:, :, :0], gt[:, :, :0], gt[:, :, :0])),
        ("DQK 32: no entry", mc.NoEntryPointError, "head dims DQK=32", lambda: mc.mlstm_exp(q[..., :32], q[..., :32], v, gt, gt)),
        ("float16: no entry", mc.NoEntryPointError, "dtype torch.float16", lambda: mc.mlstm_exp(q.half(), q.half(), v.half(), gt.half(), gt.half())),
        ("eps 1e-5", mc.NoEntryPointError, "eps=1e-05; eps is a spec attribute", lambda: mc.mlstm_exp(q, q, v, gt, gt, eps=1e-5)),
        ("chunk_size 64 at 64x128", mc.NoEntryPointError, "chunk_size=64", lambda: mc.mlstm_exp(q, q, v, gt, gt, chunk_size=64)),
        ("chunk_size '64'", TypeError, "chunk_size must be", lambda: mc.mlstm_exp(q, q, v, gt, gt, chunk_size="64")),
        ("sig given 3 states", ValueError, "initial_states must be a tuple (C, n)", lambda: mc.mlstm_sig(q, q, v, gt, gt, initial_states=(C0, n0, m0))),
        ("C0 in bf16", TypeError, "initial_states[0] (C0) has dtype torch.bfloat16", lambda: mc.mlstm_exp(q, q, v, gt, gt, initial_states=(C0.to(bf), n0, m0))),
        ("n0 wrong shape", ValueError, "initial_states[1] (n0) has shape", lambda: mc.mlstm_exp(q, q, v, gt, gt, initial_states=(C0, n0[..., :8], m0))),
        ("xl_chunk c_initial without n, m", ValueError, "initial states are all or none", lambda: mc.mlstm_chunkwise__xl_chunk(q, q, v, gt, gt, c_initial=C0)),
    ]
    q2, v2 = torch.randn(1, 2, 70, 128, device=DEV, dtype=bf), torch.randn(1, 2, 70, 256, device=DEV, dtype=bf)
    out = [dict(kind="error", case="chunk_size=128 at 128x256 runs (mlstm_chunks)", expected="h",
                got=str(tuple(mc.mlstm_exp(q2, q2, v2, gt, gt, chunk_size=128).shape)),
                pass_=True)]
    for name, exc, text, fn in cases:
        try:
            fn()
            got, ok = "no exception", False
        except Exception as e:  # noqa: BLE001  (recorded, judged below)
            got = "%s: %s" % (type(e).__name__, e)
            ok = isinstance(e, exc) and text in str(e)
        out.append(dict(kind="error", case=name, expected="%s containing %r" % (exc.__name__, text),
                        got=got, pass_=ok))
    # Under no_grad only the forward entry runs.
    with torch.no_grad():
        h = mc.mlstm_exp(req(q.float()), q.float(), v.float(), gt.float(), gt.float())
    out.append(dict(kind="error", case="f32 with requires_grad under no_grad runs",
                    expected="h", got=str(tuple(h.shape)), pass_=h.shape == v.shape))
    return out


def adapter_case(g):
    """xl_chunk drop-in == mlstm_exp (same kernels; m as (B, NH, 1)); gradients flow."""
    x, init, _ = draw(2, 2, 150, 64, 128, torch.bfloat16, "exp", True, g)
    leaves = [t.clone().requires_grad_() for t in x.values()]
    h, (c, n, m) = mc.mlstm_chunkwise__xl_chunk(*leaves, c_initial=init[0], n_initial=init[1],
                                                m_initial=init[2][..., None],
                                                return_last_states=True, eps=1e-6, chunk_size=128)
    h2, (c2, n2, m2) = mc.mlstm_exp(*x.values(), initial_states=init, return_final_states=True)
    h.float().sum().backward()
    same = (torch.equal(h, h2) and torch.equal(c, c2) and torch.equal(n, n2)
            and torch.equal(m, m2[..., None]) and m.shape == (2, 2, 1))
    hs = mc.mlstm_siging_chunkwise__xl_chunk(*x.values(), normalize=False)
    same_sig = torch.equal(hs, mc.mlstm_sig(*x.values(), normalize=False))
    return dict(kind="adapter", same_as_mlstm_exp=same, same_as_mlstm_sig=same_sig,
                grads=all(t.grad is not None for t in leaves), pass_=same and same_sig)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", required=True)
    ap.add_argument("--seed", type=int, default=None)
    a = ap.parse_args()
    seed = a.seed if a.seed is not None else time.time_ns() % (1 << 40)
    g = torch.Generator(device=DEV).manual_seed(seed)
    libs = mc.loaded_libraries()
    results = []

    def guarded(fn, *args):
        try:
            results.append(fn(*args))
        except Exception as e:  # noqa: BLE001
            results.append(dict(kind=fn.__name__, args=repr(args[:-1]), pass_=False,
                                exception=traceback.format_exc(limit=3)))
            print("EXCEPTION", e, flush=True)
        r = results[-1]
        print(json.dumps(r), flush=True)

    for e in [e for lib in libs for e in lib.entries if e.backward]:
        for (B, NH, S, states) in ((2, 3, 200, False), (1, 4, 256, True), (2, 2, 1000, True)):
            guarded(grad_case, e.variant, _TORCH[e.dtype], B, NH, S, e.dqk, e.dhv, states, g)
    for e in [e for lib in libs for e in lib.entries if not e.backward and e.variant]:
        guarded(forward_case, e, 2, 2, 130, g)
    for r in error_cases():
        results.append(r)
        print(json.dumps(r), flush=True)
    guarded(adapter_case, g)

    for r in results:
        r["pass"] = r.pop("pass_")
    summary = dict(device=torch.cuda.get_device_name(), torch=torch.__version__, seed=seed,
                   libraries=[lib.path for lib in libs],
                   passed=sum(r["pass"] for r in results),
                   failed=sum(not r["pass"] for r in results))
    with open(a.out, "w") as fh:
        json.dump(dict(summary=summary, results=results), fh, indent=1)
    print("%d passed, %d failed" % (summary["passed"], summary["failed"]))
    return 0 if summary["failed"] == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
