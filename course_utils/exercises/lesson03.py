"""Lesson 03 (teacher forcing): each exercise's reference solution, then the check that accepts it.

Try the exercise first. A check calls the learner's function on cases and goes through the shared path in
``course_utils.exercises.checking``. The cascade's expected ratio comes from
``teacher_forcing_harness.error_cascade``, the token accuracy's from the check's own count;
tests/test_exercise_oracles.py checks both reference solutions against hand-computed cases.
"""

from collections.abc import Callable

import numpy as np

from course_utils.exercises.checking import brief, exercise_check, run_check
from course_utils.vocabulary import PAD_ID

# Solutions ------------------------------------------------------------------------------------------------


def cascade_ratio(errors: np.ndarray, real: np.ndarray) -> float:
    """P(error at t+1 | error at t) / P(error at t+1 | correct at t), pairs of real neighbouring positions only."""
    both = real[:, :-1] & real[:, 1:]
    now, then = errors[:, :-1][both], errors[:, 1:][both]
    return float(then[now].mean() / then[~now].mean())


def cascade_ratio_counting_padding(errors: np.ndarray, real: np.ndarray) -> float:
    """The typical mistake for ``cascade_ratio``: every neighbouring pair counted, padding included."""
    return float(errors[:, 1:][errors[:, :-1]].mean() / errors[:, 1:][~errors[:, :-1]].mean())


def token_accuracy(predicted: np.ndarray, target: np.ndarray) -> float:
    real = target != PAD_ID
    return float((predicted == target)[real].mean())


# Checks ---------------------------------------------------------------------------------------------------


@exercise_check
def check_cascade_ratio(answer: Callable, models, test_arrays) -> None:
    """``answer(errors, real)``: P(error at t+1 | error at t) / P(error at t+1 | correct at t) over neighbouring
    positions that are both real, measured here on the free-running outputs of each model in ``models``.

    test_arrays: (source, target_in, target_out). The expected value comes from teacher_forcing_harness.error_cascade.
    """
    from course_utils.decoding import greedy_decode
    from course_utils.teacher_forcing_harness import error_cascade

    source, _, target_out = test_arrays
    cases = []
    for model in models:
        tokens, _ = greedy_decode(model, source)
        errors, real = tokens != target_out, target_out != 0
        cases.append(((errors, real), error_cascade(errors, real)["ratio"]))

    def compare(got, expected, arguments):
        if np.ndim(got) == 0 and np.isclose(float(got), expected, rtol=1e-4, equal_nan=True):
            return None
        errors, real = arguments
        return (
            f"for a model with {int(errors[real].sum())} errors on real positions expected {expected:.4f}, "
            f"got {brief(got)}. Count only pairs of neighbouring positions that are both real"
        )

    run_check("cascade ratio", answer, cases, compare=compare)


@exercise_check
def check_token_accuracy(answer: Callable[[np.ndarray, np.ndarray], float]) -> None:
    """``answer(predicted, target)``: share of non-padding target positions predicted right."""
    target = np.array([[5, 6, 2, 0, 0], [7, 2, 0, 0, 0], [5, 5, 5, 5, 2]])
    predicted = np.array([[5, 9, 2, 0, 0], [7, 2, 4, 4, 4], [5, 5, 5, 5, 5]])
    real = target != PAD_ID
    run_check("token accuracy", answer, [((predicted, target), float((predicted == target)[real].mean()))])
