//===- CheckUtil.h - shared pieces of the GPU checks ------------*- C++ -*-===//
//
// Each check (one kernel, one executable) follows METHOD.md: fresh random
// inputs every run (the seed is printed, and --seed repeats a run), the
// output poisoned with NaN before each launch so unwritten elements show,
// the result compared with a float64 CPU reference by relative L2 error,
// and repeated launches compared bit for bit (a moving result is a race).
// The verdict is one JSON line on stdout, appended to --json or
// $MLSTM_GPU_RESULTS as well; the exit status is 0 only on a pass.
//
//===----------------------------------------------------------------------===//

#ifndef MLSTM_GPU_CHECKS_CHECKUTIL_H
#define MLSTM_GPU_CHECKS_CHECKUTIL_H

#include <cstdint>
#include <random>
#include <sstream>
#include <string>
#include <vector>

namespace mlstm::check {

/// Command line of a check: --ptx=PATH [--seed=N] [--mode=random|integer]
/// [--repeat=N] [--json=PATH].
struct Options {
  std::string ptxPath;
  uint64_t seed = 0;
  /// random: N(0, 1) rounded to bf16, compared by relative L2 error.
  /// integer: small integers, whose products and sums fp32 holds exactly:
  /// exact results are required where the kernel does no approximation.
  std::string mode = "random";
  int repeat = 3;
  std::string jsonPath;
};

/// Parses argv; exits with a usage message on bad input.
Options parseOptions(int argc, char **argv, const char *checkName);

/// bf16 by round-to-nearest-even, as the device's cvt.rn.bf16.f32.
uint16_t toBf16(float value);
float fromBf16(uint16_t bits);

/// `count` bf16 values drawn for `mode`; `values` gets them as floats.
std::vector<uint16_t> randomBf16(std::size_t count, const std::string &mode,
                                 std::mt19937_64 &rng,
                                 std::vector<float> &values);

/// Quiet NaN: the poison written over outputs before a launch.
constexpr uint32_t kPoison = 0x7fc00000u;

/// How far `out` is from `ref`.
struct ErrorStats {
  double relL2 = 0;     // ||out - ref|| / ||ref|| over written elements
  double maxAbsErr = 0; // max |out - ref|
  std::size_t unwritten = 0; // NaN left in out (poison or computed)
};
ErrorStats compare(const std::vector<float> &out,
                   const std::vector<double> &ref);
ErrorStats compare(const std::vector<double> &out,
                   const std::vector<double> &ref);

/// A flat JSON object, built field by field.
class JsonLine {
public:
  JsonLine &add(const std::string &key, const std::string &value);
  JsonLine &add(const std::string &key, const char *value);
  JsonLine &add(const std::string &key, double value);
  JsonLine &add(const std::string &key, int64_t value);
  JsonLine &add(const std::string &key, int value);
  JsonLine &add(const std::string &key, uint64_t value);
  JsonLine &add(const std::string &key, bool value);
  /// `json` is inserted verbatim (an array or object).
  JsonLine &addRaw(const std::string &key, const std::string &json);
  std::string str() const { return "{" + body_.str() + "}"; }

private:
  void key(const std::string &name);
  std::ostringstream body_;
  bool first_ = true;
};

/// Prints `line` and appends it to `options.jsonPath` (if any).
void emit(const JsonLine &line, const Options &options);

} // namespace mlstm::check

#endif // MLSTM_GPU_CHECKS_CHECKUTIL_H
