#!/usr/bin/env bash
# Installs what is missing, builds, and runs every test suite: the lit suites
# (IR tests and integration tests), the runtime's unit tests, the Python
# package's pytest suite, the lit suites again under ASan + UBSan
# (scripts/sanitize.sh), and a short fuzz run.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

install_packages
configure_and_build

echo "== runtime unit tests (ctest)"
ctest --test-dir "$BUILD/runtime" --output-on-failure

echo "== lit suites (test/ and integration_test/)"
ninja -C "$BUILD" check-sparsenn

echo "== the Python package (pytest)"
PYTHONPATH="$BUILD/python" /usr/bin/python3 -m pytest -q "$ROOT/python/tests"

echo "== the same suites with AddressSanitizer + UBSan, and a leak check"
"$ROOT/scripts/sanitize.sh"

echo "== fuzzing: the runtime's file readers, the MLIR front half and the whole pipelines (seed 1, a fixed number of inputs, 20 to 60 s each; scripts/fuzz.sh N searches new ones for N s)"
SPARSENN_FUZZ_SEED="${SPARSENN_FUZZ_SEED:-1}" "$ROOT/scripts/fuzz.sh" 20
