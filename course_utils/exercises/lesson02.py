"""Lesson 02 (vanilla seq2seq): each exercise's reference solution, then the check that accepts it.

Try the exercise first. A check calls the learner's function on cases and goes through the shared path in
``course_utils.exercises.checking``. The decoder input's expected answer comes from ``teacher_forcing_arrays``, the
reversed source's from rows written out by hand; ``check_copy_exact_match`` and ``check_naive_accuracy`` measure the
learner's own model with the reference solutions ``copy_exact_match`` and ``naive_accuracy``, which
tests/test_exercise_oracles.py checks against other routes to the same numbers.
"""

from collections.abc import Callable

import numpy as np

from course_utils.exercises.checking import WrongAnswer, brief, exercise_check, run_check
from course_utils.seq2seq_data import teacher_forcing_arrays
from course_utils.vocabulary import PAD_ID, Vocabulary

# Solutions ------------------------------------------------------------------------------------------------


def decoder_input(target_out: np.ndarray, start_id: int, end_id: int) -> np.ndarray:
    """Shift right behind <start>; the <end> that moves into the last real slot becomes padding."""
    shifted = np.concatenate([np.full((len(target_out), 1), start_id), target_out[:, :-1]], axis=1)
    return np.where(shifted == end_id, PAD_ID, shifted)


def reverse_source(source_ids: np.ndarray) -> np.ndarray:
    """Each row's real tokens in reverse order, the padding still on the right (Sutskever et al.'s reversal)."""
    reversed_ids = np.zeros_like(source_ids)
    for row, ids in enumerate(source_ids):
        real = ids[ids != PAD_ID]
        reversed_ids[row, : len(real)] = real[::-1]
    return reversed_ids


def copy_exact_match(model, test, reverse: bool) -> float:
    """Share of ``test.source`` strings the copy model writes back exactly, fed reversed when ``reverse``."""
    from course_utils.decoding import greedy_decode

    source = model.source_vocabulary.encode_batch(list(test.source), length=model.source_length)  # (batch, T_in)
    if reverse:
        source = reverse_source(source)
    tokens, _ = greedy_decode(model, source)
    written = model.target_vocabulary.decode_batch(tokens)
    return float(np.mean([output == target for output, target in zip(written, test.target)]))


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
def check_reverse_source(answer: Callable[[np.ndarray], np.ndarray]) -> None:
    """``answer(source_ids)``: each row's real tokens reversed, padding (id 0) left on the right."""
    rows = np.array([[3, 4, 5, 0, 0], [6, 7, 8, 9, 3], [5, 0, 0, 0, 0], [4, 3, 0, 0, 0]])
    reversed_rows = np.array([[5, 4, 3, 0, 0], [3, 9, 8, 7, 6], [5, 0, 0, 0, 0], [3, 4, 0, 0, 0]])
    run_check(
        "reversed source",
        answer,
        [((rows.copy(),), reversed_rows), ((rows[:2, :4].copy(),), np.array([[5, 4, 3, 0], [9, 8, 7, 6]]))],
    )


@exercise_check
def check_copy_exact_match(answer: Callable, forward_model, test, reversed_model=None) -> None:
    """``answer(model, test, reverse)``: the share of ``test.source`` copied exactly by ``model``, its sources
    reversed when ``reverse``. Measured on ``forward_model`` both ways; when ``reversed_model`` (trained on reversed
    sources) is given, on it both ways too, after checking that it copies reversed sources better than forward ones.
    """
    models = [forward_model] if reversed_model is None else [forward_model, reversed_model]
    cases = [
        ((model, test, reverse), copy_exact_match(model, test, reverse))
        for model in models
        for reverse in (False, True)
    ]
    if reversed_model is not None and cases[3][1] <= cases[2][1]:  # the reversed model, reversed vs as written
        raise WrongAnswer(
            "copy exact match: reversed_model copies the sources as written better than reversed ones, so it was "
            "not trained on reversed sources: fit it on reverse_source(copy_inputs[0]) with copy_inputs[1]."
        )

    def compare(got, expected, arguments):
        if np.ndim(got) == 0 and np.isclose(float(got), expected, atol=1e-6):
            return None
        direction = "reversed" if arguments[2] else "as written"
        which = "the reversed model" if arguments[0] is reversed_model else "the forward model"
        scale = " (a share lies between 0 and 1, not a percentage)" if np.ndim(got) == 0 and float(got) > 1 else ""
        return (
            f"on {which} with sources {direction} your share differs from the one the check measured{scale}: count "
            "whole strings equal to their target, the sources encoded with the model's vocabulary and passed "
            "through reverse_source only when reverse is True"
        )

    run_check("copy exact match", answer, cases, compare=compare)


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
        lower = np.ndim(got) == 0 and float(got) < expected
        hint = "lower: was padding left out?" if lower else "not the share of every position, padding included"
        return f"with targets padded to {arguments[2]} positions got {brief(got)}: {hint}"

    run_check("naive accuracy", answer, cases, compare=compare)
