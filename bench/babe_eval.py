"""A lexicon category against the words BABE's expert annotators marked as biased.

Usage::

    python bench/babe_eval.py [--lexicon PATH --category ID] [--folds 5]
    python bench/babe_eval.py [--lexicon PATH --category ID] --missed [N]

Reads the BABE development split from ../shared/data/babe_mbic (relative to
the project root; not part of the repository, and nothing from it is written
into the project; when it is not there the script says so and exits with
status 0). Default category: ``evaluative_language`` of the built-in
``lexicons/style.yaml``.

The sentences
-------------
``final_labels_SG2.dev.csv`` (5 experts per sentence, the BABE release) and
``final_labels_SG1.dev.csv`` (8 experts) share most of their sentences. Each
distinct sentence text is counted once: its SG2 row when there is one (label
and marked words from SG2 alone, never a union of the two groups' marks),
otherwise its SG1 row. Sentences labelled "No agreement" are left out. MBIC's
crowd labels are not used.

The split
---------
A sentence is in the *build* half when ``int(sha1("babe-build:" + news_link))
% 10 < 7`` and in the *check* half otherwise: about 70 % / 30 %, by article,
so that sentences of one article never fall on both sides. Terms were chosen
by reading the build half only; the check half is the figure to quote.

Word level
----------
Texts go through framing's own tokenizer and matcher
(``build_token_table``, ``compile_lexicons``, ``match``): the matches
counted are exactly those ``framing analyze`` counts (negated matches are
left out). A token's *forms* are its text, its text without a final "'s",
and, for a hyphenated token, each of its parts. The annotators' marked words
of a sentence (``biased_words``) are lower-cased, stripped of surrounding
punctuation and deduplicated; a marked word is a *unit* of that sentence.

* recall = units found / units, where a unit is found when some counted
  match covers a token of its sentence with the unit among its forms. Units
  that occur as no token of their sentence (a spelling the tokenizer splits
  otherwise) stay in the denominator.
* precision = matched tokens that are marked / matched tokens, where a
  matched token (covered by a counted match) is marked when one of its forms
  is a unit of its sentence; every sentence counts, biased or not.

Sentence level
--------------
ROC AUC (``sklearn.metrics.roc_auc_score``) of the category's rate (sum of
match weights per 1,000 tokens of the sentence, as ``framing analyze``
reports it) for Biased (1) against Non-biased (0), and of its raw match count.

References
----------
* ``BABE word list``: the 2,130 words of ``bias_word_lexicon.csv`` (the BABE
  authors' list, AGPL; read here only to compute this figure) as literal
  single-word terms, run through the same matcher.
* ``build-half word list`` (a supervised ceiling for a word list, not a
  lexicon of the project): every word marked at least twice in the build half
  whose marked share of its build-half occurrences is at least 0.5, as
  literal terms; meaningful on the check half only.
* ``TF-IDF + LogReg``: sentence AUC of a supervised classifier (word 1-2
  grams, sublinear TF, ``LogisticRegression(C=4)``), from stratified
  ``--folds``-fold cross-validation over all dev sentences, and trained on
  the build half, scored on the check half.

Choosing terms: ``--missed``
----------------------------
``--missed N`` (default 40) prints, instead of the table above, the
category's figures on the *build half only* and two lists of build-half
words, so that terms can be chosen without looking at the check half: the
N most frequent marked words that no counted match covers (with how often
the word is marked and unmarked in the build half, and whether another
token of the same text is matched), and the N most frequent matched tokens
that annotators did not mark (with their marked and unmarked counts). A
token is listed under its longest form (the hyphenated whole rather than a
part). The lists are for reading, not for copying into a lexicon.
"""

from __future__ import annotations

import argparse
import ast
import csv
import hashlib
import string
import sys
import tempfile
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import yaml

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from framing.analysis.match import compile_lexicons, match  # noqa: E402
from framing.analysis.tokentable import build_token_table  # noqa: E402
from framing.lexicon import load_lexicon  # noqa: E402
from framing.tokenize import normalize  # noqa: E402

DATA = ROOT.parent / "shared" / "data" / "babe_mbic"
STYLE = ROOT / "lexicons" / "style.yaml"
BUILD_SHARE = 7  # tenths of the articles in the build half
_STRIP = string.punctuation + "\u201c\u201d\u2018\u2019\u2026 "


@dataclass
class Babe:
    """The deduplicated dev sentences and their token table."""

    texts: list[str]
    label: np.ndarray  # 1 Biased, 0 Non-biased
    units: list[set[str]]  # per sentence: the marked words
    build: np.ndarray  # bool: build half
    table: object  # TokenTable of ``texts``
    forms: list[tuple[str, ...]]  # per flat token: its forms
    token_doc: np.ndarray  # per flat token: its sentence


def clean_word(word: str) -> str:
    """A marked word as compared with token forms: lower case, unified apostrophes, no surrounding punctuation."""
    return normalize(word).strip(_STRIP)


def token_forms(token: str) -> tuple[str, ...]:
    """The forms a token is compared under: itself, without "'s", and its hyphen parts."""
    forms = {token}
    if token.endswith("'s"):
        forms.add(token[:-2])
    if "-" in token:
        forms.update(p for p in token.split("-") if p)
    return tuple(forms)


def in_build(link: str) -> bool:
    """True for articles of the build half (about 70 %)."""
    return int(hashlib.sha1(("babe-build:" + link).encode("utf-8")).hexdigest(), 16) % 10 < BUILD_SHARE


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f, delimiter=";"))


def load_babe(folder: Path = DATA) -> Babe:
    """SG2, then the SG1 sentences SG2 does not have; "No agreement" left out."""
    seen: set[str] = set()
    texts, labels, units, build = [], [], [], []
    for name in ("final_labels_SG2.dev.csv", "final_labels_SG1.dev.csv"):
        for r in _rows(folder / name):
            if r["text"] in seen or r["label_bias"] not in ("Biased", "Non-biased"):
                seen.add(r["text"])
                continue
            seen.add(r["text"])
            texts.append(r["text"])
            labels.append(r["label_bias"] == "Biased")
            marked = ast.literal_eval(r["biased_words"] or "[]")
            units.append({w for w in map(clean_word, marked) if w})
            build.append(in_build(r["news_link"]))
    table = build_token_table(texts)
    words = [table.joined[s:e] for s, e in zip(table.flat_starts.tolist(), table.flat_ends.tolist())]
    return Babe(
        texts=texts, label=np.asarray(labels, dtype=np.int64), units=units,
        build=np.asarray(build, dtype=bool), table=table, forms=[token_forms(w) for w in words],
        token_doc=table.doc_of(),
    )


def covered_tokens(lexicon, category: str, table) -> tuple[np.ndarray, np.ndarray]:
    """Per flat token: covered by a counted match of ``category`` (or a category nested in it); per sentence: weight sum."""
    lex = compile_lexicons([lexicon])
    m = match(lex, table)
    wanted = np.asarray([cid == category or cid.startswith(category + "/") for _, cid in lex.category_ref], dtype=bool)
    if not wanted.any():
        raise SystemExit(f"{lexicon.name} has no category {category!r}")
    keep = wanted[m.category] & ~m.negated
    covered = np.zeros(len(table.ids), dtype=bool)
    for s, e in zip(m.start[keep].tolist(), m.end[keep].tolist()):
        covered[s:e] = True
    weights = np.bincount(m.doc[keep], weights=m.weight[keep], minlength=table.n_docs)
    counts = np.bincount(m.doc[keep], minlength=table.n_docs)
    return covered, weights, counts


def word_scores(babe: Babe, covered: np.ndarray, docs: np.ndarray) -> dict[str, float]:
    """Recall of units, precision of matched tokens, over the sentences ``docs`` (bool mask)."""
    found: set[tuple[int, str]] = set()
    matched = marked = 0
    for k in np.flatnonzero(covered & docs[babe.token_doc]).tolist():
        d = int(babe.token_doc[k])
        hit = babe.units[d].intersection(babe.forms[k])
        matched += 1
        if hit:
            marked += 1
            found.update((d, w) for w in hit)
    n_units = sum(len(babe.units[d]) for d in np.flatnonzero(docs).tolist())
    return {
        "recall": len(found) / n_units if n_units else float("nan"),
        "precision": marked / matched if matched else float("nan"),
        "found": len(found), "units": n_units, "matched": matched,
    }


def auc(y: np.ndarray, score: np.ndarray) -> float:
    from sklearn.metrics import roc_auc_score

    return float(roc_auc_score(y, score)) if len(set(y.tolist())) == 2 else float("nan")


def evaluate(babe: Babe, lexicon, category: str) -> dict[str, dict[str, float]]:
    """Word and sentence figures of one category on the build half, the check half and both."""
    covered, weights, counts = covered_tokens(lexicon, category, babe.table)
    rate = 1000.0 * weights / np.maximum(babe.table.n_tokens, 1)
    out = {}
    for part, docs in (("build", babe.build), ("check", ~babe.build), ("all", np.ones_like(babe.build))):
        scores = word_scores(babe, covered, docs)
        scores["auc_rate"] = auc(babe.label[docs], rate[docs])
        scores["auc_count"] = auc(babe.label[docs], counts[docs].astype(float))
        scores["fires"] = float((counts[docs] > 0).mean())
        out[part] = scores
    return out


def word_list_lexicon(words: list[str], folder: Path, name: str):
    """A one-category lexicon of literal single words, written to a temporary file and read back."""
    terms = sorted({w for w in (clean_word(x).replace("#", "") for x in words) if w and " " not in w})
    doc = {
        "name": name, "role": "style", "version": "0", "description": "evaluation only", "citation": "evaluation only",
        "language": "en", "categories": {"words": {"label": "words", "description": "evaluation only", "terms": terms}},
    }
    path = folder / f"{name}.yaml"
    path.write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    return load_lexicon(path)


def build_half_words(babe: Babe, min_marked: int = 2, min_share: float = 0.5) -> list[str]:
    """Words marked at least ``min_marked`` times in the build half and marked in at least ``min_share`` of their uses."""
    seen: Counter[str] = Counter()
    marked: Counter[str] = Counter()
    for k, forms in enumerate(babe.forms):
        d = int(babe.token_doc[k])
        if not babe.build[d]:
            continue
        word = forms[0] if len(forms) == 1 else max(forms, key=len)
        seen[word] += 1
        if babe.units[d].intersection(forms):
            marked[word] += 1
    return [w for w, n in marked.items() if n >= min_marked and n / seen[w] >= min_share]


def missed_words(babe: Babe, covered: np.ndarray, top: int) -> tuple[list[tuple], list[tuple]]:
    """Build half: the most frequent unmatched marked words and matched unmarked tokens, with marked/unmarked counts."""
    seen: Counter[str] = Counter()
    marked: Counter[str] = Counter()
    missed: Counter[str] = Counter()
    hit_marked: Counter[str] = Counter()
    hit_unmarked: Counter[str] = Counter()
    for k, forms in enumerate(babe.forms):
        d = int(babe.token_doc[k])
        if not babe.build[d]:
            continue
        word = max(forms, key=len)
        is_marked = bool(babe.units[d].intersection(forms))
        seen[word] += 1
        marked[word] += is_marked
        if covered[k]:
            (hit_marked if is_marked else hit_unmarked)[word] += 1
        elif is_marked:
            missed[word] += 1
    miss = [(w, n, marked[w], seen[w] - marked[w], hit_marked[w] + hit_unmarked[w]) for w, n in missed.most_common(top)]
    false = [(w, n, hit_marked[w]) for w, n in hit_unmarked.most_common(top)]
    return miss, false


def print_missed(babe: Babe, lexicon, category: str, name: str, top: int) -> None:
    """The ``--missed`` report: build-half figures and word lists, nothing of the check half."""
    result = evaluate(babe, lexicon, category)
    print(f"{'category':<34} {'half':<6} {'recall':>7} {'precision':>9} {'found/units':>12} {'matched':>7}"
          f" {'fires':>6} {'AUC rate':>8} {'AUC count':>9}")
    print(_row(name, "build", result["build"]))
    covered, _, _ = covered_tokens(lexicon, category, babe.table)
    miss, false = missed_words(babe, covered, top)
    print()
    print(f"Build half: the {len(miss)} most frequent marked words no match covers")
    print(f"{'word':<24} {'missed':>6} {'marked':>6} {'unmarked':>8} {'matched elsewhere':>17}")
    for w, n, m, u, h in miss:
        print(f"{w:<24} {n:>6} {m:>6} {u:>8} {h:>17}")
    print()
    print(f"Build half: the {len(false)} most frequent matched tokens annotators did not mark")
    print(f"{'word':<24} {'unmarked':>8} {'marked':>6}")
    for w, u, m in false:
        print(f"{w:<24} {u:>8} {m:>6}")


def tfidf_reference(babe: Babe, folds: int) -> dict[str, float]:
    """Sentence AUC of TF-IDF + logistic regression: cross-validated on all sentences, and build -> check."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import StratifiedKFold, cross_val_predict
    from sklearn.pipeline import make_pipeline

    def model():
        return make_pipeline(TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True, min_df=2),
                             LogisticRegression(C=4.0, max_iter=2000))

    texts = np.asarray(babe.texts, dtype=object)
    cv = StratifiedKFold(n_splits=folds, shuffle=True, random_state=0)
    p = cross_val_predict(model(), texts, babe.label, cv=cv, method="predict_proba")[:, 1]
    fitted = model().fit(texts[babe.build], babe.label[babe.build])
    q = fitted.predict_proba(texts[~babe.build])[:, 1]
    return {"cv": auc(babe.label, p), "check": auc(babe.label[~babe.build], q)}


def _row(name: str, part: str, s: dict[str, float]) -> str:
    return (f"{name:<34} {part:<6} {s['recall']:>7.3f} {s['precision']:>9.3f} {s['found']:>6}/{s['units']:<5}"
            f" {s['matched']:>7} {s['fires']:>6.2f} {s['auc_rate']:>8.3f} {s['auc_count']:>9.3f}")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--lexicon", default=str(STYLE), help="lexicon file (default: lexicons/style.yaml)")
    ap.add_argument("--category", default=None, help="category id (default: evaluative_language)")
    ap.add_argument("--folds", type=int, default=5, help="cross-validation folds of the TF-IDF reference")
    ap.add_argument("--missed", type=int, nargs="?", const=40, default=None, metavar="N",
                    help="print build-half figures and the N most frequent missed marked words and unmarked matches "
                         "of the build half (no check-half figures)")
    ap.add_argument("--data", default=str(DATA), help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    folder = Path(args.data)
    if not (folder / "final_labels_SG2.dev.csv").exists():
        print(f"BABE development split not found at {folder}; nothing to evaluate.")
        return 0

    babe = load_babe(folder)
    if args.missed is not None:
        if args.category:
            print_missed(babe, load_lexicon(args.lexicon), args.category,
                         f"{Path(args.lexicon).name}:{args.category}", args.missed)
        else:
            print_missed(babe, load_lexicon(STYLE), "evaluative_language", "style:evaluative_language", args.missed)
        return 0
    n_b, n_c = int(babe.build.sum()), int((~babe.build).sum())
    print(f"BABE dev: {len(babe.texts)} sentences ({int(babe.label.sum())} Biased), build {n_b} / check {n_c}; "
          f"{sum(map(len, babe.units))} marked-word units")
    print()
    print(f"{'category':<34} {'half':<6} {'recall':>7} {'precision':>9} {'found/units':>12} {'matched':>7}"
          f" {'fires':>6} {'AUC rate':>8} {'AUC count':>9}")

    rows: list[tuple[str, object, str, tuple[str, ...]]] = []
    if args.category:
        rows.append((f"{Path(args.lexicon).name}:{args.category}", load_lexicon(args.lexicon), args.category,
                     ("build", "check", "all")))
    else:
        style = load_lexicon(STYLE)
        rows.append(("style:evaluative_language", style, "evaluative_language", ("build", "check", "all")))
    with tempfile.TemporaryDirectory() as tmp:
        words = folder / "bias_word_lexicon.csv"
        if words.exists():
            with words.open(encoding="utf-8", newline="") as f:
                listed = [r["word"] for r in csv.DictReader(f)]
            rows.append((f"BABE word list ({len(listed)} words)", word_list_lexicon(listed, Path(tmp), "babe_words"),
                         "words", ("build", "check", "all")))
        ceiling = build_half_words(babe)
        rows.append((f"build-half word list ({len(ceiling)} words)",
                     word_list_lexicon(ceiling, Path(tmp), "build_half"), "words", ("check",)))
        for name, lexicon, category, parts in rows:
            result = evaluate(babe, lexicon, category)
            for part in parts:
                print(_row(name, part, result[part]))
    ref = tfidf_reference(babe, args.folds)
    print(f"{'TF-IDF + LogReg (supervised)':<34} sentence AUC: {args.folds}-fold CV on all {ref['cv']:.3f};"
          f" trained on build, scored on check {ref['check']:.3f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
