"""Results recorded by the scripts in benchmarks/ and shipped in benchmarks/recorded/, read for the lessons.

A sweep too long for a lesson's 4 minutes runs in a benchmark script; its output file is shown in the lesson,
labelled as recorded, and tests/test_luong_comparison.py re-checks a cheap slice of it.
"""

import statistics

import pandas as pd

from course_utils.paths import recorded_benchmark


def luong_comparison() -> dict:
    """benchmarks/recorded/luong_comparison.json: {"harness", "machine", "runs": {configuration: {seed: run}}}."""
    return recorded_benchmark("luong_comparison")


def comparison_table(recorded: dict, configurations=None, bleu_goal: float = 10.0) -> pd.DataFrame:
    """One row per configuration: parameters, seeds, final held-out BLEU (mean, standard deviation, min, max),
    median seconds per epoch (the first epoch, which traces the graph, left out), and the epoch at which each
    seed first reached ``bleu_goal`` ("–" if never)."""
    rows = []
    for configuration in configurations or list(recorded["runs"]):
        runs = list(recorded["runs"].get(configuration, {}).values())
        if not runs:
            continue
        final = [run["bleu"][-1] for run in runs]
        seconds = [statistics.median(run["epoch_seconds"][1:] or run["epoch_seconds"]) for run in runs]
        reach = [next((i + 1 for i, b in enumerate(run["bleu"]) if b >= bleu_goal), None) for run in runs]
        rows.append(
            {
                "configuration": configuration,
                "parameters": runs[0]["parameters"],
                "seeds": len(runs),
                "BLEU mean": statistics.mean(final),
                "BLEU std": statistics.stdev(final) if len(final) > 1 else float("nan"),
                "BLEU min": min(final),
                "BLEU max": max(final),
                "s/epoch": statistics.median(seconds),
                f"epoch reaching BLEU {bleu_goal:g}": " / ".join("–" if r is None else str(r) for r in reach),
            }
        )
    return pd.DataFrame(rows).set_index("configuration")


def transformer_comparison() -> dict:
    """benchmarks/recorded/transformer_comparison.json: {"machine", "setting", "dates": {model: {seed: run}},
    "fra-eng": {"Transformer": {seed: run}}, "length": {L: {"recurrent": s, "Transformer": s}}} (lesson 08)."""
    return recorded_benchmark("transformer_comparison")


def score_table(runs: dict, score: str, goal: float, steps_per_epoch: int | None = None) -> pd.DataFrame:
    """One row per model of ``runs`` ({model: {seed: {"score", "epoch_seconds", "parameters"}}}): parameters,
    seeds, final ``score`` (mean, standard deviation, min, max), median seconds per epoch (first epoch left out),
    and per seed the epoch (and, given ``steps_per_epoch``, the training steps) at which ``goal`` was first met."""
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


RNN_ROWS = ("Bahdanau", "Luong general, tanh h̃", "Luong general, linear h̃", "Luong dot, linear h̃")


def rnn_rows(rnn_recorded: dict) -> dict:
    """The RNN runs of luong_comparison.json that lesson 08 compares with (same translation harness)."""
    return {name: rnn_recorded["runs"][name] for name in RNN_ROWS if name in rnn_recorded["runs"]}


def transformer_tables(recorded: dict, rnn_recorded: dict | None = None) -> dict[str, pd.DataFrame]:
    """Lesson 08's tables from the recorded comparison: "dates" (exact match, goal 0.99, 157 steps per epoch),
    "fra-eng" (BLEU, goal 10; the RNN rows of luong_comparison.json, same harness, as copied into the record when
    it was made, so that a later luong_comparison run does not change the lesson's table) and "length" (seconds
    per training step and their ratio)."""
    tables = {}
    if "dates" in recorded:
        tables["dates"] = score_table(recorded["dates"], "exact match", 0.99, steps_per_epoch=157)
    if "fra-eng" in recorded:
        rnn_runs = recorded.get("fra-eng RNN rows") or rnn_rows(rnn_recorded or luong_comparison())
        rnn = {
            f"{name} (luong_comparison.json)": {
                seed: {"score": run["bleu"], "epoch_seconds": run["epoch_seconds"], "parameters": run["parameters"]}
                for seed, run in runs.items()
            }
            for name, runs in rnn_runs.items()
        }
        tables["fra-eng"] = score_table({**rnn, **recorded["fra-eng"]}, "BLEU", 10.0, steps_per_epoch=188)
    if "length" in recorded:
        frame = pd.DataFrame(recorded["length"]).T
        frame.index = frame.index.astype(int)
        frame.index.name = "sequence length"
        frame["recurrent / Transformer"] = frame["recurrent"] / frame["Transformer"]
        tables["length"] = frame.sort_index()
    return tables
