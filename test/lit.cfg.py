# -*- Python -*-
# lit configuration for the mlstm compiler's FileCheck tests.

import os

import lit.formats
from lit.llvm import llvm_config

config.name = "MLSTM"
config.test_format = lit.formats.ShTest(not llvm_config.use_lit_shell)
config.suffixes = [".mlir"]
config.test_source_root = os.path.dirname(__file__)
config.test_exec_root = os.path.join(config.mlstm_obj_root, "test")
config.excludes = ["CMakeLists.txt", "lit.cfg.py", "lit.site.cfg.py"]

config.substitutions.append(("%mlstm_src_root", config.mlstm_src_root))

llvm_config.use_default_substitutions()
llvm_config.with_environment("PATH", config.llvm_tools_dir, append_path=True)

tool_dirs = [config.mlstm_tools_dir, config.llvm_tools_dir]
tools = ["mlstm-opt"]
llvm_config.add_tool_substitutions(tools, tool_dirs)
