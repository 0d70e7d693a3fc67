"""The sentence-pair tasks: disjoint seeded splits, vocabularies with <unk>, teacher-forcing arrays."""

import pytest

from course_utils.translation import french_english, korean_english, split_pairs


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
    assert french.source_vocabulary.unknown_id is not None
    (source, target_in), target_out = french.arrays(french.test)  # test words unseen in training map to <unk>
    assert source.shape == (200, french.source_length) and target_out.shape == (200, french.target_length)
    assert (target_in[:, 0] == 1).all()


def test_korean_is_read_by_character():
    korean = korean_english(test_size=100)
    assert korean.source_vocabulary.level == "char" and korean.target_vocabulary.level == "word"
    assert korean.train.source.str.len().max() <= korean.source_length
    assert "학" in korean.source_vocabulary.tokens


def test_split_refuses_more_pairs_than_there_are(french):
    with pytest.raises(ValueError, match="only"):
        split_pairs(french.test, 500, 10, seed=0)
