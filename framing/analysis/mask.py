"""What gives an article's publisher away, found so that the features can leave it out.

A classifier or a list of distinctive terms that learns "reuters", "photo",
"getty" or "advertisement" learns who published an article, not how it is
written. Before counting terms (TF-IDF, distinctive terms, similarities),
framing masks, in every article:

* agency datelines and bylines: ``WASHINGTON (Reuters) -``, ``KYIV, Ukraine
  (AP) —``, any listed name in parentheses, credits ending ``via AP)``;
* photo credits and captions: ``REUTERS/Kevin Lamarque``, ``(Photo by X/Getty
  Images)``, lines that start ``FILE PHOTO``, ``Image caption``, ``Photo:``, ...;
* page furniture and credits: lines that are ``Advertisement``, ``Continue
  reading``, ``Reporting by ... ; Editing by ...``, ``Copyright ...``, ...;
* furniture inside a line, for pages that lost their line breaks (every BBC,
  AP, Reuters and RT text of statemedia_2022 is one line; the Guardian's
  paragraphs are joined by runs of spaces): the whole sentence around a
  phrase only furniture says (``contributed to this report``, the BBC's
  external-links notice and "Send your story ideas to ...", newsletter
  sign-ups, ``Follow X on Twitter``, ``Jane Doe is a reporter for ...``,
  ``CLICK HERE ...``, ``This article was produced by ...``); a caption that a
  photo credit closes (``... Aug. 16, 2022. <context>. (AP Photo/X)``); the
  Guardian's ``Photograph: X/AFP/Getty Images`` with its caption, ``Related:``
  and a lone ``Interactive``; a headline's kicker (Xinhua's ``Feature:``);
* URLs, e-mail addresses and @handles;
* the names in ``framing/data/mask_names.txt`` (agencies, state media, photo
  agencies), anywhere, as whole words;
* the article's own outlet name (and its short form: "Fox" for "Fox Online
  News", "New York Times" for "New York Times - News"), anywhere in it.

Masked tokens still count as tokens (rates per 1,000 tokens are unchanged)
and lexicon matches in them still count; they only leave the term counts.
``report.csv`` says how many tokens each article had masked (``n_masked``).

Everything is found per article, so a chunk's mask is the same for any
chunking; the text patterns each start with a rare literal (``(``, a line
break, ``/``, ``@``, ``http``, ``www.``, a furniture phrase) so that ``re``
scans for them in C. What each rule finds in the development corpora
(statemedia_2022, basil, MBIC, the state-media headlines) is counted in
docs/validation.md, "Masking".

``ReaderMask`` finds the same things for a human reader (the classroom
worksheet hides them from students): as spans of any text, and stricter,
with web addresses that have no scheme (``site.com/page``) and the outlet
names of every article shown, in every text. It lives here rather than in
the worksheet's renderer because deciding what gives a publisher away is
analysis; the renderer (``framing.report.worksheet``) is handed the spans.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np

from ..resources import package_text
from ..tokenize import normalize, split_words
from ..types import Article
from .tokentable import TokenTable, build_token_table

__all__ = ["Masker", "ReaderMask", "mask_names", "outlet_names", "text_spans"]


@lru_cache(maxsize=1)
def mask_names() -> tuple[str, ...]:
    """The built-in names masked in every article (``framing/data/mask_names.txt``)."""
    text = package_text("mask_names.txt")
    return tuple(line.strip() for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#"))


# Suffixes that name a section or an edition of an outlet, not the outlet as
# its own articles name it ("CNN (Web News)", "New York Times - News").
_SECTION = re.compile(
    r"\s*(?:\([^)]*\)|\s-\s.*|\b(?:Online News|News|Online|Opinion|Editorial|Web)\b)\s*$", re.IGNORECASE
)


def outlet_names(outlet: str) -> list[str]:
    """The forms of an outlet's name its own articles may use, longest first.

    >>> outlet_names("Fox Online News")
    ['Fox Online News', 'Fox']
    >>> outlet_names("CNN (Web News)")
    ['CNN (Web News)', 'CNN']
    """
    forms = [outlet.strip()]
    while True:
        shorter = _SECTION.sub("", forms[-1]).strip()
        if not shorter or shorter == forms[-1]:
            break
        forms.append(shorter)
    return [f for f in forms if split_words(f)]


@lru_cache(maxsize=1)
def _name_patterns() -> tuple[re.Pattern[str], re.Pattern[str]]:
    """The patterns that hold the listed names: in parentheses, and before a credit's slash."""
    names = "|".join(re.escape(n) for n in sorted(mask_names(), key=len, reverse=True))
    # "(Reuters)", "(AP Photo/Evan Vucci)", "(Photo by X/Getty Images)", "(Reporting by X; Editing by Y)"
    parens = re.compile(
        r"\((?:[ \t]*(?:" + names + r")\b[^()\n]{0,80}"
        r"|[^()\n]{0,40}?\b(?:Photo|Photos|Photograph|Image|Picture|Video|Reporting|Writing|Editing|Compiled)\b"
        r"[^()\n]{0,200}"
        # "(Serbian Presidential Press Service via AP)", "(Satellite image \u00a92022 Maxar Technologies via AP)"
        r"|[^()\n]{0,100}?\bvia[ \t]+(?:" + names + r")\b[^()\n]{0,20})\)"
    )
    before_slash = re.compile(r"(?:" + names + r"|REUTERS|GETTY IMAGES)[ \t]?\Z")
    return parens, before_slash


# After "(Reuters)": the dash of a dateline.
_DASH = re.compile(r"[ \t]*[-\u2013\u2014:]+")
# A dateline before "(Reuters)": "WASHINGTON", "MOSCOW, Dec 1", "NEW YORK/LONDON" at the start of a line.
# Since 2020 or so AP and Reuters add the state or country: "KYIV, Ukraine", "WILMINGTON, Del.".
_DATELINE = re.compile(
    r"[ \t]*[A-Z][A-Z.'\u2019/ -]*[A-Z.](?:,[ \t]+[A-Z][a-z]+\.?(?:[ \t]+[A-Z][a-z]+\.?)?(?=[ \t]*\Z))?"
    r"(?:,?\s+[A-Z][a-z]{2,8}\.?\s+\d{1,2})?[ \t]*\Z"
)
_LINE = re.compile(
    r"\n[ \t]*(?:"
    # caption, credit and furniture lines, to their end
    r"FILE[ \t]*[-\u2013\u2014][^\n]*"  # AP: "FILE - In this March 3, 2020, file photo, ..."
    r"|(?:FILE PHOTO|File Photo|File photo|Image caption|Image copyright|Image source|"
    r"Photo caption|Photo illustration|Media caption|Media playback|Caption|Enlarge this image|hide caption|"
    r"toggle caption|Slideshow|Continue reading|Continue Reading|Story continues below|Copyright|\u00a9|Also on rt\.com|"
    r"(?:Additional )?[Rr]eporting by|Writing by|Editing by|Compiled by)\b[^\n]*"
    # "Advertisement" and the like alone on a line (or before "Continue reading" / a colon)
    r"|(?:Advertisement|ADVERTISEMENT|Supported by|Related|RELATED|Photo|Photos|Video|Interactive)[ \t]*"
    r"(?::[ \t]*|Continue reading\b[^\n]*)?(?=\n|\Z)"
    # short labels with a colon: "Photo: ...", "Read more: ..."
    r"|(?:Photo|Photos|Picture|Image|Credit|Video|Read more|READ MORE|Related|Watch|Listen|Subscribe|Sign up|"
    r"Follow us|Share this|More|Contributing)[ \t]*[:|][^\n]*"
    # a headline's kicker, the label alone (statemedia_headlines_2022: Xinhua "Feature:", "China Focus:",
    # "Roundup:"; Global Times "Exclusive:", "GT Investigates:"; CGTN "Graphics:")
    r"|(?:Feature|Roundup|China Focus|Across China|Economic Watch|World Insights|News Analysis|Xinhua Headlines|"
    r"Xinhua Commentary|Commentary|Exclusive|GT [Ii]nvestigates|GT Exclusive|Graphics|Update|UPDATE)[ \t]*:"
    r")"
)
# Caption markers inside a line (BBC pages: "Image copyright AP Image caption ..."), to the end of the
# line: found by their second word, a literal that re scans for quickly, then the first word is checked.
_MARKERS = (re.compile(r"caption\b[^\n]*"), re.compile(r"copyright\b[^\n]*"))
_MARKER_FIRST = ("Image ", "Media ")
# "REUTERS/Kevin Lamarque", "Getty Images/File", "REUTERS/Aaron P. Bernstein -/File Photo": a slash after a
# listed name, then the credited name and any "/File Photo", "/Pool", "/Handout".
_SLASH = re.compile(
    r"/[ \t]?[A-Z][\w.'\u2019-]*(?:[ \t][A-Z][\w.'\u2019-]*){0,3}"  # one space: a run of them ends a Guardian credit
    r"(?:[ \t]*-?[ \t]*/[ \t]?(?:File Photo|File|Pool|Handout))*"
)
_URLS = (re.compile(r"https?://[^\s<>\"')\]]+"), re.compile(r"www\.[^\s<>\"')\]]+"))
_AT = re.compile(r"@[\w-]+(?:\.[\w-]+)*")
_LOCAL_PART = re.compile(r"[\w.+-]+\Z")

def _opening(pattern: str) -> str:
    """The literal a pattern starts with (up to its first special character): a text without it has no match."""
    head = re.match(r"[\w ,'-]*", pattern).group()  # type: ignore[union-attr]
    optional = pattern[len(head) : len(head) + 1] in ("?", "*", "{")  # "colou?r": the "u" may be missing
    return head[:-1] if optional else head


# Furniture inside a line. Many scraped pages reach us with their line breaks lost: every BBC, AP, Reuters
# and RT text of statemedia_2022 is one line, and the Guardian's paragraphs and captions are joined by runs
# of spaces. So furniture is also found by a phrase only furniture says, and the whole sentence around it
# is masked: from the end of the sentence before (". ", a run of spaces, "___", the line's start) to the
# sentence's own end. Each pattern starts with a literal.
_FURNITURE_PHRASES = tuple(  # (the literal it opens with, the pattern)
    (_opening(p), re.compile(p))
    for p in (
        r"contributed to this report",  # AP, Fox News, the Guardian, BBC: "Jane Doe in Kyiv contributed to this report."
        r"is not responsible for the content of external",  # BBC: "The BBC is not responsible for ..."
        r"approach to external linking",  # BBC: "Read about our approach to external linking."
        r"story ideas to",  # BBC regions: "Send your story ideas to ...@bbc.co.uk."
        r"story suggestion",  # BBC regions: "If you have a story suggestion email ..."
        r"Sign up (?:to|for|here)\b",  # newsletters: the Guardian, Fox News, ProPublica, Breitbart
        r"news meet your inbox",  # MSNBC / NBC News: "Let our news meet your inbox."
        r"delivered weekday mornings",  # MSNBC / NBC News: "The news and stories that matter, delivered ..."
        r"breaking news alerts and special reports",  # MSNBC / NBC News
        r"protected by recaptcha",  # MSNBC / NBC News: "This site is protected by recaptcha"
        r"CLICK(?:ING)? HERE",  # Fox News: "CLICK HERE TO GET THE FOX NEWS APP"
        r"share this story on social media",  # RT
        r"This article (?:was|is|has been) (?:produced|republished|originally|first|amended|provided|corrected)",
        # author boxes: "Jane Doe is a reporter for Example News.", "Follow him on Twitter at @jdoe."
        r"is a (?:senior |staff |political )?(?:reporter|writer|correspondent|editor|contributor) (?:for|at)\b",
        r"Follow[ \t](?:[^\s.!?]+[ \t]){0,8}?(?:on[ \t]+(?:Twitter|Facebook|Instagram)|at[ \t]+https?://[^\s<>\"')\]]+)",
        r"Follow @",
        # (one pattern per opening: a pattern that starts with a literal is scanned for in C)
        r"Why not follow[ \t](?:[^\s.!?]+[ \t]){0,8}?on[ \t]+(?:Twitter|Facebook|Instagram)",
        r"You can follow[ \t](?:[^\s.!?]+[ \t]){0,8}?on[ \t]+(?:Twitter|Facebook|Instagram)",
        r"Find[ \t][^\n:.!?]{1,40}:[^\n.!?]{0,80}?on[ \t]+(?:Twitter|Facebook|Instagram)",  # BBC: "Find BBC News: ..."
    )
)
# Labels inside a line, masked alone or with the credit that follows: the Guardian's "Photograph: Jane
# Doe/AFP/Getty Images" after a caption, "Related:" before a link's headline, an "Interactive" placeholder
# between runs of spaces. (At a line's start ``_LINE`` takes them to the line's end.)
_CREDIT_NAMES = r"[A-Z][\w.'\u2019&-]*(?: [A-Z][\w.'\u2019&-]*){0,3}"
_INLINE_CREDITS = tuple(  # (label, pattern): one pattern per label, each starting with its literal
    (label, re.compile(label + r":[ \t]*(?:" + _CREDIT_NAMES + r"(?:[ \t]?/[ \t]?" + _CREDIT_NAMES + r")*)?"))
    for label in ("Photograph", "Illustration", "Composite")
)
_INLINE_LABEL = re.compile(r"(?:Related|READ MORE):")
_ALONE = re.compile(r"Interactive(?=[ \t]{2}|[ \t]*(?:\n|\Z))")
# Where a sentence ends: a full stop (not of an abbreviation: see ``_ABBREVIATION``), a run of spaces or
# underscores (AP's "___" before its notes), or the line's end.
_SENTENCE_END = re.compile(r"[.!?][\"\u201d\u2019')]*(?=[ \t]|\n|\Z)|(?=[ \t]{2}|_{3}|\n|\Z)")
_SENTENCE_GAP = re.compile(r"[.!?][\"\u201d\u2019')]*[ \t]+|[ \t]{2,}|_{3,}[ \t]*|\n")
_ABBREVIATION = re.compile(
    r"(?:\b[A-Z]|\b(?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec|Mr|Mrs|Ms|Dr|St|Sen|Rep|Gov|Gen|Lt|Col|Sgt|"
    r"Jr|Sr|No|Inc|Corp|Co|Ltd|U\.S|U\.N|U\.K|a\.m|p\.m))\.\Z"
)
_CAPTION_END = re.compile(r"[.!?][\"\u201d\u2019')]*[ \t]+\Z")
_DATED_END = re.compile(r"\b(?:19|20)\d\d\.[ \t]+\Z")  # a caption's first sentence ends with its date
_SENTENCE_MAX = 300  # characters; a "sentence" longer than this is no furniture, and only the phrase is masked
# A credit in parentheses that names a photo's source: after a caption, it takes the caption with it.
_PHOTO_CREDIT = re.compile(r"\b(?:Photo|Photos|Photograph|Image|Images|Picture|Pool|Handout|via)\b", re.IGNORECASE)


def _sentence_start(text: str, pos: int) -> int | None:
    """Where the sentence holding ``pos`` starts, looking back at most ``_SENTENCE_MAX`` characters on its
    line (None when no start is found there)."""
    line_start = text.rfind("\n", 0, pos) + 1
    lo = max(line_start, pos - _SENTENCE_MAX)
    start = line_start if lo == line_start else None
    for m in _SENTENCE_GAP.finditer(text, lo, pos):
        if m.group().startswith((".", "!", "?")) and _ABBREVIATION.search(text, max(0, m.start() - 5), m.start() + 1):
            continue
        start = m.end()
    return start


def _caption_start(text: str, credit: int, line_start: int) -> int:
    """Where the caption closed by a photo credit at ``credit`` starts (``credit`` itself when no full
    stop ends a sentence just before it: a credit inside a sentence closes no caption)."""
    stop = _CAPTION_END.search(text, max(line_start, credit - 8), credit)
    if stop is None or _ABBREVIATION.search(text, max(0, stop.start() - 5), stop.start() + 1):
        return credit
    caption = _sentence_start(text, stop.start())
    # AP's captions since 2021: "<who, what, where, weekday, date>. <context>. (AP Photo/...)"
    for _ in range(2):
        dated = _DATED_END.search(text, max(line_start, (caption or 0) - 12), caption or 0)
        earlier = _sentence_start(text, dated.start()) if caption and dated else None
        if earlier is None:
            break
        caption = earlier
    return credit if caption is None else caption


def _sentence_end(text: str, pos: int) -> int:
    """Where the sentence holding ``pos`` ends (after its full stop), within ``_SENTENCE_MAX`` characters."""
    for m in _SENTENCE_END.finditer(text, pos, min(len(text), pos + _SENTENCE_MAX)):
        if m.group() and _ABBREVIATION.search(text, max(0, m.start() - 5), m.start() + 1):
            continue
        return m.end()
    return pos


def text_spans(text: str) -> list[tuple[int, int]]:
    """Character spans of ``text`` to mask by the text patterns (datelines, credits, captions, URLs, ...).

    Sorted, none inside another. No span crosses a line break, so the spans of
    texts joined by ``"\\n"`` are the spans of each text, shifted.
    """
    parens, before_slash = _name_patterns()
    spans: list[tuple[int, int]] = []
    for m in parens.finditer(text):
        start, end = m.span()
        line_start = text.rfind("\n", 0, start) + 1
        if _DATELINE.match(text, line_start, start) is not None:
            start = line_start
        elif _PHOTO_CREDIT.search(text, start, end):
            start = _caption_start(text, start, line_start)
        dash = _DASH.match(text, end)
        spans.append((start, dash.end() if dash is not None else end))
    padded = "\n" + text
    spans += [(m.start(), m.end() - 1) for m in _LINE.finditer(padded)]  # (offsets in padded, minus 1)
    for pattern in _MARKERS:
        spans += [(m.start() - 6, m.end()) for m in pattern.finditer(text) if text[m.start() - 6 : m.start()] in _MARKER_FIRST]
    for opening, pattern in _FURNITURE_PHRASES:
        if opening not in text:  # ``in`` finds a literal many times faster than ``re`` scans for it
            continue
        for m in pattern.finditer(text):
            start = _sentence_start(text, m.start())
            end = m.end() if "://" in m.group() else _sentence_end(text, m.end())  # a link ends its plug
            spans.append((m.start() if start is None else start, max(m.end(), end)))
    for opening, credit in _INLINE_CREDITS:  # with the caption before it
        if opening not in text:
            continue
        for m in credit.finditer(text):
            spans.append((_caption_start(text, m.start(), text.rfind("\n", 0, m.start()) + 1), m.end()))
    spans += [m.span() for m in _INLINE_LABEL.finditer(text)]
    for m in _ALONE.finditer(text):
        if m.start() < 2 or text[m.start() - 2 : m.start()].isspace():
            spans.append(m.span())
    for m in _SLASH.finditer(text):
        before = before_slash.search(text, max(0, m.start() - 30), m.start())
        if before is not None:
            spans.append((before.start(), m.end()))
    for pattern in _URLS:
        spans += [m.span() for m in pattern.finditer(text)]
    for m in _AT.finditer(text):
        local = _LOCAL_PART.search(text, max(0, m.start() - 64), m.start())
        spans.append((local.start() if local is not None else m.start(), m.end()))
    out: list[tuple[int, int]] = []
    for a, b in sorted(set(spans), key=lambda ab: (ab[0], -ab[1])):
        if not out or b > out[-1][1]:  # a span inside the one before adds nothing
            out.append((a, b))
    return out


@dataclass
class Masker:
    """Finds the tokens to leave out of the term counts (see the module docstring)."""

    names: tuple[str, ...] = field(default_factory=mask_names)

    def tokens(
        self, articles: Sequence[Article], table: TokenTable, joined: str | None = None,
        spans: Sequence[tuple[int, int]] | None = None,
    ) -> np.ndarray:
        """One flag per token of ``table`` (the tokens of ``articles``): True where it is masked.

        ``joined``: the articles' texts joined by ``"\\n"``, when the caller
        has it already; ``spans``: its ``text_spans``, likewise.
        """
        n = len(table.ids)
        masked = np.zeros(n, dtype=bool)
        if n == 0:
            return masked
        # Text patterns, over the articles joined by line breaks: no pattern
        # reaches across one, so each article is masked as if it stood alone.
        if spans is None:
            spans = text_spans(joined if joined is not None else "\n".join(a.text for a in articles))
        if spans:
            masked |= table.in_spans(*(np.asarray(v, dtype=np.int64) for v in zip(*spans)))
        # Names, as whole words: the listed ones in every article, each
        # article's own outlet in that article.
        by_key = np.argsort(table.keys, kind="stable")
        everywhere = np.ones(table.n_docs, dtype=bool)
        masked[self._positions(self.names, everywhere, table, by_key)] = True
        by_outlet: dict[str, list[int]] = {}
        for d, article in enumerate(articles):
            if article.outlet:
                by_outlet.setdefault(article.outlet, []).append(d)
        for outlet, docs in by_outlet.items():
            own = np.zeros(table.n_docs, dtype=bool)
            own[docs] = True
            masked[self._positions(outlet_names(outlet), own, table, by_key)] = True
        return masked

    def _positions(self, forms: Sequence[str], docs: np.ndarray, table: TokenTable, by_key: np.ndarray) -> np.ndarray:
        """Token positions covered by any of ``forms`` (names) in the articles flagged in ``docs``."""
        phrases = []
        for form in forms:
            words = split_words(form)
            entries = _entries(table, words, self._keys(words), by_key) if words else np.zeros(0, np.int64)
            if len(entries) and (entries >= 0).all():
                phrases.append(entries)
        if not phrases:
            return np.zeros(0, dtype=np.int64)
        opens = np.zeros(table.n_vocab, dtype=bool)
        opens[[int(p[0]) for p in phrases]] = True
        cand = np.flatnonzero(opens[table.ids])
        doc = table.doc_of(cand)
        cand, doc = cand[docs[doc]], doc[docs[doc]]
        doc_end = table.doc_offsets[doc + 1]
        hits = []
        for entries in phrases:
            pos, end = cand[table.ids[cand] == entries[0]], doc_end[table.ids[cand] == entries[0]]
            for j in range(1, len(entries)):
                fits = pos + j < end
                pos, end = pos[fits], end[fits]
                same = table.ids[pos + j] == entries[j]
                pos, end = pos[same], end[same]
            hits.append(_covered(pos, pos + len(entries)))
        return np.concatenate(hits)

    def _keys(self, words: list[str]) -> np.ndarray:
        """The first key of each word, as a chunk names them (cached per name)."""
        cache: dict[tuple[str, ...], np.ndarray] = self.__dict__.setdefault("_key_cache", {})
        key = tuple(words)
        if key not in cache:
            probe = build_token_table([" ".join(words)], sentences=_no_sentences)
            cache[key] = probe.keys[probe.ids]
        return cache[key]


def _covered(start: np.ndarray, end: np.ndarray) -> np.ndarray:
    """Every position in the spans ``[start, end)``."""
    lengths = end - start
    return np.repeat(start, lengths) + (np.arange(int(lengths.sum())) - np.repeat(np.cumsum(lengths) - lengths, lengths))


def _entries(table: TokenTable, words: list[str], keys: np.ndarray, by_key: np.ndarray) -> np.ndarray:
    """The vocabulary entry of each word in ``table`` (-1 where the chunk does not have it).

    ``keys``: the words' first keys, as a chunk names them by their code points;
    ``by_key``: the table's entries in key order.
    """
    out = np.full(len(words), -1, dtype=np.int64)
    if table.text_keys:  # a chunk that met a hash collision named its words by their text
        index = {w: i for i, w in enumerate(table.vocab)}
        return np.asarray([index.get(normalize(w), -1) for w in words], dtype=np.int64)
    order = by_key
    at = np.minimum(np.searchsorted(table.keys[order], keys), len(order) - 1)
    found = order[at]
    hit = table.keys[found] == keys
    if hit.any():  # the key names the entry; its text decides
        texts = table.words(found[hit])
        wanted = [normalize(w) for w, h in zip(words, hit.tolist()) if h]
        same = np.asarray([a == b for a, b in zip(texts, wanted)], dtype=bool)
        out[np.flatnonzero(hit)[same]] = found[hit][same]
    return out


def _no_sentences(texts: list[str]) -> tuple[np.ndarray, np.ndarray]:
    return np.zeros(len(texts), dtype=np.int64), np.ones(len(texts), dtype=np.int64)


# A web address without "http" or "www." ("buymeacoffee.com/outlet"), which the text patterns leave: to a
# reader it names the outlet as plainly as a link does.
_BARE_DOMAIN = re.compile(
    r"(?<![\w@.])(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+(?:com|org|net|info|io|me|co|tv|news|ru|cn|uk|de|fr|su)"
    r"(?![\w-])(?:/(?:[^\s<>\"')\]]*[^\s<>\"')\].,;:!?])?)?",  # a sentence's full stop is not part of it
    re.IGNORECASE,
)


@lru_cache(maxsize=64)
def _names_pattern(names: tuple[str, ...]) -> re.Pattern[str] | None:
    """Whole-word, case-insensitive pattern for any of ``names`` (longest first, so
    "Xinhua News Agency" is hidden whole rather than leaving "News Agency")."""
    forms = sorted({n.strip() for n in names if n.strip()}, key=lambda n: (-len(n), n))
    if not forms:
        return None
    # Any run of white space between the words of a name, as the text may wrap a line inside it.
    alternatives = "|".join(r"\s+".join(re.escape(w) for w in f.split()) for f in forms)
    return re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)", re.IGNORECASE)


@dataclass(frozen=True)
class ReaderMask:
    """What would tell a reader who published a set of articles, found in any text shown with them.

    ``names``: names hidden anywhere as whole words, case-insensitively;
    ``ReaderMask.for_outlets`` gives the built-in names and every form of the
    given outlets' names. Pure: a text in, spans out.

    >>> ReaderMask(("Daily Planet",)).spans("WASHINGTON (Reuters) - Talks resumed, the Daily Planet said.")
    [(0, 22), (42, 54)]
    """

    names: tuple[str, ...] = ()

    @classmethod
    def for_outlets(cls, outlets: Iterable[str]) -> ReaderMask:
        """The mask of articles from these outlets: each one's name is hidden in all of them,
        since one outlet's name in another article would still tell the reader which is which."""
        names = list(mask_names())
        for outlet in outlets:
            if outlet:
                names += outlet_names(outlet)
        return cls(tuple(sorted(set(names))))

    def spans(self, text: str) -> list[tuple[int, int]]:
        """The ``[start, end)`` spans of ``text`` to hide, sorted and disjoint.

        The text patterns (``text_spans``: datelines, bylines, photo credits,
        captions, URLs, e-mail addresses, handles), web addresses without a
        scheme (``site.com/page``), and every name in ``names``.
        """
        spans = list(text_spans(text)) + [m.span() for m in _BARE_DOMAIN.finditer(text)]
        pattern = _names_pattern(self.names)
        if pattern is not None:
            spans += [m.span() for m in pattern.finditer(text)]
        merged: list[tuple[int, int]] = []
        for a, b in sorted(spans):
            if merged and a <= merged[-1][1]:  # overlapping or touching: one hidden passage, not two
                merged[-1] = (merged[-1][0], max(b, merged[-1][1]))
            else:
                merged.append((a, b))
        return merged
