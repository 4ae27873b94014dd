//===- SpecModules.cpp - Spec-level test modules and inputs ---------------===//

#include "SpecModules.h"

#include "llvm/ADT/APFloat.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/raw_ostream.h"

using namespace mlstm;
using namespace mlstm::test;

std::string test::specFunctionName(int64_t chunkSize, bool withStates) {
  return llvm::formatv("rec_L{0}{1}", chunkSize, withStates ? "_states" : "");
}

static const char *keyword(ref::InputGate gate) {
  switch (gate) {
  case ref::InputGate::Exp:
    return "exp";
  case ref::InputGate::Sigmoid:
    return "sigmoid";
  case ref::InputGate::None:
    break;
  }
  return "none";
}

namespace {
/// Prints one function: h (and the final states) of one recurrence.
class FunctionPrinter {
public:
  FunctionPrinter(llvm::raw_ostream &os, const ref::Variant &variant,
                  const SpecTypes &types, int64_t dqk, int64_t dhv,
                  bool backward, bool detached)
      : os(os), variant(variant), types(types), dqk(dqk), dhv(dhv),
        backward(backward), detached(detached) {
    // The harness passes f32 buffers for bf16/f16 inputs.
    llvm::StringRef input = types.input;
    argType = input == "bf16" || input == "f16" ? "f32" : input.str();
  }

  void print(int64_t chunkSize, bool withStates) {
    bool hasI = variant.inputGate != ref::InputGate::None;
    bool hasF = variant.forgetGate != ref::ForgetGate::None;
    llvm::SmallVector<std::string> args, argTypes, opTypes, converts;
    std::string operands;
    // An input operand: the argument, truncated to the input type if the
    // argument type differs.
    auto input = [&](llvm::StringRef name, llvm::StringRef keyword,
                     llvm::StringRef shape) {
      std::string arg = llvm::formatv("tensor<{0}x{1}>", shape, argType);
      std::string op = llvm::formatv("tensor<{0}x{1}>", shape, types.input);
      args.push_back(("%" + name + ": " + arg).str());
      argTypes.push_back(arg);
      opTypes.push_back(op);
      std::string value = ("%" + name).str();
      if (arg != op) {
        converts.push_back(llvm::formatv("    %{0}_in = arith.truncf %{0} : "
                                         "{1} to {2}\n",
                                         name, arg, op));
        value += "_in";
      }
      operands += (keyword + "(" + value + ") ").str();
    };
    std::string qkShape = llvm::formatv("?x?x?x{0}", dqk);
    std::string vShape = llvm::formatv("?x?x?x{0}", dhv);
    input("q", "q", qkShape);
    input("k", "k", qkShape);
    input("v", "v", vShape);
    if (hasI)
      input("i", "igate", "?x?x?");
    if (hasF)
      input("f", "fgate", "?x?x?");

    std::string hOp = llvm::formatv("tensor<{0}x{1}>", vShape, types.input);
    std::string hArg = llvm::formatv("tensor<{0}x{1}>", vShape, argType);
    llvm::SmallVector<std::string> opResults = {hOp}, results = {hArg};
    if (withStates) {
      llvm::SmallVector<std::string> shapes = {
          llvm::formatv("?x?x{0}x{1}", dqk, dhv)};
      if (variant.hasN())
        shapes.push_back(llvm::formatv("?x?x{0}", dqk));
      if (variant.hasM())
        shapes.push_back("?x?");
      llvm::SmallVector<std::string> init;
      for (auto [index, shape] : llvm::enumerate(shapes)) {
        std::string type = llvm::formatv("tensor<{0}x{1}>", shape, types.state);
        init.push_back(llvm::formatv("%s{0}", index));
        args.push_back(init.back() + ": " + type);
        argTypes.push_back(type);
        opTypes.push_back(type);
        opResults.push_back(type);
        results.push_back(type);
      }
      operands += "init(" + llvm::join(init, ", ") + ") ";
    }

    size_t numResults = opResults.size();
    llvm::SmallVector<std::string> returned;
    for (size_t index = 0; index < numResults; ++index)
      returned.push_back(numResults == 1
                             ? std::string("%r")
                             : llvm::formatv("%r#{0}", index).str());
    os << "  func.func @" << specFunctionName(chunkSize, withStates) << "("
       << llvm::join(args, ", ") << ") -> (" << llvm::join(results, ", ")
       << ") {\n"
       << llvm::join(converts, "");
    os << "    %r" << (numResults > 1 ? ":" + std::to_string(numResults) : "")
       << " = mlstm.recurrence " << operands
       << "\n        input_gate = " << keyword(variant.inputGate)
       << ", forget_gate = " << (hasF ? "logsigmoid" : "none")
       << ", normalizer = " << (variant.hasN() ? "max_abs" : "none")
       << ", chunk_size = " << chunkSize
       << "\n        {eps = " << llvm::formatv("{0:e}", variant.eps)
       << " : f64";
    if (variant.qkScale)
      os << ", qk_scale = " << llvm::formatv("{0:e}", *variant.qkScale)
         << " : f64";
    os << ", state_type = " << types.state << (backward ? ", backward" : "")
       << (detached ? ", denominator_grad = #mlstm<denominator_grad detached>"
                    : "")
       << "}\n        : ("
       << llvm::join(opTypes, ", ") << ") -> (" << llvm::join(opResults, ", ")
       << ")\n";
    if (hOp != hArg) {
      os << "    %h = arith.extf " << returned[0] << " : " << hOp << " to "
         << hArg << "\n";
      returned[0] = "%h";
    }
    os << "    return " << llvm::join(returned, ", ") << " : "
       << llvm::join(results, ", ") << "\n  }\n";
  }

private:
  llvm::raw_ostream &os;
  const ref::Variant &variant;
  const SpecTypes &types;
  int64_t dqk, dhv;
  bool backward, detached;
  std::string argType;
};

ref::Variant makeVariant(ref::InputGate input, ref::ForgetGate forget,
                         ref::Normalizer normalizer) {
  ref::Variant variant;
  variant.inputGate = input;
  variant.forgetGate = forget;
  variant.normalizer = normalizer;
  return variant;
}
} // namespace

std::vector<test::NamedVariant> test::allVariants() {
  using IG = ref::InputGate;
  using FG = ref::ForgetGate;
  using N = ref::Normalizer;
  // mLSTMsig also checks non-default eps and qk scale (applied to q only).
  ref::Variant sigMaxAbs = makeVariant(IG::Sigmoid, FG::LogSigmoid, N::MaxAbs);
  sigMaxAbs.eps = 1e-3;
  sigMaxAbs.qkScale = 0.5;
  return {
      {"ExpMaxAbs", makeVariant(IG::Exp, FG::LogSigmoid, N::MaxAbs)},
      {"SigmoidMaxAbs", sigMaxAbs},
      {"SigmoidNoNorm", makeVariant(IG::Sigmoid, FG::LogSigmoid, N::None)},
      {"GatedLinearAttention", makeVariant(IG::None, FG::LogSigmoid, N::None)},
      {"LinearAttention", makeVariant(IG::None, FG::None, N::None)},
      {"ExpNoNorm", makeVariant(IG::Exp, FG::LogSigmoid, N::None)}};
}

std::string test::buildSpecModule(const ref::Variant &variant,
                                  const SpecTypes &types, int64_t dqk,
                                  int64_t dhv,
                                  llvm::ArrayRef<int64_t> chunkSizes,
                                  bool backward, bool detached) {
  std::string text;
  llvm::raw_string_ostream os(text);
  FunctionPrinter printer(os, variant, types, dqk, dhv, backward, detached);
  os << "module {\n";
  for (int64_t chunkSize : chunkSizes)
    for (bool withStates : {false, true})
      printer.print(chunkSize, withStates);
  os << "}\n";
  return text;
}

ref::Inputs<double> Problem::inputs(bool withStates,
                                    const ref::Variant &variant) const {
  ref::Inputs<double> in;
  in.B = B;
  in.NH = NH;
  in.S = S;
  in.DQK = DQK;
  in.DHV = DHV;
  in.q = q.data();
  in.k = k.data();
  in.v = v.data();
  in.i = i.data();
  in.f = f.data();
  if (withStates) {
    in.C0 = C0.data();
    in.n0 = variant.hasN() ? n0.data() : nullptr;
    in.m0 = variant.hasM() ? m0.data() : nullptr;
  }
  return in;
}

/// `value` rounded to the nearest value of `semantics`.
static double roundTo(double value, const llvm::fltSemantics &semantics) {
  llvm::APFloat rounded(value);
  bool losesInfo = false;
  rounded.convert(semantics, llvm::APFloat::rmNearestTiesToEven, &losesInfo);
  return rounded.convertToDouble();
}

Problem test::randomProblem(std::mt19937_64 &rng, int64_t B, int64_t NH,
                            int64_t S, int64_t dqk, int64_t dhv,
                            bool extremeGates, bool withStates,
                            const llvm::fltSemantics &inputSemantics,
                            const llvm::fltSemantics &stateSemantics) {
  auto fill = [&](std::vector<int64_t> shape, double lo, double hi,
                  const llvm::fltSemantics &semantics) {
    ref::Tensor<double> tensor(std::move(shape));
    std::uniform_real_distribution<double> dist(lo, hi);
    for (double &value : tensor.vector())
      value = roundTo(dist(rng), semantics);
    return tensor;
  };
  Problem p;
  p.B = B;
  p.NH = NH;
  p.S = S;
  p.DQK = dqk;
  p.DHV = dhv;
  const llvm::fltSemantics &in = inputSemantics, &st = stateSemantics;
  p.q = fill({B, NH, S, dqk}, -1, 1, in);
  p.k = fill({B, NH, S, dqk}, -1, 1, in);
  p.v = fill({B, NH, S, dhv}, -1, 1, in);
  p.i = extremeGates ? fill({B, NH, S}, -30, 30, in)
                     : fill({B, NH, S}, -3, 3, in);
  p.f = extremeGates ? fill({B, NH, S}, -30, 30, in)
                     : fill({B, NH, S}, -1, 5, in);
  if (withStates) {
    p.C0 = fill({B, NH, dqk, dhv}, -1, 1, st);
    p.n0 = fill({B, NH, dqk}, -1, 1, st);
    p.m0 = fill({B, NH}, -1, 1, st);
  }
  return p;
}
