"""The package is layered: infrastructure, then data (no Keras, no TensorFlow), then models and layers, then
decoding, metrics and what uses them. A module imports only from its own layer or those below it. The README's
module map shows the same layers."""

import ast
import re
import subprocess
import sys

import pytest

from course_utils.paths import course_root

PACKAGE = course_root() / "course_utils"
LAYERS = [  # lowest first; a module not listed here fails test_every_module_has_a_layer
    {"repository", "paths", "environment", "fonts", "taught_code"},  # infrastructure
    {  # data
        "vocabulary",
        "names",
        "sentence_pairs",
        "translation",
        "dates",
        "date_alignment",
        "copy_task",
        "seq2seq_data",
        "batches",
        "recorded",
    },
    {"attention", "encoder_decoder", "seq2seq", "transformer", "training", "date_models"},  # models and training
    {  # decoding, metrics, regimes
        "decoding",
        "metrics",
        "date_normalization",
        "intervention",
        "teacher_forcing",
        "teacher_forcing_harness",
        "luong_saturation",
        "transformer_cache",
    },
    # what lessons call on top of all that
    {"plotting", "pretrained", "exercises", "explorer", "gate_figure", "transformer_figure"},
]
DATA = sorted(LAYERS[1])
LAYER_OF = {module: number for number, layer in enumerate(LAYERS) for module in layer}
# Imports that break the layering today, each with the change that removes it. test_known_violations_still_exist
# fails once one is gone, so that this list only ever shrinks.
KNOWN_VIOLATIONS: dict[tuple[str, str], str] = {}


def modules():
    """Top-level modules and packages of course_utils, by name."""
    found = {path.stem for path in PACKAGE.glob("*.py") if path.stem != "__init__"}
    return found | {path.parent.name for path in PACKAGE.glob("*/__init__.py")}


def course_utils_imports(module: str) -> set[str]:
    """The course_utils modules ``module`` imports, anywhere in its source (function-local imports included)."""
    paths = [PACKAGE / f"{module}.py"] if (PACKAGE / f"{module}.py").exists() else (PACKAGE / module).glob("*.py")
    found = set()
    for path in paths:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = [alias.name for alias in node.names] if isinstance(node, ast.Import) else []
            if isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module] + [f"{node.module}.{alias.name}" for alias in node.names]
            found |= {name.split(".")[1] for name in names if name.startswith("course_utils.")}
    return found - {module}


def loads_keras_or_tensorflow(module: str) -> list[str]:
    """What a fresh interpreter has in sys.modules of keras and tensorflow after importing ``module``."""
    code = (
        f"import sys, course_utils.{module}; "
        "print(sorted({name.split('.')[0] for name in sys.modules} & {'keras', 'tensorflow'}))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return eval(result.stdout.strip())  # a printed list of names


def test_every_module_has_a_layer():
    assert sorted(modules() - set(LAYER_OF)) == [], "add the new module to LAYERS above"


@pytest.mark.parametrize("module", sorted(modules() & set(LAYER_OF)))
def test_a_module_imports_only_from_its_layer_or_below(module):
    imported = course_utils_imports(module)
    above = sorted(
        name
        for name in imported
        if LAYER_OF.get(name, 99) > LAYER_OF[module] and (module, name) not in KNOWN_VIOLATIONS
    )
    assert above == [], f"course_utils.{module} (layer {LAYER_OF[module]}) imports from higher layers: {above}"


def test_known_violations_still_exist():
    gone = [pair for pair in KNOWN_VIOLATIONS if pair[1] not in course_utils_imports(pair[0])]
    assert gone == [], f"{gone} no longer import upwards: remove them from KNOWN_VIOLATIONS"


def test_data_modules_load_no_keras_or_tensorflow():
    loaded = {module: loads_keras_or_tensorflow(module) for module in DATA if module in modules()}
    assert loaded == {module: [] for module in loaded}


def test_the_import_check_sees_keras_when_it_is_there():
    """The check above can fail: a models module, imported the same way, is seen to load both."""
    assert loads_keras_or_tensorflow("seq2seq") == ["keras", "tensorflow"]


def readme_module_map(readme: str) -> list[tuple[str, list[str]]]:
    """The module map of the README text ``readme``: (layer, the modules its rows name), in the table's order."""
    section = readme.split("### Module map", 1)[1].split("\n#", 1)[0]
    rows = [line for line in section.splitlines() if line.startswith("|")][2:]  # past the header and its rule
    layers = []
    for row in rows:
        layer, module_cell = [cell.strip() for cell in row.strip("|").split("|")][:2]
        if layer:  # a row that starts a layer; the rows after it leave the cell empty
            layers.append((layer, []))
        layers[-1][1].extend(re.findall(r"`(\w+)`", module_cell))
    return layers


def test_the_readme_module_map_lists_every_module_once_in_its_layer():
    layers = readme_module_map((course_root() / "README.md").read_text(encoding="utf-8"))
    listed = [module for _, names in layers for module in names]
    assert sorted({module for module in listed if listed.count(module) > 1}) == [], "listed more than once"
    assert sorted(modules() - set(listed)) == [], "course_utils modules missing from the README's module map"
    assert sorted(set(listed) - modules()) == [], "the README's module map lists modules that do not exist"
    assert len(layers) == len(LAYERS), f"the README's module map has {len(layers)} layers, LAYERS {len(LAYERS)}"
    for number, (layer, names) in enumerate(layers):
        moved = sorted(set(names) ^ LAYERS[number])
        assert moved == [], f"{moved}: in layer {number} ({layer!r}) of only one of the README's map and LAYERS"


def test_the_module_map_check_sees_a_module_in_the_wrong_layer():
    """The check above can fail: the README with teacher_forcing moved up to the models layer no longer matches."""
    readme = (course_root() / "README.md").read_text(encoding="utf-8")
    row = next(line for line in readme.splitlines() if line.startswith("| | `teacher_forcing` |"))
    moved = readme.replace(row + "\n", "").replace("| | `training` |", row + "\n| | `training` |", 1)
    layers = dict(readme_module_map(moved))
    assert "teacher_forcing" in layers["models"] and "teacher_forcing" not in layers["decoding, metrics, regimes"]
    assert set(layers["models"]) != LAYERS[2]
