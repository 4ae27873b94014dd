//===- Variant.h - Recurrence variants of the reference library -*- C++ -*-===//
//
// The variant attributes of the mlstm dialect, mirrored for the float64/float32
// reference implementation, and the Status type its entry points return.
//
// The library is built without exceptions (LLVM's flags), so argument errors
// are reported through Status, never thrown.
//
//===----------------------------------------------------------------------===//

#ifndef MLSTM_REFERENCE_VARIANT_H
#define MLSTM_REFERENCE_VARIANT_H

#include <cstdint>
#include <optional>
#include <string>
#include <utility>

namespace mlstm::ref {

/// How the input-gate pre-activation i_t weights the new key/value pair.
enum class InputGate {
  Exp,     ///< exp(i_t), stabilized with a running max state m (mLSTMexp).
  Sigmoid, ///< sigmoid(i_t), no max state (mLSTMsig).
  None,    ///< weight 1; i is ignored (linear attention / GLA-simple).
};

/// How the forget-gate pre-activation f_t decays the state.
enum class ForgetGate {
  LogSigmoid, ///< decay sigmoid(f_t), i.e. logf_t = logsigmoid(f_t).
  None,       ///< logf_t = 0 (no decay); f is ignored.
};

/// Whether the output is divided by the normalizer state n.
enum class Normalizer {
  MaxAbs, ///< h = num / (max(|den|, floor) + eps), floor = exp(-m) or 1.
  None,   ///< h = unstabilized numerator.
};

/// Which gradient the backward computes for the normalizer denominator.
enum class DenominatorGrad {
  Exact,    ///< The true gradient of the forward function.
  Detached, ///< The per-position output scale is a constant (NX-AI's choice).
};

/// One recurrence of the family. Defaults are mLSTMexp.
struct Variant {
  Variant() = default;
  Variant(InputGate input, ForgetGate forget, Normalizer norm,
          double epsilon = 1e-6, std::optional<double> scale = std::nullopt)
      : inputGate(input), forgetGate(forget), normalizer(norm), eps(epsilon),
        qkScale(scale) {}

  InputGate inputGate = InputGate::Exp;
  ForgetGate forgetGate = ForgetGate::LogSigmoid;
  Normalizer normalizer = Normalizer::MaxAbs;
  /// Added to the normalizer denominator.
  double eps = 1e-6;
  /// Scale applied to q (only q); defaults to 1/sqrt(DQK).
  std::optional<double> qkScale;

  /// The normalizer state n exists iff the normalizer is on.
  bool hasN() const { return normalizer == Normalizer::MaxAbs; }
  /// The max state m exists iff the input gate is exp.
  bool hasM() const { return inputGate == InputGate::Exp; }
  /// The scale that multiplies q for head dimension DQK.
  double scaleFor(int64_t DQK) const;
};

/// A short name such as "exp_logsigmoid_maxabs" (eps/scale omitted).
std::string toString(const Variant &variant);

/// Success or an error message. Entry points validate every argument first and
/// write nothing when they fail.
class [[nodiscard]] Status {
public:
  static Status success() { return Status(); }
  static Status error(std::string message) {
    Status status;
    status.failed = true;
    status.text = std::move(message);
    return status;
  }
  bool ok() const { return !failed; }
  /// Empty on success.
  const std::string &message() const { return text; }

private:
  bool failed = false;
  std::string text;
};

/// Checks the variant on its own: a normalizer needs an input gate (without
/// one the normalizer state would be a plain key sum with no defined floor),
/// eps must be finite and >= 0, and qkScale (if given) finite.
Status validate(const Variant &variant);

} // namespace mlstm::ref

#endif // MLSTM_REFERENCE_VARIANT_H
