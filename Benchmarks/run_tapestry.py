"""The Tapestry half of the benchmark: each TapestryModelBench workload in its own process (so its
ru_maxrss is its own peak RSS), plus the start-up time of `tapestry summary`; one JSON file out.
Mirrors keras_reference.py. Normally run by Scripts/benchmark.

    python3 Benchmarks/run_tapestry.py --bench .build-bench/release/TapestryModelBench \\
        --tapestry .build-bench/release/tapestry [--quick] [--only NAME ...] --out FILE
"""
import argparse
import json
import statistics
import subprocess
import sys
import time

import machine

WORKLOADS = ["forward_150", "forward_224", "head_fit_epoch", "frozen_step", "block5_step", "conv_layers",
             "block5_epoch", "scaling"]
STARTUP = "summary_startup"


def run_workload(bench, name, quick):
    cmd = [bench, "--workload", name] + (["--quick"] if quick else [])
    t0 = time.perf_counter()
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=4 * 3600)
    except subprocess.TimeoutExpired:
        return {"error": ["timed out after 4 h"]}, time.perf_counter() - t0
    wall = time.perf_counter() - t0
    if proc.returncode != 0:
        why = "exit %d" % proc.returncode if proc.returncode > 0 else "killed by signal %d" % -proc.returncode
        return {"error": (proc.stderr.strip().splitlines()[-3:] or []) + [why]}, wall
    try:
        return json.loads(proc.stdout.strip().splitlines()[-1]), wall
    except (ValueError, IndexError):
        return {"error": ["no JSON on stdout"] + proc.stderr.strip().splitlines()[-3:]}, wall


def summary_startup(tapestry, quick):
    """Median wall time of `tapestry summary` (VGG16 at 150, no weights) after one warm-up run."""
    cmd = [tapestry, "summary", "--image-size", "150"]
    runs = 3 if quick else 10
    times = []
    for i in range(runs + 1):
        t0 = time.perf_counter()
        proc = subprocess.run(cmd, capture_output=True, text=True)
        elapsed = time.perf_counter() - t0
        if proc.returncode != 0:
            return {"error": proc.stderr.strip().splitlines()[-3:] + ["exit %d" % proc.returncode]}
        if i > 0:
            times.append(elapsed)
    return {"seconds": statistics.median(times), "times": times, "warmup": 1, "reps": runs, "command": " ".join(cmd)}


def main():
    waited, busy_before = machine.wait_until_idle(ARGS.wait_idle) if ARGS.wait_idle else (0.0, machine.cpu_busy_percent())
    load_before = machine.loadavg()
    results = {}
    for name in ARGS.only or WORKLOADS + [STARTUP]:
        t0 = time.perf_counter()
        if name == STARTUP:
            results[name] = summary_startup(ARGS.tapestry, ARGS.quick)
        else:
            results[name], _ = run_workload(ARGS.bench, name, ARGS.quick)
        results[name]["wall_seconds_including_startup"] = time.perf_counter() - t0
        status = "FAILED: " + results[name]["error"][-1] if "error" in results[name] else "done"
        print(f"tapestry {name}: {status} in {results[name]['wall_seconds_including_startup']:.1f} s", file=sys.stderr)
    blas = next((r["blas"] for r in results.values() if "blas" in r), "unknown")
    report = {
        "benchmark": "Benchmarks/TapestryModelBench via Benchmarks/run_tapestry.py",
        "quick": ARGS.quick,
        "batch_size": 20,
        "machine": {**machine.describe(), "swift": machine.swift_version(), "blas": blas,
                    "kernel_threads": next((r["kernel_threads"] for r in results.values() if "kernel_threads" in r), None),
                    "loadavg_before": load_before, "cpu_busy_percent_before": busy_before,
                    "waited_for_idle_seconds": waited,
                    "loadavg_after": machine.loadavg()},
        "results": results,
    }
    with open(ARGS.out, "w") as f:
        f.write(json.dumps(report, indent=1) + "\n")
    return 0 if all("error" not in r for r in results.values()) else 1


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--bench", required=True, help="the TapestryModelBench executable (release build)")
    parser.add_argument("--tapestry", required=True, help="the tapestry executable (release build)")
    parser.add_argument("--quick", action="store_true", help="fewer repetitions, smaller block5_epoch data")
    parser.add_argument("--only", nargs="+", choices=WORKLOADS + [STARTUP], help="run only these workloads")
    parser.add_argument("--out", required=True, metavar="FILE", help="write the JSON here")
    parser.add_argument("--wait-idle", type=float, default=0, metavar="SECONDS",
                        help="first wait up to this long for the CPUs to be idle (< 10 %% busy)")
    ARGS = parser.parse_args()
    sys.exit(main())
