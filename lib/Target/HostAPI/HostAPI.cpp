//===- HostAPI.cpp - mlstm-translate --emit-host-api ----------------------===//
//
// Finds the libraries of a lowered module (a library per
// `gpu.binary @<lib>_kernels`, holding the public host functions that launch
// its kernels), generates all their files in memory, and only then writes
// them: into DIR/<lib>/ with --host-api-dir=DIR, or else as one stream whose
// files are introduced by `//--- <lib>/<file>` lines, the format LLVM's
// split-file reads:
//
//   mlstm-translate --emit-host-api --host-api-dir=generated lowered.mlir
//   mlstm-translate --emit-host-api lowered.mlir | split-file - generated
//
//===----------------------------------------------------------------------===//

#include "mlstm/Target/HostAPI/HostAPI.h"
#include "EntryPoint.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/LLVMIR/NVVMDialect.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/SymbolTable.h"
#include "mlir/Tools/mlir-translate/Translation.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Regex.h"

using namespace mlir;
using namespace mlir::mlstm;
using namespace mlir::mlstm::hostapi;

/// The binary whose kernels `func` launches first (which names its library).
static FailureOr<gpu::BinaryOp> launchedBinary(func::FuncOp func) {
  for (Operation &op : func.getBody().front()) {
    auto launch = dyn_cast<gpu::LaunchFuncOp>(op);
    if (!launch)
      continue;
    Operation *symbol = SymbolTable::lookupNearestSymbolFrom(
        launch, launch.getKernelModuleName());
    if (auto binary = dyn_cast_or_null<gpu::BinaryOp>(symbol))
      return binary;
    return launch.emitError()
           << "@" << launch.getKernelModuleName().getValue()
           << " is not a gpu.binary (run gpu-module-to-binary first)";
  }
  return func.emitError("launches no kernel, so it belongs to no library");
}

LogicalResult mlstm::generateHostAPI(ModuleOp module, StringRef source,
                                     std::vector<GeneratedFile> &files) {
  std::vector<Library> libraries; // in the order of their first entry point
  for (func::FuncOp func : module.getOps<func::FuncOp>()) {
    // Public host functions with bodies are entry points; private ones
    // would be helpers, which the contract has none of.
    if (func.isExternal() || !func.isPublic())
      continue;
    FailureOr<EntryPoint> entry = analyzeEntryPoint(func);
    if (failed(entry))
      return failure();
    FailureOr<gpu::BinaryOp> binary = launchedBinary(func);
    if (failed(binary))
      return failure();
    // A named module (`module @mlstm`) is one library holding all its entry
    // points, each of whose kernels sit in their own binary (loaded lazily);
    // an unnamed one makes a library of each `@<lib>_kernels` binary.
    FailureOr<std::string> name =
        module.getSymName() ? FailureOr<std::string>(module.getSymName()->str())
                            : libraryOfBinary(*binary);
    if (failed(name))
      return failure();
    auto library = llvm::find_if(
        libraries, [&](const Library &l) { return l.name == *name; });
    if (library == libraries.end()) {
      libraries.push_back({});
      library = std::prev(libraries.end());
      library->name = *name;
    }
    if (llvm::none_of(library->binaries, [&](const LibraryBinary &b) {
          return b.op == *binary;
        })) {
      library->binaries.emplace_back();
      if (failed(readPtxObject(*binary, library->binaries.back())))
        return failure();
    }
    entry->library = *name;
    library->entries.push_back(std::move(*entry));
  }
  if (libraries.empty())
    return module.emitError("no entry point: the host API is generated from "
                            "public func.func ops that launch kernels of a "
                            "gpu.binary @<lib>_kernels");
  for (Library &library : libraries)
    if (failed(emitLibraryFiles(library, source, files)))
      return failure();
  return success();
}

/// Writes `contents` unless the file already holds exactly that (so that
/// regenerating an unchanged library does not trigger rebuilds).
static LogicalResult writeIfChanged(Location loc, StringRef path,
                                    StringRef contents) {
  if (auto existing = llvm::MemoryBuffer::getFile(path, /*IsText=*/false))
    if ((*existing)->getBuffer() == contents)
      return success();
  if (std::error_code ec =
          llvm::sys::fs::create_directories(llvm::sys::path::parent_path(path)))
    return emitError(loc) << "cannot create the directory of " << path << ": "
                          << ec.message();
  std::error_code ec;
  llvm::raw_fd_ostream out(path, ec);
  if (!ec) {
    out << contents;
    out.close();
    ec = out.error();
  }
  if (ec)
    return emitError(loc) << "cannot write " << path << ": " << ec.message();
  return success();
}

/// The name of the input, as given on the command line ("<stdin>" for a
/// pipe), from the location the parser gave the module.
static std::string inputName(Operation *op) {
  if (auto loc = op->getLoc()->findInstanceOf<FileLineColLoc>())
    return loc.getFilename().str();
  return "<unknown>";
}

void mlstm::registerHostAPITranslation() {
  // Function-local: the options exist only in tools that register this.
  static llvm::cl::opt<std::string> outputDir(
      "host-api-dir",
      llvm::cl::desc("with --emit-host-api: write each library into "
                     "DIR/<lib>/ (and list the files written) instead of one "
                     "stream of `//--- <lib>/<file>` sections"),
      llvm::cl::value_desc("DIR"), llvm::cl::init(""));
  static llvm::cl::opt<std::string> sourceName(
      "host-api-source",
      llvm::cl::desc("with --emit-host-api: the input's name in the "
                     "generated files' first line (default: as given)"),
      llvm::cl::value_desc("NAME"), llvm::cl::init(""));

  TranslateFromMLIRRegistration registration(
      "emit-host-api",
      "generate kernel libraries (C header, C++ source with the PTX, "
      "CMakeLists.txt) from a lowered module",
      [](Operation *op, raw_ostream &os) -> LogicalResult {
        auto module = dyn_cast<ModuleOp>(op);
        if (!module)
          return op->emitError("expected a builtin.module");
        std::string source =
            sourceName.empty() ? inputName(op) : std::string(sourceName);
        std::vector<GeneratedFile> files;
        if (failed(generateHostAPI(module, source, files)))
          return failure();
        if (!outputDir.empty()) {
          for (const GeneratedFile &file : files) {
            SmallString<256> path(outputDir.getValue());
            llvm::sys::path::append(path, file.path);
            if (failed(writeIfChanged(op->getLoc(), path, file.contents)))
              return failure();
            os << "wrote " << path << "\n";
          }
          return success();
        }
        // split-file starts a new file at any line matching this; a
        // generated line that did would cut a file in two.
        llvm::Regex marker("^(.|//)--- ");
        for (const GeneratedFile &file : files) {
          SmallVector<StringRef> lines;
          StringRef(file.contents).split(lines, '\n');
          for (StringRef line : lines)
            if (marker.match(line))
              return op->emitError()
                     << file.path << " has a line split-file would read as a "
                     << "file marker; use --host-api-dir";
          os << "//--- " << file.path << "\n" << file.contents;
          if (!StringRef(file.contents).ends_with("\n"))
            os << "\n";
        }
        return success();
      },
      [](DialectRegistry &registry) {
        registry.insert<arith::ArithDialect, func::FuncDialect, gpu::GPUDialect,
                        LLVM::LLVMDialect, memref::MemRefDialect,
                        NVVM::NVVMDialect, mlstm::MlstmDialect>();
      });
}
