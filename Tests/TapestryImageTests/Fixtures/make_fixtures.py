#!/usr/bin/env python3
"""Regenerates the TapestryImage test fixtures with Pillow (the reference decoder/resizer).

    python3 -m venv .venv-fixtures && .venv-fixtures/bin/pip install pillow numpy
    .venv-fixtures/bin/pip install keras scipy   # only for the augmentation references
    .venv-fixtures/bin/python Tests/TapestryImageTests/Fixtures/make_fixtures.py

Writes small image files, the pixels Pillow decodes from them (`expected/<name>.raw`, HWC
uint8) and Pillow's NEAREST/BILINEAR resize outputs (`resize/...raw`), all described in
`fixtures.json`. Deterministic: re-running produces the same files for the same Pillow.
"""
import io
import json
import os
import struct
import zlib

import numpy as np
import PIL
from PIL import Image

HERE = os.path.dirname(os.path.abspath(__file__))
rng = np.random.RandomState(1234)
meta = {"pillow": PIL.__version__, "decode": {}, "errors": {}, "resize": []}


def path(*parts):
    p = os.path.join(HERE, *parts)
    os.makedirs(os.path.dirname(p), exist_ok=True)
    return p


def base_rgb(w=23, h=17):
    """Smooth gradients plus noise and a hard edge: exercises filters and JPEG chroma."""
    y, x = np.mgrid[0:h, 0:w].astype(np.float64)
    r = 255 * x / (w - 1)
    g = 255 * y / (h - 1)
    b = np.where((x > w / 3) & (y < h / 2), 230.0, 20.0)
    img = np.stack([r, g, b], axis=-1) + rng.uniform(-25, 25, size=(h, w, 3))
    return np.clip(np.rint(img), 0, 255).astype(np.uint8)


def expect(name, arr):
    arr = np.ascontiguousarray(arr, dtype=np.uint8)
    if arr.ndim == 2:
        arr = arr[:, :, None]
    h, w, c = arr.shape
    raw = f"expected/{name}.raw"
    with open(path(raw), "wb") as f:
        f.write(arr.tobytes())
    meta["decode"][name] = {"width": w, "height": h, "channels": c, "raw": raw}


def png_chunk(kind, data):
    body = kind + data
    return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body) & 0xFFFFFFFF)


def write_png16(name, arr, color_type):
    """Pillow cannot write 16-bit RGB, so assemble the PNG by hand (filter type 0 rows)."""
    h, w = arr.shape[:2]
    rows = b"".join(b"\x00" + arr[y].astype(">u2").tobytes() for y in range(h))
    data = b"\x89PNG\r\n\x1a\n"
    data += png_chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 16, color_type, 0, 0, 0))
    data += png_chunk(b"IDAT", zlib.compress(rows, 9))
    data += png_chunk(b"IEND", b"")
    with open(path(name), "wb") as f:
        f.write(data)


rgb = base_rgb()
gray = np.asarray(Image.fromarray(rgb).convert("L"))
alpha = np.clip(np.arange(23)[None, :] * 11 + np.arange(17)[:, None] * 3, 0, 255).astype(np.uint8)
alpha = np.broadcast_to(alpha, (17, 23))
rgba = np.dstack([rgb, alpha])

# --- PNG variants ------------------------------------------------------------
Image.fromarray(rgb).save(path("rgb.png"))
Image.fromarray(rgba, "RGBA").save(path("rgba.png"))
Image.fromarray(gray).save(path("gray.png"))
Image.fromarray(np.dstack([gray, alpha]), "LA").save(path("gray_alpha.png"))
pal = Image.fromarray(rgb).quantize(colors=16, dither=Image.Dither.NONE)
pal.save(path("palette.png"))
pal_t = pal.copy()
pal_t.info["transparency"] = 3
pal_t.save(path("palette_trns.png"), transparency=3)
rgb16 = rgb.astype(np.uint16) * 257 + rng.randint(0, 257, size=rgb.shape).astype(np.uint16)
write_png16("rgb16.png", rgb16, 2)
gray16 = gray.astype(np.uint16) * 256 + rng.randint(0, 256, size=gray.shape).astype(np.uint16)
write_png16("gray16.png", gray16, 0)

for name in ["rgb.png", "rgba.png", "gray.png", "rgb16.png"]:
    expect(name, np.asarray(Image.open(path(name))))
expect("palette.png", np.asarray(Image.open(path("palette.png")).convert("RGB")))
expect("gray_alpha.png", np.asarray(Image.open(path("gray_alpha.png")).convert("RGBA")))
expect("palette_trns.png", np.asarray(Image.open(path("palette_trns.png")).convert("RGBA")))
# Pillow opens 16-bit gray as "I;16"; Tapestry keeps the high byte (documented in PNGCodec).
expect("gray16.png", (gray16 >> 8).astype(np.uint8))

# --- JPEG variants -----------------------------------------------------------
Image.fromarray(rgb).save(path("rgb.jpg"), quality=90)
Image.fromarray(gray).save(path("gray.jpg"), quality=90)
Image.fromarray(rgb).save(path("progressive.jpg"), quality=85, progressive=True)
Image.fromarray(rgb).save(path("rgb444.jpg"), quality=95, subsampling=0)
Image.fromarray(rgb).convert("CMYK").save(path("cmyk.jpg"), quality=90)
for name in ["rgb.jpg", "gray.jpg", "progressive.jpg", "rgb444.jpg"]:
    expect(name, np.asarray(Image.open(path(name))))

# --- broken and non-image inputs ---------------------------------------------
whole = open(path("rgb.jpg"), "rb").read()
sos = whole.index(b"\xff\xda")  # cut inside the entropy-coded scan, not in the headers
open(path("truncated.jpg"), "wb").write(whole[: sos + (len(whole) - sos) // 2])
open(path("truncated_header.jpg"), "wb").write(whole[: sos // 2])
open(path("garbage.jpg"), "wb").write(whole[:4] + bytes(rng.randint(0, 256, 300).astype(np.uint8)))
# Junk between header segments: libjpeg warns "extraneous bytes", Pillow (and Keras) load it.
open(path("extraneous.jpg"), "wb").write(whole[:sos] + b"\x00\x13\x37" + whole[sos:])
expect("extraneous.jpg", np.asarray(Image.open(path("extraneous.jpg"))))
png = open(path("rgb.png"), "rb").read()
open(path("truncated.png"), "wb").write(png[: len(png) // 2])
bad = bytearray(png)
bad[50] ^= 0xFF  # inside the IDAT data: the chunk CRC no longer matches
open(path("badcrc.png"), "wb").write(bytes(bad))
open(path("not_an_image.png"), "wb").write(b"this is a text file pretending to be a PNG\n")
open(path("empty.jpg"), "wb").write(b"")
Image.fromarray(rgb).save(path("image.gif"))
# A PNG saved with a .jpg extension must still decode (format comes from the bytes).
open(path("png_named.jpg"), "wb").write(png)

# --- resize references ---------------------------------------------------------
sizes = [(10, 7), (40, 31), (7, 30), (23, 9), (5, 17), (3, 2), (46, 34), (61, 45), (1, 1)]
sources = {"rgb": Image.fromarray(rgb), "gray": Image.fromarray(gray)}
for src_name, im in sources.items():
    for (w, h) in sizes:
        for filt_name, filt in [("nearest", Image.NEAREST), ("bilinear", Image.BILINEAR)]:
            out = np.asarray(im.resize((w, h), filt))
            raw = f"resize/{src_name}_{w}x{h}_{filt_name}.raw"
            with open(path(raw), "wb") as f:
                f.write(np.ascontiguousarray(out).tobytes())
            meta["resize"].append({"source": f"{src_name}.png", "width": w, "height": h,
                                   "filter": filt_name, "raw": raw})

# --- NumPy RandomState shuffles (Keras image_dataset_from_directory shuffles with these) ---
meta["numpy_shuffle"] = []
for seed, n in [(42, 12), (1337, 1000), (0, 5), (123456, 2000), (4294967295, 37)]:
    items = list(range(n))
    np.random.RandomState(seed).shuffle(items)
    meta["numpy_shuffle"].append({"seed": seed, "n": n, "permutation": items})

# --- Keras ImageDataGenerator affine transforms ---------------------------------
# Keras 3 cannot be imported without a backend (jax/tf/torch), but its legacy
# apply_affine_transform only needs NumPy and SciPy: load those two functions from the
# installed Keras source and run them as they are.
def keras_affine_function():
    import ast
    import importlib.util
    import scipy
    import scipy.ndimage
    spec = importlib.util.find_spec("keras")
    src_path = os.path.join(os.path.dirname(spec.origin), "src", "legacy", "preprocessing", "image.py")
    tree = ast.parse(open(src_path).read())
    wanted = [n for n in tree.body if isinstance(n, ast.FunctionDef)
              and n.name in ("transform_matrix_offset_center", "apply_affine_transform")]
    for n in wanted:
        n.decorator_list = []
    namespace = {"np": np, "scipy": scipy}
    exec(compile(ast.Module(body=wanted, type_ignores=[]), src_path, "exec"), namespace)
    return namespace["apply_affine_transform"]

import warnings
warnings.simplefilter("ignore", DeprecationWarning)
keras_affine = keras_affine_function()
aug_src = rng.uniform(0, 255, size=(16, 16, 2)).astype(np.float32)
with open(path("augment/source_16x16x2.f32"), "wb") as f:
    f.write(aug_src.tobytes())
meta["augment"] = {"source": "augment/source_16x16x2.f32", "width": 16, "height": 16, "channels": 2, "cases": []}
aug_params = [
    dict(theta=30),
    dict(tx=2.5, ty=-1.25),
    dict(shear=15),
    dict(zx=0.8, zy=1.3),
    dict(theta=-17, tx=1.5, ty=0.75, shear=8, zx=1.1, zy=0.9),
]
for k, params in enumerate(aug_params):
    for mode in ["nearest", "constant", "reflect", "wrap"]:
        out = keras_affine(aug_src, row_axis=0, col_axis=1, channel_axis=2, fill_mode=mode, cval=-7.0, order=1, **params)
        raw = f"augment/case{k}_{mode}.f32"
        with open(path(raw), "wb") as f:
            f.write(np.ascontiguousarray(out, dtype=np.float32).tobytes())
        meta["augment"]["cases"].append({"params": params, "fill_mode": mode, "cval": -7.0, "raw": raw})

with open(path("fixtures.json"), "w") as f:
    json.dump(meta, f, indent=None, sort_keys=True, separators=(",", ":"))
print("Pillow", PIL.__version__, "fixtures written to", HERE)
