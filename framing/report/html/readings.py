"""The page in plain words: the overview at the top, and one sentence per chart.

``overview`` says what the page shows, how to read a highlight, how small
the groups are and what the figures cannot support (the run's notes).
``chart_reading`` says what a chart shows in this run's numbers; the page
prints it under the chart and uses it in the chart's alt text, so a reader
who cannot see the image gets the same sentence.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable

import numpy as np
import pandas as pd

from ...defaults import MIN_GROUP_ARTICLES
from ...english import count_words, plural
from ...result import AnalysisResult
from ...types import LABELLED_TYPES, type_key
from ..legend import GROUP_CHARTS
from ..validity import validity_by_column
from .escape import clean_text, group_key, group_words, grouped, html_text, labelled_groups, source_label

__all__ = ["MAX_NOTES", "chart_reading", "overview"]

MAX_NOTES = 12  # notes in the overview; run.json lists them all

_WORDS = (
    "<p><strong>Words on this page.</strong> Each lexicon is a list of words and phrases grouped "
    "into categories. A <em>rate</em> is the number of matches of a category per 1,000 tokens "
    "(words) of an article. Style scores and predicted source types say how much an article "
    "<em>resembles</em> the articles of a source type; they are not proof of who wrote it.</p>\n"
)
_HIGHLIGHTS = (
    "<p><strong>How to read a highlight.</strong> In the article texts, every word or phrase "
    "that a lexicon counted is highlighted. The small number after it points to the legend "
    "(the colour and the underline style repeat the number); hovering over it (or a long "
    "press) names the category and the exact lexicon term. <em>Italic</em> highlights are in "
    "quoted speech: the article reports someone else's words, which is not the same as "
    "using them itself. <s>Struck-through</s> highlights come just after a negation such as "
    "\u201cnot\u201d: they are listed but not counted.</p>\n"
)
# The output table a run's note is about -> what the overview calls it.
_NOTE_TOPICS = {
    "terms.csv": "Distinctive terms",
    "comparisons.csv": "Differences between source types",
    "evaluation.csv": "The source-type classifier",
    "summary.csv": "Group figures",
}


# ---------------------------------------------------------------- the overview


def overview(result: AnalysisResult, n_shown: int) -> list[str]:
    """The section "What this page shows": the corpus, the words, the highlights, the limits."""
    n = result.n_articles or len(result.scores)
    sizes = _group_sizes(result)
    groups = ", ".join(f"{count_words(k, 'article')} of {_in_text(t)}" for t, k in sizes.items())
    parts = [
        '<section id="overview">\n<h2>What this page shows</h2>\n',
        (f"<p>This page shows which words a set of word lists (<em>lexicons</em>) found in "
        f"{html_text(count_words(n, 'article'))}{' (' + html_text(groups) + ')' if groups else ''}, and where. "
        "It counts words; it does not understand them. A count says how often an article uses "
        "a kind of wording, not whether the article is right, fair or biased.</p>\n"),
        _WORDS,
        _HIGHLIGHTS,
    ]
    parts += _small_groups({t: sizes[t] for t in labelled_groups(sizes)})
    parts += _limits(result)
    if n_shown < n:
        parts.append(
            f"<p>The full texts of {html_text(count_words(n_shown, 'article'))} of {n:,} are on this page, "
            "to keep it small enough to open; every article is in report.csv and "
            "(for the articles whose text was kept) in matches.csv.</p>\n"
        )
    return parts + ["</section>\n"]


def _group_sizes(result: AnalysisResult) -> dict[str, int]:
    """Articles per source type, from ``summary.csv`` (it counts every article, also in streamed runs)."""
    summary = result.summary
    sizes: dict[str, int] = {}
    if summary is not None and len(summary):
        for t, n in zip(summary["source_type"].astype(str), summary["n_articles"]):
            sizes[t] = max(sizes.get(t, 0), int(n))
    elif len(result.scores) and "source_type" in result.scores.columns:
        sizes = {str(t): int(n) for t, n in result.scores["source_type"].value_counts().items()}
    return dict(sorted(sizes.items(), key=lambda kv: group_key(kv[0])))


def _in_text(group: object) -> str:
    """A group inside a sentence: a source type in lower case ("of state media"), another group as it is."""
    label = source_label(group)
    return label.lower() if group_words() == "source type" else label


def _small_groups(labelled: dict[str, int]) -> list[str]:
    """A caution when fewer than two labelled source types, or a small one, leave no ground for comparing them."""
    few = [t for t, k in labelled.items() if k < MIN_GROUP_ARTICLES]
    if len(labelled) >= 2 and not few:
        return []
    kinds = group_words(many=True)
    if len(labelled) < 2:
        why = f"fewer than two labelled {kinds}"
    else:
        why = "; ".join(f"{count_words(labelled[t], 'article')} of {_in_text(t)}" for t in few)
    total = sum(labelled.values())
    return [(
        f'<p class="caution"><strong>Small groups.</strong> This corpus has {html_text(why)}. '
        f"{html_text(count_words(total, 'labelled article').capitalize())} support no claim that "
        f"{html_text(kinds)} write differently: any difference on this page can come from the choice of "
        "articles, their topic or one outlet's habits. Use the page to look at how the words "
        f"are used, not to rank the {html_text(kinds)}.</p>\n"
    )]


def _limits(result: AnalysisResult) -> list[str]:
    """The run's notes as "What these figures cannot support", each a sentence, the first ``MAX_NOTES``."""
    notes = [(name, line) for name, lines in result.notes.items() for line in lines]
    if not notes:
        return []
    parts = ["<p><strong>What these figures cannot support.</strong></p>\n<ul>\n"]
    for name, line in notes[:MAX_NOTES]:
        topic = _NOTE_TOPICS.get(name, name)
        if name == "comparisons.csv":
            topic = f"Differences between {group_words(many=True)}"
        sentence = clean_text(line).strip()
        if re.match(r"[a-z]+\b(?![._])", sentence):  # a plain word, not a column name such as frames.war
            sentence = sentence[:1].upper() + sentence[1:]
        if sentence and sentence[-1] not in ".!?":
            sentence += "."
        parts.append(f"<li>{html_text(topic)}: {html_text(sentence)}</li>\n")
    if len(notes) > MAX_NOTES:
        parts.append(f"<li>\u2026 and {plural(len(notes) - MAX_NOTES, 'more note')} in run.json "
                     "(<code>notes</code>).</li>\n")
    parts.append("</ul>\n")
    return parts


# ---------------------------------------------------------------- the charts


def chart_reading(name: str, result: AnalysisResult) -> str:
    """One sentence saying what a chart shows in this run's numbers ("" when there is nothing to say)."""
    try:
        reader = _READINGS.get(name)
        with grouped(result.grouping if name in GROUP_CHARTS else None):
            return reader(result) if reader is not None else ""
    except (KeyError, ValueError, TypeError, IndexError):  # a hand-built result without the columns
        return ""


def _reading_rates(result: AnalysisResult) -> str:
    """Which framing dimension the source types differ most on, and whether that gap may be chance."""
    summary, dims = result.summary, result.dimensions
    if summary is None or not len(summary) or not dims:
        return ""
    cols = summary["lexicon"].astype(str) + "." + summary["category"].astype(str)
    groups = summary["source_type"].astype(str)
    rows = summary[cols.isin(list(dims)) & groups.isin(labelled_groups(groups.unique()))]
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
    standing = validity_by_column(result.lexicons).get(col)
    caveat = (f" (a score of {standing.text}: read it as a count of its words)"
              if standing is not None and standing.doubtful else "")
    sentence = (
        f"The {group_words(many=True)} differ most on {dims[col]}{caveat}: {source_label(top['source_type'])} has the highest "
        f"rate ({float(top['mean']):.1f} per 1,000 words), {source_label(low['source_type'])} the lowest "
        f"({float(low['mean']):.1f})."
    )
    return sentence + _overlap(group)


def _overlap(group: pd.DataFrame) -> str:
    """Whether the top group's 95 % interval overlaps the others' (``group``: highest mean first)."""
    top = group.iloc[0]
    lo, hi = float(top["ci_low"]), float(top["ci_high"])
    if not (math.isfinite(lo) and math.isfinite(hi)):
        return (
            f" {source_label(top['source_type'])} has no 95 % interval (a single outlet or too few articles), "
            "so the chart cannot tell whether this gap is more than chance."
        )
    overlapping = [
        source_label(r["source_type"]) for _, r in group.iloc[1:].iterrows()
        if math.isfinite(float(r["ci_high"])) and float(r["ci_high"]) >= lo and float(r["ci_low"]) <= hi
    ]  # fmt: skip
    if overlapping:
        return f" Its interval overlaps that of {' and '.join(overlapping)}: that difference may be chance."
    return " Its interval overlaps no other group's."


def _reading_heatmap(result: AnalysisResult) -> str:
    """The most and the least used framing dimension over all articles (weighted by group size)."""
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
    """How many labelled articles the style scores put with their own source type."""
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
        undecided = int((s["predicted_source_type"].astype(str)[labelled] == "undetermined").sum())
        held = (f" For {undecided:,} it makes no call (undetermined: too short, unlike what it learnt from, too "
                "unsure, or of a type it cannot tell in a new outlet; see each article's reason)." if undecided else "")
        return (f"For {hits:,} of {total:,} labelled articles{first}, the classifier predicts their own source "
                f"type.{held}")
    return (
        f"{hits:,} of {total:,} labelled articles{first} are most similar to their own source type "
        "(no classifier was trained: these are similarity scores)."
    )


def _reading_terms(result: AnalysisResult) -> str:
    """The top distinctive term of each source type."""
    terms = result.terms
    if terms is None or not len(terms):
        return f"No {group_words()} has enough articles for a list of distinctive terms."
    top = terms[terms["rank"] == 1].copy()
    top = top.iloc[sorted(range(len(top)), key=lambda i: group_key(str(top["source_type"].iloc[i])))]
    items = [
        f"{source_label(t)}: \u201c{term}\u201d (z {float(z):.1f})"
        for t, term, z in zip(top["source_type"], top["term"], top["z"])
    ]
    return f"The most distinctive term of each {group_words()}: " + "; ".join(items) + "." if items else ""


def _reading_similarity(result: AnalysisResult) -> str:
    """The most alike source type within, and the closest pair of different types."""
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
        parts.append(f"Articles are most alike within {source_label(a)} (mean similarity {v:.2f})")
    if between:
        v, a, b = max(between, key=lambda p: (p[0], type_key(p[1]), type_key(p[2])))
        parts.append(f"the closest pair of different types is {source_label(a)} and {source_label(b)} ({v:.2f})")
    return "; ".join(parts) + "."


def _reading_evaluation(result: AnalysisResult) -> str:
    """The classifier's macro F1 beside its two baselines."""
    e = result.evaluation_summary or {}
    if "macro_f1_classifier" not in e:
        return "No classifier was trained in this run, so there is nothing to evaluate."
    return (
        f"The classifier scores {float(e['macro_f1_classifier']):.2f} (macro F1, 1 is perfect) against "
        f"{float(e.get('macro_f1_tfidf_only', float('nan'))):.2f} for words alone and "
        f"{float(e.get('macro_f1_majority', float('nan'))):.2f} for always guessing the largest group; "
        "a high score can come from outlets' habits rather than the source type."
    )


# Chart name (``framing.report.legend.CHART_NAMES``) -> its reading.
_READINGS: dict[str, Callable[[AnalysisResult], str]] = {
    "rates_by_source_type": _reading_rates,
    "dimensions_heatmap": _reading_heatmap,
    "style_scores": _reading_styles,
    "distinctive_terms": _reading_terms,
    "similarity": _reading_similarity,
    "evaluation": _reading_evaluation,
}
