"""Lesson 05 (Luong attention): each exercise's reference solution, then the check that accepts it.

Try the exercise first. A check calls the learner's function on cases whose answers are computed independently
and goes through the shared path in ``course_utils.exercises.checking``.
"""

from collections.abc import Callable

import keras
import numpy as np

from course_utils.attention import LuongAttention
from course_utils.exercises.checking import exercise_check, run_check

# Solutions ------------------------------------------------------------------------------------------------


def luong_scores(h, H, W_a):
    """dot: H @ h; general: (H @ W_a) @ h (W_a projects the encoder outputs to the decoder's size)."""
    keys = H if W_a is None else H @ W_a
    return keys @ h


def attentional_state(context, h, W_c):
    return np.tanh(np.concatenate([context, h]) @ W_c)


def normalised_score(log_probability, length, alpha):
    return log_probability / length**alpha


# Checks ---------------------------------------------------------------------------------------------------


@exercise_check
def check_luong_scores(answer: Callable) -> None:
    """``answer(h, H, W_a)`` must equal LuongAttention's dot (W_a None) or general scores."""
    rng = np.random.default_rng(6)
    h, H = rng.normal(size=8).astype("float32"), rng.normal(size=(5, 8)).astype("float32")
    cases = []
    for score in ("dot", "general"):
        layer = LuongAttention(score)
        _, weights = layer(h[None], H[None])
        W_a = layer.W_a.kernel.numpy() if score == "general" else None
        keys = H if W_a is None else np.asarray(layer.W_a(H[None]))[0]
        cases.append(((h, H, W_a), keys @ h))  # the scores whose softmax the layer returned
        np.testing.assert_allclose(np.exp(keys @ h) / np.exp(keys @ h).sum(), np.asarray(weights)[0], atol=1e-5)
    run_check("Luong scores", answer, cases, tolerance=1e-4)


@exercise_check
def check_attentional_state(answer: Callable) -> None:
    """``answer(context, h, W_c)`` must equal the LuongDecoder's h̃ = tanh([c; h] @ W_c)."""
    rng = np.random.default_rng(7)
    context, h = rng.normal(size=6).astype("float32"), rng.normal(size=4).astype("float32")
    combine = keras.layers.Dense(4, activation="tanh", use_bias=False)
    expected = np.asarray(combine(np.concatenate([context, h])[None]))[0]
    run_check("attentional state", answer, [((context, h, combine.kernel.numpy()), expected)], tolerance=1e-5)


@exercise_check
def check_normalised_score(answer: Callable[[float, int, float], float]) -> None:
    """``answer(log_probability, length, alpha)`` must equal log_probability / length ** alpha."""
    cases = [((lp, n, a), lp / n**a) for lp, n, a in [(-4.0, 4, 0.6), (-4.0, 8, 0.6), (-1.5, 3, 1.0), (-2.0, 5, 0.0)]]
    run_check("normalised score", answer, cases)
