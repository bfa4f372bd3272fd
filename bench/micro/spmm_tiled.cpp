// CSR SpMM by hand on a weight stored as CSR of panels of P columns
// (csr-tiled), 4096x4096, N = 64: the panel widths and the rows per row tile
// snn-select-formats and snn-sparse-kernels use. For each row tile, for each
// panel, for each row of the tile: the row's entries in the panel into 8
// register accumulators (as the generated kernel), C's row reloaded per
// panel. Issue 5 notes. Build and run (density, rows per tile):
//   g++ -O3 -march=native bench/micro/spmm_tiled.cpp -o /tmp/t && /tmp/t 0.1
//   1024
// 2026-11-27, Zen 5, ms, all rows in one tile (P = 4096 is plain CSR):
//   density 0.05: P=4096 1.30, 2048 1.08, 1024 1.14, 512 1.10, 256 1.13,
//   128 1.50 density 0.1:  P=4096 2.59-2.63, 512 2.14, 256 1.96-2.02,
//   192 2.05-2.07,
//                 128 2.22-2.24, 64 3.04-3.07
//   density 0.2:  P=4096 5.51, 256 3.84, 192 3.74, 128 3.80, 64 4.40
//   density 0.3:  P=4096 8.31, 256 5.85, 128 5.41, 64 5.63
//   density 0.5:  P=4096 15.3, 256 10.0, 128 8.50, 64 8.72
// Rows per tile at density 0.1, P=256: 64 2.19-2.32, 256 2.07, 512 2.02-2.04,
// 1024 1.97-2.01, 2048 1.97.
#include "Timing.h"
#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <immintrin.h>
#include <random>
#include <vector>
int n = 4096;
const int N = 64;
float *B, *C;
int main(int argc, char **argv) {
  double dens = argc > 1 ? atof(argv[1]) : 0.1;
  std::mt19937 rng(1);
  std::vector<std::vector<std::pair<int, float>>> rows(n);
  size_t nnz = 0;
  for (int i = 0; i < n; i++)
    for (int j = 0; j < n; j++)
      if ((rng() % 1000) < dens * 1000) {
        rows[i].push_back({j, 1.0f + (rng() % 7)});
        nnz++;
      }
  B = (float *)aligned_alloc(64, (size_t)n * N * 4);
  C = (float *)aligned_alloc(64, (size_t)n * N * 4);
  for (size_t i = 0; i < (size_t)n * N; i++)
    B[i] = (i % 7) * 0.5f;
  int RT = argc > 2 ? atoi(argv[2]) : 4096;
  for (int P : {4096, 2048, 1024, 512, 256, 192, 128, 64}) {
    int np = (n + P - 1) / P;
    std::vector<int32_t> pos, crd;
    std::vector<float> val;
    for (int kt = 0; kt < np; kt++)
      for (int i = 0; i < n; i++) {
        pos.push_back(crd.size());
        for (auto [j, v] : rows[i])
          if (j / P == kt) {
            crd.push_back(j);
            val.push_back(v);
          }
      }
    pos.push_back(crd.size());
    for (int i = 0; i < 64; i++) {
      crd.push_back(0);
      val.push_back(0);
    }
    auto f = [&] {
      for (int r0 = 0; r0 < n; r0 += RT)
        for (int kt = 0; kt < np; kt++)
          for (int i = r0; i < r0 + RT; i++) {
            float *c = C + (size_t)i * N;
            __m512 c0, c1, c2, c3;
            if (kt == 0)
              c0 = c1 = c2 = c3 = _mm512_setzero_ps();
            else {
              c0 = _mm512_load_ps(c);
              c1 = _mm512_load_ps(c + 16);
              c2 = _mm512_load_ps(c + 32);
              c3 = _mm512_load_ps(c + 48);
            }
            __m512 d0 = _mm512_setzero_ps(), d1 = d0, d2 = d0, d3 = d0;
            int p = pos[kt * n + i], e = pos[kt * n + i + 1];
            for (; p + 1 < e; p += 2) {
              __m512 w = _mm512_set1_ps(val[p]);
              const float *b = B + (size_t)crd[p] * N;
              c0 = _mm512_fmadd_ps(w, _mm512_load_ps(b), c0);
              c1 = _mm512_fmadd_ps(w, _mm512_load_ps(b + 16), c1);
              c2 = _mm512_fmadd_ps(w, _mm512_load_ps(b + 32), c2);
              c3 = _mm512_fmadd_ps(w, _mm512_load_ps(b + 48), c3);
              w = _mm512_set1_ps(val[p + 1]);
              b = B + (size_t)crd[p + 1] * N;
              d0 = _mm512_fmadd_ps(w, _mm512_load_ps(b), d0);
              d1 = _mm512_fmadd_ps(w, _mm512_load_ps(b + 16), d1);
              d2 = _mm512_fmadd_ps(w, _mm512_load_ps(b + 32), d2);
              d3 = _mm512_fmadd_ps(w, _mm512_load_ps(b + 48), d3);
            }
            for (; p < e; p++) {
              __m512 w = _mm512_set1_ps(val[p]);
              const float *b = B + (size_t)crd[p] * N;
              c0 = _mm512_fmadd_ps(w, _mm512_load_ps(b), c0);
              c1 = _mm512_fmadd_ps(w, _mm512_load_ps(b + 16), c1);
              c2 = _mm512_fmadd_ps(w, _mm512_load_ps(b + 32), c2);
              c3 = _mm512_fmadd_ps(w, _mm512_load_ps(b + 48), c3);
            }
            _mm512_store_ps(c, c0 + d0);
            _mm512_store_ps(c + 16, c1 + d1);
            _mm512_store_ps(c + 32, c2 + d2);
            _mm512_store_ps(c + 48, c3 + d3);
          }
    };
    double t = best(f);
    printf("P=%4d %.3f ms %.1f GF\n", P, t * 1e3, 2.0 * nnz * N / t / 1e9);
  }
}
