//===- CudaDriver.h - the CUDA driver API, checked and owned ----*- C++ -*-===//
//
// What a host program needs to run the PTX that mlstm-opt emits, with
// nothing but the CUDA driver API (no runtime API, no MLIR): a context,
// device buffers, PTX modules loaded lazily per context, TMA descriptors in
// device memory, and a launch. Every driver call is checked; a failure
// throws CudaError naming the call, the CUresult and where it happened.
//
// Used by the GPU checks in gpu/checks; the generated host API will follow
// the same rules (DESIGN.md §4: PTX loaded lazily per context, thread-safe).
//
//===----------------------------------------------------------------------===//

#ifndef MLSTM_GPU_RUNTIME_CUDADRIVER_H
#define MLSTM_GPU_RUNTIME_CUDADRIVER_H

#include <cuda.h>

#include <array>
#include <cstddef>
#include <cstdint>
#include <map>
#include <mutex>
#include <stdexcept>
#include <string>
#include <vector>

namespace mlstm::cuda {

/// A failed driver call.
class CudaError : public std::runtime_error {
public:
  CudaError(CUresult result, const std::string &message)
      : std::runtime_error(message), result_(result) {}
  CUresult result() const { return result_; }

private:
  CUresult result_;
};

/// Throws CudaError unless `result` is CUDA_SUCCESS.
void check(CUresult result, const char *call, const char *file, int line);

} // namespace mlstm::cuda

/// Checks one driver call: MLSTM_CU(cuMemAlloc(&p, n));
#define MLSTM_CU(call) ::mlstm::cuda::check((call), #call, __FILE__, __LINE__)

namespace mlstm::cuda {

/// The primary context of one device, retained and made current on the
/// constructing thread for the object's lifetime.
class Context {
public:
  explicit Context(int ordinal = 0);
  ~Context();
  Context(const Context &) = delete;
  Context &operator=(const Context &) = delete;

  CUcontext get() const { return context_; }
  CUdevice device() const { return device_; }
  std::string deviceName() const;
  /// "major.minor", e.g. "9.0".
  std::string computeCapability() const;
  int driverVersion() const;
  /// Blocks until all work of the context has finished; asynchronous
  /// faults of earlier launches surface here.
  void synchronize() const;

private:
  CUdevice device_ = 0;
  CUcontext context_ = nullptr;
};

/// cuMemAlloc'd bytes (256-byte aligned, enough for TMA and CUtensorMap).
class DeviceBuffer {
public:
  explicit DeviceBuffer(std::size_t bytes);
  ~DeviceBuffer();
  DeviceBuffer(const DeviceBuffer &) = delete;
  DeviceBuffer &operator=(const DeviceBuffer &) = delete;

  CUdeviceptr ptr() const { return ptr_; }
  std::size_t bytes() const { return bytes_; }
  void upload(const void *host, std::size_t bytes);
  void download(void *host, std::size_t bytes) const;
  /// Fills with a 32-bit pattern, e.g. a quiet NaN to poison outputs.
  void fill32(uint32_t pattern);

  template <typename T> void upload(const std::vector<T> &host) {
    upload(host.data(), host.size() * sizeof(T));
  }
  template <typename T> void download(std::vector<T> &host) const {
    download(host.data(), host.size() * sizeof(T));
  }

private:
  CUdeviceptr ptr_ = 0;
  std::size_t bytes_ = 0;
};

/// Resources of a compiled kernel, as the driver's JIT reports them.
struct KernelInfo {
  int registers = 0;
  int localBytes = 0;  // per thread: spills or run-time indexed arrays
  int staticSharedBytes = 0;
  int maxThreadsPerBlock = 0;
};

/// PTX text, JIT-compiled on first use in each CUDA context and cached per
/// context; safe to share between threads. Destroy it before the contexts
/// it was used in.
class PtxModule {
public:
  explicit PtxModule(std::string ptx, std::string name = "<ptx>");
  static PtxModule fromFile(const std::string &path);
  ~PtxModule();
  PtxModule(PtxModule &&other) noexcept;
  PtxModule(const PtxModule &) = delete;
  PtxModule &operator=(const PtxModule &) = delete;

  /// The kernel `name` in the module loaded into the current context.
  CUfunction function(const std::string &name);
  /// The JIT's info log of the load into the current context (registers,
  /// spills; empty before the first function() there).
  std::string jitLog();

private:
  CUmodule moduleForCurrentContext();

  std::string ptx_;
  std::string name_;
  std::mutex mutex_;
  std::map<CUcontext, CUmodule> modules_;
  std::map<CUcontext, std::string> logs_;
};

KernelInfo kernelInfo(CUfunction function);

/// Lets `function` use more than 48 KiB of dynamic shared memory (the
/// default limit; Hopper allows up to 227 KiB per block).
void setMaxDynamicSharedMemory(CUfunction function, int bytes);

/// Grid, block and dynamic shared memory of one launch.
struct LaunchConfig {
  std::array<unsigned, 3> grid{1, 1, 1};
  std::array<unsigned, 3> block{1, 1, 1};
  unsigned dynamicSharedBytes = 0;
  CUstream stream = nullptr;
};

/// Launches `function`; `args` holds one pointer per kernel parameter, to a
/// value of the parameter's size (CUdeviceptr for pointers, float, ...).
void launch(CUfunction function, const LaunchConfig &config,
            std::vector<void *> args);

/// A tiled TMA descriptor (cuTensorMapEncodeTiled). Sizes innermost first;
/// `strideBytes` has rank - 1 entries (the innermost stride is the element).
struct TiledTensorMapSpec {
  CUtensorMapDataType dataType = CU_TENSOR_MAP_DATA_TYPE_BFLOAT16;
  std::vector<uint64_t> dims;
  std::vector<uint64_t> strideBytes;
  std::vector<uint32_t> box;
  CUtensorMapSwizzle swizzle = CU_TENSOR_MAP_SWIZZLE_128B;
  CUtensorMapL2promotion l2Promotion = CU_TENSOR_MAP_L2_PROMOTION_L2_128B;
  /// NONE fills out-of-bounds elements with zeros.
  CUtensorMapFloatOOBfill oobFill = CU_TENSOR_MAP_FLOAT_OOB_FILL_NONE;
};

/// Encodes the descriptor of `spec` over `base` after checking the rules
/// the driver otherwise answers with a bare CUDA_ERROR_INVALID_VALUE.
CUtensorMap encodeTiledTensorMap(CUdeviceptr base,
                                 const TiledTensorMapSpec &spec);

/// A CUtensorMap in device memory. Our kernels take a pointer to one: a
/// plain !llvm.ptr parameter, cast to !nvgpu.tensormap.descriptor inside,
/// which the TMA unit reads from global memory. (CUDA C++ passes the map by
/// value as a __grid_constant__ parameter; in MLIR that would take a 128-byte
/// byval struct argument with the nvvm.grid_constant attribute.)
class DeviceTensorMap {
public:
  DeviceTensorMap(CUdeviceptr base, const TiledTensorMapSpec &spec);
  CUdeviceptr ptr() const { return buffer_.ptr(); }

private:
  DeviceBuffer buffer_;
};

} // namespace mlstm::cuda

#endif // MLSTM_GPU_RUNTIME_CUDADRIVER_H
