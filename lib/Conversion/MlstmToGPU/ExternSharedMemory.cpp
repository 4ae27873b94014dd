//===- ExternSharedMemory.cpp - dynamic shared memory as .extern ----------===//
//
// Implements --mlstm-gpu-extern-shared-memory.
//
// CUDA names the dynamic shared memory of a launch with an unsized extern
// array, `extern __shared__ char smem[];`, which PTX spells
//
//   .extern .shared .align 1024 .b8 smem[];
//
// `convert-gpu-to-nvvm` lowers `gpu.dynamic_shared_memory` to
//
//   llvm.mlir.global internal @__dynamic_shmem__0()
//       {addr_space = 3 : i32, alignment = 16 : i64} : !llvm.array<0 x i8>
//
// and the NVPTX back end prints an internal zero-length global as a 1-byte
// *static* `.shared` variable. The kernel then writes its TMA tiles into
// static shared memory it never reserved, on top of the mbarriers, at an
// address that is only 16-byte aligned, while 128B-swizzled TMA boxes and
// the wgmma matrix descriptors that read them assume 1024-byte alignment.
// ptxas accepts all of this; the kernel computes garbage (or hangs on its
// mbarrier) on the device. Making the global external with the alignment
// the swizzle needs is all that is missing.
//
//===----------------------------------------------------------------------===//

#include "mlstm/Conversion/MlstmToGPU/ExternSharedMemory.h"
#include "mlstm/Conversion/Passes.h"

#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/LLVMIR/NVVMDialect.h"
#include "llvm/Support/MathExtras.h"

#include <algorithm>

namespace mlir {
namespace mlstm {
#define GEN_PASS_DEF_MLSTMGPUEXTERNSHAREDMEMORY
#include "mlstm/Conversion/Passes.h.inc"
} // namespace mlstm
} // namespace mlir

using namespace mlir;

/// A global that stands for the dynamic shared memory: a zero-length array in
/// the shared (workgroup) address space. No other use of such a global makes
/// sense, since it reserves no bytes.
static bool isDynamicSharedMemoryGlobal(LLVM::GlobalOp global) {
  if (global.getAddrSpace() !=
      static_cast<unsigned>(NVVM::NVVMMemorySpace::Shared))
    return false;
  auto array = dyn_cast<LLVM::LLVMArrayType>(global.getGlobalType());
  return array && array.getNumElements() == 0;
}

FailureOr<unsigned> mlir::mlstm::makeDynamicSharedMemoryExtern(
    Operation *root, int64_t alignment) {
  if (alignment <= 0 || !llvm::isPowerOf2_64(alignment))
    return root->emitError("dynamic shared memory alignment must be a "
                           "positive power of two, got ")
           << alignment;

  unsigned changed = 0;
  WalkResult result = root->walk([&](LLVM::GlobalOp global) {
    if (!isDynamicSharedMemoryGlobal(global))
      return WalkResult::advance();
    // An external declaration cannot carry a value; a zero-length array
    // never needs one, so an initializer means the IR is not what we think.
    if (global.getValue() || !global.getInitializerRegion().empty()) {
      global.emitError("zero-length shared memory global has an "
                       "initializer; cannot make it the dynamic shared "
                       "memory");
      return WalkResult::interrupt();
    }
    global.setLinkage(LLVM::Linkage::External);
    // Never lower an alignment someone asked for on purpose.
    uint64_t align = std::max<uint64_t>(global.getAlignment().value_or(0),
                                        static_cast<uint64_t>(alignment));
    global.setAlignment(align);
    ++changed;
    return WalkResult::advance();
  });
  if (result.wasInterrupted())
    return failure();
  return changed;
}

namespace {
struct MlstmGpuExternSharedMemoryPass
    : public mlstm::impl::MlstmGpuExternSharedMemoryBase<
          MlstmGpuExternSharedMemoryPass> {
  using Base::Base;

  void runOnOperation() override {
    if (failed(mlstm::makeDynamicSharedMemoryExtern(getOperation(),
                                                    alignment)))
      signalPassFailure();
  }
};
} // namespace
