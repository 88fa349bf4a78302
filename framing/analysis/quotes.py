"""Quoted speech: which tokens an outlet writes in its own voice and which it reports others saying.

Framing is carried by whom an outlet quotes as much as by its own words, so
framing counts each category inside and outside quoted speech. A token is
*quoted* when it lies

* between double quotes, curly (“ ... ”) or straight (" ... "), within one
  paragraph. A quote still open at the end of a paragraph runs to its end:
  the news convention for a quotation over several paragraphs leaves each but
  the last unclosed and reopens the next with a quote mark, so every
  paragraph of it is covered; a stray quote mark costs at most its paragraph.
  Straight quotes pair in order within a paragraph (first opens, second
  closes, ...);
* in a clause attributed to a speaker at the end of its sentence without
  quote marks: ``The plan will fail, Smith said.``, ``..., he told
  reporters.``, ``..., said Jane Doe.``: from the sentence's start to the
  comma.

Single quotes are not read as quotation marks (they are apostrophes far more
often). Everything is per chunk and vectorised over the chunk's joined text;
no pattern crosses a line break, so each article is read as if alone.
"""

from __future__ import annotations

import re

import numpy as np

from .tokentable import TokenTable

__all__ = ["quote_spans", "quoted_tokens"]

_SPEECH_VERBS = (
    "said|says|added|adds|told|tells|stated|states|argued|argues|noted|notes|insisted|insists|wrote|writes|"
    "warned|warns|explained|explains|asked|asks|replied|replies|declared|declares|claimed|claims|announced"
)
# ", Smith said." / ", he told reporters." / ", said Jane Doe." at the end of a sentence.
_GROUPS = (
    "officials|police|analysts|experts|sources|witnesses|residents|critics|supporters|lawmakers|diplomats|"
    "authorities|observers|organizers|organisers|protesters|investigators|prosecutors|researchers|economists"
)
_ATTRIBUTION = re.compile(
    r",[ \t]+(?:(?:he|she|they|we|I|it|" + _GROUPS + r"|[A-Z][\w'\u2019.-]*(?:[ \t]+[A-Z][\w'\u2019.-]*){0,4}"
    r"|(?:the|a|an|his|her|their|its)[ \t]+[\w'\u2019-]+(?:[ \t]+[\w'\u2019-]+){0,3})[ \t]+"
    r"(?:" + _SPEECH_VERBS + r")\b[^.!?\n,]{0,60}"
    r"|(?:" + _SPEECH_VERBS + r")[ \t]+(?:[A-Z][\w'\u2019.-]*(?:[ \t]+[A-Z][\w'\u2019.-]*){0,4})[^.!?\n,]{0,40})"
    r"[.!?]"
)


def quote_spans(text: str, cps: np.ndarray, sentence_starts: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Start and end offsets of the quoted stretches of ``text`` (see the module docstring).

    ``cps``: the text's code points; ``sentence_starts``: sorted offsets of
    its sentence starts. Spans may overlap; the caller merges them.
    """
    breaks = np.flatnonzero(cps == 0x0A)
    para_end = np.append(breaks, len(cps))  # paragraph i ends at para_end[i]

    def end_of_paragraph(pos: np.ndarray) -> np.ndarray:
        return para_end[np.searchsorted(breaks, pos, side="left")]

    starts, ends = [], []
    # Curly quotes: each opening mark to the next closing one, or to its paragraph's end.
    opens = np.flatnonzero(cps == 0x201C)
    closes = np.flatnonzero(cps == 0x201D)
    if len(opens):
        limit = end_of_paragraph(opens)
        at = np.searchsorted(closes, opens)
        if len(closes):
            nxt = np.where(at < len(closes), closes[np.minimum(at, len(closes) - 1)] + 1, limit)
        else:
            nxt = limit
        starts.append(opens)
        ends.append(np.minimum(nxt, limit))
    # Straight quotes: paired in order within each paragraph; an odd one out runs to the paragraph's end.
    marks = np.flatnonzero(cps == 0x22)
    if len(marks):
        para = np.searchsorted(breaks, marks, side="left")
        first = np.concatenate(([True], para[1:] != para[:-1]))
        group_start = np.maximum.accumulate(np.where(first, np.arange(len(marks)), 0))
        rank = np.arange(len(marks)) - group_start
        is_open = rank % 2 == 0
        has_close = np.append(para[1:] == para[:-1], False) & is_open
        o = np.flatnonzero(is_open)
        close_at = np.where(has_close[o], marks[np.minimum(o + 1, len(marks) - 1)] + 1, para_end[para[o]])
        starts.append(marks[o])
        ends.append(close_at)
    # Attributed clauses: from the sentence's start to the comma before "..., X said."
    found = [m.start() for m in _ATTRIBUTION.finditer(text)]
    if found and len(sentence_starts):
        comma = np.asarray(found, dtype=np.int64)
        begin = sentence_starts[np.maximum(np.searchsorted(sentence_starts, comma, side="right") - 1, 0)]
        line_start = np.append(-1, breaks)[np.searchsorted(breaks, comma, side="left")] + 1
        starts.append(np.maximum(begin, line_start))
        ends.append(comma)
    if not starts:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty
    return np.concatenate(starts).astype(np.int64), np.concatenate(ends).astype(np.int64)


def quoted_tokens(text: str, table: TokenTable) -> np.ndarray:
    """One flag per token of ``table``: True where it lies in quoted speech.

    ``text``: the chunk's articles joined by ``"\\n"`` in their original case
    (the offsets of ``table``'s joined text).
    """
    cps = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    return table.in_spans(*quote_spans(text, cps, table.sentence_starts))
