"""The plain records that flow through framing: articles and source types.

Source types have one home: their order (tables, charts and the page list
them in it) and their names for people are here. No behaviour beyond that
lives here; every stage imports these, and these import nothing of framing's.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

__all__ = [
    "LABELLED_TYPES", "PLAIN_TYPE_LABELS", "SOURCE_TYPES", "TYPE_DESCRIPTIONS", "TYPE_LABELS", "Article", "LabelColumn",
    "Progress",
    "type_key", "type_label",
]

# In this order everywhere: tables, charts and the page.
SOURCE_TYPES = ("state_media", "wire", "mainstream", "independent_commentary", "unknown")
LABELLED_TYPES = SOURCE_TYPES[:4]
TYPE_LABELS = {
    "state_media": "State media",
    "wire": "Wire",
    "mainstream": "Mainstream news",
    "independent_commentary": "Independent commentary",
    "unknown": "Unknown / unlabelled",
    "undetermined": "Undetermined",
}
# For readers new to the terms (the classroom worksheet's students): the labelled types' names without
# newsroom shorthand ("Wire" alone says nothing to a student), and what each is, in one sentence.
PLAIN_TYPE_LABELS = {**TYPE_LABELS, "wire": "Wire agency"}
TYPE_DESCRIPTIONS = {
    "state_media": "a news outlet owned or funded, and steered, by a government.",
    "wire": "a news agency that sells short, factual reports to many other outlets.",
    "mainstream": (
        "a newspaper, broadcaster or news site that reports the news itself: neither a wire agency, nor steered by "
        "a government, nor one person's commentary."
    ),
    "independent_commentary": (
        "a newsletter, blog or opinion piece by a person or a small group, often arguing a point of view."
    ),
}


def type_key(source_type: str) -> tuple[int, str]:
    """Sort key: the fixed order of ``SOURCE_TYPES``, then any other type by name."""
    t = str(source_type)
    return (SOURCE_TYPES.index(t), "") if t in SOURCE_TYPES else (len(SOURCE_TYPES), t)


def type_label(source_type: object) -> str:
    """A source type for people: ``"state_media"`` -> ``"State media"``."""
    t = "" if source_type is None else str(source_type)
    return TYPE_LABELS.get(t, t)


@dataclass(frozen=True)
class Article:
    """One article: its text and what the manifest says about it."""

    id: str
    text: str
    outlet: str = ""
    source_type: str = "unknown"
    title: str = ""
    date: str = ""
    url: str = ""
    source: str = ""  # where it was read from, for warnings


@dataclass(frozen=True)
class LabelColumn:
    """A column of the corpus to train a model of (``framing model train --label``): its values, by article id.

    Read at the edge (``framing.corpus.labels``) beside the articles, not in
    them: an article with no value here is not trained on.
    """

    name: str
    values: Mapping[str, str]  # article id -> its value (non-empty)


# How a long run reports where it is: ``progress(stage, done, total)``; ``total`` is ``None`` while unknown.
# The engine, the workbench and the writer call it; the CLI's progress display is one.
Progress = Callable[[str, int, "int | None"], None]
