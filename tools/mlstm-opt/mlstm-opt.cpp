//===- mlstm-opt.cpp - the mlstm optimizer driver -------------------------===//
//
// `mlir-opt` with the mlstm dialect and the upstream dialects, passes and
// extensions that the lowering to NVVM/PTX uses (lib/Pipelines/
// CompilerDialects.cpp holds the list).
//
//===----------------------------------------------------------------------===//

#include "mlstm/Pipelines/Pipelines.h"

#include "mlir/IR/DialectRegistry.h"
#include "mlir/Tools/mlir-opt/MlirOptMain.h"

int main(int argc, char **argv) {
  mlir::mlstm::registerCompilerPasses();
  mlir::DialectRegistry registry;
  mlir::mlstm::registerCompilerDialects(registry);
  return mlir::asMainReturnCode(mlir::MlirOptMain(
      argc, argv, "mlstm optimizer driver\n", registry));
}
