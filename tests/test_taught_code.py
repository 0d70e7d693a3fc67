"""What a lesson writes out is exactly the canonical copy in course_utils that later lessons import.

For each taught name, the definition in the notebook (class or function, from its ``class``/``def`` line to
its end, decorators left out) must equal the package's source character for character.
"""

import ast
import inspect
import textwrap

import nbformat
import pytest

from course_utils import attention, decoding, seq2seq, teacher_forcing
from course_utils.paths import course_root

TAUGHT = {  # notebook -> names it writes out, with their canonical copies
    "02_vanilla_seq2seq": [seq2seq.Encoder, seq2seq.Decoder, decoding.greedy_loop],
    "03_teacher_forcing": [teacher_forcing.train_step, teacher_forcing.teacher_probability],
    "04_bahdanau_attention": [attention.BahdanauAttention, seq2seq.BahdanauDecoder],
    "05_luong_attention": [attention.LuongAttention, seq2seq.LuongDecoder],
}
NOTEBOOKS = course_root() / "notebooks"
PRESENT = [(name, obj) for name, objects in TAUGHT.items() for obj in objects
           if (NOTEBOOKS / f"{name}.ipynb").exists()]


def definition(source: str, name: str) -> str | None:
    """The text of the top-level class or function ``name`` in ``source``, without decorators."""
    try:
        tree = ast.parse(source)
    except SyntaxError:  # a cell with IPython syntax cannot hold a taught definition
        return None
    lines = source.splitlines()
    for node in tree.body:
        if isinstance(node, (ast.ClassDef, ast.FunctionDef)) and node.name == name:
            return "\n".join(lines[node.lineno - 1:node.end_lineno])
    return None


def notebook_definition(notebook_name: str, name: str) -> str | None:
    notebook = nbformat.read(NOTEBOOKS / f"{notebook_name}.ipynb", as_version=4)
    found = [d for cell in notebook.cells if cell.cell_type == "code" for d in [definition(cell.source, name)] if d]
    return found[-1] if found else None


def package_definition(obj) -> str:
    return definition(textwrap.dedent(inspect.getsource(inspect.getmodule(obj))), obj.__name__)


@pytest.mark.parametrize("notebook_name, obj", PRESENT, ids=[f"{n}:{o.__name__}" for n, o in PRESENT])
def test_taught_code_equals_its_package_twin(notebook_name, obj):
    taught = notebook_definition(notebook_name, obj.__name__)
    assert taught is not None, f"{notebook_name} no longer writes out {obj.__name__}"
    assert taught == package_definition(obj), (
        f"{notebook_name}'s {obj.__name__} differs from {obj.__module__}.{obj.__name__}: change both together")


def test_the_comparison_notices_a_one_character_drift():
    original = package_definition(attention.masked_softmax)
    drifted = original.replace("-1e9", "-1e8")
    assert drifted != original and definition(drifted, "masked_softmax") != original


def test_definition_finds_classes_and_functions_and_skips_decorators():
    source = "import x\n\n@decorate\nclass A:\n    pass\n\n\ndef f():\n    return 1\n"
    assert definition(source, "A") == "class A:\n    pass"
    assert definition(source, "f") == "def f():\n    return 1"
    assert definition("!ls\n", "f") is None
