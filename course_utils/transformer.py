"""A small encoder–decoder Transformer (Vaswani et al. 2017) on the course's harness (lesson 09).

It keeps the call signatures of ``course_utils.seq2seq``, so that the batched greedy, beam and constrained
decoding of ``course_utils.decoding`` (and ``normalize_dates``) run it unchanged:

    encoder_outputs, state, mask = encoder(source)
    logits, state, weights = decoder(target_in, state, encoder_outputs, encoder_mask)

A recurrent decoder's state is a vector; this decoder's state is the prefix of target tokens it has already
read, (batch, t) ids (the encoder hands over an empty prefix, (batch, 0)). Each call appends ``target_in`` to
the prefix and runs the whole decoder over it again: no key/value cache. One greedy step at position t
therefore costs t positions of decoder work, about T²/2 over an output of T tokens instead of T with a cache.
weights: the last decoder block's cross-attention, averaged over its heads, (batch, T_out, T_in).

Lesson 09 writes scaled_dot_product_attention, positional_encoding, causal_mask, multi_head_attention_by_hand,
EncoderBlock, DecoderBlock and TransformerDecoder in the notebook; these are their canonical copies.
Choices the lesson names: the layer norm comes before each sub-layer ("pre-norm", as most implementations since
2020 do; the paper put it after the residual sum), and there is no dropout (small data, a few epochs).
"""

import math

import keras
import numpy as np
from keras import ops

from course_utils.attention import MASKED_SCORE
from course_utils.encoder_decoder import EncoderDecoder
from course_utils.vocabulary import PAD_ID


def scaled_dot_product_attention(query, key, value, mask=None):
    """softmax(Q Kᵀ / √d_k) V. query (..., T_q, d_k), key (..., T_k, d_k), value (..., T_k, d_v); mask
    (..., T_q, T_k), True where a query may look. Returns context (..., T_q, d_v), weights (..., T_q, T_k)."""
    d_k = query.shape[-1]
    scores = ops.matmul(query, ops.swapaxes(key, -1, -2)) / math.sqrt(d_k)  # (..., T_q, T_k)
    if mask is not None:
        scores = ops.where(mask, scores, MASKED_SCORE)  # where mask is False: exp(MASKED_SCORE - max) = 0, no weight
    weights = ops.softmax(scores, axis=-1)
    return ops.matmul(weights, value), weights


def positional_encoding(length, depth):
    """Sinusoids (length, depth): PE[p, 2i] = sin(p / 10000^(2i/depth)), PE[p, 2i+1] = cos(p / 10000^(2i/depth))."""
    positions = np.arange(length)[:, None]  # (length, 1)
    frequencies = 1.0 / 10000 ** (np.arange(0, depth, 2) / depth)  # (depth / 2,): 1 down to 10000^(2 / depth - 1)
    angles = positions * frequencies  # (length, depth / 2)
    encoding = np.zeros((length, depth), dtype="float32")
    encoding[:, 0::2], encoding[:, 1::2] = np.sin(angles), np.cos(angles)
    return encoding


def causal_mask(length):
    """(length, length) booleans, True on and below the diagonal: position t may look at positions 0..t only."""
    positions = ops.arange(length)
    return ops.expand_dims(positions, 1) >= ops.expand_dims(positions, 0)  # query position >= key position


def multi_head_attention_by_hand(layer, query, value, mask=None):
    """What ``keras.layers.MultiHeadAttention`` computes, with its own weights: project, split into heads,
    scaled dot-product attention per head, concatenate, project back. query (batch, T_q, d_model), value
    (batch, T_k, d_model), mask (batch, T_q, T_k). Returns output (batch, T_q, d_model), weights (batch, heads,
    T_q, T_k)."""
    q = ops.einsum("btd,dhk->bhtk", query, layer._query_dense.kernel) + layer._query_dense.bias[:, None, :]
    k = ops.einsum("bsd,dhk->bhsk", value, layer._key_dense.kernel) + layer._key_dense.bias[:, None, :]
    v = ops.einsum("bsd,dhk->bhsk", value, layer._value_dense.kernel) + layer._value_dense.bias[:, None, :]
    heads_mask = None if mask is None else ops.expand_dims(mask, 1)  # the same mask for every head
    context, weights = scaled_dot_product_attention(q, k, v, heads_mask)  # (batch, heads, T_q, d_k) and weights
    output = ops.einsum("bhtk,hkd->btd", context, layer._output_dense.kernel) + layer._output_dense.bias
    return output, weights


def padding_mask(query_length_like, keys_mask):
    """(batch, T_q, T_k) attention mask from a keys mask (batch, T_k): every query may look at every real key."""
    every_query = ops.ones_like(query_length_like, dtype="bool")  # (batch, T_q)
    return ops.logical_and(ops.expand_dims(every_query, 2), ops.expand_dims(keys_mask, 1))


@keras.saving.register_keras_serializable(package="course_utils")
class EncoderBlock(keras.layers.Layer):
    """Self-attention then a position-wise feed-forward network, each as x + sublayer(LayerNorm(x))."""

    def __init__(self, d_model, heads, feed_forward, **kwargs):
        super().__init__(**kwargs)
        self.d_model, self.heads, self.feed_forward = d_model, heads, feed_forward
        self.attention = keras.layers.MultiHeadAttention(heads, key_dim=d_model // heads)
        self.norm_1, self.norm_2 = keras.layers.LayerNormalization(), keras.layers.LayerNormalization()
        self.hidden = keras.layers.Dense(feed_forward, activation="relu")
        self.back = keras.layers.Dense(d_model)

    def call(self, x, mask):
        # x: (batch, T_in, d_model); mask: (batch, T_in), True for real tokens
        normed = self.norm_1(x)
        attended, weights = self.attention(
            normed, normed, attention_mask=padding_mask(mask, mask), return_attention_scores=True
        )  # (batch, T_in, d_model), weights (batch, heads, T_in, T_in)
        x = x + attended  # residual connection
        x = x + self.back(self.hidden(self.norm_2(x)))  # feed-forward, applied to every position alone
        return x, weights


@keras.saving.register_keras_serializable(package="course_utils")
class DecoderBlock(keras.layers.Layer):
    """Causal self-attention, cross-attention to the encoder, feed-forward; each as x + sublayer(LayerNorm(x))."""

    def __init__(self, d_model, heads, feed_forward, **kwargs):
        super().__init__(**kwargs)
        self.d_model, self.heads, self.feed_forward = d_model, heads, feed_forward
        self.self_attention = keras.layers.MultiHeadAttention(heads, key_dim=d_model // heads)
        self.cross_attention = keras.layers.MultiHeadAttention(heads, key_dim=d_model // heads)
        self.norms = [keras.layers.LayerNormalization() for _ in range(3)]
        self.hidden = keras.layers.Dense(feed_forward, activation="relu")
        self.back = keras.layers.Dense(d_model)

    def call(self, y, encoder_outputs, encoder_mask):
        # y: (batch, T_out, d_model); encoder_outputs: (batch, T_in, d_model); encoder_mask: (batch, T_in)
        every_position = ops.ones_like(y[:, :, 0], dtype="bool")  # (batch, T_out)
        no_future = ops.logical_and(causal_mask(ops.shape(y)[1]), padding_mask(every_position, every_position))
        normed = self.norms[0](y)
        y = y + self.self_attention(normed, normed, attention_mask=no_future)  # position t sees 0..t only
        normed = self.norms[1](y)
        attended, weights = self.cross_attention(
            normed,
            encoder_outputs,
            attention_mask=padding_mask(normed[:, :, 0], encoder_mask),
            return_attention_scores=True,
        )  # (batch, T_out, d_model), weights (batch, heads, T_out, T_in)
        y = y + attended
        y = y + self.back(self.hidden(self.norms[2](y)))
        return y, weights


@keras.saving.register_keras_serializable(package="course_utils")
class PositionalEmbedding(keras.layers.Layer):
    """Token embedding × √d_model plus the sinusoidal positional encoding (or none: ``positional=False``)."""

    def __init__(self, vocabulary_size, d_model, max_length, positional=True, **kwargs):
        super().__init__(**kwargs)
        self.vocabulary_size, self.d_model, self.max_length = vocabulary_size, d_model, max_length
        self.positional = positional
        self.embedding = keras.layers.Embedding(vocabulary_size, d_model)
        self.encoding = positional_encoding(max_length, d_model)  # (max_length, d_model), not trained

    def call(self, ids):
        length = ids.shape[1]
        if length is not None and length > self.max_length:
            raise ValueError(
                f"{self.name}: sequences of {length} tokens, but the positional encoding was built for at most "
                f"{self.max_length}. Build the model with a larger source_length / target_length."
            )
        embedded = self.embedding(ids) * math.sqrt(self.d_model)  # (batch, T, d_model)
        if not self.positional:
            return embedded
        return embedded + ops.convert_to_tensor(self.encoding)[None, : ops.shape(ids)[1]]  # positions 0..T-1


@keras.saving.register_keras_serializable(package="course_utils")
class TransformerEncoder(keras.layers.Layer):
    """Embeds source ids with positions and runs ``layers`` encoder blocks; returns (outputs, empty prefix, mask)."""

    def __init__(self, vocabulary_size, d_model, heads, feed_forward, layers, max_length, positional=True, **kwargs):
        super().__init__(**kwargs)
        self.embedding = PositionalEmbedding(vocabulary_size, d_model, max_length, positional)
        self.blocks = [EncoderBlock(d_model, heads, feed_forward) for _ in range(layers)]
        self.final_norm = keras.layers.LayerNormalization()  # pre-norm blocks leave the last sum un-normalised

    def call(self, source, return_weights=False):
        mask = ops.not_equal(source, PAD_ID)  # (batch, T_in): True for real tokens (right padding with id 0)
        x = self.embedding(source)  # (batch, T_in, d_model)
        all_weights = []
        for block in self.blocks:
            x, weights = block(x, mask)
            all_weights.append(weights)  # (batch, heads, T_in, T_in) per block
        outputs = self.final_norm(x)
        empty_prefix = ops.zeros((ops.shape(source)[0], 0), dtype="int32")  # the decoder's first "state"
        if return_weights:
            return outputs, empty_prefix, mask, all_weights
        return outputs, empty_prefix, mask


@keras.saving.register_keras_serializable(package="course_utils")
class TransformerDecoder(keras.layers.Layer):
    """Decoder blocks over the whole prefix; state = the target ids read so far (no key/value cache)."""

    def __init__(self, vocabulary_size, d_model, heads, feed_forward, layers, max_length, positional=True, **kwargs):
        super().__init__(**kwargs)
        self.embedding = PositionalEmbedding(vocabulary_size, d_model, max_length, positional)
        self.blocks = [DecoderBlock(d_model, heads, feed_forward) for _ in range(layers)]
        self.final_norm = keras.layers.LayerNormalization()
        self.output_layer = keras.layers.Dense(vocabulary_size)

    def call(self, target_in, state, encoder_outputs, encoder_mask=None, return_all_weights=False):
        prefix = ops.concatenate([ops.cast(state, "int32"), ops.cast(target_in, "int32")], axis=1)  # (batch, t)
        if encoder_mask is None:
            encoder_mask = ops.ones(ops.shape(encoder_outputs)[:2], dtype="bool")
        y = self.embedding(prefix)  # (batch, t, d_model): positions 0..t-1, recomputed at every call
        cross = []
        for block in self.blocks:
            y, weights = block(y, encoder_outputs, encoder_mask)
            cross.append(weights)  # (batch, heads, t, T_in) per block
        new = target_in.shape[1] or ops.shape(target_in)[1]  # only the positions of target_in are returned
        logits = self.output_layer(self.final_norm(y[:, -new:]))  # (batch, T_out, vocabulary)
        if return_all_weights:
            return logits, prefix, [w[:, :, -new:] for w in cross]
        return logits, prefix, ops.mean(cross[-1][:, :, -new:], axis=1)  # heads averaged: (batch, T_out, T_in)


@keras.saving.register_keras_serializable(package="course_utils")
class Transformer(EncoderDecoder):
    """Encoder–decoder Transformer with the interface of ``seq2seq.Seq2Seq``: (source, target_in) -> logits.

    It carries its vocabularies and lengths (``encoder_decoder.EncoderDecoder``), so ``decoding.translate``,
    ``greedy_decode``, ``beam_search`` and ``normalize_dates`` take it as they take a Seq2Seq. Its teacher-forced
    weights are the last block's cross-attention, heads averaged. ``positional=False`` leaves out the positional
    encoding (lesson 09 measures what that breaks).
    """

    def __init__(
        self,
        source_vocabulary,
        target_vocabulary,
        *,
        source_length,
        target_length,
        d_model=64,
        heads=4,
        feed_forward=128,
        layers=2,
        positional=True,
        **kwargs,
    ):
        super().__init__(
            source_vocabulary, target_vocabulary, source_length=source_length, target_length=target_length, **kwargs
        )
        check_settings(d_model=d_model, heads=heads, feed_forward=feed_forward, layers=layers)
        self.d_model, self.heads, self.feed_forward, self.layers_count = d_model, heads, feed_forward, layers
        self.positional = positional
        sizes = dict(d_model=d_model, heads=heads, feed_forward=feed_forward, layers=layers, positional=positional)
        self.encoder = TransformerEncoder(len(self.source_vocabulary), max_length=source_length, **sizes)
        self.decoder = TransformerDecoder(len(self.target_vocabulary), max_length=target_length + 1, **sizes)

    def attention_maps(self, source, target_in):
        """Every head of every block, teacher-forced: {"encoder": [(batch, heads, T_in, T_in)] per block,
        "cross": [(batch, heads, T_out, T_in)] per block}, as numpy arrays."""
        encoder_outputs, state, mask, encoder_weights = self.encoder(source, return_weights=True)
        _, _, cross = self.decoder(target_in, state, encoder_outputs, mask, return_all_weights=True)
        return {
            "encoder": [ops.convert_to_numpy(w) for w in encoder_weights],
            "cross": [ops.convert_to_numpy(w) for w in cross],
        }

    def get_config(self):
        return {
            **super().get_config(),  # the vocabularies and lengths
            "d_model": self.d_model,
            "heads": self.heads,
            "feed_forward": self.feed_forward,
            "layers": self.layers_count,
            "positional": self.positional,
        }


@keras.saving.register_keras_serializable(package="course_utils")
class WarmupSchedule(keras.optimizers.schedules.LearningRateSchedule):
    """Vaswani et al.'s rate: d_model^-0.5 · min(step^-0.5, step · warmup_steps^-1.5), step counted from 1.

    It rises linearly for ``warmup_steps`` steps, peaks at (d_model · warmup_steps)^-0.5, then falls as 1/√step."""

    def __init__(self, d_model, warmup_steps):
        super().__init__()
        self.d_model, self.warmup_steps = d_model, warmup_steps

    def __call__(self, step):
        step = ops.cast(step, "float32") + 1.0  # Keras counts optimizer steps from 0; the formula from 1
        rising, falling = step * self.warmup_steps**-1.5, ops.rsqrt(step)
        return self.d_model**-0.5 * ops.minimum(falling, rising)

    def get_config(self):
        return {"d_model": self.d_model, "warmup_steps": self.warmup_steps}


SMALL_SIZES = {"d_model": 16, "heads": 2, "feed_forward": 32}  # fast enough for exercise checks and unit tests


def small_date_transformer(seed, layers=2, positional=True):
    """A small untrained Transformer on the date task (``SMALL_SIZES``), seeded with ``seed``: what lesson 09's
    exercise checks and tests/test_transformer.py run, in a fraction of a second."""
    from course_utils import dates

    keras.utils.set_random_seed(seed)
    return Transformer(
        *dates.vocabularies(),
        source_length=dates.SOURCE_LENGTH,
        target_length=dates.TARGET_LENGTH,
        layers=layers,
        positional=positional,
        **SMALL_SIZES,
    )


def check_settings(*, d_model, heads, feed_forward, layers):
    """A clear error for sizes a Transformer cannot have."""
    for name, value in dict(d_model=d_model, heads=heads, feed_forward=feed_forward, layers=layers).items():
        if not isinstance(value, int) or value < 1:
            raise ValueError(f"Transformer: {name} must be a whole number of at least 1, got {value!r}.")
    if d_model % heads:
        raise ValueError(
            f"Transformer: d_model={d_model} does not split into heads={heads} equal heads. Choose heads that "
            f"divide d_model (e.g. heads=4 for d_model=64): each head gets d_model // heads dimensions."
        )
    if d_model % 2:
        raise ValueError(f"Transformer: d_model must be even (sine and cosine pairs), got {d_model}.")
