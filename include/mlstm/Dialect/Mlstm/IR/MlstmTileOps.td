//===- MlstmTileOps.td - tiled-level operations ------------*- tablegen -*-===//
//
// The tiled level (produced by --mlstm-tile). A kernel is an `scf.forall`
// over independent tiles of work, tagged with an #mlstm.schedule; its body
// holds ordinary loops and the ops below. Tiles are small statically shaped
// tensors (SSA values, as in Triton): where a tile lives (registers or shared
// memory) is the GPU lowering's decision. The big operands are memrefs.
// Elementwise tile math uses arith and math ops on the tile tensors.
//
//===----------------------------------------------------------------------===//

#ifndef MLSTM_DIALECT_MLSTM_IR_MLSTMTILEOPS_TD
#define MLSTM_DIALECT_MLSTM_IR_MLSTMTILEOPS_TD

include "mlstm/Dialect/Mlstm/IR/MlstmBase.td"
include "mlstm/Dialect/Mlstm/IR/MlstmAttrs.td"
include "mlir/Interfaces/SideEffectInterfaces.td"

def Mlstm_Tile : Type<
    And<[RankedTensorOf<[AnyFloat]>.predicate,
         CPred<"::llvm::cast<::mlir::RankedTensorType>($_self).hasStaticShape()">]>,
    "statically shaped float tile", "::mlir::RankedTensorType">;
def Mlstm_Tile1D : Type<
    And<[Mlstm_Tile.predicate,
         CPred<"::llvm::cast<::mlir::RankedTensorType>($_self).getRank() == 1">]>,
    "1-D tile", "::mlir::RankedTensorType">;
def Mlstm_Tile2D : Type<
    And<[Mlstm_Tile.predicate,
         CPred<"::llvm::cast<::mlir::RankedTensorType>($_self).getRank() == 2">]>,
    "2-D tile", "::mlir::RankedTensorType">;

class Mlstm_TileOp<string mnemonic, list<Trait> traits = []>
    : Mlstm_Op<"tile_" # mnemonic, traits>;

def Mlstm_TileLoadOp : Mlstm_TileOp<"load", [AttrSizedOperandSegments]> {
  let summary = "read a tile from memory, padding what lies outside";
  let description = [{
    For a source of rank R and a tile of rank T <= R, element u of the tile
    is source[i_0, ..., i_(R-T-1), i_(R-T) + u_0, ..., i_(R-1) + u_(T-1)].
    Elements whose source index is out of bounds, or whose first tile
    coordinate u_0 is >= `valid`, read as `padding`. This is how the partial
    last chunk (S % L != 0) and chunk borders are masked without padding the
    user's tensors. The element type is the source's.
  }];
  let arguments = (ins
    Arg<AnyNon0RankedMemRef, "the memory read", [MemRead]>:$source,
    Variadic<Index>:$indices,
    Optional<Index>:$valid,
    DefaultValuedAttr<F64Attr, "0.0">:$padding
  );
  let results = (outs Mlstm_Tile:$result);
  let assemblyFormat = [{
    $source `[` $indices `]` (`valid` `(` $valid^ `)`)? attr-dict
    `:` type($source) `->` type($result)
  }];
  let hasVerifier = 1;
}

def Mlstm_TileStoreOp : Mlstm_TileOp<"store", [AttrSizedOperandSegments]> {
  let summary = "write a tile to memory, dropping what lies outside";
  let description = [{
    The inverse of `mlstm.tile_load`: writes the elements whose destination
    index is in bounds and whose first tile coordinate is < `valid`.
  }];
  let arguments = (ins
    Mlstm_Tile:$value,
    Arg<AnyNon0RankedMemRef, "the memory written", [MemWrite]>:$dest,
    Variadic<Index>:$indices,
    Optional<Index>:$valid
  );
  let assemblyFormat = [{
    $value `,` $dest `[` $indices `]` (`valid` `(` $valid^ `)`)? attr-dict
    `:` type($value) `,` type($dest)
  }];
  let hasVerifier = 1;
}

def Mlstm_TileMatmulOp : Mlstm_TileOp<"matmul", [Pure,
    OptionalTypesMatchWith<"the accumulator has the result type", "result",
                           "acc", "$_self">]> {
  let summary = "tile matrix product with accumulation";
  let description = [{
    result = acc + op(lhs) * op(rhs), op(x) = x or x^T per the `transpose_*`
    flags, computed in the result's element type (f32 for bf16/f16 inputs:
    tensor-core accumulation). Without `acc` the sum starts at zero.
  }];
  let arguments = (ins
    Mlstm_Tile2D:$lhs,
    Mlstm_Tile2D:$rhs,
    Optional<Mlstm_Tile2D>:$acc,
    UnitAttr:$transpose_lhs,
    UnitAttr:$transpose_rhs
  );
  let results = (outs Mlstm_Tile2D:$result);
  let assemblyFormat = [{
    $lhs `,` $rhs (`acc` `(` $acc^ `)`)? attr-dict
    `:` type($lhs) `,` type($rhs) `->` type($result)
  }];
  let hasVerifier = 1;
}

def Mlstm_TileGateMatrixOp : Mlstm_TileOp<"gate_matrix", [
    Pure, AttrSizedOperandSegments,
    OptionalTypesMatchWith<"row_cum_lo has the type of row_cum", "row_cum",
                           "row_cum_lo", "$_self">,
    OptionalTypesMatchWith<"col_cum_lo has the type of col_cum", "col_cum",
                           "col_cum_lo", "$_self">]> {
  let summary = "the causal log gate matrix of a (query, key) tile pair";
  let description = [{
    log D[t, s] = row_cum[t] - col_cum[s] + col_gate[s] where the key's chunk
    position col_offset + s is <= the query's row_offset + t, and -inf
    elsewhere (causal mask). row_cum / col_cum are the cumulative log forget
    gates b of the query and key rows; col_gate is the log input weight of
    the keys (i for the exp gate, log sigmoid(i) for the sigmoid gate; absent
    for no input gate).

    With `row_cum_lo` and `col_cum_lo`, b is the unevaluated sum hi + lo and
    log D = (hi[t] - hi[s]) + (lo[t] - lo[s]) + col_gate[s]: b grows with the
    chunk position, so a single float would carry an absolute error of
    eps * |b| into every difference, however close t and s are.
  }];
  let arguments = (ins
    Mlstm_Tile1D:$row_cum,
    Optional<Mlstm_Tile1D>:$row_cum_lo,
    Mlstm_Tile1D:$col_cum,
    Optional<Mlstm_Tile1D>:$col_cum_lo,
    Optional<Mlstm_Tile1D>:$col_gate,
    Index:$row_offset,
    Index:$col_offset
  );
  let results = (outs Mlstm_Tile2D:$result);
  let assemblyFormat = [{
    `rows` `(` $row_cum (`+` $row_cum_lo^)? `at` $row_offset `)`
    `cols` `(` $col_cum (`+` $col_cum_lo^)? `at` $col_offset `)`
    (`gate` `(` $col_gate^ `)`)? attr-dict
    `:` type($row_cum) `,` type($col_cum) (`,` type($col_gate)^)? `->` type($result)
  }];
  let hasVerifier = 1;
}

def Mlstm_TileScanOp : Mlstm_TileOp<"scan", [Pure, AllTypesMatch<["input", "result"]>]> {
  let summary = "inclusive prefix sum or max of a 1-D tile";
  let arguments = (ins Mlstm_Tile1D:$input, Mlstm_CombiningKindAttr:$kind);
  let results = (outs Mlstm_Tile1D:$result);
  let assemblyFormat = "custom<VariantEnum>($kind) $input attr-dict `:` type($result)";
}

def Mlstm_TileReduceOp : Mlstm_TileOp<"reduce", [Pure]> {
  let summary = "sum or max of a tile along one dimension";
  let description = [{
    Reduces a 2-D tile along `dim` (1: each row to one value) to a 1-D
    tile, or a 1-D tile to a scalar.
  }];
  let arguments = (ins Mlstm_Tile:$input, Mlstm_CombiningKindAttr:$kind,
                       ConfinedAttr<I64Attr, [IntNonNegative]>:$dim);
  let results = (outs AnyTypeOf<[Mlstm_Tile1D, AnyFloat]>:$result);
  let assemblyFormat = "custom<VariantEnum>($kind) $input `dim` $dim attr-dict `:` type($input) `->` type($result)";
  let hasVerifier = 1;
}

def Mlstm_TileBroadcastOp : Mlstm_TileOp<"broadcast", [Pure]> {
  let summary = "repeat a 1-D tile along a new dimension";
  let description = [{
    result[t, s] = input[t] for `dim` = 1 (each row constant), input[s] for
    `dim` = 0 (each column constant).
  }];
  let arguments = (ins Mlstm_Tile1D:$input,
                       ConfinedAttr<I64Attr, [IntMinValue<0>, IntMaxValue<1>]>:$dim);
  let results = (outs Mlstm_Tile2D:$result);
  let assemblyFormat = "$input `dim` $dim attr-dict `:` type($input) `->` type($result)";
  let hasVerifier = 1;
}

def Mlstm_TileExpGatesOp : Mlstm_TileOp<"exp_gates", [Pure]> {
  let summary = "gate weights from log gates, and their max stabilizer";
  let description = [{
    exp(x) elementwise. `by` records the max-state stabilizer m of these
    weights: a scalar (for every element) or a 1-D tile along x's first
    dimension (per row of a 2-D x, per element of a 1-D x);
    once `stabilized`, the op computes exp(x - m) instead. The tile pass
    writes every exp gate of the exp input gate with its stabilizer,
    unstabilized (the plain math, which overflows for large gates);
    --mlstm-stabilize-gates switches them all to the stabilized form, which
    turns the kernels' carried states and accumulators into max-scaled ones.
    Gates of the sigmoid and none input gates carry no stabilizer: their log
    weights are <= 0 already.
  }];
  let arguments = (ins AnyTypeOf<[Mlstm_Tile, AnyFloat]>:$input,
                       Optional<AnyTypeOf<[Mlstm_Tile1D, AnyFloat]>>:$stabilizer,
                       UnitAttr:$stabilized);
  let results = (outs AnyTypeOf<[Mlstm_Tile, AnyFloat]>:$result);
  let assemblyFormat = [{
    $input (`by` $stabilizer^ `:` type($stabilizer))? (`stabilized` $stabilized^)?
    attr-dict `:` type($input) `->` type($result)
  }];
  let builders = [
    OpBuilder<(ins "Value":$input, CArg<"Value", "{}">:$stabilizer), [{
      build($_builder, $_state, input.getType(), input, stabilizer,
            /*stabilized=*/false);
    }]>
  ];
  let hasVerifier = 1;
  let hasFolder = 1;
}

def Mlstm_TileNormalizeOp : Mlstm_TileOp<"normalize",
    [Pure, AttrSizedOperandSegments]> {
  let summary = "the output normalizer of a block of rows";
  let description = [{
    h = num / (max(|den|, lower) + eps), per row, for the variant's
    normalizer (h = num without one). For the exp gate `max_state` m is the
    row's max state: stabilized (`stabilized` set) num and den are scaled by
    exp(-m) and lower = exp(-m); unstabilized ones are not, and
    h = num / (max(|den|, 1) + eps exp(m)), the same function. Without a
    normalizer h = num, times exp(m) when stabilized (the exp gate's output
    is the unstabilized numerator). For the sigmoid gate lower = 1.
  }];
  let arguments = (ins
    Mlstm_Tile2D:$num,
    Optional<Mlstm_Tile1D>:$den,
    Optional<Mlstm_Tile1D>:$max_state,
    Mlstm_VariantAttr:$variant,
    UnitAttr:$stabilized
  );
  let results = (outs Mlstm_Tile2D:$result);
  let assemblyFormat = [{
    $num (`den` `(` $den^ `:` type($den) `)`)?
    (`max_state` `(` $max_state^ `:` type($max_state) `)`)?
    attr-dict `:` type($num) `->` type($result)
  }];
  let hasVerifier = 1;
}

#endif // MLSTM_DIALECT_MLSTM_IR_MLSTMTILEOPS_TD
