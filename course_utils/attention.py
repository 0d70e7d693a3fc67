"""Attention layers with one call signature, so that lessons can swap them.

    context, weights = layer(query, values, values_mask=None)

query: (batch, d_q) for one decoder step, or (batch, T_q, d_q) for many; values: (batch, T_v, d_v);
values_mask: (batch, T_v), True for real tokens. weights: softmax over T_v, exactly zero where the mask is
False, shape (batch, T_v) or (batch, T_q, T_v). context: the weighted sum of values, (batch, d_v) or
(batch, T_q, d_v).

Lesson 04 writes BahdanauAttention in the notebook and lesson 05 LuongAttention; these are their canonical
copies (tests/test_taught_code.py keeps them identical).
"""

import keras
from keras import ops

SCORES = ("dot", "general", "concat")
# The score of what a mask rules out (attention scores, and logits a decoder may not pick): exp(MASKED_SCORE - max)
# is exactly 0. It is the lowest float16, as in Keras (keras/src/layers/attention/attention.py): -1e9 would become
# -inf in float16, and a row with nothing allowed would then give NaN instead of uniform weights.
MASKED_SCORE = -65504.0


def masked_softmax(scores, values_mask=None):
    """Softmax over the last axis of scores (batch, T_q, T_v); masked positions get exactly zero weight."""
    if values_mask is not None:
        # exp(MASKED_SCORE - max) underflows to exactly 0.0, so padding gets no weight at all
        scores = ops.where(ops.expand_dims(values_mask, 1), scores, MASKED_SCORE)  # mask: (batch, 1, T_v)
    return ops.softmax(scores, axis=-1)


def check_attention_inputs(layer_name, query_shape, values_shape):
    """Clear errors for shapes the attention layers cannot take."""
    if len(query_shape) not in (2, 3):
        raise ValueError(
            f"{layer_name}: query must be (batch, d_q) or (batch, T_q, d_q), got shape "
            f"{tuple(query_shape)}. Pass one decoder state, or the states of all steps."
        )
    if len(values_shape) != 3:
        raise ValueError(
            f"{layer_name}: values must be (batch, T_v, d_v), e.g. all encoder outputs, got shape "
            f"{tuple(values_shape)}. Use return_sequences=True on the encoder's recurrent layer."
        )


@keras.saving.register_keras_serializable(package="course_utils")
class BahdanauAttention(keras.layers.Layer):
    """Additive attention (Bahdanau et al. 2014): score(s, h) = vᵀ tanh(W s + U h)."""

    def __init__(self, units, **kwargs):
        super().__init__(**kwargs)
        self.units = units
        self.query_projection = keras.layers.Dense(units, use_bias=False, name="W")  # W: d_q -> units
        self.values_projection = keras.layers.Dense(units, use_bias=False, name="U")  # U: d_v -> units
        self.supports_masking = True

    def build(self, query_shape, values_shape, values_mask_shape=None):
        check_attention_inputs("BahdanauAttention", query_shape, values_shape)
        self.query_projection.build(query_shape)
        self.values_projection.build(values_shape)
        self.v = self.add_weight(shape=(self.units,), initializer="glorot_uniform", name="v")  # v: (units,)

    def call(self, query, values, values_mask=None):
        one_step = len(query.shape) == 2
        if one_step:
            query = ops.expand_dims(query, 1)  # (batch, 1, d_q)
        projected_query = self.query_projection(query)  # W s: (batch, T_q, units)
        keys = self.values_projection(values)  # U h: (batch, T_v, units)
        # vᵀ tanh(W s + U h) for every pair (query step, value position): (batch, T_q, T_v)
        pairs = ops.tanh(ops.expand_dims(projected_query, 2) + ops.expand_dims(keys, 1))  # (batch, T_q, T_v, units)
        scores = ops.sum(pairs * self.v, axis=-1)
        weights = masked_softmax(scores, values_mask)  # over the last axis, T_v (the source): (batch, T_q, T_v)
        context = ops.matmul(weights, values)  # (batch, T_q, d_v)
        if one_step:
            return context[:, 0], weights[:, 0]  # (batch, d_v), (batch, T_v)
        return context, weights

    def compute_mask(self, query, values, values_mask=None):
        return None

    def get_config(self):
        return {**super().get_config(), "units": self.units}


@keras.saving.register_keras_serializable(package="course_utils")
class LuongAttention(keras.layers.Layer):
    """Global attention of Luong et al. 2015 (their eq. 8), with score "dot", "general" or "concat".

    dot:     score(h_t, h̄_s) = h_tᵀ h̄_s                   (needs d_q == d_v; no weights)
    general: score(h_t, h̄_s) = h_tᵀ W_a h̄_s
    concat:  score(h_t, h̄_s) = v_aᵀ tanh(W_a [h_t; h̄_s])   (W_a [h_t; h̄_s] is computed as W_1 h_t + W_2 h̄_s)
    """

    def __init__(self, score="general", units=None, **kwargs):
        super().__init__(**kwargs)
        if score not in SCORES:
            raise ValueError(f"LuongAttention: score must be one of {SCORES}, got {score!r}.")
        self.score, self.units = score, units  # units: the size of W_a's output for "concat" (default d_q)
        self.supports_masking = True

    def build(self, query_shape, values_shape, values_mask_shape=None):
        check_attention_inputs("LuongAttention", query_shape, values_shape)
        query_size, values_size = query_shape[-1], values_shape[-1]
        if self.score == "dot" and query_size != values_size:
            raise ValueError(
                f"LuongAttention(score='dot') needs query and values of the same size, got "
                f"d_q={query_size} and d_v={values_size}. Use score='general', which learns a "
                f"matrix between them, or make the decoder as wide as the encoder outputs."
            )
        if self.score == "general":
            self.W_a = keras.layers.Dense(query_size, use_bias=False, name="W_a")  # d_v -> d_q
            self.W_a.build(values_shape)
        if self.score == "concat":
            units = self.units or query_size
            self.W_1 = keras.layers.Dense(units, use_bias=False, name="W_a_query")  # the h_t half of W_a
            self.W_2 = keras.layers.Dense(units, use_bias=False, name="W_a_values")  # the h̄_s half of W_a
            self.W_1.build(query_shape)
            self.W_2.build(values_shape)
            self.v_a = self.add_weight(shape=(units,), initializer="glorot_uniform", name="v_a")

    def call(self, query, values, values_mask=None):
        one_step = len(query.shape) == 2
        if one_step:
            query = ops.expand_dims(query, 1)  # (batch, 1, d_q)
        if self.score == "dot":
            scores = ops.matmul(query, ops.transpose(values, (0, 2, 1)))  # (batch, T_q, T_v)
        elif self.score == "general":
            keys = self.W_a(values)  # W_a h̄_s: (batch, T_v, d_q)
            scores = ops.matmul(query, ops.transpose(keys, (0, 2, 1)))  # (batch, T_q, T_v)
        else:  # concat
            pairs = ops.tanh(ops.expand_dims(self.W_1(query), 2) + ops.expand_dims(self.W_2(values), 1))
            scores = ops.sum(pairs * self.v_a, axis=-1)  # (batch, T_q, T_v)
        weights = masked_softmax(scores, values_mask)  # (batch, T_q, T_v)
        context = ops.matmul(weights, values)  # (batch, T_q, d_v)
        if one_step:
            return context[:, 0], weights[:, 0]  # (batch, d_v), (batch, T_v)
        return context, weights

    def compute_mask(self, query, values, values_mask=None):
        return None

    def get_config(self):
        return {**super().get_config(), "score": self.score, "units": self.units}
