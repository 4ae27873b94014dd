//===- LaunchTest.cpp - the generated library's driver work ---------------===//
//
// Runs the generated sample library on the fake driver, whose launches run
// host versions of the sample kernels on the parameters the library packed:
// results prove the memref descriptors (pointers, offsets, sizes, strides),
// the scalar arguments, the launch shapes, the zero initial states and the
// final-state copies. Also: one module load per context (thread-safe, keyed
// by context id), the stream's context made current for the call and
// restored, driver failures reported with their CUresult and workspaces
// freed on every path.
//
//===----------------------------------------------------------------------===//

#include "FakeDriver.h"
#include "SampleProblem.h"

#include <gtest/gtest.h>

#include <string>
#include <thread>

namespace {

class LaunchTest : public ::testing::Test {
protected:
  void SetUp() override {
    fake::reset();
    context = fake::createContext();
    stream = fake::createStream(context);
  }
  void TearDown() override {
    fake::Driver &d = fake::driver();
    EXPECT_EQ(d.allocations, d.frees) << "a workspace leaked";
    EXPECT_TRUE(d.kernelErrors.empty()) << d.kernelErrors.front();
  }
  static bool contains(const char *text, const std::string &fragment) {
    return std::string(text).find(fragment) != std::string::npos;
  }

  CUcontext context = nullptr;
  CUstream stream = nullptr;
};

TEST_F(LaunchTest, ComputesOutputsAndFinalStates) {
  SampleProblem p(2, 3, 10);
  mlstm_status status = p.runExp(stream);
  ASSERT_EQ(status.code, MLSTM_SUCCESS) << status.message;
  EXPECT_EQ(p.mismatches(/*states=*/true), 0);

  fake::Driver &d = fake::driver();
  ASSERT_EQ(d.launches.size(), 2u);
  const fake::Launch &states = d.launches[0], &output = d.launches[1];
  EXPECT_EQ(states.kernel, "states");
  EXPECT_EQ(states.grid[0], 6u); // B * NH
  EXPECT_EQ(states.block[0], 32u);
  EXPECT_EQ(states.sharedBytes, 0u);
  EXPECT_EQ(output.kernel, "output");
  EXPECT_EQ(output.grid[0], 3u); // ceil(S / 4) chunks
  EXPECT_EQ(output.grid[1], 6u);
  EXPECT_EQ(output.sharedBytes, 65536u);
  // Over 48 KiB: opted in before the launch.
  EXPECT_EQ(d.sharedLimits["output"], 65536);
  EXPECT_EQ(d.sharedLimits.count("states"), 0u);
  EXPECT_EQ(d.allocations, 3); // boundary states C, n, m
  EXPECT_EQ(d.moduleLoads, 1);
}

TEST_F(LaunchTest, PassesMemrefDescriptors) {
  SampleProblem p(2, 3, 10);
  ASSERT_EQ(p.runExp(stream).code, MLSTM_SUCCESS);
  // @states(C0: memref<?x?x16x32xf32>, ...): allocated, aligned, offset,
  // 4 sizes, 4 strides; the last parameter is the index NC.
  const std::vector<uint64_t> &params = fake::driver().launches[0].params;
  ASSERT_EQ(params.size(), 11u + 9 + 7 + 13 + 11 + 9 + 1);
  uint64_t C0 = reinterpret_cast<uint64_t>(p.C0.t.data);
  std::vector<uint64_t> expected = {C0, C0, 0, 2, 3, 16, 32, 1536, 512, 32, 1};
  EXPECT_EQ(std::vector<uint64_t>(params.begin(), params.begin() + 11),
            expected);
  // The workspace of C: [B, NH, NC + 1, 16, 32], compact.
  std::vector<uint64_t> sizes(params.begin() + 30, params.begin() + 40);
  EXPECT_EQ(sizes,
            (std::vector<uint64_t>{2, 3, 4, 16, 32, 6144, 2048, 512, 32, 1}));
  EXPECT_EQ(params.back(), 3u);
  // @output ends with (index L = 4, i32 S = 10).
  const std::vector<uint64_t> &out = fake::driver().launches[1].params;
  EXPECT_EQ(out[out.size() - 2], 4u);
  EXPECT_EQ(out.back(), 10u);
}

TEST_F(LaunchTest, AbsentInitialStatesAreZeros) {
  SampleProblem p(2, 3, 9);
  mlstm_status status = p.runExp(stream, /*init=*/false);
  ASSERT_EQ(status.code, MLSTM_SUCCESS) << status.message;
  EXPECT_EQ(p.mismatches(/*states=*/true, /*init=*/false), 0);
  EXPECT_EQ(fake::callsTo("cuMemsetD8Async"), 3);
  EXPECT_EQ(fake::driver().allocations, 6);
}

TEST_F(LaunchTest, AbsentFinalStatesAreNotCopied) {
  SampleProblem p(1, 2, 5);
  mlstm_status status = p.runExp(stream, /*init=*/true, /*withFinal=*/false);
  ASSERT_EQ(status.code, MLSTM_SUCCESS) << status.message;
  EXPECT_EQ(p.mismatches(/*states=*/false), 0);
  EXPECT_TRUE(std::isnan(p.C.storage[0]));
  EXPECT_EQ(
      fake::callsTo("cuMemcpy2DAsync") + fake::callsTo("cuMemcpyDtoDAsync"), 0);
}

TEST_F(LaunchTest, EntryPointWithoutStates) {
  SampleProblem p(3, 1, 7);
  mlstm_status status = p.runPlain(stream);
  ASSERT_EQ(status.code, MLSTM_SUCCESS) << status.message;
  EXPECT_EQ(p.mismatches(/*states=*/false), 0);
  EXPECT_EQ(fake::driver().launches.size(), 1u);
  EXPECT_EQ(fake::driver().allocations, 0);
}

TEST_F(LaunchTest, StridedTensors) {
  SampleProblem p(2, 3, 6);
  const int64_t S = 6;
  // Padding between heads and batches; dimension 2 keeps its compiled
  // stride (16 for q, k; 32 for v, h).
  p.q = HostTensor({2, 3, S, 16}, {3 * (S * 16 + 8), S * 16 + 8, 16, 1});
  p.v = HostTensor({2, 3, S, 32}, {3 * S * 32 * 2, S * 32 * 2, 32, 1});
  p.i = HostTensor({2, 3, S}, {1, 2 * (S + 3), 1}); // odd, overlapping: fine
  p.h = HostTensor({2, 3, S, 32}, {3 * (S * 32 + 32), S * 32 + 32, 32, 1});
  for (HostTensor *x : {&p.q, &p.v, &p.i})
    x->fill([](int64_t e) { return static_cast<float>(e % 11); });
  // Final states into padded tensors: 2-D copies with pitch (for m, one
  // per batch: its heads are 1 float apart, its batches 6).
  p.C = HostTensor({2, 3, 16, 32}, {3 * 600, 600, 32, 1});
  p.n = HostTensor({2, 3, 16}, {3 * 20, 20, 1});
  p.m = HostTensor({2, 3}, {6, 1});
  mlstm_status status = p.runExp(stream);
  ASSERT_EQ(status.code, MLSTM_SUCCESS) << status.message;
  EXPECT_EQ(p.mismatches(/*states=*/true), 0);
  EXPECT_EQ(fake::callsTo("cuMemcpy2DAsync"), 1 + 1 + 2);
}

TEST_F(LaunchTest, ModuleLoadedOncePerContext) {
  SampleProblem p(1, 1, 4);
  ASSERT_EQ(p.runExp(stream).code, MLSTM_SUCCESS);
  ASSERT_EQ(p.runExp(stream).code, MLSTM_SUCCESS);
  EXPECT_EQ(fake::driver().moduleLoads, 1);

  CUcontext other = fake::createContext();
  CUstream otherStream = fake::createStream(other);
  ASSERT_EQ(p.runExp(otherStream).code, MLSTM_SUCCESS);
  EXPECT_EQ(fake::driver().moduleLoads, 2);
  EXPECT_EQ(fake::driver().launches.back().context, fake::contextId(other));

  // Released from the current context: loaded again on the next call.
  mlstm_status status = sample_release_context();
  EXPECT_EQ(status.code, MLSTM_SUCCESS) << status.message;
  EXPECT_EQ(fake::driver().moduleUnloads, 1);
  ASSERT_EQ(p.runExp(otherStream).code, MLSTM_SUCCESS);
  EXPECT_EQ(fake::driver().moduleLoads, 3);
}

TEST_F(LaunchTest, RecycledContextHandleLoadsAgain) {
  SampleProblem p(1, 1, 4);
  ASSERT_EQ(p.runExp(stream).code, MLSTM_SUCCESS);
  // Same handle value, new context: its modules are not the old ones (the
  // fake refuses to launch a dead context's functions).
  fake::recycleContext(context);
  mlstm_status status = p.runExp(stream);
  ASSERT_EQ(status.code, MLSTM_SUCCESS) << status.message;
  EXPECT_EQ(fake::driver().moduleLoads, 2);
}

TEST_F(LaunchTest, StreamOfAnotherContext) {
  CUcontext other = fake::createContext();
  CUstream otherStream = fake::createStream(other);
  fake::setCurrent(context);
  SampleProblem p(1, 2, 4);
  mlstm_status status = p.runExp(otherStream);
  ASSERT_EQ(status.code, MLSTM_SUCCESS) << status.message;
  EXPECT_EQ(fake::driver().launches[0].context, fake::contextId(other));
  EXPECT_EQ(fake::current(), context) << "the caller's context changed";
  EXPECT_EQ(fake::callsTo("cuCtxPushCurrent"), 1);
  EXPECT_EQ(fake::callsTo("cuCtxPopCurrent"), 1);
}

TEST_F(LaunchTest, NullStreamUsesTheCurrentContext) {
  SampleProblem p(1, 1, 4);
  ASSERT_EQ(p.runExp(nullptr).code, MLSTM_SUCCESS);
  EXPECT_EQ(fake::driver().launches[0].context, fake::contextId(context));
  EXPECT_EQ(fake::callsTo("cuCtxPushCurrent"), 0);
}

TEST_F(LaunchTest, NoContext) {
  fake::setCurrent(nullptr);
  SampleProblem p(1, 1, 4);
  mlstm_status status = p.runExp(nullptr);
  EXPECT_EQ(status.code, MLSTM_ERROR_CUDA);
  EXPECT_EQ(status.cuda_result, CUDA_ERROR_INVALID_CONTEXT);
  EXPECT_TRUE(contains(status.message, "no CUDA context")) << status.message;
  EXPECT_TRUE(fake::driver().launches.empty());
  EXPECT_TRUE(p.outputsUntouched());
}

TEST_F(LaunchTest, ConcurrentCallsLoadOnce) {
  std::vector<std::thread> threads;
  std::vector<int> codes(8, -1);
  std::vector<int64_t> bad(8, -1);
  for (int t = 0; t < 8; ++t)
    threads.emplace_back([&, t] {
      fake::setCurrent(context);
      SampleProblem p(1 + t % 2, 2, 3 + t);
      codes[t] = p.runExp(stream).code;
      bad[t] = p.mismatches(/*states=*/true);
    });
  for (std::thread &thread : threads)
    thread.join();
  for (int t = 0; t < 8; ++t) {
    EXPECT_EQ(codes[t], MLSTM_SUCCESS) << "thread " << t;
    EXPECT_EQ(bad[t], 0) << "thread " << t;
  }
  EXPECT_EQ(fake::driver().moduleLoads, 1);
}

TEST_F(LaunchTest, WrongDevice) {
  fake::driver().computeMajor = 8;
  SampleProblem p(1, 1, 4);
  mlstm_status status = p.runExp(stream);
  EXPECT_EQ(status.code, MLSTM_ERROR_UNSUPPORTED);
  EXPECT_TRUE(contains(status.message, "the kernels are PTX for sm_90a, which "
                                       "needs compute capability 9.0; this "
                                       "device has 8.0"))
      << status.message;
  EXPECT_TRUE(fake::driver().launches.empty());
  EXPECT_EQ(fake::driver().allocations, 0);
}

TEST_F(LaunchTest, JitFailureReportsTheLog) {
  fake::driver().failCall = "cuModuleLoadDataEx";
  fake::driver().failResult = CUDA_ERROR_INVALID_PTX;
  fake::driver().jitLog = "ptxas fatal: unknown directive";
  SampleProblem p(1, 1, 4);
  mlstm_status status = p.runExp(stream);
  EXPECT_EQ(status.code, MLSTM_ERROR_CUDA);
  EXPECT_EQ(status.cuda_result, CUDA_ERROR_INVALID_PTX);
  EXPECT_TRUE(contains(status.message, "loading the PTX of @sample_kernels "
                                       "failed"))
      << status.message;
  EXPECT_TRUE(contains(status.message, "ptxas fatal: unknown directive"));
  EXPECT_EQ(fake::driver().allocations, 0);
  // Not cached as loaded: the next call tries again.
  fake::driver().failCall.clear();
  EXPECT_EQ(p.runExp(stream).code, MLSTM_SUCCESS);
}

TEST_F(LaunchTest, LaunchFailureFreesWorkspaces) {
  CUcontext other = fake::createContext();
  CUstream otherStream = fake::createStream(other);
  fake::setCurrent(context);
  fake::driver().failCall = "cuLaunchKernel";
  fake::driver().failResult = CUDA_ERROR_LAUNCH_OUT_OF_RESOURCES;
  SampleProblem p(1, 1, 4);
  mlstm_status status = p.runExp(otherStream);
  EXPECT_EQ(status.code, MLSTM_ERROR_CUDA);
  EXPECT_EQ(status.cuda_result, CUDA_ERROR_LAUNCH_OUT_OF_RESOURCES);
  EXPECT_STREQ(status.message,
               "sample_exp: cuLaunchKernel(sample_kernels::states) failed: "
               "FAKE_CUDA_ERROR_701");
  EXPECT_EQ(fake::current(), context) << "the pushed context was not popped";
  // TearDown checks that the workspaces were freed.
  EXPECT_EQ(fake::driver().allocations, 3);
}

TEST_F(LaunchTest, AllocationFailure) {
  fake::driver().failCall = "cuMemAllocFromPoolAsync";
  fake::driver().failResult = CUDA_ERROR_OUT_OF_MEMORY;
  SampleProblem p(1, 1, 4);
  mlstm_status status = p.runExp(stream);
  EXPECT_EQ(status.code, MLSTM_ERROR_CUDA);
  EXPECT_TRUE(contains(status.message, "cuMemAllocFromPoolAsync("))
      << status.message;
  EXPECT_TRUE(fake::driver().launches.empty());
}

// Workspaces come from one pool per device that keeps its memory between
// calls (a threshold-0 pool hands it back at every synchronization);
// release_context returns what is unused.
TEST_F(LaunchTest, WorkspacesComeFromOneCachingPool) {
  SampleProblem p(1, 1, 4);
  ASSERT_EQ(p.runExp(stream).code, MLSTM_SUCCESS);
  CUcontext other = fake::createContext();
  ASSERT_EQ(p.runExp(fake::createStream(other)).code, MLSTM_SUCCESS);
  fake::Driver &d = fake::driver();
  EXPECT_EQ(fake::callsTo("cuMemAllocAsync"), 0);
  EXPECT_EQ(fake::callsTo("cuMemAllocFromPoolAsync"), d.allocations);
  EXPECT_EQ(d.allocations, 6);
  EXPECT_EQ(d.poolsCreated, 1) << "one pool per device, for the process";
  EXPECT_EQ(d.releaseThreshold, ~cuuint64_t(0));
  EXPECT_EQ(fake::callsTo("cuMemPoolTrimTo"), 0);
  ASSERT_EQ(sample_release_context().code, MLSTM_SUCCESS);
  EXPECT_EQ(fake::callsTo("cuMemPoolTrimTo"), 1);
}

} // namespace
