"""Lesson 05 (Luong attention): each exercise's reference solution, then the check that accepts it.

Try the exercise first. A check calls the learner's function on cases and goes through the shared path in
``course_utils.exercises.checking``. The expected answers come from ``LuongAttention`` and a Keras ``Dense``
layer; ``check_padding_weight`` and ``check_saturated_share`` measure models with the reference solutions
``padding_weight`` and ``saturated_share`` (``course_utils.luong_saturation``), which
tests/test_exercise_oracles.py checks against oracles that share no code with them (by hand, in NumPy, and through
the decoder's own forward pass).
"""

from collections.abc import Callable

import keras
import numpy as np

from course_utils.attention import LuongAttention
from course_utils.exercises.checking import exercise_check, run_check
from course_utils.luong_saturation import saturated_share

# Solutions ------------------------------------------------------------------------------------------------


def luong_scores(h, H, W_a):
    """dot: H @ h; general: (H @ W_a) @ h (W_a projects the encoder outputs to the decoder's size)."""
    keys = H if W_a is None else H @ W_a
    return keys @ h


def attentional_state(context, h, W_c):
    return np.tanh(np.concatenate([context, h]) @ W_c)


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
    cases = []
    for context_size, size in [(6, 4), (8, 8)]:  # a context wider than h (the course's 2u against u), and equal
        context, h = rng.normal(size=context_size).astype("float32"), rng.normal(size=size).astype("float32")
        combine = keras.layers.Dense(size, activation="tanh", use_bias=False)
        expected = np.asarray(combine(np.concatenate([context, h])[None]))[0]
        cases.append(((context, h, combine.kernel.numpy()), expected))
    run_check("attentional state", answer, cases, tolerance=1e-5)


# Change-and-measure exercises (they need a trained model) -------------------------------------------------


def padding_weight(model, source_ids) -> float:
    """The attention weight the decoder's first step puts on padding, averaged over sentences, when the decoder is
    given a mask that lets every position through instead of the encoder's mask."""
    from keras import ops

    from course_utils.vocabulary import START_ID

    source_ids = np.asarray(source_ids)
    encoder_outputs, state, mask = model.encoder(source_ids)
    start = ops.full((len(source_ids), 1), START_ID, dtype="int32")
    everything = ops.ones_like(mask)  # every position, padding included
    _, _, weights = model.decoder(start, state, encoder_outputs, everything)
    weights = np.asarray(weights)[:, 0]  # (n, T_in)
    return float((weights * (source_ids == 0)).sum(axis=1).mean())


@exercise_check
def check_padding_weight(answer: Callable, model, source_ids) -> None:
    """``answer(model, source_ids)`` must equal ``padding_weight``: what the mask keeps out, measured."""
    halves = [source_ids, source_ids[::2]]  # two cases: all the sentences, and every second one
    cases = [((model, ids), padding_weight(model, ids)) for ids in halves]
    run_check("padding weight without the mask", answer, cases, tolerance=1e-4)


@exercise_check
def check_saturated_share(answer: Callable, batches) -> None:
    """``answer(model, source_ids, target_in)`` must equal ``saturated_share`` on every (model, source_ids, target_in)
    of ``batches``; they must hold models whose shares differ, so that a constant cannot pass."""
    cases = [((model, source, target), saturated_share(model, source, target)) for model, source, target in batches]
    if len(cases) < 2 or np.ptp([expected for _, expected in cases]) < 0.01:
        raise ValueError(
            "check_saturated_share needs at least two batches whose shares differ by 0.01 or more (for example a "
            "tanh model and a linear one), so that a constant answer cannot pass."
        )
    run_check("saturated share", answer, cases, tolerance=1e-4)
