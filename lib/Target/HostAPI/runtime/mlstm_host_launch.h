//===- mlstm_host_launch.h - launch shapes, parameters, state copies ------===//
//
// The third part of the runtime pasted into every generated library: what
// the host body's gpu.launch_func ops and returned subviews turn into, still
// without a driver call. Grid and block sizes are checked against CUDA's
// limits, kernel parameters are laid out the way convert-gpu-to-nvvm lowers
// a kernel signature, and a final state's copy from its workspace view into
// the user's tensor is planned as at most a few cuMemcpy2D calls.
//
//===----------------------------------------------------------------------===//

#ifndef MLSTM_HOST_LAUNCH_H
#define MLSTM_HOST_LAUNCH_H

#include <string>
#include <vector>

namespace {
namespace mlstm_rt {

/// Hopper's opt-in maximum of dynamic shared memory per block (227 KiB).
constexpr int64_t kMaxDynamicSharedBytes = 227 * 1024;

/// One launch's shape, checked against the limits of every CUDA device.
struct LaunchDims {
  unsigned grid[3];
  unsigned block[3];
  unsigned sharedBytes;
};

inline LaunchDims launchDims(int64_t gx, int64_t gy, int64_t gz, int64_t bx,
                             int64_t by, int64_t bz, int64_t sharedBytes,
                             const char *kernel) {
  const int64_t grid[3] = {gx, gy, gz}, block[3] = {bx, by, bz};
  const int64_t gridLimit[3] = {2147483647, 65535, 65535};
  const int64_t blockLimit[3] = {1024, 1024, 64};
  const char *axis = "xyz";
  LaunchDims dims;
  for (int d = 0; d < 3; ++d) {
    // The arguments were non-empty, so an empty launch is the compiler's
    // mistake; a huge grid is a problem too large for this kernel's mapping.
    if (grid[d] < 1 || block[d] < 1 || block[d] > blockLimit[d])
      internal(std::string("launch of ") + kernel + " has grid." + axis[d] +
               " = " + str(grid[d]) + ", block." + axis[d] + " = " +
               str(block[d]));
    if (grid[d] > gridLimit[d])
      fail(MLSTM_ERROR_UNSUPPORTED,
           std::string("launch of ") + kernel + " needs grid." + axis[d] +
               " = " + str(grid[d]) + ", over CUDA's limit " +
               str(gridLimit[d]) + " (too many batches or heads)");
    dims.grid[d] = static_cast<unsigned>(grid[d]);
    dims.block[d] = static_cast<unsigned>(block[d]);
  }
  if (bx * by * bz > 1024)
    internal(std::string("launch of ") + kernel +
             " has more than 1024 "
             "threads per block");
  if (sharedBytes < 0 || sharedBytes > kMaxDynamicSharedBytes)
    fail(MLSTM_ERROR_UNSUPPORTED,
         std::string("launch of ") + kernel + " needs " + str(sharedBytes) +
             " bytes of dynamic shared memory, over the 227 KiB a block "
             "can have");
  dims.sharedBytes = static_cast<unsigned>(sharedBytes);
  return dims;
}

/// cuLaunchKernel's parameter array: a pointer to each PTX parameter's value.
/// A memref of rank r is 3 + 2r parameters (allocated, aligned, offset,
/// sizes, strides): convert-gpu-to-nvvm's default memref calling convention.
/// The pointers refer to the caller's variables, which outlive the launch.
class Params {
public:
  void memref(Memref &m) {
    items_.push_back(&m.allocated);
    items_.push_back(&m.aligned);
    items_.push_back(&m.offset);
    for (int d = 0; d < m.rank; ++d)
      items_.push_back(&m.sizes[d]);
    for (int d = 0; d < m.rank; ++d)
      items_.push_back(&m.strides[d]);
  }
  void scalar(int64_t &v) { items_.push_back(&v); }
  void scalar(int32_t &v) { items_.push_back(&v); }
  void **data() { return items_.data(); }
  size_t size() const { return items_.size(); }

private:
  std::vector<void *> items_;
};

/// The largest pitch cuMemcpy2D takes on current devices
/// (CU_DEVICE_ATTRIBUTE_MAX_PITCH); rows further apart are copied one by one.
constexpr int64_t kMaxPitch = 2147483647;
/// More copies than this for one tensor would be slower than a kernel:
/// such layouts are refused instead.
constexpr int64_t kMaxCopies = 1 << 16;

/// A final state's copy from a view of its workspace into the user's tensor:
/// `batches` times (each `*BatchStride` bytes further) a 2-D copy of `rows`
/// rows of `widthBytes` (a 1-D copy when rows == 1).
struct CopyPlan {
  bool active = false;
  int64_t widthBytes = 0;
  int64_t rows = 1, srcPitch = 0, dstPitch = 0;
  int64_t batches = 1, srcBatchStride = 0, dstBatchStride = 0;
};

inline CopyPlan planCopy(const Memref &src, const Memref &dst,
                         const char *what) {
  bool same = src.rank == dst.rank && src.elementBytes == dst.elementBytes;
  for (int d = 0; same && d < src.rank; ++d)
    same = src.sizes[d] == dst.sizes[d];
  if (!same)
    internal(std::string("the result ") + what +
             " has other sizes than the checked output tensor");

  // Dimensions that matter (size > 1), outermost first, as
  // (size, source stride, destination stride) in elements.
  struct Dim {
    int64_t size, src, dst;
  };
  std::vector<Dim> dims;
  for (int d = 0; d < src.rank; ++d) {
    if (src.sizes[d] == 0)
      return CopyPlan(); // nothing to copy
    if (src.sizes[d] > 1)
      dims.push_back({src.sizes[d], src.strides[d], dst.strides[d]});
  }
  // The innermost dimensions that are contiguous in both: one block.
  int64_t width = 1;
  while (!dims.empty() && dims.back().src == width &&
         dims.back().dst == width) {
    width = muli(width, dims.back().size, what);
    dims.pop_back();
  }
  // Outer dimensions that step like one (e.g. B and NH of a state).
  std::vector<Dim> merged;
  for (const Dim &d : dims) {
    if (!merged.empty() && merged.back().src == muli(d.src, d.size, what) &&
        merged.back().dst == muli(d.dst, d.size, what))
      merged.back() = {muli(merged.back().size, d.size, what), d.src, d.dst};
    else
      merged.push_back(d);
  }
  if (merged.size() > 2)
    fail(MLSTM_ERROR_UNSUPPORTED,
         std::string(what) + ": the final-state copy cannot express this "
                             "output layout (pass a tensor whose per-head "
                             "state is contiguous)");

  const int64_t bytes = src.elementBytes;
  CopyPlan plan;
  plan.active = true;
  plan.widthBytes = muli(width, bytes, what);
  if (!merged.empty()) {
    plan.rows = merged.back().size;
    plan.srcPitch = muli(merged.back().src, bytes, what);
    plan.dstPitch = muli(merged.back().dst, bytes, what);
  }
  if (merged.size() == 2) {
    plan.batches = merged.front().size;
    plan.srcBatchStride = muli(merged.front().src, bytes, what);
    plan.dstBatchStride = muli(merged.front().dst, bytes, what);
  }
  // cuMemcpy2D wants pitches of at least the width and at most kMaxPitch;
  // otherwise copy the rows one by one, if that is the only repetition.
  bool pitchesFit = plan.srcPitch <= kMaxPitch && plan.dstPitch <= kMaxPitch &&
                    plan.srcPitch >= plan.widthBytes &&
                    plan.dstPitch >= plan.widthBytes;
  if (plan.rows > 1 && !pitchesFit) {
    if (plan.batches != 1)
      fail(MLSTM_ERROR_UNSUPPORTED,
           std::string(what) + ": the final-state copy cannot express this "
                               "output layout (row pitch out of range)");
    plan.batches = plan.rows;
    plan.srcBatchStride = plan.srcPitch;
    plan.dstBatchStride = plan.dstPitch;
    plan.rows = 1;
    plan.srcPitch = plan.dstPitch = 0;
  }
  if (plan.batches > kMaxCopies)
    fail(MLSTM_ERROR_UNSUPPORTED,
         std::string(what) + ": the final-state copy would take " +
             str(plan.batches) +
             " copies for this output layout (pass a compact tensor)");
  return plan;
}

} // namespace mlstm_rt
} // namespace

#endif // MLSTM_HOST_LAUNCH_H
