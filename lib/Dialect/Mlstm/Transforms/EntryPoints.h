//===- EntryPoints.h - which spec functions are entry points ----*- C++ -*-===//

#ifndef MLSTM_LIB_DIALECT_MLSTM_TRANSFORMS_ENTRYPOINTS_H
#define MLSTM_LIB_DIALECT_MLSTM_TRANSFORMS_ENTRYPOINTS_H

#include "mlstm/Dialect/Mlstm/IR/MlstmOps.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"

namespace mlir::mlstm {

/// The single recurrence of `func` if `func` is an entry point: its body is
/// one recurrence on the arguments, and it returns the recurrence's results.
RecurrenceOp entryRecurrence(func::FuncOp func);

/// Likewise for a gradient function (one recurrence_grad).
RecurrenceGradOp entryRecurrenceGrad(func::FuncOp func);

} // namespace mlir::mlstm

#endif // MLSTM_LIB_DIALECT_MLSTM_TRANSFORMS_ENTRYPOINTS_H
