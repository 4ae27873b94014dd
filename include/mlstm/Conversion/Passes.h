//===- Passes.h - mlstm conversion passes -----------------------*- C++ -*-===//

#ifndef MLSTM_CONVERSION_PASSES_H
#define MLSTM_CONVERSION_PASSES_H

#include "mlstm/Conversion/MlstmToLoops/MlstmToLoops.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/LLVMIR/NVVMDialect.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/Pass/Pass.h"

namespace mlir::mlstm {

#define GEN_PASS_DECL
#include "mlstm/Conversion/Passes.h.inc"

#define GEN_PASS_REGISTRATION
#include "mlstm/Conversion/Passes.h.inc"

} // namespace mlir::mlstm

#endif // MLSTM_CONVERSION_PASSES_H
