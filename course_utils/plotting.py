"""Plots the lessons share: training curves, vectors as coloured strips, attention heatmaps.

Each function draws on ``ax`` (or a new figure) and returns the Axes; nothing is shown or saved on import.
"""

import importlib.util
from collections.abc import Mapping, Sequence
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
from matplotlib import font_manager

KOREAN_FONT_PACKAGE = "koreanize_matplotlib"  # ships NanumGothic.ttf; we use the file, never import the package


def use_korean_font() -> str | None:
    """Let plots show Korean: register NanumGothic as a fallback behind matplotlib's default font.

    English text keeps DejaVu Sans; only glyphs it lacks (Hangul) come from NanumGothic. Returns the font's
    name, or None when the font package is not installed (Korean then shows as boxes).
    """
    spec = importlib.util.find_spec(KOREAN_FONT_PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        return None
    font_file = Path(spec.submodule_search_locations[0]) / "fonts" / "NanumGothic.ttf"
    font_manager.fontManager.addfont(str(font_file))
    name = font_manager.FontProperties(fname=str(font_file)).get_name()
    plt.rcParams["font.family"] = ["DejaVu Sans", name]
    return name


def plot_history(history, *, metrics: Sequence[str] = ("loss",), title: str | None = None, axes=None):
    """Training curves: one panel per metric, training and (when present) validation, epochs from 1."""
    logs: Mapping[str, list] = getattr(history, "history", history)  # a keras History or its dict
    missing = [m for m in metrics if m not in logs]
    if missing:
        raise KeyError(f"No {missing} in the history; it has {sorted(logs)}.")
    if axes is None:
        _, axes = plt.subplots(1, len(metrics), figsize=(4.5 * len(metrics), 3.2), squeeze=False)
        axes = axes[0]
    for ax, metric in zip(np.atleast_1d(axes), metrics):
        epochs = np.arange(1, len(logs[metric]) + 1)
        ax.plot(epochs, logs[metric], marker=".", label="training")
        if f"val_{metric}" in logs:
            ax.plot(epochs, logs[f"val_{metric}"], marker=".", label="validation")
        ax.set(xlabel="epoch", ylabel=metric)
        ax.legend()
        ax.grid(alpha=0.3)
    if title:
        plt.gcf().suptitle(title)
    plt.tight_layout()
    return axes


def plot_vector_strip(vectors, labels: Sequence[str], *, title: str | None = None, ax=None, value_label: str = "value"):
    """Each row of ``vectors`` (n, d) as a strip of coloured cells, as in Alammar's pictures of RNN states."""
    vectors = np.asarray(vectors, dtype=float)
    if vectors.ndim != 2 or len(vectors) != len(labels):
        raise ValueError(f"Expected vectors of shape (n, d) with n = {len(labels)} labels, got {vectors.shape}.")
    if ax is None:
        _, ax = plt.subplots(figsize=(min(0.32 * vectors.shape[1] + 2.5, 14), 0.45 * len(labels) + 1))
    limit = np.abs(vectors).max() or 1.0
    image = ax.imshow(vectors, cmap="coolwarm", vmin=-limit, vmax=limit, aspect="auto")
    ax.set_yticks(range(len(labels)), labels)
    ax.set_xticks(range(vectors.shape[1]))
    ax.set_xticklabels([])
    ax.set_xlabel(f"{vectors.shape[1]} dimensions")
    if title:
        ax.set_title(title)
    plt.colorbar(image, ax=ax, label=value_label, fraction=0.03, pad=0.02)
    return ax


def plot_attention(
    weights,
    source_tokens: Sequence[str],
    target_tokens: Sequence[str],
    *,
    ax=None,
    title: str | None = None,
    colorbar: bool = True,
):
    """Heatmap of attention weights (target_length, source_length): rows are output tokens, columns inputs.

    Pass softmax weights (each row sums to 1), not raw scores. Rows and columns beyond the given tokens
    (padding, steps after the end token) are cropped away.
    """
    weights = np.asarray(weights, dtype=float)
    if weights.ndim != 2:
        raise ValueError(f"Expected weights of shape (target_length, source_length), got {weights.shape}.")
    rows, columns = len(target_tokens), len(source_tokens)
    if rows > weights.shape[0] or columns > weights.shape[1]:
        raise ValueError(f"{rows} target and {columns} source tokens do not fit weights of shape {weights.shape}.")
    weights = weights[:rows, :columns]
    if ax is None:
        _, ax = plt.subplots(figsize=(0.32 * columns + 2.2, 0.32 * rows + 1.4))
    image = ax.imshow(weights, cmap="viridis", vmin=0.0, vmax=1.0, aspect="auto")
    words = max(len(t) for t in source_tokens) > 1  # rotate word labels, never single characters
    ax.set_xticks(range(columns), [_visible(t) for t in source_tokens], rotation=90 if words and columns > 6 else 0)
    ax.set_yticks(range(rows), [_visible(t) for t in target_tokens])
    ax.set_xlabel("input (source) tokens")
    ax.set_ylabel("output tokens")
    if title:
        ax.set_title(title)
    if colorbar:
        plt.colorbar(image, ax=ax, label="attention weight α (softmax)", fraction=0.04)
    return ax


def _visible(token: str) -> str:
    """Show a space token as '␣' so that it has a visible tick label."""
    return "␣" if token == " " else token


def plot_quality_by_length(
    curves: Mapping[str, "object"], *, metric: str = "bleu", title: str | None = None, ax=None, unit: str = "words"
):
    """Overlay quality-by-length tables (from metrics.quality_by_length), one line per model."""
    if ax is None:
        _, ax = plt.subplots(figsize=(6.5, 3.6))
    for name, table in curves.items():
        ax.plot(table["source length"], table[metric], marker="o", label=name)
    ax.set(xlabel=f"source length ({unit})", ylabel="BLEU" if metric == "bleu" else "exact match (%)", ylim=(0, None))
    if title:
        ax.set_title(title)
    ax.grid(alpha=0.3)
    ax.legend()
    return ax


def plot_encoder_decoder(
    source_tokens: Sequence[str],
    decoder_inputs: Sequence[str],
    decoder_outputs: Sequence[str],
    *,
    context=None,
    encoder_note: str = "",
    decoder_note: str = "",
    attention: bool = False,
    title: str | None = None,
    ax=None,
):
    """An encoder–decoder unrolled over time, in the style of Alammar's drawings, from real tokens and numbers.

    Bottom left: the source tokens, each read by one encoder step (green); the last step's state is the context
    vector, drawn as a strip of its real values when ``context`` (a 1-D array) is given. Right: the decoder steps
    (purple), each fed ``decoder_inputs[t]`` and writing ``decoder_outputs[t]``; an arrow carries the state from
    step to step. ``attention=True`` adds a line from every encoder step to every decoder step (lesson 04).
    The notes (for example the layer sizes read from the model) are printed under each half.
    """
    if len(decoder_inputs) != len(decoder_outputs) or not len(source_tokens) or not len(decoder_inputs):
        raise ValueError(
            f"Need source tokens and as many decoder inputs as outputs; got {len(source_tokens)} "
            f"source tokens, {len(decoder_inputs)} inputs and {len(decoder_outputs)} outputs."
        )
    n_in, n_out = len(source_tokens), len(decoder_inputs)
    gap = 2.2  # room between the two halves, for the context vector
    width = n_in + gap + n_out
    if ax is None:
        _, ax = plt.subplots(figsize=(1.05 * width + 0.5, 3.6))
    ax.set_xlim(-0.7, width - 0.3)
    ax.set_ylim(-1.9, 2.0)
    ax.axis("off")
    box = {"boxstyle": "round,pad=0.35", "edgecolor": "none"}
    arrow = {"arrowstyle": "->", "color": "#555555"}
    encoder_x = list(range(n_in))
    decoder_x = [n_in + gap + t for t in range(n_out)]
    for x, token in zip(encoder_x, source_tokens):
        ax.text(x, -1.0, _visible(token), ha="center", va="center", fontsize=11, bbox={**box, "facecolor": "#eeeeee"})
        ax.text(x, 0.2, "GRU", ha="center", va="center", fontsize=9, bbox={**box, "facecolor": "#b7e4b0"})
        ax.annotate("", xy=(x, -0.05), xytext=(x, -0.75), arrowprops=arrow)
    for x, token_in, token_out in zip(decoder_x, decoder_inputs, decoder_outputs):
        ax.text(
            x, -1.0, _visible(token_in), ha="center", va="center", fontsize=11, bbox={**box, "facecolor": "#eeeeee"}
        )
        ax.text(x, 0.2, "GRU", ha="center", va="center", fontsize=9, bbox={**box, "facecolor": "#d5c6f0"})
        ax.text(x, 1.35, _visible(token_out), ha="center", va="center", fontsize=11, fontweight="bold")
        ax.annotate("", xy=(x, -0.05), xytext=(x, -0.75), arrowprops=arrow)
        ax.annotate("", xy=(x, 1.1), xytext=(x, 0.45), arrowprops=arrow)
    for xs in (encoder_x, decoder_x):
        for left, right in zip(xs[:-1], xs[1:]):
            ax.annotate("", xy=(right - 0.3, 0.2), xytext=(left + 0.3, 0.2), arrowprops=arrow)
    middle = n_in - 1 + gap / 2
    if context is not None:
        values = np.asarray(context, dtype=float).reshape(1, -1)
        ax.imshow(
            values,
            aspect="auto",
            cmap="coolwarm",
            vmin=-np.abs(values).max(),
            vmax=np.abs(values).max(),
            extent=(middle - 0.55, middle + 0.55, 0.75, 1.05),
        )
        ax.text(middle, 1.3, f"context vector\n({values.shape[1]} numbers)", ha="center", va="bottom", fontsize=9)
    else:
        ax.text(middle, 0.95, "context vector", ha="center", va="bottom", fontsize=9)
    ax.annotate(
        "",
        xy=(decoder_x[0] - 0.3, 0.2),
        xytext=(encoder_x[-1] + 0.3, 0.2),
        arrowprops={**arrow, "color": "#c0392b", "lw": 2},
    )
    if attention:
        for x_out in decoder_x:
            for x_in in encoder_x:
                ax.plot([x_in, x_out], [0.45, 0.45 + 0.1], color="#c0392b", alpha=0.15, lw=1)
    ax.text(
        (encoder_x[0] + encoder_x[-1]) / 2,
        -1.65,
        "ENCODER" + (f" · {encoder_note}" if encoder_note else ""),
        ha="center",
        va="center",
        fontsize=9,
        color="#2e7d32",
    )
    ax.text(
        (decoder_x[0] + decoder_x[-1]) / 2,
        -1.65,
        "DECODER" + (f" · {decoder_note}" if decoder_note else ""),
        ha="center",
        va="center",
        fontsize=9,
        color="#5e35b1",
    )
    if title:
        ax.set_title(title, loc="left")
    return ax
