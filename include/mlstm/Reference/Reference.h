//===- Reference.h - Float64/float32 reference of the mLSTM family -*- C++ -*-//
//
// The numerical oracle of the compiler: three forward forms (recurrent,
// parallel, chunkwise) and two backward forms (recurrent, chunkwise) of the
// recurrence family of DESIGN.md section 2. Everything is computed in the
// working precision T (double or float), states included.
//
// Semantics per (batch, head), q̄_t = qkScale * q_t (q only):
//   logf_t = logsigmoid(f_t)  (ForgetGate::LogSigmoid)  or 0  (None)
//
//   InputGate::Exp -- stabilized by the max state m (m_0 = m0, or 0):
//     m_t = max(logf_t + m_{t-1}, i_t)
//     C_t = exp(logf_t + m_{t-1} - m_t) C_{t-1} + exp(i_t - m_t) k_t v_tᵀ
//     n_t = exp(logf_t + m_{t-1} - m_t) n_{t-1} + exp(i_t - m_t) k_t
//     MaxAbs: h_t = q̄_tᵀC_t / (max(|q̄_tᵀn_t|, exp(-m_t)) + eps)
//     None:   h_t = q̄_tᵀC̃_t, the UNSTABILIZED numerator, where
//             C̃_t = exp(m_t) C_t = exp(logf_t) C̃_{t-1} + exp(i_t) k_t v_tᵀ.
//             (Chosen so that the output does not depend on the arbitrary
//             stabilizer; the stored/returned state is still the stabilized
//             pair (C_t, m_t), as for MaxAbs.)
//   InputGate::Sigmoid -- no max state:
//     C_t = exp(logf_t) C_{t-1} + sigmoid(i_t) k_t v_tᵀ ;  n_t likewise
//     MaxAbs: h_t = q̄_tᵀC_t / (max(|q̄_tᵀn_t|, 1) + eps);  None: h_t = q̄_tᵀC_t
//   InputGate::None -- weight 1, no max state, Normalizer::None only:
//     C_t = exp(logf_t) C_{t-1} + k_t v_tᵀ ;  h_t = q̄_tᵀC_t
//     (scalar-gated linear attention; plain causal linear attention when the
//     forget gate is None as well).
//
// States per (b, h): C always (DQK x DHV), n iff the normalizer is on (DQK),
// m iff the input gate is exp (scalar). A state that the variant does not have
// must not be passed (its pointer must be null).
//
// Every max(a, b) picks a on ties; in the unrolled forms the initial-state term
// wins ties, then the earliest position -- the same choice the recurrence
// makes, so the backward forms route gradients identically.
//
// Conditioning: with a normalizer, rounding in den_t (~1e-16 times the sum
// of its terms' magnitudes) is amplified by 1/max(|den_t|, floor); with large
// input gates the floor exp(-m_t) is tiny and only eps bounds this, so
// positions with cancelling den_t are only accurate to ~1e-16 * that ratio.
//
// Layout: q, k (B,NH,S,DQK); v (B,NH,S,DHV); i, f (B,NH,S); h (B,NH,S,DHV);
// C (B,NH,DQK,DHV); n (B,NH,DQK); m (B,NH); all row-major and contiguous.
// Outputs must not alias inputs. S = 0 is allowed (final states = initial).
//
//===----------------------------------------------------------------------===//

#ifndef MLSTM_REFERENCE_REFERENCE_H
#define MLSTM_REFERENCE_REFERENCE_H

#include "mlstm/Reference/Variant.h"

#include <cstdint>

namespace mlstm::ref {

/// Forward inputs. The initial states are all-or-none: either every state of
/// the variant is given or none (then C0 = 0, n0 = 0, m0 = 0).
template <typename T> struct Inputs {
  int64_t B = 0, NH = 0, S = 0, DQK = 0, DHV = 0;
  const T *q = nullptr, *k = nullptr, *v = nullptr;
  const T *i = nullptr, *f = nullptr;
  const T *C0 = nullptr, *n0 = nullptr, *m0 = nullptr;

  bool hasInitialState() const { return C0 != nullptr; }
};

/// Forward outputs: h is required; each final state is optional.
template <typename T> struct Outputs {
  T *h = nullptr;
  T *C = nullptr, *n = nullptr, *m = nullptr;
};

/// Gradients flowing into the forward outputs: dh is required; a missing
/// final-state gradient counts as zero.
template <typename T> struct OutputGrads {
  const T *dh = nullptr;
  const T *dC = nullptr, *dn = nullptr, *dm = nullptr;
};

/// Gradients of the forward inputs (overwritten). dq..df are required. Each
/// initial-state gradient is optional; it may be requested even when the
/// initial state is absent (it is then the gradient at C0 = 0, n0 = 0, m0 = 0).
/// di is 0 for InputGate::None, df is 0 for ForgetGate::None.
template <typename T> struct InputGrads {
  T *dq = nullptr, *dk = nullptr, *dv = nullptr, *di = nullptr, *df = nullptr;
  T *dC0 = nullptr, *dn0 = nullptr, *dm0 = nullptr;
};

/// Checks the variant, the dimensions (B, NH, S >= 0; DQK, DHV >= 1), the
/// required pointers and the initial states against the variant.
template <typename T>
Status validate(const Variant &variant, const Inputs<T> &inputs);

/// The recurrence itself, one step per position (the definition).
template <typename T>
Status forwardRecurrent(const Variant &variant, const Inputs<T> &inputs,
                        const Outputs<T> &outputs);

/// The quadratic form: row t of the S x S log-gate matrix
/// logD_ts = b_t - b_s + i_s (s <= t, b = cumsum of logf over the sequence)
/// plus the initial-state column b_t + m0, stabilized by the row max. The
/// initial-state column takes part in the max even when C0 = 0, because the
/// recurrence starts from m_0 = 0. In float32 the sequence-long cumsum loses
/// precision for long S (about 1e-2 relative at S = 4096 with |gates| ~ 30):
/// prefer the chunkwise form as a float32 oracle.
template <typename T>
Status forwardParallel(const Variant &variant, const Inputs<T> &inputs,
                       const Outputs<T> &outputs);

/// The inter-/intra-chunk decomposition of DESIGN.md section 2 with chunk
/// length chunkSize >= 1; when chunkSize does not divide S the last chunk is
/// shorter. This is what the compiled kernels compute.
template <typename T>
Status forwardChunkwise(const Variant &variant, int64_t chunkSize,
                        const Inputs<T> &inputs, const Outputs<T> &outputs);

// Backward. Both forms compute, for the cotangent (dh, dC_T, dn_T, dm_T), the
// gradient of  L = sum_t dh_t.h_t + <dC_T, C_T> + <dn_T, n_T> + dm_T m_T
// w.r.t. q, k, v, i, f and the initial states.
//   DenominatorGrad::Exact: the true gradient of the forward function,
//     through max(|den|, exp(-m)) (|x|' = sign(x), ties go to |den|), through
//     eps and through the max state m (max(a, b) routes to the winner, ties as
//     in the forward). Recurrent m_t = chunkwise m_comb_t = the parallel row
//     max, so every form differentiates one function.
//   DenominatorGrad::Detached (NX-AI/mlstm_kernels): h_t = s_t q̄_tᵀC̃_t with
//     s_t = exp(-m_t) / (max(|q̄_tᵀn_t|, exp(-m_t)) + eps)  (exp) or
//     s_t = 1 / (max(|q̄_tᵀn_t|, 1) + eps)  (sigmoid) held constant, so only
//     the unstabilized numerator is differentiated. The final-state terms of L
//     are differentiated exactly in both modes. Without normalizer the modes
//     coincide.
// Conditioning: without an initial state, dm0 only moves the starting value
// of the stabilizer; it is O(eps) (exactly 0 without normalizer) and comes out
// of cancelling O(1) terms, so it has absolute, not relative, accuracy.

/// Gradients by a reverse sweep over time (forward states are stored).
template <typename T>
Status backwardRecurrent(const Variant &variant, const Inputs<T> &inputs,
                         const OutputGrads<T> &outputGrads,
                         const InputGrads<T> &inputGrads,
                         DenominatorGrad mode = DenominatorGrad::Exact);

/// Gradients in the chunkwise form: a reverse inter-chunk scan of the state
/// gradients plus the intra-chunk parallel parts (what backward kernels do).
template <typename T>
Status backwardChunkwise(const Variant &variant, int64_t chunkSize,
                         const Inputs<T> &inputs,
                         const OutputGrads<T> &outputGrads,
                         const InputGrads<T> &inputGrads,
                         DenominatorGrad mode = DenominatorGrad::Exact);

} // namespace mlstm::ref

#endif // MLSTM_REFERENCE_REFERENCE_H
