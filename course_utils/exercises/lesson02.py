"""Lesson 02 (vanilla seq2seq): each exercise's reference solution, then the check that accepts it.

Try the exercise first. A check calls the learner's function on cases whose answers are computed independently
and goes through the shared path in ``course_utils.exercises.checking``.
"""

from collections.abc import Callable

import numpy as np
from sacrebleu.metrics.bleu import BLEU

from course_utils.exercises.checking import exercise_check, run_check
from course_utils.seq2seq_data import teacher_forcing_arrays
from course_utils.vocabulary import PAD_ID, Vocabulary

# Solutions ------------------------------------------------------------------------------------------------


def decoder_input(target_out: np.ndarray, start_id: int, end_id: int) -> np.ndarray:
    """Shift right behind <start>; the <end> that moves into the last real slot becomes padding."""
    shifted = np.concatenate([np.full((len(target_out), 1), start_id), target_out[:, :-1]], axis=1)
    return np.where(shifted == end_id, PAD_ID, shifted)


def brevity_penalty(c: int, r: int) -> float:
    """1 for hypotheses longer than the reference, exp(1 - r / c) otherwise."""
    return 1.0 if c > r else float(np.exp(1 - r / c))


def padding_share(target_out: np.ndarray) -> float:
    return float(np.mean(target_out == PAD_ID))


# Checks ---------------------------------------------------------------------------------------------------


@exercise_check
def check_decoder_input(answer: Callable[[np.ndarray, int, int], np.ndarray]) -> None:
    """``answer(target_out, start_id, end_id)``: <start> y_1 … y_m then padding, <end> never an input."""
    vocabulary = Vocabulary(list("abc"))
    targets = ["abc", "a", "cab", "bb"]
    (_, target_in), target_out = teacher_forcing_arrays(
        targets, targets, vocabulary, vocabulary, source_length=3, target_length=4
    )
    run_check("decoder input", answer, [((target_out.copy(), vocabulary.start_id, vocabulary.end_id), target_in)])


@exercise_check
def check_brevity_penalty(answer: Callable[[int, int], float]) -> None:
    """``answer(c, r)`` must equal sacrebleu's brevity penalty for hypothesis length c and reference length r."""

    def sacrebleu_bp(c, r):  # sacrebleu's BLEU of a hypothesis whose n-grams are all right is 100 * BP
        return BLEU.compute_bleu([c] * 4, [c] * 4, sys_len=c, ref_len=r).bp

    cases = [((c, r), sacrebleu_bp(c, r)) for c, r in [(10, 10), (12, 10), (8, 10), (5, 10), (4, 16)]]
    run_check("brevity penalty", answer, cases)


@exercise_check
def check_padding_share(answer: Callable[[np.ndarray], float]) -> None:
    """``answer(target_out)`` must be the share of positions holding padding (id 0)."""
    rng = np.random.default_rng(2)
    cases = []
    for lengths in ([3, 5, 1], [7, 7], [2, 4, 6, 1]):
        batch = np.zeros((len(lengths), 8), dtype="int32")
        for row, length in enumerate(lengths):
            batch[row, :length] = rng.integers(3, 9, size=length)
        cases.append(((batch,), float(np.mean(batch == PAD_ID))))
    run_check("padding share", answer, cases)
