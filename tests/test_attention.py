"""The attention layers: shapes, softmax rows, zero weight on padding, parity with Keras, saving."""

import numpy as np
import pytest

import keras
from course_utils.attention import BahdanauAttention, LuongAttention

RNG = np.random.default_rng(0)
QUERY_ONE = RNG.normal(size=(3, 8)).astype("float32")  # (batch, d_q)
QUERY_MANY = RNG.normal(size=(3, 4, 8)).astype("float32")  # (batch, T_q, d_q)
VALUES = RNG.normal(size=(3, 6, 8)).astype("float32")  # (batch, T_v, d_v)
MASK = np.arange(6)[None, :] < np.array([[6], [3], [1]])  # (batch, T_v): lengths 6, 3, 1


def layers():
    return [BahdanauAttention(5), LuongAttention("dot"), LuongAttention("general"), LuongAttention("concat")]


@pytest.mark.parametrize("layer", layers(), ids=["bahdanau", "dot", "general", "concat"])
def test_shapes_rows_and_padding_for_both_query_ranks(layer):
    context, weights = layer(QUERY_ONE, VALUES, MASK)
    assert context.shape == (3, 8) and weights.shape == (3, 6)
    context, weights = layer(QUERY_MANY, VALUES, MASK)
    assert context.shape == (3, 4, 8) and weights.shape == (3, 4, 6)
    weights = np.asarray(weights)
    np.testing.assert_allclose(weights.sum(axis=-1), 1.0, atol=1e-6)
    assert (weights[~np.broadcast_to(MASK[:, None, :], weights.shape)] == 0.0).all()  # exactly zero
    np.testing.assert_allclose(context, weights @ VALUES, atol=1e-5)  # the weighted sum of the values


@pytest.mark.parametrize("layer", layers(), ids=["bahdanau", "dot", "general", "concat"])
def test_one_step_equals_the_matching_row_of_many_steps(layer):
    many_context, many_weights = layer(QUERY_MANY, VALUES, MASK)
    one_context, one_weights = layer(QUERY_MANY[:, 2], VALUES, MASK)
    np.testing.assert_allclose(one_weights, np.asarray(many_weights)[:, 2], atol=1e-6)
    np.testing.assert_allclose(one_context, np.asarray(many_context)[:, 2], atol=1e-5)


def numpy_masked_softmax(scores, mask):
    """The oracle: exp of the scores of real positions only, each row divided by its sum; 0 elsewhere."""
    exponentials = np.where(mask, np.exp(scores - scores.max(axis=-1, keepdims=True)), 0.0)
    return exponentials / exponentials.sum(axis=-1, keepdims=True)


@pytest.mark.parametrize("score", ["dot", "general"])
def test_weights_are_the_softmax_over_real_positions_and_exactly_zero_on_padding(score):
    layer = LuongAttention(score)
    _, weights = layer(QUERY_MANY, VALUES, MASK)
    keys = VALUES if score == "dot" else VALUES @ layer.W_a.kernel.numpy()  # h̄_s, or W_a h̄_s
    scores = np.einsum("bqd,bvd->bqv", QUERY_MANY, keys).astype("float64")  # (batch, T_q, T_v)
    mask = np.broadcast_to(MASK[:, None, :], scores.shape)
    weights = np.asarray(weights)
    np.testing.assert_allclose(weights, numpy_masked_softmax(scores, mask), atol=1e-6)
    assert (weights[~mask] == 0.0).all()  # exactly zero, not merely small
    np.testing.assert_allclose(weights.sum(axis=-1), 1.0, atol=1e-6)
    # without a mask every position counts, padding included: the plain softmax over all T_v
    _, unmasked = layer(QUERY_MANY, VALUES)
    np.testing.assert_allclose(unmasked, numpy_masked_softmax(scores, np.ones_like(mask)), atol=1e-6)


def test_dot_score_equals_keras_attention():
    context, weights = LuongAttention("dot")(QUERY_MANY, VALUES, MASK)
    keras_context, keras_weights = keras.layers.Attention()(
        [QUERY_MANY, VALUES], mask=[None, MASK], return_attention_scores=True
    )
    np.testing.assert_allclose(context, keras_context, atol=1e-6)
    np.testing.assert_allclose(weights, keras_weights, atol=1e-6)


def test_additive_score_equals_keras_additive_attention_on_projected_inputs():
    layer = BahdanauAttention(5)
    context, weights = layer(QUERY_MANY, VALUES, MASK)
    projected_query, keys = layer.query_projection(QUERY_MANY), layer.values_projection(VALUES)  # W s, U h
    additive = keras.layers.AdditiveAttention(use_scale=True)
    additive([projected_query, VALUES, keys])  # build, then use our v as its scale vector
    additive.scale.assign(layer.v)
    keras_context, keras_weights = additive(
        [projected_query, VALUES, keys], mask=[None, MASK], return_attention_scores=True
    )
    np.testing.assert_allclose(context, keras_context, atol=1e-5)
    np.testing.assert_allclose(weights, keras_weights, atol=1e-6)


def test_parity_check_would_notice_a_different_score():
    """The comparisons above are strict enough to tell 'general' from 'dot'."""
    _, general = LuongAttention("general")(QUERY_MANY, VALUES, MASK)
    _, dot = LuongAttention("dot")(QUERY_MANY, VALUES, MASK)
    assert not np.allclose(general, dot, atol=1e-3)


@pytest.mark.parametrize(
    "make", [lambda: BahdanauAttention(5), lambda: LuongAttention("concat", units=7)], ids=["bahdanau", "luong-concat"]
)
def test_keras_file_round_trip_inside_a_model_gives_identical_outputs(tmp_path, make):
    query, values = keras.Input((4, 8)), keras.Input((6, 8))
    mask = keras.Input((6,), dtype="bool")
    context, weights = make()(query, values, mask)
    model = keras.Model([query, values, mask], [context, weights])
    path = tmp_path / "attention.keras"
    model.save(path)
    loaded = keras.models.load_model(path)
    for before, after in zip(model([QUERY_MANY, VALUES, MASK]), loaded([QUERY_MANY, VALUES, MASK])):
        np.testing.assert_array_equal(before, after)


def test_config_round_trip():
    layer = LuongAttention("concat", units=7, name="luong")
    again = LuongAttention.from_config(layer.get_config())
    assert (again.score, again.units, again.name) == ("concat", 7, "luong")
    assert BahdanauAttention.from_config(BahdanauAttention(5).get_config()).units == 5


@pytest.mark.parametrize(
    "query, values, words",
    [
        (QUERY_MANY[:, :, :, None], VALUES, "query must be"),
        (QUERY_MANY, VALUES[:, 0], "values must be"),
    ],
)
def test_wrong_shapes_are_explained(query, values, words):
    with pytest.raises(ValueError, match=words):
        BahdanauAttention(5)(query, values)


def test_dot_score_with_mismatched_sizes_explains_the_fix():
    with pytest.raises(ValueError, match="score='general'"):
        LuongAttention("dot")(QUERY_MANY, VALUES[:, :, :5])


def test_unknown_score_is_refused():
    with pytest.raises(ValueError, match="dot"):
        LuongAttention("multiplicative")
