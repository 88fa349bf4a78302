"""Sentence boundaries against the expert sentence split of BASIL, and speed.

Usage::

    python bench/sentences.py [--join blank|line] [--runs 3] [--top 10]

Reads the BASIL development split from ../shared/data/basil (relative to the
project root; not part of the repository, and nothing from it is written
anywhere; when it is not there the script says so and exits with status 0)
and compares three splitters:

(i)   ``framing.sentences.sentence_starts`` (the rule-based splitter),
(ii)  nltk's ``PunktSentenceTokenizer()`` with no trained parameters (what
      framing used before; its own faster copy of it gave the same starts at
      about 8x nltk's speed).

The text and the gold boundaries
--------------------------------
Each article's ``body-paragraphs`` is a list of paragraphs, each a list of
sentence strings: that list is the gold split. The article text is rebuilt
from it: every sentence is stripped of surrounding whitespace and dropped if
that leaves nothing, sentences of one paragraph are joined with one space,
and paragraphs with ``"\\n\\n"`` (``--join blank``, the default) or ``"\\n"``
(``--join line``). The title is not part of the text. Because the text is
built from the sentences, each gold sentence's offset is known exactly; no
alignment by search is needed.

A *boundary* is the character offset at which a sentence starts, excluding
offset 0 of each article (every splitter gets that one for free). The gold
boundaries are the offsets of all sentences but the first of each article; a
splitter's boundaries are the starts it returns, minus offset 0. Precision,
recall and F1 count exact matches of offsets, summed over all articles.

The tables of errors group false splits (a boundary the splitter gives and the
gold does not) and misses (a gold boundary the splitter does not give) by
the *preceding word*: the last whitespace-delimited piece of text before the
boundary, with its punctuation ("Mr.", "U.S.", "said.").

Speed is the time to split every article text once, one call per article,
median of ``--runs`` runs, and MB/s of UTF-8 text over that time. One more
line times the rule-based splitter on all articles joined with ``"\\n"`` as a
single text, as the analysis engine calls it, and says whether that gives the
same starts as splitting article by article.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from collections import Counter
from collections.abc import Callable, Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

BASIL = Path(__file__).resolve().parents[2] / "shared" / "data" / "basil"

Splitter = Callable[[str], Sequence[int]]


def load_articles(basil: Path, paragraph_sep: str) -> list[tuple[str, list[int]]]:
    """(text, gold boundaries) for every article, built as the module docstring says."""
    articles = []
    for path in sorted((basil / "articles").glob("*/*.json")):
        with path.open(encoding="utf-8") as f:
            paragraphs = json.load(f)["body-paragraphs"]
        pieces: list[str] = []
        starts: list[int] = []
        pos = 0
        for paragraph in paragraphs:
            sentences = [s.strip() for s in paragraph if s.strip()]
            if not sentences:
                continue
            for i, sentence in enumerate(sentences):
                if starts:
                    sep = " " if i else paragraph_sep
                    pieces.append(sep)
                    pos += len(sep)
                starts.append(pos)
                pieces.append(sentence)
                pos += len(sentence)
        articles.append(("".join(pieces), starts[1:]))
    return articles


def preceding_word(text: str, offset: int) -> str:
    words = text[max(0, offset - 60):offset].split()
    return words[-1] if words else "(start)"


def evaluate(articles: list[tuple[str, list[int]]], split: Splitter) -> dict:
    tp = fp = fn = 0
    false_splits: Counter[str] = Counter()
    misses: Counter[str] = Counter()
    for text, gold_list in articles:
        predicted = {int(s) for s in split(text)} - {0}
        gold = set(gold_list)
        tp += len(predicted & gold)
        fp += len(predicted - gold)
        fn += len(gold - predicted)
        false_splits.update(preceding_word(text, s) for s in predicted - gold)
        misses.update(preceding_word(text, s) for s in gold - predicted)
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": precision, "recall": recall, "f1": f1, "gold": tp + fn, "tp": tp, "fp": fp, "fn": fn,
            "false_splits": false_splits, "misses": misses}


def median_seconds(texts: Sequence[str], split: Splitter, runs: int) -> float:
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        for text in texts:
            split(text)
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     epilog="Definitions of boundary, gold and speed: see the docstring of this file.")
    parser.add_argument("--join", choices=("blank", "line"), default="blank",
                        help='paragraph separator when rebuilding each article: "blank" = "\\n\\n" (default), "line" = "\\n"')
    parser.add_argument("--runs", type=int, default=3, help="timing runs; the median is reported (default 3)")
    parser.add_argument("--top", type=int, default=10, help="preceding words listed for false splits and misses (default 10)")
    args = parser.parse_args(argv)

    if not (BASIL / "articles").is_dir():
        print(f"bench/sentences.py: the BASIL gold is not here ({BASIL}); nothing to measure. "
              "This benchmark needs ../shared/data/basil next to the project.")
        return 0

    # Imported after the check so that --help and a missing corpus stay quick.
    from nltk.tokenize.punkt import PunktSentenceTokenizer

    from framing import sentences as rules

    punkt = PunktSentenceTokenizer()

    def nltk_punkt(text: str) -> list[int]:
        return [start for start, _ in punkt.span_tokenize(text)] or [0]

    splitters: list[tuple[str, Splitter]] = [
        ("framing.sentences.sentence_starts (rules)", rules.sentence_starts),
        ("nltk PunktSentenceTokenizer() (untrained)", nltk_punkt),
    ]

    articles = load_articles(BASIL, "\n\n" if args.join == "blank" else "\n")
    texts = [text for text, _ in articles]
    megabytes = sum(len(t.encode("utf-8", "surrogatepass")) for t in texts) / 1e6
    rules.sentence_starts("Warm up. The pattern is compiled on first use.")
    print(f"BASIL dev split: {len(articles)} articles, {megabytes:.3f} MB, "
          f"paragraphs joined with {'a blank line' if args.join == 'blank' else 'one line break'}")
    print()

    seconds = {}
    for name, split in splitters:
        r = evaluate(articles, split)
        seconds[name] = median_seconds(texts, split, args.runs)
        print(name)
        print(f"  precision {r['precision']:.4f}  recall {r['recall']:.4f}  F1 {r['f1']:.4f}  "
              f"(gold boundaries {r['gold']}, correct {r['tp']}, false splits {r['fp']}, misses {r['fn']})")
        print(f"  speed {seconds[name]:.4f} s  {megabytes / seconds[name]:.1f} MB/s  (median of {args.runs})")
        for label, counter in (("false splits", r["false_splits"]), ("misses", r["misses"])):
            top = ", ".join(f"{word!r} {n}" for word, n in counter.most_common(args.top)) or "none"
            print(f"  {label} by preceding word: {top}")
        print()

    rules_s = seconds[splitters[0][0]]
    nltk_s = seconds[splitters[1][0]]
    print(f"speed ratio: rules are {nltk_s / rules_s:.1f}x nltk Punkt")
    chunk = "\n".join(texts)
    chunk_s = median_seconds([chunk], rules.sentence_starts, args.runs)
    expected, offset = set(), 0
    for text in texts:
        expected.update(int(s) + offset for s in rules.sentence_starts(text))
        offset += len(text) + 1
    same = set(rules.sentence_starts(chunk).tolist()) == expected
    print(f"rules on all articles as one text joined with '\\n': {chunk_s:.4f} s  {megabytes / chunk_s:.1f} MB/s; "
          f"same starts as article by article (article starts included): {'yes' if same else 'NO'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
