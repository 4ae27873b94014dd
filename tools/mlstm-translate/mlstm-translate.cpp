//===- mlstm-translate.cpp - the mlstm translation driver -----------------===//
//
// `mlir-translate` with the compiler's own translations: today
// `--extract-ptx`, which writes the PTX of a gpu.binary to a file:
//
//   mlstm-opt k.mlir --mlstm-gpu-to-ptx | mlstm-translate --extract-ptx > k.ptx
//
//===----------------------------------------------------------------------===//

#include "mlstm/Target/PTX/ExtractPtx.h"

#include "mlir/Tools/mlir-translate/MlirTranslateMain.h"

int main(int argc, char **argv) {
  mlir::mlstm::registerExtractPtxTranslation();
  return mlir::failed(
      mlir::mlirTranslateMain(argc, argv, "mlstm translation driver\n"));
}
