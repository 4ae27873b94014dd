"""Drop-ins for NX-AI/mlstm_kernels' mlstm_chunkwise__xl_chunk and
mlstm_siging_chunkwise__xl_chunk: their argument names, layout and return
convention (h, or (h, last_states) with return_last_states; m as (B, NH, 1)).

Their tiling knobs (chunk_size, chunk_size_inter/intra, siz_b_*, num_warps_*,
num_stages_*, recompute_states_in_bw) change speed, not results, and are
accepted and ignored: our chunk size is the library's ("auto"). As in
theirs, under CUDA autocast the inputs are cast to autocast_kernel_dtype;
otherwise the kernels run in q's dtype (gates and k, v are cast to it).
"""

import torch

from ._ops import mlstm


def _kernel_dtype(q, autocast_kernel_dtype):
    return autocast_kernel_dtype if torch.is_autocast_enabled("cuda") else q.dtype


def _cast(dtype, *ts):
    return [t.to(dtype) if isinstance(t, torch.Tensor) and t.is_floating_point() else t for t in ts]


def _states(given, names):
    if all(t is None for t in given):
        return None
    missing = [n for n, t in zip(names, given) if t is None]
    if missing:
        raise ValueError("%s: initial states are all or none" % ", ".join(missing))
    return tuple(t.float() if isinstance(t, torch.Tensor) else t for t in given)


def mlstm_chunkwise__xl_chunk(q, k, v, i, f, c_initial=None, n_initial=None, m_initial=None,
                              return_last_states=False, eps=1e-6, chunk_size=128,
                              chunk_size_inter=None, chunk_size_intra=None,
                              siz_b_L_parallel=None, siz_b_L_loop=None,
                              siz_b_DH_parallel=None, siz_b_DH_loop=None,
                              num_warps_intra=None, num_warps_inter=None,
                              num_stages_intra=None, num_stages_inter=None,
                              recompute_states_in_bw=True,
                              autocast_kernel_dtype=torch.float32):
    """mLSTMexp; m_initial and the returned m are (B, NH, 1)."""
    dt = _kernel_dtype(q, autocast_kernel_dtype)
    if isinstance(m_initial, torch.Tensor) and m_initial.dim() == 3:
        m_initial = m_initial.squeeze(-1)
    init = _states((c_initial, n_initial, m_initial), ("c_initial", "n_initial", "m_initial"))
    with torch.autocast("cuda", enabled=False):
        out = mlstm("exp", *_cast(dt, q, k, v, i, f), init, return_last_states, eps)
    if return_last_states:
        h, (c, n, m) = out
        return h, (c, n, m.unsqueeze(-1))
    return out


def mlstm_siging_chunkwise__xl_chunk(q, k, v, i, f, c_initial=None, n_initial=None,
                                     m_initial=None, return_last_states=False, eps=1e-6,
                                     normalize=True, chunk_size=128, chunk_size_inter=None,
                                     chunk_size_intra=None, siz_b_L_parallel=None,
                                     siz_b_L_loop=None, siz_b_DH_parallel=None,
                                     siz_b_DH_loop=None, num_warps_intra=None,
                                     num_warps_inter=None, num_stages_intra=None,
                                     num_stages_inter=None, recompute_states_in_bw=True,
                                     autocast_kernel_dtype=torch.float32):
    """mLSTMsig; m_initial is unused (as in theirs). With normalize=False our
    kernels keep no n state: n_initial is ignored and the returned n is None."""
    dt = _kernel_dtype(q, autocast_kernel_dtype)
    if normalize:
        init = _states((c_initial, n_initial), ("c_initial", "n_initial"))
    else:
        init = _states((c_initial,), ("c_initial",))
    with torch.autocast("cuda", enabled=False):
        out = mlstm("sig" if normalize else "sig_nonorm", *_cast(dt, q, k, v, i, f), init,
                    return_last_states, eps)
    if return_last_states:
        h, states = out
        return h, (states if normalize else (states[0], None))
    return out
