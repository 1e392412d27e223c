"""Small .npy files written by NumPy for Tapestry's NumpyFile tests (run from the repository root):

    /work/wt-fixtures/.venv-fixtures/bin/python Tests/TapestryIOTests/Fixtures/make_numpy_fixtures.py

numpy/f4_v1.npy        float32 (3, 4), version 1.0: value[i, j] = (i * 4 + j - 5) / 7
numpy/f8_v2.npy        float64 (2, 3, 2), version 2.0: value[i, j, k] = (i * 6 + j * 2 + k) * 0.1 - 0.35
numpy/f4_scalar.npy    float32 scalar 2.5
numpy/fortran.npy      float32 (2, 3) in Fortran order (must be refused)
numpy/big_endian.npy   >f4 (2,) (must be refused)
numpy/int64.npy        int64 (3,) (must be refused: not a float type)
"""
import os

import numpy as np

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "numpy")
os.makedirs(OUT, exist_ok=True)


def path(name):
    return os.path.join(OUT, name)


np.save(path("f4_v1.npy"), ((np.arange(12).reshape(3, 4) - 5) / 7).astype(np.float32))
with open(path("f8_v2.npy"), "wb") as f:
    np.lib.format.write_array(f, np.arange(12).reshape(2, 3, 2) * 0.1 - 0.35, version=(2, 0))
np.save(path("f4_scalar.npy"), np.float32(2.5))
np.save(path("fortran.npy"), np.asfortranarray(np.arange(6, dtype=np.float32).reshape(2, 3)))
np.save(path("big_endian.npy"), np.array([1.0, 2.0], dtype=">f4"))
np.save(path("int64.npy"), np.arange(3, dtype=np.int64))
print("numpy", np.__version__, "->", sorted(os.listdir(OUT)))
