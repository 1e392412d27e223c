"""The side-by-side report of one benchmark run: reads run_tapestry.py's and keras_reference.py's JSON,
prints the tables and writes BENCHMARKS.md atomically (temp file + rename). Stdlib only. Normally
run by Scripts/benchmark.

    python3 Benchmarks/benchmark_report.py --tapestry out/benchmark/tapestry.json \\
        --keras out/benchmark/keras.json --command "Scripts/benchmark" --markdown BENCHMARKS.md

Every ratio reads "higher is better for Tapestry", Keras = 1.0: for speeds Tapestry/Keras, for
times and memory Keras/Tapestry. A workload that failed or did not run on one side says so.
"""
import argparse
import datetime
import os
import tempfile

import machine
from report_tables import Side, load, memory, roofline, scaling, summary_rows, table

# ------------------------------------------------------------------------- the document
def versions(T, K):
    tm, km = T.report.get("machine", {}), K.report.get("machine", {})
    return [
        f"- Swift: {tm.get('swift', machine.swift_version())}",
        f"- BLAS: {tm.get('blas', 'unknown')}; Tapestry kernel threads: {tm.get('kernel_threads', '?')}",
        f"- TensorFlow {km.get('tensorflow', '?')}, Keras {km.get('keras', '?')}, NumPy {km.get('numpy', '?')} "
        f"(Python {km.get('python', '?')}; intra-op threads {km.get('intra_op_threads', '?')}, oneDNN {km.get('onednn', '?')})",
    ]


def environment_lines(cleared):
    """What the benchmark took out of this machine's environment for its run (Scripts/benchmark, step 4)."""
    if not cleared:
        return []
    return [f"- Environment: this machine sets `{cleared}`; the benchmark cleared it for both halves' processes, "
            "so OpenBLAS chose its kernels for this CPU (the core named under BLAS). Outside the benchmark "
            "Tapestry obeys the setting."]


def machine_lines(T, K):
    tm, km = T.report.get("machine", {}), K.report.get("machine", {})
    m = machine.describe()
    cores = f"{m['logical_cores']} logical" + (f", {m['physical_cores']} physical" if m["physical_cores"] else "")
    simd = ", ".join(km.get("cpu", {}).get("simd", [])) or "?"
    load = lambda report, key: " ".join(report.get(key, ["?"]))
    busy = lambda report: (f" (CPU {report['cpu_busy_percent_before']:.0f} % busy over 1 s)"
                           if "cpu_busy_percent_before" in report else "")
    return [
        f"- CPU: {m['cpu_model']} ({cores}); SIMD: {simd}; "
        f"{'virtual machine' if km.get('cpu', {}).get('hypervisor') else 'no hypervisor flag'}",
        f"- Memory: {m['memory_gib']:.1f} GiB; kernel {m['kernel']}",
        f"- Load average (1/5/15 min): before Tapestry {load(tm, 'loadavg_before')}{busy(tm)}, after Tapestry "
        f"{load(tm, 'loadavg_after')}; before Keras {load(km, 'loadavg_before')}{busy(km)}, after Keras "
        f"{load(km, 'loadavg_after')}"
        + (f"; waited {tm['waited_for_idle_seconds']:.0f} s for idle CPUs first" if tm.get("waited_for_idle_seconds") else ""),
    ]


def contention_warning(T, K):
    """A warning when other jobs were competing for the CPU as either side started, else None."""
    busy = {side.name: side.report.get("machine", {}).get("cpu_busy_percent_before") for side in (T, K)}
    busy = {name: b for name, b in busy.items() if b is not None}
    if any(b > 25 for b in busy.values()):
        said = ", ".join(f"{b:.0f} % before the {name} half" for name, b in busy.items())
        return (f"**Warning: the machine was busy** (CPU {said}, measured over 1 s): other jobs competed "
                "for the cores, so the numbers and ratios are skewed. Run again on an idle machine.")
    return None


def blas_warning(T):
    blas = T.report.get("machine", {}).get("blas", "unknown")
    if blas.startswith("OpenBLAS") or blas == "unknown":
        return None
    return (f"**Warning: Tapestry ran on {blas}**, not OpenBLAS: the reference BLAS is 20–40× slower "
            "(`apt-get install libopenblas-dev`, which Scripts/setup does).")


def wall_minutes(side):
    total = sum(r.get("wall_seconds_including_startup", 0) for r in side.results.values())
    return f"{total / 60:.1f} min"


def document(T, K, args):
    quick = T.report.get("quick") or K.report.get("quick")
    now = datetime.datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %Z")
    note, table_text = roofline(T, K)
    warnings = [w for w in (contention_warning(T, K), blas_warning(T)) if w]
    parts = [
        "# Benchmarks: Tapestry against Keras on the same machine",
        "",
        f"Measured {args.started or now} – {now} by `{args.command}`"
        + (" — **a quick run (few repetitions, small block5 epoch, fewer scaling points): a check of the harness, "
           "not a result**" if quick else "")
        + f". Both halves ran in this run on this machine, one after the other (Tapestry {wall_minutes(T)}, Keras "
          f"{wall_minutes(K)}), each workload in its own process; times are medians after warm-up; VGG16 without "
          "weights (Keras `weights=None`: the compute does not depend on the values), random inputs, batch 20. "
          "Definitions: `Benchmarks/keras_reference.py` and `Benchmarks/TapestryModelBench`; raw JSON: `out/benchmark/`.",
        "",
        *[line for w in warnings for line in (w, "")],
        "## Machine",
        "",
        *machine_lines(T, K),
        "",
        "## Versions",
        "",
        *versions(T, K),
        *environment_lines(args.cleared_env),
        "",
        "## Tapestry against Keras (issue 7 targets)",
        "",
        "Ratio: higher is better for Tapestry, Keras = 1.0 (images/s: Tapestry/Keras; seconds and memory: "
        "Keras/Tapestry). The cached block5 epoch reuses the frozen blocks 1–4 output computed once "
        "(`fitWithFrozenPrefixCache`); its first epoch includes that fill. Keras's epoch is `model.fit(epochs=…)`.",
        "",
        table(["workload", "Tapestry", "Keras", "ratio", "target", "status"], summary_rows(T, K)),
        "",
        *[f"Tapestry's log: {line}" for line in (T.result("block5_epoch")[0] or {}).get("cache_log", [])],
        "",
        "## VGG16 conv layers at 150×150, batch 20, next to the sgemm peak (roofline)",
        "",
        note,
        "",
        table_text,
        "",
        "## Scaling of the conv base forward",
        "",
        "Seconds per image; \"vs linear\" is the cost per image-pixel relative to batch 20 at 150×150 (1.00 = linear).",
        "",
        scaling(T, K),
        "",
        "## Peak resident memory per workload process (ru_maxrss)",
        "",
        memory(T, K),
        "",
    ]
    failures = [f"- {side.name} {name}: {message}" for side in (T, K) for name, message in side.failures()]
    if failures:
        parts += ["## Failures", "", *failures, ""]
    return "\n".join(parts)


def write_atomically(path, text):
    directory = os.path.dirname(os.path.abspath(path))
    fd, tmp = tempfile.mkstemp(prefix=".BENCHMARKS.", suffix=".tmp", dir=directory)
    try:
        with os.fdopen(fd, "w") as f:
            f.write(text)
            f.flush()
            os.fsync(f.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        os.unlink(tmp)
        raise


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--tapestry", required=True, help="run_tapestry.py's JSON")
    parser.add_argument("--keras", required=True, help="keras_reference.py's JSON")
    parser.add_argument("--command", default="Scripts/benchmark", help="the command line to record")
    parser.add_argument("--started", help="when the run started (recorded as is)")
    parser.add_argument("--cleared-env", default="", help="the environment settings the benchmark cleared, as NAME=VALUE ...")
    parser.add_argument("--markdown", help="write the report here (atomically)")
    args = parser.parse_args()
    T, K = Side("Tapestry", load(args.tapestry)), Side("Keras", load(args.keras))
    text = document(T, K, args)
    print(text)
    if args.markdown:
        write_atomically(args.markdown, text)
        print(f"wrote {args.markdown}")


if __name__ == "__main__":
    main()
