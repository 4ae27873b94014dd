//===- mlstm_host_tensor.h - the user's tensors, checked ------------------===//
//
// The second part of the runtime pasted into every generated library: each
// tensor argument checked against the memref type the kernels were compiled
// for (rank, dtype, static sizes and strides), the problem sizes B, NH, S,
// DQK, DHV agreed on by all tensors, the optional state groups (all or none),
// and zero initial states for absent ones. Every message names the C
// parameter and what it should be. No driver call.
//
//===----------------------------------------------------------------------===//

#ifndef MLSTM_HOST_TENSOR_H
#define MLSTM_HOST_TENSOR_H

#include <algorithm>
#include <cstring>
#include <string>
#include <utility>
#include <vector>

namespace {
namespace mlstm_rt {

/// The problem dimensions a tensor dimension can be.
enum ProblemDim : int { kB, kNH, kS, kDQK, kDHV, kNumProblemDims };
inline const char *problemDimName(int d) {
  static const char *const names[] = {"B", "NH", "S", "DQK", "DHV"};
  return d >= 0 && d < kNumProblemDims ? names[d] : "?";
}
inline const char *dtypeName(int dtype) {
  switch (dtype) {
  case MLSTM_DTYPE_F32:
    return "f32";
  case MLSTM_DTYPE_F16:
    return "f16";
  case MLSTM_DTYPE_BF16:
    return "bf16";
  }
  return "unknown";
}

/// What one tensor parameter must look like: the memref type of the host
/// function's argument (or result) and the role of each dimension.
struct TensorSpec {
  const char *name; // the C parameter
  mlstm_dtype dtype;
  int rank;
  int64_t elementBytes;
  int dims[kMaxRank];          // a ProblemDim per dimension
  int64_t typeSizes[kMaxRank]; // static sizes of the memref type, or kDynamic
  // Static strides of the memref layout, or kDynamic. The kernel has the
  // static ones compiled in (e.g. 64 for dim 2 of memref<?x?x?x64xbf16>).
  int64_t typeStrides[kMaxRank];
  bool output; // written by the kernels: its elements must not overlap
};

/// B, NH, S, DQK and DHV as the tensors give them, and which tensor did.
struct Problem {
  int64_t sizes[kNumProblemDims] = {-1, -1, -1, -1, -1};
  const char *from[kNumProblemDims] = {};
};

inline std::string at(const TensorSpec &spec, const char *field, int d) {
  return std::string(spec.name) + "." + field + "[" + str(d) + "]";
}

/// Checks `t` against `spec` (sizes against `problem`, which the first
/// tensor to give a dimension sets) and returns its descriptor.
inline Memref bindTensor(const mlstm_tensor *t, const TensorSpec &spec,
                         Problem &problem) {
  std::string name = spec.name;
  if (!t)
    invalid(name + " is NULL");
  if (t->rank != spec.rank)
    invalid(name + " has rank " + str(t->rank) + ", expected " +
            str(spec.rank));
  // A C caller may store any int in the enum field: read it as an int, since
  // loading an out-of-range value as an mlstm_dtype is undefined in C++.
  int dtype;
  static_assert(sizeof(dtype) == sizeof(t->dtype), "mlstm_dtype is an int");
  std::memcpy(&dtype, &t->dtype, sizeof(dtype));
  if (dtype != spec.dtype)
    invalid(name + " has dtype " + dtypeName(dtype) + ", expected " +
            dtypeName(spec.dtype));
  if (!t->data)
    invalid(name + ".data is NULL");
  uint64_t address = reinterpret_cast<uintptr_t>(t->data);
  if (address % 16)
    invalid(name + ".data is not 16-byte aligned");

  Memref m;
  m.rank = spec.rank;
  m.elementBytes = spec.elementBytes;
  m.allocated = m.aligned = address;
  for (int d = 0; d < spec.rank; ++d) {
    int64_t size = t->sizes[d];
    int role = spec.dims[d];
    if (size < 0)
      invalid(at(spec, "sizes", d) + " is negative (" + str(size) + ")");
    if (spec.typeSizes[d] != kDynamic && size != spec.typeSizes[d])
      invalid(at(spec, "sizes", d) + " (" + problemDimName(role) + ") is " +
              str(size) + ", but the kernels were compiled for " +
              str(spec.typeSizes[d]));
    if (problem.sizes[role] < 0) {
      problem.sizes[role] = size;
      problem.from[role] = spec.name;
    } else if (problem.sizes[role] != size) {
      invalid(at(spec, "sizes", d) + " (" + problemDimName(role) + ") is " +
              str(size) + ", but " + problem.from[role] + " has " +
              problemDimName(role) + " = " + str(problem.sizes[role]));
    }
    m.sizes[d] = size;
  }

  int64_t lastIndex = 0; // the largest element offset, for the span check
  for (int d = 0; d < spec.rank; ++d) {
    int64_t stride = t->strides[d];
    // A size-1 dimension is never stepped along: any stride addresses the
    // same elements (frameworks leave odd ones there), so use the kernel's.
    if (m.sizes[d] == 1)
      stride = spec.typeStrides[d] != kDynamic ? spec.typeStrides[d]
               : d == spec.rank - 1            ? 1
                                               : (stride < 0 ? 0 : stride);
    if (d == spec.rank - 1 && stride != 1)
      invalid(at(spec, "strides", d) + " is " + str(stride) +
              ": the last dimension must be contiguous (stride 1)");
    if (stride < 0)
      invalid(at(spec, "strides", d) + " is negative (" + str(stride) + ")");
    if (spec.typeStrides[d] != kDynamic && stride != spec.typeStrides[d])
      invalid(at(spec, "strides", d) + " is " + str(stride) +
              ", but the kernels were compiled for stride " +
              str(spec.typeStrides[d]) + " in this dimension");
    m.strides[d] = stride;
    if (m.sizes[d] > 0)
      lastIndex = addi(lastIndex, muli(m.sizes[d] - 1, stride, name.c_str()),
                       name.c_str());
  }
  // Kernels index with 64-bit byte offsets.
  muli(addi(lastIndex, int64_t(1), name.c_str()), spec.elementBytes,
       name.c_str());

  // Two elements of an output at one address would be written concurrently
  // (an empty tensor has no elements: the emptiness check reports it).
  bool empty = false;
  for (int d = 0; d < spec.rank; ++d)
    empty = empty || m.sizes[d] == 0;
  if (spec.output && !empty) {
    std::vector<std::pair<int64_t, int64_t>> byStride; // (stride, size)
    for (int d = 0; d < spec.rank; ++d)
      if (m.sizes[d] > 1)
        byStride.push_back({m.strides[d], m.sizes[d]});
    std::sort(byStride.begin(), byStride.end());
    int64_t extent = 1; // elements spanned by the dimensions so far
    for (auto [stride, size] : byStride) {
      if (stride < extent)
        invalid(name + ": its strides make elements overlap, and it is "
                       "written by the kernels");
      extent = muli(stride, size, name.c_str());
    }
  }
  return m;
}

/// Optional tensors come in groups (initial states, final states): all given
/// or all NULL. Returns whether they are given.
inline bool allOrNone(std::initializer_list<const mlstm_tensor *> tensors,
                      std::initializer_list<const char *> names,
                      const char *group) {
  const mlstm_tensor *const *t = tensors.begin();
  const char *const *n = names.begin();
  size_t given = 0;
  for (size_t i = 0; i < tensors.size(); ++i)
    given += t[i] != nullptr;
  if (given == 0 || given == tensors.size())
    return given != 0;
  std::string message = std::string(group) + " must be given all or none:";
  for (size_t i = 0; i < tensors.size(); ++i)
    message += std::string(" ") + n[i] + (t[i] ? " is set" : " is NULL") +
               (i + 1 < tensors.size() ? "," : "");
  invalid(message);
}

/// After all tensors: no empty problem (S = 0, B·NH = 0, ...).
inline void requireNonEmpty(const Problem &problem) {
  for (int d = 0; d < kNumProblemDims; ++d)
    if (problem.sizes[d] == 0)
      invalid(std::string(problemDimName(d)) + " is 0 (from " +
              problem.from[d] + "): " +
              (d == kS ? "sequences must have at least one step"
                       : "the problem must not be empty"));
}

/// An absent initial state: zeros (the recurrence's m_0 = 0, C_0 = 0,
/// n_0 = 0) in a workspace shaped like the tensor the user could have passed.
inline Memref zeroState(const TensorSpec &spec, const Problem &problem) {
  int64_t sizes[kMaxRank];
  for (int d = 0; d < spec.rank; ++d) {
    sizes[d] = spec.typeSizes[d] != kDynamic ? spec.typeSizes[d]
                                             : problem.sizes[spec.dims[d]];
    if (sizes[d] < 0)
      internal(std::string("no size for ") + spec.name + " dimension " +
               str(d));
  }
  Memref m = contiguous(spec.elementBytes, {}, spec.name);
  m.rank = spec.rank;
  int64_t stride = 1;
  for (int d = spec.rank - 1; d >= 0; --d) {
    m.sizes[d] = sizes[d];
    m.strides[d] = stride;
    stride = muli(stride, sizes[d], spec.name);
  }
  m.bytes = muli(stride, spec.elementBytes, spec.name);
  m.zeroFill = true;
  return m;
}

} // namespace mlstm_rt
} // namespace

#endif // MLSTM_HOST_TENSOR_H
