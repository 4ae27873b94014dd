//===- Chunk.h - Gate quantities of one chunk -------------------*- C++ -*-===//
//
// The per-chunk gate algebra of DESIGN.md section 2, shared by the chunkwise
// forward and backward so both state it once. Notation, for the chunk's
// positions t = 0..len-1 (len < L only for the last chunk):
//   b_t = sum_{r<=t} logf_r            g = b_{len-1}
//   ι_t = log input weight (i_t, logsigmoid(i_t), 0)
//   a_t = g - b_t + ι_t                m_k = max(g + m_{k-1}, max_t a_t)
//   logD_ts = b_t - b_s + ι_s (s<=t)
//   m_comb_t = max(b_t + m_{k-1}, max_s logD_ts)
// Unstabilized variants (no exp input gate) keep every max state at 0.
// b is summed in double and kept as b + bLo in T, as the kernels do: |b|
// reaches thousands with saturating forget gates, and one float rounding of
// it would swamp every difference b_t - b_s.
// Argmax indices say which term won, for the backward: -1 is the carried
// state term, which wins ties, then the earliest position.
//
//===----------------------------------------------------------------------===//

#ifndef MLSTM_LIB_REFERENCE_CHUNK_H
#define MLSTM_LIB_REFERENCE_CHUNK_H

#include "Detail.h"

namespace mlstm::ref::detail {

template <typename T> struct ChunkGates {
  int64_t start = 0, len = 0;
  std::vector<T> logf, logInput, b, bLo, a;
  T g = 0, gLo = 0;
  T mPrev = 0, mNext = 0; // m_{k-1}, m_k
  int64_t mNextArg = -1;
};

template <typename T>
ChunkGates<T> chunkGates(const Variant &variant, const Head<T> &head,
                         int64_t start, int64_t len, T mPrev) {
  ChunkGates<T> gates;
  gates.start = start;
  gates.len = len;
  gates.mPrev = mPrev;
  gates.logf.resize(len);
  gates.logInput.resize(len);
  gates.b.resize(len);
  gates.bLo.resize(len);
  gates.a.resize(len);
  double cumsum = 0;
  for (int64_t t = 0; t < len; ++t) {
    gates.logf[t] = logForget(variant, head.f[start + t]);
    gates.logInput[t] = logInput(variant, head.i[start + t]);
    cumsum += gates.logf[t];
    gates.b[t] = static_cast<T>(cumsum);
    gates.bLo[t] = static_cast<T>(cumsum - static_cast<double>(gates.b[t]));
  }
  gates.g = gates.b[len - 1];
  gates.gLo = gates.bLo[len - 1];
  for (int64_t t = 0; t < len; ++t)
    gates.a[t] = (gates.g - gates.b[t]) + (gates.gLo - gates.bLo[t]) +
                 gates.logInput[t];
  if (isStabilized(variant)) {
    gates.mNext = gates.g + mPrev;
    for (int64_t t = 0; t < len; ++t)
      if (gates.a[t] > gates.mNext) {
        gates.mNext = gates.a[t];
        gates.mNextArg = t;
      }
  }
  return gates;
}

/// Row t of the intra-chunk matrix: logD_ts for s <= t and m_comb_t.
template <typename T> struct ChunkRow {
  std::vector<T> logD;
  T mComb = 0;
  int64_t mCombArg = -1;
};

template <typename T>
void chunkRow(const Variant &variant, const ChunkGates<T> &gates, int64_t t,
              ChunkRow<T> &row) {
  row.logD.resize(t + 1);
  for (int64_t s = 0; s <= t; ++s)
    row.logD[s] = (gates.b[t] - gates.b[s]) + (gates.bLo[t] - gates.bLo[s]) +
                  gates.logInput[s];
  row.mComb = 0;
  row.mCombArg = -1;
  if (isStabilized(variant)) {
    row.mComb = gates.b[t] + gates.mPrev;
    for (int64_t s = 0; s <= t; ++s)
      if (row.logD[s] > row.mComb) {
        row.mComb = row.logD[s];
        row.mCombArg = s;
      }
  }
}

/// Intra-chunk outputs of position t (row = chunkRow(t), qBar = q̄_t):
///   num_t = w q̄_tᵀC_{k-1} + sum_s exp(logD_ts - m_comb_t) (q̄_t.k_s) v_s
///   den_t = w q̄_tᵀn_{k-1} + sum_s exp(logD_ts - m_comb_t) (q̄_t.k_s)
/// with w = exp(b_t + m_{k-1} - m_comb_t), which is returned.
template <typename T>
T chunkOutput(const Head<T> &head, const ChunkGates<T> &gates,
              const ChunkRow<T> &row, int64_t t, const T *qBar,
              const State<T> &prev, T *num, T &den) {
  const int64_t DQK = head.DQK, DHV = head.DHV;
  const T interWeight = std::exp(gates.b[t] + gates.mPrev - row.mComb);
  vecMat(qBar, prev.C.data(), DQK, DHV, num);
  for (int64_t j = 0; j < DHV; ++j)
    num[j] *= interWeight;
  den = interWeight * dot(qBar, prev.n.data(), DQK);
  for (int64_t s = 0; s <= t; ++s) {
    const int64_t pos = gates.start + s;
    const T weight =
        std::exp(row.logD[s] - row.mComb) * dot(qBar, head.k + pos * DQK, DQK);
    for (int64_t j = 0; j < DHV; ++j)
      num[j] += weight * head.v[pos * DHV + j];
    den += weight;
  }
  return interWeight;
}

/// The inter-chunk step C_k = exp(g + m_{k-1} - m_k) C_{k-1}
///                          + sum_t exp(a_t - m_k) k_t v_tᵀ, n_k likewise.
template <typename T>
State<T> chunkStep(const Head<T> &head, const ChunkGates<T> &gates,
                   const State<T> &prev) {
  const int64_t DQK = head.DQK, DHV = head.DHV;
  State<T> next = prev;
  const T decay = std::exp(gates.g + gates.mPrev - gates.mNext);
  for (T &c : next.C)
    c *= decay;
  for (T &x : next.n)
    x *= decay;
  for (int64_t t = 0; t < gates.len; ++t) {
    const int64_t pos = gates.start + t;
    const T weight = std::exp(gates.a[t] - gates.mNext);
    addOuter(next.C.data(), weight, head.k + pos * DQK, head.v + pos * DHV, DQK,
             DHV);
    for (int64_t d = 0; d < DQK; ++d)
      next.n[d] += weight * head.k[pos * DQK + d];
  }
  next.m = gates.mNext;
  return next;
}

} // namespace mlstm::ref::detail

#endif // MLSTM_LIB_REFERENCE_CHUNK_H
