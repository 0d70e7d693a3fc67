"""Shared test set-up: TensorFlow's variables (quiet logs, GPU memory growth) before anything imports it."""

from course_utils.environment import set_tensorflow_variables

set_tensorflow_variables()
