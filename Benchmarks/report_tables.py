"""The tables of the benchmark report: one side's results (`Side`), one comparison (`Row`), and the
summary, roofline, scaling and memory tables built from the two sides. Stdlib only.

Every ratio reads "higher is better for Tapestry", Keras = 1.0: for speeds Tapestry/Keras, for
times and memory Keras/Tapestry. A workload that failed or did not run on one side says so.
"""
import json

PEAK_SHARE_TARGET = 0.85  # issue 7: GEMM-based layers at >= 85 % of the measured sgemm peak
# Workloads in report order (the keys of both JSON files' "results").
WORKLOADS = ["forward_150", "forward_224", "head_fit_epoch", "frozen_step", "block5_step", "conv_layers",
             "block5_epoch", "scaling", "summary_startup"]


# ------------------------------------------------------------------------- reading results
def load(path):
    try:
        with open(path) as f:
            return json.load(f)
    except (OSError, ValueError) as e:
        return {"error": f"{path}: {e}"}


class Side:
    """One side's results; `get` returns (value, None) or (None, why it is missing)."""

    def __init__(self, name, report):
        self.name, self.report = name, report
        self.results = report.get("results", {})

    def result(self, workload):
        if "error" in self.report:
            return None, "no results"
        r = self.results.get(workload)
        if r is None:
            return None, "not run"
        if "error" in r:
            return None, "FAILED"
        return r, None

    def failures(self):
        """(workload, message) for every failure, for the report's list under the tables."""
        if "error" in self.report:
            return [("all", self.report["error"])]
        return [(n, " / ".join(str(e) for e in r["error"])) for n, r in self.results.items() if "error" in r]

    def get(self, workload, key):
        r, why = self.result(workload)
        if r is None:
            return None, why
        if r.get(key) is None:
            return None, f"no '{key}' in {workload}"
        return r[key], None


# ------------------------------------------------------------------------- formatting
def fmt_seconds(s):
    return f"{s:.3g} s" if s < 100 else f"{s:.0f} s"


def fmt_rate(x):
    return f"{x:.1f} img/s"


def fmt_mb(x):
    return f"{x:,.0f} MB"


def fmt_ratio(r):
    return f"{r:.2f}×"


def ratio_status(ratio, target):
    if target is None:
        return "—"
    if ratio >= target:
        return f"met (+{ratio / target - 1:.0%})"
    return f"missed by {1 - ratio / target:.0%} (needs {target / ratio:.2f}× more)"


class Row:
    """One comparison: label, the two values, how to read them, the target ratio (or an absolute limit)."""

    def __init__(self, label, tapestry, keras, fmt, higher_is_better, target=None, limit=None, target_text=None,
                 memory=False):
        self.label, self.t, self.k, self.fmt = label, tapestry, keras, fmt
        self.higher, self.target, self.limit, self.memory = higher_is_better, target, limit, memory
        self.target_text = target_text or (f"≥ {target:g}×" if target else "—")

    def cells(self):
        (t, t_why), (k, k_why) = self.t, self.k
        t_cell = self.fmt(t) if t is not None else t_why
        k_cell = self.fmt(k) if k is not None else k_why
        ratio = None
        if t is not None and k is not None and t > 0 and k > 0:
            ratio = t / k if self.higher else k / t
        if self.limit is not None:  # an absolute limit on Tapestry's value (seconds)
            if t is None:
                status = "not measured"
            elif t < self.limit:
                status = f"met ({fmt_seconds(t)} < {fmt_seconds(self.limit)})"
            else:
                status = f"missed by {fmt_seconds(t - self.limit)}"
        elif ratio is None:
            status = "not measured" if self.target else "—"
        elif self.memory:
            status = (f"met (Tapestry uses {t / k:.0%} of Keras's)" if t <= k
                      else f"missed by {t / k - 1:.0%} (Tapestry uses {t / k:.2f}× Keras's)")
        else:
            status = ratio_status(ratio, self.target)
        return [self.label, t_cell, k_cell, fmt_ratio(ratio) if ratio else "—", self.target_text, status]


def table(header, rows):
    """A Markdown pipe table, padded so it also reads as plain text."""
    widths = [max(len(str(r[i])) for r in [header] + rows) for i in range(len(header))]
    line = lambda cells: "| " + " | ".join(str(c).ljust(w) for c, w in zip(cells, widths)) + " |"
    return "\n".join([line(header), "|" + "|".join("-" * (w + 2) for w in widths) + "|"] + [line(r) for r in rows])


# ------------------------------------------------------------------------- the tables
def summary_rows(T, K):
    rows = [
        Row("forward 150×150, batch 20 (no gradients)", T.get("forward_150", "images_per_second"),
            K.get("forward_150", "images_per_second"), fmt_rate, True, 1.5),
        Row("forward 224×224, batch 20 (no gradients)", T.get("forward_224", "images_per_second"),
            K.get("forward_224", "images_per_second"), fmt_rate, True, 1.5),
        Row("head fit epoch (2000 + 1000 val features)", T.get("head_fit_epoch", "seconds_per_epoch"),
            K.get("head_fit_epoch", "seconds_per_epoch"), fmt_seconds, False, 5),
        Row("frozen-base train step", T.get("frozen_step", "seconds_per_step"),
            K.get("frozen_step", "seconds_per_step"), fmt_seconds, False, 1.5),
        Row("block5 fine-tuning train step", T.get("block5_step", "seconds_per_step"),
            K.get("block5_step", "seconds_per_step"), fmt_seconds, False, 1.5),
    ]
    keras_epoch = K.get("block5_epoch", "epoch_seconds")
    n = epoch_size(T, K)
    rows += [
        Row(f"block5 epoch{n}, cached (a later epoch)", T.get("block5_epoch", "later_epoch_seconds"), keras_epoch,
            fmt_seconds, False, 5),
        Row("block5 epoch, first (incl. cache fill)", T.get("block5_epoch", "first_epoch_seconds_including_cache_fill"),
            keras_epoch, fmt_seconds, False),
    ]
    no_cache = T.get("block5_epoch", "epoch_seconds_without_cache")
    if no_cache[0] is not None:
        rows.append(Row("block5 epoch, without cache", no_cache, keras_epoch, fmt_seconds, False))
    rows += [
        Row("13 conv layers alone, sum of forwards", T.get("conv_layers", "sum_seconds"),
            K.get("conv_layers", "sum_seconds"), fmt_seconds, False),
        Row("peak RSS, forward 150", T.get("forward_150", "peak_rss_mb"), K.get("forward_150", "peak_rss_mb"),
            fmt_mb, False, 1.0, target_text="RSS ≤ Keras", memory=True),
        Row("peak RSS, block5 step", T.get("block5_step", "peak_rss_mb"), K.get("block5_step", "peak_rss_mb"),
            fmt_mb, False, 1.0, target_text="RSS ≤ Keras", memory=True),
        Row("start-up: `tapestry summary` vs Keras VGG16 summary", T.get("summary_startup", "seconds"),
            K.get("summary_startup", "seconds"), fmt_seconds, False, limit=0.3, target_text="< 0.3 s"),
    ]
    return [r.cells() for r in rows]


def epoch_size(T, K):
    for side in (T, K):
        r, _ = side.result("block5_epoch")
        if r:
            return f" ({r['train_samples']} + {r['val_samples']} val images)"
    return ""


def roofline(T, K):
    """Per-layer GFLOP/s next to the measured sgemm peak; returns (text above the table, table)."""
    t, t_why = T.result("conv_layers")
    k, k_why = K.result("conv_layers")
    if t is None and k is None:
        return f"conv_layers: Tapestry {t_why}; Keras {k_why}", ""
    peak = t["sgemm"]["peak_gflop_per_second"] if t else None
    keras_layers = {l["name"]: l for l in k["layers"]} if k else {}
    rows, near_peak = [], 0
    for layer in (t["layers"] if t else k["layers"]):
        name = layer["name"]
        n, h, w, c = layer["input"]
        kl = keras_layers.get(name)
        tl = layer if t else None
        row = [name, f"{h}×{w}×{c}→{layer['filters']}", f"{layer['gflop']:.1f}"]
        if tl:
            share = tl["gflop_per_second"] / peak
            near_peak += share >= PEAK_SHARE_TARGET
            row += [f"{tl['seconds'] * 1000:.0f} ms", f"{tl['gflop_per_second']:.0f}", f"{share:.0%}",
                    f"{tl['kernel_forward_gflop_per_second']:.0f}", f"{tl['backward_input_gflop_per_second']:.0f}",
                    f"{tl['backward_filter_gflop_per_second']:.0f}"]
        else:
            row += [t_why] + ["—"] * 5
        if kl:
            row += [f"{kl['seconds'] * 1000:.0f} ms", f"{kl['gflop_per_second']:.0f}", f"{kl['gflop_per_second'] / peak:.0%}" if peak else "—"]
        else:
            row += [k_why, "—", "—"]
        row.append(fmt_ratio(kl["seconds"] / tl["seconds"]) if kl and tl else "—")
        rows.append(row)
    header = ["layer", "input→filters", "GFLOP", "Tapestry", "GFLOP/s", "% peak", "kernel fwd", "bwd input",
              "bwd filter", "Keras", "GFLOP/s", "% peak", "ratio"]
    lines = []
    if t:
        shapes = ", ".join(f"{s['shape']} {s['gflop_per_second']:.0f}" for s in t["sgemm"]["shapes"])
        lines.append(f"Measured sgemm peak (Tapestry's BLAS, best of: {shapes}): **{peak:.0f} GFLOP/s**. "
                     f"Forward layers (Conv2D with bias + ReLU, inference) at ≥ {PEAK_SHARE_TARGET:.0%} of it: "
                     f"{near_peak}/{len(rows)}.")
    lines.append("GFLOP/s count direct-convolution FLOPs (2·H·W·Cin·Cout·9·batch), so a Winograd layer can exceed "
                 "100 % of the sgemm peak; \"kernel fwd\", \"bwd input\", \"bwd filter\" are Tapestry's bare "
                 "Conv2DKernels (GFLOP/s); ratio = Keras seconds / Tapestry seconds.")
    return "\n\n".join(lines), table(header, rows)


def scaling(T, K):
    t, t_why = T.result("scaling")
    k, k_why = K.result("scaling")
    if t is None and k is None:
        return f"scaling: Tapestry {t_why}; Keras {k_why}"

    def by_point(r):
        return {(p["batch"], p["size"]): p for p in r["points"]} if r else {}

    tp, kp = by_point(t), by_point(k)

    def relative(points, batch, size):
        """Seconds per image relative to batch 20 at 150 (per pixel for the size sweep): 1.00 is linear."""
        ref, p = points.get((20, 150)), points.get((batch, size))
        if not ref or not p:
            return None
        return (p["seconds_per_image"] / size ** 2) / (ref["seconds_per_image"] / 150 ** 2)

    rows = []
    for batch, size in sorted(set(tp) | set(kp), key=lambda bs: (bs[1] != 150, bs[1], bs[0])):
        cells = [f"batch {batch:>2} × {size}²"]
        for points, why in ((tp, t_why), (kp, k_why)):
            p = points.get((batch, size))
            rel = relative(points, batch, size)
            cells += [f"{p['seconds_per_image'] * 1000:.0f} ms", f"{rel:.2f}" if rel else "—"] if p else [why or "—", "—"]
        both = tp.get((batch, size)), kp.get((batch, size))
        cells.append(fmt_ratio(both[1]["seconds_per_image"] / both[0]["seconds_per_image"]) if all(both) else "—")
        rows.append(cells)
    header = ["point", "Tapestry s/image", "vs linear", "Keras s/image", "vs linear", "ratio"]
    return table(header, rows)


def memory(T, K):
    names = [n for n in WORKLOADS if n != "summary_startup" and (n in T.results or n in K.results)]
    rows = [Row(n, T.get(n, "peak_rss_mb"), K.get(n, "peak_rss_mb"), fmt_mb, False).cells()[:4] for n in names]
    return table(["workload", "Tapestry", "Keras", "ratio"], rows)
