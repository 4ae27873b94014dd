//===- BackwardChunkwise.cpp - Gradients in the staged chunkwise form -----===//
//
// The gradient as the backward kernels compute it (notation in Chunk.h; B_t
// the cumulative log forget gate over the whole sequence, q̄ = scale q):
//
//  0. states:  the forward scan's chunk-start states (C_{k-1}, n_{k-1},
//     m_{k-1}), all stabilized (max-scaled).
//  1. rows:    per position, the forward's num/den/m_t again, h from them
//     (the kernels read the forward's h), s_t = outputScale(den_t, m_t),
//     dnum_t = s_t dh_t and dden_t from outputAdjoint, and γ_t = ∂L/∂m_t
//     through the only place the exact function depends on the max state:
//     unstabilized, h_t = q̄ᵀC_t / (max(|q̄ᵀn_t|, 1) + eps e^{m_t}), so
//     γ_t = -eps s_t (dh_t.h_t) (exact mode with a normalizer; 0 otherwise:
//     the detached scale is a constant, and without a normalizer m cancels).
//  2. reverse state scan: the stabilized adjoints at the chunk boundaries,
//       Ĉ_NC = dC_T,  Ĉ_{k-1} = γ_k Ĉ_k + sum_t ω_t q̄_t dnum_tᵀ  (n̂ with dden)
//     with γ_k = exp(g + m_{k-1} - m_k), ω_t = exp(b_t + m_{k-1} - m_t).
//  3. dq̄_t = ω_t (C_{k-1} dnum_t + n_{k-1} dden_t) + sum_{s<=t} dP_ts e_ts k_s
//  4. dk_s = sum_{t>=s} dP_ts e_ts q̄_t + w_s (Ĉ_k v_s + n̂_k),
//     dv_s = sum_{t>=s} P_ts dnum_t + w_s Ĉ_kᵀ k_s,  w_s = exp(a_s - m_k),
//     with e_ts = exp(logD_ts - m_t), P_ts = e_ts q̄_t.k_s,
//     dP_ts = dnum_t.v_s + dden_t.
//  5. gates, without any state-sized reduction per chunk: h and the states
//     depend on B and ι only through q̄_t e^{B_t}, k_s e^{ι_s - B_s}, the
//     max states m_t = B_t + M_t and the final-state factor e^{B_T - m_T}, so
//       dB_t = q̄_t.dq̄_t - k_t.dk_t + γ_t,    dι_t = k_t.dk_t,
//     and each γ_t goes to the winner of M_t: position s (dB_s -= γ_t,
//     dι_s += γ_t) or the initial max state (dm0 += γ_t). The final states
//     add dB_{S-1} += dm_T and route dm_T - <dC_T, C_T> - <dn_T, n_T> to the
//     winner of M_T (unstabilized: dB_{S-1} += <dC_T, C_T> + <dn_T, n_T>).
//     dlogf_r = sum_{t>=r} dB_t; dC0 = Ĉ_0, dn0 = n̂_0,
//     dm0 += <Ĉ_0, C_0> + <n̂_0, n_0>.
//
//===----------------------------------------------------------------------===//

#include "Chunk.h"

namespace mlstm::ref {
namespace {

using namespace detail;

/// What stage 1 leaves per position.
template <typename T> struct RowAdjoint {
  std::vector<T> dnum; // S x DHV
  std::vector<T> dden, mRow, gammaRow;
  std::vector<int64_t> winner; // of M_t: a position, or -1 (initial state)
};

template <typename T> struct Staged {
  const Variant &variant;
  DenominatorGrad mode;
  int64_t chunkSize;
  const Head<T> &head;
  const HeadGrads<T> &grads;
  int64_t S, DQK, DHV, sizeC;
  std::vector<State<T>> starts; // boundaries 0..NC
  std::vector<ChunkGates<T>> gates;
  std::vector<int64_t> boundaryWinner; // of M at each boundary
  std::vector<T> qBars;

  int64_t numChunks() const { return static_cast<int64_t>(gates.size()); }
  const T *qBar(int64_t pos) const { return &qBars[pos * DQK]; }

  void forwardStates() {
    State<T> state = initialState(head);
    boundaryWinner.push_back(-1);
    for (int64_t start = 0; start < S; start += chunkSize) {
      starts.push_back(state);
      const int64_t len = std::min(chunkSize, S - start);
      gates.push_back(chunkGates(variant, head, start, len, state.m));
      const ChunkGates<T> &g = gates.back();
      boundaryWinner.push_back(g.mNextArg < 0 ? boundaryWinner.back()
                                              : start + g.mNextArg);
      state = chunkStep(head, g, state);
    }
    starts.push_back(state);
    qBars.resize(S * DQK);
    for (int64_t x = 0; x < S * DQK; ++x)
      qBars[x] = head.scale * head.q[x];
  }

  RowAdjoint<T> rows() const {
    RowAdjoint<T> r;
    r.dnum.resize(S * DHV);
    r.dden.resize(S);
    r.mRow.resize(S);
    r.gammaRow.assign(S, T(0));
    r.winner.resize(S);
    std::vector<T> num(DHV), h(DHV);
    ChunkRow<T> row;
    for (int64_t c = 0; c < numChunks(); ++c) {
      const ChunkGates<T> &g = gates[c];
      for (int64_t t = 0; t < g.len; ++t) {
        const int64_t pos = g.start + t;
        chunkRow(variant, g, t, row);
        T den, dmUnused;
        chunkOutput(head, g, row, t, qBar(pos), starts[c], num.data(), den);
        const T scale = outputScale(variant, den, row.mComb);
        for (int64_t j = 0; j < DHV; ++j)
          h[j] = scale * num[j];
        outputAdjoint(variant, mode, DHV, grads.dh + pos * DHV, h.data(), den,
                      row.mComb, &r.dnum[pos * DHV], r.dden[pos], dmUnused);
        r.mRow[pos] = row.mComb;
        r.winner[pos] =
            row.mCombArg < 0 ? boundaryWinner[c] : g.start + row.mCombArg;
        if (isStabilized(variant) && variant.hasN() &&
            mode == DenominatorGrad::Exact)
          r.gammaRow[pos] = -static_cast<T>(variant.eps) * scale *
                            dot(grads.dh + pos * DHV, h.data(), DHV);
      }
    }
    return r;
  }

  /// Stabilized adjoints of the boundary states, index k = boundary k.
  void reverseScan(const RowAdjoint<T> &r, std::vector<std::vector<T>> &dCs,
                   std::vector<std::vector<T>> &dns) const {
    const int64_t NC = numChunks();
    dCs.assign(NC + 1, std::vector<T>(sizeC, T(0)));
    dns.assign(NC + 1, std::vector<T>(DQK, T(0)));
    if (grads.dC)
      std::copy(grads.dC, grads.dC + sizeC, dCs[NC].begin());
    if (grads.dn)
      std::copy(grads.dn, grads.dn + DQK, dns[NC].begin());
    for (int64_t c = NC - 1; c >= 0; --c) {
      const ChunkGates<T> &g = gates[c];
      const T decay = std::exp(g.g + g.mPrev - g.mNext);
      for (int64_t x = 0; x < sizeC; ++x)
        dCs[c][x] = decay * dCs[c + 1][x];
      for (int64_t d = 0; d < DQK; ++d)
        dns[c][d] = decay * dns[c + 1][d];
      for (int64_t t = 0; t < g.len; ++t) {
        const int64_t pos = g.start + t;
        const T omega = std::exp(g.b[t] + g.mPrev - r.mRow[pos]);
        addOuter(dCs[c].data(), omega, qBar(pos), &r.dnum[pos * DHV], DQK,
                 DHV);
        for (int64_t d = 0; d < DQK; ++d)
          dns[c][d] += omega * r.dden[pos] * qBar(pos)[d];
      }
    }
  }

  /// Stages 3 and 4: dq̄ into dqBar, dk and dv into grads.
  void inputGrads(const RowAdjoint<T> &r,
                  const std::vector<std::vector<T>> &dCs,
                  const std::vector<std::vector<T>> &dns,
                  std::vector<T> &dqBar) const {
    std::fill(grads.dk, grads.dk + S * DQK, T(0));
    std::fill(grads.dv, grads.dv + S * DHV, T(0));
    dqBar.assign(S * DQK, T(0));
    std::vector<T> tmpK(DQK);
    ChunkRow<T> row;
    for (int64_t c = 0; c < numChunks(); ++c) {
      const ChunkGates<T> &g = gates[c];
      const State<T> &prev = starts[c];
      for (int64_t t = 0; t < g.len; ++t) {
        const int64_t pos = g.start + t;
        const T *dnum = &r.dnum[pos * DHV];
        chunkRow(variant, g, t, row);
        // Inter: the chunk-start state.
        const T omega = std::exp(g.b[t] + g.mPrev - r.mRow[pos]);
        matVec(prev.C.data(), dnum, DQK, DHV, tmpK.data());
        for (int64_t d = 0; d < DQK; ++d)
          dqBar[pos * DQK + d] =
              omega * (tmpK[d] + prev.n[d] * r.dden[pos]);
        // Intra: the causal matrix.
        for (int64_t s = 0; s <= t; ++s) {
          const int64_t spos = g.start + s;
          const T *k = head.k + spos * DQK, *v = head.v + spos * DHV;
          const T e = std::exp(row.logD[s] - r.mRow[pos]);
          const T p = e * dot(qBar(pos), k, DQK);
          const T dp = dot(dnum, v, DHV) + r.dden[pos];
          for (int64_t d = 0; d < DQK; ++d) {
            dqBar[pos * DQK + d] += dp * e * k[d];
            grads.dk[spos * DQK + d] += dp * e * qBar(pos)[d];
          }
          for (int64_t j = 0; j < DHV; ++j)
            grads.dv[spos * DHV + j] += p * dnum[j];
        }
      }
      // Inter: the chunk-end state's adjoint reaches every key of the chunk.
      for (int64_t s = 0; s < g.len; ++s) {
        const int64_t spos = g.start + s;
        const T *k = head.k + spos * DQK, *v = head.v + spos * DHV;
        const T w = std::exp(g.a[s] - g.mNext);
        matVec(dCs[c + 1].data(), v, DQK, DHV, tmpK.data());
        for (int64_t d = 0; d < DQK; ++d)
          grads.dk[spos * DQK + d] += w * (tmpK[d] + dns[c + 1][d]);
        for (int64_t d = 0; d < DQK; ++d)
          for (int64_t j = 0; j < DHV; ++j)
            grads.dv[spos * DHV + j] += w * k[d] * dCs[c + 1][d * DHV + j];
      }
    }
  }

  /// Stage 5.
  void gateGrads(const RowAdjoint<T> &r, const std::vector<T> &dqBar,
                 const std::vector<T> &dC0, const std::vector<T> &dn0) const {
    const bool stabilized = isStabilized(variant);
    std::vector<T> dB(S), dIota(S);
    T dm0 = 0;
    for (int64_t pos = 0; pos < S; ++pos) {
      const T kdk = dot(head.k + pos * DQK, grads.dk + pos * DQK, DQK);
      dB[pos] = dot(qBar(pos), &dqBar[pos * DQK], DQK) - kdk;
      dIota[pos] = kdk;
    }
    auto route = [&](int64_t winner, T gamma) {
      if (winner < 0) {
        dm0 += gamma;
      } else {
        dB[winner] -= gamma;
        dIota[winner] += gamma;
      }
    };
    if (stabilized) {
      for (int64_t pos = 0; pos < S; ++pos) {
        dB[pos] += r.gammaRow[pos];
        route(r.winner[pos], r.gammaRow[pos]);
      }
    }
    // The final states.
    const State<T> &last = starts.back();
    T finalDot = 0;
    if (grads.dC)
      finalDot += dot(grads.dC, last.C.data(), sizeC);
    if (grads.dn)
      finalDot += dot(grads.dn, last.n.data(), DQK);
    if (stabilized) {
      const T dmT = grads.dm ? *grads.dm : T(0);
      if (S > 0)
        dB[S - 1] += dmT;
      route(boundaryWinner.back(), dmT - finalDot);
    } else if (S > 0) {
      dB[S - 1] += finalDot;
    }
    T suffix = 0;
    for (int64_t pos = S - 1; pos >= 0; --pos) {
      suffix += dB[pos];
      grads.df[pos] = suffix * logForgetDerivative(variant, head.f[pos]);
      grads.di[pos] = dIota[pos] * logInputDerivative(variant, head.i[pos]);
    }
    const State<T> &first = starts.front();
    if (grads.dC0)
      std::copy(dC0.begin(), dC0.end(), grads.dC0);
    if (grads.dn0)
      std::copy(dn0.begin(), dn0.end(), grads.dn0);
    if (grads.dm0)
      *grads.dm0 = stabilized ? dm0 + dot(dC0.data(), first.C.data(), sizeC) +
                                    dot(dn0.data(), first.n.data(), DQK)
                              : T(0);
  }

  void run() {
    forwardStates();
    const RowAdjoint<T> r = rows();
    std::vector<std::vector<T>> dCs, dns;
    reverseScan(r, dCs, dns);
    std::vector<T> dqBar;
    inputGrads(r, dCs, dns, dqBar);
    for (int64_t x = 0; x < S * DQK; ++x)
      grads.dq[x] = head.scale * dqBar[x];
    gateGrads(r, dqBar, dCs.front(), dns.front());
  }
};

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
  for (int64_t bh = 0; bh < in.B * in.NH; ++bh) {
    const detail::Head<T> head = detail::headOf(variant, in, bh);
    const detail::HeadGrads<T> grads =
        detail::headGradsOf(in, outGrads, inGrads, bh);
    Staged<T> staged{variant,  mode,    chunkSize, head,          grads,
                     in.S,     in.DQK,  in.DHV,    in.DQK * in.DHV};
    staged.run();
  }
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
