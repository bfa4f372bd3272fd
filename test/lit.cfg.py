# -*- Python -*-
# lit configuration of SparseNN's IR tests (FileCheck on sparse-opt output).

import os

import lit.formats
from lit.llvm import llvm_config
from lit.llvm.subst import ToolSubst

config.name = "SPARSENN"
config.test_format = lit.formats.ShTest(not llvm_config.use_lit_shell)
config.suffixes = [".mlir"]
config.test_source_root = os.path.dirname(__file__)
config.test_exec_root = os.path.join(config.sparsenn_obj_root, "test")
config.excludes = ["CMakeLists.txt", "lit.cfg.py", "lit.site.cfg.py", "Inputs"]

llvm_config.use_default_substitutions()
llvm_config.with_environment("PATH", config.llvm_tools_dir, append_path=True)
tools = [
    ToolSubst("sparse-opt", unresolved="fatal"),
    ToolSubst("sparse-runner", unresolved="fatal"),
    ToolSubst("sparse-translate", unresolved="fatal"),
]
llvm_config.add_tool_substitutions(tools, [config.sparsenn_tools_dir])
config.substitutions.append(("%python", config.python_executable))

# A test that hangs (a deadlock in generated parallel code, say) fails after
# 20 minutes instead of stalling CI; lit needs psutil for that
# (python3-psutil, scripts/lib.sh). lit --timeout overrides it.
if (lit_config.maxIndividualTestTime == 0
        and lit_config.maxIndividualTestTimeIsSupported[0]):
    lit_config.maxIndividualTestTime = 1200
