"""The set-up every notebook runs first: quiet TensorFlow logs, seeds, determinism and a one-line report.

Nothing happens on import. ``set_up()`` sets TensorFlow's logging variables *before* importing it,
which is why it, and not the notebook, imports TensorFlow first.
"""

import os
import platform
import sys
from dataclasses import dataclass

SCALE_VARIABLE = "COURSE_SCALE"


@dataclass(frozen=True)
class CourseEnvironment:
    """What ``set_up`` found and did."""

    seed: int
    scale: int  # multiply data sizes and epochs by this (1 on the CPU; see README "Scaling up on a GPU")
    device: str  # "CPU" or "GPU (<name>)"
    deterministic: bool  # op determinism on (bit-identical reruns on one machine)
    in_colab: bool
    versions: str

    @property
    def has_gpu(self) -> bool:
        return self.device.startswith("GPU")

    def report(self) -> str:
        place = " | Colab" if self.in_colab else ""
        return (
            f"{self.versions} | {self.device} | seed {self.seed} | scale {self.scale} | "
            f"op determinism {'on' if self.deterministic else 'off'}{place}"
        )


def in_colab() -> bool:
    """True inside a Google Colab runtime."""
    return "google.colab" in sys.modules


def quiet_tensorflow_logging() -> None:
    """Keep TensorFlow's C++ start-up messages off stderr (must run before ``import tensorflow``)."""
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    # With oneDNN's optimisations on, TF 2.21 prints a notice on stderr at every start, at any log level.
    os.environ.setdefault("TF_ENABLE_ONEDNN_OPTS", "0")


def course_scale() -> int:
    """The scale factor from the environment variable COURSE_SCALE (default 1)."""
    text = os.environ.get(SCALE_VARIABLE, "1").strip()
    if not text.isdigit() or int(text) < 1:
        raise ValueError(
            f"{SCALE_VARIABLE}={text!r} is not a whole number of at least 1. "
            f"Set it to 1 on a CPU, or to e.g. 4 on a GPU runtime."
        )
    return int(text)


def set_up(seed: int = 0, *, deterministic: bool | None = None, verbose: bool = True) -> CourseEnvironment:
    """Seed Python, NumPy and TensorFlow, turn on op determinism (on the CPU by default), let plots show
    Korean, and print a one-line report.

    On a GPU, op determinism is off by default: some GPU kernels have no deterministic version and would
    raise, and the notebooks assert bands, not exact numbers, for trained results.
    """
    quiet_tensorflow_logging()
    import keras
    import tensorflow as tf

    tf.get_logger().setLevel("ERROR")  # e.g. retracing notices when each trained model compiles its own decoder
    gpus = tf.config.list_physical_devices("GPU")
    if gpus:
        name = tf.config.experimental.get_device_details(gpus[0]).get("device_name", "unknown")
        device = f"GPU ({name})"
    else:
        device = f"CPU ({os.cpu_count()} cores)"
    if deterministic is None:
        deterministic = not gpus
    keras.utils.set_random_seed(seed)
    if deterministic:
        tf.config.experimental.enable_op_determinism()
    from course_utils.plotting import use_korean_font

    use_korean_font()  # Korean dates and sentences appear on plot axes
    versions = f"Python {platform.python_version()}, TensorFlow {tf.__version__}, Keras {keras.__version__}"
    environment = CourseEnvironment(
        seed=seed,
        scale=course_scale(),
        device=device,
        deterministic=deterministic,
        in_colab=in_colab(),
        versions=versions,
    )
    if verbose:
        print(environment.report())
    return environment
