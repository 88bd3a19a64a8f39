"""Pictures for ``inspect`` and ``resample``: class balance and a 2-D PCA of the rows.

Files can hold millions of rows, so pictures are drawn from a fixed-size uniform sample of the
rows (:class:`RowSample`, reservoir sampling), and the projection is fitted on the original rows
only, so that synthetic rows are drawn in the same coordinates as the rows they came from.
matplotlib is loaded on first use (the ``report`` extra) and no global pyplot state is touched.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

from smotekit._optional import import_optional

__all__ = ["RowSample", "plot_inspect", "plot_resample"]

# Points per scatter: enough to see the shape of every class, few enough to draw in a second.
SAMPLE_ROWS = 4000


class RowSample:
    """A uniform random sample of at most ``size`` rows of a stream (reservoir sampling).

    Examples
    --------
    >>> import numpy as np
    >>> sample = RowSample(3)
    >>> for start in range(0, 100, 10):
    ...     sample.add(np.arange(start, start + 10, dtype=float)[:, None], np.zeros(10))
    >>> sample.X.shape, sample.seen
    ((3, 1), 100)
    """

    def __init__(self, size: int = SAMPLE_ROWS, seed: int = 0) -> None:
        self.size = size
        self.seen = 0
        self._rng = np.random.default_rng(seed)
        self._X: NDArray[np.float64] | None = None
        self._y: NDArray[Any] | None = None

    def add(self, X: NDArray[np.floating], y: NDArray[Any]) -> None:
        """Offer the next rows of the stream."""
        n = X.shape[0]
        if n == 0:
            return
        if self._X is None or self._y is None:
            self._X = np.empty((0, X.shape[1]))
            self._y = np.empty(0, dtype=np.asarray(y).dtype)
        free = max(0, self.size - self._X.shape[0])
        if free:
            self._X = np.vstack([self._X, X[:free]])
            self._y = np.concatenate([self._y, y[:free]])
        rest = np.arange(free, n)
        if rest.size:
            # Row t of the stream replaces slot j ~ U{0..t} when j falls inside the reservoir.
            slots = self._rng.integers(0, self.seen + rest + 1)
            hit = slots < self.size
            if self._y.dtype != np.asarray(y).dtype:
                self._y = self._y.astype(object)
            self._X[slots[hit]] = X[rest[hit]]
            self._y[slots[hit]] = y[rest[hit]]
        self.seen += n

    @property
    def X(self) -> NDArray[np.float64]:
        return self._X if self._X is not None else np.empty((0, 0))

    @property
    def y(self) -> NDArray[Any]:
        return self._y if self._y is not None else np.empty(0)


def pca_2d(X: NDArray[np.floating]) -> tuple[NDArray[np.float64], NDArray[np.float64], Any]:
    """Fit a 2-D PCA on standardised ``X``; returns ``(center, scale, components)``."""
    center = X.mean(axis=0)
    scale = X.std(axis=0)
    scale[scale == 0] = 1.0
    Z = (X - center) / scale
    _, _, vt = np.linalg.svd(Z, full_matrices=False)
    components = vt[:2].T
    if components.shape[1] < 2:
        components = np.hstack([components, np.zeros((components.shape[0], 1))])
    return center, scale, components


def _project(X: NDArray[np.floating], fit: tuple[Any, Any, Any]) -> NDArray[np.float64]:
    center, scale, components = fit
    return np.asarray(((X - center) / scale) @ components)


def _figure(ncols: int, width: float) -> tuple[Any, Any]:
    import_optional("matplotlib", "report")
    from matplotlib.figure import Figure

    figure = Figure(figsize=(width, 4.2), layout="constrained")
    axes = figure.subplots(1, ncols, squeeze=False)[0]
    return figure, axes


def _scatter_classes(
    ax: Any, P: NDArray[np.float64], y: NDArray[Any], labels: Sequence[Any], **style: Any
) -> None:
    for i, label in enumerate(labels):
        rows = y == label
        if rows.any():
            ax.scatter(P[rows, 0], P[rows, 1], color=f"C{i % 10}", label=f"{label}", **style)


def plot_inspect(
    path: Path, counts: dict[Any, int], sample: RowSample, title: str, fmt: str = "png"
) -> None:
    """Class balance as bars, and the sampled rows in the first two principal components."""
    labels = sorted(counts)
    figure, (bars, scatter) = _figure(2, 10.0)
    bars.bar(
        [str(label) for label in labels],
        [counts[label] for label in labels],
        color=[f"C{i % 10}" for i in range(len(labels))],
    )
    bars.set_title("rows per class")
    bars.set_xlabel("class")
    if sample.X.shape[0] >= 2 and sample.X.shape[1] >= 1:
        P = _project(sample.X, pca_2d(sample.X))
        _scatter_classes(scatter, P, sample.y, labels, s=6, alpha=0.6)
        scatter.set_title(f"PCA of {sample.X.shape[0]} sampled rows (numeric columns)")
        scatter.set_xlabel("PC 1")
        scatter.set_ylabel("PC 2")
        scatter.legend(title="class", markerscale=2)
    else:
        scatter.set_axis_off()
        scatter.text(0.5, 0.5, "no numeric columns to project", ha="center", va="center")
    figure.suptitle(title)
    figure.savefig(path, dpi=110, format=fmt)


def plot_resample(
    path: Path,
    original: RowSample,
    synthetic: RowSample,
    labels: Sequence[Any],
    title: str,
    fmt: str = "png",
) -> None:
    """Original and synthetic rows in the same 2-D projection, fitted on the originals."""
    figure, (ax,) = _figure(1, 6.5)
    if original.X.shape[0] >= 2 and original.X.shape[1] >= 1:
        fit = pca_2d(original.X)
        _scatter_classes(ax, _project(original.X, fit), original.y, labels, s=6, alpha=0.35)
        if synthetic.X.shape[0]:
            P = _project(synthetic.X, fit)
            for i, label in enumerate(labels):
                rows = synthetic.y == label
                if rows.any():
                    ax.scatter(
                        P[rows, 0],
                        P[rows, 1],
                        color=f"C{i % 10}",
                        marker="x",
                        s=12,
                        linewidths=0.8,
                        label=f"{label} (synthetic)",
                    )
        ax.set_xlabel("PC 1")
        ax.set_ylabel("PC 2")
        ax.legend(markerscale=2, fontsize="small")
    else:
        ax.set_axis_off()
        ax.text(0.5, 0.5, "no numeric columns to project", ha="center", va="center")
    ax.set_title(title, fontsize="medium")
    figure.savefig(path, dpi=110, format=fmt)
