//===- FakeDriver.cpp - a CUDA driver in host memory ----------------------===//
//
// The driver functions a generated library calls, defined here so that they
// take precedence over libcuda's (see FakeDriver.h). "Device memory" is host
// memory; a launch reads its parameters through the kernel's PTX parameter
// list and runs the host version of the kernel (FakeKernels.cpp).
//
//===----------------------------------------------------------------------===//

#include "FakeDriver.h"

#include <atomic>
#include <cstdlib>
#include <cstring>
#include <map>
#include <memory>
#include <mutex>
#include <sstream>

// The opaque driver handles, given a body here.
struct CUctx_st {
  unsigned long long id;
};
struct CUstream_st {
  CUcontext context;
};
struct CUfunc_st {
  std::string name;
  std::vector<unsigned> paramBytes;
  int maxSharedBytes = 48 * 1024;
  unsigned long long context;
};
struct CUmod_st {
  unsigned long long context;
  std::map<std::string, CUfunc_st> functions;
};
struct CUmemPoolHandle_st {
  CUdevice device;
  cuuint64_t releaseThreshold = 0;
};

namespace fake {
void runKernel(const Launch &launch); // FakeKernels.cpp
}

namespace {
std::atomic<unsigned long long> nextContextId{1};
thread_local std::vector<CUcontext> contextStack;

/// The driver owns the contexts and streams it hands out, as the real one
/// does: they live until the process exits (the tests never destroy one).
struct Handles {
  std::mutex mutex;
  std::vector<std::unique_ptr<CUctx_st>> contexts;
  std::vector<std::unique_ptr<CUstream_st>> streams;
  // Loaded modules: the library keeps one per context for the process's
  // life, as the real driver frees them only with their context.
  std::map<CUmodule, std::unique_ptr<CUmod_st>> modules;
  // Memory pools: the library keeps its own for the process's life.
  std::map<CUmemoryPool, std::unique_ptr<CUmemPoolHandle_st>> pools;
};
Handles &handles() {
  static Handles h;
  return h;
}

/// Counts the call; returns the injected failure if it is this function.
CUresult enter(const char *name) {
  fake::Driver &d = fake::driver();
  std::lock_guard<std::mutex> lock(d.mutex);
  ++d.calls;
  ++d.callsByName[name];
  return d.failCall == name ? d.failResult : CUDA_SUCCESS;
}
#define FAKE_ENTER(name)                                                       \
  if (CUresult injected = enter(name))                                         \
  return injected

/// The .entry parameter sizes of every kernel in `ptx`.
std::map<std::string, CUfunc_st> parseEntries(const std::string &ptx) {
  std::map<std::string, CUfunc_st> functions;
  size_t pos = 0;
  while ((pos = ptx.find(".entry ", pos)) != std::string::npos) {
    size_t open = ptx.find('(', pos), close = ptx.find(')', open);
    std::string name = ptx.substr(pos + 7, open - pos - 7);
    name.erase(name.find_last_not_of(" \t\n") + 1);
    CUfunc_st function;
    function.name = name;
    std::istringstream params(ptx.substr(open + 1, close - open - 1));
    std::string token;
    while (params >> token)
      if (token == ".u64" || token == ".b64" || token == ".s64")
        function.paramBytes.push_back(8);
      else if (token == ".u32" || token == ".b32" || token == ".s32")
        function.paramBytes.push_back(4);
    functions[name] = function;
    pos = close;
  }
  return functions;
}
} // namespace

namespace fake {
Driver &driver() {
  static Driver d;
  return d;
}
void reset() {
  Driver &d = driver();
  std::lock_guard<std::mutex> lock(d.mutex);
  d.calls = d.moduleLoads = d.moduleUnloads = d.allocations = d.frees = 0;
  d.liveBytes = 0;
  d.callsByName.clear();
  d.launches.clear();
  d.sharedLimits.clear();
  d.kernelErrors.clear();
  d.computeMajor = 9;
  d.computeMinor = 0;
  d.failCall.clear();
  d.failResult = CUDA_SUCCESS;
  d.jitLog.clear();
  d.runKernels = true;
}
int calls() {
  std::lock_guard<std::mutex> lock(driver().mutex);
  return driver().calls;
}
int callsTo(const std::string &name) {
  std::lock_guard<std::mutex> lock(driver().mutex);
  return driver().callsByName[name];
}
CUcontext createContext() {
  Handles &h = handles();
  std::lock_guard<std::mutex> lock(h.mutex);
  CUcontext context =
      h.contexts.emplace_back(new CUctx_st{nextContextId++}).get();
  setCurrent(context);
  return context;
}
void recycleContext(CUcontext context) { context->id = nextContextId++; }
void setCurrent(CUcontext context) {
  if (contextStack.empty())
    contextStack.push_back(context);
  else
    contextStack.back() = context;
}
CUcontext current() {
  return contextStack.empty() ? nullptr : contextStack.back();
}
CUstream createStream(CUcontext context) {
  Handles &h = handles();
  std::lock_guard<std::mutex> lock(h.mutex);
  return h.streams.emplace_back(new CUstream_st{context}).get();
}
unsigned long long contextId(CUcontext context) { return context->id; }
} // namespace fake

extern "C" {

CUresult cuGetErrorName(CUresult error, const char **name) {
  FAKE_ENTER("cuGetErrorName");
  static std::map<int, std::string> names;
  static std::mutex mutex;
  std::lock_guard<std::mutex> lock(mutex);
  std::string &text = names[error];
  text = "FAKE_CUDA_ERROR_" + std::to_string(static_cast<int>(error));
  *name = text.c_str();
  return CUDA_SUCCESS;
}

CUresult cuStreamGetCtx(CUstream stream, CUcontext *context) {
  FAKE_ENTER("cuStreamGetCtx");
  *context = stream ? stream->context : fake::current();
  return *context ? CUDA_SUCCESS : CUDA_ERROR_INVALID_CONTEXT;
}

CUresult cuCtxGetId(CUcontext context, unsigned long long *id) {
  FAKE_ENTER("cuCtxGetId");
  *id = context->id;
  return CUDA_SUCCESS;
}

CUresult cuCtxGetCurrent(CUcontext *context) {
  FAKE_ENTER("cuCtxGetCurrent");
  *context = fake::current();
  return CUDA_SUCCESS;
}

CUresult cuCtxPushCurrent(CUcontext context) {
  FAKE_ENTER("cuCtxPushCurrent");
  contextStack.push_back(context);
  return CUDA_SUCCESS;
}

CUresult cuCtxPopCurrent(CUcontext *context) {
  FAKE_ENTER("cuCtxPopCurrent");
  if (contextStack.empty())
    return CUDA_ERROR_INVALID_CONTEXT;
  *context = contextStack.back();
  contextStack.pop_back();
  return CUDA_SUCCESS;
}

CUresult cuCtxGetDevice(CUdevice *device) {
  FAKE_ENTER("cuCtxGetDevice");
  *device = 0;
  return fake::current() ? CUDA_SUCCESS : CUDA_ERROR_INVALID_CONTEXT;
}

CUresult cuDeviceGetAttribute(int *value, CUdevice_attribute attribute,
                              CUdevice) {
  FAKE_ENTER("cuDeviceGetAttribute");
  fake::Driver &d = fake::driver();
  if (attribute == CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR)
    *value = d.computeMajor;
  else if (attribute == CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MINOR)
    *value = d.computeMinor;
  else
    return CUDA_ERROR_INVALID_VALUE;
  return CUDA_SUCCESS;
}

CUresult cuModuleLoadDataEx(CUmodule *module, const void *image, unsigned count,
                            CUjit_option *options, void **values) {
  fake::Driver &d = fake::driver();
  if (CUresult injected = enter("cuModuleLoadDataEx")) {
    for (unsigned i = 0; i < count; ++i)
      if (options[i] == CU_JIT_ERROR_LOG_BUFFER)
        std::strncpy(static_cast<char *>(values[i]), d.jitLog.c_str(), 100);
    return injected;
  }
  if (!fake::current())
    return CUDA_ERROR_INVALID_CONTEXT;
  std::lock_guard<std::mutex> lock(d.mutex);
  ++d.moduleLoads;
  auto owned = std::make_unique<CUmod_st>(
      CUmod_st{fake::current()->id,
               parseEntries(static_cast<const char *>(image))});
  *module = owned.get();
  Handles &h = handles();
  std::lock_guard<std::mutex> handlesLock(h.mutex);
  h.modules[*module] = std::move(owned);
  return CUDA_SUCCESS;
}

CUresult cuModuleUnload(CUmodule module) {
  FAKE_ENTER("cuModuleUnload");
  std::lock_guard<std::mutex> lock(fake::driver().mutex);
  ++fake::driver().moduleUnloads;
  Handles &h = handles();
  std::lock_guard<std::mutex> handlesLock(h.mutex);
  h.modules.erase(module);
  return CUDA_SUCCESS;
}

CUresult cuModuleGetFunction(CUfunction *function, CUmodule module,
                             const char *name) {
  FAKE_ENTER("cuModuleGetFunction");
  auto it = module->functions.find(name);
  if (it == module->functions.end())
    return CUDA_ERROR_NOT_FOUND;
  it->second.context = module->context;
  *function = &it->second;
  return CUDA_SUCCESS;
}

CUresult cuFuncSetAttribute(CUfunction function, CUfunction_attribute attribute,
                            int value) {
  FAKE_ENTER("cuFuncSetAttribute");
  if (attribute != CU_FUNC_ATTRIBUTE_MAX_DYNAMIC_SHARED_SIZE_BYTES ||
      value > 227 * 1024)
    return CUDA_ERROR_INVALID_VALUE;
  function->maxSharedBytes = value;
  std::lock_guard<std::mutex> lock(fake::driver().mutex);
  fake::driver().sharedLimits[function->name] = value;
  return CUDA_SUCCESS;
}

namespace {
CUresult allocate(CUdeviceptr *pointer, size_t bytes) {
  void *memory = std::aligned_alloc(256, (bytes + 255) / 256 * 256);
  std::memset(memory, 0xAB, bytes); // garbage, as fresh device memory is
  *pointer = reinterpret_cast<CUdeviceptr>(memory);
  std::lock_guard<std::mutex> lock(fake::driver().mutex);
  ++fake::driver().allocations;
  return CUDA_SUCCESS;
}
} // namespace

CUresult cuMemAllocAsync(CUdeviceptr *pointer, size_t bytes, CUstream) {
  FAKE_ENTER("cuMemAllocAsync");
  return allocate(pointer, bytes);
}

CUresult cuMemPoolCreate(CUmemoryPool *pool, const CUmemPoolProps *props) {
  FAKE_ENTER("cuMemPoolCreate");
  if (props->allocType != CU_MEM_ALLOCATION_TYPE_PINNED ||
      props->location.type != CU_MEM_LOCATION_TYPE_DEVICE)
    return CUDA_ERROR_INVALID_VALUE;
  {
    Handles &h = handles();
    std::lock_guard<std::mutex> lock(h.mutex);
    auto owned = std::make_unique<CUmemPoolHandle_st>(
        CUmemPoolHandle_st{props->location.id});
    *pool = owned.get();
    h.pools.emplace(*pool, std::move(owned));
  }
  std::lock_guard<std::mutex> lock(fake::driver().mutex);
  ++fake::driver().poolsCreated;
  return CUDA_SUCCESS;
}

CUresult cuMemPoolDestroy(CUmemoryPool pool) {
  FAKE_ENTER("cuMemPoolDestroy");
  Handles &h = handles();
  std::lock_guard<std::mutex> lock(h.mutex);
  return h.pools.erase(pool) ? CUDA_SUCCESS : CUDA_ERROR_INVALID_VALUE;
}

CUresult cuMemPoolSetAttribute(CUmemoryPool pool, CUmemPool_attribute attribute,
                               void *value) {
  FAKE_ENTER("cuMemPoolSetAttribute");
  if (attribute != CU_MEMPOOL_ATTR_RELEASE_THRESHOLD)
    return CUDA_ERROR_INVALID_VALUE;
  pool->releaseThreshold = *static_cast<cuuint64_t *>(value);
  std::lock_guard<std::mutex> lock(fake::driver().mutex);
  fake::driver().releaseThreshold = pool->releaseThreshold;
  return CUDA_SUCCESS;
}

CUresult cuMemPoolTrimTo(CUmemoryPool, size_t) {
  FAKE_ENTER("cuMemPoolTrimTo");
  return CUDA_SUCCESS;
}

CUresult cuMemAllocFromPoolAsync(CUdeviceptr *pointer, size_t bytes,
                                 CUmemoryPool pool, CUstream) {
  FAKE_ENTER("cuMemAllocFromPoolAsync");
  if (!pool)
    return CUDA_ERROR_INVALID_VALUE;
  return allocate(pointer, bytes);
}

CUresult cuMemFreeAsync(CUdeviceptr pointer, CUstream) {
  FAKE_ENTER("cuMemFreeAsync");
  std::free(reinterpret_cast<void *>(pointer));
  std::lock_guard<std::mutex> lock(fake::driver().mutex);
  ++fake::driver().frees;
  return CUDA_SUCCESS;
}

CUresult cuMemsetD8Async(CUdeviceptr pointer, unsigned char value, size_t count,
                         CUstream) {
  FAKE_ENTER("cuMemsetD8Async");
  std::memset(reinterpret_cast<void *>(pointer), value, count);
  return CUDA_SUCCESS;
}

CUresult cuMemcpyDtoDAsync(CUdeviceptr dst, CUdeviceptr src, size_t bytes,
                           CUstream) {
  FAKE_ENTER("cuMemcpyDtoDAsync");
  std::memcpy(reinterpret_cast<void *>(dst), reinterpret_cast<void *>(src),
              bytes);
  return CUDA_SUCCESS;
}

CUresult cuMemcpy2DAsync(const CUDA_MEMCPY2D *copy, CUstream) {
  FAKE_ENTER("cuMemcpy2DAsync");
  // The real driver's rules: device to device, pitches >= width.
  if (copy->srcMemoryType != CU_MEMORYTYPE_DEVICE ||
      copy->dstMemoryType != CU_MEMORYTYPE_DEVICE ||
      copy->srcPitch < copy->WidthInBytes ||
      copy->dstPitch < copy->WidthInBytes || copy->srcXInBytes || copy->srcY ||
      copy->dstXInBytes || copy->dstY)
    return CUDA_ERROR_INVALID_VALUE;
  for (size_t row = 0; row < copy->Height; ++row)
    std::memcpy(
        reinterpret_cast<char *>(copy->dstDevice) + row * copy->dstPitch,
        reinterpret_cast<const char *>(copy->srcDevice) + row * copy->srcPitch,
        copy->WidthInBytes);
  return CUDA_SUCCESS;
}

CUresult cuLaunchKernel(CUfunction function, unsigned gx, unsigned gy,
                        unsigned gz, unsigned bx, unsigned by, unsigned bz,
                        unsigned sharedBytes, CUstream stream, void **params,
                        void **extra) {
  FAKE_ENTER("cuLaunchKernel");
  CUcontext context = stream ? stream->context : fake::current();
  // What the real driver rejects: a function of another (or a dead)
  // context, too much shared memory, no parameters.
  if (!context || function->context != context->id ||
      fake::current() != context)
    return CUDA_ERROR_INVALID_HANDLE;
  if (static_cast<int>(sharedBytes) > function->maxSharedBytes || extra ||
      (!params && !function->paramBytes.empty()))
    return CUDA_ERROR_INVALID_VALUE;
  fake::Launch launch{function->name, context->id, {gx, gy, gz},
                      {bx, by, bz},   sharedBytes, {}};
  for (size_t i = 0; i < function->paramBytes.size(); ++i) {
    uint64_t value = 0;
    if (function->paramBytes[i] == 8)
      std::memcpy(&value, params[i], 8);
    else
      value = static_cast<uint64_t>(
          static_cast<int64_t>(*static_cast<int32_t *>(params[i])));
    launch.params.push_back(value);
  }
  bool run;
  {
    std::lock_guard<std::mutex> lock(fake::driver().mutex);
    fake::driver().launches.push_back(launch);
    run = fake::driver().runKernels;
  }
  if (run)
    fake::runKernel(launch);
  return CUDA_SUCCESS;
}

} // extern "C"
