"""Lesson 08's interactive explorer: pick a model, type a date or a sentence, see the output and its heatmap.

The heatmap is drawn into a PNG that becomes the value of an ``ipywidgets.Image``. It is not shown through an
Output widget and ``plt.show()``: a figure displayed from a widget callback is routed by the front end, and
JupyterLab sent the first one to its log console, leaving a blank figure under the text box. An image value
is plain widget state, so every input, the first included, draws in place, and an unchanged input draws nothing.

Where widgets cannot render — a lesson opened but not yet run, GitHub's viewer, nbval — the explorer's cell
output falls back to a static picture of its default input and a note on how to use it.
"""

import base64
import io
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from html import escape

from course_utils.sentence_pairs import word_tokens
from course_utils.vocabulary import describe_token


@dataclass(frozen=True)
class Choice:
    """One entry of the explorer's model menu."""

    model: str  # a name in course_utils.pretrained.RECIPES
    example: str  # the input shown when the entry is chosen; the model translates it correctly
    what: str  # what to type, for messages: "a date", "a French sentence", ...


CHOICES = {
    "date (Bahdanau)": Choice("dates-bahdanau", "July 20th 1969", "a date"),
    "date (Luong general)": Choice("dates-general", "1969년 7월 20일 일요일", "a date"),
    "French → English (Bahdanau)": Choice("fra-eng-bahdanau", "je suis étudiant .", "a short French sentence"),
    "Korean → English (Bahdanau)": Choice("kor-eng-bahdanau", "내 형은 교수야.", "a short Korean sentence"),
}
# What the explorer says is in English and, after it, in Korean: both editions run this same code.
NOTE = (
    "Attention explorer: run the cells above (Run → Run All Cells) to use it. Choose a model, type a date or "
    "a sentence, press Enter, and see the model's output with its attention heatmap.\n"
    "어텐션 탐색기: 위의 셀을 모두 실행한 뒤(Run → Run All Cells) 사용합니다. 모델을 고르고 날짜나 문장을 입력한 뒤 "
    "Enter를 누르면 모델의 출력과 어텐션 히트맵이 나타납니다."
)

STATIC_NOTE = (
    "A static picture of the explorer: run the cells above to type your own input.\n"
    "탐색기를 찍어 둔 그림입니다. 직접 입력하려면 위의 셀을 실행하세요."
)
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"  # a front end with widgets shows the live widget


class ExplorerInputError(ValueError):
    """An input the chosen model cannot read; the message says why and what to type instead."""


@dataclass(frozen=True)
class Explanation:
    """What the explorer shows for one input."""

    text: str  # the input as the model read it
    output: str  # the model's output, joined for reading
    png: bytes  # the heatmap


def input_problem(model, text: str, what: str) -> str | None:
    """Why ``model`` cannot read ``text`` (tokenised as in training), in the explorer's words; None if it can."""
    vocabulary = model.source_vocabulary
    if not text.strip():
        return f"The input is empty: type {what} and press Enter. 입력이 비었습니다: 입력한 뒤 Enter를 누르세요."
    tokens = vocabulary.split(text, vocabulary.level)
    unit, korean_unit = ("characters", "글자") if vocabulary.level == "char" else ("words", "단어")
    if len(tokens) > model.source_length:
        return (
            f"This input has {len(tokens)} {unit}; the model was built for at most {model.source_length}. Shorten it. "
            f"입력이 {len(tokens)}{korean_unit}로, 이 모델이 읽는 최대 길이 {model.source_length}보다 깁니다. "
            "줄여 주세요."
        )
    if vocabulary.unknown_id is None:
        unseen = sorted({token for token in tokens if token not in vocabulary.ids})
        if unseen:
            known = "".join(sorted(t for t in vocabulary.ids if len(t) == 1 and not t.isspace()))
            listed = f" It knows these: {known}" if len(known) <= 80 else ""
            named = ", ".join(describe_token(t) for t in unseen)
            return (
                f"The model never saw {named} in training, so it cannot read this input. Remove or replace it.{listed} "
                f"이 모델은 학습에서 {named}을(를) 본 적이 없어 이 입력을 읽을 수 없습니다. "
                "지우거나 다른 것으로 바꾸세요."
            )
    return None


def widget_view_bundle(widget, **kwargs) -> dict:
    """The mimebundle that displays ``widget`` in a notebook, under ipywidgets 8 and 7 alike.

    ipywidgets 8 gives it as ``_repr_mimebundle_``. ipywidgets 7 (Colab's) has no such method: its
    ``Widget._ipython_display_`` publishes this same bundle (a text form and the view of the model id) itself.
    """
    if hasattr(widget, "_repr_mimebundle_"):  # ipywidgets 8
        return widget._repr_mimebundle_(**kwargs)
    view = {"version_major": 2, "version_minor": 0, "model_id": widget.model_id}
    return {"text/plain": repr(widget), WIDGET_VIEW: view}


def heatmap_png(weights, input_tokens, output_tokens, title: str, note: str | None = None) -> bytes:
    """The heatmap as PNG bytes, drawn on a figure pyplot never sees (so nothing else displays it)."""
    from matplotlib.figure import Figure

    from course_utils.plotting import plot_attention

    columns, rows = len(input_tokens), len(output_tokens)
    figure = Figure(figsize=(max(0.32 * columns + 2.6, 5.0), 0.32 * rows + 1.6))
    plot_attention(weights, input_tokens, output_tokens, ax=figure.add_subplot(), title=title)
    if note:
        figure.suptitle(note, color="#b00000", fontsize=10)
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=100, bbox_inches="tight")
    return buffer.getvalue()


class AttentionExplorer:
    """A model menu, a text box, the output line and the heatmap; ``display(explorer)`` shows it.

    ``attention_map(model, text)`` returns (input tokens, output tokens, weights (outputs, inputs)): the lesson's
    own function, so that the explorer draws exactly what the lesson taught.
    """

    def __init__(self, models: Mapping, attention_map: Callable, choices: Mapping[str, Choice] = CHOICES):
        import ipywidgets as widgets

        from course_utils.plotting import use_korean_font

        use_korean_font()  # Korean inputs label the heatmap's columns
        self.models, self.attention_map, self.choices = models, attention_map, dict(choices)
        first = next(iter(self.choices.values()))
        self.menu = widgets.Dropdown(options=list(self.choices), description="model")
        self.entry = widgets.Text(
            value=first.example, description="input", continuous_update=False, layout=widgets.Layout(width="32em")
        )
        self.message = widgets.HTML()
        self.image = widgets.Image(format="png")
        self.view = widgets.VBox([self.menu, self.entry, self.message, self.image])
        self._shown = None  # (model, text) now drawn: an unchanged input is not computed again
        self.menu.observe(self._new_model, names="value")
        self.entry.observe(lambda _: self.refresh(), names="value")
        self.refresh()
        first_label = next(iter(self.choices))
        static = self.explain(first_label, first.example, note=STATIC_NOTE)
        self._static_png = static.png  # the default input's picture, for where widgets do not render

    def explain(self, label: str, text: str, note: str | None = None) -> Explanation:
        """Output and heatmap of the model behind menu entry ``label`` for ``text``; ExplorerInputError if it
        cannot read the text."""
        choice = self.choices[label]
        model = self.models[choice.model]
        if model.source_vocabulary.level == "word":
            text = word_tokens(text)  # lower case, punctuation split, as in training
        problem = input_problem(model, text, choice.what)
        if problem:
            raise ExplorerInputError(problem)
        input_tokens, output_tokens, weights = self.attention_map(model, text)
        joiner = "" if model.target_vocabulary.level == "char" else " "
        output = joiner.join(output_tokens[:-1])  # without <end>
        title = f"{label}: {text} → {output}"
        return Explanation(text, output, heatmap_png(weights, input_tokens, output_tokens, title, note))

    def refresh(self) -> None:
        """Draw the current menu entry and text (nothing happens when they are what is drawn already)."""
        key = (self.menu.value, self.entry.value)
        if key == self._shown:
            return
        self._shown = key
        try:
            explanation = self.explain(*key)
        except Exception as error:  # a widget callback's exception would only reach JupyterLab's log console
            reason = str(error) if isinstance(error, ExplorerInputError) else f"{type(error).__name__}: {error}"
            heading = "<b>Cannot read this input · 읽을 수 없는 입력입니다.</b>"
            self.message.value = f"{heading} {escape(reason, quote=False)}"
            self.image.layout.display = "none"
            return
        shown_input, shown_output = (escape(text, quote=False) for text in (explanation.text, explanation.output))
        self.message.value = f"<code>{shown_input}</code> → <code>{shown_output}</code>"
        self.image.value = explanation.png
        self.image.layout.display = None

    def _new_model(self, change) -> None:
        self.entry.value = self.choices[change["new"]].example  # refreshes through the entry's observer ...
        self.refresh()  # ... unless the text was already this example

    @property
    def output(self) -> str:
        """The output line now shown (HTML)."""
        return self.message.value

    def _repr_mimebundle_(self, **kwargs):
        """The widget's view, with a note and a static picture for where widgets cannot render."""
        bundle = widget_view_bundle(self.view, **kwargs)
        bundle["text/plain"] = NOTE  # shown instead of the widget where widgets cannot render
        if self._static_png:
            bundle["image/png"] = base64.b64encode(self._static_png).decode("ascii")
        return bundle
