//===- TileKernel.h - the frame of a tiled kernel ---------------*- C++ -*-===//
//
// A tiled kernel reads its operands as memrefs (bufferization.to_buffer of
// the chunk op's tensors), writes freshly allocated results, and runs as an
// `scf.forall` over its grid tagged with the schedule (attribute
// `mlstm.schedule`), which the GPU lowering turns into a launch.
//
//===----------------------------------------------------------------------===//

#ifndef MLSTM_LIB_DIALECT_MLSTM_TRANSFORMS_TILEKERNEL_H
#define MLSTM_LIB_DIALECT_MLSTM_TRANSFORMS_TILEKERNEL_H

#include "mlstm/Dialect/Mlstm/IR/MlstmOps.h"

#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/IR/Builders.h"

namespace mlir::mlstm {

/// The name of the discardable attribute carrying a kernel's schedule.
inline constexpr llvm::StringLiteral kScheduleAttrName = "mlstm.schedule";

/// `tensor` as a memref of the same shape with any strides (null stays
/// null).
Value toBuffer(OpBuilder &b, Location loc, Value tensor);

/// A new buffer of `type`'s shape, its dynamic sizes taken in order from
/// `dynamicSizes` (which may hold extra, unused trailing values).
Value allocBuffer(OpBuilder &b, Location loc, RankedTensorType type,
                  ArrayRef<Value> sizes);

/// The result tensor of a kernel that wrote `buffer`.
Value toTensor(OpBuilder &b, Location loc, Value buffer,
               RankedTensorType type);

/// Creates the kernel's forall over `grid` and leaves `b` inside its body;
/// returns the induction variables.
SmallVector<Value> createKernel(OpBuilder &b, Location loc, ArrayRef<Value> grid,
                        ScheduleAttr schedule);

} // namespace mlir::mlstm

#endif // MLSTM_LIB_DIALECT_MLSTM_TRANSFORMS_TILEKERNEL_H
