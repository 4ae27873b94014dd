//===- TileMathToLinalg.cpp - tile math on the CPU ------------------------===//
//
// Each tile op becomes the linalg/tensor/scf ops of its definition in
// MlstmTileOps.td, on tensors; bufferization and convert-linalg-to-loops do
// the rest.
//
//===----------------------------------------------------------------------===//

#include "TileLowering.h"

#include "mlstm/Dialect/Mlstm/IR/MlstmOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/PatternMatch.h"

#include <limits>

using namespace mlir;
using namespace mlir::mlstm;

namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();

Value floatConst(OpBuilder &b, Location loc, Type type, double v) {
  return arith::ConstantOp::create(b, loc, b.getFloatAttr(type, v));
}

/// Converts scalar `x` to float type `to`.
Value convertScalar(OpBuilder &b, Location loc, Value x, Type to) {
  unsigned from = x.getType().getIntOrFloatBitWidth();
  unsigned width = to.getIntOrFloatBitWidth();
  if (from == width)
    return x;
  if (from < width)
    return arith::ExtFOp::create(b, loc, to, x);
  return arith::TruncFOp::create(b, loc, to, x);
}

/// A tensor of `type` filled with `value`.
Value filled(OpBuilder &b, Location loc, RankedTensorType type, double value) {
  Value empty = tensor::EmptyOp::create(b, loc, type.getShape(),
                                        type.getElementType());
  Value v = floatConst(b, loc, type.getElementType(), value);
  return linalg::FillOp::create(b, loc, v, empty).getResult(0);
}

Value combine(OpBuilder &b, Location loc, CombiningKind kind, Value x,
              Value y) {
  if (kind == CombiningKind::Add)
    return arith::AddFOp::create(b, loc, x, y);
  return arith::MaximumFOp::create(b, loc, x, y);
}

double identity(CombiningKind kind) {
  return kind == CombiningKind::Add ? 0.0 : -kInf;
}

struct MatmulToGeneric : OpRewritePattern<TileMatmulOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(TileMatmulOp op,
                                PatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    MLIRContext *ctx = getContext();
    RankedTensorType type = op.getResult().getType();
    AffineExpr m, n, k;
    bindDims(ctx, m, n, k);
    auto map = [&](AffineExpr a, AffineExpr b) {
      return AffineMap::get(3, 0, {a, b}, ctx);
    };
    SmallVector<AffineMap> maps = {
        op.getTransposeLhs() ? map(k, m) : map(m, k),
        op.getTransposeRhs() ? map(n, k) : map(k, n), map(m, n)};
    Value init = op.getAcc() ? op.getAcc() : filled(rewriter, loc, type, 0.0);
    Type elt = type.getElementType();
    auto generic = linalg::GenericOp::create(
        rewriter, loc, type, ValueRange{op.getLhs(), op.getRhs()}, init, maps,
        {utils::IteratorType::parallel, utils::IteratorType::parallel,
         utils::IteratorType::reduction},
        [&](OpBuilder &b, Location loc, ValueRange args) {
          Value a = convertScalar(b, loc, args[0], elt);
          Value c = convertScalar(b, loc, args[1], elt);
          Value prod = arith::MulFOp::create(b, loc, a, c);
          linalg::YieldOp::create(b, loc,
                                  ValueRange{arith::AddFOp::create(
                                      b, loc, args[2], prod)});
        });
    rewriter.replaceOp(op, generic.getResults());
    return success();
  }
};

struct GateMatrixToGenerate : OpRewritePattern<TileGateMatrixOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(TileGateMatrixOp op,
                                PatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    RankedTensorType type = op.getResult().getType();
    Type elt = type.getElementType();
    Value negInf = floatConst(rewriter, loc, elt, -kInf);
    auto generate = tensor::GenerateOp::create(
        rewriter, loc, type, ValueRange{},
        [&](OpBuilder &b, Location loc, ValueRange ts) {
          Value t = ts[0], s = ts[1];
          Value row = tensor::ExtractOp::create(b, loc, op.getRowCum(), t);
          Value col = tensor::ExtractOp::create(b, loc, op.getColCum(), s);
          Value logD = arith::SubFOp::create(b, loc, row, col);
          if (op.getRowCumLo()) {
            Value rowLo = tensor::ExtractOp::create(b, loc, op.getRowCumLo(), t);
            Value colLo = tensor::ExtractOp::create(b, loc, op.getColCumLo(), s);
            logD = arith::AddFOp::create(
                b, loc, logD, arith::SubFOp::create(b, loc, rowLo, colLo));
          }
          if (op.getColGate())
            logD = arith::AddFOp::create(
                b, loc, logD,
                tensor::ExtractOp::create(b, loc, op.getColGate(), s));
          Value qPos = arith::AddIOp::create(b, loc, op.getRowOffset(), t);
          Value kPos = arith::AddIOp::create(b, loc, op.getColOffset(), s);
          Value causal = arith::CmpIOp::create(
              b, loc, arith::CmpIPredicate::sle, kPos, qPos);
          tensor::YieldOp::create(
              b, loc, arith::SelectOp::create(b, loc, causal, logD, negInf));
        });
    rewriter.replaceOp(op, generate);
    return success();
  }
};

struct ScanToLoop : OpRewritePattern<TileScanOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(TileScanOp op,
                                PatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    int64_t n = op.getResult().getType().getDimSize(0);
    Value one = arith::ConstantIndexOp::create(rewriter, loc, 1);
    auto loop = scf::ForOp::create(
        rewriter, loc, one, arith::ConstantIndexOp::create(rewriter, loc, n),
        one, ValueRange{op.getInput()},
        [&](OpBuilder &b, Location loc, Value i, ValueRange acc) {
          Value prevIdx = arith::SubIOp::create(b, loc, i, one);
          Value prev = tensor::ExtractOp::create(b, loc, acc[0], prevIdx);
          Value cur = tensor::ExtractOp::create(b, loc, acc[0], i);
          Value next = combine(b, loc, op.getKind(), prev, cur);
          scf::YieldOp::create(
              b, loc,
              ValueRange{tensor::InsertOp::create(b, loc, next, acc[0], i)});
        });
    rewriter.replaceOp(op, loop.getResults());
    return success();
  }
};

struct ReduceToGeneric : OpRewritePattern<TileReduceOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(TileReduceOp op,
                                PatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    MLIRContext *ctx = getContext();
    RankedTensorType input = op.getInput().getType();
    Type elt = input.getElementType();
    CombiningKind kind = op.getKind();
    if (input.getRank() == 1) {
      Value zero = arith::ConstantIndexOp::create(rewriter, loc, 0);
      Value one = arith::ConstantIndexOp::create(rewriter, loc, 1);
      Value size =
          arith::ConstantIndexOp::create(rewriter, loc, input.getDimSize(0));
      auto loop = scf::ForOp::create(
          rewriter, loc, zero, size, one,
          ValueRange{floatConst(rewriter, loc, elt, identity(kind))},
          [&](OpBuilder &b, Location loc, Value i, ValueRange acc) {
            Value x = tensor::ExtractOp::create(b, loc, op.getInput(), i);
            scf::YieldOp::create(b, loc,
                                 ValueRange{combine(b, loc, kind, acc[0], x)});
          });
      rewriter.replaceOp(op, loop.getResults());
      return success();
    }
    auto type = cast<RankedTensorType>(op.getResult().getType());
    AffineExpr d0, d1;
    bindDims(ctx, d0, d1);
    AffineExpr kept = op.getDim() == 1 ? d0 : d1;
    SmallVector<AffineMap> maps = {AffineMap::get(2, 0, {d0, d1}, ctx),
                                   AffineMap::get(2, 0, {kept}, ctx)};
    SmallVector<utils::IteratorType> iters(2, utils::IteratorType::parallel);
    iters[op.getDim()] = utils::IteratorType::reduction;
    auto generic = linalg::GenericOp::create(
        rewriter, loc, type, op.getInput(),
        filled(rewriter, loc, type, identity(kind)), maps, iters,
        [&](OpBuilder &b, Location loc, ValueRange args) {
          linalg::YieldOp::create(
              b, loc, ValueRange{combine(b, loc, kind, args[1], args[0])});
        });
    rewriter.replaceOp(op, generic.getResults());
    return success();
  }
};

struct BroadcastToGeneric : OpRewritePattern<TileBroadcastOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(TileBroadcastOp op,
                                PatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    MLIRContext *ctx = getContext();
    RankedTensorType type = op.getResult().getType();
    AffineExpr d0, d1;
    bindDims(ctx, d0, d1);
    SmallVector<AffineMap> maps = {
        AffineMap::get(2, 0, {op.getDim() == 1 ? d0 : d1}, ctx),
        AffineMap::get(2, 0, {d0, d1}, ctx)};
    Value empty = tensor::EmptyOp::create(rewriter, loc, type.getShape(),
                                          type.getElementType());
    auto generic = linalg::GenericOp::create(
        rewriter, loc, type, op.getInput(), empty, maps,
        {utils::IteratorType::parallel, utils::IteratorType::parallel},
        [&](OpBuilder &b, Location loc, ValueRange args) {
          linalg::YieldOp::create(b, loc, ValueRange{args[0]});
        });
    rewriter.replaceOp(op, generic.getResults());
    return success();
  }
};

/// Builds an elementwise linalg.generic over `shape`-d tensor `x`, with
/// extra 1-D operands indexed by the first dimension and scalars captured.
Value elementwise(OpBuilder &b, Location loc, Value x, ValueRange perRow,
                  function_ref<Value(OpBuilder &, Location, Value, ValueRange)>
                      body) {
  MLIRContext *ctx = b.getContext();
  auto type = cast<RankedTensorType>(x.getType());
  unsigned rank = type.getRank();
  AffineMap identityMap = AffineMap::getMultiDimIdentityMap(rank, ctx);
  AffineMap rowMap = AffineMap::get(rank, 0, {getAffineDimExpr(0, ctx)}, ctx);
  SmallVector<Value> inputs = {x};
  SmallVector<AffineMap> maps = {identityMap};
  for (Value v : perRow) {
    inputs.push_back(v);
    maps.push_back(rowMap);
  }
  maps.push_back(identityMap);
  Value empty = tensor::EmptyOp::create(b, loc, type.getShape(),
                                        type.getElementType());
  auto generic = linalg::GenericOp::create(
      b, loc, type, inputs, empty, maps,
      SmallVector<utils::IteratorType>(rank, utils::IteratorType::parallel),
      [&](OpBuilder &b, Location loc, ValueRange args) {
        linalg::YieldOp::create(
            b, loc,
            ValueRange{body(b, loc, args[0],
                            args.drop_front().drop_back())});
      });
  return generic.getResult(0);
}

struct ExpGatesToGeneric : OpRewritePattern<TileExpGatesOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(TileExpGatesOp op,
                                PatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Value stab = op.getStabilized() ? op.getStabilizer() : Value();
    auto expOf = [&](OpBuilder &b, Location loc, Value x, Value s) -> Value {
      if (s)
        x = arith::SubFOp::create(b, loc, x, s);
      return math::ExpOp::create(b, loc, x);
    };
    if (!isa<RankedTensorType>(op.getInput().getType())) {
      rewriter.replaceOp(op, expOf(rewriter, loc, op.getInput(), stab));
      return success();
    }
    bool perRow = stab && isa<RankedTensorType>(stab.getType());
    Value result = elementwise(
        rewriter, loc, op.getInput(),
        perRow ? ValueRange{stab} : ValueRange{},
        [&](OpBuilder &b, Location loc, Value x, ValueRange rows) {
          return expOf(b, loc, x, perRow ? rows[0] : stab);
        });
    rewriter.replaceOp(op, result);
    return success();
  }
};

struct NormalizeToGeneric : OpRewritePattern<TileNormalizeOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(TileNormalizeOp op,
                                PatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    VariantAttr variant = op.getVariant();
    bool stabilized = op.getStabilized();
    Type elt = op.getNum().getType().getElementType();
    SmallVector<Value> rows;
    if (op.getDen())
      rows.push_back(op.getDen());
    if (op.getMaxState())
      rows.push_back(op.getMaxState());
    Value result = elementwise(
        rewriter, loc, op.getNum(), rows,
        [&](OpBuilder &b, Location loc, Value num, ValueRange r) -> Value {
          Value den = op.getDen() ? r[0] : Value();
          Value m = op.getMaxState() ? r.back() : Value();
          if (!den) // No normalizer: the output is the plain numerator.
            return (m && stabilized) ? arith::MulFOp::create(
                                           b, loc, num,
                                           math::ExpOp::create(b, loc, m))
                                     : num;
          Value eps = floatConst(b, loc, elt, variant.getEpsValue());
          Value lower = floatConst(b, loc, elt, 1.0);
          if (m && stabilized)
            lower = math::ExpOp::create(b, loc,
                                        arith::NegFOp::create(b, loc, m));
          else if (m) // h = num / (max(|den|, 1) + eps exp(m))
            eps = arith::MulFOp::create(b, loc, eps,
                                        math::ExpOp::create(b, loc, m));
          Value absDen = math::AbsFOp::create(b, loc, den);
          Value denom = arith::AddFOp::create(
              b, loc, arith::MaximumFOp::create(b, loc, absDen, lower), eps);
          return arith::DivFOp::create(b, loc, num, denom);
        });
    rewriter.replaceOp(op, result);
    return success();
  }
};

} // namespace

void mlir::mlstm::loops::populateTileMathToLinalgPatterns(
    RewritePatternSet &patterns) {
  patterns.add<MatmulToGeneric, GateMatrixToGenerate, ScanToLoop,
               ReduceToGeneric, BroadcastToGeneric, ExpGatesToGeneric,
               NormalizeToGeneric>(patterns.getContext());
}
