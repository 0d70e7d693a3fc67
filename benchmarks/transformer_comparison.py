"""The Transformer against the RNN attention models on the course's own harnesses, several seeds (lesson 09).

Three parts, each recorded in benchmarks/recorded/transformer_comparison.json:

- "dates": lesson 07's task (course_utils.dates.make_splits(seed=0): 10,000 training dates, 2,000 held-out in
  the trained formats) and lesson 07's recipe for every model: batch 64, Adam 5e-3 with cosine decay over
  EPOCHS epochs. Bahdanau and Luong general: embeddings 32, bidirectional GRU encoder of 64 units per direction
  (lesson 07's size). Transformer: d_model 64, 4 heads, feed-forward 128, 2 encoder and 2 decoder blocks.
  Recorded per epoch: training loss, held-out exact match of greedy decoding, seconds of training (the clock
  stops while evaluating). Seeds 0, 1, 2; the three models run side by side within each seed.
- "dates-long": the same Transformer and recipe with LONG_EPOCHS epochs (the cosine decay spread over them),
  seeds 0, 1, 2, recorded in "dates" under LONG_NAME: how many steps it needs to reach the RNNs' quality.
- "fra-eng": the Transformer (same sizes, feed-forward 256) on lesson 04's translation harness exactly as
  benchmarks/luong_comparison.py runs it (french_english(): 12,000 training pairs, 1,000 held-out, seed 0;
  batch 64; 5 epochs; Adam 3e-3 with cosine decay; greedy decoding; corpus BLEU), seeds 0, 1, 2. The RNN rows
  of the comparison are copied from luong_comparison.json into the record ("fra-eng RNN rows"): same data,
  schedule and metric, recorded by that script (its seconds per epoch come from a different run on the same kind
  of machine).
- "length": seconds per training step against sequence length, on a synthetic copy task (random tokens from a
  vocabulary of 20, source and target of length L, batch 32) for a recurrent encoder–decoder (the course's
  Luong general model, GRU 64 per direction) and the Transformer above, L = 16, 32, 64, 128: the median of 5
  steps after 2 warm-up steps, both models measured side by side at every length.

    python benchmarks/transformer_comparison.py            # everything (about 20 minutes on a 2-core CPU)
    python benchmarks/transformer_comparison.py --parts length
    python benchmarks/transformer_comparison.py --smoke    # 1 date model, 1 epoch, length 8: checks the script

Runs already recorded are kept and skipped, so an interrupted run resumes. A summary is printed at the end.
"""

import argparse
import json
import platform
import statistics
import time
from pathlib import Path

import numpy as np

from course_utils import date_models
from course_utils.batches import BATCH_SIZE
from course_utils.pretrained import RECIPES

RECORDED = Path(__file__).resolve().parent / "recorded" / "transformer_comparison.json"
SEEDS = [0, 1, 2]
BATCH = BATCH_SIZE
DATE_EPOCHS, DATE_LEARNING_RATE = date_models.EPOCHS, date_models.LEARNING_RATE  # lesson 07's recipe
FRA_EPOCHS, FRA_LEARNING_RATE = 5, 3e-3  # luong_comparison's harness
TRANSFORMER_DATES = dict(date_models.TRANSFORMER_SIZES)  # lesson 09's date Transformer
TRANSFORMER_FRA = RECIPES["fra-eng-transformer"].transformer  # one definition: make models saves its seed 0
DATE_MODELS = ["Transformer", "Bahdanau", "Luong general"]
LONG_EPOCHS = 8  # "dates-long": the Transformer given twice the budget (cosine decay over the 8 epochs)
LONG_NAME = f"Transformer, {LONG_EPOCHS} epochs"
LENGTHS = [16, 32, 64, 128]
LENGTH_BATCH, LENGTH_VOCABULARY = 32, 20


def date_model(name, seed):
    """A date model of lesson 07's size (or lesson 09's Transformer), seeded."""
    import keras

    attention = {"Transformer": "transformer", "Bahdanau": "bahdanau", "Luong general": "general"}[name]
    keras.utils.set_random_seed(seed)
    return date_models.date_model(attention)


def fra_transformer(data, seed):
    import keras

    from course_utils.transformer import Transformer

    keras.utils.set_random_seed(seed)
    return Transformer(
        data.source_vocabulary,
        data.target_vocabulary,
        source_length=data.source_length,
        target_length=data.target_length,
        **TRANSFORMER_FRA,
    )


def train_and_score(model, arrays, epochs, learning_rate, score):
    """fit with the course's recipe; after every epoch: loss, score() and seconds of training (eval excluded).

    ``learning_rate``: a number (Adam at that rate with cosine decay over the run) or a Keras schedule (used as is:
    benchmarks/transformer_warmup.py passes the warm-up schedule)."""
    import keras

    from course_utils.seq2seq import compile_seq2seq

    (source, target_in), target_out = arrays
    if isinstance(learning_rate, keras.optimizers.schedules.LearningRateSchedule):
        compile_seq2seq(model, learning_rate=learning_rate)
    else:
        steps = epochs * int(np.ceil(len(target_out) / BATCH))
        compile_seq2seq(model, learning_rate=learning_rate, decay_steps=steps)
    record = {"loss": [], "score": [], "epoch_seconds": []}

    class Clock(keras.callbacks.Callback):
        def on_epoch_begin(self, epoch, logs=None):
            self.start = time.perf_counter()

        def on_epoch_end(self, epoch, logs=None):
            record["epoch_seconds"].append(round(time.perf_counter() - self.start, 2))
            record["loss"].append(round(float(logs["loss"]), 4))
            record["score"].append(round(float(score(model)), 4))

    model.fit((source, target_in), target_out, epochs=epochs, batch_size=BATCH, verbose=0, callbacks=[Clock()])
    record["parameters"] = model.count_params()
    return record


def date_harness(smoke=False):
    from course_utils import dates

    splits = dates.make_splits(seed=0, train_size=300 if smoke else 10_000, test_size=100 if smoke else 2_000)
    return splits, dates.training_arrays(splits.train)


def run_date(name, seed, splits, arrays, epochs=DATE_EPOCHS):
    from course_utils.decoding import translate
    from course_utils.metrics import exact_match

    texts, answers = list(splits.test.text), list(splits.test.iso)
    model = date_model(name, seed)
    return train_and_score(
        model, arrays, epochs, DATE_LEARNING_RATE, lambda m: exact_match(translate(m, texts), answers)
    )


def fra_harness(smoke=False):
    from course_utils.translation import french_english

    data = french_english(train_size=200 if smoke else 12_000, test_size=100 if smoke else 1_000, seed=0)
    return data, data.arrays(data.train)


def run_fra(seed, data, arrays, epochs=FRA_EPOCHS):
    from course_utils.decoding import translate
    from course_utils.metrics import corpus_bleu

    sources, references = list(data.test.source), list(data.test.reference)
    model = fra_transformer(data, seed)
    return train_and_score(
        model, arrays, epochs, FRA_LEARNING_RATE, lambda m: corpus_bleu(translate(m, sources), references).score
    )


def first_epoch_loss(name, seed=0):
    """One epoch of a date model with the full run's schedule: the slice tests/test_transformer_comparison.py
    re-checks against the recorded loss."""
    from course_utils.seq2seq import compile_seq2seq

    _, ((source, target_in), target_out) = date_harness()
    model = date_model(name, seed)
    compile_seq2seq(
        model, learning_rate=DATE_LEARNING_RATE, decay_steps=DATE_EPOCHS * int(np.ceil(len(target_out) / BATCH))
    )
    history = model.fit((source, target_in), target_out, epochs=1, batch_size=BATCH, verbose=0)
    return float(history.history["loss"][0])


def copy_task_model(kind, length, seed=0):
    """The models timed against length: a recurrent Seq2Seq (Luong general) or the Transformer."""
    import keras

    from course_utils.seq2seq import Seq2Seq
    from course_utils.transformer import Transformer
    from course_utils.vocabulary import Vocabulary

    vocabulary = Vocabulary([f"t{i}" for i in range(LENGTH_VOCABULARY)])
    keras.utils.set_random_seed(seed)
    if kind == "Transformer":
        return Transformer(vocabulary, vocabulary, source_length=length, target_length=length, **TRANSFORMER_DATES)
    return Seq2Seq(
        vocabulary, vocabulary, source_length=length, target_length=length, attention="general", **date_models.SIZES
    )


def seconds_per_step(kind, length, warm=2, timed=5):
    """Median seconds of one training step (batch 32, source and target of ``length`` tokens)."""
    from course_utils.seq2seq import compile_seq2seq

    rng = np.random.default_rng(0)
    source = rng.integers(3, LENGTH_VOCABULARY + 3, size=(LENGTH_BATCH, length)).astype("int32")
    target_in = np.concatenate([np.ones((LENGTH_BATCH, 1), "int32"), source[:, :-1]], axis=1)  # <start> = 1
    model = copy_task_model(kind, length)
    compile_seq2seq(model, learning_rate=1e-3)
    for _ in range(warm):
        model.train_on_batch((source, target_in), source)
    times = []
    for _ in range(timed):
        start = time.perf_counter()
        model.train_on_batch((source, target_in), source)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def copy_rnn_rows(recorded):
    """The RNN rows of luong_comparison.json (same harness) copied into the record, as they are when it is made."""
    from course_utils.recorded import luong_comparison, rnn_rows

    recorded["fra-eng RNN rows"] = rnn_rows(luong_comparison())


def load_recorded(path=RECORDED):
    return json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}


def save(recorded):
    RECORDED.parent.mkdir(exist_ok=True)
    RECORDED.write_text(json.dumps(recorded, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--parts", nargs="+", default=["dates", "length", "fra-eng", "dates-long"])
    parser.add_argument("--seeds", type=int, nargs="+", default=SEEDS)
    parser.add_argument("--smoke", action="store_true", help="tiny data, 1 epoch, 1 date model, length 8; not saved")
    arguments = parser.parse_args()
    from course_utils.environment import set_up

    environment = set_up(seed=0, verbose=False)
    if arguments.smoke:  # one trained and scored model and the timing: every model is built, and the date
        splits, arrays = date_harness(smoke=True)  # Transformer trained, by tests/test_transformer_comparison.py
        print("Luong general", run_date("Luong general", 0, splits, arrays, epochs=1))
        print(8, {kind: seconds_per_step(kind, 8) for kind in ("recurrent", "Transformer")})
        return
    recorded = load_recorded()
    recorded["machine"] = f"{environment.device}, Python {platform.python_version()}, TensorFlow/Keras as pinned"
    recorded["setting"] = {
        "dates": f"make_splits(seed=0): 10,000 train / 2,000 held-out; batch {BATCH}; {DATE_EPOCHS} epochs "
        f"({LONG_EPOCHS} for '{LONG_NAME}'); Adam "
        f"{DATE_LEARNING_RATE} with cosine decay; RNNs: embeddings 32, GRU 64 per direction; Transformer "
        f"{TRANSFORMER_DATES}; score: held-out exact match of greedy decoding",
        "fra-eng": f"luong_comparison's harness (french_english(), 12,000 / 1,000, seed 0; batch {BATCH}; "
        f"{FRA_EPOCHS} epochs; Adam {FRA_LEARNING_RATE} cosine); Transformer {TRANSFORMER_FRA}; score: corpus BLEU",
        "length": f"copy task, vocabulary {LENGTH_VOCABULARY}, batch {LENGTH_BATCH}; median of 5 training steps after "
        f"2 warm-up steps; recurrent = Seq2Seq(attention='general', embedding 32, GRU 64 per direction)",
    }
    if "dates" in arguments.parts:
        splits, arrays = date_harness()
        runs = recorded.setdefault("dates", {})
        for seed in arguments.seeds:
            for name in DATE_MODELS:
                if str(seed) in runs.get(name, {}):
                    continue
                record = run_date(name, seed, splits, arrays)
                runs.setdefault(name, {})[str(seed)] = record
                save(recorded)
                print(f"dates seed {seed} {name}: {record}", flush=True)
    if "dates-long" in arguments.parts:
        splits, arrays = date_harness()
        runs = recorded.setdefault("dates", {}).setdefault(LONG_NAME, {})
        for seed in arguments.seeds:
            if str(seed) in runs:
                continue
            runs[str(seed)] = run_date("Transformer", seed, splits, arrays, epochs=LONG_EPOCHS)
            save(recorded)
            print(f"dates seed {seed} {LONG_NAME}: {runs[str(seed)]}", flush=True)
    if "length" in arguments.parts:
        rows = recorded.setdefault("length", {})
        for length in LENGTHS:
            if str(length) in rows:
                continue
            kinds = ("recurrent", "Transformer")
            rows[str(length)] = {kind: round(seconds_per_step(kind, length), 4) for kind in kinds}
            save(recorded)
            print(f"length {length}: {rows[str(length)]}", flush=True)
    if "fra-eng" in arguments.parts:
        data, arrays = fra_harness()
        runs = recorded.setdefault("fra-eng", {}).setdefault("Transformer", {})
        for seed in arguments.seeds:
            if str(seed) in runs:
                continue
            runs[str(seed)] = run_fra(seed, data, arrays)
            save(recorded)
            print(f"fra-eng seed {seed} Transformer: {runs[str(seed)]}", flush=True)
        copy_rnn_rows(recorded)
        save(recorded)
    from course_utils.recorded import transformer_tables

    for name, table in transformer_tables(recorded).items():
        print(name, "\n", table.round(3).to_string(), "\n")


if __name__ == "__main__":
    main()
