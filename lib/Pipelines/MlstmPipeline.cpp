//===- MlstmPipeline.cpp - spec to PTX kernels and host functions ---------===//
//
// --mlstm-pipeline: everything from a spec to what the host API generator
// (mlstm-translate --emit-host-api) consumes:
//
//   mlstm-derive-backward        gradients of the recurrences marked backward
//   mlstm-export-entry-points    record each spec function's library ABI
//   mlstm-chunk                  recurrence -> state scan + parallel output
//   mlstm-tile                   chunk ops -> tiled kernels (scf.forall)
//   mlstm-stabilize-gates        max-state stabilized exponentials
//   mlstm-lower-to-gpu           tiled kernels -> gpu.launch, per-thread code
//   one-shot-bufferize           host functions on memrefs (identity layouts)
//   gpu-kernel-outlining         launches -> gpu.func kernels
//   canonicalize, cse
//   mlstm-gpu-to-ptx             gpu.modules -> gpu.binary (PTX, sm_90a);
//                                memref kernel arguments as descriptors,
//                                since B, NH and S are dynamic
//
//===----------------------------------------------------------------------===//

#include "mlstm/Conversion/Passes.h"
#include "mlstm/Dialect/Mlstm/Transforms/Passes.h"
#include "mlstm/Pipelines/Pipelines.h"

#include "mlir/Dialect/Bufferization/Transforms/Passes.h"
#include "mlir/Dialect/GPU/Transforms/Passes.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Pass/PassRegistry.h"
#include "mlir/Transforms/Passes.h"

using namespace mlir;

void mlstm::buildMlstmPipeline(OpPassManager &pm,
                               const MlstmPipelineOptions &options) {
  pm.addPass(createMlstmDeriveBackward());
  MlstmExportEntryPointsOptions exportOptions;
  exportOptions.defaultChunkSize = options.defaultChunkSize;
  pm.addPass(createMlstmExportEntryPoints(exportOptions));
  MlstmChunkOptions chunk;
  chunk.defaultChunkSize = options.defaultChunkSize;
  pm.addPass(createMlstmChunk(chunk));
  MlstmTileOptions tile;
  tile.blockQ = options.blockQ;
  tile.blockK = options.blockK;
  tile.blockDqk = options.blockDqk;
  tile.blockDhv = options.blockDhv;
  // wgmma's M is 64: the state scan's K^T (w V) has DQK-tile rows, so a
  // DQK of 32 is padded to one 64-row tile.
  tile.minBlockDqk = 64;
  pm.addPass(createMlstmTile(tile));
  pm.addPass(createMlstmStabilizeGates());
  pm.addPass(createMlstmLowerToGPU());

  bufferization::OneShotBufferizePassOptions bufferize;
  bufferize.bufferizeFunctionBoundaries = true;
  bufferize.functionBoundaryTypeConversion =
      bufferization::LayoutMapOption::InferLayoutMap;
  pm.addPass(bufferization::createOneShotBufferizePass(bufferize));
  // Outline before canonicalizing: the canonicalizer would hoist the
  // kernels' constants out of the (not isolated) launch regions, making them
  // kernel arguments.
  pm.addPass(createGpuKernelOutliningPass());
  pm.addPass(createCanonicalizerPass());
  pm.addPass(createCSEPass());
  if (!options.emitPtx)
    return;

  GpuToPtxPipelineOptions ptx;
  ptx.barePtrCallConv = false;
  buildGpuToPtxPipeline(pm, ptx);
}

void mlstm::registerMlstmPipeline() {
  PassPipelineRegistration<MlstmPipelineOptions>(
      "mlstm-pipeline",
      "Compile mlstm specs to PTX kernels for sm_90a and host functions "
      "that launch them",
      buildMlstmPipeline);
}
