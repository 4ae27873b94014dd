//===- QkRowmaxExp.cpp - check of proof kernel (b) on the GPU -------------===//
//
// Runs qk_rowmax_exp (test/Target/PTX/qk-rowmax-exp.mlir) and compares
//
//   S = Q Kᵀ (Q: 256x64, K: 64x64, bf16)    m[r] = scale · max_c S[r, c]
//   P[r, c] = exp(scale · S[r, c] - m[r])
//
// with float64. This is the per-row math of TFLA's stabilized gate matrix,
// done by the kernel on the wgmma accumulator fragment in registers: a wrong
// fragment layout, shuffle or descriptor shows as a wrong row maximum (P
// entries above 1, or no entry of 1 in a row). P goes through ex2.approx
// (relative error ~2^-22): tolerance 1e-5. With --mode=integer S is exact,
// and so is m (scale is a power of two).
//
//===----------------------------------------------------------------------===//

#include "CheckUtil.h"
#include "CudaDriver.h"

#include <algorithm>
#include <cmath>
#include <cstring>

using namespace mlstm;

namespace {
constexpr int kRows = 256, kKeys = 64, kDim = 64, kTileRows = 64;
constexpr unsigned kThreads = 128, kSharedBytes = 2 * 8192;
constexpr const char *kKernel = "qk_rowmax_exp";
// DQK^-1/2, the mLSTM's q scale for DQK = 64.
constexpr float kScale = 0.125f;

int run(const check::Options &options) {
  cuda::Context context;
  cuda::PtxModule module = cuda::PtxModule::fromFile(options.ptxPath);
  CUfunction kernel = module.function(kKernel);
  cuda::KernelInfo info = cuda::kernelInfo(kernel);

  std::mt19937_64 rng(options.seed);
  std::vector<float> q, k;
  std::vector<uint16_t> qBits = check::randomBf16(kRows * kDim, options.mode, rng, q);
  std::vector<uint16_t> kBits = check::randomBf16(kKeys * kDim, options.mode, rng, k);

  cuda::DeviceBuffer qDev(qBits.size() * 2), kDev(kBits.size() * 2),
      pDev(static_cast<std::size_t>(kRows) * kKeys * 4), mDev(kRows * 4);
  qDev.upload(qBits);
  kDev.upload(kBits);

  // Both operands K-major (head dim innermost): 64-element (128-byte) rows.
  cuda::TiledTensorMapSpec qSpec;
  qSpec.dims = {kDim, kRows};
  qSpec.strideBytes = {kDim * 2};
  qSpec.box = {kDim, kTileRows};
  cuda::TiledTensorMapSpec kSpec;
  kSpec.dims = {kDim, kKeys};
  kSpec.strideBytes = {kDim * 2};
  kSpec.box = {kDim, kKeys};
  cuda::DeviceTensorMap qMap(qDev.ptr(), qSpec), kMap(kDev.ptr(), kSpec);

  cuda::setMaxDynamicSharedMemory(kernel, kSharedBytes);
  cuda::LaunchConfig config;
  config.grid = {kRows / kTileRows, 1, 1};
  config.block = {kThreads, 1, 1};
  config.dynamicSharedBytes = kSharedBytes;

  CUdeviceptr qArg = qMap.ptr(), kArg = kMap.ptr(), pArg = pDev.ptr(),
              mArg = mDev.ptr();
  float scale = kScale;
  std::vector<float> p(static_cast<std::size_t>(kRows) * kKeys), m(kRows);
  std::vector<float> pFirst, mFirst;
  bool repeatable = true;
  for (int r = 0; r < options.repeat; ++r) {
    pDev.fill32(check::kPoison);
    mDev.fill32(check::kPoison);
    cuda::launch(kernel, config, {&qArg, &kArg, &pArg, &mArg, &scale});
    context.synchronize();
    pDev.download(p);
    mDev.download(m);
    if (r == 0) {
      pFirst = p;
      mFirst = m;
    } else if (std::memcmp(pFirst.data(), p.data(), p.size() * 4) != 0 ||
               std::memcmp(mFirst.data(), m.data(), m.size() * 4) != 0) {
      repeatable = false;
    }
  }

  std::vector<double> pRef(p.size()), mRef(kRows);
  for (int r = 0; r < kRows; ++r) {
    std::vector<double> x(kKeys);
    for (int c = 0; c < kKeys; ++c) {
      double s = 0;
      for (int d = 0; d < kDim; ++d)
        s += static_cast<double>(q[r * kDim + d]) * k[c * kDim + d];
      x[c] = static_cast<double>(kScale) * s;
    }
    mRef[r] = *std::max_element(x.begin(), x.end());
    for (int c = 0; c < kKeys; ++c)
      pRef[r * kKeys + c] = std::exp(x[c] - mRef[r]);
  }
  check::ErrorStats pStats = check::compare(pFirst, pRef);
  check::ErrorStats mStats = check::compare(mFirst, mRef);

  const double tolerance = 1e-5;
  const bool exactM = options.mode == "integer";
  const bool pass = pStats.unwritten == 0 && mStats.unwritten == 0 &&
                    repeatable && pStats.relL2 <= tolerance &&
                    (exactM ? mStats.maxAbsErr == 0.0
                            : mStats.relL2 <= tolerance);

  check::JsonLine line;
  line.add("check", kKernel)
      .add("mode", options.mode)
      .add("device", context.deviceName())
      .add("compute_capability", context.computeCapability())
      .add("driver", context.driverVersion())
      .addRaw("shape", "{\"rows\": 256, \"keys\": 64, \"dim\": 64}")
      .add("scale", static_cast<double>(kScale))
      .add("seed", options.seed)
      .add("p_rel_l2", pStats.relL2)
      .add("p_max_abs_err", pStats.maxAbsErr)
      .add("m_rel_l2", mStats.relL2)
      .add("m_max_abs_err", mStats.maxAbsErr)
      .add("tolerance", tolerance)
      .add("unwritten",
           static_cast<uint64_t>(pStats.unwritten + mStats.unwritten))
      .add("launches", options.repeat)
      .add("repeatable", repeatable)
      .add("registers", info.registers)
      .add("local_bytes", info.localBytes)
      .add("static_smem_bytes", info.staticSharedBytes)
      .add("dynamic_smem_bytes", static_cast<int>(kSharedBytes))
      .add("pass", pass);
  check::emit(line, options);
  return pass ? 0 : 1;
}
} // namespace

int main(int argc, char **argv) {
  check::Options options = check::parseOptions(argc, argv, "qk-rowmax-exp");
  try {
    return run(options);
  } catch (const std::exception &e) {
    check::JsonLine line;
    line.add("check", kKernel).add("mode", options.mode)
        .add("seed", options.seed).add("error", e.what()).add("pass", false);
    check::emit(line, options);
    return 1;
  }
}
