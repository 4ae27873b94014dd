func.func @load_element_type(%buf: memref<?x16xf32>, %i: index) {
  %t = mlstm.tile_load %buf[%i, %i] : memref<?x16xf32> -> tensor<8x16xbf16>
  return
}
