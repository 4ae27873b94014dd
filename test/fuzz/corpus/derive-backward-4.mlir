// Not an entry point (the result is post-processed): ignored even with
// `backward`, with and without `all`.
// ALL-LABEL: func.func @not_entry(
// ALL: arith.addf
// ALL-NOT: @not_entry_backward
func.func @not_entry(%q: tensor<?x?x?x16xf32>, %v: tensor<?x?x?x8xf32>) -> tensor<?x?x?x8xf32> {
  %h = mlstm.recurrence q(%q) k(%q) v(%v)
      input_gate = none, forget_gate = none, normalizer = none, chunk_size = 32 {backward}
      : (tensor<?x?x?x16xf32>, tensor<?x?x?x16xf32>, tensor<?x?x?x8xf32>) -> tensor<?x?x?x8xf32>
  %h2 = arith.addf %h, %h : tensor<?x?x?x8xf32>
  return %h2 : tensor<?x?x?x8xf32>
}
