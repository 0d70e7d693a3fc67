"""``normalize_dates``: a trained date model as a tool that never returns an impossible date.

Built on ``course_utils.dates`` (the task) and ``course_utils.decoding`` (constrained greedy decoding): the
decoder may only write characters that can still complete a real calendar date in the course's range
1950-01-01 .. 2049-12-31, so "1969-02-30" or "1969-13-01" cannot come out. Each answer also has a confidence,
the model's own probability of the whole output; lesson 07 measures what a threshold on it buys.

Text already in ISO form ("1969-07-20") is passed through after checking that it is a real date: the
models never trained on it (their alphabet has no "-"), and there is nothing to learn.
"""

import datetime
import re
from functools import cache

import numpy as np

from course_utils import dates
from course_utils.decoding import PrefixConstraint, constrained_decode

ISO_PATTERN = re.compile(r"\d{4}-\d{2}-\d{2}")
CONFIDENCE_THRESHOLD = 0.5  # below it, lesson 07 measured most answers on unseen formats to be wrong


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


def normalize_dates(model, texts, *, return_confidence=False):
    """Normalise one date text (returns a str) or a list of them (a list) with a trained date model.

    Every answer is a real date in 1950..2049 (constrained decoding), or the input itself when it is already
    a valid ISO date. With ``return_confidence=True`` also the model's probability of each answer (1.0 for
    ISO pass-through): treat answers below ``CONFIDENCE_THRESHOLD`` as unsure. Bad input raises first: a
    wrong type, an empty text, a text longer than the model reads, a character it has never seen, or an
    ISO-looking text that is no calendar date.
    """
    batch, single = _checked_batch(model, texts)
    outputs, confidence = [text.strip() for text in batch], np.ones(len(batch))
    to_model = [i for i, text in enumerate(batch) if not ISO_PATTERN.fullmatch(text.strip())]
    if to_model:
        source = model.source_vocabulary.encode_batch([batch[i] for i in to_model], length=model.source_length)
        constraint = date_constraint(tuple(model.target_vocabulary.tokens))
        tokens, _, probability = constrained_decode(model, source, constraint)
        for i, text, p in zip(to_model, model.target_vocabulary.decode_batch(tokens), probability):
            outputs[i], confidence[i] = text, float(p)
    if single:
        return (outputs[0], confidence[0]) if return_confidence else outputs[0]
    return (outputs, confidence.tolist()) if return_confidence else outputs
