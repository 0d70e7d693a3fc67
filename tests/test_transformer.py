"""The Transformer of lesson 09: parity with Keras' MultiHeadAttention, no leak from the future, what positional
encoding changes, shapes, the prefix-state decoding that course_utils.decoding runs, and clear errors."""

import keras
import numpy as np
import pytest
from keras import ops

from course_utils import dates
from course_utils.decoding import beam_search, greedy_decode
from course_utils.transformer import (
    Transformer,
    causal_mask,
    multi_head_attention_by_hand,
    positional_encoding,
    scaled_dot_product_attention,
    small_date_transformer,
)


def small_date_model(positional=True, seed=0):
    return small_date_transformer(seed, positional=positional)


def some_dates(count=6):
    splits = dates.make_splits(seed=0, train_size=count, test_size=count, ood_size=1)
    return dates.training_arrays(splits.train)


def test_scaled_dot_product_attention_is_the_formula():
    rng = np.random.default_rng(0)
    query, key, value = rng.normal(size=(2, 3, 4)), rng.normal(size=(2, 5, 4)), rng.normal(size=(2, 5, 6))
    context, weights = scaled_dot_product_attention(query, key, value)
    scores = query @ key.transpose(0, 2, 1) / 2.0  # √4
    expected = np.exp(scores) / np.exp(scores).sum(-1, keepdims=True)
    np.testing.assert_allclose(weights, expected, atol=1e-6)
    np.testing.assert_allclose(context, expected @ value, atol=1e-6)


def test_masked_keys_get_exactly_zero_weight():
    rng = np.random.default_rng(1)
    query, key = rng.normal(size=(1, 2, 4)).astype("float32"), rng.normal(size=(1, 3, 4)).astype("float32")
    mask = np.array([[[True, True, False], [True, False, False]]])
    _, weights = scaled_dot_product_attention(query, key, key, mask)
    weights = ops.convert_to_numpy(weights)
    assert weights[0, 0, 2] == 0.0 and (weights[0, 1, 1:] == 0.0).all() and weights[0, 1, 0] == pytest.approx(1.0)


def test_by_hand_multi_head_attention_matches_keras_on_the_same_weights():
    keras.utils.set_random_seed(0)
    layer = keras.layers.MultiHeadAttention(num_heads=4, key_dim=8)
    rng = np.random.default_rng(0)
    query, value = rng.normal(size=(3, 5, 32)).astype("float32"), rng.normal(size=(3, 7, 32)).astype("float32")
    mask = rng.random((3, 5, 7)) > 0.3
    mask[:, :, 0] = True  # every query has a key to look at
    keras_output, keras_weights = layer(query, value, attention_mask=mask, return_attention_scores=True)
    output, weights = multi_head_attention_by_hand(layer, query, value, mask)
    assert np.abs(ops.convert_to_numpy(output) - ops.convert_to_numpy(keras_output)).max() < 1e-5
    assert np.abs(ops.convert_to_numpy(weights) - ops.convert_to_numpy(keras_weights)).max() < 1e-6


def test_causal_mask_is_lower_triangular():
    mask = ops.convert_to_numpy(causal_mask(4))
    np.testing.assert_array_equal(mask, np.tril(np.ones((4, 4), bool)))


def test_the_future_cannot_leak_into_earlier_positions():
    model = small_date_model()
    (source, target_in), _ = some_dates()
    logits = ops.convert_to_numpy(model((source, target_in)))
    changed = target_in.copy()
    changed[:, 5:] = np.random.default_rng(0).integers(3, len(model.target_vocabulary), size=changed[:, 5:].shape)
    changed_logits = ops.convert_to_numpy(model((source, changed)))
    assert np.abs(changed_logits[:, :5] - logits[:, :5]).max() < 1e-5  # positions 0..4 did not see 5..
    assert np.abs(changed_logits[:, 5:] - logits[:, 5:]).max() > 1e-3  # and later ones did change


def test_decoding_step_by_step_from_the_prefix_state_equals_teacher_forcing():
    model = small_date_model()
    (source, target_in), _ = some_dates()
    teacher_forced = ops.convert_to_numpy(model((source, target_in)))
    encoder_outputs, state, mask = model.encoder(source)
    assert tuple(state.shape) == (len(source), 0)
    steps = []
    for t in range(target_in.shape[1]):
        logits, state, weights = model.decoder(target_in[:, t : t + 1], state, encoder_outputs, mask)
        steps.append(ops.convert_to_numpy(logits)[:, 0])
    assert tuple(state.shape) == target_in.shape and tuple(weights.shape) == (len(source), 1, source.shape[1])
    assert np.abs(np.stack(steps, axis=1) - teacher_forced).max() < 1e-4


def test_positional_encoding_values_and_shape():
    encoding = positional_encoding(50, 16)
    assert encoding.shape == (50, 16)
    np.testing.assert_allclose(encoding[0], [0, 1] * 8)
    np.testing.assert_allclose(encoding[3, 0], np.sin(3.0), rtol=1e-6)
    np.testing.assert_allclose(encoding[3, 3], np.cos(3.0 / 10000 ** (2 / 16)), rtol=1e-6)
    assert len({row.tobytes() for row in encoding}) == 50  # every position has its own code


@pytest.mark.parametrize("positional", [False, True])
def test_without_positions_the_encoder_cannot_tell_an_order_from_its_permutation(positional):
    model = small_date_model(positional=positional)
    source_vocabulary, _ = dates.vocabularies()
    text = "July 20th 1969"
    source = source_vocabulary.encode_batch([text], length=dates.SOURCE_LENGTH)
    order = np.random.default_rng(0).permutation(len(text))
    shuffled = source.copy()
    shuffled[0, : len(text)] = source[0, order]
    outputs = ops.convert_to_numpy(model.encoder(source)[0])[0, : len(text)]
    shuffled_outputs = ops.convert_to_numpy(model.encoder(shuffled)[0])[0, : len(text)]
    difference = np.abs(shuffled_outputs - outputs[order]).max()  # the same vectors, moved with their tokens?
    if positional:
        assert difference > 1e-2
    else:
        assert difference < 1e-5


@pytest.fixture(scope="module")
def decoded_date_transformer():
    """``small_date_model()`` (seed 0), for the tests that decode it and change nothing: the graph of its greedy
    decoding (course_utils.decoding.compiled_loop, kept on the model) is traced once for them."""
    return small_date_model()


def test_greedy_and_beam_decoding_run_the_transformer_unchanged(decoded_date_transformer):
    model = decoded_date_transformer
    (source, _), _ = some_dates()
    tokens, weights = greedy_decode(model, source)
    assert tokens.shape == (len(source), dates.TARGET_LENGTH)
    assert weights.shape == (len(source), dates.TARGET_LENGTH, dates.SOURCE_LENGTH)
    real = source != 0
    np.testing.assert_allclose(weights.sum(-1)[weights.sum(-1) > 0], 1.0, atol=1e-5)
    assert (weights[:, :, ~real[0]][0] == 0).all()  # no weight on padding
    assert beam_search(model, source, beam_width=2).shape == tokens.shape


def test_attention_maps_have_every_head():
    model = small_date_model()
    (source, target_in), _ = some_dates(2)
    maps = model.attention_maps(source, target_in)
    assert [m.shape for m in maps["encoder"]] == [(2, 2, dates.SOURCE_LENGTH, dates.SOURCE_LENGTH)] * 2
    assert [m.shape for m in maps["cross"]] == [(2, 2, dates.TARGET_LENGTH, dates.SOURCE_LENGTH)] * 2


@pytest.mark.filterwarnings("ignore:.*unbuilt state:UserWarning")  # Keras' note on the failed call, then the error
def test_bad_settings_and_too_long_inputs_get_clear_errors():
    source_vocabulary, target_vocabulary = dates.vocabularies()
    with pytest.raises(ValueError, match="divide d_model"):
        Transformer(source_vocabulary, target_vocabulary, source_length=8, target_length=4, d_model=30, heads=4)
    with pytest.raises(ValueError, match="at least 1"):
        Transformer(source_vocabulary, target_vocabulary, source_length=8, target_length=4, layers=0)
    model = small_date_model()
    with pytest.raises(ValueError, match="positional encoding was built for at most"):
        model((np.ones((1, dates.SOURCE_LENGTH + 5), "int32"), np.ones((1, 3), "int32")))


def test_a_saved_transformer_loads_with_the_same_weights_and_outputs(tmp_path, decoded_date_transformer):
    """`make models` saves lesson 09's French -> English Transformer as .keras: the round trip must be exact."""
    model = decoded_date_transformer
    source = dates.vocabularies()[0].encode_batch(["July 20th 1969", "20.07.69"], length=dates.SOURCE_LENGTH)
    model((source, np.ones((2, dates.TARGET_LENGTH), "int32")))  # build, as pretrained.without_optimizer does
    tokens, weights = greedy_decode(model, source)
    model.save(tmp_path / "transformer.keras")
    loaded = keras.models.load_model(tmp_path / "transformer.keras")
    assert type(loaded) is Transformer and loaded.get_config() == model.get_config()
    assert loaded.target_vocabulary.tokens == model.target_vocabulary.tokens
    loaded_tokens, loaded_weights = greedy_decode(loaded, source)
    np.testing.assert_array_equal(loaded_tokens, tokens)
    np.testing.assert_allclose(loaded_weights, weights, atol=1e-6)
    assert all(np.array_equal(a, b) for a, b in zip(loaded.get_weights(), model.get_weights()))


def test_warmup_schedule_rises_then_falls_as_the_paper_says():
    from course_utils.transformer import WarmupSchedule

    schedule = WarmupSchedule(64, 100)
    rates = np.array([float(schedule(step)) for step in range(400)])  # Keras' step 0 is the formula's step 1
    assert rates.argmax() == 99 and rates.max() == pytest.approx(64**-0.5 * 100**-0.5)
    assert rates[399] == pytest.approx(64**-0.5 * 400**-0.5)
    assert WarmupSchedule.from_config(schedule.get_config()).warmup_steps == 100


def test_warmup_record_holds_both_schedules_for_the_same_seeds_and_model():
    """Lesson 09 compares the two schedules of benchmarks/recorded/transformer_warmup.json seed by seed."""
    from course_utils import date_models
    from course_utils.recorded import recorded_benchmark

    record = recorded_benchmark("transformer_warmup")
    assert sorted(record["runs"]) == sorted(record["cosine_runs"]) == ["0", "1", "2"]
    runs = [*record["runs"].values(), *record["cosine_runs"].values()]
    assert all(len(run["score"]) == len(run["loss"]) == date_models.EPOCHS for run in runs)
    assert len({run["parameters"] for run in runs}) == 1, "the same model on both sides"


def test_cached_greedy_decoding_writes_the_same_tokens_with_fewer_positions():
    from course_utils.exercises import lesson09
    from course_utils.transformer_cache import greedy_positions

    model = small_date_model(seed=3)
    source = model.source_vocabulary.encode_batch(
        ["20.07.69", "July 20th 1969", "1969/7/20"], length=dates.SOURCE_LENGTH
    )
    steps = model.target_length
    tokens, positions = greedy_positions(model, source, steps, attend=lesson09.self_attention_with_cache)
    plain, plain_positions = greedy_positions(model, source, steps)
    np.testing.assert_array_equal(np.asarray(tokens), greedy_decode(model, source)[0])
    np.testing.assert_array_equal(np.asarray(plain), np.asarray(tokens))
    assert positions == steps and plain_positions == steps * (steps + 1) // 2


def test_architecture_figure_draws_the_models_sizes():
    import matplotlib

    matplotlib.use("Agg")
    from course_utils.transformer_figure import plot_transformer_architecture

    model = small_date_model()
    figure = plot_transformer_architecture(model)
    texts = " ".join(text.get_text() for ax in figure.axes for text in ax.texts)
    assert "2 heads × 8" in texts and "feed-forward 16 → 32 → 16" in texts
    matplotlib.pyplot.close(figure)
