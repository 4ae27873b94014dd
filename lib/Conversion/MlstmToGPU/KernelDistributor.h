//===- KernelDistributor.h - tiled kernel body -> per-thread code -*- C++ -*-=//
//
// Rewrites the body of one tiled kernel (the region of its scf.forall) into
// the per-thread code of a CTA: tile values become Fragments (Fragments.h),
// tile ops become the loads, stores, arithmetic, shuffles and barriers that
// compute their elements. Moving a tile between layouts goes through shared
// memory, bracketed by barriers; each such staging point owns a slice of
// the kernel's dynamic shared memory.
//
//===----------------------------------------------------------------------===//

#ifndef MLSTM_LIB_CONVERSION_MLSTMTOGPU_KERNELDISTRIBUTOR_H
#define MLSTM_LIB_CONVERSION_MLSTMTOGPU_KERNELDISTRIBUTOR_H

#include "Fragments.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/IRMapping.h"
#include "llvm/ADT/DenseMap.h"

namespace mlir::mlstm::gpu_lowering {

class KernelDistributor {
public:
  /// `b` is positioned inside the GPU kernel body; `smemBase` is the dynamic
  /// shared memory as an i8 memref.
  KernelDistributor(OpBuilder &b, Location loc, Value smemBase,
                    bool useWgmma = false);

  /// Distributes the ops of `block` (but its terminator) at the builder's
  /// position, with `ivMapping` giving the values of the block arguments.
  LogicalResult distributeBlock(Block &block);

  /// Bytes of dynamic shared memory the kernel needs.
  int64_t sharedMemoryBytes() const { return smemBytes; }

  IRMapping &scalarMapping() { return scalars; }

  /// The kernel's value of scalar `v`; constants from outside the kernel
  /// are cloned in (kernels take only real arguments).
  Value scalar(Value v);

private:
  friend struct OpDistribution;

  LogicalResult distributeOp(Operation *op);
  LogicalResult distributeFor(Operation *op);
  LogicalResult distributeIf(Operation *op);
  LogicalResult distributeElementwise(Operation *op);
  LogicalResult distributeTileOp(Operation *op);
  /// 2-D tile_loads whose global reads are issued together
  /// (DistributeLoads.cpp).
  LogicalResult distributeLoadGroup(ArrayRef<Operation *> loads);
  LogicalResult distributeTensorOp(Operation *op);

  //===--- values --------------------------------------------------------===//
  Fragment &fragment(Value tile);

  void setFragment(Value tile, Fragment frag) { frags[tile] = std::move(frag); }

  //===--- layouts -------------------------------------------------------===//
  /// `frag` in layout `kind` (moving through shared memory if needed).
  Fragment convert(const Fragment &frag, FragKind kind);
  Fragment toShared(const Fragment &frag);
  Fragment fromShared(const Fragment &shared, FragKind kind);

  /// Row / column index (as `index` values) of element `e` of a fragment.
  Value rowOf(FragKind kind, ArrayRef<int64_t> shape, int64_t e);
  Value colOf(FragKind kind, ArrayRef<int64_t> shape, int64_t e);
  /// The linear index tid + 128 e of Linear1D element e.
  Value linearOf(int64_t e);

  //===--- shared memory and synchronization ----------------------------===//
  Value allocShared(RankedTensorType type);
  /// An empty Shared fragment for `type`, swizzled where the layout allows.
  Fragment allocSharedTile(RankedTensorType type);
  /// Element access to a Shared fragment at tile coordinates.
  Value sharedLoad(const Fragment &frag, ArrayRef<Value> coords);
  void sharedStore(Value v, const Fragment &frag, ArrayRef<Value> coords);
  /// Vector access to elements (r, c) .. (r, c + n - 1) of a 2-D Shared
  /// fragment; c must keep them in one 16-byte piece of a row (aligned to
  /// the vector's size).
  Value sharedVectorLoad(VectorType type, const Fragment &frag, Value r,
                         Value c);
  void sharedVectorStore(Value v, const Fragment &frag, Value r, Value c);
  void barrier();
  /// Makes this thread's shared-memory stores visible to the async proxy
  /// (TMA, wgmma); needed before a barrier that hands a tile to wgmma.
  void fenceAsyncShared();
  /// Emits `body` guarded by `cond` (an i1).
  void ifThen(Value cond, function_ref<void()> body);

  //===--- arithmetic helpers -------------------------------------------===//
  Value index(int64_t v);
  Value addIndex(Value a, int64_t v);
  Value floatConst(Type type, double v);
  Value fastExp(Value x);
  Value fastLog1p(Value x);
  Value shuffleXor(Value v, int32_t mask);

public:
  OpBuilder &b;
  Location loc;
  /// Products of 16-bit operands run on the tensor cores (wgmma).
  bool useWgmma;

  // Thread coordinates: tid = 32 * warp + lane; Acc2D rows start at
  // rowBase = 16 warp + lane / 4, columns at colBase = 2 (lane % 4).
  Value tid, warp, lane, rowBase, colBase;

private:
  Value smemBase;
  Block *kernelEntry;
  int64_t smemBytes = 0;
  DenseMap<Value, Fragment> frags;
  IRMapping scalars;
};

} // namespace mlir::mlstm::gpu_lowering

#endif // MLSTM_LIB_CONVERSION_MLSTMTOGPU_KERNELDISTRIBUTOR_H
