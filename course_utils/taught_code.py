"""One source for taught code: the package holds each layer or loop a lesson teaches; the lesson's cell is
written from it.

A taught cell starts with the header line below, naming its canonical copy, followed by exactly the package's
definition (decorators left out):

    # Canonical copy: course_utils.seq2seq.Encoder (make notebooks writes this cell from it; edit the package)
    class Encoder(keras.layers.Layer):
        ...

``make notebooks`` (tools/execute_notebooks.py) rewrites every taught cell from the package before it executes
the notebook; ``python tools/execute_notebooks.py --taught-only NOTEBOOK`` rewrites them without executing.
So: edit the package, never the cell. tests/test_taught_code.py fails when a stored cell differs.

This module reads the package's source files as text: it imports neither Keras nor the modules it quotes.
"""

import ast
import re
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent

# notebook -> the definitions it writes out, as "module.Name" inside course_utils, in the order it shows them
TAUGHT = {
    "02_vanilla_seq2seq": ("seq2seq.Encoder", "seq2seq.Decoder", "decoding.greedy_loop"),
    "03_teacher_forcing": ("teacher_forcing.train_step", "teacher_forcing.teacher_probability"),
    "04_bahdanau_attention": ("attention.BahdanauAttention", "seq2seq.BahdanauDecoder"),
    "05_luong_attention": ("attention.LuongAttention", "seq2seq.LuongDecoder", "seq2seq.InputFeedingDecoder"),
    "06_decoding_and_evaluation": ("decoding.beam_loop",),
    "07_date_normalization": ("decoding.constrained_loop",),
    "08_attention_heatmaps": ("intervention.decoder_step",),
    "09_from_attention_to_transformer": (
        "transformer.scaled_dot_product_attention",
        "transformer.multi_head_attention_by_hand",
        "transformer.positional_encoding",
        "transformer.causal_mask",
        "transformer.EncoderBlock",
        "transformer.DecoderBlock",
        "transformer.TransformerDecoder",
        "transformer.WarmupSchedule",
    ),
}
HEADER = "# Canonical copy: course_utils.{} (make notebooks writes this cell from it; edit the package)"
HEADER_LINE = re.compile(
    r"# Canonical copy: course_utils\.(\w+\.\w+) \(make notebooks writes this cell from it; edit the package\)"
)


def definition(source: str, name: str) -> str | None:
    """The text of the top-level class or function ``name`` in ``source``, without decorators (None if absent)."""
    try:
        tree = ast.parse(source)
    except SyntaxError:  # a notebook cell with IPython syntax cannot hold a taught definition
        return None
    lines = source.splitlines()
    for node in tree.body:
        if isinstance(node, (ast.ClassDef, ast.FunctionDef)) and node.name == name:
            return "\n".join(lines[node.lineno - 1 : node.end_lineno])
    return None


def package_definition(qualified_name: str) -> str:
    """The package's definition of ``"module.Name"``, read from course_utils/<module>.py."""
    module, _, name = qualified_name.partition(".")
    path = PACKAGE / f"{module}.py"
    if not name or not path.is_file():
        raise ValueError(
            f"{qualified_name!r} does not name a definition in course_utils: expected 'module.Name' "
            f"with course_utils/<module>.py present."
        )
    found = definition(path.read_text(encoding="utf-8"), name)
    if found is None:
        raise ValueError(f"course_utils/{module}.py has no top-level class or function {name!r}.")
    return found


def taught_cell(qualified_name: str) -> str:
    """The exact source of the notebook cell that shows ``"module.Name"``: header line, then the definition."""
    return HEADER.format(qualified_name) + "\n" + package_definition(qualified_name)


def header_name(cell_source: str) -> str | None:
    """The "module.Name" a taught cell's header names, or None for a cell without the header."""
    match = HEADER_LINE.fullmatch(cell_source.split("\n", 1)[0].rstrip())
    return match.group(1) if match else None


def taught_cells(notebook) -> dict[str, object]:
    """ "module.Name" -> the code cell that shows it: the code cells that begin with the header line."""
    found = {}
    for cell in notebook.cells:
        if cell.cell_type == "code" and header_name(cell.source):
            found[header_name(cell.source)] = cell
    return found


def drift(notebook, notebook_name: str) -> list[str]:
    """What differs between the notebook's taught cells and the package (empty when they agree)."""
    problems = []
    cells = taught_cells(notebook)
    for name in TAUGHT.get(notebook_name, ()):
        if name not in cells:
            problems.append(f"{notebook_name} no longer writes out course_utils.{name} (or TAUGHT is out of date)")
        elif cells[name].source != taught_cell(name):
            problems.append(f"{notebook_name}'s taught cell for {name} differs from course_utils.{name}")
    for name in sorted(set(cells) - set(TAUGHT.get(notebook_name, ()))):
        problems.append(f"{notebook_name} has a taught cell for {name}, which TAUGHT does not list for it")
    return problems


def write_taught_cells(notebook, notebook_name: str) -> list[str]:
    """Rewrite every taught cell of ``notebook`` from the package; returns the names whose cell text changed.
    Raises if a listed name has no cell."""
    cells = taught_cells(notebook)
    missing = [name for name in TAUGHT.get(notebook_name, ()) if name not in cells]
    if missing:
        raise ValueError(
            f"{notebook_name} has no cell for {', '.join(missing)}: add a cell holding the header line "
            f"{HEADER.format(missing[0])!r}, or remove the name from course_utils.taught_code.TAUGHT."
        )
    changed = []
    for name, cell in cells.items():
        source = taught_cell(name)
        if cell.source != source:
            cell.source = source
            changed.append(name)
    return changed
