//===- DeriveBackward.cpp - add the gradient of each entry point ----------===//
//
// The gradient of a recurrence is itself a recurrence-level op
// (mlstm.recurrence_grad), which the later passes chunk, tile and lower like
// the forward. This pass only builds the function around it: the forward's
// inputs, the forward's output h (read, not recomputed) and the cotangents in;
// the input gradients out.
//
//===----------------------------------------------------------------------===//

#include "EntryPoints.h"
#include "mlstm/Dialect/Mlstm/IR/MlstmOps.h"
#include "mlstm/Dialect/Mlstm/Transforms/Passes.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/SymbolTable.h"

namespace mlir::mlstm {
#define GEN_PASS_DEF_MLSTMDERIVEBACKWARD
#include "mlstm/Dialect/Mlstm/Transforms/Passes.h.inc"
} // namespace mlir::mlstm

using namespace mlir;
using namespace mlir::mlstm;

namespace {

/// Builds `<forward>_backward` after `forward`.
LogicalResult deriveBackward(func::FuncOp forward, RecurrenceOp rec,
                             SymbolTable &symbols) {
  std::string name = (forward.getSymName() + "_backward").str();
  if (symbols.lookup(name))
    return forward.emitError() << "cannot derive the backward: '" << name
                               << "' already exists";
  OpBuilder b(forward.getContext());
  b.setInsertionPointAfter(forward);
  Location loc = rec.getLoc();

  Type hType = rec.getH().getType();
  SmallVector<Type> argTypes(forward.getArgumentTypes());
  argTypes.push_back(hType); // h
  argTypes.push_back(hType); // dh
  for (Value state : rec.getFinalStates())
    argTypes.push_back(state.getType());
  SmallVector<Type> resultTypes = {rec.getQ().getType(), rec.getK().getType(),
                                   rec.getV().getType()};
  if (rec.getI())
    resultTypes.push_back(rec.getI().getType());
  if (rec.getF())
    resultTypes.push_back(rec.getF().getType());
  for (Value state : rec.getInitialStates())
    resultTypes.push_back(state.getType());

  auto func = func::FuncOp::create(b, forward.getLoc(), name,
                                   b.getFunctionType(argTypes, resultTypes));
  if (auto visibility = forward.getSymVisibilityAttr())
    func.setSymVisibilityAttr(visibility);
  Block *body = func.addEntryBlock();
  b.setInsertionPointToStart(body);

  // The forward's operands are its block arguments; map them over.
  auto mapped = [&](Value v) -> Value {
    if (!v)
      return v;
    return body->getArgument(cast<BlockArgument>(v).getArgNumber());
  };
  SmallVector<Value> init = llvm::map_to_vector(rec.getInitialStates(), mapped);
  unsigned next = forward.getNumArguments();
  Value h = body->getArgument(next++), dh = body->getArgument(next++);
  SmallVector<Value> finalGrads;
  for (size_t s = 0; s < rec.getFinalStates().size(); ++s)
    finalGrads.push_back(body->getArgument(next++));

  auto grad = RecurrenceGradOp::create(
      b, loc, resultTypes, mapped(rec.getQ()),
      mapped(rec.getK()), mapped(rec.getV()), mapped(rec.getI()),
      mapped(rec.getF()), init, h, dh, finalGrads, rec.getInputGateAttr(),
      rec.getForgetGateAttr(), rec.getNormalizerAttr(), rec.getChunkSizeAttr(),
      rec.getEpsAttr(), rec.getQkScaleAttr(), rec.getStateTypeAttr(),
      rec.getDenominatorGradAttr());
  func::ReturnOp::create(b, loc, grad->getResults());
  symbols.insert(func);
  return success();
}

struct MlstmDeriveBackwardPass
    : mlstm::impl::MlstmDeriveBackwardBase<MlstmDeriveBackwardPass> {
  using Base::Base;

  void runOnOperation() override {
    ModuleOp module = getOperation();
    SymbolTable symbols(module);
    SmallVector<std::pair<func::FuncOp, RecurrenceOp>> work;
    for (auto func : module.getOps<func::FuncOp>())
      if (RecurrenceOp rec = entryRecurrence(func))
        if (all || rec.getBackward())
          work.push_back({func, rec});
    for (auto [func, rec] : work)
      if (failed(deriveBackward(func, rec, symbols)))
        return signalPassFailure();
  }
};

} // namespace
