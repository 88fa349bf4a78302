"""The sections "Stories", "Within stories" and "Coverage": the same event told by different outlets.

The engine found the stories and their tables (``result.stories``,
``result.within_story``, ``result.coverage``; ``framing.stats.stories``);
these sections show them. A story's versions are shown side by side when
at least two of its articles' texts are kept (``--html-articles``): each
with its facts, its own words within the story and the sentences that
only it has (``framing.stats.versions``, on the kept texts), and the names
it used for contested referents (labels.csv's article rows).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import pandas as pd

from ...english import plural
from ...result import AnalysisResult
from ...stats.versions import only_sentences, own_words
from ...types import Article
from .escape import cell_text, group_words, html_attr, html_text, number, shorten, source_label, whole_number

__all__ = ["MAX_ONLY", "MAX_VERSIONS", "story_sections"]

MAX_VERSIONS = 6  # versions of one story side by side; the rest are listed by name
MAX_ONLY = 5  # sentences "only this one says" listed per version (the least matched first)
MAX_ALONE = 10  # stories listed as covered by one group alone
_SENTENCE_WIDTH = 400  # characters of a listed sentence


def story_sections(result: AnalysisResult, n_shown: int, pages: int) -> list[tuple[str, str, list[str]]]:
    """(anchor, title for the links, HTML pieces) of each story section the run has (none with --stories off)."""
    if result.stories is None:
        return []
    # A story is told where two of its articles are among the texts the page shows (the first by id).
    found = [("stories", "Stories", _stories(result, n_shown, pages))]
    if result.within_story is not None and len(result.within_story):
        found.append(("within", "Within stories", _within(result)))
    if result.coverage is not None and len(result.coverage):
        found.append(("coverage", "Coverage", _coverage(result)))
    return found


def _stories(result: AnalysisResult, n_shown: int, pages: int) -> list[str]:
    table = result.stories
    assert table is not None
    parts = [
        '<section id="stories">\n<h2>Stories: one event, several versions</h2>\n',
        ("<p>Articles about the same event are grouped into a <em>story</em>: their heaviest words overlap "
         "and their dates are close (stories.csv lists every story of two or more articles; report.csv's "
         "<code>story_id</code> gives each article's). Below, the largest stories whose texts this page has, "
         "their versions side by side: what each one alone says (its sentences with no counterpart in the "
         "other versions), the words it uses more than the others, and the names it chose. A sentence "
         "without a counterpart is a fact, quote or piece of context the other versions left out, or said "
         "in other words: read it, do not count it.</p>\n"),
    ]
    parts += [f'<p class="caution">{html_text(n)}</p>\n' for n in result.notes.get("stories.csv", [])]
    if not len(table):
        return parts + ["<p>No two articles were found to tell the same story.</p>\n</section>\n"]
    kept = {a.id: a for a in result.articles}
    # The versions are among the articles whose text the page shows (--html-articles), each linked to it.
    anchors = {cell_text(a): i + 1 for i, a in enumerate(result.scores["article_id"]) if i < n_shown}
    by_story: dict[str, list[str]] = {}
    for aid, sid in result.story_of.items():
        if aid in anchors and aid in kept:
            by_story.setdefault(sid, []).append(aid)
    rows = _score_rows(result.scores, set(result.story_of))
    shown = 0
    for story in table.itertuples(index=False):
        if shown >= pages:
            break
        ids = sorted(by_story.get(str(story.story_id), []))
        if len(ids) < 2:
            continue
        shown += 1
        parts += _story(story, [kept[i] for i in ids], rows, anchors, result.labels)
    if not shown:
        parts.append("<p>The page keeps the texts of the first articles by id only (--html-articles), and no "
                     "story has two of them: stories.csv lists the stories.</p>\n")
    elif shown < min(pages, len(table)):
        parts.append(f"<p>{plural(shown, 'story', 'stories')} shown: the other stories do not have two articles "
                     "among the texts this page keeps (--html-articles); stories.csv lists them all.</p>\n")
    return parts + ["</section>\n"]


def _score_rows(scores: pd.DataFrame, ids: set[str]) -> dict[str, dict[str, object]]:
    """The kept rows of report.csv of these articles, by id."""
    out = {}
    for i, aid in enumerate(scores["article_id"].astype(str)):
        if aid in ids:
            out[aid] = scores.iloc[i].to_dict()
    return out


def _story(story: object, versions: Sequence[Article], rows: Mapping[str, Mapping[str, object]],
           anchors: Mapping[str, int], labels: pd.DataFrame | None) -> list[str]:
    """One story: its facts, then its versions side by side."""
    sid = str(story.story_id)  # type: ignore[attr-defined]
    dates = [d for d in (story.first_date, story.last_date) if d]  # type: ignore[attr-defined]
    span = f"{dates[0]} to {dates[1]}" if len(dates) == 2 and dates[0] != dates[1] else (dates[0] if dates else "")
    shown, rest = list(versions[:MAX_VERSIONS]), list(versions[MAX_VERSIONS:])
    texts = [a.text for a in shown]
    found = only_sentences(texts)
    words = own_words(texts)
    names = _names_used(labels, [a.id for a in shown])
    parts = [
        f'<article class="story" id="story{html_attr(sid[1:])}">\n',
        f"<h3>Story {html_text(sid)}: {html_text(story.top_terms)}</h3>\n",  # type: ignore[attr-defined]
        (f'<p class="note">{plural(int(story.n_articles), "article")} '  # type: ignore[attr-defined]
         f"from {plural(int(story.n_outlets), 'outlet')}"  # type: ignore[attr-defined]
         f"{', ' + html_text(span) if span else ''}; {html_text(group_words(many=True))}: "
         f"{html_text(story.groups)}.</p>\n"),  # type: ignore[attr-defined]
        f'<div class="side versions v{len(shown)}">\n',
    ]
    for article, sentences, own in zip(shown, found, words):
        parts += _version(article, sentences, own, rows.get(article.id, {}), anchors, names.get(article.id, []))
    parts.append("</div>\n")
    if rest:
        parts.append(f'<p class="note">Also in this story: {html_text(", ".join(a.id for a in rest))}.</p>\n')
    return parts + ["</article>\n"]


def _version(article: Article, sentences: object, own: Sequence[str], row: Mapping[str, object],
             anchors: Mapping[str, int], names: Sequence[str]) -> list[str]:
    """One version's column: title, facts, own words, names used, what only it says."""
    title = cell_text(row.get("title")) or article.title or "(untitled)"
    kind = source_label(row.get("source_type") or article.source_type)
    outlet = cell_text(row.get("outlet")) or article.outlet
    link = anchors.get(article.id)
    ident = f'<a href="#a{link}"><code>{html_text(article.id)}</code></a>' if link else \
        f"<code>{html_text(article.id)}</code>"
    facts = " \u00b7 ".join([html_text(kind), *([html_text(outlet)] if outlet else []), ident])
    parts = [(f'<div class="col" data-version="{html_attr(article.id)}">\n<h4>{html_text(title)}</h4>\n'
              f'<p class="note">{facts}</p>\n')]
    parts.append(f"<p><strong>Its own words here</strong> (descriptive): {html_text(', '.join(own)) or '(none)'}</p>\n")
    if names:
        parts.append(f"<p><strong>Names it used</strong>: {html_text('; '.join(names))}</p>\n")
    only = sentences.only()  # type: ignore[attr-defined]
    best = sentences.best  # type: ignore[attr-defined]
    n_sentences = int(sentences.has_words.sum())  # type: ignore[attr-defined]
    parts.append(f"<p><strong>Only this one says</strong> ({whole_number(len(only))} of "
                 f"{plural(n_sentences, 'sentence')}):</p>\n")
    if len(only):
        ranked = sorted(only.tolist(), key=lambda k: (float(best[k]), k))[:MAX_ONLY]
        parts.append("<ul class=\"only\">\n")
        for k in sorted(ranked):
            text = article.text[int(sentences.starts[k]):int(sentences.ends[k])]  # type: ignore[attr-defined]
            parts.append(f"<li>{html_text(shorten(' '.join(text.split()), _SENTENCE_WIDTH))}</li>\n")
        parts.append("</ul>\n")
    else:
        parts.append("<p>(Every sentence has a counterpart in another version.)</p>\n")
    return parts + ["</div>\n"]


def _names_used(labels: pd.DataFrame | None, ids: Sequence[str]) -> dict[str, list[str]]:
    """Per article, ``label xN`` for each contested name it used (labels.csv's article rows)."""
    if labels is None or not len(labels):
        return {}
    rows = labels[(labels["scope"] == "article") & labels["article_id"].astype(str).isin(list(ids))]
    out: dict[str, list[str]] = {}
    for r in rows.itertuples(index=False):
        if int(r.count) > 0:
            out.setdefault(str(r.article_id), []).append(f"{r.label} \u00d7{int(r.count)}")
    return out


def _within(result: AnalysisResult) -> list[str]:
    """Plain and within-story differences of each dimension, side by side, and where they disagree."""
    table = result.within_story
    assert table is not None
    columns = {f"{lx}.{cat}" for lx, cat in zip(table["lexicon"], table["category"])}
    dims = [c for c in result.dimensions if c in columns]
    t = table[[f"{lx}.{cat}" in set(dims) for lx, cat in zip(table["lexicon"], table["category"])]]
    parts = [
        '<section id="within">\n<h2>Within stories: the same events, compared</h2>\n',
        (f"<p>A plain comparison of two {html_text(group_words(many=True))} mixes what each covered with how "
         "each told it. Here each difference is taken inside the stories both covered, then pooled over "
         "those stories, so the topic is held fixed (within_story.csv: every category, the interval and "
         "the test). A difference that is significant plainly but <em>vanishes within stories</em> was "
         "a difference of topic, not of framing.</p>\n"),
    ]
    parts += [f'<p class="caution">{html_text(n)}</p>\n' for n in result.notes.get("within_story.csv", [])]
    disagree = t[t["agreement"].isin(["vanishes within stories (topic)", "appears within stories only",
                                      "reverses within stories"])]
    if len(disagree):
        parts.append("<p><strong>Where the two disagree</strong>:</p>\n<ul>\n")
        for r in disagree.itertuples(index=False):
            label = result.dimensions.get(f"{r.lexicon}.{r.category}", r.category)
            parts.append(f"<li>{html_text(label)}, {html_text(source_label(r.group_a))} vs "
                         f"{html_text(source_label(r.group_b))}: plainly {number(r.plain_difference)}, within "
                         f"stories {number(r.difference)}: {html_text(r.agreement)}.</li>\n")
        parts.append("</ul>\n")
    parts.append(
        '<div class="wrap"><table>\n<thead><tr><th>Dimension</th><th>Groups</th><th class="n">Stories</th>'
        '<th class="n">Plain difference</th><th class="n">Within stories</th><th>95 % interval</th>'
        "<th>Reading</th><th>Caution</th></tr></thead>\n<tbody>\n"
    )
    for r in t.itertuples(index=False):
        label = result.dimensions.get(f"{r.lexicon}.{r.category}", r.category)
        interval = "" if pd.isna(r.ci_low) else f"{number(r.ci_low)} to {number(r.ci_high)}"
        plain = number(r.plain_difference) + (" *" if r.plain_significant == "yes" else "")
        within = number(r.difference) + (" *" if r.significant == "yes" else "")
        parts.append(
            f"<tr><td>{html_text(label)}</td><td>{html_text(source_label(r.group_a))} vs "
            f"{html_text(source_label(r.group_b))}</td><td class=\"n\">{whole_number(r.n_stories)}</td>"
            f'<td class="n">{plain}</td><td class="n">{within}</td><td>{interval}</td>'
            f"<td>{html_text(r.agreement)}</td><td>{html_text(r.caution)}</td></tr>\n"
        )
    parts.append("</tbody></table></div>\n<p class=\"note\">Differences are per 1,000 tokens, the first group "
                 "minus the second; * significant after Benjamini-Hochberg at 5 %.</p>\n")
    return parts + ["</section>\n"]


def _coverage(result: AnalysisResult) -> list[str]:
    """Which groups covered which stories, and the stories one group covered alone."""
    cov = result.coverage
    table = result.stories
    assert cov is not None and table is not None
    parts = [
        '<section id="coverage">\n<h2>Coverage: who covered which stories</h2>\n',
        (f"<p>For each {html_text(group_words())}, the stories of two or more articles it has an article in, "
         "those another group covered too, and those it covered alone: a story only one side tells is the "
         "other side's blind spot (coverage.csv; stories.csv names every story's outlets).</p>\n"),
        ('<div class="wrap"><table>\n<thead><tr><th></th><th class="n">Articles</th><th class="n">In stories</th>'
         '<th class="n">Stories</th><th class="n">Shared</th><th class="n">Alone</th><th class="n">Share alone</th>'
         "</tr></thead>\n<tbody>\n"),
    ]
    for r in cov.itertuples(index=False):
        share = "" if pd.isna(r.share_alone) else f"{float(r.share_alone):.0%}"
        parts.append(
            f"<tr><th>{html_text(source_label(r.group))}</th><td class=\"n\">{whole_number(r.n_articles)}</td>"
            f'<td class="n">{whole_number(r.n_in_stories)}</td><td class="n">{whole_number(r.n_stories)}</td>'
            f'<td class="n">{whole_number(r.n_shared)}</td><td class="n">{whole_number(r.n_alone)}</td>'
            f'<td class="n">{share}</td></tr>\n'
        )
    parts.append("</tbody></table></div>\n")
    alone = table[(table["only_group"].astype(str) != "") & (table["n_outlets"] >= 2)].head(MAX_ALONE)
    if len(alone):
        parts.append("<p><strong>Stories one group told alone</strong> (two outlets or more, the largest first):</p>"
                     "\n<ul>\n")
        for r in alone.itertuples(index=False):
            parts.append(f"<li>{html_text(r.story_id)} ({html_text(source_label(r.only_group))}, "
                         f"{plural(int(r.n_articles), 'article')}): {html_text(r.top_terms)}</li>\n")
        parts.append("</ul>\n")
    return parts + ["</section>\n"]
