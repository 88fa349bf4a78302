"""Bootstrap intervals for a group's mean rate that respect outlets.

Articles of one outlet resemble each other, so resampling articles alone
treats 700 Reuters stories as 700 independent witnesses and gives intervals
far too narrow. ``outlet_bootstrap`` resamples in two stages, as a
hierarchical (cluster) bootstrap does: the group's outlets with replacement,
then each drawn outlet's articles with replacement; the replicate is the mean
over all the drawn articles. The 95 % interval is the 2.5th and 97.5th
percentile of ``BOOTSTRAP_REPLICATES`` replicates.

Inside an outlet of more than ``EXACT_UP_TO`` articles (``EXACT_UP_TO_BIG``
when the group has more than ``BIG_GROUP`` articles), the mean of its
resampled articles is drawn from the normal distribution with the outlet's
mean and standard error, the large-sample limit of that resampling, so that a
million-article corpus costs little more than a small one.

Seeded: the same rates give the same interval, whatever the order of the
groups or of the work.
"""

from __future__ import annotations

import numpy as np

__all__ = ["BIG_GROUP", "BOOTSTRAP_REPLICATES", "BOOTSTRAP_SEED", "EXACT_UP_TO", "EXACT_UP_TO_BIG", "outlet_bootstrap"]

BOOTSTRAP_REPLICATES = 1000
BOOTSTRAP_SEED = 20081  # any fixed number: the intervals are reproducible, not tuned
EXACT_UP_TO = 500  # articles per outlet resampled one by one; above, the normal limit
EXACT_UP_TO_BIG = 30  # the same in a group of more than BIG_GROUP articles
BIG_GROUP = 20_000


def outlet_bootstrap(
    rates: np.ndarray, outlet: np.ndarray, *, replicates: int = BOOTSTRAP_REPLICATES, seed: int = BOOTSTRAP_SEED,
    level: float = 0.95,
) -> tuple[np.ndarray, np.ndarray]:
    """The ``level`` interval of a group's mean rate, per column, resampling outlets then articles.

    Parameters
    ----------
    rates : numpy.ndarray
        The group's articles x categories (rows in a fixed order, e.g. by id).
    outlet : numpy.ndarray
        Each article's outlet code (any integers).

    Returns
    -------
    (numpy.ndarray, numpy.ndarray)
        Lower and upper bounds per column; NaN when the group has fewer than
        2 outlets (outlet and group cannot be told apart).
    """
    n, n_cols = rates.shape
    names, code = np.unique(outlet, return_inverse=True)
    code = code.reshape(-1)
    k = len(names)
    if k < 2 or n == 0:
        nan = np.full(n_cols, np.nan)
        return nan, nan.copy()
    rng = np.random.default_rng(seed)
    members = [np.flatnonzero(code == o) for o in range(k)]
    sizes = np.asarray([len(m) for m in members], dtype=np.int64)
    exact_up_to = EXACT_UP_TO if n <= BIG_GROUP else EXACT_UP_TO_BIG
    # Per outlet, per replicate in which it is drawn: the sum of its resampled articles' rates.
    picks = rng.integers(0, k, size=(replicates, k))  # stage 1: outlets with replacement
    totals = np.zeros((replicates, n_cols))
    counts = sizes[picks].sum(axis=1).astype(np.float64)
    for o in range(k):
        times = (picks == o).sum(axis=1)  # how often outlet o is drawn in each replicate
        draws = int(times.sum())
        if draws == 0:
            continue
        x = rates[members[o]]
        if sizes[o] <= exact_up_to:  # stage 2: its articles with replacement, once per draw
            idx = rng.integers(0, sizes[o], size=(draws, sizes[o]))
            batch = max(1, (1 << 21) // max(1, sizes[o] * n_cols))  # a few MB of gathered rates at a time
            sums = np.concatenate([x[idx[i : i + batch]].sum(axis=1) for i in range(0, draws, batch)])
        else:
            mean, sd = x.mean(axis=0), x.std(axis=0, ddof=1)
            sums = sizes[o] * (mean + rng.standard_normal((draws, n_cols)) * sd / np.sqrt(sizes[o]))
        owner = np.repeat(np.arange(replicates), times)
        np.add.at(totals, owner, sums)
    means = totals / counts[:, None]
    tail = (1.0 - level) / 2 * 100
    low, high = np.percentile(means, [tail, 100 - tail], axis=0)
    return low, high
