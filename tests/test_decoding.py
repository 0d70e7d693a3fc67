"""Batched decoding: chunks give what one pass gives, the compiled loops live and die with their model, bad input
is explained, and the encoder ignores extra right padding (which is what lets a batch mix lengths)."""

import gc
import weakref

import numpy as np
import pytest

import keras
from course_utils.decoding import beam_search, greedy_decode
from course_utils.seq2seq import Seq2Seq
from course_utils.vocabulary import Vocabulary

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
    assert sorted(name for name, *_ in model._decoding_functions) == ["beam_loop", "greedy_loop"]
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
