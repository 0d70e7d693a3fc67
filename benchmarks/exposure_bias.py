"""Exposure bias on the date task (lesson 03): teacher forcing, free running and scheduled sampling, over seeds.

Setting (lesson 03's): course_utils.dates.make_splits(seed=0, train_size=5000, test_size=1000); the vanilla
encoder–decoder of lesson 02 (no attention, embedding 32, 64 units); batch 64; Adam with cosine decay from
``--learning-rate`` over the whole run; ``course_utils.teacher_forcing.train_step`` for every regime, so the three
differ only in the probability of feeding the true previous token: 1 (teacher forcing), 0 (free running), or
Bengio et al.'s (2015) inverse sigmoid decay k / (k + exp(step / k)) with k a tenth of the training steps
(scheduled sampling). Every run is evaluated on the 1,000 held-out dates after each ``--evaluate-every`` epochs
with the clock stopped: token accuracy with the true prefix and with its own predictions (greedy), exact match,
and the error cascade P(error at t+1 | error at t) against P(error at t+1 | correct at t) under both decodings.

Also timed, side by side in the same process: one teacher-forced epoch with ``fit()`` (decoder over all steps
in one call) against one with the step-by-step loop, steady state (median of epochs 2..n, no evaluation), and
the one-off tracing of each (fit's first epoch minus its steady epoch; the loop's first step).

The last line printed is one JSON object; ``--out`` also writes it to a file.

    python benchmarks/exposure_bias.py --out benchmarks/recorded/exposure_bias.json   # about 15 minutes, 2 cores
    python benchmarks/exposure_bias.py --smoke                                           # seconds
"""

import argparse
import json
import statistics
import time

from course_utils.environment import set_up


def date_arrays(train_size, test_size):
    from course_utils import dates
    from course_utils.seq2seq import teacher_forcing_arrays

    splits = dates.make_splits(seed=0, train_size=train_size, test_size=test_size)
    source_vocabulary, target_vocabulary = dates.vocabularies()
    arrays = []
    for frame in (splits.train, splits.test):
        (source, target_in), target_out = teacher_forcing_arrays(
            frame.text,
            frame.iso,
            source_vocabulary,
            target_vocabulary,
            source_length=dates.SOURCE_LENGTH,
            target_length=dates.TARGET_LENGTH,
        )
        arrays.append((source, target_in, target_out))
    return arrays, (source_vocabulary, target_vocabulary)


def build_date_model(vocabularies, seed):
    import keras

    from course_utils import dates
    from course_utils.seq2seq import Seq2Seq

    keras.utils.set_random_seed(seed)
    return Seq2Seq(
        *vocabularies,
        source_length=dates.SOURCE_LENGTH,
        target_length=dates.TARGET_LENGTH,
        attention=None,
        embedding_dim=32,
        units=64,
    )


def time_fit_and_loop(arrays, vocabularies, epochs, learning_rate):
    """Seconds per teacher-forced epoch: fit() against the loop, steady state and tracing apart."""
    import keras

    from course_utils.seq2seq import compile_seq2seq
    from course_utils.teacher_forcing_harness import train_regime

    source, target_in, target_out = arrays[0]
    model = compile_seq2seq(build_date_model(vocabularies, seed=0), learning_rate=learning_rate)
    ends = []
    timer = keras.callbacks.LambdaCallback(on_epoch_end=lambda epoch, logs: ends.append(time.perf_counter()))
    start = time.perf_counter()
    model.fit((source, target_in), target_out, epochs=epochs, batch_size=64, verbose=0, callbacks=[timer])
    fit_epochs = [end - begin for begin, end in zip([start] + ends[:-1], ends)]
    _, loop = train_regime(
        build_date_model(vocabularies, seed=0),
        arrays[0],
        arrays[1],
        "teacher forcing",
        epochs=epochs,
        learning_rate=learning_rate,
        evaluate_every=epochs + 1,
        log=lambda _: None,
    )
    fit_steady, loop_steady = statistics.median(fit_epochs[1:]), statistics.median(loop["epoch seconds"][1:])
    return {
        "epochs timed": epochs,
        "fit epoch seconds": fit_epochs,
        "loop epoch seconds": loop["epoch seconds"],
        "fit steady seconds per epoch": fit_steady,
        "loop steady seconds per epoch": loop_steady,
        "fit first epoch extra seconds (tracing)": fit_epochs[0] - fit_steady,
        "loop first step seconds (tracing)": loop["first step seconds"],
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--smoke", action="store_true", help="tiny run: check that the script works")
    parser.add_argument("--seeds", type=int, nargs="+", default=[0, 1, 2])
    parser.add_argument("--regimes", nargs="+", default=None)
    parser.add_argument("--epochs", type=int, default=30)
    parser.add_argument("--evaluate-every", type=int, default=2)
    parser.add_argument("--learning-rate", type=float, default=5e-3)
    parser.add_argument("--train-size", type=int, default=5_000)
    parser.add_argument("--timing-epochs", type=int, default=4)
    parser.add_argument("--out", default=None)
    arguments = parser.parse_args()
    environment = set_up(seed=0)

    from course_utils.teacher_forcing import REGIMES
    from course_utils.teacher_forcing_harness import train_regime

    if arguments.smoke:
        arguments.epochs, arguments.seeds, arguments.train_size, arguments.timing_epochs = 2, [0], 256, 2
        arguments.evaluate_every = 1
        arguments.regimes = arguments.regimes or ["scheduled sampling"]  # feeds both true and own tokens
    regimes = arguments.regimes or list(REGIMES)
    arrays, vocabularies = date_arrays(arguments.train_size, 200 if arguments.smoke else 1_000)
    started = time.perf_counter()
    timing = time_fit_and_loop(arrays, vocabularies, arguments.timing_epochs, arguments.learning_rate)
    print({key: (round(value, 2) if isinstance(value, float) else value) for key, value in timing.items()}, flush=True)
    curves, first_steps = [], {}
    for seed in arguments.seeds:
        for regime in regimes:
            model = build_date_model(vocabularies, seed)
            curve, run_timing = train_regime(
                model,
                arrays[0],
                arrays[1],
                regime,
                epochs=arguments.epochs,
                learning_rate=arguments.learning_rate,
                seed=seed,
                evaluate_every=arguments.evaluate_every,
                log=lambda line: print(line, flush=True),
            )
            curves.extend(curve)
            first_steps[f"{regime}, seed {seed}"] = run_timing["first step seconds"]
    result = {
        "benchmark": "exposure_bias",
        "smoke": arguments.smoke,
        "device": environment.device,
        "versions": environment.versions,
        "setting": {
            "train_size": arguments.train_size,
            "test_size": len(arrays[1][0]),
            "epochs": arguments.epochs,
            "batch_size": 64,
            "learning_rate": arguments.learning_rate,
            "schedule": "Adam, cosine decay over the run to 5 %",
            "scheduled_sampling": "inverse sigmoid k / (k + exp(step / k)), k = total steps / 10",
            "model": "vanilla Seq2Seq, embedding 32, 64 units",
            "seeds": arguments.seeds,
        },
        "timing": timing,
        "curves": curves,
        "seconds": round(time.perf_counter() - started, 1),
    }
    line = json.dumps(result)
    if arguments.out:
        with open(arguments.out, "w", encoding="utf-8") as out:
            json.dump(result, out, indent=1)
            out.write("\n")
    print(line)


if __name__ == "__main__":
    main()
