"""Stories: articles about the same event, found from their words and dates.

Two articles are linked when the cosine of their story vectors (each
article's ``STORY_TERMS`` heaviest TF-IDF terms, l2-normalised) is at least
the threshold and their dates are at most ``window`` days apart; an
undated article links only with undated ones. The linked articles fall into
connected components; a component of three or more articles is then cut
by average linkage at the same threshold (a group of articles stays one
story only when its articles are, on average, as similar as the threshold
asks), which stops one article from chaining two events together.

Only pairs inside the date window are ever compared: the dated articles are
taken in date order, a block at a time, against the articles of the next
``window`` days, so the work grows with the corpus times the articles per
window, not with its square. Undated articles are compared with each
other only, up to ``MAX_UNDATED_PAIRS`` pairs; beyond that they stay
stories of one and a note says so. (Compared with dated articles too, an
undated article would bridge events years apart into one story: it has no
date to keep it in one window.)

The figures are measured on BASIL's events (bench/stories.py, the numbers
in docs/validation.md).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import scipy.sparse as sp

from ..dates import NO_DAY
from ..defaults import STORY_THRESHOLD, STORY_WINDOW

__all__ = [
    "COVERAGE_COLUMNS", "MAX_COMPONENT", "MAX_UNDATED_PAIRS", "STORIES_COLUMNS", "STORY_TERMS", "Stories",
    "clusters_below", "coverage_table", "find_stories", "story_id", "story_table",
]

STORY_TERMS = 20  # TF-IDF terms per article in its story vector (20 to 50 measure alike on BASIL; 20 holds least)
MAX_UNDATED_PAIRS = 50_000_000  # undated x undated articles compared, at most (about 7,000 undated articles)
MAX_COMPONENT = 4_000  # linked articles cut by average linkage at once (a dense matrix of this side)
NEAR_COPIES = 0.95  # the tightest re-linking of a component too big to cut: articles this alike are copies
_BLOCK = 1_024  # dated articles per block of the windowed products


def _matrix(cols: np.ndarray, weights: np.ndarray, size: int) -> sp.csr_matrix:
    """The story vectors as a sparse matrix (articles x vocabulary), float32."""
    n = cols.shape[0]
    present = cols >= 0
    indptr = np.concatenate(([0], np.cumsum(present.sum(axis=1))))
    # float32 and int32: 8 bytes an entry (a million articles: 160 MB); the products are exact enough for a threshold.
    m = sp.csr_matrix((weights[present].astype(np.float32), cols[present].astype(np.int32), indptr), shape=(n, size))
    m.sort_indices()
    return m


@dataclass
class Stories:
    """Each article's story (id order) and what the run should say about them.

    ``story[i]``: the story number of the i-th article by id; stories are
    numbered from 0 in the order of their first article by id, so an
    article alone is a story of one and the numbers do not depend on how
    the corpus was read.
    """

    story: np.ndarray
    notes: list[str] = field(default_factory=list)

    @property
    def count(self) -> int:
        """How many stories, those of one article included."""
        return int(self.story.max()) + 1 if len(self.story) else 0

    def members(self) -> list[np.ndarray]:
        """Each story's articles (id-order positions, ascending), by story number."""
        order = np.argsort(self.story, kind="stable")
        bounds = np.searchsorted(self.story[order], np.arange(self.count + 1))
        return [order[bounds[s] : bounds[s + 1]] for s in range(self.count)]


def _products(
    left: sp.csr_matrix, right: sp.csr_matrix, threshold: float,
) -> tuple[np.ndarray, np.ndarray]:
    """Positions ``(i, j)`` where row i of ``left`` and row j of ``right`` reach ``threshold``.

    ``right`` is taken ``_BLOCK`` rows at a time, so one product holds at
    most ``_BLOCK`` x ``_BLOCK`` cosines, however many articles share words.
    """
    left_t, right_t = [], []
    for lo in range(0, right.shape[0], _BLOCK):
        prod = (left @ right[lo : lo + _BLOCK].T).tocoo()
        keep = prod.data >= threshold
        left_t.append(prod.row[keep].astype(np.int64))
        right_t.append(prod.col[keep].astype(np.int64) + lo)
    if not left_t:
        return np.zeros(0, np.int64), np.zeros(0, np.int64)
    return np.concatenate(left_t), np.concatenate(right_t)


def _windowed_pairs(m: sp.csr_matrix, day: np.ndarray, threshold: float, window: int) -> tuple[np.ndarray, np.ndarray]:
    """Pairs ``(i, j)``, ``i < j`` in date order, of dated articles within ``window`` days and at ``threshold`` or above."""
    dated = np.flatnonzero(day != NO_DAY)
    order = dated[np.lexsort((dated, day[dated]))]
    d = day[order]
    sub = m[order]
    left, right = [], []
    for lo in range(0, len(order), _BLOCK):
        hi = min(len(order), lo + _BLOCK)
        end = int(np.searchsorted(d, d[hi - 1] + window, side="right"))
        i, j = _products(sub[lo:hi], sub[lo:end], threshold)
        i, j = i + lo, j + lo
        keep = (j > i) & (d[j] - d[i] <= window)
        left.append(order[i[keep]])
        right.append(order[j[keep]])
    if not left:
        return np.zeros(0, np.int64), np.zeros(0, np.int64)
    return np.concatenate(left), np.concatenate(right)


def _undated_pairs(m: sp.csr_matrix, day: np.ndarray, threshold: float) -> tuple[np.ndarray, np.ndarray]:
    """Pairs of two undated articles at ``threshold`` or above (each pair once)."""
    undated = np.flatnonzero(day == NO_DAY)
    sub = m[undated]
    left, right = [], []
    for lo in range(0, len(undated), _BLOCK):
        i, j = _products(sub[lo : lo + _BLOCK], sub[lo:], threshold)  # each pair from its earlier side only
        i, j = i + lo, j + lo
        keep = i < j
        left.append(undated[i[keep]])
        right.append(undated[j[keep]])
    if not left:
        return np.zeros(0, np.int64), np.zeros(0, np.int64)
    return np.concatenate(left), np.concatenate(right)


def _cut(
    m: sp.csr_matrix, day: np.ndarray, members: np.ndarray, threshold: float, window: int, linked_at: float,
) -> list[np.ndarray]:
    """A component's stories: average linkage at ``threshold`` (pairs outside the window count as unrelated).

    ``linked_at``: the cosine its links were found at. A component too big
    for one dense matrix is linked again at a higher cosine first, each
    time higher, so the recursion ends: linked at ``NEAR_COPIES`` a part
    stays one story (near-copies, wire copy reprinted, are one story
    whatever the cut).
    """
    from scipy.cluster.hierarchy import linkage

    if len(members) <= 2:
        return [members]
    if len(members) > MAX_COMPONENT:
        if linked_at >= NEAR_COPIES:
            return [members]
        return _split(m, day, members, min(NEAR_COPIES, linked_at + 0.05), window, threshold)
    sub = m[members]
    sim = (sub @ sub.T).toarray().astype(np.float64)
    d = day[members]
    both = (d[:, None] != NO_DAY) & (d[None, :] != NO_DAY)
    sim[both & (np.abs(d[:, None] - d[None, :]) > window)] = 0.0
    if sim.min() >= threshold:  # every pair linked: average linkage would join them all, every merge within the cut
        return [members]
    dist = np.clip(1.0 - sim, 0.0, None)
    condensed = dist[np.triu_indices(len(members), 1)]
    return [members[part] for part in clusters_below(linkage(condensed, method="average"), 1.0 - threshold)]


def clusters_below(merges: np.ndarray, cutoff: float) -> list[np.ndarray]:
    """The clusters of a linkage's merges at distance ``cutoff`` or less (scipy's ``fcluster`` "distance" criterion
    for a monotonic linkage such as average linkage), without its checks, which cost more than the cut."""
    n = len(merges) + 1
    parent = np.arange(2 * n - 1)
    for k, (a, b, distance, _) in enumerate(merges.tolist()):
        if distance <= cutoff:
            parent[int(a)] = parent[int(b)] = n + k
    root = parent.copy()
    for k in range(2 * n - 2, -1, -1):  # a node's parent has a higher number: resolve from the top down
        root[k] = root[parent[k]] if parent[k] != k else k
    return _groups(root[:n])


def _split(
    m: sp.csr_matrix, day: np.ndarray, members: np.ndarray, link_at: float, window: int, threshold: float,
) -> list[np.ndarray]:
    """Components of ``members`` linked at ``link_at``, each cut at ``threshold``."""
    from scipy.sparse.csgraph import connected_components

    sub = m[members]
    i, j = _pairs(sub, day[members], link_at, window)
    graph = sp.coo_matrix((np.ones(len(i)), (i, j)), shape=(len(members), len(members)))
    n_comp, comp = connected_components(graph, directed=False)
    sizes = np.bincount(comp, minlength=n_comp)
    linked = np.bincount(comp[i], minlength=n_comp) == sizes * (sizes - 1) // 2  # every pair linked: one story
    out: list[np.ndarray] = []
    for part in _groups(comp):
        whole = linked[comp[part[0]]]
        out.extend([members[part]] if whole else _cut(m, day, members[part], threshold, window, link_at))
    return out


def _pairs(m: sp.csr_matrix, day: np.ndarray, threshold: float, window: int) -> tuple[np.ndarray, np.ndarray]:
    i1, j1 = _windowed_pairs(m, day, threshold, window)
    i2, j2 = _undated_pairs(m, day, threshold) if (day == NO_DAY).any() else (np.zeros(0, np.int64),) * 2
    return np.concatenate([i1, i2]), np.concatenate([j1, j2])


def _groups(labels: np.ndarray) -> list[np.ndarray]:
    """Positions of each label's members, labels in order of their first member."""
    order = np.argsort(labels, kind="stable")
    cut = np.flatnonzero(np.diff(labels[order])) + 1
    parts = np.split(order, cut)
    return sorted(parts, key=lambda p: int(p[0]))


def find_stories(
    cols: np.ndarray, weights: np.ndarray, size: int, day: np.ndarray, *, threshold: float = STORY_THRESHOLD,
    window: int = STORY_WINDOW,
) -> Stories:
    """Every article's story, from its story vector and its day (``NO_DAY``: undated).

    ``cols`` and ``weights`` (articles x ``STORY_TERMS``): each article's
    heaviest TF-IDF terms (column, -1 to pad) and their weights, l2-normalised
    (pass 2 makes them: ``framing.engine.passes``).

    All arrays are in id order; ``size`` is the vocabulary's. Deterministic:
    the same vectors and days give the same stories, whatever order the
    corpus was read in.
    """
    n = len(day)
    notes: list[str] = []
    m = _matrix(cols, weights, size)
    n_undated = int((day == NO_DAY).sum())
    if n_undated and n_undated * n_undated > MAX_UNDATED_PAIRS:
        notes.append(
            f"{n_undated:,} articles have no date to the day: too many to compare with each other "
            f"({n_undated:,} x {n_undated:,} pairs), so each is a story of one; give the corpus dates "
            "to find their stories"
        )
        i, j = _windowed_pairs(m, day, threshold, window)  # undated articles link with nothing: stories of one
    else:
        i, j = _pairs(m, day, threshold, window)
    from scipy.sparse.csgraph import connected_components

    graph = sp.coo_matrix((np.ones(len(i)), (i, j)), shape=(n, n))
    n_comp, comp = connected_components(graph, directed=False)
    label = comp.astype(np.int64)
    sizes = np.bincount(comp, minlength=n_comp)
    by_comp = np.argsort(comp, kind="stable")  # each component's articles in id order
    starts = np.concatenate(([0], np.cumsum(sizes)))
    fresh = n_comp
    # A component whose every pair is linked (one or two articles, or a clique) is one story as it stands:
    # average linkage would join it whole. The others are cut.
    links = np.bincount(comp[i], minlength=n_comp)
    for c in np.flatnonzero(links < sizes * (sizes - 1) // 2).tolist():
        for part in _cut(m, day, by_comp[starts[c] : starts[c + 1]], threshold, window, threshold)[1:]:
            label[part] = fresh
            fresh += 1
    return Stories(_numbered(label), notes)


def _numbered(label: np.ndarray) -> np.ndarray:
    """Labels renumbered 0, 1, ... in the order of each label's first article (id order)."""
    uniq, first, inverse = np.unique(label, return_index=True, return_inverse=True)
    number = np.empty(len(uniq), dtype=np.int64)
    number[np.argsort(first, kind="stable")] = np.arange(len(uniq))
    return number[inverse.reshape(-1)]


STORIES_COLUMNS = (
    "story_id", "n_articles", "n_outlets", "n_groups", "first_date", "last_date", "n_undated", "groups",
    "source_types", "outlets", "only_group", "top_terms",
)
COVERAGE_COLUMNS = ("group", "n_articles", "n_in_stories", "n_stories", "n_shared", "n_alone", "share_alone")


def story_id(number: int) -> str:
    """The name of story ``number`` in the outputs: ``s1``, ``s2``, ..."""
    return f"s{number + 1}"


def _counted(story: np.ndarray, values: np.ndarray, order: Sequence[str] | None = None) -> pd.Series:
    """Per story, ``name n; name n``: its values with their counts, most first (ties by ``order``, else by name)."""
    rank = {v: i for i, v in enumerate(order)} if order is not None else {}
    counts = (pd.DataFrame({"story": story, "value": values.astype(str)}).query("value != ''")
              .groupby(["story", "value"], sort=True).size().reset_index(name="n"))
    counts["rank"] = counts["value"].map(rank).fillna(len(rank))
    counts = counts.sort_values(["story", "n", "rank", "value"], ascending=[True, False, True, True], kind="stable")
    return _joined(counts["story"].to_numpy(), (counts["value"] + " " + counts["n"].astype(str)).tolist())


def _joined(story: np.ndarray, texts: list[str]) -> pd.Series:
    """``texts`` joined with ``"; "`` per run of equal ``story`` (sorted), as a Series by story."""
    if not len(story):
        return pd.Series([], index=np.zeros(0, np.int64), dtype=object)
    cut = np.flatnonzero(np.diff(story)) + 1
    starts, ends = np.concatenate(([0], cut)), np.concatenate((cut, [len(story)]))
    return pd.Series(["; ".join(texts[a:b]) for a, b in zip(starts.tolist(), ends.tolist())], index=story[starts],
                     dtype=object)


def _top_terms(story: np.ndarray, cols: np.ndarray, weights: np.ndarray, words: Sequence[str], k: int = 5) -> pd.Series:
    """Per story, the ``k`` heaviest terms of the sum of its articles' story vectors (ties by word order)."""
    s = np.repeat(story, cols.shape[1])
    c = cols.reshape(-1).astype(np.int64)
    w = weights.reshape(-1).astype(np.float64)
    present = c >= 0
    size = int(c.max()) + 1 if present.any() else 1
    keys, where = np.unique(s[present] * size + c[present], return_inverse=True)
    # Summed in the articles' id order, as a story's own sum would be.
    total = np.bincount(where.reshape(-1), weights=w[present], minlength=len(keys))
    ks, kc = keys // size, keys % size
    order = np.lexsort((kc, -total, ks))
    ks, kc = ks[order], kc[order]
    rank = np.arange(len(ks)) - np.searchsorted(ks, ks)  # position within its story
    keep = rank < k
    return _joined(ks[keep], [words[int(x)] for x in kc[keep].tolist()])


def story_table(
    stories: Stories, cols: np.ndarray, weights: np.ndarray, words: Sequence[str], day: np.ndarray,
    types: np.ndarray, outlets: np.ndarray, group_names: np.ndarray, group_order: Sequence[str],
    type_order: Sequence[str], day_text: Callable[[int], str], *, min_size: int = 2,
) -> pd.DataFrame:
    """``STORIES_COLUMNS``: every story of at least ``min_size`` articles, the largest first (then by story id).

    All per-article arrays are in id order. ``only_group``: the one group
    that covered the story, when a single group did ("" else).
    """
    sizes = np.bincount(stories.story, minlength=stories.count)
    listed = np.flatnonzero(sizes >= min_size)
    pick = np.flatnonzero(sizes[stories.story] >= min_size)  # their articles, in id order
    st = stories.story[pick]
    d = day[pick]
    dated = d != NO_DAY
    first = pd.Series(d[dated]).groupby(st[dated]).min()
    last = pd.Series(d[dated]).groupby(st[dated]).max()
    groups = group_names[pick].astype(str)
    n_groups = pd.Series(groups[groups != ""]).groupby(st[groups != ""]).nunique()
    one_group = pd.Series(groups[groups != ""]).groupby(st[groups != ""]).first()
    table = pd.DataFrame({"number": listed, "n_articles": sizes[listed]}, index=pd.Index(listed, name="story"))
    table["n_outlets"] = pd.Series(outlets[pick].astype(str)).groupby(st).nunique()
    table["n_groups"] = n_groups.reindex(table.index).fillna(0).astype(np.int64)
    for column, days in (("first_date", first), ("last_date", last)):
        text = {int(k): day_text(int(v)) for k, v in days.items()}
        table[column] = [text.get(int(k), "") for k in table.index]
    table["n_undated"] = np.bincount(st[~dated], minlength=stories.count)[listed]
    table["groups"] = _counted(st, groups, group_order).reindex(table.index).fillna("")
    table["source_types"] = _counted(st, types[pick], type_order).reindex(table.index).fillna("")
    table["outlets"] = _counted(st, outlets[pick]).reindex(table.index).fillna("")
    table["only_group"] = one_group.reindex(table.index).where(table["n_groups"] == 1, "").fillna("")
    table["top_terms"] = _top_terms(st, cols[pick], weights[pick], words).reindex(table.index).fillna("")
    table["story_id"] = [story_id(int(k)) for k in table["number"]]
    table = table.sort_values(["n_articles", "number"], ascending=[False, True], kind="stable")
    return table.reset_index(drop=True)[list(STORIES_COLUMNS)].astype({"n_outlets": np.int64, "n_undated": np.int64})


def coverage_table(
    stories: Stories, group_of: np.ndarray, groups: Sequence[str], *, min_size: int = 2,
) -> pd.DataFrame:
    """``COVERAGE_COLUMNS``: per group, the stories (of ``min_size`` articles or more) it covered, shared and alone.

    ``n_shared``: stories another group covered too; ``n_alone``: stories
    this group alone covered (its "blindspots" for the others);
    ``share_alone``: ``n_alone / n_stories``.
    """
    # One count per story and group (articles with no group, -1, in a last column), not a pass per group.
    n_groups = len(groups)
    sizes = np.bincount(stories.story, minlength=stories.count)
    cell = np.where(group_of >= 0, group_of, n_groups)
    counts = np.zeros((stories.count, n_groups + 1), dtype=np.int64)
    np.add.at(counts, (stories.story, cell), 1)
    counts = counts[sizes >= min_size]
    sizes = sizes[sizes >= min_size]
    rows = []
    for k, g in enumerate(groups):
        covered = counts[:, k] > 0
        alone = int((covered & (counts[:, k] == sizes)).sum())
        n_covered = int(covered.sum())
        rows.append({
            "group": g, "n_articles": int((group_of == k).sum()), "n_in_stories": int(counts[:, k].sum()),
            "n_stories": n_covered, "n_shared": n_covered - alone, "n_alone": alone,
            "share_alone": alone / n_covered if n_covered else np.nan,
        })
    return pd.DataFrame(rows, columns=list(COVERAGE_COLUMNS))
