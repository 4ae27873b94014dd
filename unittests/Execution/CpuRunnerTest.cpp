//===- CpuRunnerTest.cpp - The JIT harness on plain upstream IR -----------===//
//
// Checks CpuRunner itself, independently of the mlstm lowering: calls with
// several ranks, element types and results, and the errors it reports for
// bad modules, pipelines and arguments.
//
//===----------------------------------------------------------------------===//

#include "mlstm/Execution/CpuRunner.h"

#include "gtest/gtest.h"

#include <numeric>
#include <vector>

using namespace mlir::mlstm;

namespace {

// A rank-2 f64 function with two results and a rank-5 f32 one with a static
// dimension; mlstm-cpu-pipeline lowers plain tensor IR as well.
constexpr const char *kModule = R"mlir(
func.func @add_mul(%x: tensor<?x?xf64>, %y: tensor<?x?xf64>)
    -> (tensor<?x?xf64>, tensor<?x?xf64>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %d0 = tensor.dim %x, %c0 : tensor<?x?xf64>
  %d1 = tensor.dim %x, %c1 : tensor<?x?xf64>
  %e0 = tensor.empty(%d0, %d1) : tensor<?x?xf64>
  %e1 = tensor.empty(%d0, %d1) : tensor<?x?xf64>
  %sum = linalg.add ins(%x, %y : tensor<?x?xf64>, tensor<?x?xf64>)
                    outs(%e0 : tensor<?x?xf64>) -> tensor<?x?xf64>
  %prod = linalg.mul ins(%x, %y : tensor<?x?xf64>, tensor<?x?xf64>)
                     outs(%e1 : tensor<?x?xf64>) -> tensor<?x?xf64>
  return %sum, %prod : tensor<?x?xf64>, tensor<?x?xf64>
}
func.func @twice(%x: tensor<?x2x?x?x?xf32>) -> tensor<?x2x?x?x?xf32> {
  %sum = arith.addf %x, %x : tensor<?x2x?x?x?xf32>
  return %sum : tensor<?x2x?x?x?xf32>
}
)mlir";

class CpuRunnerTest : public ::testing::Test {
protected:
  static void SetUpTestSuite() {
    auto created = CpuRunner::create(kModule, "mlstm-cpu-pipeline");
    ASSERT_TRUE(bool(created)) << llvm::toString(created.takeError());
    runner = std::move(*created).release();
  }
  static void TearDownTestSuite() {
    delete runner;
    runner = nullptr;
  }
  static CpuRunner *runner;
};
CpuRunner *CpuRunnerTest::runner = nullptr;

TEST_F(CpuRunnerTest, TwoResultsRank2F64) {
  std::vector<double> x(6), y(6);
  std::iota(x.begin(), x.end(), 1.0);
  std::iota(y.begin(), y.end(), 10.0);
  auto results = runner->call("add_mul", {BufferView::get(x.data(), {2, 3}),
                                          BufferView::get(y.data(), {2, 3})});
  ASSERT_TRUE(bool(results)) << llvm::toString(results.takeError());
  ASSERT_EQ(results->size(), 2u);
  EXPECT_EQ((*results)[0].getShape(), llvm::ArrayRef<int64_t>({2, 3}));
  std::vector<double> sum = (*results)[0].toDoubles();
  std::vector<double> prod = (*results)[1].toDoubles();
  for (size_t index = 0; index < x.size(); ++index) {
    EXPECT_EQ(sum[index], x[index] + y[index]);
    EXPECT_EQ(prod[index], x[index] * y[index]);
  }
}

TEST_F(CpuRunnerTest, Rank5F32AcrossShapes) {
  // One compiled function, several dynamic shapes.
  for (std::vector<int64_t> shape :
       {std::vector<int64_t>{1, 2, 1, 1, 1}, {3, 2, 4, 1, 5}}) {
    int64_t count = 1;
    for (int64_t size : shape)
      count *= size;
    std::vector<float> x(count);
    std::iota(x.begin(), x.end(), -3.0f);
    auto results = runner->call("twice", {BufferView::get(x.data(), shape)});
    ASSERT_TRUE(bool(results)) << llvm::toString(results.takeError());
    ASSERT_EQ(results->size(), 1u);
    EXPECT_EQ((*results)[0].getKind(), ElementKind::F32);
    std::vector<double> values = (*results)[0].toDoubles();
    ASSERT_EQ(values.size(), x.size());
    for (size_t index = 0; index < x.size(); ++index)
      EXPECT_EQ(values[index], 2.0 * x[index]);
  }
}

TEST_F(CpuRunnerTest, RejectsBadArguments) {
  std::vector<double> x(6);
  std::vector<float> xf(6);
  auto expectError = [](auto result, llvm::StringRef what) {
    ASSERT_FALSE(bool(result));
    std::string message = llvm::toString(result.takeError());
    EXPECT_NE(message.find(what.str()), std::string::npos) << message;
  };
  expectError(runner->call("missing", {}), "no callable function");
  expectError(runner->call("add_mul", {BufferView::get(x.data(), {2, 3})}),
              "takes 2 arguments");
  expectError(runner->call("add_mul", {BufferView::get(xf.data(), {2, 3}),
                                       BufferView::get(x.data(), {2, 3})}),
              "wrong element type or rank");
  expectError(
      runner->call("twice", {BufferView::get(xf.data(), {1, 3, 2, 1, 1})}),
      "static sizes");
}

TEST(CpuRunnerCreate, ReportsParseAndPipelineErrors) {
  auto badModule = CpuRunner::create("func.func @f(", "mlstm-cpu-pipeline");
  ASSERT_FALSE(bool(badModule));
  EXPECT_NE(llvm::toString(badModule.takeError()).find("cannot parse"),
            std::string::npos);
  auto badPipeline = CpuRunner::create("module {}", "no-such-pass");
  ASSERT_FALSE(bool(badPipeline));
  EXPECT_NE(llvm::toString(badPipeline.takeError()).find("bad pass pipeline"),
            std::string::npos);
}

} // namespace
