#!/usr/bin/env python3
"""Writes the small HDF5 files that TapestryHDF5Tests read.

The files are committed, so the tests need neither Python nor h5py. Re-run this
only to change a fixture, then update the tests' expected values:

    python3 -m venv .venv-fixtures && .venv-fixtures/bin/pip install h5py numpy
    .venv-fixtures/bin/python Tests/TapestryHDF5Tests/Fixtures/make_fixtures.py

Every value is written literally here so that a test can assert it exactly.
h5py 3.x stores Python `str` as variable-length UTF-8 and numpy `S` arrays as
fixed-length NULLPAD ASCII; Keras 2 wrote `layer_names`/`weight_names` as `S`
arrays and `keras_version`/`backend` as `str`, so both kinds appear below.
"""
import os

import h5py
import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "files")


def fixed_string_attr(obj, name, values, size, strpad):
    """Creates a 1-D fixed-length string attribute with an explicit padding."""
    tid = h5py.h5t.C_S1.copy()
    tid.set_size(size)
    tid.set_strpad(strpad)
    space = h5py.h5s.create_simple((len(values),))
    attr = h5py.h5a.create(obj.id, name.encode(), tid, space)
    attr.write(np.array(values, dtype=f"S{size}"))


def make_attributes(path):
    with h5py.File(path, "w") as f:
        # numpy `S` dtype: fixed length 12, NULLPAD. "block1_conv1" fills all
        # 12 bytes with no NUL, which is the case the strpad pitfall breaks.
        f.attrs["fixed_nullpad"] = np.array([b"block1_conv1", b"fc", b"x"], dtype="S")
        fixed_string_attr(f, "fixed_nullterm", [b"relu", b"softmax"], 8, h5py.h5t.STR_NULLTERM)
        f.attrs["vlen_utf8"] = ["dense", "dense_1", "\u00fcn\u00efcode"]
        f.attrs.create("vlen_ascii", [b"alpha", b"beta"], dtype=h5py.string_dtype("ascii"))
        f.attrs["keras_version"] = "2.15.0"  # scalar variable-length UTF-8
        f.attrs["backend"] = np.bytes_(b"tensorflow")  # scalar fixed-length
        f.attrs["empty_float"] = np.array([])  # float64, shape (0,)
        f.attrs["numbers_f64"] = np.array([1.5, -2.25, 3.0])
        f.attrs["numbers_i32"] = np.array([1, -2, 300], dtype=np.int32)
        f.attrs["epoch"] = np.int64(7)
        f.attrs["grid_f32"] = np.arange(6, dtype=np.float32).reshape(2, 3)
        # Keras splits attributes larger than 64 KB into name0, name1, ...
        f.attrs["layer_names0"] = np.array([b"input_1", b"dense"], dtype="S")
        f.attrs["layer_names1"] = np.array([b"dense_1"], dtype="S")

        dense = f.create_group("dense")
        dense.attrs["weight_names"] = np.array([b"dense/kernel:0", b"dense/bias:0"], dtype="S")
        sub = dense.create_group("dense")
        kernel = sub.create_dataset("kernel:0", data=np.array([[1, 2], [3, 4], [5, 6]], dtype=np.float32))
        kernel.attrs["note"] = "kernel"
        sub.create_dataset("bias:0", data=np.array([0.5, -0.5], dtype=np.float32))
        pool = f.create_group("pool")
        pool.attrs["weight_names"] = np.array([])  # what Keras writes for a weightless layer


def make_datasets(path):
    with h5py.File(path, "w") as f:
        f.create_dataset("f32/scalar", data=np.float32(3.5))
        f.create_dataset("f32/rank1", data=np.array([1.0, -2.0, 0.25], dtype=np.float32))
        f.create_dataset("f32/rank2", data=np.arange(6, dtype=np.float32).reshape(2, 3))
        f.create_dataset("f32/rank4", data=(np.arange(72, dtype=np.float32) * 0.5 - 10).reshape(3, 3, 2, 4))
        f.create_dataset("f64/rank2", data=np.array([[0.1, 0.2], [0.3, -4.5]], dtype=np.float64))
        f.create_dataset("f16/rank1", data=np.array([0.5, -1.25, 65504.0], dtype=np.float16))
        f.create_dataset("i32/rank1", data=np.array([1, -2, 3], dtype=np.int32))
        f.create_dataset("empty/rank1", data=np.zeros((0,), dtype=np.float32))
        f.create_dataset("empty/rank2", data=np.zeros((2, 0), dtype=np.float32))
        f.create_dataset("gzip", data=np.arange(100, dtype=np.float32), chunks=(10,), compression="gzip")
        f.create_dataset("a/b/c/deep", data=np.array([42.0], dtype=np.float32))
        f.create_dataset("text", data=np.array([b"not", b"numbers"], dtype="S"))
        order = f.create_group("order")
        for name in ["b", "a", "10", "2"]:  # created out of name order on purpose
            order.create_group(name)
        order.create_dataset("ds", data=np.float32(1))


def make_keras3(path):
    """The Keras 3 `.weights.h5` layout: layers/<class>[_N]/vars/<i>."""
    with h5py.File(path, "w") as f:
        dense = f.create_group("layers/dense/vars")
        dense.create_dataset("0", data=np.ones((4, 2), dtype=np.float32))
        dense.create_dataset("1", data=np.zeros((2,), dtype=np.float32))
        many = f.create_group("layers/batch_normalization/vars")
        for i in range(12):  # more than ten, so name order differs from numeric order
            many.create_dataset(str(i), data=np.full((1,), float(i), dtype=np.float32))
        f.create_group("optimizer/vars")
        f["layers/dense"].attrs["name"] = "dense"


def make_broken(datasets_path):
    with open(os.path.join(OUT, "not_hdf5.h5"), "w") as f:
        f.write("this is plain text, not an HDF5 file\n")
    open(os.path.join(OUT, "empty_file.h5"), "wb").close()
    data = open(datasets_path, "rb").read()
    # Keeps the superblock, so the signature check passes but the end of file
    # recorded there lies beyond the bytes present.
    with open(os.path.join(OUT, "truncated.h5"), "wb") as f:
        f.write(data[: len(data) // 3])
    # Keeps the superblock and the length but overwrites the root group's symbol table
    # and heap, so the file opens and then fails on first use ("bad symbol table node signature").
    damaged = bytearray(data)
    damaged[800:4000] = b"\xa5" * 3200
    with open(os.path.join(OUT, "corrupt.h5"), "wb") as f:
        f.write(damaged)


def main():
    os.makedirs(OUT, exist_ok=True)
    make_attributes(os.path.join(OUT, "attributes.h5"))
    datasets = os.path.join(OUT, "datasets.h5")
    make_datasets(datasets)
    make_keras3(os.path.join(OUT, "keras3.weights.h5"))
    make_broken(datasets)
    for name in sorted(os.listdir(OUT)):
        print(f"{name}: {os.path.getsize(os.path.join(OUT, name))} bytes")


if __name__ == "__main__":
    main()
