"""course_utils.recorded: reading a benchmark's record, and the one summary of seeds that lessons 04, 05 and 09 show."""

import pytest

from course_utils import recorded
from course_utils.recorded import bleu_runs, comparison_table, summary_table


def test_a_missing_record_names_the_script_that_writes_it(tmp_path, monkeypatch):
    monkeypatch.setattr(recorded, "course_root", lambda: tmp_path)
    with pytest.raises(FileNotFoundError, match="python benchmarks/nothing.py --out"):
        recorded.recorded_benchmark("nothing")


def test_comparison_table_is_the_summary_of_the_bleu_runs_in_lesson_04s_names():
    record = {
        "runs": {
            "b": {  # seeds recorded out of order
                "1": {"bleu": [4, 8], "epoch_seconds": [9, 4], "parameters": 7},
                "0": {"bleu": [5, 11], "epoch_seconds": [9, 2], "parameters": 7},
            },
            "not run yet": {},
        }
    }
    table = comparison_table(record)
    assert list(table.index) == ["b"] and table.index.name == "configuration"  # "not run yet" is left out
    assert table.loc["b", "epoch reaching BLEU 10"] == "2 / –"  # per seed, in seed order: seed 0 first
    same = summary_table({"b": bleu_runs(record["runs"]["b"])}, "BLEU", 10.0)
    assert table.to_numpy().tolist() == same.to_numpy().tolist()
