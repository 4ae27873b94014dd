//===- MlstmBackward.cpp - the generated backward kernels vs float64 ------===//
//
// Calls every backward entry point of the generated training library
// (generated/mlstm_train) through its C API on fresh random inputs and
// compares the gradients with the float64 chunkwise reference backward
// (lib/Reference, DenominatorGrad::Exact: the kernels differentiate the
// forward function exactly).
//
// Each case: random bf16 q, k, v, i, f and dh; with states also random f32
// C0 (n0, m0 where the variant has them) and final-state cotangents dC (dn,
// dm). The library's own forward entry point computes h (the backward reads
// it, as in training); then dq, dk, dv, di, df (and dC0, dn0, dm0 with
// states) are poisoned with NaN and the backward entry point runs.
//
// The metric. The exact gradient can be a near-cancellation of large terms
// (at S = 1, say, the normalizer's gradient nearly cancels the numerator's),
// so a plain relative error would divide by a tiny norm. For each gradient
// tensor:
//   error = ||got - want||_2 / max(||want||_2, ||want_detached||_2)
// where want_detached is the reference gradient with DenominatorGrad::Detached
// (the scale of the terms before they cancel). For di and df, which the
// kernels form from q.dq - k.dk, the denominator is at least
// ||(k_t . dk_t)_t||_2 as well (dk from the exact reference). Bound: 2e-2 for
// these bf16-input kernels. Elements still holding the poison (unwritten) and
// computed NaN/Inf fail a case whatever its error. As in mlstm-forward-check,
// where the problem itself is ill-conditioned (extreme gates: the normalizer
// of the forward nearly cancels) a tensor also passes within twice the error
// of the float32 reference gradient (same chunk size, same inputs, same
// metric); and differences below f32's normal range (sqrt(n) * FLT_MIN: a
// gradient of 1e-60 that f32 states flush to 0) count as 0.
//
// Problem sizes follow mlstm-forward-check: B*NH in {1, 7, 64}, S in
// {1, 63, 128, 1000, 8192} (the longest with B*NH = 1), ordinary and extreme
// (|i|, |f| <= 30) gates, with and without states; two extra extreme cases.
//
//   mlstm-backward-check [--seed=N] [--json=PATH] [--only=SUBSTRING]
//                        [--max-s=N] [--repeat=N]
//                        [--gates=all|ordinary|extreme]
//
//===----------------------------------------------------------------------===//

#include "CheckUtil.h"
#include "CudaDriver.h"

#include "mlstm/Reference/Reference.h"
#include "mlstm_train.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstring>
#include <iostream>
#include <limits>
#include <memory>
#include <random>
#include <string>
#include <vector>

using namespace mlstm;
using namespace mlstm::check;

namespace {

/// The tensors of one forward + backward pair, in the C API's types.
struct Call {
  mlstm_tensor q, k, v, i, f, C0, n0, m0, h, dh, dC, dn, dm;
  mlstm_tensor dq, dk, dv, di, df, dC0, dn0, dm0;
  const mlstm_tensor *c0p = nullptr, *n0p = nullptr, *m0p = nullptr;
  const mlstm_tensor *dCp = nullptr, *dnp = nullptr, *dmp = nullptr;
  mlstm_tensor *dC0p = nullptr, *dn0p = nullptr, *dm0p = nullptr;
  CUstream stream = nullptr;
};

using Invoke = mlstm_status (*)(Call &);

struct Entry {
  const char *name; // the backward entry point
  ref::Variant variant;
  int64_t dqk, dhv;
  Invoke forward, backward;
};

#define MLSTM_EXP_FWD(fn)                                                      \
  [](Call &c) {                                                                \
    return fn(&c.q, &c.k, &c.v, &c.i, &c.f, c.c0p, c.n0p, c.m0p, &c.h,        \
              nullptr, nullptr, nullptr, c.stream);                            \
  }
#define MLSTM_EXP_BWD(fn)                                                      \
  [](Call &c) {                                                                \
    return fn(&c.q, &c.k, &c.v, &c.i, &c.f, c.c0p, c.n0p, c.m0p, &c.h, &c.dh, \
              c.dCp, c.dnp, c.dmp, &c.dq, &c.dk, &c.dv, &c.di, &c.df, c.dC0p,  \
              c.dn0p, c.dm0p, c.stream);                                       \
  }
#define MLSTM_SIG_FWD(fn)                                                      \
  [](Call &c) {                                                                \
    return fn(&c.q, &c.k, &c.v, &c.i, &c.f, c.c0p, c.n0p, &c.h, nullptr,      \
              nullptr, c.stream);                                              \
  }
#define MLSTM_SIG_BWD(fn)                                                      \
  [](Call &c) {                                                                \
    return fn(&c.q, &c.k, &c.v, &c.i, &c.f, c.c0p, c.n0p, &c.h, &c.dh, c.dCp, \
              c.dnp, &c.dq, &c.dk, &c.dv, &c.di, &c.df, c.dC0p, c.dn0p,        \
              c.stream);                                                       \
  }
#define MLSTM_SIG_NONORM_FWD(fn)                                               \
  [](Call &c) {                                                                \
    return fn(&c.q, &c.k, &c.v, &c.i, &c.f, c.c0p, &c.h, nullptr, c.stream);  \
  }
#define MLSTM_SIG_NONORM_BWD(fn)                                               \
  [](Call &c) {                                                                \
    return fn(&c.q, &c.k, &c.v, &c.i, &c.f, c.c0p, &c.h, &c.dh, c.dCp, &c.dq, \
              &c.dk, &c.dv, &c.di, &c.df, c.dC0p, c.stream);                   \
  }

ref::Variant variantOf(ref::InputGate gate, ref::Normalizer norm) {
  return ref::Variant(gate, ref::ForgetGate::LogSigmoid, norm);
}

const std::vector<Entry> &entries() {
  static const std::vector<Entry> all = {
      {"mlstm_train_exp_bf16_d64x128_backward",
       variantOf(ref::InputGate::Exp, ref::Normalizer::MaxAbs), 64, 128,
       MLSTM_EXP_FWD(mlstm_train_exp_bf16_d64x128),
       MLSTM_EXP_BWD(mlstm_train_exp_bf16_d64x128_backward)},
      {"mlstm_train_sig_bf16_d64x128_backward",
       variantOf(ref::InputGate::Sigmoid, ref::Normalizer::MaxAbs), 64, 128,
       MLSTM_SIG_FWD(mlstm_train_sig_bf16_d64x128),
       MLSTM_SIG_BWD(mlstm_train_sig_bf16_d64x128_backward)},
      {"mlstm_train_sig_nonorm_bf16_d64x128_backward",
       variantOf(ref::InputGate::Sigmoid, ref::Normalizer::None), 64, 128,
       MLSTM_SIG_NONORM_FWD(mlstm_train_sig_nonorm_bf16_d64x128),
       MLSTM_SIG_NONORM_BWD(mlstm_train_sig_nonorm_bf16_d64x128_backward)},
  };
  return all;
}

/// A host tensor with its device copy (bf16 or f32 on the device, the
/// values it holds as doubles on the host).
struct Tensor {
  std::vector<int64_t> shape;
  std::vector<double> values;
  std::unique_ptr<cuda::DeviceBuffer> device;
  bool bf16 = false;

  int64_t count() const {
    int64_t n = 1;
    for (int64_t s : shape)
      n *= s;
    return n;
  }
  mlstm_tensor view() const {
    return mlstm_tensor_contiguous(
        reinterpret_cast<void *>(device->ptr()),
        bf16 ? MLSTM_DTYPE_BF16 : MLSTM_DTYPE_F32,
        static_cast<int64_t>(shape.size()), shape.data());
  }
};

/// Fills with draws of `dist`, rounded to the device precision, uploaded.
template <typename Dist>
Tensor makeInput(std::vector<int64_t> shape, bool bf16, Dist dist,
                 std::mt19937_64 &rng) {
  Tensor t;
  t.shape = std::move(shape);
  t.bf16 = bf16;
  int64_t n = t.count();
  t.values.resize(n);
  std::vector<uint16_t> half(bf16 ? n : 0);
  std::vector<float> single(bf16 ? 0 : n);
  for (int64_t e = 0; e < n; ++e) {
    float x = static_cast<float>(dist(rng));
    if (bf16) {
      half[e] = toBf16(x);
      t.values[e] = fromBf16(half[e]);
    } else {
      single[e] = x;
      t.values[e] = x;
    }
  }
  t.device = std::make_unique<cuda::DeviceBuffer>(n * (bf16 ? 2 : 4));
  if (bf16)
    t.device->upload(half.data(), n * 2);
  else
    t.device->upload(single.data(), n * 4);
  return t;
}

/// bf16 quiet NaN 0x7fc0 (two per word) and the f32 one: the poison.
constexpr uint16_t kPoisonBf16 = 0x7fc0u;

/// An output: device memory poisoned with NaN.
Tensor makeOutput(std::vector<int64_t> shape, bool bf16) {
  Tensor t;
  t.shape = std::move(shape);
  t.bf16 = bf16;
  int64_t n = t.count();
  // Rounded up to whole words for fill32 (bf16 tensors of odd size).
  std::size_t bytes = n * (bf16 ? 2 : 4);
  t.device = std::make_unique<cuda::DeviceBuffer>((bytes + 3) / 4 * 4);
  t.device->fill32(bf16 ? 0x7fc07fc0u : kPoison);
  return t;
}

/// What came back in an output: the values, and per element whether it
/// still holds the poison's exact bit pattern.
struct Downloaded {
  std::vector<double> values;
  std::vector<bool> poisoned;
};

Downloaded download(const Tensor &t) {
  int64_t n = t.count();
  Downloaded out;
  out.values.resize(n);
  out.poisoned.resize(n);
  if (t.bf16) {
    std::vector<uint16_t> half(n);
    t.device->download(half.data(), n * 2);
    for (int64_t e = 0; e < n; ++e) {
      out.values[e] = fromBf16(half[e]);
      out.poisoned[e] = half[e] == kPoisonBf16;
    }
  } else {
    std::vector<uint32_t> bits(n);
    t.device->download(bits.data(), n * 4);
    for (int64_t e = 0; e < n; ++e) {
      float x;
      std::memcpy(&x, &bits[e], 4);
      out.values[e] = x;
      out.poisoned[e] = bits[e] == kPoison;
    }
  }
  return out;
}

double norm2(const std::vector<double> &x) {
  double s = 0;
  for (double e : x)
    s += e * e;
  return std::sqrt(s);
}

/// One gradient tensor against the reference, by the metric above.
struct GradError {
  double error = 0;   // ||got - want|| / scale
  double scale = 0;   // the denominator
  double wantNorm = 0, detachedNorm = 0;
  double maxAbsErr = 0;
  uint64_t unwritten = 0; // still the poison
  uint64_t nonFinite = 0; // computed NaN or Inf
};

GradError compareGrad(const Downloaded &got, const std::vector<double> &want,
                      const std::vector<double> &detached,
                      double extraScale = 0) {
  GradError g;
  double diff2 = 0;
  for (std::size_t e = 0; e < want.size(); ++e) {
    if (got.poisoned[e]) {
      ++g.unwritten;
      continue;
    }
    if (!std::isfinite(got.values[e])) {
      ++g.nonFinite;
      continue;
    }
    double d = got.values[e] - want[e];
    diff2 += d * d;
    g.maxAbsErr = std::max(g.maxAbsErr, std::fabs(d));
  }
  g.wantNorm = norm2(want);
  g.detachedNorm = norm2(detached);
  g.scale = std::max({g.wantNorm, g.detachedNorm, extraScale});
  g.error = g.scale > 0 ? std::sqrt(diff2) / g.scale : std::sqrt(diff2);
  // Not representable in f32 at all (below its normal range).
  if (std::sqrt(diff2) <=
      std::sqrt(static_cast<double>(want.size())) *
          std::numeric_limits<float>::min())
    g.error = 0;
  if (g.unwritten || g.nonFinite)
    g.error = std::numeric_limits<double>::infinity();
  return g;
}

struct Problem {
  int64_t B, NH, S;
  bool extreme;
};

/// The reference gradients of one mode.
struct RefGrads {
  std::vector<double> dq, dk, dv, di, df, dC0, dn0, dm0;
  ref::Status status;
};

RefGrads referenceBackward(const ref::Variant &var,
                           const ref::Inputs<double> &in,
                           const ref::OutputGrads<double> &og, bool withStates,
                           ref::DenominatorGrad mode) {
  RefGrads r;
  int64_t BH = in.B * in.NH, S = in.S;
  r.dq.resize(BH * S * in.DQK);
  r.dk.resize(BH * S * in.DQK);
  r.dv.resize(BH * S * in.DHV);
  r.di.resize(BH * S);
  r.df.resize(BH * S);
  ref::InputGrads<double> g{r.dq.data(), r.dk.data(), r.dv.data(),
                            r.di.data(), r.df.data()};
  if (withStates) {
    r.dC0.resize(BH * in.DQK * in.DHV);
    g.dC0 = r.dC0.data();
    if (var.hasN()) {
      r.dn0.resize(BH * in.DQK);
      g.dn0 = r.dn0.data();
    }
    if (var.hasM()) {
      r.dm0.resize(BH);
      g.dm0 = r.dm0.data();
    }
  }
  r.status = ref::backwardChunkwise(var, 64, in, og, g, mode);
  return r;
}

/// The exact reference gradient in float32 (what f32 arithmetic achieves on
/// the problem), widened to double.
RefGrads referenceBackward32(const ref::Variant &var,
                             const ref::Inputs<double> &in,
                             const ref::OutputGrads<double> &og,
                             bool withStates) {
  auto f = [](const double *x, int64_t n) {
    return x ? std::vector<float>(x, x + n) : std::vector<float>();
  };
  int64_t BH = in.B * in.NH, S = in.S, DQK = in.DQK, DHV = in.DHV;
  std::vector<float> q = f(in.q, BH * S * DQK), k = f(in.k, BH * S * DQK),
                     v = f(in.v, BH * S * DHV), i = f(in.i, BH * S),
                     fg = f(in.f, BH * S), C0 = f(in.C0, BH * DQK * DHV),
                     n0 = f(in.n0, BH * DQK), m0 = f(in.m0, BH),
                     dh = f(og.dh, BH * S * DHV), dC = f(og.dC, BH * DQK * DHV),
                     dn = f(og.dn, BH * DQK), dm = f(og.dm, BH);
  auto ptr = [](std::vector<float> &x) { return x.empty() ? nullptr : x.data(); };
  ref::Inputs<float> in32{in.B, in.NH, S, DQK, DHV, q.data(), k.data(),
                          v.data(), i.data(), fg.data(), ptr(C0), ptr(n0),
                          ptr(m0)};
  ref::OutputGrads<float> og32{dh.data(), ptr(dC), ptr(dn), ptr(dm)};
  std::vector<float> dq(BH * S * DQK), dk(BH * S * DQK), dv(BH * S * DHV),
      di(BH * S), df(BH * S), dC0, dn0, dm0;
  ref::InputGrads<float> g{dq.data(), dk.data(), dv.data(), di.data(),
                           df.data()};
  if (withStates) {
    dC0.resize(BH * DQK * DHV);
    g.dC0 = dC0.data();
    if (var.hasN()) {
      dn0.resize(BH * DQK);
      g.dn0 = dn0.data();
    }
    if (var.hasM()) {
      dm0.resize(BH);
      g.dm0 = dm0.data();
    }
  }
  RefGrads r;
  r.status = ref::backwardChunkwise(var, 64, in32, og32, g,
                                    ref::DenominatorGrad::Exact);
  auto d = [](const std::vector<float> &x) {
    return std::vector<double>(x.begin(), x.end());
  };
  r.dq = d(dq);
  r.dk = d(dk);
  r.dv = d(dv);
  r.di = d(di);
  r.df = d(df);
  r.dC0 = d(dC0);
  r.dn0 = d(dn0);
  r.dm0 = d(dm0);
  return r;
}

double msSince(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double, std::milli>(
             std::chrono::steady_clock::now() - start)
      .count();
}

/// Runs one entry on one problem; returns whether it passed.
bool runCase(const Entry &entry, const Problem &p, bool withStates,
             std::mt19937_64 &rng, const Options &options, double bound) {
  const ref::Variant &var = entry.variant;
  int64_t B = p.B, NH = p.NH, S = p.S, DQK = entry.dqk, DHV = entry.dhv;
  std::normal_distribution<double> normal(0.0, 1.0);
  std::uniform_real_distribution<double> extreme(-30.0, 30.0);
  std::normal_distribution<double> forget(3.0, 1.5);
  Tensor q = makeInput({B, NH, S, DQK}, true, normal, rng);
  Tensor k = makeInput({B, NH, S, DQK}, true, normal, rng);
  Tensor v = makeInput({B, NH, S, DHV}, true, normal, rng);
  Tensor i = p.extreme ? makeInput({B, NH, S}, true, extreme, rng)
                       : makeInput({B, NH, S}, true, normal, rng);
  Tensor f = p.extreme ? makeInput({B, NH, S}, true, extreme, rng)
                       : makeInput({B, NH, S}, true, forget, rng);
  Tensor dh = makeInput({B, NH, S, DHV}, true, normal, rng);
  Tensor C0, n0, m0, dC, dn, dm;
  if (withStates) {
    C0 = makeInput({B, NH, DQK, DHV}, false, normal, rng);
    if (var.hasN())
      n0 = makeInput({B, NH, DQK}, false, normal, rng);
    if (var.hasM())
      m0 = makeInput({B, NH}, false, normal, rng);
    dC = makeInput({B, NH, DQK, DHV}, false, normal, rng);
    if (var.hasN())
      dn = makeInput({B, NH, DQK}, false, normal, rng);
    if (var.hasM())
      dm = makeInput({B, NH}, false, normal, rng);
  }
  Tensor h = makeOutput({B, NH, S, DHV}, true);
  Tensor dq = makeOutput({B, NH, S, DQK}, true);
  Tensor dk = makeOutput({B, NH, S, DQK}, true);
  Tensor dv = makeOutput({B, NH, S, DHV}, true);
  Tensor di = makeOutput({B, NH, S}, true);
  Tensor df = makeOutput({B, NH, S}, true);
  Tensor dC0 = makeOutput({B, NH, DQK, DHV}, false);
  Tensor dn0 = makeOutput({B, NH, DQK}, false);
  Tensor dm0 = makeOutput({B, NH}, false);

  Call call;
  call.q = q.view();
  call.k = k.view();
  call.v = v.view();
  call.i = i.view();
  call.f = f.view();
  call.h = h.view();
  call.dh = dh.view();
  call.dq = dq.view();
  call.dk = dk.view();
  call.dv = dv.view();
  call.di = di.view();
  call.df = df.view();
  if (withStates) {
    call.C0 = C0.view();
    call.c0p = &call.C0;
    call.dC = dC.view();
    call.dCp = &call.dC;
    call.dC0 = dC0.view();
    call.dC0p = &call.dC0;
    if (var.hasN()) {
      call.n0 = n0.view();
      call.n0p = &call.n0;
      call.dn = dn.view();
      call.dnp = &call.dn;
      call.dn0 = dn0.view();
      call.dn0p = &call.dn0;
    }
    if (var.hasM()) {
      call.m0 = m0.view();
      call.m0p = &call.m0;
      call.dm = dm.view();
      call.dmp = &call.dm;
      call.dm0 = dm0.view();
      call.dm0p = &call.dm0;
    }
  }

  // The forward entry point writes h, which the backward reads.
  auto start = std::chrono::steady_clock::now();
  mlstm_status fwdStatus = entry.forward(call);
  MLSTM_CU(cuCtxSynchronize());
  double fwdMs = msSince(start);
  mlstm_status bwdStatus{};
  double bwdMs = 0;
  if (fwdStatus.code == MLSTM_SUCCESS) {
    // The gradient outputs were poisoned when allocated; nothing has
    // touched them since.
    start = std::chrono::steady_clock::now();
    bwdStatus = entry.backward(call);
    MLSTM_CU(cuCtxSynchronize());
    bwdMs = msSince(start);
  }

  // The float64 references (chunkwise, chunk 64) on the same inputs.
  ref::Inputs<double> in{B, NH, S, DQK, DHV,
                         q.values.data(), k.values.data(), v.values.data(),
                         i.values.data(), f.values.data()};
  ref::OutputGrads<double> og{dh.values.data()};
  if (withStates) {
    in.C0 = C0.values.data();
    in.n0 = var.hasN() ? n0.values.data() : nullptr;
    in.m0 = var.hasM() ? m0.values.data() : nullptr;
    og.dC = dC.values.data();
    og.dn = var.hasN() ? dn.values.data() : nullptr;
    og.dm = var.hasM() ? dm.values.data() : nullptr;
  }
  start = std::chrono::steady_clock::now();
  RefGrads exact =
      referenceBackward(var, in, og, withStates, ref::DenominatorGrad::Exact);
  RefGrads detached = referenceBackward(var, in, og, withStates,
                                        ref::DenominatorGrad::Detached);
  RefGrads exact32 = referenceBackward32(var, in, og, withStates);
  std::vector<double> hRef(h.count());
  ref::Outputs<double> fout{hRef.data()};
  ref::Status fwdRefStatus = ref::forwardChunkwise(var, 64, in, fout);
  double refMs = msSince(start);

  JsonLine line;
  line.add("check", "mlstm_backward")
      .add("entry", entry.name)
      .add("B", B)
      .add("NH", NH)
      .add("S", S)
      .add("gates", p.extreme ? "extreme" : "ordinary")
      .add("states", withStates)
      .add("seed", options.seed)
      .add("ms_forward_first_call", fwdMs)
      .add("ms_backward_first_call", bwdMs)
      .add("ms_reference", refMs)
      .add("bound", bound);
  bool pass = fwdStatus.code == MLSTM_SUCCESS &&
              bwdStatus.code == MLSTM_SUCCESS && exact.status.ok() &&
              detached.status.ok() && fwdRefStatus.ok();
  if (fwdStatus.code != MLSTM_SUCCESS)
    line.add("forward_error", std::string(fwdStatus.message));
  else if (bwdStatus.code != MLSTM_SUCCESS)
    line.add("backward_error", std::string(bwdStatus.message));
  if (!exact.status.ok())
    line.add("reference_error", exact.status.message());
  if (!detached.status.ok())
    line.add("reference_error", detached.status.message());
  if (pass) {
    // h as the backward saw it (information; mlstm-forward-check owns h).
    Downloaded hGot = download(h);
    GradError eh = compareGrad(hGot, hRef, hRef);
    line.add("h_rel_l2", eh.error).add("h_unwritten", eh.unwritten)
        .add("h_nonfinite", eh.nonFinite);

    // ||(k_t . dk_t)_t||: the scale of the terms di and df are formed from.
    double kdk2 = 0;
    for (int64_t t = 0; t < B * NH * S; ++t) {
      double dot = 0;
      for (int64_t d = 0; d < DQK; ++d)
        dot += k.values[t * DQK + d] * exact.dk[t * DQK + d];
      kdk2 += dot * dot;
    }
    double kdk = std::sqrt(kdk2);
    line.add("kdk_norm", kdk);

    double maxError = 0;
    auto check = [&](const char *name, const Tensor &got,
                     const std::vector<double> &want,
                     const std::vector<double> &wantDetached,
                     const std::vector<double> &want32, double extraScale) {
      GradError g = compareGrad(download(got), want, wantDetached, extraScale);
      // What float32 arithmetic achieves on this problem (same metric).
      Downloaded ref32;
      ref32.values = want32;
      ref32.poisoned.assign(want32.size(), false);
      double error32 =
          exact32.status.ok()
              ? compareGrad(ref32, want, wantDetached, extraScale).error
              : 0.0;
      double caseBound = std::max(bound, 2 * error32);
      std::string n = name;
      line.add(n + "_err", g.error)
          .add(n + "_f32_reference_err", error32)
          .add(n + "_bound", caseBound)
          .add(n + "_scale", g.scale)
          .add(n + "_max_abs_err", g.maxAbsErr)
          .add(n + "_unwritten", g.unwritten)
          .add(n + "_nonfinite", g.nonFinite);
      maxError = std::max(maxError, g.error);
      pass = pass && g.unwritten == 0 && g.nonFinite == 0 &&
             g.error <= caseBound;
    };
    check("dq", dq, exact.dq, detached.dq, exact32.dq, 0);
    check("dk", dk, exact.dk, detached.dk, exact32.dk, 0);
    check("dv", dv, exact.dv, detached.dv, exact32.dv, 0);
    check("di", di, exact.di, detached.di, exact32.di, kdk);
    check("df", df, exact.df, detached.df, exact32.df, kdk);
    if (withStates) {
      check("dC0", dC0, exact.dC0, detached.dC0, exact32.dC0, 0);
      if (var.hasN())
        check("dn0", dn0, exact.dn0, detached.dn0, exact32.dn0, 0);
      if (var.hasM())
        check("dm0", dm0, exact.dm0, detached.dm0, exact32.dm0, 0);
    }
    line.add("max_err", maxError);
  }
  line.add("pass", pass);
  emit(line, options);
  return pass;
}

} // namespace

int main(int argc, char **argv) {
  Options options;
  std::string only;
  int64_t maxS = 8192;
  int repeat = 1;
  std::string gates = "all";
  const double bound = 2e-2;
  options.seed = std::chrono::steady_clock::now().time_since_epoch().count();
  for (int a = 1; a < argc; ++a) {
    std::string arg = argv[a];
    if (arg.rfind("--seed=", 0) == 0)
      options.seed = std::stoull(arg.substr(7));
    else if (arg.rfind("--json=", 0) == 0)
      options.jsonPath = arg.substr(7);
    else if (arg.rfind("--only=", 0) == 0)
      only = arg.substr(7);
    else if (arg.rfind("--max-s=", 0) == 0)
      maxS = std::stoll(arg.substr(8));
    else if (arg.rfind("--repeat=", 0) == 0)
      repeat = std::max(1, std::stoi(arg.substr(9)));
    else if (arg == "--gates=all" || arg == "--gates=ordinary" ||
             arg == "--gates=extreme")
      gates = arg.substr(8);
    else {
      std::cerr << "usage: " << argv[0]
                << " [--seed=N] [--json=PATH] [--only=SUBSTRING] [--max-s=N]"
                   " [--repeat=N] [--gates=all|ordinary|extreme]\n";
      return 2;
    }
  }
  try {
    cuda::Context context;
    std::mt19937_64 rng(options.seed);
    std::cout << "device " << context.deviceName() << ", seed " << options.seed
              << "\n";
    // mlstm-forward-check's problems, plus extreme gates at B*NH = 7, S = 128
    // and at the longest sequence.
    std::vector<Problem> problems = {
        {1, 1, 1, false},    {7, 1, 63, false},  {1, 7, 128, false},
        {8, 8, 128, false},  {1, 1, 1000, false}, {1, 1, 8192, false},
        {7, 1, 63, true},    {1, 1, 1000, true}, {1, 7, 128, true},
        {1, 1, 8192, true}};
    int failures = 0, cases = 0;
    for (const Entry &entry : entries()) {
      if (!only.empty() &&
          std::string(entry.name).find(only) == std::string::npos)
        continue;
      for (const Problem &p : problems) {
        if (p.S > maxS || (gates == "ordinary" && p.extreme) ||
            (gates == "extreme" && !p.extreme))
          continue;
        // Each repetition draws fresh inputs from the same generator.
        for (int r = 0; r < repeat; ++r) {
          for (bool states : {false, true}) {
            ++cases;
            if (!runCase(entry, p, states, rng, options, bound))
              ++failures;
          }
        }
      }
    }
    std::cout << cases - failures << " passed, " << failures << " failed\n";
    return failures == 0 ? 0 : 1;
  } catch (const std::exception &e) {
    std::cerr << "error: " << e.what() << "\n";
    return 1;
  }
}
