/* generated libraries are C libraries: this C99 program includes the
 * generated header, calls an entry point with a bad argument (a NULL q) and
 * checks that it is refused before any driver call (so it runs anywhere
 * libcuda.so.1 loads, the toolkit's stub included). Built and run by
 * build-generated.sh. */
#include "sample.h"

#include <stdio.h>
#include <string.h>

int main(void) {
  static float data[4 * 16] __attribute__((aligned(16)));
  int64_t sizes[4] = {1, 1, 4, 16};
  mlstm_tensor k = mlstm_tensor_contiguous(data, MLSTM_DTYPE_F32, 4, sizes);
  mlstm_status status =
      sample_plain(NULL, &k, &k, &k, &k, (mlstm_tensor *)&k, (CUstream)0);
  printf("%s: %s\n", mlstm_status_code_name(status.code), status.message);
  return status.code == MLSTM_ERROR_INVALID_ARGUMENT &&
                 strcmp(status.message, "sample_plain: q is NULL") == 0
             ? 0
             : 1;
}
