"""Every setting that more than one module reads, with why it has its value.

Settings that only one module reads stay beside the code that uses them
(``framing.stats.classify.MIN_PER_TYPE``, say). A setting here is read, never
copied: the CLI's defaults and help texts, the library's keyword defaults and
the report's notes all take it from this module.
"""

from __future__ import annotations

__all__ = [
    "CHUNK_ARTICLES", "DIFF_FEW_ARTICLES", "KEEP_ROWS", "KEEP_TEXTS", "MAX_ARTICLE_BYTES", "MAX_SIMILARITY_ARTICLES",
    "MIN_GROUP_ARTICLES", "PARTITION_BYTES", "STORY_PAGES", "STORY_THRESHOLD", "STORY_WINDOW", "TOKEN_CACHE_BYTES",
    "TOP_TERMS",
]

# Reading and scoring
MAX_ARTICLE_BYTES = 32_000_000  # one article larger than this is skipped: nearly always a dump read by mistake
CHUNK_ARTICLES = 500  # articles scored together (a pass-1 task): big enough to amortise the per-chunk work
PARTITION_BYTES = 32_000_000  # bytes of corpus files a Dask worker reads per task, about (--partition-mb 32)
# The token cache's folder is trimmed to this (about 13 bytes a token: some 250,000 articles of 600 words). A run
# stops adding entries at half of it, so that one corpus too big to keep does not evict every other.
TOKEN_CACHE_BYTES = 2_000_000_000

# What a streamed run keeps in memory for report.html (the CSV files always hold every article)
KEEP_ROWS = 5_000  # rows of report.csv kept as a DataFrame, the first by id: the page's table of articles
KEEP_TEXTS = 200  # articles (the first by id) whose text and matches are kept: the page shows them whole

# Figures
TOP_TERMS = 10  # TF-IDF terms listed per article (report.csv's top_terms)
MAX_SIMILARITY_ARTICLES = 300  # up to this many articles, the article x article similarity table is kept and drawn
# A group of fewer articles is small: no 95 % interval, no distinctive terms, no ranking on a chart, and the
# page says so. Five is the least for which a bootstrap interval or a log-odds list is more than noise.
MIN_GROUP_ARTICLES = 5
DIFF_FEW_ARTICLES = 10  # ``lexicon diff`` flags a group mean over fewer articles (old and new rates differ in few)

# Stories (framing.stats.stories): measured on BASIL's events, bench/stories.py and docs/validation.md
STORY_THRESHOLD = 0.2  # cosine of two articles' story vectors that links them (chosen on BASIL's events)
STORY_WINDOW = 3  # days apart, at most, for two dated articles of one story (BASIL's: 79 of 80 events within 3)
STORY_PAGES = 5  # stories report.html shows side by side, the largest first (--story-pages)
