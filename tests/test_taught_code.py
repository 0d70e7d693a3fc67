"""A lesson's taught cells are the package's definitions: written from course_utils by `make notebooks`.

The package is the source (course_utils.taught_code). These tests read the stored notebooks; every notebook that
TAUGHT names must exist, and a drifted cell fails with the command that rewrites it.
"""

import nbformat
import pytest

from course_utils.paths import course_root
from course_utils.taught_code import (
    TAUGHT,
    definition,
    drift,
    header_name,
    package_definition,
    taught_cell,
    write_taught_cells,
)

NOTEBOOKS = course_root() / "notebooks"


def read(notebook_name):
    path = NOTEBOOKS / f"{notebook_name}.ipynb"
    assert path.is_file(), f"{path} is missing: TAUGHT in course_utils/taught_code.py names it"
    return nbformat.read(path, as_version=4)


@pytest.mark.parametrize("notebook_name", sorted(TAUGHT))
def test_taught_cells_equal_the_package(notebook_name):
    problems = drift(read(notebook_name), notebook_name)
    assert not problems, "\n".join(problems) + (
        f"\nEdit the package, then: python tools/execute_notebooks.py --taught-only notebooks/{notebook_name}.ipynb"
    )


def test_only_taught_notebooks_have_taught_cells():
    for path in sorted(NOTEBOOKS.glob("[0-9][0-9]_*.ipynb")):
        if path.stem not in TAUGHT:
            cells = nbformat.read(path, as_version=4).cells
            assert not [c for c in cells if c.cell_type == "code" and header_name(c.source)], path.name


def notebook_with(*sources):
    return nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(source) for source in sources])


def test_a_one_character_drift_is_noticed_and_rewritten():
    """The check is real: change one character in a taught cell and it fails; the executor's rewrite mends it."""
    names = TAUGHT["04_bahdanau_attention"]
    notebook = notebook_with("import keras", *map(taught_cell, names))
    assert drift(notebook, "04_bahdanau_attention") == []
    edited = notebook.cells[1].source.replace("tanh", "sigmoid", 1)
    assert edited != notebook.cells[1].source  # the edit happened, so what follows tests the check itself
    notebook.cells[1].source = edited
    assert drift(notebook, "04_bahdanau_attention") == [
        "04_bahdanau_attention's taught cell for attention.BahdanauAttention differs from "
        "course_utils.attention.BahdanauAttention"
    ]
    assert write_taught_cells(notebook, "04_bahdanau_attention") == ["attention.BahdanauAttention"]
    assert drift(notebook, "04_bahdanau_attention") == []


def test_a_definition_without_the_header_is_not_a_taught_cell():
    """Only the header makes a taught cell (every lesson's cells carry it): a bare copy of the definition is
    reported as missing, so that it cannot drift unnoticed."""
    names = TAUGHT["05_luong_attention"]
    notebook = notebook_with(package_definition(names[0]), *map(taught_cell, names[1:]))
    assert drift(notebook, "05_luong_attention") == [
        "05_luong_attention no longer writes out course_utils.attention.LuongAttention (or TAUGHT is out of date)"
    ]


def test_a_missing_or_unlisted_taught_cell_is_reported():
    notebook = notebook_with(taught_cell("seq2seq.Encoder"), taught_cell("decoding.greedy_loop"))
    assert drift(notebook, "02_vanilla_seq2seq") == [
        "02_vanilla_seq2seq no longer writes out course_utils.seq2seq.Decoder (or TAUGHT is out of date)"
    ]
    with pytest.raises(ValueError, match="has no cell for seq2seq.Decoder"):
        write_taught_cells(notebook, "02_vanilla_seq2seq")
    assert drift(notebook, "03_teacher_forcing")[-2:] == [
        "03_teacher_forcing has a taught cell for decoding.greedy_loop, which TAUGHT does not list for it",
        "03_teacher_forcing has a taught cell for seq2seq.Encoder, which TAUGHT does not list for it",
    ]


def test_definition_finds_classes_and_functions_and_skips_decorators():
    source = "import x\n\n@decorate\nclass A:\n    pass\n\n\ndef f():\n    return 1\n"
    assert definition(source, "A") == "class A:\n    pass"
    assert definition(source, "f") == "def f():\n    return 1"
    assert definition("!ls\n", "f") is None
    with pytest.raises(ValueError, match="no top-level class or function 'Nothing'"):
        package_definition("seq2seq.Nothing")
