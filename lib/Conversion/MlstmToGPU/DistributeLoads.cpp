//===- DistributeLoads.cpp - 2-D tile_loads, grouped ----------------------===//
//
// A 2-D tile goes either into shared memory (the operands of products;
// 128B-swizzled for wgmma) or, when only elementwise math reads it, straight
// into Acc2D registers. Whole tiles take a fast path (TileWindow.h): 16-byte
// reads into shared memory, 2-element reads into registers, no per-element
// checks; partial tiles the masked element-wise one (a loop when the tile
// goes to shared memory).
//
// Consecutive tile_loads of a block form a group (KernelDistributor::
// distributeBlock): one barrier before, every global read of the group
// issued before the first is waited on, one fence and barrier after. The
// group's loads then wait for memory once instead of once each (q with C or
// k in the output kernel, k with v in the state scan).
//
//===----------------------------------------------------------------------===//

#include "OpDistribution.h"

#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"

using namespace mlir;
using namespace mlir::mlstm;
using namespace mlir::mlstm::gpu_lowering;

/// Whether every reader of the loaded tile is elementwise arith / math,
/// which takes 2-D tiles in the Acc2D layout: the tile then goes from global
/// memory straight into registers, with no shared-memory round trip.
static bool readInRegisters(TileLoadOp op) {
  ArrayRef<int64_t> shape = op.getResult().getType().getShape();
  return shape[0] % 64 == 0 && shape[1] % 8 == 0 && !op->use_empty() &&
         llvm::all_of(op->getUsers(), [](Operation *user) {
           return isa<arith::ArithDialect, math::MathDialect>(
                      user->getDialect()) &&
                  !isa<arith::ConstantOp>(user);
         });
}

static Value padOf(OpBuilder &b, Location loc, TileLoadOp op) {
  Type elt = op.getResult().getType().getElementType();
  return arith::ConstantOp::create(
      b, loc, b.getFloatAttr(elt, op.getPadding().convertToDouble()));
}

/// Into Acc2D registers. Whole tiles: one access per pair of adjacent
/// columns a thread holds.
PlannedLoad OpDistribution::planAcc2D(TileLoadOp op) {
  RankedTensorType type = op.getResult().getType();
  ArrayRef<int64_t> shape = type.getShape();
  Value src = d.scalar(op.getSource());
  Value valid = op.getValid() ? d.scalar(op.getValid()) : Value();
  Value pad = padOf(b, loc, op);
  SmallVector<Value> base = llvm::to_vector(op.getIndices());
  int64_t n = fragmentSize(FragKind::Acc2D, shape);
  auto pair = VectorType::get({2}, type.getElementType());
  TileWindow w = window(src, op.getIndices(), shape, valid, 2);
  PlannedLoad plan;
  plan.op = op;
  plan.frag.kind = FragKind::Acc2D;
  plan.frag.type = type;
  plan.whole = w.whole;
  auto rowCol = [this, shape](int64_t e) {
    return std::make_pair(d.rowOf(FragKind::Acc2D, shape, e),
                          d.colOf(FragKind::Acc2D, shape, e));
  };
  plan.issue = [=] {
    SmallVector<Value> pairs;
    for (int64_t e = 0; e < n; e += 2) {
      auto [r, c] = rowCol(e);
      pairs.push_back(vector::LoadOp::create(b, loc, pair, w.flat,
                                             w.at(b, loc, r, c),
                                             /*nontemporal=*/false,
                                             llvm::Align(bytesOf(pair))));
    }
    return pairs;
  };
  plan.finish = [this](ArrayRef<Value> pairs) {
    SmallVector<Value> values;
    for (Value v : pairs) {
      values.push_back(vector::ExtractOp::create(b, loc, v, 0));
      values.push_back(vector::ExtractOp::create(b, loc, v, 1));
    }
    return values;
  };
  plan.masked = [=] {
    SmallVector<Value> values;
    for (int64_t e = 0; e < n; ++e) {
      auto [r, c] = rowCol(e);
      TileAccess at = access(src, base, {r, c}, valid);
      values.push_back(maskedLoad(src, at.indices, at.inBounds, pad));
    }
    return values;
  };
  return plan;
}

/// Into a shared slot. Whole tiles: 16-byte accesses, consecutive threads
/// on consecutive 16-byte pieces of a row (coalesced).
PlannedLoad OpDistribution::planShared(TileLoadOp op) {
  RankedTensorType type = op.getResult().getType();
  ArrayRef<int64_t> shape = type.getShape();
  Value src = d.scalar(op.getSource());
  Value valid = op.getValid() ? d.scalar(op.getValid()) : Value();
  Value pad = padOf(b, loc, op);
  SmallVector<Value> base = llvm::to_vector(op.getIndices());
  PlannedLoad plan;
  plan.op = op;
  plan.frag = d.allocSharedTile(type);
  Fragment frag = plan.frag;
  int64_t cols = shape[1], n = type.getNumElements();
  // A loop rather than n / 128 unrolled element loads: the border tiles are
  // rare, and unrolled they cost registers on the fast path too (ptxas holds
  // their hoisted addresses and predicates across the kernel's loops).
  plan.masked = [=] {
    auto loop = scf::ForOp::create(b, loc, d.tid, index(n), index(kThreads));
    OpBuilder::InsertionGuard guard(b);
    b.setInsertionPointToStart(loop.getBody());
    Value lin = loop.getInductionVar();
    Value r = arith::DivUIOp::create(b, loc, lin, index(cols));
    Value c = arith::RemUIOp::create(b, loc, lin, index(cols));
    TileAccess at = access(src, base, {r, c}, valid);
    Value v = maskedLoad(src, at.indices, at.inBounds, pad);
    d.sharedStore(v, frag, {r, c});
    return SmallVector<Value>{};
  };
  auto vec = VectorType::get({16 * 8 / type.getElementTypeBitWidth()},
                             type.getElementType());
  int64_t vecElems = vec.getNumElements();
  if (cols % vecElems != 0) {
    plan.issue = [] { return SmallVector<Value>{}; };
    plan.finish = [masked = plan.masked](ArrayRef<Value>) { return masked(); };
    return plan;
  }
  TileWindow w = window(src, op.getIndices(), shape, valid, vecElems);
  plan.whole = w.whole;
  int64_t perRow = cols / vecElems, vectors = n / vecElems;
  // Vector e of this thread: linear vector index tid + 128 e; threads past
  // the last vector read it too (no branch between the reads) but do not
  // store it.
  auto coords = [=](int64_t e) {
    Value lin = d.linearOf(e);
    if ((e + 1) * kThreads > vectors)
      lin = arith::MinUIOp::create(b, loc, lin, index(vectors - 1));
    Value r = arith::DivUIOp::create(b, loc, lin, index(perRow));
    Value c = arith::MulIOp::create(
        b, loc, arith::RemUIOp::create(b, loc, lin, index(perRow)),
        index(vecElems));
    return std::make_pair(r, c);
  };
  int64_t perThread = llvm::divideCeil(vectors, kThreads);
  plan.issue = [=] {
    SmallVector<Value> loaded;
    for (int64_t e = 0; e < perThread; ++e) {
      auto [r, c] = coords(e);
      loaded.push_back(vector::LoadOp::create(b, loc, vec, w.flat,
                                              w.at(b, loc, r, c),
                                              /*nontemporal=*/false,
                                              llvm::Align(bytesOf(vec))));
    }
    return loaded;
  };
  plan.finish = [=](ArrayRef<Value> loaded) {
    for (int64_t e = 0; e < perThread; ++e) {
      auto put = [&] {
        auto [r, c] = coords(e);
        d.sharedVectorStore(loaded[e], frag, r, c);
      };
      if ((e + 1) * kThreads > vectors)
        d.ifThen(cmp(arith::CmpIPredicate::ult, d.linearOf(e), index(vectors)),
                 put);
      else
        put();
    }
    return SmallVector<Value>{};
  };
  return plan;
}

LogicalResult OpDistribution::loadGroup(ArrayRef<TileLoadOp> ops) {
  SmallVector<PlannedLoad> plans;
  bool shared = false, swizzled = false;
  for (TileLoadOp op : ops) {
    plans.push_back(readInRegisters(op) ? planAcc2D(op) : planShared(op));
    shared |= plans.back().frag.kind == FragKind::Shared;
    swizzled |= plans.back().frag.swizzled;
  }
  // Wait until every reader of the slots' previous contents is done.
  if (shared)
    d.barrier();
  Value whole = arith::ConstantIntOp::create(b, loc, 1, 1);
  SmallVector<Type> types;
  for (PlannedLoad &plan : plans) {
    if (plan.whole)
      whole = andI(whole, plan.whole);
    if (plan.frag.kind == FragKind::Acc2D)
      types.append(fragmentSize(FragKind::Acc2D, plan.frag.type.getShape()),
                   plan.frag.type.getElementType());
  }
  SmallVector<Value> values = ifThenElse(
      b, loc, whole, types,
      [&] {
        SmallVector<SmallVector<Value>> issued;
        for (PlannedLoad &plan : plans)
          issued.push_back(plan.issue());
        SmallVector<Value> out;
        for (auto [plan, reads] : llvm::zip_equal(plans, issued))
          llvm::append_range(out, plan.finish(reads));
        return out;
      },
      [&] {
        SmallVector<Value> out;
        for (PlannedLoad &plan : plans)
          llvm::append_range(out, plan.masked());
        return out;
      });
  if (swizzled)
    d.fenceAsyncShared();
  if (shared)
    d.barrier();
  size_t pos = 0;
  for (PlannedLoad &plan : plans) {
    Fragment frag = plan.frag;
    if (frag.kind == FragKind::Acc2D) {
      size_t n = fragmentSize(FragKind::Acc2D, frag.type.getShape());
      frag.values.assign(values.begin() + pos, values.begin() + pos + n);
      pos += n;
    }
    d.setFragment(plan.op.getResult(), frag);
  }
  return success();
}

LogicalResult
KernelDistributor::distributeLoadGroup(ArrayRef<Operation *> loads) {
  OpDistribution dist(*this);
  return dist.loadGroup(llvm::map_to_vector(
      loads, [](Operation *op) { return cast<TileLoadOp>(op); }));
}
