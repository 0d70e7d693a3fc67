"""Scores for sequence outputs: masked token accuracy, exact match, date fields, corpus BLEU."""

from collections.abc import Sequence

import numpy as np
from keras import ops

DATE_FIELDS = {"year": slice(0, 4), "month": slice(5, 7), "day": slice(8, 10)}  # in "YYYY-MM-DD"


def masked_accuracy(y_true, logits):
    """Share of real (non-padding) target tokens whose highest logit is the right token."""
    real = ops.not_equal(y_true, 0)  # (batch, T_out)
    correct = ops.equal(ops.cast(ops.argmax(logits, axis=-1), y_true.dtype), y_true)
    return ops.sum(ops.cast(correct & real, "float32")) / ops.maximum(ops.sum(ops.cast(real, "float32")), 1.0)


def _check_pairs(predictions: Sequence[str], references: Sequence[str]) -> None:
    if isinstance(predictions, str) or isinstance(references, str):
        raise TypeError("Pass lists of strings, not a single string.")
    if len(predictions) != len(references) or not len(references):
        raise ValueError(f"Need as many predictions as references (at least one); got {len(predictions)} "
                         f"predictions and {len(references)} references.")


def exact_match(predictions: Sequence[str], references: Sequence[str]) -> float:
    """Share of predictions identical to their reference."""
    _check_pairs(predictions, references)
    return float(np.mean([p == r for p, r in zip(predictions, references)]))


def date_field_errors(predictions: Sequence[str], references: Sequence[str]) -> dict[str, float]:
    """Error rate of the year, month and day fields of ISO dates (a malformed prediction fails its fields)."""
    _check_pairs(predictions, references)
    return {field: float(np.mean([p[part] != r[part] for p, r in zip(predictions, references)]))
            for field, part in DATE_FIELDS.items()}
