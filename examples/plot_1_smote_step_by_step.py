"""
SMOTE step by step
==================

SMOTE makes a synthetic sample of a class by taking a sample ``x`` of that class, one of its
``k`` nearest neighbours ``x_nn`` within the class, and a point on the segment between them:
``x + gap * (x_nn - x)`` with ``gap`` drawn uniformly in [0, 1]. This example does it by hand for
one synthetic row, then checks that :class:`smotekit.SMOTE` made exactly that row.
"""

# %%
# A small imbalanced problem
# --------------------------
# 200 majority and 20 minority samples in two dimensions.
import matplotlib.pyplot as plt
import numpy as np

from smotekit import SMOTE
from smotekit.neighbors import ExactNeighbors

rng = np.random.RandomState(0)
X = np.vstack([rng.normal([0, 0], 1.0, size=(200, 2)), rng.normal([2.5, 2.5], 0.8, size=(20, 2))])
y = np.array([0] * 200 + [1] * 20)
minority = X[y == 1]

# %%
# Step 1: the neighbours within the class
# ---------------------------------------
# SMOTE only looks at the class being grown. Each sample's ``k`` nearest neighbours are searched
# among the other samples of that class; asking the search for ``k + 1`` neighbours and dropping
# the sample itself (by index, so duplicate rows are handled) gives ``k`` real neighbours.
k = 5
search = ExactNeighbors(n_neighbors=k + 1).fit(minority)
distances, neighbours = search.kneighbors(minority)
# a sample whose neighbours are at a typical distance, to draw
base = int(np.argsort(distances.mean(axis=1))[len(minority) // 2])
partners = [int(j) for j in neighbours[base] if j != base][:k]
print(f"minority sample {base} has neighbours {partners}")

# %%
# Step 2: one synthetic sample
# ----------------------------
# Pick one partner and a gap, and move that fraction of the way from the sample to the partner.
partner, gap = partners[2], 0.4
synthetic = minority[base] + gap * (minority[partner] - minority[base])

fig, ax = plt.subplots(figsize=(6, 5))
ax.scatter(*X[y == 0].T, s=12, c="tab:blue", alpha=0.3, label="majority")
ax.scatter(*minority.T, s=30, c="tab:red", label="minority")
for j in partners:
    ax.plot(*np.c_[minority[base], minority[j]], c="k", lw=1, zorder=0)
ax.scatter(*minority[base], s=200, facecolors="none", edgecolors="k", label=f"x (sample {base})")
ax.scatter(*synthetic, s=200, c="k", marker="*", label=f"x + {gap} (x_nn - x)")
low, high = minority.min(axis=0) - 0.5, minority.max(axis=0) + 0.5  # the minority's corner
ax.set(xlim=(low[0], high[0]), ylim=(low[1], high[1]), aspect="equal")
ax.set_title(f"Sample {base}, its {k} neighbours, one synthetic sample")
ax.legend(loc="upper left", fontsize=9)
fig.tight_layout()

# %%
# Step 3: the whole class
# -----------------------
# :class:`~smotekit.SMOTE` repeats this until the minority is as large as the majority: bases
# drawn uniformly from the class, a partner uniformly among each base's ``k`` neighbours, a gap
# uniformly in [0, 1]. Its ``provenance_`` records the three draws of every synthetic row, so the
# first row can be rebuilt by hand with steps 1 and 2.
sampler = SMOTE(k_neighbors=k, random_state=0)
X_res, y_res = sampler.fit_resample(X, y)
first = sampler.provenance_[0]
rebuilt = X[first["base"]] + first["gap"] * (X[first["neighbor"]] - X[first["base"]])
print("synthetic rows:", len(X_res) - len(X))
print("first synthetic row:", X_res[len(X)], "rebuilt by hand:", rebuilt)
assert np.array_equal(X_res[len(X)], rebuilt)

fig, ax = plt.subplots(figsize=(6, 5))
ax.scatter(*X[y == 0].T, s=12, c="tab:blue", alpha=0.4, label="majority")
ax.scatter(*X_res[len(X) :].T, s=8, c="k", alpha=0.5, label="synthetic minority")
ax.scatter(*minority.T, s=25, c="tab:red", label="minority")
ax.set_title("SMOTE: 180 synthetic minority samples")
ax.set_aspect("equal")
ax.legend(loc="upper left", fontsize=9)
fig.tight_layout()
plt.show()
