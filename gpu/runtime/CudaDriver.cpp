//===- CudaDriver.cpp - the CUDA driver API, checked and owned ------------===//

#include "CudaDriver.h"

#include <fstream>
#include <sstream>
#include <utility>

namespace mlstm::cuda {

void check(CUresult result, const char *call, const char *file, int line) {
  if (result == CUDA_SUCCESS)
    return;
  const char *name = nullptr;
  const char *text = nullptr;
  cuGetErrorName(result, &name);
  cuGetErrorString(result, &text);
  std::ostringstream os;
  os << file << ":" << line << ": " << call << " failed: "
     << (name ? name : "unknown CUresult") << " (" << static_cast<int>(result)
     << "): " << (text ? text : "");
  throw CudaError(result, os.str());
}

//===----------------------------------------------------------------------===//
// Context
//===----------------------------------------------------------------------===//

Context::Context(int ordinal) {
  MLSTM_CU(cuInit(0));
  MLSTM_CU(cuDeviceGet(&device_, ordinal));
  // The primary context is the one the runtime API and PyTorch use: kernels
  // we launch can then share buffers and streams with them.
  MLSTM_CU(cuDevicePrimaryCtxRetain(&context_, device_));
  MLSTM_CU(cuCtxSetCurrent(context_));
}

Context::~Context() {
  // No throwing from a destructor; a failed release changes nothing for the
  // caller, who is done with the device.
  cuCtxSetCurrent(nullptr);
  cuDevicePrimaryCtxRelease(device_);
}

std::string Context::deviceName() const {
  char name[256] = {};
  MLSTM_CU(cuDeviceGetName(name, sizeof(name), device_));
  return name;
}

std::string Context::computeCapability() const {
  int major = 0, minor = 0;
  MLSTM_CU(cuDeviceGetAttribute(
      &major, CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR, device_));
  MLSTM_CU(cuDeviceGetAttribute(
      &minor, CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MINOR, device_));
  return std::to_string(major) + "." + std::to_string(minor);
}

int Context::driverVersion() const {
  int version = 0;
  MLSTM_CU(cuDriverGetVersion(&version));
  return version;
}

void Context::synchronize() const { MLSTM_CU(cuCtxSynchronize()); }

//===----------------------------------------------------------------------===//
// DeviceBuffer
//===----------------------------------------------------------------------===//

DeviceBuffer::DeviceBuffer(std::size_t bytes) : bytes_(bytes) {
  MLSTM_CU(cuMemAlloc(&ptr_, bytes));
}

DeviceBuffer::~DeviceBuffer() {
  if (ptr_)
    cuMemFree(ptr_);
}

void DeviceBuffer::upload(const void *host, std::size_t bytes) {
  if (bytes > bytes_)
    throw std::invalid_argument("upload of " + std::to_string(bytes) +
                                " bytes into a buffer of " +
                                std::to_string(bytes_));
  MLSTM_CU(cuMemcpyHtoD(ptr_, host, bytes));
}

void DeviceBuffer::download(void *host, std::size_t bytes) const {
  if (bytes > bytes_)
    throw std::invalid_argument("download of " + std::to_string(bytes) +
                                " bytes from a buffer of " +
                                std::to_string(bytes_));
  MLSTM_CU(cuMemcpyDtoH(host, ptr_, bytes));
}

void DeviceBuffer::fill32(uint32_t pattern) {
  MLSTM_CU(cuMemsetD32(ptr_, pattern, bytes_ / 4));
}

//===----------------------------------------------------------------------===//
// PtxModule
//===----------------------------------------------------------------------===//

PtxModule::PtxModule(std::string ptx, std::string name)
    : ptx_(std::move(ptx)), name_(std::move(name)) {}

PtxModule PtxModule::fromFile(const std::string &path) {
  std::ifstream in(path, std::ios::binary);
  if (!in)
    throw std::runtime_error("cannot read PTX file '" + path + "'");
  std::ostringstream text;
  text << in.rdbuf();
  return PtxModule(text.str(), path);
}

PtxModule::PtxModule(PtxModule &&other) noexcept
    : ptx_(std::move(other.ptx_)), name_(std::move(other.name_)),
      modules_(std::move(other.modules_)), logs_(std::move(other.logs_)) {
  other.modules_.clear();
}

PtxModule::~PtxModule() {
  // cuModuleUnload acts on the module's own context whatever is current;
  // modules of contexts destroyed in the meantime are gone already, and the
  // call fails harmlessly.
  for (auto &[context, module] : modules_)
    cuModuleUnload(module);
}

CUmodule PtxModule::moduleForCurrentContext() {
  CUcontext context = nullptr;
  MLSTM_CU(cuCtxGetCurrent(&context));
  if (!context)
    throw std::runtime_error("no current CUDA context to load '" + name_ +
                             "' into");
  std::lock_guard<std::mutex> lock(mutex_);
  auto it = modules_.find(context);
  if (it != modules_.end())
    return it->second;

  // Load with the JIT's logs captured: its error log is the only place that
  // says why PTX is rejected, and its info log reports registers/spills.
  std::vector<char> info(1 << 14, '\0'), error(1 << 14, '\0');
  CUjit_option options[] = {CU_JIT_INFO_LOG_BUFFER,
                            CU_JIT_INFO_LOG_BUFFER_SIZE_BYTES,
                            CU_JIT_ERROR_LOG_BUFFER,
                            CU_JIT_ERROR_LOG_BUFFER_SIZE_BYTES,
                            CU_JIT_LOG_VERBOSE};
  void *values[] = {info.data(), reinterpret_cast<void *>(info.size()),
                    error.data(), reinterpret_cast<void *>(error.size()),
                    reinterpret_cast<void *>(1)};
  CUmodule module = nullptr;
  CUresult result = cuModuleLoadDataEx(&module, ptx_.c_str(), 5, options,
                                       values);
  if (result != CUDA_SUCCESS) {
    const char *errorName = nullptr;
    cuGetErrorName(result, &errorName);
    throw CudaError(result, "cuModuleLoadDataEx failed on '" + name_ +
                                "': " + (errorName ? errorName : "?") +
                                "; JIT log:\n" + error.data());
  }
  modules_.emplace(context, module);
  logs_.emplace(context, info.data());
  return module;
}

CUfunction PtxModule::function(const std::string &name) {
  CUmodule module = moduleForCurrentContext();
  CUfunction function = nullptr;
  CUresult result = cuModuleGetFunction(&function, module, name.c_str());
  if (result == CUDA_ERROR_NOT_FOUND)
    throw CudaError(result, "no kernel '" + name + "' in '" + name_ + "'");
  MLSTM_CU(result);
  return function;
}

std::string PtxModule::jitLog() {
  CUcontext context = nullptr;
  MLSTM_CU(cuCtxGetCurrent(&context));
  std::lock_guard<std::mutex> lock(mutex_);
  auto it = logs_.find(context);
  return it == logs_.end() ? std::string() : it->second;
}

//===----------------------------------------------------------------------===//
// Kernels and launches
//===----------------------------------------------------------------------===//

KernelInfo kernelInfo(CUfunction function) {
  KernelInfo info;
  MLSTM_CU(cuFuncGetAttribute(&info.registers, CU_FUNC_ATTRIBUTE_NUM_REGS,
                              function));
  MLSTM_CU(cuFuncGetAttribute(&info.localBytes,
                              CU_FUNC_ATTRIBUTE_LOCAL_SIZE_BYTES, function));
  MLSTM_CU(cuFuncGetAttribute(&info.staticSharedBytes,
                              CU_FUNC_ATTRIBUTE_SHARED_SIZE_BYTES, function));
  MLSTM_CU(cuFuncGetAttribute(&info.maxThreadsPerBlock,
                              CU_FUNC_ATTRIBUTE_MAX_THREADS_PER_BLOCK,
                              function));
  return info;
}

void setMaxDynamicSharedMemory(CUfunction function, int bytes) {
  MLSTM_CU(cuFuncSetAttribute(
      function, CU_FUNC_ATTRIBUTE_MAX_DYNAMIC_SHARED_SIZE_BYTES, bytes));
}

void launch(CUfunction function, const LaunchConfig &config,
            std::vector<void *> args) {
  MLSTM_CU(cuLaunchKernel(function, config.grid[0], config.grid[1],
                          config.grid[2], config.block[0], config.block[1],
                          config.block[2], config.dynamicSharedBytes,
                          config.stream, args.data(), nullptr));
}

//===----------------------------------------------------------------------===//
// TMA descriptors
//===----------------------------------------------------------------------===//

static unsigned elementBytes(CUtensorMapDataType type) {
  switch (type) {
  case CU_TENSOR_MAP_DATA_TYPE_UINT8:
    return 1;
  case CU_TENSOR_MAP_DATA_TYPE_UINT16:
  case CU_TENSOR_MAP_DATA_TYPE_FLOAT16:
  case CU_TENSOR_MAP_DATA_TYPE_BFLOAT16:
    return 2;
  case CU_TENSOR_MAP_DATA_TYPE_FLOAT64:
  case CU_TENSOR_MAP_DATA_TYPE_INT64:
  case CU_TENSOR_MAP_DATA_TYPE_UINT64:
    return 8;
  default:
    return 4;
  }
}

static unsigned swizzleBytes(CUtensorMapSwizzle swizzle) {
  switch (swizzle) {
  case CU_TENSOR_MAP_SWIZZLE_32B:
    return 32;
  case CU_TENSOR_MAP_SWIZZLE_64B:
    return 64;
  case CU_TENSOR_MAP_SWIZZLE_128B:
    return 128;
  default:
    return 0;
  }
}

CUtensorMap encodeTiledTensorMap(CUdeviceptr base,
                                 const TiledTensorMapSpec &spec) {
  const std::size_t rank = spec.dims.size();
  auto fail = [&](const std::string &why) {
    throw std::invalid_argument("tensor map: " + why);
  };
  if (rank < 1 || rank > 5)
    fail("rank must be 1..5");
  if (spec.strideBytes.size() != rank - 1 || spec.box.size() != rank)
    fail("need rank - 1 strides and rank box sizes (innermost first)");
  if (base % 16)
    fail("global address must be 16-byte aligned");
  for (uint64_t stride : spec.strideBytes)
    if (stride % 16)
      fail("strides must be multiples of 16 bytes");
  for (uint32_t box : spec.box)
    if (box < 1 || box > 256)
      fail("box sizes must be 1..256");
  const unsigned rowBytes = spec.box[0] * elementBytes(spec.dataType);
  if (rowBytes % 16)
    fail("the innermost box extent must be a multiple of 16 bytes");
  if (unsigned width = swizzleBytes(spec.swizzle); width && rowBytes > width)
    fail("the innermost box extent (" + std::to_string(rowBytes) +
         " bytes) exceeds the swizzle width (" + std::to_string(width) + ")");

  CUtensorMap map;
  std::vector<cuuint32_t> elementStrides(rank, 1);
  MLSTM_CU(cuTensorMapEncodeTiled(
      &map, spec.dataType, static_cast<cuuint32_t>(rank),
      reinterpret_cast<void *>(base), spec.dims.data(),
      spec.strideBytes.data(), spec.box.data(), elementStrides.data(),
      CU_TENSOR_MAP_INTERLEAVE_NONE, spec.swizzle, spec.l2Promotion,
      spec.oobFill));
  return map;
}

DeviceTensorMap::DeviceTensorMap(CUdeviceptr base,
                                 const TiledTensorMapSpec &spec)
    : buffer_(sizeof(CUtensorMap)) {
  static_assert(sizeof(CUtensorMap) == 128, "CUtensorMap is 128 bytes");
  CUtensorMap map = encodeTiledTensorMap(base, spec);
  buffer_.upload(&map, sizeof(map));
}

} // namespace mlstm::cuda
