//===- BackwardRecurrent.cpp - Gradients by a reverse sweep over time -----===//
//
// All variants in one log-space form (ι_t = i_t | logsigmoid(i_t) | 0; m ≡ 0
// and no max when the input gate is not exp):
//   m_t = max(logf_t + m_{t-1}, ι_t)          α_t = exp(logf_t + m_{t-1} - m_t)
//   C_t = α_t C_{t-1} + β_t k_t v_tᵀ          β_t = exp(ι_t - m_t)
//   n_t = α_t n_{t-1} + β_t k_t
//   num_t = C_tᵀ q̄_t,  den_t = n_tᵀ q̄_t,  h_t = outputScale(den_t, m_t) num_t
// The forward sweep stores C_t, n_t, m_t for t = 0..S. With Ĉ_t, n̂_t, m̂_t the
// total adjoints of the state after step t (initialized from dC_T, dn_T, dm_T),
// the reverse sweep for t = S..1 does:
//   output:  (dnum, dden, dm) = outputAdjoint(dh_t)          (see Detail.h)
//            dq̄_t = C_t dnum + n_t dden;  Ĉ_t += q̄_t dnumᵀ;  n̂_t += q̄_t dden;
//            m̂_t += dm
//   inputs:  dk_t = β_t (Ĉ_t v_t + n̂_t);  dv_t = β_t Ĉ_tᵀ k_t
//   gates:   A_t = α_t (<Ĉ_t, C_{t-1}> + <n̂_t, n_{t-1}>)    (d/d log α_t)
//            B_t = β_t (k_tᵀ Ĉ_t v_t + n̂_t.k_t)             (d/d log β_t)
//            dlogf_t = A_t,  dι_t = B_t,  m̂_{t-1} = A_t,  m̂_t -= A_t + B_t,
//            then m̂_t goes to the winner of the max: logf_t and m_{t-1} if the
//            carried term won (ties), else ι_t.
//   carry:   Ĉ_{t-1} = α_t Ĉ_t,  n̂_{t-1} = α_t n̂_t
//   chain:   df_t = dlogf_t sigmoid(-f_t);  di_t = dι_t dι/di;  dq = qkScale dq̄
// and (Ĉ_0, n̂_0, m̂_0) are dC0, dn0, dm0.
//
// Exact mode differentiates the output through max(|den|, exp(-m)) + eps;
// detached mode holds the scale s_t = exp(-m_t)/(max(|den_t|,exp(-m_t))+eps)
// of the unstabilized numerator q̄_tᵀC̃_t = exp(m_t) num_t constant. Only the
// output map differs; the state path is exact in both modes.
//
//===----------------------------------------------------------------------===//

#include "Detail.h"

namespace mlstm::ref {
namespace {

template <typename T>
void backwardRecurrentHead(const Variant &variant, DenominatorGrad mode,
                           const detail::Head<T> &head,
                           const detail::HeadGrads<T> &grads) {
  using namespace detail;
  const bool stabilized = isStabilized(variant);
  const int64_t S = head.S, DQK = head.DQK, DHV = head.DHV;
  const int64_t sizeC = DQK * DHV;

  // Forward sweep; index t of Cs/ns/ms is the state after t steps.
  std::vector<T> Cs((S + 1) * sizeC), ns((S + 1) * DQK), ms(S + 1);
  std::vector<T> alpha(S), beta(S), dens(S), hs(S * DHV), qBars(S * DQK);
  std::vector<char> carried(S);
  const State<T> init = initialState(head);
  std::copy(init.C.begin(), init.C.end(), Cs.begin());
  std::copy(init.n.begin(), init.n.end(), ns.begin());
  ms[0] = init.m;
  std::vector<T> num(DHV);
  for (int64_t t = 0; t < S; ++t) {
    const T logf = logForget(variant, head.f[t]);
    const T logIn = logInput(variant, head.i[t]);
    T m = 0;
    carried[t] = true;
    if (stabilized) {
      carried[t] = logf + ms[t] >= logIn;
      m = carried[t] ? logf + ms[t] : logIn;
    }
    ms[t + 1] = m;
    alpha[t] = std::exp(logf + ms[t] - m);
    beta[t] = std::exp(logIn - m);
    const T *k = head.k + t * DQK;
    const T *v = head.v + t * DHV;
    T *C = &Cs[(t + 1) * sizeC];
    T *n = &ns[(t + 1) * DQK];
    for (int64_t x = 0; x < sizeC; ++x)
      C[x] = alpha[t] * Cs[t * sizeC + x];
    addOuter(C, beta[t], k, v, DQK, DHV);
    for (int64_t d = 0; d < DQK; ++d)
      n[d] = alpha[t] * ns[t * DQK + d] + beta[t] * k[d];
    T *qBar = &qBars[t * DQK];
    for (int64_t d = 0; d < DQK; ++d)
      qBar[d] = head.scale * head.q[t * DQK + d];
    vecMat(qBar, C, DQK, DHV, num.data());
    dens[t] = dot(qBar, n, DQK);
    const T scale = outputScale(variant, dens[t], m);
    for (int64_t j = 0; j < DHV; ++j)
      hs[t * DHV + j] = scale * num[j];
  }

  // Reverse sweep.
  std::vector<T> dC(sizeC, T(0)), dn(DQK, T(0)), dnum(DHV), tmpK(DQK);
  T dm = 0;
  if (grads.dC)
    std::copy(grads.dC, grads.dC + sizeC, dC.begin());
  if (grads.dn)
    std::copy(grads.dn, grads.dn + DQK, dn.begin());
  if (grads.dm)
    dm = *grads.dm;
  for (int64_t t = S - 1; t >= 0; --t) {
    const T *C = &Cs[(t + 1) * sizeC], *Cprev = &Cs[t * sizeC];
    const T *n = &ns[(t + 1) * DQK], *nprev = &ns[t * DQK];
    const T *qBar = &qBars[t * DQK];
    const T *k = head.k + t * DQK;
    const T *v = head.v + t * DHV;

    T dden, dmOut;
    outputAdjoint(variant, mode, DHV, grads.dh + t * DHV, &hs[t * DHV], dens[t],
                  ms[t + 1], dnum.data(), dden, dmOut);
    matVec(C, dnum.data(), DQK, DHV, tmpK.data());
    for (int64_t d = 0; d < DQK; ++d)
      grads.dq[t * DQK + d] = head.scale * (tmpK[d] + n[d] * dden);
    addOuter(dC.data(), T(1), qBar, dnum.data(), DQK, DHV);
    for (int64_t d = 0; d < DQK; ++d)
      dn[d] += qBar[d] * dden;
    dm += dmOut;

    // dC is now the total adjoint of C_t.
    matVec(dC.data(), v, DQK, DHV, tmpK.data()); // Ĉ_t v_t
    for (int64_t d = 0; d < DQK; ++d)
      grads.dk[t * DQK + d] = beta[t] * (tmpK[d] + dn[d]);
    vecMat(k, dC.data(), DQK, DHV, grads.dv + t * DHV);
    for (int64_t j = 0; j < DHV; ++j)
      grads.dv[t * DHV + j] *= beta[t];
    const T gradLogAlpha =
        alpha[t] * (dot(dC.data(), Cprev, sizeC) + dot(dn.data(), nprev, DQK));
    const T gradLogBeta =
        beta[t] * (dot(k, tmpK.data(), DQK) + dot(dn.data(), k, DQK));
    T dLogf = gradLogAlpha, dLogIn = gradLogBeta, dmPrev = 0;
    if (stabilized) {
      dm -= gradLogAlpha + gradLogBeta;
      dmPrev = gradLogAlpha;
      if (carried[t]) {
        dLogf += dm;
        dmPrev += dm;
      } else {
        dLogIn += dm;
      }
    }
    for (T &x : dC)
      x *= alpha[t];
    for (T &x : dn)
      x *= alpha[t];
    dm = dmPrev;
    grads.df[t] = dLogf * logForgetDerivative(variant, head.f[t]);
    grads.di[t] = dLogIn * logInputDerivative(variant, head.i[t]);
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
Status backwardRecurrent(const Variant &variant, const Inputs<T> &in,
                         const OutputGrads<T> &outGrads,
                         const InputGrads<T> &inGrads, DenominatorGrad mode) {
  if (Status status = detail::checkBackward(variant, in, outGrads, inGrads);
      !status.ok())
    return status;
  for (int64_t bh = 0; bh < in.B * in.NH; ++bh)
    backwardRecurrentHead(variant, mode, detail::headOf(variant, in, bh),
                          detail::headGradsOf(in, outGrads, inGrads, bh));
  return Status::success();
}

template Status backwardRecurrent(const Variant &, const Inputs<double> &,
                                  const OutputGrads<double> &,
                                  const InputGrads<double> &, DenominatorGrad);
template Status backwardRecurrent(const Variant &, const Inputs<float> &,
                                  const OutputGrads<float> &,
                                  const InputGrads<float> &, DenominatorGrad);

} // namespace mlstm::ref
