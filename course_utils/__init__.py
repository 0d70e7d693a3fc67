"""Helpers for the course "Seq2seq & Attention with Keras".

Importing the package does nothing: no TensorFlow import, no seeding, no file access.
Import the module you need, e.g. ``from course_utils.vocabulary import Vocabulary``.
"""

__version__ = "0.1.0"
