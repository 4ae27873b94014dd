//===- TileMemoryToLoops.cpp - tile_load / tile_store on the CPU ----------===//
//
// A tile access touches element u of the tile at memref index
// (i_0, ..., i_(R-T) + u_0, ...); elements out of bounds or with u_0 >= valid
// are padding on load and dropped on store.
//
//===----------------------------------------------------------------------===//

#include "TileLowering.h"

#include "mlstm/Dialect/Mlstm/IR/MlstmOps.h"
#include "mlstm/Dialect/Mlstm/IR/TileAccess.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/PatternMatch.h"

using namespace mlir;
using namespace mlir::mlstm;

namespace {

struct TileLoadToGenerate : OpRewritePattern<TileLoadOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(TileLoadOp op,
                                PatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    RankedTensorType type = op.getResult().getType();
    Value padding = arith::ConstantOp::create(
        rewriter, loc,
        rewriter.getFloatAttr(type.getElementType(),
                              op.getPadding().convertToDouble()));
    auto generate = tensor::GenerateOp::create(
        rewriter, loc, type, ValueRange{},
        [&](OpBuilder &b, Location loc, ValueRange u) {
          TileAccess access = tileAccess(b, loc, op.getSource(), op.getIndices(),
                                     u, op.getValid());
          auto ifOp = scf::IfOp::create(
              b, loc, access.inBounds,
              [&](OpBuilder &b, Location loc) {
                Value x = memref::LoadOp::create(b, loc, op.getSource(),
                                                 access.indices);
                scf::YieldOp::create(b, loc, x);
              },
              [&](OpBuilder &b, Location loc) {
                scf::YieldOp::create(b, loc, padding);
              });
          tensor::YieldOp::create(b, loc, ifOp.getResult(0));
        });
    rewriter.replaceOp(op, generate);
    return success();
  }
};

struct TileStoreToLoops : OpRewritePattern<TileStoreOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(TileStoreOp op,
                                PatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    RankedTensorType type = op.getValue().getType();
    Value zero = arith::ConstantIndexOp::create(rewriter, loc, 0);
    Value one = arith::ConstantIndexOp::create(rewriter, loc, 1);
    SmallVector<Value> lbs(type.getRank(), zero), steps(type.getRank(), one);
    SmallVector<Value> ubs = llvm::map_to_vector(
        type.getShape(), [&](int64_t s) -> Value {
          return arith::ConstantIndexOp::create(rewriter, loc, s);
        });
    scf::buildLoopNest(
        rewriter, loc, lbs, ubs, steps,
        [&](OpBuilder &b, Location loc, ValueRange u) {
          TileAccess access = tileAccess(b, loc, op.getDest(), op.getIndices(), u,
                                     op.getValid());
          scf::IfOp::create(b, loc, access.inBounds,
                            [&](OpBuilder &b, Location loc) {
                              Value x = tensor::ExtractOp::create(
                                  b, loc, op.getValue(), u);
                              memref::StoreOp::create(b, loc, x, op.getDest(),
                                                      access.indices);
                              scf::YieldOp::create(b, loc);
                            });
        });
    rewriter.eraseOp(op);
    return success();
  }
};

} // namespace

void mlir::mlstm::loops::populateTileMemoryToLoopsPatterns(
    RewritePatternSet &patterns) {
  patterns.add<TileLoadToGenerate, TileStoreToLoops>(patterns.getContext());
}
