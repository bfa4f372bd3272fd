#!/usr/bin/env bash
# Builds the libFuzzer targets with clang-22 (ASan + UBSan) and runs each for
# a bounded time from its committed seed corpus. Usage: scripts/fuzz.sh [SECONDS]
# (default 60 per target). A crash leaves its input in build/fuzz/, prints the
# sanitizer's report and the input, and fails. SPARSENN_FUZZ_SEED=N fixes
# libFuzzer's seed and runs each target for a fixed number of inputs (20 to
# 60 s each here at SECONDS=20; at most 4 x SECONDS), so a run explores the same
# inputs on any machine (scripts/test.sh uses seed 1: CI fails only when the
# code changes, not by luck). Unset, each run explores new inputs for
# SECONDS per target.
#   fuzz-readers             runtime/'s .npy and .mtx readers (runtime/fuzz/corpus)
#   fuzz-accel               the accelerator's command-stream reader and simulator
#                            (runtime/fuzz/corpus-accel: programs from
#                            sparse-translate --sacc-to-commands)
#   sparsenn-fuzz-pipeline   the MLIR parser + verifier + SparseNN's front half
#                            (tools/fuzz), when scripts/sanitize.sh has built it;
#                            seeds: every test/ file, split at `// -----`
#   sparsenn-fuzz-backend    the same inputs through whole pipelines: the CPU
#                            pipeline (upstream's sparsifier included) and the
#                            GPU pipeline's code generation (emulated), to the
#                            LLVM dialect
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
SECONDS_PER_TARGET="${1:-60}"
OUT="${SPARSENN_BUILD_DIR:-$ROOT/build}/fuzz"
mkdir -p "$OUT/corpus-readers"

# run_fuzzer NAME RUNS BINARY ARGS...: runs one target in $OUT with its
# whole log in $OUT/NAME.log, and prints libFuzzer's summary and any
# sanitizer report. RUNS: the inputs a seeded run tries per 20 seconds.
run_fuzzer() {
  local name="$1" runs="$2" binary="$3"
  shift 3
  local budget=(-max_total_time="$SECONDS_PER_TARGET")
  if [ -n "${SPARSENN_FUZZ_SEED:-}" ]; then
    budget=(-seed="$SPARSENN_FUZZ_SEED"
      -runs=$((runs * SECONDS_PER_TARGET / 20))
      -max_total_time=$((4 * SECONDS_PER_TARGET)))
  fi
  (cd "$OUT" && "$binary" "$@" "${budget[@]}" -artifact_prefix="$OUT/$name-" \
    -print_final_stats=1 >"$OUT/$name.log" 2>&1) || true
  grep -E "^(stat::number_of_executed_units|Done|==.*ERROR|SUMMARY)" \
    "$OUT/$name.log" || true
  if grep -q "^==.*ERROR" "$OUT/$name.log"; then
    echo "-- $name: the report (whole log: $OUT/$name.log)"
    sed -n '/^==.*ERROR/,/^SUMMARY/p' "$OUT/$name.log" | head -n 60
    for input in "$OUT/$name"-crash-* "$OUT/$name"-leak-* "$OUT/$name"-timeout-* "$OUT/$name"-oom-*; do
      [ -e "$input" ] || continue
      echo "-- $name: the input ($input, base64)"
      base64 "$input" | head -n 200
    done
  fi
}

# The .npy / .mtx readers of runtime/ (sparse-runner's inputs).
clang++-22 -std=c++17 -g -O1 -fsanitize=fuzzer,address,undefined \
  -fno-sanitize-recover=undefined -I"$ROOT/runtime/include" \
  "$ROOT/runtime/fuzz/FuzzReaders.cpp" "$ROOT/runtime/lib/IO.cpp" \
  -o "$OUT/fuzz-readers"
cp "$ROOT"/runtime/fuzz/corpus/* "$OUT/corpus-readers/"
rm -f "$OUT"/*crash-* "$OUT"/*leak-* "$OUT"/*timeout-* "$OUT"/*oom-*
echo "== fuzz-readers"
run_fuzzer fuzz-readers 120000 "$OUT/fuzz-readers" corpus-readers \
  -max_len=4096
# The accelerator's command streams: decoder and simulator.
mkdir -p "$OUT/corpus-accel"
clang++-22 -std=c++17 -g -O1 -fsanitize=fuzzer,address,undefined \
  -fno-sanitize-recover=undefined -I"$ROOT/runtime/include" \
  "$ROOT/runtime/fuzz/FuzzAccel.cpp" "$ROOT"/runtime/lib/accel/*.cpp \
  -o "$OUT/fuzz-accel"
cp "$ROOT"/runtime/fuzz/corpus-accel/* "$OUT/corpus-accel/"
echo "== fuzz-accel"
run_fuzzer fuzz-accel 400000 "$OUT/fuzz-accel" corpus-accel \
  -max_len=8192 -timeout=30 -rss_limit_mb=2048
ASAN_BUILD="${SPARSENN_ASAN_BUILD_DIR:-$ROOT/build-asan}"
if [ -x "$ASAN_BUILD/bin/sparsenn-fuzz-pipeline" ]; then
  mkdir -p "$OUT/corpus-pipeline"
  /usr/bin/python3 - "$ROOT/test" "$OUT/corpus-pipeline" <<'PY'
import hashlib, pathlib, sys
for f in sorted(pathlib.Path(sys.argv[1]).rglob("*.mlir")):
    for chunk in f.read_text().split("// -----"):
        body = "\n".join(l for l in chunk.splitlines() if not l.lstrip().startswith("//"))
        if 10 < len(body.strip()) and len(body) <= 16384:
            name = hashlib.sha1(body.encode()).hexdigest()[:16]
            (pathlib.Path(sys.argv[2]) / f"{name}.mlir").write_text(body)
PY
  echo "== sparsenn-fuzz-pipeline ($(ls "$OUT/corpus-pipeline" | wc -l) inputs in the corpus)"
  # allow_user_poisoning=0: see scripts/sanitize.sh.
  export ASAN_OPTIONS=allow_user_poisoning=0:detect_leaks=0
  run_fuzzer sparsenn-fuzz-pipeline 80000 \
    "$ASAN_BUILD/bin/sparsenn-fuzz-pipeline" corpus-pipeline -max_len=16384 \
    -timeout=30
  if [ -x "$ASAN_BUILD/bin/sparsenn-fuzz-backend" ]; then
    mkdir -p "$OUT/corpus-backend"
    cp "$OUT"/corpus-pipeline/* "$OUT/corpus-backend/"
    echo "== sparsenn-fuzz-backend"
    run_fuzzer sparsenn-fuzz-backend 50000 \
      "$ASAN_BUILD/bin/sparsenn-fuzz-backend" corpus-backend -max_len=16384 \
      -timeout=30 -rss_limit_mb=4096
  fi
fi
# libFuzzer leaves each failing input as NAME-crash-*, -leak-*, -timeout-*
# or -oom-*.
failures=$(find "$OUT" -maxdepth 1 \( -name '*crash-*' -o -name '*leak-*' -o -name '*timeout-*' -o -name '*oom-*' \) | wc -l)
if [ "$failures" -gt 0 ]; then
  echo "fuzzing found $failures failing input(s) in $OUT" >&2
  exit 1
fi
