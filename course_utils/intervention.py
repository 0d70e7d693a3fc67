"""Intervening on attention: decode while replacing the attention weights of chosen steps, and see what changes.

A heatmap shows where the decoder read; whether the output *depends* on reading there is a causal question.
``intervened_decode`` answers it the direct way (Jain & Wallace 2019; Wiegreffe & Pinter 2019): at the steps
we choose, the weights the model computed are swapped for others (on another field, uniform, permuted), the
context vector is recomputed from the new weights, and decoding goes on from there. If the output does not
change, that step's heatmap did not explain it.

``UniformAttention`` is the other side of Wiegreffe & Pinter's first test: attention frozen to uniform weights
over the real input, put in a decoder before training (benchmarks/uniform_attention.py trains it on dates).
"""

import keras
import numpy as np
from keras import ops

from course_utils.attention import MASKED_SCORE, check_attention_inputs, masked_softmax
from course_utils.decoding import token_array
from course_utils.seq2seq import decoder_kind
from course_utils.vocabulary import END_ID, PAD_ID, START_ID


def decoder_step(decoder, token, state, encoder_outputs, mask, replace=None):
    """One decoding step of an attention decoder, with the attention weights passed through ``replace``.

    token (batch, 1); state (batch, units), or [h; h̃] (batch, 2 * units) for input feeding. replace(weights
    (batch, T_in)) -> new weights (batch, T_in), or None to keep the model's. Returns logits (batch, vocabulary),
    the new state, the weights used (batch, T_in).
    """
    kind = decoder_kind(decoder)
    if kind == "bahdanau":  # attention first, with s_{t-1}; the context enters the recurrence
        _, weights = decoder.attention(state, encoder_outputs, mask)  # (batch, T_in)
        weights = weights if replace is None else replace(weights)
        context = ops.einsum("bs,bsd->bd", weights, encoder_outputs)  # c_t from the (new) weights: (batch, 2u)
        embedded = decoder.embedding(token)[:, 0]  # (batch, embedding_dim)
        output, state = decoder.cell(ops.concatenate([embedded, context], axis=-1), state)
        return decoder.output_layer(ops.concatenate([output, context], axis=-1)), state, weights
    if kind == "luong":  # recurrence first, then attention with h_t; the context feeds h̃_t only
        outputs, state = decoder.rnn(decoder.embedding(token), initial_state=state)  # h_t: (batch, 1, units)
        _, weights = decoder.attention(outputs[:, 0], encoder_outputs, mask)  # (batch, T_in)
        weights = weights if replace is None else replace(weights)
        context = ops.einsum("bs,bsd->bd", weights, encoder_outputs)  # (batch, 2u)
        attentional = decoder.combine(ops.concatenate([context, outputs[:, 0]], axis=-1))  # h̃_t: (batch, units)
        return decoder.output_layer(attentional), state, weights
    if kind == "input feeding":  # as Luong, with h̃_{t-1} fed to the recurrence: the new h̃_t joins the state
        if state.shape[-1] == decoder.units:  # the encoder's state: h̃_0 = 0
            state = ops.concatenate([state, ops.zeros_like(state)], axis=-1)
        hidden, attentional = state[:, : decoder.units], state[:, decoder.units :]  # h_{t-1}, h̃_{t-1}
        embedded = decoder.embedding(token)[:, 0]  # (batch, embedding_dim)
        hidden, _ = decoder.cell(ops.concatenate([embedded, attentional], axis=-1), hidden)  # h_t: (batch, units)
        _, weights = decoder.attention(hidden, encoder_outputs, mask)  # (batch, T_in)
        weights = weights if replace is None else replace(weights)
        context = ops.einsum("bs,bsd->bd", weights, encoder_outputs)  # (batch, 2u)
        attentional = decoder.combine(ops.concatenate([context, hidden], axis=-1))  # h̃_t: (batch, units)
        return decoder.output_layer(attentional), ops.concatenate([hidden, attentional], axis=-1), weights
    raise TypeError(
        f"intervened_decode replaces attention weights, and a {type(decoder).__name__} ({kind}) has none: "
        f"it needs a Bahdanau, Luong or input-feeding decoder."
    )


class UniformAttention(keras.layers.Layer):
    """Attention with no choice: every real input position gets the same weight, 1 / (number of real positions).

    A drop-in for a decoder's ``attention`` layer (Bahdanau's or Luong's call signature), set before the model is
    first called: ``model.decoder.attention = UniformAttention()``. It has no weights, so the context c_t is the
    mean of the annotations at every step, and the model must learn everything else around that.
    """

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.supports_masking = True

    def build(self, query_shape, values_shape, values_mask_shape=None):
        check_attention_inputs("UniformAttention", query_shape, values_shape)

    def call(self, query, values, values_mask=None):
        one_step = len(query.shape) == 2
        steps = 1 if one_step else ops.shape(query)[1]
        scores = ops.zeros((ops.shape(values)[0], steps, ops.shape(values)[1]))  # (batch, T_q, T_v): all equal
        weights = masked_softmax(scores, values_mask)  # uniform over the real positions: (batch, T_q, T_v)
        context = ops.matmul(weights, values)  # the mean annotation: (batch, T_q, d_v)
        if one_step:
            return context[:, 0], weights[:, 0]  # (batch, d_v), (batch, T_v)
        return context, weights

    def compute_mask(self, query, values, values_mask=None):
        return None


def intervened_decode(model, source, replacements, max_length=None):
    """Greedy decoding of ``source`` (n, T_in) in which step t's weights become ``replacements[t](weights)``.

    replacements: {step: function (batch, T_in) -> (batch, T_in)}; other steps keep the model's weights.
    Returns numpy tokens (n, max_length) and the weights actually used (n, max_length, T_in).
    """
    source = token_array(source)
    max_length = max_length or model.target_length
    encoder_outputs, state, mask = model.encoder(source)
    token = np.full((len(source), 1), START_ID, dtype="int32")
    finished = np.zeros(len(source), dtype=bool)
    tokens, weights = [], []
    for step in range(max_length):
        logits, state, used = decoder_step(model.decoder, token, state, encoder_outputs, mask, replacements.get(step))
        logits = np.array(logits)  # a writable copy
        logits[:, [PAD_ID, START_ID]] = MASKED_SCORE  # a decoder never writes padding or <start>
        next_token = np.where(finished, PAD_ID, logits.argmax(axis=-1)).astype("int32")
        weights.append(np.where(finished[:, None], 0.0, np.asarray(used)))
        finished |= next_token == END_ID
        tokens.append(next_token)
        token = next_token[:, None]
    return np.stack(tokens, axis=1), np.stack(weights, axis=1)


def spread_over(positions):
    """A replacement: every row becomes uniform over ``positions`` (n, T_in) booleans, one row per example."""
    target = np.asarray(positions, dtype="float32")
    if (target.sum(axis=1) == 0).any():
        raise ValueError("spread_over: every example needs at least one position to put its weight on.")
    target = target / target.sum(axis=1, keepdims=True)
    return lambda weights: ops.convert_to_tensor(target)


def permuted_within(lengths, seed=0):
    """A replacement: each row's weights shuffled among that example's real positions (a fixed permutation)."""
    rng = np.random.default_rng(seed)
    lengths = np.asarray(lengths)
    order = np.tile(np.arange(lengths.max() if len(lengths) else 0), (len(lengths), 1))
    for row, length in enumerate(lengths):
        order[row, :length] = rng.permutation(length)

    def replace(weights):
        weights = np.asarray(weights)
        shuffled = weights.copy()
        columns = order.shape[1]
        shuffled[:, :columns] = np.take_along_axis(weights[:, :columns], order, axis=1)
        return ops.convert_to_tensor(shuffled)

    return replace
