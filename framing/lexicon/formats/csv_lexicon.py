"""framing's CSV lexicon: a header, then one ``category,term[,weight][,kind]`` row per entry."""

from __future__ import annotations

from ..model import Category, Collector
from .common import csv_rows, shown
from .flat import Drafts, draft_for, finish_drafts, path_of

__all__ = ["read_csv"]


_CSV_KINDS = ("term", "exclude")
_CSV_HEADER = "a CSV lexicon starts with a header with columns category,term[,weight][,kind]"


def read_csv(text: str, col: Collector) -> tuple[dict[str, str], list[Category]]:
    """The categories of a CSV lexicon (which has no metadata); ``kind`` ``exclude`` makes an exclusion."""
    if not text.strip():
        col.error(1, f"the file is empty: {_CSV_HEADER}")
        return {}, []
    rows = csv_rows(text, col)
    hline, header = next(rows, (1, None))
    cols = [h.strip().lower() for h in header] if header else []
    if "category" not in cols or "term" not in cols:
        found = ",".join(header or [])
        col.error(hline, f"{_CSV_HEADER}; " + (f"the first line is {shown(found)}" if found.strip() else
                                               "the first line is empty"))
        return {}, []
    ci, ti = cols.index("category"), cols.index("term")
    wi = cols.index("weight") if "weight" in cols else None
    ki = cols.index("kind") if "kind" in cols else None
    drafts = Drafts(col)
    n_rows = 0
    for line, row in rows:
        if not any(cell.strip() for cell in row):
            continue
        n_rows += 1
        if len(row) <= max(ci, ti):
            col.error(line, f"row has {len(row)} cell{'' if len(row) == 1 else 's'}, expected category,term[,weight]")
            continue
        path, _ = path_of(row[ci])
        if not path:
            col.error(line, f"category {row[ci]!r} has no letters or digits")
            continue
        kind = row[ki].strip().lower() if ki is not None and ki < len(row) else ""
        if kind and kind not in _CSV_KINDS:
            col.error(line, f"kind {row[ki]!r} is not one of {', '.join(_CSV_KINDS)} (empty means term)")
            continue
        weight = row[wi] if wi is not None and wi < len(row) else None
        draft = draft_for(drafts, row[ci], line, label_as_written=False)
        if kind == "exclude":
            if weight is not None and weight.strip():
                col.warn(line, f'weight of exclusion "{row[ti]}" in {path} is ignored: exclusions do not count')
            term = col.term(row[ti], None, line, path)
            if term is not None:
                draft.exclude.append(term)
            continue
        term = col.term(row[ti], weight, line, path)
        if term is not None:
            draft.terms.append(term)
    if not n_rows:
        col.error(hline, "the file has a header but no terms: a CSV lexicon has one row per term after its header")
    return {}, finish_drafts(col, list(drafts.values()), rolled_up=False)
