"""Scores for sequence outputs: masked token accuracy, exact match, date fields, corpus BLEU."""

from collections.abc import Sequence

import numpy as np
import pandas as pd
from sacrebleu.metrics import BLEU

from course_utils.sentence_pairs import detokenize
from course_utils.training import masked_accuracy as masked_accuracy  # lessons import it from here

DATE_FIELDS = {"year": slice(0, 4), "month": slice(5, 7), "day": slice(8, 10)}  # in "YYYY-MM-DD"


def _check_pairs(predictions: Sequence[str], references: Sequence[str]) -> None:
    if isinstance(predictions, str) or isinstance(references, str):
        raise TypeError("Pass lists of strings, not a single string.")
    if len(predictions) != len(references) or not len(references):
        raise ValueError(
            f"Need as many predictions as references (at least one); got {len(predictions)} "
            f"predictions and {len(references)} references."
        )


def exact_match(predictions: Sequence[str], references: Sequence[str]) -> float:
    """Share of predictions identical to their reference."""
    _check_pairs(predictions, references)
    return float(np.mean([p == r for p, r in zip(predictions, references)]))


def date_field_errors(predictions: Sequence[str], references: Sequence[str]) -> dict[str, float]:
    """Error rate of the year, month and day fields of ISO dates (a malformed prediction fails its fields)."""
    _check_pairs(predictions, references)
    return {
        field: float(np.mean([p[part] != r[part] for p, r in zip(predictions, references)]))
        for field, part in DATE_FIELDS.items()
    }


def corpus_bleu(hypotheses: Sequence[str], references: Sequence[str]):
    """Corpus BLEU with sacrebleu: 13a tokenisation, lower-cased, one reference per sentence.

    Hypotheses may be our lower-case tokens ("i am a student ."): they are detokenised first ("i am a
    student.", <unk> as one word "UNK"), so that sacrebleu tokenises them exactly like the references.
    ``str(score)`` states the score with its n-gram precisions and brevity penalty.
    """
    _check_pairs(hypotheses, references)
    detokenized = [detokenize(hypothesis) for hypothesis in hypotheses]
    return BLEU(tokenize="13a", lowercase=True).corpus_score(detokenized, [list(references)])


def bleu_signature() -> str:
    """sacrebleu's own description of the settings behind ``corpus_bleu`` (for reporting)."""
    bleu = BLEU(tokenize="13a", lowercase=True)
    bleu.corpus_score(["a"], [["a"]])  # sacrebleu knows the number of references only after scoring
    return str(bleu.get_signature())


def quality_by_length(
    lengths: Sequence[int],
    hypotheses: Sequence[str],
    references: Sequence[str],
    *,
    edges: Sequence[int],
    metric: str = "bleu",
) -> "pd.DataFrame":
    """Corpus BLEU or exact match per bucket of source length: edges [1, 4, 7] make buckets 1–3, 4–6, 7+."""
    _check_pairs(hypotheses, references)
    if metric not in ("bleu", "exact match"):
        raise ValueError(f"metric must be 'bleu' or 'exact match', got {metric!r}.")
    lengths = np.asarray(lengths)
    rows = []
    for low, high in zip(edges, list(edges[1:]) + [None]):
        chosen = (lengths >= low) & (lengths < high if high is not None else True)
        if not chosen.any():
            continue
        picked_hypotheses = [h for h, c in zip(hypotheses, chosen) if c]
        picked_references = [r for r, c in zip(references, chosen) if c]
        score = (
            corpus_bleu(picked_hypotheses, picked_references).score
            if metric == "bleu"
            else 100 * exact_match(picked_hypotheses, picked_references)
        )
        label = f"{low}–{high - 1}" if high is not None else f"{low}+"
        rows.append({"source length": label, "from": low, "sentences": int(chosen.sum()), metric: score})
    return pd.DataFrame(rows)


def sentence_bleu(hypothesis: str, reference: str) -> float:
    """BLEU of one sentence against its reference, with sacrebleu's default smoothing (exponential), on the same
    footing as ``corpus_bleu`` (detokenised, 13a, lower-cased): for comparing two outputs of one sentence."""
    if not isinstance(hypothesis, str) or not isinstance(reference, str):
        raise TypeError(
            f"Pass one hypothesis and one reference as strings, got {type(hypothesis).__name__} and "
            f"{type(reference).__name__}."
        )
    return (
        BLEU(tokenize="13a", lowercase=True, effective_order=True)
        .sentence_score(detokenize(hypothesis), [reference])
        .score
    )


def wilson_interval(hits: int, trials: int, z: float = 1.96) -> tuple[float, float]:
    """Wilson's score interval for a rate of ``hits`` out of ``trials`` (95 % for z = 1.96): (low, high).

    For the small samples where a rate alone misleads: 11 of 13 is 85 %, with an interval of about 58–96 %.
    """
    if trials <= 0 or not 0 <= hits <= trials:
        raise ValueError(f"Need 0 <= hits <= trials and trials > 0, got {hits} of {trials}.")
    rate = hits / trials
    centre = (rate + z**2 / (2 * trials)) / (1 + z**2 / trials)
    half = z * np.sqrt(rate * (1 - rate) / trials + z**2 / (4 * trials**2)) / (1 + z**2 / trials)
    return max(0.0, float(centre - half)), min(1.0, float(centre + half))
