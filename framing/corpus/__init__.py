"""Reading a corpus: decoding (``decode``), the manifest (``manifest``) and sources (``sources``).

The edge where files are opened; everything after it works on ``Article`` records.
"""

from __future__ import annotations

from ..defaults import MAX_ARTICLE_BYTES
from .decode import decode_bytes
from .sources import Corpus, CorpusReader, read_corpus

__all__ = ["MAX_ARTICLE_BYTES", "Corpus", "CorpusReader", "decode_bytes", "read_corpus"]
