//===- Chunkwise.cpp - Inter-/intra-chunk decomposition -------------------===//
//
// DESIGN.md section 2, literally (notation in Chunk.h). For chunk k with
// incoming state (C_{k-1}, n_{k-1}, m_{k-1}):
//   intra-chunk: h_t = outputScale(den_t, m_comb_t) num_t for every position
//                (chunkOutput), reading only the chunk-start state;
//   inter-chunk: (C_k, n_k, m_k) from (C_{k-1}, n_{k-1}, m_{k-1}) (chunkStep).
// The two parts are independent given the chunk-start state, which is what
// lets kernels run all chunks' intra parts in parallel after a state scan.
// m_comb_t equals the recurrent m_t: both are the max over the same unrolled
// exponents, grouped differently.
//
//===----------------------------------------------------------------------===//

#include "Chunk.h"

namespace mlstm::ref {
namespace {

template <typename T>
void chunkwiseHead(const Variant &variant, int64_t chunkSize,
                   const detail::Head<T> &head, T *h, detail::State<T> &state) {
  using namespace detail;
  const int64_t DQK = head.DQK, DHV = head.DHV;
  std::vector<T> qBar(DQK), num(DHV);
  ChunkRow<T> row;
  for (int64_t start = 0; start < head.S; start += chunkSize) {
    const int64_t len = std::min(chunkSize, head.S - start);
    const ChunkGates<T> gates = chunkGates(variant, head, start, len, state.m);
    for (int64_t t = 0; t < len; ++t) {
      const int64_t pos = start + t;
      for (int64_t d = 0; d < DQK; ++d)
        qBar[d] = head.scale * head.q[pos * DQK + d];
      chunkRow(variant, gates, t, row);
      T den;
      chunkOutput(head, gates, row, t, qBar.data(), state, num.data(), den);
      const T scale = outputScale(variant, den, row.mComb);
      for (int64_t j = 0; j < DHV; ++j)
        h[pos * DHV + j] = scale * num[j];
    }
    state = chunkStep(head, gates, state);
  }
}

} // namespace

template <typename T>
Status forwardChunkwise(const Variant &variant, int64_t chunkSize,
                        const Inputs<T> &in, const Outputs<T> &out) {
  if (Status status = detail::checkChunkSize(chunkSize); !status.ok())
    return status;
  if (Status status = detail::checkForward(variant, in, out); !status.ok())
    return status;
  for (int64_t bh = 0; bh < in.B * in.NH; ++bh) {
    const detail::Head<T> head = detail::headOf(variant, in, bh);
    detail::State<T> state = detail::initialState(head);
    chunkwiseHead(variant, chunkSize, head,
                  detail::offset(out.h, bh, in.S * in.DHV), state);
    detail::storeState(state, out, bh, in.DQK, in.DHV);
  }
  return Status::success();
}

template Status forwardChunkwise(const Variant &, int64_t,
                                 const Inputs<double> &,
                                 const Outputs<double> &);
template Status forwardChunkwise(const Variant &, int64_t,
                                 const Inputs<float> &, const Outputs<float> &);

} // namespace mlstm::ref
