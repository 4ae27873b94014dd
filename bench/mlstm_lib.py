"""ctypes binding of a generated mLSTM kernel library (generated/mlstm/mlstm.h)
for PyTorch tensors.

    lib = MlstmLibrary("build-bench/mlstm/libmlstm.so")
    call = lib.prepare("exp", q, k, v, i, f, h)   # checks nothing yet
    call()                                          # queues the kernels on torch's current stream

Entry points are named mlstm_<variant>_<dtype>_d<DQK>x<DHV>; the variant fixes
the parameter list (mlstm.h):
    exp:        q, k, v, i, f, C0, n0, m0, h, C_out, n_out, m_out, stream
    sig:        q, k, v, i, f, C0, n0,     h, C_out, n_out,        stream
    sig_nonorm: q, k, v, i, f, C0,         h, C_out,               stream
The benchmark passes NULL for the optional state groups (zero initial states,
final states not returned).
"""

import ctypes
import os
import sys

import torch

_ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
sys.path.insert(0, os.path.join(_ROOT, "python"))
from mlstm_compiled._capi import parse_header  # noqa: E402

MLSTM_MAX_RANK = 5
_DTYPE_CODE = {torch.float32: 0, torch.float16: 1, torch.bfloat16: 2}
_DTYPE_NAME = {torch.float32: "f32", torch.float16: "f16", torch.bfloat16: "bf16"}
# number of (initial, final) state tensors per variant
_STATES = {"exp": 3, "sig": 2, "sig_nonorm": 1}
STATUS_NAMES = {0: "MLSTM_SUCCESS", 1: "MLSTM_ERROR_INVALID_ARGUMENT",
                2: "MLSTM_ERROR_UNSUPPORTED", 3: "MLSTM_ERROR_CUDA",
                4: "MLSTM_ERROR_INTERNAL"}


class MlstmTensor(ctypes.Structure):
    _fields_ = [("data", ctypes.c_void_p),
                ("rank", ctypes.c_int64),
                ("sizes", ctypes.c_int64 * MLSTM_MAX_RANK),
                ("strides", ctypes.c_int64 * MLSTM_MAX_RANK),  # elements
                ("dtype", ctypes.c_int)]                        # mlstm_dtype


class MlstmStatus(ctypes.Structure):
    _fields_ = [("code", ctypes.c_int),
                ("cuda_result", ctypes.c_int),
                ("message", ctypes.c_char * 256)]


class MlstmError(RuntimeError):
    pass


def describe(t):
    """An mlstm_tensor viewing torch tensor t (which must outlive its use)."""
    if t.dim() > MLSTM_MAX_RANK:
        raise ValueError("rank > 5")
    d = MlstmTensor()
    d.data = t.data_ptr()
    d.rank = t.dim()
    for axis in range(t.dim()):
        d.sizes[axis] = t.size(axis)
        d.strides[axis] = t.stride(axis)
    d.dtype = _DTYPE_CODE[t.dtype]
    return d


def entry_name(variant, dtype, dqk, dhv):
    return f"mlstm_{variant}_{_DTYPE_NAME[dtype]}_d{dqk}x{dhv}"


class MlstmLibrary:
    def __init__(self, path, header=None):
        """`header`: the library's <name>.h (default: generated/<name>/<name>.h
        of this repository), for each entry point's chunk size."""
        self.path = path
        self.name = os.path.basename(path).removeprefix("lib").split(".")[0]
        self.lib = ctypes.CDLL(path)
        self._fns = {}
        header = header or os.path.join(_ROOT, "generated", self.name, self.name + ".h")
        with open(header) as fh:
            self.chunk_sizes = {e["name"]: e["chunk_size"] for e in parse_header(fh.read())}

    def function(self, name, variant):
        fn = self._fns.get(name)
        if fn is None:
            fn = getattr(self.lib, name)  # AttributeError if not generated
            n_states = _STATES[variant]
            ptr = ctypes.POINTER(MlstmTensor)
            fn.argtypes = ([ptr] * 5 + [ptr] * n_states + [ptr] + [ptr] * n_states
                           + [ctypes.c_void_p])
            fn.restype = MlstmStatus
            self._fns[name] = fn
        return fn

    def release_context(self):
        """<lib>_release_context: unloads the modules from the current
        context and trims the library's workspace pool."""
        fn = getattr(self.lib, f"{self.name}_release_context")
        fn.restype = MlstmStatus
        status = fn()
        if status.code != 0:
            raise MlstmError(f"{self.name}_release_context: "
                             f"{status.message.decode(errors='replace')}")

    def prepare(self, variant, q, k, v, i, f, h, stream=None, suffix=""):
        """A no-argument callable that runs the entry point for these tensors
        on `stream` (default: torch's current stream at call time) and raises
        MlstmError on a non-success status. `suffix` picks entry points of
        other libraries (e.g. _c128 in generated/mlstm_chunks)."""
        name = entry_name(variant, q.dtype, q.shape[-1], v.shape[-1]) + suffix
        fn = self.function(name, variant)
        n_states = _STATES[variant]
        descs = [describe(t) for t in (q, k, v, i, f, h)]
        keep = (q, k, v, i, f, h)  # keep the storage alive with the callable
        args = ([ctypes.byref(d) for d in descs[:5]] + [None] * n_states
                + [ctypes.byref(descs[5])] + [None] * n_states)

        def call():
            s = stream if stream is not None else torch.cuda.current_stream()
            status = fn(*args, ctypes.c_void_p(s.cuda_stream))
            if status.code != 0:
                raise MlstmError(f"{name}: {STATUS_NAMES.get(status.code, status.code)} "
                                 f"(CUresult {status.cuda_result}): "
                                 f"{status.message.decode(errors='replace')}")
        call.entry = name
        call.chunk_size = self.chunk_sizes[name]
        call._keep = (keep, descs)
        return call


class WorkspaceMemory:
    """Device memory the library's workspaces take in one call. They come
    from the library's own pool (cuMemAllocFromPoolAsync), which keeps them
    after the call and which torch's caching allocator does not see: so the
    pool is trimmed first (<lib>_release_context), and the growth of the
    device's used memory (cuMemGetInfo) across the call, less what torch
    reserved meanwhile, is what the call took (the reloaded module code, a
    few MiB, included)."""

    def __init__(self, lib):
        self.lib = lib
        self.cuda = ctypes.CDLL("libcuda.so.1")
        torch.cuda.init()
        torch.zeros(1, device="cuda")  # make torch's (primary) context current

    def _used(self):
        free, total = ctypes.c_size_t(), ctypes.c_size_t()
        res = self.cuda.cuMemGetInfo_v2(ctypes.byref(free), ctypes.byref(total))
        if res != 0:
            raise RuntimeError(f"cuMemGetInfo failed: CUresult {res}")
        return total.value - free.value

    def begin(self):
        torch.cuda.synchronize()
        self.lib.release_context()
        self._base = (self._used(), torch.cuda.memory_reserved())

    def end(self):
        torch.cuda.synchronize()
        used, reserved = self._base
        grown = (self._used() - used) - (torch.cuda.memory_reserved() - reserved)
        return max(0, int(grown))
