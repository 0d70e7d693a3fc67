"""Lesson 07 (attention heatmaps): each exercise's reference solution, then the check that accepts it.

Try the exercise first. A check calls the learner's function on cases whose answers are computed independently
and goes through the shared path in ``course_utils.exercises.checking``.
"""

from collections.abc import Callable

import numpy as np

from course_utils.exercises.checking import answered, exercise_check, run_check

# Solutions ------------------------------------------------------------------------------------------------


def looks_like_softmax(weights, input_length):
    weights = np.asarray(weights)
    return bool(
        (weights >= 0).all()
        and np.allclose(weights.sum(axis=1), 1.0, atol=1e-5)
        and (weights[:, input_length:] == 0).all()
    )


def crop(weights, input_tokens, output_tokens):
    return np.asarray(weights)[: len(output_tokens), : len(input_tokens)]


def field_share(row, labels, field):
    return float(sum(weight for weight, label in zip(row, labels) if label == field))


# Checks ---------------------------------------------------------------------------------------------------


@exercise_check
def check_looks_like_softmax(answer: Callable[[np.ndarray, int], bool]) -> None:
    """``answer(weights, input_length)``: True only for non-negative rows summing to 1 with zero padding."""
    good = np.array([[0.7, 0.3, 0.0, 0.0], [0.1, 0.9, 0.0, 0.0]])
    cases = [
        ((good, 2), True),
        ((good, 1), False),  # weight beyond the input length
        ((good * 3, 2), False),  # scores, not weights
        ((np.array([[1.2, -0.2, 0.0]]), 2), False),  # negative weight
        ((np.array([[0.5, 0.25, 0.25]]), 2), False),  # padding received weight
        ((np.array([[0.5, 0.5, 0.0]]), 2), True),
    ]

    def as_number(*arguments):  # True/False compared as 1.0/0.0; "..." still means "not answered"
        result = answer(*arguments)
        return float(bool(result)) if answered(result) else result

    run_check("looks like softmax", as_number, [(arguments, float(expected)) for arguments, expected in cases])


@exercise_check
def check_crop(answer: Callable) -> None:
    """``answer(weights, input_tokens, output_tokens)``: weights[:len(outputs), :len(inputs)]."""
    weights = np.arange(5 * 6, dtype=float).reshape(5, 6)
    cases = [
        ((weights, ["J", "u", "l"], ["1", "9", "<end>", "x"]), weights[:4, :3]),
        ((weights, list("abcde"), ["<end>"]), weights[:1, :5]),
    ]
    run_check("crop", answer, cases)


@exercise_check
def check_field_share(answer: Callable) -> None:
    """``answer(row, labels, field)``: total weight on the characters labelled ``field``."""
    row = np.array([0.1, 0.2, 0.3, 0.15, 0.25])
    labels = ["day", "day", "", "year", "year"]
    cases = [((row, labels, "day"), 0.3), ((row, labels, "year"), 0.4), ((row, labels, "month"), 0.0)]
    run_check("field share", answer, cases)
