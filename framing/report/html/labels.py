"""The section "Same thing, different words": which label each source type chose for a contested referent.

It reads ``result.labels``, the labels.csv table the engine computed
(``framing.stats.labels``), and the referents of the run's lexicons
(``framing.lexicon.referents``): one table per referent (a row per source
type, a column per label), then the first uses in some articles, each linked
to the article's text when the page shows it.
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from ...english import plural
from ...lexicon.referents import Referent, referent_name, referents
from ...result import AnalysisResult
from ...schema import LABEL_COLUMNS
from .escape import cell_text, group_title, group_words, html_text, shorten, source_label

__all__ = ["MAX_LABEL_EXAMPLES", "labels"]

MAX_LABEL_EXAMPLES = 8  # example articles per label on the page; labels.csv has them all
_TITLE_WIDTH = 120  # characters of an example's article title


def labels(result: AnalysisResult, n_shown: int) -> list[str]:
    """The section: a table and examples per referent named in the articles, then the referents not named."""
    parts = ['<section id="labels">\n<h2>Same thing, different words</h2>\n']
    refs = referents(result.lexicons)
    if not refs:
        return parts + [("<p>No lexicon of this run pairs labels for one referent (the built-in "
                        "<code>labels</code> lexicon does).</p>\n</section>\n")]
    table = result.labels if result.labels is not None else pd.DataFrame(columns=list(LABEL_COLUMNS))
    parts.append(
        "<p>Some things have two names, and the name chosen tells a reader how to see them: "
        "\u201cinvasion\u201d or \u201cspecial military operation\u201d. For each such thing "
        f"(a <em>referent</em>), the table counts how often each {html_text(group_words())} used each name, and "
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
    # An example links to its article's text only when the page shows that text.
    anchors = {cell_text(a): i + 1 for i, a in enumerate(result.scores["article_id"])}
    links = {aid: number for aid, number in anchors.items() if number <= n_shown}
    unused = []
    for ref in refs:
        g = groups[(groups["referent"] == ref.name) & (groups["lexicon"] == ref.lexicon)]
        if not len(g):
            unused.append(" or ".join(label for _, label, _ in ref.categories))
            continue
        parts += _referent_table(ref, g)
        a = arts[(arts["referent"] == ref.name) & (arts["lexicon"] == ref.lexicon)]
        if len(a):
            parts += _examples(ref, a, titles, links)
    if unused:
        parts.append(f"<p>Not named in these articles: {html_text('; '.join(unused))}.</p>\n")
    return parts + ["</section>\n"]


def _referent_table(ref: Referent, rows: pd.DataFrame) -> list[str]:
    """The referent's heading and table: per source type (``rows``: scope ``source_type``), the uses of each label."""
    heading = " or ".join(label for _, label, _ in ref.categories)
    parts = [
        (f"<h3>{html_text(heading)}?</h3>\n<p class=\"note\">Referent <code>{html_text(ref.name)}</code> "
         f"({html_text(referent_name(ref.name))}) of lexicon <code>{html_text(ref.lexicon)}</code>.</p>\n"),
        f'<div class="wrap"><table>\n<thead><tr><th>{html_text(group_title())}</th>',
    ]
    for _, label, side in ref.categories:
        parts.append(f"<th>{html_text(label)}<br><small>{html_text(side)}</small></th>")
    parts.append("</tr></thead>\n<tbody>\n")
    for t in dict.fromkeys(rows["source_type"].tolist()):
        group = rows[rows["source_type"] == t]
        size = int(group["articles_in_group"].iloc[0])
        parts.append(f"<tr><th>{html_text(source_label(t))}<br><small>{plural(size, 'article')}</small></th>")
        for cid, _, _ in ref.categories:
            r = group[group["category"] == cid]
            if not len(r):
                parts.append('<td class="n">\u2014</td>')
                continue
            count, using, quoted = int(r["count"].iloc[0]), int(r["articles_using"].iloc[0]), int(r["quoted"].iloc[0])
            note = f", {quoted:,} quoted" if quoted else ""
            cell = f"{count:,} in {plural(using, 'article')}{note}" if count else "0"
            parts.append(f'<td class="n">{cell}</td>')
        parts.append("</tr>\n")
    parts.append("</tbody></table></div>\n")
    return parts


def _examples(ref: Referent, rows: pd.DataFrame, titles: Mapping[str, str], links: Mapping[str, int]) -> list[str]:
    """The first ``MAX_LABEL_EXAMPLES`` uses of each label (``rows``: scope ``article``), the words in bold."""
    parts = ["<ul>\n"]
    for cid, label, _ in ref.categories:
        uses = rows[rows["category"] == cid]
        found = zip(uses["article_id"], uses["source_type"], uses["excerpt"], uses["count"], uses["matched"],
                    uses["matched_at"])
        for aid, t, shown, count, used, at in list(found)[:MAX_LABEL_EXAMPLES]:
            title = html_text(shorten(titles.get(aid, "") or aid, _TITLE_WIDTH))
            link = f'<a href="#a{links[aid]}">{title}</a>' if aid in links else title
            parts.append(
                f"<li><strong>{html_text(label)}</strong> in {link} ({html_text(source_label(t))}"
                f"{'' if count else ', negated only'}): <q>{_excerpt(shown, used, at)}</q></li>\n"
            )
        if len(uses) > MAX_LABEL_EXAMPLES:
            parts.append(f"<li>\u2026 and {plural(len(uses) - MAX_LABEL_EXAMPLES, 'more article')} using "
                         f"\u201c{html_text(label)}\u201d (in labels.csv).</li>\n")
    parts.append("</ul>\n")
    return parts


def _excerpt(shown: object, used: object, at: object) -> str:
    """An excerpt with the words that were counted in bold (``at``: where they start in it)."""
    text, words = cell_text(shown), cell_text(used)
    if not words or at is None or pd.isna(at):
        return html_text(text)
    i = int(at)
    return (f"{html_text(text[:i])}<strong>{html_text(text[i:i + len(words)])}</strong>"
            f"{html_text(text[i + len(words):])}")
