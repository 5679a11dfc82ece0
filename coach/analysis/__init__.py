"""Analysis: the Analyzer (spaCy, the phrase matcher, sentence roles), the Context a check reads, kind
detection and each kind's pipeline of checks. Imports checks/, roles/, matching/ and the shared model."""
