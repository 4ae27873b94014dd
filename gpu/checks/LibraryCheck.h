//===- LibraryCheck.h - what the generated-library checks share -*- C++ -*-===//
//
// The checks of generated kernel libraries (mlstm-forward-check,
// mlstm-backward-check) pass tensors through the C API: a host copy of the
// values (as doubles, exactly what the device holds) and the device buffer,
// bf16 or f32; inputs drawn and uploaded, outputs poisoned with NaN before a
// launch. They share their command line and the loop over entry points,
// problems, repetitions and with/without states.
//
//===----------------------------------------------------------------------===//

#ifndef MLSTM_GPU_CHECKS_LIBRARYCHECK_H
#define MLSTM_GPU_CHECKS_LIBRARYCHECK_H

#include "CheckUtil.h"
#include "CudaDriver.h"
#include "mlstm_host_api_types.h"

#include <cstdint>
#include <exception>
#include <iostream>
#include <memory>
#include <limits>
#include <random>
#include <string>
#include <vector>

namespace mlstm::check {

struct Tensor {
  std::vector<int64_t> shape;
  std::vector<double> values; // inputs only
  std::unique_ptr<cuda::DeviceBuffer> device;
  bool bf16 = false;

  int64_t count() const;
  /// The contiguous C-API view of the device buffer.
  mlstm_tensor view() const;
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

/// An output: device memory poisoned with NaN.
Tensor makeOutput(std::vector<int64_t> shape, bool bf16);

/// What came back in an output: the values, and per element whether it
/// still holds the poison's exact bit pattern.
struct Downloaded {
  std::vector<double> values;
  std::vector<bool> poisoned;
};
Downloaded download(const Tensor &t);

/// Input families where the arithmetic is hardest (--gates=stress):
///   Wide           i, f uniform in [-50, 50]
///   Saturating     forget gates in runs (1..512 long) saturating near 1
///                  (f in [20, 50]) or near 0 (f in [-50, -20]); i ~ N(0, 1)
///   ZeroInputRuns  input weights ~0 (i = -50) in runs of 100..2000
///                  positions, ordinary draws between (1..200 long)
///   EqualKeys      one key vector for every position and head
///   Long           ordinary draws (meant for S = 131072)
enum class Stress { None, Wide, Saturating, ZeroInputRuns, EqualKeys, Long };

/// One problem size; `extreme` draws |i|, |f| <= 30. `maxDqk` (0: any)
/// limits a problem to entries of small head dimensions, and `entry` (null:
/// any) to the entries whose name contains it, where the float64 reference
/// of a very long sequence stays affordable.
struct Problem {
  int64_t B, NH, S;
  bool extreme;
  Stress stress = Stress::None;
  int64_t maxDqk = 0;
  const char *entry = nullptr;
};

/// "ordinary", "extreme" or the stress family's name, for reports.
const char *gatesName(const Problem &p);

/// Which cases run: --only=SUBSTRING (of the entry name), --max-s=N,
/// --repeat=N (fresh inputs each time), --gates=all|ordinary|extreme|stress
/// (all: ordinary and extreme; stress problems run only when asked for).
struct CaseFilter {
  std::string only;
  int64_t maxS = std::numeric_limits<int64_t>::max();
  /// Largest B * NH (small grids keep compute-sanitizer sweeps short).
  int64_t maxHeads = std::numeric_limits<int64_t>::max();
  int repeat = 1;
  std::string gates = "all";

  bool allows(const Problem &p) const {
    if (p.S > maxS || p.B * p.NH > maxHeads)
      return false;
    if (p.stress != Stress::None)
      return gates == "stress";
    return gates == "all" || (gates == "ordinary" && !p.extreme) ||
           (gates == "extreme" && p.extreme);
  }
};

/// q, k, v ~ `normal` (N(0, 1)); i ~ `normal` and f ~ N(3, 1.5) (mostly
/// open forget gates), or both uniform in [-30, 30] for an extreme problem;
/// drawn in this order. The caller's `normal` keeps drawing across calls
/// (its cached second value included), so a seed gives the same inputs
/// however the draws are grouped.
struct SequenceInputs {
  Tensor q, k, v, i, f;
};
SequenceInputs drawSequenceInputs(const Problem &p, int64_t dqk, int64_t dhv,
                                  bool bf16,
                                  std::normal_distribution<double> &normal,
                                  std::mt19937_64 &rng);

/// f32 states (or their cotangents) ~ `normal`: C, then n and m where the
/// variant has them (empty tensors otherwise).
struct StateTensors {
  Tensor C, n, m;
};
StateTensors drawStates(const Problem &p, int64_t dqk, int64_t dhv, bool hasN,
                        bool hasM, std::normal_distribution<double> &normal,
                        std::mt19937_64 &rng);

/// Parses --seed, --json and the filter; prints the usage and returns false
/// on anything else. The seed defaults to the clock.
bool parseCheckArgs(int argc, char **argv, Options &options,
                    CaseFilter &filter);

/// The whole check: parses the arguments, opens a context, runs
/// `runCase(entry, problem, withStates, rng)` (true: passed) for every
/// entry and each of its problems `problemsOf(entry)` the filter allows,
/// `repeat` times, without and with states, prints the counts, and returns
/// the exit code (0: all passed).
template <typename EntryT, typename ProblemsOf, typename RunCase>
int runLibraryCheckPerEntry(int argc, char **argv,
                            const std::vector<EntryT> &entries,
                            ProblemsOf problemsOf, Options &options,
                            RunCase runCase) {
  CaseFilter filter;
  if (!parseCheckArgs(argc, argv, options, filter))
    return 2;
  try {
    cuda::Context context;
    std::mt19937_64 rng(options.seed);
    std::cout << "device " << context.deviceName() << ", seed " << options.seed
              << "\n";
    int failures = 0, cases = 0;
    for (const EntryT &entry : entries) {
      if (std::string(entry.name).find(filter.only) == std::string::npos)
        continue;
      for (const Problem &p : problemsOf(entry)) {
        if (!filter.allows(p) || (p.maxDqk && entry.dqk > p.maxDqk) ||
            (p.entry && std::string(entry.name).find(p.entry) ==
                            std::string::npos))
          continue;
        // Each repetition draws fresh inputs from the same generator.
        for (int r = 0; r < filter.repeat; ++r) {
          for (bool states : {false, true}) {
            ++cases;
            if (!runCase(entry, p, states, rng))
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

/// The same problems for every entry.
template <typename EntryT, typename RunCase>
int runLibraryCheck(int argc, char **argv, const std::vector<EntryT> &entries,
                    const std::vector<Problem> &problems, Options &options,
                    RunCase runCase) {
  return runLibraryCheckPerEntry(
      argc, argv, entries,
      [&](const EntryT &) -> const std::vector<Problem> & { return problems; },
      options, runCase);
}

} // namespace mlstm::check

#endif // MLSTM_GPU_CHECKS_LIBRARYCHECK_H
