"""Keras-written weight files, outputs and gradients for Tapestry's HDF5 weight I/O tests.

Run from the repository root (~10 s):

    python3 -m venv .venv-fixtures && .venv-fixtures/bin/pip install tensorflow-cpu h5py numpy pillow
    .venv-fixtures/bin/python Tests/TapestryIOTests/Fixtures/make_weights_fixtures.py

Writes beside itself:
  mini_vgg.weights.h5          Keras 3 layout, base only      (model.save_weights)
  mini_vgg_legacy.h5           legacy layout, base only       (legacy_h5_format.save_weights_to_hdf5_group)
  mini_vgg_model.weights.h5    Keras 3 layout, base+flatten+head
  mini_vgg_model_legacy.h5     legacy layout, base+flatten+head
  mini_vgg_model_legacy_finetune_order.h5
                               legacy layout written while only block2+head are trainable: the legacy
                               writer orders each layer's weights trainable-first, so block2 comes first
  mini_vgg_model_full.h5       legacy *full-model* save (model.save): weights under /model_weights
  mini_vgg_reference.json      inputs, weights, outputs, gradients (schema in the report / below)
  structure.json               every group, dataset and attribute of the .h5 files above
All weights are everything-trainable unless noted; see mini_vgg_model.py for the architecture.
"""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from mini_vgg_model import (HERE, IMAGE_FORMULA, LABELS, arr, dump_json, input_batch, keras, labels,  # noqa: E402
                            reference_models, tf)
import h5py  # noqa: E402
import numpy as np  # noqa: E402
from keras.src.legacy.saving import legacy_h5_format  # noqa: E402

LEGACY_WRITER = "keras.src.legacy.saving.legacy_h5_format.save_weights_to_hdf5_group(h5py.File(path, 'w'), model)"


def path(name):
    return os.path.join(HERE, name)


def save_legacy_weights(model, name):
    # Keras 3's save_weights only accepts *.weights.h5, but its loader still reads legacy .h5;
    # this is the function Keras 2's save_weights(".h5") became.
    with h5py.File(path(name), "w") as f:
        legacy_h5_format.save_weights_to_hdf5_group(f, model)


def set_finetune_trainability(base):
    base.trainable = True
    for layer in base.layers:
        layer.trainable = layer.name.startswith("block2")


base, model = reference_models()
x, y = input_batch(), labels()

base.save_weights(path("mini_vgg.weights.h5"))
save_legacy_weights(base, "mini_vgg_legacy.h5")
model.save_weights(path("mini_vgg_model.weights.h5"))
save_legacy_weights(model, "mini_vgg_model_legacy.h5")
model.save(path("mini_vgg_model_full.h5"))  # legacy full-model HDF5 (config + /model_weights), no optimizer

base_out = base(x, training=False)
model_out = model(x, training=False)
loss_fn = keras.losses.BinaryCrossentropy()


def gradients(variables):
    xt = tf.constant(x)
    with tf.GradientTape() as tape:
        tape.watch(xt)
        loss = loss_fn(y, model(xt, training=True))
    grads = tape.gradient(loss, list(variables) + [xt])
    return float(loss), grads[:-1], grads[-1]


# Everything trainable first (the gradients do not depend on trainability), then the fine-tuning
# pattern, whose trainable list must pick out the same numbers.
loss_all, grads_all, dx_all = gradients(model.weights)
set_finetune_trainability(base)
save_legacy_weights(model, "mini_vgg_model_legacy_finetune_order.h5")
loss_ft, grads_ft, dx_ft = gradients(model.trainable_weights)
by_path = {w.path: g for w, g in zip(model.weights, grads_all)}
assert loss_ft == loss_all and np.array_equal(dx_ft, dx_all)
assert all(np.array_equal(g, by_path[w.path]) for w, g in zip(model.trainable_weights, grads_ft))


def weight_entry(w, value):
    layer = w.path.split("/")[-2]
    return {"path": w.path, "layer": layer, "name": w.name, "value": arr(value)}


reference = {
    "generator": "Tests/TapestryIOTests/Fixtures/make_weights_fixtures.py",
    "keras_version": keras.__version__,
    "tf_version": tf.__version__,
    "legacy_writer": LEGACY_WRITER,
    "architecture": {
        "base": "Input(32,32,3) -> block1_conv1 Conv2D(8,3,relu,same) -> block1_conv2 Conv2D(8,3,relu,same) -> "
                "block1_pool MaxPool2 -> block2_conv1 Conv2D(16,3,relu,same) -> block2_conv2 Conv2D(16,3,relu,same)"
                " -> block2_pool MaxPool2 -> (8,8,16); functional, name mini_vgg",
        "model": "Sequential name mini_vgg_classifier: [mini_vgg, Flatten name flatten, Dense(1, sigmoid) name head]",
    },
    "image_formula": IMAGE_FORMULA,
    "input": arr(x),
    "labels": arr(y),
    "weights": [weight_entry(w, w.numpy()) for w in model.weights],
    "base_output": arr(base_out),
    "model_output": arr(model_out),
    "loss": {"name": "binary_crossentropy", "reduction": "sum_over_batch_size", "value": loss_ft,
             "note": "Keras takes the logits attached to the sigmoid output (no 1e-7 clipping)"},
    "finetune": {
        "trainable_rule": "base.trainable=True; layer.trainable = layer.name.startswith('block2'); head trainable",
        "trainable_weight_paths": [w.path for w in model.trainable_weights],
        "non_trainable_weight_paths": [w.path for w in model.non_trainable_weights],
        "gradients": [weight_entry(w, g) for w, g in zip(model.trainable_weights, grads_ft)],
        "input_gradient": arr(dx_ft),
    },
    "gradients_all_weights": [weight_entry(w, g) for w, g in zip(model.weights, grads_all)],
}
dump_json(reference, path("mini_vgg_reference.json"))


# ------------------------------------------------------------------ structure.json
def attr_entry(obj, key):
    aid = obj.attrs.get_id(key)
    t = aid.get_type()
    value = obj.attrs[key]
    entry = {"name": key, "shape": list(aid.shape) if aid.shape is not None else None}
    if isinstance(t, h5py.h5t.TypeStringID):
        vlen = t.is_variable_str()
        entry.update(type="string", string="variable" if vlen else "fixed",
                     charset="utf8" if t.get_cset() == h5py.h5t.CSET_UTF8 else "ascii",
                     size=None if vlen else t.get_size(), padding={0: "nullterm", 1: "nullpad", 2: "spacepad"}[t.get_strpad()])
    else:
        entry.update(type="numeric", dtype=np.dtype(value.dtype).str if hasattr(value, "dtype") else type(value).__name__)
    if isinstance(value, np.ndarray):
        value = [v.decode("utf8") if isinstance(v, bytes) else v if isinstance(v, str) else v.item()
                 for v in value.reshape(-1)]
    elif isinstance(value, bytes):
        value = value.decode("utf8")
    elif hasattr(value, "item"):
        value = value.item()
    if isinstance(value, str) and len(value) > 400:  # the full-model JSON config: keep the file small
        entry["value_prefix"], entry["value_length"] = value[:400], len(value)
    else:
        entry["value"] = value
    return entry


def describe_file(name):
    f = h5py.File(path(name), "r")
    objects = []

    def add(obj_path, obj):
        entry = {"path": obj_path, "kind": "dataset" if isinstance(obj, h5py.Dataset) else "group",
                 "attrs": [attr_entry(obj, k) for k in obj.attrs.keys()]}
        if isinstance(obj, h5py.Dataset):
            plist = obj.id.get_create_plist()
            entry.update(shape=list(obj.shape), dtype=obj.dtype.str, chunks=obj.chunks, compression=obj.compression,
                         layout={0: "compact", 1: "contiguous", 2: "chunked"}.get(plist.get_layout(), plist.get_layout()))
        objects.append(entry)

    add("/", f)
    f.visititems(lambda p, o: add("/" + p, o))
    return {"file": name, "bytes": os.path.getsize(path(name)),
            "superblock_version": f.id.get_create_plist().get_version()[0], "objects": objects}


files = ["mini_vgg.weights.h5", "mini_vgg_legacy.h5", "mini_vgg_model.weights.h5", "mini_vgg_model_legacy.h5",
         "mini_vgg_model_legacy_finetune_order.h5", "mini_vgg_model_full.h5"]
dump_json({"generator": reference["generator"], "keras_version": keras.__version__, "h5py_version": h5py.__version__,
           "hdf5_version": h5py.version.hdf5_version, "legacy_writer": LEGACY_WRITER,
           "files": [describe_file(n) for n in files]}, path("structure.json"))
print("wrote", ", ".join(files + ["mini_vgg_reference.json", "structure.json"]), file=sys.stderr)
