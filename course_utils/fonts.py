"""Fonts for the lessons' plots: Korean text (dates, sentences on heatmap axes) renders offline."""

import importlib.util
from pathlib import Path

import matplotlib.pyplot as plt
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
