//===- FakeKernels.cpp - the sample's kernels, on the host ----------------===//
//
// What unittests/HostAPI/sample.mlir's kernels compute, run by the fake
// driver's cuLaunchKernel on the parameters the generated library passed.
// The parameters are read as convert-gpu-to-nvvm lays them out (a memref of
// rank r: allocated, aligned, offset, r sizes, r strides), so wrong
// descriptors show up as wrong results or as out-of-bounds accesses, which
// are recorded in Driver::kernelErrors.
//
//===----------------------------------------------------------------------===//

#include "FakeDriver.h"

#include <algorithm>
#include <initializer_list>

namespace {
/// A memref descriptor as a kernel receives it.
struct View {
  float *data = nullptr;
  int64_t offset = 0;
  std::vector<int64_t> sizes, strides;
  const char *name = "";

  float &operator()(std::initializer_list<int64_t> index) {
    static float sink;
    int64_t at = offset;
    size_t d = 0;
    for (int64_t i : index) {
      if (d >= sizes.size() || i < 0 || i >= sizes[d]) {
        std::lock_guard<std::mutex> lock(fake::driver().mutex);
        fake::driver().kernelErrors.push_back(std::string("out of bounds: ") +
                                              name);
        return sink;
      }
      at += i * strides[d++];
    }
    return data[at];
  }
};

/// Reads a launch's parameters in order.
class Params {
public:
  explicit Params(const std::vector<uint64_t> &values) : values_(values) {}
  View memref(size_t rank, const char *name) {
    View view;
    view.name = name;
    next(); // allocated pointer
    view.data = reinterpret_cast<float *>(next());
    view.offset = static_cast<int64_t>(next());
    for (size_t d = 0; d < rank; ++d)
      view.sizes.push_back(static_cast<int64_t>(next()));
    for (size_t d = 0; d < rank; ++d)
      view.strides.push_back(static_cast<int64_t>(next()));
    return view;
  }
  int64_t scalar() { return static_cast<int64_t>(next()); }

private:
  uint64_t next() { return index_ < values_.size() ? values_[index_++] : 0; }
  const std::vector<uint64_t> &values_;
  size_t index_ = 0;
};

// @states: C[b,nh,c] = C0[b,nh] + c for c = 0..NC, likewise n and m.
void states(const fake::Launch &launch) {
  Params p(launch.params);
  View C0 = p.memref(4, "C0"), n0 = p.memref(3, "n0"), m0 = p.memref(2, "m0");
  View wc = p.memref(5, "wc"), wn = p.memref(4, "wn"), wm = p.memref(3, "wm");
  int64_t nc = p.scalar();
  int64_t NH = C0.sizes[1];
  for (int64_t bh = 0; bh < launch.grid[0]; ++bh)
    for (int64_t d = 0; d < launch.block[0]; ++d) {
      int64_t b = bh / NH, nh = bh % NH;
      for (int64_t c = 0; c <= nc; ++c) {
        float cf = static_cast<float>(c);
        for (int64_t r = 0; r < 16; ++r)
          wc({b, nh, c, r, d}) = C0({b, nh, r, d}) + cf;
        if (d < 16)
          wn({b, nh, c, d}) = n0({b, nh, d}) + cf;
        if (d == 0)
          wm({b, nh, c}) = m0({b, nh}) + cf;
      }
    }
}

// @output: h = v + 2 q[..., 0] + k[..., 1] + i - f, chunk by chunk.
void output(const fake::Launch &launch) {
  Params p(launch.params);
  View q = p.memref(4, "q"), k = p.memref(4, "k"), v = p.memref(4, "v");
  View i = p.memref(3, "i"), f = p.memref(3, "f"), h = p.memref(4, "h");
  int64_t L = p.scalar(), S = p.scalar();
  int64_t NH = q.sizes[1];
  for (int64_t chunk = 0; chunk < launch.grid[0]; ++chunk)
    for (int64_t bh = 0; bh < launch.grid[1]; ++bh)
      for (int64_t d = 0; d < launch.block[0]; ++d) {
        int64_t b = bh / NH, nh = bh % NH;
        for (int64_t s = chunk * L; s < std::min(chunk * L + L, S); ++s)
          h({b, nh, s, d}) = v({b, nh, s, d}) + 2 * q({b, nh, s, 0}) +
                             k({b, nh, s, 1}) + i({b, nh, s}) - f({b, nh, s});
      }
}
} // namespace

namespace fake {
void runKernel(const Launch &launch) {
  if (launch.kernel == "states")
    states(launch);
  else if (launch.kernel == "output")
    output(launch);
}
} // namespace fake
