//===- Peers.cpp - The peers of bench/run, timed in-process ---------------===//
//
// A small C-ABI library loaded by bench/run (ctypes): it times SparseNN's and
// upstream MLIR's AOT-compiled entry points and the peer implementations
// (Eigen, OpenBLAS, a plain CSR loop, a STREAM triad) in the same process,
// so every number of one case comes from the same run. Each function runs
// once to warm up, then `reps` times, and writes {median, min} in ms.
//
//===----------------------------------------------------------------------===//

#include <Eigen/Dense>
#include <Eigen/SparseCore>
#include <algorithm>
#include <array>
#include <cblas.h>
#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <thread>
#include <type_traits>
#include <utility>
#include <vector>

namespace {

template <typename Fn> void timeIt(Fn &&fn, int reps, double *stats) {
  fn();
  std::vector<double> ms;
  for (int r = 0; r < reps; ++r) {
    auto t0 = std::chrono::steady_clock::now();
    fn();
    auto t1 = std::chrono::steady_clock::now();
    ms.push_back(std::chrono::duration<double, std::milli>(t1 - t0).count());
  }
  std::sort(ms.begin(), ms.end());
  stats[0] = ms[ms.size() / 2];
  stats[1] = ms.front();
}

using RowMajorCsr = Eigen::SparseMatrix<float, Eigen::RowMajor, int32_t>;
using RowMatrix =
    Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;

constexpr int kMaxArgs = 16;
using Caller = void (*)(void *, void **);

template <size_t... I>
void callWith(void *fn, void **args, std::index_sequence<I...>) {
  using Fn = void (*)(std::conditional_t<true, void *, decltype(I)>...);
  reinterpret_cast<Fn>(fn)(args[I]...);
}

template <size_t N> void callN(void *fn, void **args) {
  callWith(fn, args, std::make_index_sequence<N>());
}

template <size_t... N>
std::array<Caller, sizeof...(N)> callers(std::index_sequence<N...>) {
  return {&callN<N>...};
}

} // namespace

extern "C" {

/// Calls the `_mlir_ciface_` entry point `fn` whose parameters are `nargs`
/// (at most 16) descriptor pointers, the first being the result descriptor;
/// frees every result but the last call's, which the caller checks and frees.
void snnb_time_ciface(void *fn, int nargs, void **args, int reps,
                      double *stats) {
  if (nargs < 1 || nargs > kMaxArgs)
    std::abort();
  Caller call = callers(std::make_index_sequence<kMaxArgs + 1>())[nargs];
  bool first = true;
  timeIt(
      [&]() {
        if (!first)
          free(*static_cast<void **>(args[0]));
        first = false;
        call(fn, args);
      },
      reps, stats);
}

/// Y^T [M, N] = W (CSR) * X^T [K, N], both dense operands row-major: the
/// layout Eigen's sparse-times-dense product is fastest with (it adds whole
/// rows of X^T per nonzero, vectorized over N); with column-major operands
/// it runs N sparse matrix-vector products (measured at 1024x1024, N=64:
/// 4.20 ms instead of 0.47 ms at 90% sparsity, 20.6 instead of 1.97 at 50%;
/// the two numbers of each pair come from different runs of bench/run).
void snnb_eigen_spmm(int m, int k, int n, int nnz, const int32_t *pos,
                     const int32_t *crd, const float *val, const float *xt,
                     float *yt, int reps, double *stats) {
  Eigen::Map<const RowMajorCsr> w(m, k, nnz, pos, crd, val);
  if (n == 1) {
    // Sparse times vector: Eigen's row-major one-column matrix product is
    // far slower (16384x16384 at 90%: 82 ms).
    Eigen::Map<const Eigen::VectorXf> b(xt, k);
    Eigen::Map<Eigen::VectorXf> c(yt, m);
    timeIt([&]() { c.noalias() = w * b; }, reps, stats);
    return;
  }
  Eigen::Map<const RowMatrix> b(xt, k, n);
  Eigen::Map<RowMatrix> c(yt, m, n);
  timeIt([&]() { c.noalias() = w * b; }, reps, stats);
}

/// OpenBLAS's thread count (bench/run sets 1 and records it with the results).
int snnb_blas_threads() { return openblas_get_num_threads(); }

/// y = x * W^T with dense W [M, K] through OpenBLAS sgemm.
void snnb_sgemm(int m, int k, int n, const float *w, const float *x, float *y,
                int reps, double *stats) {
  timeIt(
      [&]() {
        cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, n, m, k, 1.0f, x,
                    k, w, k, 0.0f, y, m);
      },
      reps, stats);
}

/// The plain CSR loop a user would write for C = W B with B = x^T [K, N]:
/// for each stored w[i, k], C[i, :] += w * B[k, :] (the compiler vectorizes
/// the inner loop over N; C's row is loaded and stored per entry).
void snnb_plain_csr(int m, int k, int n, const int32_t *pos, const int32_t *crd,
                    const float *val, const float *xt, float *yt, int reps,
                    double *stats) {
  (void)k;
  if (n == 1) {
    // A matrix-vector product: a dot product per row.
    timeIt(
        [&]() {
          for (int i = 0; i < m; ++i) {
            float acc = 0.0f;
            for (int32_t p = pos[i]; p < pos[i + 1]; ++p)
              acc += val[p] * xt[crd[p]];
            yt[i] = acc;
          }
        },
        reps, stats);
    return;
  }
  timeIt(
      [&]() {
        for (int i = 0; i < m; ++i) {
          float *__restrict c = yt + static_cast<size_t>(i) * n;
          for (int j = 0; j < n; ++j)
            c[j] = 0.0f;
          for (int32_t p = pos[i]; p < pos[i + 1]; ++p) {
            const float *__restrict b = xt + static_cast<size_t>(crd[p]) * n;
            float v = val[p];
            for (int j = 0; j < n; ++j)
              c[j] += v * b[j];
          }
        }
      },
      reps, stats);
}

/// STREAM triad a[i] = b[i] + s * c[i] over `n` floats on `threads`
/// threads (contiguous chunks); returns the best bandwidth in GB/s (12 bytes
/// per element: two loads and a store).
double snnb_stream_triad(int64_t n, int reps, int threads) {
  std::vector<float> a(n, 0.0f), b(n, 1.0f), c(n, 2.0f);
  auto triad = [&](int64_t begin, int64_t end) {
    float *__restrict pa = a.data();
    const float *__restrict pb = b.data();
    const float *__restrict pc = c.data();
    for (int64_t i = begin; i < end; ++i)
      pa[i] = pb[i] + 3.0f * pc[i];
  };
  double stats[2];
  timeIt(
      [&]() {
        std::vector<std::thread> pool;
        int64_t chunk = (n + threads - 1) / threads;
        for (int t = 1; t < threads; ++t)
          pool.emplace_back(triad, std::min(n, t * chunk),
                            std::min(n, (t + 1) * chunk));
        triad(0, std::min(n, chunk));
        for (std::thread &t : pool)
          t.join();
      },
      reps, stats);
  return 12.0 * static_cast<double>(n) / (stats[1] * 1e6);
}

/// A read-only stream: the sum of `n` floats (64 independent partial sums,
/// so the loop vectorizes without reassociation); returns the best
/// bandwidth in GB/s (4 bytes per element). A matrix-vector product only
/// reads its big arrays, so this is the other bound bench/run reports.
double snnb_stream_read(int64_t n, int reps) {
  constexpr int64_t kLanes = 64;
  n = n / kLanes * kLanes;
  std::vector<float> a(n, 1.0f);
  double stats[2];
  volatile float sink = 0.0f;
  timeIt(
      [&]() {
        float acc[kLanes] = {};
        const float *__restrict pa = a.data();
        for (int64_t i = 0; i < n; i += kLanes)
          for (int64_t j = 0; j < kLanes; ++j)
            acc[j] += pa[i + j];
        float total = 0.0f;
        for (float v : acc)
          total += v;
        sink = total;
      },
      reps, stats);
  (void)sink;
  return 4.0 * static_cast<double>(n) / (stats[1] * 1e6);
}
}
