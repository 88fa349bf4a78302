"""The rows of report.csv and matches.csv: formatted once, as bytes, in id order; and read back.

Pass 1 formats each article's text cells as it scores the article (its
``article_id,title,outlet,source_type`` head, its evidence and quote cells,
its ``matches.csv`` rows) and the store keeps them; the finish step gives
each article its numbers (``ReportNumbers``). ``report_csv`` puts the two
together, a block of articles at a time, formatting each distinct number
once. ``scores_frame`` and ``matches_frame`` build the DataFrames of the
first articles by id that the result keeps; ``read_report`` and
``read_matches`` read the CSV bytes back into typed DataFrames (the Dask
engine's lazy tables).
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ..analysis.match import CompiledLexicons
from ..cells import csv_cell, csv_line, escape_surrogates, format_floats, neutralize
from ..schema import INT_COLUMNS, MATCHES_COLUMNS, STORY_COLUMN, TEXT_COLUMNS, quote_columns, text_columns
from ..stats.stories import story_id
from ..types import Progress
from .passes import blocks

__all__ = ["ReportNumbers", "matches_csv", "matches_frame", "read_matches", "read_report", "report_csv", "scores_frame"]



@dataclass
class ReportNumbers:
    """The per-article figures of ``report.csv``, in id order."""

    n_tokens: np.ndarray
    n_sentences: np.ndarray
    n_masked: np.ndarray
    rate: np.ndarray
    sim: np.ndarray
    style: np.ndarray
    predicted: np.ndarray
    top: np.ndarray
    words: list[str]
    groups: list[str]

    why_ids: np.ndarray = field(default_factory=lambda: np.zeros((0, 0), np.int64))
    why_amount: np.ndarray = field(default_factory=lambda: np.zeros((0, 0)))
    why_names: list[str] = field(default_factory=list)  # per feature column: the word, or "rate <column>"
    undetermined: np.ndarray = field(default_factory=lambda: np.zeros(0, object))  # why "undetermined" ("" else)
    style_groups: list[str] | None = None  # the ``style_<type>`` columns when not ``groups`` (a saved model's classes)
    # An applied label model (``analyze --model`` with a model of a label column), the last columns
    # (``schema.model_columns``): each article's call, why it is undetermined ("" else), its probabilities.
    model_called: np.ndarray | None = None  # object
    model_why: np.ndarray | None = None  # object
    model_proba: np.ndarray | None = None  # articles x the model's classes
    story: np.ndarray | None = None  # each article's story number (``framing.stats.stories``): the last column

    @property
    def styles(self) -> list[str]:
        """The types of the ``style_<type>`` columns, in order."""
        return self.groups if self.style_groups is None else self.style_groups

    def why_undetermined(self, i: int) -> str:
        """Why article ``i`` is ``undetermined`` ("" when it got a call)."""
        return str(self.undetermined[i]) if len(self.undetermined) else ""

    def top_terms(self, i: int) -> str:
        """Article ``i``'s top TF-IDF terms: ``word; word; ...``."""
        return "; ".join(self.words[t] for t in self.top[i].tolist() if t >= 0)

    def why(self, i: int) -> str:
        """The features that pushed article ``i`` most towards its predicted type: ``word +0.123; ...``."""
        pairs = zip(self.why_ids[i].tolist(), self.why_amount[i].tolist())
        return "; ".join(f"{self.why_names[j]} +{amount:.3f}" for j, amount in pairs if j >= 0)

    def sliced(self, lo: int, hi: int) -> ReportNumbers:
        """Articles ``lo:hi``, without the name lists (a worker is given those once)."""
        return ReportNumbers(
            n_tokens=self.n_tokens[lo:hi], n_sentences=self.n_sentences[lo:hi], n_masked=self.n_masked[lo:hi],
            rate=self.rate[lo:hi], sim=self.sim[lo:hi], style=self.style[lo:hi], predicted=self.predicted[lo:hi],
            top=self.top[lo:hi], words=[], groups=self.groups, why_ids=self.why_ids[lo:hi],
            why_amount=self.why_amount[lo:hi], why_names=[], undetermined=self.undetermined[lo:hi],
            style_groups=self.style_groups,
            model_called=None if self.model_called is None else self.model_called[lo:hi],
            model_why=None if self.model_why is None else self.model_why[lo:hi],
            model_proba=None if self.model_proba is None else self.model_proba[lo:hi],
            story=None if self.story is None else self.story[lo:hi],
        )

    def model_cells(self, lo: int, hi: int) -> list[np.ndarray]:
        """Articles ``lo:hi``'s cells of the applied label model's columns (none without one)."""
        if self.model_called is None or self.model_why is None or self.model_proba is None:
            return []
        # The call is a class of the model's file or "undetermined": text from the user's data, so neutralised.
        cells = [np.asarray([csv_cell(str(neutralize(v))) for v in self.model_called[lo:hi].tolist()], dtype=object),
                 np.asarray([csv_cell(str(v)) for v in self.model_why[lo:hi].tolist()], dtype=object)]
        return cells + [format_floats(self.model_proba[lo:hi, k]) for k in range(self.model_proba.shape[1])]

    def end_cells(self, lo: int, hi: int) -> list[np.ndarray]:
        """Articles ``lo:hi``'s cells after the stored ones: the label model's, then the story id (or none)."""
        cells = self.model_cells(lo, hi)
        if self.story is not None:
            cells.append(np.asarray([story_id(k) for k in self.story[lo:hi].tolist()], dtype=object))
        return cells


def report_csv(
    columns: list[str], num: ReportNumbers, texts: Callable[[int, int], Iterator[tuple[bytes, int]]], n: int,
    tell: Progress,
) -> Iterator[bytes]:
    """``report.csv`` in id order, block by block: text cells from the store, numbers formatted once each.

    ``texts(lo, hi)`` yields, for the articles ``lo:hi`` in id order, their
    head and evidence cells as one byte string and where the head ends.
    """
    yield csv_line(columns)
    for lo, hi in blocks(n):
        cells = [num.n_tokens[lo:hi].astype(str), num.n_sentences[lo:hi].astype(str), num.n_masked[lo:hi].astype(str)]
        cells += [format_floats(num.rate[lo:hi, k]) for k in range(num.rate.shape[1])]
        cells += [format_floats(num.sim[lo:hi, k]) for k in range(num.sim.shape[1])]
        cells += [format_floats(num.style[lo:hi, k]) for k in range(num.style.shape[1])]
        cells.append(num.predicted[lo:hi])
        cells.append(np.asarray([csv_cell(num.why_undetermined(i)) for i in range(lo, hi)], dtype=object))
        cells.append(np.asarray([csv_cell(num.why(i)) for i in range(lo, hi)], dtype=object))
        middle = [",".join(row) for row in zip(*cells)]
        model = num.end_cells(lo, hi)
        # After the stored cells, which end the row without the model: its cells, comma first, or nothing.
        last = [("," + ",".join(row)).encode("utf-8", "backslashreplace") for row in zip(*model)] if model else None
        out = []
        for j, (text, split) in enumerate(texts(lo, hi)):
            top_terms = num.top_terms(lo + j).encode("utf-8", "backslashreplace")
            out.append(b"".join((text[:split], b",", middle[j].encode("utf-8", "backslashreplace"), b",", top_terms, b",",
                                 text[split:], last[j] if last is not None else b"", b"\r\n")))
        yield b"".join(out)
        tell("write", hi, n)


def matches_csv(read_bytes: Callable[[int, int], bytes], byte_ptr: np.ndarray, byte_end: np.ndarray) -> Iterator[bytes]:
    """``matches.csv`` in id order: each article's rows copied from the spill, adjacent reads joined.

    ``byte_ptr[:, 2]`` and ``byte_end`` are where each article's rows start
    and end in the spill, articles in id order.
    """
    yield csv_line(MATCHES_COLUMNS)
    run_lo = run_hi = -1
    out: list[bytes] = []
    size = 0
    for lo, hi in zip(byte_ptr[:, 2].tolist(), byte_end.tolist()):
        if lo == run_hi:
            run_hi = hi
            continue
        if run_hi > run_lo:
            out.append(read_bytes(run_lo, run_hi))
            size += run_hi - run_lo
        run_lo, run_hi = lo, hi
        if size > 1 << 22:
            yield b"".join(out)
            out, size = [], 0
    if run_hi > run_lo:
        out.append(read_bytes(run_lo, run_hi))
    yield b"".join(out)


def scores_frame(
    rows: list[tuple[int, object]], ids: list[str], num: ReportNumbers, report_columns: list[str],
    rate_columns: list[str], negated_cols: list[str],
) -> pd.DataFrame:
    """The kept rows of ``report.csv`` as a DataFrame: ``rows`` are ``(id-order position, head item)``."""
    index = np.asarray([i for i, _ in rows], dtype=np.int64)
    meta = [item for _, item in rows]
    data: dict[str, object] = {
        "article_id": [ids[i] for i in index.tolist()],
        "title": [m[0] for m in meta],  # type: ignore[index]
        "outlet": [m[1] for m in meta],  # type: ignore[index]
        "source_type": [m[2] for m in meta],  # type: ignore[index]
        "n_tokens": num.n_tokens[index],
        "n_sentences": num.n_sentences[index],
        "n_masked": num.n_masked[index],
    }
    for k, c in enumerate(rate_columns):
        data[c] = num.rate[index, k]
    for k, g in enumerate(num.groups):
        data[f"sim_{g}"] = num.sim[index, k]
    for k, g in enumerate(num.styles):
        data[f"style_{g}"] = num.style[index, k]
    data["predicted_source_type"] = list(num.predicted[index])
    data["why_undetermined"] = [num.why_undetermined(i) for i in index.tolist()]
    data["why"] = [num.why(i) for i in index.tolist()]
    data["top_terms"] = [num.top_terms(i) for i in index.tolist()]
    data["top_evidence"] = [m[3] if len(m) > 3 else "" for m in meta]  # type: ignore[arg-type]
    quote_cols = quote_columns(rate_columns)
    values = np.asarray([m[4] for m in meta], dtype=np.float64).reshape(len(meta), len(quote_cols))  # type: ignore[index]
    for j, c in enumerate(quote_cols):
        data[c] = values[:, j]
    negated = np.asarray([m[5] for m in meta], dtype=np.float64).reshape(len(meta), len(negated_cols))  # type: ignore[index]
    for j, c in enumerate(negated_cols):
        data[c] = negated[:, j]
    if num.model_called is not None and num.model_why is not None and num.model_proba is not None:
        end = len(report_columns) - (num.story is not None)
        model_cols = report_columns[end - 2 - num.model_proba.shape[1]:end]  # they end the report (before story_id)
        data[model_cols[0]] = [escape_surrogates(str(v)) for v in num.model_called[index].tolist()]
        data[model_cols[1]] = [str(v) for v in num.model_why[index].tolist()]
        for k, c in enumerate(model_cols[2:]):
            data[c] = num.model_proba[index, k]
    if num.story is not None:
        data[STORY_COLUMN] = [story_id(k) for k in num.story[index].tolist()]
    return pd.DataFrame(data, columns=report_columns)


def matches_frame(shown: Sequence[tuple[int, object]], ids: list[str], lex: CompiledLexicons) -> pd.DataFrame:
    """The kept articles' rows of ``matches.csv`` as a DataFrame: ``shown`` are ``(input position, text item)``."""
    lex_names = np.asarray([r[0] for r in lex.category_ref], dtype=object)
    cat_ids = np.asarray([r[1] for r in lex.category_ref], dtype=object)
    term_text = np.asarray([t.text for t in lex.terms], dtype=object)
    term_weight = np.asarray([t.weight for t in lex.terms], dtype=np.float64)
    parts = []
    for index, item in shown:
        rows = item[1] if isinstance(item, tuple) else None  # type: ignore[index]
        if not rows or not len(rows["start"]):
            continue
        m = len(rows["start"])
        parts.append(
            pd.DataFrame(
                {
                    "article_id": [ids[index]] * m,
                    "sentence": rows["sentence"],
                    "start": rows["start"],
                    "end": rows["end"],
                    "text": [escape_surrogates(t) for t in rows["text"]],
                    "lexicon": lex_names[rows["category"]],
                    "category": cat_ids[rows["category"]],
                    "term": term_text[rows["term"]],
                    "weight": term_weight[rows["term"]],
                    "quoted": rows["quoted"].astype(np.int64),
                    "negated": rows["negated"].astype(np.int64),
                }
            )
        )
    if not parts:
        return pd.DataFrame({c: [] for c in MATCHES_COLUMNS}).astype(
            {"sentence": np.int64, "start": np.int64, "end": np.int64, "weight": np.float64, "quoted": np.int64}
        )
    return pd.concat(parts, ignore_index=True)


def read_report(data: bytes) -> pd.DataFrame:
    """``report.csv`` bytes (with the header) as a DataFrame: text columns as text, the rest as numbers."""
    head = data[: data.index(b"\r\n")].decode("utf-8").split(",")
    text, ints = set(text_columns("report", head)), set(INT_COLUMNS["report"])
    dtypes = {c: (str if c in text else (np.int64 if c in ints else np.float64)) for c in head}
    return pd.read_csv(io.BytesIO(data), dtype=dtypes, keep_default_na=False, na_values={c: [""] for c in head
                       if c not in text}, encoding="utf-8", encoding_errors="backslashreplace")


def read_matches(data: bytes) -> pd.DataFrame:
    """``matches.csv`` bytes (with the header) as a DataFrame."""
    text, ints = set(TEXT_COLUMNS["matches"]), set(INT_COLUMNS["matches"])
    dtypes = {c: (np.int64 if c in ints else (str if c in text else np.float64)) for c in MATCHES_COLUMNS}
    return pd.read_csv(io.BytesIO(data), dtype=dtypes, keep_default_na=False, encoding="utf-8",
                       encoding_errors="backslashreplace")
