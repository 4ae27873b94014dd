//===- mlstm_host_driver.h - the CUDA driver side of a generated library --===//
//
// The last part of the runtime pasted into every generated library: the only
// code that calls the CUDA driver API. It follows gpu/runtime/CudaDriver.cpp
// (proven on the H100): PTX JIT-loaded lazily once per context with the JIT's
// error log kept, every call checked. Differences: errors are statuses, not
// exceptions that reach the user; work goes on the caller's stream in the
// stream's own context; workspaces are stream-ordered (cuMemAllocFromPoolAsync
// / cuMemFreeAsync), so a call never blocks the host.
//
//===----------------------------------------------------------------------===//

#ifndef MLSTM_HOST_DRIVER_H
#define MLSTM_HOST_DRIVER_H

#include <cuda.h>

#include <cstddef>
#include <map>
#include <mutex>

namespace {
namespace mlstm_rt {

inline std::string cudaErrorText(CUresult result) {
  const char *name = nullptr;
  if (cuGetErrorName(result, &name) != CUDA_SUCCESS || !name)
    return "CUresult " + str(result);
  return name;
}

/// Every driver call goes through here: a failure ends the entry point with
/// MLSTM_ERROR_CUDA, the CUresult, and what was being done.
inline void check(CUresult result, const std::string &what) {
  if (result != CUDA_SUCCESS)
    throw Error{MLSTM_ERROR_CUDA, static_cast<int>(result),
                what + " failed: " + cudaErrorText(result)};
}

/// One gpu.binary of the library.
struct Binary {
  const char *name; // the gpu.binary symbol, for messages
  const char *chip; // its #nvvm.target chip, e.g. "sm_90a"
  const char *ptx;
  const unsigned char *cubin; // assembled at build time, or null
  std::size_t cubinSize;
  const char *const *kernels; // the .entry names, as gpu.launch_func uses them
  int numKernels;
};

/// PTX for "sm_90a" runs on compute capability 9.0 only ("a": arch-specific
/// features such as wgmma); plain "sm_80" on 8.0 and newer.
inline void checkDevice(const Binary &binary) {
  int number = 0, major = 0, minor = 0;
  char suffix = 0;
  std::sscanf(binary.chip, "sm_%d%c", &number, &suffix);
  CUdevice device = 0;
  check(cuCtxGetDevice(&device), "cuCtxGetDevice");
  check(cuDeviceGetAttribute(
            &major, CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR, device),
        "cuDeviceGetAttribute");
  check(cuDeviceGetAttribute(
            &minor, CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MINOR, device),
        "cuDeviceGetAttribute");
  int have = major * 10 + minor;
  bool exact = suffix == 'a';
  if (exact ? have != number : have < number)
    fail(MLSTM_ERROR_UNSUPPORTED,
         std::string("the kernels are PTX for ") + binary.chip + ", which " +
             (exact ? "needs" : "needs at least") + " compute capability " +
             str(number / 10) + "." + str(number % 10) + "; this device has " +
             str(major) + "." + str(minor));
}

/// The library's PTX, JIT-loaded on first use in each CUDA context, with the
/// kernels' handles. Contexts are keyed by cuCtxGetId, unique for the
/// process's lifetime: a context that reuses a destroyed one's handle value
/// does not inherit its (dead) modules. Thread-safe: one mutex guards it all.
class ModuleCache {
public:
  ModuleCache(const Binary *binaries, int count)
      : binaries_(binaries), count_(count) {}

  /// The kernel, loaded into `context` (the current one) if needed, allowed
  /// `sharedBytes` of dynamic shared memory.
  CUfunction function(unsigned long long contextId, int binary, int kernel,
                      unsigned sharedBytes) {
    std::lock_guard<std::mutex> lock(mutex_);
    std::vector<Loaded> &loaded = contexts_[contextId];
    if (loaded.empty())
      loaded.resize(count_);
    Loaded &module = loaded[binary];
    const Binary &source = binaries_[binary];
    if (!module.module)
      load(module, source);
    CUfunction &function = module.functions[kernel];
    if (!function)
      check(
          cuModuleGetFunction(&function, module.module, source.kernels[kernel]),
          std::string("cuModuleGetFunction(") + source.kernels[kernel] + ")");
    // Over 48 KiB of dynamic shared memory is opt-in, per function.
    unsigned &limit = module.sharedLimit[kernel];
    if (sharedBytes > 48 * 1024 && sharedBytes > limit) {
      check(cuFuncSetAttribute(function,
                               CU_FUNC_ATTRIBUTE_MAX_DYNAMIC_SHARED_SIZE_BYTES,
                               static_cast<int>(sharedBytes)),
            std::string("cuFuncSetAttribute(") + source.kernels[kernel] +
                ", MAX_DYNAMIC_SHARED_SIZE_BYTES)");
      limit = sharedBytes;
    }
    return function;
  }

  /// The library's workspace pool on `device`, made on first use. It keeps
  /// freed memory (release threshold: unlimited) until trimWorkspaces: the
  /// device's default pool (threshold 0) hands it back to the driver at
  /// every synchronization, and the next call pays for mapping it again
  /// (milliseconds for the gigabytes of boundary states of long sequences).
  CUmemoryPool workspacePool(CUdevice device) {
    std::lock_guard<std::mutex> lock(mutex_);
    CUmemoryPool &pool = pools_[device];
    if (pool)
      return pool;
    CUmemPoolProps props = {};
    props.allocType = CU_MEM_ALLOCATION_TYPE_PINNED;
    props.handleTypes = CU_MEM_HANDLE_TYPE_NONE;
    props.location.type = CU_MEM_LOCATION_TYPE_DEVICE;
    props.location.id = device;
    CUmemoryPool created = nullptr;
    check(cuMemPoolCreate(&created, &props), "cuMemPoolCreate");
    cuuint64_t unlimited = ~cuuint64_t(0);
    CUresult result = cuMemPoolSetAttribute(
        created, CU_MEMPOOL_ATTR_RELEASE_THRESHOLD, &unlimited);
    if (result != CUDA_SUCCESS) {
      cuMemPoolDestroy(created);
      check(result, "cuMemPoolSetAttribute(RELEASE_THRESHOLD)");
    }
    return pool = created;
  }

  /// Returns the unused memory of the workspace pool on `device`.
  void trimWorkspaces(CUdevice device) {
    std::lock_guard<std::mutex> lock(mutex_);
    auto it = pools_.find(device);
    if (it != pools_.end() && it->second)
      check(cuMemPoolTrimTo(it->second, 0), "cuMemPoolTrimTo");
  }

  /// Unloads the modules of the context (the current one) and forgets it.
  void release(unsigned long long contextId) {
    std::lock_guard<std::mutex> lock(mutex_);
    auto it = contexts_.find(contextId);
    if (it == contexts_.end())
      return;
    std::vector<Loaded> modules = std::move(it->second);
    contexts_.erase(it);
    for (Loaded &module : modules)
      if (module.module)
        check(cuModuleUnload(module.module), "cuModuleUnload");
  }

private:
  struct Loaded {
    CUmodule module = nullptr;
    std::vector<CUfunction> functions;
    std::vector<unsigned> sharedLimit;
  };

  void load(Loaded &module, const Binary &binary) {
    checkDevice(binary);
    // The JIT's error log is the only place that says why PTX is rejected.
    std::vector<char> log(8192, '\0');
    CUjit_option options[] = {CU_JIT_ERROR_LOG_BUFFER,
                              CU_JIT_ERROR_LOG_BUFFER_SIZE_BYTES};
    void *values[] = {log.data(), reinterpret_cast<void *>(log.size())};
    // The cubin first (no JIT); the PTX if there is none or the driver
    // refuses it.
    CUresult result = CUDA_ERROR_INVALID_IMAGE;
    if (binary.cubin)
      result =
          cuModuleLoadDataEx(&module.module, binary.cubin, 2, options, values);
    if (result != CUDA_SUCCESS)
      result =
          cuModuleLoadDataEx(&module.module, binary.ptx, 2, options, values);
    if (result != CUDA_SUCCESS) {
      module.module = nullptr;
      throw Error{MLSTM_ERROR_CUDA, static_cast<int>(result),
                  std::string("loading the PTX of @") + binary.name +
                      " failed: " + cudaErrorText(result) + ": " + log.data()};
    }
    module.functions.assign(binary.numKernels, nullptr);
    module.sharedLimit.assign(binary.numKernels, 0);
  }

  const Binary *binaries_;
  int count_;
  std::mutex mutex_;
  std::map<unsigned long long, std::vector<Loaded>> contexts_;
  // Per device, not per context: pool memory serves every context of its
  // device. Kept for the process's lifetime (no driver call at exit).
  std::map<CUdevice, CUmemoryPool> pools_;
};

/// One entry point's driver work on the caller's stream, in the stream's
/// context (made current for the call if it is not, and restored after).
/// Workspaces are freed stream-ordered when the call ends, also on errors.
class Session {
public:
  Session(ModuleCache &cache, CUstream stream)
      : cache_(cache), stream_(stream) {
    CUresult result = cuStreamGetCtx(stream, &context_);
    if (result == CUDA_ERROR_INVALID_CONTEXT ||
        (result == CUDA_SUCCESS && !context_))
      throw Error{MLSTM_ERROR_CUDA, static_cast<int>(result),
                  "no CUDA context: make one current, or pass a stream "
                  "created in one"};
    check(result, "cuStreamGetCtx");
    check(cuCtxGetId(context_, &contextId_), "cuCtxGetId");
    CUcontext current = nullptr;
    check(cuCtxGetCurrent(&current), "cuCtxGetCurrent");
    if (current != context_) {
      check(cuCtxPushCurrent(context_), "cuCtxPushCurrent");
      pushed_ = true;
    }
  }
  ~Session() {
    // Error path only (finish() empties the list): nothing to report to.
    for (CUdeviceptr workspace : workspaces_)
      cuMemFreeAsync(workspace, stream_);
    if (pushed_) {
      CUcontext popped = nullptr;
      cuCtxPopCurrent(&popped);
    }
  }
  Session(const Session &) = delete;
  Session &operator=(const Session &) = delete;

  CUfunction function(int binary, int kernel, const LaunchDims &dims) {
    return cache_.function(contextId_, binary, kernel, dims.sharedBytes);
  }

  /// Allocates `m` if it is a workspace (zeroed for an absent initial
  /// state); user tensors are left alone.
  void alloc(Memref &m) {
    if (!m.workspace || m.bytes == 0)
      return;
    if (!pool_) {
      // The stream's context is current (constructor).
      CUdevice device = 0;
      check(cuCtxGetDevice(&device), "cuCtxGetDevice");
      pool_ = cache_.workspacePool(device);
    }
    CUdeviceptr pointer = 0;
    check(cuMemAllocFromPoolAsync(&pointer, static_cast<size_t>(m.bytes), pool_,
                                  stream_),
          "cuMemAllocFromPoolAsync(" + str(m.bytes) + " bytes)");
    workspaces_.push_back(pointer);
    if (pointer % 256)
      internal("cuMemAllocFromPoolAsync returned a pointer that is not "
               "256-byte aligned");
    m.allocated = m.aligned = pointer;
    if (m.zeroFill)
      check(cuMemsetD8Async(pointer, 0, static_cast<size_t>(m.bytes), stream_),
            "cuMemsetD8Async");
  }

  void launch(CUfunction function, const LaunchDims &dims, Params &params,
              const char *kernel) {
    check(cuLaunchKernel(function, dims.grid[0], dims.grid[1], dims.grid[2],
                         dims.block[0], dims.block[1], dims.block[2],
                         dims.sharedBytes, stream_, params.data(), nullptr),
          std::string("cuLaunchKernel(") + kernel + ")");
  }

  void copy(const CopyPlan &plan, const Memref &src, const Memref &dst) {
    if (!plan.active)
      return;
    CUdeviceptr from = src.aligned + src.offset * src.elementBytes;
    CUdeviceptr to = dst.aligned + dst.offset * dst.elementBytes;
    for (int64_t b = 0; b < plan.batches; ++b) {
      CUdeviceptr s = from + b * plan.srcBatchStride;
      CUdeviceptr d = to + b * plan.dstBatchStride;
      if (plan.rows == 1) {
        check(cuMemcpyDtoDAsync(d, s, static_cast<size_t>(plan.widthBytes),
                                stream_),
              "cuMemcpyDtoDAsync");
        continue;
      }
      CUDA_MEMCPY2D copy = {};
      copy.srcMemoryType = CU_MEMORYTYPE_DEVICE;
      copy.srcDevice = s;
      copy.srcPitch = static_cast<size_t>(plan.srcPitch);
      copy.dstMemoryType = CU_MEMORYTYPE_DEVICE;
      copy.dstDevice = d;
      copy.dstPitch = static_cast<size_t>(plan.dstPitch);
      copy.WidthInBytes = static_cast<size_t>(plan.widthBytes);
      copy.Height = static_cast<size_t>(plan.rows);
      check(cuMemcpy2DAsync(&copy, stream_), "cuMemcpy2DAsync");
    }
  }

  /// Frees the workspaces after the work queued on the stream.
  void finish() {
    std::vector<CUdeviceptr> workspaces = std::move(workspaces_);
    workspaces_.clear();
    CUresult first = CUDA_SUCCESS;
    for (CUdeviceptr workspace : workspaces) {
      CUresult result = cuMemFreeAsync(workspace, stream_);
      if (first == CUDA_SUCCESS)
        first = result;
    }
    check(first, "cuMemFreeAsync");
  }

private:
  ModuleCache &cache_;
  CUstream stream_;
  CUcontext context_ = nullptr;
  unsigned long long contextId_ = 0;
  CUmemoryPool pool_ = nullptr; // on the first workspace
  bool pushed_ = false;
  std::vector<CUdeviceptr> workspaces_;
};

/// <lib>_release_context(): unloads the library's modules from the current
/// context (before destroying it, say) and returns the unused memory of the
/// workspace pool of its device; the next call loads them again.
inline void releaseCurrentContext(ModuleCache &cache) {
  CUcontext context = nullptr;
  check(cuCtxGetCurrent(&context), "cuCtxGetCurrent");
  if (!context)
    return;
  unsigned long long id = 0;
  check(cuCtxGetId(context, &id), "cuCtxGetId");
  cache.release(id);
  CUdevice device = 0;
  check(cuCtxGetDevice(&device), "cuCtxGetDevice");
  cache.trimWorkspaces(device);
}

} // namespace mlstm_rt
} // namespace

#endif // MLSTM_HOST_DRIVER_H
