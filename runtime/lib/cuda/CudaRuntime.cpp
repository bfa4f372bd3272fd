//===- CudaRuntime.cpp - runtime/cuda: the mgpu* ABI over CUDA ------------===//
//
// Part of SparseNN. One primary context on the default device, made current
// on every call's thread; one cuSPARSE handle; cuSPARSELt opened when a 2:4
// product first needs it. Errors are recorded, not fatal (Cuda.h).
//
//===----------------------------------------------------------------------===//

#include "sparsenn-runtime/Cuda.h"

#include <cuda.h>
#include <cusparse.h>

#include <dlfcn.h>

#include <cstdio>
#include <cstdlib>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <tuple>
#include <type_traits>
#include <unordered_map>
#include <utility>

namespace {

std::mutex errorMutex;
std::string lastError;

bool failed() {
  std::lock_guard<std::mutex> lock(errorMutex);
  return !lastError.empty();
}

void record(const char *call, const char *name, const char *what) {
  std::lock_guard<std::mutex> lock(errorMutex);
  if (!lastError.empty())
    return;
  lastError = std::string(call) + ": " + (name ? name : "?") + " (" +
              (what ? what : "?") + ")";
}

/// Checks a driver API result; true on success.
bool check(CUresult result, const char *call) {
  if (result == CUDA_SUCCESS)
    return true;
  const char *name = nullptr, *what = nullptr;
  cuGetErrorName(result, &name);
  cuGetErrorString(result, &what);
  record(call, name, what);
  return false;
}

bool check(cusparseStatus_t status, const char *call) {
  if (status == CUSPARSE_STATUS_SUCCESS)
    return true;
  record(call, cusparseGetErrorName(status), cusparseGetErrorString(status));
  return false;
}

int defaultDevice = 0;
CUcontext context = nullptr;
std::once_flag contextOnce;

/// Makes the primary context of the default device current; false (with the
/// error recorded) when there is no usable device.
bool ensureContext() {
  if (failed())
    return false;
  std::call_once(contextOnce, [] {
    CUdevice device;
    if (check(cuInit(0), "cuInit") &&
        check(cuDeviceGet(&device, defaultDevice), "cuDeviceGet"))
      check(cuDevicePrimaryCtxRetain(&context, device),
            "cuDevicePrimaryCtxRetain");
  });
  return context && check(cuCtxSetCurrent(context), "cuCtxSetCurrent");
}

cusparseHandle_t handle = nullptr;

cusparseHandle_t sparseHandle() {
  if (!handle && ensureContext())
    check(cusparseCreate(&handle), "cusparseCreate");
  return handle;
}

/// Sets the handle's stream for one call.
bool onStream(void *stream) {
  cusparseHandle_t h = sparseHandle();
  return h && check(cusparseSetStream(h, static_cast<cudaStream_t>(stream)),
                    "cusparseSetStream");
}

std::mutex residentMutex;
/// Host address -> (device copy, bytes) of the constants copied so far.
std::unordered_map<const void *, std::pair<CUdeviceptr, size_t>> residents;

/// Frees the cuSPARSELt plans kept for resident buffers (below): a freed
/// buffer's address may come back holding other data.
void releaseLtPlans();

/// The device copy of the contiguous rank-1 `host` (elements of `eltBytes`)
/// into `device`; on failure `device` is `host` and the error is recorded
/// (the kernels after it do not run).
void residentCopy(sparsenn_memref_1d *device, const sparsenn_memref_1d *host,
                  size_t eltBytes) {
  *device = *host;
  if (host->size <= 0 || !ensureContext())
    return;
  if (host->stride != 1) {
    record("sparsenn_gpu_resident", "CUDA_ERROR_INVALID_VALUE",
           "the host buffer is not contiguous");
    return;
  }
  const char *base =
      static_cast<const char *>(host->aligned) + host->offset * eltBytes;
  size_t bytes = static_cast<size_t>(host->size) * eltBytes;
  std::lock_guard<std::mutex> lock(residentMutex);
  auto it = residents.find(base);
  CUdeviceptr ptr = 0;
  if (it != residents.end() && it->second.second == bytes) {
    ptr = it->second.first;
  } else {
    if (!check(cuMemAlloc(&ptr, bytes), "cuMemAlloc"))
      return;
    if (!check(cuMemcpyHtoD(ptr, base, bytes), "cuMemcpyHtoD")) {
      cuMemFree(ptr);
      return;
    }
    if (it != residents.end())
      cuMemFree(it->second.first);
    residents[base] = {ptr, bytes};
  }
  device->allocated = device->aligned = reinterpret_cast<void *>(ptr);
  device->offset = 0;
  device->stride = 1;
}

} // namespace

extern "C" {

const char *sparsenn_cuda_last_error(void) {
  std::lock_guard<std::mutex> lock(errorMutex);
  return lastError.c_str();
}

void sparsenn_cuda_reset_error(void) {
  std::lock_guard<std::mutex> lock(errorMutex);
  lastError.clear();
}

//===----------------------------------------------------------------------===//
// Modules and launches
//===----------------------------------------------------------------------===//

void *mgpuModuleLoad(void *data, uint64_t /*size*/) {
  CUmodule module = nullptr;
  if (ensureContext())
    check(cuModuleLoadData(&module, data), "cuModuleLoadData");
  return module;
}

void *mgpuModuleLoadJIT(void *data, int optLevel) {
  CUmodule module = nullptr;
  if (!ensureContext())
    return nullptr;
  char log[4096] = {0};
  CUjit_option options[] = {CU_JIT_OPTIMIZATION_LEVEL, CU_JIT_ERROR_LOG_BUFFER,
                            CU_JIT_ERROR_LOG_BUFFER_SIZE_BYTES};
  void *values[] = {reinterpret_cast<void *>(static_cast<intptr_t>(optLevel)),
                    log, reinterpret_cast<void *>(sizeof(log))};
  if (!check(cuModuleLoadDataEx(&module, data, 3, options, values),
             "cuModuleLoadDataEx (PTX JIT)") &&
      log[0])
    std::fprintf(stderr, "sparsenn-cuda: PTX JIT log:\n%s\n", log);
  return module;
}

void mgpuModuleUnload(void *module) {
  if (module && ensureContext())
    check(cuModuleUnload(static_cast<CUmodule>(module)), "cuModuleUnload");
}

void *mgpuModuleGetFunction(void *module, const char *name) {
  CUfunction function = nullptr;
  if (module && ensureContext())
    check(cuModuleGetFunction(&function, static_cast<CUmodule>(module), name),
          "cuModuleGetFunction");
  return function;
}

void mgpuLaunchKernel(void *function, intptr_t gridX, intptr_t gridY,
                      intptr_t gridZ, intptr_t blockX, intptr_t blockY,
                      intptr_t blockZ, int32_t smem, void *stream,
                      void **params, void **extra, size_t /*paramsCount*/) {
  if (!function || !ensureContext())
    return;
  check(cuLaunchKernel(static_cast<CUfunction>(function), gridX, gridY, gridZ,
                       blockX, blockY, blockZ, smem,
                       static_cast<CUstream>(stream), params, extra),
        "cuLaunchKernel");
}

void mgpuSetDefaultDevice(int32_t device) { defaultDevice = device; }

//===----------------------------------------------------------------------===//
// Streams and events
//===----------------------------------------------------------------------===//

void *mgpuStreamCreate(void) {
  CUstream stream = nullptr;
  if (ensureContext())
    check(cuStreamCreate(&stream, CU_STREAM_NON_BLOCKING), "cuStreamCreate");
  return stream;
}

void mgpuStreamDestroy(void *stream) {
  if (stream && ensureContext())
    check(cuStreamDestroy(static_cast<CUstream>(stream)), "cuStreamDestroy");
}

void mgpuStreamSynchronize(void *stream) {
  if (ensureContext())
    check(cuStreamSynchronize(static_cast<CUstream>(stream)),
          "cuStreamSynchronize");
}

void mgpuStreamWaitEvent(void *stream, void *event) {
  if (ensureContext())
    check(cuStreamWaitEvent(static_cast<CUstream>(stream),
                            static_cast<CUevent>(event), 0),
          "cuStreamWaitEvent");
}

void *mgpuEventCreate(void) {
  CUevent event = nullptr;
  if (ensureContext())
    check(cuEventCreate(&event, CU_EVENT_DISABLE_TIMING), "cuEventCreate");
  return event;
}

void mgpuEventDestroy(void *event) {
  if (event && ensureContext())
    check(cuEventDestroy(static_cast<CUevent>(event)), "cuEventDestroy");
}

void mgpuEventSynchronize(void *event) {
  if (ensureContext())
    check(cuEventSynchronize(static_cast<CUevent>(event)),
          "cuEventSynchronize");
}

void mgpuEventRecord(void *event, void *stream) {
  if (ensureContext())
    check(cuEventRecord(static_cast<CUevent>(event),
                        static_cast<CUstream>(stream)),
          "cuEventRecord");
}

//===----------------------------------------------------------------------===//
// Memory
//===----------------------------------------------------------------------===//

void *mgpuMemAlloc(uint64_t bytes, void * /*stream*/, bool isHostShared) {
  CUdeviceptr ptr = 0;
  if (!bytes || !ensureContext())
    return nullptr;
  if (isHostShared)
    check(cuMemAllocManaged(&ptr, bytes, CU_MEM_ATTACH_GLOBAL),
          "cuMemAllocManaged");
  else
    check(cuMemAlloc(&ptr, bytes), "cuMemAlloc");
  return reinterpret_cast<void *>(ptr);
}

void mgpuMemFree(void *ptr, void * /*stream*/) {
  if (ptr && ensureContext())
    check(cuMemFree(reinterpret_cast<CUdeviceptr>(ptr)), "cuMemFree");
}

void mgpuMemcpy(void *dst, void *src, size_t bytes, void *stream) {
  if (bytes && ensureContext())
    check(cuMemcpyAsync(reinterpret_cast<CUdeviceptr>(dst),
                        reinterpret_cast<CUdeviceptr>(src), bytes,
                        static_cast<CUstream>(stream)),
          "cuMemcpyAsync");
}

#define SPARSENN_RESIDENT(suffix, type)                                        \
  void _mlir_ciface_sparsenn_gpu_resident_##suffix(sparsenn_memref_1d *device, \
                                                   sparsenn_memref_1d *host) { \
    residentCopy(device, host, sizeof(type));                                  \
  }
SPARSENN_RESIDENT(f16, uint16_t)
SPARSENN_RESIDENT(f32, float)
SPARSENN_RESIDENT(f64, double)
SPARSENN_RESIDENT(i8, int8_t)
SPARSENN_RESIDENT(i16, int16_t)
SPARSENN_RESIDENT(i32, int32_t)
SPARSENN_RESIDENT(i64, int64_t)
SPARSENN_RESIDENT(index, int64_t)
#undef SPARSENN_RESIDENT

size_t sparsenn_cuda_release_resident(void) {
  releaseLtPlans();
  std::lock_guard<std::mutex> lock(residentMutex);
  size_t count = residents.size();
  if (context && cuCtxSetCurrent(context) == CUDA_SUCCESS)
    for (auto &entry : residents)
      cuMemFree(entry.second.first);
  residents.clear();
  return count;
}

void mgpuMemset32(void *dst, unsigned int value, size_t count, void *stream) {
  if (count && ensureContext())
    check(cuMemsetD32Async(reinterpret_cast<CUdeviceptr>(dst), value, count,
                           static_cast<CUstream>(stream)),
          "cuMemsetD32Async");
}

void mgpuMemset16(void *dst, unsigned short value, size_t count, void *stream) {
  if (count && ensureContext())
    check(cuMemsetD16Async(reinterpret_cast<CUdeviceptr>(dst), value, count,
                           static_cast<CUstream>(stream)),
          "cuMemsetD16Async");
}

//===----------------------------------------------------------------------===//
// cuSPARSE
//===----------------------------------------------------------------------===//

void mgpuCreateSparseEnv(void) { sparseHandle(); }

void mgpuDestroySparseEnv(void) {
  if (handle)
    check(cusparseDestroy(handle), "cusparseDestroy");
  handle = nullptr;
}

void *mgpuCreateDnVec(intptr_t size, void *values, int32_t dtp,
                      void * /*stream*/) {
  cusparseDnVecDescr_t vec = nullptr;
  if (sparseHandle())
    check(cusparseCreateDnVec(&vec, size, values,
                              static_cast<cudaDataType_t>(dtp)),
          "cusparseCreateDnVec");
  return vec;
}

void mgpuDestroyDnVec(void *vec, void * /*stream*/) {
  if (vec)
    check(cusparseDestroyDnVec(static_cast<cusparseDnVecDescr_t>(vec)),
          "cusparseDestroyDnVec");
}

void *mgpuCreateDnMat(intptr_t rows, intptr_t cols, void *values, int32_t dtp,
                      void * /*stream*/) {
  cusparseDnMatDescr_t mat = nullptr;
  if (sparseHandle())
    check(cusparseCreateDnMat(&mat, rows, cols, /*ld=*/cols, values,
                              static_cast<cudaDataType_t>(dtp),
                              CUSPARSE_ORDER_ROW),
          "cusparseCreateDnMat");
  return mat;
}

void mgpuDestroyDnMat(void *mat, void * /*stream*/) {
  if (mat)
    check(cusparseDestroyDnMat(static_cast<cusparseDnMatDescr_t>(mat)),
          "cusparseDestroyDnMat");
}

void *mgpuCreateCoo(intptr_t rows, intptr_t cols, intptr_t nnz, void *rowIdxs,
                    void *colIdxs, void *values, int32_t itp, int32_t dtp,
                    void * /*stream*/) {
  cusparseSpMatDescr_t mat = nullptr;
  if (sparseHandle())
    check(cusparseCreateCoo(&mat, rows, cols, nnz, rowIdxs, colIdxs, values,
                            static_cast<cusparseIndexType_t>(itp),
                            CUSPARSE_INDEX_BASE_ZERO,
                            static_cast<cudaDataType_t>(dtp)),
          "cusparseCreateCoo");
  return mat;
}

void *mgpuCreateCsr(intptr_t rows, intptr_t cols, intptr_t nnz, void *rowPos,
                    void *colIdxs, void *values, int32_t ptp, int32_t itp,
                    int32_t dtp, void * /*stream*/) {
  cusparseSpMatDescr_t mat = nullptr;
  if (sparseHandle())
    check(cusparseCreateCsr(&mat, rows, cols, nnz, rowPos, colIdxs, values,
                            static_cast<cusparseIndexType_t>(ptp),
                            static_cast<cusparseIndexType_t>(itp),
                            CUSPARSE_INDEX_BASE_ZERO,
                            static_cast<cudaDataType_t>(dtp)),
          "cusparseCreateCsr");
  return mat;
}

void *mgpuCreateCsc(intptr_t rows, intptr_t cols, intptr_t nnz, void *colPos,
                    void *rowIdxs, void *values, int32_t ptp, int32_t itp,
                    int32_t dtp, void * /*stream*/) {
  cusparseSpMatDescr_t mat = nullptr;
  if (sparseHandle())
    check(cusparseCreateCsc(&mat, rows, cols, nnz, colPos, rowIdxs, values,
                            static_cast<cusparseIndexType_t>(ptp),
                            static_cast<cusparseIndexType_t>(itp),
                            CUSPARSE_INDEX_BASE_ZERO,
                            static_cast<cudaDataType_t>(dtp)),
          "cusparseCreateCsc");
  return mat;
}

void *mgpuCreateBsr(intptr_t brows, intptr_t bcols, intptr_t bnnz,
                    intptr_t rBlockSize, intptr_t cBlockSize, void *rowPos,
                    void *colIdxs, void *values, int32_t ptp, int32_t itp,
                    int32_t dtp, void * /*stream*/) {
  cusparseSpMatDescr_t mat = nullptr;
  if (sparseHandle())
    check(cusparseCreateBsr(
              &mat, brows, bcols, bnnz, rBlockSize, cBlockSize, rowPos, colIdxs,
              values, static_cast<cusparseIndexType_t>(ptp),
              static_cast<cusparseIndexType_t>(itp), CUSPARSE_INDEX_BASE_ZERO,
              static_cast<cudaDataType_t>(dtp), CUSPARSE_ORDER_ROW),
          "cusparseCreateBsr");
  return mat;
}

void mgpuDestroySpMat(void *mat, void * /*stream*/) {
  if (mat)
    check(cusparseDestroySpMat(static_cast<cusparseSpMatDescr_t>(mat)),
          "cusparseDestroySpMat");
}

// alpha = 1, beta = 1: C += op(A) op(B), as the sparsifier's linalg
// semantics (the output holds its initial value).
const float kOneF32 = 1.0f;
const double kOneF64 = 1.0;
static const void *one(int32_t ctp) {
  return ctp == CUDA_R_64F ? static_cast<const void *>(&kOneF64)
                           : static_cast<const void *>(&kOneF32);
}

intptr_t mgpuSpMVBufferSize(int32_t ma, void *a, void *x, void *y, int32_t ctp,
                            void *stream) {
  size_t bytes = 0;
  if (onStream(stream))
    check(
        cusparseSpMV_bufferSize(handle, static_cast<cusparseOperation_t>(ma),
                                one(ctp), static_cast<cusparseSpMatDescr_t>(a),
                                static_cast<cusparseDnVecDescr_t>(x), one(ctp),
                                static_cast<cusparseDnVecDescr_t>(y),
                                static_cast<cudaDataType_t>(ctp),
                                CUSPARSE_SPMV_ALG_DEFAULT, &bytes),
        "cusparseSpMV_bufferSize");
  return bytes == 0 ? 1 : bytes; // The host code allocates it.
}

void mgpuSpMV(int32_t ma, void *a, void *x, void *y, int32_t ctp, void *buf,
              void *stream) {
  if (onStream(stream))
    check(cusparseSpMV(handle, static_cast<cusparseOperation_t>(ma), one(ctp),
                       static_cast<cusparseSpMatDescr_t>(a),
                       static_cast<cusparseDnVecDescr_t>(x), one(ctp),
                       static_cast<cusparseDnVecDescr_t>(y),
                       static_cast<cudaDataType_t>(ctp),
                       CUSPARSE_SPMV_ALG_DEFAULT, buf),
          "cusparseSpMV");
}

/// cuSPARSE's SpMM algorithm for a matrix: BSR gets the algorithm cuSPARSE
/// names for it (CUSPARSE_SPMM_BSR_ALG1; whether the default would also
/// take BSR is not known here: never run on a GPU); every other format
/// takes the default.
static cusparseSpMMAlg_t spmmAlgorithm(void *a) {
  cusparseFormat_t format = CUSPARSE_FORMAT_CSR;
  check(cusparseSpMatGetFormat(static_cast<cusparseSpMatDescr_t>(a), &format),
        "cusparseSpMatGetFormat");
  return format == CUSPARSE_FORMAT_BSR ? CUSPARSE_SPMM_BSR_ALG1
                                       : CUSPARSE_SPMM_ALG_DEFAULT;
}

intptr_t mgpuSpMMBufferSize(int32_t ma, int32_t mb, void *a, void *b, void *c,
                            int32_t ctp, void *stream) {
  size_t bytes = 0;
  if (onStream(stream))
    check(cusparseSpMM_bufferSize(
              handle, static_cast<cusparseOperation_t>(ma),
              static_cast<cusparseOperation_t>(mb), one(ctp),
              static_cast<cusparseSpMatDescr_t>(a),
              static_cast<cusparseDnMatDescr_t>(b), one(ctp),
              static_cast<cusparseDnMatDescr_t>(c),
              static_cast<cudaDataType_t>(ctp), spmmAlgorithm(a), &bytes),
          "cusparseSpMM_bufferSize");
  return bytes == 0 ? 1 : bytes;
}

void mgpuSpMM(int32_t ma, int32_t mb, void *a, void *b, void *c, int32_t ctp,
              void *buf, void *stream) {
  if (onStream(stream))
    check(cusparseSpMM(handle, static_cast<cusparseOperation_t>(ma),
                       static_cast<cusparseOperation_t>(mb), one(ctp),
                       static_cast<cusparseSpMatDescr_t>(a),
                       static_cast<cusparseDnMatDescr_t>(b), one(ctp),
                       static_cast<cusparseDnMatDescr_t>(c),
                       static_cast<cudaDataType_t>(ctp), spmmAlgorithm(a), buf),
          "cusparseSpMM");
}

intptr_t mgpuSDDMMBufferSize(int32_t ma, int32_t mb, void *a, void *b, void *c,
                             int32_t ctp, void *stream) {
  size_t bytes = 0;
  if (onStream(stream))
    check(
        cusparseSDDMM_bufferSize(handle, static_cast<cusparseOperation_t>(ma),
                                 static_cast<cusparseOperation_t>(mb), one(ctp),
                                 static_cast<cusparseDnMatDescr_t>(a),
                                 static_cast<cusparseDnMatDescr_t>(b), one(ctp),
                                 static_cast<cusparseSpMatDescr_t>(c),
                                 static_cast<cudaDataType_t>(ctp),
                                 CUSPARSE_SDDMM_ALG_DEFAULT, &bytes),
        "cusparseSDDMM_bufferSize");
  return bytes == 0 ? 1 : bytes;
}

void mgpuSDDMM(int32_t ma, int32_t mb, void *a, void *b, void *c, int32_t ctp,
               void *buf, void *stream) {
  if (onStream(stream))
    check(cusparseSDDMM(handle, static_cast<cusparseOperation_t>(ma),
                        static_cast<cusparseOperation_t>(mb), one(ctp),
                        static_cast<cusparseDnMatDescr_t>(a),
                        static_cast<cusparseDnMatDescr_t>(b), one(ctp),
                        static_cast<cusparseSpMatDescr_t>(c),
                        static_cast<cudaDataType_t>(ctp),
                        CUSPARSE_SDDMM_ALG_DEFAULT, buf),
          "cusparseSDDMM");
}

//===----------------------------------------------------------------------===//
// cuSPARSELt (2:4 structured sparsity), loaded when first used
//===----------------------------------------------------------------------===//
//
// libcusparseLt.so.0 is not part of the CUDA toolkit (the GPU machine has it
// in PyTorch's nvidia wheels), so it is opened with dlopen
// (SPARSENN_CUSPARSELT overrides the file name) and its functions declared
// here from its documented C API. Its descriptors are opaque structs whose
// size changes between versions: each lives in a buffer larger than any
// version's (kLtOpaqueBytes). The host code passes buffers for the matrix
// handles (MLIR's sizes); they hold a pointer to this runtime's state.
//
// The dense A (rows x cols, row-major, 2:4 along rows) is pruned (a no-op on
// a 2:4 matrix) and compressed once per device buffer and shape, and the
// compressed copy is kept with the plan: the weights are resident
// (snn-gpu-resident-constants), so later calls only multiply.

} // extern "C"

namespace {

constexpr size_t kLtOpaqueBytes = 64 * 1024;
struct LtOpaque {
  alignas(16) unsigned char data[kLtOpaqueBytes];
};

// cusparseLt.h's enumerations (stable across 0.4-0.6).
constexpr int kLtSparsity50 = 0; // CUSPARSELT_SPARSITY_50_PERCENT
constexpr int kLtComputeF16 = 1; // CUSPARSE_COMPUTE_16F
constexpr int kLtComputeF32 = 2; // CUSPARSE_COMPUTE_32F
constexpr int kLtAlgDefault = 0; // CUSPARSELT_MATMUL_ALG_DEFAULT
constexpr int kLtPruneTile = 0;  // CUSPARSELT_PRUNE_SPMMA_TILE

struct LtApi {
  cusparseStatus_t (*init)(LtOpaque *);
  cusparseStatus_t (*denseInit)(const LtOpaque *, LtOpaque *, int64_t, int64_t,
                                int64_t, uint32_t, cudaDataType,
                                cusparseOrder_t);
  cusparseStatus_t (*structuredInit)(const LtOpaque *, LtOpaque *, int64_t,
                                     int64_t, int64_t, uint32_t, cudaDataType,
                                     cusparseOrder_t, int);
  cusparseStatus_t (*matDestroy)(const LtOpaque *);
  cusparseStatus_t (*matmulInit)(const LtOpaque *, LtOpaque *,
                                 cusparseOperation_t, cusparseOperation_t,
                                 const LtOpaque *, const LtOpaque *,
                                 const LtOpaque *, const LtOpaque *, int);
  cusparseStatus_t (*algInit)(const LtOpaque *, LtOpaque *, const LtOpaque *,
                              int);
  cusparseStatus_t (*planInit)(const LtOpaque *, LtOpaque *, const LtOpaque *,
                               const LtOpaque *);
  cusparseStatus_t (*planDestroy)(const LtOpaque *);
  cusparseStatus_t (*workspace)(const LtOpaque *, const LtOpaque *, size_t *);
  cusparseStatus_t (*prune)(const LtOpaque *, const LtOpaque *, const void *,
                            void *, int, cudaStream_t);
  cusparseStatus_t (*compressedSize)(const LtOpaque *, const LtOpaque *,
                                     size_t *, size_t *);
  cusparseStatus_t (*compress)(const LtOpaque *, const LtOpaque *, const void *,
                               void *, void *, cudaStream_t);
  cusparseStatus_t (*matmul)(const LtOpaque *, const LtOpaque *, const void *,
                             const void *, const void *, const void *,
                             const void *, void *, void *, cudaStream_t *,
                             int32_t);
  LtOpaque *handle = nullptr;
};

std::mutex ltMutex;
LtApi *lt = nullptr;

/// cuSPARSELt, opened and initialized on first use; null (error recorded)
/// when the library or a function is missing.
LtApi *ltApi() {
  std::lock_guard<std::mutex> lock(ltMutex);
  static bool tried = false;
  if (tried || !ensureContext())
    return lt;
  tried = true;
  const char *name = std::getenv("SPARSENN_CUSPARSELT");
  void *lib = dlopen(name ? name : "libcusparseLt.so.0", RTLD_NOW);
  if (!lib) {
    record("dlopen", name ? name : "libcusparseLt.so.0", dlerror());
    return nullptr;
  }
  auto api = std::make_unique<LtApi>();
  bool ok = true;
  auto get = [&](auto &fn, const char *symbol) {
    fn = reinterpret_cast<std::remove_reference_t<decltype(fn)>>(
        dlsym(lib, symbol));
    if (!fn && ok) {
      record("dlsym", symbol, "not in libcusparseLt");
      ok = false;
    }
  };
  get(api->init, "cusparseLtInit");
  get(api->denseInit, "cusparseLtDenseDescriptorInit");
  get(api->structuredInit, "cusparseLtStructuredDescriptorInit");
  get(api->matDestroy, "cusparseLtMatDescriptorDestroy");
  get(api->matmulInit, "cusparseLtMatmulDescriptorInit");
  get(api->algInit, "cusparseLtMatmulAlgSelectionInit");
  get(api->planInit, "cusparseLtMatmulPlanInit");
  get(api->planDestroy, "cusparseLtMatmulPlanDestroy");
  get(api->workspace, "cusparseLtMatmulGetWorkspace");
  get(api->prune, "cusparseLtSpMMAPrune");
  get(api->compressedSize, "cusparseLtSpMMACompressedSize");
  get(api->compress, "cusparseLtSpMMACompress");
  get(api->matmul, "cusparseLtMatmul");
  if (!ok)
    return nullptr;
  api->handle = new LtOpaque();
  if (!check(api->init(api->handle), "cusparseLtInit"))
    return nullptr;
  lt = api.release();
  return lt;
}

struct LtPlan;

/// A matrix as the host code's handle buffer refers to it: its shape,
/// type and device buffer, and the plan its product was given.
struct LtMatrix {
  int64_t rows = 0, cols = 0;
  void *values = nullptr;
  cudaDataType type = CUDA_R_16F;
  LtPlan *plan = nullptr;
  bool ownsPlan = false; ///< A plan for this call only (A not resident).
};

/// A product C = op(A) op(B) planned, with A pruned and compressed. The plan
/// owns its descriptors (the matmul descriptor refers to them).
struct LtPlan {
  LtOpaque a, b, c, matmul, alg, plan;
  bool descriptors = false, planned = false;
  void *compressed = nullptr;
  size_t workspace = 0;
};

/// Plans kept for resident A buffers, by buffer, shapes and modes.
std::mutex planMutex;
std::map<std::tuple<void *, int64_t, int64_t, int64_t, int32_t, int32_t>,
         LtPlan *>
    plans;

LtMatrix *ltMatrix(void *h) { return *static_cast<LtMatrix **>(h); }

void destroyPlan(LtPlan *p) {
  if (!p)
    return;
  if (lt && p->planned)
    lt->planDestroy(&p->plan);
  if (lt && p->descriptors) {
    lt->matDestroy(&p->a);
    lt->matDestroy(&p->b);
    lt->matDestroy(&p->c);
  }
  if (p->compressed)
    cuMemFree(reinterpret_cast<CUdeviceptr>(p->compressed));
  delete p;
}

/// Plans C = op(A) op(B), prunes A in place when asked (a no-op on a 2:4
/// matrix) and compresses it into a buffer the plan keeps.
LtPlan *makePlan(LtApi *api, LtMatrix *a, LtMatrix *b, LtMatrix *c, int32_t ma,
                 int32_t mb, bool prune, CUstream stream) {
  auto p = std::make_unique<LtPlan>();
  // Row-major, leading dimension = columns, 16-byte alignment.
  if (!check(api->structuredInit(api->handle, &p->a, a->rows, a->cols, a->cols,
                                 16, a->type, CUSPARSE_ORDER_ROW,
                                 kLtSparsity50),
             "cusparseLtStructuredDescriptorInit") ||
      !check(api->denseInit(api->handle, &p->b, b->rows, b->cols, b->cols, 16,
                            b->type, CUSPARSE_ORDER_ROW),
             "cusparseLtDenseDescriptorInit") ||
      !check(api->denseInit(api->handle, &p->c, c->rows, c->cols, c->cols, 16,
                            c->type, CUSPARSE_ORDER_ROW),
             "cusparseLtDenseDescriptorInit"))
    return nullptr;
  p->descriptors = true;
  // f32 accumulation where this version takes it for f16, else f16.
  bool ok = false;
  for (int compute : {kLtComputeF32, kLtComputeF16}) {
    ok = api->matmulInit(api->handle, &p->matmul,
                         static_cast<cusparseOperation_t>(ma),
                         static_cast<cusparseOperation_t>(mb), &p->a, &p->b,
                         &p->c, &p->c, compute) == CUSPARSE_STATUS_SUCCESS;
    if (ok)
      break;
  }
  if (!ok) {
    record("cusparseLtMatmulDescriptorInit", "CUSPARSE_STATUS_NOT_SUPPORTED",
           "neither f32 nor f16 compute for this product");
    destroyPlan(p.release());
    return nullptr;
  }
  size_t compressedBytes = 0, bufferBytes = 0;
  auto s = static_cast<cudaStream_t>(stream);
  CUdeviceptr compressed = 0, scratch = 0;
  ok = check(api->algInit(api->handle, &p->alg, &p->matmul, kLtAlgDefault),
             "cusparseLtMatmulAlgSelectionInit") &&
       (p->planned =
            check(api->planInit(api->handle, &p->plan, &p->matmul, &p->alg),
                  "cusparseLtMatmulPlanInit")) &&
       check(api->workspace(api->handle, &p->plan, &p->workspace),
             "cusparseLtMatmulGetWorkspace") &&
       check(api->compressedSize(api->handle, &p->plan, &compressedBytes,
                                 &bufferBytes),
             "cusparseLtSpMMACompressedSize") &&
       (!prune || check(api->prune(api->handle, &p->matmul, a->values,
                                   a->values, kLtPruneTile, s),
                        "cusparseLtSpMMAPrune")) &&
       check(cuMemAlloc(&compressed, compressedBytes ? compressedBytes : 1),
             "cuMemAlloc") &&
       (!bufferBytes || check(cuMemAlloc(&scratch, bufferBytes), "cuMemAlloc"));
  p->compressed = reinterpret_cast<void *>(compressed);
  ok = ok &&
       check(api->compress(api->handle, &p->plan, a->values, p->compressed,
                           reinterpret_cast<void *>(scratch), s),
             "cusparseLtSpMMACompress") &&
       check(cuStreamSynchronize(stream), "cuStreamSynchronize");
  if (scratch)
    cuMemFree(scratch);
  if (!ok) {
    destroyPlan(p.release());
    return nullptr;
  }
  return p.release();
}

void releaseLtPlans() {
  std::lock_guard<std::mutex> lock(planMutex);
  if (context && cuCtxSetCurrent(context) == CUDA_SUCCESS)
    for (auto &entry : plans)
      destroyPlan(entry.second);
  plans.clear();
}

/// Whether `device` is a resident copy (its contents never change).
bool isResident(void *device) {
  std::lock_guard<std::mutex> lock(residentMutex);
  for (auto &entry : residents)
    if (reinterpret_cast<void *>(entry.second.first) == device)
      return true;
  return false;
}

/// The plan for A's product with B into C: kept across calls when A is a
/// resident copy (compressed once per process), else made for this call.
LtPlan *ltPlan(LtMatrix *a, LtMatrix *b, LtMatrix *c, int32_t ma, int32_t mb,
               bool prune, CUstream stream) {
  LtApi *api = ltApi();
  if (!api)
    return nullptr;
  if (!isResident(a->values)) {
    a->plan = makePlan(api, a, b, c, ma, mb, prune, stream);
    a->ownsPlan = true;
    return a->plan;
  }
  std::lock_guard<std::mutex> lock(planMutex);
  auto key = std::make_tuple(a->values, a->rows, a->cols, b->cols, ma, mb);
  auto it = plans.find(key);
  if (it == plans.end()) {
    LtPlan *p = makePlan(api, a, b, c, ma, mb, prune, stream);
    if (!p)
      return nullptr;
    it = plans.emplace(key, p).first;
  }
  a->plan = it->second;
  return a->plan;
}

void newLtMatrix(void *h, int64_t rows, int64_t cols, void *values,
                 int32_t dtp) {
  auto *m = new LtMatrix();
  m->rows = rows;
  m->cols = cols;
  m->values = values;
  m->type = static_cast<cudaDataType>(dtp);
  *static_cast<LtMatrix **>(h) = m;
}

} // namespace

extern "C" {

void mgpuCusparseLtCreate2To4SpMat(void *sh, intptr_t rows, intptr_t cols,
                                   void *values, int32_t dtp,
                                   void * /*stream*/) {
  newLtMatrix(sh, rows, cols, values, dtp);
}

void mgpuCreateCuSparseLtDnMat(void *dh, intptr_t rows, intptr_t cols,
                               void *values, int32_t dtp, void * /*stream*/) {
  newLtMatrix(dh, rows, cols, values, dtp);
}

void mgpuDestroyCuSparseLtSpMat(void *sh, void * /*stream*/) {
  LtMatrix *m = ltMatrix(sh);
  if (m && m->ownsPlan)
    destroyPlan(m->plan);
  delete m;
}

void mgpuDestroyCuSparseLtDnMat(void *dh, void * /*stream*/) {
  delete ltMatrix(dh);
}

void mgpuCuSparseLtSpMMBufferSize(void *bs, int32_t ma, int32_t mb, void *a,
                                  void *b, void *c, int32_t /*ctp*/,
                                  int32_t pruneFlag, void *stream) {
  // [workspace, compressed A, compression scratch]: the plan keeps its own
  // compressed A, so the host code's other two buffers are one byte each.
  auto *sizes = static_cast<int64_t *>(bs);
  sizes[0] = sizes[1] = sizes[2] = 1;
  if (LtPlan *p = ltPlan(ltMatrix(a), ltMatrix(b), ltMatrix(c), ma, mb,
                         pruneFlag > 0, static_cast<CUstream>(stream)))
    sizes[0] = p->workspace ? static_cast<int64_t>(p->workspace) : 1;
}

void mgpuCuSparseLtSpMM(void *a, void *b, void *c, void *workspace,
                        void * /*compressed*/, void * /*compressedBuffer*/,
                        void *stream) {
  LtPlan *p = ltMatrix(a)->plan;
  if (!p || !lt)
    return; // Planning failed and recorded why.
  // C += A B, as the product it replaces accumulates (alpha = beta = 1).
  float alpha = 1.0f, beta = 1.0f;
  void *cValues = ltMatrix(c)->values;
  auto s = static_cast<cudaStream_t>(stream);
  check(lt->matmul(lt->handle, &p->plan, &alpha, p->compressed,
                   ltMatrix(b)->values, &beta, cValues, cValues, workspace, &s,
                   1),
        "cusparseLtMatmul");
}

} // extern "C"
