"""mlstm_exp / mlstm_sig on CUDA tensors through the loaded libraries.

Checks happen in Python first so that errors name the Python argument; the
C API checks again (its message then surfaces as LibraryError).
"""

import math
import os

import torch

from . import _capi

_DTYPES = {torch.float32: "f32", torch.float16: "f16", torch.bfloat16: "bf16"}
_TORCH = {v: k for k, v in _DTYPES.items()}
# The states of each variant, in the C API's order (README "The spec op").
_STATES = {"exp": ("C", "n", "m"), "sig": ("C", "n"), "sig_nonorm": ("C",)}
_libraries = []
_DEVICE_TYPE = "cuda"   # "cpu" only in tests that stand in for the library


class NoEntryPointError(ValueError):
    """The loaded libraries have no entry point for this call's combination
    of variant, dtype, head dims, chunk size, eps, states or backward."""


def load_library(so_path, header_path=None):
    """Loads lib<name>.so built from generated/<name>/ (CMake + CUDA), with
    its header <name>.h (default: beside it or in ../include). Later calls
    search every loaded library."""
    lib = _capi.Library(so_path, header_path)
    _libraries.append(lib)
    return lib


def loaded_libraries():
    if not _libraries:
        # Lazily, so that importing the package needs no GPU or library.
        for p in filter(None, os.environ.get("MLSTM_COMPILED_LIBRARIES", "").split(os.pathsep)):
            load_library(p)
    if not _libraries:
        raise RuntimeError(
            "no mLSTM kernel library loaded: call mlstm_compiled.load_library("
            "'.../libmlstm.so') or set MLSTM_COMPILED_LIBRARIES "
            "(paths separated by '%s')" % os.pathsep)
    return list(_libraries)


def _describe(entries):
    return ", ".join(sorted({"%s %s %dx%d chunk %d" % (e.variant, e.dtype, e.dqk, e.dhv, e.chunk_size)
                             for e in entries})) or "none"


def _select(variant, dtype, dqk, dhv, chunk_size, eps, has_init, want_final, need_backward):
    """-> (forward entry, backward entry or None)."""
    everything = [e for lib in loaded_libraries() for e in lib.entries]
    fwds = [e for e in everything if not e.backward]
    what = "mlstm %s" % variant

    def narrow(cands, keep, arg, why):
        kept = [e for e in cands if keep(e)]
        if not kept:
            raise NoEntryPointError("%s: no entry point for %s (%s); the loaded libraries have: %s"
                                    % (arg, what, why, _describe(cands)))
        return kept

    fwds = narrow(fwds, lambda e: e.variant == variant, "variant", "this variant")
    fwds = narrow(fwds, lambda e: (e.dqk, e.dhv) == (dqk, dhv), "q/v",
                  "head dims DQK=%d, DHV=%d" % (dqk, dhv))
    fwds = narrow(fwds, lambda e: e.dtype == dtype, "q", "dtype %s" % _TORCH[dtype])
    if chunk_size != "auto":
        fwds = narrow(fwds, lambda e: e.chunk_size == chunk_size, "chunk_size",
                      "chunk_size=%d" % chunk_size)
    if variant != "sig_nonorm":   # eps only enters through the normalizer
        fwds = narrow(fwds, lambda e: math.isclose(e.eps, eps, rel_tol=1e-6), "eps",
                      "eps=%g; eps is a spec attribute compiled into the kernels "
                      "(theirs: %s), not a run-time argument"
                      % (eps, ", ".join(sorted({"%g" % e.eps for e in fwds}))))
    if has_init:
        fwds = narrow(fwds, lambda e: "C0" in e.params, "initial_states", "initial states")
    if want_final:
        fwds = narrow(fwds, lambda e: "C_out" in e.params, "return_final_states", "final states")
    # Forwards with an exact backward first, then with a detached one (a
    # spec's denominator_grad = detached; taken only where nothing else is
    # loaded): a call gives the same h with or without grad.
    def backward_rank(e):
        bwd = [b for b in e.library.entries if b.name == e.name + "_backward"]
        return 2 if not bwd else int(bwd[0].detached)
    fwds.sort(key=backward_rank)
    if not need_backward:
        return fwds[0], None
    for fwd in fwds:
        for e in fwd.library.entries:
            if (e.backward and e.name == fwd.name + "_backward"
                    and (not has_init or "C0" in e.params)):
                return fwd, e
    raise NoEntryPointError(
        "backward: no backward entry point for %s %s DQK=%d DHV=%d in the loaded libraries "
        "(backward entries: %s); gradients were asked for (an input requires grad and grad "
        "mode is on): use torch.no_grad(), detach the inputs, or load a library generated "
        "from a spec marked {backward}" % (what, dtype, dqk, dhv,
                                            _describe([e for e in everything if e.backward])))


def _ready(t):
    """t with a contiguous last dim and 16-byte aligned data (the C API's rules)."""
    if (t.stride(-1) != 1 and t.size(-1) != 1) or t.data_ptr() % 16:
        t = t.clone(memory_format=torch.contiguous_format)
    return t


def _c(t):
    ct = _capi.Tensor()
    ct.data = t.data_ptr()
    ct.rank = t.dim()
    for d in range(t.dim()):
        ct.sizes[d] = t.size(d)
        ct.strides[d] = t.stride(d)
    ct.dtype = _capi.DTYPE_CODES[_DTYPES[t.dtype]]
    return ct


def _call(entry, device, **tensors):
    with torch.cuda.device(device):
        stream = torch.cuda.current_stream(device).cuda_stream
        entry(stream, **{k: _c(v) for k, v in tensors.items() if v is not None})


class _Mlstm(torch.autograd.Function):
    @staticmethod
    def forward(ctx, fwd, bwd, names, want_final, q, k, v, i, f, *init):
        B, NH, S, _ = q.shape
        dev = q.device
        ins = dict(q=q, k=k, v=v, i=i, f=f)
        ins.update({s + "0": t for s, t in zip(names, init)})
        h = torch.empty(B, NH, S, v.size(-1), dtype=q.dtype, device=dev)
        shapes = {"C": (B, NH, q.size(-1), v.size(-1)), "n": (B, NH, q.size(-1)), "m": (B, NH)}
        final = [torch.empty(shapes[s], dtype=torch.float32, device=dev) for s in names] if want_final else []
        _call(fwd, dev, h=h, **ins, **{s + "_out": t for s, t in zip(names, final)})
        ctx.bwd, ctx.names = bwd, names
        ctx.set_materialize_grads(False)
        ctx.save_for_backward(q, k, v, i, f, h, *init)
        return (h, *final)

    @staticmethod
    @torch.autograd.function.once_differentiable
    def backward(ctx, dh, *dfinal):
        q, k, v, i, f, h, *init = ctx.saved_tensors
        names, dev = ctx.names, q.device
        if ctx.bwd is None:   # _select guarantees this does not happen
            raise RuntimeError("mlstm: no backward entry point was selected")
        dh = torch.zeros_like(h) if dh is None else _ready(dh.to(h.dtype))
        args = dict(q=q, k=k, v=v, i=i, f=f, h=h, dh=dh)
        if any(t is not None for t in dfinal):   # a group is all or none: zeros for the unused
            B, NH, DQK, DHV = q.size(0), q.size(1), q.size(-1), v.size(-1)
            shapes = {"C": (B, NH, DQK, DHV), "n": (B, NH, DQK), "m": (B, NH)}
            for s, t in zip(names, dfinal):
                args["d" + s] = (_ready(t.float()) if t is not None else
                                 torch.zeros(shapes[s], dtype=torch.float32, device=dev))
        grads = [torch.empty_like(t, memory_format=torch.contiguous_format) for t in (q, k, v, i, f)]
        args.update(zip(("dq", "dk", "dv", "di", "df"), grads))
        init_grads = [None] * len(init)
        if init:
            args.update({s + "0": t for s, t in zip(names, init)})
            if any(ctx.needs_input_grad[9:]):
                init_grads = [torch.empty_like(t, memory_format=torch.contiguous_format) for t in init]
                args.update({"d" + s + "0": t for s, t in zip(names, init_grads)})
        _call(ctx.bwd, dev, **args)
        return (None, None, None, None, *grads, *init_grads)


def _check_inputs(q, k, v, i, f):
    args = (("q", q, 4), ("k", k, 4), ("v", v, 4), ("i", i, 3), ("f", f, 3))
    for name, t, _ in args:
        if not isinstance(t, torch.Tensor):
            raise TypeError("%s must be a torch.Tensor, got %s" % (name, type(t).__name__))
    for name, t, rank in args:
        if t.device.type != _DEVICE_TYPE:
            raise ValueError("%s must be a CUDA tensor, got device %s" % (name, t.device))
        if t.device != q.device:
            raise ValueError("%s is on %s but q is on %s" % (name, t.device, q.device))
        if t.dtype not in _DTYPES:
            raise TypeError("%s has dtype %s; the kernels take float32, float16 or bfloat16"
                            % (name, t.dtype))
        if t.dtype != q.dtype:
            raise TypeError("%s has dtype %s but q has %s: q, k, v, i, f must share one dtype"
                            % (name, t.dtype, q.dtype))
        if t.dim() != rank:
            raise ValueError("%s must have %d dimensions (%s), got shape %s" % (
                name, rank, "B, NH, S, D" if rank == 4 else "B, NH, S", tuple(t.shape)))
    B, NH, S, DQK = q.shape
    for name, t, want in (("k", k, (B, NH, S, DQK)), ("v", v, (B, NH, S, v.size(-1))),
                          ("i", i, (B, NH, S)), ("f", f, (B, NH, S))):
        if tuple(t.shape) != want:
            raise ValueError("%s has shape %s; with q of shape %s it must be %s"
                             % (name, tuple(t.shape), tuple(q.shape), want))
    if S == 0 or B * NH == 0:
        raise ValueError("q has shape %s: S and B*NH must be at least 1" % (tuple(q.shape),))


def _check_states(states, names, q, v):
    if not isinstance(states, (tuple, list)) or len(states) != len(names):
        raise ValueError("initial_states must be a tuple (%s) for this variant, got %r"
                         % (", ".join(names), type(states).__name__ if not isinstance(states, (tuple, list))
                            else "%d items" % len(states)))
    B, NH, _, DQK = q.shape
    shapes = {"C": (B, NH, DQK, v.size(-1)), "n": (B, NH, DQK), "m": (B, NH)}
    for j, (s, t) in enumerate(zip(names, states)):
        arg = "initial_states[%d] (%s0)" % (j, s)
        if not isinstance(t, torch.Tensor):
            raise TypeError("%s must be a torch.Tensor (all or none), got %s" % (arg, type(t).__name__))
        if t.device != q.device:
            raise ValueError("%s is on %s but q is on %s" % (arg, t.device, q.device))
        if t.dtype != torch.float32:
            raise TypeError("%s has dtype %s; states are float32" % (arg, t.dtype))
        if tuple(t.shape) != shapes[s]:
            raise ValueError("%s has shape %s, expected %s" % (arg, tuple(t.shape), shapes[s]))


def mlstm(variant, q, k, v, i, f, initial_states=None, return_final_states=False,
          eps=1e-6, chunk_size="auto", _forward_entry=None):
    """The common path of mlstm_exp and mlstm_sig (variant: exp | sig | sig_nonorm).
    _forward_entry (tests): run this forward entry point, no autograd."""
    _check_inputs(q, k, v, i, f)
    names = _STATES[variant]
    if initial_states is not None:
        _check_states(initial_states, names, q, v)
    if chunk_size != "auto" and (not isinstance(chunk_size, int) or isinstance(chunk_size, bool)):
        raise TypeError("chunk_size must be 'auto' or an int, got %r" % (chunk_size,))
    init = tuple(_ready(t) for t in initial_states) if initial_states is not None else ()
    need_grad = torch.is_grad_enabled() and any(
        t.requires_grad for t in (q, k, v, i, f) + tuple(initial_states or ()))
    if _forward_entry is not None:
        fwd, bwd = _forward_entry, None
    else:
        fwd, bwd = _select(variant, _DTYPES[q.dtype], q.size(-1), v.size(-1), chunk_size,
                           float(eps), bool(init), return_final_states, need_grad)
    out = _Mlstm.apply(fwd, bwd, names, bool(return_final_states),
                       *(_ready(t) for t in (q, k, v, i, f)), *init)
    if return_final_states:
        return out[0], tuple(out[1:])
    return out[0]


def mlstm_exp(q, k, v, i, f, *, initial_states=None, return_final_states=False,
              eps=1e-6, chunk_size="auto"):
    """mLSTMexp (exponential input gate, max-state stabilized, normalizer).

    q, k: (B, NH, S, DQK); v: (B, NH, S, DHV); i, f: (B, NH, S) gate
    pre-activations; one dtype, CUDA. initial_states: (C0, n0, m0), float32
    (B, NH, DQK, DHV), (B, NH, DQK), (B, NH). Returns h (B, NH, S, DHV) in the
    input dtype, or (h, (C, n, m)) with return_final_states. Runs on torch's
    current stream. eps must equal the spec's (compiled in). Raises
    NoEntryPointError (a ValueError) at this call, not at backward, when
    gradients are needed and no library has a backward entry point for it.
    """
    return mlstm("exp", q, k, v, i, f, initial_states, return_final_states, eps, chunk_size)


def mlstm_sig(q, k, v, i, f, *, normalize=True, initial_states=None,
              return_final_states=False, eps=1e-6, chunk_size="auto"):
    """mLSTMsig (sigmoid input gate); states (C0, n0), or (C0,) with
    normalize=False (no normalizer: h is the numerator, eps unused).
    Otherwise as mlstm_exp."""
    return mlstm("sig" if normalize else "sig_nonorm", q, k, v, i, f, initial_states,
                 return_final_states, eps, chunk_size)
