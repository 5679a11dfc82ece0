"""Sentence roles and paragraph parts: the cue classifier, the encoder (one runtime), the encoder heads fit
from rubrics/exemplars, and the personal statement's paragraphs."""
