"""The sections "Over time", "Names over time" and "Before and after": the framing of any grouping, period by period.

They read the engine's tables (a timeline with a row per group x period x
category, a before/after table with a row per group x category) and the
caller's order, labels and title of the groups; none derives a figure. The
group values are input (outlet names, leans): every one is escaped where it
meets markup, as are periods, labels, cautions and the split date.

The tables leave out the periods in which no group has an article (a few
stray old dates can make the timeline start years early), with a row where
they were and a sentence counting them; timeline.csv keeps every period.

A cell of fewer than ``MIN_GROUP_ARTICLES`` articles has the class ``thin``, a
``title`` saying why and a visible ``◦`` (the chart's hollow marker), so the
page reads the same without its style sheet.
"""

from __future__ import annotations

import base64
from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from ...defaults import MIN_GROUP_ARTICLES
from ...english import plural
from ..charts.timeline import CHART_LABEL, MAX_GROUPS_SHOWN, group_totals, groups_shown, period_order
from .escape import cell_text, html_attr, html_text, number, whole_number
from .sections import PNG_SIGNATURE

__all__ = [
    "MAX_PERIOD_ROWS", "MAX_TABLE_GROUPS", "THIN_MARK", "before_after_section", "label_shares_section",
    "timeline_section",
]

MAX_PERIOD_ROWS = 60  # rows of a per-period table; past it the first and last half are shown, the middle counted
MAX_TABLE_GROUPS = 20  # group columns of the articles table (the most articles); a wider table is not read
THIN_MARK = "\u25e6"  # ◦, the chart's hollow marker
_THIN_TITLE = (f"Fewer than {MIN_GROUP_ARTICLES} articles: this group's figure for this period rests on too "
               "few articles to read as a trend")
_EMPTY_TITLE = "No articles of this group in this period"


def _group_name(group: str, group_labels: Mapping[str, str]) -> str:
    return html_text(group_labels.get(group, group))


def _prepared(table: pd.DataFrame, group_column: str) -> pd.DataFrame:
    """``table`` with its group, period and ``lexicon.category`` column as text (``_group``, ``_period``, ``_column``)."""
    out = table.assign(_group=table[group_column].astype(str), _column=table["lexicon"].astype(str) + "."
                       + table["category"].astype(str))
    if "period" in table.columns:
        out["_period"] = table["period"].astype(str)
    return out


def _period_rows(periods: Sequence[str]) -> tuple[list[str], list[str], int]:
    """(first, last, left out): all periods up to ``MAX_PERIOD_ROWS``, else the first and last half of that."""
    if len(periods) <= MAX_PERIOD_ROWS:
        return list(periods), [], 0
    half = MAX_PERIOD_ROWS // 2
    return list(periods[:half]), list(periods[-half:]), len(periods) - 2 * half


def _gap_row(left_out: int, first: str, last: str, width: int) -> str:
    return (f'<tr class="gap"><td colspan="{width}">\u2026 {plural(left_out, "more period")}, '
            f"{html_text(first)} to {html_text(last)}, left out here</td></tr>\n")


def _count_cell(n: int) -> str:
    """A count of articles: thin cells marked (class, title, ◦), empty ones titled."""
    if n == 0:
        return f'<td class="n empty" title="{html_attr(_EMPTY_TITLE)}">0</td>'
    if n < MIN_GROUP_ARTICLES:
        return f'<td class="n thin" title="{html_attr(_THIN_TITLE)}">{whole_number(n)} {THIN_MARK}</td>'
    return f'<td class="n">{whole_number(n)}</td>'


def _image(image: bytes | None) -> str:
    """The chart as a ``data:`` image, or a note saying why there is none."""
    if image is None:
        return "<p>The chart was not drawn in this run.</p>\n"
    if not isinstance(image, (bytes, bytearray)) or not bytes(image).startswith(PNG_SIGNATURE):
        return "<p>The chart is left out: it is not a PNG image.</p>\n"
    encoded = base64.b64encode(bytes(image)).decode("ascii")
    return (f'<figure><img src="data:image/png;base64,{encoded}" alt="{html_attr(CHART_LABEL)}">'
            f"<figcaption>{html_text(CHART_LABEL)}</figcaption></figure>\n")


def timeline_section(
    timeline: pd.DataFrame,
    dimensions: Mapping[str, str],
    image: bytes | None,
    *,
    group_column: str,
    groups: Sequence[str],
    group_labels: Mapping[str, str],
    group_title: str,
    period: str,
    group_words: str | None = None,
) -> list[str]:
    """The section "Over time": how to read the chart, the chart, and the articles per period and group.

    ``timeline``: a row per group x period x category (``n_articles`` repeated
    on each category's row); ``dimensions``: the charted ``lexicon.category``
    columns -> labels; ``image``: the chart's PNG (``None``: not drawn);
    ``period``: the length of a period in words (``"month"``); ``group_words``:
    what a group is called in a sentence ("outlet"; the title in lower case
    without it). The table leaves out the periods in which no group has an
    article, and says how many (the CSV file has them all).
    """
    unit = html_text(period or "period")
    title = html_text(group_words or group_title.lower())
    parts = ['<section id="timeline">\n<h2>Over time</h2>\n']
    periods = period_order(timeline) if timeline is not None else []
    if not periods:
        return parts + [("<p>No dated articles: run with a date column to follow the framing over time.</p>\n"
                        "</section>\n")]
    present = set(timeline["lexicon"].astype(str) + "." + timeline["category"].astype(str))
    drawn = [html_text(label) for c, label in dimensions.items() if c in present]
    parts.append(
        f"<p>Each panel follows one framing dimension {unit} by {unit}, one line per {title}: the line is "
        f"the group's mean rate per 1,000 tokens in that {unit}, and the shaded band its 95 % interval, the "
        f"range the mean would likely fall in with other articles of the same outlets. Where two bands overlap, "
        f"the groups may not differ in that {unit}. A hollow marker is a {unit} with fewer than "
        f"{MIN_GROUP_ARTICLES} of the group's articles: read it as a handful of articles, not a trend. A gap "
        f"is a {unit} without articles. The strip below the panels, and the table, count the articles.</p>\n"
    )
    if drawn:
        parts.append(f'<p class="note">Dimensions: {", ".join(drawn)}.</p>\n')
    parts.append(_image(image))
    table = _prepared(timeline, group_column)
    shown, left_out = groups_shown(table, group_column, groups, MAX_TABLE_GROUPS)
    per = table.drop_duplicates(["_group", "_period"])
    counts = (per.pivot(index="_period", columns="_group", values="n_articles")
              .reindex(index=periods).fillna(0).astype(int))
    totals = counts.sum(axis=1)
    listed = [p for p in periods if int(totals[p]) > 0]
    parts.append(f'<div class="wrap"><table>\n<caption>Articles per {unit} and {title}</caption>\n'
                 f"<thead><tr><th>{unit.capitalize()}</th>")
    parts += [f'<th class="n">{_group_name(g, group_labels)}</th>' for g in shown]
    parts.append('<th class="n">All</th></tr></thead>\n<tbody>\n')
    for p, gap in _table_rows(periods, listed, unit, len(shown) + 2):
        if gap:
            parts.append(gap)
            continue
        row = counts.loc[p]
        parts.append(f'<tr><th class="n">{html_text(p)}</th>')
        parts += [_count_cell(int(row.get(g, 0))) for g in shown]
        parts.append(f'<td class="n">{whole_number(int(totals[p]))}</td></tr>\n')
    parts.append("</tbody></table></div>\n")
    if left_out:
        names = group_totals(table, group_column)
        rest = sum(names[g] for g in left_out)
        parts.append(f'<p class="note">{plural(len(left_out), "more group")} with fewer articles '
                     f"({plural(rest, 'article')} in all) are counted in <em>All</em> only.</p>\n")
    parts.append(f'<p class="note">{THIN_MARK} fewer than {MIN_GROUP_ARTICLES} articles: the chart draws '
                 f"these {unit}s as hollow markers.</p>\n")
    return parts + _empty_periods(periods, totals, unit) + ["</section>\n"]


def _empty_periods(periods: Sequence[str], totals: pd.Series, unit: str) -> list[str]:
    """The sentence on periods without any article (left out of the tables; the chart's lines break there)."""
    empty = [p for p in periods if int(totals[p]) == 0]
    if not empty:
        return [f"<p>Every {unit} from {html_text(periods[0])} to {html_text(periods[-1])} has articles.</p>\n"]
    named = ", ".join(html_text(p) for p in empty[:12]) + (", \u2026" if len(empty) > 12 else "")
    them = "it" if len(empty) == 1 else "them"
    return [(f"<p>{plural(len(empty), unit)} of {len(periods):,} without any article ({named}): left out of the "
             f"tables on this page (timeline.csv lists {them}); the chart has no point there and its lines break. "
             "A change across such a gap compares periods further apart than they look.</p>\n")]


def _period_totals(table: pd.DataFrame, periods: Sequence[str]) -> pd.Series:
    """Articles per period over every group (``table`` as ``_prepared`` gives it), in ``periods`` order."""
    per = table.drop_duplicates(["_group", "_period"])
    return per.groupby("_period")["n_articles"].sum().reindex(list(periods)).fillna(0)


def _table_rows(periods: Sequence[str], listed: Sequence[str], unit: str,
                width: int) -> list[tuple[str, str]]:
    """The rows of a per-period table: (period, "") for each period of ``listed`` (those with articles, up to
    ``MAX_PERIOD_ROWS``: else the first and last half, the middle counted), and ("", gap row) where periods of
    ``periods`` are left out: a run of periods without articles, or the middle of a long table."""
    first, last, skipped = _period_rows(listed)
    where = {p: i for i, p in enumerate(periods)}
    rows: list[tuple[str, str]] = []
    previous = None
    for k, p in enumerate(first + last):
        if skipped and k == len(first):
            rows.append(("", _gap_row(skipped, listed[len(first)], listed[-len(last) - 1], width)))
        elif previous is not None and where[p] - where[previous] > 1:
            empty = where[p] - where[previous] - 1
            rows.append(("", _empty_row(empty, periods[where[previous] + 1], periods[where[p] - 1], unit, width)))
        rows.append((p, ""))
        previous = p
    return rows


def _empty_row(n: int, first: str, last: str, unit: str, width: int) -> str:
    """The row that stands for ``n`` periods without any article, left out of a table."""
    span = html_text(first) if n == 1 else f"{html_text(first)} to {html_text(last)}"
    return (f'<tr class="gap"><td colspan="{width}">\u2026 {plural(n, unit)} without any article ({span}), '
            "left out here</td></tr>\n")


def label_shares_section(
    timeline: pd.DataFrame,
    label_columns: Mapping[str, tuple[str, str]],
    *,
    group_column: str,
    groups: Sequence[str],
    group_labels: Mapping[str, str],
    group_title: str,
    group_words: str | None = None,
    period: str = "",
) -> list[str]:
    """The section "Names over time": per referent, the share of each group's articles using each label, per period.

    ``label_columns``: ``lexicon.category`` -> (referent name, label text) for
    the categories of label lexicons, in display order. ``[]`` when the
    timeline has none of these columns. Periods in which no group has an
    article are left out, and counted (``period``: their length in words,
    ``"month"``).
    """
    if timeline is None or not len(timeline) or not label_columns:
        return []
    table = _prepared(timeline, group_column)
    present = set(table["_column"])
    columns = {c: (str(ref), str(label)) for c, (ref, label) in label_columns.items() if c in present}
    if not columns:
        return []
    periods = period_order(timeline)
    totals = _period_totals(table, periods)
    listed = [p for p in periods if totals[p] > 0]
    shown, left_out = groups_shown(table, group_column, groups, MAX_GROUPS_SHOWN)
    title = html_text(group_words or group_title.lower())
    unit = html_text(period or "period")
    empty = len(periods) - len(listed)
    parts = [
        '<section id="label-shares">\n<h2>Names over time</h2>\n',
        (f"<p>For each thing with two or more names, the share of each {title}'s articles of a period that "
         "use each name at least once (an article may use both). Hover over a cell for the counts. "
         f"{THIN_MARK} marks a period with fewer than {MIN_GROUP_ARTICLES} of the group's articles; a dash, "
         "one without articles.</p>\n"),
        *([(f'<p class="note">{plural(empty, unit)} without any article left out of the tables '
            f"(timeline.csv lists {'it' if empty == 1 else 'them'}).</p>\n")] if empty else []),
    ]
    if left_out:
        parts.append(f'<p class="note">The {plural(len(shown), "group")} with the most articles; '
                     f"{plural(len(left_out), 'more group')} left out.</p>\n")
    by_referent: dict[str, list[tuple[str, str]]] = {}
    for c, (ref, label) in columns.items():
        by_referent.setdefault(ref, []).append((c, label))
    for ref, labels in by_referent.items():
        parts += _shares_table(table, ref, labels, shown, group_labels, (periods, listed), unit)
    return parts + ["</section>\n"]


def _share_cell(row: pd.Series | None) -> str:
    """A share of articles as a percentage, the counts in its title; thin and empty cells marked."""
    n = 0 if row is None else int(np.nan_to_num(float(row["n_articles"])))
    if n == 0:
        return f'<td class="n empty" title="{html_attr(_EMPTY_TITLE)}">\u2014</td>'
    using = int(np.nan_to_num(float(row["articles_using"])))
    share = float(row["share_using"]) if pd.notna(row["share_using"]) else using / n
    counts = f"{using:,} of {plural(n, 'article')}"
    if n < MIN_GROUP_ARTICLES:
        return (f'<td class="n thin" title="{html_attr(counts + ". " + _THIN_TITLE)}">'
                f"{number(100 * share, 0)} % {THIN_MARK}</td>")
    return f'<td class="n" title="{html_attr(counts)}">{number(100 * share, 0)} %</td>'


def _shares_table(table: pd.DataFrame, ref: str, labels: Sequence[tuple[str, str]], shown: Sequence[str],
                  group_labels: Mapping[str, str], period_lists: tuple[Sequence[str], Sequence[str]],
                  unit: str) -> list[str]:
    """One referent's table: a column per group x label, a row per period with articles (``period_lists``:
    all periods and those with articles, in time order)."""
    periods, listed = period_lists
    heading = " or ".join(label for _, label in labels)
    rows = table[table["_column"].isin([c for c, _ in labels])].drop_duplicates(["_group", "_period", "_column"])
    cells = {(g, p, c): r for g, p, c, r in zip(rows["_group"], rows["_period"], rows["_column"],
                                                (r for _, r in rows.iterrows()))}
    parts = [
        f"<h3>{html_text(heading)}?</h3>\n<p class=\"note\">Referent <code>{html_text(ref)}</code>.</p>\n",
        '<div class="wrap"><table>\n<thead><tr><th rowspan="2">Period</th>',
        *(f'<th colspan="{len(labels)}">{_group_name(g, group_labels)}</th>' for g in shown),
        "</tr>\n<tr>",
        *(f'<th class="n">{html_text(label)}</th>' for _ in shown for _, label in labels),
        "</tr></thead>\n<tbody>\n",
    ]
    for p, gap in _table_rows(periods, listed, unit, 1 + len(shown) * len(labels)):
        if gap:
            parts.append(gap)
            continue
        parts.append(f'<tr><th class="n">{html_text(p)}</th>')
        parts += [_share_cell(cells.get((g, p, c))) for g in shown for c, _ in labels]
        parts.append("</tr>\n")
    return parts + ["</tbody></table></div>\n"]


def _significant(value: object) -> bool:
    """The table's ``significant`` cell: ``True`` or ``"yes"`` (as comparisons.csv writes it)."""
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    return cell_text(value).strip().lower() in ("yes", "true", "1")


def before_after_section(
    table: pd.DataFrame,
    dimensions: Mapping[str, str],
    *,
    group_column: str,
    groups: Sequence[str],
    group_labels: Mapping[str, str],
    group_title: str,
    split_date: str,
    group_words: str | None = None,
) -> list[str]:
    """The section "Before and after <date>": each group against itself, a row per group x dimension.

    ``table``: a row per group x ``lexicon.category`` (``mean_before``,
    ``mean_after``, ``difference`` with ``ci_low``/``ci_high``, ``p_adjusted``,
    ``significant``, ``caution``); rows of dimensions not in ``dimensions`` are
    left out; groups come in ``groups`` order, then any others sorted;
    ``group_words``: what a group is called in a sentence (the title in lower case without it).
    """
    date = html_text(split_date)
    title = html_text(group_title)
    one = html_text(group_words or group_title.lower())
    parts = [f'<section id="before-after">\n<h2>Before and after {date}</h2>\n']
    if table is None or not len(table):
        return parts + [(f"<p>No comparison before and after {date}: no group has articles on both sides.</p>\n"
                        "</section>\n")]
    rows = _prepared(table, group_column)
    rows = rows[rows["_column"].isin(list(dimensions))]
    listed = [str(g) for g in groups]
    order = list(dict.fromkeys(g for g in listed if g in set(rows["_group"])))
    order += sorted(set(rows["_group"]) - set(order))
    parts.append(
        f"<p>Each {one} is compared with itself: the mean rate per 1,000 tokens of its articles before "
        f"{date} against after it (the difference is after minus before, with its 95 % interval). The p-value "
        "comes from shuffling the before and after labels within each outlet, so an outlet that only "
        "wrote on one side cannot make the difference; it is adjusted for the number of comparisons in the "
        "table. \u2731 marks a difference the analysis calls significant. A caution says when a side has few "
        "articles or outlets.</p>\n"
    )
    if not len(rows):
        return parts + ["<p>None of the charted dimensions is in the comparison.</p>\n</section>\n"]
    parts.append(
        f'<div class="wrap"><table>\n<caption>Before and after {date}</caption>\n'
        f"<thead><tr><th>{title}</th><th>Dimension</th><th class=\"n\">Articles before</th>"
        '<th class="n">Articles after</th><th class="n">Mean before</th><th class="n">Mean after</th>'
        '<th class="n">Difference (95 % interval)</th><th class="n">p adjusted</th><th>Caution</th>'
        "</tr></thead>\n<tbody>\n"
    )
    for g in order:
        mine = rows[rows["_group"] == g].drop_duplicates("_column").set_index("_column")
        for c, label in dimensions.items():
            if c in mine.index:
                parts.append(_before_after_row(mine.loc[c], g, c, label, group_labels))
    return parts + ["</tbody></table></div>\n</section>\n"]


def _before_after_row(r: pd.Series, group: str, column: str, label: str, group_labels: Mapping[str, str]) -> str:
    significant = _significant(r.get("significant"))
    mark = " <strong>\u2731</strong>" if significant else ""
    caution = cell_text(r.get("caution"))
    outlets = [f"<br><small>{plural(int(r[k]), 'outlet')}</small>" if pd.notna(r.get(k)) else ""
               for k in ("n_outlets_before", "n_outlets_after")]
    row_class = ' class="significant"' if significant else ""
    caution_class = ' class="caution"' if caution else ""
    return (
        f"<tr{row_class}><th>{_group_name(group, group_labels)}</th>"
        f"<td>{html_text(label)}<br><small><code>{html_text(column)}</code></small></td>"
        f'<td class="n">{whole_number(r.get("n_before"))}{outlets[0]}</td>'
        f'<td class="n">{whole_number(r.get("n_after"))}{outlets[1]}</td>'
        f'<td class="n">{number(r.get("mean_before"))}</td><td class="n">{number(r.get("mean_after"))}</td>'
        f'<td class="n">{_signed(r.get("difference"))} ({_signed(r.get("ci_low"))} to {_signed(r.get("ci_high"))})'
        f"</td>"
        f'<td class="n">{number(r.get("p_adjusted"), 3)}{mark}</td>'
        f"<td{caution_class}>{html_text(caution)}</td></tr>\n"
    )


def _signed(value: object) -> str:
    """A difference with its sign (``+1.20``, ``\u22120.40``); missing: an em dash."""
    text = number(value)
    if text == "\u2014":
        return text
    return text.replace("-", "\u2212") if text.startswith("-") else f"+{text}" if float(value) > 0 else text
