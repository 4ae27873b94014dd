//===- ExportEntryPoints.cpp - record the library ABI of spec functions ---===//
//
// Lowering turns a spec function's tensors into buffers and its recurrence
// into kernel launches; the host API generator still needs to know which
// argument is q and which result is the final C. This pass writes that down
// as argument / result / function attributes, which bufferization keeps.
//
//===----------------------------------------------------------------------===//

#include "EntryPoints.h"
#include "mlstm/Dialect/Mlstm/Transforms/Passes.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"

namespace mlir::mlstm {
#define GEN_PASS_DEF_MLSTMEXPORTENTRYPOINTS
#include "mlstm/Dialect/Mlstm/Transforms/Passes.h.inc"
} // namespace mlir::mlstm

using namespace mlir;
using namespace mlir::mlstm;

namespace {

struct MlstmExportEntryPointsPass
    : mlstm::impl::MlstmExportEntryPointsBase<MlstmExportEntryPointsPass> {
  using Base::Base;

  void runOnOperation() override {
    getOperation()->walk([&](func::FuncOp func) {
      RecurrenceOp rec = entryRecurrence(func);
      if (!rec)
        return;
      Builder b(func.getContext());
      auto mark = [&](Value v, StringRef role) {
        func.setArgAttr(cast<BlockArgument>(v).getArgNumber(), "mlstm.arg",
                        b.getStringAttr(role));
      };
      mark(rec.getQ(), "q");
      mark(rec.getK(), "k");
      mark(rec.getV(), "v");
      if (rec.getI())
        mark(rec.getI(), "i");
      if (rec.getF())
        mark(rec.getF(), "f");
      static constexpr StringLiteral initRoles[] = {"C0", "n0", "m0"};
      static constexpr StringLiteral finalRoles[] = {"C", "n", "m"};
      SmallVector<unsigned> states = {0};
      if (rec.hasNormalizerState())
        states.push_back(1);
      if (rec.hasMaxState())
        states.push_back(2);
      for (auto [v, idx] : llvm::zip(rec.getInitialStates(), states))
        mark(v, initRoles[idx]);
      func.setResultAttr(0, "mlstm.result", b.getStringAttr("h"));
      for (auto [pos, idx] : llvm::enumerate(states))
        if (pos + 1 < func.getNumResults())
          func.setResultAttr(pos + 1, "mlstm.result",
                             b.getStringAttr(finalRoles[idx]));
      func->setAttr("mlstm.variant", rec.getVariant());
      func->setAttr("mlstm.chunk_size",
                    b.getI64IntegerAttr(
                        rec.getChunkSize().value_or(defaultChunkSize)));
    });
  }
};

} // namespace

/// The single op of type OpT in `func` if it reads only arguments and the
/// function returns its results.
template <typename OpT> static OpT singleEntryOp(func::FuncOp func) {
  if (func.isExternal() || !func.getBody().hasOneBlock())
    return {};
  Block &body = func.getBody().front();
  auto ops = body.without_terminator();
  if (std::distance(ops.begin(), ops.end()) != 1)
    return {};
  auto op = dyn_cast<OpT>(*ops.begin());
  if (!op)
    return {};
  for (Value operand : op->getOperands())
    if (!isa<BlockArgument>(operand) ||
        cast<BlockArgument>(operand).getOwner() != &body)
      return {};
  auto ret = cast<func::ReturnOp>(body.getTerminator());
  if (ret.getOperands() != op->getResults())
    return {};
  return op;
}

RecurrenceOp mlir::mlstm::entryRecurrence(func::FuncOp func) {
  return singleEntryOp<RecurrenceOp>(func);
}

RecurrenceGradOp mlir::mlstm::entryRecurrenceGrad(func::FuncOp func) {
  return singleEntryOp<RecurrenceGradOp>(func);
}
