//===- SampleGpuCheck.cpp - the generated sample library on a real GPU ----===//
//
// What the fake-driver tests cannot show: that the PTX MLIR lowered with the
// default memref calling convention and the parameters the generated library
// packs agree on the real driver, that the >48 KiB shared-memory opt-in, the
// stream-ordered workspaces, the zeroed initial states and the 2-D final-state
// copies work on a device, and that the library loads per context. The
// sample kernels' results are exact (small integers in f32), so every element
// is compared. `--quick` runs one case (for compute-sanitizer).
//
//===----------------------------------------------------------------------===//

#include "SampleProblem.h"

#include <cuda.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

namespace {

void check(CUresult result, const char *call) {
  if (result == CUDA_SUCCESS)
    return;
  const char *name = nullptr;
  cuGetErrorName(result, &name);
  std::fprintf(stderr, "%s failed: %s\n", call, name ? name : "?");
  std::exit(2);
}
#define CU(call) check((call), #call)

/// The problem's tensors in device memory (same sizes and strides), and
/// back.
struct DeviceProblem {
  SampleProblem &p;
  std::vector<CUdeviceptr> buffers;

  explicit DeviceProblem(SampleProblem &problem) : p(problem) {
    for (HostTensor *x : all()) {
      CUdeviceptr d = 0;
      CU(cuMemAlloc(&d, x->storage.size() * sizeof(float)));
      CU(cuMemcpyHtoD(d, x->storage.data(), x->storage.size() * sizeof(float)));
      x->t.data = reinterpret_cast<void *>(d);
      buffers.push_back(d);
    }
  }
  ~DeviceProblem() {
    for (CUdeviceptr d : buffers)
      cuMemFree(d);
  }
  void download() {
    for (HostTensor *x : all()) {
      CU(cuMemcpyDtoH(x->storage.data(),
                      reinterpret_cast<CUdeviceptr>(x->t.data),
                      x->storage.size() * sizeof(float)));
      x->t.data = x->storage.data();
    }
  }
  std::vector<HostTensor *> all() {
    return {&p.q,  &p.k,  &p.v, &p.i, &p.f, &p.C0,
            &p.n0, &p.m0, &p.h, &p.C, &p.n, &p.m};
  }
};

int failures = 0;

void expect(bool ok, const std::string &what) {
  std::printf("%s %s\n", ok ? "ok  " : "FAIL", what.c_str());
  failures += !ok;
}

/// Runs sample_exp (or sample_plain) on `p` and compares every element.
void runCase(const std::string &name, SampleProblem p, CUstream stream,
             bool init, bool withFinal, bool plain = false) {
  DeviceProblem device(p);
  mlstm_status status =
      plain ? p.runPlain(stream) : p.runExp(stream, init, withFinal);
  CU(cuStreamSynchronize(stream));
  device.download();
  if (status.code != MLSTM_SUCCESS) {
    expect(false, name + ": " + status.message);
    return;
  }
  bool states = !plain && withFinal;
  int64_t bad = p.mismatches(states, init);
  expect(bad == 0, name + " (" + std::to_string(bad) + " wrong elements)");
}

} // namespace

int main(int argc, char **argv) {
  bool quick = argc > 1 && std::strcmp(argv[1], "--quick") == 0;
  CU(cuInit(0));
  CUdevice device;
  CU(cuDeviceGet(&device, 0));
  CUcontext context;
  CU(cuDevicePrimaryCtxRetain(&context, device));
  CU(cuCtxSetCurrent(context));
  CUstream stream;
  CU(cuStreamCreate(&stream, CU_STREAM_NON_BLOCKING));

  runCase("exp B=2 NH=3 S=10, all states", SampleProblem(2, 3, 10), stream,
          true, true);
  if (!quick) {
    runCase("exp B=1 NH=1 S=1", SampleProblem(1, 1, 1), stream, true, true);
    runCase("exp B=3 NH=5 S=37, no initial states", SampleProblem(3, 5, 37),
            stream, false, true);
    runCase("exp B=4 NH=8 S=1000, no final states", SampleProblem(4, 8, 1000),
            stream, true, false);
    runCase("plain B=2 NH=2 S=9", SampleProblem(2, 2, 9), stream, false, false,
            /*plain=*/true);

    // Strided inputs and padded final-state outputs (2-D copies).
    SampleProblem strided(2, 3, 6);
    strided.q = HostTensor({2, 3, 6, 16}, {3 * 104, 104, 16, 1});
    strided.h = HostTensor({2, 3, 6, 32}, {3 * 224, 224, 32, 1});
    strided.C = HostTensor({2, 3, 16, 32}, {3 * 600, 600, 32, 1});
    strided.m = HostTensor({2, 3}, {8, 1});
    strided.q.fill([](int64_t e) { return static_cast<float>(e % 9) - 4; });
    runCase("exp strided q, h, C_out, m_out", strided, stream, true, true);

    // The null stream of the current context; then the library released from
    // the context and loaded again.
    runCase("exp on the null stream", SampleProblem(1, 2, 5), nullptr, true,
            true);
    mlstm_status released = sample_release_context();
    expect(released.code == MLSTM_SUCCESS,
           std::string("release_context ") + released.message);
    runCase("exp after release_context", SampleProblem(2, 1, 8), stream, true,
            true);

    // A second context: the stream's context is used (and the current one
    // restored).
    CUcontext other;
    CU(cuCtxCreate(&other, nullptr, 0, device));
    CUstream otherStream;
    CU(cuStreamCreate(&otherStream, CU_STREAM_NON_BLOCKING));
    CU(cuCtxSetCurrent(context));
    {
      SampleProblem p(1, 3, 7);
      CU(cuCtxSetCurrent(other));
      DeviceProblem inOther(p); // buffers of the other context
      CU(cuCtxSetCurrent(context));
      mlstm_status status = p.runExp(otherStream);
      CUcontext now = nullptr;
      CU(cuCtxGetCurrent(&now));
      CU(cuCtxSetCurrent(other));
      CU(cuStreamSynchronize(otherStream));
      inOther.download();
      CU(cuCtxSetCurrent(context));
      expect(status.code == MLSTM_SUCCESS && now == context &&
                 p.mismatches(true) == 0,
             std::string("exp on a stream of another context ") +
                 status.message);
    }
    CU(cuCtxSetCurrent(other));
    CU(cuStreamDestroy(otherStream));
    CU(cuCtxDestroy(other));
    CU(cuCtxSetCurrent(context));

    // A bad argument is refused on a GPU too, before anything runs.
    SampleProblem bad(2, 3, 10);
    bad.k.t.sizes[2] = 9;
    mlstm_status status = bad.runExp(stream);
    expect(status.code == MLSTM_ERROR_INVALID_ARGUMENT,
           std::string("bad argument: ") + status.message);
  }

  CU(cuStreamDestroy(stream));
  CU(cuDevicePrimaryCtxRelease(device));
  std::printf("%s: %d failure(s)\n", failures ? "FAILED" : "PASSED", failures);
  return failures ? 1 : 0;
}
