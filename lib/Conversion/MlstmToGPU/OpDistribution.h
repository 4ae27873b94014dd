//===- OpDistribution.h - per-thread code of the tile ops -------*- C++ -*-===//
//
// The CTA-level meaning of each tile op (MlstmTileOps.td) in terms of the
// fragments of Fragments.h: DistributeTileOps.cpp, and DistributeLoads.cpp
// for the 2-D tile_loads.
//
//===----------------------------------------------------------------------===//

#ifndef MLSTM_LIB_CONVERSION_MLSTMTOGPU_OPDISTRIBUTION_H
#define MLSTM_LIB_CONVERSION_MLSTMTOGPU_OPDISTRIBUTION_H

#include "KernelDistributor.h"
#include "TileWindow.h"

#include "mlstm/Dialect/Mlstm/IR/MlstmOps.h"
#include "mlstm/Dialect/Mlstm/IR/TileAccess.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"

#include <functional>

namespace mlir::mlstm::gpu_lowering {

/// A 2-D tile_load in three steps, so that a group of loads issues every
/// global read before it waits for any. Under the group's condition (each
/// tile whole), `issue` reads and `finish` places what was read (stores to
/// shared memory, or returns the Acc2D values); otherwise `masked` does the
/// element-wise path (likewise).
struct PlannedLoad {
  TileLoadOp op;
  /// The result: a shared slot, or the Acc2D layout still without values.
  Fragment frag;
  /// i1, or null when the tile has no fast path (then `issue` reads nothing
  /// and `finish` is the masked path).
  Value whole;
  std::function<SmallVector<Value>()> issue;
  std::function<SmallVector<Value>(ArrayRef<Value>)> finish;
  std::function<SmallVector<Value>()> masked;
};

/// Op-by-op distribution, with access to the distributor's internals.
struct OpDistribution {
  KernelDistributor &d;
  OpBuilder &b;
  Location loc;

  explicit OpDistribution(KernelDistributor &d) : d(d), b(d.b), loc(d.loc) {}

  Value index(int64_t v) { return d.index(v); }
  Value cmp(arith::CmpIPredicate p, Value x, Value y) {
    return arith::CmpIOp::create(b, loc, p, x, y);
  }
  Value andI(Value x, Value y) { return arith::AndIOp::create(b, loc, x, y); }
  Value select(Value c, Value x, Value y) {
    return arith::SelectOp::create(b, loc, c, x, y);
  }

  /// tileAccess with the kernel's values of the op's base indices.
  TileAccess access(Value memref, ValueRange base, ValueRange u, Value valid) {
    SmallVector<Value> kernelBase =
        llvm::map_to_vector(base, [&](Value v) { return d.scalar(v); });
    return tileAccess(b, loc, memref, kernelBase, u, valid);
  }

  /// Masked load of one element: the padding where out of bounds.
  Value maskedLoad(Value memref, ArrayRef<Value> idx, Value ok, Value pad) {
    auto ifOp = scf::IfOp::create(
        b, loc, ok,
        [&](OpBuilder &b, Location loc) {
          scf::YieldOp::create(
              b, loc, ValueRange{memref::LoadOp::create(b, loc, memref, idx)});
        },
        [&](OpBuilder &b, Location loc) {
          scf::YieldOp::create(b, loc, ValueRange{pad});
        });
    return ifOp.getResult(0);
  }

  /// The window of a 2-D tile at the op's base indices (TileWindow.h).
  TileWindow window(Value memref, ValueRange base, ArrayRef<int64_t> shape,
                    Value valid, int64_t vecElems) {
    SmallVector<Value> kernelBase =
        llvm::map_to_vector(base, [&](Value v) { return d.scalar(v); });
    return tileWindow(b, loc, memref, kernelBase, shape[0], shape[1], valid,
                      vecElems);
  }
  static int64_t bytesOf(VectorType type) {
    return type.getNumElements() * type.getElementTypeBitWidth() / 8;
  }

  LogicalResult load(TileLoadOp op);
  /// 2-D tile_loads, their global reads all issued before any is waited on
  /// (DistributeLoads.cpp).
  LogicalResult loadGroup(ArrayRef<TileLoadOp> ops);
  PlannedLoad planAcc2D(TileLoadOp op);
  PlannedLoad planShared(TileLoadOp op);
  LogicalResult store(TileStoreOp op);
  LogicalResult matmul(TileMatmulOp op);
  /// The product on the tensor cores, if its operands allow (16-bit,
  /// swizzled in shared memory, N <= 256, K % 16 == 0).
  std::optional<Fragment> wgmmaMatmul(TileMatmulOp op, const Fragment &lhs,
                                      const Fragment &rhs, const Fragment &acc);
  LogicalResult gateMatrix(TileGateMatrixOp op);
  LogicalResult scan(TileScanOp op);
  LogicalResult reduce(TileReduceOp op);
  LogicalResult broadcast(TileBroadcastOp op);
  LogicalResult expGates(TileExpGatesOp op);
  LogicalResult normalize(TileNormalizeOp op);
};

} // namespace mlir::mlstm::gpu_lowering

#endif // MLSTM_LIB_CONVERSION_MLSTMTOGPU_OPDISTRIBUTION_H
