//===- Pipelines.h - registered mlstm pass pipelines ------------*- C++ -*-===//
//
// Named pass pipelines of the compiler, one builder per file in
// lib/Pipelines, each registered with mlstm-opt.
//
//===----------------------------------------------------------------------===//

#ifndef MLSTM_PIPELINES_PIPELINES_H
#define MLSTM_PIPELINES_PIPELINES_H

#include "mlir/Pass/PassOptions.h"

#include <string>

namespace mlir {
class DialectRegistry;
class OpPassManager;
namespace mlstm {

//===----------------------------------------------------------------------===//
// GPU: gpu.module (gpu/nvgpu/nvvm/arith/memref/scf) -> gpu.binary with PTX
//===----------------------------------------------------------------------===//

/// Options of --mlstm-gpu-to-ptx. The defaults target the H100.
struct GpuToPtxPipelineOptions
    : public PassPipelineOptions<GpuToPtxPipelineOptions> {
  PassOptions::Option<std::string> chip{
      *this, "chip", llvm::cl::desc("target SM (wgmma needs the `a` variant)"),
      llvm::cl::init("sm_90a")};
  PassOptions::Option<std::string> features{
      *this, "features",
      llvm::cl::desc("PTX features (PTX ISA 8.0 is the first with wgmma)"),
      llvm::cl::init("+ptx80")};
  PassOptions::Option<unsigned> optLevel{
      *this, "opt-level", llvm::cl::desc("LLVM optimization level"),
      llvm::cl::init(3)};
  PassOptions::Option<std::string> format{
      *this, "format",
      llvm::cl::desc("gpu-module-to-binary format: `isa` (PTX, needs no "
                     "CUDA), or `bin` / `fatbin` (need ptxas / a toolkit)"),
      llvm::cl::init("isa")};
  PassOptions::Option<bool> barePtrCallConv{
      *this, "bare-ptr-call-conv",
      llvm::cl::desc("memref kernel arguments become plain pointers (static "
                     "shapes only)"),
      llvm::cl::init(true)};
  PassOptions::Option<int64_t> sharedMemoryAlignment{
      *this, "shared-memory-alignment",
      llvm::cl::desc("alignment in bytes of the dynamic shared memory"),
      llvm::cl::init(1024)};
  PassOptions::Option<bool> shortSharedPointers{
      *this, "short-shared-pointers",
      llvm::cl::desc("32-bit shared-memory addresses in the NVPTX back end "
                     "(LLVM's -nvptx-short-ptr; a process-wide setting)"),
      llvm::cl::init(true)};
};

/// Lowers every gpu.module of the module to NVVM/LLVM and serializes it
/// into a gpu.binary holding PTX (see GpuPipeline.cpp for the stages).
void buildGpuToPtxPipeline(OpPassManager &pm,
                           const GpuToPtxPipelineOptions &options);

/// Registers --mlstm-gpu-to-ptx.
void registerGpuToPtxPipeline();

/// Adds what the pipeline needs beyond the dialects it loads itself: the
/// NVVM target attribute's serialization model and the translations of the
/// builtin, LLVM, GPU and NVVM dialects to LLVM IR. Without them
/// gpu-module-to-binary crashes rather than reports an error.
void registerGpuToPtxDependencies(DialectRegistry &registry);

//===----------------------------------------------------------------------===//
// CPU: mlstm ops (spec, chunked levels) -> LLVM dialect for the JIT
//===----------------------------------------------------------------------===//

/// Lowers mlstm ops through convert-mlstm-to-loops, bufferization and the
/// upstream conversions to the LLVM dialect, with C wrappers on every
/// function (see CpuPipeline.cpp for the stages).
/// Options of --mlstm-pipeline (block sizes of 0 are chosen by the tile
/// pass).
struct MlstmPipelineOptions : public PassPipelineOptions<MlstmPipelineOptions> {
  PassOptions::Option<int64_t> defaultChunkSize{
      *this, "default-chunk-size",
      llvm::cl::desc("chunk length where a spec says chunk_size = auto "
                     "(0: the cost model's)"),
      llvm::cl::init(0)};
  PassOptions::Option<int64_t> blockQ{*this, "block-q",
                                      llvm::cl::desc("query rows per program"),
                                      llvm::cl::init(0)};
  PassOptions::Option<int64_t> blockK{*this, "block-k",
                                      llvm::cl::desc("key rows per step"),
                                      llvm::cl::init(0)};
  PassOptions::Option<int64_t> blockDqk{*this, "block-dqk",
                                        llvm::cl::desc("DQK tile"),
                                        llvm::cl::init(0)};
  PassOptions::Option<int64_t> blockDhv{*this, "block-dhv",
                                        llvm::cl::desc("DHV tile"),
                                        llvm::cl::init(0)};
  PassOptions::Option<bool> emitPtx{
      *this, "emit-ptx",
      llvm::cl::desc("end with gpu.binary PTX (false: stop at the outlined "
                     "gpu.module kernels, before the NVPTX back end)"),
      llvm::cl::init(true)};
};

/// --mlstm-pipeline: spec -> PTX kernels + host functions.
void buildMlstmPipeline(OpPassManager &pm, const MlstmPipelineOptions &options);

void registerMlstmPipeline();

void buildCpuPipeline(OpPassManager &pm);

/// Registers --mlstm-cpu-pipeline.
void registerCpuPipeline();

/// Adds the bufferization and deallocation models of the dialects that
/// convert-mlstm-to-loops emits; one-shot-bufferize needs them.
void registerCpuPipelineDependencies(DialectRegistry &registry);

//===----------------------------------------------------------------------===//
// Everything mlstm-opt loads (CompilerDialects.cpp)
//===----------------------------------------------------------------------===//

/// Adds the mlstm dialect, the upstream dialects the lowering emits, their
/// external models and the LLVM IR translations of the PTX pipeline.
void registerCompilerDialects(DialectRegistry &registry);

/// Registers every upstream and mlstm pass and the mlstm pipelines with the
/// command line (mlir-opt style flags).
void registerCompilerPasses();

} // namespace mlstm
} // namespace mlir

#endif // MLSTM_PIPELINES_PIPELINES_H
