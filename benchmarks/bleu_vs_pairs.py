"""Held-out BLEU against the number of training pairs, French → English (lesson 02).

Same model and budget for every size: lesson 02's vanilla encoder–decoder (embedding 64, 64 units per encoder
direction, no attention), batch 64, Adam 3e-3 with cosine decay, and the same number of gradient steps
(``--steps``) whatever the size, so that a small set is not simply trained less. Each size draws its training
pairs with ``course_utils.translation.french_english(train_size=n, test_size=1000, seed=0)``: the 1,000 test
pairs are the same for every size (and the same as lesson 02's), and vocabularies are built from each training
set (words seen fewer than 3 times become <unk>). BLEU as in the lessons (sacrebleu, lower-cased, 13a), on the
held-out pairs and on 1,000 of the training pairs (to show memorising on the small sets).

The last line printed is one JSON object; ``--out`` also writes it to a file.

    python benchmarks/bleu_vs_pairs.py --out benchmarks/recorded/bleu_vs_pairs.json   # about 8 minutes, 2 cores
    python benchmarks/bleu_vs_pairs.py --smoke                                          # seconds
"""

import argparse
import json
import time

from course_utils.environment import set_up

EXAMPLES = 8  # held-out sentences whose translations are recorded at every size
SIZES = [1_000, 2_000, 4_000, 8_000, 16_000, 32_000]


def bleu_for_size(train_size, steps, seed=0, learning_rate=3e-3):
    """Train lesson 02's model on ``train_size`` pairs for ``steps`` steps; held-out and training BLEU."""
    import keras
    import numpy as np

    from course_utils.decoding import translate
    from course_utils.metrics import corpus_bleu
    from course_utils.seq2seq import Seq2Seq, compile_seq2seq
    from course_utils.translation import french_english

    data = french_english(train_size=train_size, test_size=1_000, seed=0)
    keras.utils.set_random_seed(seed)
    model = Seq2Seq(
        data.source_vocabulary,
        data.target_vocabulary,
        source_length=data.source_length,
        target_length=data.target_length,
        attention=None,
        embedding_dim=64,
        units=64,
    )
    compile_seq2seq(model, learning_rate=learning_rate, decay_steps=steps)
    (source, target_in), target_out = data.arrays(data.train)
    steps_per_epoch = int(np.ceil(len(source) / 64))
    epochs = int(np.ceil(steps / steps_per_epoch))
    start = time.perf_counter()
    stop = stop_after_steps(steps)
    model.fit((source, target_in), target_out, batch_size=64, epochs=epochs, verbose=0, callbacks=[stop])
    seconds = time.perf_counter() - start
    hypotheses = translate(model, list(data.test.source))
    held_out = corpus_bleu(hypotheses, list(data.test.reference)).score
    seen = data.train.iloc[:1_000]
    trained = corpus_bleu(translate(model, list(seen.source)), list(seen.reference)).score
    return {
        "training pairs": train_size,
        "steps": steps,
        "epochs": round(steps / steps_per_epoch, 2),
        "source vocabulary": len(data.source_vocabulary),
        "target vocabulary": len(data.target_vocabulary),
        "held-out BLEU": held_out,
        "training BLEU": trained,
        "seconds": round(seconds, 1),
        "examples": [
            {"French": source, "reference": reference, "model": hypothesis}
            for source, reference, hypothesis in zip(
                data.test.source[:EXAMPLES], data.test.reference[:EXAMPLES], hypotheses
            )
        ],
    }


def stop_after_steps(steps):
    """A callback that stops training after ``steps`` gradient steps (mid-epoch if needed)."""
    import keras

    class StopAfterSteps(keras.callbacks.Callback):
        def __init__(self):
            super().__init__()
            self.seen = 0

        def on_train_batch_end(self, batch, logs=None):
            self.seen += 1
            if self.seen >= steps:
                self.model.stop_training = True

    return StopAfterSteps()


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--smoke", action="store_true", help="tiny run: check that the script works")
    parser.add_argument("--sizes", type=int, nargs="+", default=SIZES)
    parser.add_argument("--steps", type=int, default=1_500)
    parser.add_argument("--out", default=None)
    arguments = parser.parse_args()
    environment = set_up(seed=0)
    if arguments.smoke:
        arguments.sizes, arguments.steps = [1_000], 20
    started, points = time.perf_counter(), []
    for size in arguments.sizes:
        points.append(bleu_for_size(size, arguments.steps))
        print(points[-1], flush=True)
    result = {
        "benchmark": "bleu_vs_pairs",
        "smoke": arguments.smoke,
        "device": environment.device,
        "versions": environment.versions,
        "setting": {
            "model": "vanilla Seq2Seq, embedding 64, 64 units",
            "batch_size": 64,
            "learning_rate": 3e-3,
            "schedule": "Adam, cosine decay over the steps to 5 %",
            "steps": arguments.steps,
            "test_size": 1_000,
            "seed": 0,
            "korean_training_pairs": 4_731,
            "korean_pairs_in_data": 5_749,
        },
        "points": points,
        "seconds": round(time.perf_counter() - started, 1),
    }
    if arguments.out:
        with open(arguments.out, "w", encoding="utf-8") as out:
            json.dump(result, out, indent=1)
            out.write("\n")
    print(json.dumps(result))


if __name__ == "__main__":
    main()
