"""The lexicon workbench: see what a lexicon counts before trusting its rates.

Three tools share one chunked scan of a corpus with the matcher
(``scan``), so they show exactly what ``framing analyze`` counts:

* ``stats``: per term and per category, how often and where a lexicon matches;
* ``diff``: what changes between two versions of a lexicon, in its terms and
  in the articles' rates;
* ``kwic``: every counted occurrence of a term or category, in context.

Pure: articles in, data out. Reading corpora and writing files is the CLI's
(``framing.cli.workbench``).
"""
