//===- ExternSharedMemory.h - dynamic shared memory as .extern --*- C++ -*-===//
//
// The fix behind --mlstm-gpu-extern-shared-memory, exported for lowerings
// that build their own pass pipelines.
//
//===----------------------------------------------------------------------===//

#ifndef MLSTM_CONVERSION_MLSTMTOGPU_EXTERNSHAREDMEMORY_H
#define MLSTM_CONVERSION_MLSTMTOGPU_EXTERNSHAREDMEMORY_H

#include "mlir/Support/LLVM.h"

#include <cstdint>

namespace mlir {
class Operation;
namespace mlstm {

/// Gives every zero-length `llvm.mlir.global` in address space 3 (workgroup)
/// nested in `root` external linkage and an alignment of at least
/// `alignment` bytes, so that the NVPTX back end emits it as
/// `.extern .shared .align <alignment> .b8 name[]`, the dynamic shared
/// memory. Returns the number of globals changed; fails (with a diagnostic)
/// when `alignment` is not a power of two or a candidate has an initializer.
FailureOr<unsigned> makeDynamicSharedMemoryExtern(Operation *root,
                                                  int64_t alignment);

} // namespace mlstm
} // namespace mlir

#endif // MLSTM_CONVERSION_MLSTMTOGPU_EXTERNSHAREDMEMORY_H
