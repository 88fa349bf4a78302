"""The paragraph "Why this score": the classifier's reasons for an article (report.csv's ``why``) in plain words.

A ``why`` cell lists the features that pushed the article most towards its
predicted type, ``<feature> <push>`` separated by ``;``. A feature is a word
(``said``), a category's rate (``rate style.attribution``) or a typography
feature (``typography em_dash``, named in ``framing.schema.TYPOGRAPHY_FEATURES``);
each is said the way a reader would: the word "said", how often it uses
*Attribution & sourcing* words, its em dashes (—).
"""

from __future__ import annotations

from collections.abc import Mapping

from ...schema import TYPOGRAPHY_FEATURES
from .escape import cell_text, html_text, source_label

__all__ = ["undetermined_reason", "why_this_score"]


def _typography_words(name: str, char: str) -> str:
    """``"em_dash"`` -> ``"em dashes (—)"``; ``"bracket_open"`` -> ``"opening brackets ([)"``."""
    words = name.split("_")
    lead = ""
    if words[-1] in ("open", "close"):
        lead = "opening " if words.pop() == "open" else "closing "
    last = words[-1]
    words[-1] = last + ("es" if last.endswith(("sh", "s")) else "s")
    return f"{lead}{' '.join(words)} ({char})"


# Feature name -> the words for it; the ones the rule above would get wrong are written out.
_TYPOGRAPHY_WORDS = {name: _typography_words(name, char) for name, char in TYPOGRAPHY_FEATURES.items() if char}
_TYPOGRAPHY_WORDS.update({
    "line_break": "line breaks",
    "upper_case_letters": "upper-case letters",
    "words_per_sentence": "sentence length (words per sentence)",
    "ellipsis": "ellipses (\u2026)",
    "parenthesis_open": "opening parentheses",
    "parenthesis_close": "closing parentheses",
})  # fmt: skip


def undetermined_reason(row: Mapping[str, object]) -> str:
    """Why the article of this ``scores`` row is ``undetermined`` (its ``why_undetermined``); "" when it got a call."""
    if row.get("predicted_source_type") != "undetermined":
        return ""
    return cell_text(row.get("why_undetermined")).strip()


def why_this_score(row: Mapping[str, object], categories: Mapping[tuple[str, str], object]) -> list[str]:
    """The paragraph "Why this score" of one article: its ``why`` cell in plain words ([] when there is nothing to say).

    ``row``: the article's row of ``scores`` (``why``, ``predicted_source_type``);
    ``categories``: ``(lexicon, category id)`` -> the category (its ``label``
    names a rate). Without a ``why`` (no classifier was trained), the
    paragraph says what the predicted type is instead.
    """
    why = cell_text(row.get("why")).strip()
    predicted = source_label(row.get("predicted_source_type"))
    if not why:
        if not predicted:
            return []
        return [
            ('<p class="why"><strong>Why this score.</strong> No classifier was trained in this run, so the '
            f"predicted type ({html_text(predicted)}) is only the source type whose articles this one "
            "resembles most in its words and style rates.</p>\n")
        ]
    items = [_reason(part.strip(), categories) for part in why.split(";")]
    reason = undetermined_reason(row)
    if reason:
        return [
            f'<p class="why"><strong>Why this score.</strong> The classifier makes no call for this article: '
            f"{html_text(reason)}. Its most probable type was pushed there mostly by: " + "; ".join(items)
            + ". These say what the model noticed, not who wrote the article.</p>\n"
        ]
    return [
        f'<p class="why"><strong>Why this score.</strong> The classifier put this article nearest to '
        f"<em>{html_text(predicted)}</em> mostly because of: " + "; ".join(items) + ". The numbers are each "
        "feature's push towards that type in the model; they say what the model noticed, not who "
        "wrote the article.</p>\n"
    ]


def _reason(part: str, categories: Mapping[tuple[str, str], object]) -> str:
    """One ``<feature> <push>`` of a ``why`` cell, as HTML."""
    feature, _, value = part.rpartition(" ")
    if not feature:
        feature, value = part, ""
    if feature.startswith("rate "):
        col = feature[5:]
        lex, _, cat = col.partition(".")
        name = getattr(categories.get((lex, cat)), "label", "") or col
        return f"how often it uses <em>{html_text(name)}</em> words (rate of <code>{html_text(col)}</code>, {html_text(value)})"
    if feature.startswith("typography "):
        key = feature[11:]
        return f"its typography: {html_text(_TYPOGRAPHY_WORDS.get(key, key.replace('_', ' ')))} ({html_text(value)})"
    return f"the word \u201c{html_text(feature)}\u201d ({html_text(value)})"
