//===- GpuPipeline.cpp - gpu.module to PTX --------------------------------===//
//
// --mlstm-gpu-to-ptx: the last stretch of the compiler, from kernels written
// with gpu / nvgpu / nvvm / arith / memref / scf ops inside a gpu.module to
// a gpu.binary whose object is PTX for sm_90a. mlstm-translate --extract-ptx
// then writes that PTX to a file, which the CUDA driver loads at run time
// (cuModuleLoadData) or ptxas turns into a cubin.
//
// Inside each gpu.module, in this order:
//
//   convert-nvgpu-to-nvvm     TMA, mbarrier and warpgroup ops become NVVM
//                             ops; some of those emit memref ops (the
//                             accumulator store) or subviews of ours, so it
//                             runs before the memref lowering below.
//   expand-strided-metadata   subview / reinterpret_cast -> explicit offset
//   lower-affine              arithmetic (the previous pass emits affine.apply
//                             and memref-to-llvm no longer lowers subviews)
//   convert-scf-to-cf         loops and ifs -> blocks
//   convert-gpu-to-nvvm       gpu + arith + memref + math + cf + vector ->
//                             LLVM/NVVM; bare pointers for memref arguments
//                             (static shapes only: a plain C ABI)
//   convert-nvvm-to-llvm      NVVM ops that are implemented as inline PTX
//                             (mbarrier.try_wait.parity, wgmma.mma_async,
//                             ...) -> llvm.inline_asm. It must run *after*
//                             convert-gpu-to-nvvm and inside the gpu.module:
//                             otherwise such ops survive to the LLVM IR
//                             translation, which cannot translate them.
//   mlstm-gpu-extern-shared-memory
//                             dynamic shared memory as an aligned
//                             `.extern .shared` array (see the pass)
//   canonicalize, cse, reconcile-unrealized-casts
//                             the casts we put in the kernels (e.g.
//                             !llvm.ptr -> !nvgpu.tensormap.descriptor)
//                             cancel against those of the conversions
//
// then on the container module: nvvm-attach-target (chip, PTX features,
// O level) and gpu-module-to-binary (format isa by default, so no CUDA
// toolkit is needed to compile).
//
// Shared-memory pointers are 32-bit (short-shared-pointers): by default the
// NVPTX back end computes every shared address in 64 bits, two registers per
// address the kernels keep live (the swizzled staging slots of each tile).
// In the 256x512 forward kernels that took ptxas's spills from 972 / 252 to
// 784 / 208 bytes per thread (output / state scan) and 0-7% off the H100
// times (bench/results). The back end reads the flag when gpu-module-to-binary creates
// its target machine, so it is set while the pipeline is built.
//
//===----------------------------------------------------------------------===//

#include "mlstm/Conversion/Passes.h"
#include "mlstm/Pipelines/Pipelines.h"

#include "mlir/Conversion/Passes.h"
#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/GPU/Transforms/Passes.h"
#include "mlir/Dialect/MemRef/Transforms/Passes.h"
#include "mlir/IR/DialectRegistry.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Pass/PassRegistry.h"
#include "mlir/Target/LLVM/NVVM/Target.h"
#include "mlir/Target/LLVMIR/Dialect/Builtin/BuiltinToLLVMIRTranslation.h"
#include "mlir/Target/LLVMIR/Dialect/GPU/GPUToLLVMIRTranslation.h"
#include "mlir/Target/LLVMIR/Dialect/LLVMIR/LLVMToLLVMIRTranslation.h"
#include "mlir/Target/LLVMIR/Dialect/NVVM/NVVMToLLVMIRTranslation.h"
#include "mlir/Transforms/Passes.h"

#include "llvm/Support/CommandLine.h"

using namespace mlir;

/// Sets the NVPTX back end's -nvptx-short-ptr (registered by the NVPTX
/// target in libLLVM; absent only if that target is not linked in).
static void setShortSharedPointers(bool value) {
  auto registered = llvm::cl::getRegisteredOptions();
  auto it = registered.find("nvptx-short-ptr");
  if (it != registered.end())
    static_cast<llvm::cl::opt<bool> *>(it->second)->setValue(value);
}

void mlstm::buildGpuToPtxPipeline(OpPassManager &pm,
                                  const GpuToPtxPipelineOptions &options) {
  OpPassManager &kernels = pm.nest<gpu::GPUModuleOp>();
  kernels.addPass(createConvertNVGPUToNVVMPass());
  kernels.addPass(memref::createExpandStridedMetadataPass());
  kernels.addPass(createLowerAffinePass());
  kernels.addPass(createSCFToControlFlowPass());

  ConvertGpuOpsToNVVMOpsOptions gpuToNvvm;
  gpuToNvvm.useBarePtrCallConv = options.barePtrCallConv;
  kernels.addPass(createConvertGpuOpsToNVVMOps(gpuToNvvm));
  kernels.addPass(createConvertNVVMToLLVMPass());

  MlstmGpuExternSharedMemoryOptions externSmem;
  externSmem.alignment = options.sharedMemoryAlignment;
  kernels.addPass(createMlstmGpuExternSharedMemory(externSmem));

  kernels.addPass(createCanonicalizerPass());
  kernels.addPass(createCSEPass());
  kernels.addPass(createReconcileUnrealizedCastsPass());

  setShortSharedPointers(options.shortSharedPointers);
  GpuNVVMAttachTargetOptions target;
  target.chip = options.chip;
  target.features = options.features;
  target.optLevel = options.optLevel;
  pm.addPass(createGpuNVVMAttachTarget(target));

  GpuModuleToBinaryPassOptions toBinary;
  toBinary.compilationTarget = options.format;
  pm.addPass(createGpuModuleToBinaryPass(toBinary));
}

void mlstm::registerGpuToPtxPipeline() {
  PassPipelineRegistration<GpuToPtxPipelineOptions>(
      "mlstm-gpu-to-ptx",
      "Lower gpu.modules (gpu/nvgpu/nvvm ops) to gpu.binary objects holding "
      "PTX for sm_90a",
      buildGpuToPtxPipeline);
}

void mlstm::registerGpuToPtxDependencies(DialectRegistry &registry) {
  NVVM::registerNVVMTargetInterfaceExternalModels(registry);
  registerBuiltinDialectTranslation(registry);
  registerGPUDialectTranslation(registry);
  registerLLVMDialectTranslation(registry);
  registerNVVMDialectTranslation(registry);
}
