"""Checks that weight files written by Tapestry load into Keras with exactly the reference weights.

Usage (from the repository root; pass any subset of files):

    .venv-fixtures/bin/python Tests/TapestryIOTests/Fixtures/check_roundtrip.py \
        --base-weights out/mini_vgg.weights.h5 --base-legacy out/mini_vgg_legacy.h5 \
        --model-weights out/mini_vgg_model.weights.h5 --model-legacy out/mini_vgg_model_legacy.h5 \
        [--model-legacy-finetune out/ft.h5] [--json report.json] [--strict-structure]
    .venv-fixtures/bin/python Tests/TapestryIOTests/Fixtures/check_roundtrip.py --self-test   # Keras's own files

"base" files hold mini_vgg alone; "model" files hold [mini_vgg, flatten, head] (see mini_vgg_model.py).
Each file is loaded with Keras's own loader (model.load_weights: *.weights.h5 -> Keras 3 format, other
*.h5 -> legacy, which also accepts a full-model file with /model_weights) into a model whose weights were
first zeroed, so a weight the file fails to set shows up as a mismatch. The reference is the fixture's
seeded weights. --model-legacy-finetune loads with only block2+head trainable, because the legacy format
orders each layer's weights trainable-first.

Also reported, informational unless --strict-structure: how the file's HDF5 tree (paths, dataset shapes
and dtypes, attribute names and values) differs from the Keras-written file of the same kind.
Exit code 0 when every given file loads and every weight is bit-identical to the reference, else 1.
"""
import argparse
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from mini_vgg_model import HERE, build_base, build_model, keras, seeded_weights  # noqa: E402
import h5py  # noqa: E402
import numpy as np  # noqa: E402

KINDS = {  # option -> (which model, Keras-written file of the same kind, fine-tune trainability)
    "base_weights": ("base", "mini_vgg.weights.h5", False),
    "base_legacy": ("base", "mini_vgg_legacy.h5", False),
    "model_weights": ("model", "mini_vgg_model.weights.h5", False),
    "model_legacy": ("model", "mini_vgg_model_legacy.h5", False),
    "model_legacy_finetune": ("model", "mini_vgg_model_legacy_finetune_order.h5", True),
}


def fresh(which, finetune):
    keras.backend.clear_session()
    base = build_base()
    model = build_model(base)
    reference = {w.path: v for w, v in zip(model.weights, seeded_weights(model))}
    if finetune:
        base.trainable = True
        for layer in base.layers:
            layer.trainable = layer.name.startswith("block2")
    target = base if which == "base" else model
    target.set_weights([np.zeros(w.shape, np.float32) for w in target.weights])
    return target, reference


def inventory(path):
    """HDF5 path -> description, for a structural diff."""
    out = {}
    with h5py.File(path, "r") as f:
        def add(p, obj):
            attrs = {}
            for k, v in obj.attrs.items():
                if isinstance(v, np.ndarray):
                    v = [x.decode() if isinstance(x, bytes) else str(x) for x in v.reshape(-1)]
                elif isinstance(v, bytes):
                    v = v.decode()
                attrs[k] = v if k != "model_config" else "<json>"
            desc = {"attrs": attrs}
            if isinstance(obj, h5py.Dataset):
                desc.update(shape=list(obj.shape), dtype=obj.dtype.str)
            out[p] = desc
        add("/", f)
        f.visititems(lambda p, o: add("/" + p, o))
    return out


def structure_diff(candidate, keras_file):
    got, want = inventory(candidate), inventory(os.path.join(HERE, keras_file))
    diffs = [f"missing {p}" for p in sorted(set(want) - set(got))]
    diffs += [f"extra {p}" for p in sorted(set(got) - set(want))]
    for p in sorted(set(got) & set(want)):
        g, w = got[p], want[p]
        for key in ("shape", "dtype"):
            if g.get(key) != w.get(key):
                diffs.append(f"{p}: {key} {g.get(key)} != keras {w.get(key)}")
        for a in sorted(set(g["attrs"]) | set(w["attrs"])):
            if a in ("keras_version", "backend"):  # expected to differ between writers
                continue
            if g["attrs"].get(a) != w["attrs"].get(a):
                diffs.append(f"{p}@{a}: {g['attrs'].get(a)!r} != keras {w['attrs'].get(a)!r}")
    return diffs


def check(kind, path):
    which, keras_file, finetune = KINDS[kind]
    result = {"kind": kind, "file": path, "loaded": False, "weights": [], "ok": False}
    try:
        target, reference = fresh(which, finetune)
        target.load_weights(path)
        result["loaded"] = True
    except Exception as e:  # Keras's own message is the useful diagnosis ("Layer count mismatch" ...)
        result["error"] = f"{type(e).__name__}: {e}"
    if result["loaded"]:
        for w in target.weights:
            value, want = w.numpy(), reference[w.path]
            same = value.shape == want.shape and np.array_equal(value, want)
            diff = float(np.max(np.abs(value - want))) if value.shape == want.shape else None
            result["weights"].append({"path": w.path, "equal": bool(same), "max_abs_diff": diff})
        result["ok"] = all(x["equal"] for x in result["weights"])
    try:
        result["structure_differences"] = structure_diff(path, keras_file)
    except Exception as e:
        result["structure_differences"] = [f"could not read file: {type(e).__name__}: {e}"]
    return result


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    for kind in KINDS:
        parser.add_argument("--" + kind.replace("_", "-"), dest=kind, metavar="FILE")
    parser.add_argument("--self-test", action="store_true", help="check Keras's own files in this folder")
    parser.add_argument("--json", metavar="OUT", help="also write the full report as JSON")
    parser.add_argument("--strict-structure", action="store_true", help="structural differences fail too")
    args = parser.parse_args()
    files = {k: getattr(args, k) for k in KINDS if getattr(args, k)}
    if args.self_test:
        files.update({k: os.path.join(HERE, v[1]) for k, v in KINDS.items() if k not in files})
        files.setdefault("model_legacy_full", os.path.join(HERE, "mini_vgg_model_full.h5"))
    if not files:
        parser.error("give at least one file, or --self-test")

    results = []
    for kind, path in files.items():
        # The legacy full-model file loads like any legacy model file (Keras descends into /model_weights);
        # its tree differs from the weights-only file by design, so it is compared with itself.
        if kind == "model_legacy_full":
            r = check("model_legacy", path)
            r["kind"], r["structure_differences"] = kind, []
        else:
            r = check(kind, path)
        if args.strict_structure and r["structure_differences"]:
            r["ok"] = False
        results.append(r)
        bad = [w["path"] for w in r["weights"] if not w["equal"]]
        status = "OK  " if r["ok"] else "FAIL"
        detail = r.get("error") or (f"{len(r['weights']) - len(bad)}/{len(r['weights'])} weights equal"
                                    + (f"; differ: {', '.join(bad)}" if bad else ""))
        print(f"{status} {kind:22s} {path}: {detail}")
        for d in r["structure_differences"][:20]:
            print(f"       structure: {d}")
        if len(r["structure_differences"]) > 20:
            print(f"       structure: ... {len(r['structure_differences']) - 20} more")

    passed = sum(r["ok"] for r in results)
    print(f"{passed} passed, {len(results) - passed} failed")
    if args.json:
        with open(args.json, "w") as f:
            json.dump({"keras_version": keras.__version__, "results": results}, f, indent=1)
    return 0 if passed == len(results) else 1


if __name__ == "__main__":
    sys.exit(main())
