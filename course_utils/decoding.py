"""Batched decoding: every input of an array at once, one decoder step per output position.

``greedy_decode`` returns the predicted ids *and* the attention weights of that same pass, so that a
heatmap always shows the weights behind the prediction it is drawn for. Lessons 02–08 use it; no
``predict()`` per character.
"""

import numpy as np
import tensorflow as tf
from keras import ops

from course_utils.attention import MASKED_SCORE
from course_utils.seq2seq import allowed
from course_utils.vocabulary import END_ID, PAD_ID, START_ID, Vocabulary


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


def token_array(source) -> np.ndarray:
    """``source`` as a numpy array of token ids (n, T_in), or a ValueError that says what was passed."""
    source = np.asarray(source)
    if source.ndim != 2 or not np.issubdtype(source.dtype, np.integer):
        raise ValueError(f"source must be a 2-D array of token ids (n, T_in), got {source.dtype} {source.shape}.")
    if len(source) == 0:
        raise ValueError("source has no rows: pass at least one input, e.g. vocabulary.encode_batch(['...']).")
    return source


def compiled_loop(model, loop, *settings):
    """``loop(model, ids, *settings)`` as a tf.function kept on the model, traced once per loop and settings.

    Kept on the model (as Keras keeps its ``predict_function``), so it goes when the model goes. The input
    signature takes any batch and any source length, so one graph serves every call. Keyed by the function
    itself, not its name: a lesson's own ``greedy_loop`` gets its own graph, not the package's.
    """
    functions = model.__dict__.get("_decoding_functions")
    if functions is None:  # set past Keras' attribute tracking: these are functions, not layers or weights
        functions = {}
        object.__setattr__(model, "_decoding_functions", functions)
    key = (loop, *settings)
    if key not in functions:
        functions[key] = tf.function(
            lambda ids: loop(model, ids, *settings), input_signature=[tf.TensorSpec([None, None], tf.int32)]
        )
    return functions[key]


def decode_in_chunks(function, source, batch_size):
    """``function`` applied to ``source`` in chunks of ``batch_size`` rows (bounded memory for large arrays);
    each of its outputs concatenated back into one numpy array (an output that is None stays None)."""
    if not isinstance(batch_size, int) or batch_size < 1:
        raise ValueError(f"batch_size must be a whole number of at least 1, got {batch_size!r}.")
    chunks = [
        function(tf.constant(source[start : start + batch_size], dtype="int32"))
        for start in range(0, len(source), batch_size)
    ]
    single = not isinstance(chunks[0], tuple)
    columns = zip(*[(chunk,) if single else chunk for chunk in chunks])
    joined = tuple(None if parts[0] is None else np.concatenate([p.numpy() for p in parts]) for parts in columns)
    return joined[0] if single else joined


def greedy_decode(model, source, max_length=None, batch_size=4096):
    """Greedy decoding of a whole id array ``source`` (n, T_in) at once; returns numpy tokens and weights.

    tokens: (n, max_length) ids, ending with <end> then padding (or cut at max_length); weights:
    (n, max_length, T_in) attention weights of the same pass (zero after <end>), or None without attention.
    """
    source = token_array(source)
    function = compiled_loop(model, greedy_loop, max_length or model.target_length)
    return decode_in_chunks(function, source, batch_size)


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


def beam_loop(model, source, max_length, beam_width, length_penalty):
    """Batched beam search: source (batch, T_in) -> best tokens (batch, max_length) per input."""
    batch, width = ops.shape(source)[0], beam_width
    encoder_outputs, state, mask = (ops.repeat(t, width, axis=0) for t in model.encoder(source))  # (batch * width, ...)
    token = ops.full((batch * width, 1), START_ID, dtype="int32")
    # only the first beam starts alive, so that the first step does not pick the same token `width` times
    scores = ops.tile(ops.convert_to_tensor([0.0] + [MASKED_SCORE] * (width - 1)), [batch])  # (batch * width,)
    finished = ops.zeros((batch * width,), dtype="bool")
    lengths = ops.zeros((batch * width,), dtype="float32")
    history = ops.zeros((batch * width, 0), dtype="int32")
    for _ in range(max_length):
        logits, state, _ = model.decoder(token, state, encoder_outputs, mask)
        log_probabilities = ops.log_softmax(allowed(logits[:, -1]), axis=-1)  # (batch * width, vocabulary)
        vocabulary = ops.shape(log_probabilities)[-1]
        # a finished hypothesis may only continue with padding, at no cost
        pad_only = ops.where(ops.arange(vocabulary) == PAD_ID, 0.0, MASKED_SCORE)
        log_probabilities = ops.where(finished[:, None], pad_only, log_probabilities)
        candidates = ops.reshape(scores[:, None] + log_probabilities, (batch, width * vocabulary))
        scores, best = ops.top_k(candidates, k=width)  # (batch, width) each
        parent = best // vocabulary + ops.arange(batch)[:, None] * width  # rows of the hypotheses extended
        next_token = ops.cast(best % vocabulary, "int32")
        parent, next_token, scores = (
            ops.reshape(parent, (-1,)),
            ops.reshape(next_token, (-1,)),
            ops.reshape(scores, (-1,)),
        )
        state, finished, lengths = (
            ops.take(state, parent, axis=0),
            ops.take(finished, parent),
            ops.take(lengths, parent),
        )
        history = ops.concatenate([ops.take(history, parent, axis=0), next_token[:, None]], axis=1)
        lengths = lengths + ops.cast(ops.logical_not(finished), "float32")
        finished = ops.logical_or(finished, ops.equal(next_token, END_ID))
        token = next_token[:, None]
    # Wu et al. 2016's length penalty lp(Y) = ((5 + |Y|) / 6) ** alpha, |Y| counting <end>; applied only to pick
    # among the surviving hypotheses at the end (see beam_search)
    penalty = ((5.0 + lengths) / 6.0) ** length_penalty
    normalised = ops.reshape(scores / penalty, (batch, width))
    chosen = ops.argmax(normalised, axis=1) + ops.arange(batch) * width
    return ops.take(history, chosen, axis=0)  # (batch, max_length)


def beam_search(model, source, beam_width=4, max_length=None, length_penalty=0.6, batch_size=1024):
    """Beam search of width ``beam_width`` for a whole id array at once; returns the best tokens per input.

    Keeps the ``beam_width`` most probable partial outputs per input at every step, instead of greedy's one
    (pruning by the plain log-probability). The final choice among the surviving hypotheses divides each
    log-probability by Wu et al. 2016's length penalty lp(Y) = ((5 + |Y|) / 6) ** length_penalty (|Y| counts the
    <end> token; length_penalty is their alpha, 0 = no normalisation).
    """
    source = token_array(source)
    if not isinstance(beam_width, int) or beam_width < 1:
        raise ValueError(f"beam_width must be a whole number of at least 1, got {beam_width!r}.")
    function = compiled_loop(model, beam_loop, max_length or model.target_length, beam_width, length_penalty)
    return decode_in_chunks(function, source, batch_size)


def sequence_log_probabilities(model, source, tokens) -> np.ndarray:
    """log p(tokens | source) per row under the model, summed up to and including the first <end> (or the whole
    row if it has none): how probable the model finds an output, e.g. a reference, whatever decoding found."""
    source, tokens = token_array(source), token_array(tokens)
    if len(source) != len(tokens):
        raise ValueError(f"source and tokens must have as many rows, got {len(source)} and {len(tokens)}.")
    prefix = np.concatenate([np.full((len(tokens), 1), START_ID), tokens[:, :-1]], axis=1)
    prefix = np.where((prefix == END_ID) | (prefix == PAD_ID), PAD_ID, prefix)  # inputs after <end> are padding
    logits, _ = model.teacher_forced(tf.constant(source, "int32"), tf.constant(prefix, "int32"))
    log_p = np.asarray(ops.log_softmax(allowed(logits), axis=-1))  # (n, T_out, vocabulary)
    picked = np.take_along_axis(log_p, tokens[:, :, None], axis=-1)[:, :, 0]  # (n, T_out)
    ended = np.cumsum(tokens == END_ID, axis=1) - (tokens == END_ID)  # > 0 after the first <end>
    counted = (ended == 0) & (tokens != PAD_ID)
    return (picked * counted).sum(axis=1)


def beam_steps(model, source_row, beam_width=3, max_length=None):
    """Beam search on one input, step by step, for drawing: a list with one entry per step, each a list of the
    surviving hypotheses as dicts {"tokens", "log_probability", "parent"} (parent: index in the previous step's
    list). Finished hypotheses (ending in <end>) are carried over unchanged. Plain log-probabilities, no penalty.
    """
    source = token_array(np.asarray(source_row)[None, :])
    max_length = max_length or model.target_length
    encoder_outputs, state, mask = model.encoder(source)
    beams = [{"tokens": [], "log_probability": 0.0, "parent": None, "state": state}]
    steps = []
    for _ in range(max_length):
        candidates = []
        for index, beam in enumerate(beams):
            if beam["tokens"] and beam["tokens"][-1] == END_ID:
                candidates.append({**beam, "parent": index})
                continue
            token = np.array([[beam["tokens"][-1] if beam["tokens"] else START_ID]], "int32")
            logits, new_state, _ = model.decoder(token, beam["state"], encoder_outputs, mask)
            log_p = np.asarray(ops.log_softmax(allowed(logits[:, -1]), axis=-1))[0]
            for word in np.argsort(log_p)[::-1][:beam_width]:
                candidates.append(
                    {
                        "tokens": [*beam["tokens"], int(word)],
                        "parent": index,
                        "state": new_state,
                        "log_probability": beam["log_probability"] + float(log_p[word]),
                    }
                )
        beams = sorted(candidates, key=lambda beam: -beam["log_probability"])[:beam_width]
        steps.append([{key: beam[key] for key in ("tokens", "log_probability", "parent")} for beam in beams])
        if all(beam["tokens"][-1] == END_ID for beam in beams):
            break
    return steps


class PrefixConstraint:
    """The outputs a decoder may write: only token sequences that are prefixes of ``texts`` (then <end>).

    A trie of the allowed outputs stored as a table: ``table[node, token]`` is the node reached by writing
    ``token`` at ``node``, or -1 where that token cannot lead to an allowed output. Node 0 is the start.
    """

    def __init__(self, vocabulary: Vocabulary, texts):
        children = [{}]  # node -> {token id: child node}
        for text in texts:
            node = 0
            for index in vocabulary.encode(text, add_end=True):
                if index not in children[node]:
                    children[node][index] = len(children)
                    children.append({})
                node = children[node][index]
        if len(children) == 1:
            raise ValueError("PrefixConstraint needs at least one allowed text.")
        self.table = np.full((len(children), len(vocabulary)), -1, dtype="int32")  # (nodes, vocabulary)
        for node, followers in enumerate(children):
            for index, child in followers.items():
                self.table[node, index] = child
        self.vocabulary = vocabulary


def constrained_loop(model, source, max_length, constraint):
    """Greedy decoding that may only write what ``constraint`` (a ``PrefixConstraint``) allows.

    source (batch, T_in) -> tokens (batch, max_length), weights (batch, max_length, T_in) or None, and the
    log-probability (batch,) the model itself gave the tokens written (before the constraint renormalised).
    """
    table = ops.convert_to_tensor(constraint.table)  # (nodes, vocabulary): next node, or -1 where not allowed
    encoder_outputs, state, mask = model.encoder(source)
    batch = ops.shape(source)[0]
    token = ops.full((batch, 1), START_ID, dtype="int32")
    node = ops.zeros((batch,), dtype="int32")  # where each output is in the trie of allowed outputs
    finished = ops.zeros((batch,), dtype="bool")
    log_probability = ops.zeros((batch,))
    tokens, weights = [], []
    for _ in range(max_length):
        logits, state, step_weights = model.decoder(token, state, encoder_outputs, mask)  # (batch, 1, vocabulary)
        possible = ops.take(table, node, axis=0) >= 0  # (batch, vocabulary): tokens that can still end well
        next_token = ops.cast(ops.argmax(ops.where(possible, logits[:, -1], MASKED_SCORE), axis=-1), "int32")
        next_token = ops.where(finished, PAD_ID, next_token)  # after <end>: padding
        token_log_probability = ops.take_along_axis(ops.log_softmax(logits[:, -1]), next_token[:, None], axis=1)
        log_probability += ops.where(finished, 0.0, token_log_probability[:, 0])
        if step_weights is not None:
            weights.append(ops.where(finished[:, None], 0.0, step_weights[:, -1]))  # (batch, T_in)
        child = ops.take_along_axis(ops.take(table, node, axis=0), next_token[:, None], axis=1)[:, 0]
        node = ops.where(finished, node, ops.maximum(child, 0))
        finished = ops.logical_or(finished, ops.equal(next_token, END_ID))
        tokens.append(next_token)
        token = next_token[:, None]
    return ops.stack(tokens, axis=1), (ops.stack(weights, axis=1) if weights else None), log_probability


def constrained_decode(model, source, constraint: PrefixConstraint, batch_size=4096):
    """``constrained_loop`` for a whole id array: numpy tokens, weights and sequence probabilities.

    Every row of tokens is one of the constraint's texts (then <end>), provided ``model.target_length``
    leaves room for the longest. probability: the model's own probability of the whole output, in [0, 1].
    """
    source = token_array(source)
    if len(constraint.vocabulary) != len(model.target_vocabulary):
        raise ValueError(
            f"The constraint was built for a vocabulary of {len(constraint.vocabulary)} tokens, the "
            f"model writes {len(model.target_vocabulary)}: build it with model.target_vocabulary."
        )
    function = compiled_loop(model, constrained_loop, model.target_length, constraint)
    tokens, weights, log_probability = decode_in_chunks(function, source, batch_size)
    return tokens, weights, np.exp(log_probability)
