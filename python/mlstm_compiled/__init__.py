"""PyTorch calls of the mLSTM kernels in a generated library (generated/<lib>/).

    import mlstm_compiled as mc
    mc.load_library("build/mlstm/libmlstm.so")   # or MLSTM_COMPILED_LIBRARIES
    h = mc.mlstm_exp(q, k, v, i, f)                           # autograd: backward entry points
"""

from ._capi import LibraryError
from ._ops import (NoEntryPointError, load_library, loaded_libraries, mlstm_exp,
                   mlstm_sig)
from .xlstm_compat import mlstm_chunkwise__xl_chunk, mlstm_siging_chunkwise__xl_chunk

__all__ = ["LibraryError", "NoEntryPointError", "load_library", "loaded_libraries",
           "mlstm_exp", "mlstm_sig", "mlstm_chunkwise__xl_chunk",
           "mlstm_siging_chunkwise__xl_chunk"]
