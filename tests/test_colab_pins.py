"""constraints-colab.txt is what tools/colab_pins.py makes from the committed copy of Colab's runtime (tools/colab/).

The Colab replica (`make colab`) installs under these pins; a hand edit, or new Colab files without a re-run of
the script, would make it test versions that Colab does not have.
"""

import importlib.util

import pytest

from course_utils.paths import course_root

_spec = importlib.util.spec_from_file_location("colab_pins", course_root() / "tools" / "colab_pins.py")
colab_pins = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(colab_pins)

# What the course imports or runs in Colab, which the replica must hold at Colab's versions (README, "The Colab
# replica"); tools/colab/preinstalled.txt may list more.
COURSE_PACKAGES = (
    "tensorflow keras numpy pandas matplotlib babel ipywidgets widgetsnbextension jupyterlab_widgets "
    "ipython_genutils ipython ipykernel jupyter_client traitlets notebook pytest"
).split()


def test_constraints_are_what_the_script_makes_from_the_committed_freeze():
    made = colab_pins.constraints_text()
    committed = colab_pins.CONSTRAINTS.read_text(encoding="utf-8")
    different = sorted(set(made.splitlines()) ^ set(committed.splitlines()))
    assert made == committed, (
        f"constraints-colab.txt differs from what tools/colab_pins.py makes from tools/colab/ in: {different}. "
        "Do not edit it by hand: run `python tools/colab_pins.py` (and `make colab`)."
    )


def test_every_pin_is_a_package_colab_has_at_colab_version():
    freeze, _ = colab_pins.read_pins(colab_pins.FREEZE)
    pins, direct_urls = colab_pins.read_pins(colab_pins.CONSTRAINTS)
    assert not direct_urls
    assert pins and pins.items() <= freeze.items()
    assert colab_pins.pinned_python() == colab_pins.colab_python(colab_pins.OS_INFO).rsplit(".", 1)[0]


def test_the_course_packages_are_installed_from_colab():
    preinstalled = {colab_pins.normalised(name) for name in colab_pins.content_lines(colab_pins.PREINSTALLED)}
    missing = [name for name in COURSE_PACKAGES if colab_pins.normalised(name) not in preinstalled]
    assert not missing, f"tools/colab/preinstalled.txt does not list {missing}: the replica would not hold them"


def test_a_listed_package_that_colab_lacks_is_refused_with_its_name(tmp_path):
    provenance = "# Copied from a test.\n"
    freeze, os_info, preinstalled = tmp_path / "freeze.txt", tmp_path / "os-info.txt", tmp_path / "pre.txt"
    freeze.write_text(provenance + "keras==3.13.2\ntorch @ https://example.org/torch.whl\n")
    os_info.write_text(provenance + "Ubuntu 22.04.5 LTS\nPython 3.13.15\n")
    preinstalled.write_text("keras\nsacrebleu\n")
    with pytest.raises(SystemExit, match="lists sacrebleu, but Colab's freeze .* has no such package"):
        colab_pins.constraints_text(freeze, os_info, preinstalled)
    preinstalled.write_text("Keras\n")  # names compare as pip compares them
    made = colab_pins.constraints_text(freeze, os_info, preinstalled)
    assert made.splitlines()[-2:] == ["# colab-python: 3.13", "keras==3.13.2"]
    assert "torch==" not in made and "Left out, installed from direct URLs in Colab: torch." in made
