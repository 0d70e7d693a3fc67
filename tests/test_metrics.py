import numpy as np
import pytest

from course_utils.metrics import date_field_errors, exact_match, masked_accuracy


def test_exact_match():
    assert exact_match(["1969-07-20", "2000-01-01"], ["1969-07-20", "2000-01-02"]) == 0.5


def test_date_field_errors_name_the_wrong_field():
    errors = date_field_errors(["1969-07-21", "1969-08-20", "1968-07-20", "1969-07"], ["1969-07-20"] * 4)
    assert errors == {"year": 0.25, "month": 0.25, "day": 0.5}  # the truncated prediction misses its day


@pytest.mark.parametrize(
    "predictions, references, kind",
    [(["a"], ["a", "b"], ValueError), ([], [], ValueError), ("abc", ["abc"], TypeError)],
)
def test_mismatched_inputs_are_refused(predictions, references, kind):
    with pytest.raises(kind):
        exact_match(predictions, references)


def test_masked_accuracy_ignores_padding():
    y_true = np.array([[4, 5, 0, 0]])
    logits = np.zeros((1, 4, 6), "float32")
    logits[0, 0, 4] = logits[0, 1, 3] = 1.0  # first right, second wrong; padding positions predict id 0
    assert float(masked_accuracy(y_true, logits)) == 0.5  # counting padding as right would give 0.75


def test_corpus_bleu_tokenises_and_lowercases_both_sides():
    from course_utils.metrics import bleu_signature, corpus_bleu

    assert corpus_bleu(["i am a student ."], ["I am a student."]).score == pytest.approx(100.0)
    assert corpus_bleu(["i am a teacher ."], ["I am a student."]).score < 60
    assert corpus_bleu(["he is a <unk> ."], ["He is a runner."]).sys_len == 5  # <unk> counts as one word
    assert "tok:13a" in bleu_signature() and "case:lc" in bleu_signature()


def test_quality_by_length_buckets():
    from course_utils.metrics import quality_by_length

    table = quality_by_length(
        [1, 2, 5, 9], ["a", "b c", "x", "y"], ["a", "b c", "d", "y"], edges=[1, 3, 8], metric="exact match"
    )
    assert table["source length"].tolist() == ["1–2", "3–7", "8+"]
    assert table["sentences"].tolist() == [2, 1, 1] and table["exact match"].tolist() == [100.0, 0.0, 100.0]
    with pytest.raises(ValueError, match="metric must be"):
        quality_by_length([1], ["a"], ["a"], edges=[1], metric="accuracy")
