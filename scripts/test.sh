#!/usr/bin/env bash
# Installs what is missing, builds, and runs every test suite: the lit suites
# (IR tests and integration tests) and the runtime's unit tests.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

install_packages
configure_and_build

echo "== runtime unit tests (ctest)"
ctest --test-dir "$BUILD/runtime" --output-on-failure

echo "== fuzzing the runtime's file readers (10 s; scripts/fuzz.sh N for longer)"
"$ROOT/scripts/fuzz.sh" 10

echo "== lit suites (test/ and integration_test/)"
ninja -C "$BUILD" check-sparsenn
