//===- Detail.h - Shared helpers of the reference forms ---------*- C++ -*-===//
//
// Private to lib/Reference: gate functions, per-(batch, head) views, the state
// triple, the output map h = out(num, den, m) and its adjoint, and the
// argument checks. Kept here so every form states the same definition once.
//
//===----------------------------------------------------------------------===//

#ifndef MLSTM_LIB_REFERENCE_DETAIL_H
#define MLSTM_LIB_REFERENCE_DETAIL_H

#include "mlstm/Reference/Reference.h"

#include <algorithm>
#include <cmath>
#include <vector>

namespace mlstm::ref::detail {

//===--- Gates ------------------------------------------------------------===//

/// log(sigmoid(x)) without overflow for large |x|.
template <typename T> T logSigmoid(T x) {
  return std::min(x, T(0)) - std::log1p(std::exp(-std::abs(x)));
}

template <typename T> T sigmoid(T x) {
  if (x >= 0)
    return T(1) / (T(1) + std::exp(-x));
  const T e = std::exp(x);
  return e / (T(1) + e);
}

/// Only the exp input gate carries a max state; the other variants are the
/// same formulas with m fixed to 0 (so exp(-m) = 1 is the sigmoid floor).
inline bool isStabilized(const Variant &variant) { return variant.hasM(); }

/// logf_t.
template <typename T> T logForget(const Variant &variant, T f) {
  return variant.forgetGate == ForgetGate::LogSigmoid ? logSigmoid(f) : T(0);
}

/// d logf_t / d f_t = sigmoid(-f_t).
template <typename T> T logForgetDerivative(const Variant &variant, T f) {
  return variant.forgetGate == ForgetGate::LogSigmoid ? sigmoid(-f) : T(0);
}

/// The log of the input weight: i (exp), logsigmoid(i) (sigmoid), 0 (none).
/// The log-space forms use it so all variants share one formula.
template <typename T> T logInput(const Variant &variant, T i) {
  switch (variant.inputGate) {
  case InputGate::Exp:
    return i;
  case InputGate::Sigmoid:
    return logSigmoid(i);
  case InputGate::None:
    break;
  }
  return T(0);
}

/// d logInput / d i.
template <typename T> T logInputDerivative(const Variant &variant, T i) {
  switch (variant.inputGate) {
  case InputGate::Exp:
    return T(1);
  case InputGate::Sigmoid:
    return sigmoid(-i);
  case InputGate::None:
    break;
  }
  return T(0);
}

//===--- Views ------------------------------------------------------------===//

/// The slices of one (batch, head); initial-state pointers are null when the
/// inputs carry none.
template <typename T> struct Head {
  int64_t S, DQK, DHV;
  T scale;
  const T *q, *k, *v, *i, *f;
  const T *C0, *n0, *m0;
};

template <typename T>
Head<T> headOf(const Variant &variant, const Inputs<T> &in, int64_t bh) {
  const int64_t S = in.S, DQK = in.DQK, DHV = in.DHV;
  Head<T> head{S,
               DQK,
               DHV,
               static_cast<T>(variant.scaleFor(DQK)),
               in.q + bh * S * DQK,
               in.k + bh * S * DQK,
               in.v + bh * S * DHV,
               in.i + bh * S,
               in.f + bh * S,
               nullptr,
               nullptr,
               nullptr};
  if (in.C0)
    head.C0 = in.C0 + bh * DQK * DHV;
  if (in.n0)
    head.n0 = in.n0 + bh * DQK;
  if (in.m0)
    head.m0 = in.m0 + bh;
  return head;
}

/// Offsets a possibly-null per-head pointer.
template <typename P> P *offset(P *base, int64_t bh, int64_t perHead) {
  return base ? base + bh * perHead : nullptr;
}

/// The gradient slices of one (batch, head); optional ones may be null.
template <typename T> struct HeadGrads {
  const T *dh, *dC, *dn, *dm;
  T *dq, *dk, *dv, *di, *df, *dC0, *dn0, *dm0;
};

template <typename T>
HeadGrads<T> headGradsOf(const Inputs<T> &in, const OutputGrads<T> &outGrads,
                         const InputGrads<T> &inGrads, int64_t bh) {
  const int64_t S = in.S, DQK = in.DQK, DHV = in.DHV;
  return {offset(outGrads.dh, bh, S * DHV), offset(outGrads.dC, bh, DQK * DHV),
          offset(outGrads.dn, bh, DQK),     offset(outGrads.dm, bh, 1),
          offset(inGrads.dq, bh, S * DQK),  offset(inGrads.dk, bh, S * DQK),
          offset(inGrads.dv, bh, S * DHV),  offset(inGrads.di, bh, S),
          offset(inGrads.df, bh, S),        offset(inGrads.dC0, bh, DQK * DHV),
          offset(inGrads.dn0, bh, DQK),     offset(inGrads.dm0, bh, 1)};
}

/// One (C, n, m) state; n is empty without normalizer, m stays 0 without max
/// state.
template <typename T> struct State {
  std::vector<T> C, n;
  T m = 0;
};

template <typename T> State<T> initialState(const Head<T> &head) {
  State<T> state;
  state.C.assign(static_cast<size_t>(head.DQK * head.DHV), T(0));
  state.n.assign(static_cast<size_t>(head.DQK), T(0));
  if (head.C0)
    std::copy(head.C0, head.C0 + head.DQK * head.DHV, state.C.begin());
  if (head.n0)
    std::copy(head.n0, head.n0 + head.DQK, state.n.begin());
  if (head.m0)
    state.m = *head.m0;
  return state;
}

/// Writes the final state of head bh into whichever outputs are requested.
template <typename T>
void storeState(const State<T> &state, const Outputs<T> &out, int64_t bh,
                int64_t DQK, int64_t DHV) {
  if (out.C)
    std::copy(state.C.begin(), state.C.end(), out.C + bh * DQK * DHV);
  if (out.n)
    std::copy(state.n.begin(), state.n.end(), out.n + bh * DQK);
  if (out.m)
    out.m[bh] = state.m;
}

//===--- Small linear algebra ---------------------------------------------===//

template <typename T> T dot(const T *a, const T *b, int64_t n) {
  T sum = 0;
  for (int64_t x = 0; x < n; ++x)
    sum += a[x] * b[x];
  return sum;
}

/// out[j] = sum_d x[d] * M[d][j] for a row-major rows x cols matrix M.
template <typename T>
void vecMat(const T *x, const T *M, int64_t rows, int64_t cols, T *out) {
  std::fill(out, out + cols, T(0));
  for (int64_t d = 0; d < rows; ++d)
    for (int64_t j = 0; j < cols; ++j)
      out[j] += x[d] * M[d * cols + j];
}

/// out[d] = sum_j M[d][j] * y[j].
template <typename T>
void matVec(const T *M, const T *y, int64_t rows, int64_t cols, T *out) {
  for (int64_t d = 0; d < rows; ++d)
    out[d] = dot(M + d * cols, y, cols);
}

/// M += alpha * x yᵀ.
template <typename T>
void addOuter(T *M, T alpha, const T *x, const T *y, int64_t rows,
              int64_t cols) {
  for (int64_t d = 0; d < rows; ++d)
    for (int64_t j = 0; j < cols; ++j)
      M[d * cols + j] += alpha * x[d] * y[j];
}

//===--- Output map -------------------------------------------------------===//

/// h = num * scale with the per-position scale of the variant, given the
/// stabilized numerator/denominator at max state m (m = 0 when unstabilized):
/// MaxAbs: 1 / (max(|den|, exp(-m)) + eps); None: exp(m) (undoes the
/// stabilizer, see Reference.h).
template <typename T> T outputScale(const Variant &variant, T den, T m) {
  if (variant.normalizer == Normalizer::None)
    return std::exp(m);
  return T(1) /
         (std::max(std::abs(den), std::exp(-m)) + static_cast<T>(variant.eps));
}

/// Adjoint of h = outputScale(den, m) * num for incoming dh: fills dnum and
/// returns dden and dm (the gradients w.r.t. the stabilized num, den, m).
///   Normalizer::None: h = exp(m) num, so dm = dh.h.
///   Exact: through max(|den|, exp(-m)) (tie -> |den|) and |.|.
///   Detached: the scale s = exp(-m)/(max(|den|,exp(-m))+eps) of the
///     unstabilized numerator exp(m) num is a constant, so dden = 0 and only
///     d(exp(m))/dm = exp(m) remains: dm = dh.h again.
template <typename T>
void outputAdjoint(const Variant &variant, DenominatorGrad mode, int64_t DHV,
                   const T *dh, const T *h, T den, T m, T *dnum, T &dden,
                   T &dm) {
  const T scale = outputScale(variant, den, m);
  const T dhDotH = dot(dh, h, DHV);
  for (int64_t j = 0; j < DHV; ++j)
    dnum[j] = scale * dh[j];
  dden = 0;
  dm = 0;
  if (variant.normalizer == Normalizer::None ||
      mode == DenominatorGrad::Detached) {
    dm = dhDotH;
  } else {
    const T floor = std::exp(-m);
    const T dDenominator = -dhDotH * scale; // d/dD of num / D
    if (std::abs(den) >= floor)
      dden = den > 0 ? dDenominator : (den < 0 ? -dDenominator : T(0));
    else
      dm = -floor * dDenominator;
  }
  if (!isStabilized(variant))
    dm = 0; // m is the constant 0 here
}

//===--- Argument checks (Validate.cpp) -----------------------------------===//

template <typename T>
Status checkForward(const Variant &variant, const Inputs<T> &in,
                    const Outputs<T> &out);
template <typename T>
Status checkBackward(const Variant &variant, const Inputs<T> &in,
                     const OutputGrads<T> &outGrads,
                     const InputGrads<T> &inGrads);
Status checkChunkSize(int64_t chunkSize);

} // namespace mlstm::ref::detail

#endif // MLSTM_LIB_REFERENCE_DETAIL_H
