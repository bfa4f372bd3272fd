// CSR matrix-vector products in column panels (csr-tiled: every panel of P
// columns a CSR of its own, 16-bit coordinates, panel after panel over all
// rows), x fetched four ways: zmm gathers (g4), one gather and three vectors
// of scalar loads (g1i3), scalar loads only (i4), and scalar loads whose
// coordinates come 64 bits (four) at a time (j4). Issue 5 notes: the design
// of snn-sparse-kernels' matrix-vector rows with gather=false. Build:
//   g++ -O3 -march=native bench/micro/spmv_panels.cpp -o /tmp/spmv_panels
// Run: /tmp/spmv_panels 16384 0.1 8192 (rows = columns, density, panel).
// 2026-11-27, Zen 5, 16384x16384 at 10%, ms (best of 9, two runs):
//   panel 16384 (x 64 KiB, from L2): g4 9.74-9.82, g1i3 8.34-8.36,
//                                    i4 8.42-8.61, j4 8.33-8.35
//   panel 8192 (32 KiB, in L1):      g4 8.79-8.81, g1i3 6.75-6.83,
//                                    i4 7.09-7.12, j4 6.22-6.35
//   panel 4096 (16 KiB):             g4 8.83-9.05, g1i3 6.87-6.89,
//                                    i4 6.64-6.79, j4 5.98-6.02
// The generated kernel (j4's loads, panels of 8192, the weight chosen by
// format selection) runs 5.6-5.8 ms; there panels of 4096 took 5.67-5.95
// against 5.61-5.85 for 8192, so the selection keeps 32 KiB panels. An
// earlier version of this loop with 32-bit coordinates in panels of 4096
// took 7.3 ms with scalar loads: the narrower coordinates matter as much as
// the loads.
#include "Timing.h"
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <immintrin.h>
#include <random>
#include <vector>

static int n, P, NP;
static std::vector<int32_t> pos;
static std::vector<uint16_t> crd;
static std::vector<float> val, x, y, yr;
static size_t nnz;

static void check(const char *name, double t) {
  double e = 0;
  for (int i = 0; i < n; i++)
    e = std::max(e, (double)fabsf(y[i] - yr[i]) / (1 + fabsf(yr[i])));
  printf("%-5s %.3f ms %.2f G nonzeros/s err %.1e\n", name, t * 1e3,
         nnz / t / 1e9, e);
}

constexpr int PF = 1024; // entries ahead the weight streams are prefetched

// The four ways to build one vector of x for entries p .. p+15.
static inline __m512 gather16(const float *xp, const uint16_t *cp, int p) {
  __m512i c =
      _mm512_cvtepu16_epi32(_mm256_loadu_si256((const __m256i *)&cp[p]));
  return _mm512_i32gather_ps(c, xp, 4);
}
static inline __m128 scalar4(const float *xp, const uint16_t *cp, int p) {
  return _mm_set_ps(xp[cp[p + 3]], xp[cp[p + 2]], xp[cp[p + 1]], xp[cp[p]]);
}
static inline __m128 word4(const float *xp, const uint16_t *cp, int p) {
  uint64_t q;
  __builtin_memcpy(&q, &cp[p], 8);
  return _mm_set_ps(xp[(uint16_t)(q >> 48)], xp[(uint16_t)(q >> 32)],
                    xp[(uint16_t)(q >> 16)], xp[(uint16_t)q]);
}
template <class F>
static inline __m512 build16(F f, const float *xp, const uint16_t *cp, int p) {
  __m512 v = _mm512_castps128_ps512(f(xp, cp, p));
  v = _mm512_insertf32x4(v, f(xp, cp, p + 4), 1);
  v = _mm512_insertf32x4(v, f(xp, cp, p + 8), 2);
  return _mm512_insertf32x4(v, f(xp, cp, p + 12), 3);
}

// kind: 0 g4, 1 g1i3, 2 i4, 3 j4.
template <int kind> static void kernel() {
  const float *__restrict vp = val.data();
  const uint16_t *__restrict cp = crd.data();
  for (int j = 0; j < NP; j++) {
    const float *__restrict xp = x.data() + (size_t)j * P;
    for (int i = 0; i < n; i++) {
      __m512 a[4] = {_mm512_setzero_ps(), _mm512_setzero_ps(),
                     _mm512_setzero_ps(), _mm512_setzero_ps()};
      int p = pos[(size_t)j * n + i], e = pos[(size_t)j * n + i + 1];
      for (; p + 64 <= e; p += 64) {
        for (int l = 0; l < 64; l += 16)
          _mm_prefetch((const char *)(vp + p + PF + l), _MM_HINT_T0);
        for (int l = 0; l < 64; l += 32)
          _mm_prefetch((const char *)(cp + p + PF + l), _MM_HINT_T0);
#pragma GCC unroll 4
        for (int u = 0; u < 4; u++) {
          int q = p + 16 * u;
          __m512 xv = kind == 0 || (kind == 1 && u == 0) ? gather16(xp, cp, q)
                      : kind == 3 ? build16(word4, xp, cp, q)
                                  : build16(scalar4, xp, cp, q);
          a[u] = _mm512_fmadd_ps(_mm512_loadu_ps(&vp[q]), xv, a[u]);
        }
      }
      float s = _mm512_reduce_add_ps(
          _mm512_add_ps(_mm512_add_ps(a[0], a[1]), _mm512_add_ps(a[2], a[3])));
      for (; p < e; p++)
        s += vp[p] * xp[cp[p]];
      y[i] = j ? y[i] + s : s;
    }
  }
}

int main(int argc, char **argv) {
  if (argc < 4) {
    fprintf(stderr, "usage: %s N DENSITY PANEL\n", argv[0]);
    return 1;
  }
  n = atoi(argv[1]);
  double dens = atof(argv[2]);
  P = atoi(argv[3]);
  NP = (n + P - 1) / P;
  std::mt19937 rng(1);
  std::vector<std::vector<std::pair<int, float>>> rows(n);
  for (int i = 0; i < n; i++)
    for (int c = 0; c < n; c++)
      if ((rng() % 1000) < dens * 1000)
        rows[i].push_back({c, 1.0f + (rng() % 7)});
  x.resize((size_t)NP * P, 0.0f);
  y.assign(n, 0);
  yr.resize(n);
  for (int i = 0; i < n; i++)
    x[i] = (i % 13) * 0.25f;
  for (int i = 0; i < n; i++) {
    double s = 0;
    for (auto &[c, v] : rows[i])
      s += v * x[c];
    yr[i] = s;
  }
  for (int jp = 0; jp < NP; jp++)
    for (int i = 0; i < n; i++) {
      pos.push_back(crd.size());
      for (auto &[c, v] : rows[i])
        if (c / P == jp) {
          crd.push_back(c % P);
          val.push_back(v);
        }
    }
  pos.push_back(crd.size());
  nnz = crd.size();
  crd.resize(nnz + 2 * PF);
  val.resize(nnz + 2 * PF);
  for (int r = 0; r < 2; r++) {
    check("g4", best(kernel<0>, 9));
    check("g1i3", best(kernel<1>, 9));
    check("i4", best(kernel<2>, 9));
    check("j4", best(kernel<3>, 9));
  }
}
