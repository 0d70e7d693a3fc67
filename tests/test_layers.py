"""The package is layered: infrastructure, then data (no Keras, no TensorFlow), then models and layers, then
decoding, metrics and what uses them. A module imports only from its own layer or those below it."""

import ast
import subprocess
import sys

import pytest

from course_utils.paths import course_root

PACKAGE = course_root() / "course_utils"
LAYERS = [  # lowest first; a module not listed here fails test_every_module_has_a_layer
    {"repository", "paths", "environment", "fonts", "taught_code"},  # infrastructure
    {"vocabulary", "names", "sentence_pairs", "translation", "dates", "copy_task", "seq2seq_data", "recorded"},  # data
    {"attention", "seq2seq", "transformer", "training"},  # models, layers and their training
    {"decoding", "metrics", "date_normalization", "intervention", "teacher_forcing"},  # decoding, metrics, regimes
    {"plotting", "pretrained", "exercises", "explorer"},  # what lessons call on top of all that
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
