//===- PtxObject.cpp - the PTX a library embeds, and its kernel ABI -------===//
//
// A library embeds the PTX of the gpu.binary objects its entry points launch
// (`gpu.binary @<lib>_kernels`, gpu-module-to-binary format=isa). Before the
// host code is written, each launch is checked against the `.entry` it
// launches: the PTX parameter list must be what the launch's operands become
// under convert-gpu-to-nvvm's default memref calling convention. A kernel
// lowered with bare pointers, or a launch that passes other operands, then
// fails here with a located error instead of reading garbage on the GPU.
//
//===----------------------------------------------------------------------===//

#include "EntryPoint.h"

#include "mlir/Dialect/LLVMIR/NVVMDialect.h"
#include "llvm/ADT/StringExtras.h"

using namespace mlir;
using namespace mlir::mlstm;
using namespace mlir::mlstm::hostapi;

FailureOr<std::string> hostapi::libraryOfBinary(gpu::BinaryOp binary) {
  StringRef name = binary.getSymName();
  StringRef library = name;
  if (!library.consume_back("_kernels") || library.empty() ||
      llvm::isDigit(library.front()) || !llvm::all_of(library, [](char c) {
        return llvm::isAlnum(c) || c == '_';
      }))
    return binary.emitError("a kernel library's binary must be named "
                            "@<lib>_kernels, <lib> a C identifier (the "
                            "library's name), not @")
           << name;
  return library.str();
}

LogicalResult hostapi::readPtxObject(gpu::BinaryOp binary, LibraryBinary &out) {
  unsigned found = 0;
  for (Attribute attr : binary.getObjects()) {
    auto object = dyn_cast<gpu::ObjectAttr>(attr);
    auto target =
        object ? dyn_cast<NVVM::NVVMTargetAttr>(object.getTarget()) : nullptr;
    if (!target || object.getFormat() != gpu::CompilationTarget::Assembly)
      continue;
    ++found;
    out.op = binary;
    out.chip = target.getChip().str();
    out.features = target.getFeatures().str();
    out.ptx = object.getObject().getValue().str();
  }
  if (found == 1)
    return success();
  return binary.emitError()
         << (found ? "holds several PTX objects" : "holds no PTX object")
         << "; a library embeds one per binary (run gpu-module-to-binary "
            "with format=isa and one #nvvm.target)";
}

std::optional<std::pair<unsigned, unsigned>>
Library::kernelIndex(gpu::BinaryOp binary, StringRef kernel) {
  unsigned b = 0;
  while (b < binaries.size() && binaries[b].op != binary)
    ++b;
  if (b == binaries.size())
    return std::nullopt;
  SmallVector<std::string> &kernels = binaries[b].kernels;
  unsigned k = llvm::find(kernels, kernel.str()) - kernels.begin();
  if (k == kernels.size())
    kernels.push_back(kernel.str());
  return std::make_pair(b, k);
}

/// The byte sizes of the parameters of `.entry <kernel>(...)`; 0 for a
/// parameter whose size is not spelled as a plain scalar type.
static std::optional<SmallVector<unsigned>> entryParameters(StringRef ptx,
                                                            StringRef kernel) {
  size_t pos = 0;
  while ((pos = ptx.find(".entry", pos)) != StringRef::npos) {
    StringRef rest = ptx.drop_front(pos + 6).ltrim();
    pos += 6;
    if (!rest.consume_front(kernel) || !rest.ltrim().starts_with("("))
      continue;
    rest = rest.ltrim().drop_front();
    StringRef list = rest.take_until([](char c) { return c == ')'; });
    SmallVector<unsigned> sizes;
    SmallVector<StringRef> params;
    list.split(params, ',', -1, /*KeepEmpty=*/false);
    for (StringRef param : params) {
      if (param.trim().empty())
        continue;
      unsigned size = 0;
      SmallVector<StringRef> tokens;
      llvm::SplitString(param, tokens, " \t\r\n");
      for (StringRef token : tokens) {
        token = token.trim();
        if (token.size() > 2 && token[0] == '.' &&
            StringRef("usbf").contains(token[1])) {
          unsigned bits = 0;
          if (!token.drop_front(2).getAsInteger(10, bits))
            size = bits / 8;
        }
      }
      // `.param .align 8 .b8 name[16]`: an aggregate of 16 bytes.
      if (param.contains('[') && param.ends_with("]"))
        size = 0;
      sizes.push_back(size);
    }
    return sizes;
  }
  return std::nullopt;
}

LogicalResult hostapi::checkKernelSignature(gpu::LaunchFuncOp launch,
                                            StringRef ptx) {
  StringRef kernel = launch.getKernelName().getValue();
  std::optional<SmallVector<unsigned>> actual = entryParameters(ptx, kernel);
  if (!actual)
    return launch.emitError()
           << "the PTX of @" << launch.getKernelModuleName().getValue()
           << " has no '.entry " << kernel << "'";
  SmallVector<unsigned> expected;
  std::string spelled;
  for (Value operand : launch.getKernelOperands()) {
    Type type = operand.getType();
    if (auto memref = dyn_cast<MemRefType>(type)) {
      // allocated, aligned, offset, sizes, strides
      expected.append(3 + 2 * memref.getRank(), 8);
      spelled += " " + std::to_string(3 + 2 * memref.getRank());
    } else if (type.isIndex() || type.isInteger(64)) {
      expected.push_back(8);
      spelled += " 1";
    } else if (type.isInteger(32)) {
      expected.push_back(4);
      spelled += " 1";
    } else {
      return launch.emitError()
             << "kernel operand of type " << type
             << " is not supported (memrefs, index, i32 and i64 are)";
    }
  }
  if (actual->size() != expected.size())
    return launch.emitError()
           << "'.entry " << kernel << "' takes " << actual->size()
           << " PTX parameters, but the launch passes " << expected.size()
           << " (per operand:" << spelled
           << "; a memref of rank r is 3 + 2r values with convert-gpu-to-"
              "nvvm's default calling convention, 1 with bare pointers)";
  for (auto [i, sizes] : llvm::enumerate(llvm::zip(*actual, expected))) {
    auto [have, want] = sizes;
    if (have != want)
      return launch.emitError()
             << "PTX parameter " << i << " of '.entry " << kernel << "' is "
             << (have ? std::to_string(have) + " bytes" : "an aggregate")
             << ", but the launch passes " << want << " bytes";
  }
  return success();
}
