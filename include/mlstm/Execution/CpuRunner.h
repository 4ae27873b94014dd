//===- CpuRunner.h - JIT-compile and call MLIR functions on the CPU -*- C++
//-*-//
//
// The harness that executes the IR levels above `gpu` on the CPU: parse a
// module, run a pass pipeline that ends in the LLVM dialect (normally
// `mlstm-cpu-pipeline`, possibly after `mlstm-chunk` or later mlstm passes),
// JIT-compile it with mlir::ExecutionEngine and call its functions on host
// buffers through their C interface (`_mlir_ciface_<name>`, strided memref
// descriptors). Compile once, call many times: tensor dimensions may be
// dynamic, so one module serves many shapes.
//
//===----------------------------------------------------------------------===//

#ifndef MLSTM_EXECUTION_CPURUNNER_H
#define MLSTM_EXECUTION_CPURUNNER_H

#include "mlir/IR/MLIRContext.h"

#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/Support/Error.h"

#include <memory>
#include <vector>

namespace mlir {
class ExecutionEngine;
namespace mlstm {

/// Element types the runner exchanges with compiled functions.
enum class ElementKind { F32, F64 };

/// A non-owning, strided view of host memory passed as a function argument.
struct BufferView {
  void *data = nullptr;
  ElementKind kind = ElementKind::F32;
  llvm::SmallVector<int64_t, 5> shape;
  /// In elements, one per dimension; row-major contiguous when built by get.
  llvm::SmallVector<int64_t, 5> strides;

  /// A row-major contiguous view of `shape`.
  static BufferView get(float *data, llvm::ArrayRef<int64_t> shape);
  static BufferView get(double *data, llvm::ArrayRef<int64_t> shape);
};

/// A buffer returned by a compiled function; owns (and frees) the memory the
/// function allocated for it.
class OwnedBuffer {
public:
  ElementKind getKind() const { return kind; }
  llvm::ArrayRef<int64_t> getShape() const { return shape; }
  llvm::ArrayRef<int64_t> getStrides() const { return strides; }
  int64_t getNumElements() const;

  /// All elements in row-major order (honoring the strides), widened to
  /// double.
  std::vector<double> toDoubles() const;

private:
  friend class CpuRunner;
  std::shared_ptr<void> allocation;
  const char *data = nullptr; // the element at index 0, after the offset
  ElementKind kind = ElementKind::F32;
  llvm::SmallVector<int64_t, 5> shape, strides;
};

/// A JIT-compiled module.
class CpuRunner {
public:
  /// Parses `source`, runs the textual pass pipeline `pipeline` on it (e.g.
  /// "mlstm-chunk,mlstm-cpu-pipeline"; the mlstm passes and pipelines and
  /// the upstream passes are registered on first use) and JIT-compiles the
  /// result at LLVM optimization level `optLevel`. Every public func.func
  /// whose arguments and results are ranked f32/f64 tensors or memrefs can
  /// then be called; the pipeline must give it a C interface. Tensor
  /// arguments are marked read-only (`bufferization.writable = false`), so a
  /// call never writes into the caller's buffers. `prepare` runs before the
  /// signatures are taken: passes that add functions (e.g.
  /// "mlstm-derive-backward") belong there.
  static llvm::Expected<std::unique_ptr<CpuRunner>>
  create(llvm::StringRef source, llvm::StringRef pipeline,
         unsigned optLevel = 2, llvm::StringRef prepare = "");

  ~CpuRunner();

  /// Calls function `name` on `args` (checked against its signature: count,
  /// rank, element type, static sizes) and returns its results.
  llvm::Expected<std::vector<OwnedBuffer>>
  call(llvm::StringRef name, llvm::ArrayRef<BufferView> args);

private:
  /// Rank and element type of one argument or result; static sizes, with
  /// ShapedType::kDynamic for the dynamic ones.
  struct BufferType {
    ElementKind kind;
    llvm::SmallVector<int64_t, 5> shape;
  };
  struct Signature {
    llvm::SmallVector<BufferType> args, results;
  };

  CpuRunner();

  MLIRContext context;
  std::unique_ptr<ExecutionEngine> engine;
  llvm::StringMap<Signature> signatures;
};

} // namespace mlstm
} // namespace mlir

#endif // MLSTM_EXECUTION_CPURUNNER_H
