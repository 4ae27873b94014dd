"""FLOP and byte counts of the mLSTM forward pass and of causal attention, and
the floor a forward call cannot beat on the H100 (bench/README.md explains
the counting).

Pure Python (no torch): bench.py and report.py use it, and it can be checked
on a machine without a GPU.
"""

import math

# The two ceilings of the floor, as issue #5 fixes them for the H100 (SXM,
# bf16): HBM bandwidth and the dense bf16 tensor-core rate. The device's
# measured ceilings (a device-to-device copy moved ~3.0 TB/s, an 8192^3 bf16
# GEMM ran at ~798 TFLOP/s, KINDS.md) agree with these.
HBM_BYTES_PER_S = 3.0e12
MATMUL_FLOPS_PER_S = 700e12

# Chunk sizes over which the floor's FLOP count is minimised.
FLOOR_CHUNK_SIZES = (16, 32, 64, 128, 256)

ELEMENT_BYTES = {"bf16": 2, "f16": 2, "f32": 4}


def causal_pairs(S, L):
    """Number of (t, s) pairs with s <= t inside the chunks of length L that
    tile a sequence of length S (the last chunk may be partial)."""
    full, rest = divmod(S, L)
    return full * L * (L + 1) // 2 + rest * (rest + 1) // 2


def mlstm_fw_flops(B, NH, S, dqk, dhv, L, normalizer=True):
    """FLOPs of the chunkwise mLSTM forward with chunk length L.

    Matrix-product work only (one multiply-add = 2 FLOPs); the O(S*L) gate
    arithmetic (logsigmoid, cumsum, exp of the gate matrix, max-state) is left
    out: it runs on the ALUs/SFUs and is < 0.2 % of the total here.

    Per (batch, head):
      inter-chunk state update, for each of the NC = ceil(S/L) chunks:
        C_k = g C_{k-1} + K_k^T (a * V_k)      2 L dqk dhv  (+ 2 dqk dhv decay-add)
        n_k = g n_{k-1} + K_k^T a              2 L dqk      (+ 2 dqk)    [normalizer]
      intra-chunk output, for each of the S positions t:
        q_t^T C_{k-1}                          2 dqk dhv
        q_t^T n_{k-1}                          2 dqk                     [normalizer]
        for each s <= t in the chunk:  q_t.k_s   2 dqk,   D_ts (q_t.k_s) v_s   2 dhv
        row sum of the gated score matrix      1 per pair                [normalizer]
    """
    nc = math.ceil(S / L)
    pairs = causal_pairs(S, L)
    per_head = (2 * S * dqk * dhv + 2 * nc * dqk * dhv  # state update
                + 2 * S * dqk * dhv                     # q^T C
                + 2 * pairs * (dqk + dhv))              # q.k and S V in the chunk
    if normalizer:
        per_head += (2 * S * dqk + 2 * nc * dqk         # n update
                     + 2 * S * dqk                      # q^T n
                     + pairs)                           # row sums
    return B * NH * per_head


def mlstm_floor_flops(B, NH, S, dqk, dhv, normalizer=True):
    """The fewest FLOPs of the chunkwise algorithm: the minimum over chunk
    lengths (the state terms favour long chunks, the intra-chunk terms short
    ones; the minimum sits at L = 16..32 for these head dims and is within
    ~5 % of the L = 64 count)."""
    return min(mlstm_fw_flops(B, NH, S, dqk, dhv, L, normalizer)
               for L in FLOOR_CHUNK_SIZES)


def attention_causal_flops(B, NH, S, dqk, dhv):
    """FLOPs of causal softmax attention: S(S+1)/2 (t, s) pairs, each
    q.k (2 dqk) and p v (2 dhv); the softmax itself is not counted."""
    return B * NH * (S * (S + 1) // 2) * 2 * (dqk + dhv)


def io_bytes(B, NH, S, dqk, dhv, dtype="bf16"):
    """The fewest bytes a forward call moves through HBM: q, k, v read once,
    h written once (issue #5's floor). The gates i, f (2 * B*NH*S elements,
    < 0.5 % more) are reported apart and left out of the floor."""
    e = ELEMENT_BYTES[dtype]
    return B * NH * S * (2 * dqk + 2 * dhv) * e


def gate_bytes(B, NH, S, dtype="bf16"):
    return 2 * B * NH * S * ELEMENT_BYTES[dtype]


def floor_seconds(B, NH, S, dqk, dhv, dtype="bf16", normalizer=True):
    """max(bytes / 3.0 TB/s, FLOPs / 700 TFLOP/s) and which term binds."""
    t_bytes = io_bytes(B, NH, S, dqk, dhv, dtype) / HBM_BYTES_PER_S
    t_flops = mlstm_floor_flops(B, NH, S, dqk, dhv, normalizer) / MATMUL_FLOPS_PER_S
    return max(t_bytes, t_flops), ("memory" if t_bytes >= t_flops else "compute")


if __name__ == "__main__":
    # The floors of the configurations, for the README.
    for (B, NH, S, dqk, dhv) in [(8, 8, 8192, 256, 512),
                                 (32, 16, 2048, 128, 256), (8, 16, 8192, 128, 256),
                                 (2, 16, 32768, 128, 256),
                                 (32, 32, 2048, 64, 128), (8, 32, 8192, 64, 128),
                                 (2, 32, 32768, 64, 128)]:
        t, bound = floor_seconds(B, NH, S, dqk, dhv)
        f64 = mlstm_fw_flops(B, NH, S, dqk, dhv, 64)
        fmin = mlstm_floor_flops(B, NH, S, dqk, dhv)
        print(f"B={B:2d} NH={NH:2d} S={S:5d} {dqk}/{dhv}: bytes {io_bytes(B, NH, S, dqk, dhv)/1e9:.3f} GB"
              f" -> {io_bytes(B, NH, S, dqk, dhv)/HBM_BYTES_PER_S*1e3:.3f} ms;"
              f" FLOPs(L=64) {f64/1e12:.3f} T, min {fmin/1e12:.3f} T -> {fmin/MATMUL_FLOPS_PER_S*1e3:.3f} ms;"
              f" floor {t*1e3:.3f} ms ({bound});"
              f" SDPA causal {attention_causal_flops(B, NH, S, dqk, dhv)/1e12:.2f} TFLOP")
