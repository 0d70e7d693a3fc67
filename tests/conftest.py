"""Shared test set-up: quiet TensorFlow before anything imports it."""

from course_utils.environment import quiet_tensorflow_logging

quiet_tensorflow_logging()
