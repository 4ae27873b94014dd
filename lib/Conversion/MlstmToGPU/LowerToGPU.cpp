//===- LowerToGPU.cpp - tiled kernels -> gpu.launch -----------------------===//
//
// Every scf.forall carrying an mlstm.schedule becomes a gpu.launch: one CTA
// (a warpgroup of 128 threads) per program of the forall. The programs are
// numbered along blockIdx.x (up to 2^31 - 1 of them, so no grid dimension
// limit is ever hit) and the forall's indices recovered by delinearizing.
// The body is rewritten into per-thread code by the KernelDistributor, and
// the launch gets the dynamic shared memory the distributor allocated.
// gpu-kernel-outlining then makes the launches gpu.func kernels.
//
//===----------------------------------------------------------------------===//

#include "KernelDistributor.h"

#include "mlstm/Conversion/Passes.h"
#include "mlstm/Dialect/Mlstm/IR/MlstmOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Interfaces/FunctionInterfaces.h"

namespace mlir::mlstm {
#define GEN_PASS_DEF_MLSTMLOWERTOGPU
#include "mlstm/Conversion/Passes.h.inc"
} // namespace mlir::mlstm

using namespace mlir;
using namespace mlir::mlstm;
using namespace mlir::mlstm::gpu_lowering;

namespace {

/// Largest dynamic shared memory one CTA may use on sm_90 (227 KiB).
constexpr int64_t kMaxSharedMemory = 227 * 1024;

LogicalResult lowerKernel(scf::ForallOp forall, bool useWgmma) {
  Location loc = forall.getLoc();
  OpBuilder b(forall);
  if (forall.getNumResults() != 0)
    return forall.emitOpError("tiled kernels write memory and return nothing");

  SmallVector<Value> ubs = llvm::map_to_vector(
      forall.getMixedUpperBound(), [&](OpFoldResult ub) -> Value {
        if (auto v = dyn_cast<Value>(ub))
          return v;
        return arith::ConstantIndexOp::create(
            b, loc, cast<IntegerAttr>(cast<Attribute>(ub)).getInt());
      });
  Value programs = ubs[0];
  for (Value ub : ArrayRef(ubs).drop_front())
    programs = arith::MulIOp::create(b, loc, programs, ub);
  Value one = arith::ConstantIndexOp::create(b, loc, 1);
  Value threads = arith::ConstantIndexOp::create(b, loc, kThreads);
  Value smemPlaceholder = arith::ConstantIntOp::create(b, loc, 0, 32);
  // Name the kernel after its function and kind, e.g. @f_output, in a
  // gpu.module @f_kernels (gpu-kernel-outlining honors both names).
  auto func = forall->getParentOfType<FunctionOpInterface>();
  auto schedule = forall->getAttrOfType<ScheduleAttr>("mlstm.schedule");
  std::string base = func ? func.getName().str() : "mlstm";
  auto moduleName = FlatSymbolRefAttr::get(b.getContext(), base + "_kernels");
  auto kernelName = FlatSymbolRefAttr::get(
      b.getContext(), base + "_" + stringifyKernelKind(schedule.getKind()).str());
  auto launch = gpu::LaunchOp::create(
      b, loc, programs, one, one, threads, one, one, smemPlaceholder,
      /*asyncTokenType=*/nullptr, /*asyncDependencies=*/{},
      /*workgroupAttributions=*/{}, /*privateAttributions=*/{},
      /*clusterSizeX=*/nullptr, /*clusterSizeY=*/nullptr,
      /*clusterSizeZ=*/nullptr, moduleName, kernelName);
  launch->setDiscardableAttrs(forall->getDiscardableAttrDictionary());

  OpBuilder body = OpBuilder::atBlockBegin(&launch.getBody().front());
  auto smemType = MemRefType::get(
      {ShapedType::kDynamic}, body.getI8Type(), AffineMap(),
      gpu::AddressSpaceAttr::get(b.getContext(), gpu::AddressSpace::Workgroup));
  Value smem = gpu::DynamicSharedMemoryOp::create(body, loc, smemType);
  KernelDistributor dist(body, loc, smem, useWgmma);

  // Program index -> forall indices, innermost fastest.
  SmallVector<Value> kernelUbs =
      llvm::map_to_vector(ubs, [&](Value ub) { return dist.scalar(ub); });
  Value linear = launch.getBlockIds().x;
  SmallVector<Value> ivs(ubs.size());
  for (int64_t d = static_cast<int64_t>(ubs.size()) - 1; d >= 0; --d) {
    ivs[d] = arith::RemUIOp::create(body, loc, linear, kernelUbs[d]);
    linear = arith::DivUIOp::create(body, loc, linear, kernelUbs[d]);
  }
  for (auto [iv, value] : llvm::zip_equal(forall.getInductionVars(), ivs))
    dist.scalarMapping().map(iv, value);

  if (failed(dist.distributeBlock(*forall.getBody())))
    return failure();
  gpu::TerminatorOp::create(body, loc);

  int64_t smemBytes = dist.sharedMemoryBytes();
  if (smemBytes > kMaxSharedMemory)
    return forall.emitOpError("needs ")
           << smemBytes << " bytes of shared memory, more than the "
           << kMaxSharedMemory << " a CTA can have; use smaller blocks";
  b.setInsertionPoint(launch);
  launch.getDynamicSharedMemorySizeMutable().assign(
      arith::ConstantIntOp::create(b, loc, smemBytes, 32));
  smemPlaceholder.getDefiningOp()->erase();
  forall.erase();
  return success();
}

struct MlstmLowerToGPUPass
    : mlstm::impl::MlstmLowerToGPUBase<MlstmLowerToGPUPass> {
  using Base::Base;

  void runOnOperation() override {
    if (mma != "simt" && mma != "wgmma") {
      getOperation()->emitError("mma must be simt or wgmma, got ") << mma;
      return signalPassFailure();
    }
    SmallVector<scf::ForallOp> kernels;
    getOperation()->walk([&](scf::ForallOp forall) {
      if (forall->hasAttr("mlstm.schedule"))
        kernels.push_back(forall);
    });
    for (scf::ForallOp forall : kernels)
      if (failed(lowerKernel(forall, mma == "wgmma")))
        return signalPassFailure();
  }
};

} // namespace
