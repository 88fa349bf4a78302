"""framing: bias and framing analysis of news.

Score a labelled corpus of articles on framing dimensions with editable
lexicons and TF-IDF features, and compare how state media, wire agencies and
independent commentary frame the same events.

>>> import framing                                      # doctest: +SKIP
>>> result = framing.analyze("seeds")                   # doctest: +SKIP
>>> result.scores[["article_id", "frames.cooperation_partnership"]]  # doctest: +SKIP

On a Dask cluster: ``framing.analyze(..., engine="dask")``, or
``framing.dask.analyze(ddf)`` for a Dask DataFrame of articles.

The names below are imported on first use, so that ``import framing`` (and
the ``framing`` command's start-up) does not load numpy, pandas or
scikit-learn until an analysis needs them.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING

from .errors import FramingError, InputError, LexiconError, OutputError
from .version import __version__

# public name -> module that defines it
_LAZY = {
    "AnalysisResult": ".result",
    "analyze": ".api",
    "analyze_corpus": ".api",
    "Article": ".types",
    "Corpus": ".corpus",
    "CorpusReader": ".corpus",
    "read_corpus": ".corpus",
    "Lexicon": ".lexicon",
    "CsvColumns": ".lexicon",
    "check_lexicon": ".lexicon",
    "load_lexicon": ".lexicon",
    "save_lexicon": ".outputs",
    "LexiconVectorizer": ".vectorizer",
    "write_report": ".outputs",
}

if TYPE_CHECKING:  # pragma: no cover
    from .api import analyze, analyze_corpus
    from .corpus import Corpus, CorpusReader, read_corpus
    from .lexicon import CsvColumns, Lexicon, check_lexicon, load_lexicon
    from .outputs import save_lexicon, write_report
    from .result import AnalysisResult
    from .types import Article
    from .vectorizer import LexiconVectorizer


def __getattr__(name: str) -> object:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'framing' has no attribute {name!r}")
    value = getattr(import_module(module, __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)


__all__ = [
    "AnalysisResult",
    "Article",
    "Corpus",
    "CorpusReader",
    "CsvColumns",
    "FramingError",
    "InputError",
    "Lexicon",
    "LexiconError",
    "LexiconVectorizer",
    "OutputError",
    "__version__",
    "analyze",
    "analyze_corpus",
    "check_lexicon",
    "load_lexicon",
    "read_corpus",
    "save_lexicon",
    "write_report",
]
