//===- CudaRuntime.cpp - runtime/cuda: the mgpu* ABI over CUDA ------------===//
//
// Part of SparseNN. One primary context on the default device, made current
// on every call's thread; one cuSPARSE handle. Errors are recorded, not
// fatal (Cuda.h).
//
//===----------------------------------------------------------------------===//

#include "sparsenn-runtime/Cuda.h"

#include <cuda.h>
#include <cusparse.h>

#include <cstdio>
#include <mutex>
#include <string>
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
SPARSENN_RESIDENT(f32, float)
SPARSENN_RESIDENT(f64, double)
SPARSENN_RESIDENT(i8, int8_t)
SPARSENN_RESIDENT(i16, int16_t)
SPARSENN_RESIDENT(i32, int32_t)
SPARSENN_RESIDENT(i64, int64_t)
SPARSENN_RESIDENT(index, int64_t)
#undef SPARSENN_RESIDENT

size_t sparsenn_cuda_release_resident(void) {
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

namespace {
// alpha = 1, beta = 1: C += op(A) op(B), as the sparsifier's linalg
// semantics (the output holds its initial value).
const float kOneF32 = 1.0f;
const double kOneF64 = 1.0;
const void *one(int32_t ctp) {
  return ctp == CUDA_R_64F ? static_cast<const void *>(&kOneF64)
                           : static_cast<const void *>(&kOneF32);
}
} // namespace

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

namespace {
/// cuSPARSE's SpMM algorithm for a matrix: BSR gets the algorithm cuSPARSE
/// names for it (CUSPARSE_SPMM_BSR_ALG1; whether the default would also
/// take BSR is not known here: never run on a GPU); every other format
/// takes the default.
cusparseSpMMAlg_t spmmAlgorithm(void *a) {
  cusparseFormat_t format = CUSPARSE_FORMAT_CSR;
  check(cusparseSpMatGetFormat(static_cast<cusparseSpMatDescr_t>(a), &format),
        "cusparseSpMatGetFormat");
  return format == CUSPARSE_FORMAT_BSR ? CUSPARSE_SPMM_BSR_ALG1
                                       : CUSPARSE_SPMM_ALG_DEFAULT;
}
} // namespace

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

} // extern "C"
