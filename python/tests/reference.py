"""Pure-PyTorch mLSTM (shared/DESIGN.md §2), differentiable by autograd.

mlstm_parallel is the whole sequence as one chunk: by induction the
recurrence's m_t = max(b_t + m0, max_s (b_t - b_s + i_s)), so h_t and the
final states have a closed form over (t, s) pairs. It runs in the inputs'
dtype (float64 for the accuracy tests, float32 for the language model).
mlstm_recurrent is the definition, step by step, to check it against.
"""

import torch
import torch.nn.functional as F

STATES = {"exp": ("C", "n", "m"), "sig": ("C", "n"), "sig_nonorm": ("C",)}


def _zeros_states(q, v):
    B, NH, _, DQK = q.shape
    z = dict(C=q.new_zeros(B, NH, DQK, v.size(-1)), n=q.new_zeros(B, NH, DQK), m=q.new_zeros(B, NH))
    return z


def _unpack(variant, initial_states, q, v):
    st = _zeros_states(q, v)
    if initial_states is not None:
        st.update({s: t.to(q.dtype) for s, t in zip(STATES[variant], initial_states)})
    return st["C"], st["n"], st["m"]


def mlstm_parallel(variant, q, k, v, i, f, initial_states=None, eps=1e-6,
                   return_final_states=False):
    C0, n0, m0 = _unpack(variant, initial_states, q, v)
    S, DQK = q.shape[2], q.shape[3]
    q = q * DQK ** -0.5
    b = F.logsigmoid(f).cumsum(-1)                         # (B, NH, S)
    ig = i if variant == "exp" else F.logsigmoid(i)
    causal = torch.ones(S, S, dtype=torch.bool, device=q.device).tril()
    logD = (b[..., :, None] - b[..., None, :] + ig[..., None, :]).masked_fill(~causal, float("-inf"))
    if variant == "exp":
        m = torch.maximum(b + m0[..., None], logD.amax(-1))
    else:                                                  # logD <= 0: no stabilizer
        m = torch.zeros_like(b)
        m0 = torch.zeros_like(m0)
    D = torch.exp(logD - m[..., None])
    inter = torch.exp(b + m0[..., None] - m)               # weight of the initial state
    qk = (q @ k.transpose(-1, -2)) * D
    num = qk @ v + inter[..., None] * (q @ C0)
    if variant == "sig_nonorm":
        h = num
    else:
        den = qk.sum(-1) + inter * (q @ n0[..., None]).squeeze(-1)
        lower = torch.exp(-m) if variant == "exp" else torch.ones_like(m)
        h = num / (torch.maximum(den.abs(), lower) + eps)[..., None]
    if not return_final_states:
        return h
    g = b[..., -1]
    a = g[..., None] - b + ig                              # (B, NH, S)
    mS = torch.maximum(g + m0, a.amax(-1)) if variant == "exp" else torch.zeros_like(g)
    w = torch.exp(a - mS[..., None])
    decay = torch.exp(g + m0 - mS)
    C = decay[..., None, None] * C0 + torch.einsum("bhs,bhsd,bhse->bhde", w, k, v)
    n = decay[..., None] * n0 + torch.einsum("bhs,bhsd->bhd", w, k)
    return h, dict(exp=(C, n, mS), sig=(C, n), sig_nonorm=(C,))[variant]


def mlstm_recurrent(variant, q, k, v, i, f, initial_states=None, eps=1e-6):
    """The definition, one step at a time (slow; for checking mlstm_parallel)."""
    C, n, m = _unpack(variant, initial_states, q, v)
    q = q * q.shape[-1] ** -0.5
    hs = []
    for t in range(q.shape[2]):
        logf = F.logsigmoid(f[:, :, t])
        if variant == "exp":
            m_new = torch.maximum(logf + m, i[:, :, t])
            a, b = torch.exp(logf + m - m_new), torch.exp(i[:, :, t] - m_new)
            m = m_new
        else:
            a, b = torch.exp(logf), torch.sigmoid(i[:, :, t])
        kt, vt, qt = k[:, :, t], v[:, :, t], q[:, :, t]
        C = a[..., None, None] * C + b[..., None, None] * kt[..., :, None] * vt[..., None, :]
        n = a[..., None] * n + b[..., None] * kt
        num = (qt[..., :, None] * C).sum(-2)
        if variant == "sig_nonorm":
            hs.append(num)
            continue
        den = (qt * n).sum(-1)
        lower = torch.exp(-m) if variant == "exp" else torch.ones_like(den)
        hs.append(num / (torch.maximum(den.abs(), lower) + eps)[..., None])
    final = dict(exp=(C, n, m), sig=(C, n), sig_nonorm=(C,))[variant]
    return torch.stack(hs, 2), final
