"""How a training set is cut into batches: the course's batch size and the optimizer steps a run takes.

No Keras here, so that data-layer code (the recorded benchmarks' tables) counts steps the same way as the training
recipe; ``course_utils.training`` uses these definitions for its cosine schedule, and lessons import them from
there.
"""

import math

BATCH_SIZE = 64  # the course's batch size


def training_steps(examples: int, *, epochs: int, batch_size: int = BATCH_SIZE) -> int:
    """The optimizer steps ``fit`` takes: ``epochs × ceil(examples / batch_size)`` (the last batch may be short)."""
    if examples < 1 or epochs < 1 or batch_size < 1:
        raise ValueError(
            f"training_steps needs at least one example, epoch and batch size; got examples={examples}, "
            f"epochs={epochs}, batch_size={batch_size}."
        )
    return epochs * math.ceil(examples / batch_size)
