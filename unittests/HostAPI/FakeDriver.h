//===- FakeDriver.h - a CUDA driver in host memory, for host API tests ----===//
//
// The host API tests run a generated library with no GPU. The test binary
// defines the driver functions the library calls (it is linked with
// -rdynamic, so its definitions take precedence over libcuda's), and this
// fake implements them in host memory: contexts with unique ids, per-thread
// current contexts, streams, modules "JIT-loaded" by reading the .entry
// parameter lists of the PTX, allocations, copies, and launches that record
// their parameters and run host versions of the sample's kernels. Every call
// is counted, so a test can prove that a bad argument made none.
//
//===----------------------------------------------------------------------===//

#ifndef MLSTM_UNITTESTS_HOSTAPI_FAKEDRIVER_H
#define MLSTM_UNITTESTS_HOSTAPI_FAKEDRIVER_H

#include <cuda.h>

#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <vector>

namespace fake {

/// One cuLaunchKernel: the kernel, its shape, and its parameters' values
/// (each widened to 64 bits) read through the PTX signature.
struct Launch {
  std::string kernel;
  unsigned long long context;
  unsigned grid[3], block[3], sharedBytes;
  std::vector<uint64_t> params;
};

/// Everything the fake driver saw and holds. Guarded by `mutex`.
struct Driver {
  std::mutex mutex;
  int calls = 0;
  std::map<std::string, int> callsByName;
  std::vector<Launch> launches;
  int moduleLoads = 0, moduleUnloads = 0;
  int allocations = 0, frees = 0;
  // Not reset: the library keeps its pools for the process's lifetime.
  int poolsCreated = 0;            // cuMemPoolCreate
  cuuint64_t releaseThreshold = 0; // the last one a pool was given
  size_t liveBytes = 0;
  std::map<std::string, int> sharedLimits; // cuFuncSetAttribute, by kernel
  // Out-of-bounds accesses of the host kernels: a wrong descriptor.
  std::vector<std::string> kernelErrors;
  // Behaviour knobs.
  int computeMajor = 9, computeMinor = 0;
  std::string failCall;               // this driver function fails ...
  CUresult failResult = CUDA_SUCCESS; // ... with this result
  std::string jitLog;                 // written to the JIT error log on failure
  bool runKernels = true;             // run the host versions of the kernels
};

Driver &driver();
/// Forgets all calls and resets the knobs (contexts stay).
void reset();
int calls();
int callsTo(const std::string &name);

/// A context with a fresh unique id; made current on this thread.
CUcontext createContext();
/// Destroys `context` and creates a new one at the same handle value (a new
/// id): what the driver may do when a context is destroyed and another made.
void recycleContext(CUcontext context);
void setCurrent(CUcontext context);
CUcontext current();
CUstream createStream(CUcontext context);
unsigned long long contextId(CUcontext context);

} // namespace fake

#endif // MLSTM_UNITTESTS_HOSTAPI_FAKEDRIVER_H
