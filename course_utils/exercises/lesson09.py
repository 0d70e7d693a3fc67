"""Lesson 09 (from attention to the Transformer): each exercise's reference solution, then the check that accepts it.

Try the exercise first. A check calls the learner's function on cases and goes through the shared path in
``course_utils.exercises.checking``. All three checks compare with this module's reference solutions, which
tests/test_exercise_oracles.py checks against oracles that share no code with them: the Transformer's
``scaled_dot_product_attention``, stand-in encoders whose gap is known, and heads scored by hand.
"""

from collections.abc import Callable

import numpy as np

from course_utils.exercises.checking import exercise_check, run_check

# Solutions ------------------------------------------------------------------------------------------------


def attention_weights(query, key, mask=None):
    """softmax(Q Kᵀ / √d_k) over the last axis, zero where ``mask`` (T_q, T_k) is False. query (T_q, d_k)."""
    scores = query @ key.T / np.sqrt(query.shape[-1])
    if mask is not None:
        scores = np.where(mask, scores, -1e9)
    scores = scores - scores.max(axis=-1, keepdims=True)
    return np.exp(scores) / np.exp(scores).sum(axis=-1, keepdims=True)


def permutation_gap(encoder, ids, order):
    """Largest |encoder(shuffled)[i] - encoder(ids)[order[i]]| over the first len(order) positions, where
    shuffled puts token order[i] at position i: zero when the encoder cannot see order."""
    from keras import ops

    ids = np.asarray(ids)
    count = len(order)
    shuffled = ids.copy()
    shuffled[:, :count] = ids[:, order]
    outputs = ops.convert_to_numpy(encoder(ids)[0])[:, :count]  # (1, count, d_model)
    shuffled_outputs = ops.convert_to_numpy(encoder(shuffled)[0])[:, :count]
    return float(np.abs(shuffled_outputs - outputs[:, order]).max())


def head_alignment(weights, field_labels):
    """Lesson 08's alignment score for every head: weights (heads, T_out, T_in) -> (heads,)."""
    from course_utils.dates import alignment_score

    return np.array([alignment_score(head, field_labels) for head in weights])


# Checks ---------------------------------------------------------------------------------------------------


@exercise_check
def check_attention_weights(answer: Callable) -> None:
    """``answer(query, key, mask)``: the scaled dot-product attention weights, masked positions exactly 0."""
    rng = np.random.default_rng(8)
    cases = []
    for d_k, steps, mask in [(4, 3, None), (16, 4, None), (16, 4, np.tril(np.ones((4, 4), bool)))]:
        query, key = 3 * rng.normal(size=(steps, d_k)), 3 * rng.normal(size=(steps, d_k))
        cases.append(((query, key, mask), attention_weights(query, key, mask)))
    run_check("attention weights", answer, cases, tolerance=1e-6)


def _tiny_encoders():
    """Two small untrained Transformer encoders (seeded), with and without positional encoding, and a date."""
    from course_utils import dates
    from course_utils.transformer import Transformer

    source_vocabulary, target_vocabulary = dates.vocabularies()
    import keras

    encoders = []
    for positional in (True, False):
        keras.utils.set_random_seed(2)
        model = Transformer(
            source_vocabulary,
            target_vocabulary,
            source_length=dates.SOURCE_LENGTH,
            target_length=dates.TARGET_LENGTH,
            d_model=16,
            heads=2,
            feed_forward=32,
            layers=1,
            positional=positional,
        )
        encoders.append(model.encoder)
    ids = source_vocabulary.encode_batch(["20.07.69", "July 20th 1969"], length=dates.SOURCE_LENGTH)
    return encoders, ids


@exercise_check
def check_permutation_gap(answer: Callable) -> None:
    """``answer(encoder, ids, order)``: 0 (to float precision) without positions, clearly above 0 with them."""
    (with_positions, without_positions), ids = _tiny_encoders()
    cases = []
    for encoder in (with_positions, without_positions):
        for row, order in [(0, [3, 4, 0, 1, 2, 5, 6, 7]), (1, [5, 6, 7, 8, 0, 1, 2, 3, 4])]:
            arguments = (encoder, ids[row : row + 1], np.array(order))
            cases.append((arguments, permutation_gap(*arguments)))
    run_check("permutation gap", answer, cases, tolerance=1e-4)


@exercise_check
def check_head_alignment(answer: Callable) -> None:
    """``answer(weights, field_labels)``: one alignment score per head."""
    import random

    from course_utils import dates

    field_labels = dates.FORMATS[0].field_labels(dates.random_date(random.Random(3)))
    rng = np.random.default_rng(8)
    weights = rng.random((4, dates.TARGET_LENGTH, len(field_labels))) ** 8  # peaked rows: heads that differ
    weights /= weights.sum(axis=-1, keepdims=True)
    weights[1] = 0
    weights[1, :, 0] = 1  # one head that looks only at the first character
    run_check("head alignment", answer, [((weights, field_labels), head_alignment(weights, field_labels))])
