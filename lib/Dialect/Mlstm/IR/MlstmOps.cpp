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

unsigned RecurrenceOp::getNumStates() {
  return 1 + (hasNormalizerState() ? 1 : 0) + (hasMaxState() ? 1 : 0);
}

int64_t RecurrenceOp::getHeadDimQK() {
  return getQ().getType().getDimSize(3);
}

int64_t RecurrenceOp::getHeadDimV() { return getV().getType().getDimSize(3); }

double RecurrenceOp::getEffectiveQkScale() {
  if (FloatAttr scale = getQkScaleAttr())
    return scale.getValueAsDouble();
  return 1.0 / std::sqrt(static_cast<double>(getHeadDimQK()));
}

Type RecurrenceOp::getStateElementType() {
  if (std::optional<Type> type = getStateType())
    return *type;
  return Float32Type::get(getContext());
}

/// The states present in a variant, in operand order, as indices into
/// kStateNames: C always, n with the normalizer, m with the exp gate.
static SmallVector<unsigned, 3> presentStates(RecurrenceOp op) {
  SmallVector<unsigned, 3> states = {0};
  if (op.hasNormalizerState())
    states.push_back(1);
  if (op.hasMaxState())
    states.push_back(2);
  return states;
}

VariantAttr RecurrenceOp::getVariant() {
  return VariantAttr::get(getContext(), getInputGate(), getForgetGate(),
                          getNormalizer(), getEps().convertToDouble(),
                          getEffectiveQkScale());
}

SmallVector<int64_t> RecurrenceOp::getExpectedStateShape(unsigned idx) {
  ArrayRef<int64_t> q = getQ().getType().getShape();
  SmallVector<int64_t> shape = {q[0], q[1]};
  if (idx <= 1)
    shape.push_back(getHeadDimQK());
  if (idx == 0)
    shape.push_back(getHeadDimV());
  return shape;
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
static LogicalResult verifyGate(RecurrenceOp op, Value gate, bool wanted,
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
static LogicalResult verifyStates(RecurrenceOp op, TypeRange types,
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

LogicalResult RecurrenceOp::verify() {
  RankedTensorType qType = getQ().getType(), kType = getK().getType(),
                   vType = getV().getType();
  for (auto [name, type] : {std::pair<StringRef, RankedTensorType>{"q", qType},
                            {"k", kType},
                            {"v", vType}})
    if (type.getRank() != 4)
      return emitOpError() << name << " must have rank 4 (B x NH x S x D), got "
                           << "rank " << type.getRank();

  int64_t dqk = qType.getDimSize(3), dhv = vType.getDimSize(3);
  if (ShapedType::isDynamic(dqk) || ShapedType::isDynamic(dhv))
    return emitOpError("head dimensions DQK and DHV must be static");
  if (dqk <= 0 || dhv <= 0)
    return emitOpError() << "head dimensions must be positive, got DQK = "
                         << dqk << ", DHV = " << dhv;
  if (!shapesCompatible(kType.getShape(), qType.getShape()))
    return emitOpError() << "k must have the shape of q ("
                         << shapeStr(qType.getShape()) << "), got "
                         << shapeStr(kType.getShape());
  if (!shapesCompatible(vType.getShape().take_front(3),
                        qType.getShape().take_front(3)))
    return emitOpError() << "v must agree with q in B x NH x S ("
                         << shapeStr(qType.getShape().take_front(3))
                         << "), got " << shapeStr(vType.getShape());
  if (qType.getElementType() != kType.getElementType() ||
      qType.getElementType() != vType.getElementType())
    return emitOpError() << "q, k and v must have one element type, got "
                         << qType.getElementType() << ", "
                         << kType.getElementType() << ", "
                         << vType.getElementType();

  if (failed(verifyGate(*this, getI(), getInputGate() != InputGate::None,
                        "igate", "input_gate")) ||
      failed(verifyGate(*this, getF(), getForgetGate() != ForgetGate::None,
                        "fgate", "forget_gate")))
    return failure();
  if (getNormalizer() != Normalizer::None && getInputGate() == InputGate::None)
    return emitOpError("normalizer = max_abs needs an input gate (exp or "
                       "sigmoid); the none gate has no normalizer state");

  double eps = getEps().convertToDouble();
  if (!(eps >= 0.0) || std::isinf(eps))
    return emitOpError() << "eps must be finite and non-negative, got " << eps;
  if (FloatAttr scaleAttr = getQkScaleAttr()) {
    double scale = scaleAttr.getValueAsDouble();
    if (!(scale > 0.0) || std::isinf(scale))
      return emitOpError() << "qk_scale must be finite and positive, got "
                           << scale;
  }
  if (std::optional<uint64_t> chunk = getChunkSize()) {
    auto value = static_cast<int64_t>(*chunk);
    if (value <= 0 || !llvm::isPowerOf2_64(value))
      return emitOpError() << "chunk_size must be a positive power of two or "
                              "auto, got "
                           << value;
  }

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

  if (failed(verifyStates(*this, getInitialStates().getTypes(), "initial")) ||
      failed(verifyStates(*this, getFinalStates().getTypes(), "final")))
    return failure();
  return success();
}

#define GET_OP_CLASSES
#include "mlstm/Dialect/Mlstm/IR/MlstmOps.cpp.inc"
