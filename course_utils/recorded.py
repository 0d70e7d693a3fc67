"""Results recorded by the scripts in benchmarks/ and shipped in benchmarks/recorded/, read for the lessons.

A sweep too long for a lesson's 4 minutes runs in a benchmark script; its output file is shown in the lesson,
labelled as recorded, and tests/test_luong_comparison.py re-checks a cheap slice of it.
"""

import json
import statistics

import pandas as pd

from course_utils.batches import training_steps
from course_utils.paths import course_root

# The training examples of each harness of transformer_comparison.json, as its "setting" states them (the
# benchmark trains with the course's batch size): "steps to" counts the optimizer steps of these epochs.
# tests/test_transformer_comparison.py checks them against the record's setting and the benchmark's harness.
TRANSFORMER_COMPARISON_EXAMPLES = {"dates": 10_000, "fra-eng": 12_000}


def recorded_benchmark(name: str) -> dict:
    """The recorded output of ``benchmarks/<name>.py``, shipped as ``benchmarks/recorded/<name>.json``."""
    path = course_root() / "benchmarks" / "recorded" / f"{name}.json"
    if not path.is_file():
        raise FileNotFoundError(
            f"{path} is missing. It is written by `python benchmarks/{name}.py --out {path}` "
            f"(see that script's docstring for its run time)."
        )
    return json.loads(path.read_text(encoding="utf-8"))


def luong_comparison() -> dict:
    """benchmarks/recorded/luong_comparison.json: {"harness", "machine", "runs": {configuration: {seed: run}}}."""
    return recorded_benchmark("luong_comparison")


def transformer_comparison() -> dict:
    """benchmarks/recorded/transformer_comparison.json: {"machine", "setting", "dates": {model: {seed: run}},
    "fra-eng": {"Transformer": {seed: run}}, "length": {L: {"recurrent": s, "Transformer": s}}} (lesson 09)."""
    return recorded_benchmark("transformer_comparison")


def summary_table(runs: dict, score: str, goal: float, steps_per_epoch: int | None = None) -> pd.DataFrame:
    """One row per model of ``runs`` ({model: {seed: {"score", "epoch_seconds", "parameters"}}}): parameters,
    seeds, final ``score`` (mean, standard deviation, min, max), median seconds per epoch (first epoch left out),
    and per seed (in seed order) the epoch (and, given ``steps_per_epoch``, the training steps) at which ``goal``
    was first met ("–" if never)."""
    rows = []
    for model, by_seed in runs.items():
        seed_runs = [by_seed[key] for key in sorted(by_seed, key=int)]
        final = [run["score"][-1] for run in seed_runs]
        reach = [next((i + 1 for i, s in enumerate(run["score"]) if s >= goal), None) for run in seed_runs]
        steady = [statistics.median(run["epoch_seconds"][1:] or run["epoch_seconds"]) for run in seed_runs]
        row = {
            "model": model,
            "parameters": seed_runs[0]["parameters"],
            "seeds": len(seed_runs),
            f"{score} mean": statistics.mean(final),
            f"{score} std": statistics.stdev(final) if len(final) > 1 else float("nan"),
            f"{score} min": min(final),
            f"{score} max": max(final),
            "s/epoch": statistics.median(steady),
            f"epoch reaching {goal:g}": " / ".join("–" if r is None else str(r) for r in reach),
        }
        if steps_per_epoch:
            row[f"steps to {goal:g}"] = " / ".join("–" if r is None else f"{r * steps_per_epoch:,}" for r in reach)
        rows.append(row)
    return pd.DataFrame(rows).set_index("model")


def bleu_runs(by_seed: dict) -> dict:
    """luong_comparison's runs of one configuration ({seed: {"bleu", ...}}) in ``summary_table``'s shape."""
    return {
        seed: {"score": run["bleu"], "epoch_seconds": run["epoch_seconds"], "parameters": run["parameters"]}
        for seed, run in by_seed.items()
    }


def comparison_table(recorded: dict, configurations=None, bleu_goal: float = 10.0) -> pd.DataFrame:
    """``summary_table`` of luong_comparison.json (lessons 04 and 05): one row per configuration that has runs,
    BLEU as the score, and the epoch at which each seed first reached ``bleu_goal``."""
    runs = {
        configuration: bleu_runs(recorded["runs"][configuration])
        for configuration in configurations or list(recorded["runs"])
        if recorded["runs"].get(configuration)
    }
    table = summary_table(runs, "BLEU", bleu_goal)
    reach = f"epoch reaching {bleu_goal:g}"
    return table.rename(columns={reach: f"epoch reaching BLEU {bleu_goal:g}"}).rename_axis("configuration")


RNN_ROWS = ("Bahdanau", "Luong general, tanh h̃", "Luong general, linear h̃", "Luong dot, linear h̃")


def rnn_rows(rnn_recorded: dict) -> dict:
    """The RNN runs of luong_comparison.json that lesson 09 compares with (same translation harness)."""
    return {name: rnn_recorded["runs"][name] for name in RNN_ROWS if name in rnn_recorded["runs"]}


def transformer_comparison_steps_per_epoch(part: str) -> int:
    """Optimizer steps per epoch of a part ("dates" or "fra-eng") of transformer_comparison.json."""
    return training_steps(TRANSFORMER_COMPARISON_EXAMPLES[part], epochs=1)


def transformer_tables(recorded: dict, rnn_recorded: dict | None = None) -> dict[str, pd.DataFrame]:
    """Lesson 09's tables from the recorded comparison: "dates" (exact match, goal 0.99), "fra-eng" (BLEU, goal 10;
    the RNN rows of luong_comparison.json, same harness, as copied into the record when it was made, so that a
    later luong_comparison run does not change the lesson's table), both with the steps to the goal, and "length"
    (seconds per training step and their ratio)."""
    tables = {}
    if "dates" in recorded:
        steps = transformer_comparison_steps_per_epoch("dates")
        tables["dates"] = summary_table(recorded["dates"], "exact match", 0.99, steps_per_epoch=steps)
    if "fra-eng" in recorded:
        rnn_runs = recorded.get("fra-eng RNN rows") or rnn_rows(rnn_recorded or luong_comparison())
        rnn = {f"{name} (luong_comparison.json)": bleu_runs(runs) for name, runs in rnn_runs.items()}
        steps = transformer_comparison_steps_per_epoch("fra-eng")
        tables["fra-eng"] = summary_table({**rnn, **recorded["fra-eng"]}, "BLEU", 10.0, steps_per_epoch=steps)
    if "length" in recorded:
        frame = pd.DataFrame(recorded["length"]).T
        frame.index = frame.index.astype(int)
        frame.index.name = "sequence length"
        frame["recurrent / Transformer"] = frame["recurrent"] / frame["Transformer"]
        tables["length"] = frame.sort_index()
    return tables
