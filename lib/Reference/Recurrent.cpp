//===- Recurrent.cpp - The recurrence, one step per position --------------===//
//
// The definition every other form is checked against (Reference.h states it).
// Written per input gate, literally, rather than in the shared log-space form
// the other files use, so that the definition reads as in DESIGN.md.
//
//===----------------------------------------------------------------------===//

#include "Detail.h"

namespace mlstm::ref {
namespace {

template <typename T>
void recurrentHead(const Variant &variant, const detail::Head<T> &head, T *h,
                   detail::State<T> &state) {
  using namespace detail;
  const int64_t DQK = head.DQK, DHV = head.DHV;
  std::vector<T> qBar(DQK), num(DHV);
  for (int64_t t = 0; t < head.S; ++t) {
    const T logf = logForget(variant, head.f[t]);
    const T i = head.i[t];
    T decay = 0, weight = 0;
    switch (variant.inputGate) {
    case InputGate::Exp: {
      const T mNew = std::max(logf + state.m, i);
      decay = std::exp(logf + state.m - mNew);
      weight = std::exp(i - mNew);
      state.m = mNew;
      break;
    }
    case InputGate::Sigmoid:
      decay = std::exp(logf);
      weight = sigmoid(i);
      break;
    case InputGate::None:
      decay = std::exp(logf);
      weight = T(1);
      break;
    }
    const T *k = head.k + t * DQK;
    const T *v = head.v + t * DHV;
    for (T &c : state.C)
      c *= decay;
    addOuter(state.C.data(), weight, k, v, DQK, DHV);
    for (int64_t d = 0; d < DQK; ++d)
      state.n[d] = decay * state.n[d] + weight * k[d];

    for (int64_t d = 0; d < DQK; ++d)
      qBar[d] = head.scale * head.q[t * DQK + d];
    vecMat(qBar.data(), state.C.data(), DQK, DHV, num.data());
    const T den = dot(qBar.data(), state.n.data(), DQK);
    const T scale = outputScale(variant, den, state.m);
    for (int64_t j = 0; j < DHV; ++j)
      h[t * DHV + j] = scale * num[j];
  }
}

} // namespace

template <typename T>
Status forwardRecurrent(const Variant &variant, const Inputs<T> &in,
                        const Outputs<T> &out) {
  if (Status status = detail::checkForward(variant, in, out); !status.ok())
    return status;
  for (int64_t bh = 0; bh < in.B * in.NH; ++bh) {
    const detail::Head<T> head = detail::headOf(variant, in, bh);
    detail::State<T> state = detail::initialState(head);
    recurrentHead(variant, head, detail::offset(out.h, bh, in.S * in.DHV),
                  state);
    detail::storeState(state, out, bh, in.DQK, in.DHV);
  }
  return Status::success();
}

template Status forwardRecurrent(const Variant &, const Inputs<double> &,
                                 const Outputs<double> &);
template Status forwardRecurrent(const Variant &, const Inputs<float> &,
                                 const Outputs<float> &);

} // namespace mlstm::ref
