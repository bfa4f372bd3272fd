// CSR matrix-vector variants by hand (x gathered by coordinate): AVX-512
// gathers, scalar loads through a stack buffer, lane inserts, and half and
// half; rows x cols at a density, 32-bit coordinates. Issue 5 notes. Build:
//   g++ -O3 -march=native bench/micro/spmv_variants.cpp -o /tmp/spmv
// Run: /tmp/spmv 16384 0.1 (all columns), /tmp/spmv 16384 0.4 4096 (an x of
// 4096 columns, in L1). 2026-11-27, Zen 5, 16384x16384 at 10%: gather
// 9.6-10.3 ms, stack buffer 9.9-11.8, inserts 9.6-11.7, mix 9.5-10.8 (the
// generated kernel: 8.2-8.6); with x in L1: gather 8.3, inserts 7.4, mix 7.1.
#include "Timing.h"
#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <immintrin.h>
#include <random>
#include <vector>
int main(int argc, char **argv) {
  int n = atoi(argv[1]);
  double dens = argc > 2 ? atof(argv[2]) : 0.1;
  int ncol = argc > 3 ? atoi(argv[3]) : n;
  std::mt19937 rng(1);
  std::vector<int32_t> pos(n + 1);
  std::vector<uint32_t> crd;
  std::vector<float> val;
  for (int i = 0; i < n; i++) {
    pos[i] = crd.size();
    for (int j = 0; j < ncol; j++)
      if ((rng() % 1000) < dens * 1000) {
        crd.push_back(j);
        val.push_back(1.0f + (rng() % 7));
      }
  }
  pos[n] = crd.size();
  size_t nnz = crd.size();
  crd.resize(nnz + 64);
  val.resize(nnz + 64);
  std::vector<float> x(n), y(n), yr(n);
  for (int i = 0; i < n; i++)
    x[i] = (i % 13) * 0.25f;
  const float *__restrict xp = x.data();
  const float *__restrict vp = val.data();
  const uint32_t *__restrict cp = crd.data();
  for (int i = 0; i < n; i++) {
    double s = 0;
    for (int p = pos[i]; p < pos[i + 1]; p++)
      s += val[p] * x[crd[p]];
    yr[i] = s;
  }
  auto chk = [&](const char *nm, double t) {
    double e = 0;
    for (int i = 0; i < n; i++)
      e = std::max(e, (double)fabsf(y[i] - yr[i]) / (1 + fabsf(yr[i])));
    size_t bytes = nnz * 8 + 4 * (n + 1) + 8 * n;
    printf("%-10s %.3f ms %.2f Gnnz/s %.1f GB/s err %.1e\n", nm, t * 1e3,
           nnz / t / 1e9, bytes / t / 1e9, e);
  };
  constexpr int PF = 1024;
  // The weight streams PF entries ahead, as the generated kernel does.
  auto prefetch = [&](int p) {
    for (int l = 0; l < 64; l += 16) {
      _mm_prefetch((const char *)(vp + p + PF + l), _MM_HINT_T0);
      _mm_prefetch((const char *)(cp + p + PF + l), _MM_HINT_T0);
    }
  };
  auto gath = [&] {
    for (int i = 0; i < n; i++) {
      __m512 a0 = _mm512_setzero_ps(), a1 = a0, a2 = a0, a3 = a0;
      int p = pos[i], e = pos[i + 1];
      for (; p + 64 <= e; p += 64) {
        prefetch(p);
#define S(u, a)                                                                \
  {                                                                            \
    __m512i c = _mm512_loadu_si512(&cp[p + 16 * u]);                           \
    __m512 g = _mm512_i32gather_ps(c, xp, 4);                                  \
    a = _mm512_fmadd_ps(_mm512_loadu_ps(&vp[p + 16 * u]), g, a);               \
  }
        S(0, a0) S(1, a1) S(2, a2) S(3, a3)
      }
      float s = _mm512_reduce_add_ps(
          _mm512_add_ps(_mm512_add_ps(a0, a1), _mm512_add_ps(a2, a3)));
      for (; p < e; p++)
        s += vp[p] * xp[cp[p]];
      y[i] = s;
    }
  };
  // scalar loads into a vector via a stack buffer
  auto buf = [&] {
    alignas(64) float tmp[64];
    for (int i = 0; i < n; i++) {
      __m512 a0 = _mm512_setzero_ps(), a1 = a0, a2 = a0, a3 = a0;
      int p = pos[i], e = pos[i + 1];
      for (; p + 64 <= e; p += 64) {
        prefetch(p);
        for (int k = 0; k < 64; k++)
          tmp[k] = xp[cp[p + k]];
        a0 = _mm512_fmadd_ps(_mm512_loadu_ps(&vp[p]), _mm512_load_ps(tmp), a0);
        a1 = _mm512_fmadd_ps(_mm512_loadu_ps(&vp[p + 16]),
                             _mm512_load_ps(tmp + 16), a1);
        a2 = _mm512_fmadd_ps(_mm512_loadu_ps(&vp[p + 32]),
                             _mm512_load_ps(tmp + 32), a2);
        a3 = _mm512_fmadd_ps(_mm512_loadu_ps(&vp[p + 48]),
                             _mm512_load_ps(tmp + 48), a3);
      }
      float s = _mm512_reduce_add_ps(
          _mm512_add_ps(_mm512_add_ps(a0, a1), _mm512_add_ps(a2, a3)));
      for (; p < e; p++)
        s += vp[p] * xp[cp[p]];
      y[i] = s;
    }
  };
  // inserts
  auto ins = [&] {
    for (int i = 0; i < n; i++) {
      __m512 a0 = _mm512_setzero_ps(), a1 = a0, a2 = a0, a3 = a0;
      int p = pos[i], e = pos[i + 1];
      for (; p + 64 <= e; p += 64) {
        prefetch(p);
#define Q(o) _mm_set_ps(xp[cp[o + 3]], xp[cp[o + 2]], xp[cp[o + 1]], xp[cp[o]])
#define Z(o)                                                                   \
  _mm512_insertf32x4(                                                          \
      _mm512_insertf32x4(                                                      \
          _mm512_insertf32x4(_mm512_castps128_ps512(Q(o)), Q(o + 4), 1),       \
          Q(o + 8), 2),                                                        \
      Q(o + 12), 3)
        a0 = _mm512_fmadd_ps(_mm512_loadu_ps(&vp[p]), Z(p), a0);
        a1 = _mm512_fmadd_ps(_mm512_loadu_ps(&vp[p + 16]), Z(p + 16), a1);
        a2 = _mm512_fmadd_ps(_mm512_loadu_ps(&vp[p + 32]), Z(p + 32), a2);
        a3 = _mm512_fmadd_ps(_mm512_loadu_ps(&vp[p + 48]), Z(p + 48), a3);
      }
      float s = _mm512_reduce_add_ps(
          _mm512_add_ps(_mm512_add_ps(a0, a1), _mm512_add_ps(a2, a3)));
      for (; p < e; p++)
        s += vp[p] * xp[cp[p]];
      y[i] = s;
    }
  };
  // mix: 2 gathers + 2 insert-built
  auto mix = [&] {
    for (int i = 0; i < n; i++) {
      __m512 a0 = _mm512_setzero_ps(), a1 = a0, a2 = a0, a3 = a0;
      int p = pos[i], e = pos[i + 1];
      for (; p + 64 <= e; p += 64) {
        prefetch(p);
        S(0, a0)
        a1 = _mm512_fmadd_ps(_mm512_loadu_ps(&vp[p + 16]), Z(p + 16), a1);
        S(2, a2)
        a3 = _mm512_fmadd_ps(_mm512_loadu_ps(&vp[p + 48]), Z(p + 48), a3);
      }
      float s = _mm512_reduce_add_ps(
          _mm512_add_ps(_mm512_add_ps(a0, a1), _mm512_add_ps(a2, a3)));
      for (; p < e; p++)
        s += vp[p] * xp[cp[p]];
      y[i] = s;
    }
  };
  chk("gather", best(gath, 9));
  chk("stackbuf", best(buf, 9));
  chk("inserts", best(ins, 9));
  chk("mix", best(mix, 9));
}
