//===- MlstmOps.cpp - mlstm operations ------------------------------------===//
//
// The verifier of `mlstm.recurrence` is the gate every spec passes through:
// everything later (chunking, tiling, kernel generation, the host API) relies
// on the shapes and variant attributes being consistent, so every mismatch is
// rejected here with a located diagnostic.
//
//===----------------------------------------------------------------------===//

#include "mlstm/Dialect/Mlstm/IR/MlstmOps.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/OpImplementation.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/Support/MathExtras.h"

#include <cmath>

using namespace mlir;
using namespace mlir::mlstm;

//===----------------------------------------------------------------------===//
// custom<ChunkSize>: an integer, or `auto` when the attribute is absent.
//===----------------------------------------------------------------------===//

static ParseResult parseChunkSize(OpAsmParser &parser, IntegerAttr &chunkSize) {
  if (succeeded(parser.parseOptionalKeyword("auto")))
    return success();
  int64_t value;
  if (parser.parseInteger(value))
    return failure();
  chunkSize = parser.getBuilder().getI64IntegerAttr(value);
  return success();
}

static void printChunkSize(OpAsmPrinter &printer, Operation *,
                           IntegerAttr chunkSize) {
  if (chunkSize)
    printer << chunkSize.getInt();
  else
    printer << "auto";
}

//===----------------------------------------------------------------------===//
// custom<VariantEnum>: a bare keyword (`exp`, `logsigmoid`, `max_abs`, ...).
//===----------------------------------------------------------------------===//

template <typename AttrT>
static ParseResult parseVariantEnum(OpAsmParser &parser, AttrT &attr) {
  using EnumT = decltype(std::declval<AttrT>().getValue());
  SMLoc loc = parser.getCurrentLocation();
  StringRef keyword;
  if (parser.parseKeyword(&keyword))
    return failure();
  std::optional<EnumT> value = symbolizeEnum<EnumT>(keyword);
  if (!value)
    return parser.emitError(loc) << "unknown " << AttrT::getMnemonic()
                                 << " '" << keyword << "'";
  attr = AttrT::get(parser.getContext(), *value);
  return success();
}

template <typename AttrT>
static void printVariantEnum(OpAsmPrinter &printer, Operation *, AttrT attr) {
  printer << stringifyEnum(attr.getValue());
}

//===----------------------------------------------------------------------===//
// RecurrenceOp helpers
//===----------------------------------------------------------------------===//

static constexpr const char *kStateNames[] = {"C", "n", "m"};

// The recurrence and its gradient share their operands' contract; these
// helpers take either op.

template <typename OpT> static unsigned numStates(OpT op) {
  return 1 + (op.hasNormalizerState() ? 1 : 0) + (op.hasMaxState() ? 1 : 0);
}

template <typename OpT> static double effectiveQkScale(OpT op) {
  if (FloatAttr scale = op.getQkScaleAttr())
    return scale.getValueAsDouble();
  return 1.0 / std::sqrt(static_cast<double>(op.getHeadDimQK()));
}

template <typename OpT> static Type stateElementType(OpT op) {
  if (std::optional<Type> type = op.getStateType())
    return *type;
  return Float32Type::get(op.getContext());
}

template <typename OpT> static VariantAttr variantOf(OpT op) {
  return VariantAttr::get(op.getContext(), op.getInputGate(),
                          op.getForgetGate(), op.getNormalizer(),
                          op.getEps().convertToDouble(),
                          op.getEffectiveQkScale());
}

template <typename OpT>
static SmallVector<int64_t> expectedStateShape(OpT op, unsigned idx) {
  ArrayRef<int64_t> q = op.getQ().getType().getShape();
  SmallVector<int64_t> shape = {q[0], q[1]};
  if (idx <= 1)
    shape.push_back(op.getHeadDimQK());
  if (idx == 0)
    shape.push_back(op.getHeadDimV());
  return shape;
}

/// The states present in a variant, in operand order, as indices into
/// kStateNames: C always, n with the normalizer, m with the exp gate.
template <typename OpT> static SmallVector<unsigned, 3> presentStates(OpT op) {
  SmallVector<unsigned, 3> states = {0};
  if (op.hasNormalizerState())
    states.push_back(1);
  if (op.hasMaxState())
    states.push_back(2);
  return states;
}

unsigned RecurrenceOp::getNumStates() { return numStates(*this); }
int64_t RecurrenceOp::getHeadDimQK() { return getQ().getType().getDimSize(3); }
int64_t RecurrenceOp::getHeadDimV() { return getV().getType().getDimSize(3); }
double RecurrenceOp::getEffectiveQkScale() { return effectiveQkScale(*this); }
Type RecurrenceOp::getStateElementType() { return stateElementType(*this); }
VariantAttr RecurrenceOp::getVariant() { return variantOf(*this); }
SmallVector<int64_t> RecurrenceOp::getExpectedStateShape(unsigned idx) {
  return expectedStateShape(*this, idx);
}

unsigned RecurrenceGradOp::getNumStates() { return numStates(*this); }
int64_t RecurrenceGradOp::getHeadDimQK() {
  return getQ().getType().getDimSize(3);
}
int64_t RecurrenceGradOp::getHeadDimV() {
  return getV().getType().getDimSize(3);
}
double RecurrenceGradOp::getEffectiveQkScale() {
  return effectiveQkScale(*this);
}
Type RecurrenceGradOp::getStateElementType() { return stateElementType(*this); }
VariantAttr RecurrenceGradOp::getVariant() { return variantOf(*this); }
SmallVector<int64_t> RecurrenceGradOp::getExpectedStateShape(unsigned idx) {
  return expectedStateShape(*this, idx);
}

/// Names results after the math: %h, then the final states %C, %n, %m.
void RecurrenceOp::getAsmResultNames(OpAsmSetValueNameFn setNameFn) {
  setNameFn(getH(), "h");
  for (auto [state, idx] : llvm::zip(getFinalStates(), presentStates(*this)))
    setNameFn(state, kStateNames[idx]);
}

//===----------------------------------------------------------------------===//
// RecurrenceOp verifier
//===----------------------------------------------------------------------===//

static bool dimsCompatible(int64_t a, int64_t b) {
  return ShapedType::isDynamic(a) || ShapedType::isDynamic(b) || a == b;
}

/// Checks that `actual` agrees with `expected` in every dimension where both
/// are static (shape ranks are checked by the caller).
static bool shapesCompatible(ArrayRef<int64_t> actual,
                             ArrayRef<int64_t> expected) {
  return actual.size() == expected.size() &&
         llvm::all_of(llvm::zip_equal(actual, expected), [](auto pair) {
           return dimsCompatible(std::get<0>(pair), std::get<1>(pair));
         });
}

static std::string shapeStr(ArrayRef<int64_t> shape) {
  std::string s;
  llvm::raw_string_ostream os(s);
  llvm::interleave(
      shape, os,
      [&](int64_t d) {
        if (ShapedType::isDynamic(d))
          os << "?";
        else
          os << d;
      },
      "x");
  return s;
}

/// Verifies one gate operand against its attribute: present iff the gate is
/// not `none`, and shaped B x NH x S like q.
template <typename OpT>
static LogicalResult verifyGate(OpT op, Value gate, bool wanted,
                                StringRef name, StringRef attrName) {
  if (!gate) {
    if (wanted)
      return op.emitOpError() << attrName << " needs the " << name
                              << " operand";
    return success();
  }
  if (!wanted)
    return op.emitOpError() << name << " operand given but " << attrName
                            << " = none";
  auto type = cast<RankedTensorType>(gate.getType());
  ArrayRef<int64_t> q = op.getQ().getType().getShape();
  SmallVector<int64_t> expected(q.take_front(3));
  if (!shapesCompatible(type.getShape(), expected))
    return op.emitOpError() << name << " must have shape B x NH x S = "
                            << shapeStr(expected) << " like q, got "
                            << shapeStr(type.getShape());
  return success();
}

/// Verifies a list of states (initial operands or final results).
template <typename OpT>
static LogicalResult verifyStates(OpT op, TypeRange types,
                                  StringRef what) {
  if (types.empty())
    return success();
  SmallVector<unsigned, 3> states = presentStates(op);
  if (types.size() != states.size())
    return op.emitOpError()
           << "expected " << states.size() << " " << what
           << " states for this variant (C"
           << (op.hasNormalizerState() ? ", n" : "")
           << (op.hasMaxState() ? ", m" : "") << ") or none, got "
           << types.size();
  Type stateElt = op.getStateElementType();
  for (auto [type, idx] : llvm::zip_equal(types, states)) {
    auto tensor = cast<RankedTensorType>(type);
    SmallVector<int64_t> expected = op.getExpectedStateShape(idx);
    if (!shapesCompatible(tensor.getShape(), expected))
      return op.emitOpError()
             << what << " state " << kStateNames[idx] << " must have shape "
             << shapeStr(expected) << ", got " << shapeStr(tensor.getShape());
    if (tensor.getElementType() != stateElt)
      return op.emitOpError()
             << what << " state " << kStateNames[idx] << " must have element "
             << "type " << stateElt << ", got " << tensor.getElementType();
  }
  return success();
}

/// The operand checks the recurrence and its gradient share: q, k, v, gates,
/// eps, qk_scale, chunk_size, and the initial states.
template <typename OpT> static LogicalResult verifyOperands(OpT op) {
  RankedTensorType qType = op.getQ().getType(), kType = op.getK().getType(),
                   vType = op.getV().getType();
  for (auto [name, type] : {std::pair<StringRef, RankedTensorType>{"q", qType},
                            {"k", kType},
                            {"v", vType}})
    if (type.getRank() != 4)
      return op.emitOpError() << name << " must have rank 4 (B x NH x S x D), got "
                           << "rank " << type.getRank();

  int64_t dqk = qType.getDimSize(3), dhv = vType.getDimSize(3);
  if (ShapedType::isDynamic(dqk) || ShapedType::isDynamic(dhv))
    return op.emitOpError("head dimensions DQK and DHV must be static");
  if (dqk <= 0 || dhv <= 0)
    return op.emitOpError() << "head dimensions must be positive, got DQK = "
                         << dqk << ", DHV = " << dhv;
  if (!shapesCompatible(kType.getShape(), qType.getShape()))
    return op.emitOpError() << "k must have the shape of q ("
                         << shapeStr(qType.getShape()) << "), got "
                         << shapeStr(kType.getShape());
  if (!shapesCompatible(vType.getShape().take_front(3),
                        qType.getShape().take_front(3)))
    return op.emitOpError() << "v must agree with q in B x NH x S ("
                         << shapeStr(qType.getShape().take_front(3))
                         << "), got " << shapeStr(vType.getShape());
  if (qType.getElementType() != kType.getElementType() ||
      qType.getElementType() != vType.getElementType())
    return op.emitOpError() << "q, k and v must have one element type, got "
                         << qType.getElementType() << ", "
                         << kType.getElementType() << ", "
                         << vType.getElementType();

  if (failed(verifyGate(op, op.getI(), op.getInputGate() != InputGate::None,
                        "igate", "input_gate")) ||
      failed(verifyGate(op, op.getF(), op.getForgetGate() != ForgetGate::None,
                        "fgate", "forget_gate")))
    return failure();
  if (op.getNormalizer() != Normalizer::None && op.getInputGate() == InputGate::None)
    return op.emitOpError("normalizer = max_abs needs an input gate (exp or "
                       "sigmoid); the none gate has no normalizer state");

  double eps = op.getEps().convertToDouble();
  if (!(eps >= 0.0) || std::isinf(eps))
    return op.emitOpError() << "eps must be finite and non-negative, got " << eps;
  if (FloatAttr scaleAttr = op.getQkScaleAttr()) {
    double scale = scaleAttr.getValueAsDouble();
    if (!(scale > 0.0) || std::isinf(scale))
      return op.emitOpError() << "qk_scale must be finite and positive, got "
                           << scale;
  }
  if (std::optional<uint64_t> chunk = op.getChunkSize()) {
    auto value = static_cast<int64_t>(*chunk);
    if (value <= 0 || !llvm::isPowerOf2_64(value))
      return op.emitOpError() << "chunk_size must be a positive power of two or "
                              "auto, got "
                           << value;
  }

  return verifyStates(op, op.getInitialStates().getTypes(), "initial");
}

LogicalResult RecurrenceOp::verify() {
  if (failed(verifyOperands(*this)))
    return failure();
  RankedTensorType vType = getV().getType();
  RankedTensorType hType = getH().getType();
  if (hType.getRank() != 4 ||
      !shapesCompatible(hType.getShape(), vType.getShape()))
    return emitOpError() << "result h must have the shape of v ("
                         << shapeStr(vType.getShape()) << "), got "
                         << shapeStr(hType.getShape());
  if (hType.getElementType() != vType.getElementType())
    return emitOpError() << "result h must have the element type of v ("
                         << vType.getElementType() << "), got "
                         << hType.getElementType();

  return verifyStates(*this, getFinalStates().getTypes(), "final");
}

/// A gradient result must have the shape and element type of its primal.
static LogicalResult verifyGradResult(Operation *op, Value grad, Value primal,
                                      StringRef name) {
  if (grad.getType() != primal.getType())
    return op->emitOpError() << "result " << name << " must have the type of "
                             << "its primal " << primal.getType() << ", got "
                             << grad.getType();
  return success();
}

/// Names results %dq, %dk, %dv, %di, %df, %dC0, %dn0, %dm0.
void RecurrenceGradOp::getAsmResultNames(OpAsmSetValueNameFn setNameFn) {
  static constexpr const char *kInitGradNames[] = {"dC0", "dn0", "dm0"};
  setNameFn(getDq(), "dq");
  setNameFn(getDk(), "dk");
  setNameFn(getDv(), "dv");
  if (Value di = getDi())
    setNameFn(di, "di");
  if (Value df = getDf())
    setNameFn(df, "df");
  for (auto [grad, idx] :
       llvm::zip(getInitialStateGrads(), presentStates(*this)))
    setNameFn(grad, kInitGradNames[idx]);
}

LogicalResult RecurrenceGradOp::verify() {
  if (failed(verifyOperands(*this)))
    return failure();
  size_t expected = 3 + (getI() ? 1 : 0) + (getF() ? 1 : 0) +
                    getInitialStates().size();
  if (getGrads().size() != expected)
    return emitOpError() << "expected " << expected
                         << " results (dq, dk, dv, a gradient per gate and per "
                            "initial state), got "
                         << getGrads().size();
  RankedTensorType vType = getV().getType();
  for (auto [name, value] : {std::pair<StringRef, Value>{"h", getH()},
                             {"dh", getDh()}}) {
    auto type = cast<RankedTensorType>(value.getType());
    if (type.getElementType() != vType.getElementType() ||
        type.getRank() != 4 ||
        !shapesCompatible(type.getShape(), vType.getShape()))
      return emitOpError() << name << " must have the shape and element type "
                           << "of v (" << vType << "), got " << type;
  }
  if (failed(verifyStates(*this, getFinalStateGrads().getTypes(),
                          "final-state cotangent")))
    return failure();
  if (failed(verifyGradResult(*this, getDq(), getQ(), "dq")) ||
      failed(verifyGradResult(*this, getDk(), getK(), "dk")) ||
      failed(verifyGradResult(*this, getDv(), getV(), "dv")))
    return failure();
  for (auto [grad, primal, name] :
       {std::tuple<Value, Value, StringRef>{getDi(), getI(), "di"},
        {getDf(), getF(), "df"}}) {
    if (grad && failed(verifyGradResult(*this, grad, primal, name)))
      return failure();
  }
  for (auto [grad, primal] :
       llvm::zip_equal(getInitialStateGrads(), getInitialStates()))
    if (failed(verifyGradResult(*this, grad, primal, "initial-state grad")))
      return failure();
  return success();
}

#define GET_OP_CLASSES
#include "mlstm/Dialect/Mlstm/IR/MlstmOps.cpp.inc"
