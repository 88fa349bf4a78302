"""The lexicon workbench: see what a lexicon counts before trusting its rates.

Four tools read a corpus chunk by chunk with the same matcher (``scan``
for the first three), so they show exactly what ``framing analyze`` counts:

* ``stats``: per term and per category, how often and where a lexicon matches;
* ``diff``: what changes between two versions of a lexicon, in its terms and
  in the articles' rates;
* ``kwic``: every counted occurrence of a term or category, in context;
* ``suggest``: candidate terms for a category, ranked by how much more often
  they occur in sentences that match it, for a person to review.

Pure: articles in, data out. Reading corpora and writing files is the CLI's
(``framing.cli.workbench``, ``framing.cli.suggest``).
"""
