"""The page: ``render_html(result)`` assembles report.html from its sections.

The page carries a Content-Security-Policy that forbids every external load
and every script but one: the fixed inline script ``SCRIPT`` (the category
toggles), allowed by its ``sha256`` hash in ``CSP``. No input reaches the
script, and the page reads fully without it. The script and the policy live
here together because the hash must be of exactly this script. The style
sheet is ``framing/data/report.css`` (a file, so that it reads as CSS),
followed by the colours of the run's categories (``Evidence.css``).
"""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Mapping
from dataclasses import replace

import numpy as np

from ...defaults import KEEP_TEXTS, STORY_PAGES
from ...errors import InputError
from ...grouping import renamed
from ...lexicon.referents import referents
from ...resources import package_text
from ...result import AnalysisResult
from ..legend import TIME_CHARTS
from . import readings, sections
from .articles import article_sections
from .compare import side_by_side
from .escape import cell_text, grouped, html_attr, html_text
from .evidence import Evidence
from .labels import labels
from .stories import story_sections
from .timeline import before_after_section, label_shares_section, timeline_section

__all__ = ["CSP", "SCRIPT", "render_html"]

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


def render_html(
    result: AnalysisResult,
    *,
    charts: Mapping[str, bytes] | None = None,
    max_articles: int = KEEP_TEXTS,
    story_pages: int = STORY_PAGES,
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
    story_pages : int, default ``STORY_PAGES`` (5)
        How many stories are shown with their versions side by side, the
        largest first among those with two kept texts.

    Returns
    -------
    bytes
        The page as UTF-8. The same ``result`` always gives the same bytes.

    Raises
    ------
    InputError
        If ``max_articles`` or ``story_pages`` is negative or not an integer.

    Examples
    --------
    >>> page = render_html(framing.analyze("seeds"))   # doctest: +SKIP
    >>> page[:15]                                         # doctest: +SKIP
    b'<!DOCTYPE html>'
    """
    if isinstance(max_articles, bool) or not isinstance(max_articles, (int, np.integer)) or max_articles < 0:
        raise InputError(f"max_articles must be a whole number of at least 0, got {max_articles!r}")
    if isinstance(story_pages, bool) or not isinstance(story_pages, (int, np.integer)) or story_pages < 0:
        raise InputError(f"story_pages must be a whole number of at least 0, got {story_pages!r}",
                         argument="story_pages")
    scores = result.scores
    n_articles = result.n_articles or len(scores)
    n_shown = min(int(max_articles), len(scores), len(result.articles) if not result.complete else len(scores))
    shown_ids = [cell_text(x) for x in scores["article_id"].iloc[:n_shown]] if n_articles else []
    pair = result.pair
    # The side-by-side pair is highlighted too, also when its articles are not among the texts shown.
    evidence = Evidence(result, shown_ids + [p for p in pair[:2] if p not in set(shown_ids)] if pair else shown_ids)
    page = [
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n",
        '<meta charset="utf-8">\n',
        f'<meta http-equiv="Content-Security-Policy" content="{html_attr(CSP)}">\n',
        '<meta name="referrer" content="no-referrer">\n',
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n',
        f"<title>{html_text(f'Framing report: {n_articles:,} articles')}</title>\n",
        f"<style>\n{package_text('report.css')}{evidence.css()}</style>\n",
        "</head>\n<body>\n",
        *_body(result, evidence, charts or {}, n_shown, int(story_pages)),
        f"<script>{SCRIPT}</script>\n",
        "</body>\n</html>\n",
    ]
    # Every piece was sanitised already; "replace" only guards against a slip.
    return "".join(page).encode("utf-8", "replace")


def _body(result: AnalysisResult, evidence: Evidence, charts: Mapping[str, bytes], n_shown: int,
          story_pages: int = STORY_PAGES) -> list[str]:
    """The sections of the page, in order.

    The group sections (overview, summary, labels, distinctive terms, the
    group charts' readings) speak of the run's grouping (``--group-by``);
    they read a view of the result whose group columns are called
    ``source_type``, as the tables of a run by source type are.
    """
    pair = result.pair
    grouping = result.grouping
    view = _by_source_type_names(result)
    body: list[str] = []
    timed = over_time(result, charts)
    with grouped(grouping):
        told = story_sections(result, n_shown, story_pages)
    body += sections.header(result, n_shown, pair is not None, [(anchor, title) for anchor, title, _ in timed],
                            [(anchor, title) for anchor, title, _ in told])
    with grouped(grouping):
        body += readings.overview(view, n_shown)
    body += sections.warnings(result.warnings)
    with grouped(grouping):
        body += sections.summary(view)
    body += sections.charts({k: v for k, v in charts.items() if k not in TIME_CHARTS}, view)
    body += [part for _, _, parts in timed for part in parts]
    with grouped(grouping):
        body += labels(view, n_shown)
    body += side_by_side(result, evidence, pair)
    body += [part for _, _, parts in told for part in parts]
    with grouped(grouping):
        body += sections.distinctive(view.terms, result.notes.get("terms.csv", []), sections.own_words_instead(result))
    body += sections.articles_table(result.scores, n_shown, result.n_articles or len(result.scores))
    body += sections.legend(result, evidence)
    body += article_sections(result, evidence, n_shown)
    return body


def _by_source_type_names(result: AnalysisResult) -> AnalysisResult:
    """``result`` with the group column of its summary, terms and labels called ``source_type`` (for the sections)."""
    if result.grouping.by_type:
        return result
    column = result.grouping.column
    summary = renamed(result.summary, result.summary.columns[0], "source_type") if len(result.summary.columns) else \
        result.summary
    terms = renamed(result.terms, result.terms.columns[0], "source_type") if len(result.terms.columns) else result.terms
    table = result.labels
    if table is not None and len(table.columns) > 6:
        table = renamed(table, table.columns[6], "source_type")
        table = table.assign(scope=table["scope"].where(table["scope"] != column, "source_type"))
    return replace(result, summary=summary, terms=terms, labels=table)


def over_time(result: AnalysisResult, charts: Mapping[str, bytes]) -> list[tuple[str, str, list[str]]]:
    """The sections "Over time", "Names over time" (``--by-period``) and "Before and after" (``--split-date``).

    Each as (anchor, title for the links, its HTML pieces), only those the run has.
    """
    grouping = result.grouping
    order = list(grouping.order)
    labels_of = {g: grouping.label(g) for g in order}
    found: list[tuple[str, str, list[str]]] = []
    if result.timeline is not None:
        column = result.timeline.columns[0]
        found.append(("timeline", "Over time", timeline_section(
            result.timeline, result.dimensions, charts.get("timeline"), group_column=column, groups=order,
            group_labels=labels_of, group_title=grouping.title, period=result.period or "",
            group_words=grouping.words())))
        label_columns = {f"{r.lexicon}.{cid}": (r.name, label) for r in referents(result.lexicons)
                         for cid, label, _ in r.categories}
        found.append(("label-shares", "Names over time", label_shares_section(
            result.timeline, label_columns, group_column=column, groups=order, group_labels=labels_of,
            group_title=grouping.title, group_words=grouping.words(), period=result.period or "")))
    if result.before_after is not None:
        found.append(("before-after", "Before and after", before_after_section(
            result.before_after, result.dimensions, group_column=result.before_after.columns[0], groups=order,
            group_labels=labels_of, group_title=grouping.title, split_date=result.split_date or "",
            group_words=grouping.words())))
    return [section for section in found if section[2]]
