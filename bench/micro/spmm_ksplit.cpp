// CSR SpMM by hand (4096x4096 at 90%, N = 64, B rows of 256 bytes): one
// pass over the rows against the rows split into P column panels at run
// time (binary search per row), so each panel's rows of B stay closer in
// cache. Issue 5 notes (the dense-OpenBLAS target). Build and run:
//   g++ -O3 -march=native bench/micro/spmm_ksplit.cpp -o /tmp/ksplit
//   for p in 2 4 8 16; do /tmp/ksplit $p; done
// 2026-11-27, Zen 5 (split included): unsplit 2.47-2.62 ms; P=2 2.39-2.81
// (even, within noise), P=4 3.0-3.5,
// P=8 3.5, P=16 5.2 (with row tiles of 256 rows: similar).
#include "Timing.h"
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <immintrin.h>
#include <random>
#include <vector>
int main(int argc, char **argv) {
  int n = 4096;
  const int N = 64;
  double dens = 0.1;
  std::mt19937 rng(1);
  std::vector<int32_t> pos(n + 1), crd;
  std::vector<float> val;
  for (int i = 0; i < n; i++) {
    pos[i] = crd.size();
    for (int j = 0; j < n; j++)
      if ((rng() % 1000) < dens * 1000) {
        crd.push_back(j);
        val.push_back(1.0f + (rng() % 7));
      }
  }
  pos[n] = crd.size();
  size_t nnz = crd.size();
  float *B = (float *)aligned_alloc(64, (size_t)n * N * 4);
  float *C = (float *)aligned_alloc(64, (size_t)n * N * 4);
  for (size_t i = 0; i < (size_t)n * N; i++)
    B[i] = (i % 7) * 0.5f;
  auto rowk = [&](int i, int p, int e, __m512 &c0, __m512 &c1, __m512 &c2,
                  __m512 &c3) {
    __m512 d0 = _mm512_setzero_ps(), d1 = d0, d2 = d0, d3 = d0;
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
    c0 += d0;
    c1 += d1;
    c2 += d2;
    c3 += d3;
  };
  auto plain = [&] {
    for (int i = 0; i < n; i++) {
      __m512 c0 = _mm512_setzero_ps(), c1 = c0, c2 = c0, c3 = c0;
      rowk(i, pos[i], pos[i + 1], c0, c1, c2, c3);
      float *c = C + (size_t)i * N;
      _mm512_store_ps(c, c0);
      _mm512_store_ps(c + 16, c1);
      _mm512_store_ps(c + 32, c2);
      _mm512_store_ps(c + 48, c3);
    }
  };
  int P = argc > 1 ? atoi(argv[1]) : 4;
  int T = n / P;
  std::vector<int32_t> split((size_t)n * (P + 1));
  auto mksplit = [&] {
    for (int i = 0; i < n; i++) {
      split[(size_t)i * (P + 1)] = pos[i];
      for (int q = 1; q < P; q++)
        split[(size_t)i * (P + 1) + q] =
            std::lower_bound(crd.begin() + pos[i], crd.begin() + pos[i + 1],
                             q * T) -
            crd.begin();
      split[(size_t)i * (P + 1) + P] = pos[i + 1];
    }
  };
  auto tiled = [&] {
    mksplit();
    for (int q = 0; q < P; q++)
      for (int i = 0; i < n; i++) {
        float *c = C + (size_t)i * N;
        __m512 c0, c1, c2, c3;
        if (q == 0) {
          c0 = _mm512_setzero_ps();
          c1 = c0;
          c2 = c0;
          c3 = c0;
        } else {
          c0 = _mm512_load_ps(c);
          c1 = _mm512_load_ps(c + 16);
          c2 = _mm512_load_ps(c + 32);
          c3 = _mm512_load_ps(c + 48);
        }
        rowk(i, split[(size_t)i * (P + 1) + q],
             split[(size_t)i * (P + 1) + q + 1], c0, c1, c2, c3);
        _mm512_store_ps(c, c0);
        _mm512_store_ps(c + 16, c1);
        _mm512_store_ps(c + 32, c2);
        _mm512_store_ps(c + 48, c3);
      }
  };
  // row tiles of 64 rows x panels (like kRowTile)
  auto tiled2 = [&] {
    mksplit();
    for (int i0 = 0; i0 < n; i0 += 256)
      for (int q = 0; q < P; q++)
        for (int i = i0; i < i0 + 256; i++) {
          float *c = C + (size_t)i * N;
          __m512 c0, c1, c2, c3;
          if (q == 0) {
            c0 = _mm512_setzero_ps();
            c1 = c0;
            c2 = c0;
            c3 = c0;
          } else {
            c0 = _mm512_load_ps(c);
            c1 = _mm512_load_ps(c + 16);
            c2 = _mm512_load_ps(c + 32);
            c3 = _mm512_load_ps(c + 48);
          }
          rowk(i, split[(size_t)i * (P + 1) + q],
               split[(size_t)i * (P + 1) + q + 1], c0, c1, c2, c3);
          _mm512_store_ps(c, c0);
          _mm512_store_ps(c + 16, c1);
          _mm512_store_ps(c + 32, c2);
          _mm512_store_ps(c + 48, c3);
        }
  };
  double t0 = best(plain, 15);
  std::vector<float> ref(C, C + (size_t)n * N);
  double t1 = best(tiled, 15);
  double e = 0;
  for (size_t i = 0; i < (size_t)n * N; i++)
    e = std::max(e, (double)fabsf(C[i] - ref[i]));
  double t2 = best(tiled2, 15);
  double ts = best(mksplit, 15);
  printf("nnz %zu plain %.3f ms (%.1f GF)  ksplit P=%d %.3f ms  rowtile+ksplit "
         "%.3f ms  (split alone %.3f ms) err %g\n",
         nnz, t0 * 1e3, 2.0 * nnz * N / t0 / 1e9, P, t1 * 1e3, t2 * 1e3,
         ts * 1e3, e);
}
