"""The classifier of a label: a linear model on masked TF-IDF terms, lexicon rates and typography, evaluated honestly.

The label is a parameter: the source type (the classifier of every
``framing analyze`` run, ``label="source_type"``) is one use; a frame-labelled
column of the corpus (``framing model train --label COLUMN``) is another, the
same features and folds (``framing.stats.label_model`` adds its per-class AUC).

* **Model**: one-vs-rest logistic regressions (``fit_linear``), L2
  penalty ``ALPHA`` per article, classes weighted by their inverse
  frequency, solved to convergence by liblinear's dual coordinate descent
  (scikit-learn ``LogisticRegression(solver="liblinear", dual=True)``;
  seeded, and fed the articles in id order, so the same input gives the same
  model). It used to be the same objective by 15 epochs of averaged
  stochastic gradient descent: liblinear reaches its optimum in fewer
  passes and scores better out of fold (docs/performance.md).
* **Features**: the article's l2-normalised TF-IDF vector over the masked
  term counts (see ``framing.analysis.mask``); beside it a dense block of
  its lexicon rates and its typography (``framing.analysis.typography``:
  punctuation, quote and dash characters, line breaks and capitals per
  1,000 tokens, words per sentence), each column standardised over the
  training articles and clipped at 3 standard deviations. The rates are
  divided by the square root of their number, so that 40 rates weigh about
  as much as one unit-length TF-IDF vector; the typography columns by the
  square root of theirs times ``TYPOGRAPHY_WEIGHT`` (set once on the
  cross-validation of the development corpus, docs/validation.md).
* **Calibrated, and open**: the probabilities are tempered to the least
  calibration error of the out-of-fold probabilities, and an article gets
  ``undetermined`` with a reason when the model cannot back a call
  (``framing.stats.confidence``). The out-of-fold probabilities reported are
  cross-fitted: each fold tempered by the temperature the other folds chose.
* **Dropped**: month names (``DATE_WORDS``) weigh nothing. Each corpus is
  collected in its own window of dates (AP and Reuters in August 2022, the
  BBC in April to June), so a month tells when an outlet was sampled, not how
  it writes; the model leant on "aug" for wire.
* **Out-of-fold**: each labelled training article's probabilities come from a
  model that never saw it: folds grouped by outlet (scikit-learn
  ``StratifiedGroupKFold``) when every type has at least 2 outlets, so a
  model is always tested on outlets it never saw; otherwise stratified folds,
  and a note that outlet and type are confounded.
* **Baselines**, on the same folds: the majority class of each training fold,
  and TF-IDF alone (the same model without the rates and the typography).
* **Trained** only when at least 2 labelled types have ``MIN_PER_TYPE``
  training articles each; up to ``MAX_TRAIN`` articles are used (those with
  the smallest content hash, a sample that does not depend on the input
  order); every other article is scored by the model fitted on all of them.

Pure: arrays in, arrays out; scikit-learn is imported here only when a model
is trained.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np
import scipy.sparse as sp

from .confidence import (
    MIN_PROBABILITY,
    MIN_TOKENS,
    abstain,
    calibration_rows,
    distance,
    open_world,
    outlet_key,
    tempered,
)

__all__ = [
    "ALPHA", "DATE_WORDS", "FEWER_FOLDS", "FEWER_FOLDS_FROM", "MAX_C", "MAX_ITER", "MAX_TRAIN", "MIN_PER_TYPE",
    "N_FOLDS", "TOL", "TYPOGRAPHY_WEIGHT", "FitMap", "LinearModel", "Trained", "cross_validate", "dense_weight", "dropped_columns", "evaluate", "features", "fit_linear",
    "fit_one", "n_folds", "without",
]

ALPHA = 1e-5  # L2 penalty of the logistic regression, per article (C = 1 / (ALPHA * n))
MAX_C = 100.0  # C at most: a few dozen articles are often separable, and an unbounded C never converges there
MAX_ITER = 1000  # liblinear's passes over the articles, at most (it stops at TOL long before on real corpora)
TOL = 0.1  # liblinear's stopping tolerance (0.01 gives the same macro-F1 on the development corpora, 20 % slower)
MAX_TRAIN = 20_000  # labelled articles the model is trained on, at most (bounds its time and memory)
MIN_PER_TYPE = 10  # training articles a type needs to be a class
N_FOLDS = 5  # folds of the cross-validation, up to FEWER_FOLDS_FROM training articles
FEWER_FOLDS = 3  # folds from FEWER_FOLDS_FROM training articles on: each fold model still trains on 2,000 or more
FEWER_FOLDS_FROM = 3_000
SEED = 20083
TYPOGRAPHY_WEIGHT = 0.5  # the typography block's weight against the unit-length TF-IDF vector
# Words that say when a corpus was collected, not how an outlet writes ("may" is a stop word already).
DATE_WORDS = frozenset(
    "january february march april june july august september october november december "
    "jan feb mar apr jun jul aug sep sept oct nov dec".split()
)


@dataclass
class LinearModel:
    """A fitted one-vs-rest logistic model, as numbers: what a saved model holds.

    ``predict_proba``: the logistic function of each class's one-vs-rest
    score, normalised to sum to 1 (with two classes, one score: ``1 - p``
    and ``p``), as scikit-learn's one-vs-rest models give it.
    """

    classes: list[str]
    coef: np.ndarray  # classes x features (one row with two classes)
    intercept: np.ndarray
    temperature: float = 1.0  # probabilities are tempered: ``p ** (1 / temperature)``, normalised

    def decision(self, x: sp.csr_matrix) -> np.ndarray:
        return np.asarray(x @ self.coef.T) + self.intercept

    def predict_proba(self, x: sp.csr_matrix) -> np.ndarray:
        """Class probabilities, columns in ``classes`` order, tempered."""
        p = 1.0 / (1.0 + np.exp(-self.decision(x)))
        p = np.hstack([1.0 - p, p]) if self.coef.shape[0] == 1 else p / p.sum(axis=1, keepdims=True)
        return tempered(p, self.temperature)


@dataclass
class Trained:
    """A fitted classifier, its out-of-fold probabilities and its evaluation."""

    classes: list[str]
    model: LinearModel  # the model fitted on every training article
    mean: np.ndarray  # standardisation of the dense block (rates, then typography), from the training articles
    scale: np.ndarray
    oof: np.ndarray  # training articles x classes
    evaluation: list[dict[str, object]] = field(default_factory=list)
    summary: dict[str, object] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    # What a saved model needs to build its features in another corpus:
    words: list[str] = field(default_factory=list)  # the TF-IDF columns, in order
    idf: np.ndarray = field(default_factory=lambda: np.zeros(0))
    rate_names: list[str] = field(default_factory=list)  # the rate columns, ``<lexicon>.<category>``
    typography_names: list[str] = field(default_factory=list)  # the typography columns after them (may be none)
    far: float = float("inf")  # the ``distance`` beyond which an article is far from the training articles
    min_tokens: int = MIN_TOKENS
    min_probability: float = MIN_PROBABILITY
    unreliable: dict[str, float] = field(default_factory=dict)  # type -> precision of its calls on unseen outlets
    outlets: dict[str, list[str]] = field(default_factory=dict)  # type -> its training outlets (``outlet_key``)
    oof_saw_outlets: bool = False  # out of fold, did the model that scored an article see its outlet (stratified folds)
    dropped: np.ndarray = field(default_factory=lambda: np.zeros(0, bool))  # TF-IDF columns that weigh nothing
    label: str = "source_type"  # what the classes are values of: the source type, or a column of the corpus
    fold_of: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int64))  # each training article's test fold

    @property
    def weight(self) -> np.ndarray:
        """The weight of each dense column (see the module docstring)."""
        return dense_weight(len(self.mean) - len(self.typography_names), len(self.typography_names))

    def keep_columns(self, columns: np.ndarray, words: Sequence[str], idf: np.ndarray) -> None:
        """Keep only these TF-IDF columns (the features: the others are never non-zero) and name them."""
        n_dense = len(self.mean)
        n_tfidf = self.model.coef.shape[1] - n_dense
        if len(self.dropped):  # a dropped word is no column of a saved model
            columns = columns[~self.dropped[columns]]
            self.dropped = np.zeros(0, bool)
        keep = np.concatenate([columns, n_tfidf + np.arange(n_dense)])
        self.model = LinearModel(self.model.classes, self.model.coef[:, keep], self.model.intercept, self.model.temperature)
        self.words = [words[int(j)] for j in columns]
        self.idf = np.asarray(idf, dtype=np.float64)[columns]

    def features(self, tfidf: sp.csr_matrix, dense: np.ndarray) -> sp.csr_matrix:
        """The model's features of articles with these TF-IDF rows and dense columns (rates, then typography)."""
        return features(tfidf, dense, self.mean, self.scale, self.weight)

    def predict_proba(self, x: sp.csr_matrix) -> np.ndarray:
        """Class probabilities, columns in ``classes`` order."""
        return self.model.predict_proba(x)

    def distance(self, dense: np.ndarray) -> np.ndarray:
        """Each article's ``distance`` from the training articles (its rates, then typography)."""
        return distance(dense, self.mean, self.scale)

    def seen(self, outlets: Sequence[str]) -> np.ndarray:
        """Whether each article's outlet is one the model was trained on (of any type)."""
        known = {o for names in self.outlets.values() for o in names}
        return np.fromiter((outlet_key(o) in known for o in outlets), dtype=bool, count=len(outlets))

    def abstain(self, proba: np.ndarray, n_tokens: np.ndarray, far: np.ndarray, seen: np.ndarray) -> np.ndarray:
        """Why each article is ``undetermined`` ("" for a call); see ``abstain``."""
        return abstain(proba, n_tokens, far, self.classes, far_limit=self.far, min_tokens=self.min_tokens,
                       min_probability=self.min_probability, unreliable=self.unreliable, seen=seen,
                       outlets=self.outlets)

    def contributions(self, x: sp.csr_matrix, predicted: np.ndarray) -> sp.csr_matrix:
        """Each feature's part of the predicted class's score: coefficient x value (rows of ``x``)."""
        coef = self.model.coef
        if coef.shape[0] == 1:  # two classes: one row, for the second class
            coef = np.vstack([-coef[0], coef[0]])
        row = np.repeat(np.arange(x.shape[0]), np.diff(x.indptr))
        return sp.csr_matrix((x.data * coef[predicted[row], x.indices], x.indices, x.indptr), shape=x.shape)


def n_folds(n_articles: int) -> int:
    """The folds of the cross-validation of this many training articles: ``N_FOLDS``, or ``FEWER_FOLDS`` for many.

    Every fold costs two fits (the model and its TF-IDF baseline); from
    ``FEWER_FOLDS_FROM`` articles a fold model trained on two thirds of them
    scores out of fold within 0.01 macro-F1 of one trained on four fifths
    (docs/performance.md), at 60 % of the time.
    """
    return FEWER_FOLDS if n_articles >= FEWER_FOLDS_FROM else N_FOLDS


def dense_weight(n_rates: int, n_typography: int) -> np.ndarray:
    """The weight of each dense column: ``1 / sqrt(n_rates)`` for the rates, then ``TYPOGRAPHY_WEIGHT / sqrt(n_typography)``."""
    return np.concatenate([np.full(n_rates, 1.0 / np.sqrt(max(n_rates, 1))),
                           np.full(n_typography, TYPOGRAPHY_WEIGHT / np.sqrt(max(n_typography, 1)))])


def dropped_columns(words: Sequence[str]) -> np.ndarray:
    """Which of these TF-IDF columns (their words) weigh nothing in the classifier: ``DATE_WORDS``."""
    return np.fromiter((w in DATE_WORDS for w in words), dtype=bool, count=len(words))


def without(tfidf: sp.csr_matrix, dropped: np.ndarray) -> sp.csr_matrix:
    """``tfidf`` with the ``dropped`` columns emptied (none dropped: ``tfidf`` itself)."""
    if not len(dropped) or not dropped.any():
        return tfidf
    x = tfidf.copy()
    x.data[dropped[x.indices]] = 0.0
    x.eliminate_zeros()
    return x


def features(
    tfidf: sp.csr_matrix, dense: np.ndarray, mean: np.ndarray, scale: np.ndarray, weight: np.ndarray
) -> sp.csr_matrix:
    """TF-IDF rows beside the standardised, clipped, weighted dense columns (see the module docstring)."""
    # Clipped at 3 standard deviations: one article with a rare category's word must not outweigh its text.
    z = np.clip((dense - mean) / scale, -3.0, 3.0) * weight
    return sp.hstack([tfidf, sp.csr_matrix(z)], format="csr")


def evaluate(
    y: np.ndarray, pred: np.ndarray, classes: Sequence[str], model: str, folds: str, n_folds: int
) -> tuple[list[dict[str, object]], float]:
    """The rows of ``evaluation.csv`` for one model's predictions (class indices), and its macro-F1."""
    from sklearn.metrics import confusion_matrix, precision_recall_fscore_support

    labels = list(range(len(classes)))
    p, r, f, s = precision_recall_fscore_support(y, pred, labels=labels, zero_division=0)
    present = np.bincount(y, minlength=len(classes)) > 0  # macro over the classes the articles have
    macro = float(np.mean(f[present])) if present.any() else float("nan")
    rows = [("macro_f1", "all", "", macro), ("accuracy", "all", "", float(np.mean(pred == y)))]
    for c, name in enumerate(classes):
        rows += [("precision", name, "", p[c]), ("recall", name, "", r[c]), ("f1", name, "", f[c]),
                 ("support", name, "", float(s[c]))]
    matrix = confusion_matrix(y, pred, labels=labels)
    rows += [("confusion", classes[a], classes[b], float(matrix[a, b])) for a in labels for b in labels]
    return [
        {"model": model, "metric": m, "true_type": t, "predicted_type": pt, "at": "", "value": float(v), "folds": folds,
         "n_folds": n_folds, "n_articles": len(y)}
        for m, t, pt, v in rows
    ], macro


# ``map_fits(fit_one, data, tasks)``: ``[fit_one(data, task) for task in tasks]``, in order, run anywhere
# (the local engine forks processes that inherit ``data``); the fits are seeded, so the results are the same.
FitMap = Callable[[Callable[[tuple, tuple[int, str]], tuple], tuple, list[tuple[int, str]]], list]


def fit_one(data: tuple, task: tuple[int, str]) -> tuple[np.ndarray | None, LinearModel | None]:
    """One fit of ``cross_validate``: fold ``f`` (its held-out probabilities) or, for ``f < 0``, the final model.

    ``data`` is ``(x, y, n_tfidf, splits, n_classes)``; ``task`` is ``(f, model name)``.
    """
    x_full, y, n_tfidf, splits, n_classes = data
    f, name = task
    x = x_full if name == "classifier" else x_full[:, :n_tfidf]
    if f < 0:
        return None, fit_linear(x, y, [str(c) for c in range(n_classes)])
    train, test = splits[f]
    present = np.unique(y[train])  # a fold may lack a class: its probability there is 0
    model = fit_linear(x[train], np.searchsorted(present, y[train]), [str(c) for c in present])
    proba = np.zeros((len(test), n_classes))
    proba[:, present] = model.predict_proba(x[test])
    return proba, None


def fit_linear(x: sp.csr_matrix, y: np.ndarray, classes: Sequence[str]) -> LinearModel:
    """One-vs-rest logistic regressions of ``y`` (indices into ``classes``) on ``x``, as a ``LinearModel``.

    Each class against the rest (with two classes, one model: the second
    against the first), L2-penalised with ``C = 1 / (ALPHA * n)`` (the
    objective ``mean log-loss + ALPHA / 2 * |w|^2``; at most ``MAX_C``),
    every article weighted by ``n / (classes * articles of its class)``,
    solved by liblinear's dual coordinate descent to ``TOL`` (deterministic:
    seeded, no threads).
    """
    import warnings

    from sklearn.exceptions import ConvergenceWarning
    from sklearn.linear_model import LogisticRegression

    n = len(y)
    counts = np.bincount(y, minlength=len(classes))
    weight = n / (np.count_nonzero(counts) * counts[y])
    targets = range(1, len(classes)) if len(classes) == 2 else range(len(classes))
    coef, intercept = [], []
    c_value = min(1.0 / (ALPHA * n), MAX_C)
    for c in targets:
        with warnings.catch_warnings():
            # Stopping at MAX_ITER passes (tiny, separable training sets) still leaves a usable model, and the
            # out-of-fold figures say how good it is; the warning would only tell the user about the solver.
            warnings.simplefilter("ignore", ConvergenceWarning)
            fitted = LogisticRegression(C=c_value, solver="liblinear", dual=True, tol=TOL, max_iter=MAX_ITER,
                                        random_state=SEED).fit(x, (y == c).astype(np.int8), sample_weight=weight)
        coef.append(fitted.coef_[0])
        intercept.append(fitted.intercept_[0])
    return LinearModel(list(classes), np.vstack(coef).astype(np.float64), np.asarray(intercept, dtype=np.float64))


def _in_order(fn: Callable[[tuple, tuple[int, str]], tuple], data: tuple, tasks: list[tuple[int, str]]) -> list:
    return [fn(data, t) for t in tasks]


def cross_validate(
    tfidf: sp.csr_matrix, rates: np.ndarray, labels: Sequence[str], outlets: Sequence[str], classes: Sequence[str],
    *, typography: np.ndarray | None = None, typography_names: Sequence[str] = (), map_fits: FitMap | None = None,
    n_tokens: np.ndarray | None = None, dropped: np.ndarray | None = None, label: str = "source_type",
) -> Trained:
    """Fit and evaluate the classifier on the training articles (rows in id order).

    ``rates``: their lexicon rates; ``typography``: their typography
    (columns ``typography_names``; ``None``: no such block);
    ``labels``: each article's value of ``label`` (one of ``classes``): its
    source type, or its value of a frame column; ``outlets``:
    its outlet (the unit of the grouped folds); ``n_tokens``:
    their words (for the abstention figures; default: long enough);
    ``dropped``: TF-IDF columns that weigh nothing (``DATE_WORDS``);
    ``map_fits``: how the fits run (default: one after the other, here; the
    results do not depend on it).
    """
    from sklearn.model_selection import StratifiedGroupKFold, StratifiedKFold

    classes = list(classes)
    y = np.asarray([classes.index(t) for t in labels], dtype=np.int64)
    outlet_arr = np.asarray(outlets, dtype=object)
    names = list(typography_names) if typography is not None else []
    dense = np.hstack([rates, np.asarray(typography, dtype=np.float64)]) if typography is not None else rates
    mean = dense.mean(axis=0)
    scale = dense.std(axis=0)
    scale[scale == 0] = 1.0
    dropped = np.zeros(tfidf.shape[1], bool) if dropped is None else np.asarray(dropped, dtype=bool)
    x_full = features(without(tfidf, dropped), dense, mean, scale, dense_weight(rates.shape[1], len(names)))
    outlets_per_class = [len(set(outlet_arr[y == c].tolist())) for c in range(len(classes))]
    per_class = np.bincount(y, minlength=len(classes))
    notes = []
    if min(outlets_per_class) >= 2:
        k = min(n_folds(len(y)), len(set(outlet_arr.tolist())))
        folds_kind = "grouped by outlet"
        groups = np.unique(outlet_arr, return_inverse=True)[1].reshape(-1)
        splits = list(StratifiedGroupKFold(n_splits=k, shuffle=True, random_state=SEED).split(x_full, y, groups))
    else:
        k = int(min(n_folds(len(y)), per_class.min()))
        folds_kind = "stratified (outlet and type confounded)"
        one = [classes[c] for c in range(len(classes)) if outlets_per_class[c] < 2]
        notes.append(
            f"{', '.join(one)}: one outlet, so the folds cannot hold outlets out; the evaluation measures how well "
            "the model recognises these outlets as much as their source type"
        )
        splits = list(StratifiedKFold(n_splits=k, shuffle=True, random_state=SEED).split(x_full, y))
    n_tfidf = tfidf.shape[1]
    predictions: dict[str, np.ndarray] = {m: np.zeros(len(y), dtype=np.int64) for m in ("classifier", "tfidf_only", "majority")}
    oof = np.zeros((len(y), len(classes)))
    # Every fit is independent and seeded: the same numbers in this process or in a forked one.
    # The final model first: the largest fit starts first when the fits run in parallel.
    tasks = [(-1, "classifier")] + [(f, name) for f in range(len(splits)) for name in ("classifier", "tfidf_only")]
    results = (map_fits or _in_order)(fit_one, (x_full, y, n_tfidf, splits, len(classes)), tasks)
    for (f, name), (proba, fitted) in zip(tasks, results):
        if f < 0:
            final = LinearModel(classes, fitted.coef, fitted.intercept)
            continue
        test = splits[f][1]
        predictions[name][test] = np.argmax(proba, axis=1)
        if name == "classifier":
            oof[test] = proba
    fold_of = np.zeros(len(y), dtype=np.int64)
    for f, (train, test) in enumerate(splits):
        fold_of[test] = f
        predictions["majority"][test] = int(np.argmax(np.bincount(y[train], minlength=len(classes))))
    limits = open_world(oof, y, splits, distance(dense, mean, scale), n_tokens, classes, outlet_arr,
                        grouped=folds_kind == "grouped by outlet")
    final.temperature = limits.temperature
    # A dropped column was empty in every fit; its coefficients are set to 0 so that no article's own value of it
    # counts either, without emptying the column of every block that is scored.
    final.coef[:, np.flatnonzero(dropped)] = 0.0
    evaluation: list[dict[str, object]] = []
    summary: dict[str, object] = {"folds": folds_kind, "n_folds": k, "n_articles": len(y), "classes": classes}
    for name, pred in predictions.items():
        rows, macro = evaluate(y, pred, classes, name, folds_kind, k)
        summary[f"macro_f1_{name}"] = round(macro, 4)
        evaluation += rows
    calibration = calibration_rows(limits.calibrated, y, limits.why, classes, "classifier", folds_kind, k, before=oof)
    evaluation += calibration
    figures = {r["metric"]: r["value"] for r in calibration if not r["at"]}
    notes += limits.notes(classes)
    summary.update({"temperature": round(final.temperature, 4), "ece": round(float(figures["ece"]), 4),
                    "abstained": round(float(figures["abstained"]), 4), "unreliable": limits.unreliable})
    if "accuracy_answered" in figures:
        summary["accuracy_answered"] = round(float(figures["accuracy_answered"]), 4)
    return Trained(classes=classes, model=final, mean=mean, scale=scale, oof=limits.calibrated, evaluation=evaluation,
                   summary=summary, notes=notes, typography_names=names, far=limits.far, unreliable=limits.unreliable,
                   outlets=limits.outlets, oof_saw_outlets=limits.oof_saw_outlets, dropped=dropped, label=label,
                   fold_of=fold_of)
