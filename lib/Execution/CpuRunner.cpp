//===- CpuRunner.cpp - JIT-compile and call MLIR functions on the CPU -----===//
//
// Calls go through the C interface that llvm-request-c-wrappers (part of
// mlstm-cpu-pipeline) asks for:
//
//   void _mlir_ciface_f(Results *results, Desc *arg0, Desc *arg1, ...)
//
// where each memref descriptor is {allocated, aligned, offset, sizes[rank],
// strides[rank]}, all 8-byte words, and Results is the single result
// descriptor or the struct of all of them (so again consecutive words). The
// runner builds those words for any rank and element type, and calls the
// wrapper through ExecutionEngine::invokePacked, which takes a pointer to
// each argument.
//
//===----------------------------------------------------------------------===//

#include "mlstm/Execution/CpuRunner.h"

#include "mlstm/Conversion/Passes.h"
#include "mlstm/Dialect/Mlstm/IR/MlstmDialect.h"
#include "mlstm/Dialect/Mlstm/Transforms/Passes.h"
#include "mlstm/Pipelines/Pipelines.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Bufferization/IR/Bufferization.h"
#include "mlir/Dialect/ControlFlow/IR/ControlFlow.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/ExecutionEngine/CRunnerUtils.h"
#include "mlir/ExecutionEngine/ExecutionEngine.h"
#include "mlir/ExecutionEngine/OptUtils.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/InitAllPasses.h"
#include "mlir/Parser/Parser.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Pass/PassRegistry.h"
#include "mlir/Target/LLVMIR/Dialect/Builtin/BuiltinToLLVMIRTranslation.h"
#include "mlir/Target/LLVMIR/Dialect/LLVMIR/LLVMToLLVMIRTranslation.h"

#include "llvm/ADT/DenseMap.h"
#include "llvm/Support/TargetSelect.h"

#include <cstdlib>

using namespace mlir;
using namespace mlir::mlstm;

static size_t elementSize(ElementKind kind) {
  return kind == ElementKind::F32 ? sizeof(float) : sizeof(double);
}

static SmallVector<int64_t, 5> contiguousStrides(ArrayRef<int64_t> shape) {
  SmallVector<int64_t, 5> strides(shape.size(), 1);
  for (int64_t d = static_cast<int64_t>(shape.size()) - 2; d >= 0; --d)
    strides[d] = strides[d + 1] * shape[d + 1];
  return strides;
}

BufferView BufferView::get(float *data, ArrayRef<int64_t> shape) {
  return {data, ElementKind::F32, SmallVector<int64_t, 5>(shape),
          contiguousStrides(shape)};
}

BufferView BufferView::get(double *data, ArrayRef<int64_t> shape) {
  return {data, ElementKind::F64, SmallVector<int64_t, 5>(shape),
          contiguousStrides(shape)};
}

int64_t OwnedBuffer::getNumElements() const {
  int64_t count = 1;
  for (int64_t size : shape)
    count *= size;
  return count;
}

std::vector<double> OwnedBuffer::toDoubles() const {
  std::vector<double> values;
  int64_t count = getNumElements();
  values.reserve(count);
  SmallVector<int64_t, 5> index(shape.size(), 0);
  for (int64_t linear = 0; linear < count; ++linear) {
    int64_t offset = 0;
    for (auto [i, stride] : llvm::zip_equal(index, strides))
      offset += i * stride;
    values.push_back(
        kind == ElementKind::F32
            ? static_cast<double>(reinterpret_cast<const float *>(data)[offset])
            : reinterpret_cast<const double *>(data)[offset]);
    // Advance the row-major index, last dimension fastest.
    for (int64_t d = static_cast<int64_t>(shape.size()) - 1; d >= 0; --d) {
      if (++index[d] < shape[d])
        break;
      index[d] = 0;
    }
  }
  return values;
}

/// Registers the passes a pipeline string may name and initializes the
/// native target, once per process.
static void initializeOnce() {
  static const bool initialized = [] {
    llvm::InitializeNativeTarget();
    llvm::InitializeNativeTargetAsmPrinter();
    registerAllPasses();
    registerMlstmPasses();
    registerMlstmConversionPasses();
    registerCpuPipeline();
    return true;
  }();
  (void)initialized;
}

static llvm::Error makeError(const Twine &message) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(), message);
}

CpuRunner::CpuRunner() = default;
CpuRunner::~CpuRunner() = default;

llvm::Expected<std::unique_ptr<CpuRunner>>
CpuRunner::create(StringRef source, StringRef pipeline, unsigned optLevel,
                  StringRef prepare) {
  initializeOnce();
  std::unique_ptr<CpuRunner> runner(new CpuRunner());
  MLIRContext &ctx = runner->context;
  DialectRegistry registry;
  registry.insert<MlstmDialect, arith::ArithDialect,
                  bufferization::BufferizationDialect, cf::ControlFlowDialect,
                  func::FuncDialect, linalg::LinalgDialect, LLVM::LLVMDialect,
                  math::MathDialect, memref::MemRefDialect, scf::SCFDialect,
                  tensor::TensorDialect>();
  registerCpuPipelineDependencies(registry);
  registerBuiltinDialectTranslation(registry);
  registerLLVMDialectTranslation(registry);
  ctx.appendDialectRegistry(registry);

  // Diagnostics become part of the returned error instead of going to
  // stderr, so a failing test says why.
  std::string diagnostics;
  llvm::raw_string_ostream diagOS(diagnostics);
  ScopedDiagnosticHandler handler(&ctx, [&](Diagnostic &diag) {
    diagOS << diag.getLocation() << ": " << diag << "\n";
    return success();
  });

  OwningOpRef<ModuleOp> module = parseSourceString<ModuleOp>(source, &ctx);
  if (!module)
    return makeError("cannot parse the module:\n" + diagnostics);

  // A textual pass pipeline on the module; its diagnostics go into the error.
  auto runPipeline = [&](StringRef text) -> llvm::Error {
    PassManager pm(&ctx);
    std::string errors;
    llvm::raw_string_ostream errorsOS(errors);
    if (failed(parsePassPipeline(text, pm, errorsOS)))
      return makeError("bad pass pipeline '" + text + "': " + errors);
    if (failed(pm.run(*module)))
      return makeError("pass pipeline '" + text + "' failed:\n" +
                       diagnostics);
    return llvm::Error::success();
  };

  // Passes that add functions (e.g. mlstm-derive-backward) run first, so
  // their functions are callable too.
  if (!prepare.empty())
    if (llvm::Error error = runPipeline(prepare))
      return std::move(error);

  // Signatures are taken before lowering, from the tensor/memref types.
  for (auto func : module->getOps<func::FuncOp>()) {
    if (func.isPrivate() || func.isDeclaration())
      continue;
    auto toBufferTypes = [](TypeRange types,
                            SmallVectorImpl<BufferType> &out) -> bool {
      for (Type type : types) {
        auto shaped = dyn_cast<ShapedType>(type);
        if (!shaped || !shaped.hasRank() ||
            !isa<Float32Type, Float64Type>(shaped.getElementType()))
          return false;
        out.push_back({isa<Float32Type>(shaped.getElementType())
                           ? ElementKind::F32
                           : ElementKind::F64,
                       SmallVector<int64_t, 5>(shaped.getShape())});
      }
      return true;
    };
    Signature signature;
    if (toBufferTypes(func.getArgumentTypes(), signature.args) &&
        toBufferTypes(func.getResultTypes(), signature.results))
      runner->signatures[func.getSymName()] = std::move(signature);
    // The caller's buffers are inputs: without this, one-shot bufferization
    // may compute a result in place in an argument's memory.
    for (unsigned index = 0; index < func.getNumArguments(); ++index)
      if (isa<TensorType>(func.getArgumentTypes()[index]))
        func.setArgAttr(index,
                        bufferization::BufferizationDialect::kWritableAttrName,
                        BoolAttr::get(&ctx, false));
  }

  if (llvm::Error error = runPipeline(pipeline))
    return std::move(error);

  auto transformer = makeOptimizingTransformer(optLevel, /*sizeLevel=*/0,
                                               /*targetMachine=*/nullptr);
  ExecutionEngineOptions options;
  options.transformer = transformer;
  auto engine = ExecutionEngine::create(*module, options);
  if (!engine)
    return makeError("JIT compilation failed: " +
                     llvm::toString(engine.takeError()) + "\n" + diagnostics);
  runner->engine = std::move(*engine);
  // Copies between strided buffers lower to a call of MLIR's runtime
  // function memrefCopy (libmlir_c_runner_utils, linked in); hand the JIT
  // its address rather than rely on the process symbol search finding it.
  runner->engine->registerSymbols([](llvm::orc::MangleAndInterner interner) {
    llvm::orc::SymbolMap symbols;
    symbols[interner("memrefCopy")] = {
        llvm::orc::ExecutorAddr::fromPtr(&memrefCopy),
        llvm::JITSymbolFlags::Exported};
    return symbols;
  });
  return runner;
}

llvm::Expected<std::vector<OwnedBuffer>>
CpuRunner::call(StringRef name, ArrayRef<BufferView> args) {
  auto it = signatures.find(name);
  if (it == signatures.end())
    return makeError("no callable function @" + name);
  const Signature &signature = it->second;
  if (args.size() != signature.args.size())
    return makeError("@" + name + " takes " + Twine(signature.args.size()) +
                     " arguments, got " + Twine(args.size()));

  // Argument descriptors: {allocated, aligned, offset = 0, sizes, strides}.
  SmallVector<SmallVector<int64_t>> argWords;
  for (auto [index, arg, expected] : llvm::enumerate(args, signature.args)) {
    if (arg.kind != expected.kind || arg.shape.size() != expected.shape.size())
      return makeError("argument #" + Twine(index) + " of @" + name +
                       " has the wrong element type or rank");
    for (auto [size, staticSize] : llvm::zip_equal(arg.shape, expected.shape))
      if (!ShapedType::isDynamic(staticSize) && size != staticSize)
        return makeError("argument #" + Twine(index) + " of @" + name +
                         " does not match the static sizes of its type");
    auto pointer = static_cast<int64_t>(reinterpret_cast<intptr_t>(arg.data));
    SmallVector<int64_t> words = {pointer, pointer, 0};
    llvm::append_range(words, arg.shape);
    llvm::append_range(words, arg.strides);
    argWords.push_back(std::move(words));
  }

  // Result descriptors are consecutive words in one buffer.
  size_t numResultWords = 0;
  for (const BufferType &result : signature.results)
    numResultWords += 3 + 2 * result.shape.size();
  SmallVector<int64_t> resultWords(numResultWords, 0);

  // The wrapper's parameters are pointers; invokePacked wants a pointer to
  // each parameter.
  SmallVector<void *> params;
  if (!signature.results.empty())
    params.push_back(resultWords.data());
  for (SmallVector<int64_t> &words : argWords)
    params.push_back(words.data());
  SmallVector<void *> packed;
  for (void *&param : params)
    packed.push_back(&param);
  if (llvm::Error error =
          engine->invokePacked(("_mlir_ciface_" + name).str(), packed))
    return std::move(error);

  // Take ownership of each distinct allocation once; never free a buffer the
  // caller passed in (a function may return an argument).
  llvm::DenseMap<void *, std::shared_ptr<void>> allocations;
  for (const BufferView &arg : args)
    allocations[arg.data] = std::shared_ptr<void>(arg.data, [](void *) {});
  std::vector<OwnedBuffer> results;
  size_t next = 0;
  for (const BufferType &type : signature.results) {
    size_t rank = type.shape.size();
    // This result's {allocated, aligned, offset, sizes, strides}; sliced, not
    // indexed, since the last descriptor ends at the end of the buffer.
    ArrayRef<int64_t> descriptor =
        ArrayRef<int64_t>(resultWords).slice(next, 3 + 2 * rank);
    auto *allocated =
        reinterpret_cast<void *>(static_cast<intptr_t>(descriptor[0]));
    auto *aligned = reinterpret_cast<char *>(static_cast<intptr_t>(descriptor[1]));
    OwnedBuffer buffer;
    buffer.kind = type.kind;
    buffer.data = aligned + descriptor[2] * elementSize(type.kind);
    ArrayRef<int64_t> sizesAndStrides = descriptor.drop_front(3);
    buffer.shape.assign(sizesAndStrides.begin(), sizesAndStrides.begin() + rank);
    buffer.strides.assign(sizesAndStrides.begin() + rank, sizesAndStrides.end());
    std::shared_ptr<void> &owner = allocations[allocated];
    if (!owner)
      owner = std::shared_ptr<void>(allocated, [](void *ptr) { free(ptr); });
    buffer.allocation = owner;
    results.push_back(std::move(buffer));
    next += 3 + 2 * rank;
  }
  return results;
}
