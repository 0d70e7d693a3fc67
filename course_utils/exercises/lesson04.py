"""Lesson 04 (Bahdanau attention): each exercise's reference solution, then the check that accepts it.

Try the exercise first. A check calls the learner's function on cases and goes through the shared path in
``course_utils.exercises.checking``. The expected answers come from ``attention.masked_softmax``, a built
``BahdanauAttention``, and, for the two change-and-measure exercises, the reference solutions ``hard_attention_bleu``
and ``last_word_bleu`` run on the same models and sentences (tests/test_exercise_oracles.py checks them against
decoding with a changed attention layer, another route). Those two checks never print the BLEU they expect.
"""

from collections.abc import Callable

import numpy as np
from keras import ops

from course_utils.attention import BahdanauAttention, masked_softmax
from course_utils.exercises.checking import exercise_check, run_check
from course_utils.vocabulary import PAD_ID

# Solutions ------------------------------------------------------------------------------------------------


def bleu_with_attention(model, source_ids, references, replace) -> float:
    """Corpus BLEU of greedy decoding with every step's attention weights (n, T_in) passed through ``replace``."""
    from course_utils.intervention import intervened_decode
    from course_utils.metrics import corpus_bleu

    tokens, _ = intervened_decode(model, source_ids, {step: replace for step in range(model.target_length)})
    return corpus_bleu(model.target_vocabulary.decode_batch(tokens), list(references)).score


def one_hot_on_largest(weights):
    """Hard attention: each row (n, T_in) becomes 1 on its largest weight and 0 elsewhere."""
    weights = np.asarray(weights)
    return ops.convert_to_tensor(np.eye(weights.shape[1], dtype="float32")[weights.argmax(axis=1)])


def hard_attention_bleu(model, source_ids, references) -> float:
    """BLEU when every step reads only the annotation with the largest weight (a hard lookup)."""
    return bleu_with_attention(model, np.asarray(source_ids), references, one_hot_on_largest)


def last_word_bleu(model, source_ids, references) -> float:
    """BLEU when every step reads only the annotation of the sentence's last real word (padding excluded)."""
    from course_utils.intervention import spread_over

    source_ids = np.asarray(source_ids)
    lengths = (source_ids != PAD_ID).sum(axis=1)  # (n,)
    last = np.arange(source_ids.shape[1])[None, :] == (lengths - 1)[:, None]  # (n, T_in): True on the last word
    return bleu_with_attention(model, source_ids, references, spread_over(last))


def masked_softmax_numpy(scores, mask):
    shifted = np.where(mask, scores - scores.max(axis=1, keepdims=True), -np.inf)
    exponentials = np.exp(shifted)  # exp(-inf) = 0 on masked positions
    return exponentials / exponentials.sum(axis=1, keepdims=True)


def bahdanau_parameter_count(d_q, d_v, units):
    """W (d_q x units), U (d_v x units), v (units)."""
    return units * (d_q + d_v + 1)


# Checks ---------------------------------------------------------------------------------------------------


def same_measured_bleu(got, expected, arguments) -> str | None:
    """Compare a BLEU with the one measured by the reference solution, without showing the measured one."""
    model, source_ids, _ = arguments
    where = f"for {model.name} on {len(source_ids)} held-out sentences"
    if isinstance(got, bool) or not isinstance(got, int | float | np.floating | np.integer):
        return f"{where} expected a number (corpus BLEU, 0-100), got {got!r}"
    if abs(float(got) - expected) <= 0.01:
        return None
    return (
        f"{where} your BLEU {float(got):.2f} is not the one this change gives (the check measures it too, and keeps "
        f"its number to itself): change every decoding step's weights, padding excluded, then decode and score"
    )


def measured_cases(measure: Callable, cases) -> list:
    """(arguments, expected) for each (model, source_ids, references) case; two cases or more, so that one number
    returned for every case cannot pass."""
    cases = list(cases)
    if len(cases) < 2 or any(len(case) != 3 for case in cases):
        raise ValueError(
            f"Got {len(cases)} case(s); pass a list of two or more (model, source_ids, references) tuples, "
            f"as the exercise cell does."
        )
    return [(tuple(case), measure(*case)) for case in cases]


@exercise_check
def check_hard_attention_bleu(answer: Callable, cases) -> None:
    """``answer(model, source_ids, references)`` must give, for each case, the BLEU measured with every step's
    weights replaced by a one-hot row on their largest weight."""
    expected = measured_cases(hard_attention_bleu, cases)
    run_check("BLEU with hard attention", answer, expected, compare=same_measured_bleu)


@exercise_check
def check_last_word_bleu(answer: Callable, cases) -> None:
    """``answer(model, source_ids, references)`` must give, for each case, the BLEU measured with every step's
    weight all on the sentence's last real word."""
    expected = measured_cases(last_word_bleu, cases)
    run_check("BLEU with attention on the last word", answer, expected, compare=same_measured_bleu)


@exercise_check
def check_masked_softmax(answer: Callable[[np.ndarray, np.ndarray], np.ndarray]) -> None:
    """``answer(scores, mask)`` must equal course_utils.attention.masked_softmax (0 where masked, rows sum to 1)."""
    rng = np.random.default_rng(5)
    scores = rng.normal(size=(4, 6)).astype("float32") * 3
    mask = np.arange(6)[None, :] < np.array([[6], [4], [1], [2]])
    expected = np.asarray(masked_softmax(scores[:, None, :], mask))[:, 0]
    run_check("masked softmax", answer, [((scores.copy(), mask.copy()), expected)], tolerance=1e-6)


@exercise_check
def check_bahdanau_parameter_count(answer: Callable[[int, int, int], int]) -> None:
    """``answer(d_q, d_v, units)`` must equal the parameter count of a built BahdanauAttention(units)."""
    cases = []
    for d_q, d_v, units in [(8, 8, 5), (128, 64, 10), (1, 2, 3)]:
        layer = BahdanauAttention(units)
        layer(np.zeros((1, d_q), "float32"), np.zeros((1, 2, d_v), "float32"))
        cases.append(((d_q, d_v, units), layer.count_params()))
    run_check("Bahdanau parameter count", answer, cases)
