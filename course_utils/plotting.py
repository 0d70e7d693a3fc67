"""Plots the lessons share: training curves, vectors as coloured strips, attention heatmaps.

Each function draws on ``ax`` (or a new figure) and returns the Axes; nothing is shown or saved on import.
"""

from collections.abc import Mapping, Sequence

import matplotlib.pyplot as plt
import numpy as np

from course_utils.fonts import use_korean_font as use_korean_font  # lessons import it from here


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
    ax.figure.colorbar(image, ax=ax, label=value_label, fraction=0.03, pad=0.02)
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
        ax.figure.colorbar(image, ax=ax, label="attention weight α (softmax)", fraction=0.04)
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


def seq2seq_sizes(model) -> dict:
    """What an architecture figure labels, read from a course_utils Seq2Seq: sizes and the decoder's kind."""
    decoder = type(model.decoder).__name__
    kinds = {"Decoder": None, "BahdanauDecoder": "bahdanau", "LuongDecoder": "luong", "InputFeedingDecoder": "luong"}
    if decoder not in kinds:
        raise ValueError(f"No architecture figure for a {decoder}; expected one of {sorted(kinds)}.")
    return {
        "embedding": model.embedding_dim,
        "encoder units": model.units,
        "decoder units": model.decoder.units,
        "output vocabulary": len(model.target_vocabulary),
        "attention": kinds[decoder],
        "input feeding": decoder == "InputFeedingDecoder",
    }


def plot_seq2seq_architecture(
    model,
    source_tokens: Sequence[str],
    output_tokens: Sequence[str],
    *,
    weights=None,
    step: int | None = None,
    ax=None,
    title: str | None = None,
):
    """The encoder–decoder of a course_utils Seq2Seq drawn as in Alammar's post, with the real model's sizes.

    Bottom left: the source tokens and the encoder's states h_j (a bidirectional GRU); right: the decoder's
    states, fed the previous output token, writing ``output_tokens``. Without attention (lesson 02) the
    encoder's final state is the decoder's only view of the source. With attention, pass ``weights``
    (len(output_tokens), ≥ len(source_tokens)) from the same decoding pass and the ``step`` to draw: lines from
    every h_j to the context vector c_t, as thick as α_tj, and where c_t enters — the GRU's input and the output
    layer for Bahdanau (scored with s_{t-1}), W_c after the GRU for Luong (scored with h_t).
    Returns the Axes.
    """
    sizes = seq2seq_sizes(model)
    attention = sizes["attention"]
    n_in, n_out = len(source_tokens), len(output_tokens)
    if attention is not None:
        if weights is None or step is None:
            raise ValueError("An attention model's figure needs the attention weights and the step to draw.")
        weights = np.asarray(weights, dtype=float)
        if weights.ndim != 2 or weights.shape[0] < n_out or weights.shape[1] < n_in or not 0 <= step < n_out:
            raise ValueError(
                f"weights must be (output steps ≥ {n_out}, source positions ≥ {n_in}) and step in [0, {n_out}), "
                f"got weights {weights.shape} and step {step}."
            )
    if ax is None:
        _, ax = plt.subplots(figsize=(1.05 * (n_in + n_out) + 2.5, 5.2))
    ax.set_axis_off()
    encoder_x = np.arange(n_in, dtype=float)
    decoder_x = n_in + 1.2 + np.arange(n_out, dtype=float)
    state_y, token_y, output_y, context_y = 1.0, 0.0, 2.3, 3.6

    def box(x, y, text, color, width=0.62, height=0.55, size=9):
        ax.add_patch(
            plt.Rectangle(
                (x - width / 2, y - height / 2),
                width,
                height,
                facecolor=color,
                edgecolor="black",
                linewidth=0.8,
                zorder=2,
            )
        )
        ax.text(x, y, text, ha="center", va="center", fontsize=size, zorder=3)

    def arrow(x0, y0, x1, y1, color="black", width=1.0, style="-|>", linestyle="-"):
        ax.annotate(
            "",
            xy=(x1, y1),
            xytext=(x0, y0),
            zorder=1,
            arrowprops=dict(arrowstyle=style, color=color, lw=width, linestyle=linestyle, shrinkA=9, shrinkB=9),
        )

    for j, token in enumerate(source_tokens):
        ax.text(encoder_x[j], token_y, _visible(token), ha="center", va="center", fontsize=10)
        box(encoder_x[j], state_y, f"$h_{{{j + 1}}}$", "#cfe2f3")
        arrow(encoder_x[j], token_y, encoder_x[j], state_y)
        if j:
            arrow(encoder_x[j - 1], state_y, encoder_x[j], state_y, style="<|-|>")  # both directions
    previous = ["<start>", *output_tokens[:-1]]
    state_name = "h" if attention == "luong" else "s"
    for t in range(n_out):
        ax.text(decoder_x[t], token_y, _visible(previous[t]), ha="center", va="center", fontsize=9, color="dimgray")
        box(decoder_x[t], state_y, f"${state_name}_{{{t + 1}}}$", "#d9ead3")
        arrow(decoder_x[t], token_y, decoder_x[t], state_y)
        ax.text(
            decoder_x[t],
            output_y + 0.45,
            _visible(output_tokens[t]),
            ha="center",
            va="center",
            fontsize=10,
            fontweight="bold" if attention is None or t == step else "normal",
        )
        arrow(decoder_x[t], state_y, decoder_x[t], output_y + 0.25)
        if t:
            arrow(decoder_x[t - 1], state_y, decoder_x[t], state_y)
    final = f"final state [h→; h←]\n{2 * sizes['encoder units']} numbers"
    arrow(encoder_x[-1], state_y, decoder_x[0], state_y, color="tab:red", width=2.0)
    ax.text(
        (encoder_x[-1] + decoder_x[0]) / 2, state_y - 0.55, final, ha="center", va="top", fontsize=8, color="tab:red"
    )
    ax.text(
        encoder_x.mean(),
        -0.75,
        f"encoder: embedding {sizes['embedding']}, bidirectional GRU 2 × {sizes['encoder units']}",
        ha="center",
        fontsize=8,
    )
    output_note = f"Dense → {sizes['output vocabulary']:,} words"
    if attention is not None:
        alphas = weights[step, :n_in]
        x_t = decoder_x[step]
        context_x = (encoder_x.mean() + x_t) / 2
        for j in range(n_in):
            arrow(
                encoder_x[j],
                state_y + 0.3,
                context_x,
                context_y - 0.3,
                color="tab:orange",
                width=0.3 + 6 * alphas[j],
                style="-",
            )
            ax.text(
                encoder_x[j],
                state_y + 0.45,
                f"{alphas[j]:.2f}",
                ha="center",
                va="bottom",
                fontsize=8,
                color="tab:orange",
            )
        box(
            context_x,
            context_y,
            f"$c_{{{step + 1}}} = \\sum_j \\alpha_{{{step + 1}j}} h_j$",
            "#fce5cd",
            width=2.0,
            size=10,
        )
        if attention == "bahdanau":
            if step:  # the query is the previous state
                arrow(
                    decoder_x[step - 1], state_y + 0.3, context_x + 0.8, context_y - 0.3, color="gray", linestyle="--"
                )
            ax.text(
                context_x,
                context_y + 0.45,
                "scored with $s_{t-1}$, before the GRU step",
                ha="center",
                fontsize=8,
                color="gray",
            )
            arrow(context_x + 1.0, context_y, x_t - 0.15, state_y + 0.3, color="tab:orange", width=1.5)
            arrow(context_x + 1.0, context_y, x_t + 0.15, output_y + 0.2, color="tab:orange", width=1.5)
            output_note = (
                f"Dense on [s; c] ({sizes['decoder units']} + {2 * sizes['encoder units']}) → "
                f"{sizes['output vocabulary']:,} words"
            )
        else:
            arrow(x_t, state_y + 0.3, context_x + 0.8, context_y - 0.3, color="gray", linestyle="--")
            ax.text(
                context_x,
                context_y + 0.45,
                "scored with $h_t$, after the GRU step",
                ha="center",
                fontsize=8,
                color="gray",
            )
            box(x_t, output_y - 0.35, "$\\tilde h$", "#ead1dc", width=0.5, height=0.4)
            arrow(context_x + 1.0, context_y, x_t, output_y - 0.15, color="tab:orange", width=1.5)
            output_note = (
                f"$\\tilde h = W_c[c; h]$ ({sizes['decoder units']}) → Dense → {sizes['output vocabulary']:,} words"
            )
            if sizes["input feeding"]:
                output_note += "; $\\tilde h_{t-1}$ joins the next GRU input"
    ax.text(decoder_x.mean(), -0.75, f"decoder: GRU {sizes['decoder units']}, {output_note}", ha="center", fontsize=8)
    ax.set_xlim(-0.8, decoder_x[-1] + 0.8)
    ax.set_ylim(-1.1, context_y + 0.8 if attention is not None else output_y + 0.9)
    if title:
        ax.set_title(title)
    return ax
