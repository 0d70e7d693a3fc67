"""Batched decoding: every input of an array at once, one decoder step per output position.

``greedy_decode`` returns the predicted ids *and* the attention weights of that same pass, so that a
heatmap always shows the weights behind the prediction it is drawn for. Lessons 02–07 use it; no
``predict()`` per character.
"""

import numpy as np
import tensorflow as tf
from keras import ops

from course_utils.vocabulary import Vocabulary

START_ID, END_ID, PAD_ID = 1, 2, 0  # as in every course_utils Vocabulary


def allowed(logits):
    """Logits (..., vocabulary) with padding and <start> ruled out: a decoder never outputs them."""
    never = ops.arange(ops.shape(logits)[-1]) <= START_ID  # ids 0 (padding) and 1 (<start>)
    return ops.where(never, -1e9, logits)


def greedy_loop(model, source, max_length):
    """source (batch, T_in) -> tokens (batch, max_length), weights (batch, max_length, T_in) or None."""
    encoder_outputs, state, mask = model.encoder(source)
    batch = ops.shape(source)[0]
    token = ops.full((batch, 1), START_ID, dtype="int32")  # (batch, 1): every output starts with <start>
    finished = ops.zeros((batch,), dtype="bool")
    tokens, weights = [], []
    for _ in range(max_length):
        logits, state, step_weights = model.decoder(token, state, encoder_outputs, mask)  # (batch, 1, vocabulary)
        next_token = ops.cast(ops.argmax(allowed(logits[:, -1]), axis=-1), "int32")  # (batch,)
        next_token = ops.where(finished, PAD_ID, next_token)  # after <end>: padding
        if step_weights is not None:
            weights.append(ops.where(finished[:, None], 0.0, step_weights[:, -1]))  # (batch, T_in)
        finished = ops.logical_or(finished, ops.equal(next_token, END_ID))
        tokens.append(next_token)
        token = next_token[:, None]
    return ops.stack(tokens, axis=1), (ops.stack(weights, axis=1) if weights else None)


_compiled = {}  # (id(model), max_length) -> tf.function


def greedy_decode(model, source, max_length=None, batch_size=4096):
    """Greedy decoding of a whole id array ``source`` (n, T_in) at once; returns numpy tokens and weights.

    tokens: (n, max_length) ids, ending with <end> then padding (or cut at max_length); weights:
    (n, max_length, T_in) attention weights of the same pass (zero after <end>), or None without attention.
    """
    source = np.asarray(source)
    if source.ndim != 2 or not np.issubdtype(source.dtype, np.integer):
        raise ValueError(f"source must be a 2-D array of token ids (n, T_in), got {source.dtype} {source.shape}.")
    max_length = max_length or model.target_length
    key = (id(model), max_length)
    if key not in _compiled:  # one graph per model and length: the Python loop above is traced once
        _compiled[key] = tf.function(lambda ids: greedy_loop(model, ids, max_length),
                                     input_signature=[tf.TensorSpec([None, None], tf.int32)])  # any batch, any length
    tokens, weights = [], []
    for start in range(0, len(source), batch_size):  # bounded memory for very large arrays
        batch_tokens, batch_weights = _compiled[key](tf.constant(source[start:start + batch_size], dtype="int32"))
        tokens.append(batch_tokens.numpy())
        weights.append(None if batch_weights is None else batch_weights.numpy())
    return np.concatenate(tokens), (None if weights[0] is None else np.concatenate(weights))


def translate(model, texts, *, return_weights=False):
    """Decode a list of texts with a trained ``Seq2Seq`` model; optionally also the attention weights."""
    source = model.source_vocabulary.encode_batch(texts, length=model.source_length)
    tokens, weights = greedy_decode(model, source)
    outputs = model.target_vocabulary.decode_batch(tokens)
    return (outputs, weights) if return_weights else outputs


def tokens_of(vocabulary: Vocabulary, ids) -> list[str]:
    """The tokens of one decoded row, up to and including <end>: the labels of a heatmap's rows."""
    tokens = []
    for index in np.asarray(ids).tolist():
        if index == PAD_ID:
            break
        tokens.append(vocabulary.tokens[index])
        if index == END_ID:
            break
    return tokens
