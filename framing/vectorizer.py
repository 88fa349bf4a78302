"""Lexicon rates as a scikit-learn transformer, for models that combine them with other features.

``LexiconVectorizer`` turns raw texts into one column per lexicon category
(``<lexicon>.<category>``), counted by the same tokenizer and matcher as
``framing analyze``: with ``normalize="per_1k"`` its columns equal the rate
columns of ``report.csv`` for the same texts.

This module imports scikit-learn when it is imported, so ``framing`` itself
does not import it: only ``from framing.vectorizer import LexiconVectorizer``
(or the lazy ``framing.LexiconVectorizer``) does.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.utils.validation import check_is_fitted

from .defaults import CHUNK_ARTICLES
from .errors import InputError

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd
    import scipy.sparse as sp

    from .lexicon.model import Lexicon

__all__ = ["NORMALIZE", "LexiconVectorizer"]

NORMALIZE = ("per_1k", "counts")


class LexiconVectorizer(TransformerMixin, BaseEstimator):
    """Texts in, one column per lexicon category out: rates per 1,000 tokens or weighted counts.

    A text vectorizer like scikit-learn's ``TfidfVectorizer``: ``fit`` and
    ``transform`` take an iterable of strings (not a 2-D array), so it can
    stand first in a ``Pipeline`` or beside ``TfidfVectorizer`` in a
    ``FeatureUnion``. Nothing is learnt from the texts: ``fit`` only loads
    and compiles the lexicons, so ``fit`` on one corpus and ``transform`` on
    another give the same rows as transforming each alone.

    Parameters
    ----------
    lexicon : str, pathlib.Path, Lexicon or list of them, optional
        The lexicons whose categories become the columns: file paths (read in
        ``fit``) or loaded ``Lexicon`` objects. ``None``: the built-in
        ``frames``, ``style`` and ``labels`` lexicons.
    normalize : {"per_1k", "counts"}, default "per_1k"
        ``"per_1k"``: the sum of the weights of a category's counted matches
        per 1,000 word tokens of the text, exactly the rate columns of
        ``framing analyze`` (0 for a text without tokens). ``"counts"``: the
        sum of match weights itself (equal to the number of matches when
        every weight is 1). There is no third, raw option: the weighted sum
        is already the raw count the rates are made of.
    sparse : bool, default False
        ``False``: ``transform`` returns a ``pandas.DataFrame`` (columns =
        ``get_feature_names_out()``, index ``0..n-1``). ``True``: a
        ``scipy.sparse.csr_matrix`` of float64, which is what a
        ``FeatureUnion`` beside ``TfidfVectorizer`` needs.
    chunk_size : int, default 500
        Texts tokenized and matched together. Only speed and memory depend
        on it, never the result.

    Attributes
    ----------
    lexicons_ : list of Lexicon
        The loaded lexicons.
    compiled_ : CompiledLexicons
        The lexicons compiled for the matcher. It keeps a cache of the words
        it has resolved, which ``transform`` grows; the result does not
        depend on it.
    feature_names_ : list of str
        ``<lexicon>.<category>``, one per column, in lexicon and file order.

    Notes
    -----
    Which of scikit-learn's estimator checks (``sklearn.utils.estimator_checks``)
    apply, tested in ``tests/api/test_vectorizer.py``:

    * apply and pass: ``check_no_attributes_set_in_init``,
      ``check_parameters_default_constructible``, ``check_get_params_invariance``,
      ``check_set_params``, ``check_estimator_cloneable``, ``check_estimator_repr``,
      ``check_mixin_order``, ``check_do_not_raise_errors_in_init_or_set_params``,
      ``check_estimator_tags_renamed``, ``check_valid_tag_types``;
      ``check_transformers_unfitted`` too: ``transform`` before ``fit`` raises
      ``NotFittedError`` (tested again with texts).
    * do not apply: every check that fits on a numeric array (``check_fit2d_*``,
      ``check_transformer_general``, ``check_estimators_dtypes``,
      ``check_n_features_in``, ``check_estimators_pickle``, ``check_fit_idempotent``,
      ``check_methods_subset_invariance``, ...), because the input is text, as for
      ``TfidfVectorizer``, which scikit-learn exempts the same way (its tags say
      ``string`` input, no 2-D array). What they check is tested with texts
      instead: pickling, idempotent ``fit``, row order and subset invariance,
      and that ``fit`` leaves the parameters alone. ``n_features_in_`` is not set,
      as text vectorizers do not set it.

    Examples
    --------
    >>> from framing.lexicon import parse_lexicon
    >>> lex, _ = parse_lexicon("category,term\\nthreat,threat*\\nthreat,danger\\n",
    ...                        suffix=".csv", path="demo.csv", stem="demo")
    >>> vec = LexiconVectorizer(lexicon=lex, normalize="counts")
    >>> vec.fit_transform(["Threats and more threats.", "Danger, here at all."])
       demo.threat
    0          2.0
    1          1.0
    >>> vec.set_params(normalize="per_1k").fit_transform(["Threats and more threats."]).iloc[0, 0]
    np.float64(500.0)
    >>> vec.get_feature_names_out()
    array(['demo.threat'], dtype=object)
    """

    def __init__(
        self,
        *,
        lexicon: str | Path | Lexicon | Sequence[str | Path | Lexicon] | None = None,
        normalize: str = "per_1k",
        sparse: bool = False,
        chunk_size: int = CHUNK_ARTICLES,
    ) -> None:
        self.lexicon = lexicon
        self.normalize = normalize
        self.sparse = sparse
        self.chunk_size = chunk_size

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.string = True
        tags.input_tags.two_d_array = False
        return tags

    def fit(self, X: Iterable[str] | None = None, y: object = None) -> LexiconVectorizer:
        """Load and compile the lexicons; the texts are not used (nothing is learnt from them).

        Parameters
        ----------
        X : iterable of str, optional
            Ignored (accepted so that the vectorizer fits in a ``Pipeline``).
        y : None
            Ignored.

        Returns
        -------
        LexiconVectorizer
            ``self``.

        Raises
        ------
        framing.errors.InputError
            A parameter out of range (``InputError`` is a ``ValueError``).
        framing.errors.LexiconError
            A lexicon file that cannot be read.
        """
        from .analysis.match import compile_lexicons
        from .lexicon.io import load_lexicons
        from .lexicon.model import Lexicon

        if self.normalize not in NORMALIZE:
            raise InputError(f"normalize must be one of {', '.join(map(repr, NORMALIZE))}, got {self.normalize!r}")
        if not isinstance(self.chunk_size, (int, np.integer)) or isinstance(self.chunk_size, bool) or self.chunk_size < 1:
            raise InputError(f"chunk_size must be a positive integer, got {self.chunk_size!r}")
        given = self.lexicon
        if given is None:
            items = None
        elif isinstance(given, (str, Path, Lexicon)):
            items = [given]
        else:
            items = list(given)
            if not items:
                raise InputError("lexicon is an empty list; give at least one lexicon, or None for the built-ins")
        self.lexicons_ = load_lexicons(items)
        self.compiled_ = compile_lexicons(self.lexicons_)
        self.feature_names_ = list(self.compiled_.columns)
        return self

    def transform(self, X: Iterable[str]) -> pd.DataFrame | sp.csr_matrix:
        """One row per text, one column per category.

        Parameters
        ----------
        X : iterable of str
            The texts (a list, a ``pandas.Series``, a generator, ...). A single
            string is refused, as by ``TfidfVectorizer``.

        Returns
        -------
        pandas.DataFrame or scipy.sparse.csr_matrix
            ``len(X) x len(feature_names_)``, float64: a DataFrame (index
            ``0..n-1``) unless ``sparse=True``.

        Raises
        ------
        sklearn.exceptions.NotFittedError
            Before ``fit``.
        framing.errors.InputError
            ``X`` is a string, or holds something that is not a string.
        """
        check_is_fitted(self, "compiled_")
        values = self._values(X)
        if self.sparse:
            import scipy.sparse as sp

            return sp.csr_matrix(values)
        import pandas as pd

        return pd.DataFrame(values, columns=list(self.feature_names_))

    def get_feature_names_out(self, input_features: object = None) -> np.ndarray:
        """The column names, ``<lexicon>.<category>``, as a numpy array of str (dtype object).

        Parameters
        ----------
        input_features : None
            Ignored (texts have no input feature names).

        Returns
        -------
        numpy.ndarray
        """
        check_is_fitted(self, "feature_names_")
        return np.asarray(self.feature_names_, dtype=object)

    def _values(self, X: Iterable[str]) -> np.ndarray:
        from .analysis.features import rates
        from .analysis.match import category_totals, match
        from .analysis.tokentable import build_token_table

        if isinstance(X, (str, bytes)):
            raise InputError("an iterable of texts is expected, got a single string; wrap it in a list")
        lex = self.compiled_
        blocks: list[np.ndarray] = []
        chunk: list[str] = []

        def flush() -> None:
            table = build_token_table(chunk)
            totals = category_totals(lex, match(lex, table, lex.resolver.ids(table)), table.n_docs)
            blocks.append(rates(totals, table.n_tokens, out=totals) if self.normalize == "per_1k" else totals)
            chunk.clear()

        for i, text in enumerate(X):
            if not isinstance(text, str):
                raise InputError(f"text {i} is a {type(text).__name__}, not a string")
            chunk.append(text)
            if len(chunk) >= self.chunk_size:
                flush()
        if chunk:
            flush()
        if not blocks:
            return np.zeros((0, len(self.feature_names_)), dtype=np.float64)
        return np.concatenate(blocks, axis=0)
