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
  if (variant.getForgetGate() == ForgetGate::LogSigmoid &&
      !tb.computeType().isF64()) {
    // Sum in f64 (once per chunk, O(L)) and keep the rounding error as lo.
    Type f64 = b.getF64Type();
    Value wide = tb.convert(logForget, f64);
    wide = TileScanOp::create(b, loc, wide.getType(), wide, CombiningKind::Add);
    gates.cumLogForget = tb.convert(wide, tb.computeType());
    gates.cumLogForgetLo = tb.convert(
        tb.fsub(wide, tb.convert(gates.cumLogForget, f64)), tb.computeType());
    gates.totalLogForget = tb.convert(
        tensor::ExtractOp::create(b, loc, wide, ValueRange{tb.index(chunk - 1)}),
        tb.computeType());
  } else {
    gates.cumLogForget = TileScanOp::create(b, loc, logForget.getType(),
                                            logForget, CombiningKind::Add);
    gates.totalLogForget = tensor::ExtractOp::create(
        b, loc, gates.cumLogForget, ValueRange{tb.index(chunk - 1)});
  }

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

Value ChunkGates::gateMatrix(TileBuilder &tb, Value row0, int64_t rows,
                             Value col0, int64_t cols) const {
  auto slice = [&](Value v, Value at, int64_t size) {
    return v ? tb.slice1D(v, at, size) : Value();
  };
  return TileGateMatrixOp::create(
      tb.builder(), tb.getLoc(), tb.tile({rows, cols}),
      slice(cumLogForget, row0, rows), slice(cumLogForgetLo, row0, rows),
      slice(cumLogForget, col0, cols), slice(cumLogForgetLo, col0, cols),
      slice(logInput, col0, cols), row0, col0);
}

Value ChunkGates::logWeightAtEnd(TileBuilder &tb, Value col0,
                                 int64_t size) const {
  RankedTensorType vec = tb.tile({size});
  Value b = tb.slice1D(cumLogForget, col0, size);
  Value a;
  if (cumLogForgetLo) {
    // (g_hi - b_hi) + (g_lo - b_lo): the f64 sum's g is hi + lo too.
    int64_t last = cast<RankedTensorType>(cumLogForget.getType()).getDimSize(0) - 1;
    Value lastIdx = tb.index(last);
    OpBuilder &ob = tb.builder();
    Value gHi = tensor::ExtractOp::create(ob, tb.getLoc(), cumLogForget,
                                          ValueRange{lastIdx});
    Value gLo = tensor::ExtractOp::create(ob, tb.getLoc(), cumLogForgetLo,
                                          ValueRange{lastIdx});
    a = tb.fadd(tb.fsub(tb.splat(vec, gHi), b),
                tb.fsub(tb.splat(vec, gLo),
                        tb.slice1D(cumLogForgetLo, col0, size)));
  } else {
    a = tb.fsub(tb.splat(vec, totalLogForget), b);
  }
  if (logInput)
    a = tb.fadd(a, tb.slice1D(logInput, col0, size));
  return a;
}

FloatType mlir::mlstm::computeTypeFor(Type inputElt, Type stateElt) {
  if (inputElt.isF64() || stateElt.isF64())
    return Float64Type::get(inputElt.getContext());
  return Float32Type::get(inputElt.getContext());
}
