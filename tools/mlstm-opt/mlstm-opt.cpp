//===- mlstm-opt.cpp - the mlstm optimizer driver -------------------------===//
//
// `mlir-opt` with the mlstm dialect and the upstream dialects, passes and
// extensions that the lowering to NVVM/PTX uses.
//
//===----------------------------------------------------------------------===//

#include "mlstm/Dialect/Mlstm/IR/MlstmDialect.h"
#include "mlstm/Conversion/Passes.h"
#include "mlstm/Dialect/Mlstm/Transforms/Passes.h"
#include "mlstm/Pipelines/Pipelines.h"

#include "mlir/Dialect/Affine/IR/AffineOps.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Bufferization/IR/Bufferization.h"
#include "mlir/Dialect/ControlFlow/IR/ControlFlow.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/Index/IR/IndexDialect.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/LLVMIR/NVVMDialect.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/NVGPU/IR/NVGPUDialect.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/InitAllExtensions.h"
#include "mlir/InitAllPasses.h"
#include "mlir/Tools/mlir-opt/MlirOptMain.h"

int main(int argc, char **argv) {
  mlir::registerAllPasses();
  mlir::mlstm::registerMlstmPasses();
  mlir::mlstm::registerMlstmConversionPasses();
  mlir::mlstm::registerGpuToPtxPipeline();
  mlir::mlstm::registerCpuPipeline();
  mlir::mlstm::registerMlstmPipeline();

  mlir::DialectRegistry registry;
  registry.insert<mlir::mlstm::MlstmDialect, mlir::affine::AffineDialect,
                  mlir::arith::ArithDialect,
                  mlir::bufferization::BufferizationDialect,
                  mlir::cf::ControlFlowDialect, mlir::func::FuncDialect,
                  mlir::gpu::GPUDialect, mlir::index::IndexDialect,
                  mlir::linalg::LinalgDialect, mlir::LLVM::LLVMDialect,
                  mlir::math::MathDialect, mlir::memref::MemRefDialect,
                  mlir::nvgpu::NVGPUDialect, mlir::NVVM::NVVMDialect,
                  mlir::scf::SCFDialect, mlir::tensor::TensorDialect,
                  mlir::vector::VectorDialect>();
  // Bufferization models and convert-to-llvm interfaces.
  mlir::registerAllExtensions(registry);
  // registerAllExtensions leaves out the NVVM target's serialization and the
  // LLVM IR translations; without them gpu-module-to-binary segfaults.
  mlir::mlstm::registerGpuToPtxDependencies(registry);
  // One-shot bufferization models for --mlstm-cpu-pipeline.
  mlir::mlstm::registerCpuPipelineDependencies(registry);

  return mlir::asMainReturnCode(mlir::MlirOptMain(
      argc, argv, "mlstm optimizer driver\n", registry));
}
