"""Lesson 04 (Bahdanau attention): each exercise's reference solution, then the check that accepts it.

Try the exercise first. A check calls the learner's function on cases whose answers are computed independently
and goes through the shared path in ``course_utils.exercises.checking``.
"""

from collections.abc import Callable

import numpy as np
from keras import ops

from course_utils.attention import BahdanauAttention, masked_softmax
from course_utils.exercises.checking import exercise_check, run_check

# Solutions ------------------------------------------------------------------------------------------------


def additive_scores(s, H, W, U, v):
    """vᵀ tanh(W s + U h_j) for every row h_j of H."""
    return np.tanh(s @ W + H @ U) @ v


def masked_softmax_numpy(scores, mask):
    shifted = np.where(mask, scores - scores.max(axis=1, keepdims=True), -np.inf)
    exponentials = np.exp(shifted)  # exp(-inf) = 0 on masked positions
    return exponentials / exponentials.sum(axis=1, keepdims=True)


def bahdanau_parameter_count(d_q, d_v, units):
    """W (d_q x units), U (d_v x units), v (units)."""
    return units * (d_q + d_v + 1)


# Checks ---------------------------------------------------------------------------------------------------


@exercise_check
def check_additive_scores(answer: Callable) -> None:
    """``answer(s, H, W, U, v)`` must equal the scores BahdanauAttention computes with the same weights."""
    rng = np.random.default_rng(4)
    cases = []
    for d_q, d_v, units, length in [(3, 4, 5, 6), (8, 8, 2, 3)]:
        s, H = rng.normal(size=d_q).astype("float32"), rng.normal(size=(length, d_v)).astype("float32")
        layer = BahdanauAttention(units)
        layer(s[None], H[None])  # build
        W, U = layer.query_projection.kernel.numpy(), layer.values_projection.kernel.numpy()
        v = layer.v.numpy()
        projected = ops.expand_dims(layer.query_projection(s[None][:, None]), 2) + ops.expand_dims(
            layer.values_projection(H[None]), 1
        )
        expected = np.asarray(ops.sum(ops.tanh(projected) * layer.v, axis=-1))[0, 0]  # the layer's own scores
        cases.append(((s, H, W, U, v), expected))
    run_check("additive scores", answer, cases, tolerance=1e-5)


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
