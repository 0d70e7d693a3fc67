"""Lesson 09 (from attention to the Transformer): each exercise's reference solution, then the check that accepts it.

Try the exercise first. A check calls the learner's function on cases and goes through the shared path in
``course_utils.exercises.checking``. The first three checks compare with this module's reference solutions, which
tests/test_exercise_oracles.py checks against oracles that share no code with them: the Transformer's
``scaled_dot_product_attention``, stand-in encoders whose gap is known, and heads scored by hand. The last two
take their expected values from Keras itself: ``keras.layers.MultiHeadAttention`` and the package's uncached
greedy decoding (the key/value cache), and ``transformer.WarmupSchedule`` (the warm-up rate).
"""

import math
from collections.abc import Callable

import numpy as np

from course_utils.exercises.checking import WrongAnswer, answered, exercise_check, run_check

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


def self_attention_with_cache(layer, new, cache):
    """One step of cached self-attention with ``layer``'s weights: new (batch, 1, d_model), cache (keys, values) of
    the earlier positions, each (batch, heads, t, key_dim). Returns output (batch, 1, d_model), (keys, values)
    with the new position appended (batch, heads, t + 1, key_dim)."""
    from keras import ops

    from course_utils.transformer_cache import split_heads

    keys, values = cache
    query = split_heads(layer._query_dense, new)  # (batch, heads, 1, key_dim)
    keys = ops.concatenate([keys, split_heads(layer._key_dense, new)], axis=2)
    values = ops.concatenate([values, split_heads(layer._value_dense, new)], axis=2)
    scores = ops.einsum("bhqk,bhtk->bhqt", query, keys) / math.sqrt(layer.key_dim)  # (batch, heads, 1, t + 1)
    context = ops.einsum("bhqt,bhtk->bhqk", ops.softmax(scores, axis=-1), values)
    output = ops.einsum("bhqk,hkd->bqd", context, layer._output_dense.kernel) + layer._output_dense.bias
    return output, (keys, values)


def warmup_rate(step, d_model, warmup_steps):
    """Vaswani et al.'s learning rate at ``step`` (counted from 1; a number or an array)."""
    step = np.asarray(step, dtype=float)
    return d_model**-0.5 * np.minimum(step**-0.5, step * warmup_steps**-1.5)


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
    from course_utils.transformer import small_date_transformer

    encoders = [small_date_transformer(seed=2, layers=1, positional=positional).encoder for positional in (True, False)]
    ids = dates.vocabularies()[0].encode_batch(["20.07.69", "July 20th 1969"], length=dates.SOURCE_LENGTH)
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


def cache_cases():
    """A small seeded MultiHeadAttention, 5 positions of input; cases at t = 0 and t = 4 earlier positions:
    (layer, new, cache) -> what Keras computes: its output for the new query over positions 0..t, and the keys
    and values of positions 0..t (batch, heads, t + 1, key_dim)."""
    import keras
    from keras import ops

    keras.utils.set_random_seed(4)
    layer = keras.layers.MultiHeadAttention(num_heads=2, key_dim=8)
    inputs = np.random.default_rng(4).normal(size=(2, 5, 16)).astype("float32")
    layer(inputs, inputs)  # builds the weights

    def projected(dense, x):  # Keras' own projection, (batch, T, heads, key_dim), moved to (batch, heads, T, key_dim)
        return ops.convert_to_numpy(ops.transpose(dense(x), (0, 2, 1, 3)))

    cases = []
    for t in (0, 4):
        earlier, upto = inputs[:, :t], inputs[:, : t + 1]
        cache = (projected(layer._key_dense, earlier), projected(layer._value_dense, earlier))
        expected = (
            ops.convert_to_numpy(layer(inputs[:, t : t + 1], upto)),
            projected(layer._key_dense, upto),
            projected(layer._value_dense, upto),
        )
        cases.append(((layer, inputs[:, t : t + 1], cache), expected))
    return cases


def _compare_cache_step(got, expected, arguments) -> str | None:
    """got: (output, (keys, values)); expected: (output, keys, values); names the part that differs."""
    from keras import ops

    positions = expected[1].shape[2]
    try:
        output, (keys, values) = got
        parts = [ops.convert_to_numpy(part) for part in (output, keys, values)]
    except (TypeError, ValueError):
        return "expected (output, (keys, values)), as the cell's docstring says"
    for name, part, want in zip(["the output", "the cached keys", "the cached values"], parts, expected):
        if part.shape != want.shape:
            return f"with {positions - 1} cached positions, {name} should have shape {want.shape}, got {part.shape}"
        if not np.allclose(part, want, atol=1e-5):
            return f"with {positions - 1} cached positions, {name} differs from what MultiHeadAttention computes"
    return None


@exercise_check
def check_key_value_cache(answer: Callable) -> None:
    """``answer(layer, new, cache) -> (output, (keys, values))``: equal to MultiHeadAttention over positions 0..t,
    the cache one position longer; then greedy decoding of a small seeded Transformer with it writes the same
    tokens as without a cache while its decoder computes T positions instead of 1 + 2 + … + T."""
    from course_utils.transformer_cache import one_key_allowed

    with one_key_allowed():  # the first case has one position: Keras warns about its softmax over one key
        cases = cache_cases()
        run_check("key/value cache, one step", answer, cases, compare=_compare_cache_step)
        if not answered(answer(*cases[0][0])):
            return
    from course_utils import dates
    from course_utils.decoding import greedy_decode
    from course_utils.transformer_cache import greedy_positions

    model = _tiny_transformer()
    source = model.source_vocabulary.encode_batch(
        ["20.07.69", "July 20th 1969", "1969/7/20"], length=dates.SOURCE_LENGTH
    )
    steps = model.target_length
    uncached, _ = greedy_decode(model, source)
    tokens, positions = greedy_positions(model, source, steps, attend=answer)
    if not np.array_equal(np.asarray(tokens), uncached):
        raise WrongAnswer("key/value cache: greedy decoding with your cache writes other tokens than without it.")
    _, positions_without = greedy_positions(model, source, steps)
    if positions != steps or positions_without != steps * (steps + 1) // 2:
        raise WrongAnswer(f"key/value cache: expected {steps} positions per block, counted {positions}.")
    print(f"key/value cache: same tokens; {positions} decoder positions per block instead of {positions_without}.")


def _tiny_transformer():
    """A small seeded, untrained date Transformer (two blocks, so that the caches of blocks must not mix)."""
    from course_utils.transformer import small_date_transformer

    return small_date_transformer(seed=5)


@exercise_check
def check_warmup_rate(answer: Callable) -> None:
    """``answer(step, d_model, warmup_steps)``: Vaswani et al.'s rate, compared with ``transformer.WarmupSchedule``."""
    from keras import ops

    from course_utils.transformer import WarmupSchedule

    cases = []
    for d_model, warmup, steps in [(64, 157, [1, 50, 157, 300, 628]), (512, 4000, [1, 1000, 4000, 20_000, 100_000])]:
        schedule = WarmupSchedule(d_model, warmup)
        expected = np.array([float(ops.convert_to_numpy(schedule(step - 1))) for step in steps])  # Keras counts from 0
        cases.append(((np.array(steps), d_model, warmup), expected))
    run_check("warm-up rate", answer, cases, tolerance=1e-8)
