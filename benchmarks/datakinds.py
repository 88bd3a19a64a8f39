"""The three kinds of data every benchmark runs on.

* ``gaussian``: isotropic standard normal rows, the minority shifted by 1 in every feature; the
  worst case for space-partitioning trees (no structure, full intrinsic dimension).
* ``classification``: scikit-learn's ``make_classification`` (clusters on the vertices of a
  hypercube, 60% of the features informative, the rest redundant or noise): clustered, as real
  feature tables are.
* ``manifold``: a 3-dimensional manifold embedded in ``d`` features (a smooth random map of three
  latent coordinates, plus a little noise): low intrinsic dimension at any feature count.
"""

from __future__ import annotations

import numpy as np

KINDS = ("gaussian", "classification", "manifold")


def make_data(
    kind: str, n_minority: int, d: int, ratio: int = 10, seed: int = 0
) -> tuple[np.ndarray, np.ndarray]:
    """``n_minority`` rows of class 1 and ``ratio`` times as many of class 0, ``d`` features."""
    n_major = ratio * n_minority
    n = n_major + n_minority
    rng = np.random.default_rng(seed)
    y = np.zeros(n, dtype=np.int64)
    y[n_major:] = 1
    if kind == "gaussian":
        X = rng.standard_normal((n, d))
        X[n_major:] += 1.0
        return X, y
    if kind == "classification":
        from sklearn.datasets import make_classification

        informative = max(1, (6 * d) // 10)
        redundant = min(d - informative, max(0, d // 5))
        X, y_sk = make_classification(
            n_samples=n,
            n_features=d,
            n_informative=informative,
            n_redundant=redundant,
            n_clusters_per_class=2 if informative >= 2 else 1,
            weights=[n_major / n],
            flip_y=0.0,
            random_state=seed,
        )
        # make_classification rounds the class sizes; keep exactly the asked counts.
        order = np.argsort(y_sk, kind="stable")
        return X[order], np.sort(y_sk).astype(np.int64)
    if kind == "manifold":
        latent = rng.uniform(-1.0, 1.0, size=(n, 3))
        latent[n_major:] += 0.5
        freq = rng.normal(size=(3, d))
        phase = rng.uniform(0, 2 * np.pi, size=d)
        X = np.sin(latent @ freq + phase) + 0.01 * rng.standard_normal((n, d))
        return X, y
    raise ValueError(f"unknown data kind {kind!r}; use one of {KINDS}")
