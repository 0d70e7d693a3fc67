"""Lesson 01 (RNN recap): each exercise's reference solution, then the check that accepts it.

Try the exercise first. A check calls the learner's function on cases whose answers are computed independently
and goes through the shared path in ``course_utils.exercises.checking``.
"""

from collections.abc import Callable

import keras
import numpy as np

from course_utils.exercises.checking import exercise_check, run_check

# Solutions ------------------------------------------------------------------------------------------------


def gru_parameter_count(input_dim: int, units: int) -> int:
    """Three gates, each with an input kernel, a recurrent kernel and (Keras' reset_after form) two biases."""
    return 3 * (input_dim * units + units * units + 2 * units)


def apply_temperature(probabilities: np.ndarray, temperature: float) -> np.ndarray:
    """Divide the log-probabilities by the temperature and renormalise each row."""
    logits = np.log(probabilities) / temperature
    logits -= logits.max(axis=-1, keepdims=True)
    scaled = np.exp(logits)
    return scaled / scaled.sum(axis=-1, keepdims=True)


def last_real_state(outputs: np.ndarray, mask: np.ndarray) -> np.ndarray:
    """outputs (batch, time, units), mask (batch, time) -> (batch, units) at each row's last real step."""
    last = mask.sum(axis=1) - 1  # (batch,) index of the last real step, right padding
    return outputs[np.arange(len(outputs)), last]


# Checks ---------------------------------------------------------------------------------------------------


@exercise_check
def check_gru_parameter_count(answer: Callable[[int, int], int]) -> None:
    """``answer(input_dim, units)`` must equal the parameter count of ``keras.layers.GRU(units)``."""
    cases = []
    for input_dim, units in [(1, 1), (3, 4), (16, 128), (50, 7)]:
        layer = keras.layers.GRU(units)
        layer.build((None, None, input_dim))
        cases.append(((input_dim, units), layer.count_params()))
    run_check("GRU parameter count", answer, cases)


@exercise_check
def check_temperature(answer: Callable[[np.ndarray, float], np.ndarray]) -> None:
    """``answer(probabilities, temperature)`` must rescale each row as softmax(log p / temperature)."""
    rows = np.array([[0.5, 0.3, 0.2], [0.1, 0.1, 0.8], [0.25, 0.25, 0.5]])
    cases = []
    for temperature in (1.0, 0.5, 2.0, 0.1):
        scaled = rows ** (1.0 / temperature)
        cases.append(((rows.copy(), temperature), scaled / scaled.sum(axis=1, keepdims=True)))
    run_check("temperature", answer, cases)


@exercise_check
def check_last_real_state(answer: Callable[[np.ndarray, np.ndarray], np.ndarray]) -> None:
    """``answer(outputs, mask)`` must pick each row's output at its last real (unmasked) step.

    ``outputs`` come from a GRU run *without* the mask, so the steps after a row's end processed padding.
    The expected value is the final state of the same GRU run *with* the mask.
    """
    lengths = np.array([5, 3, 1, 4])
    mask = np.arange(5)[None, :] < lengths[:, None]  # (batch, time), right padding
    inputs = np.random.default_rng(1).normal(size=(4, 5, 3)).astype("float32")
    inputs[~mask] = 0.0  # padding positions hold zero vectors, as an embedding of id 0 might
    layer = keras.layers.GRU(6, return_sequences=True, return_state=True, seed=1)
    unmasked_outputs, _ = layer(inputs)  # (batch, time, units)
    _, masked_final_state = layer(inputs, mask=mask)  # (batch, units)
    run_check(
        "last real state",
        answer,
        [((np.asarray(unmasked_outputs), mask.copy()), np.asarray(masked_final_state))],
        tolerance=1e-5,
    )
