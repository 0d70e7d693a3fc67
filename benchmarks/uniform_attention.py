"""Wiegreffe & Pinter's uniform-attention baseline on dates (lesson 08): does the task need learned attention?

Two models, trained identically: lesson 07's Luong general date model (course_utils.date_models), and the same
model with its attention frozen to uniform weights over the real input characters before training
(``course_utils.intervention.UniformAttention``: the context is the mean annotation at every step). Same data
(dates.make_splits(seed=0): 10,000 train, 2,000 test), lesson 07's recipe (EPOCHS epochs of Adam at LEARNING_RATE
with cosine decay, batch 64), seeds 0, 1 and 2 for each. Recorded per run, after every epoch: the training loss
and the held-out (test) exact match of greedy decoding.

Output: benchmarks/recorded/uniform_attention.json (lesson 08 shows it; tests/test_uniform_attention.py checks it).

    python benchmarks/uniform_attention.py           # about 4 minutes on a 2-core CPU
    python benchmarks/uniform_attention.py --smoke   # tiny data, one epoch: checks that it runs
"""

import argparse
import time
from pathlib import Path

from course_utils.environment import set_up
from recording import finish  # benchmarks/recording.py, beside this script

RECORDED = Path(__file__).resolve().parent / "recorded" / "uniform_attention.json"
MODELS = ("learned", "uniform")  # Luong general's own attention, or frozen uniform weights
SEEDS = (0, 1, 2)


def train(splits, attention, seed, epochs):
    """One run of lesson 07's recipe; returns the per-epoch curve, the parameters and the time."""
    import keras

    from course_utils import dates
    from course_utils.date_models import LEARNING_RATE, date_model
    from course_utils.decoding import translate
    from course_utils.intervention import UniformAttention
    from course_utils.metrics import exact_match
    from course_utils.training import fit_seq2seq

    keras.utils.set_random_seed(seed)
    model = date_model("general")
    if attention == "uniform":
        model.decoder.attention = UniformAttention()  # before the first call: nothing learned about where to look
    test = list(splits.test.text)
    curve = []

    def evaluate(epoch, logs):
        score = exact_match(translate(model, test), list(splits.test.iso))
        curve.append({"epoch": epoch + 1, "loss": round(float(logs["loss"]), 4), "test": round(score, 4)})
        print(f"  {attention} seed {seed}: {curve[-1]}", flush=True)

    start = time.perf_counter()
    fit_seq2seq(
        model,
        *dates.training_arrays(splits.train),
        epochs=epochs,
        learning_rate=LEARNING_RATE,
        verbose=0,
        callbacks=[keras.callbacks.LambdaCallback(on_epoch_end=evaluate)],
    )
    seconds = round(time.perf_counter() - start, 1)
    parameters = model.count_params()
    return {"attention": attention, "seed": seed, "parameters": parameters, "curve": curve, "seconds": seconds}


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--smoke", action="store_true", help="tiny data, one epoch, one seed: checks that it runs")
    arguments = parser.parse_args()
    environment = set_up(seed=0)
    from course_utils import dates
    from course_utils.date_models import EPOCHS

    if arguments.smoke:
        splits, seeds, epochs = dates.make_splits(seed=0, train_size=300, test_size=50, ood_size=30), (0,), 1
    else:
        splits, seeds, epochs = dates.make_splits(seed=0), SEEDS, EPOCHS
    runs = [train(splits, attention, seed, epochs) for attention in MODELS for seed in seeds]
    recipe = f"date_model('general'), {epochs} epochs, Adam at lesson 07's rate with cosine decay, batch 64"
    data = "dates.make_splits(seed=0): 10,000 train, 2,000 test"
    finish(
        RECORDED,
        "benchmarks/uniform_attention.py",
        environment.device,
        runs,
        smoke=arguments.smoke,
        data=data,
        recipe=recipe,
    )


if __name__ == "__main__":
    main()
