"""The article texts: each shown article with its facts, its counts, why its score, and its highlighted text.

An article is ``<section id="a<i>" class="article" data-article="<id>">``;
ids are built from indexes, never from input. Row ``i`` of ``scores`` and
``result.articles[i]`` are the same article (both are in id order, and the
engine keeps the texts of the first articles); a row whose kept text is
another article's shows no text rather than the wrong one.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from ...result import AnalysisResult
from ...types import Article
from .escape import cell_text, html_attr, html_text, number, safe_url, source_label, whole_number
from .evidence import Evidence, Match, highlight
from .why import undetermined_reason, why_this_score

__all__ = ["article_sections"]


def article_sections(result: AnalysisResult, evidence: Evidence, n_shown: int) -> list[str]:
    """The section of the first ``n_shown`` articles' texts with the evidence highlighted (none: nothing)."""
    if not n_shown:
        return []
    scores = result.scores
    n = result.n_articles or len(scores)
    parts = ['<section id="texts">\n<h2>Article texts with the evidence highlighted</h2>\n']
    if n_shown < n:
        parts.append(f"<p>{n_shown:,} of {n:,} articles shown; the full evidence is in matches.csv.</p>\n")
    rate_columns = {f"{lx.name}.{c.id}" for lx in result.lexicons for c in lx.categories}
    rate_cols = [c for c in scores.columns if c in rate_columns]
    style_cols = [c for c in result.styles if c in scores.columns]
    for i, row in enumerate(scores.iloc[:n_shown].to_dict("records")):
        article = result.articles[i] if i < len(result.articles) else None
        parts += _article(i, row, article, evidence, rate_cols, style_cols, result.styles)
    return parts + ["</section>\n"]


def _article(
    i: int,
    row: Mapping[str, object],
    article: Article | None,
    evidence: Evidence,
    rate_cols: Sequence[str],
    style_cols: Sequence[str],
    style_labels: Mapping[str, str],
) -> list[str]:
    """Article number ``i + 1``: its facts, why its score, its counts and its text."""
    aid = cell_text(row.get("article_id"))
    title = cell_text(row.get("title")) or (article.title if article else "")
    parts = [
        (f'<section id="a{i + 1}" class="article" data-article="{html_attr(aid)}">\n'
        f'<h3>{i + 1}. {html_text(title) if title else "(untitled)"}</h3>\n<dl class="meta">\n')
    ]
    parts += [f"<dt>{k}</dt><dd>{v}</dd>\n" for k, v in _facts(aid, row, article, style_cols, style_labels)]
    parts.append("</dl>\n")
    parts += why_this_score(row, evidence.categories)
    # The row and the kept text must be the same article; a mismatch shows no text rather than another's.
    if article is None or article.id != aid:
        return parts + ["<p>The text of this article is not part of the result.</p>\n</section>\n"]
    found = evidence.for_article(aid, article.text)
    parts += _counts(found, row, evidence, rate_cols)
    text = highlight(article.text, found, evidence)
    if text:
        parts.append('<div class="text">\n')
        parts += text
        parts.append("</div>\n")
    else:
        parts.append("<p>(The article has no text.)</p>\n")
    return parts + ["</section>\n"]


def _facts(
    aid: str,
    row: Mapping[str, object],
    article: Article | None,
    style_cols: Sequence[str],
    style_labels: Mapping[str, str],
) -> list[tuple[str, str]]:
    """(term, HTML) of the article's description list: id, outlet, types, date, link, size, style scores."""
    meta = [
        ("Id", html_text(aid)),
        ("Outlet", html_text(row.get("outlet")) or "\u2014"),
        ("Source type", html_text(source_label(row.get("source_type")))),
        ("Predicted type", html_text(source_label(row.get("predicted_source_type")))),
    ]
    reason = undetermined_reason(row)
    if reason:
        meta.append(("Why undetermined", html_text(reason)))
    if article is not None:
        meta.append(("Date", html_text(article.date) or "\u2014"))
        if article.url:
            safe = safe_url(article.url)
            if safe is not None:
                link = f'<a href="{html_attr(safe)}" rel="noopener noreferrer nofollow">{html_text(safe)}</a>'
            else:
                link = f"{html_text(article.url)} <small>(not a web link; shown as text)</small>"
            meta.append(("URL", link))
    n_sentences = row.get("n_sentences")
    size = f"{whole_number(row.get('n_tokens'))} in {whole_number(n_sentences)} sentence{'' if n_sentences == 1 else 's'}"
    meta.append(("Tokens", size))
    if style_cols:
        style = "; ".join(f"{html_text(style_labels[c])} {number(row.get(c), 3)}" for c in style_cols)
        meta.append(("Style scores", style))
    return meta


def _counts(found: Sequence[Match], row: Mapping[str, object], evidence: Evidence, rate_cols: Sequence[str]) -> list[str]:
    """The article's matches per category: counted, in quotes, negated, and the category's rate."""
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
        rate = number(row.get(col)) if col in available else "\u2014"
        counted, quoted, negated = counts[k]
        parts.append(
            f'<tr><td class="n"><span class="sw k{k}">{k}</span></td><td>{html_text(evidence.label(k))} '
            f'<small><code>{html_text(col)}</code></small></td><td class="n">{counted:,}</td>'
            f'<td class="n">{quoted:,}</td><td class="n">{negated:,}</td><td class="n">{rate}</td></tr>\n'
        )
    return parts + ["</tbody></table></div>\n"]
