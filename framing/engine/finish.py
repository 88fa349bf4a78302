"""The finish: from pass 1's numbers and sums to the whole ``AnalysisResult``, in named steps.

::

    vocabulary          the words in alphabetical order, document frequencies, idf
    training_set        the classifier's articles (or why there is no classifier)
    label_set           a label column's articles and classes, when the run trains a model of one
    pass 2              TF-IDF rows -> group sums, norms, top terms          (store.map)
    pass 3              each article . each labelled group's sum             (store.map)
    in_id_order         every per-article array in id order; lexicon rates
    similarities        leave-one-out similarity to each labelled group
    scores              the classifier's (pass 4), a saved classifier's, or else the similarity scores
    saved_probabilities a saved model of a label column, applied to every article (pass 4 again)
    label_model         the model of the label column, with its out-of-fold evaluation
    summaries           summary, distinctive terms, similarities, comparisons
    over_time           the timeline and before-and-after tables (--by-period, --split-date)
    stories             each article's story; stories.csv, coverage.csv, within_story.csv (engine/story.py)
    tables              report columns and numbers, the kept rows and matches, labels, the pair
    -> AnalysisResult   built whole, once: warnings and skips included

Both runners call ``finish`` with their store (``framing.engine.passes.Store``).
From ``in_id_order`` on, every per-article array is in id order, so sums
over articles (means, spreads) do not depend on the input order.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace

import numpy as np
import pandas as pd
import scipy.sparse as sp

from ..analysis.features import idf, min_df, rates
from ..analysis.match import CompiledLexicons
from ..analysis.typography import NAMES as TYPOGRAPHY
from ..dates import (
    NO_DAY,
    PRECISIONS,
    day_text,
    fits,
    last_days,
    parse_split_date,
    period_keys,
    period_label,
    period_start,
)
from ..defaults import MAX_SIMILARITY_ARTICLES, MIN_GROUP_ARTICLES, TOP_TERMS
from ..english import plural
from ..errors import InputError
from ..grouping import Comparing, Grouping, renamed, table_column
from ..result import AnalysisResult
from ..schema import (
    EVALUATION_COLUMNS,
    SUMMARY_COLUMNS,
    TERMS_COLUMNS,
    model_columns,
    negated_columns,
    quote_columns,
    report_columns,
)
from ..stats.classify import (
    MAX_TRAIN,
    MIN_PER_TYPE,
    FitMap,
    Trained,
    cross_validate,
    dropped_columns,
    evaluate,
)
from ..stats.comparisons import ARTICLES_AS_UNITS, OUTLETS_AS_GROUPS, RATE_FIXED_POINT, comparisons
from ..stats.confidence import calibration_rows
from ..stats.distinctive import distinctive_terms
from ..stats.groups import summarize
from ..stats.label_model import LabelModel, applied_evaluation, label_classes, label_evaluation
from ..stats.labels import label_table
from ..stats.pairs import choose_pair
from ..stats.similarity import loo_similarity, predict_with_reasons, profile_similarity, type_similarity
from ..stats.stories import STORY_TERMS, story_id
from ..types import LABELLED_TYPES, SOURCE_TYPES, TYPE_LABELS, Article, LabelColumn
from .passes import FIXED_POINT, TOP_WHY, BlockContext, Store, pass2_block, pass3_block, pass4_block
from .prepare import Clock
from .rows import ReportNumbers, matches_frame, report_csv, scores_frame
from .state import ArticleNumbers, CorpusSums, FirstById
from .story import StoryFigures, story_figures

__all__ = ["Pass1Output", "RunOptions", "finish"]


@dataclass
class Pass1Output:
    """What pass 1 leaves for the finish, from either runner."""

    numbers: ArticleNumbers  # per article, input order
    sums: CorpusSums  # per word, alphabetical
    texts: FirstById  # input position -> (article, its ledger rows), the first by id
    heads: FirstById  # input position -> (title, outlet, type, evidence, quote values, negated values)


@dataclass
class RunOptions:
    """How the finish runs: what to keep, whether and how to classify, which pair to show."""

    collect: bool = False  # every row and match kept as DataFrames (the Python API)
    classify: bool = True  # train the classifier when the labels allow
    model: Trained | None = None  # a saved model: a classifier to apply instead, or a label's beside it
    compare: Sequence[str] | None = None  # the two articles report.html shows side by side
    map_fits: FitMap | None = None  # how the classifier's fits run (the local engine: forked processes)
    # A column of the corpus to train a model of, beside the classifier; with a saved label model, its right answers.
    labels: LabelColumn | None = None
    # What the comparisons compare (framing.grouping): the grouping column, the timeline's period, the split date.
    comparing: Comparing = field(default_factory=Comparing)

    @property
    def saved_classifier(self) -> Trained | None:
        """The saved source-type classifier to apply instead of training one, if ``model`` is one."""
        return self.model if self.model is not None and self.model.label == "source_type" else None

    @property
    def saved_label_model(self) -> Trained | None:
        """The saved model of a label column to apply beside the source-type scores, if ``model`` is one."""
        return self.model if self.model is not None and self.model.label != "source_type" else None


def finish(
    p1: Pass1Output, lex: CompiledLexicons, store: Store, clock: Clock, options: RunOptions,
    *, warnings: Sequence[str] = (), skipped: int = 0,
) -> AnalysisResult:
    """Passes 2 to 4 over ``store`` and every corpus figure: the whole result.

    ``warnings`` and ``skipped`` are the reader's; the lexicons' warnings
    are added after them.
    """
    num = p1.numbers
    n = len(num)
    type_code = num.type_code.astype(np.int64)
    vocab = Vocab.of(p1.sums, n)
    present = [i for i in range(len(SOURCE_TYPES)) if (type_code == i).any()]
    train, classes, why_not = training_set(num, type_code, options)
    label_applied = options.saved_label_model
    model_cols = model_columns(label_applied.label, label_applied.classes) if label_applied is not None else []
    _check_model_columns(model_cols, lex)
    # With a saved label model, ``labels`` are the right answers to evaluate it on, not a column to train on.
    truth = options.labels if label_applied is not None else None
    labelled = label_set(num, options.labels) if options.labels is not None and truth is None else None
    # Pass 2 keeps the TF-IDF rows of every article a model is trained on: the classifier's, the label's.
    kept = _either(train, labelled.train if labelled is not None else None)
    context = BlockContext(vocab.weight, type_code, vocab.size, n <= MAX_SIMILARITY_ARTICLES, train=kept,
                           story_terms=STORY_TERMS if options.comparing.stories is not None else 0,
                           linkable=(p1.sums.df >= 2) if (vocab.is_feature & (p1.sums.df < 2)).any() else None)
    p2 = pass2(store, context, n, clock)
    clock.lap("tfidf")
    groups = [t for t in LABELLED_TYPES if SOURCE_TYPES.index(t) in present]
    dense, dots = pass3(store, context, p2.group_sums, groups, n, clock)
    art = in_id_order(num, type_code, p2, dots, lex)
    sim = similarities(art, dense, groups)
    clock.lap("similarity")
    x_label = None
    if labelled is not None:  # pass 2 kept both models' rows: the label's here, the classifier's in p2
        x_kept = sp.vstack(p2.train_rows, format="csr") if p2.train_rows else sp.csr_matrix((0, vocab.size))
        p2.train_rows.clear()
        x_label = _rows_of(x_kept, kept, labelled.train)
        if train is not None:
            p2.train_rows.append(_rows_of(x_kept, kept, train))
        del x_kept
    if train is not None:
        scores = classified(store, context, art, vocab, p2, train, classes, groups, lex, options, clock)
    elif options.saved_classifier is not None:
        scores = applied(store, context, art, vocab, options.saved_classifier, groups, clock)
    else:
        scores = similarity_scores(art, sim, groups, lex, why_not)
    clock.lap("classifier")
    label_scores = None
    if label_applied is not None:
        label_scores = saved_probabilities(store, context, art, vocab, label_applied, clock)
        clock.lap("label model")
    modelled = None
    if labelled is not None and x_label is not None:
        modelled = label_model(art, vocab, x_label, labelled, lex, options)
        del x_label
        clock.lap("label model")
    grouping, group_of = grouped(num, art, options)
    figures = summaries(art, p1.sums, vocab, p2, present, lex, grouping, group_of)
    timed = over_time(num, art, lex, grouping, group_of, options)
    clock.lap("compare")
    told = stories(num, art, p2, vocab, lex, grouping, group_of, figures, options)
    if told is not None:
        clock.lap("stories")
    report = ReportNumbers(
        n_tokens=art.n_tokens, n_sentences=art.n_sentences, n_masked=art.n_masked, rate=art.rate, sim=sim,
        style=scores.style, predicted=scores.predicted, top=art.top, words=vocab.words, groups=groups,
        why_ids=scores.why_ids, why_amount=scores.why_amount, why_names=scores.why_names,
        undetermined=scores.undetermined,
        style_groups=scores.style_groups,
        story=told.stories.story if told is not None else None,
    )
    checked: tuple[list[dict[str, object]], dict[str, object]] | None = None  # the label model on this corpus
    if label_scores is not None:
        report.model_called, report.model_why, report.model_proba = label_scores.called, label_scores.undetermined, \
            label_scores.proba
        if truth is not None:
            values = [truth.values.get(i, "") for i in art.sorted_ids]
            checked = applied_evaluation(values, label_scores.proba, report.model_called, label_scores.classes,
                                         label=truth.name)
    return assemble(p1, lex, store, clock, options, art, report, scores, figures, modelled, model_cols, checked,
                    warnings=[*warnings, *date_warnings(num, options.comparing), *groups_file_warnings(num, options.comparing),
                              *(w for lx in lex.lexicons for w in lx.warnings)],
                    skipped=skipped, grouping=grouping, group_of=group_of, timed=timed, told=told)


def _check_model_columns(model_cols: list[str], lex: CompiledLexicons) -> None:
    """Raise ``InputError`` when an applied label model's columns would repeat a column of the run's lexicons.

    (A lexicon named ``model`` with a category named as the label, say: one
    name would head two columns.) Said before passes 2 to 4 run.
    """
    columns = lex.columns
    taken = {*columns, *quote_columns(columns), *negated_columns(columns)}
    clash = [c for c in model_cols if c in taken]
    if clash:
        raise InputError(f"the model's column {clash[0]!r} is also a column of the lexicons; rename the lexicon "
                         "or train the model of a column of another name", argument="model")


# ----------------------------------------------------------------- the vocabulary and the classifier's articles


@dataclass
class Vocab:
    """The corpus vocabulary (alphabetical) and what TF-IDF needs of it."""

    words: list[str]
    df: np.ndarray
    is_feature: np.ndarray  # in enough articles to be a TF-IDF feature (``min_df``)
    weight: np.ndarray  # idf of a feature, 0 for another word

    @property
    def size(self) -> int:
        return len(self.words)

    @classmethod
    def of(cls, sums: CorpusSums, n: int) -> Vocab:
        """The vocabulary of ``n`` articles' sums."""
        is_feature = sums.df >= min_df(n)
        return cls(sums.words, sums.df, is_feature, np.where(is_feature, idf(sums.df, n), 0.0))


def training_set(
    num: ArticleNumbers, type_code: np.ndarray, options: RunOptions
) -> tuple[np.ndarray | None, list[str], str]:
    """The classifier's training articles (input order), its classes, or why there is no model.

    Labelled articles of types with at least ``MIN_PER_TYPE`` of them; above
    ``MAX_TRAIN``, those with the smallest content hash (a sample that does
    not depend on the input order). A saved model trains nothing.
    """
    if options.saved_classifier is not None:
        return None, list(options.saved_classifier.classes), ""
    if not options.classify:
        return None, [], "switched off"
    codes = [SOURCE_TYPES.index(t) for t in LABELLED_TYPES]
    counts = {c: int((type_code == c).sum()) for c in codes}
    classes = [SOURCE_TYPES[c] for c in codes if counts[c] >= MIN_PER_TYPE]
    if len(classes) < 2:
        have = ", ".join(f"{counts[c]} {SOURCE_TYPES[c]}" for c in codes)
        return None, [], f"it needs {MIN_PER_TYPE} labelled articles of at least 2 types; this corpus has {have}"
    train = capped(np.isin(type_code, [SOURCE_TYPES.index(t) for t in classes]), num)
    return train, classes, ""


def capped(train: np.ndarray, num: ArticleNumbers) -> np.ndarray:
    """At most ``MAX_TRAIN`` of the ``train`` articles: those with the smallest content hash (order-free)."""
    if train.sum() <= MAX_TRAIN:
        return train
    digest = np.frombuffer(num.digests, dtype=">u8").reshape(-1, 4)[:, 0]
    candidates = np.flatnonzero(train)
    keep = candidates[np.argsort(digest[candidates], kind="stable")[:MAX_TRAIN]]
    train = np.zeros_like(train)
    train[keep] = True
    return train


@dataclass
class LabelSet:
    """The articles a label model is trained on (input order), their values and the classes."""

    train: np.ndarray  # bool, input order
    values: np.ndarray  # object, input order: each article's value ("" unlabelled or not a class)
    classes: list[str]  # sorted
    name: str


def label_set(num: ArticleNumbers, labels: LabelColumn) -> LabelSet:
    """The articles with a value of ``labels`` whose value has at least ``MIN_PER_TYPE`` articles.

    Above ``MAX_TRAIN``, those with the smallest content hash, as for the
    classifier. Raises ``InputError`` when fewer than 2 values have enough.
    """
    values = np.asarray([labels.values.get(i, "") for i in num.ids], dtype=object)
    classes = label_classes(values.tolist(), labels.name)  # of the articles read (some may have been skipped)
    train = capped(np.isin(values, classes), num)
    values[~train] = ""
    return LabelSet(train, values, classes, labels.name)


def _either(a: np.ndarray | None, b: np.ndarray | None) -> np.ndarray | None:
    """The union of two masks, either of which may be none."""
    if a is None or b is None:
        return a if b is None else b
    return a | b


def _rows_of(x_kept: sp.csr_matrix, kept: np.ndarray | None, subset: np.ndarray) -> sp.csr_matrix:
    """The rows of ``subset``'s articles among pass 2's kept rows (those of ``kept``, input order)."""
    if kept is None or np.array_equal(kept, subset):
        return x_kept
    return x_kept[np.flatnonzero(subset[kept])]


# ----------------------------------------------------------------- passes 2 and 3


@dataclass
class Pass2:
    """Pass 2's output (input order): group sums of the TF-IDF rows, norms, top terms, kept rows."""

    group_sums: np.ndarray  # source types x words
    sq: np.ndarray  # each article's squared norm (0: no content word)
    top: np.ndarray  # each article's top TF-IDF terms (word columns, -1 for none)
    kept_rows: list[sp.csr_matrix] | None  # every row, for a small corpus's similarity matrix
    train_rows: list[sp.csr_matrix]  # the classifier's training rows
    story_cols: np.ndarray | None = None  # each article's story vector (``passes.story_vectors``); None: no stories
    story_weights: np.ndarray | None = None


def pass2(store: Store, context: BlockContext, n: int, clock: Clock) -> Pass2:
    """Pass 2 (input order): group sums of the TF-IDF rows in fixed point, norms, top terms."""
    sums = np.zeros((len(SOURCE_TYPES), context.size), dtype=np.int64)
    sq = np.zeros(n, dtype=np.float64)
    top = np.full((n, TOP_TERMS), -1, dtype=np.int32)
    kept_rows: list[sp.csr_matrix] | None = [] if context.keep_rows else None
    train_rows: list[sp.csr_matrix] = []
    k = context.story_terms
    story_cols = np.full((n, k), -1, dtype=np.int32) if k else None
    story_weights = np.zeros((n, k), dtype=np.float16) if k else None
    for lo, hi, part in store.map(pass2_block, context, n):
        keys, values, sq[lo:hi], top[lo:hi], x, tx, story = part
        if story is not None and story_cols is not None and story_weights is not None:
            story_cols[lo:hi], story_weights[lo:hi] = story
        sums.reshape(-1)[keys] += values  # a block names each key once
        if kept_rows is not None:
            kept_rows.append(x)
        if tx is not None:
            train_rows.append(tx)
        clock.tell("tf-idf", hi, n)
    return Pass2(sums.astype(np.float64) / float(1 << FIXED_POINT), sq, top, kept_rows, train_rows, story_cols,
                 story_weights)


def pass3(
    store: Store, context: BlockContext, group_sums: np.ndarray, groups: list[str], n: int, clock: Clock
) -> tuple[np.ndarray, np.ndarray]:
    """Pass 3 (input order): each article against each labelled group's sum. Returns the sums (words x groups) and the dots."""
    g_index = [SOURCE_TYPES.index(t) for t in groups]
    dense = np.ascontiguousarray(group_sums[g_index].T) if groups else np.zeros((context.size, 0))
    dots = np.zeros((n, len(groups)))
    if groups:
        context.dense = dense
        for lo, hi, part in store.map(pass3_block, context, n):
            dots[lo:hi] = part
            clock.tell("similarity", hi, n)
    return dense, dots


# ----------------------------------------------------------------- id order


@dataclass
class IdOrder:
    """Every per-article array in id order (``order[i]``: the input position of the i-th id)."""

    order: np.ndarray
    rank_of: np.ndarray  # input position -> id-order position
    ids: list[str]  # input order
    sorted_ids: list[str]
    type_code: np.ndarray
    types: np.ndarray  # object: each article's source type
    outlet_code: np.ndarray
    outlet_names: np.ndarray  # object
    n_tokens: np.ndarray
    n_sentences: np.ndarray
    n_masked: np.ndarray
    typography: np.ndarray  # float16
    rate: np.ndarray  # articles x categories, per 1,000 tokens
    n_matches: int  # all articles' matches
    sq: np.ndarray
    dots: np.ndarray
    top: np.ndarray
    digests: bytes  # input order

    def __len__(self) -> int:
        return len(self.order)


def in_id_order(num: ArticleNumbers, type_code: np.ndarray, p2: Pass2, dots: np.ndarray, lex: CompiledLexicons) -> IdOrder:
    """Every per-article array in id order, the lexicon rates among them.

    The biggest table in memory (articles x categories) is put in id order a
    column at a time and turned into rates in place.
    """
    n = len(num)
    ids = num.ids
    order = np.asarray(sorted(range(n), key=ids.__getitem__), dtype=np.int64)
    rank_of = np.empty(n, dtype=np.int64)
    rank_of[order] = np.arange(n)
    codes = type_code[order]
    n_tokens = num.n_tokens[order]
    totals = num.totals if lex.n_categories else np.zeros((n, 0))
    num.totals = np.zeros((0, lex.n_categories))  # the table becomes the rates: no second reference keeps it
    _permute_rows(totals, order)
    top = p2.top
    _permute_rows(top, order)
    outlet_code = num.outlet_code[order]
    typography = num.typography[order] if n else np.zeros((0, len(TYPOGRAPHY)), np.float16)
    return IdOrder(
        order=order, rank_of=rank_of, ids=ids, sorted_ids=[ids[i] for i in order.tolist()], type_code=codes,
        types=np.asarray(SOURCE_TYPES, dtype=object)[codes], outlet_code=outlet_code,
        outlet_names=np.asarray(num.outlets, dtype=object)[outlet_code], n_tokens=n_tokens,
        n_sentences=num.n_sentences[order], n_masked=num.n_masked[order], typography=typography,
        rate=rates(totals, n_tokens, out=totals), n_matches=int(num.n_matches.sum()), sq=p2.sq[order],
        dots=dots[order], top=top, digests=num.digests,
    )


def _permute_rows(table: np.ndarray, order: np.ndarray) -> None:
    """``table[:] = table[order]``, one column at a time, so only one column is ever copied."""
    for c in range(table.shape[1]):
        table[:, c] = table[order, c]


def similarities(art: IdOrder, dense: np.ndarray, groups: list[str]) -> np.ndarray:
    """Each article's leave-one-out cosine similarity to each labelled group (``sim_<type>``)."""
    sim = np.full((len(art), len(groups)), np.nan)
    for k, g in enumerate(groups):
        inside = art.type_code == SOURCE_TYPES.index(g)
        sim[:, k] = loo_similarity(art.dots[:, k], art.sq, inside, float(dense[:, k] @ dense[:, k]), int(inside.sum()))
    return sim


# ----------------------------------------------------------------- scores: classifier, saved model or similarity


@dataclass
class Scores:
    """``style_<type>``, the prediction and its reasons, and the classifier behind them."""

    style: np.ndarray
    predicted: np.ndarray  # object
    why_ids: np.ndarray
    why_amount: np.ndarray
    why_names: list[str]
    trained: Trained | None = None  # the classifier whose probabilities the scores are
    notes: list[str] | None = None  # about the classifier (evaluation.csv)
    new: bool = False  # trained in this run (``framing model train`` saves it)
    why_not: str = ""  # why no classifier was trained
    undetermined: np.ndarray = field(default_factory=lambda: np.zeros(0, object))  # why "undetermined" ("" else)
    style_groups: list[str] | None = None  # the types of ``style`` when not the labelled groups (a saved model's)


def similarity_scores(art: IdOrder, sim: np.ndarray, groups: list[str], lex: CompiledLexicons, why_not: str) -> Scores:
    """Without a classifier: style scores from TF-IDF and style-profile similarity, a prediction from them."""
    prof = profile_similarity(art.rate[:, _columns_of_role(lex, "style")], art.types, groups)
    style = (sim + prof) / 2
    predicted, undetermined = predict_with_reasons(style, groups)
    # An article with no content words resembles nothing; say so rather than guess.
    predicted[art.sq == 0] = "undetermined"
    undetermined[art.sq == 0] = "no content words to compare"
    n = len(art)
    return Scores(
        style=style, predicted=predicted, why_ids=np.full((n, TOP_WHY), -1, dtype=np.int32),
        why_amount=np.zeros((n, TOP_WHY)), why_names=[],
        notes=[f"not trained ({why_not}); style_<type> and predicted_source_type are similarity scores"],
        why_not=why_not, undetermined=undetermined,
    )


def _probability_scores(
    proba: np.ndarray, classes: list[str], groups: list[str], undetermined: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """``style_<type>`` as the probability of each labelled group the model knows; the most probable class,
    or ``undetermined`` where the abstention rule gives a reason."""
    style = np.full((len(proba), len(groups)), np.nan)
    for k, g in enumerate(groups):
        if g in classes:
            style[:, k] = proba[:, classes.index(g)]
    return style, calls(proba, classes, undetermined)


def classified(
    store: Store, context: BlockContext, art: IdOrder, vocab: Vocab, p2: Pass2, train: np.ndarray,
    classes: list[str], groups: list[str], lex: CompiledLexicons, options: RunOptions, clock: Clock,
) -> Scores:
    """The classifier: out-of-fold probabilities for its training articles, the final model's for the rest."""
    n = len(art)
    picked = art.rank_of[np.flatnonzero(train)]  # id-order positions of the training articles
    x_train = sp.vstack(p2.train_rows, format="csr") if p2.train_rows else sp.csr_matrix((0, vocab.size))
    p2.train_rows.clear()
    by_id = np.argsort(picked, kind="stable")
    picked = picked[by_id]
    trained = cross_validate(x_train[by_id], art.rate[picked], list(art.types[picked]), list(art.outlet_names[picked]),
                             classes, typography=art.typography[picked], typography_names=TYPOGRAPHY,
                             map_fits=options.map_fits, n_tokens=art.n_tokens[picked],
                             dropped=dropped_columns(vocab.words))
    del x_train
    proba, why_ids, why_amount, far = pass4(store, context, art, trained, n, clock)
    proba[picked] = trained.oof  # no article grades itself
    trained.rate_names = list(lex.columns)
    trained.keep_columns(np.flatnonzero(vocab.is_feature), vocab.words, vocab.weight)  # what a saved model needs
    seen = trained.seen(list(art.outlet_names))
    seen[picked] = trained.oof_saw_outlets  # out of fold: whether the model that scored it saw its outlet
    undetermined = trained.abstain(proba, art.n_tokens, far, seen)
    style, predicted = _probability_scores(proba, classes, groups, undetermined)
    why_names = [*vocab.words, *(f"rate {c}" for c in lex.columns), *(f"typography {t}" for t in TYPOGRAPHY)]
    return Scores(style, predicted, why_ids, why_amount, why_names, trained, trained.notes, new=True,
                  undetermined=undetermined)


def pass4(
    store: Store, context: BlockContext, art: IdOrder, model: Trained, n: int, clock: Clock
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Pass 4 (input order): each article's probabilities and top reasons, placed in id order."""
    proba = np.zeros((n, len(model.classes)))
    why_ids = np.full((n, TOP_WHY), -1, dtype=np.int32)  # a million articles: 20 MB
    why_amount = np.zeros((n, TOP_WHY))
    far = np.zeros(n)
    context.trained, context.rate, context.rank_of, context.typography = model, art.rate, art.rank_of, art.typography
    try:
        for lo, hi, part in store.map(pass4_block, context, n):
            where = art.rank_of[lo:hi]
            proba[where], why_ids[where], why_amount[where], far[where] = part
            clock.tell("classifier", hi, n)
    finally:
        context.trained = context.rate = context.rank_of = context.typography = None
        context.feature_map = context.feature_idf = None
    return proba, why_ids, why_amount, far


@dataclass
class SavedScores:
    """A saved model's scores of every article, in id order: what ``applied`` and an applied label model share."""

    proba: np.ndarray  # articles x the model's classes, calibrated
    why_ids: np.ndarray  # each article's top features (columns of the model), -1 for none
    why_amount: np.ndarray
    undetermined: np.ndarray  # object: why the model makes no call ("" for a call)
    classes: list[str]

    @property
    def called(self) -> np.ndarray:
        """Each article's class: the most probable, or ``undetermined``."""
        return calls(self.proba, self.classes, self.undetermined)


def calls(proba: np.ndarray, classes: list[str], undetermined: np.ndarray) -> np.ndarray:
    """The most probable class of each row, or ``undetermined`` where the abstention rule gives a reason."""
    called = np.asarray(classes, dtype=object)[np.argmax(proba, axis=1)]
    called[undetermined != ""] = "undetermined"
    return called


def saved_probabilities(
    store: Store, context: BlockContext, art: IdOrder, vocab: Vocab, model: Trained, clock: Clock
) -> SavedScores:
    """Pass 4 with a saved model: its words and idf mapped onto this corpus's, calibrated probabilities, abstentions."""
    index = {w: j for j, w in enumerate(model.words)}
    context.feature_map = np.asarray([index.get(w, -1) for w in vocab.words], dtype=np.int64)
    context.feature_idf = model.idf
    proba, why_ids, why_amount, far = pass4(store, context, art, model, len(art), clock)
    undetermined = model.abstain(proba, art.n_tokens, far, model.seen(list(art.outlet_names)))
    return SavedScores(proba, why_ids, why_amount, undetermined, list(model.classes))


def applied(
    store: Store, context: BlockContext, art: IdOrder, vocab: Vocab, model: Trained, groups: list[str], clock: Clock
) -> Scores:
    """Score every article with a saved classifier; evaluate it on the articles whose label it knows."""
    saved = saved_probabilities(store, context, art, vocab, model, clock)
    proba, why_ids, why_amount, undetermined = saved.proba, saved.why_ids, saved.why_amount, saved.undetermined
    known = [SOURCE_TYPES.index(t) for t in model.classes]
    rows = np.flatnonzero(np.isin(art.type_code, known))
    # The saved model with this run's probabilities; its own training figures are not this run's.
    applied = replace(model, oof=proba, evaluation=[], summary={}, notes=[])
    summary: dict[str, object] = {"applied": True, "n_articles": len(rows), "classes": model.classes}
    if len(rows):
        y = np.asarray([model.classes.index(SOURCE_TYPES[c]) for c in art.type_code[rows].tolist()], dtype=np.int64)
        folds = "none: a saved model on new articles"
        applied.evaluation, macro = evaluate(y, np.argmax(proba[rows], axis=1), model.classes, "applied", folds, 0)
        applied.evaluation += calibration_rows(proba[rows], y, undetermined[rows], model.classes, "applied", folds, 0)
        summary["macro_f1_applied"] = round(macro, 4)
    else:
        applied.notes = ["the saved model was applied; no article has a label it knows, so nothing is evaluated"]
    applied.summary = summary
    names = [*model.words, *(f"rate {c}" for c in model.rate_names), *(f"typography {t}" for t in model.typography_names)]
    # Every class of the model gets its style_<type> column, labelled in this corpus or not.
    style, predicted = _probability_scores(proba, list(model.classes), list(model.classes), undetermined)
    return Scores(style, predicted, why_ids, why_amount, names, applied, applied.notes, undetermined=undetermined,
                  style_groups=list(model.classes))


def label_model(
    art: IdOrder, vocab: Vocab, x_train: sp.csr_matrix, labelled: LabelSet, lex: CompiledLexicons,
    options: RunOptions,
) -> LabelModel:
    """The model of a label column: the classifier's features and folds with the label's values as classes.

    ``x_train``: the TF-IDF rows of the ``labelled.train`` articles, in input order.
    """
    picked = art.rank_of[np.flatnonzero(labelled.train)]
    values = labelled.values[np.flatnonzero(labelled.train)]
    by_id = np.argsort(picked, kind="stable")
    picked, values = picked[by_id], values[by_id]
    trained = cross_validate(x_train[by_id], art.rate[picked], [str(v) for v in values],
                             list(art.outlet_names[picked]), labelled.classes, typography=art.typography[picked],
                             typography_names=TYPOGRAPHY, map_fits=options.map_fits, n_tokens=art.n_tokens[picked],
                             dropped=dropped_columns(vocab.words), label=labelled.name)
    trained.rate_names = list(lex.columns)
    trained.keep_columns(np.flatnonzero(vocab.is_feature), vocab.words, vocab.weight)
    y = np.asarray([labelled.classes.index(str(v)) for v in values], dtype=np.int64)
    summary = trained.summary
    rows, by_class = label_evaluation(y, trained.oof, trained.fold_of, art.rate[picked], list(lex.columns),
                                      labelled.classes, label=labelled.name, folds=str(summary["folds"]),
                                      n_folds=int(summary["n_folds"]))  # type: ignore[call-overload]
    return LabelModel(trained, [art.sorted_ids[i] for i in picked.tolist()], [str(v) for v in values], rows,
                      {"label": labelled.name, "classes": labelled.classes, "folds": summary["folds"],
                       "n_folds": summary["n_folds"], "n_articles": len(y), "by_class": by_class})


# ----------------------------------------------------------------- corpus figures


@dataclass
class Figures:
    """The corpus tables: summary.csv, terms.csv, comparisons.csv, similarities, and their notes."""

    summary: pd.DataFrame
    terms: pd.DataFrame
    terms_notes: list[str]
    similarity: pd.DataFrame | None
    type_similarity: pd.DataFrame
    comparisons: pd.DataFrame
    comparison_notes: list[str]
    by_outlet: bool = True  # outlets nest in the groups: the tests shuffle outlets


def grouped(num: ArticleNumbers, art: IdOrder, options: RunOptions) -> tuple[Grouping, np.ndarray]:
    """The run's grouping, and each article's group in id order (an index into ``grouping.order``)."""
    names = num.groups
    present = [names[c] for c in np.unique(num.group_code).tolist()]
    c = options.comparing
    grouping = Grouping.of(c.columns.group_by, present, order=c.order, labels=c.labels, colors=c.colors)
    position = {g: i for i, g in enumerate(grouping.order)}
    recode = np.asarray([position.get(g, -1) for g in names] or [-1], dtype=np.int64)
    return grouping, recode[num.group_code[art.order]] if len(art) else np.zeros(0, np.int64)


def summaries(
    art: IdOrder, sums: CorpusSums, vocab: Vocab, p2: Pass2, present_types: list[int], lex: CompiledLexicons,
    grouping: Grouping, group_of: np.ndarray,
) -> Figures:
    """Group summaries, distinctive terms, similarities and comparisons, from per-article numbers and sums.

    The groups are ``grouping``'s (each article's is ``group_of``, id
    order); the similarities stay between source types, as the style scores are.
    """
    row_of = {g: i for i, g in enumerate(sums.groups)}  # the sums' rows, by group (Dask merges code them as met)
    order = list(grouping.order)
    present = [k for k in range(len(order)) if (group_of == k).any()]
    rows = [row_of[order[k]] for k in present]
    quote_means = {}
    if sums.quote_sums is not None and sums.quote_counts is not None:
        with np.errstate(invalid="ignore", divide="ignore"):
            means = sums.quote_sums / float(1 << RATE_FIXED_POINT) / sums.quote_counts
        quote_means = {g: (means[i, 0::2], means[i, 1::2], sums.quote_counts[i, 1::2]) for g, i in row_of.items()}
    names = np.asarray(order, dtype=object)[group_of] if len(order) else np.zeros(0, object)
    summary = summarize(art.rate, names, art.outlet_names, lex.category_ref, quote_means=quote_means,
                        what=grouping.words(), order=None if grouping.by_type else order)
    n_outlets = {k: len(np.unique(art.outlet_code[group_of == k])) for k in present}
    terms, notes = distinctive_terms(
        [order[k] for k in present],
        np.asarray([int((group_of == k).sum()) for k in present]),
        sums.group_counts[rows],
        sums.group_docs[rows],
        np.flatnonzero(vocab.is_feature),
        np.arange(vocab.size),
        vocab.words,
        labels=dict(grouping.labels),
        n_outlets=[n_outlets[k] for k in present] if grouping.column != "outlet" else None,
    )
    similarity = None
    if p2.kept_rows is not None:
        x_all = sp.vstack(p2.kept_rows).tocsr() if p2.kept_rows else sp.csr_matrix((0, vocab.size))
        x_sorted = x_all[art.order]
        similarity = pd.DataFrame((x_sorted @ x_sorted.T).toarray(), index=art.sorted_ids, columns=art.sorted_ids)
    types_present = type_similarity([SOURCE_TYPES[i] for i in present_types], present_types, p2.group_sums, art.sq,
                                    art.type_code)
    spanning = [] if grouping.by_type or grouping.column == "outlet" else \
        spanning_outlets(art.outlet_names, art.outlet_code, group_of, order)
    by_outlet = grouping.by_type or (grouping.column != "outlet" and not spanning)
    if grouping.by_type:  # the labelled types first, then unknown; as the comparisons always were
        in_order = [k for k in (*(order.index(t) for t in LABELLED_TYPES), order.index("unknown")) if k in present]
    else:
        in_order = present
    compared, dominated = comparisons(
        [order[k] for k in in_order],
        np.asarray([int((group_of == k).sum()) for k in in_order]),
        [n_outlets[k] for k in in_order],
        sums.term_rates[[row_of[order[k]] for k in in_order]],
        lex.term_category,
        lex.category_ref,
        [t.text for t in lex.terms],
        rates=art.rate,
        group_of=_positions_in(group_of, in_order),
        outlet_of=art.outlet_code,
        by_outlet=by_outlet,
        what=grouping.words(many=True),
        articles_caution=OUTLETS_AS_GROUPS if grouping.column == "outlet" else ARTICLES_AS_UNITS,
        # A user's group order (a groups file) must not move a p-value: the shuffles draw the first by name.
        test_first=None if grouping.by_type else lambda a, b: (a.casefold(), a) <= (b.casefold(), b),
    )
    if not by_outlet and len(in_order) > 1:
        dominated.insert(0, _articles_as_units_note(grouping, spanning))
    column = grouping.column
    summary = renamed(summary, "source_type", table_column(column, SUMMARY_COLUMNS[1:]))
    terms = renamed(terms, "source_type", table_column(column, TERMS_COLUMNS[1:]))
    return Figures(summary, terms, notes, similarity, types_present, compared, dominated, by_outlet)


def stories(
    num: ArticleNumbers, art: IdOrder, p2: Pass2, vocab: Vocab, lex: CompiledLexicons, grouping: Grouping,
    group_of: np.ndarray, figures: Figures, options: RunOptions,
) -> StoryFigures | None:
    """The run's stories and their tables (``framing.engine.story``); ``None`` with ``--stories off``."""
    settings = options.comparing.stories
    if settings is None or p2.story_cols is None or p2.story_weights is None:
        return None
    day, precision = dates_by_id(num, art)
    # A date known only to the month or the year says nothing of which days' news an article was: undated here.
    day = np.where(precision == PRECISIONS.index("day"), day, NO_DAY)
    cols, weights = p2.story_cols[art.order], p2.story_weights[art.order]
    p2.story_cols = p2.story_weights = None  # the input-order copies are not needed again
    return story_figures(
        cols, weights, vocab.words, day, art.types, art.outlet_names,
        art.outlet_code, art.rate, grouping, group_of, lex.category_ref, figures.comparisons, settings,
        by_outlet=figures.by_outlet,
    )


def spanning_outlets(
    outlet_names: Sequence[str], outlet_code: np.ndarray, group_of: np.ndarray, groups: Sequence[str],
) -> list[tuple[str, list[tuple[str, int]]]]:
    """The outlets whose articles are in more than one group, each with its groups and articles there, by name.

    ``outlet_names`` and ``outlet_code``: each article's outlet. Empty when outlets nest in the groups (so a test may shuffle outlets between groups).
    """
    inside = group_of >= 0
    pairs, counts = np.unique(np.stack([outlet_code[inside], group_of[inside]]), axis=1, return_counts=True)
    outlets, n_groups = np.unique(pairs[0], return_counts=True)
    found = []
    for o in outlets[n_groups > 1].tolist():
        mine = pairs[0] == o
        found.append((str(outlet_names[int(np.argmax(outlet_code == o))]) or "(no outlet)",
                      sorted(((groups[int(g)], int(c)) for g, c in zip(pairs[1][mine], counts[mine])),
                             key=lambda gc: -gc[1])))
    return sorted(found, key=lambda f: (f[0].casefold(), f[0]))


def _articles_as_units_note(grouping: Grouping, spanning: list[tuple[str, list[tuple[str, int]]]]) -> str:
    """Why comparisons.csv tests articles, not outlets: the groups are outlets, or these outlets span groups."""
    test = "each pair is tested with Welch's t-test on the articles, which counts an outlet's articles as independent"
    if not spanning:
        return f"the groups are outlets, so no outlet can be shuffled between them: {test}"
    shown = "; ".join(f"{name} ({', '.join(f'{grouping.label(g)} {n:,}' for g, n in where)})"
                      for name, where in spanning[:5])
    more = f"; and {len(spanning) - 5:,} more" if len(spanning) > 5 else ""
    return (f"{len(spanning):,} outlet{'s have' if len(spanning) != 1 else ' has'} articles in more than one "
            f"{grouping.words()} ({shown}{more}), so outlets cannot be shuffled between the groups: {test}. "
            "Recode or leave out those articles to test by outlet")


def _positions_in(codes: np.ndarray, chosen: list[int]) -> np.ndarray:
    """For each code, its position in ``chosen`` (-1 when absent or negative)."""
    lookup = np.full(max([*chosen, int(codes.max()) if len(codes) else 0]) + 2, -1, dtype=np.int64)
    lookup[chosen] = np.arange(len(chosen))
    return lookup[codes]


# ----------------------------------------------------------------- over time


@dataclass
class Timed:
    """The figures over time: per period (``timeline.csv``), before and after a date (``before_after.csv``)."""

    timeline: pd.DataFrame | None = None
    before_after: pd.DataFrame | None = None
    period: str | None = None
    split_date: str | None = None
    notes: dict[str, list[str]] = field(default_factory=dict)  # what the dates cannot support, per file


def dates_by_id(num: ArticleNumbers, art: IdOrder) -> tuple[np.ndarray, np.ndarray]:
    """Each article's day number and precision code in id order (``NO_DAY``, 0 when the run read no dates)."""
    if not len(num.day):
        return np.full(len(art), NO_DAY, np.int64), np.zeros(len(art), np.int8)
    return num.day[art.order], num.precision[art.order]


def over_time(
    num: ArticleNumbers, art: IdOrder, lex: CompiledLexicons, grouping: Grouping, group_of: np.ndarray,
    options: RunOptions,
) -> Timed:
    """The timeline and the before-and-after table the run asks for (none without dates)."""
    c = options.comparing
    if c.period is None and c.split_date is None:
        return Timed()
    from ..stats.before_after import BEFORE_AFTER_COLUMNS_AFTER_GROUP, before_after_table
    from ..stats.timeline import TIMELINE_COLUMNS_AFTER_GROUP, timeline_table

    day, precision = dates_by_id(num, art)
    column = grouping.column
    names = list(grouping.order)
    timed = Timed(period=c.period, split_date=c.split_date)
    if c.period is not None:
        period = c.period
        keys = period_keys(day, fits(precision, period), period)
        timed.timeline = timeline_table(
            art.rate, group_of, names, keys, lambda k: period_label(k, period),
            lambda k: day_text(period_start(k, period)), art.outlet_code, lex.category_ref,
            group_column=table_column(column, TIMELINE_COLUMNS_AFTER_GROUP), groups_are_outlets=column == "outlet",
        )
    if c.split_date is not None:
        split = parse_split_date(c.split_date)
        # A month-only or year-only date is placed when its whole month or year lies on one side.
        placed = (day != NO_DAY) & ((day >= split) | (last_days(day, precision) < split))
        timed.before_after = before_after_table(
            art.rate, np.where(placed, group_of, -1), names, day, split,
            c.split_date, art.outlet_code, lex.category_ref,
            group_column=table_column(column, BEFORE_AFTER_COLUMNS_AFTER_GROUP),
            groups_are_outlets=column == "outlet",
        )
        table = timed.before_after
        # A group with no dated article on either side has nothing to compare: no rows (the page says which).
        table = table[(table["n_before"] + table["n_after"]) > 0].reset_index(drop=True)
        table["significant"] = np.where(table["p_adjusted"].isna(), "", np.where(table["significant"], "yes", "no"))
        timed.before_after = table
    timed.notes = _time_notes(timed, day, precision, options.comparing.columns.date_column)
    return timed


def _time_notes(timed: Timed, day: np.ndarray, precision: np.ndarray, date_column: str) -> dict[str, list[str]]:
    """What the dates leave out: undated articles, and those too coarse for the period or the split."""
    n = len(day)
    dated = day != NO_DAY
    undated = n - int(dated.sum())
    missing = (f"no article has a date that can be read in the column {date_column!r}: the table is empty"
               if undated == n else
               f"{undated:,} of {plural(n, 'article')} {_has(undated)} no date that can be read in the column "
               f"{date_column!r}; {_they(undated)} left out" if undated else "")
    notes: dict[str, list[str]] = {}
    if timed.period is not None:
        coarse = int((dated & ~fits(precision, timed.period)).sum())
        said = [missing]
        if coarse:
            said.append(f"{plural(coarse, 'article')} dated only to a coarser unit than a {timed.period} "
                        f"{'is' if coarse == 1 else 'are'} left out")
        table = timed.timeline
        if table is not None and len(table):
            cells = table.drop_duplicates(subset=list(table.columns[:2]))
            thin = int(cells["caution"].str.contains("thin period", regex=False).sum())
            empty = int((cells["n_articles"] == 0).sum())
            if thin:
                said.append(f"{thin:,} of the {plural(len(cells) - empty, 'group-period')} with articles "
                            f"{_has(thin)} fewer than {MIN_GROUP_ARTICLES} (the caution says so): read "
                            f"{'its rates' if thin == 1 else 'their rates'} as descriptive")
            if empty:
                said.append(f"{plural(empty, 'group-period')} between a group's first and last {_has(empty)} "
                            "no articles")
        notes["timeline.csv"] = [s for s in said if s]
    if timed.split_date is not None:
        split = parse_split_date(timed.split_date)
        straddling = int((dated & (day < split) & (last_days(day, precision) >= split)).sum())
        said = [missing]
        if straddling:
            said.append(f"{plural(straddling, 'article')} dated only to the month or the year that holds "
                        f"{timed.split_date} cannot be placed before or after it; {_they(straddling)} left out")
        notes["before_after.csv"] = [s for s in said if s]
    return {k: v for k, v in notes.items() if v}


def _has(n: int) -> str:
    return "has" if n == 1 else "have"


def _they(n: int) -> str:
    return "it is" if n == 1 else "they are"


def date_range(summary: pd.DataFrame, num: ArticleNumbers, art: IdOrder, grouping: Grouping,
               group_of: np.ndarray) -> pd.DataFrame:
    """``summary`` with each group's first and last date and its dated articles (``first_date``, ``last_date``, ``n_dated``)."""
    day, _ = dates_by_id(num, art)
    dated = day != NO_DAY
    first, last, n_dated = {}, {}, {}
    for k, g in enumerate(grouping.order):
        mine = day[dated & (group_of == k)]
        n_dated[g] = len(mine)
        first[g] = day_text(int(mine.min())) if len(mine) else ""
        last[g] = day_text(int(mine.max())) if len(mine) else ""
    groups = summary.iloc[:, 0].astype(str)
    return summary.assign(first_date=groups.map(first).fillna(""), last_date=groups.map(last).fillna(""),
                          n_dated=groups.map(n_dated).fillna(0).astype("int64"))


def _kept_groups(kept: Sequence[Article], art: IdOrder, grouping: Grouping,
                 group_of: np.ndarray) -> dict[str, str] | None:
    """The kept articles' groups by id, for labels.csv (``None`` by source type: the articles carry theirs)."""
    if grouping.by_type:
        return None
    ids = [a.id for a in kept]
    at = np.searchsorted(np.asarray(art.sorted_ids, dtype=object), ids) if ids else np.zeros(0, int)
    return {aid: grouping.order[int(group_of[i])] if group_of[i] >= 0 else "" for aid, i in zip(ids, at.tolist())}


def _labels_notes(grouping: Grouping, group_of: np.ndarray, kept: Sequence[Article],
                  kept_groups: Mapping[str, str] | None, n: int) -> dict[str, list[str]]:
    """The note on labels.csv when groups have articles of which none is kept (labels.csv counts the kept ones)."""
    if len(kept) >= n:
        return {}
    present = [grouping.order[int(k)] for k in np.unique(group_of) if k >= 0]
    seen = {a.source_type for a in kept} if grouping.by_type else set((kept_groups or {}).values())
    unseen = [g for g in present if g not in seen]
    if not unseen:
        return {}
    return {"labels.csv": [
        (f"it counts the {len(kept):,} articles whose text is kept (the first by id; --html-articles), "
        f"and {plural(len(unseen), grouping.words())} {'has' if len(unseen) == 1 else 'have'} none of them: "
        f"{', '.join(grouping.label(g) for g in unseen[:10])}{' ...' if len(unseen) > 10 else ''}")
    ]}


def groups_file_warnings(num: ArticleNumbers, comparing: Comparing) -> list[str]:
    """One warning for the values a groups file lists that no article has (a typo is not silent)."""
    present = {num.groups[c] for c in np.unique(num.group_code).tolist()} if len(num.group_code) else set()
    unseen = [v for v in comparing.order if v not in present]
    if not unseen:
        return []
    shown = ", ".join(repr(v) for v in unseen[:10]) + (" ..." if len(unseen) > 10 else "")
    return [(f"the groups file lists {plural(len(unseen), 'value')} that no article has in the column "
            f"{comparing.columns.group_by!r}: {shown}")]


def date_warnings(num: ArticleNumbers, comparing: Comparing | None = None) -> list[str]:
    """One warning per file with dates that could not be read (the articles are kept, undated).

    Only when the run asks for dates (``--by-period``, ``--split-date``):
    stories read dates where they can and link an undated article by its
    words alone (stories.csv's note counts them), so they warn of nothing.
    """
    if comparing is not None and comparing.period is None and comparing.split_date is None:
        return []
    out = []
    for where, (count, first, text) in sorted(num.bad_dates.items()):
        more = f" and {count - 1:,} more" if count > 1 else ""
        out.append(f"{where}: cannot read the date {text!r} of {first!r}{more}; kept without a date "
                   "(dates are read as ISO, RFC 2822, 'Sep 10, 2022', '10 Sep 2022' or a year)")
    return out


# ----------------------------------------------------------------- the result


def assemble(
    p1: Pass1Output, lex: CompiledLexicons, store: Store, clock: Clock, options: RunOptions, art: IdOrder,
    report: ReportNumbers, scores: Scores, figures: Figures, modelled: LabelModel | None = None,
    model_cols: Sequence[str] = (), applied: tuple[list[dict[str, object]], dict[str, object]] | None = None, *,
    warnings: list[str], skipped: int, grouping: Grouping | None = None, group_of: np.ndarray | None = None,
    timed: Timed | None = None, told: StoryFigures | None = None,
) -> AnalysisResult:
    """The result, whole: tables kept as DataFrames, the streamed tables, and the run's facts.

    ``model_cols``: an applied label model's columns (``schema.model_columns``), last in the report;
    ``applied``: its ``evaluation.csv`` rows and summary on this corpus's right answers, when it has them.
    """
    n = len(art)
    columns = lex.columns
    with_negation = [lex.column(int(c)) for c in lex.negated_categories]
    report_cols = report_columns(columns, report.groups, with_negation, report.style_groups, model_cols,
                                 story=report.story is not None)
    head_rows = [(int(art.rank_of[i]), item) for i, item in p1.heads.sorted()]
    scores_df = scores_frame(head_rows, art.sorted_ids, report, report_cols, columns, negated_columns(with_negation))
    shown = p1.texts.sorted()
    matches = matches_frame(shown, art.ids, lex)
    kept_articles = [item[0] for _, item in shown]  # type: ignore[index]
    store.finished(report_cols, report, art.order)
    grouping = grouping or Grouping()
    group_of = group_of if group_of is not None else art.type_code.astype(np.int64)
    timed = timed or Timed()
    summary = figures.summary
    if timed.period is not None or timed.split_date is not None:
        summary = date_range(summary, p1.numbers, art, grouping, group_of)
    kept_groups = _kept_groups(kept_articles, art, grouping, group_of)
    trained = scores.trained
    notes = {k: v for k, v in (("terms.csv", figures.terms_notes), ("comparisons.csv", figures.comparison_notes),
                               ("evaluation.csv", scores.notes or [])) if v}
    notes.update(timed.notes)
    if told is not None:
        notes.update(told.notes)
    labels = label_table(lex.lexicons, matches, kept_articles, scores_df, grouping=grouping, groups=kept_groups)
    if len(labels):
        notes.update(_labels_notes(grouping, group_of, kept_articles, kept_groups, n))
    return AnalysisResult(
        scores=scores_df,
        summary=summary,
        terms=figures.terms,
        matches=matches,
        similarity=figures.similarity,
        type_similarity=figures.type_similarity,
        lexicons=list(lex.lexicons),
        counting=lex.counting,
        dimensions=_dimensions(lex),
        styles={f"style_{g}": TYPE_LABELS.get(g, g) for g in report.styles},
        corpus_sha256=_corpus_digest(art),
        warnings=warnings,
        notes=notes,
        comparisons=figures.comparisons,
        labels=labels,
        pair=choose_pair(kept_articles, scores_df, matches, options.compare),
        evaluation=pd.DataFrame([*(trained.evaluation if trained else []), *(applied[0] if applied else [])],
                                columns=list(EVALUATION_COLUMNS)),
        evaluation_summary={**(trained.summary if trained else {"trained": False, "why": scores.why_not}),
                            **({"label_applied": applied[1]} if applied else {})},
        classifier=trained if scores.new else None,
        label_model=modelled,
        skipped=skipped,
        timings=clock.timings,
        articles=kept_articles,
        n_articles=n,
        n_matches=art.n_matches,
        complete=options.collect,
        tables={
            "report.csv": lambda: report_csv(report_cols, report, store.texts(art.order), n, clock.tell),
            "matches.csv": lambda: store.matches(art.order),
        },
        chart_rows=_chart_rows(art, report, lex, grouping, group_of),
        parquet_parts=store.parquet_parts(),
        store=store,
        grouping=grouping,
        timeline=timed.timeline,
        before_after=timed.before_after,
        period=timed.period,
        split_date=timed.split_date,
        group_of=_group_names(grouping, group_of),
        **_story_fields(told, kept_articles, art),
    )


def _story_fields(told: StoryFigures | None, kept: Sequence[Article], art: IdOrder) -> dict[str, object]:
    """The result's story tables, and the story id of each kept article by article id (none without stories)."""
    if told is None:
        return {}
    at = np.searchsorted(np.asarray(art.sorted_ids, dtype=object), [a.id for a in kept]) if kept else []
    return {"stories": told.table, "coverage": told.coverage, "within_story": told.within,
            "story_of": {a.id: story_id(int(told.stories.story[i])) for a, i in zip(kept, list(at))}}


def _group_names(grouping: Grouping, group_of: np.ndarray) -> Callable[[], np.ndarray]:
    """Each article's group (id order), when asked for."""
    return lambda: np.asarray([*grouping.order, ""], dtype=object)[group_of]


def _columns_of_role(lex: CompiledLexicons, role: str) -> list[int]:
    """The categories of the lexicons with this role ("dimensions", "style"); every category if none has it."""
    roles = [lex.lexicons[lex.category_lexicon[c]].role for c in range(lex.n_categories)]
    return [c for c, r in enumerate(roles) if r == role] or list(range(lex.n_categories))


def _dimensions(lex: CompiledLexicons) -> dict[str, str]:
    """Rate column -> label of the categories the charts draw."""
    cat_label = {(lx.name, cat.id): cat.label for lx in lex.lexicons for cat in lx.categories}
    return {lex.column(c): cat_label[lex.category_ref[c]] for c in _columns_of_role(lex, "dimensions")}


def _corpus_digest(art: IdOrder) -> str:
    """The hash of the per-article hashes in id order: the same for any input order."""
    per_article = np.frombuffer(art.digests, dtype=np.uint8).reshape(len(art), 32)
    return hashlib.sha256(per_article[art.order].tobytes()).hexdigest()


def _chart_rows(
    art: IdOrder, report: ReportNumbers, lex: CompiledLexicons, grouping: Grouping, group_of: np.ndarray
) -> Callable[[], pd.DataFrame]:
    """All articles, in id order, with what the charts draw (``scores`` may hold only the first rows).

    With a grouping by another column than ``source_type``, a ``group``
    column holds each article's group (the style charts stay by source type).
    """
    dims = _columns_of_role(lex, "dimensions")
    columns = lex.columns

    def rows() -> pd.DataFrame:
        data: dict[str, object] = {"article_id": art.sorted_ids, "outlet": art.outlet_names, "source_type": art.types}
        if not grouping.by_type:
            data["group"] = np.asarray([*grouping.order, ""], dtype=object)[group_of]
        data.update({columns[c]: report.rate[:, c] for c in dims})
        data.update({f"style_{g}": report.style[:, k] for k, g in enumerate(report.styles)})
        return pd.DataFrame(data)

    return rows
