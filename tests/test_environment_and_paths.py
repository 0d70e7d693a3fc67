import os
import subprocess
import sys

import pytest

from course_utils import environment, paths
from course_utils.repository import CLONE_FOLDER


def test_importing_the_package_imports_no_tensorflow():
    code = "import course_utils, course_utils.paths, course_utils.vocabulary, sys; print('tensorflow' in sys.modules)"
    assert (
        subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip()
        == "False"
    )


def test_course_root_found_from_notebooks_folder_and_elsewhere(monkeypatch, tmp_path):
    root = paths.course_root()
    monkeypatch.chdir(root / "notebooks")
    assert paths.course_root() == root
    monkeypatch.chdir(tmp_path)  # outside the repo: found through the package's location
    assert paths.course_root() == root


def test_colab_clone_folder_is_found(monkeypatch, tmp_path):
    clone = tmp_path / CLONE_FOLDER
    (clone / "data").mkdir(parents=True)
    (clone / "course_utils").mkdir()
    (clone / "data" / "README.md").write_text("data")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(paths, "__file__", "/nonexistent/course_utils/paths.py")
    assert paths.course_root() == clone


def test_missing_course_folder_explains_the_fix(monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(paths, "__file__", "/nonexistent/course_utils/paths.py")
    monkeypatch.delenv(paths.ROOT_VARIABLE, raising=False)
    with pytest.raises(FileNotFoundError, match="set the environment variable COURSE_ROOT"):
        paths.course_root()


def test_missing_data_file_lists_available_files():
    with pytest.raises(FileNotFoundError, match=r"Files there: .*kor-eng.txt"):
        paths.data_path("no-such-file.txt")


def test_scale_setting(monkeypatch):
    monkeypatch.delenv(environment.SCALE_VARIABLE, raising=False)
    assert environment.course_scale() == 1
    monkeypatch.setenv(environment.SCALE_VARIABLE, "4")
    assert environment.course_scale() == 4
    for bad in ("0", "two", "-1", "1.5"):
        monkeypatch.setenv(environment.SCALE_VARIABLE, bad)
        with pytest.raises(ValueError, match="whole number"):
            environment.course_scale()


def test_set_up_reports_versions_device_and_seed(capsys):
    env = environment.set_up(seed=3)
    line = capsys.readouterr().out
    assert "TensorFlow" in line and "Keras" in line and "seed 3" in line
    assert env.device.startswith(("CPU", "GPU")) and env.in_colab is False
    assert os.environ["TF_CPP_MIN_LOG_LEVEL"] in {"1", "2", "3"}


def test_korean_text_in_plots_renders_without_missing_glyph_warnings(tmp_path):
    import warnings

    import matplotlib.pyplot as plt

    from course_utils.plotting import use_korean_font

    assert use_korean_font() == "NanumGothic"
    figure, axes = plt.subplots()
    axes.set_title("1969년 7월 20일 일요일")
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # matplotlib warns "Glyph ... missing" when a font lacks Hangul
        figure.savefig(tmp_path / "korean.png")
    plt.close(figure)
