//===- GoldenTest.cpp - Fixed values from an independent implementation ---===//
//
// The agreement tests prove the forms compute one function; these pin which
// function. The expected values come from this Python (float64), a direct
// transcription of DESIGN.md section 2 (B = NH = 1, S = 3, DQK = DHV = 2,
// qkScale = 1/sqrt(2), eps = 1e-6; inputs as below):
//
//   def run(gate, norm, init):      # gate in 'exp', 'sig', 'none'
//     C = copy(C0) if init else zeros(2, 2); n = copy(n0) if init else [0, 0]
//     m = m0 if init and gate == 'exp' else 0.0; hs = []
//     for t in range(3):
//       lf = -log1p(exp(-f[t]))
//       if gate == 'exp':
//         mn = max(lf + m, i[t]); a = exp(lf + m - mn); b = exp(i[t] - mn)
//         m = mn
//       else:
//         a = exp(lf); b = 1 / (1 + exp(-i[t])) if gate == 'sig' else 1.0
//       n = [a * n[d] + b * k[t][d] for d in (0, 1)]
//       C = [[a * C[d][j] + b * k[t][d] * v[t][j] for j in (0, 1)]
//            for d in (0, 1)]
//       qb = [x / sqrt(2) for x in q[t]]
//       num = [sum(qb[d] * C[d][j] for d in (0, 1)) for j in (0, 1)]
//       den = sum(qb[d] * n[d] for d in (0, 1))
//       hs += [x / (max(abs(den), exp(-m)) + 1e-6) if norm else x * exp(m)
//              for x in num]
//     return hs, C, n, m
//
//===----------------------------------------------------------------------===//

#include "mlstm/Reference/Reference.h"
#include "mlstm/Reference/Tensor.h"

#include <gtest/gtest.h>

#include <vector>

using namespace mlstm::ref;

namespace {

const std::vector<double> kQ = {0.5, -1.5, 1.5, 0.25, -0.75, 2.0};
const std::vector<double> kK = {1.0, 0.5, -0.5, 1.25, 0.3, -0.8};
const std::vector<double> kV = {2.0, -1.0, 0.5, 0.75, -1.5, 1.0};
const std::vector<double> kI = {0.7, -1.2, 2.5};
const std::vector<double> kF = {1.5, -0.3, 3.0};
const std::vector<double> kC0 = {0.2, -0.1, 0.4, 0.3};
const std::vector<double> kN0 = {0.5, -0.25};
const std::vector<double> kM0 = {0.8};

struct Golden {
  const char *name;
  Variant variant;
  bool init;
  std::vector<double> h, C, n, m;
};

const Golden kGolden[] = {
    {"ExpMaxAbsInit",
     Variant{InputGate::Exp, ForgetGate::LogSigmoid, Normalizer::MaxAbs},
     true,
     {-1.3552728346766882, -0.2873213389530467, 1.6892017552827867,
      -0.8641097764189811, 1.585829397306843, -0.9757928022328064},
     {-0.3097625068863845, 0.21810575762346482, 1.3059457175994973,
      -0.7932612403952662},
     {0.38550542777614316, -0.75219367750791},
     {2.5}},
    {"ExpNoNorm",
     Variant{InputGate::Exp, ForgetGate::LogSigmoid, Normalizer::None},
     false,
     {-0.7119690975425719, 0.35598454877128594, 1.9228059494313192,
      -1.0545801802082089, 24.161960777026543, -15.427997615569478},
     {-0.32187165842845, 0.2241603333944976, 1.2817274145153663,
      -0.8114249677083645},
     {},
     {2.5}},
    {"SigmoidMaxAbsInit",
     Variant{InputGate::Sigmoid, ForgetGate::LogSigmoid, Normalizer::MaxAbs},
     true,
     {-0.5252957552280484, -0.17093603098324095, 0.7160720146780031,
      -0.3988924479260173, 2.261086378181193, -0.7460794830251777},
     {0.13703001432851025, -0.10945302178557692, 1.6502173650631544,
      -0.5686032724787099},
     {0.6035726913127439, -0.4111145762135586},
     {}},
    {"GatedLinearAttention",
     Variant{InputGate::None, ForgetGate::LogSigmoid, Normalizer::None},
     false,
     {-0.35355339059327373, 0.17677669529663687, 0.8232927835937,
      -0.7210056085659644, 3.0472857466139636, 0.09025807867127172},
     {0.12260656421616412, -0.46259034551929873, 2.200733877224907,
      -0.10964928008441188},
     {},
     {}},
};

Tensor<double> tensorOf(const std::vector<double> &values) {
  Tensor<double> tensor({static_cast<int64_t>(values.size())});
  tensor.vector() = values;
  return tensor;
}

template <typename T>
void checkGolden(const Golden &golden, double tol, T /*precision tag*/) {
  auto cast = [](const std::vector<double> &values) {
    return std::vector<T>(values.begin(), values.end());
  };
  const std::vector<T> q = cast(kQ), k = cast(kK), v = cast(kV), i = cast(kI),
                       f = cast(kF), C0 = cast(kC0), n0 = cast(kN0),
                       m0 = cast(kM0);
  Inputs<T> in;
  in.B = in.NH = 1;
  in.S = 3;
  in.DQK = in.DHV = 2;
  in.q = q.data();
  in.k = k.data();
  in.v = v.data();
  in.i = i.data();
  in.f = f.data();
  if (golden.init) {
    in.C0 = C0.data();
    in.n0 = golden.variant.hasN() ? n0.data() : nullptr;
    in.m0 = golden.variant.hasM() ? m0.data() : nullptr;
  }
  for (int form = 0; form < 4; ++form) {
    Tensor<T> h({6}), C({4}), n({golden.variant.hasN() ? 2 : 0}),
        m({golden.variant.hasM() ? 1 : 0});
    Outputs<T> out{h.data(), C.data(), n.empty() ? nullptr : n.data(),
                   m.empty() ? nullptr : m.data()};
    Status status = form == 0   ? forwardRecurrent(golden.variant, in, out)
                    : form == 1 ? forwardParallel(golden.variant, in, out)
                                : forwardChunkwise(golden.variant,
                                                   form == 2 ? 1 : 2, in, out);
    ASSERT_TRUE(status.ok()) << status.message();
    const std::string context =
        std::string(golden.name) + " form " + std::to_string(form);
    EXPECT_LE(relativeL2(h, tensorOf(golden.h)), tol) << context << " h";
    EXPECT_LE(relativeL2(C, tensorOf(golden.C)), tol) << context << " C";
    EXPECT_LE(relativeL2(n, tensorOf(golden.n)), tol) << context << " n";
    EXPECT_LE(relativeL2(m, tensorOf(golden.m)), tol) << context << " m";
  }
}

class GoldenValues : public ::testing::TestWithParam<Golden> {};

TEST_P(GoldenValues, Float64) { checkGolden(GetParam(), 1e-14, 0.0); }
TEST_P(GoldenValues, Float32) { checkGolden(GetParam(), 1e-6, 0.0f); }

INSTANTIATE_TEST_SUITE_P(Cases, GoldenValues, ::testing::ValuesIn(kGolden),
                         [](const auto &paramInfo) {
                           return std::string(paramInfo.param.name);
                         });

} // namespace
