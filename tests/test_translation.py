"""The sentence-pair tasks: disjoint seeded splits, vocabularies with <unk>, teacher-forcing arrays, and sizes scaled
by COURSE_SCALE that the data may not hold."""

import functools

import pandas as pd
import pytest

from course_utils import sentence_pairs, translation
from course_utils.translation import french_english, korean_english, split_pairs
from course_utils.vocabulary import START_ID

FRENCH_DISTINCT_SOURCES = (
    44_725  # distinct French sentences among the pairs of at most 10 tokens (code review, 2026-12)
)


@pytest.fixture(scope="module")
def french():
    return french_english(train_size=3_000, test_size=200, seed=0)


def test_french_english_split_is_disjoint_and_seeded(french):
    assert len(french.train) == 3_000 and len(french.test) == 200
    assert not set(french.train.source) & set(french.test.source)
    again = french_english(train_size=3_000, test_size=200, seed=0)
    assert again.test.source.tolist() == french.test.source.tolist()
    assert french_english(train_size=3_000, test_size=200, seed=1).test.source.tolist() != french.test.source.tolist()


def test_words_are_lower_case_with_punctuation_split_and_unknowns_mapped(french):
    assert all(text == text.lower() for text in french.train.source.head(100))
    unknown_source, unknown_target = french.source_vocabulary.unknown_id, french.target_vocabulary.unknown_id
    assert unknown_source is not None and unknown_target is not None
    assert "zorglub" not in french.source_vocabulary.ids and "je" in french.source_vocabulary.ids
    frame = pd.DataFrame({"source": ["je suis zorglub ."], "target": ["i am zorglub ."]})
    (source, target_in), target_out = french.arrays(frame)
    assert source.shape == (1, french.source_length) and target_out.shape == (1, french.target_length)
    assert source[0, 2] == unknown_source and target_out[0, 2] == unknown_target  # the word never seen
    assert source[0, 0] == french.source_vocabulary.ids["je"] != unknown_source  # a word seen in training
    assert target_in[0, 0] == START_ID and target_in[0, 3] == unknown_target  # <start>, then the target shifted
    # a word of the held-out pairs seen fewer than min_count = 3 times in training is <unk> too
    counts = pd.Series(french.train.source.str.split().sum()).value_counts()
    rare = next(
        (row, position)
        for row, text in enumerate(french.test.source)
        for position, word in enumerate(text.split())
        if counts.get(word, 0) < 3
    )
    assert french.source_ids(french.test)[rare] == unknown_source


def test_korean_is_read_by_character_and_keeps_every_distinct_pair():
    korean = korean_english(test_size=100)
    assert korean.source_vocabulary.level == "char" and korean.target_vocabulary.level == "word"
    assert korean.train.source.str.len().max() <= korean.source_length
    assert "학" in korean.source_vocabulary.tokens
    # every distinct Korean sentence that passes the limits is in training or test (so its size is unchanged by
    # split_pairs counting distinct sources): counted here from the raw pairs
    pairs = sentence_pairs.load_pairs("kor-eng")
    english_words = pairs.english.map(sentence_pairs.word_tokens).str.split().str.len()
    kept = pairs.korean[(pairs.korean.str.len() <= 24) & (english_words <= 10)]
    assert len(korean.train) + len(korean.test) == kept.nunique()
    assert set(korean.train.source) | set(korean.test.source) == set(kept)
    assert not set(korean.train.source) & set(korean.test.source)


def test_split_refuses_more_pairs_than_there_are(french):
    with pytest.raises(ValueError, match="only"):
        split_pairs(french.test, 500, 10, seed=0)


def test_split_counts_a_repeated_source_sentence_once():
    pairs = pd.DataFrame(
        {
            "source": ["a", "a", "a", "b", "c", "c", "d"],  # 7 pairs, 4 distinct source sentences
            "target": ["1", "2", "3", "4", "5", "6", "7"],
        }
    )
    train, test = split_pairs(pairs, 3, 1, seed=0)
    assert len(train) == 3 and len(test) == 1
    assert sorted([*train.source, *test.source]) == ["a", "b", "c", "d"]  # each source once, test not in training
    with pytest.raises(ValueError, match="only 4 with distinct source sentences"):
        split_pairs(pairs, 4, 1, seed=0)  # 5 asked for: 7 pairs, but only 4 distinct sources


@pytest.fixture(scope="module")
def scaled_french():
    """french_english with the pairs read and tokenised once for this module (the steps are pure functions)."""
    pairs = sentence_pairs.load_pairs("fra-eng")
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(translation, "load_pairs", lambda name: pairs)
        patch.setattr(translation, "word_tokens", functools.cache(sentence_pairs.word_tokens))
        yield french_english


@pytest.fixture(scope="module")
def scaled(scaled_french):
    """french_english at COURSE_SCALE 1-4, as lessons 02 and 04 ask for it."""
    return {scale: scaled_french(train_size=12_000 * scale, test_size=1_000, at_most=True) for scale in (1, 2, 3, 4)}


def test_every_course_scale_gives_distinct_disjoint_splits(scaled):
    for scale, data in scaled.items():
        assert len(data.test) == 1_000, scale
        assert data.train.source.is_unique and data.test.source.is_unique, scale
        assert not set(data.train.source) & set(data.test.source), scale
    assert [len(scaled[scale].train) for scale in (1, 2, 3)] == [12_000, 24_000, 36_000]
    assert scaled[1].test.source.tolist() == scaled[4].test.source.tolist()  # the same held-out pairs at any scale


def test_at_most_caps_a_request_the_data_cannot_hold_and_says_so(scaled, scaled_french):
    capped = scaled[4]  # 48,000 asked for
    assert len(capped.train) == FRENCH_DISTINCT_SOURCES - 1_000
    assert capped.sizes().startswith("43725 training and 1000 test pairs (48000 asked for")
    assert scaled[3].sizes() == "36000 training and 1000 test pairs"  # nothing to explain
    with pytest.raises(ValueError, match="at_most=True"):
        scaled_french(train_size=48_000, test_size=1_000)
    assert len(scaled_french(train_size=len(capped.train), test_size=1_000).train) == len(capped.train)  # the most
