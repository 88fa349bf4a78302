"""The page's sections that are tables and lists: header, warnings, summary, charts, terms, articles, legend.

Each function returns the section's HTML as a list of pieces, every string
from input escaped where it meets markup (``escape``); none writes or reads
anything but its arguments. The sections that show article texts are in
``articles``, the plain-words overview in ``readings``.
"""

from __future__ import annotations

import base64
from collections.abc import Mapping, Sequence

import pandas as pd

from ...defaults import KEEP_ROWS, MIN_GROUP_ARTICLES
from ...english import plural
from ...result import AnalysisResult
from ..legend import CHART_LABELS, GROUP_CHARTS, chart_label
from ..validity import Validity, validity_by_column
from .escape import (
    MAX_CELL,
    cell_text,
    group_key,
    group_words,
    html_attr,
    html_text,
    number,
    other_grouping,
    shorten,
    source_label,
    whole_number,
)
from .evidence import Evidence
from .readings import chart_reading

__all__ = [
    "MAX_WARNINGS", "OWN_WORDS_INSTEAD", "PNG_SIGNATURE", "TOP_DISTINCTIVE", "articles_table", "charts", "distinctive",
    "header", "legend", "own_words_instead", "summary", "warnings",
]

MAX_WARNINGS = 50  # a page of warnings is still readable; the rest are in the run output
TOP_DISTINCTIVE = 10  # distinctive terms shown per source type
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def header(result: AnalysisResult, n_shown: int, has_pair: bool = False,
           time_links: Sequence[tuple[str, str]] = (), story_links: Sequence[tuple[str, str]] = ()) -> list[str]:
    """The title, the run in one line, and the links to the sections.

    ``has_pair``: a side by side; ``time_links``: (anchor, title) of the
    sections over time that the page has, in their order; ``story_links``: the story sections'.
    """
    n = result.n_articles or len(result.scores)
    n_matches = result.n_matches or len(result.matches)
    parts = [
        "<header>\n<h1>Framing report</h1>\n",
        (
            f"<p><strong>{plural(n, 'article')} read</strong>, {whole_number(result.skipped)} skipped, "
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
        *time_links,
        ("labels", "Same thing, different words"),
        *([("compare", "Side by side")] if has_pair else []),
        *story_links,
        ("terms", "Distinctive terms"),
        ("articles", "Articles"),
        ("legend", "Legend"),
    ]
    if n_shown:
        links.append(("texts", "Article texts"))
    parts += [f'<li><a href="#{anchor}">{label}</a></li>' for anchor, label in links]
    parts.append("</ul></nav>\n")
    return parts


def warnings(lines: Sequence[str]) -> list[str]:
    """The run's warnings, the first ``MAX_WARNINGS`` of them."""
    parts = ['<section id="warnings">\n<h2>Warnings</h2>\n']
    if not lines:
        return parts + ["<p>No warnings.</p>\n</section>\n"]
    parts.append("<ul>\n")
    parts += [f"<li>{html_text(w)}</li>\n" for w in lines[:MAX_WARNINGS]]
    parts.append("</ul>\n")
    if len(lines) > MAX_WARNINGS:
        more = len(lines) - MAX_WARNINGS
        parts.append(f"<p>\u2026 and {plural(more, 'more warning')} (all are printed when the analysis runs).</p>\n")
    return parts + ["</section>\n"]


def summary(result: AnalysisResult) -> list[str]:
    """The outlet-balanced mean rate of each framing dimension per source type, with the groups' cautions."""
    parts = [f'<section id="summary">\n<h2>Summary by {html_text(group_words())}</h2>\n']
    table = result.summary
    if table is None or not len(table) or not result.dimensions:
        return parts + [f"<p>No summary: no {html_text(group_words())} has any scored article.</p>\n</section>\n"]
    groups: dict[str, tuple[int, int, str]] = {}  # source type -> (articles, outlets, caution)
    for t, na, no, caution in zip(
        table["source_type"].astype(str), table["n_articles"], table["n_outlets"], table["caution"]
    ):
        groups.setdefault(t, (int(na), int(no), cell_text(caution)))
    types = sorted(groups, key=group_key)
    parts.append(f"<p>{_summary_means(groups)} These are descriptive figures; no test of significance is "
                 "implied.</p>\n")
    few = [t for t in types if groups[t][0] < MIN_GROUP_ARTICLES]
    if few:
        names = ", ".join(f"{html_text(source_label(t))} ({plural(groups[t][0], 'article')})" for t in few)
        parts.append(
            f'<p class="caution"><strong>Few articles.</strong> {names}: with fewer than '
            f"{MIN_GROUP_ARTICLES} articles in a group, differences between groups can be chance or "
            "the choice of articles. Read these numbers as a description of this sample only, "
            f"not as evidence that the {html_text(group_words(many=True))} differ.</p>\n"
        )
    parts += _summary_table(result, groups, types)
    cautions = [(t, groups[t][2]) for t in types if groups[t][2]]
    if cautions:
        parts.append(f"<p><strong>Cautions per {html_text(group_words())}</strong></p>\n<ul>\n")
        parts += [f"<li>{html_text(source_label(t))}: {html_text(c)}</li>\n" for t, c in cautions]
        parts.append("</ul>\n")
    return parts + ["</section>\n"]


def _single_outlets(groups: Mapping[str, tuple[int, int, str]]) -> bool:
    """Whether every group is (at most) one outlet, as by outlet: its outlet-balanced mean is its mean then.
    Never for source types (their page keeps its words)."""
    return other_grouping() and all(no <= 1 for _, no, _ in groups.values())


def _summary_means(groups: Mapping[str, tuple[int, int, str]]) -> str:
    """The sentence that says what the summary's figures are, for the groups at hand (HTML)."""
    if not other_grouping():
        return ("Outlet-balanced mean rate per 1,000 tokens of each framing dimension: the mean over "
                "outlets of each outlet's mean, so that one prolific outlet does not speak for its whole "
                f"{html_text(group_words())}.")
    if _single_outlets(groups):
        one = html_text(group_words())
        if one == "outlet":
            return "Mean rate per 1,000 tokens of each framing dimension over each outlet's articles."
        return (f"Mean rate per 1,000 tokens of each framing dimension over each {one}'s articles: every {one} "
                "here is a single outlet, so the outlet-balanced mean of summary.csv is this same figure.")
    return ("Outlet-balanced mean rate per 1,000 tokens of each framing dimension: the mean over a group's "
            "outlets of each outlet's mean, so that one prolific outlet does not speak for its whole group.")


def _summary_table(
    result: AnalysisResult, groups: Mapping[str, tuple[int, int, str]], types: Sequence[str]
) -> list[str]:
    """The summary's table: a row per framing dimension, a column per source type."""
    table = result.summary
    columns = table["lexicon"].astype(str) + "." + table["category"].astype(str)
    values = dict(zip(zip(table["source_type"].astype(str), columns), table["outlet_balanced_mean"]))
    caption = "Mean rate per 1,000 tokens" if _single_outlets(groups) else "Outlet-balanced mean rate per 1,000 tokens"
    parts = [f'<div class="wrap"><table>\n<caption>{caption}</caption>\n']
    parts.append("<thead><tr><th>Frame dimension</th>")
    for t in types:
        na, no, _ = groups[t]
        parts.append(
            f'<th class="n">{html_text(source_label(t))}<br><small>{plural(na, "article")}, '
            f"{plural(no, 'outlet')}</small></th>"
        )
    parts.append('<th>Validity</th></tr></thead>\n<tbody>\n')
    validity = validity_by_column(result.lexicons)
    for col, label in result.dimensions.items():
        v = validity.get(col, Validity("unvalidated"))
        parts.append(f"<tr><th>{html_text(label)}<br><small><code>{html_text(col)}</code></small></th>")
        parts += [f'<td class="n">{number(values.get((t, col)))}</td>' for t in types]
        parts.append(f'<td class="validity {v.level}">{html_text(v.text)}</td></tr>\n')
    parts.append("</tbody></table></div>\n")
    return parts + _validity_notes(result.dimensions, validity)


def _validity_notes(dimensions: Mapping[str, str], validity: Mapping[str, Validity]) -> list[str]:
    """What each dimension's validity rests on, and the caution for scores never checked or weak."""
    doubtful = [dimensions[c] for c in dimensions if validity.get(c, Validity("unvalidated")).doubtful]
    parts = []
    if doubtful:
        parts.append(
            f'<p class="caution"><strong>Scores to read as word counts.</strong> {plural(len(doubtful), "dimension")} '
            "of this table had weak agreement with people's frame judgements, or were never checked against them: "
            f"{html_text(', '.join(doubtful))}. A high rate says an article uses the dimension's words, not that "
            "a reader would see that frame in it.</p>\n"
        )
    parts.append("<details><summary>How far each dimension was checked (validity, evidence, what it misses)"
                 "</summary>\n<dl>\n")
    for col, label in dimensions.items():
        v = validity.get(col, Validity("unvalidated"))
        evidence = v.evidence or "Its lexicon gives no evidence that this score agrees with people's judgements."
        note = f" {html_text(v.note)}" if v.note else ""
        parts.append(f"<dt>{html_text(label)} <small><code>{html_text(col)}</code></small>: {html_text(v.text)}"
                     f"</dt><dd>{html_text(evidence)}{note}</dd>\n")
    return parts + ["</dl>\n</details>\n"]


def charts(images: Mapping[str, bytes], result: AnalysisResult | None = None) -> list[str]:
    """The charts as ``data:`` images, each with its reading in plain words; bytes that are not PNG are left out."""
    parts = ['<section id="charts">\n<h2>Charts</h2>\n']
    if not images:
        return parts + ["<p>No charts in this report.</p>\n</section>\n"]
    known = [name for name in CHART_LABELS if name in images]
    names = known + sorted(str(name) for name in images if name not in CHART_LABELS)
    grouping = result.grouping if result is not None else None
    for name in names:
        data = images[name]
        if name == "distinctive_terms" and result is not None and own_words_instead(result):
            # An empty ranking says nothing: the story's own words (descriptive) say something.
            parts.append(f"<p>{OWN_WORDS_INSTEAD}</p>\n")
            continue
        label = chart_label(name, grouping if name in GROUP_CHARTS else None)
        if not isinstance(data, (bytes, bytearray)) or not bytes(data).startswith(PNG_SIGNATURE):
            parts.append(f"<p>Chart <code>{html_text(name)}</code> left out: it is not a PNG image.</p>\n")
            continue
        encoded = base64.b64encode(bytes(data)).decode("ascii")
        reading = chart_reading(name, result) if result is not None else ""
        alt = f"{label}. {reading}" if reading else label
        parts.append(
            f'<figure><img src="data:image/png;base64,{encoded}" alt="{html_attr(alt)}">'
            f"<figcaption>{html_text(label)} (<code>{html_text(name)}</code>)</figcaption></figure>\n"
        )
        if reading:
            parts.append(f'<p class="reading"><strong>In plain words:</strong> {html_text(reading)}</p>\n')
    return parts + ["</section>\n"]


OWN_WORDS_INSTEAD = (
    'No group is large enough to rank its distinctive words (5 articles in it and 5 outside). Instead, '
    '<a href="#stories">Stories</a> lists each article\u2019s own words within its story: the words it uses more '
    "than the other versions of the same event. They describe these articles; they are not a ranking that "
    "would hold for other articles."
)


def own_words_instead(result: AnalysisResult) -> bool:
    """Whether the page points to the stories' own words instead of an empty ranking of distinctive terms."""
    return (result.terms is None or not len(result.terms)) and result.stories is not None and len(result.stories) > 0


def distinctive(terms: pd.DataFrame | None, notes: Sequence[str], instead: bool = False) -> list[str]:
    """The ``TOP_DISTINCTIVE`` distinctive terms of each source type, a table each, after the notes on them.

    ``instead``: no ranking, and the page's stories list each article's own words (``own_words_instead``).
    """
    parts = [
        f'<section id="terms">\n<h2>Distinctive terms per {html_text(group_words())}</h2>\n',
        (
            f"<p>Words a {html_text(group_words())} uses more than the other articles do, ranked by how sure that "
            "is: <em>z</em> is the log-odds ratio of the word in the group against the rest, with a "
            "prior from the whole corpus, divided by its standard error (Monroe, Colaresi and Quinn "
            "2008). Above 2, the difference is unlikely to be chance in these counts; it can still "
            "come from topic, one outlet's habits or boilerplate rather than framing. A word must "
            "occur in at least 3 of the group's articles.</p>\n"
        ),
    ]
    parts += [f'<p class="caution">{html_text(n)}</p>\n' for n in notes]
    if terms is None or not len(terms):
        return parts + [f"<p>{OWN_WORDS_INSTEAD if instead else 'No distinctive terms.'}</p>\n</section>\n"]
    top = terms[terms["rank"] <= TOP_DISTINCTIVE]
    parts.append('<div class="terms">\n')
    by_type = {str(t): g for t, g in top.groupby("source_type", sort=False)}
    for t in sorted(by_type, key=group_key):
        group = by_type[t].sort_values("rank", kind="stable")
        parts.append(
            f'<div class="wrap"><table>\n<caption>{html_text(source_label(t))}</caption>\n'
            '<thead><tr><th class="n">#</th><th>Term</th><th class="n"><em>z</em></th>'
            '<th class="n">Count</th><th class="n">Articles</th></tr></thead>\n<tbody>\n'
        )
        for rank, term, score, count, docs in zip(
            group["rank"], group["term"], group["z"], group["count_in"], group["docs_in"]
        ):
            parts.append(
                f'<tr><td class="n">{whole_number(rank)}</td><td>{html_text(term)}</td>'
                f'<td class="n">{number(score, 3)}</td>'
                f'<td class="n">{whole_number(count)}</td><td class="n">{whole_number(docs)}</td></tr>\n'
            )
        parts.append("</tbody></table></div>\n")
    return parts + ["</div>\n</section>\n"]


def articles_table(scores: pd.DataFrame, n_shown: int, n_total: int) -> list[str]:
    """Every article kept (at least ``KEEP_ROWS``, and all shown), linked to its text when it is shown."""
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
        link = f'<a href="#a{i + 1}">{i + 1}</a>' if i < n_shown else str(i + 1)
        parts.append(
            f'<tr><td class="n">{link}</td><td>{html_text(shorten(aid))}</td><td>{html_text(shorten(title))}</td>'
            f"<td>{html_text(shorten(outlet))}</td><td>{html_text(source_label(st))}</td>"
            f"<td>{html_text(source_label(predicted))}</td><td>{html_text(shorten(evidence, 2 * MAX_CELL))}</td></tr>\n"
        )
    return parts + ["</tbody></table></div>\n</section>\n"]


def legend(result: AnalysisResult, evidence: Evidence) -> list[str]:
    """The run's lexicons (with their sha256), and the highlighted categories with their toggles."""
    parts = ['<section id="legend">\n<h2>Legend: lexicons and highlighted categories</h2>\n']
    if result.lexicons:
        parts.append("<ul>\n")
        for lx in result.lexicons:
            version = f" {html_text(lx.version)}" if lx.version else ""
            desc = f": {html_text(lx.description)}" if lx.description else ""
            # The sha256 ties a published figure to the exact lexicon file that produced it.
            digest = f" <small>sha256 <code>{html_text(lx.sha256)}</code></small>" if lx.sha256 else ""
            parts.append(
                f"<li><code>{html_text(lx.name)}</code>{version} "
                f"({plural(len(lx.categories), 'category', 'categories')}, "
                f"{plural(lx.n_entries, 'term')}){desc}{digest}</li>\n"
            )
        parts.append("</ul>\n")
    if result.counting == "liwc":  # the rates mean something else than the page's other explanations say
        parts.append("<p>Counted as LIWC counts (<code>--counting liwc</code>): within each lexicon a word counts "
                     "only for its one dictionary entry, phrases use up their words, and a phrase counts as many "
                     "matches as it has words.</p>\n")
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
        "<th>What it captures</th><th>Validity</th></tr></thead>\n<tbody>\n"
    )
    validity = validity_by_column(result.lexicons)
    for k in sorted(evidence.refs):
        v = validity.get(evidence.name(k), Validity("unvalidated"))
        parts.append(
            f'<tr><td class="n"><span class="toggles"><input type="checkbox" class="toggle" data-k="{k}" '
            f'id="t{k}" checked> </span><span class="sw k{k}">{k}</span></td>'
            f'<td class="name"><label for="t{k}">{html_text(evidence.label(k))}</label></td>'
            f"<td><code>{html_text(evidence.name(k))}</code></td><td>{html_text(evidence.description(k))}</td>"
            f'<td class="validity {v.level}">{html_text(v.text)}</td></tr>\n'
        )
    return parts + ["</tbody></table></div>\n</section>\n"]
