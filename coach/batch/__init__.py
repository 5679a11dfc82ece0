"""Batch review: the data types, the worker pool and journal, consistency across an applicant's drafts and
the outputs (results.jsonl, summary.csv, report.html)."""
