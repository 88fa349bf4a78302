"""Read lexicons from YAML, LIWC-style ``.dic`` and CSV files, and check them.

Like a compiler, the reader keeps the line of every entry, collects every
problem before it gives up, and names the file and line in each message::

    lexicons/mine.yaml:12: error: wildcard "*" is only allowed at the end of a word: "sanc*ions"

Terms are literal. ``*`` at the end of a word is the one special character
(a prefix wildcard); a term of several words is a phrase. Each term is split
into words with the same rules as the text (``framing.tokenize``), so a term
such as ``U.S.`` becomes the phrase ``u s`` and matches what the tokenizer
makes of "U.S." in an article. The format is documented in
``lexicons/README.md``.
"""

from __future__ import annotations

import csv
import hashlib
import io
import math
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

import yaml

from .errors import LexiconError
from .tokenize import WORD_PATTERN, normalize

__all__ = [
    "Category",
    "Lexicon",
    "Problem",
    "Term",
    "builtin_lexicon_paths",
    "check_lexicon",
    "load_lexicon",
    "parse_term",
]

_TERM_WORD = re.compile(f"({WORD_PATTERN})(\\*?)")
_ID_CHARS = re.compile(r"[^a-z0-9_]+")
LEXICON_SUFFIXES = (".yaml", ".yml", ".dic", ".csv")


@dataclass(frozen=True)
class Term:
    """One lexicon entry: the words it matches and how much each match weighs."""

    text: str
    words: tuple[str, ...]
    wildcard: tuple[bool, ...]
    weight: float = 1.0
    line: int = 0

    @property
    def is_phrase(self) -> bool:
        """True for terms of more than one word."""
        return len(self.words) > 1


@dataclass(frozen=True)
class Category:
    """A named group of terms; ``id`` is used in column names."""

    id: str
    label: str
    description: str
    terms: tuple[Term, ...]


@dataclass(frozen=True)
class Lexicon:
    """A parsed lexicon with its provenance."""

    name: str
    categories: tuple[Category, ...]
    version: str = ""
    description: str = ""
    citation: str = ""
    path: str = ""
    sha256: str = ""
    warnings: tuple[str, ...] = field(default=())

    @property
    def n_entries(self) -> int:
        """Number of terms over all categories."""
        return sum(len(c.terms) for c in self.categories)


@dataclass(frozen=True)
class Problem:
    """A problem found while reading a lexicon, with its place."""

    path: str
    line: int
    severity: Literal["error", "warning"]
    message: str

    def __str__(self) -> str:
        place = f"{self.path}:{self.line}" if self.line else self.path
        return f"{place}: {self.severity}: {self.message}"


def builtin_lexicon_paths() -> list[Path]:
    """The built-in lexicons shipped in the project's ``lexicons/`` folder."""
    root = Path(__file__).resolve().parent.parent / "lexicons"
    return [root / name for name in ("frames.yaml", "style.yaml", "labels.yaml")]


def to_identifier(name: str) -> str:
    """Lower-case snake_case form of ``name`` for column names (``"Pos Emo" -> "pos_emo"``)."""
    return _ID_CHARS.sub("_", name.strip().lower()).strip("_")


def parse_term(text: str) -> tuple[tuple[str, ...], tuple[bool, ...], list[str]]:
    """Split a term into words and wildcard flags; return them with any problems.

    >>> parse_term("Sanction* regime")
    (('sanction', 'regime'), (True, False), [])
    """
    norm = normalize(text.strip())
    words: list[str] = []
    wild: list[bool] = []
    problems: list[str] = []
    rest = []
    pos = 0
    any_glued = False
    for m in _TERM_WORD.finditer(norm):
        rest.append(norm[pos : m.start()])
        pos = m.end()
        words.append(m.group(1))
        wild.append(bool(m.group(2)))
        # "sanc*ions": a wildcard followed by more of the word is not a prefix.
        any_glued |= bool(m.group(2)) and pos < len(norm) and (norm[pos].isalnum() or norm[pos] == "*")
    rest.append(norm[pos:])
    leftover = "".join(rest)
    if "*" in leftover or any_glued:
        problems.append(f'wildcard "*" is only allowed at the end of a word: "{text}"')
    elif not words:
        problems.append(f'term "{text}" has no letters or digits, so it can never match')
    return tuple(words), tuple(wild), problems


class _Collector:
    """Gathers problems for one file, then raises once if any is an error."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.problems: list[Problem] = []

    def error(self, line: int, message: str) -> None:
        self.problems.append(Problem(self.path, line, "error", message))

    def warn(self, line: int, message: str) -> None:
        self.problems.append(Problem(self.path, line, "warning", message))

    def term(self, text: str, weight_text: str | None, line: int, category: str) -> Term | None:
        words, wild, problems = parse_term(text)
        for message in problems:
            self.error(line, message)
        weight = 1.0
        if weight_text is not None and str(weight_text).strip() != "":
            try:
                weight = float(weight_text)
            except ValueError:
                weight = math.nan
            if not math.isfinite(weight) or weight <= 0:
                self.error(
                    line,
                    f'weight of "{text}" in {category} must be a positive finite number, '
                    f"got {weight_text!r}",
                )
                return None
        if problems:
            return None
        joined = " ".join(w + ("*" if f else "") for w, f in zip(words, wild))
        if joined != normalize(text.strip()) and joined.replace(" ", "") != normalize(
            text.strip()
        ).replace(" ", ""):
            self.warn(line, f'term "{text}" contains punctuation; it matches as "{joined}"')
        return Term(text=text.strip(), words=words, wildcard=wild, weight=weight, line=line)


def _finish_category(
    col: _Collector, cid: str, label: str, description: str, terms: list[Term], line: int
) -> Category:
    seen: dict[tuple[tuple[str, ...], tuple[bool, ...]], int] = {}
    unique: list[Term] = []
    for t in terms:
        key = (t.words, t.wildcard)
        if key in seen:
            col.warn(t.line, f'duplicate term "{t.text}" in {cid} (first on line {seen[key]}); counted once')
            continue
        seen[key] = t.line
        unique.append(t)
    if not unique:
        col.warn(line, f"category {cid} has no terms")
    return Category(id=cid, label=label or cid, description=description, terms=tuple(unique))


# --- YAML -------------------------------------------------------------------


def _scalar(node: yaml.Node | None) -> str:
    if isinstance(node, yaml.ScalarNode):
        return str(node.value)
    return ""


def _mapping(node: yaml.Node) -> dict[str, tuple[yaml.Node, yaml.Node]]:
    return {str(k.value): (k, v) for k, v in node.value if isinstance(k, yaml.ScalarNode)}


def _read_yaml(text: str, col: _Collector) -> tuple[dict[str, str], list[Category]]:
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else 1
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        col.error(line, f"YAML syntax: {problem}")
        return {}, []
    if not isinstance(root, yaml.MappingNode):
        col.error(1, "a lexicon file must be a mapping with 'name' and 'categories'")
        return {}, []
    top = _mapping(root)
    meta = {k: _scalar(top[k][1]) for k in ("name", "version", "description", "citation") if k in top}
    if "categories" not in top or not isinstance(top["categories"][1], yaml.MappingNode):
        col.error(1, "missing 'categories': a mapping from category id to its terms")
        return meta, []
    categories = []
    for key_node, cat_node in top["categories"][1].value:
        line = key_node.start_mark.line + 1
        raw_id = _scalar(key_node)
        cid = to_identifier(raw_id)
        if not cid:
            col.error(line, f"category id {raw_id!r} has no letters or digits")
            continue
        if not isinstance(cat_node, yaml.MappingNode):
            col.error(line, f"category {cid} must be a mapping with 'description' and 'terms'")
            continue
        fields = _mapping(cat_node)
        terms_node = fields.get("terms", (None, None))[1]
        if not isinstance(terms_node, yaml.SequenceNode):
            col.error(line, f"category {cid} needs 'terms': a list")
            continue
        terms = []
        for item in terms_node.value:
            tline = item.start_mark.line + 1
            if isinstance(item, yaml.ScalarNode):
                text, weight = str(item.value), None
            elif isinstance(item, yaml.MappingNode):
                entry = _mapping(item)
                text = _scalar(entry.get("term", (None, None))[1])
                weight = _scalar(entry.get("weight", (None, None))[1]) if "weight" in entry else None
                if not text:
                    col.error(tline, f"entry in {cid} needs 'term': {{term: ..., weight: ...}}")
                    continue
            else:
                col.error(tline, f"entry in {cid} must be a term or {{term: ..., weight: ...}}")
                continue
            term = col.term(text, weight, tline, cid)
            if term is not None:
                terms.append(term)
        label = _scalar(fields.get("label", (None, None))[1])
        description = _scalar(fields.get("description", (None, None))[1])
        categories.append(_finish_category(col, cid, label, description, terms, line))
    return meta, categories


# --- LIWC .dic --------------------------------------------------------------

_DIC_ENTRY = re.compile(r"^(.*?)\s+(\d+(?:\s+\d+)*)\s*$")


def _read_dic(text: str, col: _Collector) -> tuple[dict[str, str], list[Category]]:
    lines = text.splitlines()
    i = 0
    while i < len(lines) and not lines[i].strip():
        i += 1
    if i >= len(lines) or lines[i].strip() != "%":
        col.error(i + 1, "a .dic file starts with a line holding only '%'")
        return {}, []
    names: dict[str, tuple[str, int]] = {}
    i += 1
    while i < len(lines) and lines[i].strip() != "%":
        raw = lines[i].strip()
        if raw:
            parts = raw.split(None, 1)
            if len(parts) != 2 or not parts[0].isdigit():
                col.error(i + 1, f"category line must be 'id<TAB>name', got {raw!r}")
            else:
                names[parts[0].lstrip("0") or "0"] = (parts[1].strip(), i + 1)
        i += 1
    if i >= len(lines):
        col.error(len(lines), "the category block is not closed by a line holding only '%'")
        return {}, []
    buckets: dict[str, list[Term]] = {k: [] for k in names}
    for j in range(i + 1, len(lines)):
        raw = lines[j].strip()
        if not raw:
            continue
        fields = [f.strip() for f in raw.split("\t") if f.strip()]
        if len(fields) >= 2 and all(re.fullmatch(r"\d+(\s+\d+)*", f) for f in fields[1:]):
            text, ids = fields[0], " ".join(fields[1:]).split()
        else:
            m = _DIC_ENTRY.match(raw)
            if not m:
                col.error(j + 1, f"entry must be 'term<TAB>category ids', got {raw!r}")
                continue
            text, ids = m.group(1), m.group(2).split()
        for cat_id in ids:
            key = cat_id.lstrip("0") or "0"
            if key not in names:
                col.error(j + 1, f'term "{text}" names category id {cat_id}, which the header does not define')
                continue
            term = col.term(text, None, j + 1, names[key][0])
            if term is not None:
                buckets[key].append(term)
    categories = []
    for key, (name, line) in names.items():
        cid = to_identifier(name) or f"category_{key}"
        categories.append(_finish_category(col, cid, name, "", buckets[key], line))
    return {}, categories


# --- CSV --------------------------------------------------------------------


def _read_csv(text: str, col: _Collector) -> tuple[dict[str, str], list[Category]]:
    reader = csv.reader(io.StringIO(text, newline=""))
    header = next(reader, None)
    cols = [h.strip().lower() for h in header] if header else []
    if "category" not in cols or "term" not in cols:
        col.error(1, "a CSV lexicon needs a header with columns category,term[,weight]")
        return {}, []
    ci, ti = cols.index("category"), cols.index("term")
    wi = cols.index("weight") if "weight" in cols else None
    buckets: dict[str, tuple[int, list[Term]]] = {}
    for row in reader:
        line = reader.line_num
        if not any(cell.strip() for cell in row):
            continue
        if len(row) <= max(ci, ti):
            col.error(line, f"row has {len(row)} cell{'' if len(row) == 1 else 's'}, expected category,term[,weight]")
            continue
        cid = to_identifier(row[ci])
        if not cid:
            col.error(line, f"category {row[ci]!r} has no letters or digits")
            continue
        weight = row[wi] if wi is not None and wi < len(row) else None
        bucket = buckets.setdefault(cid, (line, []))
        term = col.term(row[ti], weight, line, cid)
        if term is not None:
            bucket[1].append(term)
    return {}, [_finish_category(col, cid, cid, "", terms, line) for cid, (line, terms) in buckets.items()]


_READERS = {".yaml": _read_yaml, ".yml": _read_yaml, ".dic": _read_dic, ".csv": _read_csv}


def _read(path: str | Path) -> tuple[Lexicon | None, list[Problem]]:
    p = Path(path)
    col = _Collector(str(path))
    reader = _READERS.get(p.suffix.lower())
    if reader is None:
        col.error(0, f"unknown lexicon format {p.suffix!r}; use one of {', '.join(LEXICON_SUFFIXES)}")
        return None, col.problems
    try:
        data = p.read_bytes()
    except OSError as exc:
        col.error(0, f"cannot read: {exc.strerror or exc}")
        return None, col.problems
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        col.error(line, "not valid UTF-8; save the lexicon as UTF-8")
        return None, col.problems
    meta, categories = reader(text, col)
    ids: dict[str, int] = {}
    for c in categories:
        if c.id in ids:
            col.error(0, f"category {c.id} is defined twice")
        ids[c.id] = 1
    if not categories and not any(pr.severity == "error" for pr in col.problems):
        col.error(0, "the lexicon defines no categories")
    name = to_identifier(meta.get("name") or p.stem) or "lexicon"
    lexicon = Lexicon(
        name=name,
        categories=tuple(categories),
        version=meta.get("version", ""),
        description=meta.get("description", ""),
        citation=meta.get("citation", ""),
        path=str(path),
        sha256=hashlib.sha256(data).hexdigest(),
        warnings=tuple(str(pr) for pr in col.problems if pr.severity == "warning"),
    )
    return lexicon, col.problems


def check_lexicon(path: str | Path) -> list[Problem]:
    """Every problem in the lexicon at ``path``, errors and warnings, in file order."""
    _, problems = _read(path)
    return sorted(problems, key=lambda pr: (pr.line, pr.severity != "error"))


def load_lexicon(path: str | Path) -> Lexicon:
    """Read a lexicon (``.yaml``, ``.yml``, ``.dic`` or ``.csv``).

    Raises ``LexiconError`` listing every error with its line; warnings (such as
    a duplicate term) are kept in ``Lexicon.warnings``.
    """
    lexicon, problems = _read(path)
    errors = [str(pr) for pr in problems if pr.severity == "error"]
    if errors or lexicon is None:
        more = f" (and {len(errors) - 1} more; run 'framing lexicon check {path}')" if len(errors) > 1 else ""
        raise LexiconError(f"{errors[0]}{more}", errors)
    return lexicon
