//===- FuzzReaders.cpp - libFuzzer target for the .npy/.mtx readers -------===//
//
// Part of SparseNN. Writes each input to a file and reads it as .npy and as
// Matrix Market: any input must give an array or a clean error, never a
// crash, a leak or an out-of-bounds access (built with ASan/UBSan).
//
//===----------------------------------------------------------------------===//

#include "sparsenn-runtime/IO.h"

#include <cstdint>
#include <cstdio>
#include <string>
#include <unistd.h>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  static const std::string path =
      "/tmp/sparsenn-fuzz-" + std::to_string(getpid());
  FILE *f = fopen(path.c_str(), "wb");
  if (!f)
    return 0;
  fwrite(data, 1, size, f);
  fclose(f);
  char err[256];
  snn_array a;
  if (snn_npy_read(path.c_str(), &a, err, sizeof(err)) == 0) {
    // Touch every byte the reader claims to hold.
    volatile unsigned char sum = 0;
    size_t bytes = a.num_elements * snn_dtype_size(a.dtype);
    for (size_t i = 0; i < bytes; ++i)
      sum ^= static_cast<unsigned char *>(a.data)[i];
    snn_array_free(&a);
  }
  snn_coo coo;
  if (snn_mtx_read(path.c_str(), &coo, err, sizeof(err)) == 0) {
    for (int64_t k = 0; k < coo.nnz; ++k)
      if (coo.row_indices[k] < 0 || coo.row_indices[k] >= coo.rows ||
          coo.col_indices[k] < 0 || coo.col_indices[k] >= coo.cols)
        __builtin_trap(); // An index the reader let through out of range.
    snn_coo_free(&coo);
  }
  return 0;
}
