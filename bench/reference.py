"""Float64 reference of the mLSTM forward (the parallel form of the
recurrence in /work/shared/DESIGN.md section 2), for the benchmark's
correctness checks. Zero initial states (C0 = 0, n0 = 0, m0 = 0), as the
benchmarked calls use.

Memory is O(S^2) per head: use it on small problems, or on a prefix of a
benchmark problem (h_t depends only on the inputs at positions <= t).
"""

import torch
import torch.nn.functional as F

VARIANTS = ("exp", "sig", "sig_nonorm")


def mlstm_reference(q, k, v, i, f, variant, eps=1e-6):
    """h for q, k (..., S, DQK), v (..., S, DHV), i, f (..., S); any dtype,
    computed in float64 on q's device. Returns float64 (..., S, DHV).

    exp:        D_ts = exp(b_t - b_s + i_s),  m_t = max(b_t + m0, max_s log D_ts)
                h_t = sum_s D_ts e^{-m_t} (q_t.k_s) v_s
                      / (max(|sum_s D_ts e^{-m_t} q_t.k_s|, e^{-m_t}) + eps)
    sig:        D_ts = exp(b_t - b_s + logsigmoid(i_s)),
                h_t = num_t / (max(|den_t|, 1) + eps)
    sig_nonorm: h_t = num_t
    with b_t = sum_{r<=t} logsigmoid(f_r), s <= t, q scaled by DQK^-1/2.
    """
    if variant not in VARIANTS:
        raise ValueError(variant)
    q, k, v, i, f = (x.to(torch.float64) for x in (q, k, v, i, f))
    S, dqk = q.shape[-2], q.shape[-1]
    q = q * dqk ** -0.5
    b = torch.cumsum(F.logsigmoid(f), dim=-1)                       # (..., S)
    gate_in = i if variant == "exp" else F.logsigmoid(i)
    log_d = b[..., :, None] - b[..., None, :] + gate_in[..., None, :]  # (..., t, s)
    causal = torch.ones(S, S, dtype=torch.bool, device=q.device).tril()
    log_d = log_d.masked_fill(~causal, float("-inf"))
    scores = q @ k.transpose(-1, -2)                                 # (..., t, s)
    if variant == "exp":
        m = torch.maximum(log_d.amax(dim=-1), b)                     # m0 = 0
        weights = scores * torch.exp(log_d - m[..., None])
        num = weights @ v
        den = weights.sum(dim=-1)
        return num / (torch.maximum(den.abs(), torch.exp(-m)) + eps)[..., None]
    weights = scores * torch.exp(log_d)
    num = weights @ v
    if variant == "sig_nonorm":
        return num
    den = weights.sum(dim=-1)
    return num / (torch.clamp(den.abs(), min=1.0) + eps)[..., None]


def mlstm_recurrent_reference(q, k, v, i, f, variant, eps=1e-6):
    """The recurrent definition, step by step (slow; for checking
    mlstm_reference itself on tiny sizes)."""
    q, k, v, i, f = (x.to(torch.float64) for x in (q, k, v, i, f))
    *lead, S, dqk = q.shape
    dhv = v.shape[-1]
    q = q * dqk ** -0.5
    C = torch.zeros(*lead, dqk, dhv, dtype=torch.float64, device=q.device)
    n = torch.zeros(*lead, dqk, dtype=torch.float64, device=q.device)
    m = torch.zeros(*lead, dtype=torch.float64, device=q.device)
    hs = []
    for t in range(S):
        logf = F.logsigmoid(f[..., t])
        kt, vt, qt = k[..., t, :], v[..., t, :], q[..., t, :]
        if variant == "exp":
            m_new = torch.maximum(logf + m, i[..., t])
            a = torch.exp(logf + m - m_new)
            g = torch.exp(i[..., t] - m_new)
            m = m_new
        else:
            a = torch.exp(logf)
            g = torch.sigmoid(i[..., t])
        C = a[..., None, None] * C + g[..., None, None] * kt[..., :, None] * vt[..., None, :]
        n = a[..., None] * n + g[..., None] * kt
        num = (qt[..., :, None] * C).sum(-2)
        den = (qt * n).sum(-1)
        if variant == "exp":
            h = num / (torch.maximum(den.abs(), torch.exp(-m)) + eps)[..., None]
        elif variant == "sig":
            h = num / (torch.clamp(den.abs(), min=1.0) + eps)[..., None]
        else:
            h = num
        hs.append(h)
    return torch.stack(hs, dim=-2)


def rel_l2(x, ref):
    """||x - ref|| / ||ref|| in float64 (NaN if x has NaNs)."""
    x = x.to(torch.float64)
    ref = ref.to(torch.float64)
    return float(torch.linalg.vector_norm(x - ref) / torch.linalg.vector_norm(ref))
