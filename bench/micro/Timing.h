// The timing helpers of the hand-written micro benchmarks in bench/micro/:
// wall-clock seconds, and the best of `reps` runs of a function (the min is
// the least disturbed run on a shared, noisy machine).
#ifndef SPARSENN_BENCH_MICRO_TIMING_H
#define SPARSENN_BENCH_MICRO_TIMING_H

#include <algorithm>
#include <chrono>

static inline double now() {
  return std::chrono::duration<double>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

template <class F> double best(F f, int reps = 21) {
  double b = 1e9;
  for (int r = 0; r < reps; r++) {
    double t = now();
    f();
    t = now() - t;
    b = std::min(b, t);
  }
  return b;
}

#endif // SPARSENN_BENCH_MICRO_TIMING_H
