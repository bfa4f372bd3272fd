/*===- IO.h - SparseNN runtime: .npy and Matrix Market files -------*- C
-*-===*\
|*                                                                            *|
|* Part of SparseNN. C ABI, no MLIR/LLVM dependency. Every reader validates   *|
|* its input completely: a malformed, truncated or lying file is an error     *|
|* with a one-line message, never a crash or an allocation beyond the file.   *|
|*                                                                            *|
\*===----------------------------------------------------------------------===*/

#ifndef SPARSENN_RUNTIME_IO_H
#define SPARSENN_RUNTIME_IO_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define SNN_MAX_RANK 8

/// Element types of dense arrays.
typedef enum {
  SNN_DTYPE_F32 = 0,
  SNN_DTYPE_F64 = 1,
  SNN_DTYPE_I32 = 2,
  SNN_DTYPE_I64 = 3
} snn_dtype;

/// A dense array in C order. `data` is 64-byte aligned and owned by the
/// array (release with snn_array_free).
typedef struct {
  snn_dtype dtype;
  int32_t rank;
  int64_t shape[SNN_MAX_RANK];
  int64_t num_elements;
  void *data;
} snn_array;

/// A sparse matrix in coordinate form, 0-based, as read from a Matrix Market
/// file (symmetric files are expanded to both triangles).
typedef struct {
  int64_t rows, cols, nnz;
  int64_t *row_indices;
  int64_t *col_indices;
  double *values;
} snn_coo;

/// Bytes per element of `dtype`.
size_t snn_dtype_size(snn_dtype dtype);
/// "f32", "f64", "i32" or "i64".
const char *snn_dtype_name(snn_dtype dtype);

/// Allocates a zero-initialised array. Returns 0, or -1 with a message in
/// `err` (at most `err_len` bytes) when the size is absurd or memory is short.
int snn_array_alloc(snn_array *out, snn_dtype dtype, int32_t rank,
                    const int64_t *shape, char *err, size_t err_len);
void snn_array_free(snn_array *array);

/// Reads a NumPy .npy file (format 1.0 or 2.0, little-endian, C order,
/// f4/f8/i4/i8). Returns 0, or -1 with a message in `err`.
int snn_npy_read(const char *path, snn_array *out, char *err, size_t err_len);
/// Writes `array` as a .npy file (format 1.0). Returns 0 or -1.
int snn_npy_write(const char *path, const snn_array *array, char *err,
                  size_t err_len);

/// Reads a Matrix Market file: `matrix coordinate` with field real, integer
/// or pattern (values 1) and symmetry general or symmetric. Returns 0, or -1
/// with a message in `err`.
int snn_mtx_read(const char *path, snn_coo *out, char *err, size_t err_len);
void snn_coo_free(snn_coo *coo);

#ifdef __cplusplus
}
#endif

#endif /* SPARSENN_RUNTIME_IO_H */
