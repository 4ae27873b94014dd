//===- RecurrenceExecutionTest.cpp - Spec and chunked levels on the CPU ---===//
//
// The CI proof that the lowering preserves the recurrence: every variant is
// compiled (a) at spec level straight through mlstm-cpu-pipeline, (b) after
// --mlstm-chunk, (c) after --mlstm-tile (small blocks, so that chunks span
// several query, key, DQK and DHV tiles), (d) after
// --mlstm-stabilize-gates and (e) with head-dimension tiles larger than the
// head dimensions (padded, as on the GPU for DQK = 32), JIT-run on random problems and compared with the
// float64 reference recurrence (mlstm::ref::forwardRecurrent), with and
// without initial/final states, for sequence lengths around the chunk sizes
// (S = 1, L - 1, L + 1, S % L != 0) and several batch x head counts, with
// f32, f64, bf16 and f16 inputs.
//
// One module per test case holds every function it calls, so each case pays
// for one JIT compilation; B, NH and S are dynamic.
//
//===----------------------------------------------------------------------===//

#include "SpecModules.h"

#include "mlstm/Execution/CpuRunner.h"
#include "mlstm/Reference/Reference.h"
#include "mlstm/Reference/Tensor.h"

#include "llvm/ADT/APFloat.h"
#include "llvm/Support/FormatVariadic.h"

#include "gtest/gtest.h"

#include <deque>

using namespace mlir::mlstm;
using namespace mlstm;
using namespace mlstm::test;

namespace {

constexpr int64_t kDqk = 8, kDhv = 12;

enum class Level { Spec, Chunked, Tiled, Stabilized, Padded };

/// The passes that bring a spec to `level`, then to the CPU.
const char *pipelineFor(Level level) {
  switch (level) {
  case Level::Spec:
    return "mlstm-cpu-pipeline";
  case Level::Chunked:
    return "mlstm-chunk,mlstm-cpu-pipeline";
  case Level::Tiled:
    return "mlstm-chunk,mlstm-tile{block-q=4 block-k=4 block-dqk=4 "
           "block-dhv=8},mlstm-cpu-pipeline";
  case Level::Stabilized:
    return "mlstm-chunk,mlstm-tile{block-q=4 block-k=4 block-dqk=4 "
           "block-dhv=8},mlstm-stabilize-gates,mlstm-cpu-pipeline";
  case Level::Padded:
    // Head-dimension tiles larger than the head dimensions (as on the GPU
    // for DQK = 32): the padding must not leak into h or the states.
    return "mlstm-chunk,mlstm-tile{block-q=4 block-k=4 min-block-dqk=16 "
           "block-dhv=16},mlstm-stabilize-gates,mlstm-cpu-pipeline";
  }
  llvm_unreachable("unknown level");
}

const char *levelName(Level level) {
  switch (level) {
  case Level::Spec:
    return "_Spec";
  case Level::Chunked:
    return "_Chunked";
  case Level::Tiled:
    return "_Tiled";
  case Level::Stabilized:
    return "_Stabilized";
  case Level::Padded:
    return "_Padded";
  }
  llvm_unreachable("unknown level");
}

/// Element types of a test case and the tolerances that go with them.
struct Precision {
  const char *name;
  SpecTypes types;
  /// CpuRunner buffers hold doubles (else floats).
  bool doubleBuffers;
  const llvm::fltSemantics *inputs, *states;
  /// Relative L2 bounds for h and for the final states. bf16/f16 round h to
  /// 8/11 significant bits (f16 also rounds small |h| into its subnormal
  /// range, which costs relative accuracy); the states stay f32, but the
  /// tiled levels round the gate-weighted keys to the input type for the
  /// tensor-core product, so each new term of C carries that rounding.
  double hTolerance, stateTolerance;
};

std::vector<Precision> allPrecisions() {
  using llvm::APFloat;
  return {{"F32",
           {"f32", "f32"},
           false,
           &APFloat::IEEEsingle(),
           &APFloat::IEEEsingle(),
           1e-4,
           1e-4},
          {"F64",
           {"f64", "f64"},
           true,
           &APFloat::IEEEdouble(),
           &APFloat::IEEEdouble(),
           1e-10,
           1e-10},
          {"BF16",
           {"bf16", "f32"},
           false,
           &APFloat::BFloat(),
           &APFloat::IEEEsingle(),
           1e-2,
           2e-3},
          {"F16",
           {"f16", "f32"},
           false,
           &APFloat::IEEEhalf(),
           &APFloat::IEEEsingle(),
           5e-3,
           5e-4}};
}

struct Case {
  NamedVariant variant;
  Precision precision;
  Level level;
};

std::string toString(const Case &c) {
  return std::string(c.variant.name) + "_" + c.precision.name +
         levelName(c.level);
}

std::string caseName(const ::testing::TestParamInfo<Case> &info) {
  return toString(info.param);
}

// Readable parameters in gtest's failure messages.
[[maybe_unused]] void PrintTo(const Case &c, std::ostream *os) {
  *os << toString(c);
}

/// The reference result compared with the runner's, by relative L2 error.
void expectClose(const OwnedBuffer &actual, const ref::Tensor<double> &expected,
                 double tolerance, const char *what) {
  ASSERT_EQ(
      std::vector<int64_t>(actual.getShape().begin(), actual.getShape().end()),
      expected.shape())
      << what;
  ref::Tensor<double> values(expected.shape());
  values.vector() = actual.toDoubles();
  EXPECT_LE(ref::relativeL2(values, expected), tolerance) << what;
}

/// Runs function `name` on problem `p` in precision T and compares h (and the
/// final states) with the float64 reference recurrence.
template <typename T>
void runAndCompare(CpuRunner &runner, const std::string &name,
                   const ref::Variant &variant, const Problem &p,
                   bool withStates, const Precision &precision) {
  // Arguments in the order of the spec function (absent gates and states
  // are not passed).
  std::deque<ref::Tensor<T>> storage;
  std::vector<BufferView> args;
  auto pass = [&](const ref::Tensor<double> &tensor) {
    storage.push_back(tensor.template cast<T>());
    args.push_back(BufferView::get(storage.back().data(), tensor.shape()));
  };
  forEachInput(p, variant, withStates, pass);
  auto results = runner.call(name, args);
  ASSERT_TRUE(bool(results)) << llvm::toString(results.takeError());

  ref::Tensor<double> h({p.B, p.NH, p.S, p.DHV}), C({p.B, p.NH, p.DQK, p.DHV}),
      n({p.B, p.NH, p.DQK}), m({p.B, p.NH});
  ref::Outputs<double> out;
  out.h = h.data();
  out.C = C.data();
  out.n = variant.hasN() ? n.data() : nullptr;
  out.m = variant.hasM() ? m.data() : nullptr;
  ref::Status status =
      ref::forwardRecurrent(variant, p.inputs(withStates, variant), out);
  ASSERT_TRUE(status.ok()) << status.message();

  ASSERT_EQ(results->size(),
            withStates ? 2u + variant.hasN() + variant.hasM() : 1u);
  expectClose((*results)[0], h, precision.hTolerance, "h");
  if (!withStates)
    return;
  double tolerance = precision.stateTolerance;
  expectClose((*results)[1], C, tolerance, "final C");
  size_t next = 2;
  if (variant.hasN())
    expectClose((*results)[next++], n, tolerance, "final n");
  if (variant.hasM())
    expectClose((*results)[next++], m, tolerance, "final m");
}

class RecurrenceExecution : public ::testing::TestWithParam<Case> {};

TEST_P(RecurrenceExecution, MatchesFloat64Reference) {
  const Case &c = GetParam();
  const ref::Variant &variant = c.variant.variant;
  Precision precision = c.precision;
  // Tiled kernels multiply in the input precision, as the tensor cores do
  // (k weighted by its gates, and the probabilities P, rounded to bf16/f16
  // before the product), so their states carry that rounding too.
  bool tiled = c.level == Level::Tiled || c.level == Level::Stabilized;
  if (tiled && !precision.doubleBuffers &&
      precision.inputs != &llvm::APFloat::IEEEsingle())
    precision.stateTolerance = precision.hTolerance;
  // The spec-level lowering ignores chunk_size: one chunk size suffices.
  std::vector<int64_t> chunkSizes = c.level == Level::Spec
                                        ? std::vector<int64_t>{1}
                                        : std::vector<int64_t>{1, 4, 16};
  std::string source =
      buildSpecModule(variant, precision.types, kDqk, kDhv, chunkSizes);
  auto runner = CpuRunner::create(source, pipelineFor(c.level));
  ASSERT_TRUE(bool(runner)) << llvm::toString(runner.takeError());

  // Extreme gates (|i|, |f| up to 30) stress the max-state stabilization.
  std::vector<bool> gateModes = {false};
  if (precision.doubleBuffers && variant.inputGate == ref::InputGate::Exp &&
      variant.normalizer == ref::Normalizer::MaxAbs)
    gateModes.push_back(true);

  // S = 1, L - 1 and L + 1 for L = 4 and 16, a multiple of 16 and
  // S % 16 != 0 over several chunks; (B, NH) with B * NH > 1 except once;
  // then two random shapes.
  struct Shape {
    int64_t B, NH, S;
  };
  std::vector<Shape> shapes = {{1, 1, 1},  {2, 1, 1},  {1, 3, 3},  {2, 2, 5},
                               {3, 1, 15}, {1, 2, 16}, {2, 3, 17}, {2, 1, 33}};
  std::string seedText = toString(c);
  std::seed_seq seed(seedText.begin(), seedText.end());
  std::mt19937_64 rng(seed);
  std::uniform_int_distribution<int64_t> heads(1, 3), length(1, 48);
  for (int repeat = 0; repeat < 2; ++repeat)
    shapes.push_back({heads(rng), heads(rng), length(rng)});
  for (const Shape &shape : shapes) {
    for (bool extreme : gateModes) {
      for (bool withStates : {false, true}) {
        Problem problem =
            randomProblem(rng, shape.B, shape.NH, shape.S, kDqk, kDhv, extreme,
                          withStates, *precision.inputs, *precision.states);
        for (int64_t chunkSize : chunkSizes) {
          SCOPED_TRACE(llvm::formatv("B={0} NH={1} S={2} L={3} states={4} "
                                     "extreme gates={5}",
                                     shape.B, shape.NH, shape.S, chunkSize,
                                     withStates, extreme)
                           .str());
          std::string name = specFunctionName(chunkSize, withStates);
          if (precision.doubleBuffers)
            runAndCompare<double>(**runner, name, variant, problem, withStates,
                                  precision);
          else
            runAndCompare<float>(**runner, name, variant, problem, withStates,
                                 precision);
        }
      }
    }
  }
}

std::vector<Case> allCases() {
  std::vector<Case> cases;
  for (const NamedVariant &variant : allVariants())
    for (const Precision &precision : allPrecisions())
      for (Level level : {Level::Spec, Level::Chunked, Level::Tiled,
                          Level::Stabilized, Level::Padded})
        cases.push_back({variant, precision, level});
  return cases;
}

INSTANTIATE_TEST_SUITE_P(AllVariants, RecurrenceExecution,
                         ::testing::ValuesIn(allCases()), caseName);

} // namespace
