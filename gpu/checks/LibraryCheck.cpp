//===- LibraryCheck.cpp - what the generated-library checks share ---------===//

#include "LibraryCheck.h"

#include <algorithm>
#include <chrono>
#include <cstring>

using namespace mlstm::check;

/// bf16 quiet NaN 0x7fc0 (two per word): the poison of bf16 outputs.
static constexpr uint16_t kPoisonBf16 = 0x7fc0u;

int64_t Tensor::count() const {
  int64_t n = 1;
  for (int64_t s : shape)
    n *= s;
  return n;
}

mlstm_tensor Tensor::view() const {
  return mlstm_tensor_contiguous(
      reinterpret_cast<void *>(device->ptr()),
      bf16 ? MLSTM_DTYPE_BF16 : MLSTM_DTYPE_F32,
      static_cast<int64_t>(shape.size()), shape.data());
}

Tensor mlstm::check::makeOutput(std::vector<int64_t> shape, bool bf16) {
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

Downloaded mlstm::check::download(const Tensor &t) {
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

SequenceInputs
mlstm::check::drawSequenceInputs(const Problem &p, int64_t dqk, int64_t dhv,
                                 bool bf16,
                                 std::normal_distribution<double> &normal,
                                 std::mt19937_64 &rng) {
  std::uniform_real_distribution<double> extreme(-30.0, 30.0);
  std::normal_distribution<double> forget(3.0, 1.5);
  int64_t B = p.B, NH = p.NH, S = p.S;
  SequenceInputs in;
  in.q = makeInput({B, NH, S, dqk}, bf16, normal, rng);
  if (p.stress == Stress::EqualKeys) {
    std::vector<double> key(dqk);
    for (double &x : key)
      x = normal(rng);
    int64_t e = 0;
    in.k = makeInput({B, NH, S, dqk}, bf16,
                     [&](std::mt19937_64 &) { return key[e++ % dqk]; }, rng);
  } else {
    in.k = makeInput({B, NH, S, dqk}, bf16, normal, rng);
  }
  in.v = makeInput({B, NH, S, dhv}, bf16, normal, rng);
  switch (p.stress) {
  case Stress::Wide: {
    std::uniform_real_distribution<double> wide(-50.0, 50.0);
    in.i = makeInput({B, NH, S}, bf16, wide, rng);
    in.f = makeInput({B, NH, S}, bf16, wide, rng);
    return in;
  }
  case Stress::Saturating: {
    in.i = makeInput({B, NH, S}, bf16, normal, rng);
    std::uniform_int_distribution<int64_t> runLength(1, 512);
    std::uniform_real_distribution<double> saturated(20.0, 50.0);
    int64_t left = 0;
    double sign = 1;
    in.f = makeInput({B, NH, S}, bf16,
                     [&](std::mt19937_64 &r) {
                       if (left-- == 0) {
                         left = runLength(r) - 1;
                         sign = -sign;
                       }
                       return sign * saturated(r);
                     },
                     rng);
    return in;
  }
  case Stress::ZeroInputRuns: {
    std::uniform_int_distribution<int64_t> closed(100, 2000), open(1, 200);
    int64_t left = 0;
    bool shut = false;
    in.i = makeInput({B, NH, S}, bf16,
                     [&](std::mt19937_64 &r) {
                       if (left-- == 0) {
                         shut = !shut;
                         left = (shut ? closed(r) : open(r)) - 1;
                       }
                       return shut ? -50.0 : normal(r);
                     },
                     rng);
    in.f = makeInput({B, NH, S}, bf16, forget, rng);
    return in;
  }
  default:
    break;
  }
  in.i = p.extreme ? makeInput({B, NH, S}, bf16, extreme, rng)
                   : makeInput({B, NH, S}, bf16, normal, rng);
  in.f = p.extreme ? makeInput({B, NH, S}, bf16, extreme, rng)
                   : makeInput({B, NH, S}, bf16, forget, rng);
  return in;
}

const char *mlstm::check::gatesName(const Problem &p) {
  switch (p.stress) {
  case Stress::None:
    return p.extreme ? "extreme" : "ordinary";
  case Stress::Wide:
    return "wide";
  case Stress::Saturating:
    return "saturating";
  case Stress::ZeroInputRuns:
    return "zero_input_runs";
  case Stress::EqualKeys:
    return "equal_keys";
  case Stress::Long:
    return "long";
  }
  return "?";
}

StateTensors mlstm::check::drawStates(const Problem &p, int64_t dqk,
                                      int64_t dhv, bool hasN, bool hasM,
                                      std::normal_distribution<double> &normal,
                                      std::mt19937_64 &rng) {
  StateTensors s;
  s.C = makeInput({p.B, p.NH, dqk, dhv}, false, normal, rng);
  if (hasN)
    s.n = makeInput({p.B, p.NH, dqk}, false, normal, rng);
  if (hasM)
    s.m = makeInput({p.B, p.NH}, false, normal, rng);
  return s;
}

bool mlstm::check::parseCheckArgs(int argc, char **argv, Options &options,
                                  CaseFilter &filter) {
  options.seed = std::chrono::steady_clock::now().time_since_epoch().count();
  for (int a = 1; a < argc; ++a) {
    std::string arg = argv[a];
    if (arg.rfind("--seed=", 0) == 0)
      options.seed = std::stoull(arg.substr(7));
    else if (arg.rfind("--json=", 0) == 0)
      options.jsonPath = arg.substr(7);
    else if (arg.rfind("--only=", 0) == 0)
      filter.only = arg.substr(7);
    else if (arg.rfind("--max-s=", 0) == 0)
      filter.maxS = std::stoll(arg.substr(8));
    else if (arg.rfind("--max-bnh=", 0) == 0)
      filter.maxHeads = std::stoll(arg.substr(10));
    else if (arg.rfind("--repeat=", 0) == 0)
      filter.repeat = std::max(1, std::stoi(arg.substr(9)));
    else if (arg == "--gates=all" || arg == "--gates=ordinary" ||
             arg == "--gates=extreme" || arg == "--gates=stress")
      filter.gates = arg.substr(8);
    else {
      std::cerr << "usage: " << argv[0]
                << " [--seed=N] [--json=PATH] [--only=SUBSTRING] [--max-s=N]"
                   " [--max-bnh=N] [--repeat=N] [--gates=all|ordinary|extreme|stress]\n";
      return false;
    }
  }
  return true;
}
