//===- TileSchedule.h - choosing a tiled kernel's schedule ------*- C++ -*-===//
//
// Tile sizes of the tiled kernels. Requests (from pass options) of 0 mean
// "choose": the defaults fit a 64-row warpgroup tile (wgmma's M) and keep a
// DQK x DHV state tile or a BQ x DHV accumulator within one CTA's registers.
//
//===----------------------------------------------------------------------===//

#ifndef MLSTM_DIALECT_MLSTM_TRANSFORMS_TILESCHEDULE_H
#define MLSTM_DIALECT_MLSTM_TRANSFORMS_TILESCHEDULE_H

#include "mlstm/Dialect/Mlstm/IR/MlstmOps.h"

namespace mlir::mlstm {

/// Whether the output kernel's inter-chunk product q' C_{c-1} rounds the fp32
/// state to the input type once (`Never`) or splits it into hi + lo parts and
/// runs two products (`Always`). `Auto` splits for the exp input gate with a
/// normalizer and half-precision inputs: there max(|q'n|, exp(-m)) can be
/// tiny, so h = num / den amplifies the numerator's rounding, and the state's
/// rounding to bf16 (2^-9) is what dominates (docs/Design.md).
enum class SplitStateOperand { Auto, Never, Always };

struct TileOptions {
  int64_t blockQ = 0;
  int64_t blockK = 0;
  int64_t blockDqk = 0;
  int64_t blockDhv = 0;
  /// Floor of a chosen (not requested) DQK tile; DQK below it is padded.
  int64_t minBlockDqk = 0;
  int64_t warps = 4;
  int64_t stages = 2;
  SplitStateOperand splitState = SplitStateOperand::Auto;
};

/// The schedule of a `kind` kernel for chunk length `chunk` and head
/// dimensions (dqk, dhv), honoring the non-zero requests in `options`.
ScheduleAttr chooseSchedule(MLIRContext *ctx, KernelKind kind, int64_t chunk,
                            int64_t dqk, int64_t dhv,
                            const TileOptions &options);

} // namespace mlir::mlstm

#endif // MLSTM_DIALECT_MLSTM_TRANSFORMS_TILESCHEDULE_H
