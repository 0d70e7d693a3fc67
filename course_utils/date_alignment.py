"""How well attention lines up with a date's fields: the alignment score of lessons 08 and 09.

Each character of "YYYY-MM-DD" writes one field; an output step attends well when its weight falls on the input
characters of that field (``DateFormat.field_labels`` labels them). No model and no Keras: the weights are arrays.
"""

from collections.abc import Sequence

ISO_FIELDS = ["year"] * 4 + [""] + ["month"] * 2 + [""] + ["day"] * 2  # which field each ISO character writes


def alignment_score(weights, field_labels: Sequence[str]) -> float:
    """Share of attention on the right field, averaged over the 8 digits of "YYYY-MM-DD".

    weights: (output steps, source length) softmax weights of one example; field_labels: the field of each
    source character (``DateFormat.field_labels``). The year digits should look at the year, and so on; a
    model that attends uniformly scores about the share of characters that belong to each field.
    """
    shares = [
        float(sum(w for w, label in zip(weights[step], field_labels) if label == field))
        for step, field in enumerate(ISO_FIELDS)
        if field
    ]
    return sum(shares) / len(shares)
