#!/usr/bin/env bash
# Builds the libFuzzer targets with clang-22 (ASan + UBSan) and runs each for
# a bounded time from its committed seed corpus. Usage: scripts/fuzz.sh [SECONDS]
# (default 60 per target). A crash leaves its input in build/fuzz/ and fails.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
SECONDS_PER_TARGET="${1:-60}"
OUT="${SPARSENN_BUILD_DIR:-$ROOT/build}/fuzz"
mkdir -p "$OUT/corpus-readers"

# The .npy / .mtx readers of runtime/ (sparse-runner's inputs).
clang++-22 -std=c++17 -g -O1 -fsanitize=fuzzer,address,undefined \
  -fno-sanitize-recover=undefined -I"$ROOT/runtime/include" \
  "$ROOT/runtime/fuzz/FuzzReaders.cpp" "$ROOT/runtime/lib/IO.cpp" \
  -o "$OUT/fuzz-readers"
cp "$ROOT"/runtime/fuzz/corpus/* "$OUT/corpus-readers/"
cd "$OUT"
rm -f crash-* leak-* timeout-* oom-*
echo "== fuzz-readers for ${SECONDS_PER_TARGET}s"
./fuzz-readers corpus-readers -max_total_time="$SECONDS_PER_TARGET" \
  -max_len=4096 -print_final_stats=1 2>&1 | grep -E "^(stat::number_of_executed_units|Done|==.*ERROR|SUMMARY)" || true
# libFuzzer leaves each failing input as crash-*, leak-*, timeout-* or oom-*.
failures=$(find . -maxdepth 1 \( -name 'crash-*' -o -name 'leak-*' -o -name 'timeout-*' -o -name 'oom-*' \) | wc -l)
if [ "$failures" -gt 0 ]; then
  echo "fuzzing found $failures failing input(s) in $OUT" >&2
  exit 1
fi
