"""The mini_vgg models shared by make_weights_fixtures.py and check_roundtrip.py.

Imported, not run. Importing configures TensorFlow (quiet, plain Eigen kernels, one thread,
deterministic ops), so import it before anything else that loads TensorFlow.
"""
import json
import os
import re

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
os.environ["TF_ENABLE_ONEDNN_OPTS"] = "0"  # plain Eigen kernels: no oneDNN re-association
os.environ["KERAS_BACKEND"] = "tensorflow"

import numpy as np
import tensorflow as tf
import keras

tf.config.threading.set_intra_op_parallelism_threads(1)
tf.config.threading.set_inter_op_parallelism_threads(1)
tf.config.experimental.enable_op_determinism()

HERE = os.path.dirname(os.path.abspath(__file__))

# Written in the JSON too; Swift recomputes it exactly (float32 division is correctly rounded).
IMAGE_FORMULA = "x[n, y, x, c] = Float((37*y + 61*x + 97*c + 11*y*x + 53*n) % 256) / 255, n<4, y<32, x<32, c<3"
LABELS = [1.0, 0.0, 1.0, 0.0]


def input_batch():
    n, y, x, c = np.meshgrid(np.arange(4), np.arange(32), np.arange(32), np.arange(3), indexing="ij")
    ints = (37 * y + 61 * x + 97 * c + 11 * y * x + 53 * n) % 256
    return ints.astype(np.float32) / np.float32(255)


def labels():
    return np.array(LABELS, np.float32)[:, None]


def build_base():
    """mini_vgg: a two-block VGG-style functional model, 32x32x3 -> 8x8x16."""
    conv = lambda n, name: keras.layers.Conv2D(n, 3, activation="relu", padding="same", name=name)
    inputs = keras.Input((32, 32, 3))
    x = conv(8, "block1_conv1")(inputs)
    x = conv(8, "block1_conv2")(x)
    x = keras.layers.MaxPooling2D(2, name="block1_pool")(x)
    x = conv(16, "block2_conv1")(x)
    x = conv(16, "block2_conv2")(x)
    x = keras.layers.MaxPooling2D(2, name="block2_pool")(x)
    return keras.Model(inputs, x, name="mini_vgg")


def build_model(base):
    """The classifier of the tutorials, scaled down: [base, Flatten, Dense(1, sigmoid)]."""
    model = keras.Sequential([base, keras.layers.Flatten(name="flatten"),
                              keras.layers.Dense(1, activation="sigmoid", name="head")], name="mini_vgg_classifier")
    model.build((None, 32, 32, 3))
    return model


def seeded_weights(model):
    """He-scaled normal kernels and small biases from one seeded generator, in model.weights order."""
    rng = np.random.default_rng(32)
    values = []
    for w in model.weights:
        shape = tuple(w.shape)
        if len(shape) == 1:
            values.append((rng.normal(size=shape) * 0.05).astype(np.float32))
        else:
            fan_in = int(np.prod(shape[:-1]))
            values.append((rng.normal(size=shape) * np.sqrt(2.0 / fan_in)).astype(np.float32))
    return values


def reference_models():
    """(base, model) with the fixture's seeded weights; base is model.layers[0]."""
    keras.backend.clear_session()
    base = build_base()
    model = build_model(base)
    model.set_weights(seeded_weights(model))
    return base, model


def arr(x):
    a = np.asarray(x, dtype=np.float32)
    return {"shape": list(a.shape), "data": [float(v) for v in a.reshape(-1)]}


def dump_json(obj, path):
    text = json.dumps(obj, indent=1, allow_nan=False)
    text = re.sub(r"\[\s*([-0-9.eE+,\s]+?)\s*\]", lambda m: "[" + ",".join(m.group(1).split()).replace(",,", ",") + "]", text)
    with open(path, "w") as f:
        f.write(text + "\n")
