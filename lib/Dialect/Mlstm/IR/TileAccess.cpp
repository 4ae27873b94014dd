//===- TileAccess.cpp - the element mapping of tile_load / tile_store -----===//

#include "mlstm/Dialect/Mlstm/IR/TileAccess.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"

using namespace mlir;
using namespace mlir::mlstm;

TileAccess mlir::mlstm::tileAccess(OpBuilder &b, Location loc, Value memref,
                                   ValueRange base, ValueRange u,
                                   Value valid) {
  auto type = cast<MemRefType>(memref.getType());
  int64_t lead = type.getRank() - static_cast<int64_t>(u.size());
  TileAccess access;
  access.inBounds = arith::ConstantIntOp::create(b, loc, 1, 1);
  auto andWith = [&](Value cond) {
    access.inBounds = arith::AndIOp::create(b, loc, access.inBounds, cond);
  };
  Value zero = arith::ConstantIndexOp::create(b, loc, 0);
  for (int64_t d = 0; d < type.getRank(); ++d) {
    Value idx = base[d];
    if (d >= lead)
      idx = arith::AddIOp::create(b, loc, idx, u[d - lead]);
    access.indices.push_back(idx);
    Value size = b.createOrFold<memref::DimOp>(loc, memref, d);
    andWith(arith::CmpIOp::create(b, loc, arith::CmpIPredicate::slt, idx,
                                  size));
    andWith(arith::CmpIOp::create(b, loc, arith::CmpIPredicate::sge, idx,
                                  zero));
  }
  if (valid)
    andWith(arith::CmpIOp::create(b, loc, arith::CmpIPredicate::slt, u[0],
                                  valid));
  return access;
}
