"""Batched decoding: chunks give what one pass gives, the compiled loops live and die with their model, bad input
is explained, and the encoder ignores extra right padding (which is what lets a batch mix lengths)."""

import gc
import weakref

import numpy as np
import pytest

import keras
from keras import ops
from course_utils.decoding import beam_search, greedy_decode
from course_utils.seq2seq import Seq2Seq
from course_utils.vocabulary import END_ID, START_ID, Vocabulary

SOURCE = Vocabulary(list("abcdefgh "))
TARGET = Vocabulary(list("xyz"))
TEXTS = ["abc", "hg fed", "a", "bead cafe", "ffff", "ch", "dab"]


def make_model(attention, seed=0):
    keras.utils.set_random_seed(seed)
    return Seq2Seq(SOURCE, TARGET, source_length=10, target_length=6, attention=attention, embedding_dim=8, units=8)


@pytest.mark.parametrize("attention", [None, "bahdanau", "general"], ids=str)
def test_decoding_in_chunks_equals_decoding_at_once(attention):
    model = make_model(attention)
    source = SOURCE.encode_batch(TEXTS, length=10)
    tokens, weights = greedy_decode(model, source)
    for batch_size in (1, 3):
        chunked_tokens, chunked_weights = greedy_decode(model, source, batch_size=batch_size)
        np.testing.assert_array_equal(chunked_tokens, tokens)
        if attention is None:
            assert weights is None and chunked_weights is None
        else:
            np.testing.assert_allclose(chunked_weights, weights, atol=1e-6)
    np.testing.assert_array_equal(beam_search(model, source, batch_size=2), beam_search(model, source))


def test_an_empty_input_array_is_explained():
    model = make_model("general")
    with pytest.raises(ValueError, match="source has no rows"):
        greedy_decode(model, np.zeros((0, 10), "int32"))
    with pytest.raises(ValueError, match="source has no rows"):
        beam_search(model, np.zeros((0, 10), "int32"))
    with pytest.raises(ValueError, match="batch_size must be a whole number"):
        greedy_decode(model, SOURCE.encode_batch(TEXTS, length=10), batch_size=0)


def test_compiled_decoding_lives_on_the_model_and_goes_with_it():
    model = make_model("bahdanau")
    source = SOURCE.encode_batch(TEXTS, length=10)
    greedy_decode(model, source)
    beam_search(model, source, beam_width=2)
    assert sorted(loop.__name__ for loop, *_ in model._decoding_functions) == ["beam_loop", "greedy_loop"]
    greedy_decode(model, source)  # the same graph again: no second entry
    assert len(model._decoding_functions) == 2
    alive = weakref.ref(model)
    del model
    gc.collect()
    assert alive() is None, "something (a module-level cache?) keeps a decoded model alive"


@pytest.mark.parametrize("attention", [None, "bahdanau", "general"], ids=str)
def test_extra_right_padding_leaves_the_encoder_unchanged(attention):
    model = make_model(attention)
    short = SOURCE.encode_batch(TEXTS, length=10)  # (7, 10)
    long = SOURCE.encode_batch(TEXTS, length=16)  # the same texts with 6 more padding positions
    assert (long[:, 10:] == 0).all() and (long[:, :10] == short).all()
    outputs, state, mask = (np.asarray(x) for x in model.encoder(short))
    long_outputs, long_state, long_mask = (np.asarray(x) for x in model.encoder(long))
    np.testing.assert_allclose(long_state, state, atol=1e-6)
    real = mask[..., None]  # outputs at real positions; what the encoder writes at padding is never attended to
    np.testing.assert_allclose(long_outputs[:, :10] * real, outputs * real, atol=1e-6)
    assert not long_mask[:, 10:].any()
    # and the decoding built on it: the same output for the same text, however far it is padded
    np.testing.assert_array_equal(greedy_decode(model, long)[0], greedy_decode(model, short)[0])


class MarkovModel:
    """A stand-in for a Seq2Seq model whose next-token probabilities depend on the previous token only:
    ``NEXT[previous][token]``. Its encoder output and state carry nothing; beam search needs only their shapes."""

    NEXT = {
        START_ID: {END_ID: 0.4, 3: 0.6},
        3: {4: 0.8, END_ID: 0.2},
        4: {5: 0.8, END_ID: 0.2},
        5: {END_ID: 0.9, 3: 0.1},
    }
    target_length = 4

    def __init__(self):
        probabilities = np.full((6, 6), 1e-12)  # ids: 0 padding, 1 <start>, 2 <end>, then tokens 3, 4, 5
        for previous, following in self.NEXT.items():
            for token, probability in following.items():
                probabilities[previous, token] = probability
        self.log_probabilities = ops.convert_to_tensor(np.log(probabilities), "float32")  # (previous, next)

    def encoder(self, source):
        batch = ops.shape(source)[0]
        return ops.zeros((batch, 1, 1)), ops.zeros((batch, 1)), ops.ones((batch, 1))

    def decoder(self, token, state, encoder_outputs, mask):
        return ops.take(self.log_probabilities, token[:, 0], axis=0)[:, None, :], state, None  # (batch, 1, 6)


def test_the_length_penalty_picks_the_longer_hypothesis_only_when_alpha_is_large_enough():
    """Width 2 keeps two finished hypotheses: <end> (p = 0.4, |Y| = 1) and 3 4 5 <end> (p = 0.6 · 0.8 · 0.8 · 0.9
    = 0.3456, |Y| = 4). Wu et al.'s lp(Y) = ((5 + |Y|) / 6) ** alpha is 1 for the short one and 1.5 ** alpha for the
    long one, so the long one wins when log 0.3456 / 1.5 ** alpha > log 0.4, i.e. alpha > 0.366."""
    short, long = [END_ID, 0, 0, 0], [3, 4, 5, END_ID]
    assert np.log(0.4) > np.log(0.3456) / 1.5**0.3 and np.log(0.3456) / 1.5**0.6 > np.log(0.4)  # the hand sums
    source = np.ones((2, 3), "int32")
    picks = {
        alpha: beam_search(MarkovModel(), source, beam_width=2, length_penalty=alpha) for alpha in (0, 0.3, 0.6, 1)
    }
    for alpha, expected in [(0, short), (0.3, short), (0.6, long), (1, long)]:
        np.testing.assert_array_equal(picks[alpha], [expected, expected], err_msg=f"alpha {alpha}")
    # width 1 is greedy: 3 (0.6) before <end> (0.4), whatever alpha
    np.testing.assert_array_equal(beam_search(MarkovModel(), source, beam_width=1, length_penalty=0), [long, long])
