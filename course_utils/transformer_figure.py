"""Lesson 09's picture of the Transformer: the stack of blocks, and inside multi-head attention, with a model's sizes.

    fig = plot_transformer_architecture(model)   # model: a course_utils.transformer.Transformer

Left: embeddings + positional encoding, the encoder block (self-attention, feed-forward) and the decoder block
(causal self-attention, cross-attention, feed-forward), each sub-layer as x + sublayer(LayerNorm(x)), repeated
``layers`` times, then the final LayerNorms and the output layer. Right: one multi-head attention, queries from X,
keys and values from Z, split into heads, scaled dot-product attention per head, concatenated, projected by W^O.
Every size printed in the boxes is read from the model.
"""

import matplotlib.pyplot as plt
from matplotlib.patches import FancyArrowPatch, FancyBboxPatch

COLOURS = {
    "embed": "#dbe9f6",
    "attention": "#fde2c8",
    "cross": "#f9c9c9",
    "feed": "#d6efd6",
    "norm": "#eeeeee",
    "out": "#e6dcf2",
    "block": "#fafafa",
}


def _box(ax, x, y, text, colour, width=2.6, height=0.5, size=8):
    ax.add_patch(
        FancyBboxPatch(
            (x - width / 2, y - height / 2),
            width,
            height,
            boxstyle="round,pad=0.03",
            facecolor=colour,
            edgecolor="k",
            zorder=2,
        )
    )
    ax.text(x, y, text, ha="center", va="center", fontsize=size, zorder=3)


def _arrow(ax, start, end, colour="k", style="-|>", connection="arc3"):
    ax.add_patch(
        FancyArrowPatch(
            start, end, arrowstyle=style, mutation_scale=10, color=colour, connectionstyle=connection, zorder=4
        )
    )


def _frame(ax, x, bottom, top, label, width=3.3):
    ax.add_patch(
        FancyBboxPatch(
            (x - width / 2, bottom),
            width,
            top - bottom,
            boxstyle="round,pad=0.05",
            facecolor=COLOURS["block"],
            edgecolor="grey",
            linestyle="--",
            zorder=0,
        )
    )
    ax.text(x - width / 2 - 0.1, (bottom + top) / 2, label, ha="right", va="center", fontsize=8, rotation=90)


def _sublayer(ax, x, y, name, colour, residual_from):
    """LayerNorm, then the sub-layer, then the residual sum; returns the y of the sum."""
    _box(ax, x, y, "LayerNorm", COLOURS["norm"], height=0.35, size=7)
    _box(ax, x, y + 0.6, name, colour)
    _arrow(ax, (x, y + 0.18), (x, y + 0.35))
    ax.text(x, y + 1.2, "⊕", ha="center", va="center", fontsize=13)
    _arrow(ax, (x, y + 0.85), (x, y + 1.08))
    side = x + 1.45  # the residual path: around the sub-layer, into the sum
    ax.plot([x, side, side], [residual_from, residual_from, y + 1.2], color="grey", linewidth=1, zorder=1)
    _arrow(ax, (side, y + 1.2), (x + 0.15, y + 1.2), colour="grey")
    return y + 1.2


def _stack(ax, model):
    d, heads, hidden, layers = model.d_model, model.heads, model.feed_forward, model.layers_count
    key_dim = d // heads
    enc, dec = 2.0, 6.2
    # inputs and embeddings
    _box(ax, enc, 0.0, f"source ids ({model.source_length} positions)", "white")
    _box(ax, dec, 0.0, "target prefix: <start> y₁ … y_{t-1}", "white")
    for x, vocabulary in [(enc, model.source_vocabulary), (dec, model.target_vocabulary)]:
        _box(
            ax,
            x,
            0.9,
            f"embedding {len(vocabulary)} → {d}, × √{d}\n+ positional encoding (sinusoids)",
            COLOURS["embed"],
            height=0.6,
        )
        _arrow(ax, (x, 0.25), (x, 0.6))
    # encoder block
    top = _sublayer(
        ax, enc, 1.9, f"self-attention\n{heads} heads × {key_dim} (padding masked)", COLOURS["attention"], 1.3
    )
    _arrow(ax, (enc, 1.2), (enc, 1.72))
    top = _sublayer(
        ax,
        enc,
        top + 0.45,
        f"feed-forward {d} → {hidden} → {d}\n(ReLU, each position alone)",
        COLOURS["feed"],
        top + 0.1,
    )
    _arrow(ax, (enc, 3.25), (enc, 3.67))
    _frame(ax, enc, 1.6, top + 0.25, f"encoder block × {layers}")
    _box(ax, enc, top + 0.75, "final LayerNorm", COLOURS["norm"], height=0.35, size=7)
    _arrow(ax, (enc, top + 0.12), (enc, top + 0.57))
    encoder_top = top + 0.93
    # decoder block
    y = _sublayer(
        ax, dec, 1.9, f"causal self-attention\n{heads} heads × {key_dim} (t sees 0…t)", COLOURS["attention"], 1.3
    )
    _arrow(ax, (dec, 1.2), (dec, 1.72))
    cross_y = y + 0.45
    y = _sublayer(
        ax, dec, cross_y, f"cross-attention, {heads} heads\nQ: decoder · K, V: encoder", COLOURS["cross"], y + 0.1
    )
    _arrow(ax, (dec, cross_y - 1.07), (dec, cross_y - 0.18))
    y2 = _sublayer(ax, dec, y + 0.45, f"feed-forward {d} → {hidden} → {d}", COLOURS["feed"], y + 0.1)
    _arrow(ax, (dec, y + 0.12), (dec, y + 0.27))
    _frame(ax, dec, 1.6, y2 + 0.25, f"decoder block × {layers}")
    _box(ax, dec, y2 + 0.75, "final LayerNorm", COLOURS["norm"], height=0.35, size=7)
    _arrow(ax, (dec, y2 + 0.12), (dec, y2 + 0.57))
    _box(ax, dec, y2 + 1.4, f"Dense {d} → {len(model.target_vocabulary)} (logits), softmax", COLOURS["out"])
    _arrow(ax, (dec, y2 + 0.93), (dec, y2 + 1.15))
    # the encoder's outputs feed every decoder block's cross-attention (keys and values)
    _arrow(ax, (enc + 1.3, encoder_top - 0.18), (dec - 1.3, cross_y + 0.6), colour="C3", connection="arc3,rad=-0.2")
    ax.text(
        (enc + dec) / 2,
        encoder_top + 0.15,
        "encoder outputs\n→ K, V of every\ndecoder block",
        ha="center",
        fontsize=7,
        color="C3",
    )
    ax.set(
        xlim=(-0.2, 8.2),
        ylim=(-0.5, y2 + 2.0),
        title=f"the course's Transformer (d_model {d}, {heads} heads, {layers} + {layers} blocks)",
    )
    ax.axis("off")


def _heads(ax, model):
    d, heads = model.d_model, model.heads
    key_dim = d // heads
    _box(ax, 1.0, 0.0, f"X (T_q × {d})\nwhere queries come from", "white", width=1.9, height=0.6)
    _box(ax, 4.0, 0.0, f"Z (T_k × {d})\nwhere keys, values come from", "white", width=2.2, height=0.6)
    for x, name, source in [(0.6, "Q = X W^Q", 1.0), (2.6, "K = Z W^K", 4.0), (4.6, "V = Z W^V", 4.0)]:
        _box(ax, x, 1.2, f"{name}\n{d} → {heads} × {key_dim}", COLOURS["embed"], width=1.7, height=0.6)
        _arrow(ax, (source, 0.3), (x, 0.9))
    for head in range(heads):
        y = 2.3 + 0.55 * head
        _box(
            ax,
            2.6,
            y,
            f"head {head + 1}: softmax(q kᵀ / √{key_dim}) v",
            COLOURS["attention"],
            width=4.2,
            height=0.42,
            size=7,
        )
    for x in (0.6, 2.6, 4.6):
        _arrow(ax, (x, 1.5), (x, 2.09))
    top = 2.3 + 0.55 * (heads - 1)
    _box(ax, 2.6, top + 0.8, f"concatenate: {heads} × {key_dim} = {d}", COLOURS["norm"], width=3.0, height=0.42, size=7)
    _arrow(ax, (2.6, top + 0.21), (2.6, top + 0.59))
    _box(ax, 2.6, top + 1.5, f"output W^O: {d} → {d}", COLOURS["out"], width=3.0, height=0.42, size=7)
    _arrow(ax, (2.6, top + 1.01), (2.6, top + 1.29))
    ax.text(2.6, top + 2.1, "self-attention: Z = X · cross-attention: X decoder, Z encoder", ha="center", fontsize=7)
    ax.set(xlim=(-0.4, 5.8), ylim=(-0.6, top + 2.4), title="inside one multi-head attention")
    ax.axis("off")


def plot_transformer_architecture(model, *, axes=None):
    """The stack of blocks (left) and one multi-head attention (right), with ``model``'s sizes; returns the figure."""
    if axes is None:
        fig, axes = plt.subplots(1, 2, figsize=(15, 7.5), gridspec_kw={"width_ratios": [1.45, 1]})
    _stack(axes[0], model)
    _heads(axes[1], model)
    fig = axes[0].figure
    fig.tight_layout()
    return fig
