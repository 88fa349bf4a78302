"""Which articles a worksheet shows, in which order, under which letters.

The order is a seeded shuffle that depends only on the seed and each
article's id (``shuffle_ids``), so the same corpus and seed give the same
worksheet, and adding an article to the corpus never reorders the others.
The choice comes first and on its own because what is hidden from students
depends on it: every shown article's outlet is hidden in all of them.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass

from ...errors import InputError
from ...result import AnalysisResult
from ...types import Article

__all__ = ["DEFAULT_ARTICLES", "Choice", "check_seed", "choose_articles", "letters", "shuffle_ids"]

DEFAULT_ARTICLES = 6  # a class period's worth of reading


@dataclass(frozen=True)
class Choice:
    """The articles of a worksheet: ``letters[i]`` names ``articles[i]``.

    ``seed``: the seed of the order; ``n_candidates``: the articles with
    text the letters were drawn from; ``n_blank``: those left out for having
    no text.
    """

    seed: int
    letters: tuple[str, ...]
    articles: tuple[Article, ...]
    n_candidates: int
    n_blank: int

    @property
    def ids(self) -> tuple[str, ...]:
        """The article ids in letter order (A first)."""
        return tuple(a.id for a in self.articles)

    @property
    def lettered(self) -> list[tuple[str, Article]]:
        """``(letter, article)`` pairs, A first."""
        return list(zip(self.letters, self.articles))


def check_seed(seed: object) -> None:
    """Raise ``InputError`` unless ``seed`` is a whole number of at least 0."""
    if isinstance(seed, bool) or not isinstance(seed, int) or seed < 0:
        raise InputError(f"seed must be a whole number of at least 0, got {seed!r}")


def shuffle_ids(ids: Iterable[str], seed: int) -> list[str]:
    """``ids`` in the seeded order of the worksheet.

    Each id is ranked by the SHA-256 of the seed and the id, not by a random
    generator: the order is the same on every Python and platform, and an
    article added to the corpus takes its place without moving the others.

    >>> shuffle_ids(["a", "b", "c"], 0) == shuffle_ids(["c", "b", "a"], 0)
    True
    """
    check_seed(seed)

    def rank(article_id: str) -> tuple[bytes, str]:
        # surrogatepass: an id from a file name that is not UTF-8 still has bytes
        data = f"{seed}\0{article_id}".encode("utf-8", "surrogatepass")
        return hashlib.sha256(data).digest(), article_id

    return sorted(ids, key=rank)


def letters(n: int) -> list[str]:
    """The first ``n`` letters: ``A`` ... ``Z``, then ``AA``, ``AB`` ... as spreadsheets count."""
    out = []
    for i in range(n):
        name, k = "", i + 1
        while k:
            k, r = divmod(k - 1, 26)
            name = chr(ord("A") + r) + name
        out.append(name)
    return out


def choose_articles(
    result: AnalysisResult, *, seed: int = 0, max_articles: int = DEFAULT_ARTICLES, story: str | None = None,
) -> Choice:
    """The first ``max_articles`` articles with text of the shuffle with ``seed``, lettered A, B, C ...

    Parameters
    ----------
    result : AnalysisResult
        What ``framing.analyze(..., keep_texts=None)`` returned: the letters
        are drawn from ``result.articles`` (the articles whose text the
        result kept).
    seed : int, default 0
        Seeds the order of the articles (``shuffle_ids``); 0 or more.
    max_articles : int, default 6
        At most this many articles, the first of the shuffle; 1 or more.
    story : str, optional
        Only the articles of this story (a ``story_id`` of the result, or
        ``"largest"``: the story of the most articles, its first in
        ``result.stories``): one event in several versions, to compare
        how each told it.

    Raises
    ------
    InputError
        If ``seed`` or ``max_articles`` is out of range, no article has text,
        or ``story`` is not a story of two or more articles with text.
    """
    check_seed(seed)
    if isinstance(max_articles, bool) or not isinstance(max_articles, int) or max_articles < 1:
        raise InputError(f"max_articles must be a whole number of at least 1, got {max_articles!r}")
    articles = result.articles if story is None else _story_articles(result, story)
    with_text = {a.id: a for a in articles if a.text.strip()}
    n_blank = len({a.id for a in articles}) - len(with_text)
    if story is not None and len(with_text) < 2:
        raise InputError(f"story {story!r} has {len(with_text)} article with text; a worksheet from a story needs "
                         "two or more (stories.csv lists the stories)", argument="story")
    if not with_text:
        raise InputError("no article with text to put on a worksheet")
    order = shuffle_ids(with_text, seed)[:max_articles]
    return Choice(
        seed=seed, letters=tuple(letters(len(order))), articles=tuple(with_text[i] for i in order),
        n_candidates=len(with_text), n_blank=n_blank,
    )


def _story_articles(result: AnalysisResult, story: str) -> list[Article]:
    """The articles of ``story`` (a story id, or ``"largest"``) among those the result kept."""
    if result.stories is None:
        raise InputError("the run found no stories (stories off): a worksheet from a story needs them",
                         argument="story")
    if story == "largest":
        if not len(result.stories):
            raise InputError("no two articles tell the same story: no story for a worksheet", argument="story")
        story = str(result.stories["story_id"].iloc[0])
    known = set(result.story_of.values())
    if story not in known:
        raise InputError(f"no story {story!r} in this corpus (stories are s1, s2, ...: see stories.csv)",
                         argument="story")
    return [a for a in result.articles if result.story_of.get(a.id) == story]
