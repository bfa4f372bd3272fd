// CSR SpMM by hand (4096x4096 at 90%, N = 64): prefetching the rows of B
// that the entry D places on will read (L of its 4 cache lines). Issue 5
// notes; the generated kernel prefetches 16 ahead, all lines. Build and run:
//   g++ -O3 -march=native bench/micro/spmm_prefetch.cpp -o /tmp/pf && /tmp/pf
// 2026-11-27, Zen 5: none 2.51-2.59 ms; D=8 2.38-2.50; D=16 2.26-2.39;
// D=32 2.34-2.44.
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
int n = 4096;
const int N = 64;
std::vector<int32_t> pos, crd;
std::vector<float> val;
float *B, *C;
template <int D, int LINES> void run(const char *nm) {
  auto f = [&] {
    for (int i = 0; i < n; i++) {
      __m512 c0 = _mm512_setzero_ps(), c1 = c0, c2 = c0, c3 = c0, d0 = c0,
             d1 = c0, d2 = c0, d3 = c0;
      int p = pos[i], e = pos[i + 1];
      for (; p + 1 < e; p += 2) {
        if (D) {
          const char *q = (const char *)(B + (size_t)crd[p + D] * N);
          for (int l = 0; l < LINES; l++)
            _mm_prefetch(q + 64 * l, _MM_HINT_T0);
          q = (const char *)(B + (size_t)crd[p + D + 1] * N);
          for (int l = 0; l < LINES; l++)
            _mm_prefetch(q + 64 * l, _MM_HINT_T0);
        }
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
      float *c = C + (size_t)i * N;
      _mm512_store_ps(c, c0 + d0);
      _mm512_store_ps(c + 16, c1 + d1);
      _mm512_store_ps(c + 32, c2 + d2);
      _mm512_store_ps(c + 48, c3 + d3);
    }
  };
  double t = best(f);
  size_t nnz = crd.size() - 64;
  printf("%-12s D=%2d L=%d %.3f ms %.1f GF\n", nm, D, LINES, t * 1e3,
         2.0 * nnz * N / t / 1e9);
}
int main(int argc, char **argv) {
  double dens = 0.1;
  std::mt19937 rng(1);
  pos.resize(n + 1);
  for (int i = 0; i < n; i++) {
    pos[i] = crd.size();
    for (int j = 0; j < n; j++)
      if ((rng() % 1000) < dens * 1000) {
        crd.push_back(j);
        val.push_back(1.0f + (rng() % 7));
      }
  }
  pos[n] = crd.size();
  for (int i = 0; i < 64; i++) {
    crd.push_back(0);
    val.push_back(0);
  }
  B = (float *)aligned_alloc(64, (size_t)n * N * 4);
  C = (float *)aligned_alloc(64, (size_t)n * N * 4);
  for (size_t i = 0; i < (size_t)n * N; i++)
    B[i] = (i % 7) * 0.5f;
  for (int r = 0; r < 2; r++) {
    run<0, 0>("none");
    run<4, 4>("pf");
    run<8, 4>("pf");
    run<16, 4>("pf");
    run<8, 2>("pf");
    run<16, 2>("pf");
    run<32, 4>("pf");
  }
}
