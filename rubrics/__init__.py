# Data package: the shipped rubrics (YAML). Nothing to import.
