// OPTION: default-chunk-size must be a positive power of two, got 48

// mLSTMexp without states: a scan producing (C, n, m) at every boundary and
// the parallel output reading them.
// AUTO-LABEL: func.func @exp_no_states
// AUTO: mlstm.chunk_state_scan {{.*}} chunk_size = 128
func.func @exp_no_states(%q: tensor<?x?x?x64xbf16>, %k: tensor<?x?x?x64xbf16>, %v: tensor<?x?x?x128xbf16>,
                         %i: tensor<?x?x?xbf16>, %f: tensor<?x?x?xbf16>) -> tensor<?x?x?x128xbf16> {
  %h = mlstm.recurrence q(%q) k(%k) v(%v) igate(%i) fgate(%f)
      input_gate = exp, forget_gate = logsigmoid, normalizer = max_abs, chunk_size = auto
      : (tensor<?x?x?x64xbf16>, tensor<?x?x?x64xbf16>, tensor<?x?x?x128xbf16>, tensor<?x?x?xbf16>, tensor<?x?x?xbf16>) -> tensor<?x?x?x128xbf16>
  return %h : tensor<?x?x?x128xbf16>
}
