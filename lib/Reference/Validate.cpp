//===- Validate.cpp - Variant helpers and argument checks -----------------===//
//
// Every entry point runs these checks before touching any output, so a bad
// call writes nothing and says why.
//
//===----------------------------------------------------------------------===//

#include "Detail.h"

#include <cmath>

namespace mlstm::ref {

double Variant::scaleFor(int64_t DQK) const {
  return qkScale ? *qkScale : 1.0 / std::sqrt(static_cast<double>(DQK));
}

std::string toString(const Variant &variant) {
  std::string name;
  switch (variant.inputGate) {
  case InputGate::Exp:
    name = "exp";
    break;
  case InputGate::Sigmoid:
    name = "sigmoid";
    break;
  case InputGate::None:
    name = "noinput";
    break;
  }
  name += variant.forgetGate == ForgetGate::LogSigmoid ? "_logsigmoid"
                                                       : "_noforget";
  name += variant.normalizer == Normalizer::MaxAbs ? "_maxabs" : "_nonorm";
  return name;
}

Status validate(const Variant &variant) {
  if (variant.inputGate == InputGate::None &&
      variant.normalizer != Normalizer::None)
    return Status::error("a normalizer requires an input gate (exp or "
                         "sigmoid); InputGate::None needs Normalizer::None");
  if (!std::isfinite(variant.eps) || variant.eps < 0)
    return Status::error("eps must be finite and >= 0");
  if (variant.qkScale && !std::isfinite(*variant.qkScale))
    return Status::error("qkScale must be finite");
  return Status::success();
}

namespace {

/// A state pointer must be present exactly when the variant has the state
/// (when `required`), and must be absent when the variant lacks it.
Status checkStatePointers(const Variant &variant, const void *C, const void *n,
                          const void *m, bool required, const char *what) {
  const std::string prefix = std::string(what) + ": ";
  if (!variant.hasN() && n)
    return Status::error(prefix + "n given but the variant has no normalizer");
  if (!variant.hasM() && m)
    return Status::error(prefix +
                         "m given but the variant has no max state (only the "
                         "exp input gate has one)");
  if (required) {
    if (!C || (variant.hasN() && !n) || (variant.hasM() && !m))
      return Status::error(prefix + "give all states of the variant or none");
  }
  return Status::success();
}

} // namespace

template <typename T>
Status validate(const Variant &variant, const Inputs<T> &in) {
  if (Status status = validate(variant); !status.ok())
    return status;
  if (in.B < 0 || in.NH < 0 || in.S < 0)
    return Status::error("B, NH and S must be >= 0");
  if (in.DQK < 1 || in.DHV < 1)
    return Status::error("DQK and DHV must be >= 1");
  if (in.B * in.NH * in.S > 0 && (!in.q || !in.k || !in.v || !in.i || !in.f))
    return Status::error("q, k, v, i and f are required (also where the "
                         "variant ignores i or f)");
  const bool anyInitial = in.C0 || in.n0 || in.m0;
  if (Status status = checkStatePointers(variant, in.C0, in.n0, in.m0,
                                         anyInitial, "initial state");
      !status.ok())
    return status;
  return Status::success();
}

namespace detail {

template <typename T>
Status checkForward(const Variant &variant, const Inputs<T> &in,
                    const Outputs<T> &out) {
  if (Status status = validate(variant, in); !status.ok())
    return status;
  if (!out.h && in.B * in.NH * in.S > 0)
    return Status::error("the output h is required");
  return checkStatePointers(variant, out.C, out.n, out.m, false, "final state");
}

template <typename T>
Status checkBackward(const Variant &variant, const Inputs<T> &in,
                     const OutputGrads<T> &outGrads,
                     const InputGrads<T> &inGrads) {
  if (Status status = validate(variant, in); !status.ok())
    return status;
  if (in.B * in.NH * in.S > 0 && (!outGrads.dh || !inGrads.dq || !inGrads.dk ||
                                  !inGrads.dv || !inGrads.di || !inGrads.df))
    return Status::error("dh, dq, dk, dv, di and df are required");
  if (Status status =
          checkStatePointers(variant, outGrads.dC, outGrads.dn, outGrads.dm,
                             false, "final-state gradient");
      !status.ok())
    return status;
  return checkStatePointers(variant, inGrads.dC0, inGrads.dn0, inGrads.dm0,
                            false, "initial-state gradient");
}

Status checkChunkSize(int64_t chunkSize) {
  if (chunkSize < 1)
    return Status::error("the chunk size must be >= 1");
  return Status::success();
}

template Status checkForward(const Variant &, const Inputs<double> &,
                             const Outputs<double> &);
template Status checkForward(const Variant &, const Inputs<float> &,
                             const Outputs<float> &);
template Status checkBackward(const Variant &, const Inputs<double> &,
                              const OutputGrads<double> &,
                              const InputGrads<double> &);
template Status checkBackward(const Variant &, const Inputs<float> &,
                              const OutputGrads<float> &,
                              const InputGrads<float> &);

} // namespace detail

template Status validate(const Variant &, const Inputs<double> &);
template Status validate(const Variant &, const Inputs<float> &);

} // namespace mlstm::ref
