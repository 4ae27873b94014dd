//===- TileWindow.cpp - a 2-D tile of global memory as one flat array -----===//

#include "TileWindow.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"

using namespace mlir;
using namespace mlir::mlstm::gpu_lowering;

Value TileWindow::at(OpBuilder &b, Location loc, Value r, Value c) const {
  Value rowStart = arith::AddIOp::create(
      b, loc, origin, arith::MulIOp::create(b, loc, r, rowStride));
  return arith::AddIOp::create(b, loc, rowStart, c);
}

TileWindow mlir::mlstm::gpu_lowering::tileWindow(OpBuilder &b, Location loc,
                                                 Value memref, ValueRange base,
                                                 int64_t rows, int64_t cols,
                                                 Value valid,
                                                 int64_t vecElems) {
  auto type = cast<MemRefType>(memref.getType());
  int64_t rank = type.getRank();
  auto cst = [&](int64_t v) {
    return arith::ConstantIndexOp::create(b, loc, v);
  };
  auto cmp = [&](arith::CmpIPredicate p, Value x, Value y) {
    return arith::CmpIOp::create(b, loc, p, x, y);
  };
  auto meta = memref::ExtractStridedMetadataOp::create(b, loc, memref);
  TileWindow w;
  w.whole = arith::ConstantIntOp::create(b, loc, 1, 1);
  auto require = [&](Value cond) {
    w.whole = arith::AndIOp::create(b, loc, w.whole, cond);
  };
  // In bounds: the leading indices address an element, the last two span
  // the tile.
  Value zero = cst(0);
  w.origin = meta.getOffset();
  for (int64_t d = 0; d < rank; ++d) {
    int64_t extent = d == rank - 2 ? rows : d == rank - 1 ? cols : 1;
    Value end = arith::AddIOp::create(b, loc, base[d], cst(extent));
    require(cmp(arith::CmpIPredicate::sge, base[d], zero));
    require(cmp(arith::CmpIPredicate::sle, end, meta.getSizes()[d]));
    w.origin = arith::AddIOp::create(
        b, loc, w.origin,
        arith::MulIOp::create(b, loc, base[d], meta.getStrides()[d]));
  }
  if (valid)
    require(cmp(arith::CmpIPredicate::sge, valid, cst(rows)));
  // Rows are contiguous and every vector starts aligned to its size: unit
  // last stride, origin and row stride multiples of the vector, aligned
  // base pointer (the host API guarantees 16 bytes; checked, not assumed).
  w.rowStride = meta.getStrides()[rank - 2];
  require(cmp(arith::CmpIPredicate::eq, meta.getStrides()[rank - 1], cst(1)));
  Value vec = cst(vecElems);
  require(cmp(arith::CmpIPredicate::eq,
              arith::RemUIOp::create(b, loc, w.origin, vec), zero));
  require(cmp(arith::CmpIPredicate::eq,
              arith::RemUIOp::create(b, loc, w.rowStride, vec), zero));
  int64_t vecBytes = vecElems * type.getElementTypeBitWidth() / 8;
  Value ptr = memref::ExtractAlignedPointerAsIndexOp::create(b, loc, memref);
  require(cmp(arith::CmpIPredicate::eq,
              arith::RemUIOp::create(b, loc, ptr, cst(vecBytes)), zero));
  // The flat view starts at the aligned pointer: `origin` includes the
  // memref's offset. Its size is never read (no bounds are checked on it).
  auto flatType = MemRefType::get({ShapedType::kDynamic},
                                  type.getElementType(), AffineMap(),
                                  type.getMemorySpace());
  w.flat = memref::ReinterpretCastOp::create(
      b, loc, flatType, meta.getBaseBuffer(), b.getIndexAttr(0),
      ArrayRef<OpFoldResult>{OpFoldResult(Value(cst(int64_t(1) << 62)))},
      ArrayRef<OpFoldResult>{b.getIndexAttr(1)});
  return w;
}

SmallVector<Value> mlir::mlstm::gpu_lowering::ifThenElse(
    OpBuilder &b, Location loc, Value cond, TypeRange types,
    function_ref<SmallVector<Value>()> thenBody,
    function_ref<SmallVector<Value>()> elseBody) {
  auto ifOp = scf::IfOp::create(b, loc, types, cond, /*withElseRegion=*/true);
  OpBuilder::InsertionGuard guard(b);
  auto fill = [&](Block *block, function_ref<SmallVector<Value>()> body) {
    // An if without results comes with its yields; one with results not.
    if (!block->empty())
      block->getTerminator()->erase();
    b.setInsertionPointToEnd(block);
    SmallVector<Value> values = body();
    scf::YieldOp::create(b, loc, values);
  };
  fill(ifOp.thenBlock(), thenBody);
  fill(ifOp.elseBlock(), elseBody);
  return SmallVector<Value>(ifOp.getResults());
}
