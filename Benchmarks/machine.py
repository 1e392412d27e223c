"""What the benchmark records about the machine it ran on (stdlib only; Linux /proc)."""
import os
import subprocess
import time


def cpu_model():
    with open("/proc/cpuinfo") as f:
        for line in f:
            key, _, value = line.partition(":")
            if key.strip() == "model name":
                return value.strip()
    return "unknown"


def physical_cores():
    """Distinct (physical id, core id) pairs; None when /proc/cpuinfo does not say."""
    cores, physical = set(), "0"
    with open("/proc/cpuinfo") as f:
        for line in f:
            key, _, value = line.partition(":")
            key, value = key.strip(), value.strip()
            if key == "physical id":
                physical = value
            elif key == "core id":
                cores.add((physical, value))
    return len(cores) or None


def memory_gib():
    with open("/proc/meminfo") as f:
        for line in f:
            if line.startswith("MemTotal:"):
                return int(line.split()[1]) / 1024 / 1024
    return None


def loadavg():
    with open("/proc/loadavg") as f:
        return f.read().split()[:3]


def cpu_busy_percent(seconds=1.0):
    """How busy all CPUs were over the next `seconds` (from /proc/stat): other jobs' share before a run."""
    def sample():
        with open("/proc/stat") as f:
            values = [int(v) for v in f.readline().split()[1:]]
        idle = values[3] + values[4]  # idle + iowait
        return sum(values), idle
    total0, idle0 = sample()
    time.sleep(seconds)
    total1, idle1 = sample()
    return 100.0 * (1 - (idle1 - idle0) / max(total1 - total0, 1))


def wait_until_idle(timeout, busy_below=10.0):
    """Waits (up to `timeout` seconds) until the CPUs are less than `busy_below` % busy over a second;
    returns (seconds waited, the last busy %)."""
    t0 = time.perf_counter()
    busy = cpu_busy_percent()
    while busy >= busy_below and time.perf_counter() - t0 < timeout:
        busy = cpu_busy_percent()
    return time.perf_counter() - t0, busy


def swift_version():
    try:
        out = subprocess.run(["swift", "--version"], capture_output=True, text=True, timeout=60)
        return (out.stdout or out.stderr).strip().splitlines()[0]
    except (OSError, subprocess.SubprocessError, IndexError):
        return "unknown"


def describe():
    return {"cpu_model": cpu_model(), "logical_cores": os.cpu_count(), "physical_cores": physical_cores(),
            "memory_gib": memory_gib(), "kernel": os.uname().release}
