"""Plots draw on the axes they are given: a title lands on those axes' figure, whichever figure pyplot holds."""

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

from course_utils.plotting import plot_history  # noqa: E402

HISTORY = {"loss": [2.0, 1.0, 0.5], "val_loss": [2.1, 1.3, 0.9], "accuracy": [0.2, 0.5, 0.7]}


def test_history_given_axes_titles_their_figure_not_the_current_one():
    figure, axes = plt.subplots(1, 2)
    current = plt.figure()  # pyplot's current figure is now another one
    assert plt.gcf() is current
    plot_history(HISTORY, metrics=("loss", "accuracy"), title="training", axes=axes)
    assert figure.get_suptitle() == "training" and current.get_suptitle() == ""
    assert [ax.get_ylabel() for ax in axes] == ["loss", "accuracy"]
    plt.close("all")


def test_history_on_a_single_given_axes():
    figure, ax = plt.subplots()
    plt.figure()
    plot_history(HISTORY, title="one panel", axes=ax)
    assert figure.get_suptitle() == "one panel"
    assert [line.get_label() for line in ax.lines] == ["training", "validation"]
    plt.close("all")
