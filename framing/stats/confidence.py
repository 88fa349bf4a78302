"""How far a source-type prediction can be trusted: calibration, distance from the training articles, abstention.

The classifier (``framing.stats.classify``) gives probabilities; this module
decides what they may say and when they may say nothing:

* ``tempered`` / ``fit_temperature``: probabilities tempered (``p ** (1 /
  T)``, normalised) by the temperature with the least expected calibration
  error (``calibration_rows``' ``ece``) on out-of-fold probabilities;
* ``distance``: how unusual an article's dense columns (rates, typography)
  are against the training articles';
* ``abstain``: why an article gets ``undetermined`` (too short, far, weak
  evidence, a type learnt from one outlet or whose calls on unseen outlets
  were mostly wrong: ``unreliable_types``);
* ``calibration_rows``: evaluation.csv's calibration and abstention rows.

The constants were chosen on the development corpora by the cross-corpus
validation of docs/validation.md (``bench/transfer.py``), never on the
corpora the figures there are judged on. Pure: arrays in, arrays out.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

__all__ = [
    "FAR_QUANTILE", "MIN_CALLS", "MIN_FAR_ARTICLES", "MIN_PRECISION", "MIN_PROBABILITY", "MIN_TOKENS",
    "Limits", "abstain", "calibration_rows", "distance", "fit_temperature", "open_world", "outlet_key",
    "tempered", "type_words", "unreliable_types",
]

MIN_TOKENS = 50  # words an article needs for a call: the training articles have 50 or more
MIN_PROBABILITY = 0.6  # the calibrated top probability a call needs
FAR_QUANTILE = 0.99  # an article further from the training articles than this share of them is "far"
MIN_FAR_ARTICLES = 100  # training articles needed to place that quantile (fewer: nothing is "far")
MIN_PRECISION = 0.5  # a type whose confident calls on unseen outlets were right less often is never called
MIN_CALLS = 10  # confident out-of-fold calls a type needs before its precision is judged
_TEMPERATURES = np.exp(np.linspace(np.log(0.25), np.log(8.0), 121))  # the grid the temperature is chosen on
_BINS = 10  # equal-width confidence bins of the reliability table


def tempered(p: np.ndarray, temperature: float) -> np.ndarray:
    """``p ** (1 / temperature)``, each row normalised (1: unchanged)."""
    if temperature == 1.0:
        return p
    q = np.power(np.clip(p, 1e-300, 1.0), 1.0 / temperature)
    return q / q.sum(axis=1, keepdims=True)


def fit_temperature(proba: np.ndarray, y: np.ndarray) -> float:
    """The temperature of ``_TEMPERATURES`` whose tempered ``proba`` have the least expected calibration error.

    Not the least log loss: out of fold, a class with one or two outlets is
    confidently wrong on the outlet held out, and the log loss, dominated by
    those few articles, would flatten every probability towards a guess.
    Ties go to the temperature nearest 1.
    """
    if len(y) == 0:
        return 1.0
    # Tempering never changes the most probable class, so only its probability is recomputed for each
    # temperature: p_top ** (1 / T) / sum_j p_j ** (1 / T) = 1 / sum_j exp((log p_j - log p_top) / T).
    top = np.argmax(proba, axis=1)
    right = top == y
    logp = np.log(np.clip(proba, 1e-300, 1.0))
    below = np.ascontiguousarray((logp - logp[np.arange(len(y)), top][:, None]).T)  # classes x articles, <= 0
    best, best_gap = 1.0, np.inf
    for t in sorted(_TEMPERATURES.tolist(), key=lambda t: abs(np.log(t))):
        # (exp of less than -60 is below 1e-26 beside the top's 1, and slow to compute as a subnormal number)
        gap = _ece(1.0 / np.exp(np.maximum(below / t, -60.0)).sum(axis=0), right)
        if gap < best_gap - 1e-12:
            best, best_gap = t, gap
    return float(best)


def distance(dense: np.ndarray, mean: np.ndarray, scale: np.ndarray) -> np.ndarray:
    """How far each article's dense columns lie from the training articles': mean squared z-score, each capped at 100.

    A cap, because one rare category's word makes one huge z-score in any
    ordinary article; what is far is being unusual in many columns at once
    (a different typography, a different kind of text).
    """
    if dense.shape[1] == 0:
        return np.zeros(len(dense))
    z = (dense - mean) / scale
    return np.minimum(z * z, 100.0).mean(axis=1)


def abstain(
    proba: np.ndarray, n_tokens: np.ndarray, far: np.ndarray, classes: Sequence[str], *, far_limit: float,
    min_tokens: int = MIN_TOKENS, min_probability: float = MIN_PROBABILITY,
    unreliable: Mapping[str, float] | None = None, seen: np.ndarray | None = None,
    outlets: Mapping[str, Sequence[str]] | None = None,
) -> np.ndarray:
    """Why each article gets ``undetermined`` instead of its most probable class ("" when it gets a call).

    In this order: too short (fewer than ``min_tokens`` words), far from the
    training articles (``far`` above ``far_limit``), weak evidence (top
    probability below ``min_probability``; the reason names the top two).
    Then, only for an article whose probabilities come from a model that
    never saw its outlet (``seen`` False; default: every article): a type
    learnt from one outlet (``outlets``: each type's training outlets), and
    an unreliable type (one of ``unreliable``, whose value is how often its
    calls were right on unseen outlets).
    """
    n = len(proba)
    why = np.full(n, "", dtype=object)
    if n == 0:
        return why
    order = np.argsort(-proba, axis=1, kind="stable")
    top = proba[np.arange(n), order[:, 0]]
    short = n_tokens < min_tokens
    is_far = ~short & (far > far_limit)
    weak = ~short & ~is_far & (top < min_probability)
    names = [type_words(c) for c in classes]
    for i in np.flatnonzero(short).tolist():
        why[i] = f"too short: {int(n_tokens[i])} words (the model needs {min_tokens})"
    for i in np.flatnonzero(is_far).tolist():
        why[i] = (f"unlike the articles the model learnt from: distance {far[i]:.1f} (a call needs at most "
                  f"{far_limit:.1f}, what {100 * FAR_QUANTILE:.0f} % of them stay within)")
    for i in np.flatnonzero(weak).tolist():
        a, b = order[i, 0], order[i, 1] if proba.shape[1] > 1 else order[i, 0]
        why[i] = (f"weak evidence: {names[a]} {proba[i, a]:.2f}, {names[b]} {proba[i, b]:.2f} "
                  f"(a call needs {min_probability:.2f})")
    new = ~short & ~is_far & ~weak & (np.ones(n, bool) if seen is None else ~np.asarray(seen, dtype=bool))
    for k, c in enumerate(classes):
        mine = np.flatnonzero(new & (order[:, 0] == k)).tolist()
        learnt_from = list((outlets or {}).get(c, ()))
        if len(learnt_from) == 1:
            for i in mine:
                why[i] = (f"{names[k]} {proba[i, k]:.2f}, but the model learnt {names[k]} from one outlet "
                          f"({learnt_from[0]}): it recognises that outlet, not {names[k]} in another outlet's article")
        elif c in (unreliable or {}):
            precision = (unreliable or {})[c]
            for i in mine:
                why[i] = (f"{names[k]} {proba[i, k]:.2f}, but such calls were right {100 * precision:.0f} % of the "
                          f"time on outlets the model had not seen (a call needs {100 * MIN_PRECISION:.0f} %)")
    return why


def outlet_key(outlet: object) -> str:
    """An outlet's name as the model compares it: case and runs of spaces forgiven."""
    return " ".join(str(outlet or "").split()).casefold()


def unreliable_types(proba: np.ndarray, y: np.ndarray, classes: Sequence[str], min_probability: float) -> dict[str, float]:
    """The types whose confident out-of-fold calls were right less than ``MIN_PRECISION`` of the time.

    A call is confident when its probability is at least ``min_probability``;
    a type needs ``MIN_CALLS`` of them to be judged. Value: the precision.
    """
    pred = np.argmax(proba, axis=1)
    confident = proba[np.arange(len(y)), pred] >= min_probability
    out = {}
    for k, c in enumerate(classes):
        calls = confident & (pred == k)
        if calls.sum() >= MIN_CALLS:
            precision = float(np.mean(y[calls] == k))
            if precision < MIN_PRECISION:
                out[c] = round(precision, 4)
    return out


def type_words(source_type: str) -> str:
    """A source type as the reasons write it: ``"state_media"`` -> ``"state media"``."""
    return source_type.replace("_", " ")


def calibration_rows(
    proba: np.ndarray, y: np.ndarray, why: np.ndarray, classes: Sequence[str], model: str, folds: str, n_folds: int,
    *, before: np.ndarray | None = None,
) -> list[dict[str, object]]:
    """evaluation.csv's rows on calibration and abstention, from out-of-fold probabilities.

    ``ece`` (expected calibration error over ``_BINS`` equal-width bins of
    the top probability; ``ece_untempered`` of ``before``), the reliability
    table (``reliability_confidence``, ``reliability_accuracy``,
    ``reliability_articles`` per bin, in ``at``), the abstention rule's
    ``abstained`` share, ``accuracy_answered`` and ``macro_f1_answered``, and
    the accuracy at other thresholds (``coverage_at`` / ``accuracy_at``, at
    ``p>=0.5`` ...).
    """
    from sklearn.metrics import f1_score

    if len(y) == 0:
        return []
    pred = np.argmax(proba, axis=1)
    conf = proba[np.arange(len(y)), pred]
    right = pred == y
    rows: list[tuple[str, str, float]] = [("ece", "", _ece(conf, right))]
    if before is not None:
        b_pred = np.argmax(before, axis=1)
        rows.append(("ece_untempered", "", _ece(before[np.arange(len(y)), b_pred], b_pred == y)))
    edges = np.linspace(0.0, 1.0, _BINS + 1)
    bins = _bins(conf)
    for k in range(_BINS):
        inside = bins == k
        if inside.any():
            at = f"{edges[k]:.1f}-{edges[k + 1]:.1f}"
            rows += [("reliability_confidence", at, float(conf[inside].mean())),
                     ("reliability_accuracy", at, float(right[inside].mean())),
                     ("reliability_articles", at, float(inside.sum()))]
    answered = why == ""
    rows.append(("abstained", "", float(1.0 - answered.mean())))
    if answered.any():
        rows.append(("accuracy_answered", "", float(right[answered].mean())))
        # as evaluation.csv's macro_f1: the mean F1 over the classes the articles have
        y_a, pred_a = y[answered], pred[answered]
        macro = f1_score(y_a, pred_a, labels=np.unique(y_a), average="macro", zero_division=0)
        rows.append(("macro_f1_answered", "", float(macro)))
    for t in (0.4, 0.5, 0.6, 0.7, 0.8, 0.9):
        kept = conf >= t
        rows.append(("coverage_at", f"p>={t:.1f}", float(kept.mean())))
        if kept.any():
            rows.append(("accuracy_at", f"p>={t:.1f}", float(right[kept].mean())))
    return [
        {"model": model, "metric": m, "true_type": "", "predicted_type": "", "at": at, "value": float(v),
         "folds": folds, "n_folds": n_folds, "n_articles": len(y)}
        for m, at, v in rows
    ]


def _ece(conf: np.ndarray, right: np.ndarray) -> float:
    """Expected calibration error: the article-weighted mean gap between confidence and accuracy per bin.

    (Per bin, articles x |mean confidence - share right| = |sum of confidences - articles right|.)
    """
    bins = _bins(conf)
    gap = np.bincount(bins, weights=conf, minlength=_BINS) - np.bincount(bins, weights=right, minlength=_BINS)
    return float(np.abs(gap).sum()) / len(conf)


def _bins(conf: np.ndarray) -> np.ndarray:
    """Each probability's bin of ``_BINS`` equal-width bins of [0, 1] (1.0 in the last)."""
    return np.clip(np.digitize(conf, np.linspace(0.0, 1.0, _BINS + 1)[1:-1]), 0, _BINS - 1)


@dataclass
class Limits:
    """What a trained classifier may say: its calibration, its abstention rule, and the out-of-fold calls under both."""

    calibrated: np.ndarray  # out-of-fold probabilities, each fold tempered by the other folds' temperature
    temperature: float  # the final model's, chosen on every fold
    far: float  # the distance beyond which an article is unlike the training articles (inf: rule off)
    unreliable: dict[str, float]  # type -> precision of its confident calls on unseen outlets (below MIN_PRECISION)
    outlets: dict[str, list[str]]  # type -> its training outlets (``outlet_key``)
    oof_saw_outlets: bool  # whether the models that scored the training articles out of fold saw their outlets
    why: np.ndarray  # why each training article is undetermined out of fold ("" for a call)

    def notes(self, classes: Sequence[str]) -> list[str]:
        """evaluation.csv's notes on the types the model never calls for a new outlet."""
        notes = []
        single = [c for c in classes if len(self.outlets.get(c, ())) == 1]
        if single:
            notes.append(
                f"{', '.join(f'{type_words(c)} ({self.outlets[c][0]})' for c in single)}: learnt from one outlet, so "
                "the model recognises that outlet, not the type; it never calls the type for another outlet's "
                "article (undetermined)"
            )
        if self.unreliable:
            notes.append(
                f"{', '.join(type_words(c) for c in self.unreliable)}: on outlets the model had not seen, its "
                f"confident calls of this type were right less than {100 * MIN_PRECISION:.0f} % of the time, so it "
                "never makes them for a new outlet (the articles get undetermined)"
            )
        return notes


def open_world(
    oof: np.ndarray, y: np.ndarray, splits: Sequence[tuple[np.ndarray, np.ndarray]], far_of: np.ndarray,
    n_tokens: np.ndarray | None, classes: Sequence[str], outlets: np.ndarray, *, grouped: bool,
) -> Limits:
    """The limits of a classifier from its out-of-fold probabilities ``oof`` (training articles, class indices ``y``).

    ``splits``: the folds; ``far_of``: each training article's ``distance``;
    ``n_tokens``: their words (None: long enough); ``outlets``: their
    outlets; ``grouped``: whether the folds were grouped by outlet.
    """
    # Each fold tempered by the temperature the other folds choose (an honest figure); the final model by the one
    # all of them choose.
    calibrated = np.zeros_like(oof)
    for train, test in splits:
        calibrated[test] = tempered(oof[test], fit_temperature(oof[train], y[train]))
    far = float(np.quantile(far_of, FAR_QUANTILE)) if len(y) >= MIN_FAR_ARTICLES else float("inf")
    lengths = np.full(len(y), MIN_TOKENS) if n_tokens is None else np.asarray(n_tokens)
    unreliable = unreliable_types(calibrated, y, classes, MIN_PROBABILITY) if grouped else {}
    learnt = {c: sorted({outlet_key(o) for o in outlets[y == k].tolist()}) for k, c in enumerate(classes)}
    # Out of fold, grouped folds scored every article with a model that never saw its outlet; stratified ones did not.
    why = abstain(calibrated, lengths, far_of, classes, far_limit=far, unreliable=unreliable,
                  seen=np.full(len(y), not grouped), outlets=learnt)
    return Limits(calibrated, fit_temperature(oof, y), far, unreliable, learnt, not grouped, why)
