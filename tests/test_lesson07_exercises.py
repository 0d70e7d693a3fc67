"""Lesson 07's two measuring exercises (Ng's decoder without y<t-1>, the confidence threshold): after the function is
accepted, the checks re-measure the learner's number and reject a copied or a constant one."""

import numpy as np
import pytest

from course_utils import exercises
from course_utils.exercises import WrongAnswer, lesson07
from course_utils.seq2seq import LuongDecoder


@pytest.fixture(scope="module")
def blind_model(small_date_model):
    """A small date model whose decoder is the reference DecoderWithoutPreviousOutput, trained one epoch on 50
    dates as the exercise trains it, and 40 held-out dates."""
    from course_utils import dates
    from course_utils.training import fit_seq2seq

    splits = dates.make_splits(seed=0, train_size=50, test_size=40, ood_size=10)
    model = small_date_model("general", decoder=lesson07.DecoderWithoutPreviousOutput(14, 8, 16))
    fit_seq2seq(model, *dates.training_arrays(splits.train), epochs=1, verbose=0)  # the exercise's training path
    return model, list(splits.test.text), list(splits.test.iso)


def test_the_decoder_check_remeasures_the_trained_models_exact_match(blind_model, capsys):
    from course_utils.decoding import translate
    from course_utils.metrics import exact_match

    model, texts, references = blind_model
    measured = exact_match(translate(model, texts), references)
    exercises.check_decoder_without_previous_output(
        lesson07.DecoderWithoutPreviousOutput, model, measured, texts, references, baseline=1.0
    )
    assert "Without y<t-1>: exact match" in capsys.readouterr().out
    for copied in (1.0, measured + 0.05, ...):  # the baseline's figure, a wrong figure, nothing measured
        with pytest.raises(WrongAnswer, match="is not this model's exact match"):
            exercises.check_decoder_without_previous_output(
                lesson07.DecoderWithoutPreviousOutput, model, copied, texts, references, baseline=1.0
            )


def test_the_decoder_check_rejects_a_model_that_does_not_use_the_learners_decoder(blind_model, small_date_model):
    _, texts, references = blind_model
    luong = small_date_model("general")  # Luong's own decoder, fed y<t-1>
    with pytest.raises(WrongAnswer, match="not yours"):
        exercises.check_decoder_without_previous_output(
            lesson07.DecoderWithoutPreviousOutput, luong, 0.0, texts, references
        )
    with pytest.raises(WrongAnswer):
        exercises.check_decoder_without_previous_output(LuongDecoder)  # the decoder unchanged


def test_the_threshold_must_catch_half_of_the_wrong_answers(capsys):
    rng = np.random.default_rng(0)
    right = rng.random(400) > 0.1  # about 40 wrong answers
    confidence = np.where(right, rng.uniform(0.4, 1.0, 400), rng.uniform(0.0, 0.9, 400))
    with pytest.raises(WrongAnswer, match="raise the threshold"):
        exercises.check_flag_quality(lesson07.flag_quality, confidence=confidence, right=right, threshold=0.05)
    exercises.check_flag_quality(lesson07.flag_quality, confidence=confidence, right=right, threshold=0.9)
    assert "At threshold 0.9:" in capsys.readouterr().out
    for constant in [lambda c, r, t: (0.5, 0.5), lambda c, r, t: (1.0, 1.0), lambda c, r, t: (0.0, 0.0)]:
        with pytest.raises(WrongAnswer):
            exercises.check_flag_quality(constant, confidence=confidence, right=right, threshold=0.9)
