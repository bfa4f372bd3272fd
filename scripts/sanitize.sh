#!/usr/bin/env bash
# Builds SparseNN's tools with AddressSanitizer + UndefinedBehaviorSanitizer
# (clang-22, -DSPARSENN_SANITIZE=address,undefined, with libFuzzer coverage
# and the MLIR fuzz target: -DSPARSENN_FUZZ=ON) into build-asan/ and runs
# both lit suites with them, then a leak check on sparse-runner runs.
# Run by scripts/test.sh; assumes scripts/lib.sh's packages are installed.
#
# ASAN_OPTIONS:
#   allow_user_poisoning=0  LLVM's BumpPtrAllocator poisons memory from inline
#                           header code compiled with ASan, while Debian's
#                           libMLIR (not instrumented) hands the same slabs
#                           out: reads of attributes would be false
#                           "use-after-poison" reports.
#   allocator_may_return_null=1  an absurd allocation returns null, as
#                           malloc does, so sparse-runner can report it
#                           (runner-errors.mlir) instead of ASan aborting.
#   detect_leaks=0 for the suites: with enable-runtime-library=true the
#                           generated code leaks its temporaries (docs/ABI.md);
#                           the leak check below covers direct code generation.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
ASAN_BUILD="${SPARSENN_ASAN_BUILD_DIR:-$ROOT/build-asan}"
LLVM_DIR_ROOT=/usr/lib/llvm-22

if [ ! -f "$ASAN_BUILD/build.ninja" ]; then
  cmake -G Ninja -S "$ROOT" -B "$ASAN_BUILD" \
    -DCMAKE_BUILD_TYPE=Release \
    -DCMAKE_C_COMPILER=clang-22 -DCMAKE_CXX_COMPILER=clang++-22 \
    -DSPARSENN_SANITIZE=address,undefined -DSPARSENN_FUZZ=ON \
    -DMLIR_DIR="$LLVM_DIR_ROOT/lib/cmake/mlir" \
    -DLLVM_EXTERNAL_LIT="$LLVM_DIR_ROOT/bin/lit" \
    -DPython3_EXECUTABLE=/usr/bin/python3 \
    -DCMAKE_C_COMPILER_LAUNCHER=ccache \
    -DCMAKE_CXX_COMPILER_LAUNCHER=ccache > /dev/null
fi
ninja -C "$ASAN_BUILD" -j"${SPARSENN_JOBS:-2}" sparse-opt sparse-runner sparsenn-python-sources \
  sparse-translate sacc-run sparsenn-fuzz-pipeline sparsenn-fuzz-backend

echo "== lit suites under ASan + UBSan"
ASAN_OPTIONS=allow_user_poisoning=0:detect_leaks=0:allocator_may_return_null=1 \
UBSAN_OPTIONS=print_stacktrace=1 \
  ninja -C "$ASAN_BUILD" check-sparsenn

echo "== leak check: sparse-runner on every integration model it just ran"
# The models the integration suite wrote (direct code generation), run again
# with LeakSanitizer on; the runtime-library variants (rt/) leak by design.
checked=0
skipped=0
while IFS= read -r model; do
  dir="$(dirname "$model")"
  case "$dir" in */rt|*/rt/*) continue ;; esac
  [ -f "$dir/x.npy" ] || continue
  inputs=(--input=@"$dir/x.npy")
  for b in "$dir"/b[0-9]*.npy; do [ -f "$b" ] && inputs+=(--input=@"$b"); done
  # The accelerator suite's models run on the accelerator target too.
  targets=("--target=cpu")
  case "$dir" in */accel-*) targets+=("--target=accel") ;; esac
  ok=1
  for target in "${targets[@]}"; do
    if ! ASAN_OPTIONS=allow_user_poisoning=0:detect_leaks=1 \
        "$ASAN_BUILD/bin/sparse-runner" "$model" --entry=main "${inputs[@]}" \
        "$target" --quiet > /dev/null 2> "$ASAN_BUILD/leak.log"; then
      ok=0
      break
    fi
  done
  if [ "$ok" = 1 ]; then
    checked=$((checked + ${#targets[@]}))
  elif grep -q "Sanitizer" "$ASAN_BUILD/leak.log"; then
    cat "$ASAN_BUILD/leak.log"
    echo "sanitizer error in sparse-runner $model" >&2
    exit 1
  else
    skipped=$((skipped + 1)) # weights as arguments: inputs not reconstructed
  fi
done < <(find "$ASAN_BUILD/integration_test/Output" -name mlp.mlir | sort)
echo "leak check: $checked sparse-runner runs without leaks ($skipped models" \
  "taking weights as arguments skipped)"
[ "$checked" -gt 0 ]
