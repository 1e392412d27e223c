"""Keras reference runs of `fit` for Tapestry's optimizer tests -> optimizers.json.

Run from the repository root (takes ~30 s on one core):

    python3 -m venv .venv-fixtures && .venv-fixtures/bin/pip install tensorflow-cpu h5py numpy pillow
    .venv-fixtures/bin/python Tests/TapestryTrainingTests/Fixtures/make_optimizer_fixtures.py

Three tiny MLPs (4 -> Dense(8, tanh) -> head) with fixed initial weights are trained with
`fit(batch_size=8, epochs=3, shuffle=False)` on 24 fixed samples, once per optimizer config.
The JSON keeps the data, the initial weights, every optimizer's full Keras config (defaults
included), `history` per epoch and the final weights, plus the weights after the very first
step (to debug a single update in isolation).

Arrays are {"shape": [...], "data": [flat row-major floats]}; float32 values are written as
float(np.float32(v)), so parsing the decimal as Double and narrowing to Float is exact.
"""
import json
import os
import re
import sys

# Before TensorFlow loads: quiet logs, plain Eigen kernels (oneDNN reorders float sums).
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
os.environ["TF_ENABLE_ONEDNN_OPTS"] = "0"
os.environ["KERAS_BACKEND"] = "tensorflow"

import numpy as np
import tensorflow as tf
import keras

tf.config.threading.set_intra_op_parallelism_threads(1)
tf.config.threading.set_inter_op_parallelism_threads(1)
tf.config.experimental.enable_op_determinism()
keras.utils.set_random_seed(1234)

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "optimizers.json")

N, BATCH, EPOCHS = 24, 8, 3


def arr(x):
    """A float32 array as {"shape", "data"} with exact float32 values."""
    a = np.asarray(x, dtype=np.float32)
    return {"shape": list(a.shape), "data": [float(v) for v in a.reshape(-1)]}


def dump_json(obj, path):
    text = json.dumps(obj, indent=1, allow_nan=False)
    # Keep numeric lists on one line so the file stays small and diffable.
    text = re.sub(r"\[\s*([-0-9.eE+,\s]+?)\s*\]", lambda m: "[" + ",".join(m.group(1).split()).replace(",,", ",") + "]", text)
    with open(path, "w") as f:
        f.write(text + "\n")


# ---- fixed data (seeded numpy; stored in the JSON, so Swift never regenerates it) ----
rng = np.random.default_rng(20261123)
x = rng.normal(size=(N, 4)).astype(np.float32)
y_binary = ((x[:, 0] + 0.5 * x[:, 1] - x[:, 2] * x[:, 3]) > 0).astype(np.float32)[:, None]
scores = np.stack([x[:, 0] - x[:, 1], x[:, 2], 0.5 - x[:, 3]], axis=1)
y_onehot = np.eye(3, dtype=np.float32)[np.argmax(scores, axis=1)]
y_regression = (np.sin(x[:, 0]) + 0.5 * x[:, 1] * x[:, 2]).astype(np.float32)[:, None]
targets = {"y_binary": y_binary, "y_onehot": y_onehot, "y_regression": y_regression}

# ---- the three model heads; weights fixed per model, shared by all optimizers ----
MODELS = {
    "bce": dict(units=1, activation="sigmoid", loss="binary_crossentropy", metrics=["accuracy"], y="y_binary"),
    "cce": dict(units=3, activation="softmax", loss="categorical_crossentropy", metrics=["accuracy"], y="y_onehot"),
    "mse": dict(units=1, activation="linear", loss="mean_squared_error", metrics=["mae"], y="y_regression"),
}
for i, spec in enumerate(MODELS.values()):
    wrng = np.random.default_rng(100 + i)
    spec["initial_weights"] = [
        ("hidden", wrng.uniform(-0.7, 0.7, (4, 8)).astype(np.float32), wrng.uniform(-0.1, 0.1, (8,)).astype(np.float32)),
        ("out", wrng.uniform(-0.7, 0.7, (8, spec["units"])).astype(np.float32),
         wrng.uniform(-0.1, 0.1, (spec["units"],)).astype(np.float32)),
    ]

# ---- optimizer configs: what the brief asks for, learning rates written out ----
OPTIMIZERS = {
    "sgd": lambda: keras.optimizers.SGD(learning_rate=0.1),
    "sgd_momentum": lambda: keras.optimizers.SGD(learning_rate=0.1, momentum=0.9),
    "sgd_nesterov": lambda: keras.optimizers.SGD(learning_rate=0.1, momentum=0.9, nesterov=True),
    "rmsprop": lambda: keras.optimizers.RMSprop(learning_rate=1e-2),
    "rmsprop_centered_momentum": lambda: keras.optimizers.RMSprop(learning_rate=1e-2, momentum=0.5, centered=True),
    "adam": lambda: keras.optimizers.Adam(learning_rate=1e-2),
    "adam_amsgrad": lambda: keras.optimizers.Adam(learning_rate=1e-2, amsgrad=True),
    # With beta_2=0.999 the second moment only grows over 9 steps, so AMSGrad's max() never
    # bites and matches Adam to ~1e-5; a short beta_2 lets v shrink and makes the case discriminating.
    "adam_amsgrad_beta2_0.9": lambda: keras.optimizers.Adam(learning_rate=1e-2, beta_2=0.9, amsgrad=True),
    "adam_beta2_0.9": lambda: keras.optimizers.Adam(learning_rate=1e-2, beta_2=0.9),
    "adamw": lambda: keras.optimizers.AdamW(learning_rate=1e-2, weight_decay=0.1),
}


def build(spec):
    model = keras.Sequential([
        keras.Input(shape=(4,)),
        keras.layers.Dense(8, activation="tanh", name="hidden"),
        keras.layers.Dense(spec["units"], activation=spec["activation"], name="out"),
    ])
    for name, kernel, bias in spec["initial_weights"]:
        model.get_layer(name).set_weights([kernel, bias])
    return model


def layer_weights(model):
    return [{"name": l.name, "kernel": arr(l.kernel.numpy()), "bias": arr(l.bias.numpy())} for l in model.layers]


class FirstStep(keras.callbacks.Callback):
    """Captures the weights after the first optimizer step of the first epoch."""

    def on_train_batch_end(self, batch, logs=None):
        if not hasattr(self, "weights_after"):
            self.weights_after = layer_weights(self.model)


def json_config(cfg):
    # get_config holds plain Python scalars/None; numpy scalars would not serialise. The
    # auto-generated name ("adam_3") only counts instances in this process, so drop it.
    return {k: (v.item() if hasattr(v, "item") else v) for k, v in cfg.items() if k != "name"}


cases = []
for model_key, spec in MODELS.items():
    for opt_key, make_opt in OPTIMIZERS.items():
        model = build(spec)
        opt = make_opt()
        model.compile(optimizer=opt, loss=spec["loss"], metrics=spec["metrics"])
        first = FirstStep()
        hist = model.fit(x, targets[spec["y"]], batch_size=BATCH, epochs=EPOCHS, shuffle=False, verbose=0,
                         callbacks=[first])
        cases.append({
            "name": f"{model_key}/{opt_key}",
            "model": model_key,
            "optimizer": {"class": type(opt).__name__, "config": json_config(opt.get_config())},
            "history": {k: [float(v) for v in vals] for k, vals in hist.history.items()},
            "iterations": int(opt.iterations.numpy()),
            "weights_after_first_step": first.weights_after,
            "final_weights": layer_weights(model),
        })
        print(f"{model_key}/{opt_key}: loss {['%.5f' % v for v in hist.history['loss']]}", file=sys.stderr)

fixture = {
    "generator": "Tests/TapestryTrainingTests/Fixtures/make_optimizer_fixtures.py",
    "keras_version": keras.__version__,
    "tf_version": tf.__version__,
    "notes": [
        "history['loss'] and metrics per epoch are Keras's running means over that epoch's 3 batches, each batch "
        "evaluated with the weights BEFORE that batch's update (weighted by batch size; all batches are 8).",
        "In fit, Keras computes binary/categorical crossentropy of a sigmoid/softmax output FROM THE LOGITS "
        "(the activation attaches _keras_logits), so no 1e-7 clipping happens here.",
        "'accuracy' with binary_crossentropy is binary accuracy (threshold 0.5); with categorical_crossentropy it "
        "is categorical accuracy (argmax match).",
        "Model: Input(4) -> Dense(8, tanh, name hidden) -> Dense(units, activation, name out); weights are listed "
        "per layer as kernel (in, out) then bias (out).",
        "Optimizer steps per epoch = 24/8 = 3; 'iterations' is the optimizer step count after 3 epochs.",
    ],
    "fit": {"batch_size": BATCH, "epochs": EPOCHS, "shuffle": False, "samples": N},
    "data": {"x": arr(x), **{k: arr(v) for k, v in targets.items()}},
    "models": {
        key: {
            "layers": [{"name": "hidden", "units": 8, "activation": "tanh"},
                       {"name": "out", "units": spec["units"], "activation": spec["activation"]}],
            "loss": spec["loss"],
            "metrics": spec["metrics"],
            "target": spec["y"],
            "initial_weights": [{"name": n, "kernel": arr(k), "bias": arr(b)} for n, k, b in spec["initial_weights"]],
        }
        for key, spec in MODELS.items()
    },
    "cases": cases,
}
dump_json(fixture, OUT)
print(f"wrote {OUT} ({os.path.getsize(OUT)} bytes, {len(cases)} cases)", file=sys.stderr)
