/*===- mlstm_host_api_types.h - the C types of generated kernel libraries -===*
 *
 * Pasted by `mlstm-translate --emit-host-api` into every generated library
 * header (<lib>.h), so that a library is one header, one source and one
 * CMakeLists.txt. The guard is shared by all libraries: a program that
 * includes the headers of two generated libraries sees these types once.
 * Plain C (C99): the API is callable from C, C++ and Python's ctypes.
 *
 *===----------------------------------------------------------------------===*/

#ifndef MLSTM_HOST_API_TYPES_V1
#define MLSTM_HOST_API_TYPES_V1

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* What a call of an entry point did. */
typedef enum mlstm_status_code {
  MLSTM_SUCCESS = 0,
  /* A tensor argument is wrong (NULL, rank, dtype, sizes, alignment,
   * strides, S = 0, B*NH = 0, ...): nothing was launched or written. */
  MLSTM_ERROR_INVALID_ARGUMENT = 1,
  /* The arguments are valid but this library cannot run them: the device is
   * not the one the PTX was compiled for, a grid limit, an output layout the
   * final-state copy cannot express. Nothing was launched or written. */
  MLSTM_ERROR_UNSUPPORTED = 2,
  /* A CUDA driver call failed; cuda_result holds its CUresult. Kernels that
   * were already launched may have written their outputs. */
  MLSTM_ERROR_CUDA = 3,
  /* The generated code disagrees with itself (a compiler bug: please report
   * the message). */
  MLSTM_ERROR_INTERNAL = 4
} mlstm_status_code;

typedef struct mlstm_status {
  mlstm_status_code code;
  int cuda_result;   /* the CUresult when code == MLSTM_ERROR_CUDA, else 0 */
  char message[256]; /* "<entry point>: <what went wrong>"; "" on success */
} mlstm_status;

typedef enum mlstm_dtype {
  MLSTM_DTYPE_F32 = 0,
  MLSTM_DTYPE_F16 = 1,
  MLSTM_DTYPE_BF16 = 2
} mlstm_dtype;

#define MLSTM_MAX_RANK 5

/* A strided view of device memory: element (i0, i1, ...) lives at
 * data + sum_d i_d * strides[d] elements. The last dimension must be
 * contiguous (stride 1), strides non-negative, data 16-byte aligned. */
typedef struct mlstm_tensor {
  void *data; /* a device pointer (CUdeviceptr) */
  int64_t rank;
  int64_t sizes[MLSTM_MAX_RANK];
  int64_t strides[MLSTM_MAX_RANK]; /* in elements, not bytes */
  mlstm_dtype dtype;
} mlstm_tensor;

/* A compact row-major tensor over `data`: the common case, spelled once. */
static inline mlstm_tensor mlstm_tensor_contiguous(void *data,
                                                   mlstm_dtype dtype,
                                                   int64_t rank,
                                                   const int64_t *sizes) {
  mlstm_tensor t;
  int64_t d, stride = 1;
  t.data = data;
  t.rank = rank;
  t.dtype = dtype;
  for (d = 0; d < MLSTM_MAX_RANK; ++d)
    t.sizes[d] = t.strides[d] = 0;
  for (d = rank - 1; d >= 0 && d < MLSTM_MAX_RANK; --d) {
    t.sizes[d] = sizes[d];
    t.strides[d] = stride;
    stride *= sizes[d];
  }
  return t;
}

static inline const char *mlstm_status_code_name(mlstm_status_code code) {
  switch (code) {
  case MLSTM_SUCCESS:
    return "MLSTM_SUCCESS";
  case MLSTM_ERROR_INVALID_ARGUMENT:
    return "MLSTM_ERROR_INVALID_ARGUMENT";
  case MLSTM_ERROR_UNSUPPORTED:
    return "MLSTM_ERROR_UNSUPPORTED";
  case MLSTM_ERROR_CUDA:
    return "MLSTM_ERROR_CUDA";
  case MLSTM_ERROR_INTERNAL:
    return "MLSTM_ERROR_INTERNAL";
  }
  return "unknown mlstm_status_code";
}

#ifdef __cplusplus
}
#endif

/* The entry points are the only symbols a library exports (it is built with
 * hidden visibility). */
#define MLSTM_API __attribute__((visibility("default")))

#endif /* MLSTM_HOST_API_TYPES_V1 */
