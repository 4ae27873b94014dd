//===- Parallel.cpp - The quadratic (attention-like) form -----------------===//
//
// Unrolling the recurrence over the whole sequence, with b_t = sum_{r<=t}
// logf_r and ι_s the log input weight (i_s, logsigmoid(i_s) or 0):
//
//   logD_ts = b_t - b_s + ι_s          (s <= t; the S x S gate matrix)
//   logI_t  = b_t + m0                 (the initial-state column)
//   m_t     = max(logI_t, max_s logD_ts)        (0 when unstabilized)
//   num_t   = exp(logI_t - m_t) q̄_tᵀC0 + sum_s exp(logD_ts - m_t) (q̄_t.k_s) v_s
//   den_t   = exp(logI_t - m_t) q̄_tᵀn0 + sum_s exp(logD_ts - m_t) (q̄_t.k_s)
//   h_t     = outputScale(den_t, m_t) num_t
//
// The final state is the row t = S-1 applied to k vᵀ instead of q̄ (q̄_t.k_s):
// its exponents are a_s = b_{S-1} - b_s + ι_s, so m_S equals that row's max.
// Rows are formed one at a time so S = 4096 needs O(S) memory.
//
//===----------------------------------------------------------------------===//

#include "Detail.h"

namespace mlstm::ref {
namespace {

template <typename T>
void parallelHead(const Variant &variant, const detail::Head<T> &head, T *h,
                  detail::State<T> &state) {
  using namespace detail;
  const bool stabilized = isStabilized(variant);
  const int64_t S = head.S, DQK = head.DQK, DHV = head.DHV;
  const State<T> init = state;
  if (S == 0)
    return;

  std::vector<T> b(S), logInputs(S), qBar(DQK), num(DHV), qC(DHV), logD(S);
  T cumsum = 0;
  for (int64_t t = 0; t < S; ++t) {
    cumsum += logForget(variant, head.f[t]);
    b[t] = cumsum;
    logInputs[t] = logInput(variant, head.i[t]);
  }

  // The row max; the initial-state column wins ties (as in the recurrence).
  auto rowMax = [&](int64_t t) {
    T m = b[t] + init.m;
    for (int64_t s = 0; s <= t; ++s)
      if (logD[s] > m)
        m = logD[s];
    return stabilized ? m : T(0);
  };

  for (int64_t t = 0; t < S; ++t) {
    for (int64_t d = 0; d < DQK; ++d)
      qBar[d] = head.scale * head.q[t * DQK + d];
    for (int64_t s = 0; s <= t; ++s)
      logD[s] = b[t] - b[s] + logInputs[s];
    const T m = rowMax(t);

    const T initWeight = std::exp(b[t] + init.m - m);
    vecMat(qBar.data(), init.C.data(), DQK, DHV, qC.data());
    for (int64_t j = 0; j < DHV; ++j)
      num[j] = initWeight * qC[j];
    T den = initWeight * dot(qBar.data(), init.n.data(), DQK);
    for (int64_t s = 0; s <= t; ++s) {
      const T weight =
          std::exp(logD[s] - m) * dot(qBar.data(), head.k + s * DQK, DQK);
      for (int64_t j = 0; j < DHV; ++j)
        num[j] += weight * head.v[s * DHV + j];
      den += weight;
    }
    const T scale = outputScale(variant, den, m);
    for (int64_t j = 0; j < DHV; ++j)
      h[t * DHV + j] = scale * num[j];
  }

  // Final state: logD still holds row S-1, i.e. a_s.
  const T mFinal = rowMax(S - 1);
  const T initWeight = std::exp(b[S - 1] + init.m - mFinal);
  for (size_t x = 0; x < state.C.size(); ++x)
    state.C[x] = initWeight * init.C[x];
  for (size_t x = 0; x < state.n.size(); ++x)
    state.n[x] = initWeight * init.n[x];
  for (int64_t s = 0; s < S; ++s) {
    const T weight = std::exp(logD[s] - mFinal);
    addOuter(state.C.data(), weight, head.k + s * DQK, head.v + s * DHV, DQK,
             DHV);
    for (int64_t d = 0; d < DQK; ++d)
      state.n[d] += weight * head.k[s * DQK + d];
  }
  state.m = mFinal;
}

} // namespace

template <typename T>
Status forwardParallel(const Variant &variant, const Inputs<T> &in,
                       const Outputs<T> &out) {
  if (Status status = detail::checkForward(variant, in, out); !status.ok())
    return status;
  for (int64_t bh = 0; bh < in.B * in.NH; ++bh) {
    const detail::Head<T> head = detail::headOf(variant, in, bh);
    detail::State<T> state = detail::initialState(head);
    parallelHead(variant, head, detail::offset(out.h, bh, in.S * in.DHV),
                 state);
    detail::storeState(state, out, bh, in.DQK, in.DHV);
  }
  return Status::success();
}

template Status forwardParallel(const Variant &, const Inputs<double> &,
                                const Outputs<double> &);
template Status forwardParallel(const Variant &, const Inputs<float> &,
                                const Outputs<float> &);

} // namespace mlstm::ref
