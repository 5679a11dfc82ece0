"""Phrase rules as data: the pattern language of rubrics/*.yaml compiled to one spaCy Matcher per rubric."""
