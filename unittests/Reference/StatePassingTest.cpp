//===- StatePassingTest.cpp - Final states continue a sequence ------------===//
//
// Running a sequence in pieces, each started from the previous piece's final
// states, must equal one run (1e-10, float64) in every form and variant. This
// is the contract kernels with initial/final states are checked against.
//
//===----------------------------------------------------------------------===//

#include "TestUtil.h"

#include <gtest/gtest.h>

using namespace mlstm::ref;
using namespace mlstm::ref::test;

namespace {

class StatePassing : public ::testing::TestWithParam<Variant> {
protected:
  /// Splits [0, S) at `cuts` and compares the stitched run with one run.
  void checkSplit(const Problem<double> &whole, std::vector<int64_t> cuts,
                  Form form, int64_t chunkSize) {
    const Result<double> expected = runForward(Form::Recurrent, whole);
    const Dims &d = whole.dims;
    cuts.insert(cuts.begin(), 0);
    cuts.push_back(d.S);
    Result<double> stitched = expected;
    std::fill(stitched.h.vector().begin(), stitched.h.vector().end(), NAN);
    Result<double> last;
    for (size_t piece = 0; piece + 1 < cuts.size(); ++piece) {
      const int64_t begin = cuts[piece], end = cuts[piece + 1];
      Problem<double> part = sliceSequence(whole, begin, end);
      if (piece > 0) {
        carryState(part, last);
      } else if (whole.hasInit) {
        part.hasInit = true;
        part.C0 = whole.C0;
        part.n0 = whole.n0;
        part.m0 = whole.m0;
      }
      last = runForward(form, part, chunkSize);
      for (int64_t bh = 0; bh < d.B * d.NH; ++bh)
        for (int64_t t = begin; t < end; ++t)
          for (int64_t j = 0; j < d.DHV; ++j)
            stitched.h[(bh * d.S + t) * d.DHV + j] =
                last.h[(bh * (end - begin) + t - begin) * d.DHV + j];
    }
    stitched.C = last.C;
    stitched.n = last.n;
    stitched.m = last.m;
    expectClose(stitched, expected, 1e-10,
                std::string(formName(form)) +
                    " pieces=" + std::to_string(cuts.size() - 1));
  }
};

TEST_P(StatePassing, TwoPieces) {
  for (bool init : {false, true}) {
    const Problem<double> whole = makeProblem(
        GetParam(), Dims{2, 2, 50, 4, 5}, init, Gates::Ordinary, 700 + init);
    for (Form form : {Form::Recurrent, Form::Parallel, Form::Chunkwise})
      checkSplit(whole, {23}, form, 8);
  }
}

// Three pieces, one of them empty, with extreme gates.
TEST_P(StatePassing, ThreePiecesExtremeGates) {
  for (bool init : {false, true}) {
    const Problem<double> whole = makeProblem(GetParam(), Dims{1, 3, 70, 3, 4},
                                              init, Gates::Extreme, 710 + init);
    for (Form form : {Form::Recurrent, Form::Parallel, Form::Chunkwise}) {
      checkSplit(whole, {16, 41}, form, 16);
      checkSplit(whole, {30, 30}, form, 7);
    }
  }
}

INSTANTIATE_TEST_SUITE_P(AllVariants, StatePassing,
                         ::testing::ValuesIn(allVariants()),
                         [](const auto &paramInfo) {
                           return variantName(paramInfo.param);
                         });

} // namespace
