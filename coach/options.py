"""The options of one run, shared by `check`, `batch` (and the coming `serve`): one frozen object, passed
with each call and carried on the analysis Context. The command line builds it in coach.cli.options."""

from __future__ import annotations

from dataclasses import dataclass

PROGRAM_TYPES = ("county", "academic", "community")
FIELDS = ("statement", "experience", "meaningful")
GRAMMAR_CHOICES = ("auto", "languagetool", "speller", "off")


@dataclass(frozen=True)
class Options:
    """`kind` forces the kind of every draft (else detected); `program_type` weighs a personal statement's
    fit (None: the rubric's default); `field` is the ERAS field whose limits apply (an Experiences or Most
    Meaningful entry is read as a personal statement); `grammar` is auto|languagetool|speller|off (None:
    the offline speller); `languagetool_url` is the only server drafts may go to; `rubric_dir` is a folder
    of rubric YAML laid over the shipped one."""

    kind: str | None = None
    program_type: str | None = None
    field: str = "statement"
    grammar: str | None = None
    languagetool_url: str | None = None
    rubric_dir: str | None = None

    def kind_for(self, kind: str | None = None) -> str | None:
        """The kind to analyse as: the caller's, else the forced one, else a personal statement for an
        Experiences or Most Meaningful entry, else None (detect it)."""
        if kind or self.kind:
            return kind or self.kind
        return "personal_statement" if self.field != "statement" else None
