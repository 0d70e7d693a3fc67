"""The alignment score of lessons 08 and 09: the share of a date model's attention that falls on the right field."""

import datetime

import numpy as np
import pytest

from course_utils import dates
from course_utils.date_alignment import ISO_FIELDS, alignment_score

MOON = datetime.date(1969, 7, 20)


def test_every_digit_of_an_iso_date_has_its_field():
    assert [field for field, character in zip(ISO_FIELDS, dates.iso(MOON)) if character == "-"] == ["", ""]
    assert "".join(character for field, character in zip(ISO_FIELDS, dates.iso(MOON)) if field == "month") == "07"
    assert len(ISO_FIELDS) == dates.TARGET_LENGTH - 1  # the characters of YYYY-MM-DD; <end> has no field


def test_alignment_score_rewards_the_right_field_only():
    labels = dates.FORMATS_BY_NAME["dd.MM.yyyy"].field_labels(MOON)  # "20.07.1969"
    perfect = np.zeros((11, len(labels)))  # (output steps, source length)
    for step, field in enumerate(ISO_FIELDS):
        positions = [i for i, label in enumerate(labels) if label == field] or [2]
        perfect[step, positions] = 1 / len(positions)
    assert alignment_score(perfect, labels) == pytest.approx(1.0)
    uniform = np.full((11, len(labels)), 1 / len(labels))
    assert alignment_score(uniform, labels) == pytest.approx((4 * 0.4 + 2 * 0.2 + 2 * 0.2) / 8)
    swapped = perfect[[0, 1, 2, 3, 4, 8, 9, 7, 5, 6, 10]]  # month rows looking at the day and vice versa
    assert alignment_score(swapped, labels) == pytest.approx(0.5)
