"""
SMOTE on Dask
=============

:func:`smotekit.dask.fit_resample` resamples dask collections lazily: the input partitions are
kept unchanged and partitions of synthetic rows are appended. The result is the same for any
partitioning and any number of workers, and ``seeding="imbalanced-learn"`` gives exactly the rows
of the in-memory sampler. A small local cluster in this process stands in for a real one.
"""

import dask
import dask.dataframe as dd
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from dask.distributed import Client, LocalCluster

from smotekit import SMOTE
from smotekit.dask import fit_resample

rng = np.random.RandomState(0)
frame = pd.DataFrame(rng.normal(size=(20_000, 4)), columns=["a", "b", "c", "d"])
frame["label"] = (rng.uniform(size=len(frame)) < 0.05).astype(int)
frame.loc[frame["label"] == 1, ["a", "b"]] += 2.0

cluster = LocalCluster(n_workers=1, threads_per_worker=2, processes=False, dashboard_address=None)
client = Client(cluster)
data = dd.from_pandas(frame, npartitions=8)

# %%
# Lazy: only the class counts are computed when it is called.
X_res, y_res = fit_resample(
    SMOTE(random_state=0),
    data.drop(columns="label"),
    data["label"],
    block_rows=5_000,  # synthetic rows per output partition (100,000 by default)
    seeding="imbalanced-learn",
)
print("partitions in:", data.npartitions, "out:", X_res.npartitions)

# %%
# Rows per output partition: the eight input partitions as they were, then the synthetic rows.
sizes = X_res.map_partitions(len).compute()
fig, ax = plt.subplots(figsize=(7, 3))
kind = ["input"] * data.npartitions + ["synthetic"] * (X_res.npartitions - data.npartitions)
colors = ["tab:blue" if k == "input" else "black" for k in kind]
ax.bar(range(len(sizes)), sizes, color=colors)
ax.set_xlabel("output partition")
ax.set_ylabel("rows")
ax.set_title("fit_resample keeps the input partitions and appends synthetic ones")
fig.tight_layout()

# %%
# Computing runs the graph on the cluster's workers. The counts per class are those the
# in-memory sampler makes, and so are the rows themselves:
X_dask, y_dask = dask.compute(X_res, y_res)
print(y_dask.value_counts().sort_index().to_string())
X_mem, y_mem = SMOTE(random_state=0).fit_resample(frame.drop(columns="label"), frame["label"])
print("same rows as SMOTE().fit_resample in memory:", X_dask.equals(X_mem))

client.close()
cluster.close()
plt.show()
