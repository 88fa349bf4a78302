"""Lexicons: the model (``model``), file formats (``formats``) and file access (``io``)."""

from __future__ import annotations

from .formats import LEXICON_SUFFIXES, parse_lexicon
from .io import builtin_lexicon_paths, check_lexicon, load_lexicon
from .model import ROLES, Category, Lexicon, Problem, Term, parse_term, to_identifier

__all__ = [
    "LEXICON_SUFFIXES",
    "ROLES",
    "Category",
    "Lexicon",
    "Problem",
    "Term",
    "builtin_lexicon_paths",
    "check_lexicon",
    "load_lexicon",
    "parse_lexicon",
    "parse_term",
    "to_identifier",
]
