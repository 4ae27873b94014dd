"""ctypes binding of a generated kernel library (generated/<lib>/, built with
its CMakeLists.txt). No torch here: the header parser is testable anywhere.

The entry points are read from the library's header (<lib>.h), which states
for each one its variant (gates, normalizer, eps, qk_scale), chunk size,
tensor table and the parameter order of its prototype. Reading it instead of
hard-coding names lets any library generated from any spec be loaded.
"""

import ctypes
import os
import re
from dataclasses import dataclass, field

MAX_RANK = 5
DTYPE_CODES = {"f32": 0, "f16": 1, "bf16": 2}
STATUS_NAMES = {0: "MLSTM_SUCCESS", 1: "MLSTM_ERROR_INVALID_ARGUMENT",
                2: "MLSTM_ERROR_UNSUPPORTED", 3: "MLSTM_ERROR_CUDA",
                4: "MLSTM_ERROR_INTERNAL"}


class Tensor(ctypes.Structure):
    _fields_ = [("data", ctypes.c_void_p), ("rank", ctypes.c_int64),
                ("sizes", ctypes.c_int64 * MAX_RANK),
                ("strides", ctypes.c_int64 * MAX_RANK), ("dtype", ctypes.c_int)]


class Status(ctypes.Structure):
    _fields_ = [("code", ctypes.c_int), ("cuda_result", ctypes.c_int),
                ("message", ctypes.c_char * 256)]


class LibraryError(RuntimeError):
    """An entry point returned a status other than MLSTM_SUCCESS."""

    def __init__(self, status):
        self.code = status.code
        self.cuda_result = status.cuda_result
        super().__init__("%s (%s%s)" % (
            status.message.decode(errors="replace"),
            STATUS_NAMES.get(status.code, status.code),
            ", CUresult %d" % status.cuda_result if status.cuda_result else ""))


@dataclass
class EntryPoint:
    name: str
    library: "Library"
    input_gate: str           # exp | sigmoid | none
    forget_gate: str          # logsigmoid | none
    normalizer: str           # max_abs | none
    eps: float
    qk_scale: float
    chunk_size: int
    dtype: str                # of q (f32 | f16 | bf16)
    dqk: int
    dhv: int
    backward: bool
    params: list = field(default_factory=list)   # prototype order, without stream
    detached: bool = False    # a backward with NX-AI's detached denominator
    dtypes: dict = field(default_factory=dict)   # param -> dtype string
    func: object = None

    @property
    def variant(self):
        """exp | sig | sig_nonorm (or None for recurrences not served here)."""
        if self.forget_gate != "logsigmoid":
            return None
        if self.input_gate == "exp" and self.normalizer == "max_abs":
            return "exp"
        if self.input_gate == "sigmoid":
            return "sig" if self.normalizer == "max_abs" else "sig_nonorm"
        return None

    def __call__(self, stream, **tensors):
        """Calls the entry point: tensors by parameter name (absent: NULL)."""
        args = []
        for p in self.params:
            t = tensors.pop(p, None)
            args.append(None if t is None else ctypes.byref(t))
        if tensors:
            raise TypeError("%s has no parameter(s) %s" % (self.name, sorted(tensors)))
        st = self.func(*args, ctypes.c_void_p(stream))
        if st.code != 0:
            raise LibraryError(st)


_COMMENT = re.compile(
    r"/\* (\w+): #mlstm\.variant<([^>]*)>,\s*\n\s*\*\s+chunk size (\d+)\.\n(.*?)\*/\s*"
    r"MLSTM_API mlstm_status (\w+)\((.*?)\);", re.S)
_ROW = re.compile(r"^\s*\*\s+(\w+)\s+(f32|f16|bf16)\s+\[([^\]]*)\]", re.M)


def parse_header(text):
    """-> list of dicts, one per entry point, from a generated <lib>.h."""
    entries = []
    for m in _COMMENT.finditer(text):
        name, attrs, chunk, table, proto_name, proto = m.groups()
        if name != proto_name:
            raise ValueError("header: comment of %s precedes %s" % (name, proto_name))
        kv = dict(a.strip().split(" = ", 1) for a in attrs.split(","))
        params = [p.split()[-1].lstrip("*") for p in proto.split(",")]
        if params[-1] != "stream":
            raise ValueError("header: %s does not end with a stream" % name)
        rows = {r[0]: (r[1], [s.strip() for s in r[2].split(",")])
                for r in _ROW.findall(table)}
        if set(rows) != set(params[:-1]):
            raise ValueError("header: %s's table and prototype disagree" % name)
        entries.append(dict(
            name=name, input_gate=kv.get("input_gate", "exp"),
            forget_gate=kv.get("forget_gate", "logsigmoid"),
            normalizer=kv.get("normalizer", "max_abs"),
            eps=float(kv.get("eps", "1e-6")), qk_scale=float(kv["qk_scale"]),
            chunk_size=int(chunk), dtype=rows["q"][0],
            dqk=int(rows["q"][1][3]), dhv=int(rows["v"][1][3]),
            backward="dh" in rows, params=params[:-1],
            detached="gradient: detached" in table,
            dtypes={p: rows[p][0] for p in params[:-1]}))
    return entries


class Library:
    """A loaded lib<name>.so with the entry points its header declares."""

    def __init__(self, so_path, header_path=None):
        so_path = os.path.abspath(so_path)
        name = re.sub(r"^lib|\.so.*$", "", os.path.basename(so_path))
        if header_path is None:
            d = os.path.dirname(so_path)
            for cand in (os.path.join(d, name + ".h"),
                         os.path.join(d, "..", "include", name + ".h")):
                if os.path.exists(cand):
                    header_path = cand
                    break
            else:
                raise FileNotFoundError(
                    "no %s.h beside %s or in ../include; pass header_path "
                    "(generated/%s/%s.h)" % (name, so_path, name, name))
        with open(header_path) as fh:
            parsed = parse_header(fh.read())
        if not parsed:
            raise ValueError("%s declares no entry points" % header_path)
        self.name, self.path, self.header = name, so_path, header_path
        self._dll = ctypes.CDLL(so_path)
        self.entries = []
        for e in parsed:
            ep = EntryPoint(library=self, **e)
            ep.func = getattr(self._dll, ep.name)
            ep.func.restype = Status
            ep.func.argtypes = [ctypes.POINTER(Tensor)] * len(ep.params) + [ctypes.c_void_p]
            self.entries.append(ep)

    def __repr__(self):
        return "Library(%r, %d entry points)" % (self.path, len(self.entries))
