# -*- Python -*-
# lit configuration of SparseNN's integration tests: they JIT-run compiled
# code with sparse-runner and compare the numbers with NumPy.

import os

import lit.formats
from lit.llvm import llvm_config
from lit.llvm.subst import ToolSubst

config.name = "SPARSENN-INTEGRATION"
config.test_format = lit.formats.ShTest(not llvm_config.use_lit_shell)
config.suffixes = [".mlir", ".test"]
config.test_source_root = os.path.dirname(__file__)
config.test_exec_root = os.path.join(config.sparsenn_obj_root, "integration_test")
config.excludes = ["CMakeLists.txt", "lit.cfg.py", "lit.site.cfg.py", "lib",
                   "Inputs"]

llvm_config.use_default_substitutions()
llvm_config.with_environment("PATH", config.llvm_tools_dir, append_path=True)
llvm_config.add_tool_substitutions(
    [ToolSubst("sparse-opt", unresolved="fatal"),
     ToolSubst("sparse-runner", unresolved="fatal"),
     ToolSubst("sparse-translate", unresolved="fatal"),
     ToolSubst("sacc-run", unresolved="fatal")],
    [config.sparsenn_tools_dir])
# Debian's NumPy lives under /usr/bin/python3, pinned at configure time.
config.substitutions.append(("%python", config.python_executable))

# A test that hangs (a deadlock in generated parallel code, say) fails after
# 20 minutes instead of stalling CI; lit needs psutil for that
# (python3-psutil, scripts/lib.sh). lit --timeout overrides it.
if (lit_config.maxIndividualTestTime == 0
        and lit_config.maxIndividualTestTimeIsSupported[0]):
    lit_config.maxIndividualTestTime = 1200
config.substitutions.append(
    ("%snncheck", config.python_executable + " " +
     os.path.join(config.test_source_root, "lib", "snncheck.py") +
     " --runner " + os.path.join(config.sparsenn_tools_dir, "sparse-runner")))

# ONNX import tests need python3-onnx and PyTorch (to export models).
import subprocess
if subprocess.run([config.python_executable, "-c", "import onnx, torch"],
                  capture_output=True).returncode == 0:
    config.available_features.add("onnx")

# AOT tests link objects with the C++ compiler and the runtime's libraries.
# In the sanitizer build the runtime's libraries are instrumented: the link
# needs the same -fsanitize.
config.substitutions.append(
    ("%cxx", config.cxx_compiler +
     (" -fsanitize=" + config.sanitize if config.sanitize else "")))
config.substitutions.append(
    ("%sparsenn_libdir", os.path.join(config.sparsenn_obj_root, "lib")))
# runtime/cuda is built where a CUDA toolkit with cuSPARSE is found.
if os.path.exists(os.path.join(config.sparsenn_obj_root, "lib",
                               "libsparsenn_cuda.so")):
    config.available_features.add("cuda-toolkit")
