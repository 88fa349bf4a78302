"""One self-contained, offline HTML page that shows the evidence of an analysis.

``render_html(result)`` returns the bytes of ``report.html``; it writes
nothing (``framing/outputs.py`` is the only writer). The page shows which words
counted and for what: group summaries, charts, distinctive terms, a table of
all articles, and the full text of the first ``max_articles`` articles with
every counted match highlighted.

Every string that comes from input (article text and metadata, lexicon
names, labels, descriptions and terms, warnings) is hostile until escaped:

* text and attribute values go through ``html.escape(s, quote=True)`` after
  characters HTML does not allow (NUL and other controls, lone surrogates,
  noncharacters) are replaced by U+FFFD;
* input never becomes markup, an element id, a class or a style; ids are
  built from indexes (``a17``);
* a URL becomes a link only when it is a plain absolute ``http(s)`` URL
  (``_safe_url``); any other URL is shown as text;
* the page carries a Content-Security-Policy that forbids every external
  load and every script but one: the fixed inline script ``SCRIPT`` (the
  category toggles), allowed by its ``sha256`` hash; no input reaches it,
  and the page reads fully without it.

A strict builder rather than a template engine (Jinja2): every string from
input goes through ``_text`` / ``_attr`` where it meets markup, markup is
never built from input, and the tests feed hostile strings to every section
(tests/test_hostile.py, tests/test_html.py, tests/test_labels.py). Jinja2's
autoescaping would add a dependency and still leave attribute contexts and
URLs to the same hand-written rules.

Every highlight is a ``<mark>`` with class ``k<N>`` for each legend number
``N`` of the categories covering it and ``data-ends="<m>"``, the number of
ledger rows of the article that end at this piece (negated rows included),
so the ``data-ends`` of an article's marks add up to its rows in
matches.csv. An article is ``<section id="a<i>" class="article"
data-article="<id>">``; a toggle is ``<input type="checkbox" class="toggle"
data-k="<N>" checked>``, and unchecking it puts class ``off-<N>`` on
``<body>``, which the CSS turns into no highlight for marks whose
categories are all off.

The output is deterministic: the same result gives the same bytes.
"""

from __future__ import annotations

import base64
import hashlib
import html
import itertools
import math
import re
from collections.abc import Iterable, Mapping, Sequence
from urllib.parse import urlsplit

import numpy as np
import pandas as pd

from ..analysis.typography import CHARACTERS
from ..defaults import KEEP_ROWS, KEEP_TEXTS, MIN_GROUP_ARTICLES
from ..english import count_words, plural
from ..errors import InputError
from ..lexicon.referents import referent_name, referents
from ..result import AnalysisResult
from ..schema import LABEL_COLUMNS
from ..types import LABELLED_TYPES, Article, type_key, type_label
from .legend import CHART_LABELS, OKABE_ITO

__all__ = ["CSP", "MAX_WARNINGS", "SCRIPT", "TOP_DISTINCTIVE", "render_html"]

# The page's only script: the category toggles. With scripts off the toggles
# stay hidden and every highlight shows. Checkbox state a browser restores on
# reload is applied at once.
SCRIPT = (
    "(function(){var d=document;d.documentElement.className+=' js';"
    "var boxes=d.querySelectorAll('input.toggle');"
    "function sync(b){d.body.classList.toggle('off-'+b.getAttribute('data-k'),!b.checked);}"
    "for(var i=0;i<boxes.length;i++){sync(boxes[i]);"
    "boxes[i].addEventListener('change',function(e){sync(e.target);});}"
    "var all=d.querySelectorAll('button[data-all]');"
    "for(var j=0;j<all.length;j++){all[j].addEventListener('click',function(e){"
    "var on=e.target.getAttribute('data-all')==='1';"
    "for(var i=0;i<boxes.length;i++){boxes[i].checked=on;sync(boxes[i]);}});}})();"
)
_SCRIPT_HASH = base64.b64encode(hashlib.sha256(SCRIPT.encode("utf-8")).digest()).decode("ascii")
CSP = (
    f"default-src 'none'; img-src data:; style-src 'unsafe-inline'; script-src 'sha256-{_SCRIPT_HASH}'; "
    "base-uri 'none'; form-action 'none'"
)
MAX_NOTES = 12  # notes in the overview; run.json lists them all
MAX_LABEL_EXAMPLES = 8  # example articles per label on the page; labels.csv has them all
MAX_WARNINGS = 50  # a page of warnings is still readable; the rest are in the run output
TOP_DISTINCTIVE = 10  # distinctive terms shown per source type
MAX_CELL = 300  # characters of a title or id in the articles table; the article section has it all
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"

# After the seven colours repeat, the underline style tells categories apart.
_UNDERLINES = ("solid", "dashed", "dotted", "double")

# Code points HTML forbids or that break UTF-8: C0 controls except tab, line
# feed, form feed and carriage return; DEL and C1 controls; lone surrogates;
# noncharacters.
_NONCHARS = "".join(f"\\U{(plane << 16) | 0xFFFE:08x}\\U{(plane << 16) | 0xFFFF:08x}" for plane in range(17))
_FORBIDDEN = re.compile(f"[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufdd0-\ufdef{_NONCHARS}]")
_URL_BAD = re.compile(r"[\s\x00-\x1f\x7f-\x9f\ud800-\udfff]")
# A paragraph break is a line break followed by at least one blank line.
_PARAGRAPH_BREAK = re.compile(r"\n(?:[^\S\n]*\n)+")

_WORDS = (
    "<p><strong>Words on this page.</strong> Each lexicon is a list of words and phrases grouped "
    "into categories. A <em>rate</em> is the number of matches of a category per 1,000 tokens "
    "(words) of an article. Style scores and predicted source types say how much an article "
    "<em>resembles</em> the articles of a source type; they are not proof of who wrote it.</p>\n"
)

_CSS = """
:root{color-scheme:light}
body{font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif;
color:#111;background:#fff;margin:0 auto;max-width:64rem;padding:1rem 1.25rem 3rem}
h1{font-size:1.7rem;margin:.5rem 0}h2{font-size:1.35rem;margin-top:2.2rem;border-bottom:1px solid #bbb}
h3{font-size:1.1rem;margin:1.6rem 0 .4rem}
nav ul{display:flex;flex-wrap:wrap;gap:.3rem 1.2rem;padding:0;list-style:none}
a{color:#0060a0}
.wrap{overflow-x:auto}
table{border-collapse:collapse;margin:.5rem 0 1rem;font-size:.9rem}
caption{text-align:left;font-weight:600;padding:.2rem 0}
th,td{border:1px solid #bbb;padding:.2rem .45rem;text-align:left;vertical-align:top;overflow-wrap:break-word}
/* A table wider than the screen scrolls in its own box (phones), rather than squeezing words into letters. */
.wrap,table{max-width:100%}table{display:block;overflow-x:auto}
th{background:#f2f2f2}
.n{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
.terms{display:flex;flex-wrap:wrap;gap:0 1.5rem}
.caution{border-left:4px solid #D55E00;background:#fbf0e8;padding:.4rem .8rem}
.note{color:#444;font-size:.92rem}
figure{margin:1rem 0}figure img{max-width:100%;height:auto;border:1px solid #ddd;box-sizing:border-box}
figcaption{font-size:.9rem;color:#333}
.reading{font-size:1rem;margin:.3rem 0 1.2rem}
td.name{min-width:9em;overflow-wrap:normal}  /* a category name breaks between words, not inside them */
dl.meta{display:grid;grid-template-columns:max-content 1fr;gap:.1rem .8rem;margin:.3rem 0}
dl.meta dt{font-weight:600}dl.meta dd{margin:0;overflow-wrap:anywhere}
.text{border:1px solid #ddd;padding:.3rem .9rem;background:#fcfcfc}
.text p{white-space:pre-wrap;overflow-wrap:anywhere;margin:.6rem 0}
mark{color:inherit;background:#eee;padding:0 .05em;border-bottom:2px solid #777}
mark[data-k]::after{content:attr(data-k);font-size:.62em;vertical-align:super;line-height:0;margin-left:.08em;color:#333}
mark[data-q]{font-style:italic;border-top:1px dotted var(--qc,#555)}
mark[data-neg]{text-decoration:line-through;text-decoration-thickness:1px}
.why{background:#f4f7fb;border-left:4px solid #0072B2;padding:.4rem .8rem}
.toggles{display:none}.js div.toggles{display:block}.js span.toggles{display:inline}
.toggles label{margin-right:.8rem;white-space:nowrap}
.side{display:grid;grid-template-columns:repeat(2,minmax(0,1fr));gap:1rem}
@media (max-width:40rem){.side{grid-template-columns:1fr}dl.meta{grid-template-columns:1fr}}
blockquote{margin:.3rem 0 .6rem 1rem;padding-left:.6rem;border-left:3px solid #bbb;color:#222}
.sw{display:inline-block;min-width:1.7em;text-align:center;border-bottom:3px solid #777;font-size:.85rem}
code{font-size:.88em;overflow-wrap:break-word}  /* break long names only when they cannot fit */
@media print{
nav{display:none}
body{max-width:none;padding:0;font-size:11pt}
mark,.sw,.caution,th{-webkit-print-color-adjust:exact;print-color-adjust:exact}
h2,h3{break-after:avoid}tr,figure{break-inside:avoid}
a{color:inherit}
/* Paper cannot scroll: wide tables get smaller type and may break inside words instead. */
.wrap,table{overflow:visible}table{display:table;font-size:8pt}
th,td{overflow-wrap:anywhere;padding:.1rem .25rem}
}
"""


def render_html(
    result: AnalysisResult,
    *,
    charts: Mapping[str, bytes] | None = None,
    max_articles: int = KEEP_TEXTS,
) -> bytes:
    """Render an analysis as one self-contained, offline HTML5 page.

    Parameters
    ----------
    result : AnalysisResult
        What ``framing.analyze`` or ``framing.analyze_corpus`` returned.
    charts : Mapping[str, bytes], optional
        Chart name -> PNG bytes, embedded as ``data:`` images. Names known in
        ``CHART_LABELS`` come first, in that order, then the rest sorted.
        Bytes that are not PNG are left out with a note.
    max_articles : int, default ``KEEP_TEXTS`` (200)
        How many articles (in ``scores`` order) are shown with their full,
        highlighted text. Every article is listed in the articles table.

    Returns
    -------
    bytes
        The page as UTF-8. The same ``result`` always gives the same bytes.

    Raises
    ------
    InputError
        If ``max_articles`` is negative or not an integer.

    Examples
    --------
    >>> page = render_html(framing.analyze("seeds"))   # doctest: +SKIP
    >>> page[:15]                                         # doctest: +SKIP
    b'<!DOCTYPE html>'
    """
    if isinstance(max_articles, bool) or not isinstance(max_articles, (int, np.integer)) or max_articles < 0:
        raise InputError(f"max_articles must be a whole number of at least 0, got {max_articles!r}")
    max_articles = int(max_articles)
    scores = result.scores
    n_articles = result.n_articles or len(scores)
    n_shown = min(max_articles, len(scores), len(result.articles) if not result.complete else len(scores))
    shown_ids = [_str(x) for x in scores["article_id"].iloc[:n_shown]] if n_articles else []
    pair = result.pair
    evidence = _Evidence(result, shown_ids + [p for p in pair[:2] if p not in set(shown_ids)] if pair else shown_ids)

    body: list[str] = []
    body += _header(result, n_shown, pair is not None)
    body += _overview(result, n_shown)
    body += _warnings(result.warnings)
    body += _summary(result)
    body += _charts(charts or {}, result)
    body += _labels(result, n_shown)
    body += _side_by_side(result, evidence, pair)
    body += _distinctive(result.terms, result.notes.get("terms.csv", []))
    body += _articles_table(scores, n_shown, n_articles)
    body += _legend(result, evidence)
    body += _article_sections(result, evidence, n_shown)

    page = [
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n",
        '<meta charset="utf-8">\n',
        f'<meta http-equiv="Content-Security-Policy" content="{_attr(CSP)}">\n',
        '<meta name="referrer" content="no-referrer">\n',
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n',
        f"<title>{_text(f'Framing report: {n_articles:,} articles')}</title>\n",
        f"<style>{_CSS}{evidence.css()}</style>\n",
        "</head>\n<body>\n",
        *body,
        f"<script>{SCRIPT}</script>\n",
        "</body>\n</html>\n",
    ]
    # Every piece was sanitised already; "replace" only guards against a slip.
    return "".join(page).encode("utf-8", "replace")


# ---------------------------------------------------------------- escaping


def _str(value: object) -> str:
    """A table cell as a string; missing values become empty."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    return value if isinstance(value, str) else str(value)


def _clean(value: object) -> str:
    return _FORBIDDEN.sub("\ufffd", _str(value))


def _text(value: object) -> str:
    """Input as HTML text: forbidden code points replaced, then escaped."""
    return html.escape(_clean(value), quote=True)


# The same escaping is right for a double-quoted attribute value: quote=True
# escapes both quote characters, so a value can never close its attribute.
_attr = _text


def _excerpt(shown: object, used: object, at: object) -> str:
    """An excerpt with the words that were counted in bold (``at``: where they start in it)."""
    text, words = _str(shown), _str(used)
    if not words or at is None or pd.isna(at):
        return _text(text)
    i = int(at)
    return f"{_text(text[:i])}<strong>{_text(text[i:i + len(words)])}</strong>{_text(text[i + len(words):])}"


def _safe_url(url: object) -> str | None:
    """The URL if it is a plain absolute http(s) URL, else ``None``.

    Browsers drop tabs and newlines inside a scheme (``java\\tscript:``) and
    accept any case, so anything with whitespace or controls inside is
    refused outright, and only the schemes ``http`` and ``https`` with a host
    are let through: ``javascript:``, ``data:``, ``vbscript:`` and
    scheme-relative ``//host`` URLs never become links.
    """
    u = _str(url).strip()
    if not u or _URL_BAD.search(u) or _FORBIDDEN.search(u):
        return None
    try:
        parts = urlsplit(u)
    except ValueError:  # e.g. an unclosed IPv6 bracket
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return None
    return u


def _num(value: object, digits: int = 2) -> str:
    """A number for display; missing or undefined values are an em dash."""
    try:
        x = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return "\u2014"
    if not math.isfinite(x):
        return "\u2014"
    return f"{x:,.{digits}f}"


def _int(value: object) -> str:
    try:
        return f"{int(value):,}"  # type: ignore[call-overload]
    except (TypeError, ValueError, OverflowError):
        return "\u2014"


def _short(value: object, width: int = MAX_CELL) -> str:
    s = _str(value)
    return s if len(s) <= width else s[: width - 1] + "\u2026"


def _type_label(source_type: object) -> str:
    return type_label(_str(source_type))


# ---------------------------------------------------------------- evidence


class _Evidence:
    """The matches of the shown articles, grouped once, and the legend numbers.

    Filtering the ledger per article would cost a full scan per article; one
    ``isin`` and one ``groupby`` serve them all.
    """

    def __init__(self, result: AnalysisResult, shown_ids: Sequence[str]) -> None:
        self.categories = {(lx.name, c.id): c for lx in result.lexicons for c in lx.categories}
        order = {key: i for i, key in enumerate(self.categories)}
        m = result.matches
        if len(m) and shown_ids:
            m = m[m["article_id"].isin(set(shown_ids))]
        else:
            m = m.iloc[:0]
        self.starts = m["start"].to_numpy(dtype=np.int64) if len(m) else np.zeros(0, np.int64)
        self.ends = m["end"].to_numpy(dtype=np.int64) if len(m) else np.zeros(0, np.int64)
        self.texts = [_str(t) for t in m["text"]] if len(m) else []
        lex = [_str(x) for x in m["lexicon"]] if len(m) else []
        cat = [_str(x) for x in m["category"]] if len(m) else []
        self.terms = [_str(x) for x in m["term"]] if len(m) else []
        self.quoted = m["quoted"].to_numpy(dtype=bool) if len(m) and "quoted" in m.columns else np.zeros(len(m), bool)
        self.negated = m["negated"].to_numpy(dtype=bool) if len(m) and "negated" in m.columns else np.zeros(len(m), bool)
        used = set(zip(lex, cat))
        # Legend numbers follow the lexicon files; a category the lexicons do
        # not list (an edited ledger) still gets a number, after them.
        ranked = sorted(used, key=lambda k: (order.get(k, len(order)), k))
        self.number = {key: i + 1 for i, key in enumerate(ranked)}
        self.keys = [self.number[k] for k in zip(lex, cat)]
        self.refs = {n: key for key, n in self.number.items()}
        self.rows = m.groupby("article_id", sort=False).indices if len(m) else {}

    def for_article(self, article_id: str, text: str) -> list[tuple[int, int, int, str, bool, bool]]:
        """``(start, end, legend number, term, quoted, negated)`` of every match that fits the text.

        The ledger promises ``text[start:end] == matched text``; a row that
        breaks it (a repeated id, an edited ledger) is left out rather than
        highlighting the wrong words.
        """
        out = []
        n = len(text)
        for r in self.rows.get(article_id, ()):
            s, e = int(self.starts[r]), int(self.ends[r])
            if 0 <= s < e <= n and text[s:e] == self.texts[r]:
                out.append((s, e, self.keys[r], self.terms[r], bool(self.quoted[r]), bool(self.negated[r])))
        return out

    def name(self, number: int) -> str:
        lex, cat = self.refs[number]
        return f"{lex}.{cat}"

    def label(self, number: int) -> str:
        category = self.categories.get(self.refs[number])
        return category.label if category else self.refs[number][1]

    def description(self, number: int) -> str:
        category = self.categories.get(self.refs[number])
        return category.description if category else ""

    def css(self) -> str:
        """The colour of each legend number, and the rules that switch it off.

        A mark may carry several numbers. All "off" rules come before all
        "on" rules of equal specificity, so a mark loses its highlight only
        when every one of its categories is off; while any is on, the last
        on rule paints it.
        """
        swatches, off, on = [], [], []
        for n in sorted(self.refs):
            color = OKABE_ITO[(n - 1) % len(OKABE_ITO)]
            line = _UNDERLINES[(n - 1) // len(OKABE_ITO) % len(_UNDERLINES)]
            look = f"background:{_tint(color)};border-bottom:3px {line} {color}"
            swatches.append(f".sw.k{n}{{{look}}}")
            off.append(f"body.off-{n} mark.k{n}{{background:transparent;border-bottom-color:transparent;--qc:transparent}}")
            on.append(f"body:not(.off-{n}) mark.k{n}{{{look};--qc:#555}}")
        rules = swatches + off + on
        return "\n".join(rules) + ("\n" if rules else "")


def _tint(color: str, strength: float = 0.35) -> str:
    """The colour mixed with white, so black text stays readable on it."""
    rgb = [int(color[i : i + 2], 16) for i in (1, 3, 5)]
    mixed = [round(255 - (255 - c) * strength) for c in rgb]
    return "#" + "".join(f"{c:02X}" for c in mixed)


def _paragraphs(text: str) -> list[tuple[int, int]]:
    """``[start, end)`` of each paragraph, without surrounding whitespace."""
    spans = []
    pos = 0
    for brk in (*_PARAGRAPH_BREAK.finditer(text), None):
        end = brk.start() if brk else len(text)
        chunk = text[pos:end]
        stripped = chunk.strip()
        if stripped:
            lead = len(chunk) - len(chunk.lstrip())
            spans.append((pos + lead, pos + lead + len(stripped)))
        if brk:
            pos = brk.end()
    return spans


def _highlight(text: str, matches: Iterable[tuple[int, int, int, str, bool, bool]], evidence: _Evidence) -> list[str]:
    """The text as ``<p>`` paragraphs with every matched span in a ``<mark>``.

    Matches may overlap or nest (a phrase in one category, one of its words
    in another). The text is cut at every match and paragraph boundary, and
    each piece covered by any match gets one flat ``<mark>`` naming all the
    categories that cover it, so tags never interleave.
    """
    paragraphs = _paragraphs(text)
    if not paragraphs:
        return []
    opening: dict[int, list[int]] = {}
    closing: dict[int, list[int]] = {}
    spans = list(matches)
    bounds = {0, len(text)}
    for i, (s, e, *_) in enumerate(spans):
        opening.setdefault(s, []).append(i)
        closing.setdefault(e, []).append(i)
        bounds.update((s, e))
    for ps, pe in paragraphs:
        bounds.update((ps, pe))
    cuts = sorted(bounds)

    out: list[str] = []
    active: set[int] = set()
    para = 0
    inside = False
    for a, b in itertools.pairwise(cuts):
        active.difference_update(closing.get(a, ()))
        active.update(opening.get(a, ()))
        while para < len(paragraphs) and paragraphs[para][1] <= a:
            if inside:
                out.append("</p>\n")
                inside = False
            para += 1
        if para == len(paragraphs):
            break
        if a < paragraphs[para][0]:
            continue  # the blank lines between paragraphs
        if not inside:
            out.append("<p>")
            inside = True
        piece = _text(text[a:b])
        if active:
            ending = [spans[i][2] for i in active if spans[i][1] == b]
            out.append(_mark(piece, [spans[i] for i in active], ending, evidence))
        else:
            out.append(piece)
    if inside:
        out.append("</p>\n")
    return out


def _mark(
    piece: str, covering: list[tuple[int, int, int, str, bool, bool]], ending: Sequence[int], evidence: _Evidence
) -> str:
    """One highlighted piece; ``ending`` are the legend numbers of matches that end here.

    The number is printed where a match ends, not on every piece, so that
    "mutual support" with "mutual" in a second category reads
    "mutual(5) support(17)" rather than repeating 17. ``data-ends`` counts
    those matches (one per ledger row). A piece all of whose matches are in
    quoted speech is set in italics (``data-q``); one all of whose matches
    are negated is struck through (``data-neg``): listed, not counted.
    """
    numbers = sorted({c[2] for c in covering})
    reasons = sorted({(c[2], c[3], c[4], c[5]) for c in covering})
    title = "\n".join(
        f"{evidence.name(k)} ({evidence.label(k)}): term \u201c{term}\u201d"
        + (" (in quoted speech)" if quoted else "")
        + (" (negated: listed, not counted)" if negated else "")
        for k, term, quoted, negated in reasons
    )
    classes = " ".join(f"k{k}" for k in numbers)
    tag = f' data-k="{"+".join(str(k) for k in sorted(set(ending)))}"' if ending else ""
    flags = (" data-q" if all(c[4] for c in covering) else "") + (" data-neg" if all(c[5] for c in covering) else "")
    return f'<mark class="{classes}" data-ends="{len(ending)}"{tag}{flags} title="{_attr(title)}">{piece}</mark>'


# ---------------------------------------------------------------- sections


def _header(result: AnalysisResult, n_shown: int, has_pair: bool = False) -> list[str]:
    n = result.n_articles or len(result.scores)
    n_matches = result.n_matches or len(result.matches)
    parts = [
        "<header>\n<h1>Framing report</h1>\n",
        (
            f"<p><strong>{plural(n, 'article')} read</strong>, {_int(result.skipped)} skipped, "
            f"{plural(len(result.warnings), 'warning')}; {plural(n_matches, 'counted match', 'counted matches')} "
            f"from {plural(len(result.lexicons), 'lexicon')}.</p>\n"
        ),
        "</header>\n",
        "<nav><ul>",
    ]
    links = [
        ("overview", "What this page shows"),
        ("warnings", "Warnings"),
        ("summary", "Summary"),
        ("charts", "Charts"),
        ("labels", "Same thing, different words"),
        *([("compare", "Side by side")] if has_pair else []),
        ("terms", "Distinctive terms"),
        ("articles", "Articles"),
        ("legend", "Legend"),
    ]
    if n_shown:
        links.append(("texts", "Article texts"))
    parts += [f'<li><a href="#{anchor}">{label}</a></li>' for anchor, label in links]
    parts.append("</ul></nav>\n")
    return parts


def _warnings(warnings: Sequence[str]) -> list[str]:
    parts = ['<section id="warnings">\n<h2>Warnings</h2>\n']
    if not warnings:
        return parts + ["<p>No warnings.</p>\n</section>\n"]
    parts.append("<ul>\n")
    parts += [f"<li>{_text(w)}</li>\n" for w in warnings[:MAX_WARNINGS]]
    parts.append("</ul>\n")
    if len(warnings) > MAX_WARNINGS:
        more = len(warnings) - MAX_WARNINGS
        parts.append(f"<p>\u2026 and {plural(more, 'more warning')} (all are printed when the analysis runs).</p>\n")
    return parts + ["</section>\n"]


def _summary(result: AnalysisResult) -> list[str]:
    parts = ['<section id="summary">\n<h2>Summary by source type</h2>\n']
    summary = result.summary
    dims = result.dimensions
    if summary is None or not len(summary) or not dims:
        return parts + ["<p>No summary: no source type has any scored article.</p>\n</section>\n"]
    columns = summary["lexicon"].astype(str) + "." + summary["category"].astype(str)
    values = dict(zip(zip(summary["source_type"].astype(str), columns), summary["outlet_balanced_mean"]))
    groups: dict[str, tuple[int, int, str]] = {}
    for t, na, no, caution in zip(
        summary["source_type"].astype(str), summary["n_articles"], summary["n_outlets"], summary["caution"]
    ):
        groups.setdefault(t, (int(na), int(no), _str(caution)))
    types = sorted(groups, key=type_key)

    parts.append(
        "<p>Outlet-balanced mean rate per 1,000 tokens of each framing dimension: the mean over "
        "outlets of each outlet's mean, so that one prolific outlet does not speak for its whole "
        "source type. These are descriptive figures; no test of significance is implied.</p>\n"
    )
    few = [t for t in types if groups[t][0] < MIN_GROUP_ARTICLES]
    if few:
        names = ", ".join(f"{_text(_type_label(t))} ({plural(groups[t][0], 'article')})" for t in few)
        parts.append(
            f'<p class="caution"><strong>Few articles.</strong> {names}: with fewer than '
            f"{MIN_GROUP_ARTICLES} articles in a group, differences between groups can be chance or "
            "the choice of articles. Read these numbers as a description of this sample only, "
            "not as evidence that the source types differ.</p>\n"
        )
    parts.append('<div class="wrap"><table>\n<caption>Outlet-balanced mean rate per 1,000 tokens</caption>\n')
    parts.append("<thead><tr><th>Frame dimension</th>")
    for t in types:
        na, no, _ = groups[t]
        parts.append(
            f'<th class="n">{_text(_type_label(t))}<br><small>{plural(na, "article")}, '
            f"{plural(no, 'outlet')}</small></th>"
        )
    parts.append("</tr></thead>\n<tbody>\n")
    for col, label in dims.items():
        parts.append(f"<tr><th>{_text(label)}<br><small><code>{_text(col)}</code></small></th>")
        parts += [f'<td class="n">{_num(values.get((t, col)))}</td>' for t in types]
        parts.append("</tr>\n")
    parts.append("</tbody></table></div>\n")
    cautions = [(t, groups[t][2]) for t in types if groups[t][2]]
    if cautions:
        parts.append("<p><strong>Cautions per source type</strong></p>\n<ul>\n")
        parts += [f"<li>{_text(_type_label(t))}: {_text(c)}</li>\n" for t, c in cautions]
        parts.append("</ul>\n")
    return parts + ["</section>\n"]


def _charts(charts: Mapping[str, bytes], result: AnalysisResult | None = None) -> list[str]:
    parts = ['<section id="charts">\n<h2>Charts</h2>\n']
    if not charts:
        return parts + ["<p>No charts in this report.</p>\n</section>\n"]
    known = [name for name in CHART_LABELS if name in charts]
    names = known + sorted(str(name) for name in charts if name not in CHART_LABELS)
    for name in names:
        data = charts[name]
        label = CHART_LABELS.get(name, "Chart")
        if not isinstance(data, (bytes, bytearray)) or not bytes(data).startswith(PNG_SIGNATURE):
            parts.append(f"<p>Chart <code>{_text(name)}</code> left out: it is not a PNG image.</p>\n")
            continue
        encoded = base64.b64encode(bytes(data)).decode("ascii")
        reading = _chart_reading(name, result) if result is not None else ""
        alt = f"{label}. {reading}" if reading else label
        parts.append(
            f'<figure><img src="data:image/png;base64,{encoded}" alt="{_attr(alt)}">'
            f"<figcaption>{_text(label)} (<code>{_text(name)}</code>)</figcaption></figure>\n"
        )
        if reading:
            parts.append(f'<p class="reading"><strong>In plain words:</strong> {_text(reading)}</p>\n')
    return parts + ["</section>\n"]


def _distinctive(terms: pd.DataFrame, notes: list[str]) -> list[str]:
    parts = [
        '<section id="terms">\n<h2>Distinctive terms per source type</h2>\n',
        (
            "<p>Words a source type uses more than the other articles do, ranked by how sure that "
            "is: <em>z</em> is the log-odds ratio of the word in the group against the rest, with a "
            "prior from the whole corpus, divided by its standard error (Monroe, Colaresi and Quinn "
            "2008). Above 2, the difference is unlikely to be chance in these counts; it can still "
            "come from topic, one outlet's habits or boilerplate rather than framing. A word must "
            "occur in at least 3 of the group's articles.</p>\n"
        ),
    ]
    parts += [f'<p class="caution">{_text(n)}</p>\n' for n in notes]
    if terms is None or not len(terms):
        return parts + ["<p>No distinctive terms.</p>\n</section>\n"]
    top = terms[terms["rank"] <= TOP_DISTINCTIVE]
    parts.append('<div class="terms">\n')
    by_type = {str(t): g for t, g in top.groupby("source_type", sort=False)}
    for t in sorted(by_type, key=type_key):
        group = by_type[t].sort_values("rank", kind="stable")
        parts.append(
            f'<div class="wrap"><table>\n<caption>{_text(_type_label(t))}</caption>\n'
            '<thead><tr><th class="n">#</th><th>Term</th><th class="n"><em>z</em></th>'
            '<th class="n">Count</th><th class="n">Articles</th></tr></thead>\n<tbody>\n'
        )
        for rank, term, score, count, docs in zip(
            group["rank"], group["term"], group["z"], group["count_in"], group["docs_in"]
        ):
            parts.append(
                f'<tr><td class="n">{_int(rank)}</td><td>{_text(term)}</td><td class="n">{_num(score, 3)}</td>'
                f'<td class="n">{_int(count)}</td><td class="n">{_int(docs)}</td></tr>\n'
            )
        parts.append("</tbody></table></div>\n")
    return parts + ["</div>\n</section>\n"]


def _articles_table(scores: pd.DataFrame, n_shown: int, n_total: int) -> list[str]:
    n = max(n_total, len(scores))
    listed = min(len(scores), max(n_shown, KEEP_ROWS))
    parts = ['<section id="articles">\n<h2>Articles</h2>\n']
    if n_shown < n:
        parts.append(
            f"<p>{n_shown:,} of {n:,} articles are shown with their full text below; the full "
            "evidence is in matches.csv.</p>\n"
        )
    if listed < n:
        parts.append(f"<p>The table lists the first {listed:,} articles; report.csv has them all.</p>\n")
    parts.append(
        '<div class="wrap"><table>\n<thead><tr><th class="n">#</th><th>Id</th><th>Title</th><th>Outlet</th>'
        "<th>Source type</th><th>Predicted type</th><th>Top evidence (term \u00d7count, category)</th>"
        "</tr></thead>\n<tbody>\n"
    )
    columns = ("article_id", "title", "outlet", "source_type", "predicted_source_type", "top_evidence")
    cells = [scores[c].iloc[:listed].tolist() if c in scores.columns else [""] * listed for c in columns]
    for i, (aid, title, outlet, st, predicted, evidence) in enumerate(zip(*cells)):
        number = f'<a href="#a{i + 1}">{i + 1}</a>' if i < n_shown else str(i + 1)
        parts.append(
            f'<tr><td class="n">{number}</td><td>{_text(_short(aid))}</td><td>{_text(_short(title))}</td>'
            f"<td>{_text(_short(outlet))}</td><td>{_text(_type_label(st))}</td>"
            f"<td>{_text(_type_label(predicted))}</td><td>{_text(_short(evidence, 2 * MAX_CELL))}</td></tr>\n"
        )
    return parts + ["</tbody></table></div>\n</section>\n"]


def _legend(result: AnalysisResult, evidence: _Evidence) -> list[str]:
    parts = ['<section id="legend">\n<h2>Legend: lexicons and highlighted categories</h2>\n']
    if result.lexicons:
        parts.append("<ul>\n")
        for lx in result.lexicons:
            version = f" {_text(lx.version)}" if lx.version else ""
            desc = f": {_text(lx.description)}" if lx.description else ""
            # The sha256 ties a published figure to the exact lexicon file that produced it.
            digest = f" <small>sha256 <code>{_text(lx.sha256)}</code></small>" if lx.sha256 else ""
            parts.append(
                f"<li><code>{_text(lx.name)}</code>{version} "
                f"({plural(len(lx.categories), 'category', 'categories')}, "
                f"{plural(lx.n_entries, 'term')}){desc}{digest}</li>\n"
            )
        parts.append("</ul>\n")
    if not evidence.refs:
        return parts + ["<p>No lexicon term matched in the articles shown below.</p>\n</section>\n"]
    parts.append(
        "<p>Categories that matched in the articles shown below. A highlighted word carries the "
        "numbers of all categories that counted it (colours repeat; the numbers and the underline "
        "styles do not). Highlights in <em>italics</em> with a dotted line above are in quoted "
        "speech: the article reports someone else's words. <s>Struck-through</s> highlights follow "
        "a negation (\u201cnot an invasion\u201d): they are listed in matches.csv but not counted.</p>\n"
        '<div class="toggles"><p>Untick a category to hide its highlights (a word stays highlighted '
        "while any of its categories is ticked). "
        '<button type="button" data-all="1">Show all</button> '
        '<button type="button" data-all="0">Hide all</button></p></div>\n'
        '<div class="wrap"><table>\n<thead><tr><th class="n">Mark</th><th>Category</th><th>Column</th>'
        "<th>What it captures</th></tr></thead>\n<tbody>\n"
    )
    for k in sorted(evidence.refs):
        parts.append(
            f'<tr><td class="n"><span class="toggles"><input type="checkbox" class="toggle" data-k="{k}" '
            f'id="t{k}" checked> </span><span class="sw k{k}">{k}</span></td>'
            f'<td class="name"><label for="t{k}">{_text(evidence.label(k))}</label></td>'
            f"<td><code>{_text(evidence.name(k))}</code></td><td>{_text(evidence.description(k))}</td></tr>\n"
        )
    return parts + ["</tbody></table></div>\n</section>\n"]


def _article_sections(result: AnalysisResult, evidence: _Evidence, n_shown: int) -> list[str]:
    if not n_shown:
        return []
    scores = result.scores
    n = result.n_articles or len(scores)
    parts = ['<section id="texts">\n<h2>Article texts with the evidence highlighted</h2>\n']
    if n_shown < n:
        parts.append(f"<p>{n_shown:,} of {n:,} articles shown; the full evidence is in matches.csv.</p>\n")
    rows = scores.iloc[:n_shown]
    rate_cols = [c for c in scores.columns if c in _rate_columns(result)]
    style_cols = [c for c in result.styles if c in scores.columns]
    records = rows.to_dict("records")
    for i, row in enumerate(records):
        article = result.articles[i] if i < len(result.articles) else None
        parts += _article(i, row, article, evidence, rate_cols, style_cols, result.styles)
    return parts + ["</section>\n"]


def _rate_columns(result: AnalysisResult) -> set[str]:
    return {f"{lx.name}.{c.id}" for lx in result.lexicons for c in lx.categories}


def _article(
    i: int,
    row: Mapping[str, object],
    article: Article | None,
    evidence: _Evidence,
    rate_cols: Sequence[str],
    style_cols: Sequence[str],
    style_labels: Mapping[str, str],
) -> list[str]:
    aid = _str(row.get("article_id"))
    title = _str(row.get("title")) or (article.title if article else "")
    parts = [
        (f'<section id="a{i + 1}" class="article" data-article="{_attr(aid)}">\n'
        f'<h3>{i + 1}. {_text(title) if title else "(untitled)"}</h3>\n<dl class="meta">\n')
    ]
    meta = [
        ("Id", _text(aid)),
        ("Outlet", _text(row.get("outlet")) or "\u2014"),
        ("Source type", _text(_type_label(row.get("source_type")))),
        ("Predicted type", _text(_type_label(row.get("predicted_source_type")))),
    ]
    if article is not None:
        meta.append(("Date", _text(article.date) or "\u2014"))
        if article.url:
            safe = _safe_url(article.url)
            if safe is not None:
                link = f'<a href="{_attr(safe)}" rel="noopener noreferrer nofollow">{_text(safe)}</a>'
            else:
                link = f"{_text(article.url)} <small>(not a web link; shown as text)</small>"
            meta.append(("URL", link))
    n_sentences = row.get("n_sentences")
    meta.append(("Tokens", f"{_int(row.get('n_tokens'))} in {_int(n_sentences)} sentence{'' if n_sentences == 1 else 's'}"))
    if style_cols:
        style = "; ".join(f"{_text(style_labels[c])} {_num(row.get(c), 3)}" for c in style_cols)
        meta.append(("Style scores", style))
    parts += [f"<dt>{k}</dt><dd>{v}</dd>\n" for k, v in meta]
    parts.append("</dl>\n")
    parts += _why(row, evidence.categories)

    if article is None or article.id != aid:
        return parts + ["<p>The text of this article is not part of the result.</p>\n</section>\n"]
    found = evidence.for_article(aid, article.text)
    parts += _counts(found, row, evidence, rate_cols)
    text = _highlight(article.text, found, evidence)
    if text:
        parts.append('<div class="text">\n')
        parts += text
        parts.append("</div>\n")
    else:
        parts.append("<p>(The article has no text.)</p>\n")
    return parts + ["</section>\n"]


def _counts(
    found: Sequence[tuple[int, int, int, str, bool, bool]],
    row: Mapping[str, object],
    evidence: _Evidence,
    rate_cols: Sequence[str],
) -> list[str]:
    if not found:
        return ["<p>No lexicon term matched in this article.</p>\n"]
    counts: dict[int, list[int]] = {}  # legend number -> [counted, in quoted speech, negated]
    for _, _, k, _, quoted, negated in found:
        cell = counts.setdefault(k, [0, 0, 0])
        if negated:
            cell[2] += 1
        else:
            cell[0] += 1
            cell[1] += int(quoted)
    available = set(rate_cols)
    parts = [
        '<div class="wrap"><table>\n<thead><tr><th class="n">Mark</th><th>Category</th>'
        + '<th class="n">Matches</th><th class="n">In quotes</th><th class="n">Negated (not counted)</th>'
        + '<th class="n">Rate per 1,000 tokens</th></tr></thead>\n<tbody>\n'
    ]
    for k in sorted(counts, key=lambda k: (-counts[k][0], -counts[k][2], k)):
        col = evidence.name(k)
        rate = _num(row.get(col)) if col in available else "\u2014"
        counted, quoted, negated = counts[k]
        parts.append(
            f'<tr><td class="n"><span class="sw k{k}">{k}</span></td><td>{_text(evidence.label(k))} '
            f'<small><code>{_text(col)}</code></small></td><td class="n">{counted:,}</td>'
            f'<td class="n">{quoted:,}</td><td class="n">{negated:,}</td><td class="n">{rate}</td></tr>\n'
        )
    return parts + ["</tbody></table></div>\n"]


# ---------------------------------------------------------------- plain words


_NOTE_TOPICS = {
    "terms.csv": "Distinctive terms",
    "comparisons.csv": "Differences between source types",
    "evaluation.csv": "The source-type classifier",
    "summary.csv": "Group figures",
}

def _group_sizes(result: AnalysisResult) -> dict[str, int]:
    """Articles per source type, from ``summary.csv`` (it counts every article, also in streamed runs)."""
    summary = result.summary
    sizes: dict[str, int] = {}
    if summary is not None and len(summary):
        for t, n in zip(summary["source_type"].astype(str), summary["n_articles"]):
            sizes[t] = max(sizes.get(t, 0), int(n))
    elif len(result.scores) and "source_type" in result.scores.columns:
        sizes = {str(t): int(n) for t, n in result.scores["source_type"].value_counts().items()}
    return dict(sorted(sizes.items(), key=lambda kv: type_key(kv[0])))


def _overview(result: AnalysisResult, n_shown: int) -> list[str]:
    n = result.n_articles or len(result.scores)
    sizes = _group_sizes(result)
    labelled = {t: k for t, k in sizes.items() if t in LABELLED_TYPES}
    groups = ", ".join(f"{count_words(k, 'article')} of {_type_label(t).lower()}" for t, k in sizes.items())
    parts = [
        '<section id="overview">\n<h2>What this page shows</h2>\n',
        (f"<p>This page shows which words a set of word lists (<em>lexicons</em>) found in "
        f"{_text(count_words(n, 'article'))}{' (' + _text(groups) + ')' if groups else ''}, and where. "
        "It counts words; it does not understand them. A count says how often an article uses "
        "a kind of wording, not whether the article is right, fair or biased.</p>\n"),
        _WORDS,
        ("<p><strong>How to read a highlight.</strong> In the article texts, every word or phrase "
        "that a lexicon counted is highlighted. The small number after it points to the legend "
        "(the colour and the underline style repeat the number); hovering over it (or a long "
        "press) names the category and the exact lexicon term. <em>Italic</em> highlights are in "
        "quoted speech: the article reports someone else's words, which is not the same as "
        "using them itself. <s>Struck-through</s> highlights come just after a negation such as "
        "\u201cnot\u201d: they are listed but not counted.</p>\n"),
    ]
    few = [t for t, k in labelled.items() if k < MIN_GROUP_ARTICLES]
    if len(labelled) < 2 or few:
        if len(labelled) < 2:
            why = "fewer than two labelled source types"
        else:
            why = "; ".join(f"{count_words(labelled[t], 'article')} of {_type_label(t).lower()}" for t in few)
        total = sum(labelled.values())
        parts.append(
            f'<p class="caution"><strong>Small groups.</strong> This corpus has {_text(why)}. '
            f"{_text(count_words(total, 'labelled article').capitalize())} support no claim that source "
            "types write differently: any difference on this page can come from the choice of "
            "articles, their topic or one outlet's habits. Use the page to look at how the words "
            "are used, not to rank the source types.</p>\n"
        )
    notes = [(name, line) for name, lines in result.notes.items() for line in lines]
    if notes:
        parts.append("<p><strong>What these figures cannot support.</strong></p>\n<ul>\n")
        for name, line in notes[:MAX_NOTES]:
            topic = _NOTE_TOPICS.get(name, name)
            sentence = _clean(line).strip()
            if re.match(r"[a-z]+\b(?![._])", sentence):  # a plain word, not a column name such as frames.war
                sentence = sentence[:1].upper() + sentence[1:]
            if sentence and sentence[-1] not in ".!?":
                sentence += "."
            parts.append(f"<li>{_text(topic)}: {_text(sentence)}</li>\n")
        if len(notes) > MAX_NOTES:
            parts.append(f"<li>\u2026 and {plural(len(notes) - MAX_NOTES, 'more note')} in run.json "
                         "(<code>notes</code>).</li>\n")
        parts.append("</ul>\n")
    if n_shown < n:
        parts.append(
            f"<p>The full texts of {_text(count_words(n_shown, 'article'))} of {n:,} are on this page, "
            "to keep it small enough to open; every article is in report.csv and "
            "(for the articles whose text was kept) in matches.csv.</p>\n"
        )
    return parts + ["</section>\n"]


def _chart_reading(name: str, result: AnalysisResult) -> str:
    """One sentence saying what a chart shows in this run's numbers ("" when there is nothing to say)."""
    try:
        reader = _READINGS.get(name)
        return reader(result) if reader is not None else ""
    except (KeyError, ValueError, TypeError, IndexError):  # a hand-built result without the columns
        return ""


def _reading_rates(result: AnalysisResult) -> str:
    summary, dims = result.summary, result.dimensions
    if summary is None or not len(summary) or not dims:
        return ""
    cols = summary["lexicon"].astype(str) + "." + summary["category"].astype(str)
    rows = summary[cols.isin(list(dims)) & summary["source_type"].astype(str).isin(LABELLED_TYPES)]
    if rows["source_type"].nunique() < 2:
        return ""
    best = None
    for col, group in rows.assign(col=cols[rows.index]).groupby("col", sort=True):
        means = group["mean"].astype(float)
        if means.notna().sum() < 2:
            continue
        spread = float(means.max() - means.min())
        if best is None or spread > best[0]:
            best = (spread, col, group)
    if best is None:
        return ""
    _, col, group = best
    group = group.sort_values(["mean", "source_type"], ascending=[False, True], kind="stable")
    top, low = group.iloc[0], group.iloc[-1]
    label = dims[col]
    sentence = (
        f"The source types differ most on {label}: {_type_label(top['source_type'])} has the highest "
        f"rate ({float(top['mean']):.1f} per 1,000 words), {_type_label(low['source_type'])} the lowest "
        f"({float(low['mean']):.1f})."
    )
    lo, hi = float(top["ci_low"]), float(top["ci_high"])
    if not (math.isfinite(lo) and math.isfinite(hi)):
        return sentence + (
            f" {_type_label(top['source_type'])} has no 95 % interval (a single outlet or too few articles), "
            "so the chart cannot tell whether this gap is more than chance."
        )
    overlapping = [
        _type_label(r["source_type"]) for _, r in group.iloc[1:].iterrows()
        if math.isfinite(float(r["ci_high"])) and float(r["ci_high"]) >= lo and float(r["ci_low"]) <= hi
    ]  # fmt: skip
    if overlapping:
        return sentence + f" Its interval overlaps that of {' and '.join(overlapping)}: that difference may be chance."
    return sentence + " Its interval overlaps no other group's."


def _reading_heatmap(result: AnalysisResult) -> str:
    summary, dims = result.summary, result.dimensions
    if summary is None or not len(summary) or not dims:
        return ""
    cols = summary["lexicon"].astype(str) + "." + summary["category"].astype(str)
    weights = summary["n_articles"].astype(float)
    means = {}
    for col in dims:
        pick = (cols == col).to_numpy()
        w = weights[pick].to_numpy()
        if w.sum() > 0:
            means[col] = float(np.nansum(summary["mean"].astype(float)[pick].to_numpy() * w) / w.sum())
    if len(means) < 2:
        return ""
    ranked = sorted(means, key=lambda c: (-means[c], c))
    return (
        f"Across all articles, {dims[ranked[0]]} is the most used dimension ({means[ranked[0]]:.1f} per 1,000 "
        f"words on average) and {dims[ranked[-1]]} the least ({means[ranked[-1]]:.1f})."
    )


def _reading_styles(result: AnalysisResult) -> str:
    s = result.scores
    if not len(s) or "predicted_source_type" not in s.columns:
        return ""
    own = s["source_type"].astype(str)
    labelled = own.isin(LABELLED_TYPES)
    if not labelled.any():
        return ""
    hits = int((own[labelled] == s["predicted_source_type"].astype(str)[labelled]).sum())
    total = int(labelled.sum())
    trained = bool(result.evaluation_summary.get("trained", True)) and "macro_f1_classifier" in result.evaluation_summary
    first = "" if result.complete or len(s) >= (result.n_articles or 0) else f" (of the first {len(s):,} by id)"
    if trained:
        return f"For {hits:,} of {total:,} labelled articles{first}, the classifier predicts their own source type."
    return (
        f"{hits:,} of {total:,} labelled articles{first} are most similar to their own source type "
        "(no classifier was trained: these are similarity scores)."
    )


def _reading_terms(result: AnalysisResult) -> str:
    terms = result.terms
    if terms is None or not len(terms):
        return "No source type has enough articles for a list of distinctive terms."
    top = terms[terms["rank"] == 1].copy()
    top = top.iloc[sorted(range(len(top)), key=lambda i: type_key(str(top["source_type"].iloc[i])))]
    items = [f"{_type_label(t)}: \u201c{term}\u201d (z {float(z):.1f})" for t, term, z in zip(top["source_type"], top["term"], top["z"])]
    return "The most distinctive term of each source type: " + "; ".join(items) + "." if items else ""


def _reading_similarity(result: AnalysisResult) -> str:
    sim = result.type_similarity
    if sim is None or not len(sim):
        return ""
    pairs = []
    for a in sim.index:
        for b in sim.columns:
            v = sim.loc[a, b]
            labelled = str(a) in LABELLED_TYPES and str(b) in LABELLED_TYPES
            if labelled and type_key(str(a)) <= type_key(str(b)) and v is not None and math.isfinite(float(v)):
                pairs.append((float(v), str(a), str(b)))
    if not pairs:
        return ""
    within = [p for p in pairs if p[1] == p[2]]
    between = [p for p in pairs if p[1] != p[2]]
    parts = []
    if within:
        v, a, _ = max(within, key=lambda p: (p[0], type_key(p[1])))
        parts.append(f"Articles are most alike within {_type_label(a)} (mean similarity {v:.2f})")
    if between:
        v, a, b = max(between, key=lambda p: (p[0], type_key(p[1]), type_key(p[2])))
        parts.append(f"the closest pair of different types is {_type_label(a)} and {_type_label(b)} ({v:.2f})")
    return "; ".join(parts) + "."


def _reading_evaluation(result: AnalysisResult) -> str:
    e = result.evaluation_summary or {}
    if "macro_f1_classifier" not in e:
        return "No classifier was trained in this run, so there is nothing to evaluate."
    return (
        f"The classifier scores {float(e['macro_f1_classifier']):.2f} (macro F1, 1 is perfect) against "
        f"{float(e.get('macro_f1_tfidf_only', float('nan'))):.2f} for words alone and "
        f"{float(e.get('macro_f1_majority', float('nan'))):.2f} for always guessing the largest group; "
        "a high score can come from outlets' habits rather than the source type."
    )


_READINGS = {
    "rates_by_source_type": _reading_rates,
    "dimensions_heatmap": _reading_heatmap,
    "style_scores": _reading_styles,
    "distinctive_terms": _reading_terms,
    "similarity": _reading_similarity,
    "evaluation": _reading_evaluation,
}


# ---------------------------------------------------------------- why this score

def _typography_words(name: str, char: str) -> str:
    """``"em_dash"`` -> ``"em dashes (—)"``; ``"bracket_open"`` -> ``"opening brackets ([)"``."""
    words = name.split("_")
    lead = ""
    if words[-1] in ("open", "close"):
        lead = "opening " if words.pop() == "open" else "closing "
    last = words[-1]
    words[-1] = last + ("es" if last.endswith(("sh", "s")) else "s")
    return f"{lead}{' '.join(words)} ({char})"


_TYPOGRAPHY_WORDS = {name: _typography_words(name, char) for name, char in CHARACTERS}
_TYPOGRAPHY_WORDS.update({
    "line_break": "line breaks",
    "upper_case_letters": "upper-case letters",
    "words_per_sentence": "sentence length (words per sentence)",
    "ellipsis": "ellipses (\u2026)",
    "parenthesis_open": "opening parentheses",
    "parenthesis_close": "closing parentheses",
})  # fmt: skip


def _why(row: Mapping[str, object], categories: Mapping[tuple[str, str], object]) -> list[str]:
    """The classifier's reasons (``why``) in plain words: terms, rates and typography named as such."""
    why = _str(row.get("why")).strip()
    predicted = _type_label(row.get("predicted_source_type"))
    if not why:
        if not predicted:
            return []
        return [
            ('<p class="why"><strong>Why this score.</strong> No classifier was trained in this run, so the '
            f"predicted type ({_text(predicted)}) is only the source type whose articles this one "
            "resembles most in its words and style rates.</p>\n")
        ]
    items = []
    for part in why.split(";"):
        feature, _, value = part.strip().rpartition(" ")
        if not feature:
            feature, value = part.strip(), ""
        if feature.startswith("rate "):
            col = feature[5:]
            lex, _, cat = col.partition(".")
            category = categories.get((lex, cat))
            name = getattr(category, "label", "") or col
            items.append(f"how often it uses <em>{_text(name)}</em> words (rate of <code>{_text(col)}</code>, {_text(value)})")
        elif feature.startswith("typography "):
            key = feature[11:]
            items.append(f"its typography: {_text(_TYPOGRAPHY_WORDS.get(key, key.replace('_', ' ')))} ({_text(value)})")
        else:
            items.append(f"the word \u201c{_text(feature)}\u201d ({_text(value)})")
    return [
        f'<p class="why"><strong>Why this score.</strong> The classifier put this article nearest to '
        f"<em>{_text(predicted)}</em> mostly because of: " + "; ".join(items) + ". The numbers are each "
        "feature's push towards that type in the model; they say what the model noticed, not who "
        "wrote the article.</p>\n"
    ]


# ---------------------------------------------------------------- same thing, different words


def _labels(result: AnalysisResult, n_shown: int) -> list[str]:
    parts = ['<section id="labels">\n<h2>Same thing, different words</h2>\n']
    refs = referents(result.lexicons)
    if not refs:
        return parts + [("<p>No lexicon of this run pairs labels for one referent (the built-in "
                        "<code>labels</code> lexicon does).</p>\n</section>\n")]
    table = result.labels if result.labels is not None else pd.DataFrame(columns=list(LABEL_COLUMNS))
    parts.append(
        "<p>Some things have two names, and the name chosen tells a reader how to see them: "
        "\u201cinvasion\u201d or \u201cspecial military operation\u201d. For each such thing "
        "(a <em>referent</em>), the table counts how often each source type used each name, and "
        "in how many articles; below it are the first uses in some articles. A name in quoted "
        "speech is counted too (the <em>quoted</em> figure says how many); a negated one is not. "
        "All rows are in labels.csv.</p>\n"
    )
    if not len(table):
        return parts + ["<p>None of these names occurs in the articles.</p>\n</section>\n"]
    n = result.n_articles or len(result.scores)
    if len(result.articles) < n:
        parts.append(f"<p>Counted in the {len(result.articles):,} of {n:,} articles whose text this run kept.</p>\n")
    groups = table[table["scope"] == "source_type"]
    arts = table[table["scope"] == "article"]
    titles = dict(zip(result.scores["article_id"].astype(str), result.scores["title"].fillna("").astype(str))) \
        if "title" in result.scores.columns else {}
    anchors = {_str(a): i + 1 for i, a in enumerate(result.scores["article_id"])}
    unused = []
    for ref in refs:
        g = groups[(groups["referent"] == ref.name) & (groups["lexicon"] == ref.lexicon)]
        if not len(g):
            unused.append(" or ".join(label for _, label, _ in ref.categories))
            continue
        types = list(dict.fromkeys(g["source_type"].tolist()))
        heading = " or ".join(label for _, label, _ in ref.categories)
        parts.append(f"<h3>{_text(heading)}?</h3>\n<p class=\"note\">Referent <code>{_text(ref.name)}</code> "
                     f"({_text(referent_name(ref.name))}) of lexicon <code>{_text(ref.lexicon)}</code>.</p>\n")
        parts.append('<div class="wrap"><table>\n<thead><tr><th>Source type</th>')
        for _, label, side in ref.categories:
            parts.append(f"<th>{_text(label)}<br><small>{_text(side)}</small></th>")
        parts.append("</tr></thead>\n<tbody>\n")
        for t in types:
            rows = g[g["source_type"] == t]
            size = int(rows["articles_in_group"].iloc[0])
            parts.append(f"<tr><th>{_text(_type_label(t))}<br><small>{plural(size, 'article')}</small></th>")
            for cid, _, _ in ref.categories:
                r = rows[rows["category"] == cid]
                if not len(r):
                    parts.append('<td class="n">\u2014</td>')
                    continue
                count, using, quoted = int(r["count"].iloc[0]), int(r["articles_using"].iloc[0]), int(r["quoted"].iloc[0])
                note = f", {quoted:,} quoted" if quoted else ""
                cell = f"{count:,} in {plural(using, 'article')}{note}" if count else "0"
                parts.append(f'<td class="n">{cell}</td>')
            parts.append("</tr>\n")
        parts.append("</tbody></table></div>\n")
        a = arts[(arts["referent"] == ref.name) & (arts["lexicon"] == ref.lexicon)]
        if len(a):
            parts.append("<ul>\n")
            for cid, label, _ in ref.categories:
                uses = a[a["category"] == cid]
                rows = zip(uses["article_id"], uses["source_type"], uses["excerpt"], uses["count"], uses["matched"],
                           uses["matched_at"])
                for aid, t, shown, count, used, at in list(rows)[:MAX_LABEL_EXAMPLES]:
                    title = titles.get(aid, "") or aid
                    link = f'<a href="#a{anchors[aid]}">{_text(_short(title, 120))}</a>' if aid in anchors and anchors[aid] <= n_shown else _text(_short(title, 120))
                    parts.append(
                        f"<li><strong>{_text(label)}</strong> in {link} ({_text(_type_label(t))}"
                        f"{'' if count else ', negated only'}): <q>{_excerpt(shown, used, at)}</q></li>\n"
                    )
                if len(uses) > MAX_LABEL_EXAMPLES:
                    parts.append(f"<li>\u2026 and {plural(len(uses) - MAX_LABEL_EXAMPLES, 'more article')} using "
                                 f"\u201c{_text(label)}\u201d (in labels.csv).</li>\n")
            parts.append("</ul>\n")
    if unused:
        parts.append(f"<p>Not named in these articles: {_text('; '.join(unused))}.</p>\n")
    return parts + ["</section>\n"]


# ---------------------------------------------------------------- side by side


def _side_by_side(result: AnalysisResult, evidence: _Evidence, pair: tuple[str, str, str] | None) -> list[str]:
    if pair is None:
        return []
    a, b, reason = pair
    kept = {x.id: x for x in result.articles}
    rows = {}
    if len(result.scores):
        for i, aid in enumerate(result.scores["article_id"].astype(str)):
            if aid in (a, b):
                rows[aid] = result.scores.iloc[i].to_dict()
    parts = [
        '<section id="compare">\n<h2>Side by side</h2>\n',
        (f"<p>Two articles next to each other, with the same highlights: {_text(reason)}. Look for "
        "the same event told with different words, and for what one article says that the "
        "other leaves out.</p>\n"),
        '<div class="side">\n',
    ]
    for aid in (a, b):
        article = kept[aid]
        row = rows.get(aid, {})
        title = _str(row.get("title")) or article.title or "(untitled)"
        kind = _type_label(row.get("source_type") or article.source_type)
        outlet = _str(row.get("outlet")) or article.outlet
        facts = " \u00b7 ".join([_text(kind), *([_text(outlet)] if outlet else []), f"<code>{_text(aid)}</code>"])
        parts.append(
            f'<div class="col" data-compare="{_attr(aid)}">\n<h3>{_text(title)}</h3>\n<p class="note">{facts}</p>\n'
        )
        text = _highlight(article.text, evidence.for_article(aid, article.text), evidence)
        parts += ['<div class="text">\n', *text, "</div>\n"] if text else ["<p>(The article has no text.)</p>\n"]
        parts.append("</div>\n")
    return parts + ["</div>\n</section>\n"]
