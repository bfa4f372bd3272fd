//===- Cuda.h - runtime/cuda: the mgpu* C ABI over CUDA ---------*- C++ -*-===//
//
// Part of SparseNN. The functions the host code of sparsenn-gpu-pipeline
// calls (MLIR's gpu-to-llvm lowering names them mgpu*), implemented over the
// CUDA driver API and cuSPARSE. Debian ships no such library, and MLIR's own
// (libmlir_cuda_runtime) is not packaged. Enum arguments are cuSPARSE's and
// CUDA's own values, as gpu-to-llvm emits them.
//
// The generated code has no error path: a failing CUDA or cuSPARSE call is
// recorded (the first one since the last reset) and later calls become
// no-ops; the caller checks sparsenn_cuda_last_error() after the entry point
// returns, as sparse-runner and the AOT driver do.
//
//===----------------------------------------------------------------------===//

#ifndef SPARSENN_RUNTIME_CUDA_H
#define SPARSENN_RUNTIME_CUDA_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/// The first failure since the last reset ("" when none), e.g.
/// "cuModuleLoadData: CUDA_ERROR_NO_BINARY_FOR_GPU (no kernel image is
/// available for execution on the device)".
const char *sparsenn_cuda_last_error(void);
void sparsenn_cuda_reset_error(void);

// Modules and launches.
void *mgpuModuleLoad(void *data, uint64_t size);
void *mgpuModuleLoadJIT(void *data, int optLevel);
void mgpuModuleUnload(void *module);
void *mgpuModuleGetFunction(void *module, const char *name);
void mgpuLaunchKernel(void *function, intptr_t gridX, intptr_t gridY,
                      intptr_t gridZ, intptr_t blockX, intptr_t blockY,
                      intptr_t blockZ, int32_t smem, void *stream,
                      void **params, void **extra, size_t paramsCount);
void mgpuSetDefaultDevice(int32_t device);

// Streams and events.
void *mgpuStreamCreate(void);
void mgpuStreamDestroy(void *stream);
void mgpuStreamSynchronize(void *stream);
void mgpuStreamWaitEvent(void *stream, void *event);
void *mgpuEventCreate(void);
void mgpuEventDestroy(void *event);
void mgpuEventSynchronize(void *event);
void mgpuEventRecord(void *event, void *stream);

// Memory.
void *mgpuMemAlloc(uint64_t bytes, void *stream, bool isHostShared);
void mgpuMemFree(void *ptr, void *stream);
void mgpuMemcpy(void *dst, void *src, size_t bytes, void *stream);
void mgpuMemset32(void *dst, unsigned int value, size_t count, void *stream);
void mgpuMemset16(void *dst, unsigned short value, size_t count, void *stream);

/// A rank-1 memref descriptor, as MLIR's C interface passes one.
typedef struct {
  void *allocated;
  void *aligned;
  int64_t offset;
  int64_t size;
  int64_t stride;
} sparsenn_memref_1d;

// Resident copies of constant host buffers (packed weights): the first call
// for a buffer copies it to the device, later calls return the same device
// buffer, so weights cross the bus once per process instead of once per
// call. snn-parallel-loops-to-gpu calls these (one per element type, the
// buffer seen as rank 1) for every constant global a kernel reads, and
// snn-gpu-resident-constants for those cuSPARSE's descriptors read. The copy
// is keyed by the host address and size: constants must not change while a
// copy is resident.
void _mlir_ciface_sparsenn_gpu_resident_f16(sparsenn_memref_1d *device,
                                            sparsenn_memref_1d *host);
void _mlir_ciface_sparsenn_gpu_resident_f32(sparsenn_memref_1d *device,
                                            sparsenn_memref_1d *host);
void _mlir_ciface_sparsenn_gpu_resident_f64(sparsenn_memref_1d *device,
                                            sparsenn_memref_1d *host);
void _mlir_ciface_sparsenn_gpu_resident_i8(sparsenn_memref_1d *device,
                                           sparsenn_memref_1d *host);
void _mlir_ciface_sparsenn_gpu_resident_i16(sparsenn_memref_1d *device,
                                            sparsenn_memref_1d *host);
void _mlir_ciface_sparsenn_gpu_resident_i32(sparsenn_memref_1d *device,
                                            sparsenn_memref_1d *host);
void _mlir_ciface_sparsenn_gpu_resident_i64(sparsenn_memref_1d *device,
                                            sparsenn_memref_1d *host);
void _mlir_ciface_sparsenn_gpu_resident_index(sparsenn_memref_1d *device,
                                              sparsenn_memref_1d *host);
/// Frees every resident copy (say, before unloading the code whose
/// constants they copy) and the cuSPARSELt plans kept for them; returns how
/// many copies there were.
size_t sparsenn_cuda_release_resident(void);

// cuSPARSE. The handle is created on first use (or by mgpuCreateSparseEnv).
void mgpuCreateSparseEnv(void);
void mgpuDestroySparseEnv(void);
void *mgpuCreateDnVec(intptr_t size, void *values, int32_t dtp, void *stream);
void mgpuDestroyDnVec(void *vec, void *stream);
void *mgpuCreateDnMat(intptr_t rows, intptr_t cols, void *values, int32_t dtp,
                      void *stream);
void mgpuDestroyDnMat(void *mat, void *stream);
void *mgpuCreateCoo(intptr_t rows, intptr_t cols, intptr_t nnz, void *rowIdxs,
                    void *colIdxs, void *values, int32_t itp, int32_t dtp,
                    void *stream);
void *mgpuCreateCsr(intptr_t rows, intptr_t cols, intptr_t nnz, void *rowPos,
                    void *colIdxs, void *values, int32_t ptp, int32_t itp,
                    int32_t dtp, void *stream);
void *mgpuCreateCsc(intptr_t rows, intptr_t cols, intptr_t nnz, void *colPos,
                    void *rowIdxs, void *values, int32_t ptp, int32_t itp,
                    int32_t dtp, void *stream);
void *mgpuCreateBsr(intptr_t brows, intptr_t bcols, intptr_t bnnz,
                    intptr_t rBlockSize, intptr_t cBlockSize, void *rowPos,
                    void *colIdxs, void *values, int32_t ptp, int32_t itp,
                    int32_t dtp, void *stream);
void mgpuDestroySpMat(void *mat, void *stream);
intptr_t mgpuSpMVBufferSize(int32_t ma, void *a, void *x, void *y, int32_t ctp,
                            void *stream);
void mgpuSpMV(int32_t ma, void *a, void *x, void *y, int32_t ctp, void *buf,
              void *stream);
intptr_t mgpuSpMMBufferSize(int32_t ma, int32_t mb, void *a, void *b, void *c,
                            int32_t ctp, void *stream);
void mgpuSpMM(int32_t ma, int32_t mb, void *a, void *b, void *c, int32_t ctp,
              void *buf, void *stream);
intptr_t mgpuSDDMMBufferSize(int32_t ma, int32_t mb, void *a, void *b, void *c,
                             int32_t ctp, void *stream);
void mgpuSDDMM(int32_t ma, int32_t mb, void *a, void *b, void *c, int32_t ctp,
               void *buf, void *stream);

// cuSPARSELt: 2:4 structured sparse A (dense, rows x cols, row-major,
// f16) times dense B into C, as upstream's gpu-to-llvm lowers
// gpu.create_2to4_spmat / create_dn_tensor / spmm_buffer_size / spmm on
// them. `sh` and `dh` are buffers the host code allocates; they hold this
// runtime's handle. libcusparseLt.so.0 (or $SPARSENN_CUSPARSELT) is opened
// on first use; a missing library is a recorded error. A resident A is
// pruned and compressed once and its plan kept; C += A B (alpha = beta = 1).
void mgpuCusparseLtCreate2To4SpMat(void *sh, intptr_t rows, intptr_t cols,
                                   void *values, int32_t dtp, void *stream);
void mgpuCreateCuSparseLtDnMat(void *dh, intptr_t rows, intptr_t cols,
                               void *values, int32_t dtp, void *stream);
void mgpuDestroyCuSparseLtSpMat(void *sh, void *stream);
void mgpuDestroyCuSparseLtDnMat(void *dh, void *stream);
void mgpuCuSparseLtSpMMBufferSize(void *bs, int32_t ma, int32_t mb, void *a,
                                  void *b, void *c, int32_t ctp,
                                  int32_t pruneFlag, void *stream);
void mgpuCuSparseLtSpMM(void *a, void *b, void *c, void *workspace,
                        void *compressed, void *compressedBuffer, void *stream);

#ifdef __cplusplus
}
#endif

#endif // SPARSENN_RUNTIME_CUDA_H
