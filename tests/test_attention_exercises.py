"""Lesson 05's change-and-measure exercises: their checks accept a right answer and reject wrong ones."""

import numpy as np
import pytest

import keras
from course_utils import exercises, pretrained
from course_utils.exercises import lesson05, lesson06
from course_utils.seq2seq import Seq2Seq
from course_utils.vocabulary import Vocabulary

SOURCE, TARGET = Vocabulary(list("abcdefgh ")), Vocabulary(list("xyz"))


@pytest.fixture(scope="module")
def small_model():
    keras.utils.set_random_seed(0)
    model = Seq2Seq(SOURCE, TARGET, source_length=10, target_length=6, attention="general", embedding_dim=8, units=8)
    source = SOURCE.encode_batch(["abc", "hg fed", "a", "bead cafe"], length=10)
    model((source, np.ones((4, 6), "int32")))
    return model, source


def test_padding_check_accepts_the_measurement_and_rejects_the_masked_one(small_model, capsys):
    model, source = small_model
    exercises.check_padding_weight(lesson05.padding_weight, model, source)
    assert "correct" in capsys.readouterr().out
    assert 0.05 < lesson05.padding_weight(model, source) < 1.0  # without the mask, padding does get weight
    with pytest.raises(exercises.WrongAnswer):
        exercises.check_padding_weight(lambda m, ids: 0.0, model, source)
    exercises.check_padding_weight(lambda m, ids: ..., model, source)
    assert "not answered yet" in capsys.readouterr().out


def test_saturation_check_accepts_the_measurement_and_rejects_constants_and_padding(small_model, capsys):
    from course_utils.luong_saturation import attentional_preactivations

    model, source = small_model
    keras.utils.set_random_seed(1)
    other = Seq2Seq(SOURCE, TARGET, source_length=10, target_length=6, attention="dot", embedding_dim=8, units=8)
    target_in = np.array([[1, 2, 3, 0, 0, 0], [1, 4, 0, 0, 0, 0], [1, 2, 2, 2, 3, 0], [1, 3, 4, 2, 0, 0]], "int32")
    other((source, target_in))  # builds it
    other.decoder.combine.kernel.assign(500 * other.decoder.combine.kernel.numpy())  # untrained z is tiny: some |z| > 3
    batches = [(model, source, target_in), (other, source, target_in)]
    exercises.check_saturated_share(lesson05.saturated_share, batches)
    assert "correct (2 cases" in capsys.readouterr().out

    def with_padding(model, source, target_in):  # every position, padding included
        encoder_outputs, state, mask = model.encoder(source)
        decoder = model.decoder
        outputs, _ = decoder.rnn(decoder.embedding(target_in), initial_state=state)
        context, _ = decoder.attention(outputs, encoder_outputs, mask)
        z = np.concatenate([np.asarray(context), np.asarray(outputs)], -1) @ decoder.combine.kernel.numpy()
        return float((np.abs(z) > 3).mean())

    def after_tanh(model, source, target_in):  # |tanh(z)| is never above 3
        return float((np.abs(np.tanh(attentional_preactivations(model, source, target_in))) > 3).mean())

    shares = [lesson05.saturated_share(*batch) for batch in batches]
    for wrong in [with_padding, after_tanh, lambda *given: shares[0], lambda *given: shares[1]]:
        with pytest.raises(exercises.WrongAnswer):
            exercises.check_saturated_share(wrong, batches)
    with pytest.raises(ValueError, match="differ"):
        exercises.check_saturated_share(lesson05.saturated_share, batches[:1])
    exercises.check_saturated_share(lambda *given: ..., batches)
    assert "not answered yet" in capsys.readouterr().out


@pytest.fixture(scope="module")
def translator():
    from course_utils.translation import french_english

    data = french_english()
    return pretrained.load("fra-eng-bahdanau"), data.source_ids(data.test)[:500], list(data.test.reference)[:500]


def test_beam_check_accepts_a_better_beam_and_rejects_greedy_and_nonsense(translator, capsys):
    model, ids, references = translator
    exercises.check_beam_settings(lambda: lesson06.BEAM_SETTINGS, model, ids, references)
    assert "correct" in capsys.readouterr().out
    for wrong in [(1, 0.0), (5, 0.95), (0, 0.6), (3, 5.0), (3,), "3, 0.6"]:  # (5, 0.95): near a table row
        with pytest.raises(exercises.WrongAnswer):
            exercises.check_beam_settings(lambda wrong=wrong: wrong, model, ids, references)
    exercises.check_beam_settings(lambda: ..., model, ids, references)
    assert "not answered yet" in capsys.readouterr().out


@pytest.mark.parametrize("name", ["check_hard_attention_bleu", "check_last_word_bleu"])
def test_changed_attention_checks_accept_the_measurement_and_reject_unchanged_constant_or_padded(
    name, translator, capsys
):
    from course_utils.decoding import greedy_decode
    from course_utils.exercises import lesson04
    from course_utils.intervention import intervened_decode, spread_over
    from course_utils.metrics import corpus_bleu

    model, ids, references = translator
    cases = [(model, ids[:60], references[:60]), (model, ids[60:120], references[60:120])]
    check = getattr(exercises, name)
    solution = {
        "check_hard_attention_bleu": lesson04.hard_attention_bleu,
        "check_last_word_bleu": lesson04.last_word_bleu,
    }
    check(solution[name], cases)
    assert "correct (2 cases" in capsys.readouterr().out
    measured = [solution[name](*case) for case in cases]
    assert abs(measured[0] - measured[1]) > 0.01  # two cases that one constant cannot both match

    def unchanged(model, ids, references):  # the model's own weights: nothing changed
        return corpus_bleu(model.target_vocabulary.decode_batch(greedy_decode(model, ids)[0]), references).score

    def last_column(model, ids, references):  # the last column: padding for every shorter sentence
        column = np.zeros(np.shape(ids), bool)
        column[:, -1] = True
        tokens, _ = intervened_decode(model, ids, {step: spread_over(column) for step in range(model.target_length)})
        return corpus_bleu(model.target_vocabulary.decode_batch(tokens), references).score

    for wrong in [unchanged, last_column]:
        with pytest.raises(exercises.WrongAnswer) as rejected:
            check(wrong, cases)
        assert f"{measured[0]:.2f}" not in str(rejected.value)  # the measured BLEU is never shown
    for wrong in [lambda *case: measured[0], lambda *case: measured[1], lambda *case: "20"]:  # copied or constant
        with pytest.raises(exercises.WrongAnswer):
            check(wrong, cases)
    with pytest.raises(ValueError, match="two or more"):
        check(solution[name], cases[:1])
    check(lambda *given: ..., cases)
    assert "not answered yet" in capsys.readouterr().out
