"""Lesson 03 (teacher forcing): each exercise's reference solution, then the check that accepts it.

Try the exercise first. A check calls the learner's function on cases whose answers are computed independently
and goes through the shared path in ``course_utils.exercises.checking``.
"""

from collections.abc import Callable

import numpy as np

from course_utils.exercises.checking import exercise_check, run_check
from course_utils.vocabulary import PAD_ID

# Solutions ------------------------------------------------------------------------------------------------


def inverse_sigmoid(step: float, k: float) -> float:
    return k / (k + float(np.exp(step / k)))


def next_input(true_tokens, predicted_tokens, coins, teacher_probability):
    return np.where(coins < teacher_probability, true_tokens, predicted_tokens)


def token_accuracy(predicted: np.ndarray, target: np.ndarray) -> float:
    real = target != PAD_ID
    return float((predicted == target)[real].mean())


# Checks ---------------------------------------------------------------------------------------------------


@exercise_check
def check_inverse_sigmoid(answer: Callable[[float, float], float]) -> None:
    """``answer(step, k)`` must equal k / (k + exp(step / k))."""
    cases = [((step, k), k / (k + np.exp(step / k))) for step, k in [(0, 10), (10, 10), (50, 10), (300, 60), (5, 1)]]
    run_check("inverse sigmoid", answer, cases)


@exercise_check
def check_next_input(answer: Callable[[np.ndarray, np.ndarray, np.ndarray, float], np.ndarray]) -> None:
    """``answer(true, predicted, coins, p)``: the true token where coin < p, else the predicted one."""
    true_tokens, predicted = np.array([5, 6, 7, 8, 9]), np.array([15, 16, 17, 18, 19])
    coins = np.array([0.05, 0.5, 0.95, 0.3, 0.7])
    cases = [
        ((true_tokens, predicted, coins, p), np.where(coins < p, true_tokens, predicted)) for p in (1.0, 0.0, 0.6, 0.31)
    ]
    run_check("next input", answer, cases)


@exercise_check
def check_token_accuracy(answer: Callable[[np.ndarray, np.ndarray], float]) -> None:
    """``answer(predicted, target)``: share of non-padding target positions predicted right."""
    target = np.array([[5, 6, 2, 0, 0], [7, 2, 0, 0, 0], [5, 5, 5, 5, 2]])
    predicted = np.array([[5, 9, 2, 0, 0], [7, 2, 4, 4, 4], [5, 5, 5, 5, 5]])
    real = target != PAD_ID
    run_check("token accuracy", answer, [((predicted, target), float((predicted == target)[real].mean()))])
