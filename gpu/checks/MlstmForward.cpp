//===- MlstmForward.cpp - the generated forward kernels vs float64 --------===//
//
// Calls every entry point of the generated default library (generated/mlstm)
// through its C API on fresh random inputs and compares h and the final
// states with the float64 chunkwise reference (lib/Reference), by relative
// L2 error: <= 1e-2 for bf16 inputs, <= 1e-4 for f32. With extreme gates
// the normalizer can nearly cancel (|q.n| << its terms, while exp(-m) is
// ~1e-13), which amplifies any f32 rounding in the denominator: there an
// entry must be within its bound or within twice the error of the float32
// reference itself (the same chunkwise algorithm with the same chunk size,
// in f32, on the same inputs), whichever is larger. Outputs are poisoned
// with NaN before each call; a NaN left anywhere fails. Problem sizes cover
// B*NH in {1, 7, 64} and S in {1, 63, 128, 1000, 8192}, with and without
// initial / final states, ordinary and extreme (|i|, |f| <= 30) gates.
// --gates=stress runs the stress families instead (LibraryCheck.h: gates in
// [-50, 50], saturating forget gates, long runs of zero input weights,
// all-equal keys, and S = 131072 for the 64x128 entries), under the same
// bounds; a NaN or Inf where the float64 reference is finite fails.
// --threads=N runs every entry from N threads at once instead, each thread
// on its own stream of one shared context (first use of each module
// included), with states, checked as above.
//
//   mlstm-forward-check [--seed=N] [--json=PATH] [--only=SUBSTRING]
//                       [--max-s=N] [--repeat=N]
//                       [--gates=all|ordinary|extreme|stress] [--threads=N]
//
//===----------------------------------------------------------------------===//

#include "CheckUtil.h"
#include "CudaDriver.h"
#include "LibraryCheck.h"

#include "mlstm.h"
#include "mlstm/Reference/Reference.h"
#if __has_include("mlstm_chunks.h")
#include "mlstm_chunks.h"
#define MLSTM_HAVE_CHUNKS 1
#endif
#if __has_include("mlstm_shapes.h")
#include "mlstm_shapes.h"
#define MLSTM_HAVE_SHAPES 1
#endif
#if __has_include("mlstm_family.h")
#include "mlstm_family.h"
#define MLSTM_HAVE_FAMILY 1
#endif

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <cstring>
#include <functional>
#include <future>
#include <memory>
#include <iostream>
#include <random>
#include <thread>

using namespace mlstm;
using namespace mlstm::check;

namespace {

/// The tensors of one call, in the C API's types.
struct Call {
  mlstm_tensor q, k, v, i, f, C0, n0, m0, h, C, n, m;
  const mlstm_tensor *c0p = nullptr, *n0p = nullptr, *m0p = nullptr;
  mlstm_tensor *cOut = nullptr, *nOut = nullptr, *mOut = nullptr;
  CUstream stream = nullptr;
};

using Invoke = mlstm_status (*)(Call &);

struct Entry {
  const char *name;
  ref::Variant variant;
  bool bf16;
  int64_t dqk, dhv;
  Invoke invoke;
  int64_t chunk; // the library's <entry>_chunk_size
};

#define MLSTM_EXP(fn)                                                          \
  [](Call &c) {                                                                \
    return fn(&c.q, &c.k, &c.v, &c.i, &c.f, c.c0p, c.n0p, c.m0p, &c.h, c.cOut, \
              c.nOut, c.mOut, c.stream);                                       \
  }
#define MLSTM_SIG(fn)                                                          \
  [](Call &c) {                                                                \
    return fn(&c.q, &c.k, &c.v, &c.i, &c.f, c.c0p, c.n0p, &c.h, c.cOut,       \
              c.nOut, c.stream);                                               \
  }
#define MLSTM_SIG_NONORM(fn)                                                   \
  [](Call &c) {                                                                \
    return fn(&c.q, &c.k, &c.v, &c.i, &c.f, c.c0p, &c.h, c.cOut, c.stream);   \
  }

#define GLA(fn)                                                                \
  [](Call &c) {                                                                \
    return fn(&c.q, &c.k, &c.v, &c.f, c.c0p, &c.h, c.cOut, c.stream);         \
  }
#define LINEAR_ATTENTION(fn)                                                   \
  [](Call &c) { return fn(&c.q, &c.k, &c.v, c.c0p, &c.h, c.cOut, c.stream); }

ref::Variant variantOf(ref::InputGate gate, ref::Normalizer norm) {
  return ref::Variant(gate, ref::ForgetGate::LogSigmoid, norm);
}

#define MLSTM_DIMS(X, kind, gate, norm, dt, isBf16)                            \
  X(kind, gate, norm, dt, isBf16, 64, 128)                                     \
  X(kind, gate, norm, dt, isBf16, 128, 256)                                    \
  X(kind, gate, norm, dt, isBf16, 256, 512)
#define MLSTM_ENTRY(kind, gate, norm, dt, isBf16, dqk, dhv)                    \
  {#kind "_" #dt "_d" #dqk "x" #dhv,                                           \
   variantOf(ref::InputGate::gate, ref::Normalizer::norm),                     \
   isBf16,                                                                     \
   dqk,                                                                        \
   dhv,                                                                        \
   INVOKE_##kind(kind##_##dt##_d##dqk##x##dhv),                               \
   kind##_##dt##_d##dqk##x##dhv##_chunk_size},
#define INVOKE_mlstm_exp MLSTM_EXP
#define INVOKE_mlstm_sig MLSTM_SIG
#define INVOKE_mlstm_sig_nonorm MLSTM_SIG_NONORM

const std::vector<Entry> &entries() {
  static const std::vector<Entry> all = {
      MLSTM_DIMS(MLSTM_ENTRY, mlstm_exp, Exp, MaxAbs, bf16, true)
      MLSTM_DIMS(MLSTM_ENTRY, mlstm_exp, Exp, MaxAbs, f32, false)
      MLSTM_DIMS(MLSTM_ENTRY, mlstm_sig, Sigmoid, MaxAbs, bf16, true)
      MLSTM_DIMS(MLSTM_ENTRY, mlstm_sig, Sigmoid, MaxAbs, f32, false)
      MLSTM_DIMS(MLSTM_ENTRY, mlstm_sig_nonorm, Sigmoid, None, bf16, true)
      MLSTM_DIMS(MLSTM_ENTRY, mlstm_sig_nonorm, Sigmoid, None, f32, false)
#ifdef MLSTM_HAVE_CHUNKS
      // specs/chunks.mlir: chunks of 128, 256 and 512.
      {"mlstm_exp_bf16_d128x256_c128", variantOf(ref::InputGate::Exp,
       ref::Normalizer::MaxAbs), true, 128, 256,
       MLSTM_EXP(mlstm_exp_bf16_d128x256_c128),
       mlstm_exp_bf16_d128x256_c128_chunk_size},
      {"mlstm_exp_bf16_d128x256_c256", variantOf(ref::InputGate::Exp,
       ref::Normalizer::MaxAbs), true, 128, 256,
       MLSTM_EXP(mlstm_exp_bf16_d128x256_c256),
       mlstm_exp_bf16_d128x256_c256_chunk_size},
      {"mlstm_exp_bf16_d128x256_c512", variantOf(ref::InputGate::Exp,
       ref::Normalizer::MaxAbs), true, 128, 256,
       MLSTM_EXP(mlstm_exp_bf16_d128x256_c512),
       mlstm_exp_bf16_d128x256_c512_chunk_size},
      {"mlstm_sig_bf16_d128x256_c256", variantOf(ref::InputGate::Sigmoid,
       ref::Normalizer::MaxAbs), true, 128, 256,
       MLSTM_SIG(mlstm_sig_bf16_d128x256_c256),
       mlstm_sig_bf16_d128x256_c256_chunk_size},
      {"mlstm_exp_f32_d64x128_c256", variantOf(ref::InputGate::Exp,
       ref::Normalizer::MaxAbs), false, 64, 128,
       MLSTM_EXP(mlstm_exp_f32_d64x128_c256),
       mlstm_exp_f32_d64x128_c256_chunk_size},
#endif
#ifdef MLSTM_HAVE_SHAPES
      // specs/shapes.mlir: head dimensions from 32 to 1024.
      MLSTM_ENTRY(mlstm_exp, Exp, MaxAbs, bf16, true, 32, 64)
      MLSTM_ENTRY(mlstm_exp, Exp, MaxAbs, bf16, true, 32, 32)
      MLSTM_ENTRY(mlstm_exp, Exp, MaxAbs, bf16, true, 96, 160)
      MLSTM_ENTRY(mlstm_exp, Exp, MaxAbs, bf16, true, 64, 256)
      MLSTM_ENTRY(mlstm_exp, Exp, MaxAbs, bf16, true, 512, 1024)
      MLSTM_ENTRY(mlstm_exp, Exp, MaxAbs, bf16, true, 1024, 1024)
      MLSTM_ENTRY(mlstm_exp, Exp, MaxAbs, f32, false, 32, 96)
#endif
#ifdef MLSTM_HAVE_FAMILY
      // specs/family.mlir: scalar-gated and plain linear attention.
      {"gla_bf16_d64x128", variantOf(ref::InputGate::None, ref::Normalizer::None),
       true, 64, 128, GLA(gla_bf16_d64x128), gla_bf16_d64x128_chunk_size},
      {"gla_bf16_d128x256", variantOf(ref::InputGate::None, ref::Normalizer::None),
       true, 128, 256, GLA(gla_bf16_d128x256), gla_bf16_d128x256_chunk_size},
      {"gla_f32_d64x128", variantOf(ref::InputGate::None, ref::Normalizer::None),
       false, 64, 128, GLA(gla_f32_d64x128), gla_f32_d64x128_chunk_size},
      {"linear_attention_bf16_d64x128",
       ref::Variant(ref::InputGate::None, ref::ForgetGate::None,
                    ref::Normalizer::None),
       true, 64, 128, LINEAR_ATTENTION(linear_attention_bf16_d64x128),
       linear_attention_bf16_d64x128_chunk_size},
#endif
  };
  return all;
}

/// The chunkwise reference, one thread per (batch, head): the heads are
/// independent, and the float64 reference of the large cases dominates the
/// check's time.
template <typename T>
ref::Status referenceForward(const ref::Variant &var, int64_t chunk,
                             const ref::Inputs<T> &in,
                             const ref::Outputs<T> &out) {
  const int64_t S = in.S, DQK = in.DQK, DHV = in.DHV;
  auto at = [](auto *p, int64_t offset) { return p ? p + offset : nullptr; };
  std::vector<std::future<ref::Status>> heads;
  for (int64_t bh = 0; bh < in.B * in.NH; ++bh) {
    ref::Inputs<T> one{1, 1, S, DQK, DHV,
                       in.q + bh * S * DQK, in.k + bh * S * DQK,
                       in.v + bh * S * DHV, in.i + bh * S, in.f + bh * S,
                       at(in.C0, bh * DQK * DHV), at(in.n0, bh * DQK),
                       at(in.m0, bh)};
    ref::Outputs<T> oneOut{out.h + bh * S * DHV, at(out.C, bh * DQK * DHV),
                           at(out.n, bh * DQK), at(out.m, bh)};
    heads.push_back(std::async(std::launch::async, [=, &var] {
      return ref::forwardChunkwise(var, chunk, one, oneOut);
    }));
  }
  ref::Status status;
  for (auto &head : heads) {
    ref::Status s = head.get();
    if (!s.ok())
      status = s;
  }
  return status;
}

/// Runs one entry on one problem; returns whether it passed.
bool runCase(const Entry &entry, const Problem &p, bool withStates,
             std::mt19937_64 &rng, const Options &options,
             CUstream stream = nullptr) {
  const ref::Variant &var = entry.variant;
  int64_t B = p.B, NH = p.NH, S = p.S, DQK = entry.dqk, DHV = entry.dhv;
  bool bf16 = entry.bf16;
  std::normal_distribution<double> normal(0.0, 1.0);
  SequenceInputs seq = drawSequenceInputs(p, DQK, DHV, bf16, normal, rng);
  Tensor &q = seq.q, &k = seq.k, &v = seq.v, &i = seq.i, &f = seq.f;
  StateTensors init;
  if (withStates)
    init = drawStates(p, DQK, DHV, var.hasN(), var.hasM(), normal, rng);
  Tensor &C0 = init.C, &n0 = init.n, &m0 = init.m;
  Tensor h = makeOutput({B, NH, S, DHV}, bf16);
  Tensor C = makeOutput({B, NH, DQK, DHV}, false);
  Tensor n = makeOutput({B, NH, DQK}, false);
  Tensor m = makeOutput({B, NH}, false);

  Call call;
  call.stream = stream;
  call.q = q.view();
  call.k = k.view();
  call.v = v.view();
  call.i = i.view();
  call.f = f.view();
  call.h = h.view();
  call.C = C.view();
  call.n = n.view();
  call.m = m.view();
  if (withStates) {
    call.C0 = C0.view();
    call.c0p = &call.C0;
    if (var.hasN()) {
      call.n0 = n0.view();
      call.n0p = &call.n0;
    }
    if (var.hasM()) {
      call.m0 = m0.view();
      call.m0p = &call.m0;
    }
    call.cOut = &call.C;
    call.nOut = var.hasN() ? &call.n : nullptr;
    call.mOut = var.hasM() ? &call.m : nullptr;
  }
  auto start = std::chrono::steady_clock::now();
  mlstm_status status = entry.invoke(call);
  if (stream)
    MLSTM_CU(cuStreamSynchronize(stream));
  else
    MLSTM_CU(cuCtxSynchronize());
  double ms = std::chrono::duration<double, std::milli>(
                  std::chrono::steady_clock::now() - start)
                  .count();

  // The float64 reference (chunkwise: the fast exact form).
  std::vector<double> hRef(h.count()), cRef(C.count()), nRef(n.count()),
      mRef(m.count());
  ref::Inputs<double> in{B, NH, S, DQK, DHV,
                         q.values.data(), k.values.data(), v.values.data(),
                         i.values.data(), f.values.data()};
  if (withStates) {
    in.C0 = C0.values.data();
    in.n0 = var.hasN() ? n0.values.data() : nullptr;
    in.m0 = var.hasM() ? m0.values.data() : nullptr;
  }
  ref::Outputs<double> out{hRef.data(), cRef.data(),
                           var.hasN() ? nRef.data() : nullptr,
                           var.hasM() ? mRef.data() : nullptr};
  ref::Status refStatus = referenceForward(var, 64, in, out);

  double tol = bf16 ? 1e-2 : 1e-4;
  const double stateTol = tol;
  double ref32Error = 0;
  if (p.extreme || p.stress != Stress::None) {
    // How well f32 arithmetic can do on this problem at all.
    auto toF = [](const std::vector<double> &x) {
      return std::vector<float>(x.begin(), x.end());
    };
    std::vector<float> qf = toF(q.values), kf = toF(k.values),
                       vf = toF(v.values), if_ = toF(i.values),
                       ff = toF(f.values), c0f = toF(C0.values),
                       n0f = toF(n0.values), m0f = toF(m0.values);
    std::vector<float> h32(h.count()), c32(C.count()), n32(n.count()),
        m32(m.count());
    ref::Inputs<float> in32{B, NH, S, DQK, DHV, qf.data(), kf.data(),
                            vf.data(), if_.data(), ff.data()};
    if (withStates) {
      in32.C0 = c0f.data();
      in32.n0 = var.hasN() ? n0f.data() : nullptr;
      in32.m0 = var.hasM() ? m0f.data() : nullptr;
    }
    ref::Outputs<float> out32{h32.data(), c32.data(),
                              var.hasN() ? n32.data() : nullptr,
                              var.hasM() ? m32.data() : nullptr};
    // The same chunking as the kernel: long chunks accumulate the log forget
    // gates over more positions, whose f32 rounding the gate weights inherit.
    if (referenceForward(var, entry.chunk, in32, out32).ok())
      ref32Error = compare(h32, hRef).relL2;
    tol = std::max(tol, 2 * ref32Error);
  }
  JsonLine line;
  line.add("check", "mlstm_forward")
      .add("entry", entry.name)
      .add("chunk", entry.chunk)
      .add("B", B)
      .add("NH", NH)
      .add("S", S)
      .add("gates", gatesName(p))
      .add("states", withStates)
      .add("own_stream", stream != nullptr)
      .add("ms_first_call", ms)
      .add("tolerance", tol)
      .add("f32_reference_h_rel_l2", ref32Error);
  bool pass = status.code == MLSTM_SUCCESS && refStatus.ok();
  if (status.code != MLSTM_SUCCESS)
    line.add("error", std::string(status.message));
  if (pass) {
    ErrorStats eh = compare(download(h).values, hRef);
    line.add("h_rel_l2", eh.relL2).add("h_unwritten", (uint64_t)eh.unwritten);
    pass = eh.unwritten == 0 && eh.relL2 <= tol;
    if (withStates) {
      ErrorStats ec = compare(download(C).values, cRef);
      line.add("C_rel_l2", ec.relL2);
      pass = pass && ec.unwritten == 0 && ec.relL2 <= stateTol;
      if (var.hasN()) {
        ErrorStats en = compare(download(n).values, nRef);
        line.add("n_rel_l2", en.relL2);
        pass = pass && en.unwritten == 0 && en.relL2 <= stateTol;
      }
      if (var.hasM()) {
        ErrorStats em = compare(download(m).values, mRef);
        line.add("m_rel_l2", em.relL2);
        pass = pass && em.unwritten == 0 && em.relL2 <= stateTol;
      }
    }
  }
  line.add("pass", pass);
  emit(line, options);
  return pass;
}

/// --threads=N: every entry (the filter's --only applies) from N threads at
/// once, each on its own non-blocking stream of one context.
int runConcurrent(int threads, const CaseFilter &filter,
                  const Options &options) {
  try {
    cuda::Context context;
    std::cout << "device " << context.deviceName() << ", seed "
              << options.seed << ", " << threads << " threads\n";
    std::atomic<int> cases{0}, failures{0};
    std::vector<std::thread> pool;
    for (int t = 0; t < threads; ++t)
      pool.emplace_back([&, t] {
        try {
          MLSTM_CU(cuCtxSetCurrent(context.get()));
          CUstream stream;
          MLSTM_CU(cuStreamCreate(&stream, CU_STREAM_NON_BLOCKING));
          std::mt19937_64 rng(options.seed + t);
          for (const Entry &entry : entries()) {
            if (std::string(entry.name).find(filter.only) == std::string::npos)
              continue;
            for (const Problem &p : {Problem{1, 7, 128, false},
                                     Problem{2, 1, 1000, false}}) {
              ++cases;
              if (!runCase(entry, p, true, rng, options, stream))
                ++failures;
            }
          }
          MLSTM_CU(cuStreamDestroy(stream));
        } catch (const std::exception &e) {
          std::cerr << "thread " << t << ": " << e.what() << "\n";
          ++failures;
        }
      });
    for (std::thread &thread : pool)
      thread.join();
    std::cout << cases - failures << " passed, " << failures << " failed\n";
    return failures == 0 ? 0 : 1;
  } catch (const std::exception &e) {
    std::cerr << "error: " << e.what() << "\n";
    return 1;
  }
}

} // namespace

int main(int argc, char **argv) {
  Options options;
  // --threads=N selects the concurrent run; the rest is the usual command line.
  int threads = 0;
  std::vector<char *> args;
  for (int a = 0; a < argc; ++a) {
    if (std::strncmp(argv[a], "--threads=", 10) == 0)
      threads = std::max(1, std::atoi(argv[a] + 10));
    else
      args.push_back(argv[a]);
  }
  if (threads > 0) {
    CaseFilter filter;
    if (!parseCheckArgs(static_cast<int>(args.size()), args.data(), options,
                        filter))
      return 2;
    return runConcurrent(threads, filter, options);
  }
  const std::vector<Problem> problems = {
      {1, 1, 1, false},   {7, 1, 63, false},   {1, 7, 128, false},
      {8, 8, 128, false}, {1, 1, 1000, false}, {1, 1, 8192, false},
      {7, 1, 63, true},   {1, 1, 1000, true},
      // --gates=stress: every entry at S = 1000 (7 heads); the long
      // sequences on the 64x128 entries, whose float64 reference is cheap.
      {1, 7, 1000, false, Stress::Wide},
      {1, 7, 1000, false, Stress::Saturating},
      {1, 7, 1000, false, Stress::EqualKeys},
      {1, 7, 2000, false, Stress::ZeroInputRuns},
      {1, 1, 8192, false, Stress::Wide, 64},
      {1, 1, 8192, false, Stress::Saturating, 64},
      {1, 1, 8192, false, Stress::ZeroInputRuns, 64},
      {1, 1, 8192, false, Stress::EqualKeys, 64},
      {1, 1, 131072, false, Stress::Long, 64},
      {1, 1, 131072, false, Stress::Wide, 64},
      // One mLSTMexp kernel at a million tokens.
      {1, 1, 1 << 20, false, Stress::Long, 64, "mlstm_exp_bf16_d64x128"}};
  return runLibraryCheck(
      static_cast<int>(args.size()), args.data(), entries(), problems, options,
      [&](const Entry &entry, const Problem &p, bool states,
          std::mt19937_64 &rng) {
        return runCase(entry, p, states, rng, options);
      });
}
