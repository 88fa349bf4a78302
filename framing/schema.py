"""The columns of every table ``framing analyze`` writes, and their types: one home.

The engine builds the tables in these columns, the writer types them for
Parquet, ``framing.dask`` reads them back into DataFrames, and a test holds
docs/outputs.md to them. What each column means, its unit and its limits are
in docs/outputs.md.

``report.csv`` has fixed columns and families that depend on the run's
lexicons and source types; ``report_columns`` puts them in their order.
Every column of a table that is neither an integer nor a text column holds
floats (an empty cell is a missing value).
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from collections.abc import Sequence

__all__ = [
    "COMPARISON_COLUMNS", "EVALUATION_COLUMNS", "INT_COLUMNS", "LABEL_COLUMNS", "LABEL_EVALUATION_COLUMNS",
    "LABEL_INT_COLUMNS", "MATCHES_COLUMNS",
    "REPORT_COUNTS", "REPORT_HEAD", "REPORT_TAIL", "STORY_COLUMN", "SUMMARY_COLUMNS", "TERMS_COLUMNS", "TEXT_COLUMNS",
    "TYPOGRAPHY_FEATURES", "column_piece", "model_columns", "negated_columns", "oof_columns", "quote_columns",
    "report_columns", "text_columns",
]

# report.csv: one row per article, in id order.
REPORT_HEAD = ("article_id", "title", "outlet", "source_type")
REPORT_COUNTS = ("n_tokens", "n_sentences", "n_masked")
REPORT_TAIL = ("predicted_source_type", "why_undetermined", "why", "top_terms", "top_evidence")
STORY_COLUMN = "story_id"  # report.csv's last column with stories (--stories auto): s1, s2, ...

# The typography features the classifier reads (``framing.analysis.typography`` counts them), which
# report.csv's ``why`` column names as ``typography <name>``: name -> the character it counts, in column
# order. The last two count no single character ("").
TYPOGRAPHY_FEATURES: dict[str, str] = {
    "em_dash": "\u2014",
    "en_dash": "\u2013",
    "hyphen": "-",
    "straight_double_quote": '"',
    "curly_double_quote_open": "\u201c",
    "curly_double_quote_close": "\u201d",
    "straight_single_quote": "'",
    "curly_single_quote_open": "\u2018",
    "curly_single_quote_close": "\u2019",
    "semicolon": ";",
    "colon": ":",
    "parenthesis_open": "(",
    "parenthesis_close": ")",
    "question_mark": "?",
    "exclamation_mark": "!",
    "comma": ",",
    "full_stop": ".",
    "ellipsis": "\u2026",
    "bracket_open": "[",
    "bracket_close": "]",
    "slash": "/",
    "ampersand": "&",
    "percent_sign": "%",
    "dollar_sign": "$",
    "line_break": "\n",
    "upper_case_letters": "",
    "words_per_sentence": "",
}


def report_columns(
    rate_columns: Sequence[str], groups: Sequence[str], negated: Sequence[str], style_groups: Sequence[str] | None = None,
    model: Sequence[str] = (), story: bool = False,
) -> list[str]:
    """``report.csv``'s columns, in order, for these rate columns, labelled groups and negation rules.

    ``rate_columns``: ``<lexicon>.<category>`` of every category;
    ``groups``: the labelled source types present (``sim_<type>``, and
    ``style_<type>`` unless ``style_groups`` names others: a saved model's
    classes); ``negated``: the rate columns whose category has a negation
    rule (``<column>.negated``); ``model``: an applied label model's columns
    (``model_columns``), last but for ``story_id`` (``story``: the run found stories).
    """
    styles = groups if style_groups is None else style_groups
    return [
        *REPORT_HEAD, *REPORT_COUNTS, *rate_columns, *(f"sim_{g}" for g in groups), *(f"style_{g}" for g in styles),
        *REPORT_TAIL, *quote_columns(rate_columns), *negated_columns(negated), *model,
        *((STORY_COLUMN,) if story else ()),
    ]


MAX_PIECE = 64  # characters of a label or class in a column name: a header cell, not a text
_UNSAFE = re.compile(r"[^\w]+")  # anything but letters, digits and "_" (in any script)


def column_piece(value: str) -> str:
    """``value`` (a label column's name or one of its values, from the user's data) as a piece of a column name.

    NFC-normalised, each run of characters other than letters, digits and
    ``_`` replaced by ``_``, at most ``MAX_PIECE`` characters; ``_`` for
    nothing left. So the piece has no dot (the column names stay
    ``model.<label>.<what>``), no comma, quote or line break for CSV, and
    cannot start a spreadsheet formula (it never starts a column name).
    """
    piece = _UNSAFE.sub("_", unicodedata.normalize("NFC", value))[:MAX_PIECE]
    return piece or "_"


def model_columns(label: str, classes: Sequence[str]) -> list[str]:
    """An applied label model's columns of ``report.csv``, last in it.

    ``model.<label>`` (the called class, or ``undetermined``),
    ``model.<label>.why_undetermined``, and ``model.<label>.p_<class>`` per
    class, in ``classes`` order. ``<label>`` and ``<class>`` are
    ``column_piece``s; two classes of one piece get ``_2``, ``_3``... in
    order, so every column is named once.
    """
    head = f"model.{column_piece(label)}"
    used: set[str] = set()
    probs = []
    for c in classes:
        piece = base = column_piece(c)
        k = 1
        while piece in used:
            k += 1
            piece = f"{base}_{k}"
        used.add(piece)
        probs.append(f"{head}.p_{piece}")
    return [head, f"{head}.why_undetermined", *probs]


_MODEL_CALL = re.compile(r"model\.\w+")


def text_columns(table: str, header: Sequence[str]) -> list[str]:
    """The text columns of ``table`` ("report" or "matches") with these columns; every other is a number.

    ``TEXT_COLUMNS``, and in a report an applied label model's call and
    reason: a column ``model.<label>`` followed by
    ``model.<label>.why_undetermined`` (the pair, not a name alone, so that a
    lexicon named ``model`` keeps its rate columns numbers).
    """
    text = [c for c in TEXT_COLUMNS[table] if c in header]
    if table == "report":
        for a, b in itertools.pairwise(header):
            if _MODEL_CALL.fullmatch(a) and b == f"{a}.why_undetermined":
                text += [a, b]
    return text


def quote_columns(rate_columns: Sequence[str]) -> list[str]:
    """The quote columns of ``report.csv``: ``quoted_share``, then ``<column>.own`` and ``<column>.quoted`` each."""
    return ["quoted_share", *(f"{c}.{side}" for c in rate_columns for side in ("own", "quoted"))]


def negated_columns(rate_columns: Sequence[str]) -> list[str]:
    """The negation columns of ``report.csv``: ``<column>.negated`` for each category with a negation rule."""
    return [f"{c}.negated" for c in rate_columns]


# matches.csv: the evidence ledger, one row per match, articles in id order.
MATCHES_COLUMNS = (
    "article_id", "sentence", "start", "end", "text", "lexicon", "category", "term", "weight", "quoted", "negated",
)

# summary.csv: per source type and category.
SUMMARY_COLUMNS = (
    "source_type", "lexicon", "category", "n_articles", "n_outlets",
    "mean", "ci_low", "ci_high", "median", "outlet_balanced_mean", "mean_own", "mean_quoted", "n_articles_quoted",
    "caution",
)

# terms.csv: the distinctive terms of each source type.
TERMS_COLUMNS = (
    "source_type", "rank", "term", "z", "log_odds", "se", "count_in", "count_out", "per_10k_in", "per_10k_out",
    "docs_in", "docs_out", "n_articles_in", "n_articles_out",
)

# comparisons.csv: per category and pair of source types.
COMPARISON_COLUMNS = (
    "lexicon", "category", "group_a", "group_b", "n_articles_a", "n_articles_b", "n_outlets_a", "n_outlets_b",
    "mean_a", "mean_b", "difference", "cliffs_delta", "p_value", "p_adjusted", "significant",
    "top_term", "top_term_share", "caution",
)

# evaluation.csv: the classifier's cross-validated scores beside two baselines.
EVALUATION_COLUMNS = (
    "model", "metric", "true_type", "predicted_type", "at", "value", "folds", "n_folds", "n_articles",
)

# A label model's evaluation (framing model train --label): per class, beside the lexicon rate and the majority.
LABEL_EVALUATION_COLUMNS = ("label", "model", "metric", "class", "value", "column", "folds", "n_folds", "n_articles")


def oof_columns(classes: Sequence[str]) -> list[str]:
    """A label model's out-of-fold table: ``id``, ``label`` (the article's value), ``p_<class>`` per class."""
    return ["id", "label", *(f"p_{c}" for c in classes)]


# labels.csv: which label each article and source type used for a contested referent.
LABEL_COLUMNS = (
    "scope", "referent", "lexicon", "category", "label", "side", "source_type", "article_id", "outlet",
    "count", "quoted", "negated", "articles_using", "articles_in_group", "excerpt", "matched", "matched_at",
)  # fmt: skip
LABEL_INT_COLUMNS = ("count", "quoted", "negated", "articles_using")

# The two tables that may be written as Parquet: their integer and text columns (the rest are floats).
INT_COLUMNS = {"report": REPORT_COUNTS, "matches": ("sentence", "start", "end", "quoted", "negated")}
TEXT_COLUMNS = {
    "report": (*REPORT_HEAD, *REPORT_TAIL, STORY_COLUMN),
    "matches": ("article_id", "text", "lexicon", "category", "term"),
}
