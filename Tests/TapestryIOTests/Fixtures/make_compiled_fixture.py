"""A Keras 3 weights file from a *compiled and trained* model, whose root also holds the optimizer's
state (`optimizer/vars/0…9`), with a BatchNormalization layer (two non-trainable variables).

    /work/wt-fixtures/.venv-fixtures/bin/python Tests/TapestryIOTests/Fixtures/make_compiled_fixture.py

Writes dense_bn_compiled.weights.h5 and dense_bn_compiled_legacy.h5 (legacy writer) for
Sequential([Input(3), Dense(2, name="d"), BatchNormalization(name="bn")], name="s"), with known weights
set after one epoch of Adam: d/kernel = arange(6).reshape(3, 2) / 10, d/bias = [-1, 1],
bn gamma = [1.5, 2.5], beta = [0.1, 0.2], moving_mean = [3, 4], moving_variance = [5, 6].
"""
import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
os.environ["KERAS_BACKEND"] = "tensorflow"

import h5py  # noqa: E402
import keras  # noqa: E402
import numpy as np  # noqa: E402
from keras.src.legacy.saving import legacy_h5_format  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
keras.utils.set_random_seed(1)
model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(2, name="d"), keras.layers.BatchNormalization(name="bn")],
                         name="s")
model.compile(optimizer="adam", loss="mse")
model.fit(np.ones((4, 3), np.float32), np.ones((4, 2), np.float32), verbose=0)
model.set_weights([np.arange(6, dtype=np.float32).reshape(3, 2) / 10, np.array([-1, 1], np.float32),
                   np.array([1.5, 2.5], np.float32), np.array([0.1, 0.2], np.float32),
                   np.array([3, 4], np.float32), np.array([5, 6], np.float32)])
model.save_weights(os.path.join(HERE, "dense_bn_compiled.weights.h5"))
with h5py.File(os.path.join(HERE, "dense_bn_compiled_legacy.h5"), "w") as f:
    legacy_h5_format.save_weights_to_hdf5_group(f, model)
with h5py.File(os.path.join(HERE, "dense_bn_compiled.weights.h5")) as f:
    print(sorted(f.keys()), f["optimizer/vars"].attrs["name"], len(f["optimizer/vars"]))
