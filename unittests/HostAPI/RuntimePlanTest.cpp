//===- RuntimePlanTest.cpp - the runtime's pure parts, directly -----------===//
//
// The runtime headers that every generated library pastes in, compiled here
// on their own: the host body's checked integer ops, memref descriptors of
// workspaces and subviews, launch-shape limits and the planning of
// final-state copies (the layouts a cuMemcpy2D can and cannot express).
//
//===----------------------------------------------------------------------===//

// In the order a generated source pastes them.
#include "mlstm_host_api_types.h"

#include "mlstm_host_plan.h"

#include "mlstm_host_tensor.h"

#include "mlstm_host_launch.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>

namespace {

using namespace mlstm_rt;

/// The code of the Error `body` throws, or MLSTM_SUCCESS.
template <typename Body> mlstm_status_code codeOf(Body &&body) {
  try {
    body();
  } catch (const Error &e) {
    return e.code;
  }
  return MLSTM_SUCCESS;
}

TEST(RuntimeArithmetic, CeilDivAndOverflow) {
  EXPECT_EQ(ceildivui<int64_t>(0, 4, ""), 0);
  EXPECT_EQ(ceildivui<int64_t>(1, 4, ""), 1);
  EXPECT_EQ(ceildivui<int64_t>(8, 4, ""), 2);
  EXPECT_EQ(ceildivui<int64_t>(INT64_MAX, 2, ""), INT64_MAX / 2 + 1);
  EXPECT_EQ(divui<int64_t>(-1, 2, ""), INT64_MAX); // unsigned: 2^64 - 1
  EXPECT_EQ(codeOf([] { muli<int64_t>(INT64_MAX, 2, "x"); }),
            MLSTM_ERROR_INVALID_ARGUMENT);
  EXPECT_EQ(codeOf([] { addi<int32_t>(INT32_MAX, 1, "x"); }),
            MLSTM_ERROR_INVALID_ARGUMENT);
  EXPECT_EQ(codeOf([] { divui<int64_t>(1, 0, "x"); }), MLSTM_ERROR_INTERNAL);
  EXPECT_EQ(indexCast<int32_t>(int64_t(-5), ""), -5);
  EXPECT_EQ(codeOf([] { indexCast<int32_t>(int64_t(1) << 31, "x"); }),
            MLSTM_ERROR_INVALID_ARGUMENT);
  EXPECT_TRUE(toUnsigned<int64_t>(-1) > toUnsigned<int64_t>(1));
}

TEST(RuntimeMemref, WorkspaceAndSubview) {
  Memref ws = contiguous(4, {2, 3, 5, 16, 32}, "alloc");
  EXPECT_TRUE(ws.workspace);
  EXPECT_EQ(ws.bytes, 2 * 3 * 5 * 16 * 32 * 4);
  EXPECT_EQ(ws.strides[0], 3 * 5 * 512);
  EXPECT_EQ(ws.strides[2], 512);
  // The final state: chunk 4 of every head, dimension 2 dropped.
  Memref last = subview(ws, {0, 0, 4, 0, 0}, {2, 3, 1, 16, 32}, {1, 1, 1, 1, 1},
                        1u << 2, "subview");
  EXPECT_EQ(last.rank, 4);
  EXPECT_EQ(last.offset, 4 * 512);
  EXPECT_EQ(last.sizes[1], 3);
  EXPECT_EQ(last.strides[1], 5 * 512);
  EXPECT_EQ(last.strides[2], 32);
  EXPECT_FALSE(last.workspace);
  EXPECT_EQ(codeOf([&] {
              subview(ws, {0, 0, 5, 0, 0}, {2, 3, 1, 16, 32}, {1, 1, 1, 1, 1},
                      4u, "subview");
            }),
            MLSTM_ERROR_INTERNAL);
}

TEST(RuntimeLaunch, Limits) {
  LaunchDims dims =
      launchDims(2147483647, 65535, 65535, 1024, 1, 1, 227 * 1024, "k");
  EXPECT_EQ(dims.grid[0], 2147483647u);
  EXPECT_EQ(codeOf([] { launchDims(1, 65536, 1, 1, 1, 1, 0, "k"); }),
            MLSTM_ERROR_UNSUPPORTED);
  EXPECT_EQ(codeOf([] { launchDims(1, 1, 1, 1, 1, 1, 228 * 1024, "k"); }),
            MLSTM_ERROR_UNSUPPORTED);
  EXPECT_EQ(codeOf([] { launchDims(0, 1, 1, 1, 1, 1, 0, "k"); }),
            MLSTM_ERROR_INTERNAL);
  EXPECT_EQ(codeOf([] { launchDims(1, 1, 1, 64, 32, 1, 0, "k"); }),
            MLSTM_ERROR_INTERNAL); // 2048 threads
}

/// A view of the boundary-state workspace [B, NH, NC + 1, R, D] at chunk
/// `nc`, as the final state C is returned.
Memref finalState(int64_t B, int64_t NH, int64_t NC1, int64_t R, int64_t D) {
  Memref ws = contiguous(4, {B, NH, NC1, R, D}, "alloc");
  return subview(ws, {0, 0, NC1 - 1, 0, 0}, {B, NH, 1, R, D}, {1, 1, 1, 1, 1},
                 4u, "subview");
}

Memref user(std::initializer_list<int64_t> sizes,
            std::initializer_list<int64_t> strides) {
  Memref m;
  m.elementBytes = 4;
  m.rank = static_cast<int>(sizes.size());
  std::copy(sizes.begin(), sizes.end(), m.sizes);
  std::copy(strides.begin(), strides.end(), m.strides);
  return m;
}

TEST(RuntimeCopy, CompactStateIsOne2DCopy) {
  CopyPlan plan = planCopy(finalState(2, 3, 5, 16, 32),
                           user({2, 3, 16, 32}, {1536, 512, 32, 1}), "C");
  EXPECT_TRUE(plan.active);
  EXPECT_EQ(plan.widthBytes, 512 * 4); // one head's state
  EXPECT_EQ(plan.rows, 6);             // B * NH, merged
  EXPECT_EQ(plan.srcPitch, 5 * 512 * 4);
  EXPECT_EQ(plan.dstPitch, 512 * 4);
  EXPECT_EQ(plan.batches, 1);
}

TEST(RuntimeCopy, TransposedOutputIsBatchesOf2DCopies) {
  // m_out as [B, NH] with strides {1, B}: column-major.
  Memref ws = contiguous(4, {2, 3, 5}, "alloc");
  Memref m = subview(ws, {0, 0, 4}, {2, 3, 1}, {1, 1, 1}, 4u, "subview");
  CopyPlan plan = planCopy(m, user({2, 3}, {1, 2}), "m");
  EXPECT_EQ(plan.widthBytes, 4);
  EXPECT_EQ(plan.rows, 3);
  EXPECT_EQ(plan.srcPitch, 5 * 4);
  EXPECT_EQ(plan.dstPitch, 2 * 4);
  EXPECT_EQ(plan.batches, 2);
  EXPECT_EQ(plan.srcBatchStride, 15 * 4);
  EXPECT_EQ(plan.dstBatchStride, 4);
}

TEST(RuntimeCopy, HugePitchFallsBackToRowCopies) {
  // Heads 2^31 bytes apart in the source: too far for cuMemcpy2D.
  CopyPlan plan = planCopy(finalState(1, 4, 1 << 20, 16, 32),
                           user({1, 4, 16, 32}, {2048, 512, 32, 1}), "C");
  EXPECT_EQ(plan.rows, 1);
  EXPECT_EQ(plan.batches, 4);
  EXPECT_EQ(plan.srcBatchStride, int64_t(1 << 20) * 512 * 4);
}

TEST(RuntimeCopy, LayoutsItCannotExpress) {
  // Rows of each head's state 64 floats apart: still 2-D copies (rows of 32
  // floats), one per head, as long as heads and batches step like one
  // dimension ...
  CopyPlan plan = planCopy(finalState(2, 3, 5, 16, 32),
                           user({2, 3, 16, 32}, {3000, 1000, 64, 1}), "C");
  EXPECT_EQ(plan.rows, 16);
  EXPECT_EQ(plan.batches, 6);
  // ... and not when they do not: three strided dimensions.
  EXPECT_EQ(codeOf([] {
              planCopy(finalState(2, 3, 5, 16, 32),
                       user({2, 3, 16, 32}, {10000, 3000, 64, 1}), "C");
            }),
            MLSTM_ERROR_UNSUPPORTED);
}

TEST(RuntimeTensor, StatusMessageIsTruncatedSafely) {
  std::string longMessage(1000, 'x');
  mlstm_status status = run("entry", [&] { invalid(longMessage); });
  EXPECT_EQ(status.code, MLSTM_ERROR_INVALID_ARGUMENT);
  EXPECT_EQ(std::string(status.message).size(), sizeof(status.message) - 1);
  EXPECT_EQ(std::string(status.message).rfind("entry: xxx", 0), 0u);
}

} // namespace
