"""Each exercise's reference solution against an oracle that shares no code with it.

Some checks build their expected value with the lesson's reference solution (it measures the learner's own model,
or the answer is a whole table). Such a check accepts the reference whatever it computes, so a wrong reference
would reject right answers unseen. The tests here compare those references, and the two whose check repeats the
reference's formula, with a hand-computed case or with a package function that computes the same thing another
way. For every other check, the check itself compares with an oracle (Keras, sacrebleu, the package, or a case
written out), and test_exercises.py's "accepts the solution" test is its oracle test. ``ORACLES`` lists them all.
"""

import numpy as np
import pytest

import keras
from course_utils import dates, exercises
from course_utils.exercises import lesson01, lesson02, lesson03, lesson04, lesson05, lesson07, lesson08, lesson09
from course_utils.vocabulary import END_ID, START_ID

IN_THE_CHECK = "in the check (test_exercises.py: test_check_accepts_the_solution)"
ORACLES = {  # check -> where its reference solution meets an oracle that shares no code with it
    "check_scaled_recurrence": "test_scaled_recurrence_multiplies_only_the_recurrent_kernel",
    "check_novel_share": "test_novel_share_on_a_hand_counted_sample",
    "check_temperature": f"rows ** (1 / T), renormalised, {IN_THE_CHECK}",
    "check_last_real_state": f"the final state of a masked keras GRU, {IN_THE_CHECK}",
    "check_decoder_input": f"seq2seq_data.teacher_forcing_arrays, {IN_THE_CHECK}",
    "check_clipped_precision": f"sacrebleu's own n-gram counts (BLEU.corpus_score: counts, totals), {IN_THE_CHECK}",
    "check_length_and_brevity": "test_length_and_brevity_equals_sacrebleus_lengths_by_hand "
    "(test_lesson06_exercises.py)",
    "check_naive_accuracy": "test_naive_accuracy_counts_every_position_padding_included",
    "check_reverse_source": f"rows reversed by hand, {IN_THE_CHECK}",
    "check_copy_exact_match": "test_copy_exact_match_equals_translate_on_reversed_strings",
    "check_cascade_ratio": "test_cascade_ratio_on_a_hand_computed_case",
    "check_schedule": f"the inverse sigmoid decay written out in numpy, {IN_THE_CHECK}",
    "check_schedule_effect": "teacher_forcing_harness.error_cascade on the models' own greedy outputs "
    "(test_teacher_forcing.py)",
    "check_accuracy_drop": "test_accuracy_drop_of_a_model_that_copies_its_input",
    "check_hard_attention_bleu": "test_hard_attention_bleu_equals_decoding_with_a_hard_attention_layer",
    "check_last_word_bleu": "test_last_word_bleu_equals_decoding_with_a_last_word_attention_layer",
    "check_masked_softmax": f"attention.masked_softmax (Keras), {IN_THE_CHECK}",
    "check_bahdanau_parameter_count": f"BahdanauAttention.count_params, {IN_THE_CHECK}",
    "check_luong_scores": f"LuongAttention's own W_a layer and weights, {IN_THE_CHECK}",
    "check_attentional_state": f"a keras Dense(tanh) layer, {IN_THE_CHECK}",
    "check_padding_weight": "test_padding_weight_by_hand_and_in_numpy",
    "check_saturated_share": "test_saturated_share_equals_what_the_forward_pass_feeds_the_activation",
    "check_beam_settings": "decoding.beam_search and greedy_decode measured on the saved model "
    "(test_attention_exercises.py)",
    "check_ordinal": f"a separate rule for 11-13 (day in (11, 12, 13)), {IN_THE_CHECK}",
    "check_two_digit_year": f"a search of 1950-2049, {IN_THE_CHECK}",
    "check_field_errors": f"a hand-computed case, {IN_THE_CHECK}",
    "check_allowed_after": "test_allowed_after_equals_the_trie_of_every_date",
    "check_decoder_without_previous_output": "test_decoder_without_previous_output_by_hand",
    "check_flag_quality": f"counting flags and errors one answer at a time, {IN_THE_CHECK}",
    "check_looks_like_softmax": f"hand-labelled cases, {IN_THE_CHECK}",
    "check_on_field": "test_on_field_equals_spreading_with_intervention",
    "check_changed_share": "test_changed_share_equals_decoding_with_constant_scores",
    "check_attention_weights": "test_attention_weights_equal_the_transformers_scaled_dot_product_attention",
    "check_permutation_gap": "test_permutation_gap_of_encoders_whose_gap_is_known",
    "check_head_alignment": "test_head_alignment_on_hand_computed_heads",
    "check_key_value_cache": "test_cached_self_attention_equals_multi_head_attention_over_the_prefix",
    "check_warmup_rate": "test_warmup_rate_by_hand",
}


def test_every_check_has_an_oracle_and_every_named_test_exists():
    assert sorted(ORACLES) == sorted(exercises.CHECKS)
    named = {oracle for oracle in ORACLES.values() if oracle.startswith("test_") and " " not in oracle}
    assert named <= set(globals()), sorted(named - set(globals()))


def zero_weight(variable):
    """Set a layer weight to zeros (on a model of the test's own)."""
    variable.assign(np.zeros_like(variable.numpy()))


# Lesson 02 -----------------------------------------------------------------------------------------------


class ConstantModel:
    """A stand-in for a model: it predicts ``token_id`` at every position."""

    def __init__(self, token_id, vocabulary_size):
        self.token_id, self.vocabulary_size = token_id, vocabulary_size

    def predict(self, inputs, batch_size=None, verbose=0):
        _, target_in = inputs
        logits = np.zeros((*np.shape(target_in), self.vocabulary_size), "float32")
        logits[..., self.token_id] = 1.0
        return logits


@pytest.fixture(scope="module")
def french():
    from course_utils.translation import french_english

    return french_english(train_size=200, test_size=50, seed=0)


def test_naive_accuracy_counts_every_position_padding_included(french):
    size = len(french.target_vocabulary)
    real = sum(len(text.split()) + 1 for text in french.test.target)  # words + <end> of every held-out target
    for length in (french.target_length, french.target_length + 9):
        positions = len(french.test) * length
        # every target has exactly one <end>: a model writing only <end> is right once per row
        assert lesson02.naive_accuracy(ConstantModel(END_ID, size), french, length) == pytest.approx(1 / length)
        # a model writing only padding is right on every padding position
        only_padding = lesson02.naive_accuracy(ConstantModel(0, size), french, length)
        assert only_padding == pytest.approx(1 - real / positions)


def test_copy_exact_match_equals_translate_on_reversed_strings():
    """Reversing a digit row's real ids is reversing its string: translate the strings written backwards."""
    from course_utils.copy_task import copy_task, copy_vocabulary
    from course_utils.decoding import translate
    from course_utils.seq2seq import Seq2Seq

    digits = copy_vocabulary()
    keras.utils.set_random_seed(0)
    model = Seq2Seq(digits, digits, source_length=6, target_length=7, attention=None, embedding_dim=8, units=8)
    test = copy_task(40, min_length=2, max_length=6, seed=3)
    as_written = translate(model, list(test.source))
    backwards = translate(model, [text[::-1] for text in test.source])
    test = test.assign(target=as_written[:20] + backwards[20:])  # targets the model writes one way or the other
    for reverse, outputs in ((False, as_written), (True, backwards)):
        expected = np.mean([output == target for output, target in zip(outputs, test.target)])
        assert expected >= 0.5 and lesson02.copy_exact_match(model, test, reverse) == pytest.approx(expected)


# Lesson 03 -----------------------------------------------------------------------------------------------


def test_cascade_ratio_on_a_hand_computed_case():
    errors = np.array([[1, 1, 1, 0, 0, 1, 1, 1], [0, 1, 0, 1, 1, 1, 1, 1]], bool)
    real = np.array([[1, 1, 1, 1, 1, 1, 0, 0], [1, 1, 1, 0, 0, 0, 0, 0]], bool)
    # neighbouring real pairs: row 0 (t, t+1) for t = 0..4, row 1 for t = 0, 1. After an error (row 0 t = 0, 1, 2;
    # row 1 t = 1) the next is wrong 2 times of 4; after a right token (row 0 t = 3, 4; row 1 t = 0) 2 times of 3
    assert lesson03.cascade_ratio(errors, real) == pytest.approx((2 / 4) / (2 / 3))


def test_cascade_check_rejects_counting_padding_even_where_the_models_targets_have_none():
    """The lesson's models decode dates, whose targets have no padding; the check's own padded case catches an
    answer that ignores ``real`` (with no models, only that case runs)."""
    from course_utils.exercises.checking import WrongAnswer

    no_models = ([], (None, None, None))
    lesson03.check_cascade_ratio(lesson03.cascade_ratio, *no_models)  # accepted
    with pytest.raises(WrongAnswer, match="both real"):
        lesson03.check_cascade_ratio(lesson03.cascade_ratio_counting_padding, *no_models)


class CopyingModel:
    """A stand-in for a model: its prediction at each step is its input at that step."""

    def __init__(self, vocabulary_size):
        self.vocabulary_size = vocabulary_size

    def teacher_forced(self, source, target_in):
        return np.eye(self.vocabulary_size, dtype="float32")[target_in], None


def test_accuracy_drop_of_a_model_that_copies_its_input():
    target_out = np.array([[3, 3, 4, 2, 0], [5, 5, 5, 2, 0]])
    target_in = np.array([[1, 3, 3, 4, 2], [1, 5, 5, 5, 2]])
    source = np.zeros((2, 3), "int32")
    # from position 2 on, the real targets are (4, 2) and (5, 2); copying the true inputs (3, 4) and (5, 5) gets 1
    # of 4 right; with input 3 at position 2 the copies are (3, 4) and (3, 5): none right, a drop of 1/4
    drop = lesson03.accuracy_drop(CopyingModel(6), source, target_in, target_out, position=2, wrong_id=3)
    assert drop == pytest.approx(1 / 4)
    # with input 4 there, row 0 gains what row 1 loses: no drop
    assert lesson03.accuracy_drop(CopyingModel(6), source, target_in, target_out, 2, 4) == pytest.approx(0.0)


# Lesson 04 -----------------------------------------------------------------------------------------------


class ReplacedAttention(keras.layers.Layer):
    """A stand-in for a Bahdanau decoder's attention layer: the model's own layer computes its weights (batch, T_in),
    ``change(weights, values_mask)`` replaces them in the graph, and the context is recomputed from the new ones."""

    def __init__(self, inner, change, **kwargs):
        super().__init__(**kwargs)
        self.inner, self.change = inner, change

    def call(self, query, values, values_mask=None):
        from keras import ops

        _, weights = self.inner(query, values, values_mask)  # (batch, T_in): one step's query
        weights = self.change(weights, values_mask)
        return ops.sum(weights[:, :, None] * values, axis=1), weights


def decoded_bleu_with_layer(change, ids, references):
    """BLEU of plain greedy decoding of the saved Bahdanau model whose attention layer was replaced."""
    from course_utils import pretrained
    from course_utils.decoding import greedy_decode
    from course_utils.metrics import corpus_bleu

    changed = pretrained.load("fra-eng-bahdanau")  # a copy of its own: its attention layer is replaced below
    # past Keras' tracking, which refuses a new sub-layer on a built layer; the stand-in has no weights
    object.__setattr__(changed.decoder, "attention", ReplacedAttention(changed.decoder.attention, change))
    return corpus_bleu(changed.target_vocabulary.decode_batch(greedy_decode(changed, ids)[0]), references).score


@pytest.fixture(scope="module")
def held_out_french():
    from course_utils.translation import french_english

    data = french_english()
    return data.source_ids(data.test)[:100], list(data.test.reference)[:100]


@pytest.fixture(scope="module")
def own_french_bleu(held_out_french):
    """BLEU of plain greedy decoding of the saved Bahdanau model, unchanged, on ``held_out_french`` (measured once
    for the tests below: neither changes this copy)."""
    from course_utils import pretrained
    from course_utils.decoding import greedy_decode
    from course_utils.metrics import corpus_bleu

    ids, references = held_out_french
    model = pretrained.load("fra-eng-bahdanau")
    return corpus_bleu(model.target_vocabulary.decode_batch(greedy_decode(model, ids)[0]), references).score


def test_hard_attention_bleu_equals_decoding_with_a_hard_attention_layer(held_out_french, own_french_bleu):
    """One-hot on each row's argmax, taken inside the model's graph instead of by the intervention."""
    from course_utils import pretrained
    from keras import ops

    ids, references = held_out_french

    def hard(weights, mask):
        return ops.one_hot(ops.argmax(weights, axis=-1), ops.shape(weights)[-1])

    by_layer, own = decoded_bleu_with_layer(hard, ids, references), own_french_bleu
    assert lesson04.hard_attention_bleu(pretrained.load("fra-eng-bahdanau"), ids, references) == pytest.approx(
        by_layer, abs=0.01
    )
    assert abs(by_layer - own) > 0.1  # the case can tell: hard attention changes this model's BLEU


def test_last_word_bleu_equals_decoding_with_a_last_word_attention_layer(held_out_french, own_french_bleu):
    """All the weight on the last True position of the encoder's own mask, inside the model's graph."""
    from course_utils import pretrained
    from keras import ops

    ids, references = held_out_french

    def last_word(weights, mask):
        last = ops.sum(ops.cast(mask, "int32"), axis=-1) - 1  # (batch,): the last real position
        return ops.one_hot(last, ops.shape(weights)[-1])

    by_layer, own = decoded_bleu_with_layer(last_word, ids, references), own_french_bleu
    assert lesson04.last_word_bleu(pretrained.load("fra-eng-bahdanau"), ids, references) == pytest.approx(
        by_layer, abs=0.01
    )
    assert own - by_layer > 5  # the case can tell: reading one annotation costs this model BLEU


# Lesson 05 -----------------------------------------------------------------------------------------------


def small_luong_model():
    from course_utils.seq2seq import Seq2Seq
    from course_utils.vocabulary import Vocabulary

    source, target = Vocabulary(list("abcdefgh ")), Vocabulary(list("xyz"))
    keras.utils.set_random_seed(0)
    model = Seq2Seq(source, target, source_length=10, target_length=6, attention="general", embedding_dim=8, units=8)
    ids = source.encode_batch(["abc", "hg fed", "a", "bead cafe"], length=10)  # 3, 6, 1 and 9 real characters
    model((ids, np.ones((4, 6), "int32")))
    return model, ids


def test_padding_weight_by_hand_and_in_numpy():
    model, ids = small_luong_model()
    kernel = model.decoder.attention.W_a.kernel
    # untrained, the first step's query is tiny and its weights almost uniform: larger scores make them differ
    kernel.assign(3000 * kernel.numpy())
    # the first step's weights in NumPy: h_1 from the decoder's GRU, scores h_1 · W_a h̄_s, softmax over all 10
    encoder_outputs, state, _ = model.encoder(ids)
    start = np.full((len(ids), 1), START_ID, "int32")
    first, _ = model.decoder.rnn(model.decoder.embedding(start), initial_state=state)  # (4, 1, units)
    keys = np.asarray(encoder_outputs) @ model.decoder.attention.W_a.kernel.numpy()  # (4, 10, units)
    scores = np.einsum("bsu,bu->bs", keys, np.asarray(first)[:, 0]).astype("float64")
    weights = np.exp(scores - scores.max(axis=1, keepdims=True))
    weights /= weights.sum(axis=1, keepdims=True)
    expected = float((weights * (ids == 0)).sum(axis=1).mean())
    assert lesson05.padding_weight(model, ids) == pytest.approx(expected, abs=1e-5)
    assert abs(expected - 0.525) > 0.05  # the case can tell: not the uniform share below
    # by hand: with W_a = 0 every score is 0, and the 10 positions share the weight equally;
    # padding: 7, 4, 9 and 1 of the 10 positions
    zero_weight(kernel)
    assert lesson05.padding_weight(model, ids) == pytest.approx((0.7 + 0.4 + 0.9 + 0.1) / 4, abs=1e-6)


def test_saturated_share_equals_what_the_forward_pass_feeds_the_activation():
    """The oracle records what W_c's Dense layer hands its activation during the model's own forward pass."""
    from keras import ops

    model, ids = small_luong_model()
    model.decoder.combine.kernel.assign(500 * model.decoder.combine.kernel.numpy())  # untrained z is tiny: some |z| > 3
    embeddings = model.decoder.embedding.embeddings  # the padding id's row: only padding positions read it
    padding_row = np.full((1, embeddings.shape[1]), 5.0)
    embeddings.assign(np.concatenate([padding_row, embeddings.numpy()[1:]]).astype("float32"))
    target_in = np.array([[1, 2, 3, 0, 0, 0], [1, 4, 0, 0, 0, 0], [1, 2, 2, 2, 3, 0], [1, 3, 4, 2, 0, 0]], "int32")
    recorded = []

    def recording_tanh(z):
        recorded.append(np.asarray(z))
        return ops.tanh(z)

    model.decoder.combine.activation = recording_tanh
    model((ids, target_in))
    z = recorded[-1][target_in != 0]  # (real positions, units)
    expected = float((np.abs(z) > 3).mean())
    assert lesson05.saturated_share(model, ids, target_in) == pytest.approx(expected, abs=1e-6)
    assert 0.05 < expected < 0.95  # the case can tell: neither none nor all saturated
    everywhere = float((np.abs(recorded[-1]) > 3).mean())
    assert abs(everywhere - expected) > 0.01  # and padding positions would change it


# Lesson 07 -----------------------------------------------------------------------------------------------


def test_allowed_after_equals_the_trie_of_every_date():
    """date_normalization.date_constraint holds every ISO date from 1950 to 2049 as a trie (decoding's
    PrefixConstraint): the characters allowed after a prefix are that node's children."""
    from course_utils.date_normalization import date_constraint

    tokens = dates.vocabularies()[1].tokens
    table = date_constraint(tuple(tokens)).table  # (nodes, vocabulary): the child node, or -1

    def children(node):
        return {
            ("<end>" if index == END_ID else tokens[index]): int(table[node, index])
            for index in np.flatnonzero(table[node] >= 0)
        }

    seen, frontier = 0, [("", 0)]
    while frontier:  # every prefix of every date, depth first
        prefix, node = frontier.pop()
        following = children(node)
        assert lesson07.allowed_after(prefix) == set(following), prefix
        frontier += [(prefix + token, child) for token, child in following.items() if token != "<end>"]
        seen += 1
    assert seen > 36_525  # every date's last node, and the nodes on the way
    for impossible in ["2050", "1949", "1969-13", "1969-00", "1969-02-3", "1900-02-2", "1969-04-31", "1969-02-29", "3"]:
        assert lesson07.allowed_after(impossible) == set(), impossible
    assert lesson07.allowed_after("1968-02-2") == set("0123456789")  # 1968 is a leap year, 1969 is not
    assert lesson07.allowed_after("1969-02-2") == set("012345678")


def test_decoder_without_previous_output_by_hand():
    """The reference's step computed from its own layers, with the embedding of <start> at every position."""
    from keras import ops

    decoder = lesson07.DecoderWithoutPreviousOutput(14, 4, 8, score="general")
    rng = np.random.default_rng(0)
    state = rng.normal(size=(2, 8)).astype("float32")  # (batch, units)
    encoder_outputs = rng.normal(size=(2, 5, 8)).astype("float32")  # (batch, T_in, units)
    mask = np.array([[1, 1, 1, 1, 1], [1, 1, 1, 0, 0]], dtype=bool)
    histories = [rng.integers(3, 14, size=(2, 3)).astype("int32") for _ in range(2)]
    logits = [np.asarray(decoder(history, state, encoder_outputs, mask)[0]) for history in histories]
    start = decoder.embedding(np.full((2, 3), START_ID, "int32"))  # (batch, T_out, embedding): <start> everywhere
    outputs, _ = decoder.rnn(start, initial_state=state)
    keys = np.asarray(decoder.attention.W_a(encoder_outputs))  # W_a h_s: (batch, T_in, units)
    scores = np.einsum("btu,bsu->bts", np.asarray(outputs), keys)  # h_t . W_a h_s
    scores = np.where(mask[:, None, :], scores, -np.inf)
    weights = np.exp(scores - scores.max(-1, keepdims=True))
    weights /= weights.sum(-1, keepdims=True)
    context = np.einsum("bts,bsu->btu", weights, encoder_outputs)
    by_hand = decoder.output_layer(decoder.combine(ops.concatenate([context, outputs], axis=-1)))
    np.testing.assert_allclose(logits[0], logits[1], atol=1e-6)  # the history makes no difference
    np.testing.assert_allclose(logits[0], np.asarray(by_hand), atol=1e-5)


# Lesson 08 -----------------------------------------------------------------------------------------------


def test_on_field_equals_spreading_with_intervention():
    from course_utils.intervention import spread_over

    rng = np.random.default_rng(7)
    weights = rng.random((6, 9))
    field = rng.random((6, 9)) < 0.4
    field[:, 0] = True  # every row has a field
    np.testing.assert_allclose(lesson08.on_field(weights, field), np.asarray(spread_over(field)(weights)), atol=1e-7)
    by_hand = lesson08.on_field(weights[:2, :5], [[False, True, True, True, False], [True, False, False, False, False]])
    np.testing.assert_allclose(by_hand, [[0, 1 / 3, 1 / 3, 1 / 3, 0], [1, 0, 0, 0, 0]])


def test_changed_share_equals_decoding_with_constant_scores():
    """As for lesson 04: with v = 0 the Bahdanau model attends uniformly to the real characters at every step.
    A step's output depends on the steps before it only, so for the first k steps, intervening there and
    making every step uniform write the same characters. On the saved date model, where attention matters."""
    from course_utils import pretrained
    from course_utils.decoding import greedy_decode

    model = pretrained.load("dates-bahdanau")  # a copy of its own: its weights are changed below
    texts = dates.make_splits(seed=0, train_size=10, test_size=200).test.text
    source = model.source_vocabulary.encode_batch(list(texts), length=model.source_length)
    first_steps = ([0], [0, 1, 2, 3], list(range(7)))  # the first digit, the year, the year and month
    shares = [lesson08.changed_share(model, source, steps) for steps in first_steps]
    before = greedy_decode(model, source)[0]
    zero_weight(model.decoder.attention.v)
    after = greedy_decode(model, source)[0]
    expected = [float(np.mean((before[:, steps] != after[:, steps]).any(axis=1))) for steps in first_steps]
    np.testing.assert_allclose(shares, expected, atol=1e-9)
    assert 0.05 < expected[1] < 1  # the case can tell: uniform attention changes some years, not all


def test_changed_share_check_rejects_an_answer_that_changes_nothing_and_a_copied_case():
    """On an untrained model every case's answer was 0.0, so `return 0.0` passed; on the saved model it cannot, nor
    can one case's answer returned for all three."""
    with pytest.raises(exercises.WrongAnswer):
        exercises.check_changed_share(lambda model, source, steps: 0.0)
    first = lesson08.changed_share(*_changed_share_case([0, 1, 2, 3]))
    with pytest.raises(exercises.WrongAnswer):
        exercises.check_changed_share(lambda model, source, steps: first)


def _changed_share_case(steps):
    from course_utils import pretrained

    model = pretrained.load("dates-bahdanau")
    texts = list(dates.make_splits(seed=0, train_size=10, test_size=200).test.text)
    return model, model.source_vocabulary.encode_batch(texts, length=model.source_length), steps


# Lesson 09 -----------------------------------------------------------------------------------------------


def test_attention_weights_equal_the_transformers_scaled_dot_product_attention():
    from course_utils.transformer import scaled_dot_product_attention

    rng = np.random.default_rng(80)
    for d_k, steps, mask in [(4, 3, None), (16, 5, None), (16, 4, np.tril(np.ones((4, 4), bool)))]:
        query, key = 3 * rng.normal(size=(steps, d_k)), 3 * rng.normal(size=(steps, d_k))
        _, expected = scaled_dot_product_attention(query, key, np.eye(steps), mask)
        np.testing.assert_allclose(lesson09.attention_weights(query, key, mask), np.asarray(expected), atol=1e-6)
    # by hand: equal keys give equal scores, so a causal mask leaves row t uniform over positions 0..t
    causal = lesson09.attention_weights(rng.normal(size=(3, 4)), np.ones((3, 4)), np.tril(np.ones((3, 3), bool)))
    np.testing.assert_allclose(causal, [[1, 0, 0], [1 / 2, 1 / 2, 0], [1 / 3, 1 / 3, 1 / 3]], atol=1e-12)
    # by hand: one key twice as aligned as the other, d_k = 4: scores 4 / 2 and 2 / 2 -> softmax (e, 1) / (e + 1)
    two = lesson09.attention_weights(np.array([[1.0, 1, 1, 1]]), np.array([[1.0, 1, 1, 1], [0.5, 0.5, 0.5, 0.5]]))
    np.testing.assert_allclose(two, [[np.e / (np.e + 1), 1 / (np.e + 1)]])


def positional_encoder(ids):
    """A stand-in encoder that sees positions: output (1, T, 1) = token id + 10 * position."""
    return (np.asarray(ids, "float32")[..., None] + 10.0 * np.arange(np.shape(ids)[1])[None, :, None],)


def bag_of_tokens_encoder(ids):
    """A stand-in encoder blind to order: output (1, T, 2) depends on each token only."""
    ids = np.asarray(ids, "float32")[..., None]
    return (np.concatenate([ids, ids**2], axis=-1),)


def test_permutation_gap_of_encoders_whose_gap_is_known():
    source_vocabulary, _ = dates.vocabularies()
    ids = source_vocabulary.encode_batch(["July 20th 1969"], length=dates.SOURCE_LENGTH)
    order = np.array([3, 4, 0, 1, 2, 5, 6, 7])
    # by hand: token order[i] moves from position order[i] to i, so its output moves by 10 * (i - order[i]);
    # |i - order[i]| = 3, 3, 2, 2, 2, 0, 0, 0
    assert lesson09.permutation_gap(positional_encoder, ids, order) == pytest.approx(30.0)
    assert lesson09.permutation_gap(positional_encoder, ids, np.array([5, 6, 7, 8, 0, 1, 2, 3, 4])) == 50.0
    assert lesson09.permutation_gap(bag_of_tokens_encoder, ids, order) == 0.0
    # and the Transformer encoders: the reference against undoing the shuffle (argsort), test_transformer's check
    (with_positions, without_positions), date_ids = lesson09._tiny_encoders()
    for encoder in (with_positions, without_positions):
        row = date_ids[1:2]
        shuffled = row.copy()
        shuffled[:, : len(order)] = row[:, order]
        outputs = np.asarray(encoder(row)[0])[0, : len(order)]
        unshuffled = np.asarray(encoder(shuffled)[0])[0, : len(order)][np.argsort(order)]  # back to the old places
        expected = float(np.abs(unshuffled - outputs).max())
        assert lesson09.permutation_gap(encoder, row, order) == pytest.approx(expected, abs=1e-6)
    assert lesson09.permutation_gap(without_positions, date_ids[1:2], order) < 1e-5
    assert lesson09.permutation_gap(with_positions, date_ids[1:2], order) > 1e-2


def test_head_alignment_on_hand_computed_heads():
    labels = ["month", "month", "", "day", "day", "", "year", "year", "year", "year"]  # "07/20/1969"
    weights = np.zeros((4, dates.TARGET_LENGTH, len(labels)))
    for step, field in enumerate(dates.ISO_FIELDS):  # head 0 reads the right field at every digit
        weights[0, step, {"year": 7, "month": 1, "day": 4, "": 2}[field]] = 1.0
    weights[1, :, 0] = 1.0  # head 1 reads the first month digit only: right for 2 of the 8 digits
    weights[2] = 1 / len(labels)  # head 2 is uniform: year digits 4 / 10 right, month and day digits 2 / 10
    weights[3, :, [3, 6]] = 0.5  # head 3 halves a day and a year character: 0.5 on year and day digits, 0 on month
    expected = [1.0, 2 / 8, (4 * 0.4 + 2 * 0.2 + 2 * 0.2) / 8, (4 * 0.5 + 2 * 0.5) / 8]
    np.testing.assert_allclose(lesson09.head_alignment(weights, labels), expected)


def test_scaled_recurrence_multiplies_only_the_recurrent_kernel():
    layer = keras.layers.SimpleRNN(4)
    layer.build((None, None, 3))
    kernel, recurrent, bias = (w.copy() for w in layer.get_weights())
    lesson01.scale_recurrent_kernel(layer, 1.5)
    np.testing.assert_allclose(layer.get_weights()[1], 1.5 * recurrent, rtol=1e-6)
    np.testing.assert_array_equal(layer.get_weights()[0], kernel)
    np.testing.assert_array_equal(layer.get_weights()[2], bias)


def test_novel_share_on_a_hand_counted_sample():
    def sample(count, temperature, seed):  # 200 names, a quarter of them unknown when temperature > 1
        assert (count, seed) == (200, 1)
        return ["ann", "bob", "cy", "zed"] * 50 if temperature > 1 else ["ann"] * 200

    assert lesson01.novel_share(sample, {"ann", "bob", "cy"}, 1.5) == 0.25
    assert lesson01.novel_share(sample, {"ann", "bob", "cy"}, 0.5) == 0.0


def test_warmup_rate_by_hand():
    """Worked by hand: d_model 64, warmup 100: step 100 is the peak, 64^-0.5 · 100^-0.5 = 0.0125; step 25 is a
    quarter of the way up; step 400 has fallen to 64^-0.5 · 400^-0.5 = 0.00625."""
    np.testing.assert_allclose(lesson09.warmup_rate(np.array([25, 100, 400]), 64, 100), [0.003125, 0.0125, 0.00625])


def test_cached_self_attention_equals_multi_head_attention_over_the_prefix():
    """Oracle: keras.layers.MultiHeadAttention run on positions 0..t, one query at a time, with a cache grown step
    by step by the reference solution."""
    from course_utils.transformer_cache import empty_cache

    keras.utils.set_random_seed(9)
    layer = keras.layers.MultiHeadAttention(num_heads=2, key_dim=4)
    inputs = np.random.default_rng(9).normal(size=(3, 6, 8)).astype("float32")
    layer(inputs, inputs)
    cache = empty_cache(3, layer)
    for t in range(6):
        output, cache = lesson09.self_attention_with_cache(layer, inputs[:, t : t + 1], cache)
        expected = layer(inputs[:, t : t + 1], inputs[:, : t + 1])
        np.testing.assert_allclose(np.asarray(output), np.asarray(expected), atol=1e-5)
        assert tuple(cache[0].shape) == (3, 2, t + 1, 4)
