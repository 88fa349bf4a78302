"""Evaluating a model of a label column: per class, out-of-fold ROC AUC and F1 beside two baselines.

The model is ``framing.stats.classify``'s, trained on the label's values
(``cross_validate(..., label=COLUMN)``); its out-of-fold probabilities come
from models that never saw the article (folds grouped by outlet when every
class has 2 outlets). Per class ``c`` (one-vs-rest):

* **label_model**: ROC AUC of the out-of-fold probability of ``c``; F1 of
  the out-of-fold calls (the most probable class).
* **lexicon_rate**: one lexicon-rate column as the score of ``c`` (a higher
  rate: more likely ``c``). Its column is chosen on the training folds only:
  in each fold, the column of highest AUC on the other folds' articles scores
  the held-out articles, as its percentile among those training articles
  (so that scores of different columns pool into one AUC). ``column`` names
  the column chosen on all articles, and ``auc_in_sample`` its AUC there:
  an optimistic figure, chosen and measured on the same articles.
* **majority**: every article gets the training folds' most common class.
  As a score it is constant, so its AUC is 0.5; its F1 is 0 for every other
  class.

AUC is the Mann-Whitney statistic (ties count one half), equal to
scikit-learn's ``roc_auc_score``; it is ``NaN`` for a class no article, or
every article, has. Pure: arrays in, rows out.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
from scipy.stats import rankdata

from ..errors import InputError
from .classify import MIN_PER_TYPE, Trained

__all__ = ["LabelModel", "applied_evaluation", "auc_columns", "label_classes", "label_evaluation", "lexicon_scores"]


@dataclass
class LabelModel:
    """A model of a label column, trained in a run: the classifier and its out-of-fold evaluation."""

    trained: Trained  # its ``oof`` rows are the training articles, in id order
    ids: list[str]  # the training articles' ids, in id order
    values: list[str]  # their values of the label
    evaluation: list[dict[str, object]] = field(default_factory=list)  # ``schema.LABEL_EVALUATION_COLUMNS`` rows
    summary: dict[str, object] = field(default_factory=dict)  # by class: auc, f1, lexicon_auc, lexicon_column, ...


def label_classes(values: Sequence[str], name: str) -> list[str]:
    """The values of the label ``name`` with at least ``MIN_PER_TYPE`` articles (``""``: unlabelled), sorted.

    Raises ``InputError`` (about the argument ``label``) when fewer than 2 have
    that many: one class is nothing to tell apart.
    """
    found, counts = np.unique(np.asarray([v for v in values if v], dtype=object).astype(str), return_counts=True)
    classes = [str(v) for v, c in zip(found.tolist(), counts.tolist()) if c >= MIN_PER_TYPE]
    if len(classes) < 2:
        have = ", ".join(f"{c} {v!r}" for v, c in zip(found.tolist(), counts.tolist())) or "none labelled"
        raise InputError(f"no model of {name!r} can be trained: it needs {MIN_PER_TYPE} articles of each of at "
                         f"least 2 of its values; the articles have {have}", argument="label")
    return classes


def auc_columns(scores: np.ndarray, positive: np.ndarray) -> np.ndarray:
    """ROC AUC of each column of ``scores`` (articles x columns) for the ``positive`` articles; NaN without both."""
    scores = np.asarray(scores, dtype=np.float64)
    if scores.ndim == 1:
        scores = scores[:, None]
    positive = np.asarray(positive, dtype=bool)
    n_pos = int(positive.sum())
    n_neg = len(positive) - n_pos
    if n_pos == 0 or n_neg == 0:
        return np.full(scores.shape[1], np.nan)
    ranks = rankdata(scores, axis=0)  # ties get their mean rank: each tie counts one half
    return (ranks[positive].sum(axis=0) - n_pos * (n_pos + 1) / 2.0) / (n_pos * n_neg)


def lexicon_scores(rates: np.ndarray, positive: np.ndarray, fold_of: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Each article's out-of-fold lexicon score for the ``positive`` class, and the column each fold chose.

    In fold ``f``, the column of highest AUC on the articles of the other
    folds (the first such column on a tie; a fold whose training articles are
    all or none positive takes column 0) scores the fold's articles by their
    percentile among those training articles' values of it (mid-rank, 0 to 1).
    """
    rates = np.asarray(rates, dtype=np.float64)
    out = np.zeros(len(positive))
    chosen = np.zeros(int(fold_of.max()) + 1 if len(fold_of) else 0, dtype=np.int64)
    for f in range(len(chosen)):
        test = fold_of == f
        train = ~test
        aucs = auc_columns(rates[train], positive[train]) if rates.shape[1] else np.zeros(0)
        j = int(np.nanargmax(aucs)) if len(aucs) and not np.isnan(aucs).all() else 0
        chosen[f] = j
        if not rates.shape[1]:
            continue
        ref = np.sort(rates[train, j])
        values = rates[test, j]
        below = np.searchsorted(ref, values, side="left")
        at_or_below = np.searchsorted(ref, values, side="right")
        out[test] = (below + at_or_below) / (2.0 * max(len(ref), 1))
    return out, chosen


def label_evaluation(
    y: np.ndarray, oof: np.ndarray, fold_of: np.ndarray, rates: np.ndarray, rate_names: Sequence[str],
    classes: Sequence[str], *, label: str, folds: str, n_folds: int,
) -> tuple[list[dict[str, object]], dict[str, object]]:
    """The rows of a label model's evaluation (``schema.LABEL_EVALUATION_COLUMNS``) and a summary by class.

    ``y``: each training article's class (index into ``classes``); ``oof``:
    its out-of-fold probabilities (articles x classes); ``fold_of``: the fold
    it was held out in; ``rates``: its lexicon rates (columns ``rate_names``).
    """
    from sklearn.metrics import f1_score

    y = np.asarray(y, dtype=np.int64)
    n = len(y)
    labels = list(range(len(classes)))
    called = np.argmax(oof, axis=1) if n else np.zeros(0, np.int64)
    majority = np.zeros(n, dtype=np.int64)
    for f in range(int(fold_of.max()) + 1 if n else 0):
        test = fold_of == f
        majority[test] = int(np.argmax(np.bincount(y[~test], minlength=len(classes))))
    f1_model = f1_score(y, called, labels=labels, average=None, zero_division=0)
    f1_majority = f1_score(y, majority, labels=labels, average=None, zero_division=0)
    rows: list[tuple[str, str, str, float, str]] = [
        ("label_model", "macro_f1", "all", float(np.mean(f1_model)), ""),
        ("majority", "macro_f1", "all", float(np.mean(f1_majority)), ""),
        ("label_model", "accuracy", "all", float(np.mean(called == y)) if n else float("nan"), ""),
        ("majority", "accuracy", "all", float(np.mean(majority == y)) if n else float("nan"), ""),
    ]
    summary: dict[str, object] = {}
    for c, name in enumerate(classes):
        positive = y == c
        model_auc = float(auc_columns(oof[:, c], positive)[0])
        lex_score, _ = lexicon_scores(rates, positive, fold_of)
        lex_auc = float(auc_columns(lex_score, positive)[0]) if rates.shape[1] else float("nan")
        in_sample = auc_columns(rates, positive) if rates.shape[1] else np.zeros(0)
        best = int(np.nanargmax(in_sample)) if len(in_sample) and not np.isnan(in_sample).all() else -1
        column = rate_names[best] if best >= 0 else ""
        rows += [
            ("label_model", "support", name, float(positive.sum()), ""),
            ("label_model", "auc", name, model_auc, ""),
            ("label_model", "f1", name, float(f1_model[c]), ""),
            ("lexicon_rate", "auc", name, lex_auc, column),
            ("lexicon_rate", "auc_in_sample", name, float(in_sample[best]) if best >= 0 else float("nan"), column),
            ("majority", "auc", name, 0.5, ""),
            ("majority", "f1", name, float(f1_majority[c]), ""),
        ]
        summary[name] = {"auc": _round(model_auc), "f1": _round(float(f1_model[c])), "lexicon_auc": _round(lex_auc),
                         "lexicon_column": column, "majority_f1": _round(float(f1_majority[c]))}
    table = [
        {"label": label, "model": m, "metric": metric, "class": cls, "value": value, "column": column, "folds": folds,
         "n_folds": n_folds, "n_articles": n}
        for m, metric, cls, value, column in rows
    ]
    return table, summary


def _round(value: float) -> float | None:
    """Four decimals for the summary; ``None`` (JSON null) for NaN."""
    return None if np.isnan(value) else round(value, 4)


def applied_evaluation(
    truth: Sequence[str], proba: np.ndarray, called: Sequence[str], classes: Sequence[str], *, label: str,
) -> tuple[list[dict[str, object]], dict[str, object]]:
    """How a saved label model did on a corpus whose column says the right answers: ``evaluation.csv`` rows.

    ``truth``: each article's value of the column ("" unlabelled: left out;
    a value the model has no class for counts against every class);
    ``proba``: the model's calibrated probabilities (articles x
    ``classes``); ``called``: its call per article, a class or
    ``undetermined``. Rows (``schema.EVALUATION_COLUMNS``, model
    ``label_applied``, ``true_type`` holding the class): per class ``support``,
    ``auc`` (of its probability, every labelled article; NaN when no article
    or every one has the class) and ``f1`` (of the calls: an undetermined
    article is not called that class); then ``answered`` (the share called)
    and ``accuracy_answered`` (the share of those called right). The corpus
    is not the model's: these are the figures of a held-out corpus.
    """
    from sklearn.metrics import f1_score

    truth_arr = np.asarray(list(truth), dtype=object)
    labelled = np.flatnonzero(truth_arr != "")
    n = len(labelled)
    folds = f"none: a saved model of {label} on new articles"
    rows: list[tuple[str, str, float]] = []
    summary: dict[str, object] = {"label": label, "n_articles": n}
    if n:
        t = truth_arr[labelled].astype(str)
        c_called = np.asarray(list(called), dtype=object)[labelled].astype(str)
        answered = c_called != "undetermined"
        f1 = f1_score(t, c_called, labels=list(classes), average=None, zero_division=0)
        for k, name in enumerate(classes):
            positive = t == name
            rows += [("support", name, float(positive.sum())),
                     ("auc", name, float(auc_columns(proba[labelled, k], positive)[0])),
                     ("f1", name, float(f1[k]))]
            summary[f"auc_{name}"] = _round(rows[-2][2])
        share = float(answered.mean())
        right = float(np.mean(c_called[answered] == t[answered])) if answered.any() else float("nan")
        rows += [("answered", "all", share), ("accuracy_answered", "all", right)]
        summary.update({"answered": _round(share), "accuracy_answered": _round(right)})
    table = [
        {"model": "label_applied", "metric": metric, "true_type": cls, "predicted_type": "", "at": "", "value": value,
         "folds": folds, "n_folds": 0, "n_articles": n}
        for metric, cls, value in rows
    ]
    return table, summary
