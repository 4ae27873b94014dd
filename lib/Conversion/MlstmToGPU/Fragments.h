//===- Fragments.h - tiles distributed over a warpgroup ---------*- C++ -*-===//
//
// The GPU lowering turns every tile value of a tiled kernel into a
// *fragment*: what each of the CTA's threads holds of it. The layouts follow
// the wgmma accumulator, so tile_matmul results need no data movement once
// the product runs on the tensor cores:
//
//   Acc2D    M x N tile (M % 64 == 0, N % 8 == 0): thread 32w + l holds
//            rows 64g + 16w + l/4 + 8h and columns 8j + 2(l%4) + p,
//            element ((g * N/8 + j) * 2 + h) * 2 + p.
//   Rows1D   a 1-D tile indexed like Acc2D's rows: element g * 2 + h.
//   Cols1D   a 1-D tile indexed like Acc2D's columns: element j * 2 + p.
//   Linear1D a 1-D tile spread linearly: element e is index tid + 128 e.
//   Shared   the tile in shared memory (row-major, or swizzled for the
//            tensor cores: see Fragment::swizzled).
//   Splat    one value for every element.
//   Scalar   not a tile: one uniform value.
//
// Per-thread elements are plain scalar SSA values (the fragment code is
// unrolled at compile time, as the registers of a real kernel are).
//
//===----------------------------------------------------------------------===//

#ifndef MLSTM_LIB_CONVERSION_MLSTMTOGPU_FRAGMENTS_H
#define MLSTM_LIB_CONVERSION_MLSTMTOGPU_FRAGMENTS_H

#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/Value.h"
#include "llvm/ADT/SmallVector.h"

namespace mlir::mlstm::gpu_lowering {

/// Threads per CTA: one warpgroup.
inline constexpr int64_t kThreads = 128;

enum class FragKind { Acc2D, Rows1D, Cols1D, Linear1D, Shared, Splat, Scalar };

struct Fragment {
  FragKind kind = FragKind::Scalar;
  /// The tile type (null for Scalar).
  RankedTensorType type;
  /// Per-thread elements (Acc2D, Rows1D, Cols1D, Linear1D) or the single
  /// value (Splat, Scalar).
  SmallVector<Value> values;
  /// The shared-memory view (Shared).
  Value shared;
  /// Shared 2-D tiles of 16-bit elements with rows of a multiple of 64 are
  /// stored in the 128-byte swizzled layout of TMA and wgmma operands:
  /// 64-column boxes one after another, element (r, c) of a box at 16-byte
  /// chunk (c / 8) xor (r % 8) of its 128-byte row. `shared` is then a flat
  /// 1-D view of the tile.
  bool swizzled = false;

  bool isTile() const { return kind != FragKind::Scalar; }
};

/// Where Acc2D element `e` of a tile with `cols` columns sits among the
/// thread's rows and columns: its index in a Rows1D fragment (g * 2 + h) and
/// in a Cols1D fragment (j * 2 + p).
struct AccElement {
  int64_t row, col;
};
inline AccElement accElement(int64_t e, int64_t cols) {
  int64_t perGroup = cols / 2;
  int64_t g = e / perGroup, j = (e % perGroup) / 4, h = (e / 2) % 2, p = e % 2;
  return {g * 2 + h, j * 2 + p};
}

/// Number of per-thread elements of a tile of `shape` in layout `kind`.
inline int64_t fragmentSize(FragKind kind, ArrayRef<int64_t> shape) {
  switch (kind) {
  case FragKind::Acc2D:
    return shape[0] / 64 * shape[1] / 2;
  case FragKind::Rows1D:
    return shape[0] / 64 * 2;
  case FragKind::Cols1D:
    return shape[0] / 4;
  case FragKind::Linear1D:
    return (shape[0] + kThreads - 1) / kThreads;
  default:
    return 1;
  }
}

} // namespace mlir::mlstm::gpu_lowering

#endif // MLSTM_LIB_CONVERSION_MLSTMTOGPU_FRAGMENTS_H
