"""Errors a user can act on. The CLI prints them as one line and exits 2; never a traceback."""


class CoachError(Exception):
    """A problem with the user's input, rubric or environment, phrased for the user."""


class InputError(CoachError):
    def __init__(self, file: str, problem: str) -> None:
        super().__init__(f"{file}: {problem}")
        self.file = file
        self.problem = problem


class RubricError(CoachError):
    def __init__(self, file: str, line: int | None, key: str, problem: str) -> None:
        where = f"{file}:{line}" if line else file
        super().__init__(f"{where}: {key}: {problem}")
