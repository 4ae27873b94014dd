//===- BodyEmitter.cpp - a host function as a C entry point ---------------===//
//
// Writes the C++ definition of one entry point. It has three parts, in this
// order, so that bad arguments end a call before any driver call:
//
//   1. arguments: every tensor checked against its memref type (runtime
//      bindTensor), the optional state groups resolved (all or none);
//   2. the host body, op by op, as C++ statements: arith integer ops (checked
//      for overflow), memref.dim, memref.alloc and memref.subview as
//      descriptors, gpu.launch_func as checked launch shapes, returned
//      subviews as copy plans. Still no driver call;
//   3. driver work on the caller's stream: kernels looked up (PTX loaded on
//      first use in the context), workspaces allocated, launches in body
//      order, final states copied out, workspaces freed (stream-ordered).
//
// Only the op set of the contract (docs/host-api.md) is translated; anything
// else is a located error. Integer ops are ScalarOps.cpp's. The statements
// call the runtime pasted into the same source (runtime/), as `rt::`.
//
//===----------------------------------------------------------------------===//

#include "EntryPoint.h"

#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/IR/SymbolTable.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/DenseSet.h"
#include "llvm/ADT/TypeSwitch.h"

using namespace mlir;
using namespace mlir::mlstm;
using namespace mlir::mlstm::hostapi;

namespace {
class EntryEmitter {
public:
  EntryEmitter(const EntryPoint &entry, Library &library)
      : entry(entry), library(library) {}
  LogicalResult emit(raw_ostream &os);

private:
  void emitArguments(raw_ostream &os);
  LogicalResult emitOp(Operation *op);
  LogicalResult emitAlloc(memref::AllocOp alloc);
  LogicalResult emitSubView(memref::SubViewOp subview);
  LogicalResult emitCast(memref::CastOp cast);
  LogicalResult emitLaunch(gpu::LaunchFuncOp launch);
  LogicalResult emitReturn(func::ReturnOp ret);

  std::string ref(Value value) { return names.ref(value); }
  std::string ref(OpFoldResult ofr) {
    if (auto value = dyn_cast<Value>(ofr))
      return ref(value);
    return std::to_string(cast<IntegerAttr>(cast<Attribute>(ofr)).getInt());
  }
  std::string define(Value value) { return names.define(value); }
  std::string where(Operation *op) { return whereLiteral(op); }
  /// The group flag of an optional parameter ("hasInit") or "" if required.
  std::string flagOf(const TensorParam &p) { return groupFlag(p.group); }

  const EntryPoint &entry;
  Library &library;
  ValueNames names;
  llvm::DenseMap<Operation *, unsigned> returnedAllocs; // -> result number
  llvm::DenseSet<Operation *> dead;
  // Statements of part 2, and of part 3 by kind.
  std::string plan, functions, allocs, binds, launches, copies;
};
} // namespace

static const char *const kProblemDims[] = {"rt::kB", "rt::kNH", "rt::kS",
                                           "rt::kDQK", "rt::kDHV"};

static const char *dtypeEnum(Type type) {
  if (type.isBF16())
    return "MLSTM_DTYPE_BF16";
  if (type.isF16())
    return "MLSTM_DTYPE_F16";
  return "MLSTM_DTYPE_F32";
}

void EntryEmitter::emitArguments(raw_ostream &os) {
  // What each tensor must look like: the runtime's TensorSpec.
  for (const TensorParam &p : entry.params) {
    MemRefType type = p.type;
    SmallVector<int64_t> strides;
    int64_t offset;
    (void)type.getStridesAndOffset(strides, offset);
    auto list = [&](auto &&range, auto &&print) {
      std::string text = "{";
      for (auto [i, item] : llvm::enumerate(range))
        text += (i ? ", " : "") + print(item);
      return text + "}";
    };
    auto staticOrDynamic = [](int64_t v) {
      return ShapedType::isDynamic(v) ? std::string("rt::kDynamic")
                                      : std::to_string(v);
    };
    os << "  static const rt::TensorSpec kSpec_" << p.cName << " = {\""
       << p.cName << "\", " << dtypeEnum(type.getElementType()) << ", "
       << type.getRank() << ", " << type.getElementTypeBitWidth() / 8
       << ",\n      "
       << list(roleDims(p.role),
               [](Dim d) { return std::string(kProblemDims[unsigned(d)]); })
       << ",\n      " << list(type.getShape(), staticOrDynamic) << ",\n      "
       << list(strides,
               [&](int64_t s) {
                 return p.copiedOut ? std::string("rt::kDynamic")
                                    : staticOrDynamic(s);
               })
       << ",\n      " << (p.isResult ? "true" : "false") << "};\n";
  }
}

LogicalResult EntryEmitter::emit(raw_ostream &os) {
  func::FuncOp func = entry.func;
  Block &body = func.getBody().front();
  auto ret = cast<func::ReturnOp>(body.getTerminator());
  for (auto [i, value] : llvm::enumerate(ret.getOperands()))
    if (auto alloc = value.getDefiningOp<memref::AllocOp>())
      if (!returnedAllocs.try_emplace(alloc, i).second)
        return ret.emitError("a memref.alloc is returned twice");
  // Ops whose results nobody uses are not written (no unused variables).
  for (Operation &op : llvm::reverse(body.without_terminator()))
    if (!isa<gpu::LaunchFuncOp>(op) &&
        llvm::all_of(op.getUsers(),
                     [&](Operation *user) { return dead.contains(user); }))
      dead.insert(&op);

  // Part 1: parameters become variables a<i> (arguments), r<i> (results).
  // The optional groups, in order of appearance.
  SmallVector<Group> groups;
  for (const TensorParam &p : entry.params) {
    if (p.optional && !llvm::is_contained(groups, p.group))
      groups.push_back(p.group);
    if (!p.isResult)
      names.bind(func.getArgument(p.index), "a" + std::to_string(p.index));
  }
  for (Operation &op : body.without_terminator())
    if (failed(emitOp(&op)))
      return failure();
  if (failed(emitReturn(ret)))
    return failure();

  os << "extern \"C\" MLSTM_API mlstm_status " << entry.name << "(";
  for (const TensorParam &p : entry.params)
    os << "\n    " << (p.isResult ? "mlstm_tensor *" : "const mlstm_tensor *")
       << p.cName << ",";
  os << "\n    CUstream stream) {\n";
  emitArguments(os);
  os << "  return rt::run(\"" << entry.name << "\", [&] {\n"
     << "    // 1. Arguments, all checked before the first driver call.\n";
  for (Group group : groups) {
    std::string tensors, labels;
    for (const TensorParam &p : entry.params)
      if (p.group == group) {
        tensors += (tensors.empty() ? "" : ", ") + p.cName;
        labels += (labels.empty() ? "\"" : ", \"") + p.cName + "\"";
      }
    os << "    const bool " << groupFlag(group) << " = rt::allOrNone({"
       << tensors << "}, {" << labels << "}, \"" << groupDescription(group)
       << "\");\n";
  }
  os << "    rt::Problem problem;\n";
  for (const TensorParam &p : entry.params) {
    std::string var = (p.isResult ? "r" : "a") + std::to_string(p.index);
    std::string bind =
        "rt::bindTensor(" + p.cName + ", kSpec_" + p.cName + ", problem)";
    std::string flag = flagOf(p);
    os << "    rt::Memref " << var << " = "
       << (flag.empty() ? bind : flag + " ? " + bind + " : rt::Memref()")
       << ";\n";
  }
  os << "    rt::requireNonEmpty(problem);\n";
  // Absent optional arguments (initial states, final-state cotangents) are
  // zeros: the recurrence's defaults.
  for (Group group : groups) {
    bool arguments = llvm::any_of(entry.params, [&](const TensorParam &p) {
      return p.group == group && !p.isResult;
    });
    if (!arguments)
      continue;
    os << "    if (!" << groupFlag(group)
       << ") { // zeros: the recurrence's default states\n";
    for (const TensorParam &p : entry.params)
      if (p.group == group)
        os << "      a" << p.index << " = rt::zeroState(kSpec_" << p.cName
           << ", problem);\n";
    os << "    }\n";
  }
  os << "\n    // 2. The host function @" << entry.name
     << ": sizes, launch shapes, copies.\n"
     << plan << "\n    // 3. Driver work, in order, on the caller's stream.\n"
     << "    rt::Session session(moduleCache(), stream);\n"
     << functions;
  for (const TensorParam &p : entry.params)
    if (p.optional && !p.isResult)
      os << "    session.alloc(a" << p.index << ");\n";
  os << allocs << binds << launches << copies << "    session.finish();\n"
     << "  });\n}\n";
  return success();
}

LogicalResult EntryEmitter::emitOp(Operation *op) {
  for (Value result : op->getResults())
    if (auto memref = dyn_cast<MemRefType>(result.getType()))
      if (memref.getRank() > 8)
        return op->emitError("memrefs of rank > 8 are not supported");
  return llvm::TypeSwitch<Operation *, LogicalResult>(op)
      .Case([&](memref::AllocOp alloc) { return emitAlloc(alloc); })
      .Case([&](memref::SubViewOp subview) { return emitSubView(subview); })
      .Case([&](memref::CastOp cast) { return emitCast(cast); })
      .Case([&](gpu::LaunchFuncOp launch) { return emitLaunch(launch); })
      .Default([&](Operation *op) {
        return emitScalarOp(op, names, /*emit=*/!dead.contains(op), plan);
      });
}

LogicalResult EntryEmitter::emitAlloc(memref::AllocOp alloc) {
  MemRefType type = alloc.getType();
  if (!type.getLayout().isIdentity() || type.getMemorySpace() ||
      !alloc.getSymbolOperands().empty())
    return alloc.emitError("host memref.alloc must have the identity layout "
                           "and the default memory space: ")
           << type;
  if (alloc.getAlignment().value_or(0) > 256)
    return alloc.emitError("alignment over 256 bytes is not supported");
  Type element = type.getElementType();
  if (!element.isIntOrFloat() || element.getIntOrFloatBitWidth() % 8)
    return alloc.emitError("unsupported element type ") << element;
  if (dead.contains(alloc))
    return success();
  std::string sizes;
  unsigned dynamic = 0;
  for (auto [d, size] : llvm::enumerate(type.getShape()))
    sizes += (d ? ", " : "") + (ShapedType::isDynamic(size)
                                    ? ref(alloc.getDynamicSizes()[dynamic++])
                                    : std::to_string(size));
  std::string var = define(alloc.getResult());
  plan += "    rt::Memref " + var + " = rt::contiguous(" +
          std::to_string(element.getIntOrFloatBitWidth() / 8) + ", {" + sizes +
          "}, " + where(alloc) + ");\n";
  auto returned = returnedAllocs.find(alloc);
  if (returned != returnedAllocs.end()) {
    // A returned buffer is the user's output tensor, unless the tensor is an
    // optional one left NULL: then it stays a workspace.
    for (const TensorParam &p : entry.params) {
      if (!p.isResult || p.index != returned->second)
        continue;
      std::string user = "r" + std::to_string(p.index);
      std::string flag = flagOf(p);
      plan += "    " + (flag.empty() ? "" : "if (" + flag + ") ") + "{\n" +
              "      rt::expectSizes(" + user + ", {" + sizes + "}, " +
              where(alloc) + ");\n      " + var + " = " + user + ";\n    }\n";
    }
  }
  allocs += "    session.alloc(" + var + ");\n";
  return success();
}

LogicalResult EntryEmitter::emitSubView(memref::SubViewOp subview) {
  if (dead.contains(subview))
    return success();
  if (subview.getSourceType().getRank() > 8)
    return subview.emitError("memrefs of rank > 8 are not supported");
  auto list = [&](ArrayRef<OpFoldResult> items) {
    std::string text = "{";
    for (auto [i, item] : llvm::enumerate(items))
      text += (i ? ", " : "") + ref(item);
    return text + "}";
  };
  uint32_t dropped = 0;
  llvm::SmallBitVector droppedDims = subview.getDroppedDims();
  for (unsigned d : droppedDims.set_bits())
    dropped |= 1u << d;
  std::string source = ref(subview.getSource());
  std::string var = define(subview.getResult());
  plan += "    rt::Memref " + var + " = rt::subview(" + source + ", " +
          list(subview.getMixedOffsets()) + ", " +
          list(subview.getMixedSizes()) + ", " +
          list(subview.getMixedStrides()) + ", " + std::to_string(dropped) +
          "u, " + where(subview) + ");\n";
  binds += "    rt::bindView(" + var + ", " + source + ");\n";
  return success();
}

/// A cast only renames the layout (e.g. a workspace passed where a kernel
/// takes any strides): the same descriptor, bound to the same allocation.
LogicalResult EntryEmitter::emitCast(memref::CastOp cast) {
  if (dead.contains(cast))
    return success();
  auto from = dyn_cast<MemRefType>(cast.getSource().getType());
  auto to = dyn_cast<MemRefType>(cast.getType());
  if (!from || !to || from.getRank() != to.getRank())
    return cast.emitError("only ranked-to-ranked memref.cast is supported");
  std::string source = ref(cast.getSource());
  std::string var = define(cast.getResult());
  plan += "    rt::Memref " + var + " = " + source + ";\n";
  plan += "    " + var + ".workspace = " + var + ".zeroFill = false;\n";
  binds += "    rt::bindView(" + var + ", " + source + ");\n";
  return success();
}

LogicalResult EntryEmitter::emitLaunch(gpu::LaunchFuncOp launch) {
  if (launch.getAsyncToken() || !launch.getAsyncDependencies().empty() ||
      launch.getAsyncObject())
    return launch.emitError("asynchronous launches are not supported: the "
                            "entry point orders its launches on the caller's "
                            "stream");
  if (launch.hasClusterSize())
    return launch.emitError("cluster launches are not supported yet");
  Operation *symbol = SymbolTable::lookupNearestSymbolFrom(
      launch, launch.getKernelModuleName());
  auto binary = dyn_cast_or_null<gpu::BinaryOp>(symbol);
  if (!binary)
    return launch.emitError()
           << "@" << launch.getKernelModuleName().getValue()
           << " is not a gpu.binary (run gpu-module-to-binary first)";
  auto index = library.kernelIndex(binary, launch.getKernelName().getValue());
  if (!index)
    return launch.emitError()
           << "launches a kernel of @" << binary.getSymName()
           << ", which is not in library '" << library.name
           << "' (an entry point launches kernels of one library)";
  auto [b, k] = *index;
  if (failed(checkKernelSignature(launch, library.binaries[b].ptx)))
    return failure();

  std::string kernel =
      (binary.getSymName() + "::" + launch.getKernelName().getValue()).str();
  std::string dims = names.fresh("l");
  std::string function = names.fresh("k");
  gpu::KernelDim3 grid = launch.getGridSizeOperandValues();
  gpu::KernelDim3 block = launch.getBlockSizeOperandValues();
  Value smem = launch.getDynamicSharedMemorySize();
  plan += "    rt::LaunchDims " + dims + " = rt::launchDims(" + ref(grid.x) +
          ", " + ref(grid.y) + ", " + ref(grid.z) + ", " + ref(block.x) + ", " +
          ref(block.y) + ", " + ref(block.z) + ", " + (smem ? ref(smem) : "0") +
          ", \"" + kernel + "\");\n";
  functions += "    CUfunction " + function + " = session.function(" +
               std::to_string(b) + ", " + std::to_string(k) + ", " + dims +
               ");\n";
  launches += "    { // " + describeOp(launch) + "\n      rt::Params params;\n";
  for (Value operand : launch.getKernelOperands())
    launches += std::string("      params.") +
                (isa<MemRefType>(operand.getType()) ? "memref(" : "scalar(") +
                ref(operand) + ");\n";
  launches += "      session.launch(" + function + ", " + dims +
              ", params, \"" + kernel + "\");\n    }\n";
  return success();
}

LogicalResult EntryEmitter::emitReturn(func::ReturnOp ret) {
  for (const TensorParam &p : entry.params) {
    if (!p.isResult || !p.copiedOut)
      continue;
    // A returned subview: copied into the user's tensor at the end.
    std::string view = ref(ret.getOperand(p.index));
    std::string user = "r" + std::to_string(p.index);
    std::string copy = "c" + std::to_string(p.index);
    std::string planCall =
        "rt::planCopy(" + view + ", " + user + ", \"" + p.cName + "\")";
    std::string flag = flagOf(p);
    plan += "    rt::CopyPlan " + copy + " = " +
            (flag.empty() ? planCall
                          : flag + " ? " + planCall + " : rt::CopyPlan()") +
            ";\n";
    copies += "    session.copy(" + copy + ", " + view + ", " + user + ");\n";
  }
  return success();
}

LogicalResult hostapi::emitEntryPointDefinition(const EntryPoint &entry,
                                                Library &library,
                                                raw_ostream &os) {
  return EntryEmitter(entry, library).emit(os);
}
