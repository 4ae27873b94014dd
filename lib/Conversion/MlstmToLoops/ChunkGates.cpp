//===- ChunkGates.cpp - Gate vectors of one chunk -------------------------===//

#include "ChunkGates.h"

#include "GateMath.h"
#include "HeadViews.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"

using namespace mlir;
using namespace mlir::mlstm;

loops::ChunkBounds loops::getChunkBounds(OpBuilder &b, Location loc,
                                         Value chunkIndex, int64_t chunkSize,
                                         Value seqLen) {
  Value chunk = arith::ConstantIndexOp::create(b, loc, chunkSize);
  Value start = arith::MulIOp::create(b, loc, chunkIndex, chunk);
  Value rest = arith::SubIOp::create(b, loc, seqLen, start);
  return {start, arith::MinUIOp::create(b, loc, chunk, rest)};
}

/// The length-len vector fn(gate) in the compute type, or zeros when the gate
/// is absent.
static Value mapGate(OpBuilder &b, Location loc, FloatType computeType,
                     Value gate, Value len,
                     function_ref<Value(OpBuilder &, Location, Value)> fn) {
  if (!gate)
    return loops::filledTensor(b, loc, {len}, computeType, 0.0);
  Value init =
      tensor::EmptyOp::create(b, loc, ArrayRef<OpFoldResult>{len}, computeType);
  return linalg::MapOp::create(
             b, loc, ValueRange{gate}, init,
             [&](OpBuilder &nb, Location nloc, ValueRange args) {
               linalg::YieldOp::create(nb, nloc, fn(nb, nloc, args[0]));
             })
      .getResult()
      .front();
}

/// The inclusive cumulative sum y_t = sum_{r <= t} x_r, written as a
/// reduction over a lower-triangular mask so it stays one structured op; the
/// loops it lowers to add x_0, x_1, ... in order, like a sequential scan.
static Value cumulativeSum(OpBuilder &b, Location loc, Value x, Value len,
                           FloatType computeType) {
  MLIRContext *ctx = b.getContext();
  AffineExpr t, r;
  bindDims(ctx, t, r);
  Value init = loops::filledTensor(b, loc, {len}, computeType, 0.0);
  return linalg::GenericOp::create(
             b, loc, TypeRange{init.getType()}, ValueRange{x}, ValueRange{init},
             {AffineMap::get(2, 0, {r}, ctx), AffineMap::get(2, 0, {t}, ctx)},
             {utils::IteratorType::parallel, utils::IteratorType::reduction},
             [&](OpBuilder &nb, Location nloc, ValueRange args) {
               Value row = linalg::IndexOp::create(nb, nloc, 0);
               Value col = linalg::IndexOp::create(nb, nloc, 1);
               Value inTriangle = arith::CmpIOp::create(
                   nb, nloc, arith::CmpIPredicate::ule, col, row);
               Value sum = arith::AddFOp::create(nb, nloc, args[1], args[0]);
               linalg::YieldOp::create(
                   nb, nloc,
                   arith::SelectOp::create(nb, nloc, inTriangle, sum, args[1])
                       .getResult());
             })
      .getResult(0);
}

loops::ChunkGates loops::buildChunkGates(OpBuilder &b, Location loc,
                                         VariantAttr variant,
                                         FloatType computeType, Value iSlice,
                                         Value fSlice, Value len) {
  ChunkGates gates;
  gates.logInput =
      mapGate(b, loc, computeType, iSlice, len,
              [&](OpBuilder &nb, Location nloc, Value i) {
                return logInputWeight(nb, nloc, variant, i, computeType);
              });
  // Without a forget gate log f = 0, so b = 0 without a scan.
  if (!fSlice) {
    gates.cumLogForget = filledTensor(b, loc, {len}, computeType, 0.0);
    return gates;
  }
  Value logForgetVec =
      mapGate(b, loc, computeType, fSlice, len,
              [&](OpBuilder &nb, Location nloc, Value f) {
                return logForget(nb, nloc, variant, f, computeType);
              });
  gates.cumLogForget = cumulativeSum(b, loc, logForgetVec, len, computeType);
  return gates;
}
