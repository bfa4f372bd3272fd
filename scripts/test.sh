#!/usr/bin/env bash
# Installs what is missing, builds, and runs every test suite: the lit suites
# (IR tests and integration tests) and the runtime's unit tests.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

install_packages
configure_and_build

echo "== runtime unit tests (ctest)"
ctest --test-dir "$BUILD/runtime" --output-on-failure

echo "== lit suites (test/ and integration_test/)"
ninja -C "$BUILD" check-sparsenn
