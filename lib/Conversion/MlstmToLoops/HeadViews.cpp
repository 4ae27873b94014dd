//===- HeadViews.cpp - Per-(batch, head) views of the mlstm operands ------===//

#include "HeadViews.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Arith/Utils/Utils.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"

using namespace mlir;
using namespace mlir::mlstm;

FloatType loops::getComputeType(MLIRContext *ctx, ArrayRef<Type> types) {
  FloatType widest = Float32Type::get(ctx);
  for (Type type : types) {
    if (!type)
      continue;
    auto element = cast<FloatType>(getElementTypeOrSelf(type));
    if (element.getWidth() > widest.getWidth())
      widest = element;
  }
  return widest;
}

namespace {
/// Offsets, sizes and strides of the slice src[indices..., range, :, ...].
struct HeadSliceParams {
  SmallVector<OpFoldResult> offsets, sizes, strides;

  HeadSliceParams(OpBuilder &b, Location loc, Value src, ValueRange indices,
                  std::optional<Range> range) {
    int64_t rank = cast<RankedTensorType>(src.getType()).getRank();
    auto leading = static_cast<int64_t>(indices.size());
    for (int64_t d = 0; d < rank; ++d) {
      strides.push_back(b.getIndexAttr(1));
      if (d < leading) {
        offsets.push_back(indices[d]);
        sizes.push_back(b.getIndexAttr(1));
      } else if (d == leading && range) {
        offsets.push_back(range->offset);
        sizes.push_back(range->size);
      } else {
        offsets.push_back(b.getIndexAttr(0));
        sizes.push_back(tensor::getMixedSize(b, loc, src, d));
      }
    }
  }
};
} // namespace

Value loops::extractHeadSlice(OpBuilder &b, Location loc, Value src,
                              ValueRange indices, std::optional<Range> range) {
  HeadSliceParams params(b, loc, src, indices, range);
  auto srcType = cast<RankedTensorType>(src.getType());
  RankedTensorType sliceType =
      tensor::ExtractSliceOp::inferCanonicalRankReducedResultType(
          srcType.getRank() - indices.size(), srcType, params.sizes);
  return tensor::ExtractSliceOp::create(b, loc, sliceType, src, params.offsets,
                                        params.sizes, params.strides);
}

Value loops::insertHeadSlice(OpBuilder &b, Location loc, Value slice,
                             Value dest, ValueRange indices,
                             std::optional<Range> range) {
  HeadSliceParams params(b, loc, dest, indices, range);
  return tensor::InsertSliceOp::create(b, loc, slice, dest, params.offsets,
                                       params.sizes, params.strides);
}

void loops::parallelInsertHeadSlice(OpBuilder &b, Location loc,
                                    scf::ForallOp forall, Value slice,
                                    Value dest, ValueRange indices,
                                    std::optional<Range> range) {
  OpBuilder::InsertionGuard guard(b);
  b.setInsertionPoint(forall.getTerminator());
  HeadSliceParams params(b, loc, dest, indices, range);
  b.setInsertionPointToEnd(forall.getTerminator().getBody());
  tensor::ParallelInsertSliceOp::create(b, loc, slice, dest, params.offsets,
                                        params.sizes, params.strides);
}

Value loops::emptyTensor(OpBuilder &b, Location loc, RankedTensorType type,
                         ArrayRef<Value> sizes) {
  SmallVector<Value> dynamicSizes;
  for (int64_t dim = 0; dim < type.getRank(); ++dim)
    if (type.isDynamicDim(dim))
      dynamicSizes.push_back(sizes[dim]);
  return tensor::EmptyOp::create(b, loc, type, dynamicSizes);
}

Value loops::filledTensor(OpBuilder &b, Location loc,
                          ArrayRef<OpFoldResult> sizes, Type elementType,
                          double value) {
  Value empty = tensor::EmptyOp::create(b, loc, sizes, elementType);
  Value fill =
      arith::ConstantOp::create(b, loc, b.getFloatAttr(elementType, value));
  return linalg::FillOp::create(b, loc, ValueRange{fill}, ValueRange{empty})
      .getResult(0);
}

Value loops::convertTensor(OpBuilder &b, Location loc, Value tensor,
                           Type elementType) {
  auto type = cast<RankedTensorType>(tensor.getType());
  if (type.getElementType() == elementType)
    return tensor;
  Value init = tensor::EmptyOp::create(
      b, loc, tensor::getMixedSizes(b, loc, tensor), elementType);
  return linalg::MapOp::create(
             b, loc, ValueRange{tensor}, init,
             [&](OpBuilder &nb, Location nloc, ValueRange args) {
               Value converted = convertScalarToDtype(
                   nb, nloc, args[0], elementType, /*isUnsignedCast=*/false);
               linalg::YieldOp::create(nb, nloc, converted);
             })
      .getResult()
      .front();
}

loops::HeadState loops::loadInitialState(OpBuilder &b, Location loc,
                                         VariantAttr variant,
                                         ValueRange initialStates, Value bi,
                                         Value hi, Type stateType, int64_t dqk,
                                         int64_t dhv) {
  HeadState state;
  if (!initialStates.empty()) {
    // The operands may spell head dimensions as `?` or use another float
    // type; the loops carry static shapes in the state type.
    auto sliceAs = [&](Value all, ArrayRef<int64_t> shape) -> Value {
      Value slice = convertTensor(
          b, loc, extractHeadSlice(b, loc, all, {bi, hi}), stateType);
      auto type = RankedTensorType::get(shape, stateType);
      if (slice.getType() != type)
        slice = tensor::CastOp::create(b, loc, type, slice);
      return slice;
    };
    unsigned next = 0;
    state.C = sliceAs(initialStates[next++], {dqk, dhv});
    if (variant.hasNormalizerState())
      state.n = sliceAs(initialStates[next++], {dqk});
    if (variant.hasMaxState())
      state.m = convertScalarToDtype(
          b, loc,
          tensor::ExtractOp::create(b, loc, initialStates[next++],
                                    ValueRange{bi, hi}),
          stateType, /*isUnsignedCast=*/false);
    return state;
  }
  // The recurrence starts from C = 0, n = 0 and m = 0 (not -inf: m_0 = 0 is
  // part of the definition and decides the first steps' stabilizer).
  state.C = filledTensor(b, loc, {b.getIndexAttr(dqk), b.getIndexAttr(dhv)},
                         stateType, 0.0);
  if (variant.hasNormalizerState())
    state.n = filledTensor(b, loc, {b.getIndexAttr(dqk)}, stateType, 0.0);
  if (variant.hasMaxState())
    state.m = arith::ConstantOp::create(b, loc, b.getFloatAttr(stateType, 0.0));
  return state;
}

SmallVector<Value> loops::HeadState::getValues() const {
  SmallVector<Value> values = {C};
  for (Value state : {n, m})
    if (state)
      values.push_back(state);
  return values;
}

loops::HeadState loops::HeadState::fromValues(VariantAttr variant,
                                              ValueRange values) {
  HeadState state;
  unsigned next = 0;
  state.C = values[next++];
  if (variant.hasNormalizerState())
    state.n = values[next++];
  if (variant.hasMaxState())
    state.m = values[next++];
  return state;
}
