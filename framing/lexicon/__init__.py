"""Lexicons: the model (``model``), file formats (``formats``) and file access (``io``)."""

from __future__ import annotations

from .formats import LEXICON_SUFFIXES, CsvColumns, parse_lexicon
from .io import (
    builtin_lexicon_paths,
    check_lexicon,
    inspect_lexicon,
    lexicon_path,
    load_lexicon,
    load_lexicons,
)
from .model import (
    ROLES,
    Category,
    Lexicon,
    Negation,
    Problem,
    Term,
    make_term,
    parse_term,
    pattern_matches,
    to_identifier,
)

__all__ = [
    "LEXICON_SUFFIXES",
    "ROLES",
    "Category",
    "CsvColumns",
    "Lexicon",
    "Negation",
    "Problem",
    "Term",
    "builtin_lexicon_paths",
    "check_lexicon",
    "inspect_lexicon",
    "lexicon_path",
    "load_lexicon",
    "load_lexicons",
    "make_term",
    "parse_lexicon",
    "parse_term",
    "pattern_matches",
    "to_identifier",
]
