//===- ForwardTest.cpp - The forward forms agree --------------------------===//
//
// Recurrent (the definition), parallel and chunkwise forms must compute the
// same function: 1e-10 relative L2 in float64 over h and every final state,
// for every variant, also with gates in [-30, 30]. Float32 must stay within
// 1e-4 of float64 on ordinary gates.
//
//===----------------------------------------------------------------------===//

#include "TestUtil.h"

#include <gtest/gtest.h>

#include <random>

using namespace mlstm::ref;
using namespace mlstm::ref::test;

namespace {

constexpr double kFormTol = 1e-10;

class ForwardForms : public ::testing::TestWithParam<Variant> {
protected:
  /// Parallel and chunkwise (at each chunk size) against recurrent. With
  /// extreme gates the normalizer floor exp(-m) can be ~1e-13, so |den_t| may
  /// be tiny after cancellation and h_t ~ num_t/den_t amplifies rounding by
  /// up to ~1/eps: there h is compared weighted by its condition (see
  /// NaiveDiagnostics), which is exactly that amplification.
  void checkForms(const Problem<double> &problem,
                  std::initializer_list<int64_t> chunkSizes, Gates gates,
                  const std::string &context) {
    NaiveDiagnostics diag;
    if (gates == Gates::Extreme)
      naiveForward(problem, nullptr, &diag);
    auto check = [&](const Result<double> &actual,
                     const Result<double> &expected, const std::string &what) {
      if (gates == Gates::Extreme)
        expectCloseWeighted(actual, expected, diag.conditionWeights, kFormTol,
                            what);
      else
        expectClose(actual, expected, kFormTol, what);
    };
    const Result<double> expected = runForward(Form::Recurrent, problem);
    check(runForward(Form::Parallel, problem), expected, context + " parallel");
    for (int64_t chunk : chunkSizes)
      check(runForward(Form::Chunkwise, problem, chunk), expected,
            context + " chunk " + std::to_string(chunk));
  }
};

std::string describe(int64_t S, bool init, Gates gates) {
  return "S=" + std::to_string(S) + (init ? " init" : " no-init") +
         (gates == Gates::Extreme ? " extreme" : " ordinary");
}

// S = 1 and S at every chunk boundary (L-1, L, L+1 for L = 16 and 64), with
// and without initial states, ordinary and extreme gates.
TEST_P(ForwardForms, ChunkBoundaryLengths) {
  uint64_t seed = 100;
  for (int64_t S : {1, 15, 16, 17, 63, 64, 65})
    for (bool init : {false, true})
      for (Gates gates : {Gates::Ordinary, Gates::Extreme}) {
        const Dims dims{2, 2, S, 5, 3};
        checkForms(makeProblem(GetParam(), dims, init, gates, ++seed),
                   {1, 16, 64}, gates, describe(S, init, gates));
      }
}

TEST_P(ForwardForms, RandomShapes) {
  std::mt19937_64 rng(7);
  auto draw = [&](int64_t lo, int64_t hi) {
    return std::uniform_int_distribution<int64_t>(lo, hi)(rng);
  };
  for (int trial = 0; trial < 6; ++trial) {
    const Dims dims{draw(1, 2), draw(1, 3), draw(1, 120), draw(1, 9),
                    draw(1, 9)};
    const bool init = trial % 2 == 1;
    const Gates gates = trial % 3 == 2 ? Gates::Extreme : Gates::Ordinary;
    const int64_t chunk = draw(1, 40);
    checkForms(makeProblem(GetParam(), dims, init, gates, 200 + trial), {chunk},
               gates, describe(dims.S, init, gates));
  }
}

// A long sequence with extreme gates: the parallel form's global cumsum of
// logf reaches ~-6e4 here and still must agree to 1e-10.
TEST_P(ForwardForms, LongSequence4096) {
  const Dims dims{1, 1, 4096, 8, 8};
  checkForms(makeProblem(GetParam(), dims, true, Gates::Extreme, 300),
             {1, 16, 64}, Gates::Extreme, "S=4096 init extreme");
}

TEST_P(ForwardForms, Float32MatchesFloat64) {
  const Dims dims{2, 2, 100, 8, 6};
  for (bool init : {false, true}) {
    const Problem<double> problem =
        makeProblem(GetParam(), dims, init, Gates::Ordinary, 400 + init);
    const Result<double> expected = runForward(Form::Recurrent, problem);
    const Problem<float> single = problem.cast<float>();
    const std::string context = init ? "float32 init" : "float32 no-init";
    expectClose(runForward(Form::Recurrent, single), expected, 1e-4,
                context + " recurrent");
    expectClose(runForward(Form::Parallel, single), expected, 1e-4,
                context + " parallel");
    for (int64_t chunk : {1, 16, 64})
      expectClose(runForward(Form::Chunkwise, single, chunk), expected, 1e-4,
                  context + " chunk " + std::to_string(chunk));
  }
}

// An independent unstabilized implementation (TestUtil.cpp) pins the
// definition itself, not only the agreement of the three forms.
TEST_P(ForwardForms, MatchesUnstabilizedNaive) {
  for (bool init : {false, true}) {
    const Problem<double> problem = makeProblem(
        GetParam(), Dims{2, 2, 40, 4, 3}, init, Gates::Ordinary, 500 + init);
    expectClose(runForward(Form::Recurrent, problem), naiveForward(problem),
                1e-12, init ? "init" : "no-init");
  }
}

// S = 0 is allowed: nothing is written to h, the final states are the initial
// ones (or zero).
TEST_P(ForwardForms, EmptySequence) {
  for (bool init : {false, true}) {
    const Problem<double> problem = makeProblem(GetParam(), Dims{2, 3, 0, 4, 5},
                                                init, Gates::Ordinary, 600);
    for (Form form : {Form::Recurrent, Form::Parallel, Form::Chunkwise}) {
      const Result<double> result = runForward(form, problem);
      EXPECT_EQ(result.h.size(), 0);
      for (int64_t x = 0; x < result.C.size(); ++x)
        EXPECT_EQ(result.C[x], init ? problem.C0[x] : 0.0) << formName(form);
      for (int64_t x = 0; x < result.n.size(); ++x)
        EXPECT_EQ(result.n[x], init ? problem.n0[x] : 0.0) << formName(form);
      for (int64_t x = 0; x < result.m.size(); ++x)
        EXPECT_EQ(result.m[x], init ? problem.m0[x] : 0.0) << formName(form);
    }
  }
}

INSTANTIATE_TEST_SUITE_P(AllVariants, ForwardForms,
                         ::testing::ValuesIn(allVariants()),
                         [](const auto &paramInfo) {
                           return variantName(paramInfo.param);
                         });

} // namespace
