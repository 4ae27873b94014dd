//===- ScalarOps.cpp - the host body's integer ops as C++ -----------------===//
//
// The sizes, grids and scalar kernel arguments of a host function are
// computed by arith ops on index / i64 / i32 / i1 values and memref.dim. Each
// becomes one C++ statement defining a variable, in op order. Arithmetic
// calls the runtime's checked helpers (rt::addi, rt::ceildivui, ...), which
// report an overflow as an error status instead of wrapping: every such value
// sizes memory or a launch. EmitC's arith conversion would wrap, and has no
// way to end the call with a status, hence this small translation.
//
//===----------------------------------------------------------------------===//

#include "EntryPoint.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "llvm/ADT/StringMap.h"

using namespace mlir;
using namespace mlir::mlstm;
using namespace mlir::mlstm::hostapi;

std::string ValueNames::ref(Value value) const { return names.lookup(value); }

std::string ValueNames::define(Value value) {
  return names[value] = fresh("v");
}

std::string ValueNames::fresh(StringRef prefix) {
  return prefix.str() + std::to_string(counter++);
}

void ValueNames::bind(Value value, std::string name) {
  names[value] = std::move(name);
}

std::string hostapi::whereLiteral(Operation *op) {
  return "\"" + escapeC(describeOp(op)) + "\"";
}

/// C++ type of an integer SSA value; empty if the host code cannot hold it.
StringRef hostapi::scalarType(Type type) {
  if (type.isIndex() || type.isInteger(64))
    return "int64_t";
  if (type.isInteger(32))
    return "int32_t";
  if (type.isInteger(1))
    return "bool";
  return "";
}

static std::string literal(IntegerAttr attr) {
  Type type = attr.getType();
  if (type.isInteger(1))
    return attr.getValue().isZero() ? "false" : "true";
  int64_t value = attr.getValue().getSExtValue();
  if (type.isInteger(32))
    return value == INT32_MIN ? "INT32_MIN" : std::to_string(value);
  if (value == INT64_MIN)
    return "INT64_MIN";
  if (value >= INT32_MIN && value <= INT32_MAX)
    return std::to_string(value);
  return "INT64_C(" + std::to_string(value) + ")";
}

/// The C++ operator of an arith.cmpi predicate; unsigned ones compare the
/// operands as unsigned.
static std::string comparison(arith::CmpIPredicate predicate,
                              const std::string &lhs, const std::string &rhs) {
  using P = arith::CmpIPredicate;
  const char *symbol = "==";
  bool isUnsigned = false;
  switch (predicate) {
  case P::eq:
    symbol = "==";
    break;
  case P::ne:
    symbol = "!=";
    break;
  case P::slt:
    symbol = "<";
    break;
  case P::sle:
    symbol = "<=";
    break;
  case P::sgt:
    symbol = ">";
    break;
  case P::sge:
    symbol = ">=";
    break;
  case P::ult:
    symbol = "<";
    isUnsigned = true;
    break;
  case P::ule:
    symbol = "<=";
    isUnsigned = true;
    break;
  case P::ugt:
    symbol = ">";
    isUnsigned = true;
    break;
  case P::uge:
    symbol = ">=";
    isUnsigned = true;
    break;
  }
  if (isUnsigned)
    return "rt::toUnsigned(" + lhs + ") " + symbol + " rt::toUnsigned(" + rhs +
           ")";
  return lhs + " " + symbol + " " + rhs;
}

LogicalResult hostapi::emitScalarOp(Operation *op, ValueNames &names, bool emit,
                                    std::string &out) {
  auto unsupported =
      [&]() {
        return op->emitError()
               << "unsupported op in a host function: '" << op->getName()
               << "' (the host API emitter translates arith integer ops, "
                  "memref.dim, memref.alloc, memref.subview, memref.cast, "
                  "gpu.launch_func and func.return)";
      };
  static const llvm::StringMap<StringRef> calls = {
      {"arith.addi", "addi"},
      {"arith.subi", "subi"},
      {"arith.muli", "muli"},
      {"arith.divui", "divui"},
      {"arith.ceildivui", "ceildivui"},
      {"arith.minsi", "minsi"},
      {"arith.maxsi", "maxsi"},
      {"arith.index_cast", "indexCast"},
      {"arith.constant", ""},
      {"arith.cmpi", ""},
      {"arith.select", ""},
      {"memref.dim", "dim"}};
  auto it = calls.find(op->getName().getStringRef());
  if (it == calls.end())
    return unsupported();
  Value result = op->getResult(0);
  StringRef type = scalarType(result.getType());
  for (Value operand : op->getOperands())
    if (!isa<MemRefType>(operand.getType()) &&
        scalarType(operand.getType()).empty())
      type = "";
  if (type.empty())
    return op->emitError() << "'" << op->getName() << "' on "
                           << result.getType()
                           << ": host code computes on index, i64, i32 and "
                              "i1 values only";
  if (auto cmp = dyn_cast<arith::CmpIOp>(op))
    if (scalarType(cmp.getLhs().getType()) == "bool")
      return op->emitError("arith.cmpi on i1 is not supported");
  if (auto constant = dyn_cast<arith::ConstantOp>(op))
    if (!isa<IntegerAttr>(constant.getValue()))
      return unsupported();
  if (!emit)
    return success();
  std::string lhs = op->getNumOperands() ? names.ref(op->getOperand(0)) : "";
  std::string rhs =
      op->getNumOperands() > 1 ? names.ref(op->getOperand(1)) : "";
  std::string expr;
  if (auto constant = dyn_cast<arith::ConstantOp>(op)) {
    expr = literal(cast<IntegerAttr>(constant.getValue()));
  } else if (auto cmp = dyn_cast<arith::CmpIOp>(op)) {
    expr = comparison(cmp.getPredicate(), lhs, rhs);
  } else if (isa<arith::SelectOp>(op)) {
    expr = lhs + " ? " + rhs + " : " + names.ref(op->getOperand(2));
  } else if (isa<arith::IndexCastOp>(op)) {
    expr = "rt::indexCast<" + type.str() + ">(" + lhs + ", " +
           whereLiteral(op) + ")";
  } else if (isa<arith::MinSIOp, arith::MaxSIOp>(op)) {
    expr = "rt::" + it->second.str() + "(" + lhs + ", " + rhs + ")";
  } else {
    expr = "rt::" + it->second.str() + "(" + lhs + ", " + rhs + ", " +
           whereLiteral(op) + ")";
  }
  out +=
      "    " + type.str() + " " + names.define(result) + " = " + expr + ";\n";
  return success();
}
