"""The copy task: reproduce a random digit string. Its information grows with its length, so it isolates
what a single context vector can carry (lessons 02 and 04)."""

import random

import pandas as pd

from course_utils.vocabulary import Vocabulary

DIGITS = "0123456789"


def copy_task(count: int, *, min_length: int = 4, max_length: int = 24, seed: int = 0) -> pd.DataFrame:
    """``count`` random digit strings with lengths uniform in [min_length, max_length]: columns source, target."""
    if not 1 <= min_length <= max_length:
        raise ValueError(f"Need 1 <= min_length <= max_length, got {min_length} and {max_length}.")
    rng = random.Random(seed)
    strings = ["".join(rng.choice(DIGITS) for _ in range(rng.randint(min_length, max_length))) for _ in range(count)]
    return pd.DataFrame({"source": strings, "target": strings})


def copy_vocabulary() -> Vocabulary:
    return Vocabulary(list(DIGITS))
