"""A classroom worksheet and its answer key, made from an analysis.

``render_worksheet(result, seed=..., max_articles=...)`` returns the bytes of
two self-contained, offline HTML pages; it writes nothing (the CLI writes
them, ``framing/cli/worksheet.py``):

* **worksheet.html**, for students: up to ``max_articles`` articles, labelled
  A, B, C ... in a seeded order, with what gives their publisher away
  replaced by ``[…]`` (see ``mask_text``), and under each article the tasks,
  with room to write: who is quoted or cited, which words are loaded, which
  word the article uses for each contested thing the tool found in these
  articles, and what kind of source published it, and why.
* **answer_key.html**, for the teacher: per letter, the true outlet and
  source type, what was hidden, the tool's counted matches for each task,
  the classifier's view, and what these figures cannot support.

The order is a seeded shuffle that depends only on the seed and each
article's id (``shuffle_ids``), so the same corpus and seed give the same
bytes, and adding an article to the corpus never reorders the others.

Every string from input is escaped with the helpers of ``framing.report.html.escape``
(``html_text``, ``html_attr``, ``safe_url``); the pages carry its
Content-Security-Policy and contain no script.
"""

from __future__ import annotations

import hashlib
import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache

from ..analysis.mask import mask_names, outlet_names, text_spans
from ..english import plural
from ..errors import InputError
from ..result import AnalysisResult
from ..types import Article, type_label
from .html import CSP
from .html.escape import html_attr, html_text, safe_url

__all__ = [
    "ATTRIBUTION", "DEFAULT_ARTICLES", "LOADED", "MASK", "Worksheet", "letters", "mask_spans", "mask_text",
    "render_worksheet", "shuffle_ids",
]

MASK = "[\u2026]"  # what stands where a name, dateline, credit or URL was
DEFAULT_ARTICLES = 6  # a class period's worth of reading
ATTRIBUTION = ("style", "attribution")  # lexicon, category: who is quoted or cited
LOADED = ("style", "evaluative_language")  # lexicon, category: loaded words
MAX_WORDS = 12  # matched words listed per category in the key; the rest are counted
TOP_OTHER = 5  # further categories listed per article in the key
MAX_HIDDEN = 12  # hidden passages quoted per article in the key
_WRITE_LINES = {"attribution": 3, "loaded": 2, "why": 3}

# Student-facing names of the built-in labels lexicon's referents; a referent
# of another lexicon is named from its categories' labels (``_referent_name``).
_REFERENT_NAMES = {
    "ukraine_war": "The war in Ukraine",
    "taiwan_status": "Taiwan's status",
    "crimea_status": "Crimea",
    "nato_growth": "NATO's growth",
    "sanctions": "Sanctions",
    "ukraine_place_names": "Place names in Ukraine",
    "hong_kong_protests": "The Hong Kong protests",
    "xinjiang_policy": "China's policy in Xinjiang",
    "mass_protest_movements": "Mass protest movements",
    "russian_dissent": "Russia's dissenters",
    "non_western_countries": "Non-Western countries",
}

_SOURCE_TYPES = (
    ("state_media", "State media", "a news outlet owned or funded, and steered, by a government."),
    ("wire", "Wire agency", "a news agency that sells short, factual reports to many other outlets."),
    ("independent_commentary", "Independent commentary",
     "a newsletter, blog or opinion piece by a person or a small group, often arguing a point of view."),
)


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


# ---------------------------------------------------------------- order and masking


def shuffle_ids(ids: Iterable[str], seed: int) -> list[str]:
    """``ids`` in the seeded order of the worksheet.

    Each id is ranked by the SHA-256 of the seed and the id, not by a random
    generator: the order is the same on every Python and platform, and an
    article added to the corpus takes its place without moving the others.

    >>> shuffle_ids(["a", "b", "c"], 0) == shuffle_ids(["c", "b", "a"], 0)
    True
    """
    _check_seed(seed)

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


# A web address without "http" or "www." ("buymeacoffee.com/outlet"), which the engine's patterns leave:
# on a worksheet it names the outlet as plainly as a link does.
_BARE_DOMAIN = re.compile(
    r"(?<![\w@.])(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+(?:com|org|net|info|io|me|co|tv|news|ru|cn|uk|de|fr|su)"
    r"(?![\w-])(?:/(?:[^\s<>\"')\]]*[^\s<>\"')\].,;:!?])?)?",  # a sentence's full stop is not part of it
    re.IGNORECASE,
)


def mask_spans(text: str, names: Sequence[str] = ()) -> list[tuple[int, int]]:
    """The ``[start, end)`` spans of ``text`` that the worksheet hides, sorted and disjoint.

    The engine's text patterns (``framing.analysis.mask.text_spans``:
    datelines, bylines, photo credits, captions, URLs, e-mail addresses,
    handles), web addresses without a scheme (``site.com/page``), and every name in ``names`` as a whole word, case-insensitively.
    """
    spans = list(text_spans(text)) + [m.span() for m in _BARE_DOMAIN.finditer(text)]
    pattern = _names_pattern(tuple(names))
    if pattern is not None:
        spans += [m.span() for m in pattern.finditer(text)]
    merged: list[tuple[int, int]] = []
    for a, b in sorted(spans):
        if merged and a <= merged[-1][1]:  # overlapping or touching: one "[…]", not two
            merged[-1] = (merged[-1][0], max(b, merged[-1][1]))
        else:
            merged.append((a, b))
    return merged


def mask_text(text: str, names: Sequence[str] = ()) -> str:
    """``text`` with every span of ``mask_spans`` replaced by ``[…]``.

    >>> mask_text("WASHINGTON (Reuters) - Talks resumed, the Daily Planet said.", ["Daily Planet"])
    '[…] Talks resumed, the […] said.'
    """
    out, pos = [], 0
    for a, b in mask_spans(text, names):
        out += [text[pos:a], MASK]
        pos = b
    out.append(text[pos:])
    return "".join(out)


def _hidden_names(articles: Sequence[Article]) -> tuple[str, ...]:
    """The built-in names and every shown article's outlet names: hidden in all shown articles,
    since one outlet's name in another article would still tell its letter."""
    names = list(mask_names())
    for a in articles:
        if a.outlet:
            names += outlet_names(a.outlet)
    return tuple(sorted(set(names)))


# ---------------------------------------------------------------- the evidence


@dataclass(frozen=True)
class _Words:
    """One category's counted matches in one article: (word, count, of them in quotes), most first."""

    label: str
    words: tuple[tuple[str, int, int], ...]

    @property
    def total(self) -> int:
        return sum(n for _, n, _ in self.words)


@dataclass(frozen=True)
class _Referent:
    """A contested thing: its name, and its categories as (key, short label), in lexicon order."""

    key: str
    name: str
    options: tuple[tuple[tuple[str, str], str], ...]


def _counted(result: AnalysisResult, ids: set[str]) -> dict[str, dict[tuple[str, str], _Words]]:
    """Per article id, per (lexicon, category): the counted matches (negated ones do not count)."""
    m = result.matches
    labels = {(lx.name, c.id): c.label for lx in result.lexicons for c in lx.categories}
    if not len(m):
        return {}
    m = m[m["article_id"].astype(str).isin(ids)]
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
    out: dict[str, dict[tuple[str, str], _Words]] = {}
    for aid, cats in tally.items():
        out[aid] = {
            k: _Words(labels.get(k, k[1]), tuple(sorted(((w, n, q) for w, (n, q) in words.items()),
                                                        key=lambda t: (-t[1], t[0]))))
            for k, words in cats.items()
        }
    return out


def _short_labels(labels: Sequence[str]) -> tuple[list[str], str]:
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


def _referents(result: AnalysisResult) -> list[_Referent]:
    """The referents of every ``labels`` lexicon of the run, in lexicon order."""
    groups: dict[tuple[str, str], list[tuple[tuple[str, str], str]]] = {}
    for lx in result.lexicons:
        if lx.role != "labels":
            continue
        for c in lx.categories:
            ref = dict(c.extra).get("referent") or c.id
            groups.setdefault((lx.name, ref), []).append(((lx.name, c.id), c.label))
    out = []
    for (lex, ref), cats in groups.items():
        short, shared = _short_labels([label for _, label in cats])
        name = _REFERENT_NAMES.get(ref) or shared or ref.replace("_", " ").capitalize()
        out.append(_Referent(f"{lex}.{ref}", name, tuple((k, s) for (k, _), s in zip(cats, short))))
    return out


# ---------------------------------------------------------------- the pages


_CSS = """
:root{color-scheme:light}
@page{size:auto;margin:18mm}
body{font:17px/1.55 Georgia,"Times New Roman",serif;color:#111;background:#fff;margin:0 auto;
max-width:46rem;padding:1rem 1.25rem 3rem}
h1,h2,h3,.task,.intro,.key,table,.meta,footer{font-family:system-ui,-apple-system,"Segoe UI",Roboto,Arial,sans-serif}
h1{font-size:1.6rem;margin:.6rem 0}
h2{font-size:1.3rem;margin:2.2rem 0 .5rem;border-bottom:2px solid #333;padding-bottom:.15rem}
h3{font-size:1.05rem;margin:1.2rem 0 .3rem}
.intro,.key{font-size:.95rem}
.intro ul,.key ul{padding-left:1.3rem}
.text p{margin:.55rem 0;overflow-wrap:break-word;break-inside:avoid}
.hid{color:#555;background:#eee;border-radius:2px;padding:0 .1em}
.task{border:1px solid #888;border-radius:4px;padding:.45rem .8rem .6rem;margin:.9rem 0;break-inside:avoid;
font-size:.95rem}
.task p{margin:.2rem 0 .35rem}
.line{border-bottom:1px solid #777;height:2.1em}
.choices{display:flex;flex-wrap:wrap;gap:.3rem 1.8rem;margin:.3rem 0 .4rem}
.box{display:inline-block;width:.85em;height:.85em;border:1.5px solid #222;vertical-align:-.1em;margin-right:.4em}
table{border-collapse:collapse;width:100%;margin:.4rem 0 .8rem;font-size:.9rem}
th,td{border:1px solid #999;padding:.25rem .45rem;text-align:left;vertical-align:top;overflow-wrap:break-word}
th{background:#f0f0f0}
td.write{height:2.2em}
.n{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
.caution{border-left:4px solid #D55E00;background:#fbf0e8;padding:.4rem .8rem;break-inside:avoid}
.meta{display:grid;grid-template-columns:max-content 1fr;gap:.1rem .8rem;margin:.3rem 0;font-size:.92rem}
.meta dt{font-weight:600}.meta dd{margin:0;overflow-wrap:anywhere}
.muted{color:#555}
footer{margin-top:2.5rem;font-size:.8rem;color:#555}
@media print{
body{max-width:none;padding:0;font-size:11.5pt}
section.article{break-before:page}
h2,h3{break-after:avoid}
tr,.meta,li{break-inside:avoid}
th,.hid,.caution{-webkit-print-color-adjust:exact;print-color-adjust:exact}
a{color:inherit}
}
"""


def _page(title: str, body: Sequence[str]) -> bytes:
    parts = [
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n",
        '<meta charset="utf-8">\n',
        f'<meta http-equiv="Content-Security-Policy" content="{html_attr(CSP)}">\n',
        '<meta name="referrer" content="no-referrer">\n',
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n',
        f"<title>{html_text(title)}</title>\n",
        f"<style>{_CSS}</style>\n",
        "</head>\n<body>\n",
        *body,
        "</body>\n</html>\n",
    ]
    # Every piece was escaped already; "replace" only guards against a slip.
    return "".join(parts).encode("utf-8", "replace")


def _lines(n: int) -> str:
    return '<div class="line"></div>' * n + "\n"


def _masked_html(text: str) -> str:
    """Escaped text with each ``[…]`` greyed, so a reader sees where something was hidden."""
    return html_text(text).replace(MASK, f'<span class="hid">{MASK}</span>')


def _paragraphs(text: str) -> list[str]:
    """Every non-blank line a paragraph: news text breaks paragraphs with a single line break as often
    as with a blank line, and short paragraphs let the printed page break between them."""
    return [line.strip() for line in text.splitlines() if line.strip()]


def _options_html(ref: _Referent, examples: Mapping[tuple[str, str], Sequence[str]]) -> str:
    parts = []
    for key, label in ref.options:
        ex = examples.get(key, ())
        shown = f' <span class="muted">(words such as {", ".join(f"“{html_text(w)}”" for w in ex)})</span>' if ex else ""
        parts.append(f"{html_text(label)}{shown}")
    return " <em>or</em> ".join(parts)


def _worksheet_page(
    chosen: Sequence[tuple[str, Article]], names: tuple[str, ...], present: Sequence[_Referent],
    examples: Mapping[tuple[str, str], Sequence[str]], seed: int,
) -> bytes:
    n = len(chosen)
    span = f"{chosen[0][0]} to {chosen[-1][0]}" if n > 1 else chosen[0][0]
    body = [
        "<header>\n<h1>Who wrote this, and how can you tell?</h1>\n",
        '<div class="intro">\n',
        (f"<p>You have {plural(n, 'news article')}, labelled {span}. They come from different kinds of "
        f"sources. We removed the clues that would give a source away at once: the outlet's name, the "
        f"author's name, datelines such as “CITY (Agency) –”, photo credits and web links. Where we "
        f"did, you see <span class=\"hid\">{MASK}</span>. Read each article and do the tasks under it. "
        f"Write what you notice in the words themselves; there are no trick questions.</p>\n"),
        "<p><strong>Three kinds of source:</strong></p>\n<ul>\n",
        *(f"<li><strong>{label}</strong>: {text}</li>\n" for _, label, text in _SOURCE_TYPES),
        "</ul>\n<p><strong>What to look for:</strong></p>\n<ul>\n",
        ("<li><strong>Attributions</strong>: who is quoted or named as a source (“said”, “according to”, "
        "“told reporters”).</li>\n"),
        ("<li><strong>Loaded words</strong>: words that judge or stir feelings rather than only describe "
        "(“brutal”, “historic”, “so-called”).</li>\n"),
    ]
    if present:
        body.append(
            "<li><strong>Labels</strong>: one thing can be named in different ways, and the choice often shows "
            "whose view the writer takes. These articles name the following things:\n<ul>\n"
        )
        body += [f"<li><strong>{html_text(r.name)}</strong>: {_options_html(r, examples)}</li>\n" for r in present]
        body.append("</ul></li>\n")
    body.append("</ul>\n</div>\n</header>\n")

    for letter, article in chosen:
        title = mask_text(" ".join(article.title.split()), names)
        heading = f"Article {letter}" + (f": {_masked_html(title)}" if title.strip() else "")
        body.append(f'<section class="article" id="{letter}">\n<h2>{heading}</h2>\n<div class="text">\n')
        body += [f"<p>{_masked_html(p)}</p>\n" for p in _paragraphs(mask_text(article.text, names))]
        body.append("</div>\n")
        k = 1
        body.append(
            f'<div class="task"><p><strong>{k}. Attributions.</strong> Underline everyone who is quoted or '
            f"cited as a source in article {letter}. Who are they?</p>\n{_lines(_WRITE_LINES['attribution'])}</div>\n"
        )
        k += 1
        body.append(
            f'<div class="task"><p><strong>{k}. Loaded words.</strong> Circle the words that judge or stir '
            f"feelings. Write three of them here.</p>\n{_lines(_WRITE_LINES['loaded'])}</div>\n"
        )
        if present:
            k += 1
            rows = "".join(f'<tr><td>{html_text(r.name)}</td><td class="write"></td></tr>\n' for r in present)
            body.append(
                f'<div class="task"><p><strong>{k}. Labels.</strong> Which words does article {letter} use for '
                f"these things? Write “not mentioned” if it does not name one.</p>\n"
                f"<table><thead><tr><th>Thing</th><th>The words article {letter} uses</th></tr></thead>\n"
                f"<tbody>\n{rows}</tbody></table></div>\n"
            )
        k += 1
        choices = "".join(f'<span><span class="box"></span>{label}</span>' for _, label, _ in _SOURCE_TYPES)
        body.append(
            f'<div class="task"><p><strong>{k}. Source.</strong> What kind of source do you think published '
            f'article {letter}? Tick one.</p>\n<div class="choices">{choices}</div>\n'
            f"<p>Why? Give two clues from the text.</p>\n{_lines(_WRITE_LINES['why'])}</div>\n"
        )
        body.append("</section>\n")
    body.append(f"<footer>Worksheet made with framing (seed {seed}); the teacher has the answer key.</footer>\n")
    return _page("Worksheet: who wrote this?", body)


def _words_html(w: _Words | None) -> str:
    if w is None or not w.words:
        return '<span class="muted">none counted</span>'
    items = []
    for word, n, q in w.words[:MAX_WORDS]:
        quoted = f", {q:,} in quotes" if q else ""
        items.append(f"{html_text(word)} <span class=\"muted\">×{n:,}{quoted}</span>")
    more = len(w.words) - MAX_WORDS
    tail = f" <span class=\"muted\">and {plural(more, 'more word')}</span>" if more > 0 else ""
    return ", ".join(items) + tail


def _score_row(result: AnalysisResult) -> dict[str, Mapping[str, object]]:
    scores = result.scores
    if not len(scores):
        return {}
    return {str(r["article_id"]): r for r in scores.to_dict("records")}


def _num(value: object) -> str:
    try:
        x = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return "\u2014"
    return f"{x:.2f}" if math.isfinite(x) else "\u2014"


def _key_page(
    result: AnalysisResult, chosen: Sequence[tuple[str, Article]], names: tuple[str, ...],
    present: Sequence[_Referent], counted: Mapping[str, Mapping[tuple[str, str], _Words]],
    seed: int, n_candidates: int, n_blank: int,
) -> bytes:
    rows = _score_row(result)
    trained = result.evaluation_summary.get("trained", True) is not False
    known = {(lx.name, c.id) for lx in result.lexicons for c in lx.categories}
    label_keys = {key for r in _referents(result) for key, _ in r.options}
    n = len(chosen)

    body = ["<header>\n<h1>Answer key (for the teacher)</h1>\n", '<div class="key">\n',
            ("<p><strong>Keep this page from students: it names the outlets.</strong> "
            "It goes with the worksheet of the same seed.</p>\n")]
    if n < n_candidates:
        body.append(f"<p>The worksheet shows {n:,} of the {n_candidates:,} articles with text in the corpus: "
                    f"the first {n:,} of the shuffle with seed {seed}. Another seed draws others.</p>\n")
    else:
        body.append(f"<p>The worksheet shows all {plural(n, 'article')} with text in the corpus, "
                    f"in the order of the shuffle with seed {seed}.</p>\n")
    if n_blank:
        body.append(f"<p>{plural(n_blank, 'article')} without text {'was' if n_blank == 1 else 'were'} "
                    f"left out.</p>\n")
    body.append('<table><thead><tr><th>Letter</th><th>Outlet</th><th>Source type</th><th>The tool’s guess</th>'
                "<th>Article id</th></tr></thead>\n<tbody>\n")
    for letter, a in chosen:
        row = rows.get(a.id, {})
        body.append(f"<tr><td>{letter}</td><td>{html_text(a.outlet) or '—'}</td><td>{html_text(type_label(a.source_type))}"
                    f"</td><td>{html_text(type_label(row.get('predicted_source_type', '')) or '—')}</td>"
                    f"<td>{html_text(a.id)}</td></tr>\n")
    body.append("</tbody></table>\n")

    body.append('<h2 id="caveats">What these figures cannot support</h2>\n')
    if not trained:
        body.append(
            "<p class=\"caution\"><strong>The tool’s guess is a similarity guess.</strong> The classifier "
            "was not trained on this corpus (too few labelled articles), so the guess is the source type "
            "whose articles this one most resembles, in its words and in how often it uses the style words, "
            "among the few articles here. Treat it as a discussion point, not as an answer.</p>\n")
    body.append("<ul>\n")
    if trained:
        body.append(
            "<li>The tool’s guess comes from a classifier trained on this corpus’s labelled articles. For a "
            "labelled article it is the guess of a model that never saw that article; it is still a "
            "resemblance to the articles of a type, not proof of who wrote it.</li>\n")
    body.append(
        "<li>Lexicons count words, not meaning: a word counts whether the article endorses, quotes or "
        "rejects it (“in quotes” says how many of its matches stand inside quoted speech). Students "
        "will find attributions and loaded words the lists do not hold; that is a good discussion too.</li>\n"
        "<li>Masking hides the names in framing’s list of agencies and state media and these articles’ "
        "own outlet names, datelines, credits, captions and links. A name the lists do not hold (a "
        "reporter, a sister outlet, a slogan) stays: read the worksheet before handing it out.</li>\n")
    # Only the classifier's notes concern the key; the others are about tables the worksheet does not use.
    body += [f"<li>The classifier: {html_text(line)}</li>\n" for line in result.notes.get("evaluation.csv", [])]
    body.append("</ul>\n</div>\n</header>\n")

    for letter, a in chosen:
        row = rows.get(a.id, {})
        found = counted.get(a.id, {})
        body.append(f'<section class="article" id="{letter}">\n<h2>Article {letter}</h2>\n<dl class="meta">\n')
        meta = [("Outlet", html_text(a.outlet) or "—"), ("Source type", html_text(type_label(a.source_type))),
                ("Article id", html_text(a.id)), ("Title", html_text(a.title) or "—")]
        if a.url:
            safe = safe_url(a.url)
            meta.append(("URL", f'<a href="{html_attr(safe)}" rel="noopener noreferrer nofollow">{html_text(safe)}</a>'
                         if safe is not None else html_text(a.url)))
        if a.date:
            meta.append(("Date", html_text(a.date)))
        if row.get("n_tokens") is not None:
            meta.append(("Words", html_text(f"{int(row['n_tokens']):,}")))
        body += [f"<dt>{k}</dt><dd>{v}</dd>\n" for k, v in meta]
        hidden = _hidden_passages(a, names)
        if hidden:
            shown = ", ".join(f"“{html_text(t)}”" + (f" ×{c}" if c > 1 else "") for t, c in hidden[:MAX_HIDDEN])
            more = len(hidden) - MAX_HIDDEN
            shown += f" and {plural(more, 'more')}" if more > 0 else ""
        else:
            shown = '<span class="muted">nothing</span>'
        body.append(f"<dt>Hidden in the worksheet</dt><dd>{shown}</dd>\n</dl>\n")

        body.append("<h3>The tool’s evidence</h3>\n<table><thead><tr><th>Task: category</th>"
                    "<th class=\"n\">Matches</th><th>Words counted</th></tr></thead>\n<tbody>\n")
        for task, key in (("Attributions", ATTRIBUTION), ("Loaded words", LOADED)):
            if key not in known:
                body.append(f"<tr><td><strong>{task}</strong></td><td colspan=\"2\" class=\"muted\">no "
                            f"{html_text('.'.join(key))} category in this run’s lexicons</td></tr>\n")
                continue
            w = found.get(key)
            label = w.label if w else next(c.label for lx in result.lexicons if lx.name == key[0]
                                           for c in lx.categories if c.id == key[1])
            body.append(f"<tr><td><strong>{task}</strong>: {html_text(label)}</td><td class=\"n\">{w.total if w else 0:,}</td>"
                        f"<td>{_words_html(w)}</td></tr>\n")
        for r in present:
            hits = [(k, short) for k, short in r.options if k in found]
            if not hits:
                body.append(f"<tr><td><strong>Labels</strong>: {html_text(r.name)}</td><td class=\"n\">0</td>"
                            "<td class=\"muted\">not named with the lexicon’s words</td></tr>\n")
            for k, short in hits:
                w = found[k]
                body.append(f"<tr><td><strong>Labels</strong>: {html_text(r.name)}: {html_text(short)}</td>"
                            f"<td class=\"n\">{w.total:,}</td><td>{_words_html(w)}</td></tr>\n")
        shown_keys = {ATTRIBUTION, LOADED} | label_keys
        others = sorted(((k, w) for k, w in found.items() if k not in shown_keys), key=lambda kw: (-kw[1].total, kw[0]))
        for k, w in others[:TOP_OTHER]:
            body.append(f"<tr><td><span class=\"muted\">Also counted</span>: {html_text(w.label)}</td>"
                        f"<td class=\"n\">{w.total:,}</td><td>{_words_html(w)}</td></tr>\n")
        body.append("</tbody></table>\n")

        body.append("<h3>The classifier’s view</h3>\n")
        if not row:
            body.append("<p class=\"muted\">This article’s scores are not part of the result.</p>\n")
        else:
            guess = type_label(row.get("predicted_source_type", ""))
            kind = "probability" if trained else "similarity score"
            styles = "; ".join(f"{html_text(lab)} {_num(row.get(col))}" for col, lab in result.styles.items())
            items = [f"<dt>Guess</dt><dd>{html_text(guess) or '—'}"
                     + ("" if trained else " <span class=\"muted\">(a similarity guess, not a trained "
                        "classifier’s)</span>") + "</dd>\n"]
            if row.get("predicted_source_type") == "undetermined":
                items.append("<dt>Why undetermined</dt><dd>the top two scores are too close to call, a score is "
                             "undefined, or the article has no content words</dd>\n")
            items.append(f"<dt>Scores ({kind} per type)</dt><dd>{styles or '—'} <span class=\"muted\">(“—”: "
                         "not defined for this article)</span></dd>\n")
            why = row.get("why")
            if isinstance(why, str) and why.strip():
                items.append(f"<dt>What pushed it most</dt><dd>{html_text(why)}</dd>\n")
            body.append('<dl class="meta">\n' + "".join(items) + "</dl>\n")
        body.append("</section>\n")
    body.append(f"<footer>Answer key made with framing (seed {seed}).</footer>\n")
    return _page("Answer key (for the teacher)", body)


def _hidden_passages(article: Article, names: tuple[str, ...]) -> list[tuple[str, int]]:
    """What the worksheet hid in the article and its title, in order of first appearance, with counts."""
    seen: dict[str, int] = {}
    for text in (" ".join(article.title.split()), article.text):
        for a, b in mask_spans(text, names):
            passage = " ".join(text[a:b].split())
            seen[passage] = seen.get(passage, 0) + 1
    return list(seen.items())


def _check_seed(seed: object) -> None:
    if isinstance(seed, bool) or not isinstance(seed, int) or seed < 0:
        raise InputError(f"seed must be a whole number of at least 0, got {seed!r}")


def render_worksheet(result: AnalysisResult, *, seed: int = 0, max_articles: int = DEFAULT_ARTICLES) -> Worksheet:
    """Render a classroom worksheet and its answer key from an analysis.

    Parameters
    ----------
    result : AnalysisResult
        What ``framing.analyze(..., keep_texts=None)`` returned: the letters
        are drawn from ``result.articles`` (the articles whose text the
        result kept), and the key reads ``result.matches`` and ``result.scores``.
    seed : int, default 0
        Seeds the order of the articles (``shuffle_ids``); 0 or more.
    max_articles : int, default 6
        At most this many articles, the first of the shuffle; 1 or more.

    Returns
    -------
    Worksheet
        The bytes of ``worksheet.html`` and ``answer_key.html`` (UTF-8), and
        the ids shown. The same result and seed always give the same bytes.

    Raises
    ------
    InputError
        If ``seed`` or ``max_articles`` is out of range, or no article has text.
    """
    _check_seed(seed)
    if isinstance(max_articles, bool) or not isinstance(max_articles, int) or max_articles < 1:
        raise InputError(f"max_articles must be a whole number of at least 1, got {max_articles!r}")
    with_text = {a.id: a for a in result.articles if a.text.strip()}
    n_blank = len({a.id for a in result.articles}) - len(with_text)
    if not with_text:
        raise InputError("no article with text to put on a worksheet")
    order = shuffle_ids(with_text, seed)[:max_articles]
    chosen = list(zip(letters(len(order)), (with_text[i] for i in order)))
    names = _hidden_names([a for _, a in chosen])
    counted = _counted(result, set(order))
    present = [r for r in _referents(result) if any(k in counted.get(i, {}) for i in order for k, _ in r.options)]
    examples: dict[tuple[str, str], list[str]] = {}
    for r in present:
        for key, _ in r.options:
            totals: dict[str, int] = {}
            for i in order:
                w = counted.get(i, {}).get(key)
                for word, n, _ in (w.words if w else ()):
                    totals[word] = totals.get(word, 0) + n
            examples[key] = sorted(totals, key=lambda t: (-totals[t], t))[:2]
    # The examples are shown to students: the masking applies to them too.
    examples = {k: [mask_text(w, names) for w in ws] for k, ws in examples.items()}
    return Worksheet(
        worksheet=_worksheet_page(chosen, names, present, examples, seed),
        answer_key=_key_page(result, chosen, names, present, counted, seed, len(with_text), n_blank),
        ids=tuple(order),
        n_candidates=len(with_text),
    )
