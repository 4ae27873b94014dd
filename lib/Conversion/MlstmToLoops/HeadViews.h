//===- HeadViews.h - Per-(batch, head) views of the mlstm operands -*- C++ -*-//
//
// Every mlstm op is independent across (batch, head): the lowerings loop over
// B x NH with scf.forall and work on rank-reduced slices of one head. These
// helpers build those slices (and put results back), choose the compute
// precision, and load a head's initial recurrent state.
//
//===----------------------------------------------------------------------===//

#ifndef MLSTM_LIB_CONVERSION_MLSTMTOLOOPS_HEADVIEWS_H
#define MLSTM_LIB_CONVERSION_MLSTMTOLOOPS_HEADVIEWS_H

#include "mlstm/Dialect/Mlstm/IR/MlstmOps.h"

#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Utils/StaticValueUtils.h"
#include "mlir/IR/Builders.h"

#include <optional>

namespace mlir::mlstm::loops {

/// The float type the arithmetic runs in: the widest of f32 and `types`
/// (element types of shaped types; null types are skipped), so accumulation
/// is at least f32 and f64 inputs or states keep f64.
FloatType getComputeType(MLIRContext *ctx, ArrayRef<Type> types);

/// The rank-reduced slice src[indices..., range, :, ...]: `indices` fix (and
/// drop) the leading dimensions; `range`, if given, selects
/// [offset, offset + size) of the next dimension; the rest is taken whole.
Value extractHeadSlice(OpBuilder &b, Location loc, Value src,
                       ValueRange indices,
                       std::optional<Range> range = std::nullopt);

/// Inserts `slice` into `dest` where extractHeadSlice would have taken it.
Value insertHeadSlice(OpBuilder &b, Location loc, Value slice, Value dest,
                      ValueRange indices,
                      std::optional<Range> range = std::nullopt);

/// The same as a tensor.parallel_insert_slice at the end of the terminator
/// of `forall` (sizes are computed in its body, where ops may live).
void parallelInsertHeadSlice(OpBuilder &b, Location loc, scf::ForallOp forall,
                             Value slice, Value dest, ValueRange indices,
                             std::optional<Range> range = std::nullopt);

/// An uninitialized tensor of `type`; `sizes` gives the size of every
/// dimension (only those of dynamic dimensions are used).
Value emptyTensor(OpBuilder &b, Location loc, RankedTensorType type,
                  ArrayRef<Value> sizes);

/// A tensor of the given sizes and element type, filled with `value`.
Value filledTensor(OpBuilder &b, Location loc, ArrayRef<OpFoldResult> sizes,
                   Type elementType, double value);

/// `tensor` converted element-wise to `elementType` (extf / truncf in a
/// linalg.map), or `tensor` itself when it already has that element type.
Value convertTensor(OpBuilder &b, Location loc, Value tensor, Type elementType);

/// The recurrent state of one head in the state element type: C (DQK x DHV),
/// n (DQK) and the scalar m, as the variant has them (null otherwise).
struct HeadState {
  Value C, n, m;

  /// The present states in operand order (C, n, m), e.g. as loop iter_args.
  SmallVector<Value> getValues() const;
  /// The inverse of getValues for the states of `variant`.
  static HeadState fromValues(VariantAttr variant, ValueRange values);
};

/// The initial state of head (bi, hi): slices of `initialStates` (C, then n,
/// then m, as the variant has them), or zeros and m = 0 when there are none.
HeadState loadInitialState(OpBuilder &b, Location loc, VariantAttr variant,
                           ValueRange initialStates, Value bi, Value hi,
                           Type stateType, int64_t dqk, int64_t dhv);

} // namespace mlir::mlstm::loops

#endif // MLSTM_LIB_CONVERSION_MLSTMTOLOOPS_HEADVIEWS_H
