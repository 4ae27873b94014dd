//===- MlstmDialect.h - mlstm dialect ---------------------------*- C++ -*-===//

#ifndef MLSTM_DIALECT_MLSTM_IR_MLSTMDIALECT_H
#define MLSTM_DIALECT_MLSTM_IR_MLSTMDIALECT_H

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/IR/Dialect.h"

#include "mlstm/Dialect/Mlstm/IR/MlstmOpsDialect.h.inc"

#endif // MLSTM_DIALECT_MLSTM_IR_MLSTMDIALECT_H
