# Data package: the shipped Jinja templates. Nothing to import.
