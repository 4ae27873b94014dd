// REQUIRES: ptxas
// RUN: mlstm-opt %S/gemm-tma-wgmma.mlir --mlstm-gpu-to-ptx \
// RUN:   | mlstm-translate --extract-ptx -o %t.gemm.ptx
// RUN: %ptxas -arch=sm_90a -v %t.gemm.ptx -o %t.gemm.cubin 2>&1 \
// RUN:   | FileCheck %s --check-prefix=GEMM
// RUN: mlstm-opt %S/qk-rowmax-exp.mlir --mlstm-gpu-to-ptx \
// RUN:   | mlstm-translate --extract-ptx -o %t.rowmax.ptx
// RUN: %ptxas -arch=sm_90a -v %t.rowmax.ptx -o %t.rowmax.cubin 2>&1 \
// RUN:   | FileCheck %s --check-prefix=ROWMAX

// ptxas (CUDA toolkit) accepts the PTX of both proof kernels for sm_90a,
// with no local memory: an accumulator fragment that spills, or that is
// indexed at run time, would show up as stack frame / spill bytes.

// GEMM: Compiling entry function 'gemm_tma_wgmma' for 'sm_90a'
// GEMM: 0 bytes stack frame, 0 bytes spill stores, 0 bytes spill loads
// GEMM: Used {{[0-9]+}} registers

// ROWMAX: Compiling entry function 'qk_rowmax_exp' for 'sm_90a'
// ROWMAX: 0 bytes stack frame, 0 bytes spill stores, 0 bytes spill loads
// ROWMAX: Used {{[0-9]+}} registers
