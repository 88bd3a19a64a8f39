"""
The family side by side
=======================

Each member of the SMOTE family on the same data: where it puts the synthetic samples of the
minority class. The data has a minority in two clusters, one of them overlapping the majority.
(SMOTE-NC and SMOTE-N are left out: they are for categorical features.)
"""

import matplotlib.pyplot as plt
import numpy as np

from smotekit import (
    ADASYN,
    SMOTE,
    SMOTEENN,
    SVMSMOTE,
    BorderlineSMOTE,
    KMeansSMOTE,
    PolynomFitSMOTE,
    ProWSyn,
    SMOTETomek,
)

rng = np.random.RandomState(1)
X = np.vstack(
    [
        rng.normal([0, 0], [1.5, 1.0], size=(400, 2)),  # majority
        rng.normal([-1.0, 0.5], 0.4, size=(20, 2)),  # minority inside the majority
        rng.normal([3.5, 2.5], 0.4, size=(20, 2)),  # minority on its own
    ]
)
y = np.array([0] * 400 + [1] * 40)

samplers = {
    "SMOTE": SMOTE(random_state=0),
    "BorderlineSMOTE (borderline-1)": BorderlineSMOTE(random_state=0),
    "BorderlineSMOTE (borderline-2)": BorderlineSMOTE(kind="borderline-2", random_state=0),
    "SVMSMOTE": SVMSMOTE(random_state=0),
    "ADASYN": ADASYN(random_state=0),
    "KMeansSMOTE": KMeansSMOTE(cluster_balance_threshold=0.1, random_state=0),
    "PolynomFitSMOTE": PolynomFitSMOTE(random_state=0),
    "ProWSyn": ProWSyn(random_state=0),
    "SMOTETomek": SMOTETomek(random_state=0),
    "SMOTEENN": SMOTEENN(random_state=0),
}

# %%
# Original samples are the first ``len(X)`` rows of every output, synthetic ones follow
# (SMOTETomek and SMOTEENN then remove some rows of both, so they are shown whole).
fig, axes = plt.subplots(4, 3, figsize=(11, 13), sharex=True, sharey=True)
axes = axes.ravel()
axes[0].scatter(*X[y == 0].T, s=6, c="tab:blue", alpha=0.4)
axes[0].scatter(*X[y == 1].T, s=10, c="tab:red")
axes[0].set_title("original: 400 majority, 40 minority")
for ax, (name, sampler) in zip(axes[1:], samplers.items(), strict=False):
    X_res, y_res = sampler.fit_resample(X, y)
    cleaned = name in ("SMOTETomek", "SMOTEENN")
    new = X_res[y_res == 1] if cleaned else X_res[len(X) :]
    ax.scatter(*X_res[y_res == 0].T, s=6, c="tab:blue", alpha=0.4)
    ax.scatter(*new.T, s=4, c="k", alpha=0.4)
    ax.scatter(*X[y == 1].T, s=10, c="tab:red")
    counts = np.bincount(y_res)
    ax.set_title(f"{name}\n{counts[0]} majority, {counts[1]} minority", fontsize=10)
for ax in axes[len(samplers) + 1 :]:
    ax.set_axis_off()
fig.tight_layout()
plt.show()
