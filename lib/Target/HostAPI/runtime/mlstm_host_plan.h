//===- mlstm_host_plan.h - argument checks and launch plans, no driver ----===//
//
// The first part of the runtime that `mlstm-translate --emit-host-api` pastes
// into every generated library source. Like the next two parts (tensor
// checks, launch plans) it makes no CUDA driver call: an entry point does all
// of that first, so a call whose arguments are bad ends with a status before
// anything is launched or written (DESIGN.md §4). Here: the status an entry
// point returns, the host body's integer ops (overflow reported, not
// wrapped) and memref descriptors of workspaces and views.
//
// Everything sits in an anonymous namespace: two generated libraries linked
// into one program neither share nor clash on this code. It needs the C types
// of mlstm_host_api_types.h, which the library header brings.
//
//===----------------------------------------------------------------------===//

#ifndef MLSTM_HOST_PLAN_H
#define MLSTM_HOST_PLAN_H

#include <cstdint>
#include <cstdio>
#include <exception>
#include <initializer_list>
#include <limits>
#include <string>
#include <type_traits>
#include <utility>

namespace {
namespace mlstm_rt {

constexpr int kMaxRank = 8;
constexpr int64_t kDynamic = std::numeric_limits<int64_t>::min();

/// Why a call stops. Thrown inside the library only: run() turns it into the
/// returned mlstm_status, so no exception crosses the C ABI.
struct Error {
  mlstm_status_code code;
  int cudaResult;
  std::string message;
};

[[noreturn]] inline void fail(mlstm_status_code code, std::string message) {
  throw Error{code, 0, std::move(message)};
}
[[noreturn]] inline void invalid(std::string message) {
  fail(MLSTM_ERROR_INVALID_ARGUMENT, std::move(message));
}
[[noreturn]] inline void internal(std::string message) {
  fail(MLSTM_ERROR_INTERNAL, std::move(message));
}

inline mlstm_status makeStatus(mlstm_status_code code, int cudaResult,
                               const char *entry, const char *message) {
  mlstm_status status;
  status.code = code;
  status.cuda_result = cudaResult;
  // snprintf truncates, and allocates nothing: safe inside a catch handler.
  if (code == MLSTM_SUCCESS)
    status.message[0] = '\0';
  else
    std::snprintf(status.message, sizeof(status.message), "%s: %s", entry,
                  message);
  return status;
}

/// Runs an entry point's body and reports how it ended.
template <typename Body>
mlstm_status run(const char *entry, Body &&body) noexcept {
  try {
    body();
    return makeStatus(MLSTM_SUCCESS, 0, entry, "");
  } catch (const Error &e) {
    return makeStatus(e.code, e.cudaResult, entry, e.message.c_str());
  } catch (const std::exception &e) {
    return makeStatus(MLSTM_ERROR_INTERNAL, 0, entry, e.what());
  } catch (...) {
    return makeStatus(MLSTM_ERROR_INTERNAL, 0, entry, "unknown exception");
  }
}

inline std::string str(int64_t v) { return std::to_string(v); }

//===----------------------------------------------------------------------===//
// The host function's integer ops
//===----------------------------------------------------------------------===//
// arith semantics on index (int64_t), i64 and i32, except that a result that
// does not fit is an error instead of a wrapped value: each one is a size, a
// count or an offset, and a wrapped one would launch a kernel over the wrong
// memory. `where` names the op ("arith.muli at spec.mlir:12:7").

[[noreturn]] inline void overflow(const char *where) {
  invalid(std::string("sizes too large: integer overflow in ") + where);
}

template <typename T> T addi(T a, T b, const char *where) {
  T r;
  if (__builtin_add_overflow(a, b, &r))
    overflow(where);
  return r;
}
template <typename T> T subi(T a, T b, const char *where) {
  T r;
  if (__builtin_sub_overflow(a, b, &r))
    overflow(where);
  return r;
}
template <typename T> T muli(T a, T b, const char *where) {
  T r;
  if (__builtin_mul_overflow(a, b, &r))
    overflow(where);
  return r;
}
template <typename T> std::make_unsigned_t<T> toUnsigned(T v) {
  return static_cast<std::make_unsigned_t<T>>(v);
}
template <typename T> T divui(T a, T b, const char *where) {
  if (b == 0)
    internal(std::string("division by zero in ") + where);
  return static_cast<T>(toUnsigned(a) / toUnsigned(b));
}
template <typename T> T ceildivui(T a, T b, const char *where) {
  if (b == 0)
    internal(std::string("division by zero in ") + where);
  // (a + b - 1) / b could overflow; this cannot.
  return a == 0 ? T(0)
                : static_cast<T>((toUnsigned(a) - 1) / toUnsigned(b) + 1);
}
template <typename T> T minsi(T a, T b) { return a < b ? a : b; }
template <typename T> T maxsi(T a, T b) { return a < b ? b : a; }
template <typename To, typename From> To indexCast(From v, const char *where) {
  // index_cast truncates to a narrower type; a truncation that changes the
  // value is an overflow here.
  if (v < static_cast<From>(std::numeric_limits<To>::min()) ||
      v > static_cast<From>(std::numeric_limits<To>::max()))
    overflow(where);
  return static_cast<To>(v);
}

//===----------------------------------------------------------------------===//
// Memref descriptors
//===----------------------------------------------------------------------===//

/// A memref as convert-gpu-to-nvvm's default calling convention passes it to
/// a kernel: allocated and aligned pointers, offset, sizes and strides (in
/// elements). User tensors, workspaces and views of them all become one.
struct Memref {
  uint64_t allocated = 0;
  uint64_t aligned = 0;
  int64_t offset = 0;
  int64_t sizes[kMaxRank] = {};
  int64_t strides[kMaxRank] = {};
  int rank = 0;
  int64_t elementBytes = 0;
  /// A buffer the call allocates (memref.alloc, absent initial states)
  /// rather than one the user passed; zeroFill: an absent initial state,
  /// whose value is the recurrence's default (all zeros).
  bool workspace = false;
  bool zeroFill = false;
  int64_t bytes = 0;
};

/// memref.dim
inline int64_t dim(const Memref &m, int64_t index, const char *where) {
  if (index < 0 || index >= m.rank)
    internal(std::string("dimension ") + str(index) + " out of range in " +
             where);
  return m.sizes[index];
}

/// memref.alloc: a compact row-major workspace (identity layout).
inline Memref contiguous(int64_t elementBytes,
                         std::initializer_list<int64_t> sizes,
                         const char *where) {
  Memref m;
  m.rank = static_cast<int>(sizes.size());
  m.elementBytes = elementBytes;
  m.workspace = true;
  int d = 0;
  for (int64_t size : sizes) {
    if (size < 0)
      internal(std::string("negative size ") + str(size) + " in " + where);
    m.sizes[d++] = size;
  }
  int64_t stride = 1;
  for (d = m.rank - 1; d >= 0; --d) {
    m.strides[d] = stride;
    stride = muli(stride, m.sizes[d], where);
  }
  m.bytes = muli(stride, elementBytes, where);
  return m;
}

/// memref.subview with rank reduction (`dropped`: bit d set when source
/// dimension d is dropped). Pointers come later, from bindView().
inline Memref subview(const Memref &source,
                      std::initializer_list<int64_t> offsets,
                      std::initializer_list<int64_t> sizes,
                      std::initializer_list<int64_t> steps, uint32_t dropped,
                      const char *where) {
  const int64_t *off = offsets.begin(), *size = sizes.begin(),
                *step = steps.begin();
  if (static_cast<int>(offsets.size()) != source.rank ||
      sizes.size() != offsets.size() || steps.size() != offsets.size())
    internal(std::string("subview rank mismatch in ") + where);
  Memref view = source;
  view.workspace = view.zeroFill = false;
  view.bytes = 0;
  view.rank = 0;
  for (int d = 0; d < source.rank; ++d) {
    if (off[d] < 0 || size[d] < 0 || step[d] < 0 ||
        (size[d] > 0 && addi(off[d], muli(size[d] - 1, step[d], where),
                             where) >= source.sizes[d]))
      internal(std::string("subview out of bounds in ") + where);
    view.offset =
        addi(view.offset, muli(off[d], source.strides[d], where), where);
    if (dropped & (1u << d))
      continue;
    view.sizes[view.rank] = size[d];
    view.strides[view.rank] = muli(source.strides[d], step[d], where);
    ++view.rank;
  }
  return view;
}

/// Gives a subview the pointers of its (now allocated) source.
inline void bindView(Memref &view, const Memref &source) {
  view.allocated = source.allocated;
  view.aligned = source.aligned;
}

/// A memref.alloc that is a result of the host function is the user's output
/// tensor; its sizes, from the host body, must be the ones checked.
inline void expectSizes(const Memref &m, std::initializer_list<int64_t> sizes,
                        const char *where) {
  int d = 0;
  bool same = static_cast<int>(sizes.size()) == m.rank;
  for (int64_t size : sizes)
    same = same && m.sizes[d++] == size;
  if (!same)
    internal(std::string("the output buffer of ") + where +
             " has other sizes than the checked output tensor");
}

} // namespace mlstm_rt
} // namespace

#endif // MLSTM_HOST_PLAN_H
