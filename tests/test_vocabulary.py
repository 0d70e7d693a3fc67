import numpy as np
import pytest

from course_utils.vocabulary import END, PAD, START, UNKNOWN, Vocabulary


@pytest.fixture
def characters():
    return Vocabulary.from_texts(["July 20th 1969", "1969-07-20"])


def test_special_ids_come_first_and_tokens_are_sorted(characters):
    assert characters.tokens[:3] == [PAD, START, END]
    assert (characters.pad_id, characters.start_id, characters.end_id) == (0, 1, 2)
    regular = characters.tokens[3:]
    assert regular == sorted(set("July 20th 1969" + "1969-07-20"))


def test_round_trip_character_and_word_level(characters):
    ids = characters.encode("July 20th 1969", add_start=True, add_end=True)
    assert ids[0] == characters.start_id and ids[-1] == characters.end_id
    assert characters.decode(ids) == "July 20th 1969"
    words = Vocabulary.from_texts(["je suis étudiant", "i am a student"], level="word")
    assert words.decode(words.encode("i am a student")) == "i am a student"


def test_batches_are_padded_on_the_right(characters):
    batch = characters.encode_batch(["1969", "July 20th"], length=12, add_end=True)
    assert batch.shape == (2, 12) and batch.dtype == np.int32
    assert batch[0, 4] == characters.end_id and (batch[0, 5:] == 0).all()
    assert batch[0, 0] != 0  # right padding: the text starts at position 0
    assert characters.decode_batch(batch) == ["1969", "July 20th"]


def test_decode_stops_at_end_and_skips_padding(characters):
    ids = characters.encode("1969", add_end=True) + characters.encode("07")
    assert characters.decode(ids) == "1969"
    assert characters.decode(ids, stop_at_end=False) == "196907"


def test_unknown_character_is_a_clear_error_naming_it(characters):
    with pytest.raises(ValueError) as error:
        characters.encode("Juillet")
    message = str(error.value)
    assert "'i' (U+0069 LATIN SMALL LETTER I)" in message and "unknown=True" in message


def test_unknown_token_maps_unseen_characters_when_built_with_it():
    vocabulary = Vocabulary.from_texts(["abc"], unknown=True)
    assert vocabulary.tokens[3] == UNKNOWN
    assert vocabulary.encode("abz") == [4, 5, vocabulary.unknown_id]


@pytest.mark.parametrize(
    "bad, kind, words",
    [
        ("", ValueError, "empty"),
        ("   ", ValueError, "empty"),
        (["July"], TypeError, "expects a str"),
        (1969, TypeError, "expects a str"),
    ],
)
def test_bad_inputs_are_explained(characters, bad, kind, words):
    with pytest.raises(kind, match=words):
        characters.encode(bad)


def test_over_long_text_names_the_text_and_the_limit(characters):
    with pytest.raises(ValueError, match=r"Text 1 \('July 20th 1969'\) is 15 tokens .* length=10"):
        characters.encode_batch(["1969", "July 20th 1969"], length=10, add_end=True)


def test_encode_batch_refuses_a_single_string(characters):
    with pytest.raises(TypeError, match=r"wrap it"):
        characters.encode_batch("1969")


def test_decode_rejects_out_of_range_ids(characters):
    with pytest.raises(ValueError, match="outside this vocabulary"):
        characters.decode([len(characters)])


def test_reserved_and_duplicate_tokens_are_refused():
    with pytest.raises(ValueError, match="reserved"):
        Vocabulary([PAD, "a"])
    with pytest.raises(ValueError, match="duplicates"):
        Vocabulary(["a", "a"])
    with pytest.raises(ValueError, match="no text"):
        Vocabulary.from_texts([])


def test_min_count_drops_rare_tokens():
    vocabulary = Vocabulary.from_texts(["the cat", "the dog"], level="word", min_count=2, unknown=True)
    assert vocabulary.tokens[4:] == ["the"]
    assert vocabulary.encode("the cat") == [4, vocabulary.unknown_id]
