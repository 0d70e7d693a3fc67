"""Plots the lessons share: training curves, vectors as coloured strips, attention heatmaps.

Each function draws on ``ax`` (or a new figure) and returns the Axes; nothing is shown or saved on import.
"""

from collections.abc import Mapping, Sequence

import matplotlib.pyplot as plt
import numpy as np

from course_utils.fonts import use_korean_font as use_korean_font  # lessons import it from here
from course_utils.seq2seq import decoder_kind


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
    figure = np.atleast_1d(axes)[0].figure  # the figure of the axes drawn on, which may not be pyplot's current one
    if title:
        figure.suptitle(title)
    figure.tight_layout()
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
    kind = decoder_kind(model.decoder)
    return {
        "embedding": model.embedding_dim,
        "encoder units": model.units,
        "decoder units": model.decoder.units,
        "output vocabulary": len(model.target_vocabulary),
        "output unit": "characters" if model.target_vocabulary.level == "char" else "words",
        "attention": {"no attention": None, "bahdanau": "bahdanau"}.get(kind, "luong"),
        "input feeding": kind == "input feeding",
        "h̃ activation": model.luong_activation if kind not in ("no attention", "bahdanau") else None,
    }


# The rows of the architecture figure (y in data units): input tokens, recurrent states, outputs, context vector.
TOKEN_Y, STATE_Y, OUTPUT_Y, CONTEXT_Y = 0.0, 1.0, 2.3, 3.6


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
        weights = _step_weights(weights, step, n_in, n_out)
    if ax is None:
        _, ax = plt.subplots(figsize=(1.05 * (n_in + n_out) + 2.5, 5.2))
    ax.set_axis_off()
    encoder_x = np.arange(n_in, dtype=float)
    decoder_x = n_in + 1.2 + np.arange(n_out, dtype=float)
    _draw_encoder(ax, encoder_x, source_tokens)
    state_name = "h" if attention == "luong" else "s"
    _draw_decoder(ax, decoder_x, output_tokens, state_name=state_name, bold=None if attention is None else step)
    _draw_handover(ax, encoder_x, decoder_x, sizes)
    output_note = f"Dense → {sizes['output vocabulary']:,} {sizes['output unit']}"
    if attention is not None:
        output_note = _draw_context(ax, encoder_x, decoder_x, weights[step, :n_in], step, sizes)
    ax.text(decoder_x.mean(), -0.75, f"decoder: GRU {sizes['decoder units']}, {output_note}", ha="center", fontsize=8)
    ax.set_xlim(-0.8, decoder_x[-1] + 0.8)
    ax.set_ylim(-1.1, CONTEXT_Y + 0.8 if attention is not None else OUTPUT_Y + 0.9)
    if title:
        ax.set_title(title)
    return ax


def _step_weights(weights, step, n_in: int, n_out: int) -> np.ndarray:
    """The attention weights (output steps, source positions) as floats, or a ValueError when they or the step
    do not fit the tokens drawn."""
    if weights is None or step is None:
        raise ValueError("An attention model's figure needs the attention weights and the step to draw.")
    weights = np.asarray(weights, dtype=float)
    if weights.ndim != 2 or weights.shape[0] < n_out or weights.shape[1] < n_in or not 0 <= step < n_out:
        raise ValueError(
            f"weights must be (output steps ≥ {n_out}, source positions ≥ {n_in}) and step in [0, {n_out}), "
            f"got weights {weights.shape} and step {step}."
        )
    return weights


def _box(ax, x, y, text, color, width=0.62, height=0.55, size=9):
    """A labelled rectangle centred on (x, y)."""
    corner = (x - width / 2, y - height / 2)
    ax.add_patch(plt.Rectangle(corner, width, height, facecolor=color, edgecolor="black", linewidth=0.8, zorder=2))
    ax.text(x, y, text, ha="center", va="center", fontsize=size, zorder=3)


def _arrow(ax, x0, y0, x1, y1, color="black", width=1.0, style="-|>", linestyle="-"):
    """An arrow (or a plain line: style "-") from (x0, y0) to (x1, y1), kept clear of the boxes it joins."""
    ax.annotate(
        "",
        xy=(x1, y1),
        xytext=(x0, y0),
        zorder=1,
        arrowprops=dict(arrowstyle=style, color=color, lw=width, linestyle=linestyle, shrinkA=9, shrinkB=9),
    )


def _draw_encoder(ax, encoder_x, source_tokens: Sequence[str]):
    """The source tokens and the encoder's states h_j above them, read in both directions."""
    for j, token in enumerate(source_tokens):
        ax.text(encoder_x[j], TOKEN_Y, _visible(token), ha="center", va="center", fontsize=10)
        _box(ax, encoder_x[j], STATE_Y, f"$h_{{{j + 1}}}$", "#cfe2f3")
        _arrow(ax, encoder_x[j], TOKEN_Y, encoder_x[j], STATE_Y)
        if j:
            _arrow(ax, encoder_x[j - 1], STATE_Y, encoder_x[j], STATE_Y, style="<|-|>")  # both directions


def _draw_decoder(ax, decoder_x, output_tokens: Sequence[str], *, state_name: str, bold: int | None):
    """The decoder's states s_t (or h_t), each fed the previous output token and writing the next; the output
    of step ``bold`` (every output when None) in bold."""
    previous = ["<start>", *output_tokens[:-1]]
    for t, x in enumerate(decoder_x):
        ax.text(x, TOKEN_Y, _visible(previous[t]), ha="center", va="center", fontsize=9, color="dimgray")
        _box(ax, x, STATE_Y, f"${state_name}_{{{t + 1}}}$", "#d9ead3")
        _arrow(ax, x, TOKEN_Y, x, STATE_Y)
        weight = "bold" if bold is None or t == bold else "normal"
        written = _visible(output_tokens[t])
        ax.text(x, OUTPUT_Y + 0.45, written, ha="center", va="center", fontsize=10, fontweight=weight)
        _arrow(ax, x, STATE_Y, x, OUTPUT_Y + 0.25)
        if t:
            _arrow(ax, decoder_x[t - 1], STATE_Y, x, STATE_Y)


def _draw_handover(ax, encoder_x, decoder_x, sizes: dict):
    """The encoder's final state starting the decoder (red): its forward half leaves h_T, its backward half (the
    right-to-left pass ends at the first word) leaves h_1 along a dashed arc; the encoder's sizes below it."""
    final = f"final state [h→ at h_{len(encoder_x)}; h← at h_1]\n{2 * sizes['encoder units']} numbers"
    _arrow(ax, encoder_x[-1], STATE_Y, decoder_x[0], STATE_Y, color="tab:red", width=2.0)
    middle = (encoder_x[-1] + decoder_x[0]) / 2
    ax.annotate(  # the backward half: from h_1, below the state row, into the handover arrow
        "",
        xy=(middle - 0.3, STATE_Y - 0.05),
        xytext=(encoder_x[0], STATE_Y - 0.3),
        zorder=1,
        arrowprops=dict(
            arrowstyle="-|>", color="tab:red", lw=1.5, linestyle="--", connectionstyle="arc3,rad=0.25", shrinkA=2
        ),
    )
    ax.text(middle, STATE_Y - 0.55, final, ha="center", va="top", fontsize=8, color="tab:red")
    ax.text(
        encoder_x.mean(),
        -0.75,
        f"encoder: embedding {sizes['embedding']}, bidirectional GRU 2 × {sizes['encoder units']}",
        ha="center",
        fontsize=8,
    )


def _draw_context(ax, encoder_x, decoder_x, alphas, step: int, sizes: dict) -> str:
    """Lines from every h_j to c_t, as thick as α_tj (labelled), the c_t box, and where its query comes from and
    where it goes: Bahdanau's or Luong's. Returns the note on the decoder's output layer."""
    context_x = (encoder_x.mean() + decoder_x[step]) / 2
    for j, alpha in enumerate(alphas):
        _arrow(ax, encoder_x[j], STATE_Y + 0.3, context_x, CONTEXT_Y - 0.3, "tab:orange", 0.3 + 6 * alpha, "-")
        ax.text(encoder_x[j], STATE_Y + 0.45, f"{alpha:.2f}", ha="center", va="bottom", fontsize=8, color="tab:orange")
    c_t = f"$c_{{{step + 1}}} = \\sum_j \\alpha_{{{step + 1}j}} h_j$"
    _box(ax, context_x, CONTEXT_Y, c_t, "#fce5cd", width=2.0, size=10)
    if sizes["attention"] == "bahdanau":
        return _draw_bahdanau_query(ax, context_x, decoder_x, step, sizes)
    return _draw_luong_query(ax, context_x, decoder_x[step], sizes)


def _draw_bahdanau_query(ax, context_x, decoder_x, step: int, sizes: dict) -> str:
    """Bahdanau: c_t is scored with s_{t-1} (dashed) and enters the GRU's input and the output layer."""
    x_t = decoder_x[step]
    if step:  # the query is the previous state
        _arrow(ax, decoder_x[step - 1], STATE_Y + 0.3, context_x + 0.8, CONTEXT_Y - 0.3, color="gray", linestyle="--")
    note = "scored with $s_{t-1}$, before the GRU step"
    ax.text(context_x, CONTEXT_Y + 0.45, note, ha="center", fontsize=8, color="gray")
    _arrow(ax, context_x + 1.0, CONTEXT_Y, x_t - 0.15, STATE_Y + 0.3, color="tab:orange", width=1.5)
    _arrow(ax, context_x + 1.0, CONTEXT_Y, x_t + 0.15, OUTPUT_Y + 0.2, color="tab:orange", width=1.5)
    return (
        f"Dense on [s; c] ({sizes['decoder units']} + {2 * sizes['encoder units']}) → "
        f"{sizes['output vocabulary']:,} {sizes['output unit']}"
    )


def _draw_luong_query(ax, context_x, x_t, sizes: dict) -> str:
    """Luong: c_t is scored with h_t (dashed) and combined with it into h̃_t = f(W_c[c_t; h_t]) after the GRU (f: the
    decoder's activation, tanh by default, none for a linear h̃)."""
    _arrow(ax, x_t, STATE_Y + 0.3, context_x + 0.8, CONTEXT_Y - 0.3, color="gray", linestyle="--")
    ax.text(context_x, CONTEXT_Y + 0.45, "scored with $h_t$, after the GRU step", ha="center", fontsize=8, color="gray")
    _box(ax, x_t, OUTPUT_Y - 0.35, "$\\tilde h$", "#ead1dc", width=0.5, height=0.4)
    _arrow(ax, context_x + 1.0, CONTEXT_Y, x_t, OUTPUT_Y - 0.15, color="tab:orange", width=1.5)
    activation = sizes["h̃ activation"]
    combined = {None: "W_c[c; h]", "tanh": "\\tanh(W_c[c; h])"}.get(activation, f"\\mathrm{{{activation}}}(W_c[c; h])")
    output = f"{sizes['output vocabulary']:,} {sizes['output unit']}"
    note = f"$\\tilde h = {combined}$ ({sizes['decoder units']}) → Dense → {output}"
    if sizes["input feeding"]:
        note += "; $\\tilde h_{t-1}$ joins the next GRU input"
    return note


def _flow(ax, nodes: Mapping[str, tuple], edges: Sequence[tuple]):
    """Boxes at (x, y) with labels and colours, joined by arrows (start, end, style)."""
    for x, y, label, color in nodes.values():
        ax.text(
            x,
            y,
            label,
            ha="center",
            va="center",
            fontsize=10,
            zorder=3,
            bbox=dict(boxstyle="round,pad=0.35", facecolor=color, edgecolor="black", linewidth=0.8),
        )
    for start, end, *style in edges:
        (x0, y0, *_), (x1, y1, *_) = nodes[start], nodes[end]
        color, linestyle = (*style, "black", "-")[:2] if len(style) != 1 else (style[0], "-")
        ax.annotate(
            "",
            xy=(x1, y1),
            xytext=(x0, y0),
            zorder=1,
            arrowprops=dict(arrowstyle="-|>", color=color, lw=1.4, linestyle=linestyle, shrinkA=16, shrinkB=16),
        )


def plot_decoder_step_flow(kind: str, *, ax=None, title: str | None = None):
    """One decoder step as a data-flow figure: where attention sits. ``kind``: "bahdanau" (attention scored with
    s_{t-1}, before the recurrence; c_t enters the GRU and the output layer), "luong" (scored with h_t, after the
    recurrence; c_t and h_t combine into h̃_t) or "input feeding" (Luong, with h̃_{t-1} joining the GRU's input)."""
    kinds = ("bahdanau", "luong", "input feeding")
    if kind not in kinds:
        raise ValueError(f"kind must be one of {kinds}, got {kind!r}.")
    if ax is None:
        _, ax = plt.subplots(figsize=(7, 3.4))
    ax.set_axis_off()
    encoder, attention, state, word = "#cfe2f3", "#fce5cd", "#d9ead3", "white"
    if kind == "bahdanau":
        nodes = {
            "H": (1.3, 3.0, "encoder states $h_1 \\dots h_T$", encoder),
            "prev": (0.0, 1.0, "$s_{t-1}$", state),
            "att": (1.3, 2.0, "attention\nscore$(s_{t-1}, h_j)$ → α → $c_t$", attention),
            "y": (2.6, 0.0, "$y_{t-1}$", word),
            "gru": (2.6, 1.0, "GRU", state),
            "s": (3.9, 1.0, "$s_t$", state),
            "out": (3.9, 2.4, "Dense$([s_t; c_t])$", attention),
            "next": (5.2, 2.4, "$y_t$", word),
        }
        edges = [
            ("prev", "att", "tab:orange"),
            ("H", "att", "tab:orange"),
            ("att", "gru", "tab:orange"),
            ("prev", "gru"),
            ("y", "gru"),
            ("gru", "s"),
            ("s", "out"),
            ("att", "out", "tab:orange"),
            ("out", "next"),
        ]
    else:
        nodes = {
            "H": (2.2, 3.3, "encoder states $\\bar h_1 \\dots \\bar h_T$", encoder),
            "prev": (0.0, 1.0, "$h_{t-1}$", state),
            "y": (1.3, 0.0, "$y_{t-1}$", word),
            "gru": (1.3, 1.0, "GRU", state),
            "h": (2.6, 1.0, "$h_t$", state),
            "att": (2.2, 2.2, "attention\nscore$(h_t, \\bar h_s)$ → α → $c_t$", attention),
            "tilde": (4.6, 2.2, "$\\tilde h_t = f(W_c[c_t; h_t])$", attention),
            "next": (6.0, 2.2, "$y_t$", word),
        }
        edges = [
            ("prev", "gru"),
            ("y", "gru"),
            ("gru", "h"),
            ("h", "att", "tab:orange"),
            ("H", "att", "tab:orange"),
            ("att", "tilde", "tab:orange"),
            ("h", "tilde"),
            ("tilde", "next"),
        ]
        if kind == "input feeding":
            nodes["fed"] = (0.0, 0.0, "$\\tilde h_{t-1}$", attention)
            edges.append(("fed", "gru", "tab:purple", "--"))
    _flow(ax, nodes, edges)
    ax.set_xlim(-0.7, 6.4)
    ax.set_ylim(-0.5, 3.7)
    if title:
        ax.set_title(title)
    return ax


def plot_beam_tree(
    steps,
    tokens: Sequence[str],
    *,
    chosen: int | tuple[int, int] = 0,
    greedy: Sequence[int] | None = None,
    ax=None,
    title: str | None = None,
):
    """The hypotheses beam search kept at each step (from decoding.beam_steps), with their log-probabilities.

    Column t holds the survivors after step t, best on top (finished ones, marked "(done)", below the live ones);
    lines join each to the hypothesis it extends; the path of the final hypothesis ``chosen`` (an index into the
    last step, or a pair (step, index) such as decoding.best_of_steps gives) is drawn thick. ``greedy`` (token ids
    of greedy decoding's output) outlines its prefixes in blue where they survive. ``tokens`` maps ids to words.
    """
    if not steps:
        raise ValueError("No steps to draw: pass the list beam_steps returned.")
    rows = max(len(beams) for beams in steps)
    if ax is None:
        _, ax = plt.subplots(figsize=(2.0 * len(steps) + 1.5, 0.9 * rows + 1.8))
    last, index = chosen if isinstance(chosen, tuple) else (len(steps) - 1, chosen)
    path = set()
    for t in range(last, -1, -1):  # walk back from the chosen hypothesis
        path.add((t, index))
        index = steps[t][index]["parent"]
    greedy = [int(token) for token in greedy] if greedy is not None else None
    for t, beams in enumerate(steps):
        for rank, beam in enumerate(beams):
            on_path = (t, rank) in path
            on_greedy = greedy is not None and beam["tokens"] == greedy[: len(beam["tokens"])]
            word = tokens[beam["tokens"][-1]]
            carried = t and beams[rank]["tokens"] == steps[t - 1][beam["parent"]]["tokens"]
            done = beam.get("finished", carried)
            label = f"{_visible(word)}{' (done)' if done else ''}\n{beam['log_probability']:.2f}"
            ax.text(
                t,
                -rank,
                label,
                ha="center",
                va="center",
                fontsize=8.5,
                zorder=3,
                bbox=dict(
                    boxstyle="round,pad=0.3",
                    facecolor="#fce5cd" if on_path else "white",
                    edgecolor="tab:blue" if on_greedy else "black",
                    linewidth=2.2 if on_greedy else (1.5 if on_path else 0.6),
                    linestyle="--" if on_greedy else "-",
                ),
            )
            if t:
                parent = beam["parent"]
                ax.plot(
                    [t - 1, t],
                    [-parent, -rank],
                    color="black" if on_path else "lightgray",
                    lw=2 if on_path else 1,
                    zorder=1,
                )
    ax.set_xticks(range(len(steps)), [f"step {t + 1}" for t in range(len(steps))])
    ax.set_yticks([])
    ax.set_xlim(-0.6, len(steps) - 0.4)
    ax.set_ylim(-rows + 0.4, 0.6)
    for side in ("left", "right", "top"):
        ax.spines[side].set_visible(False)
    if title:
        ax.set_title(title)
    return ax
