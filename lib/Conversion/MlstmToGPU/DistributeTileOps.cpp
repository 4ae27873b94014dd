//===- DistributeTileOps.cpp - per-thread code of the tile ops ------------===//
//
// The CTA-level meaning of each tile op (MlstmTileOps.td) in terms of the
// fragments of Fragments.h. Products run as SIMT outer products over shared
// memory operands for now; their Acc2D result layout is wgmma's, so the
// tensor-core version replaces only the inner loop.
//
//===----------------------------------------------------------------------===//

#include "OpDistribution.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/LLVMIR/NVVMDialect.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "llvm/ADT/TypeSwitch.h"

#include <limits>

using namespace mlir;
using namespace mlir::mlstm;
using namespace mlir::mlstm::gpu_lowering;


LogicalResult OpDistribution::load(TileLoadOp op) {
  RankedTensorType type = op.getResult().getType();
  Value src = d.scalar(op.getSource());
  Value valid = op.getValid() ? d.scalar(op.getValid()) : Value();
  Value pad = d.floatConst(type.getElementType(),
                           op.getPadding().convertToDouble());
  if (type.getRank() == 1) {
    // Each thread loads its linear elements straight into registers.
    Fragment frag;
    frag.kind = FragKind::Linear1D;
    frag.type = type;
    for (int64_t e = 0; e < fragmentSize(FragKind::Linear1D, type.getShape());
         ++e) {
      Value u = d.linearOf(e);
      TileAccess at = access(src, op.getIndices(), {u}, valid);
      Value ok = andI(at.inBounds, cmp(arith::CmpIPredicate::ult, u,
                                       index(type.getDimSize(0))));
      frag.values.push_back(maskedLoad(src, at.indices, ok, pad));
    }
    d.setFragment(op.getResult(), frag);
    return success();
  }
  if (type.getRank() != 2)
    return op.emitOpError("GPU lowering supports 1-D and 2-D tiles");
  return loadGroup({op});
}

LogicalResult OpDistribution::store(TileStoreOp op) {
  RankedTensorType type = op.getValue().getType();
  Value dst = d.scalar(op.getDest());
  Value valid = op.getValid() ? d.scalar(op.getValid()) : Value();
  Fragment frag;
  SmallVector<SmallVector<Value>> coords;
  if (type.getRank() == 2) {
    frag = d.convert(d.fragment(op.getValue()), FragKind::Acc2D);
    for (int64_t e = 0; e < static_cast<int64_t>(frag.values.size()); ++e)
      coords.push_back({d.rowOf(frag.kind, type.getShape(), e),
                        d.colOf(frag.kind, type.getShape(), e)});
  } else {
    frag = d.convert(d.fragment(op.getValue()), FragKind::Linear1D);
    for (int64_t e = 0; e < static_cast<int64_t>(frag.values.size()); ++e)
      coords.push_back({d.linearOf(e)});
  }
  auto masked = [&] {
    for (auto [v, u] : llvm::zip_equal(frag.values, coords)) {
      TileAccess at = access(dst, op.getIndices(), u, valid);
      Value ok = at.inBounds;
      if (type.getRank() == 1)
        ok = andI(ok, cmp(arith::CmpIPredicate::ult, u[0],
                          index(type.getDimSize(0))));
      d.ifThen(ok,
               [&] { memref::StoreOp::create(b, loc, v, dst, at.indices); });
    }
    return SmallVector<Value>{};
  };
  if (type.getRank() == 1) {
    masked();
    return success();
  }
  // Whole 2-D tiles: one unconditional access per pair of adjacent columns.
  auto pair = VectorType::get({2}, type.getElementType());
  TileWindow w = window(dst, op.getIndices(), type.getShape(), valid, 2);
  ifThenElse(
      b, loc, w.whole, {},
      [&] {
        for (size_t e = 0; e < frag.values.size(); e += 2) {
          Value v = vector::FromElementsOp::create(
              b, loc, pair, ValueRange{frag.values[e], frag.values[e + 1]});
          vector::StoreOp::create(b, loc, v, w.flat,
                                  w.at(b, loc, coords[e][0], coords[e][1]),
                                  /*nontemporal=*/false,
                                  llvm::Align(bytesOf(pair)));
        }
        return SmallVector<Value>{};
      },
      masked);
  return success();
}

LogicalResult OpDistribution::matmul(TileMatmulOp op) {
  RankedTensorType type = op.getResult().getType();
  ArrayRef<int64_t> shape = type.getShape();
  if (shape[0] % 64 != 0 || shape[1] % 8 != 0)
    return op.emitOpError("GPU lowering needs M % 64 == 0 and N % 8 == 0, "
                          "got ")
           << shape[0] << "x" << shape[1];
  Fragment lhs = d.convert(d.fragment(op.getLhs()), FragKind::Shared);
  Fragment rhs = d.convert(d.fragment(op.getRhs()), FragKind::Shared);
  Type elt = type.getElementType();
  Fragment acc;
  if (op.getAcc()) {
    acc = d.convert(d.fragment(op.getAcc()), FragKind::Acc2D);
  } else {
    acc.kind = FragKind::Acc2D;
    acc.type = type;
    acc.values.assign(fragmentSize(FragKind::Acc2D, shape),
                      d.floatConst(elt, 0.0));
  }
  if (d.useWgmma) {
    if (std::optional<Fragment> result = wgmmaMatmul(op, lhs, rhs, acc)) {
      d.setFragment(op.getResult(), *result);
      return success();
    }
  }
  int64_t kSize = op.getTransposeLhs() ? op.getLhs().getType().getDimSize(0)
                                       : op.getLhs().getType().getDimSize(1);
  // The distinct rows and columns this thread's elements touch.
  int64_t groups = shape[0] / 64, colPairs = shape[1] / 8;
  auto loop = scf::ForOp::create(b, loc, index(0), index(kSize), index(1),
                                 acc.values);
  {
    OpBuilder::InsertionGuard guard(b);
    b.setInsertionPointToStart(loop.getBody());
    Value k = loop.getInductionVar();
    auto loadOperand = [&](const Fragment &f, bool transpose, Value i,
                           Value kk) -> Value {
      Value v = transpose ? d.sharedLoad(f, {kk, i}) : d.sharedLoad(f, {i, kk});
      return v.getType() == elt ? v
                                : arith::ExtFOp::create(b, loc, elt, v);
    };
    SmallVector<Value> a, c;
    for (int64_t g = 0; g < groups; ++g)
      for (int64_t h = 0; h < 2; ++h)
        a.push_back(loadOperand(lhs, op.getTransposeLhs(),
                                d.addIndex(d.rowBase, 64 * g + 8 * h), k));
    for (int64_t j = 0; j < colPairs; ++j)
      for (int64_t p = 0; p < 2; ++p) {
        Value col = d.addIndex(d.colBase, 8 * j + p);
        Value v = op.getTransposeRhs() ? d.sharedLoad(rhs, {col, k})
                                       : d.sharedLoad(rhs, {k, col});
        c.push_back(v.getType() == elt ? v
                                       : arith::ExtFOp::create(b, loc, elt, v));
      }
    SmallVector<Value> next;
    for (auto [e, accV] : llvm::enumerate(loop.getRegionIterArgs())) {
      AccElement at = accElement(e, shape[1]);
      Value prod = arith::MulFOp::create(b, loc, a[at.row], c[at.col]);
      next.push_back(arith::AddFOp::create(b, loc, accV, prod));
    }
    scf::YieldOp::create(b, loc, next);
  }
  Fragment result;
  result.kind = FragKind::Acc2D;
  result.type = type;
  result.values.assign(loop.getResults().begin(), loop.getResults().end());
  d.setFragment(op.getResult(), result);
  return success();
}

/// The shared-memory matrix descriptor (PTX ISA, "matrix descriptor") of a
/// swizzled tile at `byteOffset` from its start: start address >> 4 in bits
/// 0-13, leading byte offset >> 4 in 16-29, stride byte offset >> 4 in
/// 32-45, 128-byte swizzle (1) in 62-63.
static Value wgmmaDescriptor(OpBuilder &b, Location loc, Value shared,
                             int64_t byteOffset, int64_t leadingBytes,
                             int64_t strideBytes) {
  auto i64 = b.getI64Type();
  auto cst = [&](int64_t v) {
    return arith::ConstantIntOp::create(b, loc, i64, v);
  };
  Value base = arith::IndexCastOp::create(
      b, loc, i64, memref::ExtractAlignedPointerAsIndexOp::create(b, loc, shared));
  Value addr = arith::AddIOp::create(b, loc, base, cst(byteOffset));
  addr = arith::ShRUIOp::create(
      b, loc, arith::AndIOp::create(b, loc, addr, cst(0x3FFFF)), cst(4));
  int64_t high = ((leadingBytes >> 4) << 16) | ((strideBytes >> 4) << 32) |
                 (int64_t(1) << 62);
  return arith::OrIOp::create(b, loc, addr, cst(high));
}

std::optional<Fragment> OpDistribution::wgmmaMatmul(TileMatmulOp op,
                                                    const Fragment &lhs,
                                                    const Fragment &rhs,
                                                    const Fragment &acc) {
  RankedTensorType type = op.getResult().getType();
  Type operandElt = op.getLhs().getType().getElementType();
  if (!lhs.swizzled || !rhs.swizzled || !type.getElementType().isF32() ||
      !(operandElt.isBF16() || operandElt.isF16()))
    return std::nullopt;
  bool aKMajor = !op.getTransposeLhs(), bKMajor = op.getTransposeRhs();
  ArrayRef<int64_t> lhsShape = op.getLhs().getType().getShape();
  ArrayRef<int64_t> rhsShape = op.getRhs().getType().getShape();
  int64_t m = type.getDimSize(0), n = type.getDimSize(1);
  int64_t k = aKMajor ? lhsShape[1] : lhsShape[0];
  if (k % 16 != 0 || n > 256 || n % 8 != 0 || m % 64 != 0)
    return std::nullopt;

  MLIRContext *ctx = b.getContext();
  Type f32 = b.getF32Type();
  auto structType =
      LLVM::LLVMStructType::getLiteral(ctx, SmallVector<Type>(n / 2, f32));
  auto wgmmaType = operandElt.isBF16() ? NVVM::WGMMATypes::bf16
                                       : NVVM::WGMMATypes::f16;
  // Byte offset of k-step `s` (16 elements of K) and of row block `g` of
  // A, for the operand's storage (rows x cols, 64-column boxes).
  auto kMajorOffset = [](int64_t rows, int64_t s) {
    int64_t kk = 16 * s;
    return (kk / 64) * rows * 128 + (kk % 64) * 2;
  };
  auto mnMajorOffset = [](int64_t s) { return 16 * s * 128; };

  // Orders the accumulator registers' earlier uses before the async MMAs
  // (the operands' stores were fenced for the async proxy when staged).
  NVVM::WgmmaFenceAlignedOp::create(b, loc);
  Fragment result;
  result.kind = FragKind::Acc2D;
  result.type = type;
  for (int64_t g = 0; g < m / 64; ++g) {
    Value accStruct = LLVM::UndefOp::create(b, loc, structType);
    if (op.getAcc())
      for (int64_t i = 0; i < n / 2; ++i)
        accStruct = LLVM::InsertValueOp::create(
            b, loc, accStruct, acc.values[g * n / 2 + i], ArrayRef<int64_t>{i});
    for (int64_t s = 0; s < k / 16; ++s) {
      // A: rows g*64 .. g*64+63.
      Value descA =
          aKMajor ? wgmmaDescriptor(b, loc, lhs.shared,
                                    kMajorOffset(lhsShape[0], s) + g * 64 * 128,
                                    16, 1024)
                  : wgmmaDescriptor(b, loc, lhs.shared,
                                    mnMajorOffset(s) + g * lhsShape[0] * 128,
                                    lhsShape[0] * 128, 1024);
      Value descB =
          bKMajor ? wgmmaDescriptor(b, loc, rhs.shared,
                                    kMajorOffset(rhsShape[0], s), 16, 1024)
                  : wgmmaDescriptor(b, loc, rhs.shared, mnMajorOffset(s),
                                    rhsShape[0] * 128, 1024);
      bool accumulate = op.getAcc() || s > 0;
      accStruct = NVVM::WgmmaMmaAsyncOp::create(
          b, loc, structType, accStruct, descA, descB,
          NVVM::MMAShapeAttr::get(ctx, 64, n, 16),
          NVVM::WGMMATypesAttr::get(ctx, wgmmaType),
          NVVM::WGMMATypesAttr::get(ctx, wgmmaType),
          NVVM::WGMMATypesAttr::get(ctx, NVVM::WGMMATypes::f32),
          NVVM::WGMMAScaleOutAttr::get(ctx, accumulate
                                                ? NVVM::WGMMAScaleOut::one
                                                : NVVM::WGMMAScaleOut::zero),
          NVVM::WGMMAScaleInAttr::get(ctx, NVVM::WGMMAScaleIn::one),
          NVVM::WGMMAScaleInAttr::get(ctx, NVVM::WGMMAScaleIn::one),
          NVVM::MMALayoutAttr::get(ctx, aKMajor ? NVVM::MMALayout::row
                                                : NVVM::MMALayout::col),
          NVVM::MMALayoutAttr::get(ctx, bKMajor ? NVVM::MMALayout::col
                                                : NVVM::MMALayout::row),
          NVVM::MMAIntOverflowAttr());
    }
    NVVM::WgmmaGroupSyncAlignedOp::create(b, loc);
    NVVM::WgmmaWaitGroupSyncOp::create(b, loc, 0);
    for (int64_t i = 0; i < n / 2; ++i)
      result.values.push_back(LLVM::ExtractValueOp::create(
          b, loc, accStruct, ArrayRef<int64_t>{i}));
  }
  return result;
}

LogicalResult OpDistribution::gateMatrix(TileGateMatrixOp op) {
  RankedTensorType type = op.getResult().getType();
  ArrayRef<int64_t> shape = type.getShape();
  Fragment rows = d.convert(d.fragment(op.getRowCum()), FragKind::Rows1D);
  Fragment cols = d.convert(d.fragment(op.getColCum()), FragKind::Cols1D);
  Fragment gate, rowsLo, colsLo;
  if (op.getColGate())
    gate = d.convert(d.fragment(op.getColGate()), FragKind::Cols1D);
  if (op.getRowCumLo()) {
    rowsLo = d.convert(d.fragment(op.getRowCumLo()), FragKind::Rows1D);
    colsLo = d.convert(d.fragment(op.getColCumLo()), FragKind::Cols1D);
  }
  Type elt = type.getElementType();
  Value negInf = d.floatConst(elt, -std::numeric_limits<double>::infinity());
  Value rowOff = d.scalar(op.getRowOffset()), colOff = d.scalar(op.getColOffset());
  Fragment result;
  result.kind = FragKind::Acc2D;
  result.type = type;
  for (int64_t e = 0; e < fragmentSize(FragKind::Acc2D, shape); ++e) {
    AccElement at = accElement(e, shape[1]);
    Value logD = arith::SubFOp::create(b, loc, rows.values[at.row],
                                       cols.values[at.col]);
    if (op.getRowCumLo())
      logD = arith::AddFOp::create(
          b, loc, logD,
          arith::SubFOp::create(b, loc, rowsLo.values[at.row],
                                colsLo.values[at.col]));
    if (op.getColGate())
      logD = arith::AddFOp::create(b, loc, logD, gate.values[at.col]);
    Value qPos = arith::AddIOp::create(b, loc, rowOff,
                                       d.rowOf(FragKind::Acc2D, shape, e));
    Value kPos = arith::AddIOp::create(b, loc, colOff,
                                       d.colOf(FragKind::Acc2D, shape, e));
    result.values.push_back(
        select(cmp(arith::CmpIPredicate::sle, kPos, qPos), logD, negInf));
  }
  d.setFragment(op.getResult(), result);
  return success();
}

LogicalResult OpDistribution::scan(TileScanOp op) {
  RankedTensorType type = op.getResult().getType();
  Fragment in = d.convert(d.fragment(op.getInput()), FragKind::Linear1D);
  // Stage, scan in one thread (once per chunk; O(L)), read back.
  Fragment staged = d.toShared(in);
  Value first = cmp(arith::CmpIPredicate::eq, d.tid, index(0));
  d.ifThen(first, [&] {
    Value init = memref::LoadOp::create(b, loc, staged.shared, ValueRange{index(0)});
    scf::ForOp::create(
        b, loc, index(1), index(type.getDimSize(0)), index(1),
        ValueRange{init},
        [&](OpBuilder &b, Location loc, Value i, ValueRange acc) {
          Value x = memref::LoadOp::create(b, loc, staged.shared, ValueRange{i});
          Value next = op.getKind() == CombiningKind::Add
                           ? Value(arith::AddFOp::create(b, loc, acc[0], x))
                           : Value(arith::MaximumFOp::create(b, loc, acc[0], x));
          memref::StoreOp::create(b, loc, next, staged.shared, ValueRange{i});
          scf::YieldOp::create(b, loc, ValueRange{next});
        });
  });
  d.barrier();
  d.setFragment(op.getResult(), d.fromShared(staged, FragKind::Linear1D));
  return success();
}

LogicalResult OpDistribution::reduce(TileReduceOp op) {
  RankedTensorType in = op.getInput().getType();
  CombiningKind kind = op.getKind();
  Type elt = in.getElementType();
  double id = kind == CombiningKind::Add
                  ? 0.0
                  : -std::numeric_limits<double>::infinity();
  auto combine = [&](Value x, Value y) -> Value {
    if (kind == CombiningKind::Add)
      return arith::AddFOp::create(b, loc, x, y);
    return arith::MaximumFOp::create(b, loc, x, y);
  };
  auto allLanes = [&](Value v, ArrayRef<int32_t> masks) {
    for (int32_t m : masks)
      v = combine(v, d.shuffleXor(v, m));
    return v;
  };
  // Combines per-warp partials through shared memory: every thread gets the
  // total of the 4 warps for each of its values.
  auto acrossWarps = [&](SmallVector<Value> partial, Value isWriter,
                         function_ref<Value(int64_t)> slotIndex,
                         int64_t slots) -> SmallVector<Value> {
    auto staged = RankedTensorType::get({4, slots}, elt);
    Value buf = d.allocShared(staged);
    d.barrier();
    d.ifThen(isWriter, [&] {
      for (auto [e, v] : llvm::enumerate(partial))
        memref::StoreOp::create(b, loc, v, buf,
                                ValueRange{d.warp, slotIndex(e)});
    });
    d.barrier();
    SmallVector<Value> total;
    for (int64_t e = 0; e < static_cast<int64_t>(partial.size()); ++e) {
      Value acc = d.floatConst(elt, id);
      for (int64_t w = 0; w < 4; ++w)
        acc = combine(acc, memref::LoadOp::create(
                               b, loc, buf, ValueRange{index(w), slotIndex(e)}));
      total.push_back(acc);
    }
    return total;
  };

  if (in.getRank() == 1) {
    Fragment x = d.convert(d.fragment(op.getInput()), FragKind::Linear1D);
    Value acc = d.floatConst(elt, id);
    for (auto [e, v] : llvm::enumerate(x.values)) {
      Value inside = cmp(arith::CmpIPredicate::ult, d.linearOf(e),
                         index(in.getDimSize(0)));
      acc = combine(acc, select(inside, v, d.floatConst(elt, id)));
    }
    acc = allLanes(acc, {16, 8, 4, 2, 1});
    Value lane0 = cmp(arith::CmpIPredicate::eq, d.lane, index(0));
    SmallVector<Value> total =
        acrossWarps({acc}, lane0, [&](int64_t) { return index(0); }, 1);
    d.scalarMapping().map(op.getResult(), total[0]);
    return success();
  }

  Fragment x = d.convert(d.fragment(op.getInput()), FragKind::Acc2D);
  ArrayRef<int64_t> shape = in.getShape();
  int64_t groups = shape[0] / 64, colPairs = shape[1] / 8;
  auto elementAt = [&](int64_t g, int64_t j, int64_t h, int64_t p) {
    return x.values[((g * colPairs + j) * 2 + h) * 2 + p];
  };
  Fragment result;
  result.type = cast<RankedTensorType>(op.getResult().getType());
  if (op.getDim() == 1) {
    // Sum over columns: in-thread, then over the 4 lanes of a row.
    result.kind = FragKind::Rows1D;
    for (int64_t g = 0; g < groups; ++g)
      for (int64_t h = 0; h < 2; ++h) {
        Value acc = d.floatConst(elt, id);
        for (int64_t j = 0; j < colPairs; ++j)
          for (int64_t p = 0; p < 2; ++p)
            acc = combine(acc, elementAt(g, j, h, p));
        result.values.push_back(allLanes(acc, {1, 2}));
      }
  } else {
    // Sum over rows: in-thread, over the 8 row lanes, then over warps.
    SmallVector<Value> partial;
    for (int64_t j = 0; j < colPairs; ++j)
      for (int64_t p = 0; p < 2; ++p) {
        Value acc = d.floatConst(elt, id);
        for (int64_t g = 0; g < groups; ++g)
          for (int64_t h = 0; h < 2; ++h)
            acc = combine(acc, elementAt(g, j, h, p));
        partial.push_back(allLanes(acc, {4, 8, 16}));
      }
    Value rowLane0 = cmp(arith::CmpIPredicate::ult, d.lane, index(4));
    result.kind = FragKind::Cols1D;
    result.values = acrossWarps(
        partial, rowLane0,
        [&](int64_t e) { return d.colOf(FragKind::Cols1D, {shape[1]}, e); },
        shape[1]);
  }
  d.setFragment(op.getResult(), result);
  return success();
}

LogicalResult OpDistribution::broadcast(TileBroadcastOp op) {
  RankedTensorType type = op.getResult().getType();
  ArrayRef<int64_t> shape = type.getShape();
  bool rows = op.getDim() == 1;
  Fragment v = d.convert(d.fragment(op.getInput()),
                         rows ? FragKind::Rows1D : FragKind::Cols1D);
  Fragment result;
  result.kind = FragKind::Acc2D;
  result.type = type;
  for (int64_t e = 0; e < fragmentSize(FragKind::Acc2D, shape); ++e) {
    AccElement at = accElement(e, shape[1]);
    result.values.push_back(rows ? v.values[at.row] : v.values[at.col]);
  }
  d.setFragment(op.getResult(), result);
  return success();
}

LogicalResult OpDistribution::expGates(TileExpGatesOp op) {
  Value stabilizer = op.getStabilized() ? op.getStabilizer() : Value();
  auto expOf = [&](Value x, Value s) {
    if (s)
      x = arith::SubFOp::create(b, loc, x, s);
    return d.fastExp(x);
  };
  auto type = dyn_cast<RankedTensorType>(op.getInput().getType());
  if (!type) {
    d.scalarMapping().map(op.getResult(),
                          expOf(d.scalar(op.getInput()),
                                stabilizer ? d.scalar(stabilizer) : Value()));
    return success();
  }
  bool perRow = stabilizer && isa<RankedTensorType>(stabilizer.getType());
  FragKind kind = type.getRank() == 2 ? FragKind::Acc2D
                                      : d.fragment(op.getInput()).kind;
  if (kind == FragKind::Shared || kind == FragKind::Splat)
    kind = FragKind::Linear1D;
  Fragment x = d.convert(d.fragment(op.getInput()), kind);
  Fragment s;
  if (perRow)
    s = d.convert(d.fragment(stabilizer),
                  type.getRank() == 2 ? FragKind::Rows1D : kind);
  Fragment result;
  result.kind = kind;
  result.type = type;
  ArrayRef<int64_t> shape = type.getShape();
  for (auto [e, v] : llvm::enumerate(x.values)) {
    Value stab;
    if (perRow)
      stab = type.getRank() == 2 ? s.values[accElement(e, shape[1]).row]
                                 : s.values[e];
    else if (stabilizer)
      stab = d.scalar(stabilizer);
    result.values.push_back(expOf(v, stab));
  }
  d.setFragment(op.getResult(), result);
  return success();
}

LogicalResult OpDistribution::normalize(TileNormalizeOp op) {
  VariantAttr variant = op.getVariant();
  RankedTensorType type = op.getResult().getType();
  ArrayRef<int64_t> shape = type.getShape();
  Type elt = type.getElementType();
  Fragment num = d.convert(d.fragment(op.getNum()), FragKind::Acc2D);
  Fragment den, m;
  if (op.getDen())
    den = d.convert(d.fragment(op.getDen()), FragKind::Rows1D);
  if (op.getMaxState())
    m = d.convert(d.fragment(op.getMaxState()), FragKind::Rows1D);
  bool stabilized = op.getStabilized();
  // Per row: the factor h = num * factor.
  SmallVector<Value> factor;
  for (int64_t r = 0; r < fragmentSize(FragKind::Rows1D, {shape[0]}); ++r) {
    Value mr = op.getMaxState() ? m.values[r] : Value();
    if (!op.getDen()) {
      factor.push_back(mr && stabilized ? d.fastExp(mr)
                                        : d.floatConst(elt, 1.0));
      continue;
    }
    Value eps = d.floatConst(elt, variant.getEpsValue());
    Value lower = d.floatConst(elt, 1.0);
    if (mr && stabilized)
      lower = d.fastExp(arith::NegFOp::create(b, loc, mr));
    else if (mr)
      eps = arith::MulFOp::create(b, loc, eps, d.fastExp(mr));
    Value absDen = math::AbsFOp::create(b, loc, den.values[r]);
    Value denom = arith::AddFOp::create(
        b, loc, arith::MaximumFOp::create(b, loc, absDen, lower), eps);
    factor.push_back(
        arith::DivFOp::create(b, loc, d.floatConst(elt, 1.0), denom));
  }
  Fragment result;
  result.kind = FragKind::Acc2D;
  result.type = type;
  for (auto [e, v] : llvm::enumerate(num.values))
    result.values.push_back(arith::MulFOp::create(
        b, loc, v, factor[accElement(e, shape[1]).row]));
  d.setFragment(op.getResult(), result);
  return success();
}

LogicalResult KernelDistributor::distributeTileOp(Operation *op) {
  OpDistribution dist(*this);
  return TypeSwitch<Operation *, LogicalResult>(op)
      .Case([&](TileLoadOp o) { return dist.load(o); })
      .Case([&](TileStoreOp o) { return dist.store(o); })
      .Case([&](TileMatmulOp o) { return dist.matmul(o); })
      .Case([&](TileGateMatrixOp o) { return dist.gateMatrix(o); })
      .Case([&](TileScanOp o) { return dist.scan(o); })
      .Case([&](TileReduceOp o) { return dist.reduce(o); })
      .Case([&](TileBroadcastOp o) { return dist.broadcast(o); })
      .Case([&](TileExpGatesOp o) { return dist.expGates(o); })
      .Case([&](TileNormalizeOp o) { return dist.normalize(o); })
      .Default([](Operation *op) {
        return op->emitOpError("has no GPU lowering; run --mlstm-tile first");
      });
}

LogicalResult KernelDistributor::distributeTensorOp(Operation *op) {
  if (auto splat = dyn_cast<tensor::SplatOp>(op)) {
    Fragment frag;
    frag.kind = FragKind::Splat;
    frag.type = splat.getType();
    frag.values = {scalar(splat.getInput())};
    setFragment(splat.getResult(), frag);
    return success();
  }
  if (auto slice = dyn_cast<tensor::ExtractSliceOp>(op)) {
    if (slice.getSourceType().getRank() != 1)
      return op->emitOpError("GPU lowering slices 1-D tiles only");
    Fragment src = toShared(fragment(slice.getSource()));
    OpFoldResult offset = slice.getMixedOffsets()[0];
    if (auto v = dyn_cast<Value>(offset))
      offset = scalar(v);
    Fragment frag;
    frag.kind = FragKind::Shared;
    frag.type = slice.getType();
    frag.shared = memref::SubViewOp::create(
        b, loc, src.shared, ArrayRef<OpFoldResult>{offset},
        ArrayRef<OpFoldResult>{b.getIndexAttr(slice.getType().getDimSize(0))},
        ArrayRef<OpFoldResult>{b.getIndexAttr(1)});
    setFragment(slice.getResult(), frag);
    return success();
  }
  if (auto extract = dyn_cast<tensor::ExtractOp>(op)) {
    Fragment src = toShared(fragment(extract.getTensor()));
    SmallVector<Value> idx =
        llvm::map_to_vector(extract.getIndices(), [&](Value v) { return scalar(v); });
    scalars.map(extract.getResult(), sharedLoad(src, idx));
    return success();
  }
  return op->emitOpError("unsupported tensor op in a tiled kernel");
}
