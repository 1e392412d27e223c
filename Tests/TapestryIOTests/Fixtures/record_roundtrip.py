"""Has Keras check the Tapestry-written files in tapestry_written/ and records the result.

Run from the repository root after writing the files with Swift:

    TAPESTRY_WRITE_ROUNDTRIP_FILES=1 swift test --skip-build --filter KerasWeightsWriterTests/testWriteRoundTripFilesWhenAsked
    /work/wt-fixtures/.venv-fixtures/bin/python Tests/TapestryIOTests/Fixtures/record_roundtrip.py

Runs check_roundtrip.py (every file loaded by Keras into zeroed models, weights compared bit for bit
with the reference, HDF5 tree compared with Keras's own file, --strict-structure) and writes
tapestry_written/roundtrip_record.json: check_roundtrip.py's JSON report, plus for each file the
SHA-256 of its bytes ("sha256") and of every dataset's values as little-endian float32
("datasets": {"/path": hex}), so a Swift test can tell the committed files are the ones Keras checked.
Exits with check_roundtrip.py's status.
"""
import hashlib
import json
import os
import subprocess
import sys

import h5py
import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
WRITTEN = os.path.join(HERE, "tapestry_written")
FILES = {
    "--base-weights": "mini_vgg.weights.h5",
    "--base-legacy": "mini_vgg_legacy.h5",
    "--model-weights": "mini_vgg_model.weights.h5",
    "--model-legacy": "mini_vgg_model_legacy.h5",
    "--model-legacy-finetune": "mini_vgg_model_legacy_finetune_order.h5",
}


def rel(path):
    return os.path.relpath(path, os.getcwd())


def dataset_hashes(path):
    out = {}
    with h5py.File(path, "r") as f:
        def visit(name, obj):
            if isinstance(obj, h5py.Dataset):
                out["/" + name] = hashlib.sha256(np.asarray(obj, dtype="<f4").tobytes()).hexdigest()
        f.visititems(visit)
    return out


def main():
    record_path = os.path.join(WRITTEN, "roundtrip_record.json")
    report_path = record_path + ".tmp"
    command = [sys.executable, os.path.join(HERE, "check_roundtrip.py"), "--json", report_path, "--strict-structure"]
    for option, name in FILES.items():
        command += [option, rel(os.path.join(WRITTEN, name))]
    status = subprocess.call(command)
    with open(report_path) as f:
        report = json.load(f)
    os.remove(report_path)
    for result in report["results"]:
        path = result["file"]
        with open(path, "rb") as f:
            result["sha256"] = hashlib.sha256(f.read()).hexdigest()
        result["datasets"] = dataset_hashes(path)
    report["checked_with"] = " ".join(["python"] + [rel(a) if os.path.isabs(a) else a for a in command[1:]])
    with open(record_path, "w") as f:
        json.dump(report, f, indent=1)
        f.write("\n")
    print("wrote", rel(record_path))
    return status


if __name__ == "__main__":
    sys.exit(main())
