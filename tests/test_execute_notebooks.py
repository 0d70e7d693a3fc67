"""tools/execute_notebooks.py's rewriting, on small notebooks made here (nothing is executed): the badge and set-up
cell written from the repository setting, and the normalisation that keeps re-executed notebooks' diffs quiet."""

import copy
import importlib.util
import sys

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

from course_utils.paths import course_root
from course_utils.repository import NOTEBOOK_KERNELSPEC, REPOSITORY

TOOLS = course_root() / "tools"
OLD_BADGE = (
    "[![Open In Colab](https://colab.research.google.com/assets/colab-badge.svg)]"
    "(https://colab.research.google.com/github/old-owner/old-name/blob/main/notebooks/02_vanilla_seq2seq.ipynb)"
)
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"


@pytest.fixture(scope="module")
def execute_notebooks():
    """The script as a module; it imports tools/translations.py by its bare name, as when run from tools/."""
    sys.path.insert(0, str(TOOLS))
    try:
        spec = importlib.util.spec_from_file_location("execute_notebooks", TOOLS / "execute_notebooks.py")
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
    finally:
        sys.path.remove(str(TOOLS))
    return module


def lesson(first_markdown=f"# Lesson 02\n\n{OLD_BADGE} CPU run time: about 3 minutes.", setup="# Set-up: old"):
    return new_notebook(
        cells=[
            new_markdown_cell(first_markdown),
            new_markdown_cell("## 1. Data"),
            new_code_cell(setup),
            new_code_cell("# Set-up: a later cell that only starts like one\nx = 1"),
        ]
    )


def test_sync_writes_this_repositorys_badge_and_set_up_cell_and_nothing_else(execute_notebooks):
    from course_utils.repository import setup_cell_source

    notebook = lesson()
    execute_notebooks.sync_with_repository_setting(notebook, "02_vanilla_seq2seq.ipynb")
    opening = notebook.cells[0].source
    assert "old-owner/old-name" not in opening
    assert f"github/{REPOSITORY}/blob/" in opening and opening.count("notebooks/02_vanilla_seq2seq.ipynb)") == 1
    assert opening.startswith("# Lesson 02\n\n[![Open In Colab]") and opening.endswith(
        ") CPU run time: about 3 minutes."
    )
    assert notebook.cells[2].source == setup_cell_source()  # the first code cell
    assert notebook.cells[1].source == "## 1. Data"
    assert notebook.cells[3].source == "# Set-up: a later cell that only starts like one\nx = 1"


@pytest.mark.parametrize(
    "notebook, words",
    [
        (lesson(first_markdown="# Lesson 02, no badge"), "Open In Colab"),
        (new_notebook(cells=[new_code_cell(f"# {OLD_BADGE}"), new_code_cell("# Set-up")]), "Open In Colab"),
        (lesson(setup="import numpy as np"), "set-up cell"),
        (new_notebook(cells=[new_markdown_cell(OLD_BADGE)]), "set-up cell"),
    ],
    ids=["no badge", "badge in a code cell", "first code cell is not the set-up", "no code cell"],
)
def test_sync_refuses_a_notebook_without_its_badge_or_set_up_cell(execute_notebooks, notebook, words):
    with pytest.raises(SystemExit, match=words):
        execute_notebooks.sync_with_repository_setting(notebook, "02_vanilla_seq2seq.ipynb")


def executed_notebook():
    """What nbclient leaves behind: timing per cell, the kernel's metadata, widget ids, stdout and stderr."""
    notebook = new_notebook(
        cells=[
            new_markdown_cell("# Lesson", metadata={"execution": {"iopub.status.busy": "2026-12-02T05:00:00Z"}}),
            new_code_cell(
                "print('hi')",
                metadata={"execution": {"iopub.execute_input": "2026-12-02T05:00:01Z"}, "tags": ["keep-me"]},
                outputs=[
                    new_output("stream", name="stdout", text="hi\n"),
                    new_output("stream", name="stderr", text="UserWarning: careful\n"),
                ],
            ),
            new_code_cell(
                "explorer",
                outputs=[
                    new_output("execute_result", data={"text/plain": "1"}, execution_count=2),
                    new_output("display_data", data={WIDGET_VIEW: {"model_id": "3f1c9a", "version_major": 2}}),
                ],
            ),
        ],
        metadata={
            "kernelspec": {"name": "python3", "display_name": "Python 3"},
            "language_info": {"name": "python", "version": "3.11.7"},
            "widgets": {"application/vnd.jupyter.widget-state+json": {"state": {}}},
        },
    )
    return nbformat.from_dict(nbformat.reads(nbformat.writes(notebook), as_version=4))  # as read from a file


def test_normalise_keeps_what_jupyterlab_writes_and_drops_what_changes_per_run(execute_notebooks):
    notebook = executed_notebook()
    stderr = execute_notebooks.normalise(notebook)
    assert notebook.metadata == {
        "kernelspec": NOTEBOOK_KERNELSPEC,
        "language_info": {"name": "python", "version": "3.11.7"},
    }
    assert all("execution" not in cell.metadata for cell in notebook.cells)
    assert notebook.cells[1].metadata == {"tags": ["keep-me"]}
    assert stderr == ["cell 1: UserWarning: careful"]  # stdout is not reported
    assert [output.get("text") for output in notebook.cells[1].outputs] == ["hi\n", "UserWarning: careful\n"]  # kept
    widget = notebook.cells[2].outputs[1].data[WIDGET_VIEW]
    assert widget == {"model_id": "widget-cell-2-output-1", "version_major": 2}
    nbformat.validate(notebook)


def test_normalise_gives_the_same_notebook_whatever_the_run_drew(execute_notebooks):
    first = executed_notebook()
    second = copy.deepcopy(first)
    second.cells[2].outputs[1].data[WIDGET_VIEW]["model_id"] = "9d0e77"  # another run, another random id
    second.cells[1].metadata["execution"] = {"iopub.execute_input": "2026-12-03T09:00:00Z"}
    for notebook in (first, second):
        execute_notebooks.normalise(notebook)
    assert nbformat.writes(first) == nbformat.writes(second)
    assert execute_notebooks.normalise(first) == ["cell 1: UserWarning: careful"]  # running it twice changes nothing
