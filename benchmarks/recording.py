"""What benchmarks/date_seeds.py and benchmarks/uniform_attention.py do with their runs once trained.

Both scripts record a list of runs, each with a per-epoch ``curve``, under a header naming the script, the machine
and the data; a full run writes the record to benchmarks/recorded/, a --smoke run only prints. The last line printed
is always the runs without their curves, plus each run's final point (tests/test_benchmarks.py reads it).
"""

import json
import platform
from pathlib import Path


def finish(path: Path, script: str, device: str, runs: list[dict], *, smoke: bool, **header) -> dict:
    """Write ``{"script", "machine", **header, "runs"}`` to ``path`` unless ``smoke``; print the runs' summary."""
    recorded = {"script": script, "machine": f"{device}, Python {platform.python_version()}", **header, "runs": runs}
    if not smoke:
        path.write_text(json.dumps(recorded, indent=1) + "\n", encoding="utf-8")
        print(f"written: {path}")
    print(json.dumps([{k: v for k, v in run.items() if k != "curve"} | {"final": run["curve"][-1]} for run in runs]))
    return recorded
