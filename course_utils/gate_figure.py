"""Lesson 01's picture of a GRU cell: where the update gate z and the reset gate r act (Keras' form)."""

import matplotlib.pyplot as plt
from matplotlib.patches import FancyArrowPatch, FancyBboxPatch

GATE_COLOUR, CANDIDATE_COLOUR, OPERATION_COLOUR = "#f4c430", "#8fbcd4", "#ffffff"


def _box(ax, centre, text, colour, width=1.1, height=0.62):
    x, y = centre
    ax.add_patch(
        FancyBboxPatch(
            (x - width / 2, y - height / 2), width, height, boxstyle="round,pad=0.04", facecolor=colour, edgecolor="k"
        )
    )
    ax.text(x, y, text, ha="center", va="center", fontsize=10)


def _operation(ax, centre, text):
    ax.add_patch(plt.Circle(centre, 0.24, facecolor=OPERATION_COLOUR, edgecolor="k", zorder=3))
    ax.text(*centre, text, ha="center", va="center", fontsize=11, zorder=4)


def _arrow(ax, start, end, label=None, colour="k"):
    ax.add_patch(FancyArrowPatch(start, end, arrowstyle="-|>", mutation_scale=12, color=colour, lw=1.3, zorder=2))
    if label:
        ax.text((start[0] + end[0]) / 2 + 0.08, (start[1] + end[1]) / 2 + 0.1, label, fontsize=9, color=colour)


def plot_gru_cell(ax=None, title="One GRU step (Keras' reset_after form)"):
    """Draw h_{t-1} and x_t flowing through the gates to h_t = z ⊙ h_{t-1} + (1 − z) ⊙ h̃; returns the axes."""
    if ax is None:
        _, ax = plt.subplots(figsize=(9, 4.2))
    # the old state runs along the top; it and the input x_t reach every box from below
    ax.text(-0.35, 3.2, "$h_{t-1}$", ha="right", va="center", fontsize=13)
    ax.text(8.9, 3.2, "$h_t$", ha="left", va="center", fontsize=13)
    ax.text(0.7, -0.35, "$x_t$", ha="center", va="top", fontsize=13)
    ax.plot([-0.3, 1.36], [3.2, 3.2], color="k", lw=1.3)
    ax.plot([0.2, 0.2, 6.25], [3.2, 0.6, 0.6], color="grey", lw=1.0)
    ax.plot([0.7, 0.7], [-0.3, 0.6], color="grey", lw=1.0)
    _box(ax, (1.6, 1.6), r"$\sigma$: update $z$", GATE_COLOUR, width=1.5)
    _box(ax, (3.8, 1.6), r"$\sigma$: reset $r$", GATE_COLOUR, width=1.5)
    _box(ax, (6.25, 1.6), r"$\tanh$: candidate $\tilde h$", CANDIDATE_COLOUR, width=2.3)
    for x in (1.6, 3.8, 6.25):
        _arrow(ax, (x, 0.6), (x, 1.27))
    _arrow(ax, (4.57, 1.6), (5.06, 1.6))
    ax.text(4.8, 0.85, "r scales\n$h_{t-1} U_h$", ha="center", fontsize=8, color="#a05000")
    # the mix: z of the old state, 1 - z of the candidate
    _operation(ax, (1.6, 3.2), r"$\odot$")
    _operation(ax, (2.6, 2.5), "1−")
    _operation(ax, (7.3, 2.5), r"$\odot$")
    _operation(ax, (8.3, 3.2), "+")
    _arrow(ax, (1.6, 1.93), (1.6, 2.96), "z")
    _arrow(ax, (2.0, 1.93), (2.42, 2.33))
    _arrow(ax, (2.84, 2.5), (7.06, 2.5), "1 − z")
    _arrow(ax, (7.0, 1.93), (7.17, 2.27), r"$\tilde h$")
    _arrow(ax, (1.84, 3.2), (8.06, 3.2), r"$z \odot h_{t-1}$")
    _arrow(ax, (7.5, 2.65), (8.12, 3.03))
    _arrow(ax, (8.54, 3.2), (8.85, 3.2))
    ax.text(
        4.5,
        3.75,
        r"$h_t = z \odot h_{t-1} + (1 - z) \odot \tilde h$: with $z \approx 1$ the old state passes through unchanged",
        ha="center",
        fontsize=10,
    )
    ax.set(xlim=(-1.0, 9.6), ylim=(-0.8, 4.1), title=title)
    ax.set_aspect("equal")
    ax.axis("off")
    return ax
