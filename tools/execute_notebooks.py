"""Re-execute notebooks top to bottom in a fresh kernel and store their outputs (``make notebooks``).

This is the only way outputs get into git. Before running, each notebook's Colab badge and set-up cell
are rewritten from ``course_utils.repository``, and its taught cells (those that begin with
"# Canonical copy: course_utils.<module>.<Name> ...") from the package (``course_utils.taught_code``).
After running, what would make diffs noisy is normalised: per-cell timing, widget state and ids. The
notebook's metadata is stored as JupyterLab writes it (the kernelspec and the kernel's full language_info),
so that opening a lesson in JupyterLab does not mark it modified. Outputs are stored as the kernel sent them,
stderr included: what a learner would see in JupyterLab is what the repository shows. An error stops the run;
stderr output is stored, reported, and makes the command fail (the hygiene test rejects it too): fix its cause.

    python tools/execute_notebooks.py notebooks/01_rnn_recap.ipynb [...]
    python tools/execute_notebooks.py --taught-only notebooks/05_luong_attention.ipynb [...]

``--taught-only`` rewrites the taught cells and saves, without executing: a taught cell only defines a class or
function and has no output, so the stored outputs stay valid. It then rebuilds those lessons' Korean notebooks
(``tools/translations.py build``), which carry the same code cells; ``make notebooks`` does that after executing.
"""

import sys
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient

import translations  # tools/translations.py: builds the Korean notebooks (make notebooks runs it after this script)
from course_utils.repository import BADGE, NOTEBOOK_KERNELSPEC, STATED_MINUTES, colab_badge, setup_cell_source
from course_utils.taught_code import write_taught_cells

SETUP_FIRST_LINE = "# Set-up"
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"


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


def normalise(notebook) -> list[str]:
    """Store JupyterLab's metadata, drop timing metadata, make widget ids stable; return the stderr found."""
    # JupyterLab fills in the kernelspec and the kernel's language_info when it opens a notebook; nbclient put the
    # same language_info there from the kernel. Anything else (e.g. widget state) is dropped.
    notebook.metadata = {"kernelspec": NOTEBOOK_KERNELSPEC, "language_info": notebook.metadata["language_info"]}
    stderr = []
    for number, cell in enumerate(notebook.cells):
        cell.metadata.pop("execution", None)
        if cell.cell_type != "code":
            continue
        for position, output in enumerate(cell.outputs):
            if output.output_type == "stream" and output.name == "stderr":
                stderr.append(f"cell {number}: {output.text.strip()}")
            widget_view = output.get("data", {}).get(WIDGET_VIEW)
            if widget_view:  # a random id per run; its state is not stored, so a stable id loses nothing
                widget_view["model_id"] = f"widget-cell-{number}-output-{position}"
    return stderr


def stated_minutes(notebook) -> float | None:
    match = STATED_MINUTES["en"].search(notebook.cells[0].source)
    return float(match.group(1)) if match else None


def write_taught(notebook, path: Path) -> None:
    """Taught cells from the package; says which ones changed."""
    try:
        changed = write_taught_cells(notebook, path.stem)
    except ValueError as error:
        raise SystemExit(f"{path.name}: {error}") from None
    for name in changed:
        print(f"  {path.name}: taught cell course_utils.{name} written from the package", flush=True)


def execute(path: Path) -> tuple[float, list[str]]:
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
    stderr = normalise(notebook)
    nbformat.write(notebook, path)
    return seconds, stderr


def main(paths: list[str]) -> None:
    if paths[:1] == ["--taught-only"]:
        for path in map(Path, paths[1:]):
            notebook = nbformat.read(path, as_version=4)
            write_taught(notebook, path)
            nbformat.write(notebook, path)
        translations.main(["build", *paths[1:]])  # the Korean notebooks carry the same code cells
        return
    if not paths:
        raise SystemExit("Name the notebooks to execute, e.g. notebooks/01_rnn_recap.ipynb.")
    rows, stderr_found = [], []
    for path in map(Path, paths):
        print(f"executing {path} ...", flush=True)
        seconds, stderr = execute(path)
        stderr_found += [f"{path.name}, {line}" for line in stderr]
        limit = stated_minutes(nbformat.read(path, as_version=4))
        verdict = "no stated time" if limit is None else ("ok" if seconds <= 60 * limit else "OVER the stated time")
        rows.append(f"{path.name:<32} {seconds:7.1f} s   stated {limit} min   {verdict}")
        print(rows[-1], flush=True)
    print("\n".join(["", "notebook                          run time", *rows]))
    if stderr_found:
        raise SystemExit(
            "\nStored with stderr output, as a learner would see it in JupyterLab; fix its cause and "
            "run again:\n" + "\n".join(stderr_found)
        )


if __name__ == "__main__":
    main(sys.argv[1:])
