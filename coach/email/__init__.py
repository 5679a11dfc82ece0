"""Email drafting: interview inputs, templates rendered in a sandbox, each draft checked before it is shown."""
