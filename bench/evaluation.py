"""The source-type classifier's evaluation on ../shared/data/abp_sourcetype, as framing reports it and grouped by outlet.

Usage::

    python bench/evaluation.py

Prints, for the development corpus (7,125 articles; said and stopped when
the folder is missing):

1. the evaluation of a plain ``framing analyze`` run (``evaluation.csv``):
   the folds there are stratified, because state media is one outlet
   (Al Jazeera), so outlet and type cannot be told apart;
2. the outlet-grouped evaluation over the types that have at least two
   outlets (wire: Reuters, AP; independent commentary: 123 outlets), state
   media left out: every article is scored by a model that never saw its
   outlet, the measure that says how the model does on outlets you do not
   have. Unknown (mainstream) articles are kept as unlabelled articles.

Both beside the majority-class and TF-IDF-only baselines of the same folds.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT.parent / "shared" / "data" / "abp_sourcetype"
sys.path.insert(0, str(ROOT))


def _table(result: object) -> str:
    """The evaluation of an ``AnalysisResult`` as a small text table."""
    e = result.evaluation  # type: ignore[attr-defined]
    summary = result.evaluation_summary  # type: ignore[attr-defined]
    head = f"  folds: {summary.get('folds')}, {summary.get('n_folds')} folds, {summary.get('n_articles')} training articles"
    lines = [head]
    classes = summary.get("classes", [])
    lines.append("  model        macro-F1  accuracy  " + "  ".join(f"F1 {c[:12]:>12}" for c in classes))
    for model in ("classifier", "tfidf_only", "majority"):
        mine = e[e.model == model]
        macro = float(mine[mine.metric == "macro_f1"].value.iloc[0])
        acc = float(mine[mine.metric == "accuracy"].value.iloc[0])
        f1 = [float(mine[(mine.metric == "f1") & (mine.true_type == c)].value.iloc[0]) for c in classes]
        lines.append(f"  {model:<12} {macro:8.3f}  {acc:8.3f}  " + "  ".join(f"{v:15.3f}" for v in f1))
    return "\n".join(lines)


def main() -> int:
    if not (DATA / "articles.jsonl").exists():
        print(f"{DATA} is missing: nothing to evaluate (the data lives beside the project, not in it)")
        return 0
    from framing import analyze, analyze_corpus
    from framing.corpus import read_corpus
    from framing.lexicon import load_lexicons

    t0 = time.perf_counter()
    result = analyze(DATA / "articles.jsonl", manifest=DATA / "manifest.csv", id_column="id", keep_rows=0, keep_texts=0)
    print(f"1. framing analyze, all types ({time.perf_counter() - t0:.1f} s):")
    print(_table(result))
    for note in result.notes.get("evaluation.csv", []):
        print(f"  note: {note}")

    t0 = time.perf_counter()
    corpus = read_corpus([DATA / "articles.jsonl"], manifest=DATA / "manifest.csv", id_column="id")
    kept = [a for a in corpus.articles if a.source_type != "state_media"]
    grouped = analyze_corpus(kept, load_lexicons())
    print(f"\n2. grouped by outlet: wire and independent commentary, state media left out "
          f"({len(kept):,} articles, {time.perf_counter() - t0:.1f} s):")
    print(_table(grouped))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
