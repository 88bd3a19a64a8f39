"""
Provenance: where each synthetic row comes from
===============================================

Every smotekit sampler records, for each synthetic row, the original row it grew from
(``base``), the row it moved towards (``neighbor``) and how far it moved (``gap``), in
``provenance_``. This answers questions that imbalanced-learn's output cannot: which original
samples were used most, and which synthetic rows came from a suspicious sample.
"""

# %%
# Resample, then read the provenance
# ----------------------------------
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from smotekit import BorderlineSMOTE

rng = np.random.RandomState(0)
X = np.vstack([rng.normal([0, 0], 1.0, size=(300, 2)), rng.normal([1.8, 1.8], 0.7, size=(30, 2))])
y = np.array([0] * 300 + [1] * 30)

sampler = BorderlineSMOTE(random_state=0)
X_res, y_res = sampler.fit_resample(X, y)
provenance = pd.DataFrame(sampler.provenance_)
provenance.index = pd.RangeIndex(len(X), len(X_res), name="output row")
print(provenance.head())

# %%
# Every synthetic row is its recorded interpolation, exactly:
base, neighbor, gap = (sampler.provenance_[f] for f in ("base", "neighbor", "gap"))
assert np.array_equal(X_res[len(X) :], X[base] + gap[:, None] * (X[neighbor] - X[base]))

# %%
# Which samples did Borderline-SMOTE grow from?
# ---------------------------------------------
# It grows only minority samples near the class boundary ("danger" samples), so some minority
# samples are never a base. Marker size shows how many synthetic rows each one started.
uses = np.bincount(base, minlength=len(X))
fig, ax = plt.subplots(figsize=(6, 5))
ax.scatter(*X[y == 0].T, s=10, c="tab:blue", alpha=0.3, label="majority")
ax.scatter(*X_res[len(X) :].T, s=6, c="k", alpha=0.4, label="synthetic")
minority = np.flatnonzero(y == 1)
ax.scatter(
    *X[minority].T,
    s=20 + 8 * uses[minority],
    c="tab:red",
    alpha=0.8,
    label="minority (size: rows grown from it)",
)
ax.set_aspect("equal")
ax.legend(loc="lower right")
ax.set_title("Borderline-SMOTE grows from the boundary only")
print(f"{np.count_nonzero(uses[minority])} of {len(minority)} minority samples were used as bases")

# %%
# Tracing back
# ------------
# Suppose one minority sample turns out to be mislabelled. Its synthetic descendants are the rows
# whose base or neighbour it is; they can be dropped without resampling again.
suspect = minority[np.argmax(uses[minority])]
from_suspect = (provenance["base"] == suspect) | (provenance["neighbor"] == suspect)
descendants = provenance.index[from_suspect]
print(f"sample {suspect} contributed to {len(descendants)} synthetic rows")
keep = np.ones(len(X_res), dtype=bool)
keep[descendants] = False
keep[suspect] = False
X_clean, y_clean = X_res[keep], y_res[keep]
print("rows before and after removing it and its descendants:", len(X_res), len(X_clean))
plt.show()
