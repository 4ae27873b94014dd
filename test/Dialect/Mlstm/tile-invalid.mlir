// RUN: mlstm-opt %s -split-input-file -verify-diagnostics

func.func @load_index_count(%buf: memref<?x?x16xf32>, %i: index) {
  // expected-error @+1 {{expected 3 indices, got 2}}
  %t = mlstm.tile_load %buf[%i, %i] : memref<?x?x16xf32> -> tensor<8x16xf32>
  return
}

// -----

func.func @load_element_type(%buf: memref<?x16xf32>, %i: index) {
  // expected-error @+1 {{tile element type 'bf16' differs from the memref's 'f32'}}
  %t = mlstm.tile_load %buf[%i, %i] : memref<?x16xf32> -> tensor<8x16xbf16>
  return
}

// -----

func.func @load_dynamic_tile(%buf: memref<?x16xf32>, %i: index) {
  // expected-error @+1 {{result #0 must be statically shaped float tile}}
  %t = mlstm.tile_load %buf[%i, %i] : memref<?x16xf32> -> tensor<?x16xf32>
  return
}

// -----

func.func @store_rank(%t: tensor<2x8x16xf32>, %buf: memref<?x16xf32>, %i: index) {
  // expected-error @+1 {{tile rank exceeds the memref rank}}
  mlstm.tile_store %t, %buf[%i, %i] : tensor<2x8x16xf32>, memref<?x16xf32>
  return
}

// -----

func.func @matmul_contraction(%a: tensor<8x16xbf16>, %b: tensor<8x16xbf16>) {
  // expected-error @+1 {{contraction sizes differ: 16 vs 8}}
  %s = mlstm.tile_matmul %a, %b : tensor<8x16xbf16>, tensor<8x16xbf16> -> tensor<8x16xf32>
  return
}

// -----

func.func @matmul_result(%a: tensor<8x16xbf16>, %b: tensor<8x16xbf16>) {
  // expected-error @+1 {{result must be 8x8}}
  %s = mlstm.tile_matmul %a, %b {transpose_rhs} : tensor<8x16xbf16>, tensor<8x16xbf16> -> tensor<8x16xf32>
  return
}

// -----

func.func @gate_matrix_shape(%r: tensor<8xf32>, %c: tensor<4xf32>, %i: index) {
  // expected-error @+1 {{result must be 8x4}}
  %d = mlstm.tile_gate_matrix rows(%r at %i) cols(%c at %i) : tensor<8xf32>, tensor<4xf32> -> tensor<8x8xf32>
  return
}

// -----

func.func @gate_matrix_lo_alone(%r: tensor<8xf32>, %c: tensor<4xf32>, %i: index) {
  // expected-error @+1 {{row_cum_lo and col_cum_lo go together}}
  %d = mlstm.tile_gate_matrix rows(%r + %r at %i) cols(%c at %i) : tensor<8xf32>, tensor<4xf32> -> tensor<8x4xf32>
  return
}

// -----

func.func @reduce_dim(%x: tensor<8x4xf32>) {
  // expected-error @+1 {{result must be 'tensor<4xf32>'}}
  %r = mlstm.tile_reduce add %x dim 0 : tensor<8x4xf32> -> tensor<8xf32>
  return
}

// -----

func.func @broadcast_shape(%x: tensor<8xf32>) {
  // expected-error @+1 {{result does not repeat the input along dim 1}}
  %r = mlstm.tile_broadcast %x dim 1 : tensor<8xf32> -> tensor<4x8xf32>
  return
}

// -----

func.func @exp_gates_stabilizer(%x: tensor<8x4xf32>, %m: tensor<4xf32>) {
  // expected-error @+1 {{stabilizer must be 'f32' or 'tensor<8xf32>'}}
  %r = mlstm.tile_exp_gates %x by %m : tensor<4xf32> : tensor<8x4xf32> -> tensor<8x4xf32>
  return
}

// -----

func.func @normalize_missing_den(%num: tensor<8x4xf32>, %m: tensor<8xf32>) {
  // expected-error @+1 {{den must be present iff the variant normalizes}}
  %h = mlstm.tile_normalize %num max_state(%m : tensor<8xf32>)
      {variant = #mlstm.variant<input_gate = exp, forget_gate = logsigmoid, normalizer = max_abs, eps = 1.0e-6, qk_scale = 0.25>}
      : tensor<8x4xf32> -> tensor<8x4xf32>
  return
}

// -----

// expected-error @+1 {{blocks along the sequence (128, 64) exceed the chunk 64}}
func.func @schedule_blocks() attributes {s = #mlstm.schedule<kind = output, chunk = 64, block_q = 128, block_k = 64, block_dqk = 64, block_dhv = 64, warps = 4, stages = 2>} {
  return
}
