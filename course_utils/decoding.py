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


def length_penalty_of(lengths, alpha):
    """Wu et al. 2016's length penalty lp(Y) = ((5 + |Y|) / 6) ** alpha (their section 7); |Y| counts <end>.

    alpha = 0 gives 1 (no normalisation); a hypothesis is ranked by log p(Y | X) / lp(Y)."""
    return ((5.0 + lengths) / 6.0) ** alpha


def keep_better(scores, tokens, new_scores, new_tokens):
    """Per input, whichever of two hypotheses scores higher: scores (batch,), tokens (batch, max_length)."""
    better = new_scores > scores
    return ops.where(better, new_scores, scores), ops.where(better[:, None], new_tokens, tokens)


def best_of_beam(scores, tokens, batch, width):
    """Per input, the best of its ``width`` rows: scores (batch * width,), tokens (batch * width, L) ->
    scores (batch,), tokens (batch, L)."""
    scores = ops.reshape(scores, (batch, width))
    rows = ops.argmax(scores, axis=1) + ops.arange(batch) * width
    return ops.max(scores, axis=1), ops.take(tokens, rows, axis=0)


def beam_loop(model, source, max_length, beam_width, length_penalty):
    """Batched beam search: source (batch, T_in) -> best tokens (batch, max_length) per input.

    Each input keeps ``beam_width`` live hypotheses. A candidate that ends with <end> and ranks among the step's
    ``beam_width`` best moves to a separate list of finished hypotheses (as GNMT and fairseq do), so the
    beam never loses a slot to it. The answer is the best by log p / lp, finished or live at ``max_length``: of the
    finished list only its best needs keeping, the one that answer can come from.
    """
    batch, width = ops.shape(source)[0], beam_width
    encoder_outputs, state, mask = (ops.repeat(t, width, axis=0) for t in model.encoder(source))  # (batch * width, ...)
    token = ops.full((batch * width, 1), START_ID, dtype="int32")
    # only the first beam starts alive, so that the first step does not pick the same token `width` times
    scores = ops.tile(ops.convert_to_tensor([0.0] + [MASKED_SCORE] * (width - 1)), [batch])  # (batch * width,)
    history = ops.zeros((batch * width, 0), dtype="int32")  # the live hypotheses' tokens so far
    first_row = ops.arange(batch)[:, None] * width  # (batch, 1): each input's first row of the batch * width
    finished_score = ops.full((batch,), 2 * MASKED_SCORE)  # the best finished hypothesis' log p / lp (none yet)
    finished_tokens = ops.zeros((batch, max_length), dtype="int32")
    for t in range(max_length):
        logits, state, _ = model.decoder(token, state, encoder_outputs, mask)
        log_probabilities = ops.log_softmax(allowed(logits[:, -1]), axis=-1)  # (batch * width, vocabulary)
        vocabulary = ops.shape(log_probabilities)[-1]
        candidates = ops.reshape(scores[:, None] + log_probabilities, (batch, width * vocabulary))
        # 1. a candidate that ends, and is among the step's `width` best, is finished: it leaves the beam
        top_scores, top = ops.top_k(candidates, k=width)  # (batch, width) each
        ends = ops.equal(top % vocabulary, END_ID)
        ended = ops.concatenate(  # its tokens: the parent's history, <end>, then padding
            [
                ops.take(history, ops.reshape(top // vocabulary + first_row, (-1,)), axis=0),
                ops.full((batch * width, 1), END_ID, dtype="int32"),
                ops.zeros((batch * width, max_length - t - 1), dtype="int32"),
            ],
            axis=1,
        )
        ended_scores = ops.where(ends, top_scores / length_penalty_of(t + 1.0, length_penalty), 2 * MASKED_SCORE)
        best_ended = best_of_beam(ops.reshape(ended_scores, (-1,)), ended, batch, width)
        finished_score, finished_tokens = keep_better(finished_score, finished_tokens, *best_ended)
        # 2. the `width` best candidates that do not end stay live
        is_end = ops.equal(ops.arange(width * vocabulary) % vocabulary, END_ID)
        scores, best = ops.top_k(ops.where(is_end, 2 * MASKED_SCORE, candidates), k=width)  # (batch, width)
        parent = ops.reshape(best // vocabulary + first_row, (-1,))  # rows of the hypotheses extended
        token = ops.cast(ops.reshape(best % vocabulary, (-1, 1)), "int32")
        scores, state = ops.reshape(scores, (-1,)), ops.take(state, parent, axis=0)
        history = ops.concatenate([ops.take(history, parent, axis=0), token], axis=1)
    # live hypotheses that reached max_length without <end> compete too, with |Y| = max_length
    live = best_of_beam(scores / length_penalty_of(float(max_length), length_penalty), history, batch, width)
    return keep_better(finished_score, finished_tokens, *live)[1]  # (batch, max_length)


def beam_search(model, source, beam_width=4, max_length=None, length_penalty=0.6, batch_size=1024):
    """Beam search of width ``beam_width`` for a whole id array at once; returns the best tokens per input.

    Keeps the ``beam_width`` most probable unfinished outputs per input at every step, instead of greedy's one
    (pruning by the plain log-probability); outputs that end move to a list of finished ones. The final choice
    divides each log-probability by Wu et al. 2016's length penalty lp(Y) = ((5 + |Y|) / 6) ** length_penalty
    (|Y| counts the <end> token; length_penalty is their alpha, 0 = no normalisation). ``beam_width=1`` with
    ``length_penalty=0`` is greedy decoding.
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
    """Beam search on one input, step by step, for drawing (plain log-probabilities, no length penalty).

    A list with one entry per step: the ``beam_width`` live hypotheses kept, best first, then the ones that ended
    at this step (among the step's ``beam_width`` best candidates), each a dict {"tokens", "log_probability",
    "parent", "finished"}; parent is the index in the previous step's list. It stops once the best finished
    hypothesis is at least as probable as every live one: log-probabilities only fall, so none can overtake it.
    ``best_of_steps`` names the answer, the same one ``beam_search(..., length_penalty=0)`` returns.
    """
    source = token_array(np.asarray(source_row)[None, :])
    max_length = max_length or model.target_length
    encoder_outputs, state, mask = model.encoder(source)
    live = [{"tokens": [], "log_probability": 0.0, "state": state}]
    steps, best_finished = [], -np.inf
    for _ in range(max_length):
        candidates = []
        for index, beam in enumerate(live):
            token = np.array([[beam["tokens"][-1] if beam["tokens"] else START_ID]], "int32")
            logits, new_state, _ = model.decoder(token, beam["state"], encoder_outputs, mask)
            log_p = np.asarray(ops.log_softmax(allowed(logits[:, -1]), axis=-1))[0]
            for word in np.argsort(log_p)[::-1][: beam_width + 1]:  # enough for `beam_width` that do not end
                candidates.append(
                    {
                        "tokens": [*beam["tokens"], int(word)],
                        "log_probability": beam["log_probability"] + float(log_p[word]),
                        "parent": index,
                        "finished": int(word) == END_ID,
                        "state": new_state,
                    }
                )
        candidates.sort(key=lambda beam: -beam["log_probability"])
        finished = [beam for beam in candidates[:beam_width] if beam["finished"]]
        live = [beam for beam in candidates if not beam["finished"]][:beam_width]
        steps.append([{key: beam[key] for key in ("tokens", "log_probability", "parent", "finished")} for beam in live])
        steps[-1] += [{key: beam[key] for key in steps[-1][0]} for beam in finished]
        best_finished = max([best_finished] + [beam["log_probability"] for beam in finished])
        if best_finished >= live[0]["log_probability"]:
            break
    return steps


def best_of_steps(steps) -> tuple[int, int]:
    """(step, index) of the most probable finished hypothesis in ``beam_steps``' output (or of the best live one
    at the last step, if none finished)."""
    finished = [(beam["log_probability"], t, i) for t, beams in enumerate(steps) for i, beam in enumerate(beams)]
    finished = [entry for entry in finished if steps[entry[1]][entry[2]]["finished"]]
    if not finished:
        return len(steps) - 1, 0
    _, t, i = max(finished, key=lambda entry: (entry[0], -entry[1]))
    return t, i


class NextWordTable:
    """A stand-in for a trained translator whose next-word probabilities depend on the previous word only, given
    as a table {previous word: {next word: probability}} ("<start>" first, "<end>" to stop): a case small enough to
    work out by hand, decoded by the same ``greedy_decode``, ``beam_search`` and ``sequence_log_probabilities``.
    """

    def __init__(self, table: dict, target_length: int):
        words = sorted({word for following in table.values() for word in following} - {"<end>"})
        self.target_vocabulary = Vocabulary(words, level="word")
        self.target_length = target_length
        ids = self.target_vocabulary.ids
        probabilities = np.full((len(ids), len(ids)), 1e-9)  # (previous, next); what the table leaves out: ~0
        for previous, following in table.items():
            if previous not in ids or abs(sum(following.values()) - 1) > 1e-6:
                raise ValueError(
                    f"Row {previous!r} of the table: expected a known word whose probabilities sum to 1, "
                    f"got {following}."
                )
            for word, probability in following.items():
                probabilities[ids[previous], ids[word]] = probability
        self.log_probabilities = ops.convert_to_tensor(np.log(probabilities), "float32")

    def encoder(self, source):  # no encoder: outputs, state and mask only have to have the right shapes
        batch = ops.shape(source)[0]
        return ops.zeros((batch, 1, 1)), ops.zeros((batch, 1)), ops.ones((batch, 1), dtype="bool")

    def decoder(self, token, state, encoder_outputs, mask):  # token (batch, T) -> log p (batch, T, vocabulary)
        return ops.take(self.log_probabilities, token, axis=0), state, None

    def teacher_forced(self, source, target_in):
        return ops.take(self.log_probabilities, target_in, axis=0), None


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
    log-probability (batch,) the model itself gave the tokens written: over the tokens a decoder may write
    (padding and <start> ruled out, as in greedy decoding), before the constraint rules out any more.
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
        log_p = ops.log_softmax(allowed(logits[:, -1]))  # (batch, vocabulary): the model's own distribution
        token_log_probability = ops.take_along_axis(log_p, next_token[:, None], axis=1)
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
