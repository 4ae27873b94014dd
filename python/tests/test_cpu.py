"""CPU checks (no GPU): the reference's two forms agree, headers parse, and
the package raises its documented errors before needing a GPU."""

import os
import sys

import pytest
import torch

sys.path.insert(0, os.path.dirname(__file__))
sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))
import mlstm_compiled as mc  # noqa: E402
from mlstm_compiled import _capi  # noqa: E402
from reference import STATES, mlstm_parallel, mlstm_recurrent  # noqa: E402

ROOT = os.path.join(os.path.dirname(__file__), "..", "..")


@pytest.mark.parametrize("variant", ["exp", "sig", "sig_nonorm"])
@pytest.mark.parametrize("states", [False, True])
def test_parallel_matches_recurrent(variant, states):
    g = torch.Generator().manual_seed(1)
    B, NH, S, DQK, DHV = 2, 3, 37, 8, 16
    r = lambda *s: torch.randn(*s, generator=g, dtype=torch.float64)  # noqa: E731
    q, k, v, i = r(B, NH, S, DQK), r(B, NH, S, DQK), r(B, NH, S, DHV), r(B, NH, S) * 3
    f = r(B, NH, S) + 2
    shapes = dict(C=(B, NH, DQK, DHV), n=(B, NH, DQK), m=(B, NH))
    init = tuple(r(*shapes[s]) for s in STATES[variant]) if states else None
    h1, fin1 = mlstm_parallel(variant, q, k, v, i, f, init, return_final_states=True)
    h2, fin2 = mlstm_recurrent(variant, q, k, v, i, f, init)
    torch.testing.assert_close(h1, h2, rtol=1e-10, atol=1e-10)
    for a, b in zip(fin1, fin2):
        torch.testing.assert_close(a, b, rtol=1e-10, atol=1e-10)


def test_headers_parse():
    for lib, count, backward in (("mlstm", 36, 18), ("mlstm_chunks", 14, 7)):
        with open(os.path.join(ROOT, "generated", lib, lib + ".h")) as fh:
            entries = _capi.parse_header(fh.read())
        assert len(entries) == count
        assert sum(e["backward"] for e in entries) == backward
        # mlstm_chunks' two denominator_grad = detached gradients.
        assert sum(e["detached"] for e in entries) == (2 if lib == "mlstm_chunks" else 0)
        assert all(e["backward"] for e in entries if e["detached"])
        for e in entries:
            assert e["eps"] == pytest.approx(1e-6)
            assert e["qk_scale"] == pytest.approx(e["dqk"] ** -0.5)


def test_cpu_tensors_rejected():
    x = torch.zeros(1, 1, 4, 64, dtype=torch.bfloat16)
    g = torch.zeros(1, 1, 4, dtype=torch.bfloat16)
    with pytest.raises(ValueError, match="q must be a CUDA tensor"):
        mc.mlstm_exp(x, x, torch.zeros(1, 1, 4, 128, dtype=torch.bfloat16), g, g)
    with pytest.raises(TypeError, match="k must be a torch.Tensor"):
        mc.mlstm_sig(x, None, x, g, g)
