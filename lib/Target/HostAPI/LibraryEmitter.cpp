//===- LibraryEmitter.cpp - the files of one generated kernel library -----===//
//
// Assembles a library from its entry points: the C header (the types of
// runtime/mlstm_host_api_types.h, then one documented prototype per entry
// point), the C++ source (the runtime headers pasted verbatim, the module
// table, the entry point definitions), the PTX files, and a CMakeLists.txt
// that needs nothing but CMake and the CUDA toolkit and embeds the PTX files
// (and the cubins ptxas makes of them) into the library at build time: the
// PTX is in the tree once, not twice. The runtime headers are real, unit-tested C++ files; the build
// embeds them here as string literals (HostRuntimeSources.inc).
//
//===----------------------------------------------------------------------===//

#include "EntryPoint.h"
#include "mlstm/Target/HostAPI/HostAPI.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/raw_ostream.h"

using namespace mlir;
using namespace mlir::mlstm;
using namespace mlir::mlstm::hostapi;

namespace {
#include "HostRuntimeSources.inc"
} // namespace

/// "[B, NH, S, 64]": dynamic sizes by name, static ones by value.
static std::string shapeText(const TensorParam &p) {
  std::string text = "[";
  for (auto [d, size] : llvm::enumerate(p.type.getShape()))
    text += std::string(d ? ", " : "") + (ShapedType::isDynamic(size)
                                              ? dimName(roleDims(p.role)[d])
                                              : std::to_string(size));
  return text + "]";
}

/// "[*, *, 64, 1]": the strides the kernels have compiled in ('*': any).
static std::string strideText(const TensorParam &p) {
  if (p.copiedOut)
    return "any (copied out)";
  SmallVector<int64_t> strides;
  int64_t offset;
  (void)p.type.getStridesAndOffset(strides, offset);
  std::string text = "[";
  for (auto [d, stride] : llvm::enumerate(strides))
    text += std::string(d ? ", " : "") +
            (ShapedType::isDynamic(stride) ? "*" : std::to_string(stride));
  return text + "]";
}

static void emitPrototype(const EntryPoint &entry, raw_ostream &os) {
  std::string variant;
  llvm::raw_string_ostream(variant) << entry.variant;
  os << "/* " << entry.name << ": " << variant << ",\n *   chunk size "
     << entry.chunkSize << ".\n";
  for (const TensorParam &p : entry.params)
    os << " *   " << llvm::left_justify(p.cName, 6) << " "
       << llvm::left_justify(dtypeName(p.type.getElementType()), 5)
       << llvm::left_justify(shapeText(p), 22) << " strides " << strideText(p)
       << (p.isResult ? ", written" : "") << "\n";
  auto group = [&](Group g, const char *what) {
    std::string names;
    for (const TensorParam &p : entry.params)
      if (p.group == g)
        names += (names.empty() ? "" : ", ") + p.cName;
    if (!names.empty())
      os << " *   " << names << ": " << what << "\n";
  };
  group(Group::Init, "initial states, all or none (NULL: zeros, the default)");
  group(Group::Final, "final states, all or none (NULL: not returned)");
  group(Group::FinalGrad,
        "final-state cotangents, all or none (NULL: zeros)");
  group(Group::InitGrad,
        "initial-state gradients, all or none (NULL: not returned)");
  if (entry.backward)
    os << " *   gradient: "
       << (entry.detached ? "detached denominator (NX-AI/mlstm_kernels' "
                            "variant, exact only behind a scale-invariant norm)"
                          : "exact")
       << "\n";
  os << " */\nMLSTM_API mlstm_status " << entry.name << "(";
  for (const TensorParam &p : entry.params)
    os << "\n    " << (p.isResult ? "mlstm_tensor *" : "const mlstm_tensor *")
       << p.cName << ",";
  os << "\n    CUstream stream);\n"
     << "/* The chunk length its kernels were compiled for (a spec's `auto`\n"
     << " * resolved), for callers that plan around it. */\n"
     << "enum { " << entry.name << "_chunk_size = " << entry.chunkSize
     << " };\n\n";
}

static std::string emitHeader(const Library &library, StringRef banner) {
  std::string text;
  llvm::raw_string_ostream os(text);
  std::string guard = "MLSTM_LIBRARY_" + StringRef(library.name).upper() + "_H";
  os << "// " << banner << "\n"
     << "/* " << library.name << ".h: the C API of the " << library.name
     << " kernel library.\n"
     << " *\n"
     << " * Each entry point checks every argument before it touches the GPU\n"
     << " * (a bad one returns MLSTM_ERROR_INVALID_ARGUMENT: nothing "
        "launched,\n"
     << " * nothing written), then queues its kernels on `stream` and returns\n"
     << " * without waiting. The PTX is JIT-loaded on first use in each CUDA\n"
     << " * context (the stream's). Thread-safe. Sizes: B, NH and S are any\n"
     << " * (S >= 1, B*NH >= 1); numbers are the sizes and strides the "
        "kernels\n"
     << " * were compiled for ('*': any non-negative stride).\n"
     << " */\n"
     << "#ifndef " << guard << "\n#define " << guard << "\n\n"
     << "#include <cuda.h>\n\n"
     << k_mlstm_host_api_types << "\n"
     << "#ifdef __cplusplus\nextern \"C\" {\n#endif\n\n";
  for (const EntryPoint &entry : library.entries)
    emitPrototype(entry, os);
  os << "/* Unloads this library's kernels from the current CUDA context "
        "(say,\n"
     << " * before destroying it); the next call loads them again. */\n"
     << "MLSTM_API mlstm_status " << library.name
     << "_release_context(void);\n\n"
     << "#ifdef __cplusplus\n}\n#endif\n\n#endif /* " << guard << " */\n";
  return text;
}

static FailureOr<std::string> emitSource(Library &library, StringRef banner) {
  // The entry points first: they number the kernels for the tables.
  std::string definitions;
  llvm::raw_string_ostream defs(definitions);
  for (const EntryPoint &entry : library.entries) {
    defs << "\n//===-- " << entry.name << " "
         << std::string(entry.name.size() < 66 ? 66 - entry.name.size() : 0,
                        '-')
         << "===//\n\n";
    if (failed(emitEntryPointDefinition(entry, library, defs)))
      return failure();
  }

  std::string text;
  llvm::raw_string_ostream os(text);
  os << "// " << banner << "\n"
     << "// " << library.name << ".cpp: the " << library.name
     << " kernel library (see " << library.name << ".h). Its PTX\n"
     << "// (the .ptx files beside it) is embedded at build time. The runtime below is pasted from the compiler's\n"
     << "// lib/Target/HostAPI/runtime/; the entry points at the end are\n"
     << "// translated from the host functions.\n\n"
     << "#include \"" << library.name << ".h\"\n\n"
     << k_mlstm_host_plan << "\n"
     << k_mlstm_host_tensor << "\n"
     << k_mlstm_host_launch << "\n"
     << k_mlstm_host_driver << "\n"
     << "namespace {\nnamespace rt = mlstm_rt;\n\n";
  // kPtx0, kPtx1, ...: the .ptx files as string literals, written by the
  // library's CMakeLists.txt (embed_binaries.cmake).
  os << "#include \"" << library.name << "_ptx.inc\"\n\n";
  for (auto [b, binary] : llvm::enumerate(library.binaries)) {
    os << "// gpu.binary @" << binary.op.getSymName() << " (" << binary.chip
       << (binary.features.empty() ? "" : ", " + binary.features) << "): "
       << binary.op.getSymName() << ".ptx.\n"
       << "const char *const kKernels" << b << "[] = {";
    for (auto [k, kernel] : llvm::enumerate(binary.kernels))
      os << (k ? ", " : "") << "\"" << kernel << "\"";
    os << "};\n";
  }
  // Built by the library's CMakeLists.txt where the toolkit has ptxas:
  // cubins load without the driver's JIT; the PTX stays as the fallback.
  os << "\n#ifdef MLSTM_EMBED_CUBINS\n#include \"" << library.name
     << "_cubins.inc\"\n#define MLSTM_CUBIN(b) kCubin##b, sizeof(kCubin##b) - 1\n"
     << "#else\n#define MLSTM_CUBIN(b) nullptr, 0\n#endif\n\n";
  os << "const rt::Binary kBinaries[] = {\n";
  for (auto [b, binary] : llvm::enumerate(library.binaries))
    os << "    {\"" << binary.op.getSymName() << "\", \"" << binary.chip
       << "\", kPtx" << b << ", MLSTM_CUBIN(" << b << "), kKernels" << b
       << ", " << binary.kernels.size() << "},\n";
  os << "};\n\n"
     << "// Function-local: built on first use, whatever the order of static\n"
     << "// initialization; its destructor makes no driver call.\n"
     << "rt::ModuleCache &moduleCache() {\n"
     << "  static rt::ModuleCache cache(kBinaries, " << library.binaries.size()
     << ");\n  return cache;\n}\n} // namespace\n"
     << definitions << "\n"
     << "extern \"C\" MLSTM_API mlstm_status " << library.name
     << "_release_context(void) {\n"
     << "  return rt::run(\"" << library.name << "_release_context\",\n"
     << "                 [] { rt::releaseCurrentContext(moduleCache()); });\n"
     << "}\n";
  return text;
}

/// The build-time step that embeds the PTX files (kPtx0, kPtx1, ... in binary
/// order) or the assembled cubins (kCubin0, ...) as string literals; run with
/// cmake -P. Literals, not brace lists: a megabyte compiles in a tenth of a
/// second (an initializer list of the same bytes takes seconds); the PTX as a
/// raw literal needs no escaping, the cubins' bytes are \x escapes.
static const char kEmbedBinaries[] =
    "# cmake -DOUTPUT=<file.inc> -DFORMAT=ptx|cubins "
    "-DINPUTS=<a|b|...> -P embed_binaries.cmake\n"
    "# (New policies: with CMP0054 unset, if() would dereference \"ptx\".)\n"
    "cmake_policy(VERSION 3.18)\n"
    "string(REPLACE \"|\" \";\" INPUTS \"${INPUTS}\")\n"
    "set(text \"// embedded at build time by embed_binaries.cmake\\n\")\n"
    "set(index 0)\n"
    "foreach(input IN LISTS INPUTS)\n"
    "  if(FORMAT STREQUAL \"ptx\")\n"
    "    file(READ \"${input}\" source)\n"
    "    string(FIND \"${source}\" \")mlstm_ptx\\\"\" clash)\n"
    "    if(NOT clash EQUAL -1)\n"
    "      message(FATAL_ERROR \"${input} holds the literal's delimiter\")\n"
    "    endif()\n"
    "    string(APPEND text \"const char kPtx${index}[] = "
    "R\\\"mlstm_ptx(${source})mlstm_ptx\\\";\\n\")\n"
    "  else()\n"
    "    file(READ \"${input}\" hex HEX)\n"
    "    string(REGEX REPLACE \"([0-9a-f][0-9a-f])\" \"\\\\\\\\x\\\\1\" bytes "
    "\"${hex}\")\n"
    "    string(APPEND text \"const unsigned char kCubin${index}[] = "
    "\\\"${bytes}\\\";\\n\")\n"
    "  endif()\n"
    "  math(EXPR index \"${index} + 1\")\n"
    "endforeach()\n"
    "file(WRITE \"${OUTPUT}\" \"${text}\")\n";

/// A custom command that runs embed_binaries.cmake on `inputs` (a CMake list
/// variable) into <lib>_<format>.inc, a source of the library.
static void emitEmbedCommand(raw_ostream &os, StringRef lib, StringRef format,
                             StringRef inputs, StringRef indent) {
  std::string inc = ("${CMAKE_CURRENT_BINARY_DIR}/" + lib + "_" + format +
                     ".inc")
                        .str();
  os << indent << "string(REPLACE \";\" \"|\" inputs \"${" << inputs
     << "}\")\n"
     << indent << "add_custom_command(OUTPUT " << inc << "\n"
     << indent << "  COMMAND ${CMAKE_COMMAND} -DOUTPUT=" << inc
     << " -DFORMAT=" << format << "\n"
     << indent << "          -DINPUTS=${inputs} -P "
     << "${CMAKE_CURRENT_SOURCE_DIR}/embed_binaries.cmake\n"
     << indent << "  DEPENDS ${" << inputs
     << "} ${CMAKE_CURRENT_SOURCE_DIR}/embed_binaries.cmake VERBATIM)\n"
     << indent << "target_sources(" << lib << " PRIVATE " << inc << ")\n";
}

static std::string emitCMake(const Library &library, StringRef banner) {
  std::string text;
  llvm::raw_string_ostream os(text);
  const std::string &lib = library.name;
  os << "# " << banner << "\n"
     << "# The " << lib << " kernel library: " << lib << ".h is its C API, "
     << lib << ".cpp its runtime\n# and entry points; the PTX files beside "
     << "them are embedded at build time.\n"
     << "# Builds with CMake and the CUDA toolkit alone: it uses the driver "
        "API, for\n"
     << "# which the toolkit's libcuda stub is enough to link.\n"
     << "cmake_minimum_required(VERSION 3.18)\n"
     << "project(" << lib << " LANGUAGES CXX)\n\n"
     << "find_package(CUDAToolkit REQUIRED)\n\n"
     << "add_library(" << lib << " SHARED " << lib << ".cpp)\n"
     << "target_include_directories(" << lib
     << " PUBLIC ${CMAKE_CURRENT_SOURCE_DIR})\n"
     << "target_include_directories(" << lib
     << " PRIVATE ${CMAKE_CURRENT_BINARY_DIR})\n"
     << "target_link_libraries(" << lib << " PUBLIC CUDA::cuda_driver)\n"
     << "# Only the entry points (MLSTM_API) are exported.\n"
     << "set_target_properties(" << lib << " PROPERTIES\n"
     << "  CXX_STANDARD 17\n  CXX_STANDARD_REQUIRED ON\n"
     << "  CXX_VISIBILITY_PRESET hidden\n  VISIBILITY_INLINES_HIDDEN ON)\n\n";
  // The PTX, always: the JIT's input, and the fallback of the cubins.
  os << "# The PTX files as string literals (kPtx0, kPtx1, ...).\n"
     << "set(" << lib << "_ptx\n";
  for (const LibraryBinary &binary : library.binaries) {
    gpu::BinaryOp op = binary.op;
    os << "  ${CMAKE_CURRENT_SOURCE_DIR}/" << op.getSymName() << ".ptx\n";
  }
  os << ")\n";
  emitEmbedCommand(os, lib, "ptx", lib + "_ptx", "");
  // Cubins assembled at build time: the committed sources stay independent
  // of the ptxas version, and loading skips the JIT.
  std::string upper = StringRef(lib).upper();
  os << "\n# Where the toolkit has ptxas, each PTX is assembled and the cubins\n"
     << "# embedded (loaded first; the PTX remains the fallback).\n"
     << "find_program(" << upper << "_PTXAS ptxas HINTS ${CUDAToolkit_BIN_DIR})\n"
     << "option(" << upper << "_EMBED_CUBINS \"embed cubins assembled by "
     << "ptxas\" ON)\n"
     << "if(" << upper << "_EMBED_CUBINS AND " << upper << "_PTXAS)\n"
     << "  set(cubins)\n";
  for (const LibraryBinary &binary : library.binaries) {
    gpu::BinaryOp op = binary.op;
    std::string name = op.getSymName().str();
    os << "  add_custom_command(OUTPUT ${CMAKE_CURRENT_BINARY_DIR}/" << name
       << ".cubin\n"
       << "    COMMAND ${" << upper << "_PTXAS} -arch=" << binary.chip
       << " ${CMAKE_CURRENT_SOURCE_DIR}/" << name
       << ".ptx -o ${CMAKE_CURRENT_BINARY_DIR}/" << name << ".cubin\n"
       << "    DEPENDS ${CMAKE_CURRENT_SOURCE_DIR}/" << name << ".ptx VERBATIM)\n"
       << "  list(APPEND cubins ${CMAKE_CURRENT_BINARY_DIR}/" << name
       << ".cubin)\n";
  }
  emitEmbedCommand(os, lib, "cubins", "cubins", "  ");
  os << "  target_compile_definitions(" << lib
     << " PRIVATE MLSTM_EMBED_CUBINS=1)\n"
     << "endif()\n\n"
     << "include(GNUInstallDirs)\n"
     << "install(TARGETS " << lib << ")\n"
     << "install(FILES " << lib
     << ".h DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})\n";
  return text;
}

LogicalResult hostapi::emitLibraryFiles(Library &library, StringRef source,
                                        std::vector<GeneratedFile> &files) {
  std::string banner =
      ("generated by mlstm-translate from " + source + "; do not edit").str();
  FailureOr<std::string> cpp = emitSource(library, banner);
  if (failed(cpp))
    return failure();
  const std::string dir = library.name + "/";
  files.push_back({dir + library.name + ".h", emitHeader(library, banner)});
  files.push_back({dir + library.name + ".cpp", std::move(*cpp)});
  for (LibraryBinary &binary : library.binaries)
    files.push_back({dir + binary.op.getSymName().str() + ".ptx",
                     "// " + banner + "\n" + binary.ptx});
  files.push_back({dir + "CMakeLists.txt", emitCMake(library, banner)});
  files.push_back({dir + "embed_binaries.cmake",
                   "# " + banner + "\n" + kEmbedBinaries});
  return success();
}
