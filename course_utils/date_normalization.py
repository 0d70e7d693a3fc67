"""``normalize_dates``: a trained date model as a tool that never returns an impossible date.

Built on ``course_utils.dates`` (the task) and ``course_utils.decoding`` (constrained greedy decoding): the
decoder may only write characters that can still complete a real calendar date in the course's range
1950-01-01 .. 2049-12-31, so "1969-02-30" or "1969-13-01" cannot come out. A possible date is not a right one,
so each answer comes as a ``DateAnswer``: the date, the model's own probability of the whole output, and
``sure``, whether that probability reaches the threshold. Lesson 07 measures the precision and recall of this
flag as a detector of wrong answers.

Text already in ISO form ("1969-07-20") is passed through after checking that it is a real calendar date (any
year): the models never trained on it (their alphabet has no "-"), and there is nothing to learn.
"""

import datetime
import re
from functools import cache
from typing import NamedTuple

import numpy as np

from course_utils import dates
from course_utils.decoding import PrefixConstraint, constrained_decode

ISO_PATTERN = re.compile(r"\d{4}-\d{2}-\d{2}")
CONFIDENCE_THRESHOLD = 0.5  # an answer below it is not sure; lesson 07 measures the flag's precision and recall
UNSURE_MODES = ("flag", "raise")


class DateAnswer(NamedTuple):
    """One answer of ``normalize_dates``: the ISO date, the model's probability of it, and whether it is sure."""

    date: str  # "YYYY-MM-DD", a real calendar date
    probability: float  # the model's probability of the whole output (1.0 for ISO text passed through)
    sure: bool  # probability >= the threshold normalize_dates was given


class UnsureDateError(ValueError):
    """Raised by ``normalize_dates(..., unsure="raise")`` when an answer falls below the threshold."""


@cache
def date_constraint(vocabulary_tokens: tuple[str, ...]) -> PrefixConstraint:
    """The trie of every ISO date from dates.FIRST_DATE to dates.LAST_DATE, for a target vocabulary."""
    from course_utils.vocabulary import Vocabulary

    vocabulary = Vocabulary(list(vocabulary_tokens[3:]))
    return PrefixConstraint(vocabulary, [dates.iso(day) for day in dates.all_dates()])


def is_valid_iso(text: str, first=dates.FIRST_DATE, last=dates.LAST_DATE) -> bool:
    """True for "YYYY-MM-DD" naming a real calendar date in [first, last]."""
    if not isinstance(text, str) or not ISO_PATTERN.fullmatch(text):
        return False
    try:
        return first <= datetime.date.fromisoformat(text) <= last
    except ValueError:
        return False


def _checked_batch(model, texts) -> tuple[list[str], bool]:
    if not all(hasattr(model, name) for name in ("source_vocabulary", "encoder", "decoder")):
        raise TypeError(f"normalize_dates needs a trained course_utils Seq2Seq date model, got {type(model).__name__}.")
    single = isinstance(texts, str)
    batch = [texts] if single else texts
    if not isinstance(batch, (list, tuple)) or not all(isinstance(text, str) for text in batch):
        raise TypeError(f"normalize_dates takes a str or a list of str, got {type(texts).__name__}: {texts!r:.60}.")
    if not batch:
        raise ValueError("normalize_dates got an empty list; pass at least one date text.")
    known = set(model.source_vocabulary.tokens[3:])
    for index, text in enumerate(batch):
        if not text.strip():
            raise ValueError(f"Text {index} is empty; pass a date such as 'July 20th 1969'.")
        if ISO_PATTERN.fullmatch(text.strip()):
            if not is_valid_iso(text.strip(), datetime.date.min, datetime.date.max):
                raise ValueError(f"Text {index} ({text!r}) is written YYYY-MM-DD but is not a real calendar date.")
            continue
        if len(text) > model.source_length:
            raise ValueError(
                f"Text {index} ({text!r}) has {len(text)} characters; this model reads at most "
                f"{model.source_length}. Shorten it (e.g. drop the weekday)."
            )
        unknown = sorted(set(text) - known)
        if unknown:
            raise ValueError(
                f"Text {index} ({text!r}) contains {unknown}, which this model never saw. It knows: "
                f"{''.join(sorted(known))!r}. Remove or replace those characters."
            )
    return list(batch), single


def normalize_dates(model, texts, *, threshold=CONFIDENCE_THRESHOLD, unsure="flag"):
    """Normalise one date text (returns a ``DateAnswer``) or a list of them (a list of ``DateAnswer``).

    Each answer's ``date`` is a real date in 1950..2049 (constrained decoding), or the input itself when it is
    already a valid ISO date (any year; ``probability`` 1.0). ``probability`` is the model's own probability of
    the whole output, and ``sure`` is ``probability >= threshold``: a possible date is not a right one, so read
    an answer with ``sure=False`` as a guess. ``unsure="raise"`` refuses instead: an ``UnsureDateError`` names
    every text whose answer falls below the threshold. Bad input raises first: a wrong type, an empty text, a
    text longer than the model reads, a character it has never seen, or an ISO-looking text that is no
    calendar date.

        answer = normalize_dates(model, "July 20th 1969")  # DateAnswer(date='1969-07-20', probability=1.0, sure=True)
    """
    if unsure not in UNSURE_MODES:
        raise ValueError(f"unsure={unsure!r} is not one of {UNSURE_MODES}: 'flag' marks, 'raise' refuses.")
    if isinstance(threshold, bool) or not isinstance(threshold, (int, float)) or not 0.0 <= threshold <= 1.0:
        raise ValueError(f"threshold must be a probability in [0, 1], got {threshold!r}; the default is 0.5.")
    batch, single = _checked_batch(model, texts)
    outputs, confidence = [text.strip() for text in batch], np.ones(len(batch))
    to_model = [i for i, text in enumerate(batch) if not ISO_PATTERN.fullmatch(text.strip())]
    if to_model:
        source = model.source_vocabulary.encode_batch([batch[i] for i in to_model], length=model.source_length)
        constraint = date_constraint(tuple(model.target_vocabulary.tokens))
        tokens, _, probability = constrained_decode(model, source, constraint)
        for i, text, p in zip(to_model, model.target_vocabulary.decode_batch(tokens), probability):
            outputs[i], confidence[i] = text, float(p)
    answers = [DateAnswer(date, float(p), bool(p >= threshold)) for date, p in zip(outputs, confidence)]
    if unsure == "raise" and not all(answer.sure for answer in answers):
        doubtful = [f"{text!r} -> {a.date} ({a.probability:.2g})" for text, a in zip(batch, answers) if not a.sure]
        raise UnsureDateError(
            f"{len(doubtful)} of {len(answers)} answers fall below the threshold {threshold}: "
            f"{'; '.join(doubtful[:5])}. Rewrite those dates in a trained format (e.g. 'July 20th 1969'), "
            f"or call with unsure='flag' to get them marked sure=False."
        )
    return answers[0] if single else answers
