//===- CompilerDialects.cpp - what mlstm-opt and the fuzzer load ----------===//
//
// The dialects, external models and LLVM IR translations that the mlstm
// pipelines need, and the registration of every pass and pipeline: one list
// shared by mlstm-opt and mlstm-fuzz, so that the fuzzer runs the compiler
// exactly as the tool does.
//
//===----------------------------------------------------------------------===//

#include "mlstm/Conversion/Passes.h"
#include "mlstm/Dialect/Mlstm/IR/MlstmDialect.h"
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
#include "mlir/IR/DialectRegistry.h"
#include "mlir/InitAllExtensions.h"
#include "mlir/InitAllPasses.h"

using namespace mlir;

void mlstm::registerCompilerDialects(DialectRegistry &registry) {
  registry.insert<MlstmDialect, affine::AffineDialect, arith::ArithDialect,
                  bufferization::BufferizationDialect, cf::ControlFlowDialect,
                  func::FuncDialect, gpu::GPUDialect, index::IndexDialect,
                  linalg::LinalgDialect, LLVM::LLVMDialect, math::MathDialect,
                  memref::MemRefDialect, nvgpu::NVGPUDialect,
                  NVVM::NVVMDialect, scf::SCFDialect, tensor::TensorDialect,
                  vector::VectorDialect>();
  // Bufferization models and convert-to-llvm interfaces.
  registerAllExtensions(registry);
  // registerAllExtensions leaves out the NVVM target's serialization and the
  // LLVM IR translations; without them gpu-module-to-binary segfaults.
  registerGpuToPtxDependencies(registry);
  // One-shot bufferization models for --mlstm-cpu-pipeline.
  registerCpuPipelineDependencies(registry);
}

void mlstm::registerCompilerPasses() {
  registerAllPasses();
  registerMlstmPasses();
  registerMlstmConversionPasses();
  registerGpuToPtxPipeline();
  registerCpuPipeline();
  registerMlstmPipeline();
}
