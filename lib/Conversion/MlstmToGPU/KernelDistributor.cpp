//===- KernelDistributor.cpp - layouts, staging and structure -------------===//

#include "KernelDistributor.h"

#include "mlstm/Dialect/Mlstm/IR/MlstmOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/LLVMIR/NVVMDialect.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/IR/TypeUtilities.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"

// C++17: no <numbers>.
static constexpr double kLog2E = 1.4426950408889634;
static constexpr double kLn2 = 0.6931471805599453;

using namespace mlir;
using namespace mlir::mlstm;
using namespace mlir::mlstm::gpu_lowering;

KernelDistributor::KernelDistributor(OpBuilder &b, Location loc,
                                     Value smemBase, bool useWgmma)
    : b(b), loc(loc), useWgmma(useWgmma), smemBase(smemBase),
      kernelEntry(b.getInsertionBlock()) {
  tid = gpu::ThreadIdOp::create(b, loc, gpu::Dimension::x);
  Value c32 = index(32), c4 = index(4);
  warp = arith::DivUIOp::create(b, loc, tid, c32);
  lane = arith::RemUIOp::create(b, loc, tid, c32);
  rowBase = arith::AddIOp::create(
      b, loc, arith::MulIOp::create(b, loc, warp, index(16)),
      arith::DivUIOp::create(b, loc, lane, c4));
  colBase = arith::MulIOp::create(
      b, loc, arith::RemUIOp::create(b, loc, lane, c4), index(2));
}

//===----------------------------------------------------------------------===//
// Helpers
//===----------------------------------------------------------------------===//

Value KernelDistributor::index(int64_t v) {
  return arith::ConstantIndexOp::create(b, loc, v);
}

Value KernelDistributor::addIndex(Value a, int64_t v) {
  if (v == 0)
    return a;
  return arith::AddIOp::create(b, loc, a, index(v));
}

Value KernelDistributor::floatConst(Type type, double v) {
  return arith::ConstantOp::create(b, loc, b.getFloatAttr(type, v));
}

/// exp(x) = 2^(x log2 e) on the SFU: no libdevice call (docs/gpu-path.md).
Value KernelDistributor::fastExp(Value x) {
  Type f32 = b.getF32Type();
  Value in = x.getType() == f32 ? x : arith::ExtFOp::create(b, loc, f32, x);
  Value scaled = arith::MulFOp::create(b, loc, in,
                                       floatConst(f32, kLog2E));
  Value r = LLVM::CallIntrinsicOp::create(
                b, loc, f32, b.getStringAttr("llvm.nvvm.ex2.approx.ftz.f32"),
                ValueRange{scaled})
                .getResult(0);
  return x.getType() == f32 ? r : arith::TruncFOp::create(b, loc, x.getType(), r);
}

/// log1p(x) = log2(1 + x) ln 2. Adequate for the gate activations: it loses
/// only absolute accuracy below 1e-7, where log sigmoid rounds to 0 anyway.
Value KernelDistributor::fastLog1p(Value x) {
  Type f32 = b.getF32Type();
  Value in = x.getType() == f32 ? x : arith::ExtFOp::create(b, loc, f32, x);
  Value onePlus = arith::AddFOp::create(b, loc, in, floatConst(f32, 1.0));
  Value lg = LLVM::CallIntrinsicOp::create(
                 b, loc, f32, b.getStringAttr("llvm.nvvm.lg2.approx.ftz.f"),
                 ValueRange{onePlus})
                 .getResult(0);
  Value r = arith::MulFOp::create(b, loc, lg,
                                  floatConst(f32, kLn2));
  return x.getType() == f32 ? r : arith::TruncFOp::create(b, loc, x.getType(), r);
}

Value KernelDistributor::shuffleXor(Value v, int32_t mask) {
  return gpu::ShuffleOp::create(b, loc, v, mask, 32, gpu::ShuffleMode::XOR)
      .getShuffleResult();
}

void KernelDistributor::barrier() { gpu::BarrierOp::create(b, loc); }

void KernelDistributor::fenceAsyncShared() {
  NVVM::FenceProxyOp::create(
      b, loc, NVVM::ProxyKind::async_shared,
      NVVM::SharedSpaceAttr::get(b.getContext(), NVVM::SharedSpace::shared_cta));
}

void KernelDistributor::ifThen(Value cond, function_ref<void()> body) {
  auto ifOp = scf::IfOp::create(b, loc, cond, /*withElseRegion=*/false);
  OpBuilder::InsertionGuard guard(b);
  b.setInsertionPointToStart(ifOp.thenBlock());
  body();
}

Value KernelDistributor::allocShared(RankedTensorType type) {
  int64_t bytes = type.getNumElements() *
                  llvm::divideCeil(type.getElementTypeBitWidth(), 8);
  // 1024-byte alignment: the period of the 128-byte swizzle, which the
  // tensor cores compute from the address bits.
  int64_t offset = llvm::alignTo(smemBytes, 1024);
  smemBytes = offset + bytes;
  auto memrefType =
      MemRefType::get(type.getShape(), type.getElementType(), AffineMap(),
                      gpu::AddressSpaceAttr::get(b.getContext(),
                                                 gpu::AddressSpace::Workgroup));
  return memref::ViewOp::create(b, loc, memrefType, smemBase, index(offset),
                                ValueRange{});
}

static bool swizzlable(RankedTensorType type) {
  return type.getRank() == 2 && type.getElementTypeBitWidth() == 16 &&
         type.getDimSize(1) % 64 == 0 && type.getDimSize(0) % 8 == 0;
}

Fragment KernelDistributor::allocSharedTile(RankedTensorType type) {
  Fragment frag;
  frag.kind = FragKind::Shared;
  frag.type = type;
  frag.swizzled = swizzlable(type);
  frag.shared = allocShared(
      frag.swizzled
          ? RankedTensorType::get({type.getNumElements()}, type.getElementType())
          : type);
  return frag;
}

/// The flat index of element (r, c) of a swizzled tile (Fragment::swizzled).
static Value swizzledIndex(OpBuilder &b, Location loc, int64_t rows, Value r,
                           Value c) {
  auto cst = [&](int64_t v) { return arith::ConstantIndexOp::create(b, loc, v); };
  Value box = arith::DivUIOp::create(b, loc, c, cst(64));
  Value inBox = arith::RemUIOp::create(b, loc, c, cst(64));
  Value chunk = arith::DivUIOp::create(b, loc, inBox, cst(8));
  Value lane = arith::RemUIOp::create(b, loc, inBox, cst(8));
  Value phase = arith::RemUIOp::create(b, loc, r, cst(8));
  Value swizzled = arith::XOrIOp::create(b, loc, chunk, phase);
  Value idx = arith::MulIOp::create(b, loc, box, cst(rows * 64));
  idx = arith::AddIOp::create(b, loc, idx,
                              arith::MulIOp::create(b, loc, r, cst(64)));
  idx = arith::AddIOp::create(b, loc, idx,
                              arith::MulIOp::create(b, loc, swizzled, cst(8)));
  return arith::AddIOp::create(b, loc, idx, lane);
}

Value KernelDistributor::sharedLoad(const Fragment &frag,
                                    ArrayRef<Value> coords) {
  if (!frag.swizzled)
    return memref::LoadOp::create(b, loc, frag.shared, coords);
  return memref::LoadOp::create(
      b, loc, frag.shared,
      ValueRange{swizzledIndex(b, loc, frag.type.getDimSize(0), coords[0],
                               coords[1])});
}

void KernelDistributor::sharedStore(Value v, const Fragment &frag,
                                    ArrayRef<Value> coords) {
  if (!frag.swizzled) {
    memref::StoreOp::create(b, loc, v, frag.shared, coords);
    return;
  }
  memref::StoreOp::create(
      b, loc, v, frag.shared,
      ValueRange{swizzledIndex(b, loc, frag.type.getDimSize(0), coords[0],
                               coords[1])});
}

/// The indices of element (r, c) of a 2-D Shared fragment's view.
static SmallVector<Value> sharedIndices(OpBuilder &b, Location loc,
                                        const Fragment &frag, Value r,
                                        Value c) {
  if (!frag.swizzled)
    return {r, c};
  return {swizzledIndex(b, loc, frag.type.getDimSize(0), r, c)};
}

static llvm::Align vectorAlign(VectorType type) {
  return llvm::Align(type.getNumElements() * type.getElementTypeBitWidth() /
                     8);
}

Value KernelDistributor::sharedVectorLoad(VectorType type,
                                          const Fragment &frag, Value r,
                                          Value c) {
  return vector::LoadOp::create(b, loc, type, frag.shared,
                                sharedIndices(b, loc, frag, r, c),
                                /*nontemporal=*/false, vectorAlign(type));
}

void KernelDistributor::sharedVectorStore(Value v, const Fragment &frag,
                                          Value r, Value c) {
  vector::StoreOp::create(b, loc, v, frag.shared,
                          sharedIndices(b, loc, frag, r, c),
                          /*nontemporal=*/false,
                          vectorAlign(cast<VectorType>(v.getType())));
}

//===----------------------------------------------------------------------===//
// Element coordinates
//===----------------------------------------------------------------------===//

Value KernelDistributor::rowOf(FragKind kind, ArrayRef<int64_t> shape,
                               int64_t e) {
  if (kind == FragKind::Acc2D) {
    int64_t perGroup = shape[1] / 2;
    int64_t g = e / perGroup, h = (e / 2) % 2;
    return addIndex(rowBase, 64 * g + 8 * h);
  }
  assert(kind == FragKind::Rows1D && "no rows in this layout");
  return addIndex(rowBase, 64 * (e / 2) + 8 * (e % 2));
}

Value KernelDistributor::colOf(FragKind kind, ArrayRef<int64_t> shape,
                               int64_t e) {
  if (kind == FragKind::Acc2D) {
    int64_t j = (e % (shape[1] / 2)) / 4, p = e % 2;
    return addIndex(colBase, 8 * j + p);
  }
  assert(kind == FragKind::Cols1D && "no columns in this layout");
  return addIndex(colBase, 8 * (e / 2) + e % 2);
}

Value KernelDistributor::linearOf(int64_t e) {
  return addIndex(tid, kThreads * e);
}

//===----------------------------------------------------------------------===//
// Layout conversion
//===----------------------------------------------------------------------===//

Value KernelDistributor::scalar(Value v) {
  if (Value mapped = scalars.lookupOrNull(v))
    return mapped;
  Operation *def = v.getDefiningOp();
  if (def && def->hasTrait<OpTrait::ConstantLike>() &&
      !isa<RankedTensorType>(v.getType())) {
    OpBuilder::InsertionGuard guard(b);
    b.setInsertionPointToStart(kernelEntry);
    Value copy = b.clone(*def)->getResult(0);
    scalars.map(v, copy);
    return copy;
  }
  return v;
}

Fragment &KernelDistributor::fragment(Value tile) {
  auto it = frags.find(tile);
  if (it != frags.end())
    return it->second;
  // Splat tile constants may sit outside the kernel (hoisted by pattern
  // drivers): materialize them where they are first used.
  auto cst = tile.getDefiningOp<arith::ConstantOp>();
  auto splat = cst ? dyn_cast<SplatElementsAttr>(cst.getValue())
                   : SplatElementsAttr();
  if (!splat)
    llvm::report_fatal_error("tile defined outside its kernel");
  Fragment frag;
  frag.kind = FragKind::Splat;
  frag.type = cast<RankedTensorType>(tile.getType());
  frag.values = {arith::ConstantOp::create(
      b, loc, cast<TypedAttr>(splat.getSplatValue<Attribute>()))};
  return frags[tile] = frag;
}

Fragment KernelDistributor::toShared(const Fragment &frag) {
  if (frag.kind == FragKind::Shared)
    return frag;
  Fragment shared = allocSharedTile(frag.type);
  ArrayRef<int64_t> shape = frag.type.getShape();
  // Wait until every reader of the previous contents is done.
  barrier();
  switch (frag.kind) {
  case FragKind::Acc2D: {
    // Columns 2i and 2i + 1 are adjacent in either layout: one access.
    auto pair = VectorType::get({2}, frag.type.getElementType());
    for (size_t e = 0; e < frag.values.size(); e += 2)
      sharedVectorStore(
          vector::FromElementsOp::create(
              b, loc, pair, ValueRange{frag.values[e], frag.values[e + 1]}),
          shared, rowOf(frag.kind, shape, e), colOf(frag.kind, shape, e));
    break;
  }
  case FragKind::Rows1D: {
    // Lanes 4r .. 4r+3 hold the same rows: the first of them writes.
    Value first = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::eq,
                                        colBase, index(0));
    ifThen(first, [&] {
      for (auto [e, v] : llvm::enumerate(frag.values))
        memref::StoreOp::create(b, loc, v, shared.shared,
                                ValueRange{rowOf(frag.kind, shape, e)});
    });
    break;
  }
  case FragKind::Cols1D: {
    // Every warp and lane group holds all columns: threads 0..3 write.
    Value first = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::ult,
                                        tid, index(4));
    ifThen(first, [&] {
      for (auto [e, v] : llvm::enumerate(frag.values))
        memref::StoreOp::create(b, loc, v, shared.shared,
                                ValueRange{colOf(frag.kind, shape, e)});
    });
    break;
  }
  case FragKind::Linear1D:
    for (auto [e, v] : llvm::enumerate(frag.values)) {
      Value idx = linearOf(e);
      Value inside = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::ult,
                                           idx, index(shape[0]));
      ifThen(inside, [&] {
        memref::StoreOp::create(b, loc, v, shared.shared, ValueRange{idx});
      });
    }
    break;
  case FragKind::Splat: {
    // Cooperative fill.
    int64_t n = frag.type.getNumElements();
    for (int64_t e = 0; e * kThreads < n; ++e) {
      Value idx = linearOf(e);
      Value inside = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::ult,
                                           idx, index(n));
      ifThen(inside, [&] {
        SmallVector<Value> coords;
        if (shape.size() == 2) {
          coords.push_back(arith::DivUIOp::create(b, loc, idx, index(shape[1])));
          coords.push_back(arith::RemUIOp::create(b, loc, idx, index(shape[1])));
        } else {
          coords.push_back(idx);
        }
        sharedStore(frag.values[0], shared, coords);
      });
    }
    break;
  }
  default:
    llvm_unreachable("not a tile");
  }
  if (shared.swizzled)
    fenceAsyncShared();
  barrier();
  return shared;
}

Fragment KernelDistributor::fromShared(const Fragment &shared, FragKind kind) {
  Fragment frag;
  frag.kind = kind;
  frag.type = shared.type;
  ArrayRef<int64_t> shape = shared.type.getShape();
  int64_t n = fragmentSize(kind, shape);
  if (kind == FragKind::Acc2D) {
    auto pair = VectorType::get({2}, shared.type.getElementType());
    for (int64_t e = 0; e < n; e += 2) {
      Value v = sharedVectorLoad(pair, shared, rowOf(kind, shape, e),
                                 colOf(kind, shape, e));
      frag.values.push_back(vector::ExtractOp::create(b, loc, v, 0));
      frag.values.push_back(vector::ExtractOp::create(b, loc, v, 1));
    }
    return frag;
  }
  for (int64_t e = 0; e < n; ++e) {
    SmallVector<Value> coords;
    switch (kind) {
    case FragKind::Acc2D:
      coords = {rowOf(kind, shape, e), colOf(kind, shape, e)};
      break;
    case FragKind::Rows1D:
      coords = {rowOf(kind, shape, e)};
      break;
    case FragKind::Cols1D:
      coords = {colOf(kind, shape, e)};
      break;
    case FragKind::Linear1D:
      // Threads past the end read the last element (ignored later).
      coords = {arith::MinUIOp::create(b, loc, linearOf(e),
                                       index(shape[0] - 1))};
      break;
    default:
      llvm_unreachable("not a register layout");
    }
    frag.values.push_back(sharedLoad(shared, coords));
  }
  return frag;
}

Fragment KernelDistributor::convert(const Fragment &frag, FragKind kind) {
  if (frag.kind == kind)
    return frag;
  if (kind == FragKind::Shared)
    return toShared(frag);
  if (frag.kind == FragKind::Splat) {
    Fragment out;
    out.kind = kind;
    out.type = frag.type;
    out.values.assign(fragmentSize(kind, frag.type.getShape()),
                      frag.values[0]);
    return out;
  }
  return fromShared(toShared(frag), kind);
}

//===----------------------------------------------------------------------===//
// Structure: blocks, loops, conditionals
//===----------------------------------------------------------------------===//

static bool isTile(Type type) { return isa<RankedTensorType>(type); }

static bool is2DLoad(Operation *op) {
  auto load = dyn_cast<TileLoadOp>(op);
  return load && load.getResult().getType().getRank() == 2;
}

/// Scalar index arithmetic and the like: it reads no tile and no memory, so
/// it may run before loads that come ahead of it in the block.
static bool isPureScalar(Operation *op) {
  return op->getNumRegions() == 0 && isMemoryEffectFree(op) &&
         !isa_and_nonnull<MlstmDialect, tensor::TensorDialect>(
             op->getDialect()) &&
         llvm::none_of(op->getOperandTypes(), isTile) &&
         llvm::none_of(op->getResultTypes(), isTile);
}

LogicalResult KernelDistributor::distributeBlock(Block &block) {
  SmallVector<Operation *> ops = llvm::map_to_vector(
      block.without_terminator(), [](Operation &op) { return &op; });
  for (size_t i = 0; i < ops.size();) {
    if (!is2DLoad(ops[i])) {
      if (failed(distributeOp(ops[i++])))
        return failure();
      continue;
    }
    // The run of 2-D loads from here, with the scalar ops between them
    // (which the loads may need: they go first).
    SmallVector<Operation *> loads = {ops[i]}, between;
    size_t end = i + 1;
    for (size_t j = i + 1; j < ops.size(); ++j) {
      if (is2DLoad(ops[j])) {
        loads.push_back(ops[j]);
        end = j + 1;
      } else if (!isPureScalar(ops[j])) {
        break;
      }
    }
    for (size_t j = i + 1; j < end; ++j)
      if (!is2DLoad(ops[j]) && failed(distributeOp(ops[j])))
        return failure();
    if (failed(distributeLoadGroup(loads)))
      return failure();
    i = end;
  }
  return success();
}

LogicalResult KernelDistributor::distributeOp(Operation *op) {
  if (isa<scf::ForOp>(op))
    return distributeFor(op);
  if (isa<scf::IfOp>(op))
    return distributeIf(op);
  if (op->getDialect() &&
      op->getDialect()->getNamespace() == "mlstm")
    return distributeTileOp(op);
  if (isa<tensor::TensorDialect>(op->getDialect()))
    return distributeTensorOp(op);
  bool touchesTiles = llvm::any_of(op->getOperandTypes(), isTile) ||
                      llvm::any_of(op->getResultTypes(), isTile);
  if (touchesTiles)
    return distributeElementwise(op);
  // Scalar code runs redundantly in every thread, except stores to global
  // memory, which one thread does.
  for (Value operand : op->getOperands())
    (void)scalar(operand);
  if (auto store = dyn_cast<memref::StoreOp>(op)) {
    Value first = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::eq, tid,
                                        index(0));
    ifThen(first, [&] { b.clone(*op, scalars); });
    return success();
  }
  if (op->getNumRegions() != 0)
    return op->emitOpError("unsupported region op in a tiled kernel");
  b.clone(*op, scalars);
  return success();
}

LogicalResult KernelDistributor::distributeFor(Operation *op) {
  auto loop = cast<scf::ForOp>(op);
  // Loop-carried tiles keep the layout of their initial value; each carried
  // fragment becomes its per-thread scalars.
  SmallVector<Fragment> layouts;
  SmallVector<Value> inits;
  for (Value init : loop.getInitArgs()) {
    if (!isTile(init.getType())) {
      layouts.push_back(Fragment{});
      inits.push_back(scalar(init));
      continue;
    }
    Fragment frag = fragment(init);
    // Shared and splat values are materialized in registers to be carried.
    if (frag.kind == FragKind::Shared || frag.kind == FragKind::Splat)
      frag = convert(frag, frag.type.getRank() == 2 ? FragKind::Acc2D
                                                    : FragKind::Linear1D);
    layouts.push_back(frag);
    llvm::append_range(inits, frag.values);
  }
  auto newLoop = scf::ForOp::create(b, loc, scalar(loop.getLowerBound()),
                                    scalar(loop.getUpperBound()),
                                    scalar(loop.getStep()), inits);
  auto unflatten = [&](ValueRange flat, auto &&assign) {
    unsigned pos = 0;
    for (auto [i, layout] : llvm::enumerate(layouts)) {
      if (!layout.isTile()) {
        assign(i, Fragment{}, flat[pos++]);
        continue;
      }
      Fragment frag = layout;
      frag.values.assign(flat.begin() + pos,
                         flat.begin() + pos + layout.values.size());
      pos += layout.values.size();
      assign(i, frag, Value());
    }
  };
  {
    OpBuilder::InsertionGuard guard(b);
    b.setInsertionPointToStart(newLoop.getBody());
    scalars.map(loop.getInductionVar(), newLoop.getInductionVar());
    unflatten(newLoop.getRegionIterArgs(),
              [&](unsigned i, Fragment frag, Value v) {
                Value arg = loop.getRegionIterArgs()[i];
                if (frag.isTile())
                  setFragment(arg, frag);
                else
                  scalars.map(arg, v);
              });
    if (failed(distributeBlock(*loop.getBody())))
      return failure();
    auto yield = cast<scf::YieldOp>(loop.getBody()->getTerminator());
    SmallVector<Value> yields;
    for (auto [v, layout] : llvm::zip_equal(yield.getOperands(), layouts)) {
      if (!layout.isTile()) {
        yields.push_back(scalar(v));
        continue;
      }
      llvm::append_range(yields, convert(fragment(v), layout.kind).values);
    }
    scf::YieldOp::create(b, loc, yields);
  }
  unflatten(newLoop.getResults(), [&](unsigned i, Fragment frag, Value v) {
    if (frag.isTile())
      setFragment(loop.getResult(i), frag);
    else
      scalars.map(loop.getResult(i), v);
  });
  return success();
}

LogicalResult KernelDistributor::distributeIf(Operation *op) {
  auto ifOp = cast<scf::IfOp>(op);
  if (ifOp.getNumResults() != 0 || !ifOp.getElseRegion().empty())
    return op->emitOpError("only result-less scf.if without else is "
                           "supported in a tiled kernel");
  auto newIf = scf::IfOp::create(b, loc, scalar(ifOp.getCondition()),
                                 /*withElseRegion=*/false);
  OpBuilder::InsertionGuard guard(b);
  b.setInsertionPointToStart(newIf.thenBlock());
  return distributeBlock(*ifOp.thenBlock());
}

//===----------------------------------------------------------------------===//
// Elementwise arith / math on tiles
//===----------------------------------------------------------------------===//

LogicalResult KernelDistributor::distributeElementwise(Operation *op) {
  if (op->getNumResults() != 1 || op->getNumRegions() != 0)
    return op->emitOpError("unsupported op on tiles in a tiled kernel");
  // A constant splat tile.
  if (auto cst = dyn_cast<arith::ConstantOp>(op)) {
    auto dense = dyn_cast<SplatElementsAttr>(cst.getValue());
    if (!dense)
      return op->emitOpError("only splat tile constants are supported");
    Fragment frag;
    frag.kind = FragKind::Splat;
    frag.type = cast<RankedTensorType>(cst.getType());
    frag.values = {arith::ConstantOp::create(
        b, loc, cast<TypedAttr>(dense.getSplatValue<Attribute>()))};
    setFragment(cst.getResult(), frag);
    return success();
  }

  auto type = cast<RankedTensorType>(op->getResult(0).getType());
  // The layout: Acc2D for 2-D tiles; for 1-D, that of an operand already in
  // rows or columns, else linear.
  FragKind kind = FragKind::Acc2D;
  if (type.getRank() == 1) {
    kind = FragKind::Linear1D;
    for (Value operand : op->getOperands()) {
      if (!isTile(operand.getType()))
        continue;
      FragKind k = fragment(operand).kind;
      if (k == FragKind::Rows1D || k == FragKind::Cols1D) {
        kind = k;
        break;
      }
    }
  }
  SmallVector<Fragment> operands;
  for (Value operand : op->getOperands())
    operands.push_back(isTile(operand.getType())
                           ? convert(fragment(operand), kind)
                           : Fragment{});
  Fragment result;
  result.kind = kind;
  result.type = type;
  int64_t n = fragmentSize(kind, type.getShape());
  for (int64_t e = 0; e < n; ++e) {
    SmallVector<Value> args;
    for (auto [operand, frag] : llvm::zip_equal(op->getOperands(), operands))
      args.push_back(frag.isTile() ? frag.values[e] : scalar(operand));
    Value v;
    if (isa<math::ExpOp>(op)) {
      v = fastExp(args[0]);
    } else if (isa<math::Log1pOp>(op)) {
      v = fastLog1p(args[0]);
    } else {
      OperationState state(loc, op->getName());
      state.addOperands(args);
      state.addTypes(getElementTypeOrSelf(type));
      state.addAttributes(op->getAttrs());
      v = b.create(state)->getResult(0);
    }
    result.values.push_back(v);
  }
  setFragment(op->getResult(0), result);
  return success();
}
