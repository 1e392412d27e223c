"""Keras reference outputs for Tapestry's layer, activation, loss and metric tests -> layers.json.

Run from the repository root (~30 s; builds four VGG16s with weights=None for the summaries):

    python3 -m venv .venv-fixtures && .venv-fixtures/bin/pip install tensorflow-cpu h5py numpy pillow
    .venv-fixtures/bin/python Tests/TapestryLayersTests/Fixtures/make_layer_fixtures.py

Inputs and weights come from seeded numpy (stored in the JSON, never regenerated in Swift).
Arrays are {"shape": [...], "data": [flat row-major floats]}; float32 values are written as
float(np.float32(v)), so parsing the decimal as Double and narrowing to Float is exact.
Layouts are Keras's: images NHWC, conv kernels HWIO, dense kernels (in, out), weights in
Keras order (kernel, bias; BatchNormalization: gamma, beta, moving_mean, moving_variance).
"""
import io
import json
import math
import os
import re
import sys

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
os.environ["TF_ENABLE_ONEDNN_OPTS"] = "0"  # plain Eigen kernels: no oneDNN re-association
os.environ["KERAS_BACKEND"] = "tensorflow"
# summary() narrows its table to the terminal width minus 4; fix a wide "terminal" so the
# captured text uses Keras's own default widths (88 sequential-like, 108 otherwise).
os.environ["COLUMNS"] = "200"

import numpy as np
import tensorflow as tf
import keras

tf.config.threading.set_intra_op_parallelism_threads(1)
tf.config.threading.set_inter_op_parallelism_threads(1)
tf.config.experimental.enable_op_determinism()
keras.utils.set_random_seed(7)

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "layers.json")
rng = np.random.default_rng(20261123)


def arr(x):
    a = np.asarray(x, dtype=np.float32)
    return {"shape": list(a.shape), "data": [float(v) for v in a.reshape(-1)]}


def dump_json(obj, path):
    text = json.dumps(obj, indent=1, allow_nan=False, ensure_ascii=False)
    text = re.sub(r"\[\s*([-0-9.eE+,\s]+?)\s*\]", lambda m: "[" + ",".join(m.group(1).split()).replace(",,", ",") + "]", text)
    with open(path, "w", encoding="utf-8") as f:
        f.write(text + "\n")


def normal(*shape, scale=1.0):
    return (rng.normal(size=shape) * scale).astype(np.float32)


# ---------------------------------------------------------------- layers with weights / pooling
layer_cases = []


def layer_case(name, cls, args, x, weights=None):
    """Builds `cls(**args)`, sets `weights` (Keras order) and records the inference output."""
    layer = getattr(keras.layers, cls)(**args)
    layer.build(x.shape)
    if weights is not None:
        layer.set_weights(weights)
    y = layer(x, training=False)
    layer_cases.append({"name": name, "class": cls, "args": args, "input": arr(x),
                        "weights": [arr(w) for w in layer.get_weights()], "output": arr(y)})


def conv_weights(k, cin, cout):
    return [normal(k, k, cin, cout, scale=0.3), normal(cout, scale=0.1)]


# Conv2D: stride 1 same; stride 2 valid; stride 2 same on odd (pads 1/1) and even (pads 0
# top-left, 1 bottom-right: TF puts the extra pad after) sizes; 1x1; 5x5; several channel counts.
layer_case("conv2d_3x3_s1_same_c3_c4", "Conv2D", dict(filters=4, kernel_size=3, strides=1, padding="same"),
           normal(2, 6, 6, 3), conv_weights(3, 3, 4))
layer_case("conv2d_3x3_s1_same_relu_c1_c8", "Conv2D",
           dict(filters=8, kernel_size=3, strides=1, padding="same", activation="relu"), normal(1, 5, 5, 1),
           conv_weights(3, 1, 8))
layer_case("conv2d_3x3_s2_valid_c3_c5", "Conv2D", dict(filters=5, kernel_size=3, strides=2, padding="valid"),
           normal(2, 9, 9, 3), conv_weights(3, 3, 5))
layer_case("conv2d_3x3_s2_same_odd7_c2_c3", "Conv2D", dict(filters=3, kernel_size=3, strides=2, padding="same"),
           normal(1, 7, 7, 2), conv_weights(3, 2, 3))
layer_case("conv2d_3x3_s2_same_even8_c2_c3", "Conv2D", dict(filters=3, kernel_size=3, strides=2, padding="same"),
           normal(1, 8, 8, 2), conv_weights(3, 2, 3))
layer_case("conv2d_1x1_c8_c16", "Conv2D", dict(filters=16, kernel_size=1), normal(1, 4, 4, 8), conv_weights(1, 8, 16))
layer_case("conv2d_5x5_s1_valid_nonsquare_c4_c2", "Conv2D", dict(filters=2, kernel_size=5, padding="valid"),
           normal(1, 7, 9, 4), conv_weights(5, 4, 2))
layer_case("conv2d_3x3_s1_same_no_bias_c16_c8", "Conv2D",
           dict(filters=8, kernel_size=3, padding="same", use_bias=False), normal(1, 4, 4, 16),
           [normal(3, 3, 16, 8, scale=0.2)])

layer_case("dense_5_4", "Dense", dict(units=4), normal(3, 5), [normal(5, 4, scale=0.5), normal(4, scale=0.1)])
layer_case("dense_5_3_relu", "Dense", dict(units=3, activation="relu"), normal(4, 5),
           [normal(5, 3, scale=0.5), normal(3, scale=0.1)])
layer_case("dense_rank3_input", "Dense", dict(units=2), normal(2, 3, 4), [normal(4, 2, scale=0.5), normal(2, scale=0.1)])

pool_in_odd = normal(2, 7, 7, 3)
pool_in_even = normal(1, 8, 8, 2)
for cls in ("MaxPooling2D", "AveragePooling2D"):
    tag = "max" if cls.startswith("Max") else "avg"
    layer_case(f"{tag}pool_2_valid_even8", cls, dict(pool_size=2), pool_in_even)
    layer_case(f"{tag}pool_2_valid_odd7_drops_last", cls, dict(pool_size=2), pool_in_odd)
    layer_case(f"{tag}pool_2_same_odd7", cls, dict(pool_size=2, padding="same"), pool_in_odd)
    layer_case(f"{tag}pool_3_s2_valid_odd7", cls, dict(pool_size=3, strides=2), pool_in_odd)
    layer_case(f"{tag}pool_3_s2_same_even8", cls, dict(pool_size=3, strides=2, padding="same"), pool_in_even)
    layer_case(f"{tag}pool_3_s1_same_odd7", cls, dict(pool_size=3, strides=1, padding="same"), pool_in_odd)
    layer_case(f"{tag}pool_3_default_strides_valid_odd7", cls, dict(pool_size=3), pool_in_odd)
layer_case("global_average_pooling2d", "GlobalAveragePooling2D", {}, pool_in_odd)
layer_case("global_max_pooling2d", "GlobalMaxPooling2D", {}, pool_in_odd)
layer_case("flatten_nhwc", "Flatten", {}, normal(2, 2, 3, 4))

# ---------------------------------------------------------------- batch normalization
bn_x = normal(4, 3, 3, 2, scale=2.0) + np.float32(0.5)
bn_weights = [np.array([1.5, 0.5], np.float32), np.array([0.1, -0.2], np.float32),
              np.array([0.3, -0.4], np.float32), np.array([2.0, 0.25], np.float32)]
bn_args = dict(momentum=0.99, epsilon=1e-3)
batchnorm = []
for training in (False, True):
    bn = keras.layers.BatchNormalization(**bn_args)
    bn.build(bn_x.shape)
    bn.set_weights(bn_weights)
    y = bn(bn_x, training=training)
    batchnorm.append({
        "name": "batchnorm_training" if training else "batchnorm_inference",
        "args": bn_args, "training": training, "input": arr(bn_x),
        "weights_before": {"gamma": arr(bn_weights[0]), "beta": arr(bn_weights[1]),
                           "moving_mean": arr(bn_weights[2]), "moving_variance": arr(bn_weights[3])},
        "output": arr(y),
        "moving_mean_after": arr(bn.moving_mean.numpy()),
        "moving_variance_after": arr(bn.moving_variance.numpy()),
        # What Keras used for the batch statistics (axes N,H,W), to pin the biased-variance choice.
        "batch_mean": arr(bn_x.astype(np.float64).mean(axis=(0, 1, 2))),
        "batch_variance_biased": arr(bn_x.astype(np.float64).var(axis=(0, 1, 2))),
    })

# ---------------------------------------------------------------- activations
act_x = np.concatenate([np.linspace(-6, 6, 25), [-30.0, -10.0, -1e-3, 0.0, 1e-3, 10.0, 30.0]]).astype(np.float32)
activations = []
for name, fn in [("relu", keras.activations.relu), ("sigmoid", keras.activations.sigmoid),
                 ("tanh", keras.activations.tanh), ("elu", keras.activations.elu),
                 ("gelu", keras.activations.gelu),
                 ("gelu_approximate_true", lambda t: keras.activations.gelu(t, approximate=True)),
                 ("leaky_relu_layer_default", keras.layers.LeakyReLU())]:
    activations.append({"name": name, "input": arr(act_x), "output": arr(fn(act_x))})
sm_x = np.array([[1.0, 2.0, 3.0, 4.0], [-1000.0, 0.0, 1000.0, 1.0], [0.5, 0.5, 0.5, 0.5]], np.float32)
activations.append({"name": "softmax_last_axis", "input": arr(sm_x), "output": arr(keras.activations.softmax(sm_x))})
leaky = keras.layers.LeakyReLU()
activation_notes = {
    "gelu_default_approximate": keras.activations.gelu.__defaults__[0] if keras.activations.gelu.__defaults__ else None,
    "leaky_relu_layer_default_negative_slope": float(leaky.negative_slope),
    "elu_default_alpha": 1.0,
}

# ---------------------------------------------------------------- losses
L = keras.losses
y_bin = np.array([[0.0], [1.0], [1.0], [0.0], [1.0], [0.0]], np.float32)
p_bin = np.array([[0.0], [1.0], [0.0], [1.0], [0.7], [0.2]], np.float32)  # exact 0/1 hit the 1e-7 clip
z_bin = np.array([[-3.0], [25.0], [-25.0], [0.0], [0.8], [-1.5]], np.float32)
y_multi = np.array([[0.0, 1.0, 0.0], [1.0, 0.0, 0.0], [0.0, 0.0, 1.0], [0.2, 0.3, 0.5]], np.float32)
p_multi = np.array([[0.1, 0.8, 0.1], [0.0, 0.5, 0.5], [0.2, 0.2, 0.4], [0.3, 0.3, 0.4]], np.float32)  # rows 3 don't sum to 1
z_multi = np.array([[0.5, 2.0, -1.0], [-50.0, 3.0, 1.0], [0.0, 0.0, 0.0], [1.0, -1.0, 2.0]], np.float32)
y_sparse = np.array([1, 0, 2, 2], np.int32)
y_reg = np.array([[0.5, -1.0], [2.0, 0.0], [0.0, 3.0]], np.float32)
p_reg = np.array([[0.0, -1.5], [1.0, 0.5], [0.25, 2.0]], np.float32)
losses = []


def loss_case(name, cls, args, y_true, y_pred, note=""):
    obj = getattr(L, cls)(**args)
    per_sample = obj.fn(y_true, y_pred, **obj._fn_kwargs)
    losses.append({"name": name, "class": cls, "args": args, "y_true": arr(y_true), "y_pred": arr(y_pred),
                   "per_sample": arr(per_sample), "reduced_sum_over_batch_size": float(obj(y_true, y_pred)),
                   "note": note})


loss_case("bce_probabilities_with_exact_0_1", "BinaryCrossentropy", {}, y_bin, p_bin,
          "p clipped to [1e-7, 1-1e-7]; -(y*log(p)+(1-y)*log(1-p)); mean over last axis, then over batch")
loss_case("bce_from_logits", "BinaryCrossentropy", {"from_logits": True}, y_bin, z_bin,
          "TF sigmoid_cross_entropy_with_logits: max(z,0) - z*y + log(1+exp(-|z|)); no clipping")
loss_case("cce_probabilities", "CategoricalCrossentropy", {}, y_multi, p_multi,
          "p renormalised to sum 1 along the last axis, clipped to [1e-7, 1-1e-7], -sum(y*log(p))")
loss_case("cce_from_logits", "CategoricalCrossentropy", {"from_logits": True}, y_multi, z_multi, "")
loss_case("sparse_cce_probabilities", "SparseCategoricalCrossentropy", {}, y_sparse.astype(np.float32), p_multi, "")
loss_case("sparse_cce_from_logits", "SparseCategoricalCrossentropy", {"from_logits": True},
          y_sparse.astype(np.float32), z_multi, "")
loss_case("mse", "MeanSquaredError", {}, y_reg, p_reg, "mean over last axis, then over batch")
# The trap: a tensor coming out of keras.activations.sigmoid carries its logits, and Keras's
# crossentropy then uses them (no clipping) -- this is what happens inside fit().
sig = keras.activations.sigmoid(tf.constant(z_bin))
losses.append({"name": "bce_of_sigmoid_output_uses_attached_logits", "class": "BinaryCrossentropy", "args": {},
               "y_true": arr(y_bin), "y_pred_logits": arr(z_bin), "y_pred": arr(sig),
               "per_sample": arr(L.binary_crossentropy(y_bin, sig)),
               "per_sample_if_probabilities_only": arr(L.binary_crossentropy(y_bin, sig.numpy())),
               "note": "Keras's sigmoid/softmax attach _keras_logits; crossentropy on such a tensor equals the "
                       "from_logits result. Model outputs in fit/evaluate take this path."})

# ---------------------------------------------------------------- metrics
M = keras.metrics
mb_true = np.array([[1], [0], [1], [1], [0], [0], [1], [0]], np.float32)
mb_pred = np.array([[0.9], [0.5], [0.5], [0.51], [0.49], [0.8], [0.1], [0.0]], np.float32)  # 0.5 exactly: > is strict
metrics = []


def metric_case(name, obj, y_true, y_pred):
    obj.update_state(y_true, y_pred)
    metrics.append({"name": name, "class": type(obj).__name__, "config": {k: v for k, v in obj.get_config().items()
                                                                         if k in ("threshold", "thresholds", "top_k", "class_id")},
                    "y_true": arr(y_true), "y_pred": arr(y_pred), "result": float(obj.result())})


metric_case("binary_accuracy_threshold_0.5", M.BinaryAccuracy(), mb_true, mb_pred)
metric_case("categorical_accuracy_with_tie", M.CategoricalAccuracy(), y_multi[:3],
            np.array([[0.1, 0.8, 0.1], [0.4, 0.4, 0.2], [0.3, 0.3, 0.4]], np.float32))
metric_case("sparse_categorical_accuracy", M.SparseCategoricalAccuracy(), y_sparse[:, None].astype(np.float32), p_multi)
metric_case("precision_threshold_0.5", M.Precision(), mb_true, mb_pred)
metric_case("recall_threshold_0.5", M.Recall(), mb_true, mb_pred)


# ---------------------------------------------------------------- summaries and parameter counts
def summary_text(model, **kw):
    chunks = []
    model.summary(print_fn=lambda s, **_: chunks.append(s), **kw)
    return "".join(chunks)


def describe(model):
    layers = [{"name": l.name, "class": type(l).__name__, "params": int(l.count_params()),
               "trainable": bool(l.trainable),
               "output_shape": list(l.output.shape) if hasattr(l, "output") else None} for l in model.layers]
    return {
        "count_params": int(model.count_params()),
        "trainable": int(sum(math.prod(w.shape) for w in model.trainable_weights)),
        "non_trainable": int(sum(math.prod(w.shape) for w in model.non_trainable_weights)),
        "layers": layers,
        "summary": summary_text(model),
        "summary_show_trainable": summary_text(model, show_trainable=True),
    }


VGG = keras.applications.VGG16
summaries = {}
keras.backend.clear_session()
summaries["vgg16_notop_150"] = describe(VGG(weights=None, include_top=False, input_shape=(150, 150, 3)))
keras.backend.clear_session()
base = VGG(weights=None, include_top=False, input_shape=(150, 150, 3))
base.trainable = True
for l in base.layers:
    l.trainable = l.name.startswith("block5")
summaries["vgg16_notop_150_block5_trainable"] = describe(base)
keras.backend.clear_session()
base = VGG(weights=None, include_top=False, input_shape=(150, 150, 3))
base.trainable = False
head = keras.Sequential([base, keras.layers.Flatten(), keras.layers.Dense(256, activation="relu"),
                         keras.layers.Dense(1, activation="sigmoid")])
head.build((None, 150, 150, 3))
summaries["sequential_frozen_vgg16_head"] = describe(head)
keras.backend.clear_session()
summaries["vgg16_top_224"] = describe(VGG(weights=None, include_top=True, input_shape=(224, 224, 3)))
keras.backend.clear_session()

# ---------------------------------------------------------------- initializers and default names
from keras.src.initializers.random_initializers import compute_fans  # noqa: E402

glorot = []
for shape in [(4, 8), (8, 1), (8192, 256), (3, 3, 3, 64), (3, 3, 512, 512)]:
    fan_in, fan_out = compute_fans(shape)
    limit = math.sqrt(6.0 / (fan_in + fan_out))
    sample = keras.initializers.GlorotUniform(seed=0)(shape).numpy()
    glorot.append({"shape": list(shape), "fan_in": int(fan_in), "fan_out": int(fan_out), "limit": limit,
                   "sample_max_abs": float(np.abs(sample).max())})

keras.backend.clear_session()
made = [keras.layers.Dense(1), keras.layers.Dense(1), keras.layers.Conv2D(1, 3), keras.layers.Conv2D(1, 3),
        keras.layers.MaxPooling2D(), keras.layers.Flatten(), keras.layers.Dropout(0.5), keras.layers.Dense(1),
        keras.layers.BatchNormalization(), keras.layers.GlobalAveragePooling2D(), keras.layers.AveragePooling2D(2)]
inp = keras.Input((4,))
seq = keras.Sequential([keras.Input((4,)), keras.layers.Dense(2)])
fun = keras.Model(inp, keras.layers.Dense(2)(inp))
creation_order = [l.name for l in made]
keras.backend.clear_session()
first_inp = keras.Input((4,))
first_functional = keras.Model(first_inp, keras.layers.Dense(2)(first_inp))
default_names = {
    "creation_order": creation_order,
    "functional_model_first_in_fresh_session": first_functional.name,
    "input_tensor_layer": inp._keras_history.operation.name,
    "sequential": seq.name, "sequential_inner_dense": seq.layers[0].name,
    "functional_model": fun.name, "functional_dense": fun.layers[-1].name,
    "note": "fresh session (keras.backend.clear_session()); counters are per snake_case class name and shared "
            "by layers and models created later in the same session. A Sequential with an Input builds an inner "
            "Functional that takes the name 'functional', so a functional model made after it is 'functional_1'.",
}

fixture = {
    "generator": "Tests/TapestryLayersTests/Fixtures/make_layer_fixtures.py",
    "keras_version": keras.__version__,
    "tf_version": tf.__version__,
    "keras_epsilon": keras.config.epsilon(),
    "layers": layer_cases,
    "batchnorm": batchnorm,
    "activations": activations,
    "activation_notes": activation_notes,
    "losses": losses,
    "metrics": metrics,
    "summaries": summaries,
    "summary_settings": {"terminal_columns": 200, "note": "line_length = min(88 if sequential-like else 108, "
                                                          "columns-4), +12 with show_trainable"},
    "glorot_uniform": glorot,
    "default_names": default_names,
}
dump_json(fixture, OUT)
print(f"wrote {OUT} ({os.path.getsize(OUT)} bytes)", file=sys.stderr)
for k, s in summaries.items():
    print(k, s["count_params"], s["trainable"], s["non_trainable"], file=sys.stderr)
