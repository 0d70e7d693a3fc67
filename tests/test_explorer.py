"""Lesson 07's explorer (course_utils.explorer), driven with the lesson's own attention_map.

What a browser shows is checked by tools/browser_test.py (``make browser-test``); these tests check the logic.
"""

import base64
import io

import matplotlib.image
import nbformat
import pytest

from course_utils import pretrained
from course_utils.explorer import CHOICES, NOTE, AttentionExplorer, ExplorerInputError
from course_utils.paths import course_root
from course_utils.taught_code import definition


def lesson_function(name: str):
    """A function defined in one of lesson 07's code cells, run in the lesson's namespace."""
    notebook = nbformat.read(course_root() / "notebooks" / "07_attention_heatmaps.ipynb", as_version=4)
    found = [definition(cell.source, name) for cell in notebook.cells if cell.cell_type == "code"]
    source = next(text for text in found if text)
    namespace = {}
    exec("import numpy as np\nfrom course_utils.decoding import greedy_decode, tokens_of\n" + source, namespace)
    return namespace[name]


@pytest.fixture(scope="module")
def explorer():
    calls = []
    attention_map = lesson_function("attention_map")

    def counted(model, text):
        calls.append(text)
        return attention_map(model, text)

    models = {choice.model: pretrained.load(choice.model) for choice in CHOICES.values()}
    built = AttentionExplorer(models, counted)
    built.calls = calls
    return built


def drawn_pixels(png: bytes) -> float:
    """Share of the picture that is not white (a blank figure gives 0)."""
    pixels = matplotlib.image.imread(io.BytesIO(png), format="png")[..., :3]
    return float((pixels.min(axis=-1) < 0.9).mean())


def test_every_model_starts_from_an_example_it_translates(explorer):
    expected = {
        "date (Bahdanau)": "1969-07-20",
        "date (Luong general)": "1969-07-20",
        "French → English (Bahdanau)": "i'm a student .",
        "Korean → English (Bahdanau)": "my brother is a professor .",
    }
    assert list(expected) == list(CHOICES)
    for label, output in expected.items():
        explanation = explorer.explain(label, CHOICES[label].example)
        assert explanation.output == output
        assert drawn_pixels(explanation.png) > 0.2


def test_the_first_input_draws_and_an_unchanged_input_is_not_computed_again(explorer):
    explorer.menu.value = "date (Bahdanau)"
    before, calls = explorer.image.value, len(explorer.calls)
    explorer.entry.value = "March 3rd 2021"
    assert "2021-03-03" in explorer.output and explorer.image.value != before
    assert drawn_pixels(explorer.image.value) > 0.2 and explorer.image.layout.display is None
    assert len(explorer.calls) == calls + 1
    explorer.entry.value = "March 3rd 2021"  # Enter again, or a second event for the same text
    explorer.refresh()
    assert len(explorer.calls) == calls + 1


def test_choosing_a_model_shows_its_example(explorer):
    explorer.menu.value = "French → English (Bahdanau)"
    assert explorer.entry.value == CHOICES["French → English (Bahdanau)"].example
    assert "i'm a student ." in explorer.output
    explorer.menu.value = "date (Bahdanau)"


def test_the_korean_classic_is_mistranslated_as_the_lesson_says(explorer):
    assert "student" not in explorer.explain("Korean → English (Bahdanau)", "나는 학생이다.").output


def test_bad_input_is_explained_in_the_explorers_terms(explorer):
    explorer.menu.value = "date (Bahdanau)"
    explorer.entry.value = "July 20th 1969!"
    assert "never saw '!'" in explorer.output and "unknown=True" not in explorer.output
    assert explorer.image.layout.display == "none"  # no stale heatmap under the message
    explorer.entry.value = "   "
    assert "empty" in explorer.output
    explorer.entry.value = "July 20th 1969 " * 5
    assert "at most" in explorer.output and "Shorten it" in explorer.output
    with pytest.raises(ExplorerInputError, match="never saw"):
        explorer.explain("date (Bahdanau)", "July 20th 1969 ©")


def test_where_widgets_do_not_render_a_note_and_a_static_picture_show(explorer):
    bundle = explorer._repr_mimebundle_()
    assert bundle["text/plain"] == NOTE and "VBox" not in bundle["text/plain"]
    assert drawn_pixels(base64.b64decode(bundle["image/png"])) > 0.2
    assert bundle["application/vnd.jupyter.widget-view+json"]["model_id"] == explorer.view.model_id
