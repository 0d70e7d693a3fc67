"""Seq2seq models and batched greedy decoding: decoding is the model run on its own prefix, weights included."""

import numpy as np
import pytest

import keras
from course_utils.decoding import END_ID, PAD_ID, allowed, greedy_decode, tokens_of, translate
from course_utils.seq2seq import ATTENTION_KINDS, InputFeedingDecoder, Seq2Seq, compile_seq2seq, teacher_forcing_arrays
from course_utils.vocabulary import Vocabulary

SOURCE = Vocabulary(list("abcdefgh "))
TARGET = Vocabulary(list("xyz"))
TEXTS = ["abc", "hg fed", "a", "bead cafe"]


def make_model(attention, seed=0, input_feeding=False):
    keras.utils.set_random_seed(seed)
    model = Seq2Seq(
        SOURCE,
        TARGET,
        source_length=10,
        target_length=6,
        attention=attention,
        embedding_dim=8,
        units=8,
        input_feeding=input_feeding,
    )
    source = SOURCE.encode_batch(TEXTS, length=10)
    model((source, np.ones((len(TEXTS), 6), "int32")))  # build
    return model, source


@pytest.mark.parametrize("attention", ATTENTION_KINDS, ids=str)
def test_teacher_forced_shapes(attention):
    model, source = make_model(attention)
    logits, weights = model.teacher_forced(source, np.ones((4, 6), "int32"))
    assert logits.shape == (4, 6, len(TARGET))
    if attention is None:
        assert weights is None
    else:
        assert weights.shape == (4, 6, 10)
        np.testing.assert_allclose(np.asarray(weights).sum(-1), 1.0, atol=1e-5)
        assert (np.asarray(weights)[source[:, None, :].repeat(6, 1) == 0] == 0).all()


DECODERS = [(kind, False) for kind in ATTENTION_KINDS] + [("general", True), ("dot", True)]
DECODER_IDS = [f"{kind}{'+feeding' if feeding else ''}" for kind, feeding in DECODERS]


@pytest.mark.parametrize("attention, input_feeding", DECODERS, ids=DECODER_IDS)
def test_greedy_decoding_is_the_model_fed_its_own_prefix(attention, input_feeding):
    model, source = make_model(attention, input_feeding=input_feeding)
    tokens, weights = greedy_decode(model, source, max_length=6)
    assert tokens.shape == (4, 6)
    prefix = np.concatenate([np.full((4, 1), 1), tokens[:, :-1]], axis=1)  # <start> + own predictions
    logits, forced_weights = model.teacher_forced(source, prefix)
    expected = np.asarray(allowed(logits)).argmax(-1)
    for row in range(4):
        length = next((i + 1 for i, t in enumerate(tokens[row]) if t == END_ID), 6)
        np.testing.assert_array_equal(tokens[row, :length], expected[row, :length])
        if attention is not None:  # the weights of the same pass as the prediction
            np.testing.assert_allclose(weights[row, :length], np.asarray(forced_weights)[row, :length], atol=1e-5)


def test_decoding_stops_at_end_pads_after_it_and_zeroes_weights():
    model, source = make_model("general")
    bias = model.decoder.output_layer.bias.numpy()
    bias[END_ID] = 100.0  # make <end> the only sensible first token
    model.decoder.output_layer.bias.assign(bias)
    tokens, weights = greedy_decode(model, source, max_length=5)
    assert (tokens[:, 0] == END_ID).all() and (tokens[:, 1:] == PAD_ID).all()
    assert (weights[:, 1:] == 0).all() and np.allclose(weights[:, 0].sum(-1), 1.0)
    assert tokens_of(TARGET, tokens[0]) == ["<end>"]


def test_decoding_caps_the_length():
    model, source = make_model("bahdanau")
    bias = model.decoder.output_layer.bias.numpy()
    bias[END_ID] = -100.0  # never stop
    model.decoder.output_layer.bias.assign(bias)
    tokens, weights = greedy_decode(model, source, max_length=4)
    assert tokens.shape == (4, 4) and (tokens != PAD_ID).all() and weights.shape == (4, 4, 10)


def test_decoding_refuses_text_or_floats():
    model, _ = make_model(None)
    with pytest.raises(ValueError, match="2-D array of token ids"):
        greedy_decode(model, np.zeros((3, 4), "float32"))
    with pytest.raises(ValueError, match="2-D array"):
        greedy_decode(model, np.zeros(4, "int32"))


def test_a_model_learns_to_copy_and_translate_returns_text():
    """End to end on a toy task (reverse a, b, c letters into x, y, z): training works and decoding reads it."""
    keras.utils.set_random_seed(0)
    rng = np.random.default_rng(0)
    letters = ["".join(rng.choice(list("abc"), size=rng.integers(1, 6))) for _ in range(1500)]
    targets = [word[::-1].translate(str.maketrans("abc", "xyz")) for word in letters]
    model = Seq2Seq(SOURCE, TARGET, source_length=6, target_length=6, attention="general", embedding_dim=8, units=16)
    inputs, target_out = teacher_forcing_arrays(letters, targets, SOURCE, TARGET, source_length=6, target_length=6)
    compile_seq2seq(model, learning_rate=1e-2)
    model.fit(inputs, target_out, epochs=8, batch_size=32, verbose=0)
    assert translate(model, ["abc", "cab", "aab"]) == ["zyx", "yxz", "yxx"]


def test_teacher_forcing_arrays_shift_the_target_by_one():
    (source, target_in), target_out = teacher_forcing_arrays(
        ["ab"], ["xyz"], SOURCE, TARGET, source_length=4, target_length=5
    )
    assert source.tolist() == [[3, 4, 0, 0]]  # ids 0, 1, 2 are padding, <start>, <end>; 'a' is 3
    assert target_in.tolist() == [[1, 3, 4, 5, 0]] and target_out.tolist() == [[3, 4, 5, 2, 0]]


def test_input_feeding_feeds_the_previous_attentional_state():
    """Step 1 does not depend on the h̃ columns of the GRU's input kernel (h̃_0 = 0); later steps do."""
    model, source = make_model("general", input_feeding=True)
    decoder = model.decoder
    assert isinstance(decoder, InputFeedingDecoder)
    target_in = np.ones((4, 6), "int32")
    before = np.asarray(model.teacher_forced(source, target_in)[0])
    kernel = decoder.cell.kernel.numpy()  # (embedding_dim + units, 3 * units): rows for [y_{t-1}; h̃_{t-1}]
    kernel[decoder.embedding_dim :] = 0.0  # cut the input feeding
    decoder.cell.kernel.assign(kernel)
    after = np.asarray(model.teacher_forced(source, target_in)[0])
    np.testing.assert_allclose(before[:, 0], after[:, 0], atol=1e-6)
    assert np.abs(before[:, 1:] - after[:, 1:]).max() > 1e-3
    assert kernel.shape == (8 + 16, 3 * 16)


def test_input_feeding_needs_a_luong_score():
    with pytest.raises(ValueError, match="input_feeding is part of Luong's decoder"):
        Seq2Seq(SOURCE, TARGET, source_length=4, target_length=4, attention="bahdanau", input_feeding=True)


def test_unknown_attention_kind_is_refused():
    with pytest.raises(ValueError, match="attention must be one of"):
        Seq2Seq(SOURCE, TARGET, source_length=4, target_length=4, attention="luong")


def sequence_log_probability(model, source, tokens):
    """log p(tokens | source) under teacher forcing, up to and including <end>."""
    prefix = np.concatenate([np.full((len(tokens), 1), 1), tokens[:, :-1]], axis=1)
    logits, _ = model.teacher_forced(source, np.where(prefix == END_ID, PAD_ID, prefix))
    log_p = np.asarray(keras.ops.log_softmax(allowed(logits), axis=-1))
    total = []
    for row in range(len(tokens)):
        length = next((i + 1 for i, t in enumerate(tokens[row]) if t == END_ID), tokens.shape[1])
        total.append(sum(log_p[row, i, tokens[row, i]] for i in range(length)))
    return np.array(total)


@pytest.mark.parametrize(
    "attention, input_feeding", [(None, False), ("general", False), ("bahdanau", False), ("general", True)], ids=str
)
def test_beam_of_width_one_is_greedy(attention, input_feeding):
    model, source = make_model(attention, input_feeding=input_feeding)
    from course_utils.decoding import beam_search

    greedy, _ = greedy_decode(model, source, max_length=6)
    np.testing.assert_array_equal(beam_search(model, source, beam_width=1, max_length=6, length_penalty=0.0), greedy)


def test_wider_beam_finds_outputs_at_least_as_probable_as_greedy():
    from course_utils.decoding import beam_search

    model, source = make_model("general", seed=3)
    bias = model.decoder.output_layer.bias.numpy()
    bias[END_ID] = 1.0  # let outputs end at different lengths
    model.decoder.output_layer.bias.assign(bias)
    greedy, _ = greedy_decode(model, source, max_length=6)
    beam = beam_search(model, source, beam_width=5, max_length=6, length_penalty=0.0)
    greedy_score, beam_score = (
        sequence_log_probability(model, source, greedy),
        sequence_log_probability(model, source, beam),
    )
    assert (beam_score >= greedy_score - 1e-4).all()
    assert (beam[:, 0] != PAD_ID).all() and set(np.unique(beam)) <= set(range(len(TARGET)))


def test_beam_search_refuses_a_bad_width():
    from course_utils.decoding import beam_search

    model, source = make_model(None)
    with pytest.raises(ValueError, match="beam_width"):
        beam_search(model, source, beam_width=0)
