//===- SpecModules.h - Spec-level test modules and inputs -------*- C++ -*-===//
//
// Builds the spec modules the execution tests compile (one mlstm.recurrence
// per function, for a reference Variant) and random inputs for them.
//
//===----------------------------------------------------------------------===//

#ifndef MLSTM_UNITTESTS_EXECUTION_SPECMODULES_H
#define MLSTM_UNITTESTS_EXECUTION_SPECMODULES_H

#include "mlstm/Reference/Reference.h"
#include "mlstm/Reference/Tensor.h"

#include "llvm/ADT/APFloat.h"
#include "llvm/ADT/ArrayRef.h"

#include <cstdint>
#include <random>
#include <string>
#include <vector>

namespace mlstm::test {

/// The function of a spec module for one chunk size, with initial and final
/// states (`withStates`) or only h.
std::string specFunctionName(int64_t chunkSize, bool withStates);

/// Element types of a spec module: `input` for q, k, v, the gates and h,
/// `state` for the states ("f32", "f64", and for inputs also "bf16" or
/// "f16"). Functions take and return their tensors in these types, except
/// bf16/f16 inputs and h: those are passed as f32 (what CpuRunner exchanges)
/// and converted inside the function.
struct SpecTypes {
  std::string input = "f32", state = "f32";
};

/// A module with one function per chunk size and with/without states, each
/// stating `variant` (eps, qk scale included) with head dimensions dqk, dhv.
/// `backward` marks each recurrence for --mlstm-derive-backward (which needs
/// f32/f64 inputs: other input types are converted inside the function,
/// which then is no entry point), with `denominator_grad = detached` when
/// `detached`.
std::string buildSpecModule(const ref::Variant &variant, const SpecTypes &types,
                            int64_t dqk, int64_t dhv,
                            llvm::ArrayRef<int64_t> chunkSizes,
                            bool backward = false, bool detached = false);

/// A member of the family with the name its test cases carry.
struct NamedVariant {
  const char *name;
  ref::Variant variant;
};

/// The six variants the execution tests cover.
std::vector<NamedVariant> allVariants();

/// Random inputs of one problem, in double (what the reference reads): q, k,
/// v and the states uniform in [-1, 1]; the gate pre-activations i in
/// [-3, 3] and f in [-1, 5] (mostly open forget gates), or both in
/// [-30, 30] with `extremeGates`. Initial states are drawn only when
/// `withStates`. Inputs are rounded to `inputSemantics`, states to
/// `stateSemantics`, so the compiled function (which receives them in those
/// types) and the float64 reference see the same values.
struct Problem {
  int64_t B = 0, NH = 0, S = 0, DQK = 0, DHV = 0;
  ref::Tensor<double> q, k, v, i, f, C0, n0, m0;

  ref::Inputs<double> inputs(bool withStates,
                             const ref::Variant &variant) const;
};
/// Calls `pass` on the inputs of `p` in the order a spec function takes
/// them: q, k, v, the variant's gates, then (`withStates`) its initial
/// states.
template <typename Pass>
void forEachInput(const Problem &p, const ref::Variant &variant,
                  bool withStates, Pass pass) {
  pass(p.q);
  pass(p.k);
  pass(p.v);
  if (variant.inputGate != ref::InputGate::None)
    pass(p.i);
  if (variant.forgetGate != ref::ForgetGate::None)
    pass(p.f);
  if (withStates) {
    pass(p.C0);
    if (variant.hasN())
      pass(p.n0);
    if (variant.hasM())
      pass(p.m0);
  }
}

Problem randomProblem(std::mt19937_64 &rng, int64_t B, int64_t NH, int64_t S,
                      int64_t dqk, int64_t dhv, bool extremeGates,
                      bool withStates, const llvm::fltSemantics &inputSemantics,
                      const llvm::fltSemantics &stateSemantics);

} // namespace mlstm::test

#endif // MLSTM_UNITTESTS_EXECUTION_SPECMODULES_H
