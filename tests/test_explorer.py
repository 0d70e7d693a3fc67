"""Lesson 08's explorer (course_utils.explorer), driven with the lesson's own attention_map.

What a browser shows is checked by tools/browser_test.py (``make browser-test``); these tests check the logic, and
what a learner's kernel publishes when it shows the explorer, under whichever ipywidgets is installed (8 here, 7 on
Colab).
"""

import base64
import io
import os

import ipywidgets
import matplotlib.image
import nbformat
import pytest

from course_utils import pretrained
from course_utils.explorer import CHOICES, NOTE, AttentionExplorer, ExplorerInputError
from course_utils.paths import course_root
from course_utils.taught_code import definition

WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"  # what a notebook front end renders as a live widget
RICH_OUTPUTS = {"execute_result", "display_data"}  # a cell's last expression, and display()
LESSON_IMPORTS = "import numpy as np\nfrom course_utils.decoding import greedy_decode, tokens_of\n"


def lesson_source(name: str) -> str:
    """The definition of ``name`` in lesson 08's code cells, with the imports it needs."""
    notebook = nbformat.read(course_root() / "notebooks" / "08_attention_heatmaps.ipynb", as_version=4)
    found = [definition(cell.source, name) for cell in notebook.cells if cell.cell_type == "code"]
    return LESSON_IMPORTS + next(text for text in found if text)


def lesson_function(name: str):
    """A function defined in one of lesson 08's code cells, run in the lesson's namespace."""
    namespace = {}
    exec(lesson_source(name), namespace)
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


# Run in a real kernel: the explorer for one model, built with the lesson's attention_map.
KERNEL_SET_UP = """
import ipywidgets
from course_utils import pretrained
from course_utils.explorer import CHOICES, AttentionExplorer
{attention_map}
choices = {{"date (Bahdanau)": CHOICES["date (Bahdanau)"]}}
explorer = AttentionExplorer({{c.model: pretrained.load(c.model) for c in choices.values()}}, attention_map, choices)
print(ipywidgets.__version__, explorer.view.model_id)
"""


def run_in_kernel(client, code: str) -> list[dict]:
    """The messages the kernel publishes (iopub) while it runs ``code``, as a notebook front end receives them."""
    request, messages = client.execute(code), []
    while True:
        message = client.get_iopub_msg(timeout=180)
        if message["parent_header"].get("msg_id") == request and message["content"].get("execution_state") == "idle":
            return messages
        messages.append(message)


@pytest.fixture(scope="module")
def kernel():
    """A kernel started as a notebook starts one, holding an explorer: (client, its messages while it was built)."""
    from jupyter_client.manager import start_new_kernel

    environment = {name: value for name, value in os.environ.items() if name != "PYTEST_CURRENT_TEST"}
    environment["PYTHONPATH"] = os.pathsep.join(filter(None, [str(course_root()), environment.get("PYTHONPATH")]))
    manager, client = start_new_kernel(kernel_name="python3", env=environment)
    try:
        yield client, run_in_kernel(client, KERNEL_SET_UP.format(attention_map=lesson_source("attention_map")))
    finally:
        client.stop_channels()
        manager.shutdown_kernel(now=True)


def printed(messages: list[dict]) -> str:
    return "".join(message["content"]["text"] for message in messages if message["msg_type"] == "stream")


def test_the_kernel_builds_the_explorer_with_the_installed_ipywidgets_and_opens_its_widget(kernel):
    _, set_up = kernel
    assert not [message["content"] for message in set_up if message["msg_type"] == "error"]
    version, model_id = printed(set_up).split()[-2:]
    assert version == ipywidgets.__version__  # the kernel runs the ipywidgets under test
    opened = {
        message["content"]["comm_id"]: message["content"]["data"]["state"]["_model_name"]
        for message in set_up
        if message["msg_type"] == "comm_open"
    }
    assert opened.get(model_id) == "VBoxModel"  # the front end gets the widget's model, which the view shows


@pytest.mark.parametrize("cell", ["explorer", "display(explorer)"])  # lesson 08's cell, and display() in a cell
def test_a_learners_kernel_publishes_the_live_widget_with_a_note_and_a_picture_for_where_it_cannot_render(kernel, cell):
    client, set_up = kernel
    model_id = printed(set_up).split()[-1]
    messages = run_in_kernel(client, cell)
    errors = [message["content"] for message in messages if message["msg_type"] == "error"]
    assert not errors, [f"{error['ename']}: {error['evalue']}" for error in errors]  # a red traceback in the cell
    shown = [message["content"]["data"] for message in messages if message["msg_type"] in RICH_OUTPUTS]
    assert len(shown) == 1, shown
    assert shown[0].get(WIDGET_VIEW) == {"version_major": 2, "version_minor": 0, "model_id": model_id}
    assert shown[0]["text/plain"] == NOTE
    assert drawn_pixels(base64.b64decode(shown[0]["image/png"])) > 0.2


def test_the_korean_and_date_starting_examples_are_held_out_as_lesson_08_says():
    from course_utils import dates
    from course_utils.translation import korean_english

    korean = korean_english()  # the data of the saved kor-eng model (pretrained.RECIPES)
    assert CHOICES["Korean → English (Bahdanau)"].example in set(korean.test.source)
    assert CHOICES["Korean → English (Bahdanau)"].example not in set(korean.train.source)
    training_dates = set(dates.make_splits(seed=0).train.text)  # the saved date models' training texts
    assert CHOICES["date (Bahdanau)"].example not in training_dates
    assert CHOICES["date (Luong general)"].example not in training_dates


def test_the_korean_starting_example_is_held_out_and_alammars_sentence_is_in_neither_split():
    """Lesson 08 calls the Korean model's first input a held-out sentence, and 나는 학생이다. one its training pairs
    do not contain."""
    from course_utils.translation import korean_english

    korean = korean_english()
    train, test = set(korean.train.source), set(korean.test.source)
    first = CHOICES["Korean → English (Bahdanau)"].example
    assert first in test and first not in train
    assert "나는 학생이다." not in train and "나는 학생이다." not in test
