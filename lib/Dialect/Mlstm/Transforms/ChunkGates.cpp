//===- ChunkGates.cpp - the gate vectors of one chunk ---------------------===//

#include "ChunkGates.h"

#include <limits>

using namespace mlir;
using namespace mlir::mlstm;

static Value loadGate(TileBuilder &tb, Value buf, int64_t chunk, Value batch,
                      Value head, Value start, Value valid, double padding) {
  OpBuilder &b = tb.builder();
  auto type = cast<MemRefType>(buf.getType());
  Value raw = TileLoadOp::create(
      b, tb.getLoc(), tb.tile({chunk}, type.getElementType()), buf,
      ValueRange{batch, head, start}, valid, b.getF64FloatAttr(padding));
  return tb.convert(raw, tb.computeType());
}

ChunkGates mlir::mlstm::loadChunkGates(TileBuilder &tb, VariantAttr variant,
                                       int64_t chunk, Value iBuf, Value fBuf,
                                       Value batch, Value head, Value start,
                                       Value valid) {
  constexpr double inf = std::numeric_limits<double>::infinity();
  OpBuilder &b = tb.builder();
  Location loc = tb.getLoc();
  ChunkGates gates;

  Value logForget;
  if (variant.getForgetGate() == ForgetGate::LogSigmoid)
    logForget = tb.logSigmoid(
        loadGate(tb, fBuf, chunk, batch, head, start, valid, inf));
  else
    logForget = tb.splat(tb.tile({chunk}), 0.0);
  gates.cumLogForget = TileScanOp::create(b, loc, logForget.getType(),
                                          logForget, CombiningKind::Add);
  gates.totalLogForget = tensor::ExtractOp::create(
      b, loc, gates.cumLogForget, ValueRange{tb.index(chunk - 1)});

  switch (variant.getInputGate()) {
  case InputGate::Exp:
    gates.logInput = loadGate(tb, iBuf, chunk, batch, head, start, valid, -inf);
    break;
  case InputGate::Sigmoid:
    gates.logInput = tb.logSigmoid(
        loadGate(tb, iBuf, chunk, batch, head, start, valid, -inf));
    break;
  case InputGate::None:
    break;
  }
  return gates;
}

FloatType mlir::mlstm::computeTypeFor(Type inputElt, Type stateElt) {
  if (inputElt.isF64() || stateElt.isF64())
    return Float64Type::get(inputElt.getContext());
  return Float32Type::get(inputElt.getContext());
}
