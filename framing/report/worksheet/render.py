"""``render_worksheet``: both pages of a worksheet from an analysis, the chosen articles and what to hide."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from ...result import AnalysisResult
from .evidence import Referent, Words, counted, frames, referents
from .key import key_page
from .mask import Hide, mask_text
from .select import Choice
from .sheet import worksheet_page

__all__ = ["Worksheet", "render_worksheet"]

N_EXAMPLES = 2  # words shown to students per label: enough to recognise it, too few to answer the task for them


@dataclass(frozen=True)
class Worksheet:
    """The two pages, and which articles they show.

    ``ids``: the article ids in letter order (A first); ``n_candidates``:
    the articles with text the letters were drawn from.
    """

    worksheet: bytes
    answer_key: bytes
    ids: tuple[str, ...]
    n_candidates: int


def render_worksheet(result: AnalysisResult, choice: Choice, *, hide: Hide) -> Worksheet:
    """Render a classroom worksheet and its answer key.

    Parameters
    ----------
    result : AnalysisResult
        What ``framing.analyze(..., keep_texts=None)`` returned; the key
        reads ``result.matches`` and ``result.scores``.
    choice : Choice
        The articles and their letters (``choose_articles(result, seed=..., max_articles=...)``).
    hide : callable
        A text -> the ``[start, end)`` spans of it to hide from students
        (sorted, disjoint); in the ``framing worksheet`` command,
        ``framing.analysis.mask.ReaderMask.for_outlets(...).spans`` of the
        chosen articles' outlets. Everything a student sees goes through it.

    Returns
    -------
    Worksheet
        The bytes of ``worksheet.html`` and ``answer_key.html`` (UTF-8), and
        the ids shown. The same result, choice and mask always give the same bytes.

    Examples
    --------
    >>> from framing.analysis.mask import ReaderMask                                # doctest: +SKIP
    >>> choice = choose_articles(result, seed=3)                                    # doctest: +SKIP
    >>> hide = ReaderMask.for_outlets(a.outlet for a in choice.articles).spans      # doctest: +SKIP
    >>> render_worksheet(result, choice, hide=hide).worksheet[:15]                  # doctest: +SKIP
    b'<!DOCTYPE html>'
    """
    found = counted(result, set(choice.ids))
    present = [r for r in referents(result) if any(k in found.get(i, {}) for i in choice.ids for k, _ in r.options)]
    examples = _examples(present, found, choice.ids)
    # The examples are shown to students: the masking applies to them too.
    examples = {k: [mask_text(w, hide(w)) for w in ws] for k, ws in examples.items()}
    marked = frames(result)
    return Worksheet(
        worksheet=worksheet_page(choice, hide, present, examples, marked),
        answer_key=key_page(result, choice, hide, present, found, marked),
        ids=choice.ids,
        n_candidates=choice.n_candidates,
    )


def _examples(
    present: Sequence[Referent], found: Mapping[str, Mapping[tuple[str, str], Words]], ids: Sequence[str]
) -> dict[tuple[str, str], list[str]]:
    """Per label of each contested thing: the words the shown articles use for it most, ``N_EXAMPLES`` of them."""
    examples: dict[tuple[str, str], list[str]] = {}
    for r in present:
        for key, _ in r.options:
            totals: dict[str, int] = {}
            for i in ids:
                w = found.get(i, {}).get(key)
                for word, n, _ in (w.words if w else ()):
                    totals[word] = totals.get(word, 0) + n
            examples[key] = sorted(totals, key=lambda t: (-totals[t], t))[:N_EXAMPLES]
    return examples
