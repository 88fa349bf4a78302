"""LIWC ``.dic``: numbered categories between two ``%`` lines, then one ``term<TAB>codes`` line per entry.

Read as LIWC2007 and LIWC2015 write it: LIWC2015 nests a category by
indenting its header line one tab more than its parent's, and labels it as
``1<TAB>function<TAB>(Function Words)``; LIWC2007's conditional codes
(``<of>131/125``, ``(02 134)125/464``) are read as far as framing can
express them, with a warning.
"""

from __future__ import annotations

import re

from ..model import Category, Collector, to_identifier
from .common import shown
from .flat import Draft, finish_drafts, unique_id

__all__ = ["read_dic"]

# One category code of an entry: a plain id (12), LIWC2007's "followed by"
# code (<of>131/125: in 131 when the next word is "of", else in 125) or its
# "preceded by" code ((02 134)125/464: in 125 after a word of category 02 or
# 134, else in 464).
_DIC_CODE = re.compile(
    r"\s*(?:(?P<plain>\d+)"
    r"|<(?P<next>[^<>\t]+)>\s*(?P<next_then>\d+)(?:/(?P<next_else>\d+))?"
    r"|\((?P<prev>\s*\d+(?:\s+\d+)*\s*)\)\s*(?P<prev_then>\d+)(?:/(?P<prev_else>\d+))?)"
    r"(?=\s|$)"
)
_DIC_CODES_AT_END = re.compile(
    r"^(?P<term>.*?)(?P<codes>(?:\s+(?:\d+|<[^<>\t]+>\s*\d+(?:/\d+)?|\(\s*\d+(?:\s+\d+)*\s*\)\s*\d+(?:/\d+)?))+)\s*$"
)
_DIC_HEADER = re.compile(r"^(\d+)\s+(.+?)\s*$")
_DIC_LABEL = re.compile(r"^(.*?)\s*\(([^()]*)\)$")


def _is_comment(raw: str) -> bool:
    """``# ...`` and ``// ...`` lines: some hand-made dictionaries carry them (LIWC itself has none)."""
    return raw.startswith(("#", "//")) and not _DIC_CODES_AT_END.match(raw)


def _dic_codes(codes: str) -> list[re.Match[str]] | None:
    """The codes of an entry, or ``None`` when part of the text is not a code."""
    found, pos = [], 0
    while pos < len(codes.rstrip()):
        m = _DIC_CODE.match(codes, pos)
        if not m:
            return None
        found.append(m)
        pos = m.end()
    return found


def _looks_like_entry(raw: str) -> bool:
    """Whether a line reads as an entry, ``term<TAB>ids``."""
    term_text, tab, codes = raw.partition("\t")
    return bool(tab and term_text.strip() and codes.strip() and _dic_codes(codes) is not None)


_DIC_START = "a .dic file starts with a line holding only '%', then one 'id<TAB>name' line per category and another '%'"


def read_dic(text: str, col: Collector) -> tuple[dict[str, str], list[Category]]:
    """The categories of a LIWC ``.dic`` (which has no metadata), nested as its header lines are indented."""
    lines = text.splitlines()
    i = 0
    while i < len(lines) and (not lines[i].strip() or _is_comment(lines[i].strip())):
        i += 1
    if i >= len(lines):
        what = "empty" if not text.strip() else "empty but for comments"
        col.error(1, f"the file is {what}: {_DIC_START}")
        return {}, []
    if lines[i].strip() != "%":
        if _looks_like_entry(lines[i].strip()):
            # LIWC 2007 translations are often passed around without their header: say so, not "bad first line".
            col.error(i + 1, "the category header is missing: the file starts with entries (line "
                      f"{i + 1} is {shown(lines[i].strip())}), but a .dic file starts with its header, a line "
                      "holding only '%', one 'id<TAB>name' line per category the entries' ids refer to, and "
                      "another '%'; add it (the dictionary's documentation names its categories)")
        else:
            col.error(i + 1, f"{_DIC_START}; line {i + 1} is {shown(lines[i].strip())}")
        return {}, []
    opened = i + 1
    block_errors = len(col.problems)
    by_code: dict[str, Draft] = {}
    drafts: dict[str, Draft] = {}
    # LIWC2015 dictionaries show the hierarchy by indenting a child's header
    # line with one more tab than its parent's.
    stack: list[tuple[int, str]] = []
    i += 1
    while i < len(lines) and lines[i].strip() != "%":
        line, raw = i + 1, lines[i].strip()
        i += 1
        if not raw or _is_comment(raw):
            continue
        m = _DIC_HEADER.match(raw)
        if not m:
            col.error(line, f"category line must be 'id<TAB>name', got {raw!r}")
            continue
        code, rest = m.group(1).lstrip("0") or "0", m.group(2)
        name, _, label = rest.partition("\t")
        name, label = name.strip(), label.strip()
        lm = _DIC_LABEL.match(label or name)
        if lm and (label or lm.group(1)):  # LIWC2015 style: "1<TAB>function<TAB>(Function Words)"
            name, label = (name if label else lm.group(1)), lm.group(2).strip()
        if code in by_code:
            col.error(line, f"category id {m.group(1)} is defined twice (first on line {by_code[code].line})")
            continue
        cid = to_identifier(name) or f"category_{code}"
        depth = len(lines[line - 1]) - len(lines[line - 1].lstrip("\t"))
        while stack and stack[-1][0] >= depth:
            stack.pop()
        parent = stack[-1][1] if stack else ""
        wanted = f"{parent}/{cid}" if parent else cid
        path = unique_id(drafts, wanted)
        if path != wanted:  # the General Inquirer's "Econ@" and "ECON": two categories, one id
            col.warn(line, f"categories {drafts[wanted].label!r} (line {drafts[wanted].line}) and {name!r} both make "
                     f"the id {wanted}; {name!r} (id {m.group(1)}) is {path}", kind="category-id-clash")
        stack.append((depth, path))
        by_code[code] = drafts[path] = Draft(path, label or name, line, parent=parent)
    if i >= len(lines):
        col.error(len(lines), "the category block is not closed by a line holding only '%'")
        return {}, []
    if not drafts and len(col.problems) == block_errors:  # a block with no category lines at all
        col.error(opened, f"the category block (lines {opened}-{i + 1}) defines no categories: put one "
                  "'id<TAB>name' line per category between the two '%' lines")
        return {}, []
    for j in range(i + 1, len(lines)):
        _read_dic_entry(col, j + 1, lines[j].strip(), by_code)
    return {}, finish_drafts(col, list(drafts.values()), rolled_up=True)


def _read_dic_entry(col: Collector, line: int, raw: str, by_code: dict[str, Draft]) -> None:
    if not raw or _is_comment(raw):
        return
    # The term ends at the first tab; without a tab, at the first of the codes
    # that end the line (so "kind of 12" is the phrase "kind of" in 12).
    term_text, tab, codes_text = raw.partition("\t")
    codes = _dic_codes(codes_text) if tab else None
    if codes is None:
        m = _DIC_CODES_AT_END.match(raw)
        codes = _dic_codes(m.group("codes")) if m else None
        term_text = m.group("term") if m else term_text
    term_text = term_text.strip()
    if not codes or not term_text:
        col.error(line, f"entry must be 'term<TAB>category ids', got {raw!r}")
        return

    def add(text: str, code: str) -> None:
        draft = by_code.get(code.lstrip("0") or "0")
        if draft is None:
            col.error(line, f'term "{text}" names category id {code}, which the header does not define')
            return
        term = col.term(text, None, line, draft.id)
        if term is not None:
            draft.terms.append(term)

    for m in codes:
        if m.group("plain"):
            add(term_text, m.group("plain"))
        elif m.group("next"):
            nxt, then, other = m.group("next").strip(), m.group("next_then"), m.group("next_else")
            add(f"{term_text} {nxt}", then)
            if other:
                add(term_text, other)
                col.warn(
                    line,
                    f'"{term_text}" {m.group(0).strip()}: read as the phrase "{term_text} {nxt}" in {then} and '
                    f'"{term_text}" in {other}; "{term_text}" before "{nxt}" counts in {other} too',
                    kind="liwc-next-word-code",
                )
        else:
            other = m.group("prev_else")
            col.warn(
                line,
                f'"{term_text}" {m.group(0).strip()}: the category depends on the word before it, which framing '
                f"cannot express; " + (f"read as {other}, its category otherwise" if other else "ignored"),
                kind="liwc-previous-word-code",
            )
            if other:
                add(term_text, other)
