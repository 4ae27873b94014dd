//===- ExportEntryPoints.cpp - record the library ABI of spec functions ---===//
//
// Lowering turns a spec function's tensors into buffers and its recurrence
// into kernel launches; the host API generator still needs to know which
// argument is q and which result is the final C. This pass writes that down
// as argument / result / function attributes, which bufferization keeps.
//
//===----------------------------------------------------------------------===//

#include "EntryPoints.h"
#include "mlstm/Dialect/Mlstm/Transforms/ChunkSchedule.h"
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
      if (RecurrenceOp rec = entryRecurrence(func))
        markForward(func, rec);
      else if (RecurrenceGradOp grad = entryRecurrenceGrad(func))
        markBackward(func, grad);
    });
  }

private:
  /// The states present in a variant (indices into C, n, m).
  template <typename OpT> static SmallVector<unsigned> states(OpT op) {
    SmallVector<unsigned> present = {0};
    if (op.hasNormalizerState())
      present.push_back(1);
    if (op.hasMaxState())
      present.push_back(2);
    return present;
  }

  static void markArg(func::FuncOp func, Value v, StringRef role) {
    func.setArgAttr(cast<BlockArgument>(v).getArgNumber(), "mlstm.arg",
                    StringAttr::get(func.getContext(), role));
  }

  /// q, k, v, the gates and the initial states, shared by both directions.
  template <typename OpT> static void markInputs(func::FuncOp func, OpT op) {
    static constexpr StringLiteral initRoles[] = {"C0", "n0", "m0"};
    markArg(func, op.getQ(), "q");
    markArg(func, op.getK(), "k");
    markArg(func, op.getV(), "v");
    if (op.getI())
      markArg(func, op.getI(), "i");
    if (op.getF())
      markArg(func, op.getF(), "f");
    for (auto [v, idx] : llvm::zip(op.getInitialStates(), states(op)))
      markArg(func, v, initRoles[idx]);
  }

  template <typename OpT> void markFunction(func::FuncOp func, OpT op) {
    Builder b(func.getContext());
    func->setAttr("mlstm.variant", op.getVariant());
    func->setAttr("mlstm.chunk_size",
                  b.getI64IntegerAttr(resolveChunkSize(op, defaultChunkSize)));
  }

  void markForward(func::FuncOp func, RecurrenceOp rec) {
    Builder b(func.getContext());
    static constexpr StringLiteral finalRoles[] = {"C", "n", "m"};
    markInputs(func, rec);
    func.setResultAttr(0, "mlstm.result", b.getStringAttr("h"));
    for (auto [pos, idx] : llvm::enumerate(states(rec)))
      if (pos + 1 < func.getNumResults())
        func.setResultAttr(pos + 1, "mlstm.result",
                           b.getStringAttr(finalRoles[idx]));
    markFunction(func, rec);
  }

  void markBackward(func::FuncOp func, RecurrenceGradOp grad) {
    Builder b(func.getContext());
    static constexpr StringLiteral cotangentRoles[] = {"dC", "dn", "dm"};
    static constexpr StringLiteral initGradRoles[] = {"dC0", "dn0", "dm0"};
    markInputs(func, grad);
    markArg(func, grad.getH(), "h");
    markArg(func, grad.getDh(), "dh");
    for (auto [v, idx] : llvm::zip(grad.getFinalStateGrads(), states(grad)))
      markArg(func, v, cotangentRoles[idx]);
    // Results in the op's order: dq, dk, dv, di, df, initial-state grads.
    SmallVector<StringRef> roles = {"dq", "dk", "dv"};
    if (grad.getI())
      roles.push_back("di");
    if (grad.getF())
      roles.push_back("df");
    for (auto [v, idx] : llvm::zip(grad.getInitialStateGrads(), states(grad)))
      roles.push_back(initGradRoles[idx]);
    for (auto [pos, role] : llvm::enumerate(roles))
      func.setResultAttr(pos, "mlstm.result", b.getStringAttr(role));
    markFunction(func, grad);
    // Which gradient: callers must be able to tell NX-AI's detached one.
    func->setAttr("mlstm.denominator_grad", grad.getDenominatorGradAttr());
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
