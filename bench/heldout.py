"""A held-out evaluation of the source-type classifier, simulated inside ../shared/data/abp_sourcetype.

Usage::

    python bench/heldout.py               # three classes; mainstream news stays unlabelled
    python bench/heldout.py --mainstream  # four: abp's mainstream reference outlets labelled ``mainstream``

The issue's measure is run on articles framing has never seen labelled:
a quarter of the articles of the known outlets plus every article of a few
outlets absent from the training data, labels hidden, analysed together with
the labelled articles. Those held-out files are not on this machine, so this
script builds the same shape from the development file (said and stopped
when the folder is missing):

* every article with ``sha1(id) mod 4 == 1`` (a quarter of each outlet; the
  development file itself is the articles with ``mod 4 != 0``);
* every article of 12 commentary outlets picked by the hash of their name
  among those with 5 to 60 articles (so no large outlet is lost to training).

Their source type is hidden (set to ``unknown``, the outlet kept), the
whole file is analysed with the default settings, and the predictions
(``predicted_source_type``) of the hidden articles are scored against their
true type: 3-class macro-F1 over wire / state media / commentary, per-class
F1, and the accuracy on the unseen commentary outlets. Mainstream
(``unknown``) articles stay as they are, unlabelled (with ``--mainstream``
they are a fourth class, hidden and scored like the others).

An ``undetermined`` article counts as a miss in the macro-F1 of the calls as
made; two more figures separate the two things the classifier does: the
macro-F1 of the articles it made a call for (and the share it made none for),
and the closed-world macro-F1 of the most probable type (``style_<type>``'s
highest), as if it never abstained.
"""

from __future__ import annotations

import argparse
import csv
import dataclasses
import hashlib
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT.parent / "shared" / "data" / "abp_sourcetype"
sys.path.insert(0, str(ROOT))

CLASSES = ("wire", "state_media", "independent_commentary")
N_UNSEEN = 12


def _hash(text: str) -> int:
    return int(hashlib.sha1(text.encode("utf-8")).hexdigest(), 16)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mainstream", action="store_true", help="label the mainstream reference outlets mainstream")
    args = parser.parse_args()
    if not (DATA / "articles.jsonl").exists():
        print(f"{DATA} is missing: nothing to evaluate (the data lives beside the project, not in it)")
        return 0
    from sklearn.metrics import f1_score

    from framing import analyze_corpus
    from framing.corpus import read_corpus
    from framing.lexicon import load_lexicons

    corpus = read_corpus([DATA / "articles.jsonl"], manifest=DATA / "manifest.csv", id_column="id")
    classes = CLASSES
    if args.mainstream:  # the manifest's own label for them is unknown; label_basis says what they are
        with open(DATA / "manifest.csv", encoding="utf-8", newline="") as f:  # 1.8 MB, not the 46 MB of text again
            basis = {row["id"]: row["label_basis"] for row in csv.DictReader(f)}
        corpus.articles[:] = [dataclasses.replace(a, source_type="mainstream")
                              if basis.get(a.id) == "mainstream_news_reference" else a for a in corpus.articles]
        classes = (*CLASSES, "mainstream")
    sizes = Counter(a.outlet for a in corpus.articles if a.source_type == "independent_commentary")
    candidates = sorted((o for o, k in sizes.items() if 5 <= k <= 60), key=_hash)
    unseen = set(candidates[:N_UNSEEN])
    truth: dict[str, str] = {}
    articles = []
    for a in corpus.articles:
        if a.source_type in classes and (a.outlet in unseen or _hash(a.id) % 4 == 1):
            truth[a.id] = a.source_type
            a = dataclasses.replace(a, source_type="unknown")
        articles.append(a)
    t0 = time.perf_counter()
    result = analyze_corpus(articles, load_lexicons())
    seconds = time.perf_counter() - t0
    scores = result.scores.set_index("article_id")
    ids = sorted(truth)
    y = [truth[i] for i in ids]
    pred = [str(scores.at[i, "predicted_source_type"]) for i in ids]
    outlet = [str(scores.at[i, "outlet"]) for i in ids]
    labels = list(classes)
    per_class = f1_score(y, pred, labels=labels, average=None, zero_division=0)
    macro = f1_score(y, pred, labels=labels, average="macro", zero_division=0)
    styles = [c for c in scores.columns if c.startswith("style_")]
    closed = [styles[k][len("style_"):] for k in scores.loc[ids, styles].to_numpy().argmax(axis=1)]
    called = [k for k, p in enumerate(pred) if p != "undetermined"]
    macro_closed = f1_score(y, closed, labels=labels, average="macro", zero_division=0)
    macro_called = f1_score([y[k] for k in called], [pred[k] for k in called], labels=labels, average="macro",
                            zero_division=0)
    n_train = sum(1 for a in articles if a.source_type in classes)
    print(f"{len(articles):,} articles analysed in {seconds:.1f} s; {n_train:,} labelled for training, "
          f"{len(ids):,} hidden ({Counter(y)})")
    print(f"unseen commentary outlets: {', '.join(sorted(unseen))}")
    print(f"held-out macro-F1 ({len(labels)} classes), calls as made (undetermined a miss): {macro:.3f}")
    print(f"  of the articles it made a call for: {macro_called:.3f} ({len(called):,} of {len(ids):,}; "
          f"undetermined {1 - len(called) / max(len(ids), 1):.3f})")
    print(f"  closed world (the most probable type, never undetermined): {macro_closed:.3f}")
    for name, f in zip(labels, per_class):
        print(f"  F1 {name:<24} {f:.3f}")
    print(f"  undetermined: {sum(p == 'undetermined' for p in pred)}")
    new = [(t, p) for t, p, o in zip(y, pred, outlet) if o in unseen]
    seen = [(t, p) for t, p, o in zip(y, pred, outlet) if o not in unseen and t == "independent_commentary"]
    print(f"accuracy on the unseen commentary outlets: {sum(t == p for t, p in new) / max(len(new), 1):.3f} "
          f"({len(new)} articles)")
    print(f"accuracy on held-out commentary of seen outlets: {sum(t == p for t, p in seen) / max(len(seen), 1):.3f} "
          f"({len(seen)} articles)")
    confusion = Counter(zip(y, pred))
    print("confusion (true -> predicted: articles):")
    for (t, p), k in sorted(confusion.items()):
        print(f"  {t} -> {p}: {k}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
