//===- TileAccess.h - the element mapping of tile_load / tile_store -*- C++ -*-//
//
// One definition of which memory element a tile element touches and whether
// it exists (MlstmTileOps.td, tile_load), shared by the CPU lowering
// (TileMemoryToLoops.cpp) and the GPU lowering (DistributeTileOps.cpp).
//
//===----------------------------------------------------------------------===//

#ifndef MLSTM_DIALECT_MLSTM_IR_TILEACCESS_H
#define MLSTM_DIALECT_MLSTM_IR_TILEACCESS_H

#include "mlir/IR/Builders.h"

namespace mlir::mlstm {

/// The memref indices of tile element `u` and whether the element exists.
struct TileAccess {
  SmallVector<Value> indices;
  /// In bounds of every memref dimension and u[0] < valid (if given).
  Value inBounds;
};

/// For a tile of rank u.size() over `memref` at `base` (one index per memref
/// dimension): element u sits at base + u on the trailing dimensions.
TileAccess tileAccess(OpBuilder &b, Location loc, Value memref,
                      ValueRange base, ValueRange u, Value valid);

} // namespace mlir::mlstm

#endif // MLSTM_DIALECT_MLSTM_IR_TILEACCESS_H
