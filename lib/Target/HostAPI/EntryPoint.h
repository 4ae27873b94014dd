//===- EntryPoint.h - host functions as library entry points ----*- C++ -*-===//
//
// The model the host API emitter works from: which public host function
// becomes which C entry point, what each of its memref arguments and results
// is (q, k, v, i, f, C0, n0, m0 / h, C, n, m), and which gpu.binary objects
// and kernels a library embeds. Built and checked against the contract of
// docs/host-api.md before any file is written.
//
//===----------------------------------------------------------------------===//

#ifndef MLSTM_LIB_TARGET_HOSTAPI_ENTRYPOINT_H
#define MLSTM_LIB_TARGET_HOSTAPI_ENTRYPOINT_H

#include "mlstm/Dialect/Mlstm/IR/MlstmOps.h"
#include "mlstm/Target/HostAPI/HostAPI.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/IR/BuiltinTypes.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/SmallVector.h"

#include <optional>
#include <string>

namespace mlir::mlstm::hostapi {

/// The problem dimensions; the runtime's ProblemDim has the same order.
enum class Dim { B, NH, S, DQK, DHV };

/// What a tensor parameter is, from its `mlstm.arg` / `mlstm.result`: the
/// forward's (q ... m) and the backward's (h as an argument, the cotangents
/// dh, dC, dn, dm, and the gradients dq ... dm0).
enum class Role {
  Q, K, V, I, F, C0, N0, M0, H, C, N, M,
  HIn, DH, DCIn, DNIn, DMIn, DQ, DK, DV, DI, DF, DC0, DN0, DM0
};

/// The optional groups of tensors: each all or none, NULL for absent.
enum class Group { None, Init, Final, FinalGrad, InitGrad };

/// One tensor parameter of an entry point (a memref argument or result of the
/// host function).
struct TensorParam {
  Role role;
  std::string cName; // "q", ..., "h", "C_out"
  // The argument's or result's type. The user's tensor must have its static
  // sizes and, unless `copiedOut`, its static strides: the kernels were
  // compiled for them and read or write the user's tensor through it.
  MemRefType type;
  bool isResult = false;
  // A result returned as a memref.subview (of a workspace): copied into the
  // user's tensor after the launches, so any layout will do.
  bool copiedOut = false;
  Group group = Group::None; // optional groups: all or none, nullable
  bool optional = false;     // group != Group::None
  unsigned index = 0;    // argument or result number
};

/// One gpu.binary of a library and the kernels its entry points launch.
struct LibraryBinary {
  gpu::BinaryOp op;
  std::string chip;
  std::string features;
  std::string ptx;
  llvm::SmallVector<std::string> kernels;
};

/// A public host function and what its C entry point looks like.
struct EntryPoint {
  func::FuncOp func;
  std::string name;
  std::string library;
  VariantAttr variant;
  int64_t chunkSize = 0;
  bool backward = false; // takes h and cotangents, returns gradients
  bool detached = false; // a backward with denominator_grad = detached
  llvm::SmallVector<TensorParam> params; // C order: arguments, then results
};

/// A generated library: entry points, and the binaries they launch.
struct Library {
  std::string name;
  llvm::SmallVector<LibraryBinary> binaries;
  llvm::SmallVector<EntryPoint> entries;

  /// Index of the binary and of the kernel in it (adding the kernel);
  /// nullopt if the binary is not one of the library's.
  std::optional<std::pair<unsigned, unsigned>> kernelIndex(gpu::BinaryOp binary,
                                                           StringRef kernel);
};

/// The shape of a role's tensor, by problem dimension.
llvm::ArrayRef<Dim> roleDims(Role role);
const char *dimName(Dim dim);
const char *roleCName(Role role);
/// "hasInit", ...: the C++ flag of an optional group.
const char *groupFlag(Group group);
/// What a group's tensors are, for messages and the header.
const char *groupDescription(Group group);
/// "bf16", "f16", "f32"; null for other element types.
const char *dtypeName(Type elementType);

/// Checks `func` against the entry point contract and describes it.
FailureOr<EntryPoint> analyzeEntryPoint(func::FuncOp func);

/// The library `@<lib>_kernels` belongs to (diagnosed if the name does not
/// follow that convention).
FailureOr<std::string> libraryOfBinary(gpu::BinaryOp binary);

/// The PTX object of a binary (its #nvvm.target object in `isa` format).
LogicalResult readPtxObject(gpu::BinaryOp binary, LibraryBinary &out);

/// Checks that `.entry <kernel>` in `ptx` takes the parameters that
/// convert-gpu-to-nvvm's default calling convention gives `launch`'s
/// operands (a memref of rank r: 3 + 2r 64-bit values).
LogicalResult checkKernelSignature(gpu::LaunchFuncOp launch, StringRef ptx);

/// Appends the C++ definition of the entry point (argument checks, the host
/// body as statements, driver work) to `os`.
LogicalResult emitEntryPointDefinition(const EntryPoint &entry,
                                       Library &library, raw_ostream &os);

/// Appends the files of `library` (header, source, PTX, CMakeLists.txt),
/// each starting with "generated by mlstm-translate from <source>".
LogicalResult emitLibraryFiles(Library &library, StringRef source,
                               std::vector<GeneratedFile> &files);

/// The C++ variables of a host body's SSA values: "a<i>" for arguments,
/// "v<n>" for op results, other prefixes for launch shapes and kernels.
class ValueNames {
public:
  /// The variable of a value defined earlier.
  std::string ref(Value value) const;
  /// A new variable for `value`.
  std::string define(Value value);
  /// A new variable name, not bound to a value.
  std::string fresh(StringRef prefix);
  void bind(Value value, std::string name);

private:
  llvm::DenseMap<Value, std::string> names;
  unsigned counter = 0;
};

/// The C++ type of an integer SSA value the host code can hold ("int64_t"
/// for index and i64, "int32_t", "bool"), or "".
StringRef scalarType(Type type);

/// Checks `op`, one of the host body's integer ops (arith on index, i64,
/// i32, i1; memref.dim), and unless `emit` is false appends its C++
/// statement to `out`. Any other op is a located error.
LogicalResult emitScalarOp(Operation *op, ValueNames &names, bool emit,
                           std::string &out);

/// "<op name> at <file>:<line>:<col>", for runtime messages.
std::string describeOp(Operation *op);

/// `text` as the inside of a C string literal.
std::string escapeC(StringRef text);

/// describeOp(op) as a C string literal.
std::string whereLiteral(Operation *op);

} // namespace mlir::mlstm::hostapi

#endif // MLSTM_LIB_TARGET_HOSTAPI_ENTRYPOINT_H
