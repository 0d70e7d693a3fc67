"""Lesson 07's date models over several seeds: how much the out-of-distribution score varies, and how the model
without attention learns when given more time.

Same data as the lesson (course_utils.dates.make_splits(seed=0)) and the lesson's recipe: embedding 32, GRU
units 64, Adam 5e-3 with cosine decay over the run, batch 64. Recorded per run, after every epoch: held-out
(test) and out-of-distribution (ood) exact match; at the end, the number of outputs that are not real dates,
with plain greedy decoding and with the constrained decoding of ``normalize_dates``.

- attention="general", 4 epochs (the lesson's budget), seeds 0–4;
- attention=None, 24 epochs (six times the lesson's budget, cosine decay over the 24), seed 0.

Output: benchmarks/recorded/date_seeds.json (lesson 07 shows it; tests/test_date_seeds.py re-checks a slice).

    python benchmarks/date_seeds.py           # about 5 minutes on a 2-core CPU
    python benchmarks/date_seeds.py --smoke   # tiny data, one epoch: checks that the script runs
"""

import argparse
import time
from pathlib import Path

from course_utils.environment import set_up
from recording import finish  # benchmarks/recording.py, beside this script

RECORDED = Path(__file__).resolve().parent / "recorded" / "date_seeds.json"
RUNS = [("general", 4, seed) for seed in range(5)] + [(None, 24, 0)]


def train(splits, attention, epochs, seed, batch_size=64):
    """One run of the lesson's recipe; returns its per-epoch curve and final figures."""
    import keras
    import numpy as np

    from course_utils import dates
    from course_utils.date_models import date_model
    from course_utils.date_normalization import is_valid_iso, normalize_dates
    from course_utils.decoding import translate
    from course_utils.metrics import exact_match
    from course_utils.seq2seq import compile_seq2seq, teacher_forcing_arrays

    source_vocabulary, target_vocabulary = dates.vocabularies()
    inputs, targets = teacher_forcing_arrays(
        splits.train.text,
        splits.train.iso,
        source_vocabulary,
        target_vocabulary,
        source_length=dates.SOURCE_LENGTH,
        target_length=dates.TARGET_LENGTH,
    )
    keras.utils.set_random_seed(seed)
    model = date_model(attention)  # lesson 07's sizes
    compile_seq2seq(model, learning_rate=5e-3, decay_steps=epochs * int(np.ceil(len(targets) / batch_size)))
    test, ood = list(splits.test.text), list(splits.ood.text)
    curve = []

    def evaluate(epoch, logs):
        curve.append(
            {
                "epoch": epoch + 1,
                "loss": round(float(logs["loss"]), 4),
                "test": round(exact_match(translate(model, test), list(splits.test.iso)), 4),
                "ood": round(exact_match(translate(model, ood), list(splits.ood.iso)), 4),
            }
        )
        print(f"  {attention} seed {seed} epoch {epoch + 1}: {curve[-1]}", flush=True)

    start = time.perf_counter()
    model.fit(
        inputs,
        targets,
        epochs=epochs,
        batch_size=batch_size,
        verbose=0,
        callbacks=[keras.callbacks.LambdaCallback(on_epoch_end=evaluate)],
    )
    seconds = time.perf_counter() - start
    row = {"attention": attention, "epochs": epochs, "seed": seed, "curve": curve, "seconds": round(seconds, 1)}
    if attention is not None:
        plain = {name: translate(model, texts) for name, texts in (("test", test), ("ood", ood))}
        constrained = {  # the dates alone: whether each answer is sure does not enter exact match
            name: [answer.date for answer in normalize_dates(model, texts)]
            for name, texts in (("test", test), ("ood", ood))
        }
        references = {"test": list(splits.test.iso), "ood": list(splits.ood.iso)}
        for name in ("test", "ood"):
            row[f"{name}_invalid_plain"] = sum(not is_valid_iso(text) for text in plain[name])
            row[f"{name}_invalid_constrained"] = sum(not is_valid_iso(text) for text in constrained[name])
            row[f"{name}_constrained"] = round(exact_match(constrained[name], references[name]), 4)
    return row


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--smoke", action="store_true", help="tiny data, one epoch, two runs: checks that it runs")
    arguments = parser.parse_args()
    environment = set_up(seed=0)
    from course_utils import dates

    if arguments.smoke:
        splits = dates.make_splits(seed=0, train_size=300, test_size=50, ood_size=30)
        runs = [("general", 1, 0), (None, 1, 0)]
    else:
        splits = dates.make_splits(seed=0)
        runs = RUNS
    rows = [train(splits, attention, epochs, seed) for attention, epochs, seed in runs]
    data = "dates.make_splits(seed=0): 10,000 train, 2,000 test, 1,000 ood"
    finish(RECORDED, "benchmarks/date_seeds.py", environment.device, rows, smoke=arguments.smoke, data=data)


if __name__ == "__main__":
    main()
