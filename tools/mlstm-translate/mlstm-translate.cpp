//===- mlstm-translate.cpp - the mlstm translation driver -----------------===//
//
// `mlir-translate` with the compiler's own translations: `--extract-ptx`,
// which writes the PTX of a gpu.binary to a file, and `--emit-host-api`,
// which writes the kernel libraries of a lowered module (docs/host-api.md):
//
//   mlstm-opt k.mlir --mlstm-gpu-to-ptx | mlstm-translate --extract-ptx > k.ptx
//   mlstm-translate --emit-host-api --host-api-dir=generated lowered.mlir
//
//===----------------------------------------------------------------------===//

#include "mlstm/Target/HostAPI/HostAPI.h"
#include "mlstm/Target/PTX/ExtractPtx.h"

#include "mlir/Tools/mlir-translate/MlirTranslateMain.h"

int main(int argc, char **argv) {
  mlir::mlstm::registerExtractPtxTranslation();
  mlir::mlstm::registerHostAPITranslation();
  return mlir::failed(
      mlir::mlirTranslateMain(argc, argv, "mlstm translation driver\n"));
}
