// Gather against scalar loads from L1 on this CPU: the ceiling of a CSR
// matrix-vector row (one load of x per stored entry). Issue 5 notes. Build:
//   g++ -O2 -march=native -fno-tree-vectorize bench/micro/gather.cpp \
//     -o /tmp/gather
// Prints G elements/s for zmm and ymm gathers and for scalar index+table
// loads (2026-11-27, Zen 5: zmm 3.34-3.40, ymm 2.54-2.61, scalar 4.79-4.84).
#include "Timing.h"
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <immintrin.h>
alignas(64) float tab[4096];
alignas(64) int idx[4096];
int main() {
  for (int i = 0; i < 4096; i++) {
    tab[i] = 1;
    idx[i] = (i * 2654435761u) % 4096;
  }
  long iters = 20000000;
  {
    double t = now();
    __m512 a0 = _mm512_setzero_ps(), a1 = a0, a2 = a0, a3 = a0;
    for (long i = 0; i < iters; i++) {
      int o = (i * 64) & 4095;
      a0 = _mm512_add_ps(
          a0, _mm512_i32gather_ps(_mm512_load_si512(idx + o), tab, 4));
      a1 = _mm512_add_ps(
          a1, _mm512_i32gather_ps(_mm512_load_si512(idx + o + 16), tab, 4));
      a2 = _mm512_add_ps(
          a2, _mm512_i32gather_ps(_mm512_load_si512(idx + o + 32), tab, 4));
      a3 = _mm512_add_ps(
          a3, _mm512_i32gather_ps(_mm512_load_si512(idx + o + 48), tab, 4));
    }
    t = now() - t;
    volatile float s = _mm512_reduce_add_ps(a0 + a1 + a2 + a3);
    printf("zmm gather: %.2f Gelem/s, %.2f cycles/gather\n",
           iters * 64 / t / 1e9, t * 4.18e9 / (iters * 4));
  }
  {
    double t = now();
    __m256 a0 = _mm256_setzero_ps(), a1 = a0, a2 = a0, a3 = a0;
    for (long i = 0; i < iters; i++) {
      int o = (i * 32) & 4095;
      a0 = _mm256_add_ps(
          a0,
          _mm256_i32gather_ps(tab, _mm256_load_si256((__m256i *)(idx + o)), 4));
      a1 = _mm256_add_ps(
          a1, _mm256_i32gather_ps(
                  tab, _mm256_load_si256((__m256i *)(idx + o + 8)), 4));
      a2 = _mm256_add_ps(
          a2, _mm256_i32gather_ps(
                  tab, _mm256_load_si256((__m256i *)(idx + o + 16)), 4));
      a3 = _mm256_add_ps(
          a3, _mm256_i32gather_ps(
                  tab, _mm256_load_si256((__m256i *)(idx + o + 24)), 4));
    }
    t = now() - t;
    volatile float s = a0[0] + a1[0] + a2[0] + a3[0];
    printf("ymm gather: %.2f Gelem/s, %.2f cycles/gather\n",
           iters * 32 / t / 1e9, t * 4.18e9 / (iters * 4));
  }
  {
    double t = now();
    float a0 = 0, a1 = 0, a2 = 0, a3 = 0, a4 = 0, a5 = 0, a6 = 0, a7 = 0;
    for (long i = 0; i < iters; i++) {
      int o = (i * 8) & 4095;
      a0 += tab[idx[o]];
      a1 += tab[idx[o + 1]];
      a2 += tab[idx[o + 2]];
      a3 += tab[idx[o + 3]];
      a4 += tab[idx[o + 4]];
      a5 += tab[idx[o + 5]];
      a6 += tab[idx[o + 6]];
      a7 += tab[idx[o + 7]];
    }
    t = now() - t;
    volatile float s = a0 + a1 + a2 + a3 + a4 + a5 + a6 + a7;
    printf("scalar: %.2f Gelem/s\n", iters * 8 / t / 1e9);
  }
}
