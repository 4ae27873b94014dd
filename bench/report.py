#!/usr/bin/env python3
"""Table and plot of a bench.json written by bench/bench.py.

    python3 bench/report.py bench/results/bench-nvidia-h100.json [--png out.png] [--md]

Prints the per-measurement table and the side-by-side summary (ours against
each peer, per variant), and with --png draws the plot. Needs no GPU.
"""

import argparse
import json
import sys

IMPL_ORDER = ["ours_exp", "ours_sig", "ours_sig_nonorm",
              "tfla_exp", "tfla_sig", "tfla_sig_nonorm",
              "sdpa_flash", "sdpa_cudnn", "sdpa_efficient"]
LABELS = {"ours_exp": "ours exp", "ours_sig": "ours sig", "ours_sig_nonorm": "ours sig-nonorm",
          "tfla_exp": "TFLA exp", "tfla_sig": "TFLA sig", "tfla_sig_nonorm": "TFLA sig-nonorm",
          "sdpa_best": "SDPA (best backend)"}


def fmt(x, spec=".3f", none="-"):
    return none if x is None else format(x, spec)


def status_word(r):
    if r is None:
        return "-"
    if r.get("status") == "ok":
        return None
    if r.get("probe", {}) and r["probe"].get("crashed"):
        return "crash"
    s = r.get("status", "?")
    return {"failed": "failed", "unsupported": "n/a", "error": "error"}.get(s, s.split(":")[0])


def sdpa_reason(reasons):
    """The informative one of torch's SDPA warnings (the others say which
    backends were disabled or only announce the reason)."""
    keep = [w.split(" (Triggered internally")[0] for w in reasons
            if "not used because" not in w and "runtime disabled" not in w]
    return "; ".join(keep)


def long_table(cfgs):
    rows = ["| config | implementation | ms (median) | TFLOP/s | GB/s | x floor | peak GiB | runs |",
            "|---|---|---:|---:|---:|---:|---:|---:|"]
    for c in cfgs:
        if "results" not in c:
            rows.append(f"| {c['name']} | (config failed: {c.get('error', '')[:80]}) | | | | | | |")
            continue
        for key in IMPL_ORDER:
            r = c["results"].get(key)
            if r is None:
                continue
            if r.get("status") != "ok":
                why = r.get("reason") or r.get("error") or r.get("status")
                if r.get("reasons"):  # SDPA: torch's own words for this backend
                    why = sdpa_reason(r["reasons"]) or why
                if r.get("probe", {}) and r["probe"].get("stage"):
                    why = f"{why}, compiling {r['probe']['stage']}"
                rows.append(f"| {c['name']} | {key} | {status_word(r)}: {str(why)[:160]} | | | | | |")
                continue
            rows.append(f"| {c['name']} | {key} | {r['ms']:.3f} | {r['TFLOPs']:.1f} | {r['GBps']:.0f}"
                        f" | {r['floor_multiple']:.1f} | {r['peak_bytes'] / 2**30:.2f}"
                        f" | {r['runs']}{'*' if r.get('reduced_runs') else ''} |")
    return "\n".join(rows)


def summary_table(cfgs):
    rows = ["| config | variant | floor ms | ours ms | x floor | TFLA ms | x floor | ours/TFLA"
            " | SDPA ms (backend) | ours/SDPA | rel L2 ours-TFLA | ours vs f64 | peak GiB ours / TFLA |",
            "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for c in cfgs:
        if "results" not in c:
            continue
        res = c["results"]
        best = c.get("sdpa_best")
        sd = res.get(best) if best else None
        for variant in ("exp", "sig", "sig_nonorm"):
            o = res.get(f"ours_{variant}")
            t = res.get(f"tfla_{variant}")
            ook = o is not None and o.get("status") == "ok"
            tok = t is not None and t.get("status") == "ok"
            fl = c["floor"][variant]["ms"]
            cc = c.get("cross_checks", {})
            rl = cc.get(f"ours_{variant}_vs_tfla", {}).get("rel_l2")
            rf = cc.get(f"ours_{variant}_vs_float64", {}).get("rel_l2")
            rows.append(
                f"| {c['name']} | {variant} | {fl:.3f}"
                f" | {fmt(o['ms']) if ook else status_word(o)} | {fmt(o['floor_multiple'], '.1f') if ook else '-'}"
                f" | {fmt(t['ms']) if tok else status_word(t)} | {fmt(t['floor_multiple'], '.1f') if tok else '-'}"
                f" | {fmt(o['ms'] / t['ms'], '.2f') if ook and tok else '-'}"
                f" | {fmt(sd['ms']) + ' (' + best[5:] + ')' if sd else '-'}"
                f" | {fmt(o['ms'] / sd['ms'], '.2f') if ook and sd else '-'}"
                f" | {fmt(rl, '.1e')} | {fmt(rf, '.1e')}"
                f" | {fmt(o['peak_bytes'] / 2**30, '.2f') if ook else '-'} / "
                f"{fmt(t['peak_bytes'] / 2**30, '.2f') if tok else '-'} |")
    return "\n".join(rows)


def f32_table(cfgs):
    rows = ["| config | variant | floor ms | ours ms | x floor | TFLOP/s | GB/s | ours vs f64 |",
            "|---|---|---:|---:|---:|---:|---:|---:|"]
    for c in cfgs:
        if "results" not in c:
            continue
        for variant in ("exp", "sig", "sig_nonorm"):
            o = c["results"].get(f"ours_{variant}")
            ok = o is not None and o.get("status") == "ok"
            rf = c.get("cross_checks", {}).get(f"ours_{variant}_vs_float64", {}).get("rel_l2")
            rows.append(f"| {c['name']} | {variant} | {c['floor'][variant]['ms']:.3f}"
                        f" | {fmt(o['ms']) if ok else status_word(o)}"
                        f" | {fmt(o['floor_multiple'], '.1f') if ok else '-'}"
                        f" | {fmt(o['TFLOPs'], '.1f') if ok else '-'}"
                        f" | {fmt(o['GBps'], '.0f') if ok else '-'} | {fmt(rf, '.1e')} |")
    return "\n".join(rows)


def sanity_line(data):
    s = data.get("sanity", [])
    if not s:
        return "sanity: none"
    bad = [r for r in s if not r.get("pass")]
    worst = {}
    for r in s:
        if "rel_l2" in r:
            worst[r["dtype"]] = max(worst.get(r["dtype"], 0.0), r["rel_l2"])
    return (f"sanity (every entry point vs float64, B=2 NH=3 S=200): {len(s) - len(bad)}/{len(s)} pass;"
            f" worst rel L2 " + ", ".join(f"{k} {v:.1e}" for k, v in sorted(worst.items()))
            + ("; FAILED: " + ", ".join(r.get("entry", "?") for r in bad) if bad else ""))


def plot(data, path):
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    cfgs = [c for c in data.get("configs", []) if "results" in c]
    if not cfgs:
        return
    keys = ["ours_exp", "ours_sig", "ours_sig_nonorm", "tfla_exp", "tfla_sig",
            "tfla_sig_nonorm", "sdpa_best"]
    colors = {"ours_exp": "#1f4e9c", "ours_sig": "#3f7fd6", "ours_sig_nonorm": "#8fb8ee",
              "tfla_exp": "#b3400f", "tfla_sig": "#e8742f", "tfla_sig_nonorm": "#f5b27f",
              "sdpa_best": "#5a5a5a"}
    fig, axes = plt.subplots(2, 1, figsize=(max(10, 1.9 * len(cfgs)), 9), sharex=True)
    width = 0.8 / len(keys)
    for ci, c in enumerate(cfgs):
        res = dict(c["results"])
        if c.get("sdpa_best"):
            res["sdpa_best"] = res[c["sdpa_best"]]
        floor = c["floor"]["exp"]["ms"]
        axes[0].hlines(floor, ci - 0.42, ci + 0.42, colors="k", linestyles="--", linewidth=1,
                       label="floor" if ci == 0 else None)
        for ki, key in enumerate(keys):
            x = ci - 0.4 + width * (ki + 0.5)
            r = res.get(key)
            if r is not None and r.get("status") == "ok":
                axes[0].bar(x, r["ms"], width, color=colors[key],
                            label=LABELS[key] if ci == 0 else None)
                axes[1].bar(x, r["floor_multiple"], width, color=colors[key])
                if key == "sdpa_best":
                    axes[0].text(x, r["ms"] * 1.05, c["sdpa_best"][5:], rotation=90,
                                 fontsize=7, ha="center", va="bottom")
            else:
                if ci == 0:
                    axes[0].bar(x, 0, width, color=colors[key], label=LABELS[key])
                word = status_word(r) if r is not None else "n/a"
                for ax in axes:
                    ax.text(x, 1.05 if ax is axes[1] else floor * 1.05, word, rotation=90,
                            fontsize=7, ha="center", va="bottom", color=colors[key])
    for ax in axes:
        ax.set_yscale("log")
        ax.grid(axis="y", which="both", alpha=0.3)
    axes[0].set_ylabel("forward time, ms (median)")
    axes[1].set_ylabel("multiple of the floor")
    axes[1].axhline(1.0, color="k", linestyle="--", linewidth=1)
    axes[1].set_xticks(range(len(cfgs)))
    axes[1].set_xticklabels([c["name"].replace(" (", "\n(") + f"\nB={c['B']}" for c in cfgs],
                            fontsize=8)
    m = data.get("meta", {})
    axes[0].set_title(f"mLSTM forward, bf16, 65 536 tokens per call - {m.get('device', '?')},"
                      f" {m.get('date', '')[:10]}\nfloor = max(bytes(q,k,v,h) / 3.0 TB/s,"
                      f" FLOPs / 700 TFLOP/s); TFLA = NX-AI/mlstm_kernels xl_chunk, chunk 128",
                      fontsize=10)
    axes[0].legend(fontsize=8, ncol=8, loc="upper center", bbox_to_anchor=(0.5, -0.02))
    axes[0].set_ylim(top=axes[0].get_ylim()[1] * 2.5)
    fig.tight_layout()
    fig.savefig(path, dpi=110)


def render(data):
    out = []
    m = data.get("meta", {})
    mc = m.get("measured_ceilings") or {}
    out.append(f"device: {m.get('device')} ({m.get('date')}) | torch {m.get('torch')} | triton {m.get('triton')}"
               f" | peers {m.get('peers')} | measured: copy {mc.get('copy_TBps', float('nan')):.2f} TB/s,"
               f" bf16 GEMM {mc.get('bf16_gemm_TFLOPs', float('nan')):.0f} TFLOP/s")
    out.append(sanity_line(data))
    pr = data.get("probe")
    if pr:
        bad = {k: v for k, v in pr.get("items", {}).items() if not v.get("ok")}
        out.append(f"TFLA compile probe: {len(pr.get('items', {})) - len(bad)}/{len(pr.get('items', {}))}"
                   f" (peer, shape) pairs compiled and ran, in {pr.get('elapsed_s')} s")
        for k, v in sorted(bad.items()):
            if v.get("crashed"):
                asserts = [ln.strip() for ln in v.get("stderr_tail", "").splitlines()
                           if "Assertion" in ln or "error" in ln.lower()]
                out.append(f"  {k}: process killed by signal {v.get('signal')} while compiling"
                           f" {v.get('stage')}" + (f": {asserts[-1][:220]}" if asserts else ""))
            else:
                out.append(f"  {k}: {v.get('error', '')[:200]}")
    out.append("")
    out.append("### All measurements (bf16)")
    out.append(long_table(data.get("configs", [])))
    out.append("")
    out.append("### Side by side (bf16; ratios: ours ms / peer ms, > 1 = ours slower)")
    out.append(summary_table(data.get("configs", [])))
    if data.get("f32_configs"):
        out.append("")
        out.append("### f32 entry points (ours only)")
        out.append(f32_table(data["f32_configs"]))
    for n in data.get("notes", []):
        out.append(f"note: {n}")
    return "\n".join(out)


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("json")
    p.add_argument("--png")
    args = p.parse_args()
    data = json.load(open(args.json))
    print(render(data))
    if args.png:
        try:
            plot(data, args.png)
            print(f"plot: {args.png}")
        except Exception as e:  # the table matters more than the plot
            print(f"plot failed: {e!r}", file=sys.stderr)


if __name__ == "__main__":
    main()
