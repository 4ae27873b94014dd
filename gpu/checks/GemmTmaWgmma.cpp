//===- GemmTmaWgmma.cpp - check of proof kernel (a) on the GPU ------------===//
//
// Runs gemm_tma_wgmma (test/Target/PTX/gemm-tma-wgmma.mlir, lowered by
// mlstm-opt --mlstm-gpu-to-ptx) and compares
//
//   C[256x256] f32 = A[256x512] bf16 · B[512x256] bf16
//
// with a float64 product of the same bf16 inputs. fp32 accumulation of
// exact bf16 products leaves ~1e-7 relative error (tolerance 1e-5); with
// --mode=integer every partial sum is an integer below 2^24 and the result
// must be exact.
//
//===----------------------------------------------------------------------===//

#include "CheckUtil.h"
#include "CudaDriver.h"

#include <cstring>

using namespace mlstm;

namespace {
// Fixed by the kernel: static shapes, 128x128 tiles, K in steps of 64,
// one warpgroup per CTA, two 32 KiB stages of dynamic shared memory.
constexpr int kM = 256, kN = 256, kK = 512;
constexpr int kTile = 128, kStepK = 64;
constexpr unsigned kThreads = 128, kSharedBytes = 2 * 32768;
constexpr const char *kKernel = "gemm_tma_wgmma";

int run(const check::Options &options) {
  cuda::Context context;
  cuda::PtxModule module = cuda::PtxModule::fromFile(options.ptxPath);
  CUfunction kernel = module.function(kKernel);
  cuda::KernelInfo info = cuda::kernelInfo(kernel);

  std::mt19937_64 rng(options.seed);
  std::vector<float> a, b;
  std::vector<uint16_t> aBits = check::randomBf16(kM * kK, options.mode, rng, a);
  std::vector<uint16_t> bBits = check::randomBf16(kK * kN, options.mode, rng, b);

  cuda::DeviceBuffer aDev(aBits.size() * 2), bDev(bBits.size() * 2),
      cDev(static_cast<std::size_t>(kM) * kN * 4);
  aDev.upload(aBits);
  bDev.upload(bBits);

  // A is M x K with K innermost: boxes of 64 (K, 128 bytes: the 128B
  // swizzle's row) x 128 rows. B is K x N with N innermost: boxes of 64 (N)
  // x 64 (K); the kernel loads two per stage for its 128 columns.
  cuda::TiledTensorMapSpec aSpec;
  aSpec.dims = {kK, kM};
  aSpec.strideBytes = {kK * 2};
  aSpec.box = {kStepK, kTile};
  cuda::TiledTensorMapSpec bSpec;
  bSpec.dims = {kN, kK};
  bSpec.strideBytes = {kN * 2};
  bSpec.box = {64, kStepK};
  cuda::DeviceTensorMap aMap(aDev.ptr(), aSpec), bMap(bDev.ptr(), bSpec);

  cuda::setMaxDynamicSharedMemory(kernel, kSharedBytes);
  cuda::LaunchConfig config;
  config.grid = {kN / kTile, kM / kTile, 1};
  config.block = {kThreads, 1, 1};
  config.dynamicSharedBytes = kSharedBytes;

  CUdeviceptr aArg = aMap.ptr(), bArg = bMap.ptr(), cArg = cDev.ptr();
  std::vector<float> c(static_cast<std::size_t>(kM) * kN), first;
  bool repeatable = true;
  for (int r = 0; r < options.repeat; ++r) {
    cDev.fill32(check::kPoison);
    cuda::launch(kernel, config, {&aArg, &bArg, &cArg});
    context.synchronize();
    cDev.download(c);
    if (r == 0)
      first = c;
    else if (std::memcmp(first.data(), c.data(), c.size() * 4) != 0)
      repeatable = false;
  }

  std::vector<double> ref(static_cast<std::size_t>(kM) * kN, 0.0);
  for (int m = 0; m < kM; ++m)
    for (int k = 0; k < kK; ++k) {
      double av = a[static_cast<std::size_t>(m) * kK + k];
      for (int n = 0; n < kN; ++n)
        ref[static_cast<std::size_t>(m) * kN + n] +=
            av * b[static_cast<std::size_t>(k) * kN + n];
    }
  check::ErrorStats stats = check::compare(first, ref);

  const bool exact = options.mode == "integer";
  const double tolerance = exact ? 0.0 : 1e-5;
  const bool pass = stats.unwritten == 0 && repeatable &&
                    (exact ? stats.maxAbsErr == 0.0
                           : stats.relL2 <= tolerance);

  check::JsonLine line;
  line.add("check", kKernel)
      .add("mode", options.mode)
      .add("device", context.deviceName())
      .add("compute_capability", context.computeCapability())
      .add("driver", context.driverVersion())
      .addRaw("shape", "{\"M\": 256, \"N\": 256, \"K\": 512}")
      .add("seed", options.seed)
      .add("rel_l2", stats.relL2)
      .add("max_abs_err", stats.maxAbsErr)
      .add("tolerance", tolerance)
      .add("unwritten", static_cast<uint64_t>(stats.unwritten))
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
  check::Options options = check::parseOptions(argc, argv, "gemm-tma-wgmma");
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
