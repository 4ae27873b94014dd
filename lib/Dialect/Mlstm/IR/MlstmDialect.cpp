//===- MlstmDialect.cpp - mlstm dialect registration ----------------------===//

#include "mlstm/Dialect/Mlstm/IR/MlstmDialect.h"
#include "mlstm/Dialect/Mlstm/IR/MlstmOps.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/DialectImplementation.h"
#include "llvm/ADT/TypeSwitch.h"

using namespace mlir;
using namespace mlir::mlstm;

#include "mlstm/Dialect/Mlstm/IR/MlstmOpsDialect.cpp.inc"
#include "mlstm/Dialect/Mlstm/IR/MlstmEnums.cpp.inc"
#define GET_ATTRDEF_CLASSES
#include "mlstm/Dialect/Mlstm/IR/MlstmAttrs.cpp.inc"

void MlstmDialect::initialize() {
  addAttributes<
#define GET_ATTRDEF_LIST
#include "mlstm/Dialect/Mlstm/IR/MlstmAttrs.cpp.inc"
      >();
  addOperations<
#define GET_OP_LIST
#include "mlstm/Dialect/Mlstm/IR/MlstmOps.cpp.inc"
      >();
}

/// Folded tile gates become arith constants.
Operation *MlstmDialect::materializeConstant(OpBuilder &builder,
                                             Attribute value, Type type,
                                             Location loc) {
  return arith::ConstantOp::materialize(builder, value, type, loc);
}
