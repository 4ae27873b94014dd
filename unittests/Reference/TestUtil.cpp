//===- TestUtil.cpp - Problems, runners and checks for reference tests ----===//

#include "TestUtil.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <random>

namespace mlstm::ref {
void PrintTo(const Variant &variant, std::ostream *os) {
  *os << toString(variant) << " eps=" << variant.eps;
  if (variant.qkScale)
    *os << " qkScale=" << *variant.qkScale;
}
} // namespace mlstm::ref

namespace mlstm::ref::test {

double l2Norm(const Tensor<double> &tensor) {
  double sum = 0;
  for (int64_t x = 0; x < tensor.size(); ++x)
    sum += tensor[x] * tensor[x];
  return std::sqrt(sum);
}

std::vector<Variant> allVariants() {
  std::vector<Variant> variants;
  for (InputGate input : {InputGate::Exp, InputGate::Sigmoid, InputGate::None})
    for (ForgetGate forget : {ForgetGate::LogSigmoid, ForgetGate::None})
      for (Normalizer norm : {Normalizer::MaxAbs, Normalizer::None})
        if (input != InputGate::None || norm == Normalizer::None)
          variants.push_back(Variant{input, forget, norm});
  return variants;
}

std::string variantName(const Variant &variant) { return toString(variant); }

const char *formName(Form form) {
  switch (form) {
  case Form::Recurrent:
    return "recurrent";
  case Form::Parallel:
    return "parallel";
  case Form::Chunkwise:
    return "chunkwise";
  }
  return "?";
}

namespace {

template <typename T> const T *ptr(const Tensor<T> &tensor) {
  return tensor.empty() ? nullptr : tensor.data();
}
template <typename T> T *ptr(Tensor<T> &tensor) {
  return tensor.empty() ? nullptr : tensor.data();
}

std::vector<int64_t> stateShape(const Dims &d, char which) {
  switch (which) {
  case 'C':
    return {d.B, d.NH, d.DQK, d.DHV};
  case 'n':
    return {d.B, d.NH, d.DQK};
  default:
    return {d.B, d.NH};
  }
}

} // namespace

template <typename T> Inputs<T> Problem<T>::inputs() const {
  Inputs<T> in;
  in.B = dims.B;
  in.NH = dims.NH;
  in.S = dims.S;
  in.DQK = dims.DQK;
  in.DHV = dims.DHV;
  in.q = ptr(q);
  in.k = ptr(k);
  in.v = ptr(v);
  in.i = ptr(i);
  in.f = ptr(f);
  in.C0 = ptr(C0);
  in.n0 = ptr(n0);
  in.m0 = ptr(m0);
  return in;
}

template <typename T>
std::vector<std::pair<std::string, Tensor<T> *>> Problem<T>::parameters() {
  std::vector<std::pair<std::string, Tensor<T> *>> params = {
      {"q", &q}, {"k", &k}, {"v", &v}, {"i", &i}, {"f", &f}};
  if (hasInit) {
    params.push_back({"C0", &C0});
    if (variant.hasN())
      params.push_back({"n0", &n0});
    if (variant.hasM())
      params.push_back({"m0", &m0});
  }
  return params;
}

Problem<double> makeProblem(const Variant &variant, Dims d, bool withInit,
                            Gates gates, uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::normal_distribution<double> normal(0.0, 1.0);
  const bool extreme = gates == Gates::Extreme;
  std::uniform_real_distribution<double> inputGate(extreme ? -30 : -3,
                                                   extreme ? 30 : 3);
  std::uniform_real_distribution<double> forgetGate(extreme ? -30 : -1,
                                                    extreme ? 30 : 5);
  std::uniform_real_distribution<double> maxState(extreme ? -30 : -2,
                                                  extreme ? 30 : 2);
  auto fill = [&](Tensor<double> &tensor, auto &dist) {
    for (int64_t x = 0; x < tensor.size(); ++x)
      tensor[x] = dist(rng);
  };
  Problem<double> p;
  p.variant = variant;
  p.dims = d;
  p.hasInit = withInit;
  p.q = Tensor<double>({d.B, d.NH, d.S, d.DQK});
  p.k = Tensor<double>({d.B, d.NH, d.S, d.DQK});
  p.v = Tensor<double>({d.B, d.NH, d.S, d.DHV});
  p.i = Tensor<double>({d.B, d.NH, d.S});
  p.f = Tensor<double>({d.B, d.NH, d.S});
  fill(p.q, normal);
  fill(p.k, normal);
  fill(p.v, normal);
  fill(p.i, inputGate);
  fill(p.f, forgetGate);
  if (withInit) {
    p.C0 = Tensor<double>(stateShape(d, 'C'));
    fill(p.C0, normal);
    if (variant.hasN()) {
      p.n0 = Tensor<double>(stateShape(d, 'n'));
      fill(p.n0, normal);
    }
    if (variant.hasM()) {
      p.m0 = Tensor<double>(stateShape(d, 'm'));
      fill(p.m0, maxState);
    }
  }
  return p;
}

Problem<double> sliceSequence(const Problem<double> &p, int64_t begin,
                              int64_t end) {
  Problem<double> out = p;
  out.dims.S = end - begin;
  out.hasInit = false;
  out.C0 = out.n0 = out.m0 = Tensor<double>();
  auto slice = [&](const Tensor<double> &src, int64_t width) {
    Tensor<double> dst({p.dims.B, p.dims.NH, end - begin, width});
    for (int64_t bh = 0; bh < p.dims.B * p.dims.NH; ++bh)
      for (int64_t t = begin; t < end; ++t)
        for (int64_t x = 0; x < width; ++x)
          dst[(bh * (end - begin) + t - begin) * width + x] =
              src[(bh * p.dims.S + t) * width + x];
    return dst;
  };
  out.q = slice(p.q, p.dims.DQK);
  out.k = slice(p.k, p.dims.DQK);
  out.v = slice(p.v, p.dims.DHV);
  out.i = slice(p.i, 1);
  out.f = slice(p.f, 1);
  return out;
}

void carryState(Problem<double> &problem, const Result<double> &result) {
  problem.hasInit = true;
  problem.C0 = result.C;
  problem.n0 = result.n;
  problem.m0 = result.m;
}

template <typename T> Outputs<T> Result<T>::outputs() {
  return {ptr(h), ptr(C), ptr(n), ptr(m)};
}

template <typename T>
Result<T> runForward(Form form, const Problem<T> &problem, int64_t chunkSize) {
  const Dims &d = problem.dims;
  const Variant &variant = problem.variant;
  Result<T> result;
  result.h = Tensor<T>({d.B, d.NH, d.S, d.DHV}, T(NAN));
  result.C = Tensor<T>(stateShape(d, 'C'), T(NAN));
  if (variant.hasN())
    result.n = Tensor<T>(stateShape(d, 'n'), T(NAN));
  if (variant.hasM())
    result.m = Tensor<T>(stateShape(d, 'm'), T(NAN));
  const Inputs<T> in = problem.inputs();
  const Outputs<T> out = result.outputs();
  Status status = Status::success();
  switch (form) {
  case Form::Recurrent:
    status = forwardRecurrent(variant, in, out);
    break;
  case Form::Parallel:
    status = forwardParallel(variant, in, out);
    break;
  case Form::Chunkwise:
    status = forwardChunkwise(variant, chunkSize, in, out);
    break;
  }
  if (!status.ok())
    ADD_FAILURE() << formName(form) << ": " << status.message();
  return result;
}

template <typename A, typename E>
void expectClose(const Result<A> &actual, const Result<E> &expected, double tol,
                 const std::string &context) {
  EXPECT_LE(relativeL2(actual.h, expected.h), tol) << context << " (h)";
  EXPECT_LE(relativeL2(actual.C, expected.C), tol) << context << " (C)";
  EXPECT_LE(relativeL2(actual.n, expected.n), tol) << context << " (n)";
  EXPECT_LE(relativeL2(actual.m, expected.m), tol) << context << " (m)";
}

template <typename T> OutputGrads<T> Cotangent<T>::outputGrads() const {
  OutputGrads<T> grads;
  grads.dh = ptr(dh);
  if (withStateGrads) {
    grads.dC = ptr(dC);
    grads.dn = ptr(dn);
    grads.dm = ptr(dm);
  }
  return grads;
}

Cotangent<double> makeCotangent(const Variant &variant, Dims d,
                                bool withStateGrads, uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::normal_distribution<double> normal(0.0, 1.0);
  Cotangent<double> cot;
  cot.withStateGrads = withStateGrads;
  cot.dh = Tensor<double>({d.B, d.NH, d.S, d.DHV});
  cot.dC = Tensor<double>(stateShape(d, 'C'));
  if (variant.hasN())
    cot.dn = Tensor<double>(stateShape(d, 'n'));
  if (variant.hasM())
    cot.dm = Tensor<double>(stateShape(d, 'm'));
  for (Tensor<double> *tensor : {&cot.dh, &cot.dC, &cot.dn, &cot.dm})
    for (int64_t x = 0; x < tensor->size(); ++x)
      (*tensor)[x] = normal(rng);
  return cot;
}

template <typename T> InputGrads<T> Grads<T>::inputGrads() {
  return {ptr(dq), ptr(dk),  ptr(dv),  ptr(di),
          ptr(df), ptr(dC0), ptr(dn0), ptr(dm0)};
}

template <typename T>
std::vector<std::pair<std::string, const Tensor<T> *>> Grads<T>::all() const {
  std::vector<std::pair<std::string, const Tensor<T> *>> grads = {
      {"q", &dq}, {"k", &dk}, {"v", &dv}, {"i", &di}, {"f", &df}, {"C0", &dC0}};
  if (!dn0.empty())
    grads.push_back({"n0", &dn0});
  if (!dm0.empty())
    grads.push_back({"m0", &dm0});
  return grads;
}

template <typename T>
Grads<T> runBackward(Form form, const Problem<T> &problem,
                     const Cotangent<T> &cotangent, int64_t chunkSize,
                     DenominatorGrad mode) {
  const Dims &d = problem.dims;
  const Variant &variant = problem.variant;
  Grads<T> g;
  g.dq = Tensor<T>({d.B, d.NH, d.S, d.DQK}, T(NAN));
  g.dk = Tensor<T>({d.B, d.NH, d.S, d.DQK}, T(NAN));
  g.dv = Tensor<T>({d.B, d.NH, d.S, d.DHV}, T(NAN));
  g.di = Tensor<T>({d.B, d.NH, d.S}, T(NAN));
  g.df = Tensor<T>({d.B, d.NH, d.S}, T(NAN));
  g.dC0 = Tensor<T>(stateShape(d, 'C'), T(NAN));
  if (variant.hasN())
    g.dn0 = Tensor<T>(stateShape(d, 'n'), T(NAN));
  if (variant.hasM())
    g.dm0 = Tensor<T>(stateShape(d, 'm'), T(NAN));
  const Inputs<T> in = problem.inputs();
  Status status = Status::success();
  if (form == Form::Recurrent)
    status = backwardRecurrent(variant, in, cotangent.outputGrads(),
                               g.inputGrads(), mode);
  else if (form == Form::Chunkwise)
    status = backwardChunkwise(variant, chunkSize, in, cotangent.outputGrads(),
                               g.inputGrads(), mode);
  else
    ADD_FAILURE() << "no parallel backward";
  if (!status.ok())
    ADD_FAILURE() << formName(form) << " backward: " << status.message();
  return g;
}

template <typename A, typename E>
void expectClose(const Grads<A> &actual, const Grads<E> &expected, double tol,
                 const std::string &context, double dm0Scale) {
  auto a = actual.all();
  auto e = expected.all();
  ASSERT_EQ(a.size(), e.size()) << context;
  for (size_t x = 0; x < a.size(); ++x) {
    double error = relativeL2(*a[x].second, *e[x].second);
    const double norm = l2Norm(e[x].second->template cast<double>());
    if (a[x].first == "m0" && dm0Scale > norm && std::isfinite(error))
      error *= (norm > 0 ? norm : 1.0) / dm0Scale;
    EXPECT_LE(error, tol) << context << " (d" << a[x].first << ")";
  }
}

double pairing(const Result<double> &result,
               const Cotangent<double> &cotangent) {
  auto inner = [](const Tensor<double> &a, const Tensor<double> &b) {
    double sum = 0;
    for (int64_t x = 0; x < std::min(a.size(), b.size()); ++x)
      sum += a[x] * b[x];
    return sum;
  };
  double sum = inner(result.h, cotangent.dh);
  if (cotangent.withStateGrads)
    sum += inner(result.C, cotangent.dC) + inner(result.n, cotangent.dn) +
           inner(result.m, cotangent.dm);
  return sum;
}

Result<double> naiveForward(const Problem<double> &p,
                            const std::vector<double> *frozenScale,
                            NaiveDiagnostics *diagnostics) {
  const Variant &var = p.variant;
  const Dims &d = p.dims;
  const double scale = var.scaleFor(d.DQK);
  auto logSigmoid = [](double x) { return -std::log1p(std::exp(-x)); };
  Result<double> r;
  r.h = Tensor<double>({d.B, d.NH, d.S, d.DHV});
  r.C = Tensor<double>(stateShape(d, 'C'));
  if (var.hasN())
    r.n = Tensor<double>(stateShape(d, 'n'));
  if (var.hasM())
    r.m = Tensor<double>(stateShape(d, 'm'));
  NaiveDiagnostics scratch;
  NaiveDiagnostics &diag = diagnostics ? *diagnostics : scratch;
  diag.scales.assign(static_cast<size_t>(d.B * d.NH * d.S), 1.0);
  diag.conditionWeights.assign(static_cast<size_t>(d.B * d.NH * d.S), 1.0);
  diag.floorHits = 0;
  for (int64_t bh = 0; bh < d.B * d.NH; ++bh) {
    double m = p.hasInit && var.hasM() ? p.m0[bh] : 0.0;
    // nAbs: n with |k| and |n0|, for the conditioning weights.
    std::vector<double> C(d.DQK * d.DHV, 0.0), n(d.DQK, 0.0), nAbs(d.DQK, 0.0);
    if (p.hasInit) {
      for (int64_t x = 0; x < d.DQK * d.DHV; ++x)
        C[x] = std::exp(m) * p.C0[bh * d.DQK * d.DHV + x];
      for (int64_t x = 0; x < d.DQK && var.hasN(); ++x) {
        n[x] = std::exp(m) * p.n0[bh * d.DQK + x];
        nAbs[x] = std::abs(n[x]);
      }
    }
    for (int64_t t = 0; t < d.S; ++t) {
      const int64_t pos = bh * d.S + t;
      const double logf =
          var.forgetGate == ForgetGate::LogSigmoid ? logSigmoid(p.f[pos]) : 0;
      const double i = p.i[pos];
      double weight = 1;
      if (var.inputGate == InputGate::Exp) {
        weight = std::exp(i);
        m = std::max(logf + m, i);
      } else if (var.inputGate == InputGate::Sigmoid) {
        weight = 1 / (1 + std::exp(-i));
      }
      double qn = 0, qnAbs = 0;
      for (int64_t a = 0; a < d.DQK; ++a) {
        const double k = p.k[pos * d.DQK + a];
        n[a] = std::exp(logf) * n[a] + weight * k;
        nAbs[a] = std::exp(logf) * nAbs[a] + weight * std::abs(k);
        qn += scale * p.q[pos * d.DQK + a] * n[a];
        qnAbs += std::abs(scale * p.q[pos * d.DQK + a]) * nAbs[a];
        for (int64_t j = 0; j < d.DHV; ++j)
          C[a * d.DHV + j] = std::exp(logf) * C[a * d.DHV + j] +
                             weight * k * p.v[pos * d.DHV + j];
      }
      double s = 1;
      if (var.normalizer == Normalizer::MaxAbs) {
        const double denominator =
            std::max(std::abs(qn), 1.0) + var.eps * std::exp(m);
        s = 1 / denominator;
        diag.conditionWeights[pos] = denominator / (denominator + qnAbs);
        if (std::abs(qn) < 1)
          ++diag.floorHits;
      }
      if (frozenScale)
        s = (*frozenScale)[pos];
      diag.scales[pos] = s;
      for (int64_t j = 0; j < d.DHV; ++j) {
        double num = 0;
        for (int64_t a = 0; a < d.DQK; ++a)
          num += scale * p.q[pos * d.DQK + a] * C[a * d.DHV + j];
        r.h[pos * d.DHV + j] = s * num;
      }
    }
    // The returned states are the stabilized ones.
    const double unscale = var.hasM() ? std::exp(-m) : 1.0;
    for (int64_t x = 0; x < d.DQK * d.DHV; ++x)
      r.C[bh * d.DQK * d.DHV + x] = unscale * C[x];
    for (int64_t x = 0; x < d.DQK && var.hasN(); ++x)
      r.n[bh * d.DQK + x] = unscale * n[x];
    if (var.hasM())
      r.m[bh] = m;
  }
  return r;
}

void expectCloseWeighted(const Result<double> &actual,
                         const Result<double> &expected,
                         const std::vector<double> &weights, double tol,
                         const std::string &context) {
  Result<double> a = actual, e = expected;
  const int64_t width = e.h.size() / std::max<int64_t>(1, weights.size());
  for (int64_t x = 0; x < e.h.size() && x < a.h.size(); ++x) {
    a.h[x] *= weights[x / width];
    e.h[x] *= weights[x / width];
  }
  expectClose(a, e, tol, context + " [condition-weighted h]");
}

Grads<double>
finiteDifferences(Problem<double> problem,
                  const std::function<double(const Problem<double> &)> &loss) {
  Grads<double> g;
  auto gradientOf = [&](const std::string &name) -> Tensor<double> & {
    if (name == "q")
      return g.dq;
    if (name == "k")
      return g.dk;
    if (name == "v")
      return g.dv;
    if (name == "i")
      return g.di;
    if (name == "f")
      return g.df;
    if (name == "C0")
      return g.dC0;
    return name == "n0" ? g.dn0 : g.dm0;
  };
  for (auto &[name, param] : problem.parameters()) {
    Tensor<double> &x = *param;
    Tensor<double> &out = gradientOf(name);
    out = Tensor<double>(x.shape());
    for (int64_t e = 0; e < x.size(); ++e) {
      const double saved = x[e];
      const double step = 1e-6 * std::max(1.0, std::abs(saved));
      x[e] = saved + step;
      const double plus = loss(problem);
      x[e] = saved - step;
      const double minus = loss(problem);
      x[e] = saved;
      out[e] = (plus - minus) / (2 * step);
    }
  }
  return g;
}

template struct Problem<double>;
template struct Problem<float>;
template struct Result<double>;
template struct Result<float>;
template struct Cotangent<double>;
template struct Cotangent<float>;
template struct Grads<double>;
template struct Grads<float>;
template Result<double> runForward(Form, const Problem<double> &, int64_t);
template Result<float> runForward(Form, const Problem<float> &, int64_t);
template void expectClose(const Result<double> &, const Result<double> &,
                          double, const std::string &);
template void expectClose(const Result<float> &, const Result<double> &, double,
                          const std::string &);
template Grads<double> runBackward(Form, const Problem<double> &,
                                   const Cotangent<double> &, int64_t,
                                   DenominatorGrad);
template Grads<float> runBackward(Form, const Problem<float> &,
                                  const Cotangent<float> &, int64_t,
                                  DenominatorGrad);
template void expectClose(const Grads<double> &, const Grads<double> &, double,
                          const std::string &, double);
template void expectClose(const Grads<float> &, const Grads<double> &, double,
                          const std::string &, double);

} // namespace mlstm::ref::test
