"""Lesson 02 (vanilla seq2seq): each exercise's reference solution, then the check that accepts it.

Try the exercise first. A check calls the learner's function on cases and goes through the shared path in
``course_utils.exercises.checking``. The decoder input's expected answer comes from ``teacher_forcing_arrays``;
``check_naive_accuracy`` measures the learner's own model with the reference solution
``naive_accuracy``, which tests/test_exercise_oracles.py checks against hand-computed cases.
"""

from collections.abc import Callable

import numpy as np

from course_utils.exercises.checking import brief, exercise_check, run_check
from course_utils.seq2seq_data import teacher_forcing_arrays
from course_utils.vocabulary import PAD_ID, Vocabulary

# Solutions ------------------------------------------------------------------------------------------------


def decoder_input(target_out: np.ndarray, start_id: int, end_id: int) -> np.ndarray:
    """Shift right behind <start>; the <end> that moves into the last real slot becomes padding."""
    shifted = np.concatenate([np.full((len(target_out), 1), start_id), target_out[:, :-1]], axis=1)
    return np.where(shifted == end_id, PAD_ID, shifted)


def _held_out_arrays(data, target_length: int):
    return teacher_forcing_arrays(
        data.test.source,
        data.test.target,
        data.source_vocabulary,
        data.target_vocabulary,
        source_length=data.source_length,
        target_length=target_length,
    )


def naive_accuracy(model, data, target_length: int) -> float:
    """Share of all held-out target positions, padding included, whose highest-scoring token is right."""
    (source, target_in), target_out = _held_out_arrays(data, target_length)
    logits = np.asarray(model.predict((source, target_in), batch_size=256, verbose=0))
    return float((logits.argmax(-1) == target_out).mean())


def real_token_accuracy(model, data, target_length: int) -> float:
    """The typical mistake for ``naive_accuracy``: padding left out (that is the masked accuracy)."""
    (source, target_in), target_out = _held_out_arrays(data, target_length)
    logits = np.asarray(model.predict((source, target_in), batch_size=256, verbose=0))
    real = target_out != PAD_ID
    return float((logits.argmax(-1) == target_out)[real].mean())


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
def check_naive_accuracy(answer: Callable, model, data) -> None:
    """``answer(model, data, target_length)``: the share of ALL held-out target positions (padding included) where
    ``model``'s highest-scoring token is right, with targets padded to ``target_length``.

    Checked at the padded length the model trained with and at 9 positions more; the expected values are
    computed here from the same model, so a masked accuracy or a wrong padding is rejected.
    """
    lengths = (data.target_length, data.target_length + 9)
    cases = [((model, data, length), naive_accuracy(model, data, length)) for length in lengths]

    def compare(got, expected, arguments):
        if np.ndim(got) == 0 and np.isclose(float(got), expected, atol=1e-4):
            return None
        return (
            f"with targets padded to {arguments[2]} positions expected {expected:.4f} "
            f"(every position counted, padding included), got {brief(got)}"
        )

    run_check("naive accuracy", answer, cases, compare=compare)
