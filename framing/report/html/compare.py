"""The section "Side by side": two articles next to each other, with the same highlights.

The engine chose the pair (``result.pair``: two kept article ids and why
these two, ``framing.stats.pairs``); this only shows it.
"""

from __future__ import annotations

from ...result import AnalysisResult
from .escape import cell_text, html_attr, html_text, source_label
from .evidence import Evidence, highlight

__all__ = ["side_by_side"]


def side_by_side(result: AnalysisResult, evidence: Evidence, pair: tuple[str, str, str] | None) -> list[str]:
    """The two articles of ``pair`` (id, id, reason) in two columns; no pair: no section."""
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
        (f"<p>Two articles next to each other, with the same highlights: {html_text(reason)}. Look for "
        "the same event told with different words, and for what one article says that the "
        "other leaves out.</p>\n"),
        '<div class="side">\n',
    ]
    for aid in (a, b):
        article = kept[aid]
        row = rows.get(aid, {})
        title = cell_text(row.get("title")) or article.title or "(untitled)"
        kind = source_label(row.get("source_type") or article.source_type)
        outlet = cell_text(row.get("outlet")) or article.outlet
        facts = " \u00b7 ".join([html_text(kind), *([html_text(outlet)] if outlet else []), f"<code>{html_text(aid)}</code>"])
        parts.append(
            f'<div class="col" data-compare="{html_attr(aid)}">\n<h3>{html_text(title)}</h3>\n<p class="note">{facts}</p>\n'
        )
        text = highlight(article.text, evidence.for_article(aid, article.text), evidence)
        parts += ['<div class="text">\n', *text, "</div>\n"] if text else ["<p>(The article has no text.)</p>\n"]
        parts.append("</div>\n")
    return parts + ["</div>\n</section>\n"]
