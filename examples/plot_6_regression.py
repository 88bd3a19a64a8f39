"""
Imbalanced regression: the relevance function, SMOTER and SMOGN
===============================================================

A continuous target has no minority class, but it can have rare values that matter: the long
upper tail of a price, a flood level, a failure load. The relevance function phi of
:func:`smotekit.regression.relevance` marks them (1 = rare and important, 0 = common), from the
box plot of the target by default; the cases with ``phi >= 0.5`` are the rare ones, and the
samplers of :mod:`smotekit.regression` grow them: :class:`~smotekit.regression.SMOTER`
interpolates between rare neighbours, :class:`~smotekit.regression.SMOGN` interpolates only
between close ones and adds Gaussian noise elsewhere. Run as a script with a file name, it also
saves the figure there (``python examples/plot_6_regression.py docs/figures/regression.png``).
"""

# %%
# A skewed target and its relevance
# ---------------------------------
import sys

import matplotlib.pyplot as plt
import numpy as np

from smotekit.regression import SMOGN, SMOTER, relevance, relevance_control_points

# y grows with the first feature, x; two more features carry no signal
rng = np.random.RandomState(0)
x = rng.normal(size=300)
X = np.c_[x, rng.normal(size=(300, 2))]
y = np.exp(0.8 * x + 0.25 * rng.normal(size=300))

points = relevance_control_points(y)  # the box plot's median and upper whisker end
phi = relevance(y, points)
rare = phi >= 0.5
print("control points (y, phi, slope):\n", points.as_matrix().round(2))
print(f"{rare.sum()} rare cases of {y.size}")

# %%
# Grow the rare cases
# -------------------
# Both samplers grow the rare bin towards the average bin size (``"balance"``); here the normal
# cases are all kept (``undersample=False``) to show only what is added.
smoter = SMOTER(undersample=False, random_state=0)
X_smoter, y_smoter = smoter.fit_resample(X, y)
smogn = SMOGN(undersample=False, random_state=0)
X_smogn, y_smogn = smogn.fit_resample(X, y)
new = slice(len(y), None)
interpolated = smogn.provenance_["neighbor"] >= 0
print(f"SMOTER: {len(y_smoter) - len(y)} new cases; SMOGN: {interpolated.sum()} interpolated, "
      f"{(~interpolated).sum()} with Gaussian noise")  # fmt: skip

# %%
# phi over the target, and the new cases
# --------------------------------------
# A SMOTER case lies on the segment between a rare case and one of its rare neighbours, in the
# features and in the target alike (here seen along x); SMOGN interpolates only where the
# neighbour is within the seed's safe distance (half the median distance to the cases of its
# bin) and otherwise adds a little Gaussian noise to the seed (2% of each column's spread).
fig, axes = plt.subplots(1, 3, figsize=(13, 3.8))
grid = np.linspace(y.min(), y.max(), 400)
ax = axes[0]
ax.hist(y, bins=40, color="0.85", density=True)
ax.set_xlabel("target y")
ax.set_ylabel("density of y")
curve = ax.twinx()
curve.plot(grid, relevance(grid, points), color="C3", label="phi(y)")
curve.plot(points.y, points.phi, "o", color="C3", label="control points")
curve.axhline(0.5, color="C3", lw=0.8, ls=":", label="threshold 0.5")
curve.set_ylabel("relevance phi")
curve.legend(loc="center right", fontsize=8)
ax.set_title("the relevance of each target value", fontsize=10)
for ax, (X_new, y_new), title in [
    (axes[1], (X_smoter[new], y_smoter[new]), "SMOTER"),
    (axes[2], (X_smogn[new], y_smogn[new]), "SMOGN"),
]:
    ax.scatter(x[~rare], y[~rare], s=8, color="0.7", label="normal")
    ax.scatter(x[rare], y[rare], s=14, color="k", label="rare")
    if title == "SMOTER":
        ax.scatter(X_new[:, 0], y_new, s=8, color="C0", alpha=0.6, label="new")
    else:
        ax.scatter(X_new[interpolated, 0], y_new[interpolated], s=8, color="C0", alpha=0.6,
                   label="new, interpolated")  # fmt: skip
        ax.scatter(X_new[~interpolated, 0], y_new[~interpolated], s=10, color="C1",
                   marker="x", label="new, Gaussian noise")  # fmt: skip
    ax.set_xlabel("feature x")
    ax.set_ylabel("target y")
    ax.set_title(f"{title}: {len(y_new)} new cases", fontsize=10)
    ax.legend(fontsize=8, loc="upper left")
fig.tight_layout()
if len(sys.argv) > 1:  # a file name: save the figure there (the docs' copy)
    fig.savefig(sys.argv[1], dpi=80)
plt.show()
