#!/usr/bin/env bash
# Installs what is missing, builds, then compiles and runs a pruned MLP on
# sklearn's digits with SparseNN on the CPU: per-layer table, accuracy, a
# check against a dense NumPy reference, and the speed against the same
# network compiled dense.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

install_packages
configure_and_build

/usr/bin/python3 "$ROOT/examples/mlp_digits/demo.py" \
  --runner "$BUILD/bin/sparse-runner" --workdir "$BUILD/examples/mlp_digits" "$@"
