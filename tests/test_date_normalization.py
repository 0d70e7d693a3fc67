"""normalize_dates: clear errors, ISO pass-through, never an impossible date (constrained decoding), and an
answer below the threshold marked unsure (or refused)."""

import datetime

import numpy as np
import pytest

import keras
from course_utils import dates
from course_utils.date_normalization import (
    CONFIDENCE_THRESHOLD,
    DateAnswer,
    UnsureDateError,
    date_constraint,
    is_valid_iso,
    normalize_dates,
)
from course_utils.decoding import PrefixConstraint, constrained_decode, greedy_decode
from course_utils.seq2seq import Seq2Seq
from course_utils.vocabulary import Vocabulary


@pytest.fixture(scope="module")
def untrained_date_model(small_date_model):
    return small_date_model("general")


def test_normalize_dates_returns_an_answer_for_a_text_and_a_list_for_a_list(untrained_date_model):
    one = normalize_dates(untrained_date_model, "July 20th 1969")
    many = normalize_dates(untrained_date_model, ["July 20th 1969", "1969년 7월 20일"])
    assert isinstance(one, DateAnswer) and len(many) == 2 and many[0] == one
    assert all(is_valid_iso(answer.date) and 0.0 <= answer.probability <= 1.0 for answer in many)
    assert all(answer.sure == (answer.probability >= CONFIDENCE_THRESHOLD) for answer in many)


def test_an_answer_below_the_threshold_is_marked_unsure_or_refused(untrained_date_model):
    texts = ["July 20th 1969", "30.02.1969", "1969-07-20"]
    probabilities = [answer.probability for answer in normalize_dates(untrained_date_model, texts)]
    assert probabilities[2] == 1.0 and max(probabilities[:2]) < 1.0  # an untrained model: no answer is certain
    strict = normalize_dates(untrained_date_model, texts, threshold=1.0)
    assert [answer.sure for answer in strict] == [False, False, True]  # ISO pass-through stays sure
    assert all(answer.sure for answer in normalize_dates(untrained_date_model, texts, threshold=0.0))
    with pytest.raises(UnsureDateError, match=r"2 of 3 answers fall below the threshold 1.0: 'July 20th 1969' ->"):
        normalize_dates(untrained_date_model, texts, threshold=1.0, unsure="raise")
    assert normalize_dates(untrained_date_model, "1969-07-20", threshold=1.0, unsure="raise").sure


@pytest.mark.parametrize(
    "settings, words",
    [
        ({"unsure": "warn"}, "not one of"),
        ({"threshold": 1.5}, r"probability in \[0, 1\]"),
        ({"threshold": "0.5"}, r"probability in \[0, 1\]"),
    ],
)
def test_normalize_dates_explains_bad_settings(untrained_date_model, settings, words):
    with pytest.raises(ValueError, match=words):
        normalize_dates(untrained_date_model, "July 20th 1969", **settings)


@pytest.mark.parametrize(
    "texts, kind, words",
    [
        ("", ValueError, "Text 0 is empty"),
        (["July 20th 1969", "   "], ValueError, "Text 1 is empty"),
        ("Sunday, the twentieth of July in the year 1969", ValueError, "reads at most 32"),
        ("July 20th 1969!", ValueError, r"contains \['!'\]"),
        ("Juli 20, 1969 ü", ValueError, r"contains \['ü'\]"),
        ("1969-02-30", ValueError, "not a real calendar date"),
        (["20.07.1969", "1969-13-01"], ValueError, "Text 1 .* not a real calendar date"),
        (19690720, TypeError, "takes a str or a list of str"),
        ([datetime.date(1969, 7, 20)], TypeError, "takes a str or a list of str"),
        ([], ValueError, "empty list"),
    ],
)
def test_normalize_dates_explains_bad_input(untrained_date_model, texts, kind, words):
    with pytest.raises(kind, match=words):
        normalize_dates(untrained_date_model, texts)


def test_normalize_dates_needs_a_date_model():
    with pytest.raises(TypeError, match="Seq2Seq date model"):
        normalize_dates(keras.Sequential(), "July 20th 1969")


def test_valid_iso_dates_pass_through_unchanged(untrained_date_model):
    answers = normalize_dates(untrained_date_model, ["1969-07-20", "1900-02-28", "2000-02-29", "1776-07-04"])
    assert answers == [DateAnswer(date, 1.0, True) for date in ["1969-07-20", "1900-02-28", "2000-02-29", "1776-07-04"]]


def test_is_valid_iso_knows_the_calendar_and_the_range():
    assert is_valid_iso("2000-02-29") and is_valid_iso("1950-01-01") and is_valid_iso("2049-12-31")
    for text in [
        "1900-02-29",
        "2001-02-29",
        "1969-04-31",
        "1969-13-01",
        "1969-00-10",
        "1949-12-31",
        "2050-01-01",
        "1969-7-20",
        "1969-07-20x",
        "",
        None,
    ]:
        assert not is_valid_iso(text), text


# Crafted inputs: impossible or off-distribution dates, and texts a date model never trained on.
CRAFTED = [
    "30.02.1969",
    "31 Feb 2001",
    "29.02.2001",
    "2048/5/3",
    "1990/8/3",
    "13/13/13",
    "99. 99. 99.",
    "31.04.1969",
    "0 0 0000",
    "the 31st of February, 1999",
    "9999",
    "July",
    "1234567890",
    "2050년 13월 32일",
    "32nd July 1969",
    "00.00.00",
    "Feb 30, 2049",
    "Dec 32, 1949",
]


def test_an_untrained_model_writes_impossible_dates_and_normalize_dates_never_does(untrained_date_model):
    model = untrained_date_model
    source = model.source_vocabulary.encode_batch(CRAFTED, length=model.source_length)
    plain = model.target_vocabulary.decode_batch(greedy_decode(model, source)[0])
    assert not any(is_valid_iso(text) for text in plain)  # unconstrained: random ids, not one real date
    answers = normalize_dates(model, CRAFTED)
    assert all(is_valid_iso(answer.date) for answer in answers), answers
    assert all(0.0 <= answer.probability <= 1.0 for answer in answers)


def test_constrained_decoding_follows_the_model_where_it_may():
    """Trained to copy 3 digits, a model's constrained output is its free output when that is allowed."""
    vocabulary = Vocabulary(list("0123"))
    keras.utils.set_random_seed(0)
    model = Seq2Seq(vocabulary, vocabulary, source_length=3, target_length=4, attention="dot", embedding_dim=8, units=8)
    texts = ["".join(c) for c in np.random.default_rng(0).choice(list("0123"), (400, 3))]
    from course_utils.seq2seq import compile_seq2seq, teacher_forcing_arrays

    inputs, targets = teacher_forcing_arrays(texts, texts, vocabulary, vocabulary, source_length=3, target_length=4)
    compile_seq2seq(model, learning_rate=2e-2)
    model.fit(inputs, targets, epochs=15, batch_size=32, verbose=0)
    source = vocabulary.encode_batch(["012", "321", "333"], length=3)
    free = vocabulary.decode_batch(greedy_decode(model, source)[0])
    assert free == ["012", "321", "333"]
    only_low = PrefixConstraint(vocabulary, ["012", "011", "000"])  # "321" and "333" are not allowed
    tokens, _, probability = constrained_decode(model, source, only_low)
    constrained = vocabulary.decode_batch(tokens)
    assert constrained[0] == "012" and set(constrained) <= {"012", "011", "000"}
    assert probability[0] > 0.5 and probability[1] < 0.1 and probability[2] < 0.1  # unsure where it was overruled


def test_the_date_constraint_allows_exactly_the_dates_of_the_range():
    _, target_vocabulary = dates.vocabularies()
    table = date_constraint(tuple(target_vocabulary.tokens)).table
    count, stack = 0, [(0, "")]
    while stack:  # walk the trie: every path to <end> is one date
        node, text = stack.pop()
        for index in np.flatnonzero(table[node] >= 0):
            if index == target_vocabulary.end_id:
                assert is_valid_iso(text), text
                count += 1
            else:
                stack.append((table[node, index], text + target_vocabulary.tokens[index]))
    assert count == len(dates.all_dates()) == 36525


def test_prefix_constraint_refuses_nothing_and_a_foreign_vocabulary(untrained_date_model):
    with pytest.raises(ValueError, match="at least one"):
        PrefixConstraint(Vocabulary(list("01")), [])
    with pytest.raises(ValueError, match="vocabulary"):
        constrained_decode(
            untrained_date_model, np.ones((1, 3), "int32"), PrefixConstraint(Vocabulary(list("01")), ["01"])
        )
