//===- mlstm-fuzz.cpp - libFuzzer target for the mlstm compiler -----------===//
//
// Feeds each input, as MLIR text, through what `mlstm-opt --mlstm-pipeline`
// does: parse (wrapping top-level ops in a module), verify, then the whole
// pipeline from the spec level to gpu.binary objects holding PTX. A parse,
// verification or pass failure is a normal outcome; its diagnostics are
// swallowed. Anything else that stops the process (a sanitizer report, an
// assertion, a fatal error) is a bug in the compiler.
//
//===----------------------------------------------------------------------===//

#include "mlstm/Pipelines/Pipelines.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/DialectRegistry.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/Parser/Parser.h"
#include "mlir/Pass/PassManager.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/SourceMgr.h"

#include <cstddef>
#include <cstdint>
#include <cstdlib>

using namespace mlir;

static DialectRegistry &compilerDialects() {
  static DialectRegistry *registry = [] {
    auto *r = new DialectRegistry();
    mlstm::registerCompilerDialects(*r);
    return r;
  }();
  return *registry;
}

extern "C" int LLVMFuzzerInitialize(int *, char ***) {
  // Pass registration is what mlstm-opt does before parsing its options;
  // the pipeline's nested pass managers look passes up by name.
  mlstm::registerCompilerPasses();
  (void)compilerDialects();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  // A fresh context per input: uniqued types and attributes would otherwise
  // pile up over millions of runs, and no input can affect the next one.
  // One thread keeps runs reproducible and cheap.
  MLIRContext context(compilerDialects(), MLIRContext::Threading::DISABLED);
  ScopedDiagnosticHandler swallow(&context,
                                  [](Diagnostic &) { return success(); });

  llvm::SourceMgr sourceMgr;
  sourceMgr.AddNewSourceBuffer(
      llvm::MemoryBuffer::getMemBufferCopy(
          llvm::StringRef(reinterpret_cast<const char *>(data), size),
          "fuzz-input"),
      llvm::SMLoc());
  // Parses and verifies, as mlir-opt does (implicit top-level module).
  OwningOpRef<ModuleOp> module =
      parseSourceFile<ModuleOp>(sourceMgr, ParserConfig(&context));
  if (!module)
    return 0;

  PassManager pm(&context, ModuleOp::getOperationName(),
                 OpPassManager::Nesting::Implicit);
  mlstm::MlstmPipelineOptions options;
  // MLSTM_FUZZ_NO_PTX=1 stops before the NVPTX back end, which takes most
  // of a valid spec's time (long runs for execution counts).
  static const bool noPtx = std::getenv("MLSTM_FUZZ_NO_PTX") != nullptr;
  options.emitPtx = !noPtx;
  mlstm::buildMlstmPipeline(pm, options);
  (void)pm.run(*module);
  return 0;
}
