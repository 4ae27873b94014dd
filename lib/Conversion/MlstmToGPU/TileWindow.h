//===- TileWindow.h - a 2-D tile of global memory as one flat array -*- C++ -*-//
//
// The fast path of tile_load / tile_store: when a whole tile exists (in
// bounds, under `valid`) and its rows are aligned for vector accesses, the
// threads read or write it with wide accesses and no per-element checks.
// Only the partial tiles at the borders take the masked element-wise path.
// The condition is uniform across the CTA (it depends on the tile's origin
// and the memref's sizes and strides only), so the branch never diverges.
//
//===----------------------------------------------------------------------===//

#ifndef MLSTM_LIB_CONVERSION_MLSTMTOGPU_TILEWINDOW_H
#define MLSTM_LIB_CONVERSION_MLSTMTOGPU_TILEWINDOW_H

#include "mlir/IR/Builders.h"

namespace mlir::mlstm::gpu_lowering {

struct TileWindow {
  /// memref<?xT> with unit stride over the source's underlying buffer.
  Value flat;
  /// Index in `flat` of tile element (0, 0) and the distance between rows
  /// (elements of a row are consecutive under `whole`).
  Value origin, rowStride;
  /// i1: every element of the tile exists and element (r, c) with
  /// c % vecElems == 0 starts a vecElems-element access aligned to its size.
  Value whole;

  /// Index in `flat` of tile element (r, c); meaningful under `whole`.
  Value at(OpBuilder &b, Location loc, Value r, Value c) const;
};

/// The window of a rows x cols tile of `memref` at `base` (one index per
/// memref dimension; the tile spans the last two), rows limited by `valid`
/// if given (tile_load's semantics), for accesses of `vecElems` elements.
TileWindow tileWindow(OpBuilder &b, Location loc, Value memref,
                      ValueRange base, int64_t rows, int64_t cols, Value valid,
                      int64_t vecElems);

/// Emits `thenBody` under `cond` and `elseBody` otherwise; each returns the
/// values it yields (the same types), which the if returns.
SmallVector<Value> ifThenElse(OpBuilder &b, Location loc, Value cond,
                              TypeRange types,
                              function_ref<SmallVector<Value>()> thenBody,
                              function_ref<SmallVector<Value>()> elseBody);

} // namespace mlir::mlstm::gpu_lowering

#endif // MLSTM_LIB_CONVERSION_MLSTMTOGPU_TILEWINDOW_H
