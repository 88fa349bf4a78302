"""Validity of a frames lexicon: each frame's ROC AUC against human frame labels (issue 21).

Usage::

    python bench/frames.py                          # lexicons/news_frames.yaml, the held-out third
    python bench/frames.py --split build            # the two thirds the lexicon was built from
    python bench/frames.py --split all --markdown   # the table of docs/validation.md
    python bench/frames.py --lexicon lexicons/frames.yaml \\
        --as economic=economy_trade --as security_defense=security_military

What it measures: for every frame id and every labelled set that has the
frame, the ROC AUC of the category's rate (matches per 1,000 tokens, counted
by framing's own ``LexiconVectorizer``, so exactly the ``report.csv`` column)
against the human label: the chance that a text with the frame has a higher
rate than one without (ties count half; 0.5 is no better than chance). A 95 %
interval comes from 1,000 seeded bootstrap resamples of the texts.

The labelled sets, in ``../shared/data/frames`` beside the project (said and
stopped when missing; the texts are publishers' and never leave that folder):

* ``us_articles``: 311 US climate-change articles of left, centre and right
  outlets, five generic frames as booleans (``resolution`` is the
  responsibility / solution frame);
* ``ca_snippets``: 1,437 two-sentence snippets of Canadian climate news, each
  coded for the presence of eight frames (``environmental`` and
  ``scientific`` have no id here);
* ``frac``: 391 sentences of news and reader comments on several topics, one
  Policy Frames Codebook code each (one frame against all the others).

``--split``: ``heldout`` (default) is the third of each set whose text's SHA-1
is 0 mod 3, which the built-in lexicon was never tuned on; ``build`` the
other two thirds; ``all`` both. The development sets are themselves only
three quarters of their corpora (the rest is kept by others for evaluation),
and all but FrAC are about climate: figures here are development figures,
not a measure on unseen topics.
"""

from __future__ import annotations

import argparse
import hashlib
import sys
from dataclasses import dataclass
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # framing from this checkout, whatever is installed
DATA = ROOT.parent / "shared" / "data" / "frames"
IDS = ("economic capacity_resources morality fairness_equality legality policy_prescription crime_punishment "
       "security_defense health_safety quality_of_life cultural_identity public_opinion political "
       "external_regulation conflict human_interest responsibility").split()
# Each set's label -> the frame id it is evidence for.
US_ARTICLES = {"economic": "economic", "morality": "morality", "conflict": "conflict",
               "human_interest": "human_interest", "resolution": "responsibility"}
CA_SNIPPETS = {"cultural": "cultural_identity", "economic": "economic", "health": "health_safety",
               "justice": "fairness_equality", "political": "political", "security": "security_defense"}
FRAC_CODES = {1: "economic", 2: "capacity_resources", 3: "morality", 4: "fairness_equality", 5: "legality",
              6: "policy_prescription", 7: "crime_punishment", 8: "security_defense", 9: "health_safety",
              10: "quality_of_life", 11: "cultural_identity", 12: "public_opinion", 13: "political",
              14: "external_regulation"}
SETS = ("us_articles", "ca_snippets", "frac")
SET_NAMES = {"us_articles": "US climate articles", "ca_snippets": "Canadian climate snippets",
             "frac": "FrAC news sentences and comments, several topics"}
# The levels of a lexicon's ``validity:`` key, from the held-out AUCs of the sets with the frame:
# good: mean >= GOOD and every set >= FLOOR, on at least 2 sets (so on more than one topic: FrAC is several);
# weak: mean < FAIR or a set < FLOOR_WEAK; fair: the rest; unvalidated: no set has the frame.
GOOD, FAIR, FLOOR, FLOOR_WEAK = 0.80, 0.70, 0.72, 0.65
MIN_POSITIVES = 5  # a frame with fewer labelled texts in a split gets no AUC there
BOOTSTRAP = 1_000
SEED = 21


@dataclass
class Labelled:
    """One frame's texts in one set: each text and whether people saw the frame in it."""

    set: str
    frame: str
    texts: list[str]
    y: np.ndarray


def in_split(text: str, split: str) -> bool:
    heldout = int(hashlib.sha1(text.encode("utf-8")).hexdigest(), 16) % 3 == 0
    return split == "all" or heldout == (split == "heldout")


def labelled_sets(split: str) -> list[Labelled]:
    """Every (set, frame) pair with its texts in ``split``."""
    import pandas as pd

    out: list[Labelled] = []
    us = pd.read_csv(DATA / "narrative_frames_climate.csv")
    us = us[[in_split(t, split) for t in us["text"]]]
    for label, frame in US_ARTICLES.items():
        out.append(Labelled("us_articles", frame, us["text"].tolist(), us[label].astype(bool).to_numpy()))
    ca = pd.read_csv(DATA / "ccf_climate_snippets.csv")
    ca = ca[[in_split(t, split) for t in ca["text"]]]
    for label, frame in CA_SNIPPETS.items():
        rows = ca[ca["frame"] == label]
        out.append(Labelled("ca_snippets", frame, rows["text"].tolist(), rows["label"].astype(int).to_numpy() == 1))
    frac = pd.read_csv(DATA / "frac_sentences.csv")
    frac = frac[[in_split(t, split) for t in frac["sentence"]]]
    for code, frame in FRAC_CODES.items():
        out.append(Labelled("frac", frame, frac["sentence"].tolist(), frac["label"].to_numpy() == code))
    return out


def auc_with_interval(rate: np.ndarray, y: np.ndarray, rng: np.random.Generator) -> tuple[float, float, float]:
    """ROC AUC of ``rate`` for ``y`` and its 95 % percentile bootstrap interval.

    framing's own AUC (``framing.stats.label_model.auc_columns``: Mann-Whitney, ties one half), as the
    workbench's ``lexicon stats --label`` gives it.
    """
    from framing.stats.label_model import auc_columns

    auc = float(auc_columns(rate, y)[0])
    draws = []
    for _ in range(BOOTSTRAP):
        i = rng.integers(0, len(y), len(y))
        if y[i].any() and not y[i].all():
            draws.append(float(auc_columns(rate[i], y[i])[0]))
    low, high = np.percentile(draws, [2.5, 97.5])
    return auc, float(low), float(high)


def measure(lexicon: Path, column_of: dict[str, str], split: str) -> list[dict[str, object]]:
    """One row per (frame, set) with enough positives: AUC, interval, counts."""
    from framing.vectorizer import LexiconVectorizer

    vec = LexiconVectorizer(lexicon=[lexicon]).fit([])
    names = list(vec.get_feature_names_out())
    prefix = names[0].split(".", 1)[0]
    rng = np.random.default_rng(SEED)
    items = labelled_sets(split)
    texts = sorted({t for item in items for t in item.texts})
    row_of = {t: i for i, t in enumerate(texts)}
    rates = np.asarray(vec.transform(texts))  # every text once, whichever sets and frames it is labelled for
    rows = []
    for item in items:
        column = f"{prefix}.{column_of.get(item.frame, item.frame)}"
        positives = int(item.y.sum())
        if column not in names or positives < MIN_POSITIVES or positives == len(item.y):
            rows.append({"frame": item.frame, "set": item.set, "n": len(item.y), "positives": positives,
                         "auc": None, "column": column if column in names else None})
            continue
        rate = rates[[row_of[t] for t in item.texts], names.index(column)]
        auc, low, high = auc_with_interval(rate, item.y, rng)
        rows.append({"frame": item.frame, "set": item.set, "n": len(item.y), "positives": positives, "auc": auc,
                     "low": low, "high": high, "column": column, "coverage": float(np.mean(rate[item.y] > 0))})
    return rows


def validity(rows: list[dict[str, object]], frame: str) -> tuple[str, str]:
    """The ``validity:`` level and the ``evidence:`` text of one frame, from its held-out rows."""
    measured = [r for r in rows if r["frame"] == frame and r["auc"] is not None]
    if not measured:
        return "unvalidated", "No development set has this frame (bench/frames.py)."
    aucs = [float(r["auc"]) for r in measured]
    mean, low = float(np.mean(aucs)), min(aucs)
    if mean < FAIR or low < FLOOR_WEAK:
        level = "weak"
    elif mean >= GOOD and low >= FLOOR and len(aucs) >= 2:
        level = "good"
    else:
        level = "fair"
    parts = [f"{float(r['auc']):.2f} on {SET_NAMES[str(r['set'])]} ({r['positives']} of {r['n']} with the frame)"
             for r in measured]
    return level, (f"Held-out ROC AUC of the rate against human frame labels: {'; '.join(parts)}. "
                   "Development sets not used to choose the terms (bench/frames.py).")


def table(rows: list[dict[str, object]], markdown: bool) -> str:
    measured = [r for r in rows if r["auc"] is not None]
    lines = []
    if markdown:
        lines += ["| frame | " + " | ".join(SETS) + " | mean |", "|---|" + "---:|" * (len(SETS) + 1)]
    else:
        lines.append(f"{'frame':22}" + "".join(f"{s:>28}" for s in SETS) + f"{'mean':>8}")
    for frame in IDS:
        cells, values = [], []
        for s in SETS:
            r = next((r for r in measured if r["frame"] == frame and r["set"] == s), None)
            if r is None:
                cells.append("")
                continue
            values.append(float(r["auc"]))
            cells.append(f"{r['auc']:.2f} [{r['low']:.2f}-{r['high']:.2f}] ({r['positives']}/{r['n']})")
        mean = f"{np.mean(values):.2f}" if values else "-"
        if markdown:
            lines.append(f"| `{frame}` | " + " | ".join(cells) + f" | {mean} |")
        else:
            lines.append(f"{frame:22}" + "".join(f"{c:>28}" for c in cells) + f"{mean:>8}")
    per_frame = [np.mean([float(r["auc"]) for r in measured if r["frame"] == f])
                 for f in IDS if any(r["frame"] == f for r in measured)]
    per_set = {s: np.mean([float(r["auc"]) for r in measured if r["set"] == s]) for s in SETS
               if any(r["set"] == s for r in measured)}
    missing = [f for f in IDS if not any(r["column"] for r in rows if r["frame"] == f)]
    lines.append("")
    lines.append(f"mean of the per-frame AUCs: {np.mean(per_frame):.3f} over {len(per_frame)} frames; "
                 f"mean of every (frame, set) AUC: {np.mean([float(r['auc']) for r in measured]):.3f} "
                 f"over {len(measured)}")
    lines.append("per set: " + ", ".join(f"{s} {v:.3f}" for s, v in per_set.items()))
    lines.append(f"frame ids the lexicon lacks: {', '.join(missing) or 'none'}")
    return "\n".join(lines)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--lexicon", type=Path, default=ROOT / "lexicons" / "news_frames.yaml")
    ap.add_argument("--split", choices=("heldout", "build", "all"), default="heldout")
    ap.add_argument("--as", dest="mapping", action="append", default=[], metavar="ID=CATEGORY",
                    help="score frame ID by this category of the lexicon (for lexicons with other ids)")
    ap.add_argument("--markdown", action="store_true", help="print a Markdown table")
    ap.add_argument("--check", action="store_true",
                    help="say where the lexicon's validity: keys differ from the held-out figures")
    args = ap.parse_args()
    if not DATA.is_dir():
        print(f"{DATA} is missing: this benchmark needs the frame-labelled sets (../shared/data/frames)")
        return 1
    column_of = dict(m.split("=", 1) for m in args.mapping)
    rows = measure(args.lexicon, column_of, args.split)
    print(f"{args.lexicon.name}, {args.split} split: ROC AUC of each frame's rate against the human label "
          "[95 % bootstrap interval] (texts with the frame / texts)")
    print(table(rows, args.markdown))
    if args.check:
        return check(args.lexicon, rows if args.split == "heldout" else measure(args.lexicon, column_of, "heldout"))
    return 0


def check(lexicon: Path, heldout: list[dict[str, object]]) -> int:
    """Compare each category's recorded ``validity`` with the level its held-out figures give; 1 on a difference."""
    from framing import load_lexicon

    recorded = {c.id: c.validity for c in load_lexicon(lexicon).categories}
    wrong = 0
    print()
    for frame in IDS:
        level, _ = validity(heldout, frame)
        if recorded.get(frame) != level:
            wrong += 1
            print(f"{frame}: the lexicon says {recorded.get(frame) or 'nothing'}, the held-out figures say {level}")
    print(f"validity keys: {len(IDS) - wrong} of {len(IDS)} agree with the held-out figures")
    return 1 if wrong else 0


if __name__ == "__main__":
    sys.exit(main())
