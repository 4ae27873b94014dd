//===- Tensor.h - Owning row-major tensor for tests and checks --*- C++ -*-===//
//
// A minimal std::vector-backed tensor so tests and GPU checks can own the
// buffers whose raw pointers go into Inputs/Outputs. Not used by the kernels
// of the reference itself.
//
//===----------------------------------------------------------------------===//

#ifndef MLSTM_REFERENCE_TENSOR_H
#define MLSTM_REFERENCE_TENSOR_H

#include <cmath>
#include <cstdint>
#include <utility>
#include <vector>

namespace mlstm::ref {

/// A contiguous row-major tensor of T. A default-constructed tensor is empty
/// (no shape, no elements), standing for an absent optional buffer.
template <typename T> class Tensor {
public:
  Tensor() = default;
  explicit Tensor(std::vector<int64_t> shape, T fill = T(0))
      : dims(std::move(shape)),
        values(static_cast<size_t>(numElements(dims)), fill) {}
  /// `data` must hold numElements(shape) values.
  Tensor(std::vector<int64_t> shape, std::vector<T> data)
      : dims(std::move(shape)), values(std::move(data)) {}

  const std::vector<int64_t> &shape() const { return dims; }
  int64_t size() const { return static_cast<int64_t>(values.size()); }
  bool empty() const { return values.empty(); }

  T *data() { return values.data(); }
  const T *data() const { return values.data(); }
  T &operator[](int64_t index) { return values[static_cast<size_t>(index)]; }
  const T &operator[](int64_t index) const {
    return values[static_cast<size_t>(index)];
  }
  std::vector<T> &vector() { return values; }
  const std::vector<T> &vector() const { return values; }

  /// Element-wise conversion to another precision.
  template <typename U> Tensor<U> cast() const {
    std::vector<U> converted(values.size());
    for (size_t index = 0; index < values.size(); ++index)
      converted[index] = static_cast<U>(values[index]);
    return Tensor<U>(dims, std::move(converted));
  }

  static int64_t numElements(const std::vector<int64_t> &shape) {
    int64_t count = 1;
    for (int64_t dim : shape)
      count *= dim;
    return count;
  }

private:
  std::vector<int64_t> dims;
  std::vector<T> values;
};

/// ||actual - expected||_2 / ||expected||_2, accumulated in double. Falls back
/// to the absolute norm when expected is all zero. Infinite when the sizes
/// differ or a value is not finite, so a mismatch never passes a tolerance.
template <typename A, typename E>
double relativeL2(const Tensor<A> &actual, const Tensor<E> &expected) {
  if (actual.size() != expected.size())
    return INFINITY;
  double diff = 0, norm = 0;
  for (int64_t index = 0; index < actual.size(); ++index) {
    const double a = static_cast<double>(actual[index]);
    const double e = static_cast<double>(expected[index]);
    if (!std::isfinite(a) || !std::isfinite(e))
      return INFINITY;
    diff += (a - e) * (a - e);
    norm += e * e;
  }
  return norm > 0 ? std::sqrt(diff / norm) : std::sqrt(diff);
}

} // namespace mlstm::ref

#endif // MLSTM_REFERENCE_TENSOR_H
