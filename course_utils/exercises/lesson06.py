"""Lesson 06 (decoding and evaluation): each exercise's reference solution, then the check that accepts it.

Try the exercise first. A check calls the learner's function on cases and goes through the shared path in
``course_utils.exercises.checking``. ``check_clipped_precision`` compares with sacrebleu's own n-gram counts;
``check_length_and_brevity`` and ``check_beam_settings`` run beam search on a saved model and measure.
"""

import math
from collections import Counter
from collections.abc import Callable

import numpy as np
from sacrebleu.metrics.bleu import BLEU

from course_utils.exercises.checking import NOT_ANSWERED, WrongAnswer, answered, correct, exercise_check, run_check

# Solutions ------------------------------------------------------------------------------------------------


def clipped_precision(hypothesis: str, reference: str, n: int) -> float:
    """BLEU's modified n-gram precision of one sentence: each n-gram of the hypothesis counts at most as often as
    it occurs in the reference; divided by the number of n-grams in the hypothesis (words split on spaces)."""
    hypothesis_words, reference_words = hypothesis.split(), reference.split()
    hypothesis_ngrams = Counter(tuple(hypothesis_words[i : i + n]) for i in range(len(hypothesis_words) - n + 1))
    reference_ngrams = Counter(tuple(reference_words[i : i + n]) for i in range(len(reference_words) - n + 1))
    matched = sum(min(count, reference_ngrams[ngram]) for ngram, count in hypothesis_ngrams.items())
    return matched / max(sum(hypothesis_ngrams.values()), 1)


def length_and_brevity(model, source_ids, references, beam_width: int, alpha: float) -> tuple[float, float]:
    """Beam search with Wu et al.'s length penalty alpha: (mean output length in words, BLEU's brevity penalty)."""
    from course_utils.decoding import beam_search
    from course_utils.metrics import corpus_bleu

    tokens = beam_search(model, source_ids, beam_width=beam_width, length_penalty=alpha)
    texts = model.target_vocabulary.decode_batch(tokens)
    return float(np.mean([len(text.split()) for text in texts])), corpus_bleu(texts, list(references)).bp


BEAM_SETTINGS = (12, 0.6)  # beats k = 3, alpha = 0.6 on the saved Bahdanau model (first 500 held out: 25.7 vs 24.8)
TABLE_SETTINGS = [(1, 0.0), (3, 0.0), (3, 0.6), (5, 0.6), (5, 1.0), (16, 0.6)]  # the rows of the lesson's table
LENGTH_CASES = [(4, 0.2), (4, 1.5)]  # (beam width, alpha) at which check_length_and_brevity measures: no table row


# Checks ---------------------------------------------------------------------------------------------------


@exercise_check
def check_clipped_precision(answer: Callable[[str, str, int], float]) -> None:
    """``answer(hypothesis, reference, n)`` must equal the n-gram precision sacrebleu counts for that sentence."""

    def sacrebleu_precision(hypothesis, reference, n):  # sacrebleu's matched and total n-grams, order n
        stats = BLEU(tokenize="none", lowercase=False).corpus_score([hypothesis], [[reference]])
        return stats.counts[n - 1] / stats.totals[n - 1]

    sentences = [
        ("the the the the", "the cat is on the mat"),  # clipping: "the" counts twice at most
        ("i wonder why tom gave this to me .", "i wonder why tom gave me this ."),
        ("he is a a very good good teacher .", "he is a very good teacher ."),
    ]
    cases = [((h, r, n), sacrebleu_precision(h, r, n)) for h, r in sentences for n in (1, 2)]
    run_check("clipped precision", answer, cases)


@exercise_check
def check_length_and_brevity(answer: Callable, model, source_ids, references) -> None:
    """``answer(model, source_ids, references, beam_width, alpha)`` must return the mean output length in words and
    BLEU's brevity penalty (between 0 and 1) that beam search with those settings gives, at two settings."""
    from course_utils.decoding import beam_search, tokens_of
    from course_utils.metrics import corpus_bleu

    def measured(beam_width, alpha):  # words before <end>; BP = exp(1 - r / c) when c < r, from sacrebleu's lengths
        tokens = beam_search(model, source_ids, beam_width=beam_width, length_penalty=alpha)
        words = [[w for w in tokens_of(model.target_vocabulary, row) if w != "<end>"] for row in tokens]
        score = corpus_bleu([" ".join(row) for row in words], list(references))
        penalty = 1.0 if score.sys_len > score.ref_len else math.exp(1 - score.ref_len / score.sys_len)
        return np.array([np.mean([len(row) for row in words]), penalty])

    cases = [((width, alpha), measured(width, alpha)) for width, alpha in LENGTH_CASES]

    def at_setting(width, alpha):  # the case names the setting only: no model repr, no expected numbers
        got = answer(model, source_ids, references, width, alpha)
        return got if not answered(got) else np.asarray(got, dtype=float)

    def unlike_the_measurement(got, expected, arguments):
        if got.shape != (2,):
            return f"return a pair (mean length, brevity penalty), got {got.tolist()}"
        if not np.allclose(got, expected, atol=1e-4):
            return (
                f"with beam_width={arguments[0]}, alpha={arguments[1]} your function returned {got.round(4).tolist()}, "
                "which is not what beam search with those settings gives on these sentences: decode with them, "
                "count words before <end>, and take corpus_bleu(...).bp"
            )
        return None

    run_check("length and brevity", at_setting, cases, compare=unlike_the_measurement)


@exercise_check
def check_beam_settings(answer: Callable[[], tuple], model, source_ids, references, *, margin: float = 0.3) -> None:
    """``answer()`` returns (beam_width, alpha), not a row of the lesson's table: beam search with that width and
    Wu et al.'s length penalty alpha must beat beam search with width 3 and alpha 0.6 by at least ``margin``
    corpus BLEU on the given held-out sentences."""
    from course_utils.decoding import beam_search
    from course_utils.metrics import corpus_bleu

    settings = answer()
    if not answered(settings):
        print(f"beam settings: {NOT_ANSWERED}")
        return
    if not isinstance(settings, tuple) or len(settings) != 2:
        raise WrongAnswer(f"beam settings: return a pair (beam_width, alpha), got {settings!r}.")
    width, alpha = settings
    if not isinstance(width, int) or not 1 <= width <= 16 or not 0.0 <= float(alpha) <= 2.0:
        raise WrongAnswer(
            f"beam settings: beam_width must be a whole number from 1 to 16 and alpha from 0 to 2, got {settings!r}."
        )
    if any(width == w and abs(float(alpha) - a) < 0.1 for w, a in TABLE_SETTINGS):
        raise WrongAnswer(
            f"beam settings: {settings!r} is a row of the lesson's table (or within 0.1 of its α); measure your own."
        )

    def bleu(beam_width, length_penalty):
        tokens = beam_search(model, source_ids, beam_width=beam_width, length_penalty=length_penalty)
        return corpus_bleu(model.target_vocabulary.decode_batch(tokens), list(references)).score

    baseline, beam = bleu(3, 0.6), bleu(width, float(alpha))
    if beam < baseline + margin:
        raise WrongAnswer(
            f"beam settings: width {width}, alpha {alpha} gives BLEU {beam:.2f}; width 3, alpha 0.6 gives "
            f"{baseline:.2f}. Beat it by at least {margin}."
        )
    print(correct("beam settings", f"BLEU {beam:.2f} with width {width} and alpha {alpha}, against {baseline:.2f}"))
