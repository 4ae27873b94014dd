//===- ArgumentTest.cpp - bad arguments never reach the driver ------------===//
//
// DESIGN.md §4: bad arguments return a status with a message; nothing is
// launched and nothing is written. Each test breaks one thing about a valid
// call of the generated sample library and checks the status, the message,
// that the fake driver saw no call at all, and that the outputs still hold
// their poison.
//
//===----------------------------------------------------------------------===//

#include "FakeDriver.h"
#include "SampleProblem.h"

#include <gtest/gtest.h>

#include <string>

namespace {

/// sample_exp's parameters, to break one at a time.
struct Args {
  const mlstm_tensor *q, *k, *v, *i, *f, *C0, *n0, *m0;
  mlstm_tensor *h, *C, *n, *m;

  explicit Args(SampleProblem &p)
      : q(&p.q.t), k(&p.k.t), v(&p.v.t), i(&p.i.t), f(&p.f.t), C0(&p.C0.t),
        n0(&p.n0.t), m0(&p.m0.t), h(&p.h.t), C(&p.C.t), n(&p.n.t), m(&p.m.t) {}
  mlstm_status call(CUstream stream) const {
    return sample_exp(q, k, v, i, f, C0, n0, m0, h, C, n, m, stream);
  }
};

class ArgumentTest : public ::testing::Test {
protected:
  void SetUp() override {
    fake::reset();
    stream = fake::createStream(fake::createContext());
  }

  /// Expects `args` to be rejected before any driver call.
  void expectRejected(const Args &args, const std::string &fragment,
                      mlstm_status_code code = MLSTM_ERROR_INVALID_ARGUMENT) {
    fake::reset();
    mlstm_status status = args.call(stream);
    EXPECT_EQ(status.code, code) << status.message;
    EXPECT_EQ(status.cuda_result, 0);
    EXPECT_NE(std::string(status.message).find(fragment), std::string::npos)
        << "message: " << status.message << "\nexpected: " << fragment;
    EXPECT_EQ(std::string(status.message).rfind("sample_exp: ", 0), 0u)
        << status.message;
    EXPECT_EQ(fake::calls(), 0) << "a driver call was made";
    EXPECT_TRUE(p.outputsUntouched()) << "an output was written";
  }

  SampleProblem p{2, 3, 10};
  CUstream stream = nullptr;
};

TEST_F(ArgumentTest, TheUnbrokenCallSucceeds) {
  mlstm_status status = Args(p).call(stream);
  EXPECT_EQ(status.code, MLSTM_SUCCESS) << status.message;
  EXPECT_STREQ(status.message, "");
  EXPECT_GT(fake::calls(), 0);
}

TEST_F(ArgumentTest, NullTensors) {
  Args args(p);
  args.q = nullptr;
  expectRejected(args, "q is NULL");
  args = Args(p);
  args.v = nullptr;
  expectRejected(args, "v is NULL");
  args = Args(p);
  args.h = nullptr;
  expectRejected(args, "h is NULL");
}

TEST_F(ArgumentTest, NullData) {
  p.v.t.data = nullptr;
  expectRejected(Args(p), "v.data is NULL");
}

TEST_F(ArgumentTest, Misaligned) {
  p.q.t.data = static_cast<char *>(p.q.t.data) + 4;
  expectRejected(Args(p), "q.data is not 16-byte aligned");
}

TEST_F(ArgumentTest, Rank) {
  p.i.t.rank = 4;
  expectRejected(Args(p), "i has rank 4, expected 3");
  p.i.t.rank = 9; // over MLSTM_MAX_RANK: rejected before sizes are read
  expectRejected(Args(p), "i has rank 9, expected 3");
}

TEST_F(ArgumentTest, Dtype) {
  p.k.t.dtype = MLSTM_DTYPE_BF16;
  expectRejected(Args(p), "k has dtype bf16, expected f32");
  p.k.t.dtype = static_cast<mlstm_dtype>(42);
  expectRejected(Args(p), "k has dtype unknown, expected f32");
}

TEST_F(ArgumentTest, CompiledHeadDimension) {
  p.k.t.sizes[3] = 8;
  expectRejected(Args(p),
                 "k.sizes[3] (DQK) is 8, but the kernels were compiled for 16");
}

TEST_F(ArgumentTest, CompiledHeadDimensionOfAState) {
  p.n0.t.sizes[2] = 8;
  expectRejected(Args(p), "n0.sizes[2] (DQK) is 8, but the kernels were "
                          "compiled for 16");
}

TEST_F(ArgumentTest, BatchDisagrees) {
  p.k.t.sizes[0] = 1;
  expectRejected(Args(p), "k.sizes[0] (B) is 1, but q has B = 2");
}

TEST_F(ArgumentTest, HeadsDisagree) {
  p.v.t.sizes[1] = 2;
  expectRejected(Args(p), "v.sizes[1] (NH) is 2, but q has NH = 3");
}

TEST_F(ArgumentTest, SequenceDisagrees) {
  p.f.t.sizes[2] = 9;
  expectRejected(Args(p), "f.sizes[2] (S) is 9, but q has S = 10");
  p.f.t.sizes[2] = 10;
  p.h.t.sizes[2] = 11;
  expectRejected(Args(p), "h.sizes[2] (S) is 11, but q has S = 10");
}

TEST_F(ArgumentTest, StatesDisagree) {
  p.C0.t.sizes[0] = 1;
  expectRejected(Args(p), "C0.sizes[0] (B) is 1, but q has B = 2");
  p.C0.t.sizes[0] = 2;
  p.m.t.sizes[1] = 2;
  expectRejected(Args(p), "m_out.sizes[1] (NH) is 2, but q has NH = 3");
}

TEST_F(ArgumentTest, NegativeSize) {
  p.q.t.sizes[0] = -1;
  expectRejected(Args(p), "q.sizes[0] is negative (-1)");
}

TEST_F(ArgumentTest, EmptySequence) {
  SampleProblem empty(2, 3, 0);
  p = empty; // every tensor agrees on S = 0
  expectRejected(Args(p), "S is 0 (from q): sequences must have at least one "
                          "step");
}

TEST_F(ArgumentTest, EmptyBatchOrHeads) {
  p = SampleProblem(0, 3, 10);
  expectRejected(Args(p), "B is 0 (from q)");
  p = SampleProblem(2, 0, 10);
  expectRejected(Args(p), "NH is 0 (from q)");
}

TEST_F(ArgumentTest, LastDimensionNotContiguous) {
  p.q.t.strides[3] = 2;
  expectRejected(Args(p), "q.strides[3] is 2: the last dimension must be "
                          "contiguous (stride 1)");
}

TEST_F(ArgumentTest, NegativeStride) {
  p.v.t.strides[0] = -1;
  expectRejected(Args(p), "v.strides[0] is negative (-1)");
}

TEST_F(ArgumentTest, CompiledStride) {
  // memref<?x?x?x16xf32>: the kernels have 16 compiled in for dimension 2.
  p.q.t.strides[2] = 32;
  expectRejected(Args(p), "q.strides[2] is 32, but the kernels were compiled "
                          "for stride 16 in this dimension");
  p.q.t.strides[2] = 16;
  // memref<?x?x16x32xf32>: 512 between heads.
  p.C0.t.strides[1] = 1024;
  expectRejected(Args(p), "C0.strides[1] is 1024, but the kernels were "
                          "compiled for stride 512");
}

TEST_F(ArgumentTest, InitialStatesAllOrNone) {
  Args args(p);
  args.n0 = nullptr;
  expectRejected(args, "the initial states must be given all or none: C0 is "
                       "set, n0 is NULL, m0 is set");
}

TEST_F(ArgumentTest, FinalStatesAllOrNone) {
  Args args(p);
  args.C = nullptr;
  args.m = nullptr;
  expectRejected(args, "the final states must be given all or none: C_out is "
                       "NULL, n_out is set, m_out is NULL");
}

TEST_F(ArgumentTest, OutputsMustNotOverlap) {
  p.h.t.strides[1] = 0; // three heads written to one place
  expectRejected(Args(p), "h: its strides make elements overlap");
  p.h = HostTensor({2, 3, 10, 32});
  p.C.t.strides[0] = p.C.t.strides[1]; // batch 1 head 0 = batch 0 head 1
  expectRejected(Args(p), "C_out: its strides make elements overlap");
}

TEST_F(ArgumentTest, SizesTooLargeForTheTensor) {
  for (HostTensor *x : {&p.q, &p.k, &p.v, &p.i, &p.f, &p.h})
    x->t.sizes[2] = int64_t(1) << 60;
  expectRejected(Args(p), "sizes too large: integer overflow in q");
}

/// Gives `x` other sizes (row-major strides) over the same data: checks
/// never read tensor data, so a rejected call can describe huge tensors.
void reshape(HostTensor &x, std::vector<int64_t> sizes) {
  int64_t stride = 1;
  for (int d = static_cast<int>(sizes.size()) - 1; d >= 0; --d) {
    x.t.sizes[d] = sizes[d];
    x.t.strides[d] = stride;
    stride *= sizes[d];
  }
}

/// Every tensor of `p` reshaped to problem sizes B, NH, S.
void reshapeAll(SampleProblem &p, int64_t B, int64_t NH, int64_t S) {
  for (HostTensor *x : {&p.q, &p.k})
    reshape(*x, {B, NH, S, 16});
  for (HostTensor *x : {&p.v, &p.h})
    reshape(*x, {B, NH, S, 32});
  for (HostTensor *x : {&p.i, &p.f})
    reshape(*x, {B, NH, S});
  for (HostTensor *x : {&p.C0, &p.C})
    reshape(*x, {B, NH, 16, 32});
  for (HostTensor *x : {&p.n0, &p.n})
    reshape(*x, {B, NH, 16});
  for (HostTensor *x : {&p.m0, &p.m})
    reshape(*x, {B, NH});
}

TEST_F(ArgumentTest, SizesTooLargeForAnI32KernelArgument) {
  // The host body passes S to a kernel as i32 (arith.index_cast).
  reshapeAll(p, 1, 1, int64_t(1) << 33);
  expectRejected(Args(p),
                 "sizes too large: integer overflow in arith.index_cast");
}

TEST_F(ArgumentTest, SizesTooLargeForAWorkspace) {
  // Every tensor spans < 2^63 bytes, but the boundary-state workspace,
  // B x NH x (S/4 + 1) x 16 x 32 floats, would not: the host body's
  // memref.alloc overflows, still before any driver call.
  reshapeAll(p, int64_t(1) << 25, 1, int64_t(1) << 30);
  expectRejected(Args(p), "sizes too large: integer overflow in memref.alloc");
}

TEST_F(ArgumentTest, GridTooLarge) {
  // B * NH = 70000 rows of the output kernel's grid.y (at most 65535): a
  // problem this library cannot launch, reported before the driver.
  reshapeAll(p, 70000, 1, 1);
  expectRejected(Args(p),
                 "launch of sample_kernels::output needs grid.y = 70000, "
                 "over CUDA's limit 65535",
                 MLSTM_ERROR_UNSUPPORTED);
  fake::reset();
  mlstm_status status = p.runPlain(stream);
  EXPECT_EQ(status.code, MLSTM_ERROR_UNSUPPORTED) << status.message;
  EXPECT_EQ(fake::calls(), 0);
}

TEST_F(ArgumentTest, TheEntryPointWithoutStatesChecksToo) {
  p.i.t.sizes[2] = 3;
  mlstm_status status = p.runPlain(stream);
  EXPECT_EQ(status.code, MLSTM_ERROR_INVALID_ARGUMENT);
  EXPECT_STREQ(status.message,
               "sample_plain: i.sizes[2] (S) is 3, but q has S = 10");
  EXPECT_EQ(fake::calls(), 0);
}

TEST_F(ArgumentTest, SizeOneDimensionsTakeAnyStride) {
  // Frameworks leave arbitrary strides on size-1 dimensions; they address
  // nothing, so they are accepted (and replaced by the compiled ones).
  p = SampleProblem(1, 1, 6);
  p.q.t.strides[0] = -7;
  p.q.t.strides[1] = 12345;
  p.C0.t.strides[1] = 3;
  mlstm_status status = Args(p).call(stream);
  EXPECT_EQ(status.code, MLSTM_SUCCESS) << status.message;
  EXPECT_EQ(p.mismatches(/*states=*/true), 0);
}

} // namespace
