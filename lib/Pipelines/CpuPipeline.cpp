//===- CpuPipeline.cpp - mlstm ops to LLVM for the CPU JIT ----------------===//
//
// --mlstm-cpu-pipeline: runs any level above `gpu` on the CPU, so that CI
// (which has no GPU) checks numerically that chunking, tiling and gate
// stabilization preserve the recurrence. The stages:
//
//   convert-mlstm-to-loops     mlstm ops -> scf/linalg/tensor/arith/math
//   convert-elementwise-to-linalg
//                              arith/math on whole tensors (which later
//                              levels or hand-written tests may use) -> linalg
//   canonicalize, cse
//   llvm-request-c-wrappers    every function gets a _mlir_ciface_ wrapper
//                              taking memref descriptors by pointer (what
//                              the test harness, CpuRunner, calls)
//   one-shot-bufferize         tensors -> memrefs across function boundaries;
//                              loops may yield fresh buffers (the recurrent
//                              states are rebuilt every step)
//   scf-forall-to-for          the per-head parallelism becomes plain loops
//                              (before deallocation, which knows scf.for)
//   buffer-deallocation-pipeline, convert-bufferization-to-memref
//                              no leaks across many calls of one module
//   convert-linalg-to-loops    linalg ops -> scf.for nests
//   convert-scf-to-cf
//   arith-expand{include-bf16}  ceildivui and friends; bf16 extf/truncf as
//                              integer ops (LLVM would call __truncsfbf2,
//                              which Debian's libgcc lacks)
//   expand-strided-metadata, lower-affine
//   convert-math-to-libm       libm's log1p: convert-math-to-llvm would use
//                              log(1 + x), which loses the small tail of
//                              logsigmoid for large |f|
//   convert-{math,arith,cf,index,func}-to-llvm, finalize-memref-to-llvm,
//   reconcile-unrealized-casts
//
// Copies between strided buffers become calls of `memrefCopy` from MLIR's
// C runner utils, which the executing process must provide (CpuRunner does).
//
//===----------------------------------------------------------------------===//

#include "mlstm/Conversion/Passes.h"
#include "mlstm/Pipelines/Pipelines.h"

#include "mlir/Conversion/Passes.h"
#include "mlir/Dialect/Arith/Transforms/BufferDeallocationOpInterfaceImpl.h"
#include "mlir/Dialect/Arith/Transforms/BufferizableOpInterfaceImpl.h"
#include "mlir/Dialect/Arith/Transforms/Passes.h"
#include "mlir/Dialect/Bufferization/Pipelines/Passes.h"
#include "mlir/Dialect/Bufferization/Transforms/FuncBufferizableOpInterfaceImpl.h"
#include "mlir/Dialect/Bufferization/Transforms/Passes.h"
#include "mlir/Dialect/ControlFlow/Transforms/BufferDeallocationOpInterfaceImpl.h"
#include "mlir/Dialect/ControlFlow/Transforms/BufferizableOpInterfaceImpl.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/LLVMIR/Transforms/Passes.h"
#include "mlir/Dialect/Linalg/Passes.h"
#include "mlir/Dialect/Linalg/Transforms/BufferizableOpInterfaceImpl.h"
#include "mlir/Dialect/MemRef/Transforms/AllocationOpInterfaceImpl.h"
#include "mlir/Dialect/MemRef/Transforms/Passes.h"
#include "mlir/Dialect/SCF/Transforms/BufferDeallocationOpInterfaceImpl.h"
#include "mlir/Dialect/SCF/Transforms/BufferizableOpInterfaceImpl.h"
#include "mlir/Dialect/SCF/Transforms/Passes.h"
#include "mlir/Dialect/Tensor/Transforms/BufferizableOpInterfaceImpl.h"
#include "mlir/IR/DialectRegistry.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Pass/PassRegistry.h"
#include "mlir/Transforms/Passes.h"

using namespace mlir;

void mlstm::buildCpuPipeline(OpPassManager &pm) {
  pm.addPass(createConvertMlstmToLoops());
  pm.addPass(createConvertElementwiseToLinalgPass());
  pm.addPass(createCanonicalizerPass());
  pm.addPass(createCSEPass());
  pm.addNestedPass<func::FuncOp>(LLVM::createLLVMRequestCWrappersPass());

  bufferization::OneShotBufferizePassOptions bufferize;
  bufferize.bufferizeFunctionBoundaries = true;
  bufferize.allowReturnAllocsFromLoops = true;
  pm.addPass(bufferization::createOneShotBufferizePass(bufferize));
  pm.addPass(createForallToForLoopPass());
  bufferization::buildBufferDeallocationPipeline(pm);
  pm.addPass(createConvertBufferizationToMemRefPass());

  pm.addPass(createConvertLinalgToLoopsPass());
  pm.addPass(createSCFToControlFlowPass());
  arith::ArithExpandOpsPassOptions expand;
  expand.includeBf16 = true;
  pm.addPass(arith::createArithExpandOpsPass(expand));
  pm.addPass(memref::createExpandStridedMetadataPass());
  pm.addPass(createLowerAffinePass());
  pm.addPass(createConvertMathToLibmPass());
  pm.addPass(createConvertMathToLLVMPass());
  pm.addPass(createArithToLLVMConversionPass());
  pm.addPass(createConvertControlFlowToLLVMPass());
  pm.addPass(createConvertIndexToLLVMPass());
  pm.addPass(createFinalizeMemRefToLLVMConversionPass());
  pm.addPass(createConvertFuncToLLVMPass());
  pm.addPass(createReconcileUnrealizedCastsPass());
}

void mlstm::registerCpuPipeline() {
  PassPipelineRegistration<>(
      "mlstm-cpu-pipeline",
      "Lower mlstm ops (spec and chunked levels) through loops on tensors "
      "to the LLVM dialect, ready for the ExecutionEngine",
      buildCpuPipeline);
}

void mlstm::registerCpuPipelineDependencies(DialectRegistry &registry) {
  arith::registerBufferizableOpInterfaceExternalModels(registry);
  arith::registerBufferDeallocationOpInterfaceExternalModels(registry);
  bufferization::func_ext::registerBufferizableOpInterfaceExternalModels(
      registry);
  cf::registerBufferizableOpInterfaceExternalModels(registry);
  cf::registerBufferDeallocationOpInterfaceExternalModels(registry);
  linalg::registerBufferizableOpInterfaceExternalModels(registry);
  memref::registerAllocationOpInterfaceExternalModels(registry);
  scf::registerBufferizableOpInterfaceExternalModels(registry);
  scf::registerBufferDeallocationOpInterfaceExternalModels(registry);
  tensor::registerBufferizableOpInterfaceExternalModels(registry);
}
