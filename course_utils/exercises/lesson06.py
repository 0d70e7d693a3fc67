"""Lesson 06 (decoding and evaluation): each exercise's reference solution, then the check that accepts it.

Try the exercise first. A check calls the learner's function on cases and goes through the shared path in
``course_utils.exercises.checking``. ``check_brevity_penalty`` compares with sacrebleu's own computation;
``check_beam_settings`` runs beam search with the learner's settings and measures BLEU.
"""

import math
from collections.abc import Callable

from sacrebleu.metrics.bleu import BLEU

from course_utils.exercises.checking import NOT_ANSWERED, WrongAnswer, answered, exercise_check, run_check

# Solutions ------------------------------------------------------------------------------------------------


def brevity_penalty(c: int, r: int) -> float:
    """1 for hypotheses longer than the reference, exp(1 - r / c) otherwise."""
    return 1.0 if c > r else math.exp(1 - r / c)


BEAM_SETTINGS = (3, 0.6)  # a beam width and length penalty that beat greedy on the saved Bahdanau model


# Checks ---------------------------------------------------------------------------------------------------


@exercise_check
def check_brevity_penalty(answer: Callable[[int, int], float]) -> None:
    """``answer(c, r)`` must equal sacrebleu's brevity penalty for hypothesis length c and reference length r."""

    def sacrebleu_bp(c, r):  # sacrebleu's BLEU of a hypothesis whose n-grams are all right is 100 * BP
        return BLEU.compute_bleu([c] * 4, [c] * 4, sys_len=c, ref_len=r).bp

    cases = [((c, r), sacrebleu_bp(c, r)) for c, r in [(10, 10), (12, 10), (8, 10), (5, 10), (4, 16)]]
    run_check("brevity penalty", answer, cases)


@exercise_check
def check_beam_settings(answer: Callable[[], tuple], model, source_ids, references, *, margin: float = 0.3) -> None:
    """``answer()`` returns (beam_width, alpha): beam search with that width and Wu et al.'s length penalty alpha
    must beat greedy decoding's corpus BLEU on the given held-out sentences by at least ``margin``."""
    from course_utils.decoding import beam_search, greedy_decode
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
    decode = model.target_vocabulary.decode_batch
    greedy = corpus_bleu(decode(greedy_decode(model, source_ids)[0]), list(references)).score
    beam = corpus_bleu(
        decode(beam_search(model, source_ids, beam_width=width, length_penalty=float(alpha))), list(references)
    ).score
    if beam < greedy + margin:
        raise WrongAnswer(
            f"beam settings: width {width}, alpha {alpha} gives BLEU {beam:.2f}; greedy gives {greedy:.2f}. "
            f"Beat greedy by at least {margin}."
        )
    print(f"beam settings: correct (BLEU {beam:.2f} with width {width} and alpha {alpha}, greedy {greedy:.2f}).")
