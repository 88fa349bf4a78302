"""A corpus split into parts that workers read themselves, with exactly what ``CorpusReader`` gives.

A Dask worker reads its part of the corpus from the files, so the text never
passes through the machine that runs ``framing`` (the client). The client
only plans (lists folders, stats files, reads Parquet metadata) and merges
what the reads tell it (ids, places, counts; never the text). The calls, in
this order::

    client   plan = plan_parts(paths, manifest=..., text_column=..., ...)
    workers  counts = [count_part(plan.parts[i], plan.options) for i in plan.to_count]
    client   plan = number_parts(plan, counts)        # both steps only when plan.to_count
    workers  reads[i] = read_part(plan.parts[i], plan.options)    # for every part
    client   merged = merge_reads(plan, [r.summary() for r in reads])
    workers  for i, kwargs in merged.rerun.items():
                 reads[i] = read_part(plan.parts[i], plan.options, **kwargs)

Then the articles of ``reads`` in part order are ``list(CorpusReader(...))``,
field for field, and ``merged.warnings`` and ``merged.skipped`` are the
reader's ``warnings`` and ``skipped``. ``read_in_parts`` runs the sequence
in this process (the reference for an engine). The steps live in ``plan``
(``plan_parts``, ``count_part``, ``number_parts``: the client's plan and
the numbering of split files), ``read`` (``read_part``: on a worker) and
``merge`` (``merge_reads``: on the client).

How a corpus is split:

* A folder: its files in the reader's order, in groups of about
  ``target_bytes``. The walk's own warnings (a folder reached twice) travel
  in the part, in their place between files. A Parquet file in the folder
  (a dataset folder's part files) ends the group before it and gets parts
  of its own, cut as a Parquet file given directly is (below); its rows'
  ids and ``key=value`` directories are the reader's (``framing.corpus.reader``).
* A plain JSONL file over ``target_bytes``: byte ranges; a part reads the
  lines that *start* in its range. Its first line number is not known
  without counting the line breaks before it, which is done on the workers
  (``count_part``: no decoding, no JSON) before the reading. Record numbers
  (the ``file:<n>`` ids of records without an id) are guessed from the same
  count and checked by the merge; a wrong guess (blank, invalid or non-object
  lines before a part that has records without ids) reruns that part.
  Whether a file is UTF-16/32 is known only from its first 64 KB: then the
  part that starts the file reads all of it, as the reader does, and the
  others give nothing.
* A Parquet file: its row groups, cut only where the rows before are a
  multiple of ``PARQUET_BATCH`` (so each part decodes the same batches as
  the reader, and a damaged row group fails at the same row).
* Anything else (CSV, whose quoted cells may hold line breaks; gzip; one
  text file; a table that cannot be split): one part per file.

What only the whole corpus decides is decided by the merge, which replays
the reader's last steps on the parts' notes: the manifest's rows (a
``file`` row is used once), source types (one warning per unknown value),
duplicate ids, the file-level decoding warnings of a split file, the rows
nobody used. A part whose articles came out otherwise than the replay says
(an id renamed because of an earlier part, a manifest row an earlier part
already used, a wrong record-number guess) is rerun with the replay's ids
and rows; so are the parts of a file after a part that could not read the
rest of it (they give nothing then). So there are no reruns for a folder
of text files, a CSV file, or a JSONL file without bad lines, as long as
ids are unique and each manifest row names one article.
"""

from __future__ import annotations

from ...types import Article
from .merge import Merged, merge_reads
from .plan import Part, PartCount, Plan, ReadOptions, count_part, number_parts, plan_parts
from .read import Note, PartRead, read_part

__all__ = [
    "Merged", "Note", "Part", "PartCount", "PartRead", "Plan", "ReadOptions",
    "count_part", "merge_reads", "number_parts", "plan_parts", "read_in_parts", "read_part",
]


def read_in_parts(plan: Plan) -> tuple[list[Article], Merged]:
    """Every step in this process, in the order an engine takes them: the articles and the merge."""
    counts = [count_part(plan.parts[i], plan.options) for i in plan.to_count]
    plan = number_parts(plan, counts)
    reads = [read_part(p, plan.options) for p in plan.parts]
    merged = merge_reads(plan, [r.summary() for r in reads])
    for i, kwargs in merged.rerun.items():
        reads[i] = read_part(plan.parts[i], plan.options, **kwargs)  # type: ignore[arg-type]
    return [a for r in reads for a in r.articles], merged
