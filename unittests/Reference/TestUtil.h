//===- TestUtil.h - Problems, runners and checks for reference tests ------===//
//
// Owning problem/result/gradient bundles around the raw-pointer API, random
// problem generation (fixed seeds), an independent unstabilized float64
// implementation used as a second opinion, and finite differences.
//
//===----------------------------------------------------------------------===//

#ifndef MLSTM_UNITTESTS_REFERENCE_TESTUTIL_H
#define MLSTM_UNITTESTS_REFERENCE_TESTUTIL_H

#include "mlstm/Reference/Reference.h"
#include "mlstm/Reference/Tensor.h"

#include <functional>
#include <ostream>
#include <string>
#include <vector>

namespace mlstm::ref {
/// gtest prints parameters with this (found by ADL through Variant).
void PrintTo(const Variant &variant, std::ostream *os);
} // namespace mlstm::ref

namespace mlstm::ref::test {

double l2Norm(const Tensor<double> &tensor);

struct Dims {
  int64_t B = 1, NH = 1, S = 1, DQK = 4, DHV = 4;
};

/// Ordinary: i in [-3,3], f in [-1,5] (no stabilizer extremes, FD-safe).
/// Extreme: i, f in [-30,30], m0 in [-30,30].
enum class Gates { Ordinary, Extreme };

/// Every valid variant (10: 3 input gates x 2 forget gates x 2 normalizers,
/// less the two with a normalizer and no input gate).
std::vector<Variant> allVariants();
/// For INSTANTIATE_TEST_SUITE_P names.
std::string variantName(const Variant &variant);

template <typename T> struct Problem {
  Variant variant;
  Dims dims;
  bool hasInit = false;
  Tensor<T> q, k, v, i, f, C0, n0, m0; // states sized only if hasInit

  Inputs<T> inputs() const;
  template <typename U> Problem<U> cast() const {
    Problem<U> result;
    result.variant = variant;
    result.dims = dims;
    result.hasInit = hasInit;
    result.q = q.template cast<U>();
    result.k = k.template cast<U>();
    result.v = v.template cast<U>();
    result.i = i.template cast<U>();
    result.f = f.template cast<U>();
    result.C0 = C0.template cast<U>();
    result.n0 = n0.template cast<U>();
    result.m0 = m0.template cast<U>();
    return result;
  }
  /// (name, tensor) of every differentiable input, states only if hasInit.
  std::vector<std::pair<std::string, Tensor<T> *>> parameters();
};

Problem<double> makeProblem(const Variant &variant, Dims dims, bool withInit,
                            Gates gates, uint64_t seed);

/// Positions [begin, end) of the sequence; no initial state.
Problem<double> sliceSequence(const Problem<double> &problem, int64_t begin,
                              int64_t end);

/// Forward outputs with every final state of the variant.
template <typename T> struct Result {
  Tensor<T> h, C, n, m;
  Outputs<T> outputs();
};

enum class Form { Recurrent, Parallel, Chunkwise };
const char *formName(Form form);

/// Runs a forward form; a failing Status is reported as a test failure.
template <typename T>
Result<T> runForward(Form form, const Problem<T> &problem,
                     int64_t chunkSize = 16);

/// Uses `result`'s final states as `problem`'s initial states.
void carryState(Problem<double> &problem, const Result<double> &result);

/// Expects every tensor of `actual` within `tol` relative L2 of `expected`.
template <typename A, typename E>
void expectClose(const Result<A> &actual, const Result<E> &expected, double tol,
                 const std::string &context);

/// Incoming gradients: dh and the final-state gradients of the variant.
template <typename T> struct Cotangent {
  Tensor<T> dh, dC, dn, dm;
  bool withStateGrads = false;
  OutputGrads<T> outputGrads() const;
  template <typename U> Cotangent<U> cast() const {
    return {dh.template cast<U>(), dC.template cast<U>(), dn.template cast<U>(),
            dm.template cast<U>(), withStateGrads};
  }
};

Cotangent<double> makeCotangent(const Variant &variant, Dims dims,
                                bool withStateGrads, uint64_t seed);

/// Input gradients, initial-state gradients always requested.
template <typename T> struct Grads {
  Tensor<T> dq, dk, dv, di, df, dC0, dn0, dm0;
  InputGrads<T> inputGrads();
  /// (name, tensor) in the order of Problem::parameters() with states.
  std::vector<std::pair<std::string, const Tensor<T> *>> all() const;
};

template <typename T>
Grads<T> runBackward(Form form, const Problem<T> &problem,
                     const Cotangent<T> &cotangent, int64_t chunkSize = 16,
                     DenominatorGrad mode = DenominatorGrad::Exact);

/// Per-tensor relative L2. dm0 is measured against max(||dm0||, dm0Scale):
/// without an initial state dm0 only moves the stabilizer, so it is O(eps)
/// (0 without normalizer) and comes out of cancelling O(1) terms; only
/// absolute accuracy on the scale of the other gate gradients is meaningful.
template <typename A, typename E>
void expectClose(const Grads<A> &actual, const Grads<E> &expected, double tol,
                 const std::string &context, double dm0Scale = 0);

/// The dm0Scale to use for problems without initial states.
template <typename T>
double dm0ScaleFor(const Problem<T> &problem, const Grads<double> &expected) {
  return problem.hasInit ? 0.0 : l2Norm(expected.di) + l2Norm(expected.df);
}

/// <cotangent, forward outputs>: the scalar whose gradient backward computes.
double pairing(const Result<double> &result,
               const Cotangent<double> &cotangent);

/// By-products of naiveForward, per position (b, h, t) in row-major order.
struct NaiveDiagnostics {
  /// The output scale s_t (1 without normalizer).
  std::vector<double> scales;
  /// D_t / (D_t + A_t): D_t the normalizer denominator, A_t = |q̄_t|ᵀ|ñ|_t
  /// the magnitude of the terms summed into den_t. Rounding in den_t is
  /// ~1e-16 A_t, so h_t can only be trusted to ~1e-16 A_t / D_t relative;
  /// weighting h_t by this factor removes that amplification (1 without
  /// normalizer).
  std::vector<double> conditionWeights;
  /// Positions where the floor beat |q̄ᵀñ_t|.
  int64_t floorHits = 0;
};

/// Independent float64 implementation on unstabilized states
/// (C̃_t = exp(logf_t) C̃_{t-1} + weight_t k vᵀ, C̃_0 = exp(m0) C0):
///   h_t = s_t q̄ᵀC̃_t,  s_t = 1/(max(|q̄ᵀñ_t|, 1) + eps exp(m_t)) or 1,
/// which equals the stabilized definition. If `frozenScale` is given it
/// replaces s_t (the detached function). Overflows for huge gates.
Result<double> naiveForward(const Problem<double> &problem,
                            const std::vector<double> *frozenScale = nullptr,
                            NaiveDiagnostics *diagnostics = nullptr);

/// Like expectClose, but h is compared with every position weighted by
/// `weights` (NaiveDiagnostics::conditionWeights).
void expectCloseWeighted(const Result<double> &actual,
                         const Result<double> &expected,
                         const std::vector<double> &weights, double tol,
                         const std::string &context);

/// Central finite differences of `loss` w.r.t. every parameter of `problem`
/// (relative step 1e-6); states included, so `problem` should have them.
Grads<double>
finiteDifferences(Problem<double> problem,
                  const std::function<double(const Problem<double> &)> &loss);

} // namespace mlstm::ref::test

#endif // MLSTM_UNITTESTS_REFERENCE_TESTUTIL_H
