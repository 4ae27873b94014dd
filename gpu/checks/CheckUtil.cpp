//===- CheckUtil.cpp - shared pieces of the GPU checks --------------------===//

#include "CheckUtil.h"

#include <mutex>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <limits>

namespace mlstm::check {

Options parseOptions(int argc, char **argv, const char *checkName) {
  Options options;
  // Fresh inputs on every run unless a seed is given to repeat one.
  options.seed = (static_cast<uint64_t>(std::random_device{}()) << 32) ^
                 std::random_device{}();
  if (const char *env = std::getenv("MLSTM_GPU_RESULTS"))
    options.jsonPath = env;
  auto usage = [&](const std::string &why) {
    std::cerr << checkName << ": " << why << "\nusage: " << checkName
              << " --ptx=PATH [--seed=N] [--mode=random|integer]"
                 " [--repeat=N] [--json=PATH]\n";
    std::exit(2);
  };
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    auto value = [&](const char *prefix) -> const char * {
      std::size_t n = std::strlen(prefix);
      return arg.compare(0, n, prefix) == 0 ? argv[i] + n : nullptr;
    };
    if (const char *v = value("--ptx="))
      options.ptxPath = v;
    else if (const char *v = value("--seed="))
      options.seed = std::strtoull(v, nullptr, 10);
    else if (const char *v = value("--mode="))
      options.mode = v;
    else if (const char *v = value("--repeat="))
      options.repeat = std::atoi(v);
    else if (const char *v = value("--json="))
      options.jsonPath = v;
    else
      usage("unknown argument '" + arg + "'");
  }
  if (options.ptxPath.empty())
    usage("--ptx is required");
  if (options.mode != "random" && options.mode != "integer")
    usage("--mode must be random or integer");
  if (options.repeat < 1)
    usage("--repeat must be at least 1");
  return options;
}

uint16_t toBf16(float value) {
  uint32_t bits;
  std::memcpy(&bits, &value, 4);
  if ((bits & 0x7fffffffu) > 0x7f800000u) // NaN stays a (quiet) NaN
    return static_cast<uint16_t>((bits >> 16) | 0x40u);
  bits += 0x7fffu + ((bits >> 16) & 1u);
  return static_cast<uint16_t>(bits >> 16);
}

float fromBf16(uint16_t bits) {
  uint32_t wide = static_cast<uint32_t>(bits) << 16;
  float value;
  std::memcpy(&value, &wide, 4);
  return value;
}

std::vector<uint16_t> randomBf16(std::size_t count, const std::string &mode,
                                 std::mt19937_64 &rng,
                                 std::vector<float> &values) {
  std::normal_distribution<float> normal(0.0f, 1.0f);
  std::uniform_int_distribution<int> small(-4, 4);
  std::vector<uint16_t> bits(count);
  values.resize(count);
  for (std::size_t i = 0; i < count; ++i) {
    float x = mode == "integer" ? static_cast<float>(small(rng)) : normal(rng);
    bits[i] = toBf16(x);
    values[i] = fromBf16(bits[i]); // the reference sees what the GPU sees
  }
  return bits;
}

template <typename T>
static ErrorStats compareImpl(const std::vector<T> &out,
                              const std::vector<double> &ref) {
  ErrorStats stats;
  double diff2 = 0, ref2 = 0;
  for (std::size_t i = 0; i < out.size(); ++i) {
    if (std::isnan(out[i])) {
      ++stats.unwritten;
      continue;
    }
    double d = static_cast<double>(out[i]) - ref[i];
    diff2 += d * d;
    ref2 += ref[i] * ref[i];
    stats.maxAbsErr = std::max(stats.maxAbsErr, std::fabs(d));
  }
  stats.relL2 = ref2 > 0 ? std::sqrt(diff2 / ref2) : std::sqrt(diff2);
  if (stats.unwritten)
    stats.relL2 = std::numeric_limits<double>::infinity();
  return stats;
}

ErrorStats compare(const std::vector<float> &out,
                   const std::vector<double> &ref) {
  return compareImpl(out, ref);
}

ErrorStats compare(const std::vector<double> &out,
                   const std::vector<double> &ref) {
  return compareImpl(out, ref);
}

void JsonLine::key(const std::string &name) {
  if (!first_)
    body_ << ", ";
  first_ = false;
  body_ << '"' << name << "\": ";
}

static std::string quoted(const std::string &text) {
  std::string out = "\"";
  for (char c : text) {
    if (c == '"' || c == '\\')
      out += '\\';
    if (static_cast<unsigned char>(c) < 0x20) {
      char buffer[8];
      std::snprintf(buffer, sizeof(buffer), "\\u%04x", c);
      out += buffer;
      continue;
    }
    out += c;
  }
  return out + "\"";
}

JsonLine &JsonLine::add(const std::string &k, const std::string &value) {
  key(k);
  body_ << quoted(value);
  return *this;
}
JsonLine &JsonLine::add(const std::string &k, const char *value) {
  return add(k, std::string(value));
}
JsonLine &JsonLine::add(const std::string &k, double value) {
  key(k);
  // JSON has no inf/nan: report them as strings.
  if (std::isfinite(value))
    body_ << std::setprecision(6) << value;
  else
    body_ << quoted(std::isnan(value) ? "nan" : "inf");
  return *this;
}
JsonLine &JsonLine::add(const std::string &k, int64_t value) {
  key(k);
  body_ << value;
  return *this;
}
JsonLine &JsonLine::add(const std::string &k, int value) {
  return add(k, static_cast<int64_t>(value));
}
JsonLine &JsonLine::add(const std::string &k, uint64_t value) {
  key(k);
  body_ << value;
  return *this;
}
JsonLine &JsonLine::add(const std::string &k, bool value) {
  key(k);
  body_ << (value ? "true" : "false");
  return *this;
}
JsonLine &JsonLine::addRaw(const std::string &k, const std::string &json) {
  key(k);
  body_ << json;
  return *this;
}

void emit(const JsonLine &line, const Options &options) {
  // Checks may run cases from several threads.
  static std::mutex mutex;
  std::lock_guard<std::mutex> lock(mutex);
  std::cout << line.str() << std::endl;
  if (!options.jsonPath.empty()) {
    std::ofstream out(options.jsonPath, std::ios::app);
    out << line.str() << "\n";
  }
}

} // namespace mlstm::check
