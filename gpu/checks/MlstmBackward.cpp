//===- MlstmBackward.cpp - the generated backward kernels vs float64 ------===//
//
// Calls every backward entry point of the generated libraries generated/mlstm
// (mLSTMexp, mLSTMsig, mLSTMsig without normalizer; bf16 and f32; head dims
// 64x128, 128x256, 256x512; chunk_size = auto) and generated/mlstm_chunks
// (chunks of 128, 256, 512) through their C API on fresh random inputs and
// compares the gradients with the float64 chunkwise reference backward
// (lib/Reference, DenominatorGrad::Exact: the kernels differentiate the
// forward function exactly).
//
// Each case: random q, k, v, i, f and dh in the entry's input type (bf16 or
// f32); with states also random f32
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
// ||(k_t . dk_t)_t||_2 as well (dk from the exact reference); for dm0, formed
// from <dC0, C0> + <dn0, n0> and the max-state cotangent, at least the norm
// over heads of sum |dC0 * C0| + sum |dn0 * n0| (the dot products' terms,
// exact dC0 and dn0). Bound: 2e-2 for
// bf16 inputs, 1e-4 for f32 inputs. Elements still holding the poison (unwritten) and
// computed NaN/Inf fail a case whatever its error. As in mlstm-forward-check,
// where the problem itself is ill-conditioned (extreme gates: the normalizer
// of the forward nearly cancels) a tensor also passes within twice the error
// of the float32 reference gradient (the kernel's chunk size, same inputs,
// same metric); and differences below f32's normal range (sqrt(n) * FLT_MIN: a
// gradient of 1e-60 that f32 states flush to 0) count as 0.
//
// Problem sizes, with and without states, ordinary and extreme (|i|, |f| <=
// 30) gates, by what the float64 reference (CPU, one thread, cost ~ S DQK
// DHV) affords: at 64x128 B*NH in {1, 7, 14}, S up to 4096; at 128x256 and
// 256x512 fewer and shorter; the chunk entries of generated/mlstm_chunks
// (L = 128..512) at S = 4L + 37 (four whole chunks and a partial one), once
// with extreme gates. Its detached entries (denominator_grad = detached,
// NX-AI/mlstm_kernels' gradient) are compared with the detached reference.
//
//   mlstm-backward-check [--seed=N] [--json=PATH] [--only=SUBSTRING]
//                        [--max-s=N] [--repeat=N]
//                        [--gates=all|ordinary|extreme]
//
//===----------------------------------------------------------------------===//

#include "CheckUtil.h"
#include "CudaDriver.h"
#include "LibraryCheck.h"

#include "mlstm/Reference/Reference.h"
#include "mlstm.h"
#include "mlstm_chunks.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstring>
#include <iostream>
#include <limits>
#include <map>
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
  bool bf16;     // input type bf16 (else f32)
  int64_t chunk; // the library's <backward entry>_chunk_size
  Invoke forward, backward;
  // An entry of generated/mlstm_chunks: checked at S = 4 chunk + 37.
  bool chunkSweep = false;
  // The gradient the entry computes (its spec's denominator_grad).
  ref::DenominatorGrad grad = ref::DenominatorGrad::Exact;
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

const ref::Variant kExp = variantOf(ref::InputGate::Exp,
                                    ref::Normalizer::MaxAbs);
const ref::Variant kSig = variantOf(ref::InputGate::Sigmoid,
                                    ref::Normalizer::MaxAbs);
const ref::Variant kSigNoNorm = variantOf(ref::InputGate::Sigmoid,
                                          ref::Normalizer::None);

// {"<fn>_backward", variant, DQK, DHV, bf16, chunk, forward, backward,
//  chunkSweep}; the chunk as the library says it compiled it.
#define MLSTM_ENTRY(fn, kind, var, dqk, dhv, bf16, sweep)                      \
  {#fn "_backward",         var,                                               \
   dqk,                     dhv,                                               \
   bf16,                    fn##_backward_chunk_size,                          \
   MLSTM_##kind##_FWD(fn),  MLSTM_##kind##_BWD(fn##_backward),                 \
   sweep}
#define MLSTM_ENTRIES(dtype, bf16, dqk, dhv)                                   \
  MLSTM_ENTRY(mlstm_exp_##dtype##_d##dqk##x##dhv, EXP, kExp, dqk, dhv, bf16,  \
              false),                                                          \
      MLSTM_ENTRY(mlstm_sig_##dtype##_d##dqk##x##dhv, SIG, kSig, dqk, dhv,     \
                  bf16, false),                                                \
      MLSTM_ENTRY(mlstm_sig_nonorm_##dtype##_d##dqk##x##dhv, SIG_NONORM,       \
                  kSigNoNorm, dqk, dhv, bf16, false)

Entry detachedEntry(Entry entry) {
  entry.grad = ref::DenominatorGrad::Detached;
  return entry;
}

const std::vector<Entry> &entries() {
  static const std::vector<Entry> all = {
      // generated/mlstm (specs/mlstm.mlir).
      MLSTM_ENTRIES(bf16, true, 64, 128),
      MLSTM_ENTRIES(f32, false, 64, 128),
      MLSTM_ENTRIES(bf16, true, 128, 256),
      MLSTM_ENTRIES(f32, false, 128, 256),
      MLSTM_ENTRIES(bf16, true, 256, 512),
      MLSTM_ENTRIES(f32, false, 256, 512),
      // generated/mlstm_chunks (specs/chunks.mlir).
      MLSTM_ENTRY(mlstm_exp_bf16_d128x256_c128, EXP, kExp, 128, 256, true,
                  true),
      MLSTM_ENTRY(mlstm_exp_bf16_d128x256_c256, EXP, kExp, 128, 256, true,
                  true),
      MLSTM_ENTRY(mlstm_exp_bf16_d128x256_c512, EXP, kExp, 128, 256, true,
                  true),
      MLSTM_ENTRY(mlstm_sig_bf16_d128x256_c256, SIG, kSig, 128, 256, true,
                  true),
      MLSTM_ENTRY(mlstm_exp_f32_d64x128_c256, EXP, kExp, 64, 128, false,
                  true),
      // denominator_grad = detached, against the detached reference.
      detachedEntry(MLSTM_ENTRY(mlstm_exp_bf16_d64x128_detached, EXP, kExp, 64,
                                128, true, false)),
      detachedEntry(MLSTM_ENTRY(mlstm_exp_f32_d64x128_detached, EXP, kExp, 64,
                                128, false, false)),
  };
  return all;
}

/// The problems of an entry (see the file comment).
const std::vector<Problem> &problemsOf(const Entry &entry) {
  static const std::vector<Problem> small = {
      {1, 1, 1, false},    {7, 1, 63, false},   {1, 7, 128, false},
      {8, 8, 128, false},  {1, 1, 1000, false}, {1, 1, 4096, false},
      {7, 1, 63, true},    {1, 1, 1000, true},  {1, 7, 128, true}};
  static const std::vector<Problem> medium = {
      {1, 1, 1, false}, {7, 1, 63, false}, {1, 1, 1000, false},
      {1, 2, 128, true}};
  static const std::vector<Problem> large = {
      {1, 1, 1, false}, {3, 1, 63, false}, {1, 1, 300, false},
      {1, 1, 200, true}};
  static std::map<int64_t, std::vector<Problem>> chunked;
  if (entry.chunkSweep) {
    int64_t S = 4 * entry.chunk + 37;
    std::vector<Problem> &ps = chunked[entry.chunk];
    if (ps.empty())
      ps = {{1, 1, 1, false}, {2, 1, S, false}, {1, 1, S, true}};
    return ps;
  }
  int64_t size = entry.dqk * entry.dhv;
  return size <= 64 * 128 ? small : size <= 128 * 256 ? medium : large;
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

/// The reference gradients of one mode.
struct RefGrads {
  std::vector<double> dq, dk, dv, di, df, dC0, dn0, dm0;
  ref::Status status;
};

/// The chunkwise reference gradient (chunk `chunk`) computed in T: double is
/// the yardstick, float what f32 arithmetic achieves on the same problem.
template <typename T>
RefGrads referenceBackward(const ref::Variant &var, int64_t chunk,
                           const ref::Inputs<double> &in,
                           const ref::OutputGrads<double> &og, bool withStates,
                           ref::DenominatorGrad mode) {
  auto cast = [](const double *x, int64_t n) {
    return x ? std::vector<T>(x, x + n) : std::vector<T>();
  };
  auto ptr = [](std::vector<T> &x) { return x.empty() ? nullptr : x.data(); };
  int64_t BH = in.B * in.NH, S = in.S, DQK = in.DQK, DHV = in.DHV;
  std::vector<T> q = cast(in.q, BH * S * DQK), k = cast(in.k, BH * S * DQK),
                 v = cast(in.v, BH * S * DHV), i = cast(in.i, BH * S),
                 f = cast(in.f, BH * S), C0 = cast(in.C0, BH * DQK * DHV),
                 n0 = cast(in.n0, BH * DQK), m0 = cast(in.m0, BH),
                 dh = cast(og.dh, BH * S * DHV),
                 dC = cast(og.dC, BH * DQK * DHV), dn = cast(og.dn, BH * DQK),
                 dm = cast(og.dm, BH);
  ref::Inputs<T> inT{in.B,    in.NH,    S,        DQK,      DHV,
                     q.data(), k.data(), v.data(), i.data(), f.data(),
                     ptr(C0), ptr(n0),  ptr(m0)};
  ref::OutputGrads<T> ogT{dh.data(), ptr(dC), ptr(dn), ptr(dm)};
  std::vector<T> dq(BH * S * DQK), dk(BH * S * DQK), dv(BH * S * DHV),
      di(BH * S), df(BH * S), dC0, dn0, dm0;
  ref::InputGrads<T> g{dq.data(), dk.data(), dv.data(), di.data(), df.data()};
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
  r.status = ref::backwardChunkwise(var, chunk, inT, ogT, g, mode);
  auto widen = [](const std::vector<T> &x) {
    return std::vector<double>(x.begin(), x.end());
  };
  r.dq = widen(dq);
  r.dk = widen(dk);
  r.dv = widen(dv);
  r.di = widen(di);
  r.df = widen(df);
  r.dC0 = widen(dC0);
  r.dn0 = widen(dn0);
  r.dm0 = widen(dm0);
  return r;
}

double msSince(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double, std::milli>(
             std::chrono::steady_clock::now() - start)
      .count();
}

/// Runs one entry on one problem; returns whether it passed.
bool runCase(const Entry &entry, const Problem &p, bool withStates,
             std::mt19937_64 &rng, const Options &options) {
  const double bound = entry.bf16 ? 2e-2 : 1e-4;
  const ref::Variant &var = entry.variant;
  int64_t B = p.B, NH = p.NH, S = p.S, DQK = entry.dqk, DHV = entry.dhv;
  std::normal_distribution<double> normal(0.0, 1.0);
  SequenceInputs seq =
      drawSequenceInputs(p, DQK, DHV, entry.bf16, normal, rng);
  Tensor &q = seq.q, &k = seq.k, &v = seq.v, &i = seq.i, &f = seq.f;
  Tensor dh = makeInput({B, NH, S, DHV}, entry.bf16, normal, rng);
  // The initial states, then the final-state cotangents.
  StateTensors init, cotangents;
  if (withStates) {
    init = drawStates(p, DQK, DHV, var.hasN(), var.hasM(), normal, rng);
    cotangents =
        drawStates(p, DQK, DHV, var.hasN(), var.hasM(), normal, rng);
  }
  Tensor &C0 = init.C, &n0 = init.n, &m0 = init.m;
  Tensor &dC = cotangents.C, &dn = cotangents.n, &dm = cotangents.m;
  Tensor h = makeOutput({B, NH, S, DHV}, entry.bf16);
  Tensor dq = makeOutput({B, NH, S, DQK}, entry.bf16);
  Tensor dk = makeOutput({B, NH, S, DQK}, entry.bf16);
  Tensor dv = makeOutput({B, NH, S, DHV}, entry.bf16);
  Tensor di = makeOutput({B, NH, S}, entry.bf16);
  Tensor df = makeOutput({B, NH, S}, entry.bf16);
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

  // The float64 references (chunkwise, the kernels' chunk) on the same
  // inputs.
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
  // `exact`: the gradient the entry computes (exact by default, or detached).
  RefGrads exact = referenceBackward<double>(var, entry.chunk, in, og, withStates,
                                             entry.grad);
  RefGrads detached = referenceBackward<double>(
      var, entry.chunk, in, og, withStates, ref::DenominatorGrad::Detached);
  RefGrads exact32 = referenceBackward<float>(var, entry.chunk, in, og, withStates,
                                              entry.grad);
  std::vector<double> hRef(h.count());
  ref::Outputs<double> fout{hRef.data()};
  ref::Status fwdRefStatus = ref::forwardChunkwise(var, entry.chunk, in, fout);
  double refMs = msSince(start);

  JsonLine line;
  line.add("check", "mlstm_backward")
      .add("entry", entry.name)
      .add("denominator_grad",
           entry.grad == ref::DenominatorGrad::Exact ? "exact" : "detached")
      .add("chunk", entry.chunk)
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
      if (var.hasM()) {
        // The scale of the dot products dm0 is formed from, per head.
        double terms2 = 0;
        for (int64_t bh = 0; bh < B * NH; ++bh) {
          double sum = 0;
          for (int64_t e = 0; e < DQK * DHV; ++e)
            sum += std::abs(exact.dC0[bh * DQK * DHV + e] *
                            C0.values[bh * DQK * DHV + e]);
          for (int64_t d = 0; d < DQK; ++d)
            sum += std::abs(exact.dn0[bh * DQK + d] * n0.values[bh * DQK + d]);
          terms2 += sum * sum;
        }
        line.add("dm0_terms_norm", std::sqrt(terms2));
        check("dm0", dm0, exact.dm0, detached.dm0, exact32.dm0,
              std::sqrt(terms2));
      }
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
  return runLibraryCheckPerEntry(
      argc, argv, entries(), problemsOf, options,
      [&](const Entry &entry, const Problem &p, bool states,
          std::mt19937_64 &rng) {
        return runCase(entry, p, states, rng, options);
      });
}
