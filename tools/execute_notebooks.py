"""Re-execute notebooks top to bottom in a fresh kernel and store their outputs (``make notebooks``).

This is the only way outputs get into git. Before running, each notebook's Colab badge and set-up cell
are rewritten from ``course_utils.repository``, and its taught cells (those that begin with
"# Canonical copy: course_utils.<module>.<Name> ...") from the package (``course_utils.taught_code``).
After running, what would make diffs noisy is normalised: kernel metadata, per-cell timing, widget state
and ids, and TensorFlow's C++ start-up lines on stderr (which only appear outside nbval). Any other stderr
output, or an error, stops the run: fix the notebook instead.

    python tools/execute_notebooks.py notebooks/01_rnn_recap.ipynb [...]
    python tools/execute_notebooks.py --taught-only notebooks/05_luong_attention.ipynb [...]

``--taught-only`` rewrites the taught cells and saves, without executing: a taught cell only defines a class or
function and has no output, so the stored outputs stay valid.
"""

import re
import sys
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient

from course_utils.repository import colab_badge, setup_cell_source
from course_utils.taught_code import write_taught_cells

BADGE = re.compile(r"\[!\[Open In Colab\]\([^)]*\)\]\([^)]*\)")
SETUP_FIRST_LINE = "# Set-up"
TENSORFLOW_CPP_LOG = re.compile(r"^(WARNING: All log messages before absl::InitializeLog\(\)|[IWE]\d{4} )")
STATED_MINUTES = re.compile(r"CPU run time[^0-9]*(\d+(?:\.\d+)?) minutes?")
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
KERNEL_SPEC = {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"}


def sync_with_repository_setting(notebook, file_name: str) -> None:
    """Write the badge and set-up cell from course_utils.repository (they must already be there)."""
    opening = notebook.cells[0]
    if opening.cell_type != "markdown" or not BADGE.search(opening.source):
        raise SystemExit(f"{file_name}: the first cell must be Markdown holding the 'Open In Colab' badge.")
    opening.source = BADGE.sub(lambda _: colab_badge(file_name), opening.source)
    setup = next((c for c in notebook.cells if c.cell_type == "code"), None)
    if setup is None or not setup.source.startswith(SETUP_FIRST_LINE):
        raise SystemExit(f"{file_name}: the first code cell must be the set-up cell starting '{SETUP_FIRST_LINE}'.")
    setup.source = setup_cell_source()


def normalise(notebook, file_name: str) -> None:
    """Drop TensorFlow's C++ log lines, timing metadata and random widget ids; fail on other stderr output."""
    notebook.metadata = {"kernelspec": KERNEL_SPEC, "language_info": {"name": "python"}}
    for number, cell in enumerate(notebook.cells):
        cell.metadata.pop("execution", None)
        if cell.cell_type != "code":
            continue
        kept = []
        for output in cell.outputs:
            if output.output_type == "stream" and output.name == "stderr":
                rest = [line for line in output.text.splitlines() if not TENSORFLOW_CPP_LOG.match(line)]
                if rest:
                    raise SystemExit(
                        f"{file_name}, cell {number}: unexpected stderr output; fix its cause:\n" + "\n".join(rest)
                    )
                continue
            widget_view = output.get("data", {}).get(WIDGET_VIEW)
            if widget_view:  # a random id per run; its state is not stored, so a stable id loses nothing
                widget_view["model_id"] = f"widget-cell-{number}-output-{len(kept)}"
            kept.append(output)
        cell.outputs = kept


def stated_minutes(notebook) -> float | None:
    match = STATED_MINUTES.search(notebook.cells[0].source)
    return float(match.group(1)) if match else None


def write_taught(notebook, path: Path) -> None:
    """Taught cells from the package; says which ones changed."""
    try:
        changed = write_taught_cells(notebook, path.stem)
    except ValueError as error:
        raise SystemExit(f"{path.name}: {error}") from None
    for name in changed:
        print(f"  {path.name}: taught cell course_utils.{name} written from the package", flush=True)


def execute(path: Path) -> float:
    notebook = nbformat.read(path, as_version=4)
    sync_with_repository_setting(notebook, path.name)
    write_taught(notebook, path)
    for cell in notebook.cells:
        if cell.cell_type == "code":
            cell.outputs, cell.execution_count = [], None
    # store_widget_state must stay on: nbclient's Output-widget hook writes into it (normalise drops it after)
    client = NotebookClient(
        notebook,
        timeout=1200,
        kernel_name="python3",
        record_timing=False,
        store_widget_state=True,
        resources={"metadata": {"path": str(path.parent)}},
    )
    start = time.perf_counter()
    client.execute()
    seconds = time.perf_counter() - start
    normalise(notebook, path.name)
    nbformat.write(notebook, path)
    return seconds


def main(paths: list[str]) -> None:
    if paths[:1] == ["--taught-only"]:
        for path in map(Path, paths[1:]):
            notebook = nbformat.read(path, as_version=4)
            write_taught(notebook, path)
            nbformat.write(notebook, path)
        return
    if not paths:
        raise SystemExit("Name the notebooks to execute, e.g. notebooks/01_rnn_recap.ipynb.")
    rows = []
    for path in map(Path, paths):
        print(f"executing {path} ...", flush=True)
        seconds = execute(path)
        limit = stated_minutes(nbformat.read(path, as_version=4))
        verdict = "no stated time" if limit is None else ("ok" if seconds <= 60 * limit else "OVER the stated time")
        rows.append(f"{path.name:<32} {seconds:7.1f} s   stated {limit} min   {verdict}")
        print(rows[-1], flush=True)
    print("\n".join(["", "notebook                          run time", *rows]))


if __name__ == "__main__":
    main(sys.argv[1:])
