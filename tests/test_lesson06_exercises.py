"""Lesson 06's exercises on a stand-in translator small enough to work out by hand (decoding.NextWordTable)."""

import math

import numpy as np
import pytest

from course_utils import exercises
from course_utils.decoding import NextWordTable
from course_utils.exercises import lesson06

TABLE = {  # lesson 06's stand-in for "나는 학생이다"
    "<start>": {"i": 0.7, "a": 0.3},
    "i": {"'m": 0.6, "am": 0.4},
    "'m": {"a": 0.55, "the": 0.45},
    "am": {"a": 0.9, "the": 0.1},
    "a": {"student": 1.0},
    "the": {"student": 1.0},
    "student": {"<end>": 1.0},
}
SOURCE = np.zeros((1, 1), "int32")
REFERENCES = ["I am a student"]


@pytest.fixture(scope="module")
def toy():
    return NextWordTable(TABLE, target_length=6)


def test_length_and_brevity_equals_sacrebleus_lengths_by_hand(toy):
    # alpha 0.2: "a student" (log 0.3 / lp(3) = -1.137) beats "i am a student" (log 0.252 / lp(5) = -1.245);
    # 2 words against the reference's 4: BP = exp(1 - 4 / 2). alpha 1.5: the long one wins, 4 words, BP = 1.
    assert lesson06.length_and_brevity(toy, SOURCE, REFERENCES, 4, 0.2) == pytest.approx((2.0, math.exp(-1)))
    assert lesson06.length_and_brevity(toy, SOURCE, REFERENCES, 4, 1.5) == pytest.approx((4.0, 1.0))


def test_length_and_brevity_check_accepts_the_solution_and_rejects_a_constant(toy, capsys):
    exercises.check_length_and_brevity(lesson06.length_and_brevity, toy, SOURCE, REFERENCES)
    assert "correct" in capsys.readouterr().out
    with pytest.raises(exercises.WrongAnswer):
        exercises.check_length_and_brevity(lambda *arguments: (4.0, 1.0), toy, SOURCE, REFERENCES)
    exercises.check_length_and_brevity(lambda *arguments: ..., toy, SOURCE, REFERENCES)
    assert "not answered yet" in capsys.readouterr().out


def test_the_toy_table_shows_greedy_losing_and_the_length_bias(toy):
    from course_utils.decoding import beam_search, greedy_decode

    decode = toy.target_vocabulary.decode
    assert decode(greedy_decode(toy, SOURCE)[0][0]) == "i 'm a student"  # p = 0.231 < 0.252
    assert decode(beam_search(toy, SOURCE, beam_width=3, length_penalty=0.0)[0]) == "a student"  # p = 0.3
    assert decode(beam_search(toy, SOURCE, beam_width=3, length_penalty=1.0)[0]) == "i am a student"
