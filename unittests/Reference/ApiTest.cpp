//===- ApiTest.cpp - Argument checking and small API contracts ------------===//

#include "TestUtil.h"

#include <gtest/gtest.h>

#include <cmath>

using namespace mlstm::ref;
using namespace mlstm::ref::test;

namespace {

bool mentions(const Status &status, const char *word) {
  return status.message().find(word) != std::string::npos;
}

TEST(Validate, AcceptsEveryValidVariant) {
  for (const Variant &variant : allVariants())
    EXPECT_TRUE(validate(variant).ok()) << toString(variant);
}

TEST(Validate, RejectsNormalizerWithoutInputGate) {
  for (ForgetGate forget : {ForgetGate::LogSigmoid, ForgetGate::None}) {
    const Status status =
        validate(Variant{InputGate::None, forget, Normalizer::MaxAbs});
    EXPECT_FALSE(status.ok());
    EXPECT_TRUE(mentions(status, "normalizer")) << status.message();
  }
}

TEST(Validate, RejectsBadEpsAndScale) {
  Variant variant;
  variant.eps = -1e-6;
  EXPECT_FALSE(validate(variant).ok());
  variant.eps = NAN;
  EXPECT_FALSE(validate(variant).ok());
  variant.eps = 0;
  EXPECT_TRUE(validate(variant).ok());
  variant.qkScale = INFINITY;
  EXPECT_FALSE(validate(variant).ok());
}

// An invalid call reports why and leaves every output untouched.
TEST(Validate, EntryPointsRejectInvalidVariantAndWriteNothing) {
  const Variant bad{InputGate::None, ForgetGate::LogSigmoid,
                    Normalizer::MaxAbs};
  Problem<double> problem = makeProblem(
      Variant{InputGate::None, ForgetGate::LogSigmoid, Normalizer::None},
      Dims{1, 1, 5, 2, 2}, false, Gates::Ordinary, 1);
  problem.variant = bad;
  Tensor<double> h({1, 1, 5, 2}, 42.0);
  Outputs<double> out;
  out.h = h.data();
  const Inputs<double> in = problem.inputs();
  for (const Status &status :
       {forwardRecurrent(bad, in, out), forwardParallel(bad, in, out),
        forwardChunkwise(bad, 4, in, out)}) {
    EXPECT_FALSE(status.ok());
    EXPECT_TRUE(mentions(status, "normalizer")) << status.message();
  }
  for (int64_t x = 0; x < h.size(); ++x)
    EXPECT_EQ(h[x], 42.0);

  Tensor<double> dh({1, 1, 5, 2}, 1.0), dq({1, 1, 5, 2}, 42.0),
      dk({1, 1, 5, 2}, 42.0), dv({1, 1, 5, 2}, 42.0), di({1, 1, 5}, 42.0),
      df({1, 1, 5}, 42.0);
  OutputGrads<double> outGrads;
  outGrads.dh = dh.data();
  InputGrads<double> inGrads{dq.data(), dk.data(), dv.data(), di.data(),
                             df.data()};
  EXPECT_FALSE(backwardRecurrent(bad, in, outGrads, inGrads).ok());
  EXPECT_FALSE(backwardChunkwise(bad, 4, in, outGrads, inGrads).ok());
  for (int64_t x = 0; x < dq.size(); ++x)
    EXPECT_EQ(dq[x], 42.0);
}

TEST(Validate, RejectsBadDimensionsAndPointers) {
  const Variant variant;
  Problem<double> problem =
      makeProblem(variant, Dims{1, 2, 4, 3, 3}, false, Gates::Ordinary, 2);
  Inputs<double> in = problem.inputs();
  EXPECT_TRUE(validate(variant, in).ok());

  Inputs<double> bad = in;
  bad.DQK = 0;
  EXPECT_FALSE(validate(variant, bad).ok());
  bad = in;
  bad.S = -1;
  EXPECT_FALSE(validate(variant, bad).ok());
  bad = in;
  bad.k = nullptr;
  EXPECT_FALSE(validate(variant, bad).ok());
  bad = in;
  bad.f = nullptr; // required even by variants that ignore f
  EXPECT_FALSE(
      validate(Variant{InputGate::Exp, ForgetGate::None, Normalizer::None}, bad)
          .ok());

  Tensor<double> h({1, 2, 4, 3});
  Outputs<double> out;
  EXPECT_FALSE(forwardRecurrent(variant, in, out).ok()) << "h missing";
  out.h = h.data();
  EXPECT_TRUE(forwardRecurrent(variant, in, out).ok());
  EXPECT_FALSE(forwardChunkwise(variant, 0, in, out).ok()) << "chunk 0";
}

TEST(Validate, StatesMustMatchTheVariant) {
  const Variant exp;
  const Variant sigmoid{InputGate::Sigmoid, ForgetGate::LogSigmoid,
                        Normalizer::MaxAbs};
  const Variant linear{InputGate::None, ForgetGate::None, Normalizer::None};
  Problem<double> problem =
      makeProblem(exp, Dims{1, 1, 3, 2, 2}, true, Gates::Ordinary, 3);
  const Inputs<double> full = problem.inputs();
  EXPECT_TRUE(validate(exp, full).ok());

  Inputs<double> partial = full;
  partial.m0 = nullptr;
  EXPECT_FALSE(validate(exp, partial).ok()) << "exp needs m0 with C0";
  partial = full;
  partial.C0 = nullptr;
  EXPECT_FALSE(validate(exp, partial).ok()) << "n0/m0 without C0";
  EXPECT_FALSE(validate(sigmoid, full).ok()) << "sigmoid has no m";
  partial = full;
  partial.m0 = nullptr;
  EXPECT_TRUE(validate(sigmoid, partial).ok());
  partial.n0 = nullptr;
  EXPECT_FALSE(validate(sigmoid, partial).ok()) << "normalizer needs n0";
  EXPECT_TRUE(validate(linear, partial).ok());

  Tensor<double> h({1, 1, 3, 2}), m({1, 1});
  Outputs<double> out;
  out.h = h.data();
  out.m = m.data();
  EXPECT_FALSE(forwardRecurrent(linear, partial, out).ok())
      << "final m requested from a variant without max state";

  Tensor<double> dh({1, 1, 3, 2}), dq({1, 1, 3, 2}), dk({1, 1, 3, 2}),
      dv({1, 1, 3, 2}), di({1, 1, 3}), df({1, 1, 3}), dn0({1, 1, 2});
  OutputGrads<double> outGrads;
  outGrads.dh = dh.data();
  InputGrads<double> inGrads{dq.data(), dk.data(), dv.data(), di.data(),
                             df.data()};
  EXPECT_TRUE(backwardRecurrent(linear, partial, outGrads, inGrads).ok());
  inGrads.dn0 = dn0.data();
  EXPECT_FALSE(backwardRecurrent(linear, partial, outGrads, inGrads).ok());
  inGrads.dn0 = nullptr;
  inGrads.df = nullptr;
  EXPECT_FALSE(backwardChunkwise(linear, 2, partial, outGrads, inGrads).ok());
}

// qkScale scales q only: an explicit scale 1 on pre-scaled q is the default.
TEST(Api, QkScaleAppliesToQOnly) {
  for (const Variant &variant : allVariants()) {
    const Problem<double> problem =
        makeProblem(variant, Dims{1, 2, 20, 4, 3}, true, Gates::Ordinary, 4);
    Problem<double> prescaled = problem;
    prescaled.variant.qkScale = 1.0;
    for (int64_t x = 0; x < prescaled.q.size(); ++x)
      prescaled.q[x] *= 0.5; // 1/sqrt(DQK = 4)
    expectClose(runForward(Form::Chunkwise, prescaled, 8),
                runForward(Form::Recurrent, problem), 1e-14, toString(variant));
  }
}

// Gates that the variant ignores get zero gradients.
TEST(Api, IgnoredGatesGetZeroGradient) {
  const Variant linear{InputGate::None, ForgetGate::None, Normalizer::None};
  const Problem<double> problem =
      makeProblem(linear, Dims{1, 1, 6, 2, 2}, false, Gates::Ordinary, 5);
  const Cotangent<double> cot =
      makeCotangent(linear, Dims{1, 1, 6, 2, 2}, false, 6);
  for (Form form : {Form::Recurrent, Form::Chunkwise}) {
    const Grads<double> grads = runBackward(form, problem, cot, 4);
    for (int64_t x = 0; x < grads.di.size(); ++x) {
      EXPECT_EQ(grads.di[x], 0.0);
      EXPECT_EQ(grads.df[x], 0.0);
    }
  }
}

TEST(Api, VariantNames) {
  EXPECT_EQ(toString(Variant{}), "exp_logsigmoid_maxabs");
  EXPECT_EQ(
      toString(Variant{InputGate::None, ForgetGate::None, Normalizer::None}),
      "noinput_noforget_nonorm");
}

TEST(Tensor, RelativeL2) {
  Tensor<double> a({3}), b({3});
  a.vector() = {1, 2, 2};
  b.vector() = {1, 2, 2};
  EXPECT_EQ(relativeL2(a, b), 0.0);
  a[2] = 3;
  EXPECT_DOUBLE_EQ(relativeL2(a, b), 1.0 / 3.0);
  a[2] = NAN;
  EXPECT_TRUE(std::isinf(relativeL2(a, b)));
  EXPECT_TRUE(std::isinf(relativeL2(a, Tensor<double>({2}))));
  EXPECT_EQ(relativeL2(Tensor<float>(), Tensor<double>()), 0.0);
}

} // namespace
