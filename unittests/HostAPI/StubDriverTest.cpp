//===- StubDriverTest.cpp - the generated library on the real libcuda stub ===//
//
// No fake here: the sample library runs against the CUDA toolkit's libcuda
// stub (this machine has no GPU), whose every function fails with
// CUDA_ERROR_STUB_LIBRARY. A call that reaches the driver therefore reports
// MLSTM_ERROR_CUDA with that result; a bad argument must never get that far.
//
//===----------------------------------------------------------------------===//

#include "SampleProblem.h"

#include <gtest/gtest.h>

namespace {

TEST(StubDriver, ValidArgumentsReachTheDriver) {
  SampleProblem p(2, 3, 10);
  mlstm_status status = p.runExp(nullptr);
  EXPECT_EQ(status.code, MLSTM_ERROR_CUDA) << status.message;
  EXPECT_EQ(status.cuda_result, CUDA_ERROR_STUB_LIBRARY) << status.message;
  EXPECT_TRUE(p.outputsUntouched());
}

TEST(StubDriver, BadArgumentsDoNot) {
  SampleProblem p(2, 3, 10);
  p.k.t.sizes[2] = 11;
  mlstm_status status = p.runExp(nullptr);
  EXPECT_EQ(status.code, MLSTM_ERROR_INVALID_ARGUMENT) << status.message;
  EXPECT_EQ(status.cuda_result, 0);
  EXPECT_STREQ(status.message,
               "sample_exp: k.sizes[2] (S) is 11, but q has S = 10");

  SampleProblem empty(2, 3, 0);
  status = empty.runPlain(nullptr);
  EXPECT_EQ(status.code, MLSTM_ERROR_INVALID_ARGUMENT) << status.message;

  p = SampleProblem(1, 1, 4);
  p.h.t.data = static_cast<char *>(p.h.t.data) + 8;
  status = p.runPlain(nullptr);
  EXPECT_EQ(status.code, MLSTM_ERROR_INVALID_ARGUMENT) << status.message;
  EXPECT_TRUE(p.outputsUntouched());
}

TEST(StubDriver, ReleaseContextReportsTheDriver) {
  mlstm_status status = sample_release_context();
  EXPECT_EQ(status.code, MLSTM_ERROR_CUDA);
  EXPECT_EQ(status.cuda_result, CUDA_ERROR_STUB_LIBRARY);
}

} // namespace
