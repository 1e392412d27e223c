#!/usr/bin/env python3
"""Prints, as JSON, what h5py sees in an HDF5 file written by TapestryHDF5.

Used once by hand to record swift_written.h5py.json, which H5pyInteropTests compares
with what the Swift writer intends:

    TAPESTRY_HDF5_EXPORT=/tmp/swift_written.h5 swift test --filter H5pyInteropTests
    .venv-fixtures/bin/python Tests/TapestryHDF5Tests/Fixtures/check_swift_written.py \
        /tmp/swift_written.h5 > Tests/TapestryHDF5Tests/Fixtures/swift_written.h5py.json
"""
import json
import sys

import h5py
import numpy as np


def type_name(tid):
    if isinstance(tid, h5py.h5t.TypeStringID):
        return "variable-length string" if tid.is_variable_str() else "fixed-length string"
    if isinstance(tid, h5py.h5t.TypeFloatID):
        return f"float{tid.get_size() * 8}"
    if isinstance(tid, h5py.h5t.TypeIntegerID):
        signed = tid.get_sign() != h5py.h5t.SGN_NONE
        return f"{'' if signed else 'u'}int{tid.get_size() * 8}"
    return type(tid).__name__


def plain(value):
    """numpy scalars and arrays, bytes and str as JSON values (bytes decoded as UTF-8)."""
    array = np.asarray(value)
    flat = array.reshape(-1).tolist()
    return [v.decode("utf-8") if isinstance(v, bytes) else v for v in flat]


def describe_attrs(obj):
    out = {}
    for name in sorted(obj.attrs):
        attr = obj.attrs.get_id(name)
        tid = attr.get_type()
        entry = {"dtype": type_name(tid), "shape": list(attr.shape), "values": plain(obj.attrs[name])}
        if isinstance(tid, h5py.h5t.TypeStringID):
            entry["cset"] = {h5py.h5t.CSET_ASCII: "ASCII", h5py.h5t.CSET_UTF8: "UTF8"}[tid.get_cset()]
            if not tid.is_variable_str():
                entry["strpad"] = {h5py.h5t.STR_NULLTERM: "NULLTERM", h5py.h5t.STR_NULLPAD: "NULLPAD",
                                   h5py.h5t.STR_SPACEPAD: "SPACEPAD"}[tid.get_strpad()]
                entry["width"] = tid.get_size()
        out[name] = entry
    return out


def main(path):
    objects = {"/": {"kind": "group", "attrs": describe_attrs(h5py.File(path, "r"))}}
    with h5py.File(path, "r") as f:
        def visit(name, obj):
            if isinstance(obj, h5py.Group):
                objects[name] = {"kind": "group", "attrs": describe_attrs(obj)}
            else:
                objects[name] = {"kind": "dataset", "dtype": type_name(obj.id.get_type()),
                                 "shape": list(obj.shape), "values": plain(obj[()]),
                                 "attrs": describe_attrs(obj)}
        f.visititems(visit)
    json.dump({"h5py": h5py.version.version, "hdf5": h5py.version.hdf5_version, "objects": objects},
              sys.stdout, indent=1, sort_keys=True, ensure_ascii=False)
    print()


if __name__ == "__main__":
    main(sys.argv[1])
