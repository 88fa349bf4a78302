"""Reading a corpus: the edge where files are opened; everything after it works on ``Article`` records.

The modules, low to high: ``decode`` (bytes to text, safe opening),
``manifest`` (the CSV of facts per article), ``walk`` (which files a folder
holds), ``lines`` (a table's lines, decoded and numbered), ``tables``
(CSV, JSONL and Parquet records, and the rules for a record's text),
``reader`` (``CorpusReader``: articles with ids, the manifest joined),
``partitions`` (the same corpus read in parts by Dask workers) and
``frames`` (a pandas partition of a Dask DataFrame read into articles).
"""

from __future__ import annotations

from ..defaults import MAX_ARTICLE_BYTES
from .decode import decode_bytes
from .reader import Corpus, CorpusReader, read_corpus

__all__ = ["MAX_ARTICLE_BYTES", "Corpus", "CorpusReader", "decode_bytes", "read_corpus"]
