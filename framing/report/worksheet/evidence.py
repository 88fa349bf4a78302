"""What the tool found in the shown articles, shaped for the tasks: counted words, contested things, task categories.

Which categories serve which task is the lexicons' own metadata, read
through ``Category.extra`` (lexicons/README.md documents the keys):

* ``classroom: attribution`` / ``classroom: loaded`` mark the categories
  behind the tasks "Attributions" and "Loaded words" (the built-in
  ``style.attribution`` and ``style.evaluative_language``);
* ``classroom: frame`` marks the frames students choose from in the task
  "Frames" (the built-in ``news_frames`` categories); the key gives each
  article's marked frames with the highest rates (``top_frames``);
* the categories of a ``role: labels`` lexicon that share a ``referent``
  are the rival labels of one contested thing, named for students by their
  ``referent_label`` (built-in: "The war in Ukraine"), or else by the words
  their labels share.
"""

from __future__ import annotations

import math
import re
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass

from ...result import AnalysisResult

__all__ = [
    "FRAME", "TASKS", "TOP_FRAMES", "Frame", "Referent", "Words", "counted", "frames", "referents", "short_labels",
    "student_description", "task_categories", "top_frames",
]

# The tasks whose evidence is a category the lexicons mark: ``classroom`` value -> the task's name in the key.
TASKS = {"attribution": "Attributions", "loaded": "Loaded words"}
# The ``classroom`` value of the frames of the task "Frames": its evidence is a ranking by rate, not a list per category.
FRAME = "frame"
TOP_FRAMES = 3  # frames the key gives per article: the tool's reading, not a list to copy


@dataclass(frozen=True)
class Words:
    """One category's counted matches in one article: (word, count, of them in quotes), most first."""

    label: str
    words: tuple[tuple[str, int, int], ...]

    @property
    def total(self) -> int:
        """All counted matches of the category in the article."""
        return sum(n for _, n, _ in self.words)


@dataclass(frozen=True)
class Referent:
    """A contested thing: its name for students, and its categories as (key, short label), in lexicon order."""

    key: str
    name: str
    options: tuple[tuple[tuple[str, str], str], ...]


def counted(result: AnalysisResult, ids: Collection[str]) -> dict[str, dict[tuple[str, str], Words]]:
    """Per article id, per (lexicon, category): the counted matches (negated ones do not count)."""
    m = result.matches
    labels = {(lx.name, c.id): c.label for lx in result.lexicons for c in lx.categories}
    if not len(m):
        return {}
    m = m[m["article_id"].astype(str).isin(set(ids))]
    if "negated" in m.columns:
        m = m[m["negated"].fillna(0).astype(int) == 0]
    quoted = m["quoted"].fillna(0).astype(int).tolist() if "quoted" in m.columns else [0] * len(m)
    tally: dict[str, dict[tuple[str, str], dict[str, list[int]]]] = {}
    for aid, lex, cat, word, q in zip(m["article_id"].astype(str), m["lexicon"].astype(str),
                                      m["category"].astype(str), m["text"].astype(str), quoted):
        # The words as the text has them, lower-cased and on one line: what a student would circle.
        key = " ".join(word.lower().split())
        counts = tally.setdefault(aid, {}).setdefault((lex, cat), {}).setdefault(key, [0, 0])
        counts[0] += 1
        counts[1] += 1 if q else 0
    out: dict[str, dict[tuple[str, str], Words]] = {}
    for aid, cats in tally.items():
        out[aid] = {
            k: Words(labels.get(k, k[1]), tuple(sorted(((w, n, q) for w, (n, q) in words.items()),
                                                       key=lambda t: (-t[1], t[0]))))
            for k, words in cats.items()
        }
    return out


def task_categories(result: AnalysisResult) -> dict[str, list[tuple[tuple[str, str], str]]]:
    """Per task of ``TASKS``: the ((lexicon, category), label) its lexicons mark for it, in lexicon order."""
    out: dict[str, list[tuple[tuple[str, str], str]]] = {task: [] for task in TASKS}
    for lx in result.lexicons:
        for c in lx.categories:
            task = dict(c.extra).get("classroom", "")
            if task in out:
                out[task].append(((lx.name, c.id), c.label))
    return out


@dataclass(frozen=True)
class Frame:
    """A frame students may name: its (lexicon, category), its label, and its description for students."""

    key: tuple[str, str]
    label: str
    description: str

    @property
    def column(self) -> str:
        """Its column in ``result.scores``: ``<lexicon>.<category>``, the rate per 1,000 words."""
        return f"{self.key[0]}.{self.key[1]}"


# A description's closing parenthesis, where the built-in lexicons cite the frame's source:
# "(Policy Frames Codebook 1; ...)" tells the teacher something, a student nothing.
_SOURCE_NOTE = re.compile(r"\s*\([^()]*\)(?=[.]?$)")


def student_description(text: str) -> str:
    """A category's description on one line, without a closing parenthesis (the source it cites).

    "Costs and money (Policy Frames Codebook 1)." -> "Costs and money."
    """
    line = " ".join(text.split())
    short = _SOURCE_NOTE.sub("", line)
    return short if short.strip(" .") else line


def frames(result: AnalysisResult) -> list[Frame]:
    """The categories the lexicons mark ``classroom: frame``, in lexicon order."""
    return [Frame((lx.name, c.id), c.label, student_description(c.description))
            for lx in result.lexicons for c in lx.categories if dict(c.extra).get("classroom") == FRAME]


def top_frames(row: Mapping[str, object], marked: Sequence[Frame], n: int = TOP_FRAMES) -> list[tuple[Frame, float]]:
    """One article's ``n`` marked frames with the highest rates above 0, highest first (ties: lexicon order).

    ``row``: the article's row of ``result.scores`` (a frame without a
    finite rate there is left out).
    """
    rated = []
    for i, f in enumerate(marked):
        try:
            rate = float(row.get(f.column))  # type: ignore[arg-type]
        except (TypeError, ValueError):
            continue
        if math.isfinite(rate) and rate > 0:
            rated.append((-rate, i, f))
    return [(f, -neg) for neg, _, f in sorted(rated)[:n]]


def short_labels(labels: Sequence[str]) -> tuple[list[str], str]:
    """The labels of one referent's categories without the words they share, and those words.

    "Ukraine war as invasion", "Ukraine war as conflict / special operation"
    -> ["invasion", "conflict / special operation"], "Ukraine war".
    """
    split = [lab.split() for lab in labels]
    n = 0
    while len(split) > 1 and all(len(s) > n + 1 for s in split) and len({s[n] for s in split}) == 1:
        n += 1
    if n == 0:
        return list(labels), ""
    shared = split[0][:n]
    rest = []
    for s in split:
        words = s[n:]
        if words[0] == "as" and len(words) > 1:  # "Sanctions as illegitimate"
            words = words[1:]
        rest.append(" ".join(words).removeprefix("(").removesuffix(")"))  # "Sanctions (plain)"
    if shared[-1] == "as" and len(shared) > 1:  # "Ukraine war as ...": the thing is "Ukraine war"
        shared = shared[:-1]
    return rest, " ".join(shared)


def referents(result: AnalysisResult) -> list[Referent]:
    """The referents of every ``labels`` lexicon of the run, in lexicon order."""
    groups: dict[tuple[str, str], list[tuple[tuple[str, str], str]]] = {}
    given: dict[tuple[str, str], str] = {}  # the first referent_label of each referent's categories
    for lx in result.lexicons:
        if lx.role != "labels":
            continue
        for c in lx.categories:
            extra = dict(c.extra)
            ref = extra.get("referent") or c.id
            groups.setdefault((lx.name, ref), []).append(((lx.name, c.id), c.label))
            if extra.get("referent_label"):
                given.setdefault((lx.name, ref), extra["referent_label"])
    out = []
    for (lex, ref), cats in groups.items():
        short, shared = short_labels([label for _, label in cats])
        name = given.get((lex, ref)) or shared or ref.replace("_", " ").capitalize()
        out.append(Referent(f"{lex}.{ref}", name, tuple((k, s) for (k, _), s in zip(cats, short))))
    return out
