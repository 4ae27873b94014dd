# -*- Python -*-
# lit configuration for the mlstm compiler's FileCheck tests.

import os
import shutil

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
tools = ["mlstm-opt", "mlstm-translate"]
llvm_config.add_tool_substitutions(tools, tool_dirs)

# ptxas (CUDA toolkit) is optional: tests that assemble the emitted PTX for
# sm_90a say `REQUIRES: ptxas` and report UNSUPPORTED where it is missing.
# Looked up on PATH, then under $CUDA_HOME and /usr/local/cuda.
def find_ptxas():
    found = shutil.which("ptxas")
    if found:
        return found
    for root in (os.environ.get("CUDA_HOME"), "/usr/local/cuda"):
        if root and os.access(os.path.join(root, "bin", "ptxas"), os.X_OK):
            return os.path.join(root, "bin", "ptxas")
    return None


ptxas = find_ptxas()
if ptxas:
    config.available_features.add("ptxas")
    config.substitutions.append(("%ptxas", ptxas))
