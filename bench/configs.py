"""The benchmark's problem sizes (issue #5), importable without torch.

    python3 bench/configs.py [--quick]   # the probe's list, as JSON
"""

import json
import sys

# Issue #5's targets: bf16, 65 536 tokens per call (B = 65536 / S).
BF16_CONFIGS = [
    # name,                        B,  NH, S,     DQK, DHV
    ("NH8 256/512 S8192 (paper)",  8,  8,  8192,  256, 512),
    ("NH16 128/256 S2048",         32, 16, 2048,  128, 256),
    ("NH16 128/256 S8192",         8,  16, 8192,  128, 256),
    ("NH16 128/256 S32768",        2,  16, 32768, 128, 256),
    ("NH32 64/128 S2048",          32, 32, 2048,  64,  128),
    ("NH32 64/128 S8192",          8,  32, 8192,  64,  128),
    ("NH32 64/128 S32768",         2,  32, 32768, 64,  128),
]
# The f32 entry points, ours alone, at S = 8192 of each head-dim pair.
F32_CONFIGS = [
    ("f32 NH8 256/512 S8192",      8,  8,  8192,  256, 512),
    ("f32 NH16 128/256 S8192",     8,  16, 8192,  128, 256),
    ("f32 NH32 64/128 S8192",      8,  32, 8192,  64,  128),
]
# Small sizes for a smoke test (bench.py --quick).
QUICK_CONFIGS = [
    ("quick NH2 256/512 S512",     2,  2,  512,   256, 512),
    ("quick NH2 64/128 S1024",     2,  2,  1024,  64,  128),
]


def config_dict(name, B, NH, S, dqk, dhv, dtype):
    return dict(name=name, B=B, NH=NH, S=S, dqk=dqk, dhv=dhv, dtype=dtype)


if __name__ == "__main__":
    rows = QUICK_CONFIGS if "--quick" in sys.argv[1:] else BF16_CONFIGS
    print(json.dumps([config_dict(*c, "bf16") for c in rows], indent=1))
