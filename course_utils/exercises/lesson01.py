"""Lesson 01 (RNN recap): each exercise's reference solution, then the check that accepts it.

Try the exercise first. A check calls the learner's function on cases and goes through the shared path in
``course_utils.exercises.checking``. ``check_temperature`` and ``check_last_real_state`` compute their answers
independently (a power of the probabilities; a masked Keras GRU); ``check_scaled_recurrence`` and
``check_novel_share`` measure the learner's change with the reference solution, which
tests/test_exercise_oracles.py checks against hand-computed cases.
"""

from collections.abc import Callable

import keras
import numpy as np

from course_utils.exercises.checking import WrongAnswer, answered, exercise_check, run_check

# Solutions ------------------------------------------------------------------------------------------------


def scale_recurrent_kernel(layer, scale: float):
    """Multiply a built SimpleRNN's recurrent kernel W_h by ``scale``; return the layer."""
    layer.cell.recurrent_kernel.assign(layer.cell.recurrent_kernel.numpy() * scale)
    return layer


def novel_share(sample, known, temperature: float) -> float:
    """The share of 200 names drawn at ``temperature`` (seed 1) that are not in ``known``."""
    drawn = sample(200, temperature=temperature, seed=1)
    return sum(name not in known for name in drawn) / len(drawn)


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
def check_scaled_recurrence(answer, gradient_by_distance) -> None:
    """``answer(layer, scale)`` must scale a built ``SimpleRNN(32)``'s recurrent kernel by ``scale`` and return it.

    Measured as the lesson measures it: the relative gradient 40 steps back (``gradient_by_distance``), for two
    scales, against the reference on a layer with the same initial weights.
    """

    def gradient_40_steps_back(scale_kernel, scale):
        keras.utils.set_random_seed(3)
        layer = keras.layers.SimpleRNN(32)
        layer.build((None, None, 8))
        scaled = scale_kernel(layer, scale)
        if not answered(scaled):
            return scaled
        if not isinstance(scaled, keras.layers.SimpleRNN):
            raise WrongAnswer(f"scaled recurrence: return the SimpleRNN you changed, got {type(scaled).__name__}.")
        return float(gradient_by_distance(scaled)[40])

    cases = [((scale,), gradient_40_steps_back(scale_recurrent_kernel, scale)) for scale in (0.5, 2.0)]
    run_check("scaled recurrence", lambda scale: gradient_40_steps_back(answer, scale), cases, tolerance=0.0)


@exercise_check
def check_novel_share(answer, sample, known) -> None:
    """``answer(sample, known, temperature)`` must measure the share of new names at two temperatures."""
    cases = [((temperature,), novel_share(sample, known, temperature)) for temperature in (0.5, 1.5)]
    run_check("share of new names", lambda temperature: answer(sample, known, temperature), cases, tolerance=1e-9)


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
