"""A label model's two tables as CSV bytes: its out-of-fold probabilities and its evaluation.

Pure: a ``framing.stats.label_model.LabelModel`` in, bytes out (the writer,
``framing.outputs``, puts them on disk). Rows in id order, the cells of every
framing CSV (``framing.cells``: ``%.4f`` floats, formula-like text
neutralised), so the same corpus gives the same bytes.
"""

from __future__ import annotations

from ..cells import csv_bytes
from ..schema import LABEL_EVALUATION_COLUMNS, oof_columns
from ..stats.label_model import LabelModel

__all__ = ["evaluation_csv", "oof_csv"]


def oof_csv(model: LabelModel) -> bytes:
    """``id, label, p_<class>...``: each training article's out-of-fold probabilities (``schema.oof_columns``)."""
    import pandas as pd

    classes = model.trained.classes
    data: dict[str, object] = {"id": model.ids, "label": model.values}
    for c, name in enumerate(classes):
        data[f"p_{name}"] = model.trained.oof[:, c].astype(float)
    return csv_bytes(pd.DataFrame(data, columns=oof_columns(classes)))


def evaluation_csv(model: LabelModel) -> bytes:
    """The evaluation rows (``schema.LABEL_EVALUATION_COLUMNS``): per class, the model beside its two baselines."""
    import pandas as pd

    return csv_bytes(pd.DataFrame(model.evaluation, columns=list(LABEL_EVALUATION_COLUMNS)))
