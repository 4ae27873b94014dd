//===- TileKernel.cpp - the frame of a tiled kernel -----------------------===//

#include "TileKernel.h"

#include "mlir/Dialect/Bufferization/IR/Bufferization.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"

using namespace mlir;
using namespace mlir::mlstm;

Value mlir::mlstm::toBuffer(OpBuilder &b, Location loc, Value tensor) {
  if (!tensor)
    return {};
  auto type = cast<RankedTensorType>(tensor.getType());
  // Any strides: kernels read the caller's (possibly strided) tensors in
  // place instead of copying them into a dense layout first.
  auto layout = StridedLayoutAttr::get(
      b.getContext(), ShapedType::kDynamic,
      SmallVector<int64_t>(type.getRank(), ShapedType::kDynamic));
  auto memref =
      MemRefType::get(type.getShape(), type.getElementType(), layout);
  return bufferization::ToBufferOp::create(b, loc, memref, tensor,
                                           /*read_only=*/true);
}

Value mlir::mlstm::allocBuffer(OpBuilder &b, Location loc,
                               RankedTensorType type, ArrayRef<Value> sizes) {
  SmallVector<Value> dynamic;
  for (int64_t d = 0; d < type.getRank(); ++d)
    if (type.isDynamicDim(d))
      dynamic.push_back(sizes[d]);
  auto memref = MemRefType::get(type.getShape(), type.getElementType());
  return memref::AllocOp::create(b, loc, memref, dynamic);
}

Value mlir::mlstm::toTensor(OpBuilder &b, Location loc, Value buffer,
                            RankedTensorType type) {
  return bufferization::ToTensorOp::create(b, loc, type, buffer,
                                           /*restrict=*/true,
                                           /*writable=*/true);
}

SmallVector<Value> mlir::mlstm::createKernel(OpBuilder &b, Location loc,
                                     ArrayRef<Value> grid,
                                     ScheduleAttr schedule) {
  SmallVector<OpFoldResult> ubs(grid.begin(), grid.end());
  auto forall = scf::ForallOp::create(b, loc, ubs, ValueRange{},
                                      /*mapping=*/std::nullopt);
  forall->setAttr(kScheduleAttrName, schedule);
  b.setInsertionPointToStart(forall.getBody());
  return forall.getInductionVars();
}
