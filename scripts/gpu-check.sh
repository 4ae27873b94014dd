#!/usr/bin/env bash
# The GPU check the team runs on the lent H100 through the device tool:
#
#   here:   bash scripts/gpu-ptx.sh            # PTX -> build-gpu-inputs/
#   device: run(command="bash scripts/gpu-check.sh", carry=["build-gpu-inputs"])
#
# On the GPU machine (CMake + CUDA toolkit, no MLIR) it builds gpu/, runs
# `ctest -L gpu` (every proof kernel against its float64 reference, fresh
# random inputs, poisoned outputs), runs compute-sanitizer (memcheck must be
# clean; racecheck and synccheck are reported), assembles each PTX with
# ptxas to count HGMMA instructions in the SASS, and writes under $OUT:
#   summary.json   device, per-check results, sanitizer and SASS facts
#   results.jsonl  one JSON line per ctest run
#   ctest.log  sanitizer.log  sass.log  build.log
# The last lines printed are a short table. Exit status 0 iff all passed.
set -uo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
PTX_DIR=${MLSTM_PTX_DIR:-$ROOT/build-gpu-inputs}
BUILD=${MLSTM_GPU_BUILD_DIR:-$ROOT/build-gpu}
OUT=${OUT:-$BUILD/out}
mkdir -p "$OUT" "$BUILD"
export PATH=$PATH:${CUDA_HOME:-/usr/local/cuda}/bin

KERNELS=(gemm-tma-wgmma qk-rowmax-exp)
for k in "${KERNELS[@]}"; do
  if [[ ! -f $PTX_DIR/$k.ptx ]]; then
    echo "missing $PTX_DIR/$k.ptx: run scripts/gpu-ptx.sh where mlstm-opt is" \
         "built and carry build-gpu-inputs" >&2
    exit 2
  fi
done

status=0
nvidia-smi --query-gpu=name,driver_version,clocks.sm,temperature.gpu \
  --format=csv,noheader >"$OUT/device.txt" 2>&1 || true

# 1. Build the harness.
gen=()
command -v ninja >/dev/null && gen=(-G Ninja)
if ! { cmake -S "$ROOT/gpu" -B "$BUILD" "${gen[@]}" -DMLSTM_PTX_DIR="$PTX_DIR" &&
       cmake --build "$BUILD" -j "$(nproc)"; } >"$OUT/build.log" 2>&1; then
  tail -30 "$OUT/build.log"
  echo "harness build failed" >&2
  exit 1
fi

# 2. The checks, each on fresh random inputs.
rm -f "$OUT/results.jsonl"
MLSTM_GPU_RESULTS=$OUT/results.jsonl \
  ctest --test-dir "$BUILD" -L gpu --output-on-failure >"$OUT/ctest.log" 2>&1 ||
  status=1

# 3. compute-sanitizer on one small run of each kernel.
declare -A sanitizer
: >"$OUT/sanitizer.log"
for k in "${KERNELS[@]}"; do
  for tool in memcheck racecheck synccheck; do
    echo "=== $tool $k" >>"$OUT/sanitizer.log"
    MLSTM_GPU_RESULTS= compute-sanitizer --tool "$tool" --error-exitcode 86 \
      "$BUILD/$k" --ptx="$PTX_DIR/$k.ptx" --mode=random --repeat=1 \
      >>"$OUT/sanitizer.log" 2>&1
    rc=$?
    case $rc in
      0) sanitizer[$k.$tool]=clean ;;
      86) sanitizer[$k.$tool]=errors ;;
      *) sanitizer[$k.$tool]="failed(rc=$rc)" ;;
    esac
    [[ $tool == memcheck && $rc != 0 ]] && status=1
  done
done

# 4. SASS: do the wgmma instructions survive as HGMMA? Resources per ptxas.
declare -A hgmma regs spills
: >"$OUT/sass.log"
for k in "${KERNELS[@]}"; do
  echo "=== $k" >>"$OUT/sass.log"
  ptxas -arch=sm_90a -v "$PTX_DIR/$k.ptx" -o "$BUILD/$k.cubin" >>"$OUT/sass.log" 2>&1
  hgmma[$k]=$(cuobjdump --dump-sass "$BUILD/$k.cubin" | grep -c HGMMA)
  regs[$k]=$(grep -o 'Used [0-9]* registers' "$OUT/sass.log" | tail -1 | grep -o '[0-9]*')
  spills[$k]=$(grep -o '[0-9]* bytes spill stores' "$OUT/sass.log" | tail -1 | grep -o '^[0-9]*')
  cuobjdump --dump-sass "$BUILD/$k.cubin" | grep -E 'HGMMA|UTMALDG|SYNCS' |
    sed 's/^ *//' | head -40 >>"$OUT/sass.log"
  [[ ${hgmma[$k]} -gt 0 ]] || status=1
done

# 5. summary.json and the table.
facts=$(for k in "${KERNELS[@]}"; do
  echo "$k ${hgmma[$k]} ${regs[$k]:-?} ${spills[$k]:-?} ${sanitizer[$k.memcheck]} ${sanitizer[$k.racecheck]} ${sanitizer[$k.synccheck]}"
done)
FACTS=$facts STATUS=$status OUT=$OUT PTX_DIR=$PTX_DIR python3 - <<'PY'
import datetime, json, os
out = os.environ["OUT"]
checks = []
if os.path.exists(f"{out}/results.jsonl"):
    checks = [json.loads(l) for l in open(f"{out}/results.jsonl") if l.strip()]
device = open(f"{out}/device.txt").read().strip()
manifest = open(os.path.join(os.environ["PTX_DIR"], "MANIFEST")).read().split("\n")
kernels = {}
for line in os.environ["FACTS"].splitlines():
    k, hgmma, regs, spills, mem, race, sync = line.split()
    kernels[k] = {"sass_hgmma": int(hgmma), "ptxas_registers": regs,
                  "ptxas_spill_store_bytes": spills,
                  "sanitizer": {"memcheck": mem, "racecheck": race,
                                "synccheck": sync}}
summary = {
    "generated_by": "scripts/gpu-check.sh",
    "device": device,
    "date": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
    "ptx_manifest": [l for l in manifest if l],
    "pass": os.environ["STATUS"] == "0",
    "kernels": kernels,
    "checks": checks,
}
json.dump(summary, open(f"{out}/summary.json", "w"), indent=2)
print(f"device: {device}")
print(f"{'check':<16}{'mode':<9}{'rel_l2':>11}{'max_abs':>11}{'unwr':>6}{'regs':>6}  pass")
for c in checks:
    rel = c.get("rel_l2", c.get("p_rel_l2", "-"))
    mx = c.get("max_abs_err", c.get("p_max_abs_err", "-"))
    fmt = lambda v: f"{v:>11.3e}" if isinstance(v, (int, float)) else f"{str(v):>11}"
    print(f"{c['check']:<16}{c['mode']:<9}{fmt(rel)}{fmt(mx)}{c.get('unwritten','-'):>6}"
          f"{c.get('registers','-'):>6}  {c['pass']}" + (f"  ERROR {c['error'][:200]}" if 'error' in c else ""))
for k, v in kernels.items():
    s = v["sanitizer"]
    print(f"{k}: HGMMA {v['sass_hgmma']}, ptxas {v['ptxas_registers']} regs / {v['ptxas_spill_store_bytes']} B spill,"
          f" memcheck {s['memcheck']}, racecheck {s['racecheck']}, synccheck {s['synccheck']}")
print("PASS" if summary["pass"] else "FAIL")
PY
exit $status
