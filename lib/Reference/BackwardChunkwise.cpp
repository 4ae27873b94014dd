//===- BackwardChunkwise.cpp - Gradients in the chunkwise form ------------===//
//
// Reverse-mode through the chunkwise forward of Chunk.h (notation there).
// A forward scan materializes the chunk-start states (C_{k-1}, n_{k-1},
// m_{k-1}); then chunks are visited last to first carrying (Ĉ_k, n̂_k, m̂_k),
// the total adjoints of chunk k's end state (initially dC_T, dn_T, dm_T):
//
// inter-chunk, with γ = exp(g + m_{k-1} - m_k), w_t = exp(a_t - m_k):
//     C_k = γ C_{k-1} + sum_t w_t k_t v_tᵀ  (n_k likewise)
//   Ĉ_{k-1} += γ Ĉ_k,  n̂_{k-1} += γ n̂_k,
//   dk_t += w_t (Ĉ_k v_t + n̂_k),  dv_t += w_t Ĉ_kᵀ k_t,
//   G_γ = γ (<Ĉ_k, C_{k-1}> + <n̂_k, n_{k-1}>),
//   G_t = w_t (k_tᵀĈ_k v_t + n̂_k.k_t),
//   dg += G_γ,  m̂_{k-1} += G_γ,
//   dm_k = m̂_k - G_γ - sum_t G_t, routed to the winner of m_k
//     (g and m_{k-1}, or a_t),
//   a_t = g - b_t + ι_t:  dg += G_t, db_t -= G_t, dι_t += G_t,
//   finally db_{len-1} += dg.
//
// intra-chunk, row t, with ω_t = exp(b_t + m_{k-1} - m_comb_t),
// e_ts = exp(logD_ts - m_comb_t), P_ts = e_ts (q̄_t.k_s):
//   (dnum, dden, dm_comb) = outputAdjoint(dh_t)            (see Detail.h)
//   state part:  dq̄_t += ω_t (C_{k-1} dnum + n_{k-1} dden),
//                Ĉ_{k-1} += ω_t q̄_t dnumᵀ,  n̂_{k-1} += ω_t q̄_t dden,
//                G = ω_t (dnum.C_{k-1}ᵀq̄_t + dden n_{k-1}.q̄_t):
//                db_t += G, m̂_{k-1} += G, dm_comb -= G
//   matrix part: dP_ts = dnum.v_s + dden,  dv_s += P_ts dnum,
//                dq̄_t += dP_ts e_ts k_s,  dk_s += dP_ts e_ts q̄_t,
//                G_ts = dP_ts P_ts:  db_t += G_ts, db_s -= G_ts,
//                dι_s += G_ts, dm_comb -= G_ts
//   max:         dm_comb goes to the winner of m_comb_t; every candidate
//                contains b_t, so db_t += dm_comb, plus m̂_{k-1} (state term)
//                or dι_s, -db_s (position s).
// then dlogf_r = sum_{t>=r} db_t (b is a cumsum) and the gate chain rules.
// Without an exp input gate every m is the constant 0 and the max steps drop.
//
//===----------------------------------------------------------------------===//

#include "Chunk.h"

namespace mlstm::ref {
namespace {

template <typename T>
void backwardChunkwiseHead(const Variant &variant, DenominatorGrad mode,
                           int64_t chunkSize, const detail::Head<T> &head,
                           const detail::HeadGrads<T> &grads) {
  using namespace detail;
  const bool stabilized = isStabilized(variant);
  const int64_t S = head.S, DQK = head.DQK, DHV = head.DHV;
  const int64_t sizeC = DQK * DHV;

  // Forward state scan: the chunk-start states.
  std::vector<State<T>> starts;
  State<T> state = initialState(head);
  for (int64_t start = 0; start < S; start += chunkSize) {
    starts.push_back(state);
    const int64_t len = std::min(chunkSize, S - start);
    state =
        chunkStep(head, chunkGates(variant, head, start, len, state.m), state);
  }

  std::fill(grads.dq, grads.dq + S * DQK, T(0));
  std::fill(grads.dk, grads.dk + S * DQK, T(0));
  std::fill(grads.dv, grads.dv + S * DHV, T(0));
  std::vector<T> dC(sizeC, T(0)), dn(DQK, T(0));
  T dm = 0;
  if (grads.dC)
    std::copy(grads.dC, grads.dC + sizeC, dC.begin());
  if (grads.dn)
    std::copy(grads.dn, grads.dn + DQK, dn.begin());
  if (grads.dm)
    dm = *grads.dm;

  std::vector<T> qBar(DQK), dqBar(DQK), tmpK(DQK), num(DHV), h(DHV), dnum(DHV),
      qC(DHV);
  ChunkRow<T> row;
  for (int64_t c = static_cast<int64_t>(starts.size()) - 1; c >= 0; --c) {
    const State<T> &prev = starts[c];
    const int64_t start = c * chunkSize;
    const int64_t len = std::min(chunkSize, S - start);
    const ChunkGates<T> gates = chunkGates(variant, head, start, len, prev.m);
    std::vector<T> dCprev(sizeC, T(0)), dnPrev(DQK, T(0));
    std::vector<T> db(len, T(0)), dLogIn(len, T(0)), gradA(len);
    T dmPrev = 0;

    // Inter-chunk: adjoint of (C_k, n_k, m_k) = chunkStep(C_{k-1}, ...).
    const T decay = std::exp(gates.g + gates.mPrev - gates.mNext);
    for (int64_t x = 0; x < sizeC; ++x)
      dCprev[x] += decay * dC[x];
    for (int64_t d = 0; d < DQK; ++d)
      dnPrev[d] += decay * dn[d];
    const T gradDecay = decay * (dot(dC.data(), prev.C.data(), sizeC) +
                                 dot(dn.data(), prev.n.data(), DQK));
    T dg = gradDecay, dmNext = dm - gradDecay;
    dmPrev += gradDecay;
    for (int64_t t = 0; t < len; ++t) {
      const int64_t pos = start + t;
      const T *k = head.k + pos * DQK, *v = head.v + pos * DHV;
      const T w = std::exp(gates.a[t] - gates.mNext);
      matVec(dC.data(), v, DQK, DHV, tmpK.data());
      for (int64_t d = 0; d < DQK; ++d)
        grads.dk[pos * DQK + d] += w * (tmpK[d] + dn[d]);
      for (int64_t d = 0; d < DQK; ++d)
        for (int64_t j = 0; j < DHV; ++j)
          grads.dv[pos * DHV + j] += w * k[d] * dC[d * DHV + j];
      gradA[t] = w * (dot(k, tmpK.data(), DQK) + dot(dn.data(), k, DQK));
      dmNext -= gradA[t];
    }
    if (stabilized) {
      if (gates.mNextArg < 0) {
        dg += dmNext;
        dmPrev += dmNext;
      } else {
        gradA[gates.mNextArg] += dmNext;
      }
    }
    for (int64_t t = 0; t < len; ++t) {
      dg += gradA[t];
      db[t] -= gradA[t];
      dLogIn[t] += gradA[t];
    }
    db[len - 1] += dg;

    // Intra-chunk: adjoint of each output row.
    for (int64_t t = 0; t < len; ++t) {
      const int64_t pos = start + t;
      for (int64_t d = 0; d < DQK; ++d)
        qBar[d] = head.scale * head.q[pos * DQK + d];
      chunkRow(variant, gates, t, row);
      T den, dden, dmComb;
      const T interWeight =
          chunkOutput(head, gates, row, t, qBar.data(), prev, num.data(), den);
      const T scale = outputScale(variant, den, row.mComb);
      for (int64_t j = 0; j < DHV; ++j)
        h[j] = scale * num[j];
      outputAdjoint(variant, mode, DHV, grads.dh + pos * DHV, h.data(), den,
                    row.mComb, dnum.data(), dden, dmComb);

      // Chunk-start state part.
      vecMat(qBar.data(), prev.C.data(), DQK, DHV, qC.data());
      const T gradInter =
          interWeight * (dot(dnum.data(), qC.data(), DHV) +
                         dden * dot(prev.n.data(), qBar.data(), DQK));
      matVec(prev.C.data(), dnum.data(), DQK, DHV, dqBar.data());
      for (int64_t d = 0; d < DQK; ++d)
        dqBar[d] = interWeight * (dqBar[d] + prev.n[d] * dden);
      addOuter(dCprev.data(), interWeight, qBar.data(), dnum.data(), DQK, DHV);
      for (int64_t d = 0; d < DQK; ++d)
        dnPrev[d] += interWeight * qBar[d] * dden;
      db[t] += gradInter;
      dmPrev += gradInter;
      dmComb -= gradInter;

      // Intra-chunk matrix part.
      for (int64_t s = 0; s <= t; ++s) {
        const int64_t spos = start + s;
        const T *k = head.k + spos * DQK, *v = head.v + spos * DHV;
        const T e = std::exp(row.logD[s] - row.mComb);
        const T p = e * dot(qBar.data(), k, DQK);
        for (int64_t j = 0; j < DHV; ++j)
          grads.dv[spos * DHV + j] += p * dnum[j];
        const T dp = dot(dnum.data(), v, DHV) + dden;
        for (int64_t d = 0; d < DQK; ++d) {
          dqBar[d] += dp * e * k[d];
          grads.dk[spos * DQK + d] += dp * e * qBar[d];
        }
        const T grad = dp * p;
        db[t] += grad;
        db[s] -= grad;
        dLogIn[s] += grad;
        dmComb -= grad;
      }
      if (stabilized) {
        db[t] += dmComb;
        if (row.mCombArg < 0) {
          dmPrev += dmComb;
        } else {
          dLogIn[row.mCombArg] += dmComb;
          db[row.mCombArg] -= dmComb;
        }
      }
      for (int64_t d = 0; d < DQK; ++d)
        grads.dq[pos * DQK + d] = head.scale * dqBar[d];
    }

    // b is the inclusive cumsum of logf within the chunk.
    T suffix = 0;
    for (int64_t t = len - 1; t >= 0; --t) {
      suffix += db[t];
      const int64_t pos = start + t;
      grads.df[pos] = suffix * logForgetDerivative(variant, head.f[pos]);
      grads.di[pos] = dLogIn[t] * logInputDerivative(variant, head.i[pos]);
    }
    dC = std::move(dCprev);
    dn = std::move(dnPrev);
    dm = stabilized ? dmPrev : T(0);
  }
  if (grads.dC0)
    std::copy(dC.begin(), dC.end(), grads.dC0);
  if (grads.dn0)
    std::copy(dn.begin(), dn.end(), grads.dn0);
  if (grads.dm0)
    *grads.dm0 = dm;
}

} // namespace

template <typename T>
Status backwardChunkwise(const Variant &variant, int64_t chunkSize,
                         const Inputs<T> &in, const OutputGrads<T> &outGrads,
                         const InputGrads<T> &inGrads, DenominatorGrad mode) {
  if (Status status = detail::checkChunkSize(chunkSize); !status.ok())
    return status;
  if (Status status = detail::checkBackward(variant, in, outGrads, inGrads);
      !status.ok())
    return status;
  for (int64_t bh = 0; bh < in.B * in.NH; ++bh)
    backwardChunkwiseHead(variant, mode, chunkSize,
                          detail::headOf(variant, in, bh),
                          detail::headGradsOf(in, outGrads, inGrads, bh));
  return Status::success();
}

template Status backwardChunkwise(const Variant &, int64_t,
                                  const Inputs<double> &,
                                  const OutputGrads<double> &,
                                  const InputGrads<double> &, DenominatorGrad);
template Status backwardChunkwise(const Variant &, int64_t,
                                  const Inputs<float> &,
                                  const OutputGrads<float> &,
                                  const InputGrads<float> &, DenominatorGrad);

} // namespace mlstm::ref
