"""framing: bias and framing analysis of news.

Score a labelled corpus of articles on framing dimensions with editable
lexicons and TF-IDF features, and compare how state media, wire agencies and
independent commentary frame the same events.

>>> import framing                                      # doctest: +SKIP
>>> result = framing.analyze("seeds")                   # doctest: +SKIP
>>> result.scores[["article_id", "frames.cooperation_partnership"]]  # doctest: +SKIP
"""

from __future__ import annotations

__version__ = "0.1.0"

from .corpus import Article, Corpus, read_corpus
from .errors import FramingError, InputError, LexiconError, OutputError
from .lexicon import Lexicon, check_lexicon, load_lexicon
from .pipeline import AnalysisResult, analyze, analyze_corpus

__all__ = [
    "AnalysisResult",
    "Article",
    "Corpus",
    "FramingError",
    "InputError",
    "Lexicon",
    "LexiconError",
    "OutputError",
    "__version__",
    "analyze",
    "analyze_corpus",
    "check_lexicon",
    "load_lexicon",
    "read_corpus",
]
