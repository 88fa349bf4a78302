"""One self-contained, offline HTML page that shows the evidence of an analysis.

``render_html(result)`` returns the bytes of ``report.html``; it writes
nothing (``framing/outputs.py`` is the only writer). The page shows which words
counted and for what: group summaries, charts, distinctive terms, a table of
all articles, and the full text of the first ``max_articles`` articles with
every counted match highlighted. It reads the result only: every figure on
it was computed by the engine.

Every string that comes from input (article text and metadata, lexicon
names, labels, descriptions and terms, warnings) is hostile until escaped:

* text and attribute values go through ``html.escape(s, quote=True)`` after
  characters HTML does not allow are replaced by U+FFFD (``escape``);
* input never becomes markup, an element id, a class or a style; ids are
  built from indexes (``a17``);
* a URL becomes a link only when it is a plain absolute ``http(s)`` URL
  (``escape.safe_url``); any other URL is shown as text;
* the page carries a Content-Security-Policy that forbids every external
  load and every script but one, the fixed inline toggles (``page``).

A strict builder rather than a template engine (Jinja2): every string from
input goes through ``html_text`` / ``html_attr`` where it meets markup, markup
is never built from input, and the tests feed hostile strings to every section
(tests/house/test_hostile.py, tests/report/test_html.py, tests/report/test_labels.py). Jinja2's
autoescaping would add a dependency and still leave attribute contexts and
URLs to the same hand-written rules.

The modules, in the order of the page:

* ``page``: ``render_html``, the page's head, the script and its CSP;
* ``sections``: header, warnings, summary, charts, distinctive terms, the
  articles table, the legend;
* ``readings``: the overview and each chart's reading in plain words;
* ``labels``: "Same thing, different words"; ``compare``: "Side by side";
* ``articles``: the article texts; ``why``: "Why this score";
* ``evidence``: the highlighter; ``escape``: where input meets markup.

The output is deterministic: the same result gives the same bytes.
"""

from __future__ import annotations

from .page import CSP, SCRIPT, render_html
from .sections import MAX_WARNINGS, TOP_DISTINCTIVE

__all__ = ["CSP", "MAX_WARNINGS", "SCRIPT", "TOP_DISTINCTIVE", "render_html"]
