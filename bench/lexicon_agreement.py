"""framing's per-article category counts against an independent reference matcher.

Usage::

    python bench/lexicon_agreement.py [DICTIONARY ...] [--corpus FILE ...] [--counting framing|liwc|both]

Every dictionary is read by ``framing.load_lexicon`` (any format framing
reads), then each article of the corpus is counted twice: by ``framing``
(``analyze_corpus``, masking off, so that every token is counted) and by
the reference below, written apart from framing's matcher. The figure is
the **cell agreement**: the share of (article, category) cells whose counts
are equal. Disagreements are listed (the first five), so that each can be
looked at.

The reference
-------------
* tokens: its own regular expression, ``[^\\W_]+(?:['\\-][^\\W_]+)*`` over
  the text lower-cased with the typographic apostrophe made ``'`` (the
  documented rule of framing's tokenizer, not its code);
* entries: each distinct term form of the dictionary (words and wildcards as
  framing read them), with the categories that list it (a nested category's
  parents too); a word pattern matches a token by ``fnmatch.fnmatchcase``
  (``*`` anywhere);
* ``framing`` counting: a token counts once in every category with an entry
  that matches it; a phrase counts once per category and its tokens are not
  counted again in that category;
* ``liwc`` counting: left to right, the longest phrase that starts at a
  token is its entry and uses up its words, adding its number of words to
  each of its categories; else the token's exact entry, else its wildcard
  entry with the most letters (then a plain prefix before other patterns,
  then alphabetical), adding 1.

The reference does not check sentence ends (framing never matches a phrase
across one), so a phrase across a sentence end is a known disagreement.

Without a dictionary the script uses one it writes itself, with every kind of
wildcard (``fair-*``, ``you'*``, ``*ism``, ``sanc*ions``, ``*tion*``) and
phrases. Published dictionaries are not part of the project: the Moral
Foundations Dictionary 1.0 (``moral_foundations_dictionary.dic``) is in the
quanteda.dictionaries repository, for example. The default corpus is
statemedia_2022 from ../shared/data (not part of the repository); when it is
missing the script says so and exits with status 0.
"""

from __future__ import annotations

import argparse
import collections
import fnmatch
import json
import re
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import framing  # noqa: E402
from framing.corpus.reader import CorpusReader  # noqa: E402
from framing.lexicon import Lexicon, load_lexicon, parse_term  # noqa: E402

DATA = ROOT.parent / "shared" / "data" / "statemedia_2022"
TOKEN = re.compile(r"[^\W_]+(?:['\-][^\W_]+)*")
STRESS = """%
1\tisms
2\tanti
3\tsanctions
4\tyou
5\tplaces
6\tactions
7\tfair
%
*ism\t1
*isms\t1
anti-*\t2
anti*\t2
sanc*ions\t3
sanction*\t3 6
you'*\t4
united states\t5
united*\t5
foreign minist*\t5 6
the west*\t5
*tion*\t6
take action\t6
action\t6
fair-*\t7
fair*\t7
"""


def entries(lexicon: Lexicon) -> dict[str, set[str]]:
    """Each distinct term form -> the categories that count it (its own and their parents)."""
    out: dict[str, set[str]] = collections.defaultdict(set)
    for category in lexicon.categories:
        for term in category.terms:
            form = " ".join(w + ("*" if f else "") for w, f in zip(term.words, term.wildcard))
            path = category.id
            while path:
                out[form].add(path)
                path = path.rsplit("/", 1)[0] if "/" in path else ""
    return out


def _wild_order(form: str) -> tuple[int, bool, str]:
    return (-len(form.replace("*", "")), not (form.count("*") == 1 and form.endswith("*")), form)


def reference(text: str, forms: dict[str, set[str]], counting: str) -> collections.Counter[str]:
    """The reference's counts per category for one text (see the module docstring)."""
    tokens = [t.lower() for t in TOKEN.findall(text.replace("\u2019", "'"))]
    singles = {f: cats for f, cats in forms.items() if " " not in f}
    phrases = [(tuple(f.split()), cats) for f, cats in forms.items() if " " in f]
    exact = {f: cats for f, cats in singles.items() if "*" not in f}
    wild = sorted((f for f in singles if "*" in f), key=_wild_order)

    def phrase_fits(words: tuple[str, ...], i: int) -> bool:
        return i + len(words) <= len(tokens) and all(
            fnmatch.fnmatchcase(tokens[i + k], w) for k, w in enumerate(words))

    counts: collections.Counter[str] = collections.Counter()
    if counting == "framing":
        used: dict[str, set[int]] = collections.defaultdict(set)
        for i in range(len(tokens)):
            for words, cats in sorted(phrases, key=lambda p: -len(p[0])):
                if phrase_fits(words, i):
                    span = set(range(i, i + len(words)))
                    for c in cats:
                        if not used[c] & span:
                            used[c] |= span
                            counts[c] += 1
        for i, token in enumerate(tokens):
            cats = set(exact.get(token, ()))
            for f in wild:
                if fnmatch.fnmatchcase(token, f):
                    cats |= singles[f]
            counts.update(c for c in cats if i not in used[c])
        return counts
    i = 0
    while i < len(tokens):
        fitting = [(words, cats) for words, cats in phrases if phrase_fits(words, i)]
        if fitting:
            words, cats = min(fitting, key=lambda p: (-len(p[0]), sum("*" in w for w in p[0]),
                                                      -len("".join(p[0]).replace("*", "")), " ".join(p[0])))
            for c in cats:
                counts[c] += len(words)
            i += len(words)
            continue
        token = tokens[i]
        found = exact.get(token) or next((singles[f] for f in wild if fnmatch.fnmatchcase(token, f)), set())
        counts.update(found)
        i += 1
    return counts


def agreement(lexicon: Lexicon, articles: list, counting: str) -> dict[str, object]:
    """Cell agreement of framing with the reference on ``articles``."""
    result = framing.analyze_corpus(articles, [lexicon], mask=False, counting=counting)
    m = result.matches
    m = m[m["negated"] == 0]
    got: dict[tuple[str, str], float] = collections.defaultdict(float)
    for aid, cat, term, weight in zip(m["article_id"], m["category"], m["term"], m["weight"]):
        words = len(parse_term(term)[0]) if counting == "liwc" else 1
        got[(aid, cat)] += weight * words
    forms = entries(lexicon)
    cells = agree = 0
    examples = []
    for article in articles:
        ref = reference(article.text, forms, counting)
        for category in lexicon.categories:
            cells += 1
            mine, theirs = got.get((article.id, category.id), 0.0), ref.get(category.id, 0)
            if abs(mine - theirs) < 1e-9:
                agree += 1
            elif len(examples) < 5:
                examples.append({"article": article.id, "category": category.id, "framing": mine, "reference": theirs})
    return {"dictionary": lexicon.path, "counting": counting, "articles": len(articles), "cells": cells,
            "agreeing": agree, "agreement": round(agree / max(cells, 1), 6), "disagreements": examples}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("dictionaries", nargs="*", help="dictionary files (default: a stress dictionary written here)")
    ap.add_argument("--corpus", nargs="*", help="corpus files (default: ../shared/data/statemedia_2022/*.jsonl)")
    ap.add_argument("--counting", choices=("framing", "liwc", "both"), default="both")
    args = ap.parse_args()
    corpus = args.corpus or sorted(str(p) for p in DATA.glob("*.jsonl"))
    if not corpus:
        print(f"no corpus: {DATA} is missing; give --corpus FILE ...")
        return 0
    articles = list(CorpusReader(corpus))
    with tempfile.TemporaryDirectory() as tmp:
        paths = args.dictionaries
        if not paths:
            paths = [str(Path(tmp) / "stress.dic")]
            Path(paths[0]).write_text(STRESS, encoding="utf-8")
        for path in paths:
            lexicon = load_lexicon(path)
            for counting in (("framing", "liwc") if args.counting == "both" else (args.counting,)):
                print(json.dumps(agreement(lexicon, articles, counting)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
