"""The Keras half of Tapestry's benchmark: the tutorials' workloads on tensorflow-cpu.

    Scripts/benchmark [--quick]     runs this next to Tapestry's TapestryModelBench and prints the comparison
    python3 -m venv .venv-bench && .venv-bench/bin/pip install tensorflow-cpu
    .venv-bench/bin/python Benchmarks/keras_reference.py [--quick] [--out FILE] [--only NAME ...]

Workloads (VGG16 with weights=None: timing does not depend on the values; batch 20):
  forward_150      conv base forward at 150x150x3, no gradients (tf.function, training=False): images/s
  forward_224      the same at 224x224x3
  head_fit_epoch   one epoch of fit of Flatten->Dense(256,relu)->Dropout(0.5)->Dense(1,sigmoid),
                   RMSprop(2e-5), binary crossentropy, on 2000 random (4,4,512) features with
                   validation on 1000: seconds per epoch
  frozen_step      Sequential([frozen VGG16, Flatten, Dense(256,relu), Dense(1,sigmoid)]) at 150:
                   seconds per train_on_batch step
  block5_step      the same with block5_conv1..3 trainable (RMSprop(1e-5)): seconds per step
  conv_layers      each of VGG16's 13 conv layers (+relu) alone at 150, batch 20: seconds and GFLOP/s,
                   GFLOP = 2*H*W*Cin*Cout*9*batch / 1e9 (H, W = output size)
  block5_epoch     block5_step's model fit for epochs on 2000 random 150x150 images with validation on 1000
                   (--quick: 60 + 20), after a warm-up fit on 40 + 20 (--quick: 20 + 20): seconds per epoch
                   (validation included)
  scaling          conv base forward at batch 1/8/20/64 (150x150) and 112/150/224 pixels (batch 20):
                   seconds per image (--quick: without batch 64 and 224 pixels)
  summary_startup  wall time of a fresh `python -c "import keras; VGG16(weights=None, ...).summary()"`,
                   the counterpart of `tapestry summary`: median after one warm-up run
Each workload runs in its own subprocess, so its ru_maxrss is its own peak RSS. Times are medians over
several repetitions after warm-up (minimums too). TensorFlow uses its defaults (oneDNN on) with intra-op threads =
all cores. One JSON object goes to stdout (and to --out). Other jobs on the machine skew the numbers:
/proc/loadavg is recorded before and after.
"""
import argparse
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import time

import machine  # Benchmarks/machine.py

BATCH = 20
WORKLOADS = ["forward_150", "forward_224", "head_fit_epoch", "frozen_step", "block5_step", "conv_layers",
             "block5_epoch", "scaling"]
# (batch, image size) of the scaling workload; the shared point 20 x 150 once; --quick leaves out the two largest.
SCALING_POINTS = [(1, 150), (8, 150), (20, 150), (64, 150), (20, 112), (20, 224)]
QUICK_SCALING_POINTS = [(1, 150), (8, 150), (20, 150), (20, 112)]


def reps(quick, full):
    return {"warmup": 1 if ARGS.quick else 2, "reps": quick if ARGS.quick else full}


# ------------------------------------------------------------------------- run inside a subprocess
def run_workload(name):
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    import numpy as np
    import tensorflow as tf
    import keras

    cores = os.cpu_count()
    tf.config.threading.set_intra_op_parallelism_threads(cores)
    rng = np.random.default_rng(0)
    keras.utils.set_random_seed(0)

    def timed(fn, warmup, n):
        for _ in range(warmup):
            fn()
        times = []
        for _ in range(n):
            t0 = time.perf_counter()
            fn()
            times.append(time.perf_counter() - t0)
        return times

    def vgg(size):
        return keras.applications.VGG16(weights=None, include_top=False, input_shape=(size, size, 3))

    def images(size, count=BATCH):
        return tf.constant(rng.uniform(-120, 150, (count, size, size, 3)).astype(np.float32))

    def labels(count):
        return rng.integers(0, 2, (count, 1)).astype(np.float32)

    def freeze(base, block5):
        if block5:
            base.trainable = True
            for layer in base.layers:
                layer.trainable = layer.name.startswith("block5")
        else:
            base.trainable = False

    def classifier(base, lr):
        model = keras.Sequential([base, keras.layers.Flatten(), keras.layers.Dense(256, activation="relu"),
                                  keras.layers.Dense(1, activation="sigmoid")])
        model.compile(optimizer=keras.optimizers.RMSprop(lr), loss="binary_crossentropy", metrics=["accuracy"])
        return model

    result = {}
    if name in ("forward_150", "forward_224"):
        size = int(name.split("_")[1])
        model, x = vgg(size), images(size)
        forward = tf.function(lambda t: model(t, training=False))
        r = reps(3, 7)
        times = timed(lambda: forward(x).numpy(), r["warmup"], r["reps"])
        med = statistics.median(times)
        result = {"seconds_per_batch": med, "images_per_second": BATCH / med, "times": times, **r}
    elif name == "head_fit_epoch":
        feats = rng.normal(size=(2000, 4, 4, 512)).astype(np.float32)
        labels = rng.integers(0, 2, (2000, 1)).astype(np.float32)
        vfeats = rng.normal(size=(1000, 4, 4, 512)).astype(np.float32)
        vlabels = rng.integers(0, 2, (1000, 1)).astype(np.float32)
        model = keras.Sequential([keras.Input((4, 4, 512)), keras.layers.Flatten(),
                                  keras.layers.Dense(256, activation="relu"), keras.layers.Dropout(0.5),
                                  keras.layers.Dense(1, activation="sigmoid")])
        model.compile(optimizer=keras.optimizers.RMSprop(2e-5), loss="binary_crossentropy", metrics=["accuracy"])
        fit = lambda: model.fit(feats, labels, batch_size=BATCH, epochs=1, validation_data=(vfeats, vlabels),
                                verbose=0)
        r = reps(3, 5)
        times = timed(fit, r["warmup"], r["reps"])
        result = {"seconds_per_epoch": statistics.median(times), "times": times, "train_samples": 2000,
                  "val_samples": 1000, **r}
    elif name in ("frozen_step", "block5_step"):
        base = vgg(150)
        freeze(base, block5=name == "block5_step")
        lr = 2e-5 if name == "frozen_step" else 1e-5
        model = classifier(base, lr)
        x = images(150)
        y = tf.constant(rng.integers(0, 2, (BATCH, 1)).astype(np.float32))
        r = reps(3, 7)
        times = timed(lambda: model.train_on_batch(x, y), r["warmup"], r["reps"])
        result = {"seconds_per_step": statistics.median(times), "times": times,
                  "trainable_params": int(sum(np.prod(w.shape) for w in model.trainable_weights)),
                  "learning_rate": lr, **r}
    elif name == "conv_layers":
        base = vgg(150)
        r = reps(2, 5)
        layers = []
        for layer in base.layers:
            if not isinstance(layer, keras.layers.Conv2D):
                continue
            _, h, w, cin = layer.input.shape
            cout = layer.filters
            conv = keras.layers.Conv2D(cout, 3, padding="same", activation="relu")
            x = tf.constant(rng.normal(size=(BATCH, h, w, cin)).astype(np.float32))
            conv.build(x.shape)
            forward = tf.function(lambda t, conv=conv: conv(t))
            times = timed(lambda: forward(x).numpy(), r["warmup"], r["reps"])
            med = statistics.median(times)
            gflop = 2 * h * w * cin * cout * 9 * BATCH / 1e9
            layers.append({"name": layer.name, "input": [BATCH, h, w, cin], "filters": cout, "seconds": med,
                           "gflop": gflop, "gflop_per_second": gflop / med})
        total = sum(l["seconds"] for l in layers)
        result = {"layers": layers, "sum_seconds": total, "total_gflop": sum(l["gflop"] for l in layers), **r}
    elif name == "block5_epoch":
        train_n, val_n = (60, 20) if ARGS.quick else (2000, 1000)
        warm_n = 20 if ARGS.quick else 40
        epochs = 1 if ARGS.quick else 2
        base = vgg(150)
        freeze(base, block5=True)
        model = classifier(base, 1e-5)
        x, y = images(150, train_n).numpy(), labels(train_n)
        vx, vy = images(150, val_n).numpy(), labels(val_n)
        t0 = time.perf_counter()  # warm-up: traces the train and test functions
        model.fit(x[:warm_n], y[:warm_n], batch_size=BATCH, epochs=1, validation_data=(vx[:20], vy[:20]), verbose=0)
        warmup_seconds = time.perf_counter() - t0

        class EpochTimes(keras.callbacks.Callback):
            def __init__(self):
                super().__init__()
                self.times, self.start = [], 0.0

            def on_epoch_begin(self, epoch, logs=None):
                self.start = time.perf_counter()

            def on_epoch_end(self, epoch, logs=None):  # after validation
                self.times.append(time.perf_counter() - self.start)

        timer = EpochTimes()
        model.fit(x, y, batch_size=BATCH, epochs=epochs, validation_data=(vx, vy), verbose=0, callbacks=[timer])
        result = {"epoch_seconds": statistics.median(timer.times), "times": timer.times, "train_samples": train_n,
                  "val_samples": val_n, "warmup_seconds": warmup_seconds, "warmup": 1, "reps": epochs, "warmup_samples": warm_n,
                  "trainable_params": int(sum(np.prod(w.shape) for w in model.trainable_weights))}
    elif name == "scaling":
        r = reps(1, 3)
        models, points = {}, []
        for batch, size in QUICK_SCALING_POINTS if ARGS.quick else SCALING_POINTS:
            if size not in models:
                model = vgg(size)
                models[size] = tf.function(lambda t, model=model: model(t, training=False))
            x = images(size, batch)
            times = timed(lambda: models[size](x).numpy(), r["warmup"], r["reps"])
            med = statistics.median(times)
            points.append({"batch": batch, "size": size, "seconds_per_batch": med, "seconds_per_image": med / batch,
                           "images_per_second": batch / med, "times": times})
        result = {"points": points, **r}
    else:
        raise SystemExit(f"unknown workload {name}")
    if "times" in result:  # under contention the minimum is the steadier estimate; keep both
        result["min_seconds"] = min(result["times"])
    result["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: KiB
    return result


# ------------------------------------------------------------------------- orchestration
def cpu_info():
    """Model name plus family/model and the SIMD flags that decide which kernels TF/oneDNN use."""
    info = {}
    with open("/proc/cpuinfo") as f:
        for line in f:
            key, _, value = line.partition(":")
            key = key.strip()
            if key in ("model name", "cpu family", "model", "cpu MHz", "flags") and key not in info:
                info[key] = value.strip()
    flags = set(info.pop("flags", "").split())
    info["simd"] = sorted(f for f in flags if f.startswith(("avx", "fma", "amx")))
    info["hypervisor"] = "hypervisor" in flags
    return info


def loadavg():
    with open("/proc/loadavg") as f:
        return f.read().split()[:3]


def versions():
    code = ("import os; os.environ['TF_CPP_MIN_LOG_LEVEL']='3'; import tensorflow as tf, keras, numpy;"
            "print(tf.__version__, keras.__version__, numpy.__version__)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split()
    return dict(zip(["tensorflow", "keras", "numpy"], out))


STARTUP = "summary_startup"
SUMMARY_CODE = ("import os; os.environ['TF_CPP_MIN_LOG_LEVEL'] = '2'; import keras; "
                "keras.applications.VGG16(weights=None, include_top=False, input_shape=(150, 150, 3)).summary()")


def summary_startup():
    runs = 1 if ARGS.quick else 3
    times = []
    for i in range(runs + 1):
        t0 = time.perf_counter()
        proc = subprocess.run([sys.executable, "-c", SUMMARY_CODE], capture_output=True, text=True)
        elapsed = time.perf_counter() - t0
        if proc.returncode != 0:
            return {"error": proc.stderr.strip().splitlines()[-1:] or ["exit %d" % proc.returncode]}
        if i > 0:
            times.append(elapsed)
    return {"seconds": statistics.median(times), "times": times, "warmup": 1, "reps": runs}


def main():
    load_before = loadavg()
    busy_before = machine.cpu_busy_percent()
    results = {}
    for name in ARGS.only or WORKLOADS + [STARTUP]:
        t0 = time.perf_counter()
        if name == STARTUP:
            results[name] = summary_startup()
            results[name]["wall_seconds_including_startup"] = time.perf_counter() - t0
            print(f"{name}: done in {results[name]['wall_seconds_including_startup']:.1f} s", file=sys.stderr)
            continue
        cmd = [sys.executable, os.path.abspath(__file__), "--workload", name] + (["--quick"] if ARGS.quick else [])
        proc = subprocess.run(cmd, capture_output=True, text=True)
        if proc.returncode != 0:
            results[name] = {"error": proc.stderr.strip().splitlines()[-1:] or ["exit %d" % proc.returncode]}
        else:
            results[name] = json.loads(proc.stdout.strip().splitlines()[-1])
        results[name]["wall_seconds_including_startup"] = time.perf_counter() - t0
        print(f"{name}: done in {results[name]['wall_seconds_including_startup']:.1f} s", file=sys.stderr)
    report = {
        "benchmark": "Benchmarks/keras_reference.py",
        "quick": ARGS.quick,
        "batch_size": BATCH,
        "machine": {
            "cpu": cpu_info(), "logical_cores": os.cpu_count(), "python": platform.python_version(),
            **versions(), "intra_op_threads": os.cpu_count(),
            "onednn": os.environ.get("TF_ENABLE_ONEDNN_OPTS", "default (on)"),
            "loadavg_before": load_before, "cpu_busy_percent_before": busy_before, "loadavg_after": loadavg(),
            "note": "2 shared cores; a load average above ~0.5 before the run means other jobs were competing",
        },
        "results": results,
    }
    text = json.dumps(report, indent=1)
    print(text)
    if ARGS.out:
        with open(ARGS.out, "w") as f:
            f.write(text + "\n")
    return 0 if all("error" not in r for r in results.values()) else 1


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="fewer repetitions")
    parser.add_argument("--out", metavar="FILE", help="also write the JSON here")
    parser.add_argument("--only", nargs="+", choices=WORKLOADS + [STARTUP], help="run only these workloads")
    parser.add_argument("--workload", help=argparse.SUPPRESS)  # internal: run one workload, print its JSON
    ARGS = parser.parse_args()
    if ARGS.workload:
        print(json.dumps(run_workload(ARGS.workload)))
    else:
        sys.exit(main())
