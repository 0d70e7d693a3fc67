import pytest

from course_utils.sentence_pairs import MalformedLineError, load_pairs, normalize_text, read_pairs, word_tokens


def test_french_pairs_load_with_plain_spaces():
    pairs = load_pairs("fra-eng")
    assert list(pairs.columns) == ["english", "french"]
    assert len(pairs) == 47_957
    assert pairs.english.is_unique  # one French translation per English sentence
    french = "".join(pairs.french)
    assert "\u202f" not in french and "\u2009" not in french and "\u2019" not in french
    assert "Je suis étudiant." in set(pairs.french[pairs.english == "I am a student."])


def test_korean_pairs_keep_their_credit_column():
    pairs = load_pairs("kor-eng")
    assert list(pairs.columns) == ["english", "korean", "credit"]
    assert len(pairs) == 5_749
    assert pairs.credit.str.contains("tatoeba.org").all()


def test_normalisation_of_spaces_and_apostrophes():
    assert normalize_text("Va\u202f!") == "Va !"
    assert normalize_text("Quoi\u2009?  ") == "Quoi ?"
    assert normalize_text("J\u2019ai") == "J'ai"
    assert word_tokens("Je suis étudiant\u202f!") == "je suis étudiant !"
    assert word_tokens("I'm a student.") == "i'm a student ."


def test_malformed_line_reports_file_and_line(tmp_path):
    path = tmp_path / "pairs.txt"
    path.write_text("Hi.\tSalut.\nBroken line without a tab\n", encoding="utf-8")
    with pytest.raises(MalformedLineError, match=r"pairs.txt, line 2: expected 2 .* found 1"):
        read_pairs(path, ["english", "french"])


def test_empty_column_is_malformed(tmp_path):
    path = tmp_path / "pairs.txt"
    path.write_text("Hi.\t \n", encoding="utf-8")
    with pytest.raises(MalformedLineError, match="line 1"):
        read_pairs(path, ["english", "french"])


def test_unknown_set_name_lists_the_choices():
    with pytest.raises(ValueError, match=r"\['fra-eng', 'kor-eng'\]"):
        load_pairs("deu-eng")
