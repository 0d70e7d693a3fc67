"""intervened_decode: without replacements it is greedy decoding; replacements are the weights actually used."""

import numpy as np
import pytest

from course_utils import dates
from course_utils.decoding import greedy_decode
from course_utils.intervention import intervened_decode, permuted_within, spread_over


@pytest.fixture(scope="module")
def source():
    vocabulary, _ = dates.vocabularies()
    return vocabulary.encode_batch(
        ["July 20th 1969", "1969년 7월 20일", "20.07.69", "the 20th of July, 1969"], length=dates.SOURCE_LENGTH
    )


DECODERS = {  # every decoder with attention: its settings
    "bahdanau": {"attention": "bahdanau"},
    **{f"luong {score}": {"attention": score} for score in ("dot", "general", "concat")},
    "input feeding": {"attention": "general", "input_feeding": True},
}


@pytest.mark.parametrize("decoder", DECODERS)
def test_no_replacement_is_greedy_decoding(decoder, source, small_date_model):
    model = small_date_model(**DECODERS[decoder])
    tokens, weights = intervened_decode(model, source, {})
    expected_tokens, expected_weights = greedy_decode(model, source)
    np.testing.assert_array_equal(tokens, expected_tokens)
    np.testing.assert_allclose(weights, expected_weights, atol=1e-5)


@pytest.mark.parametrize("decoder", ["bahdanau", "luong general", "input feeding"])
def test_replaced_steps_use_the_new_weights_and_earlier_steps_are_untouched(decoder, source, small_date_model):
    model = small_date_model(**DECODERS[decoder])
    first = np.zeros(source.shape, bool)
    first[:, 0] = True  # all the weight on the first character
    before, _ = intervened_decode(model, source, {})
    tokens, weights = intervened_decode(model, source, {3: spread_over(first)})
    np.testing.assert_array_equal(tokens[:, :3], before[:, :3])
    alive = tokens[:, 2] != 0  # rows not finished before step 3
    np.testing.assert_allclose(weights[alive, 3], first[alive].astype(float))


def test_permutation_keeps_each_rows_weights_and_real_positions():
    weights = np.array([[0.5, 0.3, 0.2, 0.0], [0.9, 0.1, 0.0, 0.0]], dtype="float32")
    shuffled = np.asarray(permuted_within([3, 2], seed=1)(weights))
    np.testing.assert_allclose(np.sort(shuffled, axis=1), np.sort(weights, axis=1))
    assert (shuffled[0, 3] == 0) and (shuffled[1, 2:] == 0).all()


def test_clear_errors(small_date_model):
    with pytest.raises(ValueError, match="at least one position"):
        spread_over(np.array([[True, False], [False, False]]))
    with pytest.raises(TypeError, match=r"a Decoder \(no attention\) has none: it needs a Bahdanau, Luong or input-f"):
        intervened_decode(small_date_model(None), np.ones((1, 4), "int32"), {})


@pytest.mark.parametrize("attention", ["bahdanau", "general"])
def test_uniform_attention_weighs_every_real_character_alike(attention, source, small_date_model):
    from course_utils.intervention import UniformAttention

    model = small_date_model(attention)
    model.decoder.attention = UniformAttention()  # before the first call, as benchmarks/uniform_attention.py does
    _, weights = greedy_decode(model, source)  # (4, T_out, T_in)
    real = (source != 0).astype("float32")
    expected = real / real.sum(axis=1, keepdims=True)  # (4, T_in)
    alive = weights.sum(axis=-1) > 0  # the steps before each row finished
    np.testing.assert_allclose(weights[alive], np.repeat(expected[:, None], weights.shape[1], 1)[alive], atol=1e-6)
    assert not model.decoder.attention.trainable_weights


def test_uniform_attention_refuses_values_without_a_time_axis():
    from course_utils.intervention import UniformAttention

    with pytest.raises(ValueError, match="values must be"):
        UniformAttention()(np.zeros((2, 4), "float32"), np.zeros((2, 4), "float32"))
