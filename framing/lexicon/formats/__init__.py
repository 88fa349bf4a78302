"""Lexicon file formats: YAML, LIWC ``.dic``, LIWC-22 ``.dicx``, CSV and published dictionaries; text in, model out.

The published dictionary formats: WordStat ``.cat``, Lexicoder ``.lc3``,
Yoshikoder ``.ykd``, NRC word-category-value ``.txt``, JSON ``.json`` and
quanteda's YAML (read by the YAML reader).

Like a compiler, each reader keeps the line of every entry, collects every
problem before it gives up, and names the line in each message::

    lexicons/mine.yaml:12: error: weight of "sanctions" in economy must be a finite number, got 'heavy'

``parse_lexicon`` is pure: it takes the decoded text of a file and never
opens one (``framing.lexicon.io`` does). PyYAML is imported only when a YAML
lexicon is parsed. The formats are documented in ``docs/formats.md``; the
writers that make them are in ``framing.lexicon.writers``.

One module per format (``yaml_lexicon``, ``liwc_dic``, ``liwc_dicx``,
``csv_lexicon``, ``wordstat``, ``lexicoder``, ``yoshikoder``, ``nrc``,
``json_lexicon``); ``common`` holds what readers share (``finish_category``,
``shown``, ``csv_rows``) and ``flat`` the drafts of the formats that name a
category on every entry rather than nest entries under it.

How to add a format: write ``formats/<format>.py`` with one public reader,
``read_<format>(text, col) -> (meta, categories)``. ``text`` is the decoded
file, byte-order mark removed; ``col`` is the file's ``Collector``
(``framing.lexicon.model``): report each problem with ``col.error(line,
message)`` or ``col.warn(line, message, kind=...)`` (line 1 for a problem of the whole
file) and read on, so that one run reports every problem; give a warning that
may come many times a ``kind`` (a stable name, such as ``duplicate-term``), by
which ``framing lexicon check`` summarises it; never raise, and
never open a file. Make each entry with ``col.term(text, weight_text, line,
category)``, which reports a bad term or weight itself and returns ``None``
for it. ``meta`` is the file's metadata as strings (``name``, ``role``,
``version``, ``description``, ``citation``, ``language``; empty for a format
that has none, whose lexicon takes the file's name); it may hold a
``negation`` (a ``Negation``) and ``_role_line`` (the line of the role, for
the message about a bad one). ``categories`` are ``Category`` objects, each
parent before its children, ids as paths (``parent/child``): end each with
``common.finish_category`` (which reports duplicate terms and empty
categories), or, for a flat format, build ``flat.Draft``s with
``flat.draft_for`` and end with ``flat.finish_drafts``. Quote the file's text
in messages with ``common.shown``. Register the suffix in ``READERS`` below
(``LEXICON_SUFFIXES`` follows it, and with it ``framing lexicon check`` and
``load_lexicon``); a format framing can also write is registered in
``framing.lexicon.writers``. Tests: ``tests/lexicon/test_formats.py`` (a small file
read to its categories and terms, and each message of a bad file with its
line; the write-then-read round trip if it is written),
``tests/lexicon/test_lexicon_io.py`` (read from a file); document the format in
``docs/formats.md`` (the published formats: ``tests/lexicon/test_formats_published.py``).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from ..model import DEFAULT_ROLE, ROLES, Category, Collector, Lexicon, Negation, Problem, to_identifier
from .csv_lexicon import CsvColumns, read_csv
from .json_lexicon import read_json
from .lexicoder import read_lexicoder
from .liwc_dic import read_dic
from .liwc_dicx import read_dicx
from .nrc import read_nrc
from .wordstat import read_wordstat
from .yaml_lexicon import read_yaml
from .yoshikoder import read_yoshikoder

__all__ = ["LEXICON_SUFFIXES", "READERS", "CsvColumns", "Reader", "parse_lexicon"]

# A reader: the decoded text of a file and its Collector in; the metadata and the categories out.
Reader = Callable[[str, Collector], tuple[Mapping[str, Any], list[Category]]]

# Suffix -> reader, in the order messages list the formats.
READERS: dict[str, Reader] = {".yaml": read_yaml, ".yml": read_yaml, ".dic": read_dic, ".dicx": read_dicx,
                              ".csv": read_csv, ".cat": read_wordstat, ".lc3": read_lexicoder,
                              ".ykd": read_yoshikoder, ".txt": read_nrc, ".json": read_json}
LEXICON_SUFFIXES = tuple(READERS)


def parse_lexicon(
    text: str, *, suffix: str, path: str, sha256: str = "", stem: str = "", csv_columns: CsvColumns | None = None
) -> tuple[Lexicon | None, list[Problem]]:
    """Parse a lexicon from its decoded text; return it (``None`` if unusable) and every problem.

    ``suffix`` picks the reader (a key of ``READERS``: ``.yaml``, ``.yml``,
    ``.dic``, ``.dicx``, ``.csv``, ``.cat``, ``.lc3``, ``.ykd``, ``.txt``,
    ``.json``); ``path`` is only the name used in messages; ``stem`` names a
    lexicon whose file does not (only YAML, framing's JSON and ``.ykd``
    carry a name). A reader returns the metadata as strings, except the file-level
    negation rule, which it may return as ``meta["negation"]`` (a
    ``Negation``; absent or ``None``: off). ``csv_columns`` says how to read
    a CSV lexicon that is not laid out as framing writes it (``CsvColumns``);
    the other formats have no such options and ignore it.
    """
    col = Collector(path)
    reader = READERS.get(suffix.lower())
    if reader is None:
        col.error(1, f"unknown lexicon format {suffix!r}; use one of {', '.join(LEXICON_SUFFIXES)}")
        return None, col.problems
    text = text.removeprefix("\ufeff")
    # Only CSV takes options; the other readers keep the two-argument shape of ``Reader``.
    meta, categories = read_csv(text, col, csv_columns) if reader is read_csv else reader(text, col)
    col.finish()
    # The readers report these where they are; these checks only keep a reader's slip from making a bad lexicon.
    # A problem of the whole file is on line 1, so every message has a line.
    ids: set[str] = set()
    for c in categories:
        if c.id in ids:
            col.error(1, f"category {c.id} is defined twice")
        ids.add(c.id)
    if not categories and not any(pr.severity == "error" for pr in col.problems):
        col.error(1, "the lexicon defines no categories")
    role = (meta.get("role") or DEFAULT_ROLE).strip().lower()
    if role not in ROLES:
        col.error(int(meta.get("_role_line", 1)), f"role {meta.get('role')!r} is not one of {', '.join(ROLES)}")
        role = DEFAULT_ROLE
    name = to_identifier(meta.get("name") or stem) or "lexicon"
    negation = meta.get("negation")
    lexicon = Lexicon(
        name=name,
        categories=tuple(categories),
        role=role,  # type: ignore[arg-type]  # checked against ROLES above
        version=meta.get("version", ""),
        description=meta.get("description", ""),
        citation=str(meta.get("citation", "")),
        language=str(meta.get("language", "")),
        negation=negation if isinstance(negation, Negation) else None,
        path=path,
        sha256=sha256,
        warnings=tuple(str(pr) for pr in col.problems if pr.severity == "warning"),
    )
    return lexicon, col.problems
