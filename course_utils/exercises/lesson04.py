"""Lesson 04 (Bahdanau attention): each exercise's reference solution, then the check that accepts it.

Try the exercise first. A check calls the learner's function on cases and goes through the shared path in
``course_utils.exercises.checking``. The expected answers come from ``attention.masked_softmax`` and a built
``BahdanauAttention``; ``check_uniform_attention_bleu`` measures the learner's model with the reference solution
``uniform_attention_bleu``, which tests/test_exercise_oracles.py checks against decoding with constant scores.
"""

from collections.abc import Callable

import numpy as np

from course_utils.attention import BahdanauAttention, masked_softmax
from course_utils.exercises.checking import exercise_check, run_check
from course_utils.vocabulary import PAD_ID

# Solutions ------------------------------------------------------------------------------------------------


def uniform_attention_bleu(model, source_ids, references) -> float:
    """Corpus BLEU of greedy decoding when every step's attention weights are replaced by uniform weights over the
    sentence's real words (padding excluded): the context vector becomes the plain average of the annotations."""
    from course_utils.intervention import intervened_decode, spread_over
    from course_utils.metrics import corpus_bleu

    source_ids = np.asarray(source_ids)
    uniform = spread_over(source_ids != PAD_ID)  # (n, T_in): 1 / length on each real word
    tokens, _ = intervened_decode(model, source_ids, {step: uniform for step in range(model.target_length)})
    return corpus_bleu(model.target_vocabulary.decode_batch(tokens), list(references)).score


def masked_softmax_numpy(scores, mask):
    shifted = np.where(mask, scores - scores.max(axis=1, keepdims=True), -np.inf)
    exponentials = np.exp(shifted)  # exp(-inf) = 0 on masked positions
    return exponentials / exponentials.sum(axis=1, keepdims=True)


def bahdanau_parameter_count(d_q, d_v, units):
    """W (d_q x units), U (d_v x units), v (units)."""
    return units * (d_q + d_v + 1)


# Checks ---------------------------------------------------------------------------------------------------


@exercise_check
def check_uniform_attention_bleu(answer: Callable, model, source_ids, references) -> None:
    """``answer(model, source_ids, references)`` must equal ``uniform_attention_bleu``: the BLEU measured with the
    attention weights of every step made uniform over the real words."""
    expected = uniform_attention_bleu(model, source_ids, references)
    run_check("BLEU with uniform attention", answer, [((model, source_ids, references), expected)], tolerance=0.01)


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
