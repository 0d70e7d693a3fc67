"""Date normalisation: the course's attention model against a Coursera-style baseline, side by side in one run.

Both train on the same data (course_utils.dates.make_splits(seed=0): 10,000 training texts, 2,000 held-out
test texts) with the same seeds, each with its own published training setting:

- course model: Seq2Seq(attention="general"), bidirectional GRU encoder, teacher forcing, Adam 5e-3 with
  cosine decay over 4 epochs, batch 64 (the recipe of lesson 07);
- Coursera-style baseline, written here from the description in Ng's Sequence Models course (week 3): one-hot
  input, bidirectional LSTM(32), a Python loop over the 10 output steps with shared layers
  RepeatVector → Concatenate → Dense(10, tanh) → Dense(1, relu) → softmax over time → Dot, a post-attention
  LSTM(64) and Dense(11, softmax); no teacher forcing; Adam 5e-3, batch 100. The assignment also decays the
  learning rate (Keras 2 ``decay=0.01`` per step); here that made it slower (seed 0: 95 % after 40 epochs), so
  the baseline runs without it by default; ``--baseline-decay`` restores it.

Decoding: 2,000 held-out dates normalised as normalize_dates does (greedy, constrained to real dates), warm median of 5
(the unconstrained time is printed beside it).

Clock: each model's training time to 99 % held-out exact match is its optimizer steps to 99 % times its time per
step. Both models are evaluated every 10 steps with the clock stopped (course_utils' batched greedy decoding for the
course model, predict() for the baseline), so the steps are known to within 10 (printed as "steps 180-190"); with op
determinism on they are the same in every run on one machine. Every step is timed on its own. A model's step time is
the median over the seeds of each run's median step; the first step traces the training graph, and its time beyond
a median step is the tracing, printed per run and not counted as training.

The figure: the seeds (default 0-4) are run in turn, each seed's course model and baseline back to back, and the
paired ratio of a seed is baseline seconds / course seconds; the goal is judged on the median of the paired ratios,
printed with their minimum and maximum. A seed whose course model never reaches 99 % gives ratio 0, one whose
baseline never does gives infinity (a lower bound), so that both still count in the median.

Why steps x step time rather than the wall clock of each run: on a shared 2-core machine a run's wall clock depends
on when it ran. In the runs that led to this method the same step took 21 to 40 ms from one stretch of minutes to
another, single steps stalled for seconds (a "first step" of 46 s; 10 s lost inside a 15 s run), and the course
model reaches 99 % in about 5 s, so one disturbed run moved its seed's ratio by half and the median of five from
3.9 to 5.5 between two runs. The steps carry the difference between seeds exactly; the step times, sampled across
the whole run for both models alike, carry the machine, and one disturbed run does not move their median. The wall
clock is still printed beside each run ("measured", evaluations and tracing taken out) with its own paired ratios,
and so are the cores the run had (process CPU seconds per second of its steps: about 1.65 of 2 when nothing else
runs). What the step time leaves out: the time between steps (epoch ends, callbacks) and slow steps' excess over the
median, 0-9 % of the measured time in a quiet run and the most in the baseline's long runs, so that leaving it out
lowers the ratio if anything. Two consecutive runs of this method: median 4.79 and 4.90 (the measured wall clock's
median 4.67 and 3.80).

The last line printed is one JSON object with the figures.

    python benchmarks/dates.py            # full run, 5 seeds, about 9 minutes on a 2-core CPU
    python benchmarks/dates.py --smoke    # a few seconds of each step, to check the script runs
"""

import argparse
import json
import math
import os
import resource
import statistics
import time

from course_utils.environment import set_up

GOALS = {"exact_match": 0.999, "speedup": 3.0, "decode_seconds_2000": 1.0}  # speedup: median paired ratio
EVALUATE_EVERY = 10  # training steps between held-out evaluations


def build_baseline(source_length, source_size, output_steps=10, output_size=11, n_a=32, n_s=64):
    """The Coursera-style model: attention computed by shared layers in a Python loop over output steps."""
    import keras

    repeat = keras.layers.RepeatVector(source_length)
    concatenate = keras.layers.Concatenate(axis=-1)
    energy_hidden = keras.layers.Dense(10, activation="tanh")
    energy = keras.layers.Dense(1, activation="relu")
    softmax_over_time = keras.layers.Softmax(axis=1)
    weighted_sum = keras.layers.Dot(axes=1)
    post_attention = keras.layers.LSTM(n_s, return_state=True)
    output_layer = keras.layers.Dense(output_size, activation="softmax")

    one_hot = keras.Input((source_length, source_size))  # (batch, Tx, vocabulary)
    s0, c0 = keras.Input((n_s,)), keras.Input((n_s,))
    annotations = keras.layers.Bidirectional(keras.layers.LSTM(n_a, return_sequences=True))(one_hot)  # (b, Tx, 64)
    s, c, outputs = s0, c0, []
    for _ in range(output_steps):
        scores = energy(energy_hidden(concatenate([annotations, repeat(s)])))  # (batch, Tx, 1)
        context = weighted_sum([softmax_over_time(scores), annotations])  # (batch, 1, 64)
        s, _, c = post_attention(context, initial_state=[s, c])
        outputs.append(output_layer(s))  # (batch, 11)
    return keras.Model([one_hot, s0, c0], outputs)


class StopWatch:
    """A Keras callback that measures training time up to a held-out exact match of 99 %, tracing apart.

    Every ``every`` training steps it stops the clock, evaluates, and starts the clock again, so that only
    training counts and the moment the goal is reached is known to within ``every`` steps for both models alike.
    Each step is timed on its own: the first one's time beyond a median step is the tracing of the training graph.
    """

    def __init__(self, evaluate, label, *, every, goal=0.99, stop_at_goal=False, time_limit=None):
        import keras

        self.callback = keras.callbacks.LambdaCallback(
            on_train_batch_begin=self.on_batch_begin,
            on_train_batch_end=self.on_batch_end,
            on_epoch_end=self.on_epoch_end,
        )
        self.evaluate, self.label, self.every, self.goal = evaluate, label, every, goal
        self.stop_at_goal, self.time_limit = stop_at_goal, time_limit
        self.steps, self.curve, self.step_seconds, self.step_cpu_seconds = 0, [], [], []
        self.first_step_done = self.elapsed_at_goal = self.steps_to_goal = None

    def start(self):
        self.started, self.paused = time.perf_counter(), 0.0

    def elapsed(self):
        """Wall-clock seconds since ``start`` without the evaluations' pauses (tracing included)."""
        return time.perf_counter() - self.started - self.paused

    def reached(self):
        return self.elapsed_at_goal is not None

    def on_batch_begin(self, batch, logs=None):
        self.step_began, self.step_cpu_began = time.perf_counter(), time.process_time()

    def on_epoch_end(self, epoch, logs=None):
        if self.reached() and not self.stop_at_goal:
            print(f"  {self.label} epoch {epoch + 1}: training on to the recipe's end (no evaluation after the goal)")
        elif self.curve:
            steps, elapsed, exact = self.curve[-1]
            where = f"at step {steps}, {elapsed:.0f} s since the start (tracing included)"
            print(f"  {self.label} epoch {epoch + 1}: exact match {exact:.4f} {where}", flush=True)

    def on_batch_end(self, batch, logs=None):
        self.step_seconds.append(time.perf_counter() - self.step_began)
        self.step_cpu_seconds.append(time.process_time() - self.step_cpu_began)
        self.steps += 1
        if self.steps == 1:
            self.first_step_done = self.elapsed()  # fit's set-up and the first step, where the graph is traced
        if self.steps % self.every or (self.reached() and not self.stop_at_goal):
            return
        elapsed = self.elapsed()
        pause = time.perf_counter()
        exact = self.evaluate()
        self.paused += time.perf_counter() - pause
        if exact >= self.goal and not self.reached():
            self.elapsed_at_goal, self.steps_to_goal = elapsed, self.steps
            print(f"  {self.label}: exact match {exact:.4f} after {self.steps} steps", flush=True)
        self.curve.append((self.steps, round(elapsed, 2), round(exact, 4)))
        if (self.stop_at_goal and self.reached()) or (self.time_limit and elapsed > self.time_limit):
            self.callback.model.stop_training = True

    def figures(self):
        """Steps to the goal (None if never), the median step, the tracing, CPU use and the measured seconds."""
        later_steps = self.step_seconds[1:] or self.step_seconds  # every step after the first, the goal's or not
        median_step = statistics.median(later_steps)
        tracing = self.first_step_done - median_step
        cores = sum(self.step_cpu_seconds[1:]) / max(sum(self.step_seconds[1:]), 1e-9)
        reached = self.reached()
        return {
            "steps_to_99": self.steps_to_goal,
            "median_step_seconds": median_step,
            "tracing_seconds": tracing,
            "cores_used": cores,
            "measured_seconds_to_99": self.elapsed_at_goal - tracing if reached else None,
            "measured_seconds_to_99_with_tracing": self.elapsed_at_goal,
        }


def train_baseline(splits, vocabularies, seed, max_epochs, time_limit, decay, every):
    import keras
    import numpy as np

    source_vocabulary, target_vocabulary = vocabularies
    from course_utils.dates import SOURCE_LENGTH

    def arrays(frame):
        ids = source_vocabulary.encode_batch(list(frame.text), length=SOURCE_LENGTH)
        one_hot = np.eye(len(source_vocabulary), dtype="float32")[ids]  # (n, Tx, vocabulary)
        zeros = np.zeros((len(frame), 64), "float32")
        digits = np.array(
            [[target_vocabulary.ids[c] - target_vocabulary.special_count for c in iso] for iso in frame.iso]
        )  # 0..10 per step
        return [one_hot, zeros, zeros], list(digits.T)

    x_train, y_train = arrays(splits.train)
    x_test, y_test = arrays(splits.test)
    keras.utils.set_random_seed(seed)
    model = build_baseline(SOURCE_LENGTH, len(source_vocabulary))
    learning_rate = keras.optimizers.schedules.InverseTimeDecay(5e-3, decay_steps=1, decay_rate=0.01) if decay else 5e-3
    model.compile(
        optimizer=keras.optimizers.Adam(learning_rate, beta_1=0.9, beta_2=0.999),
        loss=["sparse_categorical_crossentropy"] * 10,
        jit_compile=False,
    )

    def exact_match_now():
        predictions = np.stack([p.argmax(-1) for p in model.predict(x_test, batch_size=500, verbose=0)], axis=1)
        return float((predictions == np.stack(y_test, axis=1)).all(axis=1).mean())

    watch = StopWatch(exact_match_now, f"baseline seed {seed}", every=every, stop_at_goal=True, time_limit=time_limit)
    watch.start()
    model.fit(x_train, y_train, batch_size=100, epochs=max_epochs, verbose=0, callbacks=[watch.callback])
    return watch.figures() | {"curve": watch.curve, "parameters": model.count_params()}


def train_course_model(splits, vocabularies, seed, epochs, every, batch_size=64):
    import keras

    from course_utils import dates
    from course_utils.decoding import translate
    from course_utils.metrics import exact_match
    from course_utils.seq2seq import Seq2Seq
    from course_utils.training import fit_seq2seq

    source_vocabulary, target_vocabulary = vocabularies
    inputs, targets = dates.training_arrays(splits.train)
    keras.utils.set_random_seed(seed)
    model = Seq2Seq(
        source_vocabulary,
        target_vocabulary,
        source_length=dates.SOURCE_LENGTH,
        target_length=dates.TARGET_LENGTH,
        attention="general",
        embedding_dim=32,
        units=64,
    )
    watch = StopWatch(
        lambda: exact_match(translate(model, list(splits.test.text)), list(splits.test.iso)),
        f"course   seed {seed}",
        every=every,
    )
    watch.start()
    fit_seq2seq(model, inputs, targets, epochs=epochs, batch_size=batch_size, verbose=0, callbacks=[watch.callback])
    ood = exact_match(translate(model, list(splits.ood.text)), list(splits.ood.iso))
    final = exact_match(translate(model, list(splits.test.text)), list(splits.test.iso))
    return watch.figures() | {
        "curve": watch.curve,
        "exact_match": final,
        "ood_exact_match": ood,
        "parameters": model.count_params(),
        "model": model,
    }


def time_decoding(model, texts, repeats=5):
    """Seconds to normalise ``texts`` as ``normalize_dates`` does (batched greedy decoding constrained to real
    dates) and without the constraint: each as (first call, graph build included; median warm call)."""
    from course_utils.dates import SOURCE_LENGTH
    from course_utils.date_normalization import date_constraint
    from course_utils.decoding import constrained_decode, greedy_decode

    source = model.source_vocabulary.encode_batch(texts, length=SOURCE_LENGTH)
    constraint = date_constraint(tuple(model.target_vocabulary.tokens))
    timings = {}
    for name, decode in [
        ("constrained", lambda: constrained_decode(model, source, constraint)),
        ("free", lambda: greedy_decode(model, source)),
    ]:
        start = time.perf_counter()
        decode()
        first = time.perf_counter() - start
        warm = []
        for _ in range(repeats):
            start = time.perf_counter()
            decode()
            warm.append(time.perf_counter() - start)
        timings[name] = (first, statistics.median(warm))
    return timings


def finite(value, digits=1):
    """A rounded number, or None (JSON null) for a figure that does not exist (a goal never reached)."""
    return None if value is None or math.isinf(value) or math.isnan(value) else round(value, digits)


def median_or_none(values):
    """Median of the seeds; a seed that never reached 99 % counts as slower than all the others."""
    return statistics.median([v if v is not None else float("inf") for v in values])


def paired_ratio(baseline_seconds, course_seconds):
    """Baseline seconds / course seconds of one seed: 0 if the course model never reached 99 %, infinity if only
    the baseline never did (a lower bound, counted as the largest ratio)."""
    if course_seconds is None:
        return 0.0
    return math.inf if baseline_seconds is None else baseline_seconds / course_seconds


def spread(values, digits=2):
    """min / median / max of the seeds' values, for printing."""
    return "min {:.{d}f}, median {:.{d}f}, max {:.{d}f}".format(
        min(values), statistics.median(values), max(values), d=digits
    )


def shown(value, digits=1):
    return "never" if value is None else f"{value:.{digits}f}"


def print_seeds(seeds, course, baseline, every):
    """One line per run: steps to 99 %, training seconds, what was measured, the tracing, step time and cores."""

    def run(result):
        steps = result["steps_to_99"]
        if steps:
            reached = f"steps {steps - every:4d}-{steps:4d} -> {result['seconds_to_99']:5.1f} s"
        else:
            reached = "never reached 99 %"
        return (
            f"{reached:<28}; measured {shown(result['measured_seconds_to_99']):>5} s, "
            f"tracing {result['tracing_seconds']:4.1f} s, step {1000 * result['median_step_seconds']:4.1f} ms, "
            f"{result['cores_used']:.2f} cores"
        )

    print("99 % first seen between steps; training seconds = steps x the model's step time (median of the seeds)")
    for seed, course_run, baseline_run in zip(seeds, course, baseline):
        print(f"  seed {seed} course   {run(course_run)}")
        print(f"  seed {seed} baseline {run(baseline_run)}")


def add_training_seconds(runs):
    """Each run's seconds to 99 %: its steps times the model's step time, the median over the seeds' runs."""
    step_seconds = statistics.median(r["median_step_seconds"] for r in runs)
    for r in runs:
        r["seconds_to_99"] = r["steps_to_99"] * step_seconds if r["steps_to_99"] else None
    return step_seconds


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seeds", type=int, nargs="+", default=[0, 1, 2, 3, 4])
    parser.add_argument("--smoke", action="store_true", help="tiny data and one epoch: checks that the script runs")
    parser.add_argument("--baseline-decay", action="store_true", help="the assignment's learning-rate decay 0.01")
    arguments = parser.parse_args()

    run_started = time.perf_counter()
    environment = set_up(seed=0)
    from course_utils import dates

    if arguments.smoke:
        splits = dates.make_splits(seed=0, train_size=300, test_size=100, ood_size=30)
        seeds, course_epochs, baseline_epochs, time_limit, every = arguments.seeds[:1], 1, 1, 60, 2
    else:
        splits = dates.make_splits(seed=0)
        seeds, course_epochs, baseline_epochs, time_limit, every = arguments.seeds, 4, 40, 900, EVALUATE_EVERY
    vocabularies = dates.vocabularies()

    course, baseline = [], []
    for seed in seeds:  # each seed's two runs back to back, so that the step times sample the same stretches alike
        course.append(train_course_model(splits, vocabularies, seed, course_epochs, every))
        baseline.append(
            train_baseline(splits, vocabularies, seed, baseline_epochs, time_limit, arguments.baseline_decay, every)
        )
    timings = time_decoding(course[0]["model"], list(splits.test.text))
    first_call, warm = timings["constrained"]

    course_step, baseline_step = add_training_seconds(course), add_training_seconds(baseline)
    print_seeds(seeds, course, baseline, every)
    pairs = list(zip(course, baseline))
    ratios = [paired_ratio(b["seconds_to_99"], c["seconds_to_99"]) for c, b in pairs]
    measured = [paired_ratio(b["measured_seconds_to_99"], c["measured_seconds_to_99"]) for c, b in pairs]
    with_tracing = [
        paired_ratio(b["measured_seconds_to_99_with_tracing"], c["measured_seconds_to_99_with_tracing"])
        for c, b in pairs
    ]
    print(
        f"step time: course {1000 * course_step:.1f} ms, baseline {1000 * baseline_step:.1f} ms "
        f"(ratio {baseline_step / course_step:.3f})"
    )
    print("paired ratio baseline / course, per seed:", " ".join(f"{r:.2f}" for r in ratios))
    print(f"  {spread(ratios)}  <- the figure")
    print(f"  as measured (wall clock, tracing apart): {' '.join(f'{r:.2f}' for r in measured)}; {spread(measured)}")
    print(f"  as measured with tracing counted: {' '.join(f'{r:.2f}' for r in with_tracing)}; {spread(with_tracing)}")
    seconds_to_99 = median_or_none([r["seconds_to_99"] for r in course])
    baseline_seconds_to_99 = median_or_none([r["seconds_to_99"] for r in baseline])

    def per_seed(runs, name, digits=1, scale=1):
        return [finite(r[name] * scale if r[name] is not None else None, digits) for r in runs]

    figures = {
        "exact_match": course[0]["exact_match"],
        "ood_exact_match": round(course[0]["ood_exact_match"], 4),
        "seconds_to_99": finite(seconds_to_99),
        "baseline_seconds_to_99": finite(baseline_seconds_to_99),
        "speedup": finite(statistics.median(ratios), 2),
        "speedup_min": finite(min(ratios), 2),
        "speedup_max": finite(max(ratios), 2),
        "speedup_per_seed": [finite(ratio, 2) for ratio in ratios],
        "speedup_measured": finite(statistics.median(measured), 2),
        "speedup_measured_per_seed": [finite(ratio, 2) for ratio in measured],
        "speedup_measured_with_tracing": finite(statistics.median(with_tracing), 2),
        "decode_seconds_2000": round(warm, 3),
        "decode_seconds_2000_first_call": round(first_call, 3),
        "decode_seconds_2000_unconstrained": round(timings["free"][1], 3),
        "decoded_texts": len(splits.test),
        "seeds": seeds,
        "exact_match_per_seed": [r["exact_match"] for r in course],
        "course_steps_to_99_per_seed": [r["steps_to_99"] for r in course],
        "baseline_steps_to_99_per_seed": [r["steps_to_99"] for r in baseline],
        "course_step_ms": round(1000 * course_step, 2),
        "baseline_step_ms": round(1000 * baseline_step, 2),
        "course_seconds_to_99_per_seed": per_seed(course, "seconds_to_99"),
        "baseline_seconds_to_99_per_seed": per_seed(baseline, "seconds_to_99"),
        "course_measured_seconds_to_99_per_seed": per_seed(course, "measured_seconds_to_99"),
        "baseline_measured_seconds_to_99_per_seed": per_seed(baseline, "measured_seconds_to_99"),
        "course_tracing_seconds_per_seed": per_seed(course, "tracing_seconds"),
        "baseline_tracing_seconds_per_seed": per_seed(baseline, "tracing_seconds"),
        "course_step_ms_per_seed": per_seed(course, "median_step_seconds", scale=1000),
        "baseline_step_ms_per_seed": per_seed(baseline, "median_step_seconds", scale=1000),
        "course_cores_used_per_seed": per_seed(course, "cores_used", 2),
        "baseline_cores_used_per_seed": per_seed(baseline, "cores_used", 2),
        "course_parameters": course[0]["parameters"],
        "baseline_parameters": baseline[0]["parameters"],
        "peak_memory_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
        "device": environment.device,
        "cpu_count": os.cpu_count(),
        "baseline_learning_rate": "5e-3 with decay 0.01" if arguments.baseline_decay else "5e-3 constant",
        "evaluated_every_steps": every,
        "run_seconds": round(time.perf_counter() - run_started),
        "smoke": arguments.smoke,
    }
    for name, goal in GOALS.items():
        value = figures[name]
        met = value is not None and (value <= goal if name == "decode_seconds_2000" else value >= goal)
        comparison = "<=" if name == "decode_seconds_2000" else ">="
        print(f"goal {name} {comparison} {goal}: {value} -> {'met' if met else 'NOT met'}")
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
