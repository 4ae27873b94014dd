//===- SampleProblem.h - tensors for the generated sample library ---------===//
//
// Host tensors shaped for unittests/HostAPI/sample.mlir's entry points
// (DQK = 16, DHV = 32, chunk 4), filled with small integers (so that the
// sample kernels' results are exact in f32), outputs poisoned, plus the
// results the sample kernels must produce.
//
//===----------------------------------------------------------------------===//

#ifndef MLSTM_UNITTESTS_HOSTAPI_SAMPLEPROBLEM_H
#define MLSTM_UNITTESTS_HOSTAPI_SAMPLEPROBLEM_H

#include "sample.h"

#include <cmath>
#include <cstdint>
#include <initializer_list>
#include <vector>

/// Host memory posing as device memory, and the mlstm_tensor describing it.
struct HostTensor {
  std::vector<float> storage;
  mlstm_tensor t{};

  HostTensor() = default;
  /// Row-major unless `strides` is given (then sized to cover them).
  explicit HostTensor(std::vector<int64_t> sizes,
                      std::vector<int64_t> strides = {}) {
    t.rank = static_cast<int64_t>(sizes.size());
    t.dtype = MLSTM_DTYPE_F32;
    if (strides.empty()) {
      strides.assign(sizes.size(), 1);
      for (int d = static_cast<int>(sizes.size()) - 2; d >= 0; --d)
        strides[d] = strides[d + 1] * sizes[d + 1];
    }
    int64_t extent = 1;
    for (size_t d = 0; d < sizes.size(); ++d) {
      t.sizes[d] = sizes[d];
      t.strides[d] = strides[d];
      extent += sizes[d] > 0 ? (sizes[d] - 1) * strides[d] : 0;
    }
    storage.assign(static_cast<size_t>(extent), NAN);
    t.data = storage.data();
  }
  HostTensor(const HostTensor &other) { *this = other; }
  HostTensor &operator=(const HostTensor &other) {
    storage = other.storage;
    t = other.t;
    t.data = storage.data();
    return *this;
  }

  float &operator()(std::initializer_list<int64_t> index) {
    int64_t at = 0, d = 0;
    for (int64_t i : index)
      at += i * t.strides[d++];
    return storage[static_cast<size_t>(at)];
  }
  /// Fills every element (not the gaps between strided ones).
  template <typename F> void fill(F &&value) {
    std::vector<int64_t> index(static_cast<size_t>(t.rank), 0);
    int64_t count = 1;
    for (int64_t d = 0; d < t.rank; ++d)
      count *= t.sizes[d];
    for (int64_t n = 0; n < count; ++n) {
      int64_t at = 0, rest = n;
      for (int64_t d = t.rank - 1; d >= 0; --d) {
        at += (rest % t.sizes[d]) * t.strides[d];
        rest /= t.sizes[d];
      }
      storage[static_cast<size_t>(at)] = value(n);
    }
  }
};

/// All tensors of sample_exp for one problem size.
struct SampleProblem {
  int64_t B, NH, S, NC;
  HostTensor q, k, v, i, f, C0, n0, m0, h, C, n, m;

  SampleProblem(int64_t B, int64_t NH, int64_t S)
      : B(B), NH(NH), S(S), NC((S + 3) / 4), q({B, NH, S, 16}),
        k({B, NH, S, 16}), v({B, NH, S, 32}), i({B, NH, S}), f({B, NH, S}),
        C0({B, NH, 16, 32}), n0({B, NH, 16}), m0({B, NH}), h({B, NH, S, 32}),
        C({B, NH, 16, 32}), n({B, NH, 16}), m({B, NH}) {
    int seed = 0;
    for (HostTensor *x : {&q, &k, &v, &i, &f, &C0, &n0, &m0}) {
      x->fill([&](int64_t e) {
        return static_cast<float>((e * 7 + seed) % 13) - 6;
      });
      ++seed;
    }
  }

  mlstm_status runExp(CUstream stream, bool init = true,
                      bool withFinal = true) {
    return sample_exp(&q.t, &k.t, &v.t, &i.t, &f.t, init ? &C0.t : nullptr,
                      init ? &n0.t : nullptr, init ? &m0.t : nullptr, &h.t,
                      withFinal ? &C.t : nullptr, withFinal ? &n.t : nullptr,
                      withFinal ? &m.t : nullptr, stream);
  }
  mlstm_status runPlain(CUstream stream) {
    return sample_plain(&q.t, &k.t, &v.t, &i.t, &f.t, &h.t, stream);
  }

  /// Elements of h (and, with `states`, of C, n, m) that differ from what
  /// the sample kernels compute; 0 when all match.
  int64_t mismatches(bool states, bool init = true) {
    int64_t bad = 0;
    for (int64_t b = 0; b < B; ++b)
      for (int64_t nh = 0; nh < NH; ++nh) {
        for (int64_t s = 0; s < S; ++s)
          for (int64_t d = 0; d < 32; ++d)
            bad += h({b, nh, s, d}) != v({b, nh, s, d}) + 2 * q({b, nh, s, 0}) +
                                           k({b, nh, s, 1}) + i({b, nh, s}) -
                                           f({b, nh, s});
        if (!states)
          continue;
        float nc = static_cast<float>(NC);
        for (int64_t r = 0; r < 16; ++r) {
          for (int64_t d = 0; d < 32; ++d)
            bad += C({b, nh, r, d}) != (init ? C0({b, nh, r, d}) : 0) + nc;
          bad += n({b, nh, r}) != (init ? n0({b, nh, r}) : 0) + nc;
        }
        bad += m({b, nh}) != (init ? m0({b, nh}) : 0) + nc;
      }
    return bad;
  }

  /// Whether no output element was written (all still NaN).
  bool outputsUntouched() {
    for (HostTensor *x : {&h, &C, &n, &m})
      for (float value : x->storage)
        if (!std::isnan(value))
          return false;
    return true;
  }
};

#endif // MLSTM_UNITTESTS_HOSTAPI_SAMPLEPROBLEM_H
