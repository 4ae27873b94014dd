//===- MlstmOps.h - mlstm operations ----------------------------*- C++ -*-===//

#ifndef MLSTM_DIALECT_MLSTM_IR_MLSTMOPS_H
#define MLSTM_DIALECT_MLSTM_IR_MLSTMOPS_H

#include "mlir/Bytecode/BytecodeOpInterface.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/Dialect.h"
#include "mlir/IR/OpDefinition.h"
#include "mlir/IR/OpImplementation.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"

#include "mlstm/Dialect/Mlstm/IR/MlstmDialect.h"
#include "mlstm/Dialect/Mlstm/IR/MlstmEnums.h.inc"

#define GET_ATTRDEF_CLASSES
#include "mlstm/Dialect/Mlstm/IR/MlstmAttrs.h.inc"

#define GET_OP_CLASSES
#include "mlstm/Dialect/Mlstm/IR/MlstmOps.h.inc"

#endif // MLSTM_DIALECT_MLSTM_IR_MLSTMOPS_H
