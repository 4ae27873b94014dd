//===- BackwardExecutionTest.cpp - The derived gradient on the CPU --------===//
//
// The CI proof for the backward: every variant's spec marked `backward` goes
// through --mlstm-derive-backward, --mlstm-chunk and --mlstm-tile (small
// blocks, so chunks span several query, key and DHV tiles), with and
// without --mlstm-stabilize-gates, is JIT-run on random problems and
// compared with the float64 reference gradient
// (mlstm::ref::backwardRecurrent): dq, dk, dv, the gate gradients and the
// initial-state gradients, for sequence lengths around the chunk sizes and
// several batch x head counts; and the detached denominator gradient of the
// variants with a normalizer. The chunk-level gradient ops run through
// their tiled form: their loop lowering is the tiled kernels'.
//
//===----------------------------------------------------------------------===//

#include "SpecModules.h"

#include "mlstm/Execution/CpuRunner.h"
#include "mlstm/Reference/Reference.h"
#include "mlstm/Reference/Tensor.h"

#include "llvm/ADT/APFloat.h"
#include "llvm/Support/FormatVariadic.h"

#include "gtest/gtest.h"

#include <cmath>
#include <deque>

using namespace mlir::mlstm;
using namespace mlstm;
using namespace mlstm::test;

namespace {

constexpr int64_t kDqk = 8, kDhv = 12;

struct Case {
  NamedVariant variant;
  bool f64;        // f64 inputs and states, else f32
  bool stabilized; // after --mlstm-stabilize-gates
  bool detached = false; // denominator_grad = detached
};

std::string toString(const Case &c) {
  return std::string(c.variant.name) + (c.f64 ? "_F64" : "_F32") +
         (c.stabilized ? "Stabilized" : "Tiled") +
         (c.detached ? "Detached" : "");
}

[[maybe_unused]] void PrintTo(const Case &c, std::ostream *os) {
  *os << toString(c);
}

std::string pipelineFor(bool stabilized) {
  std::string pipeline =
      "mlstm-chunk,mlstm-tile{block-q=4 block-k=4 "
      "block-dqk=4 block-dhv=8},";
  if (stabilized)
    pipeline += "mlstm-stabilize-gates,";
  return pipeline + "mlstm-cpu-pipeline";
}

/// Random tensor of `shape` with entries uniform in [-1, 1].
ref::Tensor<double> randomTensor(std::mt19937_64 &rng,
                                 std::vector<int64_t> shape, bool f64) {
  ref::Tensor<double> t(std::move(shape));
  std::uniform_real_distribution<double> dist(-1.0, 1.0);
  for (double &x : t.vector())
    x = f64 ? dist(rng) : static_cast<double>(static_cast<float>(dist(rng)));
  return t;
}

/// The reference's gradients of one problem.
struct Grads {
  ref::Tensor<double> dq, dk, dv, di, df, dC0, dn0, dm0;

  explicit Grads(const Problem &p)
      : dq(p.q.shape()), dk(p.k.shape()), dv(p.v.shape()),
        di({p.B, p.NH, p.S}), df({p.B, p.NH, p.S}),
        dC0({p.B, p.NH, p.DQK, p.DHV}), dn0({p.B, p.NH, p.DQK}),
        dm0({p.B, p.NH}) {}

  /// Where the reference writes them (the initial-state gradients only with
  /// states, and only those of the variant).
  ref::InputGrads<double> pointers(const ref::Variant &variant,
                                   bool withStates) {
    ref::InputGrads<double> g{dq.data(), dk.data(), dv.data(), di.data(),
                              df.data()};
    if (withStates) {
      g.dC0 = dC0.data();
      g.dn0 = variant.hasN() ? dn0.data() : nullptr;
      g.dm0 = variant.hasM() ? dm0.data() : nullptr;
    }
    return g;
  }
};

template <typename T>
void runAndCompare(CpuRunner &runner, const std::string &name,
                   const ref::Variant &variant, const Problem &p,
                   bool withStates, std::mt19937_64 &rng, double tolerance,
                   ref::DenominatorGrad mode) {
  const bool f64 = std::is_same_v<T, double>;
  bool hasI = variant.inputGate != ref::InputGate::None;
  bool hasF = variant.forgetGate != ref::ForgetGate::None;
  ref::Inputs<double> in = p.inputs(withStates, variant);

  // The forward's h, which the backward reads.
  ref::Tensor<double> h({p.B, p.NH, p.S, p.DHV});
  ref::Outputs<double> out;
  out.h = h.data();
  ref::Status status = ref::forwardRecurrent(variant, in, out);
  ASSERT_TRUE(status.ok()) << status.message();

  ref::Tensor<double> dh = randomTensor(rng, {p.B, p.NH, p.S, p.DHV}, f64);
  ref::Tensor<double> dC = randomTensor(rng, {p.B, p.NH, p.DQK, p.DHV}, f64);
  ref::Tensor<double> dn = randomTensor(rng, {p.B, p.NH, p.DQK}, f64);
  ref::Tensor<double> dm = randomTensor(rng, {p.B, p.NH}, f64);

  std::deque<ref::Tensor<T>> storage;
  std::vector<BufferView> args;
  auto pass = [&](const ref::Tensor<double> &tensor) {
    storage.push_back(tensor.template cast<T>());
    args.push_back(BufferView::get(storage.back().data(), tensor.shape()));
  };
  forEachInput(p, variant, withStates, pass);
  pass(h.template cast<T>().template cast<double>());
  pass(dh);
  if (withStates) {
    pass(dC);
    if (variant.hasN())
      pass(dn);
    if (variant.hasM())
      pass(dm);
  }
  auto results = runner.call(name + "_backward", args);
  ASSERT_TRUE(bool(results)) << llvm::toString(results.takeError());

  // The reference gradient on the same cotangents. The yardstick of each
  // gradient is the larger of its norm and the norm of the detached gradient
  // (no term through the denominator). Where the exact gradient is a
  // near-cancellation of those terms (a single key: h is then
  // scale-invariant in q but for eps), its relative error says nothing about
  // the kernels; the size of the cancelling terms does. The gate gradients
  // come from q.dq - k.dk, so the size of k.dk bounds them too.
  ref::OutputGrads<double> outGrads;
  outGrads.dh = dh.data();
  if (withStates) {
    outGrads.dC = dC.data();
    outGrads.dn = variant.hasN() ? dn.data() : nullptr;
    outGrads.dm = variant.hasM() ? dm.data() : nullptr;
  }
  Grads want(p), detached(p);
  status = ref::backwardRecurrent(variant, in, outGrads,
                                  want.pointers(variant, withStates), mode);
  ASSERT_TRUE(status.ok()) << status.message();
  status = ref::backwardRecurrent(variant, in, outGrads,
                                  detached.pointers(variant, withStates),
                                  ref::DenominatorGrad::Detached);
  ASSERT_TRUE(status.ok()) << status.message();
  double kdkNorm = 0;
  for (int64_t t = 0; t < p.B * p.NH * p.S; ++t) {
    double dot = 0;
    for (int64_t d = 0; d < p.DQK; ++d)
      dot += p.k.data()[t * p.DQK + d] * want.dk.data()[t * p.DQK + d];
    kdkNorm += dot * dot;
  }
  kdkNorm = std::sqrt(kdkNorm);

  struct Expected {
    const char *name;
    const ref::Tensor<double> *want, *detached;
    bool gate;
  };
  std::vector<Expected> expected = {{"dq", &want.dq, &detached.dq, false},
                                    {"dk", &want.dk, &detached.dk, false},
                                    {"dv", &want.dv, &detached.dv, false}};
  if (hasI)
    expected.push_back({"di", &want.di, &detached.di, true});
  if (hasF)
    expected.push_back({"df", &want.df, &detached.df, true});
  if (withStates) {
    expected.push_back({"dC0", &want.dC0, &detached.dC0, false});
    if (variant.hasN())
      expected.push_back({"dn0", &want.dn0, &detached.dn0, false});
    if (variant.hasM())
      expected.push_back({"dm0", &want.dm0, &detached.dm0, false});
  }
  ASSERT_EQ(results->size(), expected.size());
  auto error = [&](const std::vector<double> &got,
                   const Expected &e) -> double {
    double diff = 0, norm = 0;
    for (auto [x, y] : llvm::zip_equal(got, e.want->vector())) {
      diff += (x - y) * (x - y);
      norm += y * y;
    }
    double detachedNorm = 0;
    for (double y : e.detached->vector())
      detachedNorm += y * y;
    double denominator = std::max(std::sqrt(norm), std::sqrt(detachedNorm));
    if (e.gate)
      denominator = std::max(denominator, kdkNorm);
    return denominator == 0 ? std::sqrt(diff) : std::sqrt(diff) / denominator;
  };
  for (auto [result, e] : llvm::zip_equal(*results, expected)) {
    ASSERT_EQ(std::vector<int64_t>(result.getShape().begin(),
                                   result.getShape().end()),
              e.want->shape())
        << e.name;
    EXPECT_LE(error(result.toDoubles(), e), tolerance) << e.name;
  }
}

class BackwardExecution : public ::testing::TestWithParam<Case> {};

TEST_P(BackwardExecution, MatchesFloat64Reference) {
  const Case &c = GetParam();
  const ref::Variant &variant = c.variant.variant;
  SpecTypes types;
  types.input = types.state = c.f64 ? "f64" : "f32";
  std::vector<int64_t> chunkSizes = {4, 16};
  std::string source = buildSpecModule(variant, types, kDqk, kDhv, chunkSizes,
                                       /*backward=*/true, c.detached);
  ref::DenominatorGrad mode = c.detached ? ref::DenominatorGrad::Detached
                                         : ref::DenominatorGrad::Exact;
  auto runner = CpuRunner::create(source, pipelineFor(c.stabilized),
                                  /*optLevel=*/2, "mlstm-derive-backward");
  ASSERT_TRUE(bool(runner)) << llvm::toString(runner.takeError());

  struct Shape {
    int64_t B, NH, S;
  };
  std::vector<Shape> shapes = {{1, 1, 1},  {2, 1, 3},  {1, 2, 4},
                               {2, 2, 15}, {1, 1, 16}, {2, 1, 37}};
  std::string seedText = toString(c);
  std::seed_seq seed(seedText.begin(), seedText.end());
  std::mt19937_64 rng(seed);
  const llvm::fltSemantics &semantics = c.f64 ? llvm::APFloat::IEEEdouble()
                                              : llvm::APFloat::IEEEsingle();
  double tolerance = c.f64 ? 1e-9 : 2e-4;
  for (const Shape &shape : shapes) {
    for (bool withStates : {false, true}) {
      Problem problem =
          randomProblem(rng, shape.B, shape.NH, shape.S, kDqk, kDhv,
                        /*extremeGates=*/false, withStates, semantics,
                        semantics);
      for (int64_t chunkSize : chunkSizes) {
        SCOPED_TRACE(llvm::formatv("B={0} NH={1} S={2} L={3} states={4}",
                                   shape.B, shape.NH, shape.S, chunkSize,
                                   withStates)
                         .str());
        std::string name = specFunctionName(chunkSize, withStates);
        if (c.f64)
          runAndCompare<double>(**runner, name, variant, problem, withStates,
                                rng, tolerance, mode);
        else
          runAndCompare<float>(**runner, name, variant, problem, withStates,
                               rng, tolerance, mode);
      }
    }
  }
}

std::vector<Case> allCases() {
  std::vector<Case> cases;
  for (const NamedVariant &variant : allVariants())
    for (bool f64 : {false, true})
      for (bool stabilized : {false, true})
        cases.push_back({variant, f64, stabilized});
  // The detached denominator gradient, where it differs (a normalizer).
  for (const NamedVariant &variant : allVariants())
    if (variant.variant.hasN())
      cases.push_back({variant, /*f64=*/true, /*stabilized=*/true,
                       /*detached=*/true});
  return cases;
}

INSTANTIATE_TEST_SUITE_P(
    AllVariants, BackwardExecution, ::testing::ValuesIn(allCases()),
    [](const ::testing::TestParamInfo<Case> &info) {
      return toString(info.param);
    });

} // namespace
