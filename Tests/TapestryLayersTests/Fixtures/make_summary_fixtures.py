"""Keras 3 model.summary() texts beyond VGG16 -> summaries_extra.json (Tapestry's summary tests).

Summaries are backend-independent text, so any Keras 3 backend works (this file was written with
keras 3.15.1 on the jax backend, since TensorFlow is not needed for it):

    python3 -m venv .venv-summary && .venv-summary/bin/pip install keras==3.15.1 jax scipy
    KERAS_BACKEND=jax .venv-summary/bin/python Tests/TapestryLayersTests/Fixtures/make_summary_fixtures.py

Each case records the construction in `code` (what the Swift test rebuilds, after clear_session())
and the exact texts of summary() and summary(show_trainable=True); `layers` gives model.layers names.
"""
import json
import os

os.environ.setdefault("KERAS_BACKEND", "jax")
os.environ["COLUMNS"] = "200"  # as make_layer_fixtures.py: Keras's own default widths

import keras
from keras import layers as L

HERE = os.path.dirname(os.path.abspath(__file__))


def text(model, **kw):
    chunks = []
    model.summary(print_fn=lambda s, **_: chunks.append(s), **kw)
    return "".join(chunks)


cases = {}


def record(key, code, model):
    cases[key] = {"code": code, "layers": [l.name for l in model.layers], "summary": text(model),
                  "summary_show_trainable": text(model, show_trainable=True)}


keras.backend.clear_session()
x = keras.Input((3,), name="x")
a = L.Dense(4, name="a")(x)
b = L.Dense(4, name="b")(x)
record("branch_add", 'x = Input([3], "x"); a = Dense(4, "a")(x); b = Dense(4, "b")(x); '
       'Model(x, Add("sum")([a, b]), "branchy")', keras.Model(x, L.Add(name="sum")([a, b]), name="branchy"))

keras.backend.clear_session()
img = keras.Input((8, 8, 3))
c1 = L.Conv2D(4, 3, padding="same")(img)
c2 = L.Conv2D(4, 1)(img)
p1 = L.GlobalAveragePooling2D()(c1)
p2 = L.GlobalMaxPooling2D()(c2)
p3 = L.GlobalAveragePooling2D()(c2)
p4 = L.GlobalMaxPooling2D()(c1)
cat = L.Concatenate()([p1, p2, p3, p4])
frozen = L.Dense(2)
out = L.Dense(1, activation="sigmoid")(frozen(cat))
frozen.trainable = False
record("default_names_concat_frozen",
       "img = Input([8,8,3]); c1 = Conv2D(4, 3, same)(img); c2 = Conv2D(4, 1)(img); p1 = GAP(c1); p2 = GMP(c2); "
       "p3 = GAP(c2); p4 = GMP(c1); cat = Concatenate()([p1,p2,p3,p4]); frozen = Dense(2); "
       "out = Dense(1, sigmoid)(frozen(cat)); frozen.trainable = False; Model(img, out)",
       keras.Model(img, out))

keras.backend.clear_session()
i = keras.Input((2,))
record("long_name", 'i = Input([2]); Model(i, Dense(1, name: 60 x "x")(i), "long")',
       keras.Model(i, L.Dense(1, name="x" * 60)(i), name="long"))

keras.backend.clear_session()
s_in = keras.Input((3,), name="s_in")
shared = L.Dense(3, name="shared")
record("shared_layer_chain", 's_in = Input([3], "s_in"); shared = Dense(3, "shared"); '
       'Model(s_in, shared(Dense(3, "pre")(shared(s_in))), "shared_chain")',
       keras.Model(s_in, shared(L.Dense(3, name="pre")(shared(s_in))), name="shared_chain"))

keras.backend.clear_session()
record("unbuilt_sequential", "Sequential([Dense(2), Dense(1)])", keras.Sequential([L.Dense(2), L.Dense(1)]))

with open(os.path.join(HERE, "summaries_extra.json"), "w", encoding="utf-8") as f:
    json.dump({"generator": "Tests/TapestryLayersTests/Fixtures/make_summary_fixtures.py",
               "keras_version": keras.__version__, "backend": keras.backend.backend(), "cases": cases},
              f, indent=1, ensure_ascii=False)
    f.write("\n")
