"""A classroom worksheet and its answer key, made from an analysis.

Two self-contained, offline HTML pages; nothing is written here (the CLI
writes them, ``framing/cli/worksheet.py``):

* **worksheet.html**, for students: up to ``max_articles`` articles, labelled
  A, B, C ... in a seeded order, with what gives their publisher away
  replaced by ``[…]``, and under each article the tasks, with room to write:
  who is quoted or cited, which words are loaded, which word the article
  uses for each contested thing the tool found in these articles, which
  frames it takes (from those the lexicons mark ``classroom: frame``), and
  what kind of source published it, and why.
* **answer_key.html**, for the teacher: per letter, the true outlet and
  source type, what was hidden, the tool's counted matches for each task,
  its reading of the frames (the top frames by rate, with their validity),
  the classifier's view, and what these figures cannot support.

Three steps, because what is hidden depends on which articles are shown
(every shown article's outlet is hidden in all of them), and finding it is
analysis, which the report does not import::

    choice = choose_articles(result, seed=3, max_articles=6)                 # select: letters, seeded order
    hide = ReaderMask.for_outlets(a.outlet for a in choice.articles).spans   # framing.analysis.mask
    sheet = render_worksheet(result, choice, hide=hide)                      # render: the two pages

The modules: ``select`` (which articles, which letters), ``mask`` (showing
what was hidden), ``evidence`` (what the tool found, per task, and the
contested things, from the lexicons' own metadata), ``sheet`` (the students'
page), ``key`` (the teacher's), ``pages`` (the shell and CSS both share),
``render`` (both pages at once). Every string from input is escaped with
``framing.report.html.escape``; the pages carry report.html's
Content-Security-Policy and contain no script. The same result, seed and
mask give the same bytes.
"""

from __future__ import annotations

from .mask import MASK, Hide, mask_text
from .render import Worksheet, render_worksheet
from .select import DEFAULT_ARTICLES, Choice, choose_articles, letters, shuffle_ids

__all__ = [
    "DEFAULT_ARTICLES", "MASK", "Choice", "Hide", "Worksheet", "choose_articles", "letters", "mask_text",
    "render_worksheet", "shuffle_ids",
]
