"""Seq2seq models and batched greedy decoding: decoding is the model run on its own prefix, weights included."""

import numpy as np
import pytest

import keras
from course_utils.decoding import END_ID, PAD_ID, allowed, greedy_decode, tokens_of, translate
from course_utils.seq2seq import (
    ATTENTION_KINDS,
    InputFeedingDecoder,
    LuongDecoder,
    compile_seq2seq,
    decoder_kind,
    teacher_forcing_arrays,
)


@pytest.mark.parametrize("attention", ATTENTION_KINDS, ids=str)
def test_teacher_forced_shapes(attention, shared_toy_model, toy_target):
    model, source = shared_toy_model(attention)
    logits, weights = model.teacher_forced(source, np.ones((4, 6), "int32"))
    assert logits.shape == (4, 6, len(toy_target))
    if attention is None:
        assert weights is None
    else:
        assert weights.shape == (4, 6, 10)
        np.testing.assert_allclose(np.asarray(weights).sum(-1), 1.0, atol=1e-5)
        assert (np.asarray(weights)[source[:, None, :].repeat(6, 1) == 0] == 0).all()


DECODERS = [(kind, False) for kind in ATTENTION_KINDS] + [("general", True), ("dot", True)]
DECODER_IDS = [f"{kind}{'+feeding' if feeding else ''}" for kind, feeding in DECODERS]


@pytest.mark.parametrize("attention, input_feeding", DECODERS, ids=DECODER_IDS)
def test_greedy_decoding_is_the_model_fed_its_own_prefix(attention, input_feeding, shared_toy_model):
    model, source = shared_toy_model(attention, input_feeding=input_feeding)
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


def test_decoding_stops_at_end_pads_after_it_and_zeroes_weights(built_toy_model, toy_target):
    model, source = built_toy_model("general")
    bias = model.decoder.output_layer.bias.numpy()
    bias[END_ID] = 100.0  # make <end> the only sensible first token
    model.decoder.output_layer.bias.assign(bias)
    tokens, weights = greedy_decode(model, source, max_length=5)
    assert (tokens[:, 0] == END_ID).all() and (tokens[:, 1:] == PAD_ID).all()
    assert (weights[:, 1:] == 0).all() and np.allclose(weights[:, 0].sum(-1), 1.0)
    assert tokens_of(toy_target, tokens[0]) == ["<end>"]


def test_decoding_caps_the_length(built_toy_model):
    model, source = built_toy_model("bahdanau")
    bias = model.decoder.output_layer.bias.numpy()
    bias[END_ID] = -100.0  # never stop
    model.decoder.output_layer.bias.assign(bias)
    tokens, weights = greedy_decode(model, source, max_length=4)
    assert tokens.shape == (4, 4) and (tokens != PAD_ID).all() and weights.shape == (4, 4, 10)


def test_decoding_refuses_text_or_floats(shared_toy_model):
    model, _ = shared_toy_model(None)
    with pytest.raises(ValueError, match="2-D array of token ids"):
        greedy_decode(model, np.zeros((3, 4), "float32"))
    with pytest.raises(ValueError, match="2-D array"):
        greedy_decode(model, np.zeros(4, "int32"))


def test_a_model_learns_to_copy_and_translate_returns_text(toy_model, toy_source, toy_target):
    """End to end on a toy task (reverse a, b, c letters into x, y, z): training works and decoding reads it."""
    model = toy_model("general", source_length=6, units=16)
    rng = np.random.default_rng(0)
    letters = ["".join(rng.choice(list("abc"), size=rng.integers(1, 6))) for _ in range(1500)]
    targets = [word[::-1].translate(str.maketrans("abc", "xyz")) for word in letters]
    inputs, target_out = teacher_forcing_arrays(
        letters, targets, toy_source, toy_target, source_length=6, target_length=6
    )
    compile_seq2seq(model, learning_rate=1e-2)
    model.fit(inputs, target_out, epochs=8, batch_size=32, verbose=0)
    assert translate(model, ["abc", "cab", "aab"]) == ["zyx", "yxz", "yxx"]


@pytest.mark.parametrize(
    "attention, input_feeding, kind",
    [
        (None, False, "no attention"),
        ("bahdanau", False, "bahdanau"),
        ("dot", False, "luong"),
        ("dot", True, "input feeding"),
    ],
)
def test_decoder_kind_names_every_decoder_and_a_lessons_copy_of_it(toy_model, attention, input_feeding, kind):
    decoder = toy_model(attention, input_feeding=input_feeding).decoder
    assert decoder_kind(decoder) == kind
    lessons_copy = type(type(decoder).__name__, (keras.layers.Layer,), {})()  # a class of that name in a notebook
    assert decoder_kind(lessons_copy) == kind
    with pytest.raises(TypeError, match="none of the course's decoders"):
        decoder_kind(keras.layers.GRU(4))


def test_a_subclass_of_a_decoder_is_its_kind_for_the_model_the_figure_and_intervention(toy_model, toy_target):
    """One decision: the model, plotting and intervention all take a derived Luong decoder for a Luong decoder."""
    from course_utils.intervention import intervened_decode
    from course_utils.plotting import seq2seq_sizes

    class WiderLuongDecoder(LuongDecoder):
        pass

    model = toy_model("general", decoder=WiderLuongDecoder(len(toy_target), 8, 16, score="general"))
    assert (model.attention_kind, model.input_feeding) == ("general", False)
    assert (seq2seq_sizes(model)["attention"], seq2seq_sizes(model)["input feeding"]) == ("luong", False)
    tokens, weights = intervened_decode(model, np.ones((2, 10), "int32"), {})
    assert tokens.shape == (2, 6) and weights.shape == (2, 6, 10)


def test_a_lessons_own_loop_of_the_same_name_gets_its_own_graph(built_toy_model):
    """compiled_loop keys its graphs by the function: a lesson's greedy_loop is not served the package's."""
    import tensorflow as tf

    from course_utils import decoding

    model, source = built_toy_model("general")
    package = decoding.compiled_loop(model, decoding.greedy_loop, 6)

    def greedy_loop(model, source, max_length):  # the package's name, another result
        tokens, weights = decoding.greedy_loop(model, source, max_length)
        return tokens + 1, weights

    own = decoding.compiled_loop(model, greedy_loop, 6)
    assert own is not package and decoding.compiled_loop(model, greedy_loop, 6) is own
    ids = tf.constant(source, dtype="int32")
    np.testing.assert_array_equal(own(ids)[0].numpy(), package(ids)[0].numpy() + 1)


def test_teacher_forcing_arrays_shift_the_target_by_one(toy_source, toy_target):
    (source, target_in), target_out = teacher_forcing_arrays(
        ["ab"], ["xyz"], toy_source, toy_target, source_length=4, target_length=5
    )
    assert source.tolist() == [[3, 4, 0, 0]]  # ids 0, 1, 2 are padding, <start>, <end>; 'a' is 3
    assert target_in.tolist() == [[1, 3, 4, 5, 0]] and target_out.tolist() == [[3, 4, 5, 2, 0]]


def test_input_feeding_feeds_the_previous_attentional_state(built_toy_model):
    """Step 1 does not depend on the h̃ columns of the GRU's input kernel (h̃_0 = 0); later steps do."""
    model, source = built_toy_model("general", input_feeding=True)
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


def test_input_feeding_needs_a_luong_score(toy_model):
    with pytest.raises(ValueError, match="input_feeding is part of Luong's decoder"):
        toy_model("bahdanau", input_feeding=True)


def test_unknown_attention_kind_is_refused(toy_model):
    with pytest.raises(ValueError, match="attention must be one of"):
        toy_model("luong")


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
def test_beam_of_width_one_is_greedy(attention, input_feeding, shared_toy_model):
    model, source = shared_toy_model(attention, input_feeding=input_feeding)
    from course_utils.decoding import beam_search

    greedy, _ = greedy_decode(model, source, max_length=6)
    np.testing.assert_array_equal(beam_search(model, source, beam_width=1, max_length=6, length_penalty=0.0), greedy)


def test_wider_beam_finds_outputs_at_least_as_probable_as_greedy(built_toy_model, toy_target):
    from course_utils.decoding import beam_search

    model, source = built_toy_model("general", seed=3)
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
    assert (beam[:, 0] != PAD_ID).all() and set(np.unique(beam)) <= set(range(len(toy_target)))


def test_beam_search_refuses_a_bad_width(shared_toy_model):
    from course_utils.decoding import beam_search

    model, source = shared_toy_model(None)
    with pytest.raises(ValueError, match="beam_width"):
        beam_search(model, source, beam_width=0)


@pytest.mark.parametrize("attention, input_feeding", [("general", False), ("general", True)], ids=str)
def test_sequence_log_probabilities_match_a_step_by_step_sum(attention, input_feeding, shared_toy_model):
    from course_utils.decoding import sequence_log_probabilities

    model, source = shared_toy_model(attention, seed=3, input_feeding=input_feeding)
    greedy, _ = greedy_decode(model, source, max_length=6)
    np.testing.assert_allclose(
        sequence_log_probabilities(model, source, greedy), sequence_log_probability(model, source, greedy), atol=1e-4
    )
    with pytest.raises(ValueError, match="as many rows"):
        sequence_log_probabilities(model, source[:2], greedy)


def test_beam_steps_end_with_what_beam_search_finds_and_real_log_probabilities(built_toy_model):
    from course_utils.decoding import beam_search, beam_steps, best_of_steps, sequence_log_probabilities

    model, source = built_toy_model("general", seed=3)
    bias = model.decoder.output_layer.bias.numpy()
    bias[END_ID] = 1.0
    model.decoder.output_layer.bias.assign(bias)
    batched = beam_search(model, source, beam_width=3, max_length=6, length_penalty=0.0)
    for row in range(len(source)):
        steps = beam_steps(model, source[row], beam_width=3, max_length=6)
        step, index = best_of_steps(steps)
        best = steps[step][index]
        tokens = np.zeros((1, 6), "int32")
        tokens[0, : len(best["tokens"])] = best["tokens"]
        np.testing.assert_array_equal(tokens[0], batched[row])
        score = sequence_log_probabilities(model, source[row : row + 1], tokens)[0]
        assert abs(score - best["log_probability"]) < 1e-4
        for previous, now in zip(steps, steps[1:]):  # each extends a live hypothesis; finished ones extend nothing
            live = [beam for beam in previous if not beam["finished"]]
            assert all(0 <= beam["parent"] < len(live) for beam in now)
        assert all(sum(not beam["finished"] for beam in beams) == 3 for beams in steps)  # always 3 live ones
