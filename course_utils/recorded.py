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
