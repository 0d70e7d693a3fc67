"""Greedy decoding of lesson 09's Transformer with a key/value cache: each step computes one new position.

``TransformerDecoder`` (course_utils.transformer) runs every block over the whole prefix at each call, so step t
computes t positions. With a cache, each decoder block keeps the keys and values of its self-attention for the
positions already decoded, (batch, heads, t, key_dim) each; a step runs only the newest position through the
blocks, and its query looks at the cached keys plus its own. Cross-attention reads the encoder's outputs, which do
not change while decoding (a fuller implementation caches their projections too).

``attend(layer, new, cache) -> (output, cache)`` is the one step of cached self-attention: lesson 09's exercise 4
asks the learner to write it (its reference solution is in course_utils.exercises.lesson09).
"""

import contextlib
import math
import warnings

from keras import ops

from course_utils.decoding import allowed
from course_utils.transformer import padding_mask
from course_utils.vocabulary import END_ID, PAD_ID, START_ID


def split_heads(dense, x):
    """x (batch, T, d_model) through one of MultiHeadAttention's projections -> (batch, heads, T, key_dim)."""
    return ops.einsum("btd,dhk->bhtk", x, dense.kernel) + dense.bias[:, None, :]


@contextlib.contextmanager
def one_key_allowed():
    """Silence Keras' warning about a softmax over an axis of size 1: at the first step the query has exactly one
    key (its own position), and its weight 1 is what attention over one position should give."""
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="You are using a softmax over axis", category=UserWarning)
        yield


def empty_cache(batch, layer):
    """No position decoded yet: keys and values (batch, heads, 0, key_dim) for one self-attention layer."""
    nothing = ops.zeros((batch, layer.num_heads, 0, layer.key_dim))
    return nothing, nothing


def decoder_step_with_cache(decoder, token, position, caches, encoder_outputs, encoder_mask, attend):
    """One output position through every block: token (batch, 1) at ``position``; caches: one per block.
    Returns logits (batch, 1, vocabulary) and the caches, each one position longer."""
    embedding = decoder.embedding
    y = embedding.embedding(token) * math.sqrt(embedding.d_model)  # (batch, 1, d_model)
    if embedding.positional:
        y = y + ops.convert_to_tensor(embedding.encoding)[None, position : position + 1]
    new_caches = []
    for block, cache in zip(decoder.blocks, caches):
        with one_key_allowed():
            attended, cache = attend(block.self_attention, block.norms[0](y), cache)  # the newest position only
        new_caches.append(cache)
        y = y + attended
        normed = block.norms[1](y)
        cross_mask = padding_mask(normed[:, :, 0], encoder_mask)  # (batch, 1, T_in)
        y = y + block.cross_attention(normed, encoder_outputs, attention_mask=cross_mask)
        y = y + block.back(block.hidden(block.norms[2](y)))
    return decoder.output_layer(decoder.final_norm(y)), new_caches


def greedy_positions(model, source, max_length, attend=None):
    """Greedy decoding of ``source`` (batch, T_in), with the cache (``attend`` given) or without it (the decoder's
    own call over the whole prefix). Returns tokens (batch, max_length), as ``decoding.greedy_loop`` writes them,
    and the decoder positions computed per sequence and block: max_length with the cache, 1 + 2 + … without."""
    encoder_outputs, prefix, mask = model.encoder(source)
    batch = ops.shape(source)[0]
    caches = [empty_cache(batch, block.self_attention) for block in model.decoder.blocks]
    token = ops.full((batch, 1), START_ID, dtype="int32")
    if not model.decoder.built:  # the cached step reads the layers' weights: a first ordinary call creates them
        model.decoder(token, prefix, encoder_outputs, mask)
    finished = ops.zeros((batch,), dtype="bool")
    tokens, positions = [], 0
    for step in range(max_length):
        if attend is None:  # the whole prefix again: step t computes t + 1 positions
            logits, prefix, _ = model.decoder(token, prefix, encoder_outputs, mask)
            positions += step + 1
        else:
            logits, caches = decoder_step_with_cache(model.decoder, token, step, caches, encoder_outputs, mask, attend)
            positions += 1
        next_token = ops.cast(ops.argmax(allowed(logits[:, -1]), axis=-1), "int32")  # (batch,)
        next_token = ops.where(finished, PAD_ID, next_token)
        finished = ops.logical_or(finished, ops.equal(next_token, END_ID))
        tokens.append(next_token)
        token = next_token[:, None]
    return ops.stack(tokens, axis=1), positions
